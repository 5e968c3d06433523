/*
 * test_plot_charts.c - the layouts of the long chart drawers (src/plot/),
 * computed without PLplot: for small inputs worked by hand, which bars,
 * rows, labels and legend entries a chart has, where and on what scale.
 */
#include "check.h"
#include "fixtures.h"
#include "plot_fixtures.h"
#include "plot/chart_backtest.h"
#include "plot/chart_bars.h"
#include "plot/chart_bridge.h"
#include "plot/chart_compare.h"
#include "plot/chart_projection.h"
#include "plot/session.h"
#include "plot/chart_uncertainty.h"

#include <math.h>

#include <string.h>

/* A bridge to 2028/29 from a balanced £500m budget: pay +10, price +5,
 * savings -4, a 0.01 sliver of one-off costs (too small to draw, but
 * carried), grants -3.01; the gap 8.  Running totals: pay 0 to 10, price
 * 10 to 15, savings 15 to 11, one-off 11 to 11.01 (not a bar), grants
 * 11.01 to 8; then the gap bar 0 to 8.  Six bars in 1066 px: slots of
 * 177.67 px, bars 2 x 48 px wide (0.34 of a slot would be 60 px). */
static void test_bridge(void)
{
    chart c = test_page("Test", 3);
    mtfs_bridge b;
    memset(&b, 0, sizeof b);
    b.year_index = 3;
    b.base_budget = 500.0;
    b.item[MTFS_BRIDGE_PAY] = 10.0;
    b.item[MTFS_BRIDGE_PRICE] = 5.0;
    b.item[MTFS_BRIDGE_SAVINGS] = -4.0;
    b.item[MTFS_BRIDGE_ONE_OFF] = 0.01;
    b.item[MTFS_BRIDGE_GRANTS] = -3.01;
    b.gap = 8.0;
    static bridge_layout l;
    bridge_layout_of(&c, &b, &l);

    CHECK(l.nb == 6);
    static const int kind[6] = {BAR_START, BAR_RISE, BAR_RISE, BAR_FALL, BAR_FALL, BAR_TOTAL};
    static const double from[6] = {0.0, 0.0, 10.0, 15.0, 11.01, 0.0};
    static const double to[6] = {0.0, 10.0, 15.0, 11.0, 8.0, 8.0};
    static const char *value[6] = {"balanced", "+10.0", "+5.0", MINUS_SIGN "4.0",
                                   MINUS_SIGN "3.0", "8.0"};
    for (int i = 0; i < 6; i++) {
        CHECK(l.bars[i].kind == kind[i]);
        CHECK_CLOSE(l.bars[i].from, from[i], 1e-12, 1e-12);
        CHECK_CLOSE(l.bars[i].to, to[i], 1e-12, 1e-12);
        CHECK_STR(l.bars[i].value, value[i]);
    }
    CHECK_STR(l.bars[0].label, "2025/26 budget \xC2\xA3" "500.0m");
    CHECK_STR(l.bars[1].label, "Pay inflation");
    CHECK_STR(l.bars[5].label, "Gap in 2028/29");
    /* Spending from bar 1, funding from bar 4: both brackets drawn. */
    CHECK(l.first_spending == 1 && l.first_funding == 4 && l.groups);
    CHECK(l.n_rise == 2 && l.n_fall == 2 && !l.surplus && l.balanced_base);
    CHECK(!l.rotate);
    CHECK_CLOSE(l.slot, 1066.0 / 6.0, 1e-12, 0.0);
    CHECK_CLOSE(l.bar_half, 48.0 / (1066.0 / 6.0), 1e-12, 0.0);
    CHECK_CLOSE(l.x0, -0.5, 0.0, 0.0);
    CHECK_CLOSE(l.x1, 5.5, 0.0, 0.0);
    /* Values of rises above the bar, of falls below; the scale covers
     * both with room to spare and keeps zero. */
    CHECK(l.bars[2].value_y > 15.0 && l.bars[3].value_y < 11.0);
    CHECK(l.yr.min <= 0.0 && l.yr.max > l.bars[2].value_y + l.bars[2].value_hh);
    CHECK(l.bars[4].value_y - l.bars[4].value_hh > l.yr.min);
    /* Legend: widens, narrows, the gap. */
    CHECK(l.n_lg == 3);
    CHECK_STR(l.lg[0].text, "Widens the gap");
    CHECK_STR(l.lg[2].text, "Gap");
    CHECK(l.title.n == 1 && l.title.drop == 0.0);
    CHECK_STR(l.title.line[0], "Test: gap bridge to 2028/29");
    CHECK_STR(l.subtitle, "From a balanced 2025/26 budget of \xC2\xA3" "500.0m to a gap of "
              "\xC2\xA3" "8.0m in 2028/29");

    /* A surplus of 2 from savings alone: no funding group, no rise. */
    memset(&b, 0, sizeof b);
    b.year_index = 1;
    b.base_budget = 100.0;
    b.item[MTFS_BRIDGE_SAVINGS] = -2.0;
    b.gap = -2.0;
    bridge_layout_of(&c, &b, &l);
    CHECK(l.nb == 3 && l.surplus && l.first_funding == -1 && l.first_spending == 1);
    CHECK(l.n_lg == 2);
    CHECK_STR(l.lg[0].text, "Narrows the gap");
    CHECK_STR(l.lg[1].text, "Surplus");
    CHECK_STR(l.bars[2].label, "Surplus in 2026/27");
}

