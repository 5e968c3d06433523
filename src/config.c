/*
 * config.c - libconfig files to a merged, located mtfs_node tree.
 *
 * Inheritance: a file may say `base = "other.cfg"`.  The base is loaded
 * first (recursively) and the file is merged over it: groups merge key by
 * key, scalars and lists replace, and the top-level lists `services` and
 * `grants` merge element by element, matching on `name`.  @include is left
 * to libconfig, with the include directory set to the including file's
 * directory.
 */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHAIN_MAX 32

typedef struct {
    mtfs_config *config;
    char *chain[CHAIN_MAX];    /* canonical paths of the files being loaded */
    size_t depth;
} loader;

static void node_free(mtfs_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_children; i++)
        node_free(n->children[i]);
    mtfs_free(n->children);
    mtfs_free(n->name);
    mtfs_free(n->text);
    mtfs_free(n);
}

void mtfs_config_free(mtfs_config *config)
{
    if (!config)
        return;
    node_free(config->root);
    for (size_t i = 0; i < config->n_files; i++)
        mtfs_free(config->files[i]);
    mtfs_free(config->files);
    mtfs_free(config);
}

mtfs_node *mtfs_node_get(const mtfs_node *group, const char *name)
{
    if (!group || group->type != MTFS_NODE_GROUP)
        return NULL;
    for (size_t i = 0; i < group->n_children; i++)
        if (group->children[i]->name && strcmp(group->children[i]->name, name) == 0)
            return group->children[i];
    return NULL;
}

int mtfs_node_is_number(const mtfs_node *node)
{
    return node->type == MTFS_NODE_INT || node->type == MTFS_NODE_FLOAT;
}

const char *mtfs_node_type_name(const mtfs_node *node)
{
    switch (node->type) {
    case MTFS_NODE_GROUP: return "a group";
    case MTFS_NODE_LIST: return "a list";
    case MTFS_NODE_INT: return "a whole number";
    case MTFS_NODE_FLOAT: return "a decimal number";
    case MTFS_NODE_BOOL: return "true/false";
    case MTFS_NODE_STRING: return "a string";
    }
    return "a value";
}

/* Intern a file name in the config's table; returns the stored copy. */
static const char *intern_file(mtfs_config *c, const char *file)
{
    for (size_t i = 0; i < c->n_files; i++)
        if (strcmp(c->files[i], file) == 0)
            return c->files[i];
    if (c->n_files == c->cap_files) {
        size_t cap = c->cap_files ? 2 * c->cap_files : 4;
        char **grown = mtfs_realloc(c->files, cap * sizeof *grown);
        if (!grown)
            return NULL;
        c->files = grown;
        c->cap_files = cap;
    }
    char *copy = mtfs_strdup(file);
    if (!copy)
        return NULL;
    c->files[c->n_files++] = copy;
    return copy;
}

static int add_child(mtfs_node *parent, mtfs_node *child)
{
    if (parent->n_children == parent->cap_children) {
        size_t cap = parent->cap_children ? 2 * parent->cap_children : 8;
        mtfs_node **grown = mtfs_realloc(parent->children, cap * sizeof *grown);
        if (!grown)
            return -1;
        parent->children = grown;
        parent->cap_children = cap;
    }
    parent->children[parent->n_children++] = child;
    return 0;
}

/* Convert one libconfig setting (and its children).  Returns NULL only when
 * out of memory. */
static mtfs_node *convert(mtfs_config *c, const config_setting_t *s, const char *top_file)
{
    mtfs_node *n = mtfs_calloc(1, sizeof *n);
    if (!n)
        return NULL;
    const char *file = config_setting_source_file(s);
    n->file = intern_file(c, file ? file : top_file);
    n->line = (int)config_setting_source_line(s);
    if (!n->file)
        goto oom;
    if (s->name && !(n->name = mtfs_strdup(s->name)))
        goto oom;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY: {
        n->type = config_setting_type(s) == CONFIG_TYPE_GROUP ? MTFS_NODE_GROUP : MTFS_NODE_LIST;
        int len = config_setting_length(s);
        for (int i = 0; i < len; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            mtfs_node *child = convert(c, e, top_file);
            if (!child)
                goto oom;
            /* Array elements carry no line of their own in libconfig 1.5. */
            if (child->line == 0)
                child->line = n->line;
            if (add_child(n, child) != 0) {
                node_free(child);
                goto oom;
            }
        }
        break;
    }
    case CONFIG_TYPE_INT:
        n->type = MTFS_NODE_INT;
        n->integer = config_setting_get_int(s);
        n->number = (double)n->integer;
        break;
    case CONFIG_TYPE_INT64:
        n->type = MTFS_NODE_INT;
        n->integer = config_setting_get_int64(s);
        n->number = (double)n->integer;
        break;
    case CONFIG_TYPE_FLOAT:
        n->type = MTFS_NODE_FLOAT;
        n->number = config_setting_get_float(s);
        break;
    case CONFIG_TYPE_BOOL:
        n->type = MTFS_NODE_BOOL;
        n->integer = config_setting_get_bool(s);
        break;
    case CONFIG_TYPE_STRING:
        n->type = MTFS_NODE_STRING;
        if (!(n->text = mtfs_strdup(config_setting_get_string(s))))
            goto oom;
        break;
    default:
        n->type = MTFS_NODE_GROUP;
        break;
    }
    return n;
