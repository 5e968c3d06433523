/*
 * plot.c - the charts, drawn with PLplot: the projection of one scenario,
 * the gap bridge of one year as a waterfall, the annual gap of several
 * scenarios overlaid, and the uncertainty charts: the Monte Carlo fan of
 * gap and reserves, the chance of falling below the minimum reserves by
 * year, and the tornado of the inputs that move the final-year gap most;
 * the charts of named bars: the winners and losers of a fair-funding
 * formula, and a briefing's ranked comparison (funding per head); and the
 * back-test of published MTFS editions: published against modelled gaps
 * in small multiples, and the forecast funnel of projected net budgets
 * against the budgets set.
 *
 * This is the only module that includes plplot.h.  PLplot is a stateful,
 * process-wide library: it has a "current stream", error hooks without a
 * user pointer, a driver that prompts on stdin when a device is missing and
 * a fatal-error path that calls exit().  All of that is contained here, so
 * the rest of mtfs sees one function that either writes a chart or returns
 * an error.
 *
 * How a chart is made:
 *   1. Each call creates its own PLplot stream (plmkstrm) and ends it
 *      (plend1) before returning, so calls can be repeated in one process
 *      (png, then svg, then pdf) without state leaking from one to the next.
 *   2. PLplot renders into an open_memstream buffer, not into the
 *      destination.  PLplot fcloses its output itself and ignores write
 *      errors, so handing it the mtfs_output stream would close that stream
 *      twice and could commit a truncated file.  Rendering to memory first
 *      also means a PLplot failure leaves nothing on disk.
 *   3. The finished bytes are checked for a complete file trailer and
 *      written through mtfs_output (temporary file + rename), which reports
 *      every write, sync and rename error.
 *
 * The page is designed at 1200 x 900 px; every length (text, lines,
 * dashes) is scaled with the page width, so the PDF (A4-landscape width)
 * looks the same as the PNG.  Each chart is one draw function over the
 * same session, helpers and palette.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include "mtfs/plot.h"
#include "mtfs/mtfs.h"
#include "mtfs/output.h"
#include "util.h"

#include <plplot.h>

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Formats                                                                 */

int mtfs_plot_format_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcmp(text, "png") == 0)
        return MTFS_PLOT_PNG;
    if (strcmp(text, "svg") == 0)
        return MTFS_PLOT_SVG;
    if (strcmp(text, "pdf") == 0)
        return MTFS_PLOT_PDF;
    if (strcmp(text, "none") == 0)
        return MTFS_PLOT_NONE;
    return -1;
}

const char *mtfs_plot_format_extension(mtfs_plot_format format)
{
    switch (format) {
    case MTFS_PLOT_PNG: return "png";
    case MTFS_PLOT_SVG: return "svg";
    case MTFS_PLOT_PDF: return "pdf";
    case MTFS_PLOT_NONE: break;
    }
    return "";
}

typedef struct {
    const char *device; /* PLplot cairo driver */
    PLINT width, height; /* page in device units: px for PNG/SVG, pt for PDF */
} format_info;

static const format_info *format_lookup(mtfs_plot_format format)
{
    /* Cairo sizes SVG and PDF pages in points: 900 x 675 pt is 1200 x 900
     * CSS px, like the PNG, and the PDF is A4-landscape wide so it prints
     * at a natural size.  All share the 4:3 shape, so the layout is the
     * same in every format. */
    static const format_info png = {"pngcairo", 1200, 900};
    static const format_info svg = {"svgcairo", 900, 675};
    static const format_info pdf = {"pdfcairo", 842, 632};
    switch (format) {
    case MTFS_PLOT_PNG: return &png;
    case MTFS_PLOT_SVG: return &svg;
    case MTFS_PLOT_PDF: return &pdf;
    case MTFS_PLOT_NONE: break;
    }
    return NULL;
}

/* ---------------------------------------------------------------------- */
/* PLplot's error hooks                                                    */

/* plsexit() takes a handler without a user pointer, and the buffers given
 * to plsError() must outlive a stream abandoned after a fatal error (PLplot
 * keeps pointing at them), so this state has to be static.  PLplot itself
 * is not thread-safe, and neither is this module. */
static struct {
    jmp_buf *exit_target; /* set only while a chart is being drawn */
    PLINT errcode;        /* set by PLplot's plabort() via plsError() */
    char errmsg[1024];    /* PLplot sprintf()s its abort message here */
    char exit_message[256];
} plot_hooks;

/* PLplot's last abort message without its trailing newline, or NULL. */
static const char *abort_message(void)
{
    if (plot_hooks.errcode == 0)
        return NULL;
    size_t len = strnlen(plot_hooks.errmsg, sizeof plot_hooks.errmsg - 1);
    plot_hooks.errmsg[len] = '\0';
    while (len > 0 && (plot_hooks.errmsg[len - 1] == '\n' || plot_hooks.errmsg[len - 1] == ' '))
        plot_hooks.errmsg[--len] = '\0';
    const char *m = plot_hooks.errmsg;
    while (*m == '\n')
        m++;
    return *m ? m : "PLplot aborted an operation";
}

/* PLplot calls this before exit()ing on a fatal error (out of memory, a
 * driver that will not load).  Jumping back is the only way to keep the
 * process alive; the half-built stream is then abandoned, never touched. */
static int on_plexit(const char *message)
{
    snprintf(plot_hooks.exit_message, sizeof plot_hooks.exit_message, "%s",
             message ? message : "");
    if (plot_hooks.exit_target)
        longjmp(*plot_hooks.exit_target, 1);
    return 1;
}

/* ---------------------------------------------------------------------- */
/* Chart model                                                             */

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
    COL_EDITION = 54,   /* first of BACKTEST_MAX funnel lines, set per chart */
    N_COLOURS = 70
};

/* Editions one back-test chart can show: a panel or a funnel line each;
 * and the financial years it accepts (first calendar year), which bound
 * the outturn's length, its years being in order. */
#define BACKTEST_MAX 16
#define BACKTEST_YEAR_MIN 1900
#define BACKTEST_YEAR_MAX 2200

/* Normalised page coordinates of a plot area (0..1, origin bottom left). */
typedef struct {
    double x0, x1, y0, y1;
} box;

/* One bar from zero of a chart of named bars (mtfs_plot_formula,
 * mtfs_plot_bars): its row label, value, colours and the value's text. */
typedef struct {
    const char *label; /* raw UTF-8 */
    double value;
    PLINT colour, text_colour, label_colour;
    int font;            /* FONT_REGULAR, FONT_BOLD or FONT_ITALIC */
    char value_text[48]; /* raw, printed at the bar's end */
} hbar;

enum { FONT_REGULAR, FONT_BOLD, FONT_ITALIC };

typedef struct chart chart;
struct chart {
    void (*draw)(chart *c);
    const mtfs_projection *p;
    int has_covid;       /* mtfs_plot_projection: mark the gap without Covid */
    const mtfs_bridge *bridge;                  /* mtfs_plot_bridge */
    size_t n_series;                            /* mtfs_plot_compare */
    const mtfs_scenario *const *scenarios;
    const mtfs_projection *const *projections;
    const mtfs_mc_result *mc;                   /* mtfs_plot_fan, _exhaustion */
    const mtfs_tornado *tornado;                /* mtfs_plot_tornado */
    const mtfs_formula_result *formula;         /* mtfs_plot_formula */
    const mtfs_backtest *backtest;              /* mtfs_plot_backtest_* */
    const hbar *hbars;   /* mtfs_plot_formula (sorted), mtfs_plot_bars */
    size_t n_hbars;
    size_t highlight;    /* the highlighted one of hbars, or (size_t)-1 */
    const char *subtitle; /* mtfs_plot_bars: subtitle and unit */
    const char *unit;
    size_t horizon;
    int base_year;
    const char *name;
    const char *file;
    double k;            /* page width / 1200: scales lengths set in px */
    double design_h;     /* page height in design px (width is 1200) */
    int rotate_years;    /* year labels at 45 degrees (long horizons) */
    char year[MTFS_HORIZON_MAX + 1][16];
};

/* Decimals shown on a value axis; PLplot hands it to label_money(). */
typedef struct {
    int decimals;
} axis_format;

typedef struct {
    double min, max, step;
} axis_range;

/* Everything the protected drawing code needs; it lives in the caller of
 * the setjmp() frame so nothing it holds is clobbered by a longjmp. */
typedef struct {
    chart *c;
    const format_info *f;
    FILE *mem;
    PLINT prev_stream;
    PLINT stream;
    int stream_made;
    int mem_set;     /* mem handed to PLplot with plsfile */
    int mem_given;   /* PLplot owned mem when the stream ended, and closed it */
    int ended;       /* plend1 ran: the stream is gone */
    int no_driver;   /* the cairo driver for the format is not installed */
} session;

/* ---------------------------------------------------------------------- */
/* Text helpers                                                            */

/* PLplot treats '#' as its escape character; user text must not. */
static void escape_text(const char *in, char *out, size_t size)
{
    size_t j = 0;
    for (; *in && j + 2 < size; in++) {
        if (*in == '#')
            out[j++] = '#';
        out[j++] = *in;
    }
    out[j] = '\0';
}

/* Advance widths of DejaVu Sans and DejaVu Sans Bold, the usual "sans" on
 * Linux, in 1/2048 em for ASCII 32..126.  PLplot does not export a way to
 * measure text, so layout decisions (fit the title, rotate year labels,
 * label the bars) use these; DejaVu is wider than most sans faces, so with
 * another font the estimate errs on the side of space. */
static const unsigned short dejavu_sans_width[95] = {
    651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716, 651,  739,
    651,  690,  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690,  690,
    1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604,
    604,  1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025,
    1403, 1251, 1403, 799,  690,  799,  1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260,
    721,  1300, 1298, 569,  569,  1186, 569,  1995, 1298, 1253, 1300, 1300, 842,  1067,
    803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716};

static const unsigned short dejavu_sans_bold_width[95] = {
    713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
    1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716,
    1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038,
    1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748,
    936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362,
    702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192,
    1458, 748, 1458, 1716};

/* Width in px of the 1200-px design page of raw (unescaped) UTF-8 text
 * drawn with an em of size_px. */
static double text_w(const char *raw, double size_px, int bold)
{
    double units = 0.0;
    const unsigned short *widths = bold ? dejavu_sans_bold_width : dejavu_sans_width;
    const unsigned char *s = (const unsigned char *)raw;
    while (*s) {
        unsigned long cp = *s;
        int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (extra)
            cp &= 0x3Fu >> extra;
        s++;
        for (; extra > 0 && (*s & 0xC0) == 0x80; extra--, s++)
            cp = (cp << 6) | (*s & 0x3Fu);
        if (cp >= 32 && cp <= 126)
            units += widths[cp - 32];
        else if (cp >= 0x1100)
            units += 2048.0; /* ellipsis, CJK and other wide glyphs */
        else
            units += 1400.0;
    }
    return units / 2048.0 * size_px;
}

/* Copy raw text into out (escaped for PLplot), shortening it with an
 * ellipsis until it is at most max_px wide.  Names keep their start, file
 * paths (keep_end) their end, where the informative part is. */
static void fit_text(const char *raw, double size_px, int bold, double max_px,
                     int keep_end, char *out, size_t size)
{
    char trimmed[512];
    size_t len = strlen(raw), cut = 0;
    snprintf(trimmed, sizeof trimmed, "%s", raw);
    while (text_w(trimmed, size_px, bold) > max_px && cut < len) {
        do
            cut++;
        while (cut < len && ((unsigned char)raw[keep_end ? cut : len - cut] & 0xC0) == 0x80);
        if (keep_end)
            snprintf(trimmed, sizeof trimmed, "\xE2\x80\xA6%s", raw + cut);
        else
            snprintf(trimmed, sizeof trimmed, "%.*s\xE2\x80\xA6", (int)(len - cut), raw);
    }
    escape_text(trimmed, out, size);
}

/* Thousands separators and a true minus sign, as a finance reader expects:
 * "1,250", "−20", "2.5". */
static void format_money(double value, int decimals, char *out, size_t size)
{
    char digits[64];
    double scale = pow(10.0, decimals);
    double rounded = round(value * scale) / scale;
    int negative = rounded < 0.0;
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(rounded));
    const char *dot = strchr(digits, '.');
    size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);

    size_t j = 0;
    if (negative && j + 3 < size) {
        memcpy(out + j, "\xE2\x88\x92", 3); /* U+2212 minus */
        j += 3;
    }
    for (size_t i = 0; digits[i] && j + 1 < size; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0 && j + 2 < size)
            out[j++] = ',';
        out[j++] = digits[i];
    }
    out[j] = '\0';
}

static void label_money(PLINT axis, PLFLT value, char *label, PLINT length,
                        PLPointer data)
{
    const axis_format *fmt = data;
    (void)axis;
    if (length > 0)
        format_money(value, fmt ? fmt->decimals : 0, label, (size_t)length);
}

/* ---------------------------------------------------------------------- */
/* Scales                                                                  */

static double nice_step(double span, double target_ticks)
{
    double raw = span / target_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    double r = raw / mag;
    double m = r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 2.5 ? 2.5 : r <= 5.0 ? 5.0 : 10.0;
    return m * mag;
}

static int step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10.0, d) - round(step * pow(10.0, d))) > 1e-6)
        d++;
    return d;
}

/* A tick-aligned range around [lo, hi] with a little air, never crossing
 * zero when zero is one of the ends (bars and reserves start at 0). */
static axis_range nice_range(double lo, double hi, double target_ticks,
                             double pad_fraction)
{
    axis_range r;
    if (!(hi > lo)) {
        double w = fmax(1.0, fabs(hi) * 0.05);
        if (lo != 0.0)
            lo -= w;
        if (hi != 0.0 || lo == 0.0)
            hi += w;
    }
    double pad = (hi - lo) * pad_fraction;
    double plo = lo == 0.0 ? 0.0 : lo - pad;
    double phi = hi == 0.0 ? 0.0 : hi + pad;
    r.step = nice_step(phi - plo, target_ticks);
    r.min = floor(plo / r.step + 1e-9) * r.step;
    r.max = ceil(phi / r.step - 1e-9) * r.step;
    if (r.max <= r.min)
        r.max = r.min + r.step;
    return r;
}

/* ---------------------------------------------------------------------- */
/* Drawing primitives                                                      */

/* Layout is written in px of the 1200-px-wide design page (y down from the
 * top, as a designer measures), converted here to PLplot's normalised page
 * coordinates (y up from the bottom). */
#define DESIGN_W 1200.0

static double nx(double px) { return px / DESIGN_W; }
static double ny(const chart *c, double px_from_top) { return 1.0 - px_from_top / c->design_h; }
static double nh(const chart *c, double px) { return px / c->design_h; }

/* Text with an em of px design pixels.  PLplot gives the cairo driver a
 * height in mm, which it passes to Pango as points; Pango renders points
 * at 96 dpi on a 72-dpi surface. */
static void set_text(const chart *c, double px) { plschr(px * c->k * 25.4 / 96.0, 1.0); }

static void set_bold(int bold) { plsfont(-1, -1, bold ? PL_FCI_BOLD : PL_FCI_MEDIUM); }

static void set_width(const chart *c, double px) { plwidth(px * c->k); }

/* Dashes use PLplot's numbered styles, the only ones pllegend can draw,
 * so a line and its legend sample match. */
enum { LINE_SOLID = 1, LINE_DOTTED = 2, LINE_DASHED = 3 };

/* Whole page as the viewport and world = normalised page coordinates, so
 * text can go anywhere without being clipped to a plot area. */
static void page_coords(void)
{
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
}

/* Whole page as the viewport, x in a panel's data units and y in
 * normalised page units: for the year labels under a panel. */
static void panel_x_page_y(const box *b, double xmin, double xmax)
{
    double per = (xmax - xmin) / (b->x1 - b->x0);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(xmin - b->x0 * per, xmin + (1.0 - b->x0) * per, 0.0, 1.0);
}

/* Text whose line is vertically centred on y; just 0 left, 1 right. */
static void page_text(double x, double y, double just, const char *escaped)
{
    plptex(x, y, 1.0, 0.0, just, escaped);
}

static void panel_window(const box *b, double xmin, double xmax, const axis_range *y)
{
    plvpor(b->x0, b->x1, b->y0, b->y1);
    plwind(xmin, xmax, y->min, y->max);
}

#define TICK_PX 14.0  /* em of axis and legend text */

/* PLplot's custom tick-label callback (plslabelfunc). */
typedef void (*tick_labeller)(PLINT axis, PLFLT value, char *label, PLINT length,
                              PLPointer data);

/* Widest value-axis label of a range, in design px. */
static double tick_labels_w(const axis_range *y, tick_labeller labeller)
{
    char buf[64];
    double w = 0.0;
    axis_format fmt = {step_decimals(y->step)};
    for (double v = y->min; v <= y->max + y->step * 0.5; v += y->step) {
        labeller(PL_Y_AXIS, v, buf, (PLINT)sizeof buf, &fmt);
        w = fmax(w, text_w(buf, TICK_PX, 0));
    }
    return w;
}

/* The horizontal grid of a panel, drawn first so what is drawn next (the
 * fan's opaque bands) covers it.  Leaves the window set to the panel. */
static void panel_grid(const chart *c, const box *b, double xmin, double xmax,
                       const axis_range *y)
{
    panel_window(b, xmin, xmax, y);
    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("", 0.0, 0, "g", y->step, 0);
}

/* Zero line, axes and the unit label of a panel whose grid is drawn, with
 * the bottom edge drawn by plbox options xopt at ticks every xtick.  A NULL
 * unit draws the left edge alone, for a panel that shares the value scale
 * of a labelled one beside it.  The window is left set to the panel for
 * the data that follows. */
static void panel_axes_x(const chart *c, const box *b, double xmin, double xmax,
                         const axis_range *y, const char *unit, tick_labeller labeller,
                         const char *xopt, double xtick)
{
    axis_format fmt = {step_decimals(y->step)};

    panel_window(b, xmin, xmax, y);

    /* Zero gets a line unless the bottom axis already sits on it. */
    if (y->min < 0.0 && y->max >= 0.0) {
        PLFLT zx[2] = {xmin, xmax}, zy[2] = {0.0, 0.0};
        plcol0(COL_ZERO);
        set_width(c, 1.4);
        plline(2, zx, zy);
    }

    set_text(c, TICK_PX);
    plcol0(COL_AXIS);
    set_width(c, 1.2);
    if (!unit) {
        plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
        plbox(xopt, xtick, 1, "b", y->step, 0);
        return;
    }
    plslabelfunc(labeller, &fmt);
    plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
    plbox(xopt, xtick, 1, "bnvox", y->step, 0);
    plslabelfunc(NULL, NULL);

    /* Every panel's unit label sits at the same x unless its tick labels
     * are unusually wide.  plmtex displaces in character heights, which
     * are 0.75 em (see set_text). */
    plcol0(COL_INK);
    double gap_px = fmax(b->x0 * DESIGN_W - 40.0, tick_labels_w(y, labeller) + 22.0);
    plmtex("l", gap_px / (0.75 * TICK_PX), 0.5, 0.5, unit);
}

/* Zero line, axes and the unit label of a panel of years (a tick at each
 * year); the window is left set to the panel. */
static void panel_axes(const chart *c, const box *b, double xmin, double xmax,
                       const axis_range *y, const char *unit, tick_labeller labeller)
{
    panel_axes_x(c, b, xmin, xmax, y, unit, labeller, "bit", 1.0);
}

/* Grid, zero line, axes and the "£m" label of one panel.  The window is
 * left set to the panel for the data that follows. */
static void panel_frame(const chart *c, const box *b, double xmin, double xmax,
                        const axis_range *y)
{
    panel_grid(c, b, xmin, xmax, y);
    panel_axes(c, b, xmin, xmax, y, "\xC2\xA3m", label_money); /* "£m" */
}

/* Financial-year labels under a panel whose x runs over year indexes
 * first..last: side by side when they fit, else at 45 degrees. */
static void year_labels(const chart *c, const box *b, double xmin, double xmax,
                        size_t first, size_t last)
{
    set_text(c, TICK_PX);
    plcol0(COL_INK);
    panel_x_page_y(b, xmin, xmax);
    if (!c->rotate_years) {
        double y = b->y0 - nh(c, 10.0 + 0.6 * TICK_PX);
        for (size_t t = first; t <= last; t++)
            page_text((double)t, y, 0.5, c->year[t]);
        return;
    }
    /* plptex takes a direction in world units; 45 degrees on paper in this
     * window's unequal x and y scales.  The anchor is the end of the text,
     * nudged so the text hangs from its tick. */
    double world_per_px = (xmax - xmin) / ((b->x1 - b->x0) * DESIGN_W);
    double dx = world_per_px, dy = 1.0 / c->design_h;
    double y = b->y0 - nh(c, 8.0 + 0.25 * TICK_PX);
    for (size_t t = first; t <= last; t++)
        plptex((double)t + 0.35 * TICK_PX * world_per_px, y, dx, dy, 1.0, c->year[t]);
}

