/*
 * checked.h - internal: text and numbers checked on their way in and out.
 *
 * In: CSV cells must be UTF-8 (every writer, JSON first, needs text), and a
 * message quotes at most one cell, cut to a short excerpt, so pointing an
 * input at a file never echoes its contents.
 *
 * Out: every number a table, CSV or Markdown writer prints goes through
 * mtfs_out_num.  The writer writes into a memory buffer that reaches the
 * real output only when every number in it was finite; otherwise nothing is
 * written and the error (MTFS_ENUMERIC) names the first quantity that was
 * not.  NaN and Inf are never printed.
 */
#ifndef MTFS_CHECKED_H
#define MTFS_CHECKED_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"

/* Length of the longest prefix of text[0..len) that is valid UTF-8 (no
 * overlong forms, no surrogates, at most U+10FFFF): len when all of it is. */
size_t mtfs_utf8_prefix(const char *text, size_t len);

/* Characters of a message excerpt: a longer text is cut and ends in "...". */
#define MTFS_EXCERPT_CHARS 40
/* `text` for a message: at most MTFS_EXCERPT_CHARS characters, control
 * characters and bytes that are not UTF-8 shown as '?', "..." when cut.
 * buf should hold 4 * MTFS_EXCERPT_CHARS + 4 bytes; returns buf. */
char *mtfs_excerpt(const char *text, char *buf, size_t size);

typedef struct {
    FILE *f;              /* the writer writes here (a memory buffer) */
    FILE *out;            /* where the text goes when it is all good */
    char *text;
    size_t len;
    char bad[200];        /* the first quantity that was not finite, "" if none */
} mtfs_out;

/* Start a checked output to `out`.  MTFS_ENOMEM when no buffer. */
mtfs_status mtfs_out_begin(mtfs_out *o, FILE *out, mtfs_error *err);
/* x when finite; otherwise 0, and the output is refused at mtfs_out_end,
 * naming the quantity (printf-style `what`, formatted only then). */
double mtfs_out_num(mtfs_out *o, double x, const char *what, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Write the buffered text to the output if every number was finite, else
 * MTFS_ENUMERIC ("<quantity> is not a finite number ...; nothing was
 * written"); then MTFS_EIO if writing failed.  Always releases the buffer. */
mtfs_status mtfs_out_end(mtfs_out *o, mtfs_error *err);
/* Release the buffer without writing anything (the writer failed). */
void mtfs_out_discard(mtfs_out *o);

#endif