/* The hand projection (plot_fixtures.h): three years, gaps 2, 5, 8,
 * reserves under the minimum in 2028/29. */
static void test_projection(void)
{
    chart c = test_page("Test", 3);
    static hand_projection h;
    hand_projection_init(&h);
    projection_input in = {&h.p, {0}};
    static projection_layout l;
    projection_layout_of(&c, &in, &l);

    /* The series are the registry's money columns, each with its short
     * name on the chart, and the layout draws their values. */
    for (int k = 0; k < N_SERIES; k++) {
        const mtfs_column *col = projection_series_column((projection_series)k);
        CHECK(col && col->chart && col->unit == MTFS_UNIT_MONEY);
    }
    CHECK_STR(projection_series_column(SERIES_SPENDING)->key, "expenditure");
    CHECK_STR(projection_series_column(SERIES_MINIMUM)->chart, "Minimum reserves");
    CHECK(mtfs_column_of("no_such_column") == NULL);
    CHECK(l.v[SERIES_GAP] == h.gap && l.v[SERIES_MINIMUM] == h.minimum);

    CHECK_CLOSE(l.funding[0], 100.0, 0.0, 0.0);
    CHECK_CLOSE(l.funding[3], 104.0, 0.0, 0.0);
    /* Spending and funding 100 to 112, 6% air each side: 99.28 to 112.72,
     * 13.44 / 5 ticks = 2.688, so a step of 5 and an axis 95 to 115. */
    CHECK_CLOSE(l.ya.min, 95.0, 1e-12, 0.0);
    CHECK_CLOSE(l.ya.max, 115.0, 1e-12, 0.0);
    CHECK_CLOSE(l.ya.step, 5.0, 1e-12, 0.0);
    /* Gaps 0 to 8: values fit their 266.5-px columns, so 25% air, 10 / 3
     * ticks = 3.33, a step of 5, 0 to 10.  Bars 60 px each side of the
     * year (0.32 of a year would be 85 px). */
    CHECK(l.bar_values);
    CHECK_CLOSE(l.yg.min, 0.0, 0.0, 0.0);
    CHECK_CLOSE(l.yg.max, 10.0, 1e-12, 0.0);
    CHECK_CLOSE(l.bar_half, 60.0 / 266.5, 1e-12, 0.0);
    CHECK(l.n_lg_gap == 1);
    CHECK_STR(l.lg_gap[0].text, "Shortfall");
    /* Reserves 0 to 50: 53 / 5 = 10.6, a step of 20, 0 to 60. */
    CHECK_CLOSE(l.yr.max, 60.0, 1e-12, 0.0);
    CHECK_CLOSE(l.yr.step, 20.0, 1e-12, 0.0);
    CHECK(l.exhausted);
    CHECK_STR(l.reserves_note, "below the minimum from 2028/29");
    CHECK(l.n_lg_res == 3);
    CHECK_STR(l.lg_res[0].text, "Reserves");
    CHECK_STR(l.lg_res[2].text, "First year below minimum");
    /* Year labels side by side (28.2 px band); the panels share 900 -
     * 342.4 = 557.6 px: spending 38% (100 to 311.888), the gap 21% from
     * 371.888, reserves 41% from 579.184 to 807.8; "Financial year" at
     * 807.8 + 28.2 + 12 = 848. */
    CHECK(!l.rotate_years);
    CHECK_CLOSE(l.band, 28.2, 1e-12, 0.0);
    CHECK_CLOSE(l.a.y0, 1.0 - 311.888 / 900.0, 1e-12, 0.0);
    CHECK_CLOSE(l.head_g, 371.888 - 26.0, 1e-12, 0.0);
    CHECK_CLOSE(l.head_r, 579.184 - 26.0, 1e-12, 0.0);
    CHECK_CLOSE(l.r.y0, 1.0 - 807.8 / 900.0, 1e-12, 0.0);
    CHECK_CLOSE(l.fy_title, 848.0, 1e-12, 0.0);
    CHECK_CLOSE(l.x0, -0.5, 0.0, 0.0);
    CHECK_CLOSE(l.x1, 3.5, 0.0, 0.0);
    CHECK(l.title.n == 1);
    CHECK_STR(l.title.line[0], "Test: spending, funding and gap");

    /* A surplus and a gap without Covid: both in the legend. */
    h.gap[2] = -1.0;
    double without[4] = {0.0, 1.0, -2.0, 6.0};
    h.p.gap_without_covid = without;
    in.shown[SERIES_GAP_WITHOUT_COVID] = 1;
    h.p.below_minimum_index = 0;
    projection_layout_of(&c, &in, &l);
    CHECK(l.n_lg_gap == 3);
    CHECK_STR(l.lg_gap[1].text, "Surplus");
    CHECK_STR(l.lg_gap[2].text, "Gap without Covid");
    CHECK(!l.exhausted);
    CHECK_STR(l.reserves_note, "at or above the minimum in every year");

    /* With a capital block its financing is a line on the gap panel, in
     * the scale (up to 14: 25% air each side of -2..14 = -6..18, 24 / 3 =
     * 8, a step of 10: -10 to 20) and the legend; with earmarked reserves
     * usable reserves join the reserves panel (up to 130: 6% air to 138,
     * 138 / 5 = 27.6, a step of 50, 0 to 150). */
    double capital[4] = {0.0, 4.0, 9.0, 14.0}, usable[4] = {120.0, 125.0, 128.0, 130.0};
    h.p.capital_financing = capital;
    h.p.usable_reserves = usable;
    in.shown[SERIES_CAPITAL] = in.shown[SERIES_USABLE] = 1;
    projection_layout_of(&c, &in, &l);
    CHECK(l.n_lg_gap == 4);
    CHECK_STR(l.lg_gap[3].text, "Capital financing");
    CHECK(l.v[SERIES_CAPITAL] == capital && l.v[SERIES_USABLE] == usable);
    CHECK_CLOSE(l.yg.max, 20.0, 1e-12, 0.0);
    CHECK_CLOSE(l.yr.max, 150.0, 1e-12, 0.0);
    CHECK_CLOSE(l.yr.step, 50.0, 1e-12, 0.0);
    CHECK(l.n_lg_res == 3);
    CHECK_STR(l.lg_res[0].text, "General fund");
    CHECK_STR(l.lg_res[2].text, "Usable reserves");
    /* Exhausted as well: four entries and the long note do not fit the
     * row (checked by width), so short words and a short note. */
    h.p.below_minimum_index = 2;
    h.p.exhausted_index = 3;
    projection_layout_of(&c, &in, &l);
    CHECK(l.n_lg_res == 4);
    CHECK_STR(l.lg_res[1].text, "Minimum");
    CHECK_STR(l.lg_res[3].text, "Below minimum");
    CHECK_STR(l.reserves_note, "exhausted from 2028/29");
}

