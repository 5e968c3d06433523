/*
 * plot/session.h - one chart from inputs to a file: the skeleton every
 * public mtfs_plot_* function runs (check the inputs, build what the
 * drawer needs, draw with PLplot into memory, write the file), with
 * PLplot's exits, aborts, streams and drivers contained in session.c.
 */
#ifndef MTFS_PLOT_SESSION_H
#define MTFS_PLOT_SESSION_H

#include "plot/draw.h"
#include "mtfs/error.h"
#include "mtfs/scenario.h"

/* What a chart family gives the skeleton; `in` is the family's own input
 * record.  Every hook but draw may be NULL. */
typedef struct {
    /* The MTFS_EINTERNAL message when the caller left out an input. */
    const char *missing;
    /* Whether the inputs can be drawn; fills err (naming path) if not. */
    mtfs_status (*check)(const void *in, const char *path, mtfs_error *err);
    /* Derived data the drawer reads (sorted rows, texts), allocated in
     * `in`; MTFS_ENOMEM when out of memory.  release frees it, built or
     * not. */
    mtfs_status (*build)(void *in, const char *path, mtfs_error *err);
    void (*release)(void *in);
    /* Page fields that come from the input rather than a scenario: the
     * years of the axis, the title's name, the footer's file. */
    void (*page)(chart *c, const void *in);
    /* Paints the whole page; runs inside the PLplot session. */
    void (*draw)(chart *c, const void *in);
} plot_kind;

/* Draws one chart of `kind` from `in` into path.  MTFS_PLOT_NONE asks for
 * no chart: nothing is checked, drawn or written.  `complete` is 0 when
 * the caller left out an input (the kind's `missing` message).  The page
 * takes its name, file and base year from s when s is not NULL.  Every
 * failure, PLplot's included, comes back as a status with err filled in;
 * path is then left as it was.  Inside the caller's output set
 * (mtfs/output.h) the chart joins the set. */
mtfs_status plot_chart(const char *path, mtfs_plot_format format, const plot_kind *kind,
                       int complete, const mtfs_scenario *s, void *in, mtfs_error *err);

/* Sets the financial-year labels of the page's axis, base_year + 0 to
 * base_year + horizon. */
void plot_page_years(chart *c, int base_year, size_t horizon);

#endif
