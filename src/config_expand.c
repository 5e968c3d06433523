/*
 * config_expand.c - reading one scenario file for libconfig.
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
 * came from, so every message still points into the file the user wrote.
 *
 * Then libconfig parses the text and the result is converted into a
 * located mtfs_node tree (the hints below make its terse syntax errors
 * say what to do).  This is the only file that includes libconfig.
 */
#include "config_int.h"
#include "checked.h"
#include "mtfs/input.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mtfs_cfg_valid_utf8(const char *text)
{
    size_t n = strlen(text);
    return mtfs_utf8_prefix(text, n) == n;
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

#define INCLUDE_DEPTH_MAX 10

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
    if (!mtfs_cfg_valid_utf8(relative))
        return mtfs_error_set(E->err, MTFS_EINPUT, file, line, NULL,
                              "@include names a file whose name is not valid UTF-8 (expected a "
                              "UTF-8 name: every output records its inputs' names as text)");
    const char *interned = mtfs_cfg_intern_file(E->config, full);
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
                mtfs_cfg_node_free(n);
                return st;
            }
            /* Array elements carry no line of their own in libconfig 1.5. */
            if (child->line == 0) {
                child->file = n->file;
                child->line = n->line;
            }
            if (mtfs_cfg_add_child(n, child) != 0) {
                mtfs_cfg_node_free(child);
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
        if (!mtfs_cfg_valid_utf8(text)) {
            mtfs_status st = mtfs_error_set(E->err, MTFS_EINPUT, n->file, n->line, s->name,
                                            "text is not valid UTF-8 (expected UTF-8 text: save "
                                            "the file as UTF-8)");
            mtfs_cfg_node_free(n);
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
    mtfs_cfg_node_free(n);
    return oom(E, top_file);
}

/* Parse an expansion into a node tree; frees E's line map, and its text
 * unless keep_text (then the caller owns E->out). */
mtfs_status mtfs_cfg_parse_expanded(expander *E, const char *file, int keep_text, mtfs_node **out,
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
mtfs_status mtfs_cfg_expand_path(mtfs_config *c, const char *path, const char *from_file,
                                 int from_line, char *dir, size_t dir_size, expander *E,
                                 const char **file, mtfs_error *err)
{
    if (!(*file = mtfs_cfg_intern_file(c, path)))
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