/* Two scenarios of 2024/25 with two years each: the axis runs over
 * calendar years 2025 to 2026 (x 2024.5 to 2026.5); one legend column of
 * two 24-px rows above the footer (886 - 28 - 48 = 810), "Financial year"
 * 16 px above it (794), the plot down to 794 - 28.2 - 12 = 753.8.  Both
 * lines reach 2026, so both end labels go in the column right of it: the
 * plot keeps its 1170-px edge (half a 533-px year is wider than 12 px plus
 * a label), and the labels start 11 px right of x 2026: 104 + 1.5 * 533 +
 * 11 = 914.5 px. */
static void test_compare(void)
{
    mtfs_scenario *s[2] = {load("tests/good/hand.cfg"), load("tests/good/hand_surplus.cfg")};
    if (!s[0] || !s[1])
        return;
    mtfs_projection *p[2] = {project(s[0]), project(s[1])};
    chart c = test_page("Test", 2);
    compare_input in = {2, (const mtfs_scenario *const *)s, (const mtfs_projection *const *)p};
    static compare_layout l;
    compare_layout_of(&c, &in, &l);
    CHECK(l.first == 2025 && l.last == 2026);
    CHECK_CLOSE(l.x0, 2024.5, 0.0, 0.0);
    CHECK_CLOSE(l.x1, 2026.5, 0.0, 0.0);
    CHECK(l.ncol == 1 && l.rows == 2);
    CHECK_CLOSE(l.legend_top, 810.0, 1e-12, 0.0);
    CHECK_CLOSE(l.fy_title, 794.0, 1e-12, 0.0);
    CHECK_CLOSE(l.bottom, 753.8, 1e-12, 0.0);
    CHECK_CLOSE(l.right_px, 1170.0, 0.0, 0.0);
    CHECK_CLOSE(l.px_per_x, 533.0, 1e-12, 0.0);
    char want[64];
    for (int i = 0; i < 2; i++) {
        const end_label *e = &l.labels[i];
        plot_format_money(p[i]->gap[2], 1, want, sizeof want);
        CHECK_STR(e->text, want);
        CHECK(e->at_end && e->shown);
        CHECK_CLOSE(e->x, 903.5, 1e-12, 0.0);
        CHECK_CLOSE(e->r.x0, 914.5, 1e-12, 0.0);
        /* On the line's last point unless two labels would overlap. */
        CHECK_CLOSE(e->y, 100.0 + (l.yr.max - p[i]->gap[2]) * l.px_per_y, 1e-12, 0.0);
    }
    /* The column is spread: the two labels do not overlap. */
    CHECK(!plot_rects_overlap(&l.labels[0].r, &l.labels[1].r));
    CHECK_STR(l.name[0], "hand");
    CHECK_STR(l.name[1], "hand with surplus");
    CHECK_STR(l.files, "tests/good/hand.cfg, tests/good/hand_surplus.cfg");
    for (int i = 0; i < 2; i++) {
        mtfs_projection_free(p[i]);
        mtfs_scenario_free(s[i]);
    }
}

