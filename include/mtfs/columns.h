/*
 * mtfs/columns.h - the projection's output columns, declared once.
 *
 * Every by-year quantity a run writes is one row of one registry (columns.c):
 * its key (the CSV and JSON name), its label (the table's and workbook's
 * words), its unit, where its values live in mtfs_projection, which views
 * show it and, for the series the run chart draws, the short name the
 * chart gives it.  The writers (table, CSV, JSON, workbook) only walk a
 * view of this registry and format what they find; none lists columns
 * itself, and the chart takes its series (labels and values) from here.
 *
 * A view is an ordered selection of the registry:
 *   MTFS_VIEW_TABLE    the run table and the workbook's Summary sheet, in
 *                      registry order (rows flagged MTFS_COLUMN_IN_TABLE);
 *   MTFS_VIEW_DATA     the CSV columns and each JSON year object, ordered by
 *                      the row's `data` position (only ever appended to, so
 *                      readers of older files keep working);
 *   MTFS_VIEW_FUNDING  the workbook's Funding sheet, by `funding` position.
 */
#ifndef MTFS_COLUMNS_H
#define MTFS_COLUMNS_H

#include <stddef.h>
#include "mtfs/projection.h"
#include "mtfs/scenario.h"
#include "mtfs/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* When the run table shows a row (the other views always carry it). */
typedef enum {
    MTFS_ONLY_ALWAYS,
    MTFS_ONLY_COVID,    /* the scenario has a covid block */
    MTFS_ONLY_REFORM,   /* the scenario has a fair_funding block */
    MTFS_ONLY_CAPITAL,  /* the scenario has a capital block */
    MTFS_ONLY_EARMARKED, /* the scenario has earmarked reserves */
    MTFS_ONLY_DSG       /* the scenario has a dsg block */
} mtfs_column_only;

/* Row style flags. */
#define MTFS_COLUMN_IN_TABLE 0x1u   /* a row of the run table and the Summary sheet */
#define MTFS_COLUMN_TOTAL    0x2u   /* the headline: bold, between rules */

typedef enum { MTFS_VIEW_TABLE, MTFS_VIEW_DATA, MTFS_VIEW_FUNDING } mtfs_column_view;

typedef struct {
    const char *key;          /* CSV and JSON name: "council_tax" */
    const char *label;        /* table label, indented under its total: "  council tax" */
    mtfs_unit unit;
    size_t field;             /* offsetof(mtfs_projection, <double *array>) */
    mtfs_column_only only;
    unsigned style;           /* MTFS_COLUMN_* flags */
    unsigned char data;       /* 1-based position among the CSV/JSON columns; 0: not there */
    unsigned char funding;    /* 1-based position in the Funding sheet; 0: not there */
    const char *chart;        /* its short name on the run chart ("Spending"); NULL: not drawn */
} mtfs_column;

/* Column n (0-based) of a view, or NULL past its end:
 *   for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++) ... */
const mtfs_column *mtfs_column_nth(mtfs_column_view view, size_t n);

/* The column whose key is `key`, or NULL when there is none. */
const mtfs_column *mtfs_column_of(const char *key);

/* The column's values by year index t = 0..horizon. */
const double *mtfs_column_values(const mtfs_column *c, const mtfs_projection *p);

/* True when the data view (CSV, JSON, Data sheet) of projection p carries
 * column c: every column but a capital one of a scenario without a capital
 * block or an earmarked one of a scenario without earmarked reserves, so
 * such a scenario's files are as they were before the block. */
int mtfs_column_carried(const mtfs_column *c, const mtfs_projection *p);

/* True when the run table shows column c for scenario s (its only-if). */
int mtfs_column_shown(const mtfs_column *c, const mtfs_scenario *s);

/* Column c's label for scenario s: its label, except that `reserves` is
 * "General fund at year end" when s has earmarked reserves. */
const char *mtfs_column_label(const mtfs_column *c, const mtfs_scenario *s);

/* "  savings planned" -> "savings planned": the label without its indent,
 * for messages and for sheets that are not indented. */
const char *mtfs_column_name(const mtfs_column *c);

/* Per-service output columns, by service and year: the services CSV and
 * the workbook's Services sheet and the JSON run document carry every
 * one, in this order. */
typedef struct {
    const char *key;          /* CSV and JSON name: "recurring" */
    const char *label;        /* "recurring base": the sheet shows "Recurring base £m" */
    const char *what;         /* messages: "<what> a service in 2025/26" */
    mtfs_unit unit;
    size_t field;             /* offsetof(mtfs_projection, <row-major array>), when value is NULL */
    double (*value)(const mtfs_projection *p, size_t service, size_t t);
} mtfs_service_column;

/* At most this many service columns (columns.c checks). */
#define MTFS_SERVICE_COLUMNS_MAX 16

/* Service column n (0-based), or NULL past the last. */
const mtfs_service_column *mtfs_service_column_nth(size_t n);

/* Column c of service `service` in year index t. */
double mtfs_service_column_value(const mtfs_service_column *c, const mtfs_projection *p,
                                 size_t service, size_t t);

#ifdef __cplusplus
}
#endif
#endif
