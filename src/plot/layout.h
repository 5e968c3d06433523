/*
 * plot/layout.h - the half of the drawing kit that never calls PLplot:
 * text measurement, shortening and wrapping, number formats, value scales
 * and geometry in design px.  Charts are laid out with these before they
 * are painted, so a layout can be checked by a test without drawing.
 *
 * Lengths are px of the 1200-px-wide design page, y down from the top.
 */
#ifndef MTFS_PLOT_LAYOUT_H
#define MTFS_PLOT_LAYOUT_H

#include <stddef.h>

#define DESIGN_W 1200.0 /* width of the design page, px */
#define TICK_PX 14.0    /* em of axis and legend text */

#define MINUS_SIGN "\xE2\x88\x92" /* U+2212 */
#define POUND_SIGN "\xC2\xA3"

/* A value axis: ticks every step from min to max. */
typedef struct {
    double min, max, step;
} axis_range;

/* Rectangle in design px, y down. */
typedef struct {
    double x0, y0, x1, y1;
} rect;

#define WRAP_LINES 4

/* Text wrapped by plot_wrap_text: n lines, raw UTF-8. */
typedef struct {
    int n;
    char line[WRAP_LINES][128];
} wrapped;

/* A chart's title, laid out by plot_title_layout: n lines of raw UTF-8
 * (painted by plot_title), px its em, y each line's centre (design px
 * from the top) and drop how far everything under the title moves down
 * for its second line (0 for one line). */
#define TITLE_PX 23.0     /* the title's em */
#define TITLE_MIN_PX 21.0 /* the least it shrinks to stay on one line */
#define TITLE_Y 34.0      /* centre of its first line */
#define TITLE_PITCH 28.0  /* from one title line to the next */
#define TITLE_ROOM (1170.0 - 24.0) /* from the left margin to the right edge */

typedef struct {
    int n;
    double px, drop;
    double y[2];
    char line[2][1024];
} title_block;

/* Rows of a horizontal bar chart share the height from `top` (156 px,
 * lower by the title's drop) down to the axis, so the page is laid out the same whatever the number of rows;
 * bars are never thicker than 52 px, so a chart of a few rows does not
 * turn into blocks.  Text and bars shrink with the rows. */
typedef struct {
    double top, bottom, footer, axis_band;
    double row_h, label_px, value_px, bar_px;
} row_layout;

/* Which financial years an axis of calendar years labels, and how: every
 * step-th year (step 1: every one), in the short form "20/21" or the
 * long "2020/21", at an em of px. */
typedef struct {
    int step, short_form;
    double px;
} year_ticks;

/* Text */
void plot_escape_text(const char *in, char *out, size_t size);
double plot_text_w(const char *raw, double size_px, int bold);
void plot_fit_raw(const char *raw, double size_px, int bold, double max_px, int keep_end,
                  char *out, size_t size);
void plot_fit_text(const char *raw, double size_px, int bold, double max_px, int keep_end,
                   char *out, size_t size);
void plot_fit_text_middle(const char *raw, double size_px, int bold, double max_px, char *out,
                          size_t size);
int plot_wrap_text(const char *raw, double px, int bold, double max_px, int max_lines,
                   wrapped *w);
void plot_title_layout(const char *name, const char *suffix, double max_px, title_block *t);
size_t plot_common_prefix(const char *const *names, size_t n);
const char *plot_after_prefix(const char *name, size_t prefix);

/* Numbers */
void plot_format_money(double value, int decimals, char *out, size_t size);
void plot_format_pounds_m(double value, char *out, size_t size);
void plot_format_pounds(double value, int sign, char *out, size_t size);
int plot_shown_sign(double value, int decimals);
char *plot_short_year_label(int first_calendar_year, char *buf, size_t size);
year_ticks plot_year_ticks(int first, int last, double px_per_year, int short_ok);

/* Scales */
double plot_nice_step(double span, double target_ticks);
int plot_step_decimals(double step);
axis_range plot_nice_range(double lo, double hi, double target_ticks, double pad_fraction);
double plot_snap_to_zero(double v, double span);
axis_range plot_marked_range(double lo, double hi, double dlo, double dhi, double target_ticks,
                             double plot_px, double margin_px);

/* Geometry */
int plot_rects_overlap(const rect *a, const rect *b);
int plot_segment_hits(double ax, double ay, double bx, double by, const rect *r);
row_layout plot_rows_layout(double design_h, size_t nr, double drop);

#endif