/* Three inputs to a 2028/29 gap of 10 (keys whose widths the DejaVu table
 * gives: "Council-" 8282 units, the widest, so labels 8282 / 2048 * 14 =
 * 56.615234375 px and the plot from 24 + 56.615234375 + 16 px):
 *   "tax"      P10 6, P90 15: P90 farther (5 against 4), drawn first; P10's
 *              value left, P90's right;
 *   "Council-" P10 13, P90 8 (a funding input): P10 farther (3 against
 *              2); P90's value left, P10's right;
 *   "rises"    10.01 and 10.02: no swing, one value on the right.
 * Rows top down, centred 2.5, 1.5, 0.5 rows from the foot; three rows of
 * (807.8 - 156) / 3 = 217.27 px, so bars at the 52-px cap. */
static void test_tornado(void)
{
    chart c = test_page("Test", 3);
    mtfs_tornado_row rows[3] = {
        {.key = "tax", .label = "tax", .low_gap = 6.0, .high_gap = 15.0, .swing = 9.0},
        {.key = "Council-", .label = "Council-", .low_gap = 13.0, .high_gap = 8.0, .swing = 5.0},
        {.key = "rises", .label = "rises", .low_gap = 10.01, .high_gap = 10.02, .swing = 0.01}};
    mtfs_tornado t = {10.0, 2028, 3, rows};
    static tornado_layout l;
    tornado_layout_of(&c, &t, &l);
    CHECK(l.nr == 3);
    CHECK_CLOSE(l.label_w, 8282.0 / 2048.0 * 14.0, 1e-12, 0.0);
    CHECK_CLOSE(l.left_px, 24.0 + 8282.0 / 2048.0 * 14.0 + 16.0, 1e-12, 0.0);
    CHECK_CLOSE(l.half, 26.0 / ((807.8 - 156.0) / 3.0), 1e-12, 0.0);
    CHECK_CLOSE(l.row[0].yc, 2.5, 0.0, 0.0);
    CHECK_CLOSE(l.row[2].yc, 0.5, 0.0, 0.0);
    /* Values: the left one ends at its anchor, the right one starts at it. */
    CHECK(l.row[0].first_end == 1 && l.row[0].nv == 2);
    CHECK(l.row[0].v[0].end == 0 && l.row[0].v[0].ends_at_x);
    CHECK(l.row[0].v[1].end == 1 && !l.row[0].v[1].ends_at_x);
    CHECK_STR(l.row[0].v[0].text, "\xC2\xA3" "6.0m");
    CHECK_STR(l.row[0].v[1].text, "\xC2\xA3" "15.0m");
    CHECK(l.row[1].first_end == 0 && l.row[1].v[0].end == 1 && l.row[1].v[1].end == 0);
    CHECK_STR(l.row[1].v[0].text, "\xC2\xA3" "8.0m");
    CHECK_STR(l.row[1].v[1].text, "\xC2\xA3" "13.0m");
    CHECK(l.row[2].nv == 1 && l.row[2].v[0].end == -1 && !l.row[2].v[0].ends_at_x);
    CHECK_STR(l.row[2].v[0].text, "\xC2\xA3" "10.0m");
    CHECK_STR(l.row[1].label, "Council-");
    /* Values 6 px outside the bars; the window holds them and the bars. */
    CHECK_CLOSE(l.row[0].v[0].x, 6.0 - 6.0 / l.ppu, 1e-12, 0.0);
    CHECK_CLOSE(l.row[0].v[1].x, 15.0 + 6.0 / l.ppu, 1e-12, 0.0);
    CHECK(l.xmin < l.row[0].v[0].x && l.xmax > l.row[0].v[1].x);
    CHECK_CLOSE(l.base_px, l.left_px + (10.0 - l.xmin) * l.ppu, 1e-12, 0.0);
    CHECK_STR(l.base_label, "deterministic \xC2\xA3" "10.0m");
    CHECK_STR(l.title.line[0], "Test: what moves the 2028/29 gap most");
    CHECK_STR(l.axis_title, "Gap in 2028/29, \xC2\xA3m");
    /* Every input has its row, so the subtitle names no "largest". */
    CHECK(strstr(l.subtitle, "largest") == NULL);
}

