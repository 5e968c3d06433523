/*
 * mtfs/table.h - a CSV data table (RFC 4180) with a header row, such as
 * data/authorities.csv.  Cells are kept as text; numeric access returns
 * NAN for an empty cell, which means "not known".
 *
 * Numbers a calculation uses are read through mtfs_table_value (or checked
 * a column at a time with mtfs_table_check_column) against a kind of
 * value, like the values of a scenario file: an error is one line located
 * at the data file's line, "file:line: column 'x': what is wrong (expected
 * ...)", quoting only the offending cell, cut to 40 characters.
 */
#ifndef MTFS_TABLE_H
#define MTFS_TABLE_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/input.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtfs_table mtfs_table;

/* Read `path`.  Errors name the file and line: unreadable file, a NUL
 * byte, text that is not UTF-8, a quote that is not closed (at the line it
 * opened on), a row with a different number of fields from the header. */
mtfs_status mtfs_table_load(const char *path, mtfs_table **out, mtfs_error *err);
/* The same, for a file named in another file: errors opening it (missing,
 * a directory, outside --restrict) are located where it was named, e.g.
 * "formula.cfg:2: key 'data': cannot open 'x.csv': No such file or
 * directory".  `from` may be NULL. */
mtfs_status mtfs_table_load_from(const char *path, const mtfs_input_ref *from, mtfs_table **out,
                                 mtfs_error *err);
/* The same, for CSV text already in memory (len bytes; a copy is made);
 * `name` is what messages call it. */
mtfs_status mtfs_table_parse(const char *name, const char *text, size_t len, mtfs_table **out,
                             mtfs_error *err);
void mtfs_table_free(mtfs_table *t);

size_t mtfs_table_rows(const mtfs_table *t);
size_t mtfs_table_columns(const mtfs_table *t);
const char *mtfs_table_column_name(const mtfs_table *t, size_t c);
/* Column index of `name`, or (size_t)-1. */
size_t mtfs_table_column(const mtfs_table *t, const char *name);
const char *mtfs_table_text(const mtfs_table *t, size_t row, size_t c);
/* The first row whose "code" or "name" column is `who`, or (size_t)-1. */
size_t mtfs_table_find(const mtfs_table *t, const char *who);
/* The cell as a number: NAN when empty or not a number. */
double mtfs_table_number(const mtfs_table *t, size_t row, size_t c);
/* The file line a row came from (for messages). */
int mtfs_table_line(const mtfs_table *t, size_t row);
/* The path the table was read from. */
const char *mtfs_table_path(const mtfs_table *t);

/* What a number in a column may be: lo to hi (lo excluded when lo_open),
 * a whole number when `whole`; `expected` completes "(expected ...)". */
typedef struct {
    double lo, hi;
    int lo_open;
    int whole;
    const char *expected;
} mtfs_cell_kind;

/* The kinds of the data (see data/README.md and docs/reliability.md). */
extern const mtfs_cell_kind MTFS_CELL_COUNT;    /* residents, Band D equivalents: above 0, to 1e9 */
extern const mtfs_cell_kind MTFS_CELL_MONEY_M;  /* £m: 0 to 1e6 */
extern const mtfs_cell_kind MTFS_CELL_BAND_D;   /* £ a year: above 0, to 1e5 */
extern const mtfs_cell_kind MTFS_CELL_SHARE;    /* a proportion: 0 to 1 */
extern const mtfs_cell_kind MTFS_CELL_SCORE;    /* an index score (IMD): 0 to 100 */
extern const mtfs_cell_kind MTFS_CELL_FACTOR;   /* a cost multiplier (ACA): 0.1 to 10 */
extern const mtfs_cell_kind MTFS_CELL_AMOUNT;   /* another driver (road km, ...): 0 to 1e12 */
extern const mtfs_cell_kind MTFS_CELL_YEAR;     /* a whole year, 1900 to 2200 */

/* The kind of a column used as a cost driver, by its name: populations and
 * tax bases are counts, "_m" columns £m, the IDACI and IDAOPI scores (and
 * "_share" columns) shares, the IMD score a score, "_year" columns years,
 * band_d £ a year; anything else an amount. */
const mtfs_cell_kind *mtfs_table_driver_kind(const char *column);

/* Cell (row, c) as a number of `kind` into *out.  An empty cell is "not
 * known": *out is NAN and it is an error only when `required` (the row is
 * used).  MTFS_EINPUT, located at the row's line, for an empty required
 * cell, text that is not a number, NaN or Inf, and a value outside the
 * kind's range. */
mtfs_status mtfs_table_value(const mtfs_table *t, size_t row, size_t c, const mtfs_cell_kind *kind,
                             int required, double *out, mtfs_error *err);
/* Every cell of column c is empty or a number of `kind`: the first that
 * is not is the error (as mtfs_table_value). */
mtfs_status mtfs_table_check_column(const mtfs_table *t, size_t c, const mtfs_cell_kind *kind,
                                    mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
