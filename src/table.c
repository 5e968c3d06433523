/*
 * table.c - CSV data tables (see mtfs/table.h).
 *
 * The whole file is read into memory and split in place: quoted fields may
 * hold commas, doubled quotes and line breaks; CRLF line ends are accepted.
 * Every cell must be UTF-8, and a NUL byte is an error.  Numbers are checked
 * against a kind of value when a calculation reads them (mtfs_table_value),
 * and messages quote at most the one offending cell, cut short.
 */
#include "mtfs/table.h"
#include "mtfs/input.h"
#include "checked.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mtfs_table {
    char *text;             /* the file, with fields terminated in place */
    char **cells;           /* (rows + 1) x columns: the header first */
    int *lines;             /* file line of each row */
    size_t rows, columns;
    char path[4096];
};

/* ---------------------------------------------------------------------- */
/* Text                                                                    */

/* Bytes in the UTF-8 sequence at p (at most `left`), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
        (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

size_t mtfs_utf8_prefix(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence(p + i, len - i);
        if (!n)
            break;
        i += n;
    }
    return i;
}

char *mtfs_excerpt(const char *text, char *buf, size_t size)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t j = 0, chars = 0, left = strlen(text);
    if (size == 0)
        return buf;
    while (*p && chars < MTFS_EXCERPT_CHARS) {
        size_t n = utf8_sequence(p, left);
        if (n <= 1 || j + n + 4 >= size) {
            /* One byte: shown as it is when printable ASCII, else '?'. */
            if (j + 5 >= size)
                break;
            buf[j++] = n == 1 && *p >= 0x20 && *p != 0x7F ? (char)*p : '?';
            n = 1;
        } else {
            memcpy(buf + j, p, n);
            j += n;
        }
        p += n;
        left -= n;
        chars++;
    }
    if (*p && j + 3 < size) {
        memcpy(buf + j, "...", 3);
        j += 3;
    }
    buf[j] = '\0';
    return buf;
}

void mtfs_table_free(mtfs_table *t)
{
    if (!t)
        return;
    mtfs_free(t->text);
    mtfs_free(t->cells);
    mtfs_free(t->lines);
    mtfs_free(t);
}

/* Line of byte `at` of text (1 for the first). */
static int line_of(const char *text, const char *at)
{
    int line = 1;
    for (const char *c = text; c < at; c++)
        line += *c == '\n';
    return line;
}

/* A field that is not UTF-8: located at the line of its first bad byte,
 * naming its column (the header's own fields by number). */
static mtfs_status not_utf8(const mtfs_table *t, const char *field, size_t bad, int field_line,
                            size_t index, mtfs_error *err)
{
    int line = field_line;
    for (size_t k = 0; k < bad; k++)
        line += field[k] == '\n';
    char name[4 * MTFS_EXCERPT_CHARS + 8];
    if (t->columns == 0 || index >= t->columns)
        return mtfs_error_set(err, MTFS_EINPUT, t->path, line, NULL,
                              "field %zu: text is not valid UTF-8 (expected UTF-8 text: save the "
                              "file as UTF-8)", index + 1);
    return mtfs_error_set(err, MTFS_EINPUT, t->path, line, NULL,
                          "column '%s': text is not valid UTF-8 (expected UTF-8 text: save the "
                          "file as UTF-8)", mtfs_excerpt(t->cells[index], name, sizeof name));
}

static mtfs_status parse(mtfs_table *t, size_t len, mtfs_table **out, mtfs_error *err);

mtfs_status mtfs_table_load(const char *path, mtfs_table **out, mtfs_error *err)
{
    return mtfs_table_load_from(path, NULL, out, err);
}

mtfs_status mtfs_table_load_from(const char *path, const mtfs_input_ref *from, mtfs_table **out,
                                 mtfs_error *err)
{
    *out = NULL;
    mtfs_table *t = mtfs_calloc(1, sizeof *t);
    if (!t)
        return mtfs_error_oom(err, path);
    snprintf(t->path, sizeof t->path, "%s", path);
    size_t len = 0;
    mtfs_status st = mtfs_input_read(path, "a CSV data file", from, &t->text, &len, err);
    if (st != MTFS_OK) {
        mtfs_table_free(t);
        return st;
    }
    return parse(t, len, out, err);
}

mtfs_status mtfs_table_parse(const char *name, const char *text, size_t len, mtfs_table **out,
                             mtfs_error *err)
{
    *out = NULL;
    mtfs_table *t = mtfs_calloc(1, sizeof *t);
    if (!t || !(t->text = mtfs_malloc(len + 1))) {
        mtfs_free(t);
        return mtfs_error_oom(err, name);
    }
    snprintf(t->path, sizeof t->path, "%s", name);
    memcpy(t->text, text, len);
    t->text[len] = '\0';
    return parse(t, len, out, err);
}

/* Split t->text (len bytes, NUL-terminated) in place into t; on failure
 * release t.  Errors are located in t->path. */