/* Height the year labels need under a panel, in design px. */
static double year_band(const chart *c)
{
    if (!c->rotate_years)
        return 10.0 + 1.3 * TICK_PX;
    double w = 0.0;
    for (size_t t = 0; t <= c->horizon; t++)
        w = fmax(w, text_w(c->year[t], TICK_PX, 0));
    return 8.0 + (w + 1.2 * TICK_PX) * 0.7071;
}

/* Markers are font glyphs so they match the legend exactly. */
static void markers(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y,
                    PLINT colour, const char *glyph, double px)
{
    plcol0(colour);
    set_text(c, px);
    plstring(n, x, y, glyph);
}

static void polyline(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y,
                     PLINT colour, double width_px)
{
    plcol0(colour);
    set_width(c, width_px);
    plline(n, x, y);
}

typedef struct {
    PLINT opt, colour, text_colour, line_style;
    double line_px;
    const char *symbol;
    double symbol_px;
    const char *text;
} legend_entry;

/* Width in design px of an entry's sample: a line or colour box, or one
 * marker alone. */
static double legend_sample_w(const legend_entry *e)
{
    return e->opt == PL_LEGEND_SYMBOL ? 16.0 : 44.0;
}

/* One row of legend entries, right-aligned with a panel and centred on
 * the page height y_centre.  Each entry is its own pllegend call, placed
 * right to left from the widths PLplot reports, because one multi-column
 * legend gives every column the width of the longest text. */
static void legend_row(const chart *c, const box *b, double y_centre,
                       const legend_entry *e, int n)
{
    const PLINT box_pattern = 0;
    const PLFLT box_scale = 0.9, box_width = 1.0;
    double right = 0.0;

    set_text(c, TICK_PX);
    for (int i = n - 1; i >= 0; i--) {
        PLINT opt = e[i].opt, colour = e[i].colour, text_colour = e[i].text_colour;
        /* A marker without a line is one marker, as on the chart. */
        PLINT style = e[i].line_style, n_symbols = e[i].opt & PL_LEGEND_LINE ? 2 : 1;
        PLFLT line_width = e[i].line_px * c->k;
        PLFLT symbol_scale = e[i].symbol_px > 0.0 ? e[i].symbol_px / TICK_PX : 1.0;
        const char *text = e[i].text;
        const char *symbol = e[i].symbol ? e[i].symbol : "";
        PLFLT w, h;

        /* pllegend places itself relative to the viewport: a strip as wide
         * as the panel, centred on the row. */
        plvpor(b->x0, b->x1, y_centre - nh(c, 8.0), y_centre + nh(c, 8.0));
        plwind(0.0, 1.0, 0.0, 1.0);
        pllegend(&w, &h, 0, PL_POSITION_RIGHT | PL_POSITION_INSIDE, right, 0.0,
                 nx(legend_sample_w(&e[i])) / (b->x1 - b->x0), COL_BG, COL_BG, LINE_SOLID, 1, 1, 1, &opt,
                 0.9, 1.0, 2.0, 0.0, &text_colour, &text, &colour, &box_pattern,
                 &box_scale, &box_width, &colour, &style, &line_width, &colour,
                 &symbol_scale, &n_symbols, &symbol);
        right += (double)w + nx(22.0) / (b->x1 - b->x0);
    }
}

/* Width legend_row gives a row of entries, in design px (its sample,
 * spacing and text), so a heading beside it can be checked for room. */
static double legend_row_w(const legend_entry *e, int n)
{
    double w = 0.0;
    for (int i = 0; i < n; i++)
        w += legend_sample_w(&e[i]) + 16.0 + text_w(e[i].text, TICK_PX, 0) + 22.0;
    return w;
}

/* Bold heading at the panel's left edge, optionally followed by a note in
 * a second colour. */
static void heading(const chart *c, double x, double y, double px, const char *title,
                    const char *note, PLINT note_colour)
{
    page_coords();
    set_text(c, px);
    set_bold(1);
    plcol0(COL_INK);
    page_text(x, y, 0.0, title);
    set_bold(0);
    if (note && note[0]) {
        set_text(c, px - 1.0);
        plcol0(note_colour);
        page_text(x + nx(text_w(title, px, 1) + 0.6 * px), y, 0.0, note);
    }
}

/* The footer: engine version and the scenario file(s) the chart came
 * from, shortened to the page width (at the front for one path, whose
 * end names the file; at the back for a list). */
static void provenance(const chart *c, double x, double y, const char *files, int keep_end)
{
    char raw[512], buf[512];
    page_coords();
    set_text(c, 12.0);
    plcol0(COL_MUTED);
    /* No file (a chart drawn from data in memory) leaves the version. */
    snprintf(raw, sizeof raw, files[0] ? "mtfs %s \xC2\xB7 " : "mtfs %s", MTFS_VERSION);
    double room = DESIGN_W - 48.0 - text_w(raw, 12.0, 0);
    fit_text(files, 12.0, 0, room, keep_end, buf, sizeof buf);
    snprintf(raw + strlen(raw), sizeof raw - strlen(raw), "%s", buf);
    page_text(x, y, 0.0, raw);
}

/* ---------------------------------------------------------------------- */
/* The projection chart                                                    */

#define GLYPH_CIRCLE "\xE2\x97\x8F"  /* U+25CF */
#define GLYPH_SQUARE "\xE2\x96\xA0"  /* U+25A0 */
#define GLYPH_DIAMOND "\xE2\x97\x86" /* U+25C6 */
#define GLYPH_TRIANGLE_UP "\xE2\x96\xB2" /* U+25B2 */

