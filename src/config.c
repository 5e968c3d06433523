/*
 * config.c - libconfig files to a merged, located mtfs_node tree.
 *
 * Inheritance: a file may say `base = "other.cfg"`.  The base is loaded
 * first (recursively) and the file is merged over it: groups merge key by
 * key, scalars and lists replace, and the top-level lists `services` and
 * `grants` merge element by element, matching on `name`.  Before the merge,
 * `remove = ["council_tax.asc", "grants.new homes bonus"];` takes keys,
 * services or grants out of what the file inherits.  @include is expanded
 * here (see "Reading a file for libconfig" below).
 */
#include "config.h"
#include "checked.h"
#include "mtfs/input.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHAIN_MAX 32

typedef struct {
    mtfs_config *config;
    char *chain[CHAIN_MAX];    /* canonical paths of the files being loaded */
    size_t depth;
    mtfs_error_list *errors;   /* every bad remove entry, or NULL */
    mtfs_parse_cache *cache;   /* base files parsed before, or NULL */
} loader;

static void node_free(mtfs_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_children; i++)
        node_free(n->children[i]);
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
    if (mtfs_grow(&c->files, &c->cap_files, c->n_files, sizeof *c->files, 4) != 0)
        return NULL;
    char *copy = mtfs_strdup(file);
    if (!copy)
        return NULL;
    c->files[c->n_files++] = copy;
    return copy;
}

static int add_child(mtfs_node *parent, mtfs_node *child)
{
    if (mtfs_grow(&parent->children, &parent->cap_children, parent->n_children,
                  sizeof *parent->children, 8) != 0)
        return -1;
    parent->children[parent->n_children++] = child;
    return 0;
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

/* Line `line` (from 1) of text, without its newline, into buf ("" if none). */
static void text_line(const char *text, int line, char *buf, size_t size)
{
    for (int i = 1; text && i < line; i++)
        text = (text = strchr(text, '\n')) ? text + 1 : NULL;
    size_t len = text ? strcspn(text, "\n") : 0;
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), text ? text : "");
}

/* What the source line of a plain "syntax error" most likely got wrong,
 * outside quoted text: a financial year written 2024/25, or a percentage
 * written 5%.  "" when neither. */
