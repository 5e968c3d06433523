/*
 * config.c - libconfig files to a merged, located mtfs_node tree.
 *
 * Inheritance: a file may say `base = "other.cfg"`.  The base is loaded
 * first (recursively) and the file is merged over it: groups merge key by
 * key, scalars and lists replace, and the top-level lists `services` and
 * `grants` merge element by element, matching on `name`.  Before the merge,
 * `remove = ["council_tax.asc", "grants.new homes bonus"];` takes keys,
 * services or grants out of what the file inherits.  Each file is read,
 * its @includes expanded and parsed in config_expand.c; a batch's base
 * files go through the parse cache (config_cache.c).
 */
#include "config_int.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mtfs_cfg_node_free(mtfs_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_children; i++)
        mtfs_cfg_node_free(n->children[i]);
    mtfs_free(n->children);
    if (!n->borrowed) {
        mtfs_free(n->name);
        mtfs_free(n->text);
    }
    mtfs_free(n);
}

void mtfs_config_free(mtfs_config *config)
{
    if (!config)
        return;
    mtfs_cfg_node_free(config->root);
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

const char *mtfs_cfg_intern_file(mtfs_config *c, const char *file)
{
    for (size_t i = 0; i < c->n_files; i++)
        if (strcmp(c->files[i], file) == 0)
            return c->files[i];
    if (mtfs_grow(&c->files, &c->cap_files, c->n_files, sizeof *c->files, 4) != 0)
        return NULL;
    char *copy = mtfs_strdup(file);
    if (!copy)
        return NULL;
    c->files[c->n_files++] = copy;
    return copy;
}

int mtfs_cfg_add_child(mtfs_node *parent, mtfs_node *child)
{
    if (mtfs_grow(&parent->children, &parent->cap_children, parent->n_children,
                  sizeof *parent->children, 8) != 0)
        return -1;
    parent->children[parent->n_children++] = child;
    return 0;
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
    {"reserves.earmarked", "name"},
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
            mtfs_cfg_node_free(e);
        } else if (mtfs_cfg_add_child(dst, e) != 0) {
            return MTFS_ENOMEM;
        }
        src->children[i] = NULL;
    }
    src->n_children = 0;
    return MTFS_OK;
}

/* Grant `dst`, whose `amount` is about to be replaced by a list: give it a
 * `base_amount` equal to the base-year amount `amount` gave it (the number
 * itself, or the first of a list, a listed grant's default), located where
 * that amount was written.  Anything else stays for validation to report. */
static mtfs_status keep_base_amount(mtfs_node *dst, const mtfs_node *amount)
{
    const mtfs_node *from = amount;
    if (from->type == MTFS_NODE_LIST && from->n_children > 0)
        from = from->children[0];
    if (!mtfs_node_is_number(from))
        return MTFS_OK;
    mtfs_node *base = mtfs_calloc(1, sizeof *base);
    if (!base || !(base->name = mtfs_strdup("base_amount")) || mtfs_cfg_add_child(dst, base) != 0) {
        mtfs_cfg_node_free(base);
        return MTFS_ENOMEM;
    }
    base->type = from->type;
    base->integer = from->integer;
    base->number = from->number;
    base->file = from->file;
    base->line = from->line;
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
            if (mtfs_cfg_add_child(dst, s) != 0)
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
                mtfs_cfg_node_free(s);
            } else if (strcmp(path, "grants") == 0 && strcmp(s->name, "amount") == 0 &&
                       s->type == MTFS_NODE_LIST && !mtfs_node_get(dst, "base_amount")) {
                /* A grant switched to a list of amounts keeps the base-year
                 * amount it inherits (docs/scenario-format.md): the base year
                 * is an approved budget, which no projection method moves.
                 * A base_amount of the derived file, before or after its
                 * amount, still wins. */
                mtfs_status st = keep_base_amount(dst, d);
                mtfs_cfg_node_free(d);
                dst->children[j] = s;
                if (st != MTFS_OK)
                    return st;
            } else {
                mtfs_cfg_node_free(d);
                dst->children[j] = s;
            }
        }
        src->children[i] = NULL;
    }
    src->n_children = 0;
    return MTFS_OK;
}


static mtfs_status parse_file(loader *L, const char *path, const char *from_file, int from_line,
                              mtfs_node **out, mtfs_error *err)
{
    *out = NULL;
    /* Every output names its input files as text (JSON needs UTF-8), so a
     * name that is not UTF-8 is refused here, where validate sees it too. */
    if (!mtfs_cfg_valid_utf8(path)) {
        if (from_file)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "names a file whose name is not valid UTF-8 (expected a UTF-8 "
                                  "name: rename the file)");
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "the file name is not valid UTF-8 (expected a UTF-8 name: rename "
                              "the file)");
    }
    if (L->cache && from_file)
        return mtfs_cfg_parse_cached(L, path, from_file, from_line, out, err);
    char dir[PATH_MAX];
    expander E;
    const char *file;
    mtfs_status st = mtfs_cfg_expand_path(L->config, path, from_file, from_line, dir, sizeof dir, &E, &file, err);
    if (st != MTFS_OK)
        return st;
    return mtfs_cfg_parse_expanded(&E, file, 0, out, err);
}