static void draw_chart(chart *c)
{
    const mtfs_projection *p = c->p;
    const size_t T = c->horizon;
    const PLINT n = (PLINT)T;
    char buf[512], raw[512];
    PLFLT xs[MTFS_HORIZON_MAX + 1], ys[MTFS_HORIZON_MAX + 1], ys2[MTFS_HORIZON_MAX + 1];

    pladv(0);

    /* Thirty years of full-size markers would merge into a band. */
    const double mark = T > 15 ? 0.75 : 1.0;

    /* Year labels side by side when each fits its slot. */
    const double left_px = 104.0, right_px = 1170.0;
    {
        double widest = 0.0;
        for (size_t t = 0; t <= T; t++)
            widest = fmax(widest, text_w(c->year[t], TICK_PX, 0));
        double slot = (right_px - left_px) / ((double)T + 1.0);
        c->rotate_years = widest + 12.0 > slot;
    }
    double band = year_band(c);

    /* Vertical layout in design px from the top; the three plot areas
     * share what the text rows leave. */
    const double title_y = 34.0, head_a = 76.0, a_top = 100.0;
    const double head_gap = 26.0;   /* heading row centre above a plot */
    const double fixed = a_top + 60.0 + band + 62.0 + band + 30.0 + 34.0;
    double avail = c->design_h - fixed;
    double h_a = avail * 0.38, h_g = avail * 0.21, h_r = avail * 0.41;
    double a_bottom = a_top + h_a;
    double g_top = a_bottom + 60.0, g_bottom = g_top + h_g;
    double r_top = g_bottom + band + 62.0, r_bottom = r_top + h_r;
    double fy_title = r_bottom + band + 12.0;
    double footer = c->design_h - 14.0;

    box a = {nx(left_px), nx(right_px), ny(c, a_bottom), ny(c, a_top)};
    box g = {nx(left_px), nx(right_px), ny(c, g_bottom), ny(c, g_top)};
    box r = {nx(left_px), nx(right_px), ny(c, r_bottom), ny(c, r_top)};
    const double text_left = nx(24.0);

    /* Title. */
    page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    {
        /* A long scenario name is shortened; what the chart shows is not. */
        static const char suffix[] = ": spending, funding and gap";
        char name[400];
        double room = right_px - 24.0 - text_w(suffix, 23.0, 1);
        fit_text(c->name, 23.0, 1, room, 0, name, sizeof name);
        snprintf(buf, sizeof buf, "%s%s", name, suffix);
        page_text(text_left, ny(c, title_y), 0.0, buf);
    }
    set_bold(0);

    /* Spending and funding, from the base year, where the approved budget
     * balances by definition (gap(0) = 0): the lines open like jaws from a
     * common point.  Every panel shares the x range of the reserves panel,
     * so a year sits at the same place on the whole page. */
    const double x0 = -0.5, x1 = (double)T + 0.5;
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        ys[t] = t ? p->funding[t] : p->expenditure[0];
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(p->expenditure[t], ys[t]));
        hi = fmax(hi, fmax(p->expenditure[t], ys[t]));
    }
    axis_range ya = nice_range(lo, hi, 5.0, 0.06);
    panel_frame(c, &a, x0, x1, &ya);
    polyline(c, n + 1, xs, p->expenditure, COL_SPEND, 2.6);
    polyline(c, n + 1, xs, ys, COL_FUND, 2.6);
    markers(c, n + 1, xs, p->expenditure, COL_SPEND, GLYPH_CIRCLE, 15.0 * mark);
    markers(c, n + 1, xs, ys, COL_FUND, GLYPH_SQUARE, 13.0 * mark);

    heading(c, text_left, ny(c, head_a), 16.0, "Spending and funding", NULL, COL_INK);
    const legend_entry la[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_SPEND, COL_INK, LINE_SOLID, 2.6, GLYPH_CIRCLE,
         15.0, "Spending"},
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_FUND, COL_INK, LINE_SOLID, 2.6, GLYPH_SQUARE,
         13.0, "Funding"},
    };
    legend_row(c, &a, ny(c, head_a), la, 2);

    /* The gap on its own scale: it is a tenth of spending or less. */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 1; t <= T; t++) {
        lo = fmin(lo, p->gap[t]);
        hi = fmax(hi, p->gap[t]);
        if (c->has_covid) {
            lo = fmin(lo, p->gap_without_covid[t]);
            hi = fmax(hi, p->gap_without_covid[t]);
        }
    }
    /* Values on the bars when every one fits its column. */
    const double value_px = 12.5;
    int bar_values = 1;
    {
        double slot = (right_px - left_px) / ((double)T + 1.0);
        for (size_t t = 1; t <= T && bar_values; t++) {
            format_money(p->gap[t], 1, raw, sizeof raw);
            bar_values = text_w(raw, value_px, 0) + 6.0 < slot;
        }
    }
    axis_range yg = nice_range(lo, hi, 3.0, bar_values ? 0.25 : 0.06);
    panel_frame(c, &g, x0, x1, &yg);
    /* Bars fill two thirds of a year, but a one-year chart gets a bar, not
     * a wall. */
    const double bar_half = fmin(0.32, 60.0 / ((right_px - left_px) / (x1 - x0)));
    for (size_t t = 1; t <= T; t++) {
        double v = p->gap[t];
        if (v == 0.0)
            continue;
        PLFLT bx[4] = {(double)t - bar_half, (double)t + bar_half, (double)t + bar_half,
                       (double)t - bar_half};
        PLFLT by[4] = {0.0, 0.0, v, v};
        plcol0(v > 0.0 ? COL_GAP : COL_SURPLUS);
        plfill(4, bx, by);
    }
    /* With Covid, a dashed line across each bar marks the gap the year
     * would have had without it, so the Covid share reads off the bar. */
    if (c->has_covid) {
        plcol0(COL_INK);
        set_width(c, 2.2);
        pllsty(LINE_DASHED);
        for (size_t t = 1; t <= T; t++) {
            PLFLT lx[2] = {(double)t - bar_half - 0.06, (double)t + bar_half + 0.06};
            PLFLT ly[2] = {p->gap_without_covid[t], p->gap_without_covid[t]};
            plline(2, lx, ly);
        }
        pllsty(LINE_SOLID);
    }
    if (bar_values) {
        double off = nh(c, 0.85 * value_px) * (yg.max - yg.min) / (g.y1 - g.y0);
        plcol0(COL_INK);
        set_text(c, value_px);
        for (size_t t = 1; t <= T; t++) {
            double v = p->gap[t];
            format_money(v, 1, raw, sizeof raw);
            plptex((double)t, v >= 0.0 ? v + off : v - off, 1.0, 0.0, 0.5, raw);
        }
    }
    heading(c, text_left, ny(c, g_top - head_gap), 16.0, "Annual gap",
            "spending minus funding", COL_MUTED);
    const legend_entry shortfall = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Shortfall"};
    const legend_entry surplus = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0,
                                  NULL, 0.0, "Surplus"};
    const legend_entry without_covid = {PL_LEGEND_LINE, COL_INK, COL_INK, LINE_DASHED, 2.2,
                                        NULL, 0.0, "Gap without Covid"};
    legend_entry lg[3];
    int n_lg = 0;
    if (hi > 0.0 || lo == 0.0)
        lg[n_lg++] = shortfall;
    if (lo < 0.0)
        lg[n_lg++] = surplus;
    if (c->has_covid)
        lg[n_lg++] = without_covid;
    legend_row(c, &g, ny(c, g_top - head_gap), lg, n_lg);
    year_labels(c, &g, x0, x1, 0, T);

    /* Reserves against the minimum, from the base-year balance (t = 0). */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(p->reserves[t], p->minimum_reserves[t]));
        hi = fmax(hi, fmax(p->reserves[t], p->minimum_reserves[t]));
    }
    axis_range yr = nice_range(lo, hi, 5.0, 0.06);
    const double rx0 = x0, rx1 = x1;
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        ys[t] = p->reserves[t];
        ys2[t] = p->minimum_reserves[t];
    }
    /* The minimum runs edge to edge, held flat beyond the first and last
     * year, with the zone below it lightly shaded. */
    PLFLT mx[MTFS_HORIZON_MAX + 3], my[MTFS_HORIZON_MAX + 3];
    PLINT m = 0;
    mx[m] = rx0, my[m++] = ys2[0];
    for (size_t t = 0; t <= T; t++)
        mx[m] = xs[t], my[m++] = ys2[t];
    mx[m] = rx1, my[m++] = ys2[T];
    {
        PLFLT fx[MTFS_HORIZON_MAX + 5], fy[MTFS_HORIZON_MAX + 5];
        PLINT k = 0;
        fx[k] = rx0, fy[k++] = yr.min;
        for (PLINT i = 0; i < m; i++)
            fx[k] = mx[i], fy[k++] = my[i];
        fx[k] = rx1, fy[k++] = yr.min;
        panel_window(&r, rx0, rx1, &yr);
        plcol0(COL_DANGER);
        plfill(k, fx, fy);
    }
    panel_frame(c, &r, rx0, rx1, &yr);
    pllsty(LINE_DASHED);
    polyline(c, m, mx, my, COL_MINIMUM, 2.2);
    pllsty(LINE_SOLID);
    size_t ex = p->exhaustion_index;
    int exhausted = ex > 0 && ex <= T;
    if (exhausted) {
        PLFLT vx[2] = {(double)ex, (double)ex}, vy[2] = {yr.min, yr.max};
        pllsty(LINE_DOTTED);
        polyline(c, 2, vx, vy, COL_ALERT, 2.0);
        pllsty(LINE_SOLID);
    }
    polyline(c, n + 1, xs, ys, COL_RESERVES, 2.6);
    markers(c, n + 1, xs, ys, COL_RESERVES, GLYPH_DIAMOND, 17.0 * mark);

    if (exhausted)
        snprintf(raw, sizeof raw, "below the minimum from %s", c->year[ex]);
    else
        snprintf(raw, sizeof raw, "at or above the minimum in every year");
    heading(c, text_left, ny(c, r_top - head_gap), 18.0, "Reserves", raw,
            exhausted ? COL_ALERT : COL_MUTED);
    const legend_entry lr[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_RESERVES, COL_INK, LINE_SOLID, 2.6,
         GLYPH_DIAMOND, 17.0, "Reserves"},
        {PL_LEGEND_LINE, COL_MINIMUM, COL_INK, LINE_DASHED, 2.2, NULL, 0.0, "Minimum reserves"},
        {PL_LEGEND_LINE, COL_ALERT, COL_INK, LINE_DOTTED, 2.0, NULL, 0.0,
         "First year below minimum"},
    };
    legend_row(c, &r, ny(c, r_top - head_gap), lr, exhausted ? 3 : 2);
    year_labels(c, &r, rx0, rx1, 0, T);

    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (r.x0 + r.x1), ny(c, fy_title), 0.5, "Financial year");

    provenance(c, text_left, ny(c, footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* Category labels                                                         */

#define WRAP_LINES 4

typedef struct {
    int n;
    char line[WRAP_LINES][128];
} wrapped;

/* Greedy word wrap of raw text into at most max_lines lines no wider than
 * max_px.  Lines break at spaces, or after a hyphen ("Council-" / "tax
 * rises") when the whole word does not fit.  Returns the number of lines,
 * or -1 when the text needs more or one part alone is too wide. */
static int wrap_text(const char *raw, double px, int bold, double max_px, int max_lines,
                     wrapped *w)
{
    char line[128] = "", piece[128], trial[260];
    int space = 0;
    w->n = 0;
    if (max_lines > WRAP_LINES)
        max_lines = WRAP_LINES;
    while (*raw) {
        if (*raw == ' ') {
            space = 1;
            raw++;
            continue;
        }
        size_t len = strcspn(raw, " -");
        if (raw[len] == '-')
            len++;
        if (len >= sizeof piece)
            return -1;
        memcpy(piece, raw, len);
        piece[len] = '\0';
        raw += len;
        snprintf(trial, sizeof trial, "%s%s%s", line, line[0] && space ? " " : "", piece);
        space = 0;
        if (strlen(trial) < sizeof line && text_w(trial, px, bold) <= max_px) {
            memcpy(line, trial, strlen(trial) + 1);
            continue;
        }
        if (!line[0] || text_w(piece, px, bold) > max_px || w->n + 1 >= max_lines)
            return -1;
        memcpy(w->line[w->n++], line, sizeof line);
        memcpy(line, piece, len + 1);
    }
    if (line[0])
        memcpy(w->line[w->n++], line, sizeof line);
    return w->n;
}

/* An end of a value range that is within 2% of the range from zero is
 * taken as zero, so the axis starts there. */
static double snap_to_zero(double v, double span)
{
    return fabs(v) < 0.02 * span ? 0.0 : v;
}

/* "£567.6m", "−£12.0m" (the sign before the pound sign, as printed in
 * council papers). */
static void format_pounds_m(double value, char *out, size_t size)
{
    char num[48];
    format_money(value, 1, num, sizeof num);
    int negative = strncmp(num, "\xE2\x88\x92", 3) == 0;
    snprintf(out, size, "%s\xC2\xA3%sm", negative ? "\xE2\x88\x92" : "", num + (negative ? 3 : 0));
}

/* ---------------------------------------------------------------------- */
/* The gap bridge                                                          */

/* Items smaller than this would print as "+0.0" or "−0.0": not drawn. */
#define BRIDGE_MIN_ITEM 0.05

enum { BAR_START, BAR_RISE, BAR_FALL, BAR_TOTAL };

typedef struct {
    char label[128]; /* raw text under the bar */
    double from, to; /* the running gap before and after the bar, £m */
    int kind;
    int item;        /* mtfs_bridge_item of a rise or fall */
    int funding;
    wrapped wrap;
} wf_bar;

/* Whether a bar's value goes above it (rises, a gap) or below (falls, a
 * surplus), where it does not cover the connector to the next bar. */
static int value_above(const wf_bar *w)
{
    return w->kind == BAR_RISE || w->kind == BAR_START || (w->kind == BAR_TOTAL && w->to >= 0.0);
}

static void draw_bridge(chart *c)
{
    const mtfs_bridge *b = c->bridge;
    char raw[512], buf[512], money[64], base_label[16], year_label[16];
    wf_bar bars[MTFS_BRIDGE_N + 2];
    int nb = 0, first_spending = -1, first_funding = -1, n_rise = 0, n_fall = 0;

    mtfs_year_label(c->base_year, base_label, sizeof base_label);
    mtfs_year_label(c->base_year + (int)b->year_index, year_label, sizeof year_label);
    const int balanced_base = fabs(b->item[MTFS_BRIDGE_BASE_BALANCE]) < BRIDGE_MIN_ITEM;

    /* The bridge starts from the base year's budget, where the gap is zero
     * by construction; any base-year imbalance is its own item. */
    format_pounds_m(b->base_budget, money, sizeof money);
    memset(bars, 0, sizeof bars);
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s budget %s", base_label, money);
    bars[nb++].kind = BAR_START;
    /* Items too small to show still move the running total, so the last
     * connector meets the gap bar exactly. */
    double running = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++) {
        double v = b->item[i], from = running;
        running += v;
        if (fabs(v) < BRIDGE_MIN_ITEM)
            continue;
        wf_bar *w = &bars[nb++];
        snprintf(w->label, sizeof w->label, "%s", mtfs_bridge_label((mtfs_bridge_item)i));
        w->from = from;
        w->to = running;
        w->kind = v > 0.0 ? BAR_RISE : BAR_FALL;
        w->item = i;
        w->funding = mtfs_bridge_is_funding((mtfs_bridge_item)i);
        if (w->funding && first_funding < 0)
            first_funding = nb - 1;
        if (!w->funding && i != MTFS_BRIDGE_BASE_BALANCE && first_spending < 0)
            first_spending = nb - 1;
        if (v > 0.0)
            n_rise++;
        else
            n_fall++;
    }
    const double gap = b->gap;
    const int surplus = gap <= -BRIDGE_MIN_ITEM;
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s in %s", surplus ? "Surplus" : "Gap",
             year_label);
    bars[nb].to = gap;
    bars[nb++].kind = BAR_TOTAL;

    /* Horizontal layout: one slot per bar.  Category labels are wrapped
     * under their bar in the largest size at which all fit ("Contingency"
     * is the widest word); a crowded bridge turns them 45 degrees
     * instead, with room on the left for the first ones. */
    const double right_px = 1170.0;
    double left_px = 104.0;
    double slot = (right_px - left_px) / nb;
    double label_px = 0.0;
    int lines = 0;
    {
        static const double sizes[] = {13.5, 13.0, 12.5, 12.0, 11.5};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && label_px == 0.0; k++) {
            int ok = 1;
            lines = 0;
            for (int i = 0; i < nb && ok; i++) {
                int m = wrap_text(bars[i].label, sizes[k], bars[i].kind == BAR_TOTAL,
                                  slot - 5.0, WRAP_LINES, &bars[i].wrap);
                ok = m > 0;
                lines = m > lines ? m : lines;
            }
            if (ok)
                label_px = sizes[k];
        }
    }
    const int rotate = label_px == 0.0;
    double label_h;
    if (rotate) {
        label_px = 12.5;
        double widest = 0.0;
        for (int pass = 0; pass < 2; pass++) {
            double need = 104.0;
            for (int i = 0; i < nb; i++) {
                double w = text_w(bars[i].label, label_px, bars[i].kind == BAR_TOTAL);
                widest = fmax(widest, w);
                need = fmax(need, 20.0 + (w + 0.6 * label_px) * 0.7071 - (i + 0.5) * slot);
            }
            left_px = need;
            slot = (right_px - left_px) / nb;
        }
        label_h = 10.0 + (widest + 1.2 * label_px) * 0.7071;
    } else {
        label_h = 12.0 + lines * 1.25 * label_px;
    }

    /* Vertical layout in design px from the top. */
    const double title_y = 34.0, sub_y = 68.0, top = 104.0;
    const double footer = c->design_h - 14.0;
    const int groups = first_spending > 0 || first_funding > 0;
    const double group_h = groups ? 34.0 : 0.0;
    const double bottom = footer - 30.0 - group_h - label_h;
    const double text_left = nx(24.0);
    box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};
    const double x0 = -0.5, x1 = (double)nb - 0.5;

    /* Values go above rises and below falls; the scale leaves room for
     * them beyond the highest and lowest bars. */
    double value_px = 13.0;
    {
        double widest = 0.0;
        for (int i = 0; i < nb; i++) {
            format_money(bars[i].to - bars[i].from, 1, raw, sizeof raw);
            widest = fmax(widest, text_w(raw, value_px, 1) + text_w("+", value_px, 0));
        }
        if (widest > slot - 6.0)
            value_px = fmax(10.0, value_px * (slot - 6.0) / widest);
    }
    double lo = 0.0, hi = 0.0, top_need = -INFINITY, bot_need = INFINITY;
    for (int i = 0; i < nb; i++) {
        double a = fmin(bars[i].from, bars[i].to), z = fmax(bars[i].from, bars[i].to);
        lo = fmin(lo, a);
        hi = fmax(hi, z);
        if (value_above(&bars[i]))
            top_need = fmax(top_need, z);
        else
            bot_need = fmin(bot_need, a);
    }
    if (hi - lo < 1.0)
        hi = lo + 1.0;
    {
        double f = 1.7 * value_px / (bottom - top);
        double pad = (hi - lo) * f / (1.0 - 2.0 * f);
        if (isfinite(top_need))
            hi = fmax(hi, top_need + pad);
        if (isfinite(bot_need))
            lo = fmin(lo, bot_need - pad);
    }
    /* A sliver beyond zero (an item too small to draw, carried in the
     * running total) must not cost the axis a whole step: the ticks are
     * chosen as if it were zero and the window then just covers it. */
    axis_range yr = nice_range(snap_to_zero(lo, hi - lo), snap_to_zero(hi, hi - lo), 7.0, 0.0);
    yr.min = fmin(yr.min, lo);
    yr.max = fmax(yr.max, hi);

    pladv(0);

    /* Title and subtitle. */
    page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    {
        char suffix[64], name[400];
        snprintf(suffix, sizeof suffix, ": gap bridge to %s", year_label);
        fit_text(c->name, 23.0, 1, right_px - 24.0 - text_w(suffix, 23.0, 1), 0, name,
                 sizeof name);
        snprintf(buf, sizeof buf, "%s%s", name, suffix);
        page_text(text_left, ny(c, title_y), 0.0, buf);
    }
    set_bold(0);

    legend_entry lg[3];
    int n_lg = 0;
    const legend_entry rise = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Widens the gap"};
    const legend_entry fall = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Narrows the gap"};
    const legend_entry total = {PL_LEGEND_COLOR_BOX, COL_TOTAL, COL_INK, LINE_SOLID, 0.0, NULL,
                                0.0, surplus ? "Surplus" : "Gap"};
    if (n_rise)
        lg[n_lg++] = rise;
    if (n_fall)
        lg[n_lg++] = fall;
    lg[n_lg++] = total;
    double legend_w = legend_row_w(lg, n_lg);

    {
        char to[96], amount[64];
        format_pounds_m(fabs(gap), amount, sizeof amount);
        if (surplus)
            snprintf(to, sizeof to, "a surplus of %s", amount);
        else if (gap < BRIDGE_MIN_ITEM)
            snprintf(to, sizeof to, "a balanced budget");
        else
            snprintf(to, sizeof to, "a gap of %s", amount);
        snprintf(raw, sizeof raw, "From %s %s budget of %s to %s in %s",
                 balanced_base ? "a balanced" : "the", base_label, money, to, year_label);
        fit_text(raw, 15.0, 0, right_px - legend_w - 40.0 - 24.0, 0, buf, sizeof buf);
        page_coords();
        set_text(c, 15.0);
        plcol0(COL_MUTED);
        page_text(text_left, ny(c, sub_y), 0.0, buf);
    }
    legend_row(c, &pb, ny(c, sub_y), lg, n_lg);

    panel_frame(c, &pb, x0, x1, &yr);

    /* Spending items, then funding items, parted by a dotted rule. */
    if (first_funding > 1 && first_spending > 0) {
        PLFLT sx[2] = {first_funding - 0.5, first_funding - 0.5}, sy[2] = {yr.min, yr.max};
        pllsty(LINE_DOTTED);
        polyline(c, 2, sx, sy, COL_ZERO, 1.2);
        pllsty(LINE_SOLID);
    }

    /* Bars, at least 2 px tall so a small item is still seen. */
    const double bar_half = fmin(0.34, 48.0 / slot);
    const double min_h = 2.0 * (yr.max - yr.min) / (bottom - top);
    for (int i = 0; i < nb; i++) {
        const wf_bar *w = &bars[i];
        PLFLT bx[4] = {i - bar_half, i + bar_half, i + bar_half, i - bar_half};
        if (w->kind == BAR_START) {
            PLFLT lx[2] = {i - bar_half, i + bar_half}, ly[2] = {0.0, 0.0};
            polyline(c, 2, lx, ly, COL_TOTAL, 3.5);
            continue;
        }
        double a = w->from, z = w->to;
        if (fabs(z - a) < min_h)
            z = a + (z >= a ? min_h : -min_h);
        PLFLT by[4] = {a, a, z, z};
        plcol0(w->kind == BAR_RISE ? COL_GAP : w->kind == BAR_FALL ? COL_SURPLUS : COL_TOTAL);
        plfill(4, bx, by);
    }
    /* Connectors carry the running gap from each bar to the next. */
    for (int i = 0; i + 1 < nb; i++) {
        PLFLT cx[2] = {i + bar_half, i + 1 - bar_half}, cy[2] = {bars[i].to, bars[i].to};
        polyline(c, 2, cx, cy, COL_CONNECTOR, 1.2);
    }

    /* Values. */
    {
        double off = nh(c, 0.85 * value_px) * (yr.max - yr.min) / (pb.y1 - pb.y0);
        double per_px_x = (x1 - x0) / (right_px - left_px);
        double per_px_y = (yr.max - yr.min) / (bottom - top);
        set_text(c, value_px);
        for (int i = 0; i < nb; i++) {
            const wf_bar *w = &bars[i];
            int above = value_above(w);
            double level = above ? fmax(w->from, w->to) : fmin(w->from, w->to);
            if (w->kind == BAR_START) {
                snprintf(raw, sizeof raw, "%s", balanced_base ? "balanced" : "0.0");
            } else {
                char num[64];
                format_money(w->to - w->from, 1, num, sizeof num);
                snprintf(raw, sizeof raw, "%s%s", w->kind == BAR_RISE ? "+" : "", num);
            }
            /* On a white ground, so a grid or zero line never runs
             * through the figure. */
            double y = above ? level + off : level - off;
            double hw = 0.5 * (text_w(raw, value_px, w->kind == BAR_TOTAL) + 4.0) * per_px_x;
            double hh = 0.6 * value_px * per_px_y;
            PLFLT gx[4] = {i - hw, i + hw, i + hw, i - hw}, gy[4] = {y - hh, y - hh, y + hh, y + hh};
            plcol0(COL_BG);
            plfill(4, gx, gy);
            plcol0(w->kind == BAR_START ? COL_MUTED : COL_INK);
            set_bold(w->kind == BAR_TOTAL);
            plptex(i, y, 1.0, 0.0, 0.5, raw);
        }
        set_bold(0);
    }

    /* Category labels. */
    set_text(c, label_px);
    plcol0(COL_INK);
    panel_x_page_y(&pb, x0, x1);
    if (!rotate) {
        for (int i = 0; i < nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            for (int l = 0; l < bars[i].wrap.n; l++) {
                escape_text(bars[i].wrap.line[l], buf, sizeof buf);
                page_text(i, pb.y0 - nh(c, 10.0 + (0.6 + 1.25 * l) * label_px), 0.5, buf);
            }
        }
    } else {
        /* As year_labels: 45 degrees on paper in this window's scales, the
         * end of the text at its tick. */
        double world_per_px = (x1 - x0) / ((pb.x1 - pb.x0) * DESIGN_W);
        double dx = world_per_px, dy = 1.0 / c->design_h;
        double y = pb.y0 - nh(c, 8.0 + 0.25 * label_px);
        for (int i = 0; i < nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            escape_text(bars[i].label, buf, sizeof buf);
            plptex(i + 0.35 * label_px * world_per_px, y, dx, dy, 1.0, buf);
        }
    }
    set_bold(0);

    /* Which bars are spending and which funding: a bracket under each
     * group with its name. */
    if (groups) {
        /* The base-year imbalance, if any, is in neither group. */
        int last_item = nb - 2;
        int ranges[2][2] = {{first_spending, first_funding < 0 ? last_item : first_funding - 1},
                            {first_funding, last_item}};
        static const char *names[2] = {"Spending", "Funding"};
        double yb = pb.y0 - nh(c, label_h + 4.0), tick = nh(c, 5.0);
        double yt = yb - nh(c, 14.0);
        for (int g = 0; g < 2; g++) {
            if (ranges[g][0] < 0 || ranges[g][1] < ranges[g][0])
                continue;
            double a = ranges[g][0] - 0.44, z = ranges[g][1] + 0.44;
            PLFLT gx[4] = {a, a, z, z}, gy[4] = {yb + tick, yb, yb, yb + tick};
            polyline(c, 4, gx, gy, COL_ZERO, 1.2);
            set_text(c, 13.0);
            plcol0(COL_MUTED);
            page_text(0.5 * (a + z), yt, 0.5, names[g]);
        }
    }

    provenance(c, text_left, ny(c, footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* Scenarios compared                                                      */

#define SERIES_N 12
#define COMPARE_MAX 24

/* Marker shapes of the compare lines.  Hollow shapes are drawn over a
 * white copy of their filled twin, so the line does not show through. */
static const struct {
    const char *glyph, *fill;
    double px;
} series_marker[SERIES_N] = {
    {"\xE2\x97\x8F", NULL, 14.0},           /* U+25CF circle */
    {"\xE2\x96\xA0", NULL, 12.0},           /* U+25A0 square */
    {"\xE2\x97\x86", NULL, 16.0},           /* U+25C6 diamond */
    {"\xE2\x96\xB2", NULL, 13.0},           /* U+25B2 triangle up */
    {"\xE2\x96\xBC", NULL, 13.0},           /* U+25BC triangle down */
    {"\xE2\x97\x8B", "\xE2\x97\x8F", 14.0}, /* U+25CB open circle */
    {"\xE2\x96\xA1", "\xE2\x96\xA0", 12.0}, /* U+25A1 open square */
    {"\xE2\x97\x87", "\xE2\x97\x86", 16.0}, /* U+25C7 open diamond */
    {"\xE2\x96\xB3", "\xE2\x96\xB2", 13.0}, /* U+25B3 open triangle up */
    {"\xE2\x96\xBD", "\xE2\x96\xBC", 13.0}, /* U+25BD open triangle down */
    {"\xE2\x98\x85", NULL, 16.0},           /* U+2605 star */
    {"\xE2\x9C\x9A", NULL, 14.0},           /* U+271A cross */
};

/* Colour and marker of series i: the first 12 pair colour i with marker
 * i; later ones reuse the colours with a shifted marker, so no two
 * series share both. */
static PLINT series_colour(size_t i) { return COL_SERIES + (PLINT)(i % SERIES_N); }
static size_t series_shape(size_t i) { return (i + i / SERIES_N * 5) % SERIES_N; }

static void series_markers(const chart *c, size_t i, PLINT n, const PLFLT *x, const PLFLT *y,
                           double scale)
{
    size_t m = series_shape(i);
    if (series_marker[m].fill)
        markers(c, n, x, y, COL_BG, series_marker[m].fill, series_marker[m].px * scale);
    markers(c, n, x, y, series_colour(i), series_marker[m].glyph, series_marker[m].px * scale);
}

/* Rectangle in design px, y down. */
typedef struct {
    double x0, y0, x1, y1;
} rect;

static int rects_overlap(const rect *a, const rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Whether segment a-b crosses or lies in rectangle r (Liang-Barsky). */
static int segment_hits(double ax, double ay, double bx, double by, const rect *r)
{
    double t0 = 0.0, t1 = 1.0;
    const double p[4] = {ax - bx, bx - ax, ay - by, by - ay};
    const double q[4] = {ax - r->x0, r->x1 - ax, ay - r->y0, r->y1 - ay};
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0.0) {
            if (q[k] < 0.0)
                return 0;
            continue;
        }
        double t = q[k] / p[k];
        if (p[k] < 0.0) {
            if (t > t1)
                return 0;
            t0 = fmax(t0, t);
        } else {
            if (t < t0)
                return 0;
            t1 = fmin(t1, t);
        }
    }
    return 1;
}

/* The end label of one compare line: its final-year value. */
typedef struct {
    size_t series;
    double x, y;  /* the line's last point, design px */
    double want;  /* wanted centre y, design px */
    double w;     /* text width */
    int at_end;   /* the line reaches the last year of the chart */
    int shown;
    rect r;
    char text[64];
} end_label;

static int by_want(const void *a, const void *b)
{
    const end_label *const *x = a, *const *y = b;
    return ((*x)->want > (*y)->want) - ((*x)->want < (*y)->want);
}

/* Spread labels in a column (sorted by wanted y) so none overlap: those
 * that would collide are merged into a block centred where they wanted to
 * be, then the blocks are kept inside [lim0, lim1]. */
static void spread_labels(end_label **l, size_t n, double h, double lim0, double lim1)
{
    size_t start[COMPARE_MAX], count[COMPARE_MAX];
    double pos[COMPARE_MAX];
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        start[nc] = i;
        count[nc] = 1;
        pos[nc] = l[i]->want - 0.5 * h;
        nc++;
        while (nc > 1 && pos[nc - 2] + (double)count[nc - 2] * h > pos[nc - 1]) {
            size_t s0 = start[nc - 2], k = count[nc - 2] + count[nc - 1];
            double mean = 0.0;
            for (size_t j = s0; j < s0 + k; j++)
                mean += l[j]->want;
            mean /= (double)k;
            nc--;
            count[nc - 1] = k;
            pos[nc - 1] = mean - 0.5 * h * (double)k;
        }
    }
    for (size_t ci = 0; ci < nc; ci++) {
        double block = (double)count[ci] * h;
        double p = fmax(lim0, fmin(pos[ci], lim1 - block));
        for (size_t j = 0; j < count[ci]; j++) {
            end_label *e = l[start[ci] + j];
            double cy = p + ((double)j + 0.5) * h;
            e->r.y0 = cy - 0.5 * h;
            e->r.y1 = cy + 0.5 * h;
        }
    }
}

/* A tick-aligned range for lines with markers: ticks around [lo, hi]
 * (an end within 2% of zero taken as zero), then the window widened, off
 * the ticks, so that a marker at a data extreme dlo or dhi keeps margin_px
 * of room in a plot plot_px tall (PLplot clips to the plot area). */
static axis_range marked_range(double lo, double hi, double dlo, double dhi,
                               double target_ticks, double plot_px, double margin_px)
{
    axis_range r = nice_range(snap_to_zero(lo, hi - lo), snap_to_zero(hi, hi - lo),
                              target_ticks, 0.06);
    double margin = margin_px * (r.max - r.min) / plot_px;
    r.min = fmin(r.min, dlo - margin);
    r.max = fmax(r.max, dhi + margin);
    return r;
}

/* "20/21": a financial year in its short form, for narrow axes. */
static char *short_year_label(int first_calendar_year, char *buf, size_t size)
{
    int a = (first_calendar_year % 100 + 100) % 100;
    snprintf(buf, size, "%02d/%02d", a, (a + 1) % 100);
    return buf;
}

/* Financial-year labels under a panel whose x runs over calendar years
 * (the first year of each financial year) first..last: every one when
 * they fit side by side, else (if short_ok) every one in the short form
 * "20/21", else every 2nd, 5th, ... (ticks stay on every year). */
static void calendar_year_labels(const chart *c, const box *pb, double x0, double x1,
                                 int first, int last, int short_ok)
{
    char label[16];
    char *(*name)(int, char *, size_t) = mtfs_year_label;
    const double px_per_x = (pb->x1 - pb->x0) * DESIGN_W / (x1 - x0);
    double widest = 0.0;
    for (int y = first; y <= last; y++)
        widest = fmax(widest, text_w(name(y, label, sizeof label), TICK_PX, 0));
    if (short_ok && widest + 12.0 > px_per_x) {
        name = short_year_label;
        widest = 0.0;
        for (int y = first; y <= last; y++)
            widest = fmax(widest, text_w(name(y, label, sizeof label), TICK_PX, 0));
    }
    static const int steps[] = {1, 2, 5, 10, 20, 50, 100, 1000};
    int step = 1;
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        step = steps[k];
        if (widest + 12.0 <= step * px_per_x)
            break;
    }
    set_text(c, TICK_PX);
    plcol0(COL_INK);
    panel_x_page_y(pb, x0, x1);
    for (int y = first; y <= last; y++)
        if (step == 1 || y % step == 0)
            page_text(y, pb->y0 - nh(c, 10.0 + 0.6 * TICK_PX), 0.5, name(y, label, sizeof label));
}

