/*
 * plot/uncertainty.h - the layouts of the Monte Carlo fan and of the
 * tornado, computed without PLplot from the result and the page
 * (fan_layout_of, tornado_layout_of), then painted by uncertainty.c.
 * Declared here for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_UNCERTAINTY_H
#define MTFS_PLOT_UNCERTAINTY_H

#include "plot/draw.h"

typedef struct {
    const mtfs_mc_result *r;
} mc_input;

typedef struct {
    const mtfs_tornado *t;
} tornado_input;

typedef struct {
    int rotate_years;   /* the page's year labels at 45 degrees */
    double mark, band;  /* marker scale; height of the year labels, px */
    /* Design px from the top: the gap panel a, the reserves panel rb. */
    double sub_y, head_a, head_r, fy_title, footer;
    title_block title;  /* the page moves down by its drop */
    box a, rb;
    double x0, x1;
    /* The subtitle: paths and seed, then (with exhaustion reported) the
     * chance of ending below the minimum, at x_exhausted px. */
    char paths[96];
    int has_exhausted;
    char exhausted[512];
    double x_exhausted;
    PLINT exhausted_colour;
    axis_range ya, yr;
    int gap_note;       /* the gap heading's note fits beside its legend */
} fan_layout;

void fan_layout_of(const chart *c, const mtfs_mc_result *r, fan_layout *l);

/* The chance of falling below the minimum reserves: a bar per year 1..T
 * on a fixed 0-100% scale, with its value over it when every value fits
 * (value_px at least 9; coarse: whole percentages). */
typedef struct {
    int rotate_years;
    double left_px, right_px, x0, x1, slot;
    double sub_y, top, bottom, footer, fy_title;
    title_block title;  /* the page moves down by its drop */
    box pb;
    char subtitle[160];
    double bar_half, min_h;    /* bar half-width (years), least height (%) */
    double value_px;
    int coarse, values;
} exhaustion_layout;

void exhaustion_layout_of(const chart *c, const mtfs_mc_result *r, exhaustion_layout *l);

/* One input's row, top down: its bar from the deterministic gap to each
 * end, the farther end drawn first; the values outside the bar, the
 * smaller left and the larger right, each in its end's colour (or, with
 * no swing, one muted value on the right). */
typedef struct {
    double yc;                 /* centre, in rows from the foot */
    int first_end;             /* 0 the P10 end, 1 the P90 end */
    int one_value;
    int left_end;              /* the end whose value is on the left */
    double left_x, right_x;    /* value anchors, £m */
    char left[64], right[64];
    char label[200];           /* the key, shortened in the middle */
} tornado_row_layout;

typedef struct {
    size_t nr;                 /* rows drawn */
    double sub_y, legend_y;
    title_block title;  /* the page moves down by its drop */
    row_layout rows;
    double label_w, left_px, right_px;
    double xmin, xmax, ppu, step; /* x window (£m), px per £m, tick step */
    box pb;
    double half;               /* bar half-height, in rows */
    char subtitle[512], axis_title[128];
    double base_px;            /* the deterministic gap's line, design px */
    char base_label[96];
    double base_label_x;
    tornado_row_layout row[MTFS_PLOT_TORNADO_ROWS];
} tornado_layout;

void tornado_layout_of(const chart *c, const mtfs_tornado *td, tornado_layout *l);

#endif
