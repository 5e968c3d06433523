/*
 * test_inputs.c - the registry of scenario inputs (mtfs/inputs.h): its rows
 * are consistent, and it drives the loader, the clone, the uncertainty
 * paths and the Inputs sheet of a loaded scenario.
 */
#include "mtfs/inputs.h"
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

/* Every row: a key once in its group; numbers have a range; a row on the
 * Inputs sheet or that may be uncertain is a number or a series (or the
 * price index's text); every row has a label. */
static void test_rows(void)
{
    size_t n = mtfs_inputs_count();
    CHECK(n > 40);
    CHECK(mtfs_inputs_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const mtfs_input_def *d = mtfs_inputs_at(i);
        CHECK(d->label && d->label[0]);
        CHECK(mtfs_inputs_find(d->group, d->key) == d);
        /* A group's rows are contiguous: the group's range holds the row. */
        size_t count;
        const mtfs_input_def *rows = mtfs_inputs_group(d->group, &count);
        CHECK(rows && d >= rows && d < rows + count);
        int number = d->kind == MTFS_INPUT_SERIES || d->kind == MTFS_INPUT_SCALAR;
        CHECK(!number || d->range);
        if (d->flags & MTFS_INPUTS_UNCERTAIN)
            CHECK(number);
        if (d->sheet_note)
            CHECK(number || d->kind == MTFS_INPUT_TEXT);
        if (number && !(d->flags & MTFS_INPUTS_REQUIRED) && d->fallback >= d->range->lo)
            CHECK(d->fallback <= d->range->hi);
    }
    CHECK(mtfs_inputs_find("council_tax", "nope") == NULL);
    CHECK(mtfs_inputs_find("nope", "nope") == NULL);
    size_t count = 99;
    CHECK(mtfs_inputs_group("nope", &count) == NULL && count == 0);
    const mtfs_input_def *income = mtfs_inputs_group("services.income", &count);
    CHECK(income && count == 2 && strcmp(income->group, "services.income") == 0);
    const mtfs_input_def *delivery = mtfs_inputs_find("services", "delivery");
    CHECK(delivery && delivery->fallback == 1.0 && delivery->range == &mtfs_range_share);
    char path[128];
    CHECK_STR(mtfs_inputs_path(delivery, "adults", path, sizeof path), "services.adults.delivery");
    CHECK_STR(mtfs_inputs_path(mtfs_inputs_find("", "contingency"), "", path, sizeof path), "contingency");
    CHECK_STR(mtfs_inputs_path(mtfs_inputs_find("economy", "*"), "cpi", path, sizeof path), "economy.cpi");
    CHECK_STR(mtfs_inputs_path(mtfs_inputs_find("reserves", "opening"), "", path, sizeof path),
              "reserves.opening");
    /* Labels for people, as tornado and sensitivity rows show them. */
    CHECK_STR(mtfs_inputs_label(delivery, "adults", path, sizeof path), "Savings delivered, adults");
    CHECK_STR(mtfs_inputs_label(mtfs_inputs_find("council_tax", "taxbase_growth"), "", path, sizeof path),
              "Tax-base growth");
    CHECK_STR(mtfs_inputs_label(mtfs_inputs_find("grants", "amount"), "rsg", path, sizeof path),
              "Grant, rsg");
}

/* A loaded scenario's values are where the registry says, a clone's
 * series are its own, and the Inputs sheet lists the registry's rows. */
