/*
 * plot/draw.h - the drawing kit every chart is painted with: the palette,
 * the page and its coordinates, panels with their grid and value axis,
 * axes by financial year, legends, headings, titles and the footer.  Only
 * files in src/plot/ include it (it brings in plplot.h).
 */
#ifndef MTFS_PLOT_DRAW_H
#define MTFS_PLOT_DRAW_H

#include "mtfs/plot.h"
#include "plot/layout.h"

#include <plplot.h>

#include <stddef.h>

enum {
    COL_BG = 0,
    COL_INK = 1,
    COL_SPEND = 2,
    COL_FUND = 3,
    COL_GAP = 4,
    COL_SURPLUS = 5,
    COL_RESERVES = 6,
    COL_MINIMUM = 7,
    COL_GRID = 8,
    COL_MUTED = 9,
    COL_ALERT = 10,
    COL_DANGER = 11,
    COL_ZERO = 12,
    COL_AXIS = 13,
    COL_BLACK = 15,
    COL_TOTAL = 16,     /* the gap bar that ends a bridge */
    COL_CONNECTOR = 17, /* bridge lines from one bar to the next */
    COL_SERIES = 18,    /* first of the SERIES_N compare colours */
    /* Monte Carlo: fan bands widest (90% of paths) to narrowest (50%),
     * each a darker step of one hue, then the median in that hue. */
    COL_GAP_FAN = 30,   /* 3 bands */
    COL_GAP_MEDIAN = 33,
    COL_RES_FAN = 34,   /* 3 bands */
    COL_RES_MEDIAN = 37,
    COL_PLAN = 38,      /* the deterministic line over a fan */
    COL_EXHAUST = 39,   /* exhaustion bars */
    COL_P10 = 40,       /* tornado: the input at its 10th percentile */
    COL_P90 = 41,       /* ... and at its 90th */
    COL_P10_TEXT = 42,  /* darker twins for the values at the bar ends */
    COL_P90_TEXT = 43,
    COL_STRIPE = 44,    /* every other row of a long tornado */
    COL_GAIN = 45,      /* formula: an authority that gains funding */
    COL_LOSS = 46,      /* ... and one that loses */
    COL_GAIN_TEXT = 47, /* darker twins for the values at the bar ends */
    COL_LOSS_TEXT = 48,
    COL_HIGHLIGHT = 49, /* the authority the chart is about, bar and text */
    COL_BAR = 50,       /* named bars: a comparator */
    COL_GROUP = 51,     /* ... and a group average */
    COL_MODELLED = 52,  /* back-test: the modelled gap ... */
    COL_PUBLISHED = 53, /* ... and the published one */
    COL_EDITION = 54,   /* first of MTFS_PLOT_BACKTEST_MAX funnel lines, set per chart */
    COL_BAR_OTHER = 70, /* named bars: a comparator of another tier */
    COL_CAPITAL = 71,   /* run chart: capital financing, on the gap panel */
    COL_USABLE = 72,    /* run chart: usable reserves (general fund and earmarked) */
    N_COLOURS = 73
};

/* Normalised page coordinates of a plot area (0..1, origin bottom left). */
typedef struct {
    double x0, x1, y0, y1;
} box;

enum { FONT_REGULAR, FONT_BOLD, FONT_ITALIC };

/* The page being drawn and what every chart shows on it: its scale, the
 * name in the title, the file in the footer and the financial years of
 * the axis.  A chart family's own data comes to its drawer separately
 * (session.h). */
typedef struct {
    size_t horizon;
    int base_year;
    const char *name;
    const char *file;
    double k;            /* page width / 1200: scales lengths set in px */
    double design_h;     /* page height in design px (width is 1200) */
    int rotate_years;    /* year labels at 45 degrees (long horizons) */
    char year[MTFS_HORIZON_MAX + 1][16];
} chart;

/* Decimals shown on a value axis; PLplot hands it to plot_label_money(). */
typedef struct {
    int decimals;
} axis_format;

/* Dashes use PLplot's numbered styles, the only ones pllegend can draw,
 * so a line and its legend sample match. */
enum { LINE_SOLID = 1, LINE_DOTTED = 2, LINE_DASHED = 3 };