oom:
    node_free(n);
    return NULL;
}

/* libconfig's parse messages are terse; add what a user can do about the
 * commonest ones. */
static const char *syntax_hint(const char *text)
{
    if (strstr(text, "mismatched element type"))
        return " (a list [ ... ] must not mix whole numbers and decimals: write 0.0, not 0)";
    if (strstr(text, "duplicate setting"))
        return " (each key may appear once in a group)";
    return "";
}

static mtfs_status load_file(loader *L, const char *path, const char *from_file, int from_line,
                             mtfs_node **out, mtfs_error *err);

static mtfs_status merge(mtfs_node *dst, mtfs_node *src, const char *path);

/* Lists whose elements merge one by one, matched on a field, rather than
 * being replaced whole: the list's dotted path, and the matching field. */
static const struct {
    const char *path;
    const char *field;
} keyed_lists[] = {
    {"services", "name"},
    {"grants", "name"},
    {"uncertainty.parameters", "key"},
};

static const char *keyed_field(const char *path)
{
    for (size_t i = 0; i < sizeof keyed_lists / sizeof keyed_lists[0]; i++)
        if (strcmp(path, keyed_lists[i].path) == 0)
            return keyed_lists[i].field;
    return NULL;
}

static const char *text_of(const mtfs_node *group, const char *field)
{
    const mtfs_node *n = mtfs_node_get(group, field);
    return n && n->type == MTFS_NODE_STRING ? n->text : NULL;
}

/* Take ownership of src's children and merge them into dst, matching
 * elements on `field`. */
static mtfs_status merge_keyed_list(mtfs_node *dst, mtfs_node *src, const char *field,
                                    const char *path)
{
    /* Match only the base's own elements, so that a name repeated within
     * one file stays repeated and validation reports it. */
    size_t n_base = dst->n_children;
    for (size_t i = 0; i < src->n_children; i++) {
        mtfs_node *e = src->children[i];
        const char *name = text_of(e, field);
        mtfs_node *match = NULL;
        for (size_t j = 0; name && j < n_base && !match; j++) {
            const char *dname = text_of(dst->children[j], field);
            if (dname && strcmp(dname, name) == 0)
                match = dst->children[j];
        }
        if (match) {
            mtfs_status st = merge(match, e, path);
            if (st != MTFS_OK)
                return st;
            match->file = e->file;
            match->line = e->line;
            node_free(e);
        } else if (add_child(dst, e) != 0) {
            return MTFS_ENOMEM;
        }
        src->children[i] = NULL;
    }
    src->n_children = 0;
    return MTFS_OK;
}

/* Merge group src (at dotted `path`, "" for the root) into group dst,
 * consuming src's children. */
static mtfs_status merge(mtfs_node *dst, mtfs_node *src, const char *path)
{
    for (size_t i = 0; i < src->n_children; i++) {
        mtfs_node *s = src->children[i];
        size_t j = 0;
        while (j < dst->n_children && strcmp(dst->children[j]->name, s->name) != 0)
            j++;
        if (j == dst->n_children) {
            if (add_child(dst, s) != 0)
                return MTFS_ENOMEM;
        } else {
            mtfs_node *d = dst->children[j];
            char child_path[256];
            snprintf(child_path, sizeof child_path, "%s%s%s", path, path[0] ? "." : "", s->name);
            const char *field = keyed_field(child_path);
            int keyed = field && d->type == MTFS_NODE_LIST && s->type == MTFS_NODE_LIST;
            if (keyed || (d->type == MTFS_NODE_GROUP && s->type == MTFS_NODE_GROUP)) {
                mtfs_status st = keyed ? merge_keyed_list(d, s, field, child_path)
                                       : merge(d, s, child_path);
                if (st != MTFS_OK)
                    return st;
                /* The merged element now answers to the overriding file. */
                d->file = s->file;
                d->line = s->line;
                node_free(s);
            } else {
                node_free(d);
                dst->children[j] = s;
            }
        }
        src->children[i] = NULL;
    }
    src->n_children = 0;
    return MTFS_OK;
}