/* A one-year fan from 2025/26, 2,000 paths: the gap's 5th to 95th
 * percentiles -2 to 12 in 2026/27 (the plan 4), reserves 5 to 25 (the
 * plan 20 to 16, the minimum 10); 12.3% of paths below the minimum. */
static void test_fan(void)
{
    chart c = test_page("Test", 1);
    double gap_pct[MTFS_MC_NPCT * 2], res_pct[MTFS_MC_NPCT * 2];
    for (int k = 0; k < MTFS_MC_NPCT; k++) {
        double q = mtfs_mc_percentile_levels[k];
        gap_pct[k * 2] = 0.0;
        gap_pct[k * 2 + 1] = -2.0 + 14.0 * (q - 0.05) / 0.9;
        res_pct[k * 2] = 20.0;
        res_pct[k * 2 + 1] = 5.0 + 20.0 * (q - 0.05) / 0.9;
    }
    double gap[2] = {0.0, 4.0}, res[2] = {20.0, 16.0}, min[2] = {10.0, 10.0};
    double exhausted[2] = {0.0, 0.123};
    mtfs_projection d;
    memset(&d, 0, sizeof d);
    d.horizon = 1;
    d.gap = gap;
    d.reserves = res;
    d.minimum_reserves = min;
    mtfs_mc_result r = test_mc_result(2000, 1, exhausted);
    r.gap_pct = gap_pct;
    r.reserves_pct = res_pct;
    r.deterministic = &d;
    static fan_layout l;
    fan_layout_of(&c, &r, &l);
    /* Gap -2 to 12: 6% air, -2.84 to 12.84, 15.68 / 5 = 3.136, a step of
     * 5: -5 to 15.  Reserves 0 to 25: 26.5 / 5 = 5.3, a step of 10: 0 to
     * 30. */
    CHECK_CLOSE(l.ya.min, -5.0, 1e-12, 0.0);
    CHECK_CLOSE(l.ya.max, 15.0, 1e-12, 0.0);
    CHECK_CLOSE(l.yr.min, 0.0, 0.0, 0.0);
    CHECK_CLOSE(l.yr.max, 30.0, 1e-12, 0.0);
    CHECK_CLOSE(l.yr.step, 10.0, 1e-12, 0.0);
    CHECK_STR(l.paths, "2,000 paths, seed 7 \xC2\xB7 ");
    CHECK(l.has_exhausted && l.exhausted_colour == COL_ALERT);
    CHECK_STR(l.exhausted, "12.3% of paths below the minimum reserves by 2026/27");
    CHECK(l.gap_note);
    /* Two panels of (900 - 128 - 2 * 28.2 - 66 - 64) / 2 = 292.8 px. */
    CHECK_CLOSE(l.a.y0, 1.0 - (128.0 + 292.8) / 900.0, 1e-12, 0.0);
    CHECK_CLOSE(l.head_r, 128.0 + 292.8 + 28.2 + 66.0 - 26.0, 1e-12, 0.0);
}

