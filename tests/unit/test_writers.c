/*
 * test_writers.c - the writers' last check (src/checked.h): the table, CSV,
 * JSON, formula, Monte Carlo writers and the workbook refuse a number that
 * is not finite and write nothing at all.
 */
#include "check.h"
#include "fixtures.h"

#include <stdlib.h>
#include <unistd.h>

/* The writers' last check (src/checked.h): a number that is not finite is
 * an error naming it, and nothing at all is written.  The data checks keep
 * such numbers out of every command; this is the line behind them. */
static mtfs_status write_to_memory(int which, const mtfs_scenario *s, const mtfs_projection *p,
                                   const mtfs_formula_result *r, size_t *written, mtfs_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return MTFS_ENOMEM;
    mtfs_status st;
    const mtfs_scenario *ss[2] = {s, s};
    const mtfs_projection *pp[2] = {p, p};
    switch (which) {
    case 0: st = mtfs_report_table(f, s, p, 0, err); break;
    case 1: st = mtfs_report_csv(f, s, p, err); break;
    case 2: {
        mtfs_bridge b;
        st = mtfs_bridge_compute(s, p, p->horizon, &b, err);
        if (st == MTFS_OK)
            st = mtfs_json_write_projection(f, s, p, &b, err);
        break;
    }
    case 3: st = mtfs_report_compare_table(f, 2, ss, pp, err); break;
    case 4: st = mtfs_report_compare_csv(f, 2, ss, pp, err); break;
    case 5: st = mtfs_report_formula_table(f, r, 0, err); break;
    default: st = mtfs_report_formula_csv(f, r, err); break;
    }
    fclose(f);
    *written = len;
    free(text);
    return st;
}

static void test_writers_refuse_nonfinite(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    mtfs_formula_result *r = formula("tests/good/formula/needs.cfg");
    mtfs_projection *p = s ? mtfs_projection_alloc(s) : NULL;
    mtfs_error err;
    size_t written = 1;
    if (!s || !r || !p || mtfs_project(s, p, &err) != MTFS_OK) {
        CHECK(0);
        goto done;
    }
    for (int w = 0; w <= 6; w++) {
        CHECK(write_to_memory(w, s, p, r, &written, &err) == MTFS_OK && written > 0);
    }
    p->gap[2] = NAN;
    static const char *const gap_names[] = {
        "Funding gap in 2026/27", "gap in 2026/27", "gap in 2026/27", "gap of hand in 2026/27",
        "gap in 2026/27"};
    for (int w = 0; w <= 4; w++) {
        char want[200];
        snprintf(want, sizeof want, "%s is not a finite number (the inputs make it overflow); "
                 "nothing was written", gap_names[w]);
        CHECK(write_to_memory(w, s, p, r, &written, &err) == MTFS_ENUMERIC && written == 0);
        CHECK(strcmp(err.message, want) == 0);
    }
    r->final[0] = INFINITY;
    CHECK(write_to_memory(5, s, p, r, &written, &err) == MTFS_ENUMERIC && written == 0);
    CHECK_STR(err.message, "funding under the formula of A1 is not a finite number (the inputs "
              "make it overflow); nothing was written");
    CHECK(write_to_memory(6, s, p, r, &written, &err) == MTFS_ENUMERIC && written == 0);
    CHECK_STR(err.message, "final of A1 is not a finite number (the inputs make it overflow); "
              "nothing was written");
    /* The formula checks its own arithmetic: a share that is not a number
     * never becomes an allocation. */
    r->block_share[1] = NAN;
    double half[2] = {0.5, 0.5};
    CHECK(mtfs_formula_reweight(r, half, &err) == MTFS_ENUMERIC);
    CHECK_STR(err.message, "the formula's need share for this row is not a finite number (expected "
              "data that keep the arithmetic finite)");
    CHECK(err.line == 2);
done:
    mtfs_projection_free(p);
    mtfs_formula_result_free(r);
    mtfs_scenario_free(s);
}

/* The Monte Carlo, tornado and goal-seek writers pass the same last check:
 * one NaN among their numbers and nothing at all is written. */
static void test_uncertainty_writers_refuse_nonfinite(void)
{
    mtfs_scenario *s = load("tests/good/mc/tiny.cfg");
    mtfs_error err;
    mtfs_mc_result *r = NULL;
    mtfs_mc_options o;
    memset(&o, 0, sizeof o);
    o.paths = 256;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    if (!s || mtfs_mc_run(s, &o, &r, &err) != MTFS_OK) {
        CHECK(0);
        goto done;
    }
    f = open_memstream(&text, &len);
    CHECK(mtfs_report_mc_csv(f, r, &err) == MTFS_OK);
    fclose(f);
    CHECK(len > 0);
    free(text);
    r->gap_pct[3 * (r->horizon + 1) + 2] = NAN;   /* the median gap, second year */
    for (int table = 0; table <= 1; table++) {
        text = NULL;
        len = 0;
        f = open_memstream(&text, &len);
        mtfs_status st = table ? mtfs_report_mc_table(f, s, r, &err) : mtfs_report_mc_csv(f, r, &err);
        fclose(f);
        CHECK(st == MTFS_ENUMERIC && len == 0);
        CHECK(strstr(err.message, "is not a finite number") != NULL &&
              strstr(err.message, "nothing was written") != NULL);
        free(text);
    }
    /* The workbook: a value that is not finite leaves no workbook behind. */
    {
        mtfs_scenario *h = load("tests/good/hand.cfg");
        mtfs_projection *p = h ? mtfs_projection_alloc(h) : NULL;
        mtfs_bridge b;
        char dir[] = "/tmp/mtfs-unit-xlsx-XXXXXX", path[64];
        if (!h || !p || mtfs_project(h, p, &err) != MTFS_OK ||
            mtfs_bridge_compute(h, p, mtfs_scenario_horizon(h), &b, &err) != MTFS_OK || !mkdtemp(dir)) {
            CHECK(0);
        } else {
            snprintf(path, sizeof path, "%s/hand.xlsx", dir);
            CHECK(mtfs_xlsx_write(path, h, p, &b, &err) == MTFS_OK && access(path, F_OK) == 0);
            remove(path);
            p->funding[1] = INFINITY;
            CHECK(mtfs_xlsx_write(path, h, p, &b, &err) == MTFS_ENUMERIC && access(path, F_OK) != 0);
            CHECK(strstr(err.message, "not a finite number") != NULL);
            rmdir(dir);
        }
        mtfs_projection_free(p);
        mtfs_scenario_free(h);
    }
done:
    mtfs_mc_result_free(r);
    mtfs_scenario_free(s);
}

void suite_writers(void)
{
    test_writers_refuse_nonfinite();
    test_uncertainty_writers_refuse_nonfinite();
}