static void draw_compare(chart *c)
{
    const size_t n = c->n_series;
    char raw[512], buf[512];
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];

    /* The x axis runs over calendar years (the first year of each
     * financial year), so scenarios of different eras line up. */
    int first = 0, last = 0;
    double lo = 0.0, hi = 0.0;
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = c->projections[i];
        int by = mtfs_scenario_base_year(c->scenarios[i]);
        if (i == 0 || by + 1 < first)
            first = by + 1;
        if (i == 0 || by + (int)p->horizon > last)
            last = by + (int)p->horizon;
        for (size_t t = 1; t <= p->horizon; t++) {
            lo = fmin(lo, p->gap[t]);
            hi = fmax(hi, p->gap[t]);
        }
    }
    const double x0 = first - 0.5, x1 = last + 0.5;
    const double span = x1 - x0;
    const double mark = span > 15.0 ? 0.75 : 1.0;

    /* Legend rows at the foot of the page, in up to three columns. */
    const size_t ncol = n <= 3 ? 1 : n <= 12 ? 2 : 3;
    const size_t rows = (n + ncol - 1) / ncol;
    const double row_h = 24.0;
    const double title_y = 34.0, sub_y = 66.0, top = 100.0;
    const double footer = c->design_h - 14.0;
    const double legend_top = footer - 28.0 - (double)rows * row_h;
    const double fy_title = legend_top - 16.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double bottom = fy_title - band - 12.0;
    const double left_px = 104.0;
    const double value_px = 13.0;

    /* End labels of lines that reach the last year go right of the plot;
     * the plot narrows to make room. */
    end_label labels[COMPARE_MAX];
    double end_w = 0.0;
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = c->projections[i];
        end_label *e = &labels[i];
        memset(e, 0, sizeof *e);
        e->series = i;
        format_money(p->gap[p->horizon], 1, e->text, sizeof e->text);
        e->w = text_w(e->text, value_px, 1);
        e->at_end = mtfs_scenario_base_year(c->scenarios[i]) + (int)p->horizon == last;
        if (e->at_end)
            end_w = fmax(end_w, e->w);
    }
    double right_px = 1170.0;
    for (int pass = 0; pass < 2; pass++) {
        double half_slot = 0.5 * (right_px - left_px) / span;
        right_px = 1170.0 - fmax(0.0, 12.0 + end_w - half_slot);
    }
    box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};
    /* PLplot clips to the plot area: a value on its edge (a zero gap at the
     * foot of an all-positive chart) gets room for its marker, which also
     * gives the zero line its own place above the axis.  The ticks stay on
     * multiples of the step. */
    double dlo = INFINITY, dhi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t t = 1; t <= c->projections[i]->horizon; t++) {
            dlo = fmin(dlo, c->projections[i]->gap[t]);
            dhi = fmax(dhi, c->projections[i]->gap[t]);
        }
    axis_range yr = marked_range(lo, hi, dlo, dhi, 6.0, bottom - top, 10.0);
    const double px_per_x = (right_px - left_px) / span;
    const double px_per_y = (bottom - top) / (yr.max - yr.min);
#define PX_X(x) (left_px + ((x) - x0) * px_per_x)
#define PX_Y(y) (top + (yr.max - (y)) * px_per_y)

    pladv(0);
    page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    page_text(nx(24.0), ny(c, title_y), 0.0, "Funding gap by scenario");
    set_bold(0);
    set_text(c, 15.0);
    plcol0(COL_MUTED);
    page_text(nx(24.0), ny(c, sub_y), 0.0,
              "Spending minus funding each year: above zero a shortfall to close, "
              "below zero a surplus");

    panel_frame(c, &pb, x0, x1, &yr);
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = c->projections[i];
        int by = mtfs_scenario_base_year(c->scenarios[i]);
        for (size_t t = 1; t <= p->horizon; t++) {
            xs[t - 1] = by + (int)t;
            ys[t - 1] = p->gap[t];
        }
        polyline(c, (PLINT)p->horizon, xs, ys, series_colour(i), 2.4);
    }
    /* Markers over every line, so a line drawn later never hides one. */
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = c->projections[i];
        int by = mtfs_scenario_base_year(c->scenarios[i]);
        for (size_t t = 1; t <= p->horizon; t++) {
            xs[t - 1] = by + (int)t;
            ys[t - 1] = p->gap[t];
        }
        series_markers(c, i, (PLINT)p->horizon, xs, ys, mark);
    }

    /* End labels: a column right of the last year for lines that reach
     * it, spread so they do not overlap; a line that ends earlier gets its
     * label beside its last point only where that is clear of every other
     * line and label (its value is in the data either way). */
    {
        const double h = 1.35 * value_px, gap_px = 11.0 * mark;
        end_label *col[COMPARE_MAX];
        size_t ncolumn = 0;
        for (size_t i = 0; i < n; i++) {
            end_label *e = &labels[i];
            const mtfs_projection *p = c->projections[i];
            e->x = PX_X((double)(mtfs_scenario_base_year(c->scenarios[i]) + (int)p->horizon));
            e->y = PX_Y(p->gap[p->horizon]);
            e->want = e->y;
            e->r.x0 = e->x + gap_px;
            e->r.x1 = e->r.x0 + e->w;
            if (e->at_end)
                col[ncolumn++] = e;
        }
        qsort(col, ncolumn, sizeof col[0], by_want);
        spread_labels(col, ncolumn, h, top - 0.5 * h, bottom + 0.5 * h);
        /* A label pushed far from its line would point at another one. */
        for (size_t j = 0; j < ncolumn; j++)
            col[j]->shown = fabs(0.5 * (col[j]->r.y0 + col[j]->r.y1) - col[j]->want) <= 3.0 * h;

        static const double shifts[] = {0.0, -0.7, 0.7, -1.2, 1.2, -1.8, 1.8};
        for (size_t i = 0; i < n; i++) {
            end_label *e = &labels[i];
            if (e->at_end)
                continue;
            for (size_t k = 0; k < sizeof shifts / sizeof shifts[0] && !e->shown; k++) {
                rect r = e->r;
                r.y0 = e->y + (shifts[k] - 0.5) * h;
                r.y1 = r.y0 + h;
                rect grown = {r.x0 - 3.0, r.y0 - 2.0, r.x1 + 3.0, r.y1 + 2.0};
                int clear = r.x1 < right_px && r.y0 > top && r.y1 < bottom;
                if (clear && yr.min < 0.0)
                    clear = !segment_hits(left_px, PX_Y(0.0), right_px, PX_Y(0.0), &grown);
                for (size_t j = 0; j < n && clear; j++) {
                    const mtfs_projection *q = c->projections[j];
                    int bj = mtfs_scenario_base_year(c->scenarios[j]);
                    rect marker = {grown.x0 - 8.0, grown.y0 - 8.0, grown.x1 + 8.0,
                                   grown.y1 + 8.0};
                    for (size_t t = 1; t <= q->horizon && clear; t++) {
                        double ax = PX_X((double)(bj + (int)t)), ay = PX_Y(q->gap[t]);
                        if (j != i && segment_hits(ax, ay, ax, ay, &marker))
                            clear = 0;
                        if (j != i && t > 1 &&
                            segment_hits(PX_X((double)(bj + (int)t - 1)), PX_Y(q->gap[t - 1]),
                                         ax, ay, &grown))
                            clear = 0;
                    }
                }
                for (size_t j = 0; j < n && clear; j++)
                    if (j != i && labels[j].shown && rects_overlap(&grown, &labels[j].r))
                        clear = 0;
                if (clear) {
                    e->r = r;
                    e->shown = 1;
                }
            }
        }
        page_coords();
        set_text(c, value_px);
        set_bold(1);
        for (size_t i = 0; i < n; i++) {
            const end_label *e = &labels[i];
            if (!e->shown)
                continue;
            plcol0(series_colour(e->series));
            page_text(nx(e->r.x0), ny(c, 0.5 * (e->r.y0 + e->r.y1)), 0.0, e->text);
        }
        set_bold(0);
    }
#undef PX_X
#undef PX_Y

    calendar_year_labels(c, &pb, x0, x1, first, last, 0);
    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, fy_title), 0.5, "Financial year");

    /* Legend: a sample of each line (with its marker) and the scenario
     * name, column by column. */
    {
        const double x_left = 24.0, width = DESIGN_W - 2.0 * x_left;
        const double col_w = width / (double)ncol, sample = 36.0;
        for (size_t i = 0; i < n; i++) {
            size_t col = i / rows, row = i % rows;
            double x = x_left + (double)col * col_w;
            double y = legend_top + ((double)row + 0.5) * row_h;
            PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
            PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
            page_coords();
            polyline(c, 2, lx, ly, series_colour(i), 2.4);
            series_markers(c, i, 1, mx, my, 1.0);
            const char *name = mtfs_scenario_name(c->scenarios[i]);
            fit_text(name ? name : "", TICK_PX, 0, col_w - sample - 10.0 - 18.0, 0, buf,
                     sizeof buf);
            set_text(c, TICK_PX);
            plcol0(COL_INK);
            page_text(nx(x + sample + 10.0), ny(c, y), 0.0, buf);
        }
    }

    /* Provenance: the scenario files, in legend order. */
    raw[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *file = mtfs_scenario_file(c->scenarios[i], 0);
        size_t used = strlen(raw);
        if (!file || used + strlen(file) + 3 >= sizeof raw)
            break;
        snprintf(raw + used, sizeof raw - used, "%s%s", used ? ", " : "", file);
    }
    provenance(c, nx(24.0), ny(c, footer), raw, 0);
}

/* ---------------------------------------------------------------------- */
/* Monte Carlo and tornado: shared pieces                                  */

/* The fan's bands, widest first: pairs of percentile levels (shares, as
 * in mtfs_mc_percentile_levels) holding the middle 90%, 80% and 50% of
 * paths. */
#define FAN_BANDS 3
static const double fan_levels[FAN_BANDS][2] = {{0.05, 0.95}, {0.10, 0.90}, {0.25, 0.75}};
#define FAN_MEDIAN 0.50

/* Index of a percentile level in a result's arrays, or -1 when the Monte
 * Carlo does not report it.  Looked up rather than assumed, so a change to
 * the reported levels is an error here, not a wrong band. */
static int level_index(double level)
{
    for (int k = 0; k < MTFS_MC_NPCT; k++)
        if (fabs(mtfs_mc_percentile_levels[k] - level) < 1e-9)
            return k;
    return -1;
}

/* Percentile `level` in year index t of a [k * (horizon + 1) + t] array;
 * the level is known to be reported (checked in mtfs_plot_fan). */
static double pct_at(const mtfs_mc_result *r, const double *a, double level, size_t t)
{
    return a[(size_t)level_index(level) * (r->horizon + 1) + t];
}

/* A share as a percentage for a reader: "42%", whole except near the
 * ends, where one decimal keeps a few paths from reading as none or as all
 * ("0.4%", "99.9%"), and what still rounds to an end says so ("<0.1%",
 * ">99.9%"); the mc table prints the same one-decimal figures.  Where
 * room is short, `coarse` keeps to whole numbers ("<1%", ">99%"). */
static void format_share(double share, int coarse, char *out, size_t size)
{
    double p = share * 100.0;
    if (p <= 0.0)
        snprintf(out, size, "0%%");
    else if (p >= 100.0)
        snprintf(out, size, "100%%");
    else if (coarse && p < 1.0)
        snprintf(out, size, "<1%%");
    else if (coarse && p > 99.0)
        snprintf(out, size, ">99%%");
    else if (p < 0.05)
        snprintf(out, size, "<0.1%%");
    else if (p >= 99.95)
        snprintf(out, size, ">99.9%%");
    else if (!coarse && (p < 0.95 || p >= 99.05))
        snprintf(out, size, "%.1f%%", p);
    else
        snprintf(out, size, "%.0f%%", p);
}

static void label_percent(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data)
{
    (void)axis;
    (void)data;
    if (length > 0)
        snprintf(label, (size_t)length, "%.0f%%", value);
}

/* "20,000 paths, seed 20250226" */
static void format_paths(const mtfs_mc_result *r, char *out, size_t size)
{
    char n[64];
    format_money((double)r->paths, 0, n, sizeof n);
    snprintf(out, size, "%s path%s, seed %lu", n, r->paths == 1 ? "" : "s", r->seed);
}

/* Bold title at the top left: the scenario name, shortened if need be,
 * then what the chart shows, which is never shortened. */
static void chart_title(const chart *c, double y_px, const char *suffix)
{
    char name[400], buf[512];
    page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    fit_text(c->name, 23.0, 1, 1170.0 - 24.0 - text_w(suffix, 23.0, 1), 0, name, sizeof name);
    snprintf(buf, sizeof buf, "%s%s", name, suffix);
    page_text(nx(24.0), ny(c, y_px), 0.0, buf);
    set_bold(0);
}

/* Muted subtitle under the title, shortened to max_px. */
static void chart_subtitle(const chart *c, double y_px, const char *raw, double max_px)
{
    char buf[512];
    fit_text(raw, 15.0, 0, max_px, 0, buf, sizeof buf);
    page_coords();
    set_text(c, 15.0);
    plcol0(COL_MUTED);
    page_text(nx(24.0), ny(c, y_px), 0.0, buf);
}

/* Year labels side by side when each fits its slot, else at 45 degrees. */
static void choose_year_rotation(chart *c, double slot_px)
{
    double widest = 0.0;
    for (size_t t = 0; t <= c->horizon; t++)
        widest = fmax(widest, text_w(c->year[t], TICK_PX, 0));
    c->rotate_years = widest + 12.0 > slot_px;
}

/* ---------------------------------------------------------------------- */
/* The Monte Carlo fan chart                                               */

/* The bands of one panel, widest first so each narrower one lies on the
 * one before: nested fills rather than adjacent strips, so no seam of
 * background shows between them. */
static void fan_bands(const chart *c, const double *a, PLINT first_colour)
{
    const size_t T = c->horizon;
    PLFLT fx[2 * (MTFS_HORIZON_MAX + 1)], fy[2 * (MTFS_HORIZON_MAX + 1)];
    for (int b = 0; b < FAN_BANDS; b++) {
        PLINT m = 0;
        for (size_t t = 0; t <= T; t++) {
            fx[m] = (double)t;
            fy[m++] = pct_at(c->mc, a, fan_levels[b][1], t);
        }
        for (size_t t = T + 1; t-- > 0;) {
            fx[m] = (double)t;
            fy[m++] = pct_at(c->mc, a, fan_levels[b][0], t);
        }
        plcol0(first_colour + b);
        plfill(m, fx, fy);
    }
}

/* The median over the bands, and the deterministic plan over both as a
 * dashed line with markers: the plan is what the council budgets on, the
 * fan how far the outcome may stray from it. */
static void fan_lines(const chart *c, const double *a, PLINT median_colour,
                      const double *plan, double mark)
{
    const size_t T = c->horizon;
    const PLINT n = (PLINT)T + 1;
    PLFLT xs[MTFS_HORIZON_MAX + 1], med[MTFS_HORIZON_MAX + 1], ys[MTFS_HORIZON_MAX + 1];
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        med[t] = pct_at(c->mc, a, FAN_MEDIAN, t);
        ys[t] = plan[t];
    }
    polyline(c, n, xs, med, median_colour, 2.8);
    pllsty(LINE_DASHED);
    polyline(c, n, xs, ys, COL_PLAN, 2.4);
    pllsty(LINE_SOLID);
    /* White under each marker keeps it crisp where it sits on the median. */
    markers(c, n, xs, ys, COL_BG, GLYPH_CIRCLE, 15.0 * mark);
    markers(c, n, xs, ys, COL_PLAN, GLYPH_CIRCLE, 11.0 * mark);
}

/* The heading of a fan panel at the left of its legend row; its note is
 * left out when the two would meet. */
static void fan_heading(const chart *c, const box *b, double y_px, double px,
                        const char *title, const char *note, PLINT note_colour,
                        const legend_entry *e, int n)
{
    double room = (b->x1 * DESIGN_W - legend_row_w(e, n)) - 24.0 - 24.0;
    double need = text_w(title, px, 1) + 0.6 * px + (note ? text_w(note, px - 1.0, 0) : 0.0);
    heading(c, nx(24.0), ny(c, y_px), px, title, need <= room ? note : NULL, note_colour);
    legend_row(c, b, ny(c, y_px), e, n);
}

/* The value scale of a fan panel.  A fan that dips just below zero (the
 * 5th percentile of an early year) must not cost the axis a whole step:
 * the ticks are chosen as if it were zero and the window then just covers
 * it, with room for the line. */
static axis_range fan_range(double lo, double hi)
{
    double span = hi - lo;
    axis_range y = nice_range(snap_to_zero(lo, span), snap_to_zero(hi, span), 5.0, 0.06);
    if (lo < y.min)
        y.min = lo - 0.02 * span;
    if (hi > y.max)
        y.max = hi + 0.02 * span;
    return y;
}

