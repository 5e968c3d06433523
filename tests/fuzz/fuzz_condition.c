/*
 * fuzz_condition.c - --fail-if / --target expressions: parsed, and when they
 * parse, evaluated against the central scenario's projection.
 */
#define FUZZ_OWN_INITIALIZE
#include "mtfs/mtfs.h"
#include "fuzz_common.h"

static mtfs_scenario *central;
static mtfs_projection *projection;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    mtfs_error err;
    if (mtfs_scenario_load("scenarios/leics_2025_central.cfg", &central, &err) != MTFS_OK ||
        !(projection = mtfs_projection_alloc(central)) ||
        mtfs_project(central, projection, &err) != MTFS_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[4096];
    if (size >= sizeof text)
        size = sizeof text - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    mtfs_error err;
    mtfs_condition c;
    if (mtfs_condition_parse(text, &c, &err) == MTFS_OK) {
        int holds;
        double actual;
        mtfs_condition_eval(&c, projection, &holds, &actual, &err);
    }
    return 0;
}
