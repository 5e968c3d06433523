/*
 * mtfs/mtfs.h - umbrella header of the mtfs library.
 *
 * mtfs projects an English council's Medium-Term Financial Strategy: its
 * spending, funding, the gap between them and its reserves, year by year,
 * from a libconfig scenario file.  See docs/model.md for the equations.
 */
#ifndef MTFS_MTFS_H
#define MTFS_MTFS_H

#include "mtfs/version.h"
#include "mtfs/error.h"
#include "mtfs/scenario.h"
#include "mtfs/year.h"
#include "mtfs/projection.h"
#include "mtfs/report.h"
#include "mtfs/input.h"
#include "mtfs/shipped.h"
#include "mtfs/output.h"
#include "mtfs/plot.h"
#include "mtfs/sha256.h"
#include "mtfs/bridge.h"
#include "mtfs/sensitivity.h"
#include "mtfs/condition.h"
#include "mtfs/batch.h"
#include "mtfs/batch_shard.h"
#include "mtfs/json.h"
#include "mtfs/xlsx.h"
#include "mtfs/montecarlo.h"
#include "mtfs/mc_shard.h"
#include "mtfs/tornado.h"
#include "mtfs/goalseek.h"
#include "mtfs/table.h"
#include "mtfs/formula.h"
#include "mtfs/sweep.h"
#include "mtfs/brief.h"
#include "mtfs/backtest.h"
#include "mtfs/resilience.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fault injection, for tests: the n-th library allocation from now fails
 * (0 turns it off).  Every caller must then see MTFS_ENOMEM, cleanly. */
void mtfs_alloc_fail_after(unsigned long n);

#ifdef __cplusplus
}
#endif
#endif
