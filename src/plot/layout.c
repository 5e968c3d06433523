/*
 * plot/layout.c - the pure half of the drawing kit (see layout.h): how
 * wide a text is, how it is shortened or wrapped to fit, how numbers are
 * written on a chart, and the scales and geometry a layout is computed
 * with.  Nothing here calls PLplot.
 */
#include "plot/layout.h"
#include "mtfs/year.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* PLplot treats '#' as its escape character; user text must not. */
void plot_escape_text(const char *in, char *out, size_t size)
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
double plot_text_w(const char *raw, double size_px, int bold)
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

/* Copy raw text into out, shortening it with an ellipsis until it is at
 * most max_px wide.  Names keep their start, file paths (keep_end) their
 * end, where the informative part is. */
void plot_fit_raw(const char *raw, double size_px, int bold, double max_px, int keep_end,
                  char *out, size_t size)
{
    char trimmed[512];
    size_t len = strlen(raw), cut = 0;
    snprintf(trimmed, sizeof trimmed, "%s", raw);
    while (plot_text_w(trimmed, size_px, bold) > max_px && cut < len) {
        do
            cut++;
        while (cut < len && ((unsigned char)raw[keep_end ? cut : len - cut] & 0xC0) == 0x80);
        if (keep_end)
            snprintf(trimmed, sizeof trimmed, "\xE2\x80\xA6%s", raw + cut);
        else
            snprintf(trimmed, sizeof trimmed, "%.*s\xE2\x80\xA6", (int)(len - cut), raw);
    }
    snprintf(out, size, "%s", trimmed);
}

/* plot_fit_raw, escaped for PLplot. */
void plot_fit_text(const char *raw, double size_px, int bold, double max_px,
                     int keep_end, char *out, size_t size)
{
    char trimmed[512];
    plot_fit_raw(raw, size_px, bold, max_px, keep_end, trimmed, sizeof trimmed);
    plot_escape_text(trimmed, out, size);
}

/* Width of the first len bytes of text in the title's bold face. */
static double title_part_w(const char *text, size_t len, double px)
{
    char part[1024];
    snprintf(part, sizeof part, "%.*s", (int)len, text);
    return plot_text_w(part, px, 1);
}

/* The title rule every chart follows: the name (which scenario, formula
 * or briefing) then the suffix (what the chart shows), never cut in the
 * middle of a word.  One line at TITLE_PX when it fits max_px, or a
 * little smaller (down to TITLE_MIN_PX); else two lines at TITLE_PX,
 * broken after the last ": " that lets both fit (a name's own "Council
 * 2025: what-if" or the one before the suffix), else between words; a
 * text too long even for two lines keeps its end (the what-if and the
 * suffix) and loses the start of the name, marked with an ellipsis. */
void plot_title_layout(const char *name, const char *suffix, double max_px, title_block *t)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", name ? name : "", suffix ? suffix : "");
    memset(t, 0, sizeof *t);
    t->y[0] = TITLE_Y;
    for (t->px = TITLE_PX; t->px >= TITLE_MIN_PX; t->px -= 0.5)
        if (plot_text_w(text, t->px, 1) <= max_px) {
            t->n = 1;
            snprintf(t->line[0], sizeof t->line[0], "%s", text);
            return;
        }
    t->px = TITLE_PX;
    t->n = 2;
    t->y[1] = TITLE_Y + TITLE_PITCH;
    t->drop = TITLE_PITCH;
    /* A break is a space: line 1 ends before it (with the colon of a
     * ": "), line 2 starts after it. */
    const size_t len = strlen(text);
    size_t colon = 0, space = 0;
    for (size_t i = 1; i < len; i++) {
        if (text[i] != ' ' || title_part_w(text, i, t->px) > max_px ||
            plot_text_w(text + i + 1, t->px, 1) > max_px)
            continue;
        space = i;
        if (text[i - 1] == ':')
            colon = i;
    }
    size_t at = colon ? colon : space;
    if (at) {
        snprintf(t->line[0], sizeof t->line[0], "%.*s", (int)at, text);
        snprintf(t->line[1], sizeof t->line[1], "%s", text + at + 1);
        return;
    }
    /* Too long for two lines: line 2 the most whole words from the end
     * that fit, line 1 what comes before, shortened from its front. */
    for (size_t i = 1; i < len; i++)
        if (text[i] == ' ' && plot_text_w(text + i + 1, t->px, 1) <= max_px) {
            at = i;
            break;
        }
    if (!at) { /* the last word alone is too wide: it keeps its end */
        plot_fit_raw(text, t->px, 1, max_px, 1, t->line[1], sizeof t->line[1]);
        t->n = 1;
        t->drop = 0.0;
        snprintf(t->line[0], sizeof t->line[0], "%s", t->line[1]);
        return;
    }
    char head[1024];
    snprintf(head, sizeof head, "%.*s", (int)at, text);
    plot_fit_raw(head, t->px, 1, max_px, 1, t->line[0], sizeof t->line[0]);
    snprintf(t->line[1], sizeof t->line[1], "%s", text + at + 1);
}

