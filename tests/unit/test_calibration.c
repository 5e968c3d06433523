/*
 * test_calibration.c - the shipped Leicestershire scenarios reproduce the
 * published figures they were calibrated to (docs/calibration.md).
 */
#include "check.h"
#include "fixtures.h"

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

void suite_calibration(void)
{
    test_central_calibration();
    test_2020_and_2023_calibration();
}
