/*
 * sensitivity.c - one assumption moved at a time, on a private copy of the
 * scenario, and the change in the final-year gap.
 */
#include "mtfs/sensitivity.h"
#include "mtfs/projection.h"
#include "scenario_int.h"
#include "util.h"
#include "mtfs/inputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Each move is one registry input (mtfs/inputs.h) stepped in every year
 * of the projection and kept within the input's range.  `items` says which
 * of its group's items move together: all of them, each in turn (one row
 * per item), or the pay series alone / every series but pay.  The label is
 * the registry's, unless the move groups several inputs under a name of its
 * own; the key is what CSV and JSON call the row. */
typedef enum { ITEMS_ALL, ITEMS_EACH, ITEMS_PAY, ITEMS_NOT_PAY } items;

static const struct {
    const char *group, *input;
    items items;
    double step;
    const char *own_label;   /* NULL: the registry's label */
    const char *change;      /* appended to the label */
    const char *key;
} moves[] = {
    {"economy", "*", ITEMS_PAY, 0.01, "Pay awards", " +1 point a year", "pay"},
    {"economy", "*", ITEMS_NOT_PAY, 0.01, "Prices", " +1 point a year", "prices"},
    {"services", "demand", ITEMS_EACH, 0.01, NULL, " +1 point a year", "demand:"},
    {"council_tax", "core", ITEMS_ALL, 0.01, NULL, " +1 point a year", "council_tax"},
    {"council_tax", "taxbase_growth", ITEMS_ALL, 0.01, NULL, " +1 point a year", "taxbase"},
    {"services", "delivery", ITEMS_ALL, -0.10, NULL, " 10 points lower", "delivery"},
};
#define N_MOVES (sizeof moves / sizeof moves[0])

static int moves_item(const mtfs_scenario *s, size_t m, size_t item, size_t only)
{
    switch (moves[m].items) {
    case ITEMS_EACH: return item == only;
    case ITEMS_PAY: return item == s->pay;
    case ITEMS_NOT_PAY: return item != s->pay;
    case ITEMS_ALL:
    default: return 1;
    }
}

/* Apply move m to scenario c (a clone); `only` is the item of an
 * ITEMS_EACH move. */
static void apply(mtfs_scenario *c, const mtfs_input_def *d, size_t m, size_t only)
{
    double lo = d->range ? d->range->lo : -HUGE_VAL, hi = d->range ? d->range->hi : HUGE_VAL;
    for (size_t i = 0; i < mtfs_inputs_items(c, d); i++) {
        if (!moves_item(c, m, i, only))
            continue;
        double *v = mtfs_inputs_values(c, d, i);
        for (size_t t = 1; t <= c->horizon; t++)
            v[t] = fmin(fmax(v[t] + moves[m].step, lo), hi);
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
    size_t count = 0;
    for (size_t m = 0; m < N_MOVES; m++)
        count += moves[m].items == ITEMS_EACH
                     ? mtfs_inputs_items(s, mtfs_inputs_find(moves[m].group, moves[m].input))
                     : 1;
    mtfs_sensitivity_row *out = mtfs_calloc(count, sizeof *out);
    mtfs_projection *p = mtfs_projection_alloc(s);
    mtfs_status st = MTFS_OK;
    if (!out || !p)
        st = mtfs_error_oom(err, NULL);
    double base = 0.0;
    if (st == MTFS_OK)
        st = final_gap(s, p, &base, err);

    size_t k = 0;
    for (size_t m = 0; st == MTFS_OK && m < N_MOVES; m++) {
        const mtfs_input_def *d = mtfs_inputs_find(moves[m].group, moves[m].input);
        size_t repeats = moves[m].items == ITEMS_EACH ? mtfs_inputs_items(s, d) : 1;
        for (size_t i = 0; st == MTFS_OK && i < repeats; i++, k++) {
            mtfs_sensitivity_row *row = &out[k];
            /* A row per item names its item after the fixed text. */
            const char *item = moves[m].items == ITEMS_EACH ? mtfs_inputs_item_name(s, d, i) : "";
            char label[sizeof row->label];
            if (moves[m].own_label)
                snprintf(label, sizeof label, "%s", moves[m].own_label);
            else if (item[0])
                mtfs_inputs_label(d, item, label, sizeof label);
            else
                snprintf(label, sizeof label, "%s", d->label);
            snprintf(row->label, sizeof row->label, "%.120s%s", label, moves[m].change);
            snprintf(row->key, sizeof row->key, "%s%.80s", moves[m].key, item);
            mtfs_scenario *c = NULL;
            st = mtfs_scenario_clone(s, &c, err);
            if (st == MTFS_OK) {
                apply(c, d, m, i);
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