/* Thousands separators and a true minus sign, as a finance reader expects:
 * "1,250", "−20", "2.5". */
void plot_format_money(double value, int decimals, char *out, size_t size)
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
/* ---------------------------------------------------------------------- */
/* Scales                                                                  */

double plot_nice_step(double span, double target_ticks)
{
    double raw = span / target_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    double r = raw / mag;
    double m = r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 2.5 ? 2.5 : r <= 5.0 ? 5.0 : 10.0;
    return m * mag;
}

int plot_step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10.0, d) - round(step * pow(10.0, d))) > 1e-6)
        d++;
    return d;
}

/* A tick-aligned range around [lo, hi] with a little air, never crossing
 * zero when zero is one of the ends (bars and reserves start at 0). */
axis_range plot_nice_range(double lo, double hi, double target_ticks,
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
    r.step = plot_nice_step(phi - plo, target_ticks);
    r.min = floor(plo / r.step + 1e-9) * r.step;
    r.max = ceil(phi / r.step - 1e-9) * r.step;
    if (r.max <= r.min)
        r.max = r.min + r.step;
    return r;
}
/* Greedy word wrap of raw text into at most max_lines lines no wider than
 * max_px.  Lines break at spaces, or after a hyphen ("Council-" / "tax
 * rises") when the whole word does not fit.  Returns the number of lines,
 * or -1 when the text needs more or one part alone is too wide. */
