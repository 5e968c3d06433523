/*
 * plot/chart_bars.h - the formula chart's rows, and the layout of its long form
 * (one unnamed column per authority), computed without PLplot from the
 * rows and the page (formula_columns_layout_of), then painted by bars.c.
 * Declared here for tests/unit/test_plot_charts.c.
 */
#ifndef MTFS_PLOT_CHART_BARS_H
#define MTFS_PLOT_CHART_BARS_H

#include "plot/draw.h"

/* One bar from zero of a chart of named bars (mtfs_plot_formula,
 * mtfs_plot_bars): its row label, value, colours and the value's text. */
typedef struct {
    const char *label; /* raw UTF-8 */
    double value;
    PLINT colour, text_colour, label_colour;
    int font;            /* FONT_REGULAR, FONT_BOLD or FONT_ITALIC */
    char value_text[48]; /* raw, printed at the bar's end */
} hbar;

/* The order mtfs_plot_bars draws bars in (order[k] is the bar of row k):
 * authorities by value, largest first, then group averages likewise;
 * equal values in the order given. */
void bars_order(const mtfs_bar *bars, size_t n, size_t *order);

/* mtfs_plot_bars's rows (n up to MTFS_PLOT_BARS_MAX, checked) in
 * bars_order, coloured by style: a comparator of another tier than the
 * highlighted authority's (both known) paler, with its tier after its
 * name in marked[k]; values in pounds when `unit` is pounds a head. */
void bars_rows_of(const mtfs_bar *bars, size_t n, const char *unit, hbar *rows,
                  char (*marked)[200]);

/* A formula row's colours, font and value text ("+£94", "£0") from its
 * value: a change that prints as £0 is neither a gain nor a loss (grey);
 * the highlighted authority in its own colour. */
void formula_bar_style(hbar *b, int highlight);

/* mtfs_plot_formula's input, and the rows built from it: sorted from the
 * largest gain to the largest loss. */
typedef struct {
    const mtfs_formula_result *r;
    size_t focus;     /* the authority to highlight (index into r), or (size_t)-1 */
    hbar *rows;       /* built, r->n of them */
    size_t highlight; /* the row of the focus, or (size_t)-1 */
} formula_input;

/* A label over the columns of a long formula chart, in design px. */
typedef struct {
    rect r;
    char text[512]; /* escaped */
    PLINT colour;
    int bold;
    int leader;         /* a line from the column's end to the label */
    double tip_x, tip_y; /* the column's end */
} column_note;

/* Columns of a long formula chart: px from data. */
typedef struct {
    double left, slot, bottom, height;
    axis_range y;
} column_map;

/* A chart of named rows (the formula's short form, a brief's bars):
 * rows from the top (lower by `drop`, the title's second line), labels right-aligned before the plot, a value
 * window with room for the values beyond the bar ends. */
typedef struct {
    row_layout rows;
    double legend_y, max_label, label_w, left_px, right_px;
    double ppu, xmin, xmax, step; /* px per unit; the x window and its ticks */
    box pb;
    double half;                  /* bar half-height, in rows */
} hbar_rows_layout;

void hbar_rows_layout_of(const chart *c, const hbar *rows, size_t nr, double drop,
                         hbar_rows_layout *l);

/* Half the width of a column, as a share of its slot. */
#define COLUMN_HALF 0.4

typedef struct {
    double legend_y, top, bottom, footer, left_px, right_px, note_px, note_h;
    column_map m;
    box pb;
    double x0, x1;
    /* The largest gain and loss named at their columns, then the
     * highlighted authority with its leader line. */
    column_note notes[3];
    size_t nn;
    char caption[160];
} formula_columns_layout;

void formula_columns_layout_of(const chart *c, const formula_input *in, double drop,
                               formula_columns_layout *l);

/* A formula that moves no authority's funding (every change prints as
 * £0 a head, as under the status quo): the chart says so in two lines
 * (none: 1) instead of drawing bars that are not there on a made-up
 * scale. */
typedef struct {
    int none;
    char line[2][200];
} formula_no_change;

void formula_no_change_of(const formula_input *in, formula_no_change *out);

#endif
