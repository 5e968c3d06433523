/*
 * test_unit.c - unit tests of the library against values computed by hand
 * from docs/model.md.  Run from the repository root (paths are relative).
 *
 * Hand values: each expected number below shows the arithmetic that gives
 * it, using the inputs of tests/good/hand.cfg.
 */
#include "mtfs/mtfs.h"
#include "scenario_int.h"
#include "util.h"
#include "check.h"
#include "dist.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include <stdlib.h>
#include <unistd.h>

static mtfs_scenario *load(const char *path)
{
    mtfs_error err;
    mtfs_scenario *s = NULL;
    if (mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL loading %s: %s\n", path, mtfs_error_format(&err, line, sizeof line));
        check_failed++;
        return NULL;
    }
    return s;
}

static mtfs_projection *project(const mtfs_scenario *s)
{
    mtfs_error err;
    mtfs_projection *p = mtfs_projection_alloc(s);
    CHECK(p != NULL);
    if (p && mtfs_project(s, p, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL projecting: %s\n", mtfs_error_format(&err, line, sizeof line));
        check_failed++;
    }
    return p;
}

static void test_hand(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);

    /* Service a: infl = 0.5*pay + 0.5*cpi = 0.5*0.04 + 0.5*0.02 = 0.03 in year 1,
     * 0.02 + 0.015 = 0.035 in year 2.  Delivered savings 2 * 0.5 = 1 a year. */
    CHECK_HAND(MTFS_AT(p, service_inflation, 0, 1), 0.03);
    CHECK_HAND(MTFS_AT(p, service_inflation, 0, 2), 0.035);
    /* R_a(1) = 100 * 1.03 * 1.03 + 1 - 1 = 106.09 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 1), 106.09);
    /* R_a(2) = 106.09 * 1.035 * 1.03 + 2 - 1 = 113.0972445 + 1 = 114.0972445 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 2), 114.0972445);
    /* E_a(2) = R_a(2) + one_off 3 = 117.0972445: one-offs never compound */
    CHECK_HAND(MTFS_AT(p, service_spending, 0, 2), 117.0972445);
    /* Service b: price = mix = 0.5*nlw + 0.5*cpi = 0.05 + 0.01 = 0.06, then 0.065;
     * infl = 0.2*0.04 + 0.8*price = 0.056, then 0.06. */
    CHECK_HAND(MTFS_AT(p, service_inflation, 1, 1), 0.056);
    CHECK_HAND(MTFS_AT(p, service_inflation, 1, 2), 0.06);
    /* R_b(1) = 50 * 1.056 = 52.8; R_b(2) = 52.8 * 1.06 = 55.968 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 1, 1), 52.8);
    CHECK_HAND(MTFS_AT(p, service_recurring, 1, 2), 55.968);
    /* E(0) = 150; E(1) = 106.09 + 52.8 + contingency 1 = 159.89;
     * E(2) = 117.0972445 + 55.968 + 1 = 174.0652445 */
    CHECK_HAND(p->expenditure[0], 150.0);
    CHECK_HAND(p->expenditure[1], 159.89);
    CHECK_HAND(p->expenditure[2], 174.0652445);
    CHECK_HAND(p->savings_planned[1], 2.0);
    CHECK_HAND(p->savings_delivered[1], 1.0);
    CHECK_HAND(p->savings_undelivered[2], 1.0);
    CHECK_HAND(p->one_off[2], 3.0);

    /* Council tax: taxbase 100000 -> 101000 -> 102010; Band D 1000 -> 1030 -> 1060.9.
     * CT(1) = 101000 * 1030 * 0.98 / 1e6 + 0.1 = 101.9494 + 0.1 = 102.0494
     * CT(2) = 102010 * 1060.9 * 0.98 / 1e6 - 0.1 = 106.05796082 - 0.1 = 105.95796082 */
    CHECK_HAND(p->taxbase[2], 102010.0);
    CHECK_HAND(p->band_d[2], 1060.9);
    CHECK_HAND(p->council_tax[1], 102.0494);
    CHECK_HAND(p->council_tax[2], 105.95796082);
    /* BR = 10 * 1.05 = 10.5, 11.025 */
    CHECK_HAND(p->business_rates[1], 10.5);
    CHECK_HAND(p->business_rates[2], 11.025);
    /* Grants: flat 5, 5; cpi 4 * 1.02 = 4.08 then 0 after end_year 2025;
     * rate 3 * 1.1 = 3.3, 3.63; list 1, 2. */
    CHECK_HAND(MTFS_AT(p, grant_amount, 0, 2), 5.0);
    CHECK_HAND(MTFS_AT(p, grant_amount, 1, 1), 4.08);
    CHECK_HAND(MTFS_AT(p, grant_amount, 1, 2), 0.0);
    CHECK_HAND(MTFS_AT(p, grant_amount, 2, 2), 3.63);
    CHECK_HAND(MTFS_AT(p, grant_amount, 3, 2), 2.0);
    CHECK_HAND(p->grants[1], 13.38);
    CHECK_HAND(p->grants[2], 10.63);
    /* F(1) = 102.0494 + 10.5 + 13.38 = 125.9294; F(2) = 105.95796082 + 11.025 + 10.63 */
    CHECK_HAND(p->funding[1], 125.9294);
    CHECK_HAND(p->funding[2], 127.61296082);
    /* gap(1) = 159.89 - 125.9294 = 33.9606; gap(2) = 174.0652445 - 127.61296082 */
    CHECK_HAND(p->gap[1], 33.9606);
    CHECK_HAND(p->gap[2], 46.45228368);
    CHECK_HAND(p->incremental_gap[1], 33.9606);
    CHECK_HAND(p->incremental_gap[2], 12.49168368);
    CHECK_HAND(p->cumulative_gap[2], 80.41288368);
    CHECK_HAND(p->gap_share[1], 33.9606 / 159.89);
    /* Reserves: 10 - 33.9606 = -23.9606; -23.9606 - 46.45228368 + 1 = -69.41288368 */
    CHECK_HAND(p->reserves[1], -23.9606);
    CHECK_HAND(p->reserves[2], -69.41288368);
    CHECK(p->exhaustion_index == 1);
    CHECK(p->referendum_index == 0);
    /* £m per 1% = CT(1) * 0.01 / (1 + 0.03) */
    CHECK_HAND(p->council_tax_per_percent, 102.0494 * 0.01 / 1.03);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_surplus_policy_none_minimum_share(void)
{
    mtfs_scenario *s = load("tests/good/hand_surplus.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    /* R_a(1) = 106.09 - 40 = 66.09; R_a(2) = 66.09 * 1.06605 + 2 - 1 = 71.4552445 */
    CHECK_HAND(MTFS_AT(p, service_recurring, 0, 2), 71.4552445);
    CHECK_HAND(p->expenditure[1], 119.89);
    CHECK_HAND(p->expenditure[2], 131.4232445);
    CHECK_HAND(p->gap[1], -6.0394);
    CHECK_HAND(p->gap[2], 3.81028368);
    /* A surplus adds nothing to the cumulative gap */
    CHECK_HAND(p->cumulative_gap[1], 0.0);
    CHECK_HAND(p->cumulative_gap[2], 3.81028368);
    CHECK_HAND(p->incremental_gap[2], 3.81028368 + 6.0394);
    /* Policy none: the gap never touches reserves; contribution of 1 in year 2 */
    CHECK_HAND(p->reserves[1], 10.0);
    CHECK_HAND(p->reserves[2], 11.0);
    /* Minimum 10% of spending: 11.989 > 10, so below the minimum in year 1 */
    CHECK_HAND(p->minimum_reserves[1], 11.989);
    CHECK(p->exhaustion_index == 1);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_flat_property(void)
{
    mtfs_scenario *s = load("tests/good/flat.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(p->horizon == 30);
    int flat = 1;
    for (size_t t = 0; t <= 30; t++)
        flat &= fabs(p->expenditure[t] - 200.0) <= 1e-12;
    CHECK(flat);
    /* Funding: 1000 * 2000 / 1e6 = 2 of council tax and 50 of business rates */
    CHECK_HAND(p->funding[30], 52.0);
    CHECK_HAND(p->gap[30], 148.0);
    CHECK_HAND(p->cumulative_gap[30], 30 * 148.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_inheritance(void)
{
    mtfs_scenario *s = load("tests/good/inherit/child.cfg");
    if (!s)
        return;
    CHECK_STR(mtfs_scenario_name(s), "child");
    CHECK(s->horizon == 3);
    CHECK_HAND(s->economy[s->cpi].values[1], 0.05);      /* overridden */
    CHECK_HAND(s->economy[s->pay].values[3], 0.03);      /* inherited */
    CHECK(s->n_services == 3);
    CHECK_STR(s->services[0].name, "a");
    CHECK_HAND(s->services[0].base, 100.0);               /* kept by the merge */
    CHECK_HAND(s->services[0].pay_share, 0.5);
    CHECK_HAND(s->services[0].demand[2], 0.04);           /* overridden */
    CHECK_STR(s->services[2].name, "c");                  /* appended */
    CHECK(s->n_grants == 3);
    CHECK_HAND(s->grants[0].amount, 12.0);
    CHECK(s->grants[1].rule == MTFS_GRANT_CPI);
    CHECK(s->grants[2].rule == MTFS_GRANT_LIST);
    CHECK(mtfs_scenario_file_count(s) == 2);
    mtfs_scenario_free(s);

    s = load("tests/good/inherit/sub/grandchild.cfg");
    if (!s)
        return;
    CHECK_STR(mtfs_scenario_name(s), "grandchild");
    CHECK_STR(mtfs_scenario_id(s), "grandchild");
    CHECK_HAND(s->ct_core[1], 0.0);
    CHECK_HAND(s->services[1].base, 60.0);
    CHECK_HAND(s->services[0].demand[1], 0.04);
    CHECK_HAND(s->economy[s->cpi].values[1], 0.05);
    CHECK(mtfs_scenario_file_count(s) == 3);
    CHECK_STR(mtfs_scenario_file(s, 0), "tests/good/inherit/sub/grandchild.cfg");
    /* Each base is found relative to the file that names it. */
    CHECK_STR(mtfs_scenario_file(s, 1), "tests/good/inherit/child.cfg");
    CHECK_STR(mtfs_scenario_file(s, 2), "tests/good/inherit/parent.cfg");
    mtfs_scenario_free(s);

    s = load("tests/good/include/main.cfg");
    if (!s)
        return;
    CHECK_HAND(s->economy[s->cpi].values[2], 0.025);
    CHECK(mtfs_scenario_file_count(s) == 2);
    mtfs_scenario_free(s);
}

static void test_errors(void)
{
    mtfs_error err;
    mtfs_scenario *s = (mtfs_scenario *)&err; /* must be reset to NULL on failure */
    mtfs_status st = mtfs_scenario_load("tests/bad/base_cycle_a.cfg", &s, &err);
    CHECK(st == MTFS_EINPUT);
    CHECK(s == NULL);
    CHECK_STR(err.key, "base");
    st = mtfs_scenario_load("tests/no/such/file.cfg", &s, &err);
    CHECK(st == MTFS_EINPUT);
    CHECK(mtfs_status_exit_code(st) == 2);
    CHECK(mtfs_status_exit_code(MTFS_EIO) == 3);
    CHECK(mtfs_status_exit_code(MTFS_OK) == 0);

    char line[256];
    mtfs_error_set(&err, MTFS_EINPUT, "a.cfg", 7, "services.adults.demand", "value %g", 5.0);
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "a.cfg:7: key 'services.adults.demand': value 5");
    mtfs_error_set(&err, MTFS_EIO, "out.csv", 0, NULL, "cannot write");
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "out.csv: cannot write");
    mtfs_error_set(&err, MTFS_EIO, NULL, 0, NULL, "plain");
    CHECK_STR(mtfs_error_format(&err, line, sizeof line), "plain");
    /* Truncation keeps the buffer terminated */
    char tiny[8];
    mtfs_error_set(&err, MTFS_EINPUT, "long-file-name.cfg", 1, NULL, "x");
    CHECK(strlen(mtfs_error_format(&err, tiny, sizeof tiny)) == 7);

    /* A projection record must match its scenario */
    mtfs_scenario *a = load("tests/good/hand.cfg"), *b = load("tests/good/flat.cfg");
    if (a && b) {
        mtfs_projection *p = mtfs_projection_alloc(a);
        CHECK(mtfs_project(b, p, &err) == MTFS_EINTERNAL);
        mtfs_projection_free(p);
    }
    mtfs_scenario_free(a);
    mtfs_scenario_free(b);
}

static void test_reproducible_and_referendum(void)
{
    mtfs_scenario *s = load("scenarios/leics_2025_referendum.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s), *q = project(s);
    size_t n = (p->horizon + 1) * sizeof(double);
    CHECK(memcmp(p->gap, q->gap, n) == 0);
    CHECK(memcmp(p->reserves, q->reserves, n) == 0);
    CHECK(p->referendum_index == 2);
    CHECK(mtfs_scenario_referendum_allowed(s));
    mtfs_projection_free(p);
    mtfs_projection_free(q);
    mtfs_scenario_free(s);
}

static void test_central_calibration(void)
{
    /* The published 2025/26-2028/29 MTFS: net budget about £615m in 2025/26,
     * gap about £6m, £38m in 2026/27 and £91m by 2028/29.  The calibrated
     * scenario must stay within £2m of each published figure. */
    mtfs_scenario *s = load("scenarios/leics_2025_central.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK_CLOSE(p->funding[1], 615.2, 0.0, 1.0);
    CHECK_CLOSE(p->gap[1], 6.0, 0.0, 2.0);
    CHECK_CLOSE(p->gap[2], 38.0, 0.0, 2.0);
    CHECK_CLOSE(p->gap[4], 91.0, 0.0, 2.0);
    CHECK_CLOSE(p->expenditure[0], 567.6, 1e-12, 0.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_sha256(void)
{
    mtfs_sha256 h;
    char hex[65];
    mtfs_sha256_init(&h);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    mtfs_sha256_init(&h);
    mtfs_sha256_update(&h, "abc", 3);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* FIPS 180-4 two-block example, fed in uneven pieces */
    const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    mtfs_sha256_init(&h);
    mtfs_sha256_update(&h, msg, 5);
    mtfs_sha256_update(&h, msg + 5, strlen(msg) - 5);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    mtfs_error err;
    CHECK(mtfs_sha256_file("tests/no/such/file", hex, &err) == MTFS_EINPUT);
}

static void test_helpers(void)
{
    char g[64];
    CHECK_STR(mtfs_group_digits(1234567.4, 0, g, sizeof g), "1,234,567");
    CHECK_STR(mtfs_group_digits(1048.02, 1, g, sizeof g), "1,048.0");
    CHECK_STR(mtfs_group_digits(-999.96, 1, g, sizeof g), "-1,000.0");
    CHECK_STR(mtfs_group_digits(-0.04, 1, g, sizeof g), "0.0");
    CHECK_STR(mtfs_group_digits(20000.0, 0, g, sizeof g), "20,000");
    char buf[16];
    CHECK_STR(mtfs_year_label(2025, buf, sizeof buf), "2025/26");
    CHECK_STR(mtfs_year_label(1999, buf, sizeof buf), "1999/00");
    CHECK(mtfs_edit_distance("pay_shar", "pay_share", 10) == 1);
    CHECK(mtfs_edit_distance("kitten", "sitting", 10) == 3);
    const char *keys[] = {"pay_share", "price_index", "demand", "growth"};
    CHECK_STR(mtfs_nearest("pay_shar", keys, 4), "pay_share");
    CHECK_STR(mtfs_nearest("demmand", keys, 4), "demand");
    CHECK(mtfs_nearest("zzzzzz", keys, 4) == NULL);
    CHECK_STR(mtfs_path_stem("scenarios/leics.cfg", buf, sizeof buf), "leics");
    char dir[64];
    CHECK_STR(mtfs_dirname("a/b/c.cfg", dir, sizeof dir), "a/b");
    CHECK_STR(mtfs_dirname("c.cfg", dir, sizeof dir), ".");
    char number[40];
    CHECK_STR(mtfs_format_g17(0.1, number, sizeof number), "0.10000000000000001");
    CHECK_STR(mtfs_version(), MTFS_VERSION);
}

/* Fault injection: make the n-th allocation fail for every n a load and a
 * projection make; each failure must be a clean MTFS_ENOMEM, never a crash
 * or a leak (the sanitizer and valgrind runs check the leaks). */
static void test_allocation_failures_of(const char *file)
{
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 100000 && !reached_success; n++) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_alloc_fail_after(n);
        mtfs_status st = mtfs_scenario_load(file, &s, &err);
        if (st == MTFS_OK) {
            mtfs_projection *p = mtfs_projection_alloc(s);
            if (p) {
                st = mtfs_project(s, p, &err);
                clean &= st == MTFS_OK;
                reached_success = 1;
            }
            mtfs_projection_free(p);
            mtfs_scenario_free(s);
        } else {
            clean &= st == MTFS_ENOMEM && s == NULL;
        }
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
}

/* Every allocation of a load and projection fails in turn: each failure is
 * a clean out-of-memory error (leaks show under make asan / valgrind). */
static void test_allocation_failures(void)
{
    test_allocation_failures_of("scenarios/leics_2025_referendum.cfg");
    test_allocation_failures_of("tests/good/hand_reform.cfg");   /* with a formula and its data */
    test_allocation_failures_of("tests/good/brief_mini.cfg");    /* and a brief block */
}

static void test_covid(void)
{
    mtfs_scenario *s = load("tests/good/hand_covid.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK(mtfs_scenario_has_covid(s));
    /* 2025/26: lost income 8 (taper 1); the council bears 5% of 40 = 2 first;
     * compensation 0.75 * (8 - 2) = 4.5; no deficit is recovered yet.
     * Costs 10 + 8 = 18; funding 4.5 + grant 6 = 10.5; net pressure 7.5. */
    CHECK_HAND(p->covid_compensation[1], 4.5);
    CHECK_HAND(p->covid_expenditure[1], 18.0);
    CHECK_HAND(p->covid_funding[1], 10.5);
    CHECK_HAND(p->covid_pressure[1], 7.5);
    /* 2026/27: lost 8 * 0.5 = 4, not compensated after sfc_end_year 2025;
     * the 2025/26 deficits (3 + 1.5) come back over 3 years: 1.5 a year; the
     * 2026/27 deficit of 9 is recovered from 2027/28, beyond the horizon.
     * Costs 2 + 4 = 6; funding 0 + 0 - 1.5 = -1.5; net pressure 7.5. */
    CHECK_HAND(p->covid_compensation[2], 0.0);
    CHECK_HAND(p->covid_deficit_charge[2], 1.5);
    CHECK_HAND(p->covid_expenditure[2], 6.0);
    CHECK_HAND(p->covid_funding[2], -1.5);
    CHECK_HAND(p->covid_pressure[2], 7.5);
    /* Flows into E and F: E(1) = 159.89 + 18, F(1) = 125.9294 + 10.5 */
    CHECK_HAND(p->expenditure[1], 177.89);
    CHECK_HAND(p->funding[1], 136.4294);
    CHECK_HAND(p->gap[1], 33.9606 + 7.5);
    CHECK_HAND(p->gap_without_covid[1], 33.9606);
    CHECK_HAND(p->gap[2], 46.45228368 + 7.5);
    CHECK_HAND(p->gap_without_covid[2], 46.45228368);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    /* Without a covid block every Covid series is zero. */
    s = load("tests/good/hand.cfg");
    if (!s)
        return;
    p = project(s);
    CHECK(!mtfs_scenario_has_covid(s));
    CHECK_HAND(p->covid_pressure[2], 0.0);
    CHECK_HAND(p->gap_without_covid[2], p->gap[2]);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_2020_and_2023_calibration(void)
{
    /* The 2020 Annual Delivery Report: about £90m of extra costs and lost
     * income in 2020/21, an £18m gap after government grants, and the
     * 2023/24 gap pushed from £39m to £50m. */
    mtfs_scenario *s = load("scenarios/leics_2020_covid.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    CHECK_CLOSE(p->covid_expenditure[1], 90.0, 0.0, 1.0);
    CHECK_CLOSE(p->covid_pressure[1], 18.0, 0.0, 1.0);
    CHECK_CLOSE(p->gap_without_covid[4], 39.0, 0.0, 1.5);
    CHECK_CLOSE(p->gap[4], 50.0, 0.0, 1.5);
    CHECK_CLOSE(p->funding[1] - p->covid_funding[1], 390.0, 0.0, 2.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    /* The precovid file is the covid file without its covid block. */
    s = load("scenarios/leics_2020_precovid.cfg");
    mtfs_scenario *c = load("scenarios/leics_2020_covid.cfg");
    if (s && c) {
        p = project(s);
        mtfs_projection *q = project(c);
        for (size_t t = 1; t <= 4; t++)
            CHECK_HAND(q->gap_without_covid[t], p->gap[t]);
        mtfs_projection_free(p);
        mtfs_projection_free(q);
    }
    mtfs_scenario_free(s);
    mtfs_scenario_free(c);

    /* The 2023 report: £512.1m budget in 2023/24, a gap above £90m by 2026/27
     * and above £100m by 2027/28. */
    s = load("scenarios/leics_2023_inflation.cfg");
    if (!s)
        return;
    p = project(s);
    CHECK_CLOSE(p->funding[1], 512.1, 0.0, 1.0);
    CHECK_CLOSE(p->gap[1], 0.0, 0.0, 1.0);
    CHECK(p->gap[4] > 90.0);
    CHECK(p->gap[5] > 100.0);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_bridge(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    mtfs_bridge b;
    mtfs_error err;
    CHECK(mtfs_bridge_compute(s, p, 2, &b, &err) == MTFS_OK);
    /* Service a, year 1 from R=100: pay 100*0.5*0.04 = 2, price 100*0.5*0.02 = 1,
     * demand 100*1.03*0.03 = 3.09.  Year 2 from R=106.09: pay 2.1218,
     * price 106.09*0.5*0.03 = 1.59135, demand 106.09*1.035*0.03 = 3.2940945.
     * Service b (pay share 0.2): pay 0.4 then 52.8*0.2*0.04 = 0.4224;
     * price 50*0.8*0.06 = 2.4 then 52.8*0.8*0.065 = 2.7456. */
    CHECK_HAND(b.item[MTFS_BRIDGE_PAY], 2.0 + 2.1218 + 0.4 + 0.4224);
    CHECK_HAND(b.item[MTFS_BRIDGE_PRICE], 1.0 + 1.59135 + 2.4 + 2.7456);
    CHECK_HAND(b.item[MTFS_BRIDGE_DEMAND], 3.09 + 3.2940945);
    CHECK_HAND(b.item[MTFS_BRIDGE_GROWTH], 3.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_SAVINGS], -2.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_ONE_OFF], 3.0);
    CHECK_HAND(b.item[MTFS_BRIDGE_CONTINGENCY], 1.0);
    /* Council tax X(0) = 100000*1000*0.98/1e6 = 98: rises 98*0.03 = 2.94 and
     * 101.9494*0.03 = 3.058482; tax base 98*1.03*0.01 = 1.0094 and
     * 101.9494*1.03*0.01 = 1.05007882; collection fund 0.1 then -0.1. */
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_RISE], -(2.94 + 3.058482));
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_TAXBASE], -(1.0094 + 1.05007882));
    CHECK_HAND(b.item[MTFS_BRIDGE_CT_COLLECTION], 0.1);
    CHECK_HAND(b.item[MTFS_BRIDGE_BUSINESS_RATES], -1.025);
    /* Grants 5 + 4 + 3 + 1 = 13 in the base year, 10.63 in 2026/27 */
    CHECK_HAND(b.item[MTFS_BRIDGE_GRANTS], 13.0 - 10.63);
    /* E(0) 150 against base funding 98 + 10 + 13 = 121 */
    CHECK_HAND(b.item[MTFS_BRIDGE_BASE_BALANCE], 29.0);
    CHECK(mtfs_bridge_compute(s, p, 3, &b, &err) == MTFS_EINPUT);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);

    /* Property: for every shipped and test scenario and every year, the
     * items sum to the gap (1e-9 relative to the budget). */
    const char *files[] = {"scenarios/leics_2025_central.cfg", "scenarios/leics_2025_high_inflation.cfg",
                           "scenarios/leics_2025_savings_70.cfg", "scenarios/leics_2025_ct_freeze.cfg",
                           "scenarios/leics_2025_referendum.cfg", "scenarios/leics_2020_precovid.cfg",
                           "scenarios/leics_2020_covid.cfg", "scenarios/leics_2023_inflation.cfg",
                           "tests/good/hand_covid.cfg", "tests/good/hand_surplus.cfg",
                           "tests/good/flat.cfg", "scenarios/leics_2025_uncertainty.cfg",
                           "tests/good/hand_reform.cfg", "scenarios/leics_2025_fair_funding.cfg"};
    int exact = 1;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        s = load(files[f]);
        if (!s)
            continue;
        p = project(s);
        /* Shipped scenarios balance their base year: the bridge then starts
         * from a budget the funding inputs really cover. */
        if (strncmp(files[f], "scenarios/", 10) == 0) {
            mtfs_bridge_compute(s, p, 1, &b, &err);
            if (fabs(b.item[MTFS_BRIDGE_BASE_BALANCE]) > 0.1) {
                printf("FAIL %s: base-year budget less funding is %.2f (expected within 0.1)\n",
                       files[f], b.item[MTFS_BRIDGE_BASE_BALANCE]);
                exact = 0;
            }
        }
        for (size_t t = 1; t <= p->horizon; t++) {
            mtfs_bridge_compute(s, p, t, &b, &err);
            double sum = 0.0;
            for (int i = 0; i < MTFS_BRIDGE_N; i++)
                sum += b.item[i];
            if (fabs(sum - p->gap[t]) > 1e-9 * p->expenditure[t]) {
                printf("FAIL bridge of %s, year %zu: items sum to %.17g, gap %.17g\n", files[f], t,
                       sum, p->gap[t]);
                exact = 0;
            }
        }
        mtfs_projection_free(p);
        mtfs_scenario_free(s);
    }
    CHECK(exact);
}

static void test_sensitivity_and_clone(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_error err;
    mtfs_scenario *c = NULL;
    CHECK(mtfs_scenario_clone(s, &c, &err) == MTFS_OK);
    mtfs_projection *p = project(s), *q = project(c);
    size_t n = (p->horizon + 1) * sizeof(double);
    CHECK(memcmp(p->gap, q->gap, n) == 0);
    c->economy[c->cpi].values[1] = 0.5;      /* the clone owns its series */
    CHECK_HAND(s->economy[s->cpi].values[1], 0.02);
    CHECK_STR(mtfs_scenario_file(c, 0), "tests/good/hand.cfg");
    mtfs_projection_free(q);
    mtfs_scenario_free(c);

    mtfs_sensitivity_row *rows;
    size_t count;
    double base;
    CHECK(mtfs_sensitivity_compute(s, &rows, &count, &base, &err) == MTFS_OK);
    CHECK(count == 5 + 2);
    CHECK_HAND(base, p->gap[2]);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rows[i].key, "council_tax") == 0)
            /* Band D 1000 * 1.04^2 = 1081.6; CT(2) = 102010 * 1081.6 * 0.98 / 1e6 - 0.1
             * = 108.02733568, up 2.06937486 on 105.95796082 */
            CHECK_HAND(rows[i].change, -(108.02733568 - 105.95796082));
        if (strcmp(rows[i].key, "delivery") == 0)
            /* Service a delivers 0.8 instead of 1 each year: R_a(1) +0.2, and
             * R_a(2) + 0.2 * 1.035 * 1.03 + 0.2 = 0.41321 */
            CHECK_HAND(rows[i].change, 0.41321);
        if (strcmp(rows[i].key, "demand:b") == 0)
            /* R_b(1) = 50 * 1.056 * 1.01 = 53.328; R_b(2) = 53.328 * 1.06 * 1.01
             * = 53.328 * 1.0706 = 57.0929568, up 1.1249568 on 55.968 */
            CHECK_HAND(rows[i].change, 57.0929568 - 55.968);
        CHECK(isfinite(rows[i].change));
    }
    mtfs_sensitivity_free(rows);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_conditions(void)
{
    mtfs_condition c;
    mtfs_error err;
    CHECK(mtfs_condition_parse(" gap [ 2028/29 ]>= 80.5 ", &c, &err) == MTFS_OK);
    CHECK(c.quantity == MTFS_QUANTITY_GAP && c.year == 2028 && c.op == MTFS_OP_GE);
    CHECK_HAND(c.value, 80.5);
    CHECK(mtfs_condition_parse("exhaustion_year==none", &c, &err) == MTFS_OK);
    CHECK(isinf(c.value));
    CHECK(mtfs_condition_parse("cumulative_gap < 1e3", &c, &err) == MTFS_OK);
    CHECK(c.year == 0);
    CHECK(mtfs_condition_parse("gap[2028] = 5", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("gap[2028] =< 5", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("gap[2028] > 5 extra", &c, &err) == MTFS_EINPUT);
    CHECK_STR(err.message, "condition 'gap[2028] > 5 extra': unexpected 'extra' after the condition");
    CHECK(mtfs_condition_parse("", &c, &err) == MTFS_EINPUT);
    CHECK(mtfs_condition_parse("reserves[2028] < inf", &c, &err) == MTFS_EINPUT);

    /* Evaluate against hand.cfg: gap(2026/27) = 46.45228368, reserves
     * -69.41288368, exhaustion in 2025/26. */
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_projection *p = project(s);
    struct { const char *text; int holds; double actual; } cases[] = {
        {"gap[2026] > 46.45", 1, 46.45228368},
        {"gap[2026] < 46.45", 0, 46.45228368},
        {"final_gap >= 46.4522", 1, 46.45228368},
        {"reserves[2025] <= -23.9606", 1, -23.9606},
        {"cumulative_gap[2025] == 33.9606", 1, 33.9606},
        {"exhaustion_year <= 2025", 1, 2025.0},
        {"exhaustion_year == none", 0, 2025.0},
        {"covid_pressure[2026] > 0", 0, 0.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int holds = -1;
        double actual = NAN;
        CHECK(mtfs_condition_parse(cases[i].text, &c, &err) == MTFS_OK);
        CHECK(mtfs_condition_eval(&c, p, &holds, &actual, &err) == MTFS_OK);
        CHECK(holds == cases[i].holds);
        CHECK_HAND(actual, cases[i].actual);
    }
    CHECK(mtfs_condition_parse("gap[2030] > 0", &c, &err) == MTFS_OK);
    int holds;
    double actual;
    CHECK(mtfs_condition_eval(&c, p, &holds, &actual, &err) == MTFS_EINPUT);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

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
        CHECK_HAND(r1->deterministic->gap[4], 90.735198155351441);
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

static void test_tornado_and_goalseek(void)
{
    mtfs_error err;
    mtfs_scenario *s = load("tests/good/mc/correlated.cfg");
    if (!s)
        return;
    mtfs_tornado *t = NULL;
    CHECK(mtfs_tornado_compute(s, &t, &err) == MTFS_OK);
    if (t) {
        /* Both inputs are normal(0, 10) and linear in the gap: the gap moves
         * from 20 - 12.8155 to 20 + 12.8155 (P10 and P90 of N(0, 10)); for
         * the collection fund the other way round. */
        double z90 = gsl_cdf_ugaussian_Pinv(0.9);
        CHECK(t->n == 2);
        CHECK_HAND(t->base_gap, 20.0);
        CHECK_HAND(t->rows[0].swing, 2.0 * 10.0 * z90);
        CHECK_HAND(t->rows[1].swing, 2.0 * 10.0 * z90);
        CHECK_STR(t->rows[0].key, "contingency");   /* ties sort by key */
        CHECK_HAND(t->rows[0].high_gap, 20.0 + 10.0 * z90);
        CHECK_HAND(t->rows[1].high_gap, 20.0 - 10.0 * z90);
    }
    mtfs_tornado_free(t);
    mtfs_scenario_free(s);

    s = load("tests/good/hand.cfg");
    if (!s)
        return;
    mtfs_goalseek_spec spec;
    mtfs_goalseek_result r;
    memset(&spec, 0, sizeof spec);
    /* A corporate saving comes off spending one for one: gap(2026/27) is
     * 46.45228368, so that is the saving. */
    CHECK(mtfs_condition_parse("gap[2026] <= 0", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek_parse_lever("savings", &spec, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_OK);
    CHECK(r.met && !r.already_met);
    CHECK_CLOSE(r.lever_value, 46.45228368, 0.0, 1e-9);
    CHECK(r.after <= 0.0 && r.after > -1e-9);
    /* Council tax: gap(2) = 0 needs CT(2) = E(2) - BR(2) - G(2) =
     * 174.0652445 - 11.025 - 10.63; CT(2) = 102010 * 1000 (1 + r)^2 * 0.98 / 1e6 - 0.1 */
    CHECK(mtfs_goalseek_parse_lever("council_tax", &spec, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_OK);
    double need = (174.0652445 - 11.025 - 10.63 + 0.1) * 1e6 / (102010.0 * 1000.0 * 0.98);
    CHECK_CLOSE(r.lever_value, sqrt(need) - 1.0, 1e-9, 0.0);
    CHECK(r.after <= 0.0 && r.after > -1e-8);
    CHECK(r.breaks_referendum);
    CHECK_HAND(r.referendum_limit, 0.0499);
    /* A target the plan already meets needs nothing. */
    CHECK(mtfs_condition_parse("gap[2026] <= 100", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_OK);
    CHECK(r.met && r.already_met && r.lever_value == 0.0);
    /* Bad targets and levers */
    CHECK(mtfs_condition_parse("exhaustion_year <= 2026", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_EINPUT);
    CHECK(mtfs_goalseek_parse_lever("rates", &spec, &err) == MTFS_EINPUT);
    CHECK_STR(err.message, "unknown lever 'rates' (expected council_tax, savings or savings:SERVICE)");
    CHECK(mtfs_goalseek_parse_lever("savings:nobody", &spec, &err) == MTFS_OK);
    CHECK(mtfs_condition_parse("gap[2026] <= 0", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_EINPUT);
    mtfs_scenario_free(s);
}

/* Fault injection through the analysis modules: Monte Carlo (one thread,
 * so the failure count is deterministic), tornado, goal seek, sensitivity
 * and batch.  Every failure must be a clean MTFS_ENOMEM with nothing half
 * made; the sanitizer and valgrind runs check for leaks. */
static void test_allocation_failures_analysis(void)
{
    int clean = 1, reached_success = 0;
    for (unsigned long n = 1; n < 200000 && !reached_success; n++) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_alloc_fail_after(n);
        mtfs_status st = mtfs_scenario_load("scenarios/leics_2025_uncertainty.cfg", &s, &err);
        if (st != MTFS_OK) {
            clean &= st == MTFS_ENOMEM && s == NULL;
            continue;
        }
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.paths = 64;   /* allocations do not depend on the path count */
        o.threads = 1;
        mtfs_mc_result *r = NULL;
        st = mtfs_mc_run(s, &o, &r, &err);
        clean &= st == MTFS_OK ? r != NULL : st == MTFS_ENOMEM && r == NULL;
        mtfs_tornado *t = NULL;
        if (st == MTFS_OK) {
            st = mtfs_tornado_compute(s, &t, &err);
            clean &= st == MTFS_OK ? t != NULL : st == MTFS_ENOMEM && t == NULL;
        }
        mtfs_goalseek_result g;
        mtfs_goalseek_spec spec;
        memset(&spec, 0, sizeof spec);
        if (st == MTFS_OK) {
            mtfs_condition_parse("gap[2028] <= 0", &spec.target, &err);
            spec.lever = MTFS_LEVER_COUNCIL_TAX;
            st = mtfs_goalseek(s, &spec, &g, &err);
            clean &= st == MTFS_OK || st == MTFS_ENOMEM;
        }
        mtfs_sensitivity_row *rows = NULL;
        size_t count;
        double base;
        if (st == MTFS_OK) {
            st = mtfs_sensitivity_compute(s, &rows, &count, &base, &err);
            clean &= st == MTFS_OK ? rows != NULL : st == MTFS_ENOMEM && rows == NULL;
        }
        mtfs_batch *b = NULL;
        if (st == MTFS_OK) {
            b = mtfs_batch_new(&spec.target, 1);
            st = b ? mtfs_batch_run_file(b, "scenarios/leics_2025_central.cfg", &err) : MTFS_ENOMEM;
            clean &= st == MTFS_OK || st == MTFS_ENOMEM;
        }
        if (st == MTFS_OK)
            reached_success = 1;
        mtfs_batch_free(b);
        mtfs_sensitivity_free(rows);
        mtfs_tornado_free(t);
        mtfs_mc_result_free(r);
        mtfs_scenario_free(s);
    }
    mtfs_alloc_fail_after(0);
    CHECK(clean);
    CHECK(reached_success);
}

static mtfs_formula_result *formula(const char *path)
{
    mtfs_error err;
    mtfs_formula_result *r = NULL;
    if (mtfs_formula_run(path, &r, &err) != MTFS_OK) {
        char line[2400];
        printf("FAIL formula %s: %s\n", path, mtfs_error_format(&err, line, sizeof line));
        check_failed++;
    }
    return r;
}

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

static void test_brief(void)
{
    mtfs_scenario *s = load("tests/good/brief_mini.cfg"), *h = load("tests/good/hand.cfg");
    mtfs_brief *b = NULL;
    mtfs_error err;
    CHECK(s && mtfs_brief_compute(s, &b, &err) == MTFS_OK);
    if (b && h) {
        mtfs_projection *p = project(h);
        /* Per head (£): Alpha 50e6/100 = 500,000, Beta 80e6/200 = 400,000,
         * Delta 130e6/400 = 325,000; the groups (Old county is 2019-20, so
         * out) 350e6/1000 = 350,000.  At X's level: (pc_X - 500,000) x 100. */
        CHECK(b->n_rows == 6);
        CHECK_STR(b->rows[0].label, "Alpha, county");
        CHECK(b->rows[0].line == 2 && b->rows[1].line == 3);
        CHECK_HAND(b->rows[1].per_head, 400000.0);
        CHECK_HAND(b->rows[1].gain, -10.0);
        CHECK_HAND(b->rows[2].gain, -17.5);
        CHECK(b->rows[3].members == 4);
        CHECK_HAND(b->rows[3].per_head, 350000.0);
        CHECK_HAND(b->rows[3].gain, -15.0);
        /* Formulas: needs gives Alpha 38.5 (test_formula), Beta's level 40. */
        CHECK(b->n_formulas == 2);
        CHECK_HAND(b->formulas[0].change, -11.5);
        CHECK_HAND(b->formulas[1].change, -10.0);
        /* Cases, duplicates dropped: none, this scenario (-10), needs
         * (-11.5), Delta (-17.5), England (-15).  The 2026/27 gap moves by
         * 0.5 x -change x 1.02 x 1.03 (hand_reform.cfg). */
        CHECK(b->n_cases == 5);
        const double change[] = {0.0, -10.0, -11.5, -17.5, -15.0};
        for (size_t k = 0; k < 5 && k < b->n_cases; k++) {
            CHECK_HAND(b->cases[k].change, change[k]);
            CHECK_HAND(b->cases[k].gap[2], p->gap[2] - 0.5 * change[k] * 1.02 * 1.03);
            CHECK_HAND(b->cases[k].gap[1], p->gap[1]);
        }
        mtfs_projection_free(p);
    }
    mtfs_brief_free(b);
    /* A scenario without a fair_funding block has no brief. */
    b = NULL;
    CHECK(h && mtfs_brief_compute(h, &b, &err) == MTFS_EINPUT && b == NULL);
    mtfs_scenario_free(s);
    mtfs_scenario_free(h);
}

/* Chart inputs are checked before anything is drawn or written. */
static void test_plot_inputs(void)
{
    mtfs_error err;
    const char *path = "/tmp/mtfs-unit-never-written.png";
    remove(path);
    mtfs_bar bars[2] = {{"Alpha", 1.0, MTFS_BAR_HIGHLIGHT}, {"Kent", NAN, MTFS_BAR_NORMAL}};
    CHECK(mtfs_plot_bars(path, MTFS_PLOT_PNG, "t", "s", "£ a head", 2, bars, "", &err) == MTFS_ENUMERIC);
    CHECK_STR(err.message, "cannot draw the bar 'Kent': its value is not a finite number");
    CHECK(mtfs_plot_bars(path, MTFS_PLOT_PNG, "t", "s", "£ a head", 0, bars, "", &err) == MTFS_EINPUT);
    CHECK(mtfs_plot_bars(path, MTFS_PLOT_NONE, "t", "s", "£ a head", 0, bars, "", &err) == MTFS_OK);
    mtfs_formula_result *r = formula("tests/good/formula/needs.cfg");
    if (r) {
        CHECK(mtfs_plot_formula(path, MTFS_PLOT_PNG, r, 99, &err) == MTFS_EINPUT);
        r->final[1] = NAN;
        CHECK(mtfs_plot_formula(path, MTFS_PLOT_PNG, r, 0, &err) == MTFS_ENUMERIC);
        mtfs_formula_result_free(r);
    }
    CHECK(access(path, F_OK) != 0);   /* nothing was written */
}

/* Validation keeps every input in a sensible range, so nothing a scenario
 * file can say overflows; past validation (a library caller), an overflow
 * is an error naming the quantity and year, never a printed inf. */
static void test_overflow_is_an_error(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    s->services[0].base = 1e308;
    s->services[0].demand[1] = 0.5;
    mtfs_projection *p = mtfs_projection_alloc(s);
    mtfs_error err;
    CHECK(p && mtfs_project(s, p, &err) == MTFS_ENUMERIC);
    /* 1.5e308 is still finite in 2025/26; the running total overflows first. */
    CHECK_STR(err.message, "cumulative gap in 2026/27 is not a finite number (the inputs make it overflow)");
    CHECK(p && mtfs_project_totals(s, p, &err) == MTFS_ENUMERIC);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

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
    case 2: st = mtfs_json_write_run(f, s, p, err); break;
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

int main(void)
{
    test_hand();
    test_surplus_policy_none_minimum_share();
    test_flat_property();
    test_inheritance();
    test_errors();
    test_reproducible_and_referendum();
    test_central_calibration();
    test_covid();
    test_2020_and_2023_calibration();
    test_bridge();
    test_sensitivity_and_clone();
    test_conditions();
    test_distributions();
    test_mc_reproducible();
    test_ztables();
    test_tornado_and_goalseek();
    test_allocation_failures_analysis();
    test_formula();
    test_fair_funding();
    test_brief();
    test_plot_inputs();
    test_overflow_is_an_error();
    test_writers_refuse_nonfinite();
    test_uncertainty_writers_refuse_nonfinite();
    test_sha256();
    test_helpers();
    test_allocation_failures();
    return check_summary("unit");
}