/* Two editions: 2020/21 (three years, modelled gaps 5, 10, 15; published
 * 4, none, and "more than 20", a bound the model's 15 misses by 5) and
 * 2021/22 (two years, nothing published).  One row of two panels each
 * (1066 - 30) / 2 = 518 px wide and 900 - 160 - 28.2 - 64 = 647.8 px
 * tall, three years wide (the longest plan); "Financial year" at 160 +
 * 647.8 + 28.2 + 12 = 848. */
static void test_backtest(void)
{
    chart c = test_page("Test", 3);
    static mtfs_backtest_edition e[2];
    static mtfs_backtest b;
    memset(e, 0, sizeof e);
    memset(&b, 0, sizeof b);
    e[0].first_year = 2020;
    e[0].horizon = 3;
    e[1].first_year = 2021;
    e[1].horizon = 2;
    double m0[4] = {0, 5, 10, 15}, p0[4] = {NAN, 4, NAN, 20}, x0[4] = {0, 100, 105, 110};
    double m1[3] = {0, -2, 3}, x1[3] = {0, 103, 108};
    for (int t = 0; t <= 3; t++) {
        e[0].modelled_gap[t] = m0[t];
        e[0].published_gap[t] = p0[t];
        e[0].expenditure[t] = x0[t];
        e[1].published_gap[t] = NAN;
        if (t <= 2) {
            e[1].modelled_gap[t] = m1[t];
            e[1].expenditure[t] = x1[t];
        }
    }
    e[0].published_lower_bound[3] = 1;
    snprintf(e[0].file, sizeof e[0].file, "a.cfg");
    mtfs_backtest_outturn out[2] = {{2020, 100.0, NAN, 0.0}, {2021, 104.0, NAN, 0.0}};
    b.editions = e;
    b.n = 2;
    b.outturn = out;
    b.n_outturn = 2;
    snprintf(b.published_file, sizeof b.published_file, "pub.csv");

    static backtest_gaps_layout g;
    backtest_gaps_layout_of(&c, &b, &g);
    CHECK(g.rows == 1 && g.cols == 2 && g.longest == 3);
    CHECK_CLOSE(g.w, 518.0, 1e-12, 0.0);
    CHECK_CLOSE(g.h, 647.8, 1e-12, 0.0);
    CHECK_CLOSE(g.fy_title, 848.0, 1e-12, 0.0);
    CHECK_CLOSE(g.panel[1].pb.x0, (104.0 + 518.0 + 30.0) / 1200.0, 1e-12, 0.0);
    CHECK_CLOSE(g.panel[0].x0, 2019.5, 0.0, 0.0);
    CHECK_CLOSE(g.panel[0].x1, 2022.5, 0.0, 0.0);
    CHECK_CLOSE(g.panel[1].x1, 2023.5, 0.0, 0.0);
    CHECK(g.panel[1].col == 1 && g.panel[1].row == 0);
    CHECK(g.yr.min <= -2.0 && g.yr.max >= 20.0);
    CHECK(g.n_lg == 3);  /* a lower bound is published: its legend entry */
    CHECK(g.diff_form == 0);
    CHECK_STR(g.panel[0].label, "2020/21 MTFS");
    CHECK_STR(g.panel[0].note, "largest difference \xC2\xA3" "5.0m");
    CHECK_STR(g.panel[1].note, "");
    CHECK_STR(g.files, "pub.csv, a.cfg");

    /* The funnel: 2020 to 2022 (the budgets set from 2020, both plans to
     * 2022), the plot down to 886 - 38 - 12 - 28.2 = 807.8 px, the legend
     * column right of it. */
    static backtest_funnel_layout f;
    backtest_funnel_layout_of(&c, &b, &f);
    CHECK(f.first == 2020 && f.last == 2022);
    CHECK_CLOSE(f.bottom, 807.8, 1e-12, 0.0);
    CHECK_CLOSE(f.right_px, 1170.0 - f.legend_w - 30.0, 1e-12, 0.0);
    CHECK(f.legend_w >= 46.0 + plot_text_w("2021/22", TICK_PX, 0));
    CHECK_STR(f.edition[1], "2021/22");
    CHECK(f.yr.min <= 100.0 && f.yr.max >= 110.0);
}

