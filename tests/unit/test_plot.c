/*
 * test_plot.c - chart inputs (plot.c) are checked before anything is drawn
 * or written.
 */
#include "check.h"
#include "fixtures.h"

#include <unistd.h>

/* Chart inputs are checked before anything is drawn or written. */
static void test_plot_inputs(void)
{
    mtfs_error err;
    const char *path = "/tmp/mtfs-unit-never-written.png";
    remove(path);
    mtfs_bar bars[2] = {{"Alpha", 1.0, MTFS_BAR_HIGHLIGHT, NULL}, {"Kent", NAN, MTFS_BAR_NORMAL, NULL}};
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

void suite_plot(void)
{
    test_plot_inputs();
}
