/*
 * fuzz_formula.c - the formula loader and allocation: a formula file naming
 * the shipped data (data = "../data/authorities.csv") or the small test table
 * (data = "formula/../../data/mini.csv" style paths also resolve).
 */
#include "mtfs/mtfs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size, "input_formula.cfg");
    mtfs_error err;
    mtfs_formula_result *r = NULL;
    if (mtfs_formula_run(path, &r, &err) == MTFS_OK) {
        /* Reweight with equal weights: the allocation path without I/O. */
        double w[64];
        if (r->n_blocks > 0 && r->n_blocks <= 64) {
            for (size_t b = 0; b < r->n_blocks; b++)
                w[b] = 1.0 / (double)r->n_blocks;
            mtfs_formula_reweight(r, w, &err);
        }
        mtfs_formula_find(r, "E10000018");
    }
    mtfs_formula_result_free(r);
    return 0;
}