/* libconfig's scanner exits the process when an @include names something it
 * cannot read as a stream (a directory), so every @include is checked first:
 * it must name a regular file.  Included files are scanned too (their own
 * @include is relative to the same directory, as libconfig 1.5 does it). */
static mtfs_status check_includes(const char *path, const char *dir, int depth, mtfs_error *err);

/* One line of an included-or-top file: if it is an @include, its target
 * must be a regular file (and its own includes are checked in turn). */
static mtfs_status check_include_line(const char *line, const char *path, int number,
                                      const char *dir, int depth, mtfs_error *err)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "@include", 8) != 0)
        return MTFS_OK;
    p += 8;
    while (*p == ' ' || *p == '\t')
        p++;
    const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
    if (!end)
        return MTFS_OK;   /* not an include to libconfig either: a syntax error */
    char name[PATH_MAX], full[PATH_MAX];
    snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
    if (strchr(name, '\\'))   /* libconfig would unescape it: check what it would open */
        return mtfs_error_set(err, MTFS_EINPUT, path, number, NULL,
                              "@include \"%s\" has a backslash (expected a plain file name)", name);
    mtfs_path_join(dir, name, full, sizeof full);
    struct stat info;
    if (stat(full, &info) != 0)
        return MTFS_OK;   /* libconfig reports a missing include itself */
    if (!S_ISREG(info.st_mode))
        return mtfs_error_set(err, MTFS_EINPUT, path, number, NULL,
                              "@include \"%s\" is %s (expected a file to include)", name,
                              S_ISDIR(info.st_mode) ? "a directory" : "not a regular file");
    return depth < 10 ? check_includes(full, dir, depth + 1, err) : MTFS_OK;
}

static mtfs_status check_includes(const char *path, const char *dir, int depth, mtfs_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return MTFS_OK;   /* reported by whoever opens it */
    /* A text file has no NUL byte; libconfig would stop reading a string at
     * one and could then take the rest for something else. */
    char line[4096];
    int number = 1, c;
    size_t len = 0;
    mtfs_status st = MTFS_OK;
    while (st == MTFS_OK && (c = getc(f)) != EOF) {
        if (c == '\0') {
            st = mtfs_error_set(err, MTFS_EINPUT, path, number, NULL,
                                "contains a NUL byte (expected a text file)");
        } else if (c != '\n') {
            if (len + 1 < sizeof line)   /* past 4 KiB a line is no @include */
                line[len++] = (char)c;
        } else {
            line[len] = '\0';
            st = check_include_line(line, path, number, dir, depth, err);
            len = 0;
            number++;
        }
    }
    if (st == MTFS_OK && len > 0) {   /* a last line without a newline */
        line[len] = '\0';
        st = check_include_line(line, path, number, dir, depth, err);
    }
    fclose(f);
    return st;
}

