/*
 * plot_fixtures.h - what the chart-layout tests (test_plot_charts.c,
 * test_plot_rules.c) share: a page, and a small projection worked by hand.
 */
#ifndef MTFS_TEST_PLOT_FIXTURES_H
#define MTFS_TEST_PLOT_FIXTURES_H

#include "plot/session.h"

/* A PNG page (1200 x 900 design px) of the chart of `name` from test.cfg,
 * base year 2025/26, `horizon` years. */
chart test_page(const char *name, size_t horizon);

/* Three years from 2025/26: spending 100, 104, 108, 112; funding 99, 102,
 * 103, 104 (the chart draws it from spending's 100 in the base year);
 * gaps 0, 2, 5, 8; reserves 50 falling to 35, under the minimum of 40 in
 * 2028/29 (year index 3).  The projection points into the record's own
 * arrays, so keep the record where the projection is used. */
typedef struct {
    double expenditure[4], funding[4], gap[4], reserves[4], minimum[4];
    mtfs_projection p;
} hand_projection;

void hand_projection_init(hand_projection *h);

/* A Monte Carlo result of `paths` paths with seed 7 over `horizon` years,
 * holding only the chance of being below the minimum reserves by year
 * (p_below, horizon + 1 values); the caller adds what else it needs. */
mtfs_mc_result test_mc_result(size_t paths, size_t horizon, double *p_below);

#endif
