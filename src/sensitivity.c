/*
 * sensitivity.c - one assumption moved at a time, on a private copy of the
 * scenario, and the change in the final-year gap.
 */
#include "mtfs/sensitivity.h"
#include "mtfs/projection.h"
#include "scenario_int.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

typedef enum { MOVE_PAY, MOVE_PRICES, MOVE_DEMAND, MOVE_COUNCIL_TAX, MOVE_TAXBASE, MOVE_DELIVERY } move;

/* What each row is called in tables (label) and in CSV and JSON (key). */
static const struct {
    const char *label;
    const char *key;
} moves[] = {
    [MOVE_PAY] = {"Pay awards +1 point a year", "pay"},
    [MOVE_PRICES] = {"Prices +1 point a year", "prices"},
    [MOVE_DEMAND] = {"Demand +1 point a year: ", "demand:"},
    [MOVE_COUNCIL_TAX] = {"Council tax +1 point a year", "council_tax"},
    [MOVE_TAXBASE] = {"Tax-base growth +1 point a year", "taxbase"},
    [MOVE_DELIVERY] = {"Savings delivery 10 points lower", "delivery"},
};

static void add_to(double *series, size_t T, double delta)
{
    for (size_t t = 1; t <= T; t++)
        series[t] += delta;
}

/* Apply one move to scenario c (a clone). */
static void apply(mtfs_scenario *c, move m, size_t service)
{
    size_t T = c->horizon;
    switch (m) {
    case MOVE_PAY: add_to(c->economy[c->pay].values, T, 0.01); break;
    case MOVE_PRICES:
        for (size_t i = 0; i < c->n_economy; i++)
            if (i != c->pay)
                add_to(c->economy[i].values, T, 0.01);
        break;
    case MOVE_DEMAND: add_to(c->services[service].demand, T, 0.01); break;
    case MOVE_COUNCIL_TAX: add_to(c->ct_core, T, 0.01); break;
    case MOVE_TAXBASE: add_to(c->taxbase_growth, T, 0.01); break;
    case MOVE_DELIVERY:
        for (size_t i = 0; i < c->n_services; i++)
            for (size_t t = 1; t <= T; t++)
                c->services[i].delivery[t] =
                    c->services[i].delivery[t] > 0.1 ? c->services[i].delivery[t] - 0.1 : 0.0;
        break;
    }
}

static mtfs_status final_gap(const mtfs_scenario *s, mtfs_projection *p, double *gap, mtfs_error *err)
{
    mtfs_status st = mtfs_project(s, p, err);
    if (st == MTFS_OK)
        *gap = p->gap[p->horizon];
    return st;
}

mtfs_status mtfs_sensitivity_compute(const mtfs_scenario *s, mtfs_sensitivity_row **rows, size_t *n,
                                     double *base_final_gap, mtfs_error *err)
{
    *rows = NULL;
    *n = 0;
    size_t count = 5 + s->n_services;
    mtfs_sensitivity_row *out = mtfs_calloc(count, sizeof *out);
    mtfs_projection *p = mtfs_projection_alloc(s);
    mtfs_status st = MTFS_OK;
    if (!out || !p)
        st = mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    double base = 0.0;
    if (st == MTFS_OK)
        st = final_gap(s, p, &base, err);

    size_t k = 0;
    for (int m = MOVE_PAY; st == MTFS_OK && m <= MOVE_DELIVERY; m++) {
        size_t repeats = m == MOVE_DEMAND ? s->n_services : 1;
        for (size_t i = 0; st == MTFS_OK && i < repeats; i++, k++) {
            mtfs_sensitivity_row *row = &out[k];
            /* The demand rows name their service after the fixed text. */
            const char *service = m == MOVE_DEMAND ? s->services[i].name : "";
            snprintf(row->label, sizeof row->label, "%s%.100s", moves[m].label, service);
            snprintf(row->key, sizeof row->key, "%s%.80s", moves[m].key, service);
            mtfs_scenario *c = NULL;
            st = mtfs_scenario_clone(s, &c, err);
            if (st == MTFS_OK) {
                apply(c, (move)m, i);
                st = final_gap(c, p, &row->final_gap, err);
                row->change = row->final_gap - base;
            }
            mtfs_scenario_free(c);
        }
    }
    mtfs_projection_free(p);
    if (st != MTFS_OK) {
        mtfs_free(out);
        return st;
    }
    *rows = out;
    *n = k;
    *base_final_gap = base;
    return MTFS_OK;
}

void mtfs_sensitivity_free(mtfs_sensitivity_row *rows) { mtfs_free(rows); }
