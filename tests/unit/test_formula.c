/*
 * test_formula.c - fair-funding formulas (formula.c, table.c) by hand on
 * tests/data/mini.csv (docs/model.md section 6), and a formula's reform
 * inside a scenario (tests/good/hand_reform.cfg).
 */
#include "check.h"
#include "fixtures.h"

static double total(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return sum;
}

/* model.md section 6 on tests/data/mini.csv (four current authorities;
 * the historic one is out of scope): 65+ = 20, 30, 80, 70 (total 200),
 * 0-17 = 30, 50, 60, 110 (total 250), baseline 50, 80, 90, 130 (G = 350). */
static void test_formula(void)
{
    mtfs_formula_result *r = formula("tests/good/formula/needs.cfg");
    if (r) {
        CHECK(r->n == 4);
        CHECK_HAND(r->control_total, 350.0);
        /* s = 0.5 * 65+ share + 0.5 * 0-17 share: 0.11, 0.175, 0.32, 0.395 */
        CHECK_HAND(r->need_share[0], 0.11);
        CHECK_HAND(r->need_share[3], 0.395);
        CHECK_HAND(r->final[0], 38.5);
        CHECK_HAND(r->final[1], 61.25);
        CHECK_HAND(r->final[2], 112.0);
        CHECK_HAND(r->final[3], 138.25);
        CHECK_CLOSE(total(r->final, r->n), 350.0, 1e-12, 0.0);
        CHECK_STR(r->label[0], "Alpha, county");   /* quoted CSV field */
        CHECK(mtfs_formula_find(r, "D4") == 3 && mtfs_formula_find(r, "Gamma") == 2);
        /* per head: 0.385, 0.30625, 0.37333, 0.345625 -> ranks 1, 4, 2, 3 */
        CHECK(r->rank[0] == 1 && r->rank[1] == 4 && r->rank[2] == 2 && r->rank[3] == 3);
        mtfs_formula_result_free(r);
    }
    /* Reweighting: older people only, s = 65+ shares 0.1, 0.15, 0.4, 0.35. */
    r = formula("tests/good/formula/needs.cfg");
    if (r) {
        mtfs_error err;
        const double only_old[2] = {1.0, 0.0}, half[2] = {0.5, 0.5}, bad[2] = {0.7, 0.7};
        CHECK(r->n_blocks == 2);
        CHECK(mtfs_formula_reweight(r, only_old, &err) == MTFS_OK);
        CHECK_HAND(r->final[0], 35.0);
        CHECK_HAND(r->final[2], 140.0);
        CHECK(r->rank[2] == 1);
        CHECK(mtfs_formula_reweight(r, half, &err) == MTFS_OK);
        CHECK_HAND(r->final[3], 138.25);
        CHECK(mtfs_formula_reweight(r, bad, &err) == MTFS_EINPUT);
        CHECK_STR(err.message, "block weights sum to 1.4 (expected 1)");
        mtfs_formula_result_free(r);
    }
    /* Equalisation at a notional Band D of 1000: R = 40, 60, 150, 100;
     * A = s (350 + 350) - R = 37, 62.5, 74, 176.5 */
    r = formula("tests/good/formula/equalised.cfg");
    if (r) {
        CHECK_HAND(r->resources[2], 150.0);
        CHECK_HAND(r->final[0], 37.0);
        CHECK_HAND(r->final[1], 62.5);
        CHECK_HAND(r->final[2], 74.0);
        CHECK_HAND(r->final[3], 176.5);
        mtfs_formula_result_free(r);
    }
    /* Floors at -5% of baseline: 47.5, 76, 85.5 bind (+35.5 in all); Delta's
     * gain of 46.5 over 130 pays for them: 130 + 46.5 - 35.5 = 141. */
    r = formula("tests/good/formula/floored.cfg");
    if (r) {
        CHECK_HAND(r->final[0], 47.5);
        CHECK_HAND(r->final[1], 76.0);
        CHECK_HAND(r->final[2], 85.5);
        CHECK_HAND(r->final[3], 141.0);
        CHECK_CLOSE(total(r->final, r->n), 350.0, 1e-12, 0.0);
        /* Transition by thirds: Delta 130 -> 133.667 -> 137.333 -> 141 */
        CHECK(r->n_years == 3);
        CHECK_HAND(r->path[3 * 3 + 0], 130.0 + 11.0 / 3.0);
        CHECK_HAND(r->path[3 * 3 + 2], 141.0);
        mtfs_formula_result_free(r);
    }
    /* Band D 3000: R = 120, 180, 450, 300; A = s * 1400 - R = 34, 65, -2, 253;
     * Gamma goes to 0 and the rest scale by 350 / 352. */
    r = formula("tests/good/formula/clipped.cfg");
    if (r) {
        CHECK_HAND(r->final[2], 0.0);
        CHECK_HAND(r->final[0], 34.0 * 350.0 / 352.0);
        CHECK_HAND(r->final[3], 253.0 * 350.0 / 352.0);
        CHECK_CLOSE(total(r->final, r->n), 350.0, 1e-12, 0.0);
        mtfs_formula_result_free(r);
    }
    /* Area cost adjustment: population shares 0.1, 0.2, 0.3, 0.4 times ACA
     * 1.0, 1.1, 1.0, 1.2 = 0.1, 0.22, 0.3, 0.48 (total 1.1) */
    r = formula("tests/good/formula/aca.cfg");
    if (r) {
        CHECK_HAND(r->final[1], 350.0 * 0.22 / 1.1);
        CHECK_HAND(r->final[3], 350.0 * 0.48 / 1.1);
        mtfs_formula_result_free(r);
    }
    /* Baseline less council tax: CT = taxbase x Band D / 1e6 = 20, 36, 45,
     * 70, so B = 30, 44, 45, 60 and G = 179; with R = 40, 60, 150, 100,
     * A = s x (179 + 350) - R = 18.19, 32.575, 19.28, 108.955. */
    r = formula("tests/good/formula/council_tax.cfg");
    if (r) {
        CHECK_HAND(r->council_tax[1], 36.0);
        CHECK_HAND(r->baseline[2], 45.0);
        CHECK_HAND(r->control_total, 179.0);
        CHECK_HAND(r->final[0], 18.19);
        CHECK_HAND(r->final[1], 32.575);
        CHECK_HAND(r->final[2], 19.28);
        CHECK_HAND(r->final[3], 108.955);
        CHECK_CLOSE(total(r->final, r->n), 179.0, 1e-12, 0.0);
        mtfs_formula_result_free(r);
    }
    /* Funded at Beta's level: 80 / 200 = 0.4 a head for 1000 people = 400,
     * so 40, 80, 120, 160. */
    r = formula("tests/good/formula/level_of.cfg");
    if (r) {
        CHECK_HAND(r->control_total, 400.0);
        CHECK_HAND(r->final[0], 40.0);
        CHECK_HAND(r->final[3], 160.0);
        CHECK_STR(r->level_of, "Beta");
        mtfs_formula_result_free(r);
    }
    /* The shipped formulas over the real data keep the control total. */
    const char *shipped[] = {"formulas/status_quo.cfg", "formulas/per_head_average.cfg",
                             "formulas/leicestershire_model.cfg", "formulas/per_head_of_surrey.cfg",
                             "formulas/per_head_of_camden.cfg", "formulas/ffr_like.cfg"};
    for (size_t k = 0; k < sizeof shipped / sizeof shipped[0]; k++) {
        r = formula(shipped[k]);
        if (r) {
            CHECK_CLOSE(total(r->final, r->n), r->control_total, 1e-12, 0.0);
            mtfs_formula_result_free(r);
        }
    }
    r = formula("formulas/status_quo.cfg");
    if (r) {
        size_t i = mtfs_formula_find(r, "E10000018");
        CHECK(i != (size_t)-1);
        if (i != (size_t)-1)
            CHECK_CLOSE(r->final[i], 418.42, 1e-12, 0.0);   /* the status quo is the baseline */
        mtfs_formula_result_free(r);
    }
}

