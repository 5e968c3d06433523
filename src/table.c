/*
 * table.c - CSV data tables (see mtfs/table.h).
 *
 * The whole file is read into memory and split in place: quoted fields may
 * hold commas, doubled quotes and line breaks; CRLF line ends are accepted.
 */
#include "mtfs/table.h"
#include "mtfs/input.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mtfs_table {
    char *text;             /* the file, with fields terminated in place */
    char **cells;           /* (rows + 1) x columns: the header first */
    int *lines;             /* file line of each row */
    size_t rows, columns;
};

void mtfs_table_free(mtfs_table *t)
{
    if (!t)
        return;
    mtfs_free(t->text);
    mtfs_free(t->cells);
    mtfs_free(t->lines);
    mtfs_free(t);
}

static mtfs_status read_all(const char *path, char **out, mtfs_error *err)
{
    return mtfs_input_read(path, "a CSV data file", NULL, out, NULL, err);
}

mtfs_status mtfs_table_load(const char *path, mtfs_table **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_table *t = mtfs_calloc(1, sizeof *t);
    if (!t)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    mtfs_status st = read_all(path, &t->text, err);
    size_t cap = 0, n_cells = 0, n_lines_cap = 0, fields = 0;
    int line = 1, row_line = 1;
    char *p = t->text, *w;
    while (st == MTFS_OK && p && *p) {
        /* One field, unquoted in place; w writes the unescaped text. */
        char *start = p;
        w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') {
                    st = mtfs_error_set(err, MTFS_EINPUT, path, row_line, NULL,
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
        if (n_cells == cap) {
            cap = cap ? 2 * cap : 1024;
            char **grown = mtfs_realloc(t->cells, cap * sizeof *grown);
            if (!grown) {
                st = mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
                break;
            }
            t->cells = grown;
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
                if (t->rows == n_lines_cap) {
                    n_lines_cap = n_lines_cap ? 2 * n_lines_cap : 256;
                    int *grown = mtfs_realloc(t->lines, n_lines_cap * sizeof *grown);
                    if (!grown) {
                        st = mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
                        break;
                    }
                    t->lines = grown;
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