int plot_wrap_text(const char *raw, double px, int bold, double max_px, int max_lines,
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
        if (strlen(trial) < sizeof line && plot_text_w(trial, px, bold) <= max_px) {
            memcpy(line, trial, strlen(trial) + 1);
            continue;
        }
        if (!line[0] || plot_text_w(piece, px, bold) > max_px || w->n + 1 >= max_lines)
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
double plot_snap_to_zero(double v, double span)
{
    return fabs(v) < 0.02 * span ? 0.0 : v;
}

/* "£567.6m", "−£12.0m" (the sign before the pound sign, as printed in
 * council papers). */
void plot_format_pounds_m(double value, char *out, size_t size)
{
    char num[48];
    plot_format_money(value, 1, num, sizeof num);
    int negative = strncmp(num, "\xE2\x88\x92", 3) == 0;
    snprintf(out, size, "%s\xC2\xA3%sm", negative ? "\xE2\x88\x92" : "", num + (negative ? 3 : 0));
}
int plot_rects_overlap(const rect *a, const rect *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Whether segment a-b crosses or lies in rectangle r (Liang-Barsky). */
int plot_segment_hits(double ax, double ay, double bx, double by, const rect *r)
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

/* A tick-aligned range for lines with markers: ticks around [lo, hi]
 * (an end within 2% of zero taken as zero), then the window widened, off
 * the ticks, so that a marker at a data extreme dlo or dhi keeps margin_px
 * of room in a plot plot_px tall (PLplot clips to the plot area). */
axis_range plot_marked_range(double lo, double hi, double dlo, double dhi,
                               double target_ticks, double plot_px, double margin_px)
{
    axis_range r = plot_nice_range(plot_snap_to_zero(lo, hi - lo), plot_snap_to_zero(hi, hi - lo),
                              target_ticks, 0.06);
    double margin = margin_px * (r.max - r.min) / plot_px;
    r.min = fmin(r.min, dlo - margin);
    r.max = fmax(r.max, dhi + margin);
    return r;
}

/* "20/21": a financial year in its short form, for narrow axes. */
char *plot_short_year_label(int first_calendar_year, char *buf, size_t size)
{
    int a = (first_calendar_year % 100 + 100) % 100;
    snprintf(buf, size, "%02d/%02d", a, (a + 1) % 100);
    return buf;
}

/* Copy raw text into out (escaped for PLplot), shortened in the middle
 * with an ellipsis until it is at most max_px wide: a key path keeps its
 * start (which service or grant) and its end (which input). */
void plot_fit_text_middle(const char *raw, double size_px, int bold, double max_px,
                            char *out, size_t size)
{
    char trimmed[512];
    size_t len = strnlen(raw, 400);
    snprintf(trimmed, sizeof trimmed, "%.*s", (int)len, raw);
    size_t head = len / 2;
    while (head < len && ((unsigned char)raw[head] & 0xC0) == 0x80)
        head++;
    size_t tail = head; /* first byte of the kept end */
    for (int turn = 0; plot_text_w(trimmed, size_px, bold) > max_px && (head > 0 || tail < len);
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
    plot_escape_text(trimmed, out, size);
}

row_layout plot_rows_layout(double design_h, size_t nr, double drop)
{
    row_layout l;
    l.top = 156.0 + drop;
    l.footer = design_h - 14.0;
    l.axis_band = 10.0 + 1.3 * TICK_PX;
    l.bottom = l.footer - 38.0 - 12.0 - l.axis_band;
    l.row_h = (l.bottom - l.top) / (double)nr;
    l.label_px = fmin(14.0, fmax(10.5, 0.5 * l.row_h));
    l.value_px = fmin(13.0, fmax(10.0, 0.46 * l.row_h));
    l.bar_px = fmin(0.64 * l.row_h, 52.0);
    return l;
}

/* Whole pounds with the sign before the pound sign: "£1,234", "−£12",
 * and with `sign` a plus on gains, "+£94", as a change is printed. */
void plot_format_pounds(double value, int sign, char *out, size_t size)
{
    char num[32];
    plot_format_money(value, 0, num, sizeof num);
    int negative = strncmp(num, MINUS_SIGN, 3) == 0;
    const char *prefix = negative ? MINUS_SIGN : sign && strcmp(num, "0") != 0 ? "+" : "";
    snprintf(out, size, "%s" POUND_SIGN "%s", prefix, num + (negative ? 3 : 0));
}

/* Whether c parts a name's words: a space or the punctuation after a word. */
static int parts_words(char c)
{
    return c == ' ' || c == ':' || c == ',' || c == ';' || c == '-' || c == '\0';
}

/* What follows a shared start in a name: the separators after it left
 * out ("Council 2025: frozen" after "Council 2025" is "frozen"). */
const char *plot_after_prefix(const char *name, size_t prefix)
{
    const char *rest = name + prefix;
    while (*rest && parts_words(*rest))
        rest++;
    return rest;
}

/* Length of the start every one of n names shares, ending at a word (so
 * "Council 2025 central" and "Council 2025: frozen" share "Council
 * 2025"), such that each name has words after it; 0 for fewer than two
 * names or none shared.  The compare chart puts it in its title once
 * instead of in every legend entry. */
size_t plot_common_prefix(const char *const *names, size_t n)
{
    if (n < 2)
        return 0;
    size_t p = strlen(names[0]);
    for (size_t i = 1; i < n; i++) {
        size_t k = 0;
        while (k < p && names[i][k] && names[i][k] == names[0][k])
            k++;
        p = k;
    }
    for (; p > 0; p--) {
        int ok = !parts_words(names[0][p - 1]);
        for (size_t i = 0; i < n && ok; i++)
            ok = parts_words(names[i][p]) && *plot_after_prefix(names[i], p) != '\0';
        if (ok)
            return p;
    }
    return 0;
}

/* The sign of value as printed with `decimals` decimals: 0 for what
 * prints as zero ("£0", never "−£0"), so a chart colours and places it as
 * neither a gain nor a loss. */
int plot_shown_sign(double value, int decimals)
{
    double scale = pow(10.0, decimals);
    double shown = round(value * scale);
    return shown > 0.0 ? 1 : shown < 0.0 ? -1 : 0;
}

/* Widest label of the years first..last in one form, px. */
static double widest_year(int first, int last, int short_form, double px)
{
    char label[16];
    double w = 0.0;
    for (int y = first; y <= last; y++)
        w = fmax(w, plot_text_w(short_form ? plot_short_year_label(y, label, sizeof label)
                                           : mtfs_year_label(y, label, sizeof label),
                                px, 0));
    return w;
}

/* The labels of an axis of calendar years first..last, px_per_year
 * apart: every year in the long form when each fits with 12 px between;
 * else (short_ok) in the short form, at the tick size, then down to 12 px
 * with 10 px between; only then every 2nd, 5th, 10th ... year (the
 * ticks stay on every year), in the short form if allowed. */
year_ticks plot_year_ticks(int first, int last, double px_per_year, int short_ok)
{
    year_ticks t = {1, 0, TICK_PX};
    if (widest_year(first, last, 0, TICK_PX) + 12.0 <= px_per_year)
        return t;
    if (short_ok) {
        t.short_form = 1;
        if (widest_year(first, last, 1, TICK_PX) + 12.0 <= px_per_year)
            return t;
        for (t.px = TICK_PX - 1.0; t.px >= 12.0; t.px -= 0.5)
            if (widest_year(first, last, 1, t.px) + 10.0 <= px_per_year)
                return t;
        t.px = TICK_PX;
    }
    static const int steps[] = {2, 5, 10, 20, 50, 100, 1000};
    const double widest = widest_year(first, last, t.short_form, TICK_PX);
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        t.step = steps[k];
        if (widest + 12.0 <= t.step * px_per_year)
            break;
    }
    return t;
}
