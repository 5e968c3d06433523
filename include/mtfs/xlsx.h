/*
 * mtfs/xlsx.h - an Excel workbook of one run (the only module that uses
 * libxlsxwriter).
 */
#ifndef MTFS_XLSX_H
#define MTFS_XLSX_H

#include "mtfs/bridge.h"
#include "mtfs/error.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write the workbook `path` with sheets Summary (the projection table and
 * where it came from), Services, Funding, Bridge and Inputs (every input of
 * the scenario by year).  Money in £m with one decimal, rates as
 * percentages, header rows frozen.  Written to a temporary file and renamed
 * into place. */
mtfs_status mtfs_xlsx_write(const char *path, const mtfs_scenario *s, const mtfs_projection *p,
                            const mtfs_bridge *bridge, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