/* ------------------------------------------------------------------ */
/* remove = [ ... ]: taking inherited settings away                     */

/* The names a group's children (or a keyed list's elements) answer to,
 * for a suggestion; *n of them, in a new array the caller frees. */
static const char **names_of(const mtfs_node *n, const char *field, size_t *count)
{
    const char **names = mtfs_calloc(n->n_children + 1, sizeof *names);
    *count = 0;
    for (size_t i = 0; names && i < n->n_children; i++) {
        const char *name = field ? text_of(n->children[i], field) : n->children[i]->name;
        if (name)
            names[(*count)++] = name;
    }
    return names;
}

/* Take the setting at dotted `path` ("council_tax.asc", "services.adults",
 * "services.adults.savings", "grants.new homes bonus") out of the
 * inherited tree `root`.  A service or grant is named whole, dots and all,
 * so "grants.a.b" is grant "a.b" when there is one.  Fails, naming the
 * nearest that exists, when nothing is there. */
static mtfs_status remove_path(mtfs_node *root, const mtfs_node *entry, mtfs_error *err)
{
    const char *path = entry->text;
    mtfs_node *at = root;
    char done[512] = "";   /* the part of the path found so far */
    const char *rest = path;
    while (*rest) {
        const char *field = keyed_field(done);
        size_t len = 0, index = 0;
        int found = 0;
        if (field && at->type == MTFS_NODE_LIST) {
            /* The longest element name the rest of the path starts with. */
            for (size_t i = 0; i < at->n_children; i++) {
                const char *name = text_of(at->children[i], field);
                size_t l = name ? strlen(name) : 0;
                if (name && l > len && strncmp(rest, name, l) == 0 && (rest[l] == '.' || !rest[l])) {
                    len = l;
                    index = i;
                    found = 1;
                }
            }
        } else if (at->type == MTFS_NODE_GROUP) {
            len = strcspn(rest, ".");
            for (size_t i = 0; i < at->n_children && !found; i++)
                if (strlen(at->children[i]->name) == len && strncmp(at->children[i]->name, rest, len) == 0) {
                    index = i;
                    found = 1;
                }
        }
        if (!found) {
            /* Name the first part not found, and suggest the nearest that
             * is there, keeping what the user wrote after it. */
            size_t n = 0, first = strcspn(rest, ".");
            const char **names = at->type == MTFS_NODE_GROUP || at->type == MTFS_NODE_LIST
                                     ? names_of(at, field, &n) : NULL;
            const char *near = names && field ? mtfs_nearest(rest, names, n) : NULL, *tail = "";
            if (!near && names) {
                char word[256];
                snprintf(word, sizeof word, "%.*s", (int)first, rest);
                near = mtfs_nearest(word, names, n);
                tail = rest + first;
            }
            char hint[700] = "", missing[700], at_path[600] = "";
            if (near)
                snprintf(hint, sizeof hint, "did you mean '%s%s%s%s'? ", done, done[0] ? "." : "", near, tail);
            snprintf(missing, sizeof missing, "%s%s%.*s", done, done[0] ? "." : "",
                     field ? (int)strlen(rest) : (int)first, rest);
            if (strcmp(missing, path) != 0)
                snprintf(at_path, sizeof at_path, " at '%s'", path);
            mtfs_status st = mtfs_error_set(err, MTFS_EINPUT, entry->file, entry->line, "remove",
                                            "nothing to remove%s: the inherited files have no '%s' (%sexpected "
                                            "a key, service or grant the base gives)", at_path, missing, hint);
            mtfs_free(names);
            return st;
        }
        mtfs_node *child = at->children[index];
        size_t used = strlen(done);
        snprintf(done + used, sizeof done - used, "%s%.*s", used ? "." : "", (int)len, rest);
        rest += len;
        if (*rest == '.' && !*++rest)
            break;   /* "services.": a path ends with a name */
        if (!*rest) {
            mtfs_cfg_node_free(child);
            memmove(at->children + index, at->children + index + 1,
                    (at->n_children - index - 1) * sizeof *at->children);
            at->n_children--;
            return MTFS_OK;
        }
        at = child;
    }
    return mtfs_error_set(err, MTFS_EINPUT, entry->file, entry->line, "remove",
                          "'%s' names nothing (expected a key, service or grant the base gives, e.g. "
                          "\"council_tax.asc\")", path);
}

/* Apply the derived file's `remove` list to the inherited tree: every
 * entry is tried, each that matches nothing recorded in L->errors, the
 * first in err. */