static void draw_fan(chart *c)
{
    const mtfs_mc_result *r = c->mc;
    const mtfs_projection *d = r->deterministic;
    const size_t T = c->horizon;
    char raw[512], paths[96], share[16];

    pladv(0);

    const double mark = T > 15 ? 0.75 : 1.0;
    const double left_px = 104.0, right_px = 1170.0;
    choose_year_rotation(c, (right_px - left_px) / ((double)T + 1.0));
    const double band = year_band(c);

    /* Vertical layout in design px from the top: two panels of equal
     * height share what the text rows leave. */
    const double title_y = 34.0, sub_y = 66.0, head_a = 104.0, a_top = 128.0;
    const double head_gap = 26.0, between = 66.0;
    const double fixed = a_top + band + between + band + 30.0 + 34.0;
    const double h = (c->design_h - fixed) * 0.5;
    const double a_bottom = a_top + h;
    const double r_top = a_bottom + band + between, r_bottom = r_top + h;
    const double fy_title = r_bottom + band + 12.0;
    const double footer = c->design_h - 14.0;
    box a = {nx(left_px), nx(right_px), ny(c, a_bottom), ny(c, a_top)};
    box rb = {nx(left_px), nx(right_px), ny(c, r_bottom), ny(c, r_top)};
    const double x0 = -0.5, x1 = (double)T + 0.5;

    chart_title(c, title_y, ": Monte Carlo fan chart");
    /* The subtitle also says how likely the minimum is to be breached by
     * the last year (the exhaustion chart has it by year): the reserves
     * heading has no room for it beside its six-entry legend. */
    format_paths(r, paths, sizeof paths);
    if (r->p_exhausted)
        snprintf(paths + strlen(paths), sizeof paths - strlen(paths), " \xC2\xB7 ");
    chart_subtitle(c, sub_y, paths, right_px - 24.0);
    if (r->p_exhausted) {
        double p = r->p_exhausted[T];
        format_share(p, 0, share, sizeof share);
        if (p > 0.0)
            snprintf(raw, sizeof raw, "%s of paths below the minimum reserves by %s", share,
                     c->year[T]);
        else
            snprintf(raw, sizeof raw, "no path below the minimum reserves by %s", c->year[T]);
        /* PLplot drops the trailing space; the measure keeps it, plus a
         * little so the dot sits evenly between the two parts. */
        double x = 24.0 + text_w(paths, 15.0, 0) + 4.0;
        char buf[512];
        fit_text(raw, 15.0, 0, right_px - x, 0, buf, sizeof buf);
        plcol0(p > 0.0 ? COL_ALERT : COL_MUTED);
        page_text(nx(x), ny(c, sub_y), 0.0, buf);
    }

    /* The gap: the fan opens from the base year, where every path (and
     * the plan) balances by definition. */
    double lo = 0.0, hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(pct_at(r, r->gap_pct, fan_levels[0][0], t), d->gap[t]));
        hi = fmax(hi, fmax(pct_at(r, r->gap_pct, fan_levels[0][1], t), d->gap[t]));
    }
    axis_range ya = fan_range(lo, hi);
    panel_grid(c, &a, x0, x1, &ya);
    fan_bands(c, r->gap_pct, COL_GAP_FAN);
    panel_axes(c, &a, x0, x1, &ya, "\xC2\xA3m", label_money);
    fan_lines(c, r->gap_pct, COL_GAP_MEDIAN, d->gap, mark);
    year_labels(c, &a, x0, x1, 0, T);

    const legend_entry lg[] = {
        {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 0, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "90% of paths"},
        {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 1, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "80%"},
        {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 2, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "50%"},
        {PL_LEGEND_LINE, COL_GAP_MEDIAN, COL_INK, LINE_SOLID, 2.8, NULL, 0.0, "Median"},
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_PLAN, COL_INK, LINE_DASHED, 2.4, GLYPH_CIRCLE,
         11.0, "Deterministic plan"},
    };
    fan_heading(c, &a, head_a, 16.0, "Funding gap", "spending minus funding", COL_MUTED, lg,
                (int)(sizeof lg / sizeof lg[0]));

    /* Reserves against the minimum, which runs edge to edge over a lightly
     * shaded zone below it, as in the projection chart. */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(pct_at(r, r->reserves_pct, fan_levels[0][0], t),
                           fmin(d->reserves[t], d->minimum_reserves[t])));
        hi = fmax(hi, fmax(pct_at(r, r->reserves_pct, fan_levels[0][1], t),
                           fmax(d->reserves[t], d->minimum_reserves[t])));
    }
    axis_range yr = fan_range(lo, hi);
    PLFLT mx[MTFS_HORIZON_MAX + 3], my[MTFS_HORIZON_MAX + 3];
    PLINT m = 0;
    mx[m] = x0, my[m++] = d->minimum_reserves[0];
    for (size_t t = 0; t <= T; t++)
        mx[m] = (double)t, my[m++] = d->minimum_reserves[t];
    mx[m] = x1, my[m++] = d->minimum_reserves[T];
    {
        PLFLT fx[MTFS_HORIZON_MAX + 5], fy[MTFS_HORIZON_MAX + 5];
        PLINT k = 0;
        fx[k] = x0, fy[k++] = yr.min;
        for (PLINT i = 0; i < m; i++)
            fx[k] = mx[i], fy[k++] = my[i];
        fx[k] = x1, fy[k++] = yr.min;
        panel_window(&rb, x0, x1, &yr);
        plcol0(COL_DANGER);
        plfill(k, fx, fy);
    }
    panel_grid(c, &rb, x0, x1, &yr);
    fan_bands(c, r->reserves_pct, COL_RES_FAN);
    panel_axes(c, &rb, x0, x1, &yr, "\xC2\xA3m", label_money);
    pllsty(LINE_DASHED);
    polyline(c, m, mx, my, COL_MINIMUM, 2.2);
    pllsty(LINE_SOLID);
    fan_lines(c, r->reserves_pct, COL_RES_MEDIAN, d->reserves, mark);
    year_labels(c, &rb, x0, x1, 0, T);

    const legend_entry lr[] = {
        {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 0, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "90% of paths"},
        {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 1, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "80%"},
        {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 2, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "50%"},
        {PL_LEGEND_LINE, COL_RES_MEDIAN, COL_INK, LINE_SOLID, 2.8, NULL, 0.0, "Median"},
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_PLAN, COL_INK, LINE_DASHED, 2.4, GLYPH_CIRCLE,
         11.0, "Deterministic plan"},
        {PL_LEGEND_LINE, COL_MINIMUM, COL_INK, LINE_DASHED, 2.2, NULL, 0.0, "Minimum reserves"},
    };
    fan_heading(c, &rb, r_top - head_gap, 16.0, "Reserves", NULL, COL_MUTED, lr,
                (int)(sizeof lr / sizeof lr[0]));

    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (rb.x0 + rb.x1), ny(c, fy_title), 0.5, "Financial year");

    provenance(c, nx(24.0), ny(c, footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* The chance of exhausting reserves                                       */

static void draw_exhaustion(chart *c)
{
    const mtfs_mc_result *r = c->mc;
    const size_t T = c->horizon;
    char raw[512], paths[96];

    pladv(0);

    /* One bar per year 1..T; the base year has no draw to report. */
    const double left_px = 104.0, right_px = 1170.0;
    const double x0 = 0.5, x1 = (double)T + 0.5;
    const double slot = (right_px - left_px) / (double)T;
    choose_year_rotation(c, slot);
    const double band = year_band(c);

    const double title_y = 34.0, sub_y = 66.0, top = 116.0;
    const double footer = c->design_h - 14.0, fy_title = footer - 38.0;
    const double bottom = fy_title - 12.0 - band;
    box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};

    chart_title(c, title_y, ": chance reserves fall below the minimum");
    format_paths(r, paths, sizeof paths);
    snprintf(raw, sizeof raw, "By the end of each year, %s", paths);
    chart_subtitle(c, sub_y, raw, right_px - 24.0);

    /* A fixed 0-100% scale, so charts of different scenarios compare at a
     * glance, with a grid line at each quarter. */
    const axis_range y = {0.0, 100.0, 25.0};
    panel_grid(c, &pb, x0, x1, &y);
    /* Bars are at least 2 px tall, so "<1%" is still seen. */
    const double bar_half = fmin(0.32, 60.0 / slot);
    const double min_h = 2.0 * 100.0 / (bottom - top);
    for (size_t t = 1; t <= T; t++) {
        double v = 100.0 * r->p_exhausted[t];
        if (v <= 0.0)
            continue;
        v = fmax(v, min_h);
        PLFLT bx[4] = {(double)t - bar_half, (double)t + bar_half, (double)t + bar_half,
                       (double)t - bar_half};
        PLFLT by[4] = {0.0, 0.0, v, v};
        plcol0(COL_EXHAUST);
        plfill(4, bx, by);
    }
    panel_axes(c, &pb, x0, x1, &y, "% of paths", label_percent);

    /* Values over the bars, in the largest size (down to 9 px) at which
     * the widest fits its slot, in whole numbers if the decimals near 0%
     * and 100% would not fit.  They are drawn on the page, not in the
     * plot, so the label of a 100% bar sits above the frame unclipped. */
    double value_px = 13.0;
    int coarse = 0;
    for (; coarse < 2; coarse++) {
        double widest = 0.0;
        value_px = 13.0;
        for (size_t t = 1; t <= T; t++) {
            format_share(r->p_exhausted[t], coarse, raw, sizeof raw);
            widest = fmax(widest, text_w(raw, value_px, 1));
        }
        if (widest + 6.0 > slot)
            value_px *= (slot - 6.0) / widest;
        if (value_px >= 9.0)
            break;
    }
    if (value_px >= 9.0) {
        panel_x_page_y(&pb, x0, x1);
        set_text(c, value_px);
        set_bold(1);
        for (size_t t = 1; t <= T; t++) {
            double v = 100.0 * r->p_exhausted[t];
            double yv = pb.y0 + v / 100.0 * (pb.y1 - pb.y0) + nh(c, 4.0 + 0.6 * value_px);
            format_share(r->p_exhausted[t], coarse, raw, sizeof raw);
            plcol0(v > 0.0 ? COL_INK : COL_MUTED);
            page_text((double)t, yv, 0.5, raw);
        }
        set_bold(0);
    }
    year_labels(c, &pb, x0, x1, 1, T);

    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, fy_title), 0.5, "Financial year");

    provenance(c, nx(24.0), ny(c, footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* The tornado                                                             */

/* Rows drawn at most: the largest swings, which are first.  More would
 * not be legible on the page, and the smallest add nothing to read. */
#define TORNADO_MAX 30

/* Copy raw text into out (escaped for PLplot), shortened in the middle
 * with an ellipsis until it is at most max_px wide: a key path keeps its
 * start (which service or grant) and its end (which input). */
static void fit_text_middle(const char *raw, double size_px, int bold, double max_px,
                            char *out, size_t size)
{
    char trimmed[512];
    size_t len = strnlen(raw, 400);
    snprintf(trimmed, sizeof trimmed, "%.*s", (int)len, raw);
    size_t head = len / 2;
    while (head < len && ((unsigned char)raw[head] & 0xC0) == 0x80)
        head++;
    size_t tail = head; /* first byte of the kept end */
    for (int turn = 0; text_w(trimmed, size_px, bold) > max_px && (head > 0 || tail < len);
         turn = !turn) {
        if ((turn == 0 && head > 0) || tail >= len) {
            do
                head--;
            while (head > 0 && ((unsigned char)raw[head] & 0xC0) == 0x80);
        } else {
            do
                tail++;
            while (tail < len && ((unsigned char)raw[tail] & 0xC0) == 0x80);
        }
        snprintf(trimmed, sizeof trimmed, "%.*s\xE2\x80\xA6%.*s", (int)head, raw,
                 (int)(len - tail), raw + tail);
    }
    escape_text(trimmed, out, size);
}

/* Rows of a horizontal bar chart share the height from `top` down to the
 * axis, so the page is laid out the same whatever the number of rows;
 * bars are never thicker than 52 px, so a chart of a few rows does not
 * turn into blocks.  Text and bars shrink with the rows. */
typedef struct {
    double top, bottom, footer, axis_band;
    double row_h, label_px, value_px, bar_px;
} row_layout;

static row_layout rows_layout(const chart *c, size_t nr)
{
    row_layout l;
    l.top = 156.0;
    l.footer = c->design_h - 14.0;
    l.axis_band = 10.0 + 1.3 * TICK_PX;
    l.bottom = l.footer - 38.0 - 12.0 - l.axis_band;
    l.row_h = (l.bottom - l.top) / (double)nr;
    l.label_px = fmin(14.0, fmax(10.5, 0.5 * l.row_h));
    l.value_px = fmin(13.0, fmax(10.0, 0.46 * l.row_h));
    l.bar_px = fmin(0.64 * l.row_h, 52.0);
    return l;
}

/* A long chart of rows (12 or more) shades every other row from its label
 * to the end of the plot, so the eye keeps to the row across the page. */
static void row_stripes(const chart *c, const row_layout *l, size_t nr, double right_px)
{
    if (nr < 12)
        return;
    page_coords();
    plcol0(COL_STRIPE);
    for (size_t i = 1; i < nr; i += 2) {
        double y0 = l->top + (double)i * l->row_h, y1 = y0 + l->row_h;
        PLFLT sx[4] = {nx(16.0), nx(right_px), nx(right_px), nx(16.0)};
        PLFLT sy[4] = {ny(c, y1), ny(c, y1), ny(c, y0), ny(c, y0)};
        plfill(4, sx, sy);
    }
}

/* The value axis under a chart of rows, ticks every `step` of the window
 * set for the rows, labelled with thousands separators. */
static void value_axis_x(const chart *c, double step)
{
    axis_format fmt = {step_decimals(step)};
    set_text(c, TICK_PX);
    plcol0(COL_AXIS);
    set_width(c, 1.2);
    plslabelfunc(label_money, &fmt);
    plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
    plbox("bnoit", step, 0, "", 0.0, 0);
    plslabelfunc(NULL, NULL);
}

static void draw_tornado(chart *c)
{
    const mtfs_tornado *td = c->tornado;
    const size_t nr = td->n < TORNADO_MAX ? td->n : TORNADO_MAX;
    const double base = td->base_gap;
    char raw[512], buf[512], year[16], money[64];
    mtfs_year_label(td->final_year, year, sizeof year);

    pladv(0);

    /* Vertical layout in design px from the top.  Rows share the height
     * down to the axis, so the page is laid out the same whatever the
     * number of inputs; bars are never thicker than 52 px, so a tornado of
     * a few inputs does not turn into blocks.  Text and bars shrink with
     * the rows. */
    const double title_y = 34.0, sub_y = 66.0, legend_y = 102.0;
    const row_layout L = rows_layout(c, nr);
    const double top = L.top, footer = L.footer, axis_band = L.axis_band, bottom = L.bottom;
    const double row_h = L.row_h, label_px = L.label_px, value_px = L.value_px;
    const double bar_px = L.bar_px;

    /* Row labels right-aligned against the plot, which starts after the
     * widest (long keys are shortened in the middle). */
    const double max_label = 340.0;
    double label_w = 0.0;
    for (size_t i = 0; i < nr; i++)
        label_w = fmax(label_w, text_w(td->rows[i].key, label_px, 0));
    label_w = fmin(label_w, max_label);
    const double left_px = 24.0 + label_w + 16.0, right_px = 1170.0;

    /* The x scale leaves room beyond the bars for the values at their
     * ends: the smaller end's value on the left, the larger's on the
     * right. */
    double lo = base, hi = base, pad_l = 0.0, pad_r = 0.0;
    for (size_t i = 0; i < nr; i++) {
        const mtfs_tornado_row *w = &td->rows[i];
        lo = fmin(lo, fmin(w->low_gap, w->high_gap));
        hi = fmax(hi, fmax(w->low_gap, w->high_gap));
        format_pounds_m(fmin(w->low_gap, w->high_gap), money, sizeof money);
        pad_l = fmax(pad_l, text_w(money, value_px, 0));
        format_pounds_m(fmax(w->low_gap, w->high_gap), money, sizeof money);
        pad_r = fmax(pad_r, text_w(money, value_px, 0));
    }
    pad_l += 14.0;
    pad_r += 14.0;
    if (hi - lo < 1e-9) {
        double w = fmax(1.0, fabs(base) * 0.05);
        lo -= w;
        hi += w;
    }
    const double ppu = fmax(1e-9, (right_px - left_px - pad_l - pad_r) / (hi - lo));
    const double xmin = lo - pad_l / ppu, xmax = hi + pad_r / ppu;
    const double per_px = 1.0 / ppu; /* x units per design px */
    const double step = nice_step(xmax - xmin, 6.0);
    box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};
    const double yn = (double)nr;

    {
        char suffix[96];
        snprintf(suffix, sizeof suffix, ": what moves the %s gap most", year);
        chart_title(c, title_y, suffix);
    }
    if (nr < td->n)
        snprintf(raw, sizeof raw,
                 "The %s gap with one input at a time at its 10th or 90th percentile and "
                 "the rest as planned; the %zu largest of %zu inputs",
                 year, nr, td->n);
    else
        snprintf(raw, sizeof raw,
                 "The %s gap with one input at a time at its 10th or 90th percentile and "
                 "the rest as planned",
                 year);
    chart_subtitle(c, sub_y, raw, right_px - 24.0);

    const legend_entry lg[] = {
        {PL_LEGEND_COLOR_BOX, COL_P10, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "Input at its 10th percentile"},
        {PL_LEGEND_COLOR_BOX, COL_P90, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "Input at its 90th percentile"},
    };
    legend_row(c, &pb, ny(c, legend_y), lg, 2);

    row_stripes(c, &L, nr, right_px);

    /* Vertical grid under the bars. */
    plvpor(pb.x0, pb.x1, pb.y0, pb.y1);
    plwind(xmin, xmax, 0.0, yn);
    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("g", step, 0, "", 0.0, 0);
    /* Zero, where a gap turns into a surplus, stands out from the grid. */
    if (xmin < 0.0 && xmax > 0.0) {
        PLFLT zx[2] = {0.0, 0.0}, zy[2] = {0.0, yn};
        polyline(c, 2, zx, zy, COL_ZERO, 1.4);
    }

    /* Each bar runs from the deterministic gap to the gap with the input
     * at P10 (one colour) and at P90 (the other).  Colour says which end,
     * not which way: for a funding input P90 narrows the gap.  When both
     * ends fall on one side, the farther is drawn first and the nearer on
     * top, so both still show. */
    static const PLINT end_colour[2] = {COL_P10, COL_P90};
    static const PLINT end_text[2] = {COL_P10_TEXT, COL_P90_TEXT};
    const double half = 0.5 * bar_px / row_h;
    for (size_t i = 0; i < nr; i++) {
        const mtfs_tornado_row *w = &td->rows[i];
        const double ends[2] = {w->low_gap, w->high_gap};
        const double yc = yn - (double)i - 0.5;
        const int farther = fabs(ends[1] - base) > fabs(ends[0] - base);
        for (int k = 0; k < 2; k++) {
            int e = k == 0 ? farther : !farther;
            PLFLT bx[4] = {base, ends[e], ends[e], base};
            PLFLT by[4] = {yc - half, yc - half, yc + half, yc + half};
            plcol0(end_colour[e]);
            plfill(4, bx, by);
        }
    }

    /* The x axis, in £m. */
    value_axis_x(c, step);

    /* Values at the bar ends, in their end's colour.  Both go outside the
     * bar: the smaller value left of it, the larger right of it. */
    set_text(c, value_px);
    for (size_t i = 0; i < nr; i++) {
        const mtfs_tornado_row *w = &td->rows[i];
        const double ends[2] = {w->low_gap, w->high_gap};
        const double yc = yn - (double)i - 0.5;
        const double bar_lo = fmin(base, fmin(ends[0], ends[1]));
        const double bar_hi = fmax(base, fmax(ends[0], ends[1]));
        if (fabs(ends[1] - ends[0]) < 0.05) {
            /* No swing to speak of: one value, in neither end's colour. */
            format_pounds_m(ends[0], money, sizeof money);
            plcol0(COL_MUTED);
            plptex(bar_hi + 6.0 * per_px, yc, 1.0, 0.0, 0.0, money);
            continue;
        }
        const int low_end = ends[1] < ends[0];
        format_pounds_m(ends[low_end], money, sizeof money);
        plcol0(end_text[low_end]);
        plptex(bar_lo - 6.0 * per_px, yc, 1.0, 0.0, 1.0, money);
        format_pounds_m(ends[!low_end], money, sizeof money);
        plcol0(end_text[!low_end]);
        plptex(bar_hi + 6.0 * per_px, yc, 1.0, 0.0, 0.0, money);
    }

    /* The deterministic gap: a line through every bar, rising above the
     * plot to its label. */
    page_coords();
    {
        double bx_px = left_px + (base - xmin) * ppu;
        PLFLT lx[2] = {nx(bx_px), nx(bx_px)}, ly[2] = {ny(c, bottom), ny(c, top - 10.0)};
        polyline(c, 2, lx, ly, COL_INK, 1.8);
        format_pounds_m(base, money, sizeof money);
        snprintf(raw, sizeof raw, "deterministic %s", money);
        double w = text_w(raw, 13.0, 0);
        double cx = fmin(fmax(bx_px, left_px + 0.5 * w), right_px - 0.5 * w);
        set_text(c, 13.0);
        plcol0(COL_INK);
        page_text(nx(cx), ny(c, top - 22.0), 0.5, raw);
    }

    /* Row labels: the input's key. */
    set_text(c, label_px);
    plcol0(COL_INK);
    for (size_t i = 0; i < nr; i++) {
        fit_text_middle(td->rows[i].key, label_px, 0, max_label, buf, sizeof buf);
        page_text(nx(left_px - 12.0), ny(c, top + ((double)i + 0.5) * row_h), 1.0, buf);
    }

    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    snprintf(raw, sizeof raw, "Gap in %s, \xC2\xA3m", year);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, bottom + axis_band + 22.0), 0.5, raw);

    provenance(c, nx(24.0), ny(c, footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* Named bars: winners and losers of a formula, a briefing's comparison    */

/* Rows a chart of named bars can show legibly.  A formula over more
 * authorities is drawn as unnamed columns, up to FORMULA_MAX of them (by
 * then a column is about a pixel wide). */
#define BARS_MAX 40
#define FORMULA_MAX 1000

#define MINUS_SIGN "\xE2\x88\x92" /* U+2212 */
#define POUND_SIGN "\xC2\xA3"

static void set_font(int font)
{
    plsfont(-1, font == FONT_ITALIC ? PL_FCI_ITALIC : PL_FCI_UPRIGHT,
            font == FONT_BOLD ? PL_FCI_BOLD : PL_FCI_MEDIUM);
}

/* Whole pounds with the sign before the pound sign: "£1,234", "−£12",
 * and with `sign` a plus on gains, "+£94", as a change is printed. */
static void format_pounds(double value, int sign, char *out, size_t size)
{
    char num[32];
    format_money(value, 0, num, sizeof num);
    int negative = strncmp(num, MINUS_SIGN, 3) == 0;
    const char *prefix = negative ? MINUS_SIGN : sign && strcmp(num, "0") != 0 ? "+" : "";
    snprintf(out, size, "%s" POUND_SIGN "%s", prefix, num + (negative ? 3 : 0));
}

/* The bars of a chart of named rows, from zero, in the order given (the
 * first on top), each with its value at its end, under the title and
 * subtitle the caller has drawn and the legend drawn here.  axis_title is
 * raw text; the footer names `files` (a path: keep_end). */
static void draw_hbar_rows(chart *c, const hbar *rows, size_t nr, const legend_entry *lg,
                           int n_lg, const char *axis_title, const char *files, int keep_end)
{
    char buf[512];
    const row_layout L = rows_layout(c, nr);
    const double legend_y = 102.0;

    /* Row labels right-aligned against the plot, which starts after the
     * widest (long names are shortened at the end). */
    const double max_label = 340.0;
    double label_w = 0.0;
    for (size_t i = 0; i < nr; i++)
        label_w = fmax(label_w, text_w(rows[i].label, L.label_px, rows[i].font == FONT_BOLD));
    label_w = fmin(label_w, max_label);
    const double left_px = 24.0 + label_w + 16.0, right_px = 1170.0;

    /* Room beyond the bars for the values at their ends: gains' on the
     * right, losses' on the left. */
    double lo = 0.0, hi = 0.0, pad_l = 0.0, pad_r = 0.0;
    for (size_t i = 0; i < nr; i++) {
        const double v = rows[i].value;
        const double w = text_w(rows[i].value_text, L.value_px, rows[i].font == FONT_BOLD) + 14.0;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
        if (v < 0.0)
            pad_l = fmax(pad_l, w);
        else
            pad_r = fmax(pad_r, w);
    }
    if (hi - lo < 1e-9)
        hi = lo + 1.0; /* every value zero: a scale to show it on */
    const double ppu = fmax(1e-9, (right_px - left_px - pad_l - pad_r) / (hi - lo));
    const double xmin = lo - pad_l / ppu, xmax = hi + pad_r / ppu;
    const double per_px = 1.0 / ppu;
    const double step = nice_step(xmax - xmin, 6.0);
    const box pb = {nx(left_px), nx(right_px), ny(c, L.bottom), ny(c, L.top)};
    const double yn = (double)nr;

    if (n_lg > 0)
        legend_row(c, &pb, ny(c, legend_y), lg, n_lg);
    row_stripes(c, &L, nr, right_px);

    plvpor(pb.x0, pb.x1, pb.y0, pb.y1);
    plwind(xmin, xmax, 0.0, yn);
    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("g", step, 0, "", 0.0, 0);

    const double half = 0.5 * L.bar_px / L.row_h;
    for (size_t i = 0; i < nr; i++) {
        const double yc = yn - (double)i - 0.5;
        PLFLT bx[4] = {0.0, rows[i].value, rows[i].value, 0.0};
        PLFLT by[4] = {yc - half, yc - half, yc + half, yc + half};
        plcol0(rows[i].colour);
        plfill(4, bx, by);
    }
    /* Zero, where a gain turns into a loss, over the bars' bases. */
    {
        PLFLT zx[2] = {0.0, 0.0}, zy[2] = {0.0, yn};
        polyline(c, 2, zx, zy, COL_AXIS, 1.6);
    }
    value_axis_x(c, step);

    /* Values outside the bar ends: right of a gain, left of a loss. */
    set_text(c, L.value_px);
    for (size_t i = 0; i < nr; i++) {
        const double v = rows[i].value, yc = yn - (double)i - 0.5;
        escape_text(rows[i].value_text, buf, sizeof buf);
        set_font(rows[i].font == FONT_BOLD ? FONT_BOLD : FONT_REGULAR);
        plcol0(rows[i].text_colour);
        if (v < 0.0)
            plptex(v - 6.0 * per_px, yc, 1.0, 0.0, 1.0, buf);
        else
            plptex(v + 6.0 * per_px, yc, 1.0, 0.0, 0.0, buf);
    }

    page_coords();
    set_text(c, L.label_px);
    for (size_t i = 0; i < nr; i++) {
        set_font(rows[i].font);
        fit_text(rows[i].label, L.label_px, rows[i].font == FONT_BOLD, max_label, 0, buf,
                 sizeof buf);
        plcol0(rows[i].label_colour);
        page_text(nx(left_px - 12.0), ny(c, L.top + ((double)i + 0.5) * L.row_h), 1.0, buf);
    }
    set_font(FONT_REGULAR);

    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    fit_text(axis_title, TICK_PX, 0, right_px - left_px, 0, buf, sizeof buf);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, L.bottom + L.axis_band + 22.0), 0.5, buf);

    provenance(c, nx(24.0), ny(c, L.footer), files ? files : "", keep_end);
}

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

