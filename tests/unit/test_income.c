/*
 * test_income.c - a service's gross spending and income (docs/model.md
 * section 1, scenario_load.c's income block) against values worked by hand
 * from tests/good/hand_income.cfg, and the income block's rules.
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

#include <string.h>

static void test_hand_income(void)
{
    mtfs_scenario *s = load("tests/good/hand_income.cfg");
    mtfs_scenario *plain = load("tests/good/hand.cfg");
    if (!s || !plain) {
        mtfs_scenario_free(s);
        mtfs_scenario_free(plain);
        return;
    }
    mtfs_projection *p = project(s), *q = project(plain);
    /* The recurrence runs on gross exactly as without income:
     * R_a(1) = 106.09, R_a(2) = 114.0972445, R_b(1) = 52.8, R_b(2) = 55.968. */
    for (size_t i = 0; i < 2; i++)
        for (size_t t = 0; t <= 2; t++)
            CHECK_HAND(MTFS_AT(p, service_recurring, i, t), MTFS_AT(q, service_recurring, i, t));
    /* Income of a grows at cpi (the default): I_a(1) = 40 * 1.02 = 40.8,
     * I_a(2) = 40.8 * 1.03 = 42.024.  Income of b at 10%: 11, 12.1. */
    CHECK_HAND(MTFS_AT(p, service_income, 0, 0), 40.0);
    CHECK_HAND(MTFS_AT(p, service_income, 0, 1), 40.8);
    CHECK_HAND(MTFS_AT(p, service_income, 0, 2), 42.024);
    CHECK_HAND(MTFS_AT(p, service_income, 1, 1), 11.0);
    CHECK_HAND(MTFS_AT(p, service_income, 1, 2), 12.1);
    /* E_a(1) = 106.09 - 40.8 = 65.29; E_a(2) = 114.0972445 - 42.024 + one-off 3
     * = 75.0732445; gross a(2) = 114.0972445 + 3 = 117.0972445. */
    CHECK_HAND(MTFS_AT(p, service_spending, 0, 1), 65.29);
    CHECK_HAND(MTFS_AT(p, service_spending, 0, 2), 75.0732445);
    CHECK_HAND(MTFS_AT(p, service_gross, 0, 2), 117.0972445);
    /* E_b(1) = 52.8 - 11 = 41.8; E_b(2) = 55.968 - 12.1 = 43.868. */
    CHECK_HAND(MTFS_AT(p, service_spending, 1, 1), 41.8);
    CHECK_HAND(MTFS_AT(p, service_spending, 1, 2), 43.868);
    /* E(0) = (100 - 40) + (50 - 10) = 100: the net base; E(1) = 65.29 + 41.8
     * + contingency 1 = 108.09; E(2) = 75.0732445 + 43.868 + 1 = 119.9412445. */
    CHECK_HAND(p->expenditure[0], 100.0);
    CHECK_HAND(p->expenditure[1], 108.09);
    CHECK_HAND(p->expenditure[2], 119.9412445);
    /* Without an income block: income 0, gross = net spending. */
    for (size_t t = 0; t <= 2; t++) {
        CHECK(MTFS_AT(q, service_income, 0, t) == 0.0);
        CHECK(MTFS_AT(q, service_gross, 0, t) == MTFS_AT(q, service_spending, 0, t));
    }
    /* The totals-only projection agrees to the last bit. */
    mtfs_projection *r = mtfs_projection_alloc(s);
    mtfs_error err;
    if (r && mtfs_project_totals(s, r, &err) == MTFS_OK)
        for (size_t t = 0; t <= 2; t++)
            CHECK(r->gap[t] == p->gap[t] && r->expenditure[t] == p->expenditure[t]);
    else
        CHECK(!"totals-only projection failed");
    /* A clone keeps the income and its own copy of the growth. */
    mtfs_scenario *c = NULL;
    if (mtfs_scenario_clone(s, &c, &err) == MTFS_OK) {
        CHECK(c->services[1].has_income && c->services[1].income_base == 10.0);
        CHECK(c->services[1].income_growth != s->services[1].income_growth);
        CHECK(c->services[1].income_growth[2] == 0.1);
        CHECK(c->services[0].income_growth[2] == 0.03);
        mtfs_scenario_free(c);
    } else {
        CHECK(!"clone failed");
    }
    mtfs_projection_free(r);
    mtfs_projection_free(p);
    mtfs_projection_free(q);
    mtfs_scenario_free(s);
    mtfs_scenario_free(plain);
}

static void test_registry(void)
{
    /* The income inputs are registry rows, with paths and labels per
     * service. */
    const mtfs_input_def *base = mtfs_inputs_find("services.income", "base");
    const mtfs_input_def *growth = mtfs_inputs_find("services.income", "growth");
    CHECK(base && growth && mtfs_inputs_find("services", "income"));
    if (!base || !growth)
        return;
    char buf[128];
    CHECK_STR(mtfs_inputs_path(base, "adults", buf, sizeof buf), "services.adults.income.base");
    CHECK_STR(mtfs_inputs_path(growth, "adults", buf, sizeof buf), "services.adults.income.growth");
    CHECK_STR(mtfs_inputs_label(growth, "adults", buf, sizeof buf), "Income growth, adults");
    CHECK(base->range == &mtfs_range_money_nonneg && growth->range == &mtfs_range_rate);
    CHECK(base->unit == MTFS_UNIT_MONEY && growth->kind == MTFS_INPUT_SERIES);
}

/* The workbook's Inputs sheet lists a service's income rows after its own,
 * only for a service with an income block. */
static void test_inputs_sheet(void)
{
    mtfs_scenario *s = load("tests/good/hand_income.cfg");
    mtfs_scenario *plain = load("tests/good/hand.cfg");
    if (s && plain) {
        /* Two services with income, two rows each. */
        CHECK(mtfs_scenario_input_count(s) == mtfs_scenario_input_count(plain) + 4);
        size_t found = 0;
        for (size_t i = 0; i < mtfs_scenario_input_count(s); i++) {
            mtfs_scenario_input in;
            mtfs_scenario_input_at(s, i, &in);
            if (strcmp(in.label, "services.b.income.base (£m, base year)") == 0) {
                CHECK(in.kind == MTFS_INPUT_SCALAR && in.value == 10.0);
                found++;
            }
            if (strcmp(in.label, "services.a.income.growth") == 0) {
                CHECK(in.kind == MTFS_INPUT_SERIES && in.series[2] == 0.03);
                found++;
            }
        }
        CHECK(found == 2);
    }
    mtfs_scenario_free(s);
    mtfs_scenario_free(plain);
}

void suite_income(void)
{
    test_hand_income();
    test_registry();
    test_inputs_sheet();
}
