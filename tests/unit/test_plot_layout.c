/*
 * test_plot_layout.c - the chart layout kit (src/plot/layout.h) without
 * drawing: text widths from the DejaVu Sans advance table, word wrapping,
 * number formats, value scales and the rows of a bar chart.  Expected
 * values are worked by hand below; a size of 2048 px makes a width equal
 * to the font's units (1/2048 em), which the table gives directly.
 */
#include "check.h"
#include "plot/layout.h"

/* DejaVu Sans advances: C 1430, o 1253, u 1298, n 1298, c 1126, i 569,
 * l 569, '-' 739, t 803, a 1255, x 1212, ' ' 651, r 842, s 1067, e 1260,
 * m 1995; a character outside ASCII ("£") counts 1400. */
static void test_text_width(void)
{
    /* "Council-" = 1430 + 1253 + 1298 + 1298 + 1126 + 569 + 569 + 739 = 8282 */
    CHECK_CLOSE(plot_text_w("Council-", 2048.0, 0), 8282.0, 1e-12, 0.0);
    /* "£m" = 1400 + 1995 = 3395; at 14 px: 3395 / 2048 * 14 = 23.2080078125 */
    CHECK_CLOSE(plot_text_w("\xC2\xA3m", 2048.0, 0), 3395.0, 1e-12, 0.0);
    CHECK_CLOSE(plot_text_w("\xC2\xA3m", 14.0, 0), 23.2080078125, 1e-12, 0.0);
}

/* "Council-tax rises": "Council-" 8282, "tax" 803 + 1255 + 1212 = 3270,
 * " " 651, "rises" 842 + 569 + 1067 + 1260 + 1067 = 4805. */
static void test_wrap(void)
{
    wrapped w;
    /* 10000 wide: "Council-tax" is 11552, too wide, so the hyphen breaks;
     * "tax rises" is 3270 + 651 + 4805 = 8726, which fits. */
    CHECK(plot_wrap_text("Council-tax rises", 2048.0, 0, 10000.0, 4, &w) == 2);
    CHECK_STR(w.line[0], "Council-");
    CHECK_STR(w.line[1], "tax rises");
    /* 20000 wide: the whole 17008 on one line. */
    CHECK(plot_wrap_text("Council-tax rises", 2048.0, 0, 20000.0, 4, &w) == 1);
    CHECK_STR(w.line[0], "Council-tax rises");
    /* One line allowed but two needed; a piece (8282) wider than 8000. */
    CHECK(plot_wrap_text("Council-tax rises", 2048.0, 0, 10000.0, 1, &w) == -1);
    CHECK(plot_wrap_text("Council-tax rises", 2048.0, 0, 8000.0, 4, &w) == -1);
}

static void test_numbers(void)
{
    char buf[64];
    plot_format_money(-1234.5, 1, buf, sizeof buf);
    CHECK_STR(buf, "\xE2\x88\x92" "1,234.5"); /* a true minus, thousands separated */
    plot_format_money(1250.0, 0, buf, sizeof buf);
    CHECK_STR(buf, "1,250");
    plot_format_pounds_m(-12.0, buf, sizeof buf);
    CHECK_STR(buf, "\xE2\x88\x92\xC2\xA3" "12.0m"); /* the sign before the pound sign */
    plot_format_pounds(94.0, 1, buf, sizeof buf);
    CHECK_STR(buf, "+\xC2\xA3" "94");
    CHECK_STR(plot_short_year_label(2020, buf, sizeof buf), "20/21");
    CHECK_STR(plot_short_year_label(1999, buf, sizeof buf), "99/00");
}

/* Ticks at 1, 2, 2.5 or 5 times a power of ten. */
static void test_scales(void)
{
    /* 0 to 90.7 with 6% air above (zero stays the bottom): 96.142 over 5
     * ticks is 19.23, so a step of 20 and an axis 0 to 100. */
    axis_range r = plot_nice_range(0.0, 90.7, 5.0, 0.06);
    CHECK_CLOSE(r.min, 0.0, 0.0, 1e-12);
    CHECK_CLOSE(r.max, 100.0, 1e-12, 0.0);
    CHECK_CLOSE(r.step, 20.0, 1e-12, 0.0);
    /* -24 to 46.5: air 70.5 * 0.06 = 4.23 each side, -28.23 to 50.73, span
     * 78.96 / 5 = 15.79, so a step of 20 and an axis -40 to 60. */
    r = plot_nice_range(-24.0, 46.5, 5.0, 0.06);
    CHECK_CLOSE(r.min, -40.0, 1e-12, 0.0);
    CHECK_CLOSE(r.max, 60.0, 1e-12, 0.0);
    CHECK_CLOSE(r.step, 20.0, 1e-12, 0.0);
    /* One value, 5: widened by 1 each way, 2 / 5 = 0.4, a step of 0.5. */
    r = plot_nice_range(5.0, 5.0, 5.0, 0.0);
    CHECK_CLOSE(r.min, 4.0, 1e-12, 0.0);
    CHECK_CLOSE(r.max, 6.0, 1e-12, 0.0);
    CHECK_CLOSE(r.step, 0.5, 1e-12, 0.0);
    CHECK(plot_step_decimals(0.5) == 1);
    CHECK(plot_step_decimals(20.0) == 0);
    CHECK(plot_step_decimals(0.25) == 2);
    /* Within 2% of the span from zero is zero. */
    CHECK(plot_snap_to_zero(1.9, 100.0) == 0.0);
    CHECK(plot_snap_to_zero(2.1, 100.0) == 2.1);
}

/* Ten rows on the 900-px PNG page: footer 900 - 14 = 886, axis band
 * 10 + 1.3 * 14 = 28.2, bottom 886 - 50 - 28.2 = 807.8, rows of
 * (807.8 - 156) / 10 = 65.18 px; labels 14 px (half a row, at most 14),
 * values 13 px, bars 0.64 * 65.18 = 41.7152 px (under the 52-px cap). */
static void test_rows(void)
{
    row_layout l = plot_rows_layout(900.0, 10, 0.0);
    CHECK_CLOSE(l.bottom, 807.8, 1e-12, 0.0);
    CHECK_CLOSE(l.row_h, 65.18, 1e-12, 0.0);
    CHECK_CLOSE(l.label_px, 14.0, 1e-12, 0.0);
    CHECK_CLOSE(l.value_px, 13.0, 1e-12, 0.0);
    CHECK_CLOSE(l.bar_px, 41.7152, 1e-12, 0.0);
    /* Two rows: 325.9 px each, so the bars stop at 52 px. */
    CHECK_CLOSE(plot_rows_layout(900.0, 2, 0.0).bar_px, 52.0, 1e-12, 0.0);
    /* Bars that cross: segment (0,0)-(10,10) through the square 4..6. */
    rect r = {4.0, 4.0, 6.0, 6.0}, far = {7.0, 0.0, 9.0, 2.0};
    CHECK(plot_segment_hits(0.0, 0.0, 10.0, 10.0, &r));
    CHECK(!plot_segment_hits(0.0, 0.0, 10.0, 10.0, &far));
    CHECK(plot_rects_overlap(&r, &(rect){5.0, 5.0, 8.0, 8.0}));
    CHECK(!plot_rects_overlap(&r, &far));
}

void suite_plot_layout(void)
{
    test_text_width();
    test_wrap();
    test_numbers();
    test_scales();
    test_rows();
}