static const char *line_hint(const char *line)
{
    int quoted = 0;
    for (const char *c = line; *c && *c != '#'; c++) {
        if (*c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        if (isdigit((unsigned char)c[0]) && isdigit((unsigned char)c[1]) && isdigit((unsigned char)c[2]) &&
            isdigit((unsigned char)c[3]) && c[4] == '/' && isdigit((unsigned char)c[5]))
            return " (a financial year is written as the year it starts: 2024 for 2024/25)";
        if (*c == '%')
            return " (a percentage is written as a fraction: 0.05 for 5%)";
    }
    return "";
}

/* The one key set on a source line ("name" of "  name = 1;"), into buf, or
 * 0 when the line sets none or several. */
static int line_key(const char *line, char *buf, size_t size)
{
    int found = 0, quoted = 0;
    for (const char *c = line; *c && *c != '#'; c++) {
        if (*c == '"')
            quoted = !quoted;
        if (quoted || !(isalpha((unsigned char)*c) || *c == '*') || (c > line && (isalnum((unsigned char)c[-1]) ||
                                                                        c[-1] == '_' || c[-1] == '-')))
            continue;
        size_t n = strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-*");
        const char *after = c + n + strspn(c + n, " \t");
        if (*after == '=' || *after == ':') {
            if (found++)
                return 0;
            snprintf(buf, size, "%.*s", (int)n, c);
        }
        c += n - 1;
    }
    return found == 1;
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
            node_free(e);
        } else if (add_child(dst, e) != 0) {
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
    if (!base || !(base->name = mtfs_strdup("base_amount")) || add_child(dst, base) != 0) {
        node_free(base);
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
            } else if (strcmp(path, "grants") == 0 && strcmp(s->name, "amount") == 0 &&
                       s->type == MTFS_NODE_LIST && !mtfs_node_get(dst, "base_amount")) {
                /* A grant switched to a list of amounts keeps the base-year
                 * amount it inherits (docs/scenario-format.md): the base year
                 * is an approved budget, which no projection method moves.
                 * A base_amount of the derived file, before or after its
                 * amount, still wins. */
                mtfs_status st = keep_base_amount(dst, d);
                node_free(d);
                dst->children[j] = s;
                if (st != MTFS_OK)
                    return st;
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

/* Is text valid UTF-8 (checked.h has the one validator)? */
static int valid_utf8(const char *text)
{
    size_t n = strlen(text);
    return mtfs_utf8_prefix(text, n) == n;
}

/* ------------------------------------------------------------------ */
/* Reading a file for libconfig.
 *
 * libconfig 1.5 never sees a file name: mtfs reads each file itself
 * (mtfs_input_read: regular files only, never blocking, within the
 * --restrict folder), expands every @include itself, and hands libconfig
 * one string.  So nothing a file says can reach the scanner's own file
 * handling, which exits the process on a directory and blocks on a FIFO.
 * A small lexer mirrors libconfig's (comments, strings, the @include
 * directive at the start of a line) so a directive is recognised exactly
 * where libconfig would act on it.  On the way it checks what libconfig 1.5
 * reads wrongly without a word: a whole number beyond 32 bits without an L
 * suffix (read modulo 2^32) gets its L, so validation sees the true value;
 * one beyond 64 bits, or a decimal that overflows to infinity, is an
 * error.  Each line of the expanded text remembers the file and line it
 * came from, so every message still points into the file the user wrote. */

#define INCLUDE_DEPTH_MAX 10

typedef struct {
    const char *file;          /* interned in the config's file table */
    int line;
} origin;

typedef struct {
    mtfs_config *config;
    const char *dir;           /* @include names are relative to it */
    char *out;                 /* the expanded text */
    size_t len, cap;
    origin *lines;             /* origin of each line of out, from line 1 */
    size_t n_lines, cap_lines;
    mtfs_error *err;
} expander;

/* Room for `more` bytes and the NUL after them. */
static int out_reserve(expander *E, size_t more)
{
    while (E->len + more + 1 > E->cap)
        if (mtfs_grow(&E->out, &E->cap, E->cap, 1, 4096) != 0)
            return -1;
    return 0;
}

/* Record that the output line now ending came from file:line. */
static int end_line(expander *E, const char *file, int line)
{
    if (mtfs_grow(&E->lines, &E->cap_lines, E->n_lines, sizeof *E->lines, 256) != 0)
        return -1;
    E->lines[E->n_lines].file = file;
    E->lines[E->n_lines].line = line;
    E->n_lines++;
    return 0;
}

/* Append n bytes of one source line (no newline among them). */
static int emit(expander *E, const char *text, size_t n)
{
    if (out_reserve(E, n) != 0)
        return -1;
    memcpy(E->out + E->len, text, n);
    E->len += n;
    E->out[E->len] = '\0';
    return 0;
}

static int emit_newline(expander *E, const char *file, int line)
{
    return emit(E, "\n", 1) != 0 || end_line(E, file, line) != 0 ? -1 : 0;
}

static mtfs_status oom(expander *E, const char *file)
{
    return mtfs_error_oom(E->err, file);
}

static mtfs_status expand_file(expander *E, const char *path, const char *file, const char *what,
                               const mtfs_input_ref *from, int depth);

/* The @include directive at text (the start of a line, blanks allowed):
 * *consumed is set to its length including the line's end. */
static mtfs_status expand_include(expander *E, const char *text, const char *file, int line,
                                  int depth, size_t *consumed)
{
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    p += 8;   /* "@include" */
    while (*p == ' ' || *p == '\t')
        p++;
    const char *name = ++p;   /* past the opening quote */
    while (*p && *p != '"' && *p != '\\' && *p != '\n')
        p++;
    int n = (int)(p - name);
    if (*p == '\\') {
        while (p[0] && p[0] != '"' && p[0] != '\n')
            p += p[0] == '\\' && p[1] == '"' ? 2 : 1;
        n = (int)(p - name);
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include \"%.*s%s\" has a backslash (expected a plain file name)",
                              n > 60 ? 60 : n, name, n > 60 ? "..." : "");
    }
    if (*p != '"')
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include \"%.*s has no closing quote on its line (expected "
                              "@include \"file.cfg\")", n, name);
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p == '#' || (p[0] == '/' && p[1] == '/'))
        while (*p && *p != '\n')
            p++;
    if (*p && *p != '\n')
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include \"%.*s\" is followed by more on its line (expected the "
                              "directive on a line of its own)", n, name);
    *consumed = (size_t)(p - text) + (*p == '\n');
    if (n == 0)
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include \"\" names no file (expected @include \"file.cfg\")");
    if (depth >= INCLUDE_DEPTH_MAX)
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include \"%.*s\" nests more than %d files deep (expected "
                              "includes that end; does a file include itself?)", n, name,
                              INCLUDE_DEPTH_MAX);
    char relative[PATH_MAX], full[PATH_MAX];
    snprintf(relative, sizeof relative, "%.*s", n, name);
    mtfs_path_join(E->dir, relative, full, sizeof full);
    if (!valid_utf8(relative))
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include names a file whose name is not valid UTF-8 (expected a "
                              "UTF-8 name: every output records its inputs' names as text)");
    const char *interned = intern_file(E->config, full);
    if (!interned)
        return oom(E, file);
    mtfs_input_ref from = {file, line, NULL};
    mtfs_status st = expand_file(E, full, interned, "a file to include", &from, depth + 1);
    if (st == MTFS_EINPUT && E->err && strcmp(E->err->file, file) == 0 && E->err->line == line) {
        /* Say it with the name as the user wrote it: "'dir/lib' is a
         * directory" becomes "@include "lib" is a directory", and
         * "cannot open 'dir/x': why" becomes "@include "x": cannot open: why". */
        char message[MTFS_ERROR_MESSAGE_MAX];
        snprintf(message, sizeof message, "%s", E->err->message);
        size_t quoted = strlen(full) + 2;
        if (message[0] == '\'' && strlen(message) > quoted)
            mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL, "@include \"%s\"%s", relative,
                           message + quoted);
        else if (strncmp(message, "cannot open '", 13) == 0 && strlen(message) > 13 + quoted - 1)
            mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL, "@include \"%s\": cannot open%s",
                           relative, message + 12 + quoted);
    }
    return st;
}

