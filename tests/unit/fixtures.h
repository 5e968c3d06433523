/*
 * fixtures.h - what several unit-test files share: loading a scenario,
 * projecting it and running a formula, each counting a failure (with the
 * engine's message) in the harness instead of returning silently.
 */
#ifndef MTFS_TEST_FIXTURES_H
#define MTFS_TEST_FIXTURES_H

#include "mtfs/mtfs.h"

/* The scenario at path (relative to the repository root), or NULL after
 * printing "FAIL loading PATH: message" and counting a failure. */
mtfs_scenario *load(const char *path);

/* A new projection of s (never NULL unless allocation fails); a failed
 * projection is printed and counted.  The caller frees it. */
mtfs_projection *project(const mtfs_scenario *s);

/* The result of the formula file at path, or NULL after printing and
 * counting the failure.  The caller frees it. */
mtfs_formula_result *formula(const char *path);

#endif