static void test_fair_funding(void)
{
    mtfs_scenario *a = load("tests/good/hand.cfg"), *b = load("tests/good/hand_reform.cfg");
    if (!a || !b) {
        mtfs_scenario_free(a);
        mtfs_scenario_free(b);
        return;
    }
    mtfs_projection *pa = project(a), *pb = project(b);
    /* Alpha: B = 50, D = 0.4 a head x 100 = 40.  2025/26 is before the
     * reform; 2026/27 is its first year: 0.5 x (40 - 50) x 1.02 x 1.03. */
    CHECK_HAND(pb->formula_adjustment[1], 0.0);
    CHECK_HAND(pb->formula_adjustment[2], 0.5 * -10.0 * 1.02 * 1.03);
    CHECK_HAND(pb->funding[2] - pa->funding[2], -5.253);
    CHECK_HAND(pb->gap[2] - pa->gap[2], 5.253);
    CHECK_HAND(pb->gap[1], pa->gap[1]);
    mtfs_bridge br;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(b, pb, 2, &br, &err) == MTFS_OK);
    CHECK_HAND(br.item[MTFS_BRIDGE_FAIR_FUNDING], 5.253);
    mtfs_fair_funding_info info;
    CHECK(mtfs_scenario_fair_funding(b, &info) == 1);
    CHECK(mtfs_scenario_fair_funding(a, &info) == 0);
    mtfs_scenario_fair_funding(b, &info);
    CHECK_STR(info.authority, "Alpha, county");
    CHECK_STR(info.code, "A1");
    CHECK(info.start_year == 2026);
    CHECK_HAND(info.baseline, 50.0);
    CHECK_HAND(info.final, 40.0);
    /* Inputs: the scenario, its base, the formula and the data. */
    CHECK(mtfs_scenario_file_count(b) == 4);
    CHECK_STR(mtfs_scenario_file(b, 2), "tests/good/formula/level_of.cfg");
    CHECK_STR(mtfs_scenario_file(b, 3), "tests/data/mini.csv");
    /* A clone carries the reform. */
    mtfs_scenario *c;
    CHECK(mtfs_scenario_clone(b, &c, &err) == MTFS_OK);
    if (c) {
        mtfs_projection *pc = project(c);
        CHECK(pc->gap[2] == pb->gap[2]);
        mtfs_projection_free(pc);
        mtfs_scenario_free(c);
    }
    mtfs_projection_free(pa);
    mtfs_projection_free(pb);
    mtfs_scenario_free(a);
    mtfs_scenario_free(b);
}

void suite_formula(void)
{
    test_formula();
    test_fair_funding();
}
