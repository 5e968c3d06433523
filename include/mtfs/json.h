/*
 * mtfs/json.h - JSON output (the only module that uses jansson).
 *
 * Numbers are written with 17 significant digits so they read back exactly,
 * keys in a fixed order, and no wall-clock time: the same inputs give the
 * same bytes.  Provenance (engine version, files and their SHA-256, seed) is
 * in every document.
 */
#ifndef MTFS_JSON_H
#define MTFS_JSON_H

#include <stdio.h>
#include <time.h>
#include "mtfs/batch.h"
#include "mtfs/bridge.h"
#include "mtfs/error.h"
#include "mtfs/montecarlo.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A run: provenance, one object per year with every column of the data
 * view (mtfs/columns.h, the CSV's columns), per-service results and
 * `bridge`, the gap bridge to the final year (mtfs_bridge_compute with
 * t = horizon), as the workbook is given it. */
mtfs_status mtfs_json_write_projection(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                       const mtfs_bridge *bridge, mtfs_error *err);

/* A batch summary: the conditions, and one object per scenario. */
mtfs_status mtfs_json_write_batch(FILE *out, const mtfs_batch *b, mtfs_error *err);

/* Monte Carlo results: provenance with seed and paths (never the thread
 * count, which cannot change a number), and per year the deterministic
 * value, mean and percentiles of gap, cumulative gap and reserves, and the
 * probabilities. */
mtfs_status mtfs_json_write_mc(FILE *out, const mtfs_scenario *s, const mtfs_mc_result *r,
                               mtfs_error *err);

/* The metadata sidecar of a run (<id>.meta.json): engine, version, command,
 * scenario name and id, seed (null), the time it was made ("created", UTC,
 * from `when`) and every input file with its SHA-256. */
mtfs_status mtfs_json_write_metadata(FILE *out, const mtfs_scenario *s, const char *command,
                                     time_t when, mtfs_error *err);

/* Any command's CSV table (csv, len bytes, as the report writers print
 * it) as JSON: {"metadata": {engine, version, command, seed: null,
 * files: [{path, sha256}]}, "columns": [...], "rows": [{column: value}]},
 * a cell that is a number as a number (exactly: the CSV has "%.17g"), an
 * empty cell as null, other text as a string.  `inputs` are the files the
 * command read, hashed into the metadata (a directory gets a null hash).
 * So every command that writes CSV also writes JSON, with the same
 * columns under the same names. */
/* The JSON a machine reader gets on standard output when a command asked
 * for --format json fails before it has any result: the metadata (engine,
 * version, command), "exit_code" and "errors", each problem's one-line
 * message as it was printed on standard error. */
mtfs_status mtfs_json_write_errors(FILE *out, const char *command, int exit_code,
                                   const char *const *messages, size_t n, mtfs_error *err);

mtfs_status mtfs_json_write_rows(FILE *out, const char *command, const char *const *inputs,
                                 size_t n_inputs, const char *csv, size_t len, mtfs_error *err);
/* The same with a second table (csv2, len2 bytes) as a further section:
 * "<section>": {"columns": [...], "rows": [...]} after "rows" (compare's
 * "bridge"). */
mtfs_status mtfs_json_write_rows_and(FILE *out, const char *command, const char *const *inputs,
                                     size_t n_inputs, const char *csv, size_t len, const char *section,
                                     const char *csv2, size_t len2, mtfs_error *err);
/* The same as mtfs_json_write_rows for a seeded command: the metadata's
 * "seed" is `seed` and keys[k] holds values[k] (mtfs sweep's paths,
 * steps and spread), the first n_whole as whole numbers. */
mtfs_status mtfs_json_write_rows_seeded(FILE *out, const char *command, const char *const *inputs,
                                        size_t n_inputs, const char *csv, size_t len,
                                        unsigned long seed, const char *const *keys,
                                        const double *values, size_t n_values, size_t n_whole,
                                        mtfs_error *err);

/* Write JSON text (len bytes, as jansson dumps it with 17 digits) to out
 * with every real number in the form this module's documents have:
 * exact, shortest, never -0; then a newline.  For a caller's own documents
 * (mtfs serve's replies). */
mtfs_status mtfs_json_write_exact(FILE *out, const char *text, size_t len, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