static double column_x(const column_map *m, size_t k) { return m->left + ((double)k + 0.5) * m->slot; }

static double column_y(const column_map *m, double v)
{
    return m->bottom - (v - m->y.min) / (m->y.max - m->y.min) * m->height;
}

/* Half the width of a column, as a share of its slot. */
#define COLUMN_HALF 0.4

/* The highest column top (above) or lowest bottom (below) of the columns
 * the px span x0..x1 reaches, counting zero, so a label over the span
 * clears them all.  Column k covers (k + 0.5 -+ COLUMN_HALF) slots. */
static double span_extreme(const hbar *rows, size_t n, const column_map *m, double x0,
                           double x1, int above)
{
    double e = 0.0;
    double k0 = fmax(0.0, floor((x0 - m->left) / m->slot - 0.5 - COLUMN_HALF) + 1.0);
    double k1 = fmin((double)n - 1.0, ceil((x1 - m->left) / m->slot - 0.5 + COLUMN_HALF) - 1.0);
    for (double k = k0; k <= k1; k += 1.0) {
        double v = rows[(size_t)k].value;
        e = above ? fmax(e, v) : fmin(e, v);
    }
    return e;
}

/* A label of width w px clear of the columns under it: above them
 * (bottom edge margin_px over the highest) or below (top edge under the
 * lowest), `level` label heights farther out. */
static rect note_rect(const hbar *rows, size_t n, const column_map *m, double x0, double w,
                     double h, int above, int level)
{
    const double margin = 8.0, lift = (double)level * (h + 4.0);
    rect r = {x0, 0.0, x0 + w, 0.0};
    double e = column_y(m, span_extreme(rows, n, m, r.x0, r.x1, above));
    if (above) {
        r.y1 = e - margin - lift;
        r.y0 = r.y1 - h;
    } else {
        r.y0 = e + margin + lift;
        r.y1 = r.y0 + h;
    }
    return r;
}

/* Keep a label's px span inside the plot. */
static double clamp_span(double x0, double w, double left, double right)
{
    if (x0 + w > right)
        x0 = right - w;
    return fmax(x0, left);
}

/* Winners and losers of a formula over more than BARS_MAX authorities:
 * one unnamed column per authority, largest gain on the left; the largest
 * gainer and loser are named at their columns, and the highlighted
 * authority with a line from its column to its name. */
static void draw_formula_columns(chart *c, const legend_entry *lg, int n_lg)
{
    const hbar *rows = c->hbars;
    const size_t n = c->n_hbars, hl = c->highlight;
    const double legend_y = 102.0, top = 156.0, footer = c->design_h - 14.0;
    const double bottom = footer - 38.0 - 12.0 - 20.0;
    const double left_px = 104.0, right_px = 1170.0;
    const double note_px = 13.0, note_h = 1.4 * note_px;
    char raw[512], name[320];

    /* The scale leaves room for two rows of labels beyond the columns on
     * each side that has labels. */
    double vmin = 0.0, vmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        vmin = fmin(vmin, rows[i].value);
        vmax = fmax(vmax, rows[i].value);
    }
    const int has_hl = hl < n;
    const int need_above = vmax > 0.0 || (has_hl && rows[hl].value >= 0.0);
    const int need_below = vmin < 0.0 || (has_hl && rows[hl].value < 0.0);
    const double head = 2.0 * (note_h + 10.0);
    const double room = (bottom - top) - (need_above ? head : 0.0) - (need_below ? head : 0.0);
    const double per_px = fmax(vmax - vmin, 1e-9) / room;
    column_map m = {left_px, (right_px - left_px) / (double)n, bottom, bottom - top, {0, 0, 0}};
    m.y = nice_range(vmin - (need_below ? head * per_px : 0.0),
                     vmax + (need_above ? head * per_px : 0.0), 6.0, 0.0);
    const box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};
    const double x0 = 0.5, x1 = (double)n + 0.5;

    if (n_lg > 0)
        legend_row(c, &pb, ny(c, legend_y), lg, n_lg);
    panel_grid(c, &pb, x0, x1, &m.y);
    const double half = COLUMN_HALF;
    for (size_t i = 0; i < n; i++) {
        const double k = (double)i + 1.0;
        PLFLT bx[4] = {k - half, k + half, k + half, k - half};
        PLFLT by[4] = {0.0, 0.0, rows[i].value, rows[i].value};
        plcol0(rows[i].colour);
        plfill(4, bx, by);
    }
    panel_axes_x(c, &pb, x0, x1, &m.y, POUND_SIGN " per head", label_money, "b", 0.0);

    /* The largest gainer is named over its column (the first), the
     * largest loser under its own (the last); each label clears every
     * column under it. */
    column_note notes[3];
    size_t nn = 0;
    for (int end = 0; end < 2; end++) {
        const size_t k = end == 0 ? 0 : n - 1;
        const int gain = end == 0;
        if (k == hl || (gain ? !(rows[k].value > 0.0) : !(rows[k].value < 0.0)))
            continue;
        column_note *e = &notes[nn++];
        fit_text(rows[k].label, note_px, 0, 300.0, 0, name, sizeof name);
        snprintf(e->text, sizeof e->text, "Largest %s: %s %s", gain ? "gain" : "loss", name,
                 rows[k].value_text);
        const double w = text_w(e->text, note_px, 0);
        const double bar_edge = gain ? column_x(&m, k) - half * m.slot
                                     : column_x(&m, k) + half * m.slot - w;
        e->r = note_rect(rows, n, &m, clamp_span(bar_edge, w, left_px + 2.0, right_px - 2.0), w,
                         note_h, gain, 0);
        e->colour = rows[k].text_colour;
        e->bold = 0;
        e->leader = 0;
    }

    /* The highlighted authority: its name runs away from the taller
     * columns (right of a gain, left of a loss) from a line rising from
     * its column's end; if that would cover another label it tries the
     * other way, then farther out. */
    if (has_hl) {
        column_note *e = &notes[nn];
        const int above = rows[hl].value >= 0.0;
        const char *which = hl == 0 && rows[hl].value > 0.0       ? ", the largest gain"
                            : hl == n - 1 && rows[hl].value < 0.0 ? ", the largest loss"
                                                                  : "";
        fit_text(rows[hl].label, note_px, 1, 300.0, 0, name, sizeof name);
        snprintf(e->text, sizeof e->text, "%s %s%s", name, rows[hl].value_text, which);
        const double w = text_w(e->text, note_px, 1);
        e->tip_x = column_x(&m, hl);
        e->tip_y = column_y(&m, rows[hl].value);
        e->colour = COL_HIGHLIGHT;
        e->bold = 1;
        e->leader = 1;
        /* The label starts (or ends) just past the line, within the
         * column's own gap so it does not take in the next column. */
        const double past = fmin(4.0, 0.9 * (1.0 - COLUMN_HALF) * m.slot);
        int found = 0;
        for (int level = 0; level < 8 && !found; level++) {
            for (int side = 0; side < 2 && !found; side++) {
                const int run_right = above ? side == 0 : side == 1;
                const double start = run_right ? e->tip_x - past : e->tip_x + past - w;
                rect r = note_rect(rows, n, &m, clamp_span(start, w, left_px + 2.0, right_px - 2.0),
                                   w, note_h, above, level);
                const double ax = fmin(fmax(e->tip_x, r.x0), r.x1);
                const double ay = above ? r.y1 : r.y0;
                int ok = r.y0 >= top + 2.0 && r.y1 <= bottom - 2.0;
                for (size_t j = 0; j < nn && ok; j++) {
                    const rect o = {notes[j].r.x0 - 4.0, notes[j].r.y0 - 5.0,
                                    notes[j].r.x1 + 4.0, notes[j].r.y1 + 5.0};
                    ok = !rects_overlap(&r, &o) && !segment_hits(e->tip_x, e->tip_y, ax, ay, &o);
                }
                if (ok || (level == 0 && side == 0))
                    e->r = r;
                found = ok;
            }
        }
        nn++;
    }

    page_coords();
    set_text(c, note_px);
    for (size_t j = 0; j < nn; j++) {
        const column_note *e = &notes[j];
        if (e->leader) {
            const int above = e->r.y1 <= e->tip_y;
            PLFLT lx[2] = {nx(e->tip_x), nx(fmin(fmax(e->tip_x, e->r.x0), e->r.x1))};
            PLFLT ly[2] = {ny(c, e->tip_y - (above ? 1.0 : -1.0)),
                           ny(c, above ? e->r.y1 : e->r.y0)};
            polyline(c, 2, lx, ly, e->colour, 1.4);
        }
        set_bold(e->bold);
        plcol0(e->colour);
        page_text(nx(e->r.x0), ny(c, 0.5 * (e->r.y0 + e->r.y1)), 0.0, e->text);
    }
    set_bold(0);

    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    snprintf(raw, sizeof raw,
             "%zu authorities, one column each, from the largest gain (left) to the largest "
             "loss (right)",
             n);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, bottom + 24.0), 0.5, raw);

    provenance(c, nx(24.0), ny(c, footer), c->file ? c->file : "", 1);
}

static void draw_formula(chart *c)
{
    const mtfs_formula_result *r = c->formula;
    const hbar *rows = c->hbars;
    const size_t n = c->n_hbars;
    char raw[512], total[64], hl_name[400];

    pladv(0);
    chart_title(c, 34.0, ": winners and losers");
    format_pounds_m(r->control_total, total, sizeof total);
    snprintf(raw, sizeof raw,
             "Change in funding per head, " POUND_SIGN " a year, %zu authorities; control total %s",
             n, total);
    chart_subtitle(c, 66.0, raw, 1170.0 - 24.0);

    /* Gain and Loss when there are any, then the highlighted authority. */
    int any_gain = 0, any_loss = 0;
    for (size_t i = 0; i < n; i++) {
        any_gain |= rows[i].value >= 0.0 && i != c->highlight;
        any_loss |= rows[i].value < 0.0 && i != c->highlight;
    }
    legend_entry lg[3];
    int n_lg = 0;
    if (any_gain)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_GAIN, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Gain"};
    if (any_loss)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_LOSS, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Loss"};
    if (c->highlight < n) {
        fit_text(rows[c->highlight].label, TICK_PX, 0, 300.0, 0, hl_name, sizeof hl_name);
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_HIGHLIGHT, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, hl_name};
    }

    if (n <= BARS_MAX)
        draw_hbar_rows(c, rows, n, lg, n_lg, POUND_SIGN " per head", c->file, 1);
    else
        draw_formula_columns(c, lg, n_lg);
}

static void draw_bars(chart *c)
{
    const hbar *rows = c->hbars;
    const size_t n = c->n_hbars;
    char hl_name[400];

    pladv(0);
    chart_title(c, 34.0, "");
    if (c->subtitle && c->subtitle[0])
        chart_subtitle(c, 66.0, c->subtitle, 1170.0 - 24.0);

    /* One legend entry per style present: the highlighted bar by its own
     * label when there is one, then comparators and group averages. */
    size_t count[3] = {0, 0, 0}, first_hl = 0;
    for (size_t i = n; i-- > 0;) {
        const int style = rows[i].colour == COL_HIGHLIGHT ? 1 : rows[i].colour == COL_GROUP ? 2 : 0;
        count[style]++;
        if (style == 1)
            first_hl = i;
    }
    legend_entry lg[3];
    int n_lg = 0;
    if (count[1] == 1)
        fit_text(rows[first_hl].label, TICK_PX, 0, 300.0, 0, hl_name, sizeof hl_name);
    else
        snprintf(hl_name, sizeof hl_name, "Highlighted");
    if (count[1] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_HIGHLIGHT, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, hl_name};
    if (count[0] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_BAR, COL_INK, LINE_SOLID, 0.0, NULL,
                                    0.0, count[0] == 1 ? "Comparator" : "Comparators"};
    if (count[2] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_GROUP, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0,
                                    count[2] == 1 ? "Group average" : "Group averages"};

    draw_hbar_rows(c, rows, n, lg, n_lg, c->unit, c->file, 0);
}

/* ---------------------------------------------------------------------- */
/* The back-test of published editions                                     */

/* Bold title of a chart that names no scenario: 23 px like the others
 * when it fits, else as large as fits down to 18 px, and only then
 * shortened: the title says what the chart shows. */
static void fitted_title(const chart *c, double y_px, const char *raw)
{
    char buf[512];
    const double room = 1170.0 - 24.0;
    double px = 23.0;
    while (px > 18.0 && text_w(raw, px, 1) > room)
        px -= 0.5;
    fit_text(raw, px, 1, room, 0, buf, sizeof buf);
    page_coords();
    set_text(c, px);
    set_bold(1);
    plcol0(COL_INK);
    page_text(nx(24.0), ny(c, y_px), 0.0, buf);
    set_bold(0);
}

/* "2020/21 MTFS": an edition by its first financial year. */
static void edition_label(const mtfs_backtest_edition *e, char *out, size_t size)
{
    char year[16];
    snprintf(out, size, "%s MTFS", mtfs_year_label(e->first_year, year, sizeof year));
}

/* Last calendar year of an edition's plan (its year `horizon`). */
static int edition_last_year(const mtfs_backtest_edition *e)
{
    return e->first_year - 1 + (int)e->horizon;
}

/* The footer's sources: the published figures, then each edition's
 * scenario, as many as fit in out. */
static void backtest_files(const mtfs_backtest *b, char *out, size_t size)
{
    size_t len = strnlen(b->published_file, sizeof b->published_file);
    if (len >= size)
        len = 0; /* a path too long to show is left out, not cut */
    memcpy(out, b->published_file, len);
    out[len] = '\0';
    for (size_t i = 0; i < b->n; i++) {
        const char *file = b->editions[i].file;
        size_t used = strlen(out);
        if (!file[0])
            continue;
        if (used + strlen(file) + 3 >= size)
            break;
        snprintf(out + used, size - used, "%s%s", used ? ", " : "", file);
    }
}

/* The largest |modelled - published| over an edition's published years
 * (a lower bound the model meets counts as no difference, as in the
 * table), or -1 when none is published. */
static double worst_gap_difference(const mtfs_backtest_edition *e)
{
    double worst = -1.0;
    for (size_t t = 1; t <= e->horizon; t++)
        if (isfinite(e->published_gap[t]))
            worst = fmax(worst, fabs(mtfs_backtest_gap_error(e, t)));
    return worst;
}

static void draw_backtest_gaps(chart *c)
{
    const mtfs_backtest *b = c->backtest;
    const size_t n = b->n;
    char raw[512], buf[512], diff[64];
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];

    pladv(0);

    /* One row of up to four panels, then rows of up to four, as square a
     * grid as the count allows (5 and 6 are 3 x 2, 8 is 4 x 2). */
    const size_t rows = n <= 4 ? 1 : (n + 3) / 4;
    const size_t cols = (n + rows - 1) / rows;

    /* One value scale for every panel, so editions compare; every panel
     * is as many years wide as the longest plan, so a year is as wide in
     * each. */
    size_t longest = 1;
    double dlo = INFINITY, dhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        longest = e->horizon > longest ? e->horizon : longest;
        for (size_t t = 1; t <= e->horizon; t++) {
            dlo = fmin(dlo, e->modelled_gap[t]);
            dhi = fmax(dhi, e->modelled_gap[t]);
            if (isfinite(e->published_gap[t])) {
                dlo = fmin(dlo, e->published_gap[t]);
                dhi = fmax(dhi, e->published_gap[t]);
            }
        }
    }

    /* Vertical layout in design px from the top: the rows of panels share
     * what the text rows leave; each panel has its heading above it and
     * its years under it. */
    const double title_y = 34.0, sub_y = 66.0, legend_y = 104.0, top0 = 160.0;
    const double head_gap = 20.0, between = 56.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double fixed = top0 + (double)rows * band + (double)(rows - 1) * between + 30.0 + 34.0;
    const double h = (c->design_h - fixed) / (double)rows;
    const double fy_title = top0 + (double)rows * (h + band) + (double)(rows - 1) * between + 12.0;
    const double footer = c->design_h - 14.0;
    const double left_px = 104.0, right_px = 1170.0, col_gap = 30.0;
    const double w = (right_px - left_px - (double)(cols - 1) * col_gap) / (double)cols;
    const double head_px = rows > 2 ? 15.0 : 16.0, note_px = 12.0;

    const axis_range yr = marked_range(fmin(0.0, dlo), fmax(0.0, dhi), dlo, dhi,
                                       h < 200.0 ? 4.0 : 5.0, h, 10.0);

    fitted_title(c, title_y, "Published and modelled funding gap, by MTFS edition (\xC2\xA3m)");
    chart_subtitle(c, sub_y,
                   "Spending minus funding in each year of an edition's plan, as published "
                   "and as modelled from its scenario; every panel on one scale",
                   right_px - 24.0);
    const box whole = {nx(left_px), nx(right_px), ny(c, legend_y + 8.0), ny(c, legend_y - 8.0)};
    const legend_entry lg[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_MODELLED, COL_INK, LINE_SOLID, 2.4, GLYPH_CIRCLE,
         9.0, "Modelled"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_CIRCLE, 15.0,
         "Published"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_TRIANGLE_UP, 15.0,
         "Published lower bound (\"more than\")"},
    };
    legend_row(c, &whole, ny(c, legend_y), lg, mtfs_backtest_has_lower_bounds(b) ? 3 : 2);

    /* The largest difference goes in every heading or in none: the long
     * form where each fits beside its title, else the short one. */
    static const char *const diff_forms[] = {"largest difference %s", "max diff %s"};
    int diff_form = -1;
    for (int form = 0; form < 2 && diff_form < 0; form++) {
        int fits = 1;
        for (size_t i = 0; i < n && fits; i++) {
            double worst = worst_gap_difference(&b->editions[i]);
            if (worst < 0.0)
                continue;
            edition_label(&b->editions[i], raw, sizeof raw);
            format_pounds_m(worst, diff, sizeof diff);
            snprintf(buf, sizeof buf, diff_forms[form], diff);
            fits = text_w(raw, head_px, 1) + 14.0 + text_w(buf, note_px, 0) <= w;
        }
        if (fits)
            diff_form = form;
    }

    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        const size_t row = i / cols, col = i % cols;
        const double x_px = left_px + (double)col * (w + col_gap);
        const double top = top0 + (double)row * (h + band + between);
        const box pb = {nx(x_px), nx(x_px + w), ny(c, top + h), ny(c, top)};
        const double x0 = e->first_year - 0.5, x1 = e->first_year + (double)longest - 0.5;
        const PLINT np = (PLINT)e->horizon;

        panel_grid(c, &pb, x0, x1, &yr);
        panel_axes_x(c, &pb, x0, x1, &yr, col == 0 ? "\xC2\xA3m" : NULL, label_money, "bit",
                     1.0);
        for (size_t t = 1; t <= e->horizon; t++) {
            xs[t - 1] = e->first_year - 1 + (int)t;
            ys[t - 1] = e->modelled_gap[t];
        }
        polyline(c, np, xs, ys, COL_MODELLED, 2.4);
        markers(c, np, xs, ys, COL_MODELLED, GLYPH_CIRCLE, 9.0);
        /* Published dots over the line, each on a white ring so a dot on
         * the line still reads as a dot; a lower bound as a triangle. */
        for (int bound = 0; bound <= 1; bound++) {
            PLINT m = 0;
            for (size_t t = 1; t <= e->horizon; t++)
                if (isfinite(e->published_gap[t]) && e->published_lower_bound[t] == bound) {
                    xs[m] = e->first_year - 1 + (int)t;
                    ys[m++] = e->published_gap[t];
                }
            const char *glyph = bound ? GLYPH_TRIANGLE_UP : GLYPH_CIRCLE;
            if (m > 0) {
                markers(c, m, xs, ys, COL_BG, glyph, 19.0);
                markers(c, m, xs, ys, COL_PUBLISHED, glyph, 15.0);
            }
        }
        calendar_year_labels(c, &pb, x0, x1, e->first_year, edition_last_year(e), 1);

        edition_label(e, raw, sizeof raw);
        heading(c, pb.x0, ny(c, top - head_gap), head_px, raw, NULL, COL_INK);
        double worst = worst_gap_difference(e);
        if (diff_form >= 0 && worst >= 0.0) {
            format_pounds_m(worst, diff, sizeof diff);
            snprintf(buf, sizeof buf, diff_forms[diff_form], diff);
            page_coords();
            set_text(c, note_px);
            plcol0(COL_MUTED);
            page_text(pb.x1, ny(c, top - head_gap), 1.0, buf);
        }
    }

    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (nx(left_px) + nx(right_px)), ny(c, fy_title), 0.5, "Financial year");

    backtest_files(b, raw, sizeof raw);
    provenance(c, nx(24.0), ny(c, footer), raw, 0);
}

