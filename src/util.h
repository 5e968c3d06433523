/*
 * util.h - internal helpers shared by the library's modules: allocation
 * (routed through one place so tests can inject failures), string building
 * and the edit distance used to suggest the nearest valid key.
 */
#ifndef MTFS_UTIL_H
#define MTFS_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"
#include "mtfs/unit.h"
#include "mtfs/year.h"   /* mtfs_year_scan, which lived here before */

/* All library allocation goes through these.  They return NULL on failure
 * like the C library; mtfs_alloc_fail_after(n) makes the n-th call from now
 * fail (n = 0 disables), for fault-injection tests. */
void *mtfs_malloc(size_t size);
void *mtfs_calloc(size_t count, size_t size);
void *mtfs_realloc(void *ptr, size_t size);
void mtfs_free(void *ptr);
char *mtfs_strdup(const char *text);
void mtfs_alloc_fail_after(unsigned long n);
/* Map the pages of a large allocation now, in one system call, instead of
 * taking a page fault on each first touch (Linux's MADV_POPULATE_WRITE;
 * on this project's VM a fault costs about 12 us, so 160 MB of Monte Carlo
 * results would spend 0.4 s in them).  Only a hint: where it is not
 * supported it does nothing, and the pages fault in as usual. */
void mtfs_prefault(void *ptr, size_t size);

/* Levenshtein distance between a and b, capped at `cap` (returns cap when
 * the distance is at least cap) so long strings cost nothing. */
size_t mtfs_edit_distance(const char *a, const char *b, size_t cap);

/* The candidate nearest to `word`, or NULL when none is close enough to be a
 * plausible typo. */
const char *mtfs_nearest(const char *word, const char *const *candidates,
                         size_t n);

/* Directory part of path ("." when it has none), into buf. */
char *mtfs_dirname(const char *path, char *buf, size_t size);
/* Join dir and a relative path (an absolute `rel` is returned as is). */
char *mtfs_path_join(const char *dir, const char *rel, char *buf, size_t size);
/* File name without directory and without its last extension. */
char *mtfs_path_stem(const char *path, char *buf, size_t size);

/* MTFS_OK, or MTFS_EIO ("cannot write output") when writing to out has
 * failed: the closing check of every writer. */
mtfs_status mtfs_stream_status(FILE *out, mtfs_error *err);

/* Write text as one CSV field (RFC 4180: quoted when it holds a comma,
 * quote or line break, quotes doubled); NULL writes an empty field. */
void mtfs_csv_text(FILE *out, const char *text);

/* x rounded to `decimals` places with its whole part in groups of three:
 * 1234567.4 -> "1,234,567" (0), 1048.02 -> "1,048.0" (1); "-" when below
 * zero after rounding. */
char *mtfs_group_digits(double x, int decimals, char *buf, size_t size);

/* A number for a table (every command's tables go through this one):
 * `decimals` places, the whole part grouped in threes ("1,234.5", as
 * finance readers expect), and a value that rounds to zero is "0.0", never
 * "-0.0", however small its sign ("-2.27e-13" is a change of nothing).
 * With plus, a value above zero gets a "+" ("+12.3"). */
char *mtfs_format_table_number(double x, int decimals, int plus, char *buf, size_t size);

/* An amount in £m for a sentence, to one decimal: "£12.3m", "£14,704.5m"
 * (grouped as in tables), or "-£7.4m" below zero after rounding (never
 * "-£0.0m").  Every sentence and heading writes money through this. */
char *mtfs_format_money(double x, char *buf, size_t size);

/* A change in £m, to one decimal and signed: "+£12.3m", "-£4.0m",
 * "+£1,904.3m", and "£0.0m" when it rounds to nothing. */
char *mtfs_format_money_change(double x, char *buf, size_t size);

/* A value in its unit for a table: £m "£12.3m", a share "4.25%" (two
 * decimals: rates differ in tenths of a point), £ "£1,634.03", a count
 * "283,410"; never "-0". */
/* The printf field width that shows UTF-8 `text` in `width` columns:
 * width plus the bytes that do not start a character ("£" is two bytes,
 * one column). */
int mtfs_text_pad(const char *text, int width);

char *mtfs_format_unit(double x, mtfs_unit unit, char *buf, size_t size);

/* Make room for one more element in the growing array *items (n elements
 * of `size` bytes, room for *cap): when it is full the room doubles, or
 * becomes `first` for an empty array.  `items` is the address of the array
 * pointer (T **).  Returns 0, or -1 when out of memory (the array is then
 * as it was). */
int mtfs_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

/* Format a double exactly and shortly: the shortest of "%.15g", "%.16g" and
 * "%.17g" that reads back to the same double (0.05, not
 * 0.050000000000000003), never "-0", with a '.' whatever the locale (the
 * library never calls setlocale; this guards against callers that do). */
char *mtfs_format_exact(double x, char *buf, size_t size);

#endif