static mtfs_status parse(mtfs_table *t, size_t len, mtfs_table **out, mtfs_error *err)
{
    const char *path = t->path;
    mtfs_status st = MTFS_OK;
    const char *nul = st == MTFS_OK ? memchr(t->text, '\0', len) : NULL;
    if (nul)
        st = mtfs_error_set(err, MTFS_EINPUT, path, line_of(t->text, nul), NULL,
                            "contains a NUL byte (expected a CSV text file)");
    size_t cap = 0, n_cells = 0, n_lines_cap = 0, fields = 0;
    int line = 1, row_line = 1;
    char *p = t->text, *w;
    /* A spreadsheet's "CSV UTF-8" starts with a byte-order mark: not part
     * of the first column's name. */
    if (st == MTFS_OK && p && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (st == MTFS_OK && p && *p) {
        /* One field, unquoted in place; w writes the unescaped text. */
        char *start = p;
        int field_line = line;
        w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') {
                    /* At the line the quote opened on, not where the file ends. */
                    st = mtfs_error_set(err, MTFS_EINPUT, path, field_line, NULL,
                                        "a quoted field is not closed (expected a closing \")");
                    break;
                }
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    if (*p == '\n')
                        line++;
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                *w++ = *p++;
        }
        if (st != MTFS_OK)
            break;
        char end = *p;
        if (end == '\r' && p[1] == '\n')
            p++, end = '\n';
        if (end && end != ',' && end != '\n') {
            st = mtfs_error_set(err, MTFS_EINPUT, path, line, NULL,
                                "unexpected text after a quoted field (expected , or a line end)");
            break;
        }
        /* Step past the delimiter before ending the field: for an unquoted
         * field the terminator goes where the delimiter was. */
        if (*p)
            p++;
        *w = '\0';
        size_t good = mtfs_utf8_prefix(start, (size_t)(w - start));
        if (good != (size_t)(w - start)) {
            st = not_utf8(t, start, good, field_line, fields, err);
            break;
        }
        if (mtfs_grow(&t->cells, &cap, n_cells, sizeof *t->cells, 1024) != 0) {
            st = mtfs_error_oom(err, path);
            break;
        }
        t->cells[n_cells++] = start;
        fields++;
        if (end == '\n' || end == '\0') {
            if (t->columns == 0)
                t->columns = fields;
            else if (fields != t->columns)
                st = mtfs_error_set(err, MTFS_EINPUT, path, row_line, NULL,
                                    "row has %zu fields (expected %zu, as in the header)", fields,
                                    t->columns);
            else {
                if (mtfs_grow(&t->lines, &n_lines_cap, t->rows, sizeof *t->lines, 256) != 0) {
                    st = mtfs_error_oom(err, path);
                    break;
                }
                t->lines[t->rows++] = row_line;
            }
            fields = 0;
            line++;
            row_line = line;
        }
    }
    if (st == MTFS_OK && t->columns == 0)
        st = mtfs_error_set(err, MTFS_EINPUT, path, 1, NULL, "no header row");
    if (st != MTFS_OK) {
        mtfs_table_free(t);
        return st;
    }
    *out = t;
    return MTFS_OK;
}

size_t mtfs_table_rows(const mtfs_table *t) { return t->rows; }
size_t mtfs_table_columns(const mtfs_table *t) { return t->columns; }
const char *mtfs_table_column_name(const mtfs_table *t, size_t c) { return t->cells[c]; }
int mtfs_table_line(const mtfs_table *t, size_t row) { return t->lines[row]; }
const char *mtfs_table_path(const mtfs_table *t) { return t->path; }

size_t mtfs_table_column(const mtfs_table *t, const char *name)
{
    for (size_t c = 0; c < t->columns; c++)
        if (strcmp(t->cells[c], name) == 0)
            return c;
    return (size_t)-1;
}

size_t mtfs_table_find(const mtfs_table *t, const char *who)
{
    size_t code = mtfs_table_column(t, "code"), name = mtfs_table_column(t, "name");
    for (size_t row = 0; row < mtfs_table_rows(t); row++)
        if ((code != (size_t)-1 && strcmp(mtfs_table_text(t, row, code), who) == 0) ||
            (name != (size_t)-1 && strcmp(mtfs_table_text(t, row, name), who) == 0))
            return row;
    return (size_t)-1;
}

const char *mtfs_table_text(const mtfs_table *t, size_t row, size_t c)
{
    return t->cells[(row + 1) * t->columns + c];
}

double mtfs_table_number(const mtfs_table *t, size_t row, size_t c)
{
    const char *text = mtfs_table_text(t, row, c);
    char *end;
    if (!*text)
        return NAN;
    double x = strtod(text, &end);
    return *end == '\0' && isfinite(x) ? x : NAN;
}

/* ---------------------------------------------------------------------- */
/* Checked numbers                                                         */

const mtfs_cell_kind MTFS_CELL_COUNT = {0.0, 1e9, 1, 0, "a count such as residents or Band D "
                                        "equivalents, above 0"};