static int is_name_start(int c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*'; }
static int is_name_char(int c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* A number token at text (libconfig's integer, integer64, hex, hex64 and
 * float): emit it, with an L added where libconfig 1.5 would otherwise
 * wrap it to 32 bits.  *consumed is its length. */
static mtfs_status expand_number(expander *E, const char *text, const char *file, int line,
                                 size_t *consumed)
{
    const char *p = text;
    char token[64];
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2])) {
        p += 2;
        while (*p == '0' && is_hex(p[1]))
            p++;
        const char *digits = p;
        while (is_hex(*p))
            p++;
        size_t n_digits = (size_t)(p - digits);
        int suffix = *p == 'L';
        size_t len = (size_t)(p - text) + (size_t)suffix + (suffix && p[1] == 'L');
        *consumed = len;
        if (n_digits > 16)
            return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                                  "whole number %.*s%s is too large (expected at most "
                                  "0x7FFFFFFFFFFFFFFF)", len > 40 ? 40 : (int)len, text,
                                  len > 40 ? "..." : "");
        unsigned long long v = strtoull(digits, NULL, 16);
        if (v > 0x7fffffffffffffffull)
            return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                                  "whole number %.*s is too large (expected at most "
                                  "0x7FFFFFFFFFFFFFFF)", (int)len, text);
        if (emit(E, text, len) != 0)
            return oom(E, file);
        if (!suffix && v > 0x7fffffffull && emit(E, "L", 1) != 0)
            return oom(E, file);
        return MTFS_OK;
    }
    if (*p == '-' || *p == '+')
        p++;
    int is_float = 0;
    while (is_digit(*p))
        p++;
    if (*p == '.') {
        is_float = 1;
        p++;
        while (is_digit(*p))
            p++;
    }
    if ((*p == 'e' || *p == 'E') &&
        (is_digit(p[1]) || ((p[1] == '-' || p[1] == '+') && is_digit(p[2])))) {
        is_float = 1;
        p += 2;
        while (is_digit(*p))
            p++;
    }
    size_t len = (size_t)(p - text);
    int suffix = !is_float && *p == 'L';
    *consumed = len + (size_t)suffix + (suffix && p[1] == 'L');
    int shown = len > 40 ? 40 : (int)len;
    const char *more = len > 40 ? "..." : "";
    if (len >= sizeof token) {
        if (!is_float)
            return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                                  "whole number %.*s%s is too large (expected at most "
                                  "9223372036854775807)", shown, text, more);
        /* A long decimal is fine unless it overflows; strtod reads it from
         * the text, which ends at a non-number character anyway. */
    } else {
        memcpy(token, text, len);
        token[len] = '\0';
    }
    errno = 0;
    if (is_float) {
        double x = strtod(len < sizeof token ? token : text, NULL);
        if (!isfinite(x) || (errno == ERANGE && fabs(x) > 1.0))
            return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                                  "number %.*s%s is too large (expected at most about 1.8e308)",
                                  shown, text, more);
        return emit(E, text, len) != 0 ? oom(E, file) : MTFS_OK;
    }
    long long v = strtoll(token, NULL, 10);
    if (errno == ERANGE)
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "whole number %s is too %s (expected %s9223372036854775807%s)", token,
                              v < 0 ? "small" : "large", v < 0 ? "at least -" : "at most ",
                              v < 0 ? "8" : "");
    if (emit(E, text, *consumed) != 0)
        return oom(E, file);
    if (!suffix && (v > INT_MAX || v < INT_MIN) && emit(E, "L", 1) != 0)
        return oom(E, file);
    return MTFS_OK;
}