static void test_scenario(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    const mtfs_input_def *core = mtfs_inputs_find("council_tax", "core");
    CHECK(mtfs_inputs_values(s, core, 0) == s->ct_core);
    const mtfs_input_def *base = mtfs_inputs_find("services", "base");
    CHECK(mtfs_inputs_values(s, base, 1) == &s->services[1].base);
    CHECK(mtfs_inputs_items(s, base) == s->n_services);

    mtfs_error err;
    mtfs_scenario *c = NULL;
    CHECK(mtfs_scenario_clone(s, &c, &err) == MTFS_OK);
    for (size_t r = 0; c && r < mtfs_inputs_count(); r++) {
        const mtfs_input_def *d = mtfs_inputs_at(r);
        for (size_t i = 0; d->kind == MTFS_INPUT_SERIES && i < mtfs_inputs_items(s, d); i++) {
            double *a = mtfs_inputs_values(s, d, i), *b = mtfs_inputs_values(c, d, i);
            CHECK((a == NULL) == (b == NULL));
            CHECK(!a || a != b);
            CHECK(!a || memcmp(a, b, (s->horizon + 1) * sizeof *a) == 0);
        }
    }
    mtfs_scenario_free(c);

    size_t rows = mtfs_scenario_input_count(s), sheet_rows = 0;
    for (size_t r = 0; r < mtfs_inputs_count(); r++) {
        const mtfs_input_def *d = mtfs_inputs_at(r);
        if (d->sheet_note)
            sheet_rows += strcmp(d->group, "economy") == 0           ? s->n_economy
                          : strcmp(d->group, "services") == 0        ? s->n_services
                          : strcmp(d->group, "services.income") == 0 ? 0   /* hand.cfg has no income */
                                                                     : 1;
    }
    CHECK(rows == sheet_rows);
    mtfs_scenario_input in;
    mtfs_scenario_input_at(s, 0, &in);
    CHECK_STR(in.label, "economy.cpi");
    mtfs_scenario_input_at(s, rows - 1, &in);
    CHECK_STR(in.label, "reserves.opening (£m)");
    CHECK(in.kind == MTFS_INPUT_SCALAR && in.value == s->reserves_opening);
    mtfs_scenario_free(s);
}

/* The public read-only view (mtfs_inputs_numbers, for mtfs serve): a
 * series from year 1, a number, a listed grant as its years, a grant
 * without a rate none; items named as in a file. */
static void test_numbers(void)
{
    mtfs_scenario *s = load("tests/good/hand.cfg");
    if (!s)
        return;
    size_t n = 99;
    const mtfs_input_def *demand = mtfs_inputs_find("services", "demand");
    const double *v = mtfs_inputs_numbers(s, demand, 0, &n);
    CHECK(n == 2 && v == s->services[0].demand + 1 && v[0] == 0.03 && v[1] == 0.03);
    CHECK_STR(mtfs_inputs_item(s, demand, 1), "b");
    const mtfs_input_def *amount = mtfs_inputs_find("grants", "amount");
    CHECK(mtfs_inputs_item_count(s, amount) == 4);
    CHECK_STR(mtfs_inputs_item(s, amount, 3), "list");
    v = mtfs_inputs_numbers(s, amount, 0, &n);
    CHECK(n == 1 && v && v[0] == 5.0);
    v = mtfs_inputs_numbers(s, amount, 3, &n);
    CHECK(n == 2 && v && v[0] == 1.0 && v[1] == 2.0);
    const mtfs_input_def *rate = mtfs_inputs_find("grants", "rate");
    v = mtfs_inputs_numbers(s, rate, 2, &n);
    CHECK(n == 2 && v && v[0] == 0.1 && v[1] == 0.1);
    v = mtfs_inputs_numbers(s, rate, 0, &n);
    CHECK(v == NULL && n == 0);
    v = mtfs_inputs_numbers(s, mtfs_inputs_find("", "base_year"), 0, &n);
    CHECK(v == NULL && n == 0);
    CHECK(mtfs_inputs_item_count(s, mtfs_inputs_find("reserves", "opening")) == 1);
    CHECK(mtfs_scenario_dsg_override_end(s) == 0);
    /* mtfs serve names its what-if file in charts and workbooks. */
    mtfs_error err;
    CHECK(mtfs_scenario_show_file_as(s, 0, "(request)", &err) == MTFS_OK);
    CHECK_STR(mtfs_scenario_file(s, 0), "(request)");
    mtfs_scenario_free(s);
}

void suite_inputs(void)
{
    test_rows();
    test_scenario();
    test_numbers();
}
