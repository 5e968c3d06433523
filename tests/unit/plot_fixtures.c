/*
 * plot_fixtures.c - the chart-layout tests' page and hand-worked
 * projection (see plot_fixtures.h).
 */
#include "plot_fixtures.h"

#include <string.h>

chart test_page(const char *name, size_t horizon)
{
    chart c;
    memset(&c, 0, sizeof c);
    c.k = 1.0;
    c.design_h = 900.0;
    c.name = name;
    c.file = "test.cfg";
    plot_page_years(&c, 2025, horizon);
    return c;
}

void hand_projection_init(hand_projection *h)
{
    static const hand_projection hand = {
        .expenditure = {100.0, 104.0, 108.0, 112.0},
        .funding = {99.0, 102.0, 103.0, 104.0},
        .gap = {0.0, 2.0, 5.0, 8.0},
        .reserves = {50.0, 48.0, 43.0, 35.0},
        .minimum = {40.0, 40.0, 40.0, 40.0},
    };
    *h = hand;
    h->p.horizon = 3;
    h->p.expenditure = h->expenditure;
    h->p.funding = h->funding;
    h->p.gap = h->gap;
    h->p.reserves = h->reserves;
    h->p.minimum_reserves = h->minimum;
    h->p.below_minimum_index = 3;
}

mtfs_mc_result test_mc_result(size_t paths, size_t horizon, double *p_below)
{
    mtfs_mc_result r;
    memset(&r, 0, sizeof r);
    r.paths = paths;
    r.horizon = horizon;
    r.seed = 7;
    r.p_below_minimum = p_below;
    return r;
}
