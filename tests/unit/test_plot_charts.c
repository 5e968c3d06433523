/*
 * test_plot_charts.c - the layouts of the long chart drawers (src/plot/),
 * computed without PLplot: for small inputs worked by hand, which bars,
 * rows, labels and legend entries a chart has, where and on what scale.
 */
#include "check.h"
#include "plot/bridge.h"
#include "plot/projection.h"
#include "plot/session.h"

#include <string.h>

/* A PNG page (1200 x 900 design px) named "Test", base year 2025/26. */
static chart page(size_t horizon)
{
    chart c;
    memset(&c, 0, sizeof c);
    c.k = 1.0;
    c.design_h = 900.0;
    c.name = "Test";
    c.file = "test.cfg";
    plot_page_years(&c, 2025, horizon);
    return c;
}

/* A bridge to 2028/29 from a balanced £500m budget: pay +10, price +5,
 * savings -4, a 0.01 sliver of one-off costs (too small to draw, but
 * carried), grants -3.01; the gap 8.  Running totals: pay 0 to 10, price
 * 10 to 15, savings 15 to 11, one-off 11 to 11.01 (not a bar), grants
 * 11.01 to 8; then the gap bar 0 to 8.  Six bars in 1066 px: slots of
 * 177.67 px, bars 2 x 48 px wide (0.34 of a slot would be 60 px). */
static void test_bridge(void)
{
    chart c = page(3);
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
    CHECK_STR(l.title, "Test: gap bridge to 2028/29");
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

/* Three years: spending 100, 104, 108, 112; funding 102, 103, 104 (drawn
 * from spending's 100 in the base year); gaps 2, 5, 8; reserves 50 falling
 * to 35, under the minimum of 40 in 2028/29. */
static void test_projection(void)
{
    chart c = page(3);
    double e[4] = {100.0, 104.0, 108.0, 112.0}, f[4] = {99.0, 102.0, 103.0, 104.0};
    double gap[4] = {0.0, 2.0, 5.0, 8.0}, res[4] = {50.0, 48.0, 43.0, 35.0};
    double min[4] = {40.0, 40.0, 40.0, 40.0};
    mtfs_projection p;
    memset(&p, 0, sizeof p);
    p.horizon = 3;
    p.expenditure = e;
    p.funding = f;
    p.gap = gap;
    p.reserves = res;
    p.minimum_reserves = min;
    p.exhaustion_index = 3;
    projection_input in = {&p, 0};
    static projection_layout l;
    projection_layout_of(&c, &in, &l);

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
    CHECK_STR(l.title, "Test: spending, funding and gap");

    /* A surplus and a gap without Covid: both in the legend. */
    gap[2] = -1.0;
    double without[4] = {0.0, 1.0, -2.0, 6.0};
    p.gap_without_covid = without;
    in.has_covid = 1;
    p.exhaustion_index = 0;
    projection_layout_of(&c, &in, &l);
    CHECK(l.n_lg_gap == 3);
    CHECK_STR(l.lg_gap[1].text, "Surplus");
    CHECK_STR(l.lg_gap[2].text, "Gap without Covid");
    CHECK(!l.exhausted);
    CHECK_STR(l.reserves_note, "at or above the minimum in every year");
}

void suite_plot_charts(void)
{
    test_bridge();
    test_projection();
}
