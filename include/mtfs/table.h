/*
 * mtfs/table.h - a CSV data table (RFC 4180) with a header row, such as
 * data/authorities.csv.  Cells are kept as text; numeric access returns
 * NAN for an empty cell, which means "not known".
 */
#ifndef MTFS_TABLE_H
#define MTFS_TABLE_H

#include <stddef.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtfs_table mtfs_table;

/* Read `path`.  Errors name the file and line: unreadable file, unbalanced
 * quotes, a row with a different number of fields from the header. */
mtfs_status mtfs_table_load(const char *path, mtfs_table **out, mtfs_error *err);
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

#ifdef __cplusplus
}
#endif
#endif
