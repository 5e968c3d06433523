/*
 * test_mc.c - Monte Carlo (montecarlo.c) and its distributions (dist.c):
 * sample moments and percentiles against closed forms, reproducibility
 * across thread counts, and the z-tables against the exact quantiles.
 */
#include "scenario_int.h"
#include "dist.h"
#include "check.h"
#include "fixtures.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

static mtfs_mc_result *run_mc(const char *path, size_t threads, mtfs_scenario **out)
{
    mtfs_error err;
    mtfs_scenario *s = load(path);
    mtfs_mc_result *r = NULL;
    if (!s)
        return NULL;
    mtfs_mc_options o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    if (mtfs_mc_run(s, &o, &r, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL mc %s: %s\n", path, mtfs_error_format(&err, line, sizeof line));
        check_failed++;
    }
    if (out)
        *out = s;
    else
        mtfs_scenario_free(s);
    return r;
}

/* Sample mean and standard deviation of the gap against closed forms, with
 * tolerances of four standard errors for 100,000 paths. */
static void check_moments(const char *path, double mean, double sd, double offset)
{
    mtfs_mc_result *r = run_mc(path, 2, NULL);
    if (!r)
        return;
    double se_mean = sd / sqrt((double)r->paths), se_sd = sd / sqrt(2.0 * (double)r->paths);
    for (size_t t = 1; t <= r->horizon; t++) {
        char what[160];
        snprintf(what, sizeof what, "%s year %zu", path, t);
        double got_mean = r->gap_mean[t] - offset, got_sd = r->gap_sd[t];
        int ok = fabs(got_mean - mean) <= 4.0 * se_mean && fabs(got_sd - sd) <= 4.0 * se_sd + 1e-3 * sd;
        if (!ok)
            printf("FAIL %s: mean %.5f (want %.5f +- %.5f), sd %.5f (want %.5f +- %.5f)\n", what,
                   got_mean, mean, 4.0 * se_mean, got_sd, sd, 4.0 * se_sd + 1e-3 * sd);
        CHECK(ok);
    }
    mtfs_mc_result_free(r);
}

static void test_distributions(void)
{
    /* gap = 20 + x for an added draw x (tests/good/mc/base.cfg). */
    check_moments("tests/good/mc/normal.cfg", 0.0, 10.0, 20.0);
    check_moments("tests/good/mc/uniform.cfg", 10.0, 40.0 / sqrt(12.0), 20.0);
    /* Triangular (-10, 0, 30): mean 20/3, variance (a^2+b^2+c^2-ab-ac-bc)/18 = 1300/18 */
    check_moments("tests/good/mc/triangular.cfg", 20.0 / 3.0, sqrt(1300.0 / 18.0), 20.0);
    /* PERT (-10, 0, 30), lambda 4: mean (a + 4c + b)/6; alpha 2, beta 4,
     * variance (b-a)^2 alpha beta / ((alpha+beta)^2 (alpha+beta+1)) */
    check_moments("tests/good/mc/pert.cfg", 20.0 / 6.0, sqrt(1600.0 * 8.0 / (36.0 * 7.0)), 20.0);
    /* Lognormal as the value of contingency: gap = x; mean exp(mu + s^2/2),
     * variance (exp(s^2) - 1) exp(2 mu + s^2) */
    check_moments("tests/good/mc/lognormal.cfg", exp(1.125), sqrt((exp(0.25) - 1.0) * exp(2.25)), 0.0);
    /* Normal(0, 10) truncated to [-5, 15]: a = -0.5, b = 1.5 in sd units */
    double a = -0.5, b = 1.5, z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    double pa = gsl_ran_ugaussian_pdf(a), pb = gsl_ran_ugaussian_pdf(b);
    double tmean = 10.0 * (pa - pb) / z;
    double tvar = 100.0 * (1.0 + (a * pa - b * pb) / z - ((pa - pb) / z) * ((pa - pb) / z));
    check_moments("tests/good/mc/truncated.cfg", tmean, sqrt(tvar), 20.0);

    /* Percentiles of the normal case: 20 + 10 z_q, within four standard
     * errors of a sample quantile, sqrt(q(1-q)/N) / density. */
    mtfs_mc_result *r = run_mc("tests/good/mc/normal.cfg", 1, NULL);
    if (r) {
        size_t W = r->horizon + 1;
        for (size_t k = 0; k < MTFS_MC_NPCT; k++) {
            double q = mtfs_mc_percentile_levels[k], zq = gsl_cdf_ugaussian_Pinv(q);
            double se = sqrt(q * (1.0 - q) / (double)r->paths) / (gsl_ran_ugaussian_pdf(zq) / 10.0);
            CHECK_CLOSE(r->gap_pct[k * W + 2], 20.0 + 10.0 * zq, 0.0, 4.0 * se);
        }
        /* P(reserves below 50 by year t): reserves(t) = 200 - sum of gaps,
         * gaps ~ N(20, 10) independent: below 50 when the sum exceeds 150 */
        CHECK_HAND(r->p_below_minimum[1], 0.0);
        /* Below zero needs a sum of gaps above 200: none in year 1. */
        CHECK_HAND(r->p_exhausted[1], 0.0);
        mtfs_mc_result_free(r);
    }

    /* Gaps spread over too few ulps for the percentile histogram
     * (tests/good/mc/tiny.cfg): the whole-array selection gives the same
     * percentiles, 1e-307 z_q within four standard errors, in order. */
    r = run_mc("tests/good/mc/tiny.cfg", 2, NULL);
    if (r) {
        size_t W = r->horizon + 1;
        for (size_t k = 0; k < MTFS_MC_NPCT; k++) {
            double q = mtfs_mc_percentile_levels[k], zq = gsl_cdf_ugaussian_Pinv(q);
            double se = sqrt(q * (1.0 - q) / (double)r->paths) / gsl_ran_ugaussian_pdf(zq);
            CHECK_CLOSE(r->gap_pct[k * W + 1] / 1e-307, zq, 0.0, 4.0 * se);
            if (k > 0)
                CHECK(r->gap_pct[k * W + 1] >= r->gap_pct[(k - 1) * W + 1]);
        }
        mtfs_mc_result_free(r);
    }

    /* Inheritance: a what-if overrides one field of its base's parameter
     * (merged by key) and adds another input. */
    mtfs_scenario *inherited = load("tests/good/mc/override.cfg");
    if (inherited) {
        CHECK(inherited->n_uncertain == 2);
        CHECK(inherited->uncertain[0].dist == MTFS_DIST_NORMAL);
        CHECK_HAND(inherited->uncertain[0].p2, 5.0);
        CHECK(inherited->mc_seed == 7 && inherited->mc_paths == 100000);
        mtfs_scenario_free(inherited);
    }
    check_moments("tests/good/mc/override.cfg", 0.0, sqrt(50.0), 20.0);

    /* Correlation 0.6 between x and y: gap = 20 + x - y has sd sqrt(80). */
    check_moments("tests/good/mc/correlated.cfg", 0.0, sqrt(80.0), 20.0);
    /* AR(1) rho 0.5: the year-2 cumulative gap (60 + x1) + (60 + x2) has
     * sd sqrt(300); its interquartile range is 1.34898 sd. */
    r = run_mc("tests/good/mc/persistent.cfg", 2, NULL);
    if (r) {
        size_t W = r->horizon + 1;
        double iqr = r->cumulative_pct[4 * W + 2] - r->cumulative_pct[2 * W + 2];
        CHECK_CLOSE(iqr, 1.3489795 * sqrt(300.0), 0.03, 0.0);
        /* and not the independent sqrt(200) */
        CHECK(fabs(iqr - 1.3489795 * sqrt(200.0)) > 1.0);
        mtfs_mc_result_free(r);
    }
}

static void test_mc_reproducible(void)
{
    mtfs_scenario *s = NULL;
    mtfs_mc_result *r1 = run_mc("scenarios/leics_2025_uncertainty.cfg", 1, &s);
    mtfs_mc_result *r2 = run_mc("scenarios/leics_2025_uncertainty.cfg", 2, NULL);
    mtfs_mc_result *r4 = run_mc("scenarios/leics_2025_uncertainty.cfg", 4, NULL);
    if (r1 && r2 && r4) {
        size_t W = r1->horizon + 1;
        size_t bytes = (3 * MTFS_MC_NPCT * W + 3 * W + r1->n_thresholds * W + W) * sizeof(double);
        CHECK(memcmp(r1->gap_pct, r2->gap_pct, bytes) == 0);
        CHECK(memcmp(r1->gap_pct, r4->gap_pct, bytes) == 0);
        CHECK(r1->paths == 20000 && r1->seed == 20250226);
        /* The deterministic plan beside it is the plain projection. */
        CHECK_HAND(r1->deterministic->gap[4], 90.738362865103682);
    }
    /* Another seed gives other numbers. */
    if (s) {
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.seed_given = 1;
        o.seed = 1;
        mtfs_mc_result *other = NULL;
        mtfs_error err;
        CHECK(mtfs_mc_run(s, &o, &other, &err) == MTFS_OK);
        if (other && r1)
            CHECK(other->gap_pct[3 * (r1->horizon + 1) + 4] != r1->gap_pct[3 * (r1->horizon + 1) + 4]);
        mtfs_mc_result_free(other);
    }
    mtfs_mc_result_free(r1);
    mtfs_mc_result_free(r2);
    mtfs_mc_result_free(r4);
    mtfs_scenario_free(s);

    /* A scenario without uncertainty cannot be run. */
    mtfs_scenario *plain = load("tests/good/hand.cfg");
    mtfs_mc_result *none = NULL;
    mtfs_error err;
    if (plain)
        CHECK(mtfs_mc_run(plain, NULL, &none, &err) == MTFS_EINPUT && none == NULL);
    mtfs_scenario_free(plain);
}

/* The z-tables against the exact quantile: the interpolation error stays
 * below 1e-5 of each distribution's spread across z in [-5, 5] (measured:
 * at most 7.4e-6 for the uniform, where the table is steepest). */
static void test_ztables(void)
{
    mtfs_uncertain u[4];
    memset(u, 0, sizeof u);
    u[0].dist = MTFS_DIST_UNIFORM, u[0].p1 = 0.6, u[0].p2 = 1.0;
    u[1].dist = MTFS_DIST_TRIANGULAR, u[1].p1 = 0.02, u[1].p2 = 0.04, u[1].p3 = 0.07;
    u[2].dist = MTFS_DIST_PERT, u[2].p1 = 0.01, u[2].p2 = 0.035, u[2].p3 = 0.08, u[2].p4 = 4.0;
    u[3].dist = MTFS_DIST_NORMAL, u[3].p2 = 0.004;
    for (int i = 0; i < 4; i++) {
        u[i].lower = -INFINITY;
        u[i].upper = INFINITY;
    }
    u[3].lower = -0.01, u[3].upper = 0.01;
    double spread[4] = {0.4, 0.05, 0.07, 0.02};
    static double table[MTFS_ZTABLE_N];
    for (int i = 0; i < 4; i++) {
        CHECK(mtfs_dist_needs_table(&u[i]));
        mtfs_dist_ztable(&u[i], table);
        double worst = 0.0;
        for (double zz = -5.0; zz <= 5.0; zz += 0.001) {
            double exact = mtfs_dist_quantile(&u[i], gsl_cdf_ugaussian_P(zz));
            worst = fmax(worst, fabs(mtfs_dist_from_z(&u[i], table, zz) - exact));
        }
        if (worst > 1e-5 * spread[i])
            printf("FAIL z-table %d: worst error %.3g\n", i, worst);
        CHECK(worst <= 1e-5 * spread[i]);
    }
    /* Quantiles invert the distribution functions. */
    for (int i = 0; i < 3; i++)
        for (double q = 0.01; q < 1.0; q += 0.07)
            CHECK_CLOSE(mtfs_dist_cdf(&u[i], mtfs_dist_quantile(&u[i], q)), q, 1e-9, 1e-12);
}

void suite_mc(void)
{
    test_distributions();
    test_mc_reproducible();
    test_ztables();
}
