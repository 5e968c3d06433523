/*
 * tornado.c - one uncertain input at a time at its 10th and 90th
 * percentile, everything else deterministic (see mtfs/tornado.h).
 *
 * A series input is set to the same percentile in every year: the question
 * is "what if this assumption is persistently low (or high)".
 */
#include "mtfs/tornado.h"
#include "mtfs/projection.h"
#include "dist.h"
#include "scenario_int.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set input u of clone c to its q-quantile (central values from s). */
static double set_quantile(mtfs_scenario *c, const mtfs_scenario *s, const mtfs_uncertain *u,
                           double q)
{
    double x = mtfs_dist_quantile(u, q);
    const double *central = mtfs_target_values((mtfs_scenario *)s, u);
    double *target = mtfs_target_values(c, u);
    if (!u->series) {
        *target = mtfs_uncertain_apply(u, *central, x);
        return *target;
    }
    for (size_t t = 1; t <= s->horizon; t++)
        target[t] = mtfs_uncertain_apply(u, central[t], x);
    return target[1];
}

static void restore(mtfs_scenario *c, const mtfs_scenario *s, const mtfs_uncertain *u)
{
    const double *central = mtfs_target_values((mtfs_scenario *)s, u);
    double *target = mtfs_target_values(c, u);
    if (!u->series)
        *target = *central;
    else
        memcpy(target, central, (s->horizon + 1) * sizeof *target);
}

static int by_swing(const void *a, const void *b)
{
    const mtfs_tornado_row *x = a, *y = b;
    if (x->swing != y->swing)
        return x->swing < y->swing ? 1 : -1;
    return strcmp(x->key, y->key);   /* ties in a fixed order */
}

void mtfs_tornado_free(mtfs_tornado *t)
{
    if (!t)
        return;
    mtfs_free(t->rows);
    mtfs_free(t);
}

mtfs_status mtfs_tornado_compute(const mtfs_scenario *s, mtfs_tornado **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_dist_init();
    if (s->n_uncertain == 0)
        return mtfs_error_set(err, MTFS_EINPUT, s->files[0], 0, NULL,
                              "has no uncertainty block (expected uncertainty = { parameters = "
                              "( ... ); }; see docs/uncertainty.md)");
    mtfs_tornado *t = mtfs_calloc(1, sizeof *t);
    mtfs_scenario *c = NULL;
    mtfs_projection *p = NULL;
    mtfs_status st = t ? mtfs_scenario_clone(s, &c, err)
                       : mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == MTFS_OK && (!(p = mtfs_projection_alloc(s)) ||
                          !(t->rows = mtfs_calloc(s->n_uncertain, sizeof *t->rows))))
        st = mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st == MTFS_OK && (st = mtfs_project(s, p, err)) == MTFS_OK) {
        t->base_gap = p->gap[s->horizon];
        t->final_year = s->base_year + (int)s->horizon;
    }
    for (size_t k = 0; st == MTFS_OK && k < s->n_uncertain; k++) {
        const mtfs_uncertain *u = &s->uncertain[k];
        mtfs_tornado_row *row = &t->rows[k];
        snprintf(row->key, sizeof row->key, "%s", u->key);
        mtfs_inputs_label(u->input, mtfs_inputs_item_name(s, u->input, u->item), row->label,
                          sizeof row->label);
        row->unit = u->input->unit;
        row->low_value = set_quantile(c, s, u, 0.10);
        if ((st = mtfs_project(c, p, err)) != MTFS_OK)
            break;
        row->low_gap = p->gap[s->horizon];
        row->high_value = set_quantile(c, s, u, 0.90);
        if ((st = mtfs_project(c, p, err)) != MTFS_OK)
            break;
        row->high_gap = p->gap[s->horizon];
        row->swing = fabs(row->high_gap - row->low_gap);
        restore(c, s, u);
        t->n++;
    }
    mtfs_projection_free(p);
    mtfs_scenario_free(c);
    if (st != MTFS_OK) {
        mtfs_tornado_free(t);
        return st;
    }
    qsort(t->rows, t->n, sizeof *t->rows, by_swing);
    *out = t;
    return MTFS_OK;
}