/* The funnel's edition colours, oldest to newest: the darker two thirds
 * of ColorBrewer's YlGnBu, light enough at one end to read as "long ago"
 * and still visible on white, with hue as well as lightness changing so
 * neighbours stay apart.  n editions take n evenly spaced steps. */
static void set_edition_colours(size_t n)
{
    static const double ramp[][3] = {
        {127, 205, 187}, {65, 182, 196}, {29, 145, 192}, {34, 94, 168}, {37, 52, 148}, {8, 29, 88},
    };
    const size_t stops = sizeof ramp / sizeof ramp[0];
    for (size_t i = 0; i < n; i++) {
        double pos = n > 1 ? (double)i / (double)(n - 1) * (double)(stops - 1) : (double)(stops - 1);
        size_t k = (size_t)pos < stops - 1 ? (size_t)pos : stops - 2;
        double f = pos - (double)k;
        PLINT rgb[3];
        for (int j = 0; j < 3; j++)
            rgb[j] = (PLINT)lround(ramp[k][j] + f * (ramp[k + 1][j] - ramp[k][j]));
        plscol0(COL_EDITION + (PLINT)i, rgb[0], rgb[1], rgb[2]);
    }
}

static void draw_backtest_funnel(chart *c)
{
    const mtfs_backtest *b = c->backtest;
    const size_t n = b->n;
    char raw[512];
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];

    pladv(0);
    set_edition_colours(n);

    /* The x axis runs over calendar years (the first of each financial
     * year) from the oldest edition's year 1 to the newest plan's end. */
    int first = b->editions[0].first_year, last = first;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        first = e->first_year < first ? e->first_year : first;
        last = edition_last_year(e) > last ? edition_last_year(e) : last;
        for (size_t t = 1; t <= e->horizon; t++) {
            lo = fmin(lo, e->expenditure[t]);
            hi = fmax(hi, e->expenditure[t]);
        }
    }
    for (size_t k = 0; k < b->n_outturn; k++) {
        first = b->outturn[k].year < first ? b->outturn[k].year : first;
        last = b->outturn[k].year > last ? b->outturn[k].year : last;
        lo = fmin(lo, b->outturn[k].net_budget);
        hi = fmax(hi, b->outturn[k].net_budget);
    }
    const double x0 = first - 0.5, x1 = last + 0.5;

    /* The legend is a column right of the plot, newest edition on top as
     * their lines are (budgets grow), under the budget set. */
    const double sample = 36.0, row_h = 24.0, legend_px = TICK_PX;
    static const char set_text_raw[] = "Budget set";
    static const char editions_head[] = "MTFS edition";
    double legend_w = fmax(text_w(set_text_raw, legend_px, 0) + sample + 10.0,
                           text_w(editions_head, 13.0, 1));
    for (size_t i = 0; i < n; i++) {
        mtfs_year_label(b->editions[i].first_year, raw, sizeof raw);
        legend_w = fmax(legend_w, sample + 10.0 + text_w(raw, legend_px, 0));
    }
    const double right_px = 1170.0 - legend_w - 30.0, left_px = 104.0;

    const double title_y = 34.0, sub_y = 66.0, top = 112.0;
    const double footer = c->design_h - 14.0, fy_title = footer - 38.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double bottom = fy_title - 12.0 - band;
    const box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};

    fitted_title(c, title_y,
                 "Forecast funnel: each MTFS edition's projected net budget against the "
                 "budget set (\xC2\xA3m)");
    chart_subtitle(c, sub_y,
                   "Each line is one edition's modelled net budget for the years of its plan, "
                   "light (oldest) to dark (newest); black, the net budget set each year",
                   1170.0 - 24.0);

    const axis_range yr = marked_range(lo, hi, lo, hi, 6.0, bottom - top, 10.0);
    panel_frame(c, &pb, x0, x1, &yr);

    /* Oldest first, so each newer line lies over the older ones. */
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        for (size_t t = 1; t <= e->horizon; t++) {
            xs[t - 1] = e->first_year - 1 + (int)t;
            ys[t - 1] = e->expenditure[t];
        }
        polyline(c, (PLINT)e->horizon, xs, ys, COL_EDITION + (PLINT)i, 2.4);
        markers(c, (PLINT)e->horizon, xs, ys, COL_EDITION + (PLINT)i, GLYPH_CIRCLE, 7.0);
    }
    /* The budgets set, over everything: where each line starts from and
     * what it should have foreseen. */
    if (b->n_outturn > 0) {
        /* Checked: years in order within the BACKTEST_YEAR_* range. */
        PLFLT ox[BACKTEST_YEAR_MAX - BACKTEST_YEAR_MIN + 1];
        PLFLT oy[BACKTEST_YEAR_MAX - BACKTEST_YEAR_MIN + 1];
        const PLINT no = (PLINT)b->n_outturn;
        for (size_t k = 0; k < b->n_outturn; k++) {
            ox[k] = b->outturn[k].year;
            oy[k] = b->outturn[k].net_budget;
        }
        polyline(c, no, ox, oy, COL_BLACK, 3.6);
        markers(c, no, ox, oy, COL_BG, GLYPH_CIRCLE, 17.0);
        markers(c, no, ox, oy, COL_BLACK, GLYPH_CIRCLE, 13.0);
    }

    calendar_year_labels(c, &pb, x0, x1, first, last, 1);
    page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    page_text(0.5 * (pb.x0 + pb.x1), ny(c, fy_title), 0.5, "Financial year");

    /* Legend column: a sample of each line and its name. */
    {
        const double x = right_px + 30.0;
        double y = top + 0.5 * row_h;
        page_coords();
        if (b->n_outturn > 0) {
            PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
            PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
            polyline(c, 2, lx, ly, COL_BLACK, 3.6);
            markers(c, 1, mx, my, COL_BG, GLYPH_CIRCLE, 17.0);
            markers(c, 1, mx, my, COL_BLACK, GLYPH_CIRCLE, 13.0);
            set_text(c, legend_px);
            plcol0(COL_INK);
            page_text(nx(x + sample + 10.0), ny(c, y), 0.0, set_text_raw);
            y += 1.5 * row_h;
        }
        set_text(c, 13.0);
        set_bold(1);
        plcol0(COL_MUTED);
        page_text(nx(x), ny(c, y), 0.0, editions_head);
        set_bold(0);
        y += row_h;
        for (size_t i = n; i-- > 0; y += row_h) {
            PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
            PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
            polyline(c, 2, lx, ly, COL_EDITION + (PLINT)i, 2.4);
            markers(c, 1, mx, my, COL_EDITION + (PLINT)i, GLYPH_CIRCLE, 7.0);
            set_text(c, legend_px);
            plcol0(COL_INK);
            page_text(nx(x + sample + 10.0), ny(c, y), 0.0,
                      mtfs_year_label(b->editions[i].first_year, raw, sizeof raw));
        }
    }

    backtest_files(b, raw, sizeof raw);
    provenance(c, nx(24.0), ny(c, footer), raw, 0);
}

/* ---------------------------------------------------------------------- */
/* The PLplot session                                                      */

static void set_palette(void)
{
    static const unsigned char rgb[N_COLOURS][3] = {
        [COL_BG] = {255, 255, 255},
        [COL_INK] = {26, 26, 26},
        [COL_SPEND] = {31, 78, 156},    /* dark blue */
        [COL_FUND] = {217, 115, 13},    /* dark orange */
        [COL_GAP] = {192, 57, 43},      /* brick red */
        [COL_SURPLUS] = {74, 154, 91},  /* green */
        [COL_RESERVES] = {0, 105, 107}, /* dark teal */
        [COL_MINIMUM] = {110, 110, 110},
        [COL_GRID] = {222, 222, 222},
        [COL_MUTED] = {85, 85, 85},
        [COL_ALERT] = {179, 38, 30},
        [COL_DANGER] = {253, 236, 234},
        [COL_ZERO] = {140, 140, 140},
        [COL_AXIS] = {64, 64, 64},
        [COL_BLACK] = {0, 0, 0}, /* PLplot's default text colour */
        [COL_TOTAL] = {44, 62, 80},      /* dark slate */
        [COL_CONNECTOR] = {120, 120, 120},
        /* Compare lines: Okabe-Ito without its yellow, then darker hues
         * from Paul Tol's palettes; each also has its own marker shape, so
         * the lines stay apart in greyscale and for colour-blind readers. */
        [COL_SERIES + 0] = {0, 114, 178},   /* blue */
        [COL_SERIES + 1] = {213, 94, 0},    /* vermillion */
        [COL_SERIES + 2] = {0, 158, 115},   /* bluish green */
        [COL_SERIES + 3] = {204, 121, 167}, /* reddish purple */
        [COL_SERIES + 4] = {230, 159, 0},   /* orange */
        [COL_SERIES + 5] = {86, 180, 233},  /* sky blue */
        [COL_SERIES + 6] = {51, 34, 136},   /* indigo */
        [COL_SERIES + 7] = {136, 34, 85},   /* wine */
        [COL_SERIES + 8] = {17, 119, 51},   /* green */
        [COL_SERIES + 9] = {153, 153, 51},  /* olive */
        [COL_SERIES + 10] = {85, 85, 85},   /* grey */
        [COL_SERIES + 11] = {140, 81, 10},  /* brown */
        /* Fan bands: ColorBrewer-like sequential steps, light enough at
         * the outside to print and far enough apart to tell in grey. */
        [COL_GAP_FAN + 0] = {212, 228, 244},
        [COL_GAP_FAN + 1] = {160, 198, 232},
        [COL_GAP_FAN + 2] = {94, 153, 209},
        [COL_GAP_MEDIAN] = {8, 48, 107},
        [COL_RES_FAN + 0] = {208, 236, 230},
        [COL_RES_FAN + 1] = {140, 206, 193},
        [COL_RES_FAN + 2] = {62, 160, 148},
        [COL_RES_MEDIAN] = {0, 82, 78},
        [COL_PLAN] = {217, 95, 2},      /* dark orange, against both hues */
        [COL_EXHAUST] = {222, 110, 64}, /* warm coral */
        [COL_P10] = {54, 155, 150},     /* teal */
        [COL_P90] = {236, 140, 52},     /* orange */
        [COL_P10_TEXT] = {0, 100, 96},
        [COL_P90_TEXT] = {168, 82, 0},
        [COL_STRIPE] = {244, 244, 244},
        /* Gains and losses: blue-green and orange, apart in hue and for
         * colour-blind readers; the highlight is a dark purple, apart from
         * both (and from the comparators' blue) in lightness too. */
        [COL_GAIN] = {26, 150, 128},
        [COL_LOSS] = {232, 145, 45},
        [COL_GAIN_TEXT] = {0, 102, 84},
        [COL_LOSS_TEXT] = {168, 82, 0},
        [COL_HIGHLIGHT] = {112, 38, 140},
        [COL_BAR] = {98, 144, 200},
        [COL_GROUP] = {190, 190, 190},
        /* Back-test: the first two compare colours, a pair that stays
         * apart for colour-blind readers; the funnel's edition colours are
         * set by draw_backtest_funnel, one step of a ramp per edition. */
        [COL_MODELLED] = {0, 114, 178},
        [COL_PUBLISHED] = {213, 94, 0},
    };
    plscmap0n(N_COLOURS);
    for (PLINT i = 0; i < N_COLOURS; i++)
        plscol0(i, rgb[i][0], rgb[i][1], rgb[i][2]);
}

/* PLplot prompts on stdin for a device it does not know; ask first. */
static int driver_available(const char *device)
{
    enum { MAX_DEVICES = 128 };
    const char *menu[MAX_DEVICES], *names[MAX_DEVICES];
    const char **pm = menu, **pn = names;
    int n = MAX_DEVICES;
    plgDevs(&pm, &pn, &n);
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], device) == 0)
            return 1;
    return 0;
}

/* Everything that calls PLplot; runs under the setjmp() in
 * protected_session(). */
static void run_session(session *ss)
{
    plot_hooks.errcode = 0;
    plot_hooks.errmsg[0] = '\0';
    plgstrm(&ss->prev_stream);
    plmkstrm(&ss->stream);
    if (ss->stream < 0)
        return;
    ss->stream_made = 1;
    /* Aborted operations report here instead of on stderr. */
    plsError(&plot_hooks.errcode, plot_hooks.errmsg);

    if (driver_available(ss->f->device)) {
        plsdev(ss->f->device);
        plspage(0.0, 0.0, ss->f->width, ss->f->height, 0, 0);
        set_palette();
        plsfile(ss->mem);
        ss->mem_set = 1;
        plinit();
        if (plot_hooks.errcode == 0)
            ss->c->draw(ss->c);
    } else {
        ss->no_driver = 1;
    }
    /* An initialised stream closes its output file when it ends. */
    PLINT level = 0;
    plglevel(&level);
    ss->mem_given = level > 0;
    plend1();
    ss->ended = 1;
    if (ss->prev_stream != 0)
        plsstrm(ss->prev_stream);
}

/* Returns 0, or -1 when PLplot hit a fatal error and jumped back here.
 * Nothing in this frame is modified between setjmp and longjmp. */
static int protected_session(session *ss)
{
    jmp_buf env;
    if (setjmp(env) != 0) {
        plot_hooks.exit_target = NULL;
        return -1;
    }
    plot_hooks.exit_target = &env;
    run_session(ss);
    plot_hooks.exit_target = NULL;
    return 0;
}

/* After a fatal error the stream is half built and may still hold the
 * memory stream.  Take that back (PLplot will never close it now) and leave
 * the rest alone: ending the stream could run the failing code again. */
static void abandon_session(session *ss)
{
    if (ss->ended) {
        if (ss->mem_given)
            ss->mem = NULL;
    } else if (ss->stream_made && ss->mem_set) {
        FILE *held = NULL;
        plsstrm(ss->stream);
        plgfile(&held);
        if (held == ss->mem)
            plsfile(NULL);
        else
            ss->mem = NULL; /* PLplot had closed it already */
        plsstrm(ss->prev_stream);
    }
    if (ss->mem)
        fclose(ss->mem);
    ss->mem = NULL;
}

/* Every format mtfs writes ends with a fixed trailer; a missing trailer
 * means the renderer stopped early (e.g. a failed write it did not report). */
static int looks_complete(mtfs_plot_format format, const char *data, size_t size)
{
    static const char png_sig[] = "\x89PNG\r\n\x1a\n";
    static const char png_end[] = "IEND\xAE\x42\x60\x82";
    switch (format) {
    case MTFS_PLOT_PNG:
        return size > 20 && memcmp(data, png_sig, 8) == 0 &&
               memcmp(data + size - 8, png_end, 8) == 0;
    case MTFS_PLOT_PDF: {
        if (size < 16 || memcmp(data, "%PDF-", 5) != 0)
            return 0;
        size_t from = size > 64 ? size - 64 : 0;
        for (size_t i = from; i + 5 <= size; i++)
            if (memcmp(data + i, "%%EOF", 5) == 0)
                return 1;
        return 0;
    }
    case MTFS_PLOT_SVG: {
        while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == ' ' ||
                            data[size - 1] == '\r' || data[size - 1] == '\t'))
            size--;
        return size > 6 && memcmp(data + size - 6, "</svg>", 6) == 0;
    }
    case MTFS_PLOT_NONE: break;
    }
    return 0;
}

static mtfs_status check_projection(const mtfs_projection *p, size_t T,
                                    const char *path, mtfs_error *err)
{
    const double *series[] = {p->expenditure, p->funding, p->gap, p->reserves,
                              p->minimum_reserves};
    static const char *names[] = {"expenditure", "funding", "gap", "reserves",
                                  "minimum reserves"};
    if (T < 1 || T > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a chart for a horizon of %zu years: "
                              "expected 1 to %d",
                              T, MTFS_HORIZON_MAX);
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
        if (!series[i])
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "projection has no %s to draw", names[i]);
        for (size_t t = 0; t <= T; t++)
            if (!isfinite(series[i][t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw %s in year index %zu: "
                                      "the value is not a finite number",
                                      names[i], t);
    }
    return MTFS_OK;
}

/* A chart record for scenario s on the page of format f; NULL when out of
 * memory.  It is large (year labels) and so lives on the heap. */
static chart *chart_new(const format_info *f, const mtfs_scenario *s)
{
    chart *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->k = (double)f->width / DESIGN_W;
    c->design_h = DESIGN_W * (double)f->height / (double)f->width;
    if (s) {
        c->base_year = mtfs_scenario_base_year(s);
        c->name = mtfs_scenario_name(s);
        c->file = mtfs_scenario_file(s, 0);
    }
    if (!c->name)
        c->name = "";
    return c;
}

/* Draw chart c (freed here) with PLplot into memory, check the result and
 * write it to path through mtfs_output.  Every failure, PLplot's included,
 * comes back as a status with err filled in; path is then left as it was. */
static mtfs_status render(const char *path, mtfs_plot_format format, const format_info *f,
                          chart *c, mtfs_error *err)
{
    /* open_memstream's buffer belongs to the C library: released with free(). */
    char *data = NULL;
    size_t size = 0;
    session ss = {0};
    ss.c = c;
    ss.f = f;
    ss.mem = open_memstream(&data, &size);
    if (!ss.mem) {
        mtfs_free(c);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL,
                              "out of memory while drawing the chart");
    }

    plsexit(on_plexit);
    int fatal = protected_session(&ss);
    plsexit(NULL);

    if (fatal) {
        abandon_session(&ss);
        free(data);
        mtfs_free(c);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot draw the chart: PLplot failed: %s",
                              plot_hooks.exit_message[0] ? plot_hooks.exit_message
                                                         : "unknown error");
    }
    mtfs_free(c);
    if (!ss.mem_given) {
        fclose(ss.mem);
        free(data);
        if (!ss.stream_made)
            return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                                  "cannot draw the chart: PLplot has no free stream");
        if (ss.no_driver)
            return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                                  "cannot draw a %s chart: the PLplot driver %s is not "
                                  "available (package plplot-driver-cairo)%s%s",
                                  mtfs_plot_format_extension(format), f->device,
                                  abort_message() ? ": " : "",
                                  abort_message() ? abort_message() : "");
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot draw the chart: PLplot did not start");
    }
    /* plinit ran, so PLplot's plend1 has closed the memory stream, which
     * sets data and size. */
    const char *why = abort_message();
    if (why || !data || !looks_complete(format, data, size)) {
        free(data);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot draw the chart: %s",
                              why ? why : "PLplot produced an incomplete file");
    }

    /* Inside the caller's output set (mtfs/output.h) the chart joins the
     * set: the commit below only syncs it, and the set gives it its name
     * together with the other files, or removes it with them. */
    mtfs_output *o = NULL;
    mtfs_status st = mtfs_output_open(path, &o, err);
    if (st != MTFS_OK) {
        free(data);
        return st;
    }
    if (fwrite(data, 1, size, mtfs_output_stream(o)) != size) {
        free(data);
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot write output file: write failed");
    }
    free(data);
    return mtfs_output_commit(o, err);
}