#define GLYPH_CIRCLE "\xE2\x97\x8F"  /* U+25CF */
#define GLYPH_SQUARE "\xE2\x96\xA0"  /* U+25A0 */
#define GLYPH_DIAMOND "\xE2\x97\x86" /* U+25C6 */
#define GLYPH_TRIANGLE_UP "\xE2\x96\xB2" /* U+25B2 */

typedef struct {
    PLINT opt, colour, text_colour, line_style;
    double line_px;
    const char *symbol;
    double symbol_px;
    const char *text;
} legend_entry;

/* PLplot's custom tick-label callback (plslabelfunc). */
typedef void (*tick_labeller)(PLINT axis, PLFLT value, char *label, PLINT length,
                              PLPointer data);

/* Layout is written in px of the 1200-px-wide design page (y down from the
 * top, as a designer measures), converted here to PLplot's normalised page
 * coordinates (y up from the bottom). */
static inline double nx(double px) { return px / DESIGN_W; }
static inline double ny(const chart *c, double px_from_top) { return 1.0 - px_from_top / c->design_h; }
static inline double nh(const chart *c, double px) { return px / c->design_h; }

/* Text with an em of px design pixels.  PLplot gives the cairo driver a
 * height in mm, which it passes to Pango as points; Pango renders points
 * at 96 dpi on a 72-dpi surface. */
static inline void set_text(const chart *c, double px) { plschr(px * c->k * 25.4 / 96.0, 1.0); }

static inline void set_bold(int bold) { plsfont(-1, -1, bold ? PL_FCI_BOLD : PL_FCI_MEDIUM); }

static inline void set_width(const chart *c, double px) { plwidth(px * c->k); }

extern const unsigned char plot_palette[N_COLOURS][3];
void plot_set_palette(void);
void plot_set_font(int font);
void plot_label_money(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data);

/* Coordinates and text */
void plot_page_coords(void);
void plot_panel_x_page_y(const box *b, double xmin, double xmax);
void plot_page_text(double x, double y, double just, const char *escaped);
void plot_panel_window(const box *b, double xmin, double xmax, const axis_range *y);

/* Panels */
void plot_panel_grid(const chart *c, const box *b, double xmin, double xmax, const axis_range *y);
void plot_panel_axes_x(const chart *c, const box *b, double xmin, double xmax,
                       const axis_range *y, const char *unit, tick_labeller labeller,
                       const char *xopt, double xtick);
void plot_panel_axes(const chart *c, const box *b, double xmin, double xmax, const axis_range *y,
                     const char *unit, tick_labeller labeller);
void plot_panel_frame(const chart *c, const box *b, double xmin, double xmax,
                      const axis_range *y);
void plot_value_axis_x(const chart *c, double step);
PLINT plot_minimum_zone(const box *b, double x0, double x1, const axis_range *y,
                        const double *minimum, size_t T, PLFLT *mx, PLFLT *my);
void plot_rows_grid(const chart *c, const box *b, double xmin, double xmax, double nr,
                    double step);
void plot_row_stripes(const chart *c, const row_layout *l, size_t nr, double right_px);

/* Years */
void plot_year_labels(const chart *c, const box *b, double xmin, double xmax, size_t first,
                      size_t last);
double plot_year_band(const chart *c);
void plot_choose_year_rotation(chart *c, double slot_px);
void plot_calendar_year_labels(const chart *c, const box *pb, double x0, double x1, int first,
                               int last, int short_ok);

/* Lines and markers */
void plot_markers(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y, PLINT colour,
                  const char *glyph, double px);
void plot_polyline(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y, PLINT colour,
                   double width_px);

/* Legends, headings, titles, footer */
void plot_legend_row(const chart *c, const box *b, double y_centre, const legend_entry *e, int n);
double plot_legend_row_w(const legend_entry *e, int n);
void plot_heading(const chart *c, double x, double y, double px, const char *title,
                  const char *note, PLINT note_colour);
void plot_title(const chart *c, const title_block *t);
void plot_chart_subtitle(const chart *c, double y_px, const char *raw, double max_px);
void plot_provenance(const chart *c, double x, double y, const char *files, int keep_end);

#endif