static mtfs_status parse_file(loader *L, const char *path, const char *from_file, int from_line,
                              mtfs_node **out, mtfs_error *err)
{
    *out = NULL;
    FILE *probe = fopen(path, "r");
    if (!probe) {
        int e = errno;
        if (from_file)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "cannot open '%s': %s", path, strerror(e));
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "cannot open: %s", strerror(e));
    }
    fclose(probe);
    struct stat info;
    if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
        if (from_file)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "'%s' is a directory (expected a scenario file)", path);
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "is a directory (expected a scenario file)");
    }

    if (stat(path, &info) == 0 && !S_ISREG(info.st_mode)) {
        if (from_file)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "'%s' is not a regular file (expected a scenario file)", path);
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "is not a regular file (expected a scenario file)");
    }
    char dir[PATH_MAX];
    mtfs_dirname(path, dir, sizeof dir);
    mtfs_status included = check_includes(path, dir, 0, err);
    if (included != MTFS_OK)
        return included;
    config_t cfg;
    config_init(&cfg);
    config_set_include_dir(&cfg, dir);
    if (config_read_file(&cfg, path) != CONFIG_TRUE) {
        const char *efile = config_error_file(&cfg);
        const char *text = config_error_text(&cfg);
        mtfs_status st;
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            st = mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "cannot read file");
        else if (!text || strcmp(text, "syntax error") == 0)
            st = mtfs_error_set(err, MTFS_EINPUT, efile ? efile : path, config_error_line(&cfg),
                                NULL, "syntax error (check for a missing or extra bracket, brace, "
                                "quote or semicolon on or before this line)");
        else
            st = mtfs_error_set(err, MTFS_EINPUT, efile ? efile : path, config_error_line(&cfg),
                                NULL, "syntax error: %s%s", text, syntax_hint(text));
        config_destroy(&cfg);
        return st;
    }
    mtfs_node *root = convert(L->config, config_root_setting(&cfg), path);
    config_destroy(&cfg);
    if (!root)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    root->line = 1;
    *out = root;
    return MTFS_OK;
}

static mtfs_status load_file(loader *L, const char *path, const char *from_file, int from_line,
                             mtfs_node **out, mtfs_error *err)
{
    char canonical[PATH_MAX];
    if (!realpath(path, canonical))
        snprintf(canonical, sizeof canonical, "%s", path);
    for (size_t i = 0; i < L->depth; i++) {
        if (strcmp(L->chain[i], canonical) == 0)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "inheritance cycle: '%s' is already being loaded "
                                  "(expected a chain of bases that ends)", path);
    }
    if (L->depth == CHAIN_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                              "inheritance chain deeper than %d files", CHAIN_MAX);

    mtfs_node *root;
    mtfs_status st = parse_file(L, path, from_file, from_line, &root, err);
    if (st != MTFS_OK)
        return st;

    mtfs_node *base = mtfs_node_get(root, "base");
    if (!base) {
        *out = root;
        return MTFS_OK;
    }
    if (base->type != MTFS_NODE_STRING || base->text[0] == '\0') {
        st = mtfs_error_set(err, MTFS_EINPUT, base->file, base->line, "base",
                            "found %s (expected the name of a scenario file to inherit, "
                            "e.g. base = \"leics_2025_central.cfg\")",
                            base->type == MTFS_NODE_STRING ? "an empty string" : mtfs_node_type_name(base));
        node_free(root);
        return st;
    }
    char dir[PATH_MAX], base_path[PATH_MAX];
    mtfs_dirname(path, dir, sizeof dir);
    mtfs_path_join(dir, base->text, base_path, sizeof base_path);

    if (!(L->chain[L->depth] = mtfs_strdup(canonical))) {
        node_free(root);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    L->depth++;
    mtfs_node *parent = NULL;
    st = load_file(L, base_path, base->file, base->line, &parent, err);
    L->depth--;
    mtfs_free(L->chain[L->depth]);
    L->chain[L->depth] = NULL;
    if (st != MTFS_OK) {
        node_free(root);
        return st;
    }

    /* The base key has done its job; the merged tree must not carry the
     * parent's own base key either. */
    for (size_t i = 0; i < root->n_children; i++) {
        if (root->children[i] == base) {
            node_free(base);
            memmove(root->children + i, root->children + i + 1,
                    (root->n_children - i - 1) * sizeof *root->children);
            root->n_children--;
            break;
        }
    }
    st = merge(parent, root, "");
    node_free(root);
    if (st != MTFS_OK) {
        node_free(parent);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    parent->file = NULL;
    *out = parent;
    return MTFS_OK;
}

mtfs_status mtfs_config_load(const char *path, mtfs_config **out, mtfs_error *err)
{
    *out = NULL;
    loader L;
    memset(&L, 0, sizeof L);
    L.config = mtfs_calloc(1, sizeof *L.config);
    if (!L.config)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    /* The named file is always first in the file table. */
    if (!intern_file(L.config, path)) {
        mtfs_config_free(L.config);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    mtfs_node *root = NULL;
    mtfs_status st = load_file(&L, path, NULL, 0, &root, err);
    if (st != MTFS_OK) {
        mtfs_config_free(L.config);
        return st;
    }
    root->file = L.config->files[0];
    root->line = 1;
    L.config->root = root;
    *out = L.config;
    return MTFS_OK;
}