static mtfs_status remove_inherited(loader *L, mtfs_node *inherited, const mtfs_node *remove,
                                    mtfs_error *err)
{
    const char *expected = "a list of settings to take from the base, e.g. remove = "
                           "[\"council_tax.asc\", \"grants.new homes bonus\"]";
    if (remove->type == MTFS_NODE_STRING)
        return remove_path(inherited, remove, err);
    if (remove->type != MTFS_NODE_LIST)
        return mtfs_error_set(err, MTFS_EINPUT, remove->file, remove->line, "remove", "found %s (expected %s)",
                              mtfs_node_type_name(remove), expected);
    mtfs_status st = MTFS_OK;
    for (size_t i = 0; i < remove->n_children; i++) {
        const mtfs_node *e = remove->children[i];
        mtfs_error why;
        mtfs_status one = e->type == MTFS_NODE_STRING
                              ? remove_path(inherited, e, &why)
                              : mtfs_error_set(&why, MTFS_EINPUT, e->file, e->line, "remove",
                                               "entry %zu is %s (expected %s)", i + 1,
                                               mtfs_node_type_name(e), expected);
        if (one == MTFS_OK)
            continue;
        mtfs_error_list_add(L->errors, &why);
        if (st == MTFS_OK && err)
            *err = why;
        if (st == MTFS_OK)
            st = one;
    }
    return st;
}

/* Take child `n` out of group `root` and free it. */
static void drop_child(mtfs_node *root, const mtfs_node *n)
{
    for (size_t i = 0; i < root->n_children; i++) {
        if (root->children[i] == n) {
            mtfs_cfg_node_free(root->children[i]);
            memmove(root->children + i, root->children + i + 1,
                    (root->n_children - i - 1) * sizeof *root->children);
            root->n_children--;
            return;
        }
    }
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
    const mtfs_node *remove = mtfs_node_get(root, "remove");
    if (!base && remove) {
        st = mtfs_error_set(err, MTFS_EINPUT, remove->file, remove->line, "remove",
                            "takes settings away from a base file, and this file has none (expected "
                            "base = \"...\" in this file, or no remove)");
        mtfs_cfg_node_free(root);
        return st;
    }
    if (!base) {
        *out = root;
        return MTFS_OK;
    }
    if (base->type != MTFS_NODE_STRING || base->text[0] == '\0') {
        st = mtfs_error_set(err, MTFS_EINPUT, base->file, base->line, "base",
                            "found %s (expected the name of a scenario file to inherit, "
                            "e.g. base = \"leics_2025_central.cfg\")",
                            base->type == MTFS_NODE_STRING ? "an empty string" : mtfs_node_type_name(base));
        mtfs_cfg_node_free(root);
        return st;
    }
    char dir[PATH_MAX], base_path[PATH_MAX];
    mtfs_dirname(path, dir, sizeof dir);
    mtfs_path_join(dir, base->text, base_path, sizeof base_path);

    if (!(L->chain[L->depth] = mtfs_strdup(canonical))) {
        mtfs_cfg_node_free(root);
        return mtfs_error_oom(err, path);
    }
    L->depth++;
    mtfs_node *parent = NULL;
    st = load_file(L, base_path, base->file, base->line, &parent, err);
    L->depth--;
    mtfs_free(L->chain[L->depth]);
    L->chain[L->depth] = NULL;
    if (st != MTFS_OK) {
        mtfs_cfg_node_free(root);
        return st;
    }

    /* What the file takes away goes first, so that it may give a removed
     * service anew. */
    if (remove && (st = remove_inherited(L, parent, remove, err)) != MTFS_OK) {
        mtfs_cfg_node_free(root);
        mtfs_cfg_node_free(parent);
        return st;
    }
    /* The base and remove keys have done their job; the merged tree must
     * not carry the parent's own either. */
    drop_child(root, base);
    if (remove)
        drop_child(root, remove);
    st = merge(parent, root, "");
    mtfs_cfg_node_free(root);
    if (st != MTFS_OK) {
        mtfs_cfg_node_free(parent);
        return mtfs_error_oom(err, path);
    }
    parent->file = NULL;
    *out = parent;
    return MTFS_OK;
}

mtfs_status mtfs_config_load(const char *path, mtfs_config **out, mtfs_error *err)
{
    return mtfs_config_load_all(path, out, err, NULL);
}

mtfs_status mtfs_config_load_all(const char *path, mtfs_config **out, mtfs_error *err,
                                 mtfs_error_list *errors)
{
    return mtfs_config_load_cached(path, NULL, out, err, errors);
}

mtfs_status mtfs_config_load_cached(const char *path, mtfs_parse_cache *cache, mtfs_config **out,
                                    mtfs_error *err, mtfs_error_list *errors)
{
    *out = NULL;
    loader L;
    memset(&L, 0, sizeof L);
    L.errors = errors;
    L.cache = cache;
    L.config = mtfs_calloc(1, sizeof *L.config);
    if (!L.config)
        return mtfs_error_oom(err, path);
    /* The named file is always first in the file table. */
    if (!mtfs_cfg_intern_file(L.config, path)) {
        mtfs_config_free(L.config);
        return mtfs_error_oom(err, path);
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
