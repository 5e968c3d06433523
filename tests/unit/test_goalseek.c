/*
 * test_goalseek.c - goal seek (goalseek.c) by hand on tests/good/hand.cfg:
 * a saving, a council-tax rise, a target already met, bad targets and levers.
 */
#include "check.h"
#include "fixtures.h"

static void test_goalseek(void)
{
    mtfs_error err;
    mtfs_scenario *s = load("tests/good/hand.cfg");
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
    CHECK_HAND(r.lever_max, 0.5);
    /* A cut to service b is at most its budget: R_b(1) = 50 * (1 + 0.2 * 0.04 + 0.8 * (0.5 *
     * 0.10 + 0.5 * 0.02)) = 52.8, the same share of it every year after; all of it off
     * gap(2026/27) = 46.45228368 takes R_b(2) = 52.8 * (1 + 0.008 + 0.8 * 0.065) = 55.968
     * off, leaving -9.51571632, which does not meet a target of -20. */
    CHECK(mtfs_condition_parse("gap[2026] <= -20", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek_parse_lever("savings:b", &spec, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_OK);
    CHECK(!r.met && !r.already_met);
    CHECK_CLOSE(r.lever_max, 52.8, 1e-12, 0.0);
    CHECK_CLOSE(r.lever_value, 52.8, 1e-12, 0.0);
    CHECK(r.bound_year == 2025);
    CHECK_CLOSE(r.after, 46.45228368 - 55.968, 0.0, 1e-8);
    /* Bad targets and levers */
    CHECK(mtfs_condition_parse("below_minimum_year <= 2026", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_EINPUT);
    CHECK(mtfs_goalseek_parse_lever("rates", &spec, &err) == MTFS_EINPUT);
    CHECK_STR(err.message, "unknown lever 'rates' (expected council_tax, savings or savings:SERVICE)");
    CHECK(mtfs_goalseek_parse_lever("savings:nobody", &spec, &err) == MTFS_OK);
    CHECK(mtfs_condition_parse("gap[2026] <= 0", &spec.target, &err) == MTFS_OK);
    CHECK(mtfs_goalseek(s, &spec, &r, &err) == MTFS_EINPUT);
    mtfs_scenario_free(s);
}

void suite_goalseek(void)
{
    test_goalseek();
}
