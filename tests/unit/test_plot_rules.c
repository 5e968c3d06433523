/*
 * test_plot_rules.c - the rules every chart family lays out by (issue 15,
 * "Charts"), checked without drawing: titles that keep every word, by
 * wrapping to a second line and moving the page down, or by losing the
 * start of the name, never the end.
 */
#include "check.h"
#include "plot/backtest.h"
#include "plot/bars.h"
#include "plot/bridge.h"
#include "plot/compare.h"
#include "plot/projection.h"
#include "plot/session.h"
#include "plot/uncertainty.h"

#include <string.h>

/* Leicestershire's 2023/24 scenario name and the projection chart's suffix:
 * 1416.7 px at 23 px bold, 1293.5 at 21, wider than the 1146 px of room,
 * so two lines.  The last ": " that lets both lines fit is the suffix's:
 * "...(2023 report):" is 1059.9 px, "spending, funding and gap" 348.8. */
#define LONG_NAME "Leicestershire MTFS 2023/24: inflation, infrastructure and demand (2023 report)"

/* Lines joined by a space: the title read as one text ("" when it does
 * not fit out). */
static void joined(const title_block *t, char *out, size_t size)
{
    int len = snprintf(out, size, "%s%s%s", t->line[0], t->n > 1 ? " " : "",
                       t->n > 1 ? t->line[1] : "");
    if (len < 0 || (size_t)len >= size)
        out[0] = '\0';
}

static void test_title_rule(void)
{
    title_block t;
    char all[400];

    /* Fits: one line at 23 px, nothing moves. */
    plot_title_layout("Test", ": spending, funding and gap", TITLE_ROOM, &t);
    CHECK(t.n == 1 && t.px == 23.0 && t.drop == 0.0 && t.y[0] == 34.0);
    CHECK_STR(t.line[0], "Test: spending, funding and gap");

    /* A little too wide at 23 px, fits at 22: one line, half a px at a
     * time smaller (22.5 is still wider than the room). */
    const double w23 = plot_text_w("Test: what-if", 23.0, 1);
    plot_title_layout("Test", ": what-if", w23 * 22.0 / 23.0 + 1e-9, &t);
    CHECK(t.n == 1 && t.drop == 0.0);
    CHECK_CLOSE(t.px, 22.0, 0.0, 0.0);

    /* Too wide even at 21 px: two lines at 23, broken after the colon
     * before the suffix; the page moves down one line pitch. */
    plot_title_layout(LONG_NAME, ": spending, funding and gap", TITLE_ROOM, &t);
    CHECK(t.n == 2 && t.px == 23.0);
    CHECK_CLOSE(t.drop, 28.0, 0.0, 0.0);
    CHECK_CLOSE(t.y[1], 62.0, 0.0, 0.0);
    CHECK_STR(t.line[0], LONG_NAME ":");
    CHECK_STR(t.line[1], "spending, funding and gap");

    /* No colon break fits 700 px: between words, each line within the
     * room and every word kept. */
    plot_title_layout(LONG_NAME, ": spending, funding and gap", 900.0, &t);
    CHECK(t.n == 2);
    CHECK(plot_text_w(t.line[0], 23.0, 1) <= 900.0 && plot_text_w(t.line[1], 23.0, 1) <= 900.0);
    joined(&t, all, sizeof all);
    CHECK_STR(all, LONG_NAME ": spending, funding and gap");

    /* Too long for two lines of 500 px: the end is kept whole (the
     * what-if and the suffix) and the start of the name gives way. */
    plot_title_layout(LONG_NAME, ": spending, funding and gap", 500.0, &t);
    CHECK(t.n == 2);
    CHECK(strncmp(t.line[0], "\xE2\x80\xA6", 3) == 0);
    CHECK(plot_text_w(t.line[0], 23.0, 1) <= 500.0 && plot_text_w(t.line[1], 23.0, 1) <= 500.0);
    joined(&t, all, sizeof all);
    CHECK(strstr(all, "(2023 report): spending, funding and gap") != NULL);
    CHECK(strstr(LONG_NAME ": spending, funding and gap", all + 3) != NULL);
}