/* Four authorities, +30, +10, -5 and -20 a head, the third highlighted:
 * columns in slots of 1066 / 4 = 266.5 px.  Both sides carry labels, so
 * the 660-px plot (156 to 816) keeps 2 x 2 x (18.2 + 10) = 112.8 px for
 * them: 50 / 547.2 a px, the scale -25.15 to 35.15, in steps of 20: -40
 * to 40.  The highlighted column's end: 816 - 35 / 80 * 660 = 527.25. */
static void test_formula_columns(void)
{
    chart c = test_page("Test", 3);
    static mtfs_formula_result r;
    memset(&r, 0, sizeof r);
    r.n = 4;
    hbar rows[4] = {{"Alpha", 30.0, COL_GAIN, COL_GAIN_TEXT, COL_INK, FONT_REGULAR, "+30"},
                    {"Beta", 10.0, COL_GAIN, COL_GAIN_TEXT, COL_INK, FONT_REGULAR, "+10"},
                    {"Gamma", -5.0, COL_HIGHLIGHT, COL_HIGHLIGHT, COL_INK, FONT_BOLD, "-5"},
                    {"Delta", -20.0, COL_LOSS, COL_LOSS_TEXT, COL_INK, FONT_REGULAR, "-20"}};
    formula_input in = {&r, 2, rows, 2};
    static formula_columns_layout l;
    formula_columns_layout_of(&c, &in, 0.0, &l);
    CHECK_CLOSE(l.m.slot, 266.5, 1e-12, 0.0);
    CHECK_CLOSE(l.m.y.min, -40.0, 1e-12, 0.0);
    CHECK_CLOSE(l.m.y.max, 40.0, 1e-12, 0.0);
    CHECK_CLOSE(l.m.y.step, 20.0, 1e-12, 0.0);
    CHECK(l.nn == 3);
    CHECK_STR(l.notes[0].text, "Largest gain: Alpha +30");
    CHECK_STR(l.notes[1].text, "Largest loss: Delta -20");
    CHECK_STR(l.notes[2].text, "Gamma -5");
    CHECK(l.notes[2].leader && l.notes[2].bold && !l.notes[0].leader);
    CHECK_CLOSE(l.notes[2].tip_x, 104.0 + 2.5 * 266.5, 1e-12, 0.0);
    CHECK_CLOSE(l.notes[2].tip_y, 527.25, 1e-12, 0.0);
    /* The gain's label over the columns, the loss's and the highlight's
     * under them, clear of each other. */
    CHECK(l.notes[0].r.y1 < 816.0 - 70.0 / 80.0 * 660.0);
    CHECK(l.notes[2].r.y0 > l.notes[2].tip_y);
    CHECK(!plot_rects_overlap(&l.notes[1].r, &l.notes[2].r));
    CHECK_STR(l.caption, "4 authorities, one column each, from the largest gain (left) to the "
              "largest loss (right)");
}