typedef enum { LEX_CODE, LEX_COMMENT, LEX_STRING } lex_state;

/* Copy text (one file, NUL-free) into the expansion, following
 * libconfig's lexical states. */
static mtfs_status expand_text(expander *E, const char *text, const char *file, int depth)
{
    lex_state state = LEX_CODE;
    int line = 1, at_line_start = 1, opened = 0;
    const char *p = text;
    while (*p) {
        size_t n = 1;
        mtfs_status st = MTFS_OK;
        if (state == LEX_CODE) {
            const char *q = p;
            while (at_line_start && (*q == ' ' || *q == '\t'))
                q++;
            if (at_line_start && strncmp(q, "@include", 8) == 0 && (q[8] == ' ' || q[8] == '\t')) {
                const char *r = q + 8;
                while (*r == ' ' || *r == '\t')
                    r++;
                if (*r == '"') {
                    st = expand_include(E, p, file, line, depth, &n);
                    if (st != MTFS_OK)
                        return st;
                    p += n;
                    line++;
                    continue;
                }
            }
            if (p[0] == '/' && p[1] == '*') {
                state = LEX_COMMENT;
                opened = line;
                n = 2;
            } else if (*p == '"') {
                state = LEX_STRING;
                opened = line;
            } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
                while (p[n] && p[n] != '\n')
                    n++;
            } else if (is_name_start((unsigned char)*p)) {
                while (is_name_char((unsigned char)p[n]))
                    n++;
            } else if (is_digit((unsigned char)*p) ||
                       ((*p == '-' || *p == '+') && (is_digit((unsigned char)p[1]) ||
                                                    (p[1] == '.' && is_digit((unsigned char)p[2])))) ||
                       (*p == '.' && is_digit((unsigned char)p[1]))) {
                st = expand_number(E, p, file, line, &n);
                if (st != MTFS_OK)
                    return st;
                p += n;
                at_line_start = 0;
                continue;
            }
        } else if (state == LEX_COMMENT) {
            if (p[0] == '*' && p[1] == '/') {
                state = LEX_CODE;
                n = 2;
            }
        } else if (*p == '\\' && p[1]) {
            n = p[1] == '\n' ? 1 : 2;   /* a newline is counted below */
        } else if (*p == '"') {
            state = LEX_CODE;
        }
        /* Copy the n bytes, ending lines where the source does. */
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '\n') {
                if (emit_newline(E, file, line) != 0)
                    return oom(E, file);
                line++;
            } else if (emit(E, p + i, 1) != 0) {
                return oom(E, file);
            }
        }
        at_line_start = p[n - 1] == '\n';
        p += n;
    }
    if (depth > 0 && state != LEX_CODE)
        return mtfs_error_set(E->err, MTFS_EINPUT, file, opened, NULL,
                              "%s opened here is not closed by the end of this included file "
                              "(expected %s)", state == LEX_COMMENT ? "a /* comment" : "a string",
                              state == LEX_COMMENT ? "*/" : "a closing quote");
    /* The last line, and a line break so the next file starts a line. */
    if (E->len == 0 || E->out[E->len - 1] != '\n')
        if (emit_newline(E, file, line) != 0)
            return oom(E, file);
    return MTFS_OK;
}