const mtfs_cell_kind MTFS_CELL_MONEY_M = {0.0, 1e6, 0, 0, "an amount in £m, not negative"};
const mtfs_cell_kind MTFS_CELL_BAND_D = {0.0, 1e5, 1, 0, "£ a year for a Band D property, above 0"};
const mtfs_cell_kind MTFS_CELL_SHARE = {0.0, 1.0, 0, 0, "a share between 0 and 1"};
const mtfs_cell_kind MTFS_CELL_SCORE = {0.0, 100.0, 0, 0, "an index score from 0 to 100"};
const mtfs_cell_kind MTFS_CELL_FACTOR = {0.1, 10.0, 0, 0, "a cost factor near 1, from 0.1 to 10"};
const mtfs_cell_kind MTFS_CELL_AMOUNT = {0.0, 1e12, 0, 0, "an amount such as a road length, not "
                                         "negative"};
const mtfs_cell_kind MTFS_CELL_YEAR = {1900.0, 2200.0, 0, 1, "a year such as 2021"};

static int ends_with(const char *text, const char *tail)
{
    size_t n = strlen(text), k = strlen(tail);
    return n >= k && strcmp(text + n - k, tail) == 0;
}

const mtfs_cell_kind *mtfs_table_driver_kind(const char *column)
{
    if (ends_with(column, "_year"))
        return &MTFS_CELL_YEAR;
    if (strncmp(column, "population", 10) == 0 || strcmp(column, "council_tax_base") == 0 ||
        strcmp(column, "taxbase") == 0)
        return &MTFS_CELL_COUNT;
    if (ends_with(column, "_m"))
        return &MTFS_CELL_MONEY_M;
    if (strcmp(column, "idaci_average_score") == 0 || strcmp(column, "idaopi_average_score") == 0 ||
        ends_with(column, "_share"))
        return &MTFS_CELL_SHARE;
    if (strcmp(column, "imd_average_score") == 0)
        return &MTFS_CELL_SCORE;
    if (strcmp(column, "band_d") == 0)
        return &MTFS_CELL_BAND_D;
    return &MTFS_CELL_AMOUNT;
}

/* file:line: column 'x': <message> */
static mtfs_status cell_error(const mtfs_table *t, size_t row, size_t c, mtfs_error *err,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static mtfs_status cell_error(const mtfs_table *t, size_t row, size_t c, mtfs_error *err,
                              const char *fmt, ...)
{
    char name[4 * MTFS_EXCERPT_CHARS + 8], msg[MTFS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mtfs_error_set(err, MTFS_EINPUT, t->path, mtfs_table_line(t, row), NULL,
                          "column '%s': %s", mtfs_excerpt(mtfs_table_column_name(t, c), name, sizeof name),
                          msg);
}

mtfs_status mtfs_table_value(const mtfs_table *t, size_t row, size_t c, const mtfs_cell_kind *kind,
                             int required, double *out, mtfs_error *err)
{
    const char *text = mtfs_table_text(t, row, c);
    char cell[4 * MTFS_EXCERPT_CHARS + 8];
    *out = NAN;
    if (!*text)
        return required ? cell_error(t, row, c, err, "empty cell in a row that is used (expected %s; "
                                     "an empty cell means not known: supply the value or leave "
                                     "the row out)", kind->expected)
                        : MTFS_OK;
    mtfs_excerpt(text, cell, sizeof cell);
    /* A plain decimal number: strtod's hexadecimal forms and leading
     * spaces are not data. */
    char *end;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end != '\0' || strpbrk(text, "xX") ||
        isspace((unsigned char)text[0]))
        return cell_error(t, row, c, err, "value '%s' is not a number (expected %s)", cell,
                          kind->expected);
    if (!isfinite(x))
        return cell_error(t, row, c, err, "value %s is not a finite number (expected %s)", cell,
                          kind->expected);
    int below = kind->lo_open ? x <= kind->lo : x < kind->lo;
    if (kind == &MTFS_CELL_SHARE && x > 1.0 && x <= 100.0)
        return cell_error(t, row, c, err, "value %s is outside the sensible range %g to %g "
                          "(expected %s; did you mean %g?)", cell, kind->lo, kind->hi,
                          kind->expected, x / 100.0);
    if (below || x > kind->hi)
        return cell_error(t, row, c, err, "value %s is outside the sensible range %g to %g "
                          "(expected %s)", cell, kind->lo, kind->hi, kind->expected);
    if (kind->whole && x != floor(x))
        return cell_error(t, row, c, err, "value %s is not a whole number (expected %s)", cell,
                          kind->expected);
    *out = x;
    return MTFS_OK;
}

mtfs_status mtfs_table_check_column(const mtfs_table *t, size_t c, const mtfs_cell_kind *kind,
                                    mtfs_error *err)
{
    double ignored;
    for (size_t row = 0; row < t->rows; row++) {
        mtfs_status st = mtfs_table_value(t, row, c, kind, 0, &ignored, err);
        if (st != MTFS_OK)
            return st;
    }
    return MTFS_OK;
}