/* Two named rows, "tax" +5 and "rises" -3: labels as wide as the wider,
 * "rises", so the plot from 24 + that + 16 px; two rows of 325.9 px, bars at the 52-px cap; the window holds the
 * gain's value right of +5 and the loss's left of -3. */
static void test_hbar_rows(void)
{
    chart c = test_page("Test", 3);
    hbar rows[2] = {{"tax", 5.0, COL_GAIN, COL_GAIN_TEXT, COL_INK, FONT_REGULAR, "+5"},
                    {"rises", -3.0, COL_LOSS, COL_LOSS_TEXT, COL_INK, FONT_REGULAR, "-3"}};
    hbar_rows_layout l;
    hbar_rows_layout_of(&c, rows, 2, 0.0, &l);
    const double rises = plot_text_w("rises", 14.0, 0);
    CHECK(rises > plot_text_w("tax", 14.0, 0));
    CHECK_CLOSE(l.label_w, rises, 1e-12, 0.0);
    CHECK_CLOSE(l.left_px, 24.0 + rises + 16.0, 1e-12, 0.0);
    CHECK_CLOSE(l.half, 26.0 / 325.9, 1e-12, 0.0);
    CHECK(l.xmin < -3.0 && l.xmax > 5.0);
    CHECK_CLOSE(l.left_px + (l.xmax - l.xmin) * l.ppu, 1170.0, 1e-12, 0.0);
}

/* Three years of a 2,000-path run: slots of 1066 / 3 px, bars 60 px each
 * side (0.32 of a slot would be 114 px); the plot 116 to 886 - 38 - 12 -
 * 28.2 = 807.8 px, so a bar at least 2 px is 200 / 691.8 percentage
 * points; every value fits at 13 px with its decimals. */
static void test_exhaustion(void)
{
    chart c = test_page("Test", 3);
    double p[4] = {0.0, 0.0, 0.004, 0.5};
    mtfs_mc_result r = test_mc_result(2000, 3, p);
    exhaustion_layout l;
    exhaustion_layout_of(&c, &r, &l);
    CHECK_CLOSE(l.slot, 1066.0 / 3.0, 1e-12, 0.0);
    CHECK_CLOSE(l.bar_half, 60.0 / (1066.0 / 3.0), 1e-12, 0.0);
    CHECK_CLOSE(l.bottom, 807.8, 1e-12, 0.0);
    CHECK_CLOSE(l.min_h, 200.0 / 691.8, 1e-12, 0.0);
    CHECK(l.values && !l.coarse);
    CHECK_CLOSE(l.value_px, 13.0, 0.0, 0.0);
    CHECK(!l.rotate_years);
    CHECK_STR(l.subtitle, "By the end of each year, 2,000 paths, seed 7");
}

void suite_plot_charts(void)
{
    test_bridge();
    test_projection();
    test_compare();
    test_tornado();
    test_fan();
    test_backtest();
    test_formula_columns();
    test_hbar_rows();
    test_exhaustion();
}