static mtfs_status expand_file(expander *E, const char *path, const char *file, const char *what,
                               const mtfs_input_ref *from, int depth)
{
    char *text;
    size_t len;
    mtfs_status st = mtfs_input_read(path, what, from, &text, &len, E->err);
    if (st != MTFS_OK)
        return st;
    /* Editors on Windows save UTF-16 ("Unicode") or UTF-8 with a byte-order
     * mark: the first is refused by name, the second's mark is skipped. */
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        mtfs_free(text);
        return mtfs_error_set(E->err, MTFS_EINPUT, file, 1, NULL,
                              "is UTF-16 text (expected UTF-8: save the file as UTF-8)");
    }
    size_t skip = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
    /* A text file has no NUL byte; libconfig would stop reading at one. */
    size_t visible = strlen(text);
    if (visible != len) {
        int line = 1;
        for (size_t i = 0; i < visible; i++)
            line += text[i] == '\n';
        mtfs_free(text);
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "contains a NUL byte (expected a text file)");
    }
    st = expand_text(E, text + skip, file, depth);
    mtfs_free(text);
    return st;
}

/* The file and line that line `line` of the expansion came from. */
static origin origin_of(const expander *E, int line, const char *fallback)
{
    origin o = {fallback, line};
    if (line >= 1 && (size_t)line <= E->n_lines)
        o = E->lines[line - 1];
    else if (E->n_lines > 0 && line > 0)
        o = E->lines[E->n_lines - 1];
    return o;
}

/* Convert one libconfig setting (and its children) into *out, located
 * through the expansion's line map.  Fails on a string that is not UTF-8
 * (every writer, JSON first, needs text) and when out of memory. */
