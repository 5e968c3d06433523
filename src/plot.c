/*
 * plot.c - the projection chart, drawn with PLplot.
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
 * looks the same as the PNG.
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
    N_COLOURS = 16
};

/* Normalised page coordinates of a plot area (0..1, origin bottom left). */
typedef struct {
    double x0, x1, y0, y1;
} box;

typedef struct {
    const mtfs_projection *p;
    size_t horizon;
    int base_year;
    const char *name;
    const char *file;
    double k;            /* page width / 1200: scales lengths set in px */
    double design_h;     /* page height in design px (width is 1200) */
    int rotate_years;    /* year labels at 45 degrees (long horizons) */
    char year[MTFS_HORIZON_MAX + 1][16];
} chart;

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

/* Widest value-axis label of a range, in design px. */
static double tick_labels_w(const axis_range *y)
{
    char buf[64];
    double w = 0.0;
    int decimals = step_decimals(y->step);
    for (double v = y->min; v <= y->max + y->step * 0.5; v += y->step) {
        format_money(v, decimals, buf, sizeof buf);
        w = fmax(w, text_w(buf, TICK_PX, 0));
    }
    return w;
}

/* Grid, zero line, axes and the "£m" label of one panel.  The window is
 * left set to the panel for the data that follows. */
static void panel_frame(const chart *c, const box *b, double xmin, double xmax,
                        const axis_range *y)
{
    axis_format fmt = {step_decimals(y->step)};

    panel_window(b, xmin, xmax, y);

    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("", 0.0, 0, "g", y->step, 0);

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
    plslabelfunc(label_money, &fmt);
    plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
    plbox("bit", 1.0, 1, "bnvox", y->step, 0);
    plslabelfunc(NULL, NULL);

    /* Every panel's unit label sits at the same x unless its tick labels
     * are unusually wide.  plmtex displaces in character heights, which
     * are 0.75 em (see set_text). */
    plcol0(COL_INK);
    double gap_px = fmax(b->x0 * DESIGN_W - 40.0, tick_labels_w(y) + 22.0);
    plmtex("l", gap_px / (0.75 * TICK_PX), 0.5, 0.5, "\xC2\xA3m"); /* "£m" */
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
        PLINT style = e[i].line_style, n_symbols = 2;
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
                 nx(44.0) / (b->x1 - b->x0), COL_BG, COL_BG, LINE_SOLID, 1, 1, 1, &opt,
                 0.9, 1.0, 2.0, 0.0, &text_colour, &text, &colour, &box_pattern,
                 &box_scale, &box_width, &colour, &style, &line_width, &colour,
                 &symbol_scale, &n_symbols, &symbol);
        right += (double)w + nx(22.0) / (b->x1 - b->x0);
    }
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

/* ---------------------------------------------------------------------- */
/* The chart                                                               */

#define GLYPH_CIRCLE "\xE2\x97\x8F"  /* U+25CF */
#define GLYPH_SQUARE "\xE2\x96\xA0"  /* U+25A0 */
#define GLYPH_DIAMOND "\xE2\x97\x86" /* U+25C6 */

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
    legend_entry lg[2];
    int n_lg = 0;
    if (hi > 0.0 || lo == 0.0)
        lg[n_lg++] = shortfall;
    if (lo < 0.0)
        lg[n_lg++] = surplus;
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

    /* Provenance. */
    set_text(c, 12.0);
    snprintf(raw, sizeof raw, "mtfs %s \xC2\xB7 ", MTFS_VERSION);
    double room = DESIGN_W - 48.0 - text_w(raw, 12.0, 0);
    fit_text(c->file ? c->file : "", 12.0, 0, room, 1, buf, sizeof buf);
    snprintf(raw + strlen(raw), sizeof raw - strlen(raw), "%s", buf);
    page_text(text_left, ny(c, footer), 0.0, raw);
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
            draw_chart(ss->c);
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

    chart *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    c->p = p;
    c->horizon = p->horizon;
    c->base_year = mtfs_scenario_base_year(s);
    c->name = mtfs_scenario_name(s);
    c->file = mtfs_scenario_file(s, 0);
    c->k = (double)f->width / DESIGN_W;
    c->design_h = DESIGN_W * (double)f->height / (double)f->width;
    if (!c->name)
        c->name = "";
    mtfs_status st = check_projection(p, c->horizon, path, err);
    if (st != MTFS_OK) {
        mtfs_free(c);
        return st;
    }
    for (size_t t = 0; t <= c->horizon; t++)
        mtfs_year_label(c->base_year + (int)t, c->year[t], sizeof c->year[t]);

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

    mtfs_output *o = NULL;
    st = mtfs_output_open(path, &o, err);
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