/* MTFS_PLOT_NONE asks for no chart: nothing is drawn or written.  Every
 * failure, PLplot's included, comes back as a status with err filled in;
 * path is then left as it was. */
mtfs_status mtfs_plot_projection(const char *path, mtfs_plot_format format,
                                 const mtfs_scenario *s,
                                 const mtfs_projection *p, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !s || !p || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_projection called without a path, "
                              "scenario, projection or valid format");

    mtfs_status st = check_projection(p, p->horizon, path, err);
    if (st != MTFS_OK)
        return st;
    chart *c = chart_new(f, s);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_chart;
    c->p = p;
    c->has_covid = mtfs_scenario_has_covid(s);
    c->horizon = p->horizon;
    for (size_t t = 0; t <= c->horizon; t++)
        mtfs_year_label(c->base_year + (int)t, c->year[t], sizeof c->year[t]);
    return render(path, format, f, c, err);
}

/* Checked and written like mtfs_plot_projection: every value must be
 * finite, and nothing is written unless the whole chart is. */
mtfs_status mtfs_plot_bridge(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                             const mtfs_bridge *bridge, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !s || !bridge || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_bridge called without a path, scenario, "
                              "bridge or valid format");
    if (bridge->year_index < 1 || bridge->year_index > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a gap bridge to year index %zu: expected 1 to %d",
                              bridge->year_index, MTFS_HORIZON_MAX);
    if (!isfinite(bridge->base_budget))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the gap bridge: the base-year budget is not a "
                              "finite number");
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        if (!isfinite(bridge->item[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the gap bridge: '%s' is not a finite number",
                                  mtfs_bridge_label((mtfs_bridge_item)i));
    if (!isfinite(bridge->gap))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the gap bridge: the gap is not a finite number");

    chart *c = chart_new(f, s);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_bridge;
    c->bridge = bridge;
    return render(path, format, f, c, err);
}

/* Up to COMPARE_MAX scenarios, each with its own colour and marker (the
 * palette has SERIES_N of each); checked and written like
 * mtfs_plot_projection. */
mtfs_status mtfs_plot_compare(const char *path, mtfs_plot_format format, size_t n,
                              const mtfs_scenario *const *scenarios,
                              const mtfs_projection *const *projections, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !scenarios || !projections || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_compare called without a path, scenarios, "
                              "projections or valid format");
    if (n < 1 || n > COMPARE_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot compare %zu scenarios in one chart: expected 1 to %d",
                              n, COMPARE_MAX);
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = projections[i];
        if (!scenarios[i] || !p || !p->gap)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "scenario %zu of the comparison has no projected gap", i + 1);
        const char *name = mtfs_scenario_name(scenarios[i]);
        if (p->horizon < 1 || p->horizon > MTFS_HORIZON_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw '%s' for a horizon of %zu years: "
                                  "expected 1 to %d",
                                  name ? name : "", p->horizon, MTFS_HORIZON_MAX);
        for (size_t t = 1; t <= p->horizon; t++)
            if (!isfinite(p->gap[t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the gap of '%s' in year index %zu: "
                                      "the value is not a finite number",
                                      name ? name : "", t);
    }

    chart *c = chart_new(f, NULL);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_compare;
    c->n_series = n;
    c->scenarios = scenarios;
    c->projections = projections;
    return render(path, format, f, c, err);
}

/* What the Monte Carlo charts need of a result whatever they draw: a
 * horizon the page can lay out.  `what` names the chart in messages. */
static mtfs_status check_mc_horizon(const mtfs_mc_result *r, const char *path, const char *what,
                                    mtfs_error *err)
{
    if (r->horizon < 1 || r->horizon > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %s for a horizon of %zu years: expected 1 to %d",
                              what, r->horizon, MTFS_HORIZON_MAX);
    return MTFS_OK;
}

/* Year labels of a Monte Carlo chart, from the result's own base year. */
static void mc_years(chart *c, const mtfs_mc_result *r)
{
    c->mc = r;
    c->horizon = r->horizon;
    c->base_year = r->base_year;
    for (size_t t = 0; t <= c->horizon; t++)
        mtfs_year_label(c->base_year + (int)t, c->year[t], sizeof c->year[t]);
}

/* Checked and written like mtfs_plot_projection: every percentile and
 * deterministic value drawn must be finite. */
mtfs_status mtfs_plot_fan(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                          const mtfs_mc_result *r, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !s || !r || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_fan called without a path, scenario, Monte Carlo "
                              "result or valid format");
    mtfs_status st = check_mc_horizon(r, path, "a fan chart", err);
    if (st != MTFS_OK)
        return st;
    const size_t T = r->horizon;
    const mtfs_projection *d = r->deterministic;
    if (!r->gap_pct || !r->reserves_pct || !d || !d->gap || !d->reserves ||
        !d->minimum_reserves || d->horizon != T)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result has no percentiles or deterministic "
                              "projection of its horizon to draw");
    for (int b = 0; b < FAN_BANDS; b++)
        if (level_index(fan_levels[b][0]) < 0 || level_index(fan_levels[b][1]) < 0)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "Monte Carlo result does not report the percentiles the "
                                  "fan chart draws");
    if (level_index(FAN_MEDIAN) < 0)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result does not report the median");

    const struct {
        const double *a;
        const char *name;
    } drawn[] = {{r->gap_pct, "gap"}, {r->reserves_pct, "reserves"}};
    for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++)
        for (int k = 0; k < MTFS_MC_NPCT; k++)
            for (size_t t = 0; t <= T; t++)
                if (!isfinite(drawn[i].a[(size_t)k * (T + 1) + t]))
                    return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                          "cannot draw the %gth percentile of %s in year "
                                          "index %zu: the value is not a finite number",
                                          100.0 * mtfs_mc_percentile_levels[k], drawn[i].name,
                                          t);
    const double *plan[] = {d->gap, d->reserves, d->minimum_reserves};
    static const char *plan_names[] = {"deterministic gap", "deterministic reserves",
                                       "minimum reserves"};
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++)
        for (size_t t = 0; t <= T; t++)
            if (!isfinite(plan[i][t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the %s in year index %zu: the value is "
                                      "not a finite number",
                                      plan_names[i], t);
    if (r->p_exhausted && !(r->p_exhausted[T] >= 0.0 && r->p_exhausted[T] <= 1.0))
        return mtfs_error_set(err, isfinite(r->p_exhausted[T]) ? MTFS_EINTERNAL : MTFS_ENUMERIC,
                              path, 0, NULL,
                              "cannot draw the chance of exhausting reserves by year index "
                              "%zu: %g is not a share between 0 and 1",
                              T, r->p_exhausted[T]);

    chart *c = chart_new(f, s);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_fan;
    mc_years(c, r);
    return render(path, format, f, c, err);
}

/* Checked and written like mtfs_plot_projection: every share drawn must be
 * a finite number from 0 to 1. */
mtfs_status mtfs_plot_exhaustion(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                                 const mtfs_mc_result *r, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !s || !r || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_exhaustion called without a path, scenario, Monte "
                              "Carlo result or valid format");
    mtfs_status st = check_mc_horizon(r, path, "the chance of exhausting reserves", err);
    if (st != MTFS_OK)
        return st;
    if (!r->p_exhausted)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result has no chance of exhausting reserves to "
                              "draw");
    for (size_t t = 1; t <= r->horizon; t++) {
        double p = r->p_exhausted[t];
        if (!isfinite(p))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the chance of exhausting reserves in year "
                                  "index %zu: the value is not a finite number",
                                  t);
        if (p < 0.0 || p > 1.0)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "cannot draw the chance of exhausting reserves in year "
                                  "index %zu: %g is not a share between 0 and 1",
                                  t, p);
    }

    chart *c = chart_new(f, s);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_exhaustion;
    mc_years(c, r);
    return render(path, format, f, c, err);
}

/* Up to TORNADO_MAX rows, the largest swings (the subtitle says how many
 * more there were); checked and written like mtfs_plot_projection. */
mtfs_status mtfs_plot_tornado(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                              const mtfs_tornado *t, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !s || !t || !f || (t->n > 0 && !t->rows))
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_tornado called without a path, scenario, tornado "
                              "or valid format");
    if (t->n == 0)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a tornado chart: it has no uncertain inputs");
    if (!isfinite(t->base_gap))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the tornado chart: the deterministic gap is not a "
                              "finite number");
    size_t shown = t->n < TORNADO_MAX ? t->n : TORNADO_MAX;
    for (size_t i = 0; i < shown; i++)
        if (!isfinite(t->rows[i].low_gap) || !isfinite(t->rows[i].high_gap))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the tornado chart: the gap with '%.160s' at "
                                  "its %s is not a finite number",
                                  t->rows[i].key,
                                  isfinite(t->rows[i].low_gap) ? "90th percentile"
                                                               : "10th percentile");

    chart *c = chart_new(f, s);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw_tornado;
    c->tornado = t;
    return render(path, format, f, c, err);
}

/* An authority's name for messages and labels: its name, else its code. */
static const char *formula_name(const mtfs_formula_result *r, size_t i)
{
    if (r->label && r->label[i] && r->label[i][0])
        return r->label[i];
    if (r->code && r->code[i])
        return r->code[i];
    return "";
}

/* An authority of the formula and its change in funding per head. */
typedef struct {
    size_t index;
    double change;
    const char *name;
} ranked_change;

/* Largest gain first; ties by name, then data order, so the chart is the
 * same whatever qsort does with equal keys. */
static int by_change(const void *a, const void *b)
{
    const ranked_change *x = a, *y = b;
    if (x->change != y->change)
        return x->change < y->change ? 1 : -1;
    int byname = strcmp(x->name, y->name);
    if (byname != 0)
        return byname;
    return (x->index > y->index) - (x->index < y->index);
}

/* Every authority's change per head must be a finite number, so each
 * baseline, final allocation and population is checked (a population of
 * zero or less has no funding per head); checked and written like
 * mtfs_plot_projection. */
mtfs_status mtfs_plot_formula(const char *path, mtfs_plot_format format,
                              const mtfs_formula_result *r, size_t highlight, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !r || !f || (r->n > 0 && (!r->baseline || !r->final || !r->population)))
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_formula called without a path, formula result "
                              "with funding and population, or valid format");
    if (r->n == 0 || r->n > FORMULA_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw the winners and losers of %zu authorities: "
                              "expected 1 to %d",
                              r->n, FORMULA_MAX);
    if (highlight != (size_t)-1 && highlight >= r->n)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot highlight authority %zu: the formula has %zu", highlight,
                              r->n);
    if (!isfinite(r->control_total))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the winners and losers: the control total is not a "
                              "finite number");
    for (size_t i = 0; i < r->n; i++) {
        const char *name = formula_name(r, i);
        if (!isfinite(r->baseline[i]) || !isfinite(r->final[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding of '%.160s': its %s "
                                  "funding is not a finite number",
                                  name, isfinite(r->baseline[i]) ? "final" : "baseline");
        if (!isfinite(r->population[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "its population is not a finite number",
                                  name);
        if (!(r->population[i] > 0.0))
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "its population is %g, not a positive number",
                                  name, r->population[i]);
        if (!isfinite((r->final[i] - r->baseline[i]) * 1e6 / r->population[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "the value is not a finite number",
                                  name);
    }

    const size_t n = r->n;
    ranked_change *order = mtfs_calloc(n, sizeof *order);
    hbar *rows = mtfs_calloc(n, sizeof *rows);
    chart *c = order && rows ? chart_new(f, NULL) : NULL;
    if (!c) {
        mtfs_free(order);
        mtfs_free(rows);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        order[i].index = i;
        order[i].change = (r->final[i] - r->baseline[i]) * 1e6 / r->population[i];
        order[i].name = formula_name(r, i);
    }
    qsort(order, n, sizeof *order, by_change);
    c->highlight = (size_t)-1;
    for (size_t k = 0; k < n; k++) {
        hbar *b = &rows[k];
        const int is_hl = order[k].index == highlight;
        b->label = order[k].name;
        b->value = order[k].change;
        format_pounds(b->value, 1, b->value_text, sizeof b->value_text);
        b->colour = is_hl ? COL_HIGHLIGHT : b->value < 0.0 ? COL_LOSS : COL_GAIN;
        b->text_colour = is_hl ? COL_HIGHLIGHT : b->value < 0.0 ? COL_LOSS_TEXT : COL_GAIN_TEXT;
        b->label_colour = is_hl ? COL_HIGHLIGHT : COL_INK;
        b->font = is_hl ? FONT_BOLD : FONT_REGULAR;
        if (is_hl)
            c->highlight = k;
    }
    mtfs_free(order);

    c->draw = draw_formula;
    c->name = r->name;
    c->file = r->data_path;
    c->formula = r;
    c->hbars = rows;
    c->n_hbars = n;
    mtfs_status st = render(path, format, f, c, err);
    mtfs_free(rows);
    return st;
}

/* Values are in pounds, printed "£1,234", when the unit says so. */
static int unit_is_pounds_a_head(const char *unit)
{
    static const char *const per_head[] = {POUND_SIGN " a head", POUND_SIGN " per head"};
    for (size_t i = 0; i < sizeof per_head / sizeof per_head[0]; i++)
        if (strncmp(unit, per_head[i], strlen(per_head[i])) == 0)
            return 1;
    return 0;
}

/* 1 to BARS_MAX bars, each value finite; checked and written like
 * mtfs_plot_projection. */
mtfs_status mtfs_plot_bars(const char *path, mtfs_plot_format format, const char *title,
                           const char *subtitle, const char *unit, size_t n, const mtfs_bar *bars,
                           const char *source, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !f || (n > 0 && !bars))
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "mtfs_plot_bars called without a path, bars or valid format");
    if (n < 1 || n > BARS_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %zu bars in one chart: expected 1 to %d", n,
                              BARS_MAX);
    for (size_t i = 0; i < n; i++) {
        const char *label = bars[i].label ? bars[i].label : "";
        if (!isfinite(bars[i].value))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the bar '%.160s': its value is not a finite "
                                  "number",
                                  label);
        if (bars[i].style != MTFS_BAR_NORMAL && bars[i].style != MTFS_BAR_HIGHLIGHT &&
            bars[i].style != MTFS_BAR_GROUP)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "the bar '%.160s' has no valid style (%d)", label,
                                  (int)bars[i].style);
    }

    hbar *rows = mtfs_calloc(n, sizeof *rows);
    chart *c = rows ? chart_new(f, NULL) : NULL;
    if (!c) {
        mtfs_free(rows);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    const char *u = unit ? unit : "";
    const int pounds = unit_is_pounds_a_head(u);
    for (size_t i = 0; i < n; i++) {
        hbar *b = &rows[i];
        b->label = bars[i].label ? bars[i].label : "";
        b->value = bars[i].value;
        if (pounds)
            format_pounds(b->value, 0, b->value_text, sizeof b->value_text);
        else
            format_money(b->value, 0, b->value_text, sizeof b->value_text);
        switch (bars[i].style) {
        case MTFS_BAR_HIGHLIGHT:
            b->colour = b->text_colour = b->label_colour = COL_HIGHLIGHT;
            b->font = FONT_BOLD;
            break;
        case MTFS_BAR_GROUP:
            b->colour = COL_GROUP;
            b->text_colour = b->label_colour = COL_MUTED;
            b->font = FONT_ITALIC;
            break;
        case MTFS_BAR_NORMAL:
        default:
            b->colour = COL_BAR;
            b->text_colour = b->label_colour = COL_INK;
            b->font = FONT_REGULAR;
            break;
        }
    }
    c->draw = draw_bars;
    c->name = title ? title : "";
    c->subtitle = subtitle;
    c->unit = u;
    c->file = source;
    c->hbars = rows;
    c->n_hbars = n;
    mtfs_status st = render(path, format, f, c, err);
    mtfs_free(rows);
    return st;
}

/* What both back-test charts need of b: 1 to BACKTEST_MAX editions in
 * first-year order, each with a horizon the page can lay out and its
 * modelled gap finite (a published gap may be NAN, not published, but not
 * infinite); with `funnel`, also finite modelled expenditure and an
 * outturn of finite budgets set, years in order.  `what` names the chart
 * in messages. */
static mtfs_status check_backtest(const mtfs_backtest *b, int funnel, const char *path,
                                  const char *what, mtfs_error *err)
{
    char label[64], year[16];
    if (b->n < 1 || b->n > BACKTEST_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %s of %zu MTFS editions: expected 1 to %d", what,
                              b->n, BACKTEST_MAX);
    if (!b->editions || (b->n_outturn > 0 && !b->outturn))
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "the back-test has no %s to draw",
                              b->editions ? "outturn" : "editions");
    for (size_t i = 0; i < b->n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        if (e->first_year < BACKTEST_YEAR_MIN || e->first_year > BACKTEST_YEAR_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw MTFS edition %zu ('%.64s'): its first year %d "
                                  "is not between %d and %d",
                                  i + 1, e->id, e->first_year, BACKTEST_YEAR_MIN,
                                  BACKTEST_YEAR_MAX);
        edition_label(e, label, sizeof label);
        if (e->horizon < 1 || e->horizon > MTFS_HORIZON_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw the %s ('%.64s') for a horizon of %zu years: "
                                  "expected 1 to %d",
                                  label, e->id, e->horizon, MTFS_HORIZON_MAX);
        if (i > 0 && e->first_year < b->editions[i - 1].first_year)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw %s: the %s ('%.64s') is listed after the "
                                  "%.15s MTFS ('%.64s'); editions must be in order of first "
                                  "year",
                                  what, label, e->id,
                                  mtfs_year_label(b->editions[i - 1].first_year, year,
                                                  sizeof year),
                                  b->editions[i - 1].id);
        for (size_t t = 1; t <= e->horizon; t++) {
            mtfs_year_label(e->first_year - 1 + (int)t, year, sizeof year);
            const char *bad = !isfinite(e->modelled_gap[t]) ? "modelled gap"
                              : isinf(e->published_gap[t]) ? "published gap"
                              : funnel && !isfinite(e->expenditure[t]) ? "modelled net budget"
                                                                        : NULL;
            if (bad)
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the %s of the %s ('%.64s') in %s: the value "
                                      "is not a finite number",
                                      bad, label, e->id, year);
        }
    }
    if (!funnel)
        return MTFS_OK;
    for (size_t k = 0; k < b->n_outturn; k++) {
        const mtfs_backtest_outturn *o = &b->outturn[k];
        if (o->year < BACKTEST_YEAR_MIN || o->year > BACKTEST_YEAR_MAX ||
            (k > 0 && o->year <= b->outturn[k - 1].year))
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw %s: outturn year %d is out of order or not "
                                  "between %d and %d",
                                  what, o->year, BACKTEST_YEAR_MIN, BACKTEST_YEAR_MAX);
        if (!isfinite(o->net_budget))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the net budget set for %s: the value is not a "
                                  "finite number",
                                  mtfs_year_label(o->year, year, sizeof year));
    }
    return MTFS_OK;
}

/* Checks, then draws one back-test chart with draw(); written like
 * mtfs_plot_projection.  `fn` names the public function in messages. */
static mtfs_status plot_backtest(const char *path, mtfs_plot_format format,
                                 const mtfs_backtest *b, int funnel, const char *fn,
                                 const char *what, void (*draw)(chart *), mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !b || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "%s called without a path, back-test or valid format", fn);
    mtfs_status st = check_backtest(b, funnel, path, what, err);
    if (st != MTFS_OK)
        return st;
    chart *c = chart_new(f, NULL);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->draw = draw;
    c->backtest = b;
    return render(path, format, f, c, err);
}

mtfs_status mtfs_plot_backtest_gaps(const char *path, mtfs_plot_format format,
                                    const mtfs_backtest *b, mtfs_error *err)
{
    return plot_backtest(path, format, b, 0, "mtfs_plot_backtest_gaps",
                         "the published and modelled gaps", draw_backtest_gaps, err);
}

mtfs_status mtfs_plot_backtest_funnel(const char *path, mtfs_plot_format format,
                                      const mtfs_backtest *b, mtfs_error *err)
{
    return plot_backtest(path, format, b, 1, "mtfs_plot_backtest_funnel",
                         "the forecast funnel", draw_backtest_funnel, err);
}
