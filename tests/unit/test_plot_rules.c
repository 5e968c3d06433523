/*
 * test_plot_rules.c - the rules every chart family lays out by (issue 15,
 * "Charts"), checked without drawing: titles that keep every word, by
 * wrapping to a second line and moving the page down, or by losing the
 * start of the name, never the end.
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

/* Every family's layout takes the title from the rule and moves what is
 * under it down by the title's drop (28 px for the second line). */
static void test_title_every_family(void)
{
    chart c = test_page(LONG_NAME, 3);
    char all[400];

    static hand_projection h;
    hand_projection_init(&h);
    projection_input pin = {&h.p, {0}};
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
    mtfs_mc_result r = test_mc_result(2000, 3, pe);
    static exhaustion_layout xl;
    exhaustion_layout_of(&c, &r, &xl);
    CHECK(xl.title.n == 2);
    CHECK_STR(xl.title.line[1], "chance reserves fall below the minimum");
    CHECK_CLOSE(xl.sub_y, 66.0 + 28.0, 0.0, 0.0);
    CHECK_CLOSE(xl.top, 116.0 + 28.0, 0.0, 0.0);

    mtfs_tornado_row rows[1] = {
        {.key = "economy.cpi", .label = "CPI", .low_gap = 6.0, .high_gap = 15.0, .swing = 9.0}};
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

/* The tornado of the shipped uncertainty scenario, cut down: a base gap
 * of 90.7; taxbase growth straddles it (P90 81.1 left, P10 100.2 right);
 * adults' savings delivery has both ends right of it (P10 96.9, the
 * farther, and P90 91.4), so both values go right of the bars, P10's
 * first, and neither reads as being left of the central line. */
static void test_tornado_sides_and_labels(void)
{
    chart c = test_page("Test", 3);
    mtfs_tornado_row rows[3] = {
        {.key = "council_tax.taxbase_growth", .label = "Tax-base growth", .low_gap = 100.2,
         .high_gap = 81.1, .swing = 19.1},
        {.key = "services.adults.delivery", .label = "Savings delivered, adults",
         .low_gap = 96.9, .high_gap = 91.4, .swing = 5.5},
        {.key = "economy.x", .label = "", .low_gap = 89.0, .high_gap = 85.0, .swing = 4.0}};
    mtfs_tornado t = {90.7, 2028, 3, rows};
    static tornado_layout l;
    tornado_layout_of(&c, &t, &l);
    /* Labels for people, from the registry; the key where there is none. */
    CHECK_STR(l.row[0].label, "Tax-base growth");
    CHECK_STR(l.row[1].label, "Savings delivered, adults");
    CHECK_STR(l.row[2].label, "economy.x");
    CHECK_CLOSE(l.label_w, plot_text_w("Savings delivered, adults", l.rows.label_px, 0), 1e-12, 0.0);
    /* Straddling: P90 left of the line, P10 right. */
    CHECK(l.row[0].v[0].end == 1 && l.row[0].v[0].ends_at_x && l.row[0].v[0].x < 90.7);
    CHECK(l.row[0].v[1].end == 0 && !l.row[0].v[1].ends_at_x && l.row[0].v[1].x > 90.7);
    /* One side: both right of the farther end, 96.9, P10 first; P90's
     * value 12 px after P10's. */
    const tornado_row_layout *o = &l.row[1];
    CHECK(o->nv == 2 && o->first_end == 0);
    CHECK(o->v[0].end == 0 && o->v[1].end == 1 && !o->v[0].ends_at_x && !o->v[1].ends_at_x);
    CHECK_STR(o->v[1].text, "\xC2\xA3" "91.4m");
    CHECK_CLOSE(o->v[0].x, 96.9 + 6.0 / l.ppu, 1e-12, 0.0);
    CHECK_CLOSE(o->v[1].x, 96.9 + (6.0 + o->v[0].w + 12.0) / l.ppu, 1e-12, 0.0);
    /* Both ends left of the line: both values left of the farther, 85. */
    o = &l.row[2];
    CHECK(o->v[0].end == 1 && o->v[1].end == 0 && o->v[0].ends_at_x && o->v[1].ends_at_x);
    CHECK(o->v[1].x < o->v[0].x && o->v[0].x < 85.0);
    /* The window holds every value: the far right one ends inside it. */
    CHECK(l.row[1].v[1].x + l.row[1].v[1].w / l.ppu <= l.xmax);
    CHECK(l.row[2].v[1].x - l.row[2].v[1].w / l.ppu >= l.xmin);
}

/* The compare legend: names without the start they share, which goes in
 * the title once; no name cut; colours of no good or bad meaning. */
static void test_compare_prefix(void)
{
    const char *names[3] = {"Leicestershire MTFS 2025/26 central",
                            "Leicestershire MTFS 2025/26: council tax frozen",
                            "Leicestershire MTFS 2025/26: funded at the shire-county average "
                            "from 2026/27"};
    /* Shared bytes run to "2025/26", which ends a word in every name. */
    CHECK(plot_common_prefix(names, 3) == strlen("Leicestershire MTFS 2025/26"));
    CHECK_STR(plot_after_prefix(names[1], 27), "council tax frozen");
    CHECK_STR(plot_after_prefix(names[0], 27), "central");
    /* A shared start that is part of a word is not a prefix ("Leicestershire
     * MTFS 2025/26" and "... 2025/27": back to "MTFS"). */
    const char *years[2] = {"Leics MTFS 2025/26 a", "Leics MTFS 2025/27 b"};
    CHECK(plot_common_prefix(years, 2) == strlen("Leics MTFS"));
    /* A name that is all prefix leaves nothing to tell it by: none. */
    const char *whole[2] = {"hand", "hand with surplus"};
    CHECK(plot_common_prefix(whole, 2) == 0);
    CHECK(plot_common_prefix(names, 1) == 0);

    /* Compare chart colours: no green (hue 75-165 degrees) and no red
     * (hue within 20 degrees of 0) among the line colours, where a
     * scenario's colour would read as safe or alarming. */
    for (int k = COL_SERIES; k < COL_GAP_FAN; k++) {
        const double r = plot_palette[k][0] / 255.0, g = plot_palette[k][1] / 255.0,
                     b = plot_palette[k][2] / 255.0;
        const double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
        if (d < 0.15) /* a grey has no hue to speak of */
            continue;
        double h = mx == r ? fmod((g - b) / d + 6.0, 6.0) : mx == g ? (b - r) / d + 2.0
                                                                   : (r - g) / d + 4.0;
        h *= 60.0;
        char what[64];
        snprintf(what, sizeof what, "colour %d hue %.0f", k - COL_SERIES, h);
        check_report(!(h >= 75.0 && h <= 165.0) && !(h < 20.0 || h > 340.0), __FILE__, __LINE__,
                     what, "a green or a red");
    }
}

/* The compare layout of the shipped 2025/26 scenarios: the title names
 * what they share, each legend entry only its what-if, none shortened. */
static void test_compare_legend(void)
{
    static const char *files[3] = {"scenarios/leics_2025_central.cfg",
                                   "scenarios/leics_2025_ct_freeze.cfg",
                                   "scenarios/leics_2025_fair_funding.cfg"};
    mtfs_scenario *s[3];
    mtfs_projection *p[3];
    for (int i = 0; i < 3; i++) {
        s[i] = load(files[i]);
        if (!s[i])
            return;
        p[i] = project(s[i]);
    }
    chart c = test_page("", 4);
    compare_input in = {3, (const mtfs_scenario *const *)s, (const mtfs_projection *const *)p};
    static compare_layout l;
    compare_layout_of(&c, &in, &l);
    CHECK(l.title.n == 1);
    CHECK_STR(l.title.line[0], "Leicestershire MTFS 2025/26: funding gap by scenario");
    CHECK_STR(l.name[0], "Central");
    CHECK_STR(l.name[1], "Council tax frozen");
    CHECK_STR(l.name[2], "Funded at the shire-county average from 2026/27");
    for (int i = 0; i < 3; i++) {
        CHECK(strstr(l.name[i], "\xE2\x80\xA6") == NULL);
        mtfs_projection_free(p[i]);
        mtfs_scenario_free(s[i]);
    }
}

/* Formula bars: a change that prints as £0 is neither gain nor loss; a
 * formula that changes nothing says so. */
static void test_formula_zero(void)
{
    hbar b;
    memset(&b, 0, sizeof b);
    CHECK(plot_shown_sign(0.4, 0) == 0 && plot_shown_sign(-0.4, 0) == 0);
    CHECK(plot_shown_sign(0.5, 0) == 1 && plot_shown_sign(-0.6, 0) == -1);
    b.value = -0.3; /* Surrey under per_head_of_surrey: a rounding away from 0 */
    formula_bar_style(&b, 0);
    CHECK(b.colour == COL_ZERO && b.text_colour == COL_MUTED);
    CHECK_STR(b.value_text, "\xC2\xA3" "0");
    b.value = -9.0;
    formula_bar_style(&b, 0);
    CHECK(b.colour == COL_LOSS && b.text_colour == COL_LOSS_TEXT);
    b.value = 2.0;
    formula_bar_style(&b, 0);
    CHECK(b.colour == COL_GAIN && b.text_colour == COL_GAIN_TEXT);
    CHECK_STR(b.value_text, "+\xC2\xA3" "2");
    formula_bar_style(&b, 1);
    CHECK(b.colour == COL_HIGHLIGHT);

    /* A £0 row's value goes right of zero, with the gains, not left. */
    chart c = test_page("Test", 3);
    hbar rows[2];
    memset(rows, 0, sizeof rows);
    rows[0].label = "Alpha";
    rows[0].value = -0.3;
    formula_bar_style(&rows[0], 0);
    rows[1].label = "Beta";
    rows[1].value = -0.2;
    formula_bar_style(&rows[1], 0);
    hbar_rows_layout hl;
    hbar_rows_layout_of(&c, rows, 2, 0.0, &hl);
    /* No room left of the bars for a loss's value: the window starts at
     * the -0.3 bar's end. */
    CHECK_CLOSE(hl.xmin, -0.3, 1e-12, 0.0);

    /* Every change £0: no bars, a note. */
    static mtfs_formula_result r;
    memset(&r, 0, sizeof r);
    r.n = 2;
    formula_input in = {&r, 0, rows, 0};
    formula_no_change none;
    formula_no_change_of(&in, &none);
    CHECK(none.none);
    CHECK_STR(none.line[0], "No change: every one of the 2 authorities keeps its funding under "
              "this formula");
    CHECK_STR(none.line[1], "The change in funding per head rounds to \xC2\xA3" "0 for each");
    rows[1].value = -0.6;
    formula_no_change_of(&in, &none);
    CHECK(!none.none);
}

/* The brief's bars: authorities largest first, then group averages
 * largest first; a comparator of another tier marked. */
static void test_brief_bars(void)
{
    const mtfs_bar bars[6] = {{"Leicestershire", 587.0, MTFS_BAR_HIGHLIGHT, "county"},
                              {"Surrey", 763.0, MTFS_BAR_NORMAL, "county"},
                              {"Camden", 1249.0, MTFS_BAR_NORMAL, "London borough"},
                              {"Kent", 664.0, MTFS_BAR_NORMAL, "county"},
                              {"England", 760.0, MTFS_BAR_GROUP, NULL},
                              {"Shire counties", 775.0, MTFS_BAR_GROUP, NULL}};
    size_t order[6];
    bars_order(bars, 6, order);
    static const size_t want[6] = {2, 1, 3, 0, 5, 4};
    for (int k = 0; k < 6; k++)
        CHECK(order[k] == want[k]);
    hbar rows[6];
    static char marked[6][200];
    bars_rows_of(bars, 6, POUND_SIGN " a head", rows, marked);
    CHECK_STR(rows[0].label, "Camden (London borough)");
    CHECK(rows[0].colour == COL_BAR_OTHER);
    CHECK_STR(rows[0].value_text, "\xC2\xA3" "1,249");
    CHECK_STR(rows[1].label, "Surrey");
    CHECK(rows[1].colour == COL_BAR);
    CHECK(rows[3].colour == COL_HIGHLIGHT && rows[4].colour == COL_GROUP);
    /* Equal values keep the order given. */
    const mtfs_bar tie[2] = {{"B", 5.0, MTFS_BAR_NORMAL, NULL}, {"A", 5.0, MTFS_BAR_NORMAL, NULL}};
    bars_order(tie, 2, order);
    CHECK(order[0] == 0 && order[1] == 1);
}

/* The exhaustion chart's values are the mc table's one-decimal figures. */
static void test_exhaustion_rounding(void)
{
    chart c = test_page("Test", 4);
    double p[5] = {0.0, 0.0, 0.043, 0.916, 0.9999};
    mtfs_mc_result r = test_mc_result(20000, 4, p);
    static exhaustion_layout l;
    exhaustion_layout_of(&c, &r, &l);
    CHECK(l.values && !l.coarse);
    CHECK_STR(l.value[1], "0.0%");
    CHECK_STR(l.value[2], "4.3%");
    CHECK_STR(l.value[3], "91.6%"); /* the table's 91.6%, not 92% */
    CHECK_STR(l.value[4], ">99.9%"); /* not all paths, though the table rounds to 100.0% */
}

/* Back-test: every year labelled in a panel of the shipped back-test
 * (four panels in 1066 px, each five years of 48.8 px: "20/21" is 40.3
 * px at 14 px, so 13 px with 10 px between), and the funnel says what it
 * plots. */
static void test_backtest_words_and_years(void)
{
    const double w = (1066.0 - 3.0 * 30.0) / 4.0, per_year = w / 5.0;
    year_ticks t = plot_year_ticks(2019, 2022, per_year, 1);
    CHECK(t.step == 1 && t.short_form);
    CHECK_CLOSE(t.px, 13.0, 0.0, 0.0);
    /* Room for the long form: unchanged, 14 px. */
    t = plot_year_ticks(2019, 2029, 79.0, 1);
    CHECK(t.step == 1 && !t.short_form && t.px == TICK_PX);
    /* Far too narrow: "00/01" and 12 px need 52.3 px, so every 10th year. */
    t = plot_year_ticks(2000, 2030, 10.0, 1);
    CHECK(t.step == 10 && t.short_form);

    chart c = test_page("Test", 3);
    static mtfs_backtest_edition e[1];
    static mtfs_backtest b;
    memset(e, 0, sizeof e);
    memset(&b, 0, sizeof b);
    e[0].first_year = 2020;
    e[0].horizon = 2;
    b.editions = e;
    b.n = 1;
    static backtest_funnel_layout f;
    backtest_funnel_layout_of(&c, &b, &f);
    CHECK(strstr(f.title.line[0], "projected spending") != NULL);
    CHECK(strstr(f.title.line[0], "net budget") == NULL);
}

void suite_plot_rules(void)
{
    test_compare_prefix();
    test_compare_legend();
    test_formula_zero();
    test_brief_bars();
    test_exhaustion_rounding();
    test_backtest_words_and_years();
    test_tornado_sides_and_labels();
    test_title_rule();
    test_title_every_family();
}