static mtfs_status convert(expander *E, const config_setting_t *s, const char *top_file,
                           mtfs_node **out)
{
    *out = NULL;
    mtfs_node *n = mtfs_calloc(1, sizeof *n);
    if (!n)
        return oom(E, top_file);
    origin o = origin_of(E, (int)config_setting_source_line(s), top_file);
    n->file = o.file;
    n->line = config_setting_source_line(s) ? o.line : 0;
    if (s->name && !(n->name = mtfs_strdup(s->name)))
        goto fail_oom;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY: {
        n->type = config_setting_type(s) == CONFIG_TYPE_GROUP ? MTFS_NODE_GROUP : MTFS_NODE_LIST;
        int len = config_setting_length(s);
        for (int i = 0; i < len; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            mtfs_node *child;
            mtfs_status st = convert(E, e, top_file, &child);
            if (st != MTFS_OK) {
                node_free(n);
                return st;
            }
            /* Array elements carry no line of their own in libconfig 1.5. */
            if (child->line == 0) {
                child->file = n->file;
                child->line = n->line;
            }
            if (add_child(n, child) != 0) {
                node_free(child);
                goto fail_oom;
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
    case CONFIG_TYPE_STRING: {
        n->type = MTFS_NODE_STRING;
        const char *text = config_setting_get_string(s);
        if (!valid_utf8(text)) {
            mtfs_status st = mtfs_error_set(E->err, MTFS_EINPUT, n->file, n->line, s->name,
                                            "text is not valid UTF-8 (expected UTF-8 text: save "
                                            "the file as UTF-8)");
            node_free(n);
            return st;
        }
        if (!(n->text = mtfs_strdup(text)))
            goto fail_oom;
        break;
    }
    default:
        n->type = MTFS_NODE_GROUP;
        break;
    }
    *out = n;
    return MTFS_OK;
fail_oom:
    node_free(n);
    return oom(E, top_file);
}

/* Parse an expansion into a node tree; frees E's line map, and its text
 * unless keep_text (then the caller owns E->out). */
static mtfs_status parse_expanded(expander *E, const char *file, int keep_text, mtfs_node **out,
                                  mtfs_error *err)
{
    mtfs_status st = MTFS_OK;
    config_t cfg;
    config_init(&cfg);
    /* No directive is left in the text; should one ever get through, it
     * names a path under /dev/null, which cannot be opened. */
    config_set_include_dir(&cfg, "/dev/null");
    if (config_read_string(&cfg, E->out) != CONFIG_TRUE) {
        const char *text = config_error_text(&cfg);
        origin o = origin_of(E, config_error_line(&cfg), file);
        char line[256], key[64];
        text_line(E->out, config_error_line(&cfg), line, sizeof line);
        if ((!text || strcmp(text, "syntax error") == 0) && *line_hint(line))
            st = mtfs_error_set(err, MTFS_EINPUT, o.file, o.line, NULL, "syntax error%s", line_hint(line));
        else if (!text || strcmp(text, "syntax error") == 0)
            st = mtfs_error_set(err, MTFS_EINPUT, o.file, o.line, NULL,
                                "syntax error (check for a missing or extra bracket, brace, "
                                "quote or semicolon on or before this line)");
        else if (strstr(text, "duplicate setting") && line_key(line, key, sizeof key))
            st = mtfs_error_set(err, MTFS_EINPUT, o.file, o.line, key,
                                "set twice in the same group (expected each key once: remove one)");
        else
            st = mtfs_error_set(err, MTFS_EINPUT, o.file, o.line, NULL, "syntax error: %s%s", text,
                                syntax_hint(text));
    } else {
        st = convert(E, config_root_setting(&cfg), file, out);
    }
    config_destroy(&cfg);
    if (!keep_text || st != MTFS_OK) {
        mtfs_free(E->out);
        E->out = NULL;
    }
    mtfs_free(E->lines);
    E->lines = NULL;
    if (st != MTFS_OK)
        return st;
    (*out)->line = 1;
    return MTFS_OK;
}

/* Read `path` (and its @includes) into the expansion E, whose file table
 * is c; *file is path's name in c. */
static mtfs_status expand_path(mtfs_config *c, const char *path, const char *from_file, int from_line,
                               char *dir, size_t dir_size, expander *E, const char **file, mtfs_error *err)
{
    if (!(*file = intern_file(c, path)))
        return mtfs_error_oom(err, path);
    mtfs_dirname(path, dir, dir_size);
    *E = (expander){.config = c, .dir = dir, .err = err};
    mtfs_input_ref from = {from_file, from_line, "base"};
    mtfs_status st = expand_file(E, path, *file, "a scenario file", from_file ? &from : NULL, 0);
    if (st != MTFS_OK) {
        mtfs_free(E->out);
        mtfs_free(E->lines);
        E->out = NULL;
        E->lines = NULL;
    }
    return st;
}

/* ---- The parse cache (batch: each distinct base file parsed once) -------
 *
 * An entry is a base file's name as written, its expanded text (so the
 * @included files' content is part of the key), the files the parse
 * named, in the order it named them, and the parsed tree.  A hit needs the
 * same name and byte-identical text: the file is still read and expanded
 * every time (so an edit, an include's edit and --restrict all count), only
 * libconfig's parse and the conversion are saved.  Trees are copied out,
 * never lent: the merge changes the tree it is given. */

#define PARSE_CACHE_MAX 64

typedef struct {
    char *path;
    char *text;             /* the expansion */
    size_t len;
    char *raw;              /* the file's own bytes, when it has no @include */
    size_t raw_len;
    size_t *origins;        /* per line of text: its file's index in files, and its line */
    size_t n_lines;
    mtfs_config *files;     /* its file table, and root: the parsed tree */
} cache_entry;

struct mtfs_parse_cache {
    cache_entry entries[PARSE_CACHE_MAX];
    size_t n;
    size_t hits, misses;
};

mtfs_parse_cache *mtfs_parse_cache_new(void)
{
    return mtfs_calloc(1, sizeof(mtfs_parse_cache));
}

void mtfs_parse_cache_free(mtfs_parse_cache *cache)
{
    for (size_t i = 0; cache && i < cache->n; i++) {
        mtfs_free(cache->entries[i].path);
        mtfs_free(cache->entries[i].text);
        mtfs_free(cache->entries[i].raw);
        mtfs_free(cache->entries[i].origins);
        mtfs_config_free(cache->entries[i].files);
    }
    mtfs_free(cache);
}

size_t mtfs_parse_cache_hits(const mtfs_parse_cache *cache)
{
    return cache ? cache->hits : 0;
}

/* A copy of tree n whose file names are those of `to` (from[i] in the
 * source table is to[i]).  With `borrow`, the copy's names and texts are
 * n's own (n is a cached tree that outlives the copy: a batch copies its
 * base thousands of times, and nothing changes a name or a text in place),
 * otherwise copies of them. */
static mtfs_node *node_copy(const mtfs_node *n, char *const *from, const char **to, size_t n_files,
                            int borrow)
{
    mtfs_node *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->type = n->type;
    c->integer = n->integer;
    c->number = n->number;
    c->line = n->line;
    for (size_t i = 0; i < n_files && n->file; i++)
        if (from[i] == n->file)
            c->file = to[i];
    int ok = 1;
    if (borrow) {
        c->borrowed = 1;
        c->name = n->name;
        c->text = n->text;
    } else {
        ok = (!n->name || (c->name = mtfs_strdup(n->name))) && (!n->text || (c->text = mtfs_strdup(n->text)));
    }
    if (ok && n->n_children) {
        ok = (c->children = mtfs_calloc(n->n_children, sizeof *c->children)) != NULL;
        c->cap_children = ok ? n->n_children : 0;
        for (size_t i = 0; ok && i < n->n_children; i++) {
            ok = (c->children[i] = node_copy(n->children[i], from, to, n_files, borrow)) != NULL;
            if (ok)
                c->n_children++;
        }
    }
    if (!ok) {
        node_free(c);
        return NULL;
    }
    return c;
}

/* The entry's tree, copied into the loader's config (its files named
 * there in the entry's order, as a fresh parse would name them); with
 * `borrow` (an entry the cache keeps), sharing the entry's strings. */
static mtfs_status copy_entry(loader *L, const cache_entry *e, const char *path, mtfs_node **out,
                              int borrow, mtfs_error *err)
{
    const mtfs_config *f = e->files;
    const char *to_small[8];
    const char **to = f->n_files <= 8 ? to_small : mtfs_calloc(f->n_files, sizeof *to);
    if (!to)
        return mtfs_error_oom(err, path);
    int ok = 1;
    for (size_t i = 0; ok && i < f->n_files; i++)
        ok = (to[i] = intern_file(L->config, f->files[i])) != NULL;
    if (ok)
        ok = (*out = node_copy(f->root, f->files, to, f->n_files, borrow)) != NULL;
    if (to != to_small)
        mtfs_free((void *)to);
    return ok ? MTFS_OK : mtfs_error_oom(err, path);
}

/* An expansion's line map as (file index in c, line) pairs; NULL: out of
 * memory. */
static size_t *origins_of(const expander *E, const mtfs_config *c)
{
    size_t *o = mtfs_malloc((2 * E->n_lines + 1) * sizeof *o);
    for (size_t i = 0; o && i < E->n_lines; i++) {
        o[2 * i] = SIZE_MAX;
        for (size_t k = 0; k < c->n_files; k++)
            if (c->files[k] == E->lines[i].file)
                o[2 * i] = k;
        o[2 * i + 1] = (size_t)E->lines[i].line;
    }
    return o;
}

/* Same text is not enough: the same bytes may come from other files (a
 * base that took in what it used to include), and then the tree's
 * locations differ.  Same files, in the same order, and the same map. */
static int same_origins(const cache_entry *e, const mtfs_config *c, const size_t *origins, size_t n_lines)
{
    if (e->files->n_files != c->n_files || e->n_lines != n_lines)
        return 0;
    for (size_t k = 0; k < c->n_files; k++)
        if (strcmp(e->files->files[k], c->files[k]) != 0)
            return 0;
    return memcmp(e->origins, origins, 2 * n_lines * sizeof *origins) == 0;
}

static mtfs_status parse_cached(loader *L, const char *path, const char *from_file, int from_line,
                                mtfs_node **out, mtfs_error *err)
{
    mtfs_parse_cache *cache = L->cache;
    /* A file without @include is known by its own bytes: no expansion. */
    char *raw = NULL;
    size_t raw_len = 0;
    mtfs_input_ref from = {from_file, from_line, "base"};
    mtfs_status st = mtfs_input_read(path, "a scenario file", &from, &raw, &raw_len, err);
    if (st != MTFS_OK)
        return st;
    for (size_t i = 0; i < cache->n; i++) {
        const cache_entry *e = &cache->entries[i];
        if (e->raw && e->raw_len == raw_len && strcmp(e->path, path) == 0 &&
            memcmp(e->raw, raw, raw_len) == 0) {
            mtfs_free(raw);
            cache->hits++;
            return copy_entry(L, e, path, out, 1, err);
        }
    }
    mtfs_config *scratch = mtfs_calloc(1, sizeof *scratch);
    if (!scratch) {
        mtfs_free(raw);
        return mtfs_error_oom(err, path);
    }
    char dir[PATH_MAX];
    expander E;
    const char *file;
    if ((st = expand_path(scratch, path, from_file, from_line, dir, sizeof dir, &E, &file, err)) != MTFS_OK) {
        mtfs_free(raw);
        mtfs_config_free(scratch);
        return st;
    }
    size_t *origins = origins_of(&E, scratch), n_lines = E.n_lines;
    for (size_t i = 0; origins && i < cache->n; i++) {
        const cache_entry *e = &cache->entries[i];
        if (e->len == E.len && strcmp(e->path, path) == 0 && memcmp(e->text, E.out, E.len) == 0 &&
            same_origins(e, scratch, origins, n_lines)) {
            mtfs_free(raw);
            mtfs_free(origins);
            mtfs_free(E.out);
            mtfs_free(E.lines);
            mtfs_config_free(scratch);
            cache->hits++;
            return copy_entry(L, e, path, out, 1, err);
        }
    }
    cache->misses++;
    if ((st = parse_expanded(&E, file, 1, &scratch->root, err)) != MTFS_OK) {
        mtfs_free(raw);
        mtfs_free(origins);
        mtfs_config_free(scratch);
        return st;
    }
    /* Only the file itself was named: it has no @include. */
    int alone = scratch->n_files == 1;
    cache_entry e = {mtfs_strdup(path), E.out, E.len, alone ? raw : NULL, alone ? raw_len : 0,
                     origins, n_lines, scratch};
    if (!alone)
        mtfs_free(raw);
    /* An entry the cache keeps lends its strings to the copy; one it
     * cannot keep (full, or out of memory) is freed below, so the copy
     * owns its own. */
    int keep = e.path && e.origins && cache->n < PARSE_CACHE_MAX;
    st = copy_entry(L, &e, path, out, keep, err);
    if (st == MTFS_OK && keep) {
        cache->entries[cache->n++] = e;
        return MTFS_OK;
    }
    mtfs_free(e.path);
    mtfs_free(e.text);
    mtfs_free(e.raw);
    mtfs_free(e.origins);
    mtfs_config_free(scratch);
    return st;
}

static mtfs_status parse_file(loader *L, const char *path, const char *from_file, int from_line,
                              mtfs_node **out, mtfs_error *err)
{
    *out = NULL;
    /* Every output names its input files as text (JSON needs UTF-8), so a
     * name that is not UTF-8 is refused here, where validate sees it too. */
    if (!valid_utf8(path)) {
        if (from_file)
            return mtfs_error_set(err, MTFS_EINPUT, from_file, from_line, "base",
                                  "names a file whose name is not valid UTF-8 (expected a UTF-8 "
                                  "name: rename the file)");
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "the file name is not valid UTF-8 (expected a UTF-8 name: rename "
                              "the file)");
    }
    if (L->cache && from_file)
        return parse_cached(L, path, from_file, from_line, out, err);
    char dir[PATH_MAX];
    expander E;
    const char *file;
    mtfs_status st = expand_path(L->config, path, from_file, from_line, dir, sizeof dir, &E, &file, err);
    if (st != MTFS_OK)
        return st;
    return parse_expanded(&E, file, 0, out, err);
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
            node_free(child);
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
            node_free(root->children[i]);
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
        node_free(root);
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
        node_free(root);
        return st;
    }
    char dir[PATH_MAX], base_path[PATH_MAX];
    mtfs_dirname(path, dir, sizeof dir);
    mtfs_path_join(dir, base->text, base_path, sizeof base_path);

    if (!(L->chain[L->depth] = mtfs_strdup(canonical))) {
        node_free(root);
        return mtfs_error_oom(err, path);
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

    /* What the file takes away goes first, so that it may give a removed
     * service anew. */
    if (remove && (st = remove_inherited(L, parent, remove, err)) != MTFS_OK) {
        node_free(root);
        node_free(parent);
        return st;
    }
    /* The base and remove keys have done their job; the merged tree must
     * not carry the parent's own either. */
    drop_child(root, base);
    if (remove)
        drop_child(root, remove);
    st = merge(parent, root, "");
    node_free(root);
    if (st != MTFS_OK) {
        node_free(parent);
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
    if (!intern_file(L.config, path)) {
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
