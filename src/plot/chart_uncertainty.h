/*
 * plot/chart_uncertainty.h - the layouts of the Monte Carlo fan and of the
 * tornado, computed without PLplot from the result and the page
 * (fan_layout_of, tornado_layout_of), then painted by uncertainty.c.
 * Declared here for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_CHART_UNCERTAINTY_H
#define MTFS_PLOT_CHART_UNCERTAINTY_H

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
    char value[MTFS_HORIZON_MAX + 1][16]; /* over bar t: "91.6%", as the mc table rounds */
} exhaustion_layout;

void exhaustion_layout_of(const chart *c, const mtfs_mc_result *r, exhaustion_layout *l);

/* A value printed beside a tornado bar: which end it is (its colour),
 * where (£m) and which way it runs from there. */
typedef struct {
    int end;                   /* 0 the P10 end, 1 the P90 end, -1 no swing (muted) */
    double x;                  /* anchor, £m */
    int ends_at_x;             /* the text ends at x (left of the bars) */
    double w;                  /* its width, px */
    char text[64];
} tornado_value;

/* One input's row, top down: its bar from the deterministic gap to each
 * end, the farther end drawn first.  Each value sits on the side of the
 * central line its end is on: where the ends straddle it, the smaller
 * left and the larger right; where both are on one side, both beyond the
 * farther end, it first; with no swing, one muted value on the right. */
typedef struct {
    double yc;                 /* centre, in rows from the foot */
    int first_end;             /* 0 the P10 end, 1 the P90 end */
    int nv;                    /* values: 1 or 2 */
    tornado_value v[2];
    double pad_l, pad_r;       /* px the values need left and right of the bars */
    char label[200];           /* the input's label, shortened in the middle */
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
