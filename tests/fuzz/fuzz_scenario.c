/*
 * fuzz_scenario.c - the scenario loader (config parsing, inheritance,
 * validation, uncertainty, covid, fair_funding and brief blocks) and, for
 * inputs that load, a projection, a bridge and a clone; for those with an
 * uncertainty block, a small Monte Carlo run (so the correlation matrix
 * reaches the Cholesky factor and the copula, not only validation).
 * tests/fuzz/scenario.dict gives libFuzzer the keys and shapes of those
 * blocks.
 */
#include "mtfs/mtfs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size, "input.cfg");
    mtfs_error err;
    mtfs_scenario *s = NULL;
    if (mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
        char line[2400];
        mtfs_error_format(&err, line, sizeof line);   /* the message must be formattable */
        return 0;
    }
    mtfs_projection *p = mtfs_projection_alloc(s);
    if (p && mtfs_project(s, p, &err) == MTFS_OK) {
        mtfs_bridge b;
        mtfs_bridge_compute(s, p, mtfs_scenario_horizon(s), &b, &err);
    }
    mtfs_projection_free(p);
    {   /* refused at once without an uncertainty block */
        mtfs_mc_options o;
        memset(&o, 0, sizeof o);
        o.paths = 64;
        o.threads = 1;
        mtfs_mc_result *r = NULL;
        if (mtfs_mc_run(s, &o, &r, &err) == MTFS_OK)
            mtfs_mc_result_free(r);
    }
    mtfs_scenario *c = NULL;
    if (mtfs_scenario_clone(s, &c, &err) == MTFS_OK)
        mtfs_scenario_free(c);
    mtfs_scenario_free(s);
    return 0;
}