/* A page with the long name, as chart_of_scenario would make it. */
static chart long_page(size_t horizon)
{
    chart c;
    memset(&c, 0, sizeof c);
    c.k = 1.0;
    c.design_h = 900.0;
    c.name = LONG_NAME;
    c.file = "test.cfg";
    plot_page_years(&c, 2025, horizon);
    return c;
}

/* Every family's layout takes the title from the rule and moves what is
 * under it down by the title's drop (28 px for the second line). */
static void test_title_every_family(void)
{
    chart c = long_page(3);
    char all[400];

    double e[4] = {100, 104, 108, 112}, f[4] = {100, 102, 103, 104}, gap[4] = {0, 2, 5, 8};
    double res[4] = {50, 48, 43, 35}, min[4] = {40, 40, 40, 40};
    mtfs_projection p;
    memset(&p, 0, sizeof p);
    p.horizon = 3;
    p.expenditure = e;
    p.funding = f;
    p.gap = gap;
    p.reserves = res;
    p.minimum_reserves = min;
    projection_input pin = {&p, 0};
    static projection_layout pl;
    projection_layout_of(&c, &pin, &pl);
    CHECK(pl.title.n == 2);
    joined(&pl.title, all, sizeof all);
    CHECK_STR(all, LONG_NAME ": spending, funding and gap");
    CHECK_CLOSE(pl.head_a, 76.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(pl.a.y1, 1.0 - (100.0 + 28.0) / 900.0, 1e-12, 0.0);

    mtfs_bridge b;
    memset(&b, 0, sizeof b);
    b.year_index = 3;
    b.base_budget = 500.0;
    b.item[MTFS_BRIDGE_PAY] = 8.0;
    b.gap = 8.0;
    static bridge_layout bl;
    bridge_layout_of(&c, &b, &bl);
    CHECK(bl.title.n == 2);
    CHECK_STR(bl.title.line[1], "gap bridge to 2028/29");
    CHECK_CLOSE(bl.sub_y, 68.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(bl.top, 104.0 + 28.0, 0.0, 0.0);

    double pe[4] = {0.0, 0.1, 0.5, 0.9};
    mtfs_mc_result r;
    memset(&r, 0, sizeof r);
    r.paths = 2000;
    r.horizon = 3;
    r.seed = 7;
    r.p_exhausted = pe;
    static exhaustion_layout xl;
    exhaustion_layout_of(&c, &r, &xl);
    CHECK(xl.title.n == 2);
    CHECK_STR(xl.title.line[1], "chance reserves fall below the minimum");
    CHECK_CLOSE(xl.sub_y, 66.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(xl.top, 116.0 + 28.0, 0.0, 0.0);

    mtfs_tornado_row rows[1] = {{"economy.cpi", 0, 0, 6.0, 15.0, 9.0}};
    mtfs_tornado t = {10.0, 2028, 1, rows};
    static tornado_layout tl;
    tornado_layout_of(&c, &t, &tl);
    CHECK(tl.title.n == 2);
    CHECK_STR(tl.title.line[1], "what moves the 2028/29 gap most");
    CHECK_CLOSE(tl.rows.top, 156.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(tl.legend_y, 102.0 + 28.0, 0.0, 0.0);

    hbar hb[1] = {{"Alpha", 5.0, COL_GAIN, COL_GAIN_TEXT, COL_INK, FONT_REGULAR, "+5"}};
    hbar_rows_layout hl;
    hbar_rows_layout_of(&c, hb, 1, 28.0, &hl);
    CHECK_CLOSE(hl.rows.top, 156.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(hl.legend_y, 102.0 + 28.0, 0.0, 0.0);
}

void suite_plot_rules(void)
{
    test_title_rule();
    test_title_every_family();
}
