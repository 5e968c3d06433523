/*
 * mtfs/scenario.h - a validated MTFS scenario loaded from libconfig files.
 *
 * A scenario is an opaque handle: mtfs_scenario_load() reads a file (and
 * every file it inherits with `base = "..."` or pulls in with @include),
 * validates every key against docs/scenario-format.md, and returns a handle
 * whose numbers are ready for the projection.  A scenario that loaded is
 * valid: the engine never re-checks it.
 */
#ifndef MTFS_SCENARIO_H
#define MTFS_SCENARIO_H

#include <stddef.h>
#include "mtfs/error.h"
#include "mtfs/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtfs_scenario mtfs_scenario;

#define MTFS_HORIZON_MAX 30

/* Load and validate the scenario in `path`.  On success *out owns a new
 * scenario (release with mtfs_scenario_free) and MTFS_OK is returned.  On
 * failure *out is NULL and err holds the first problem found, located by
 * file, line and key.  Never aborts on bad input. */
mtfs_status mtfs_scenario_load(const char *path, mtfs_scenario **out,
                               mtfs_error *err);

/* The same (err as above), and every problem rather than the first into
 * *errors, in the order found.  Reading goes on after a problem with the
 * next key, item or section; a file that cannot be read or parsed, or
 * running out of memory, ends it.  errors may be NULL. */
mtfs_status mtfs_scenario_load_all(const char *path, mtfs_scenario **out, mtfs_error *err,
                                   mtfs_error_list *errors);

/* Make an independent deep copy of a scenario (for what-ifs computed in
 * memory, such as sensitivities).  Returns MTFS_ENOMEM on failure, with
 * *out NULL. */
mtfs_status mtfs_scenario_clone(const mtfs_scenario *s, mtfs_scenario **out, mtfs_error *err);

/* Release a scenario; NULL is a no-op. */
void mtfs_scenario_free(mtfs_scenario *scenario);

const char *mtfs_scenario_name(const mtfs_scenario *s);
/* Short identifier for output file names: the scenario file's stem. */
const char *mtfs_scenario_id(const mtfs_scenario *s);
/* The scenario's description (the files' `description`), "" when none. */
const char *mtfs_scenario_description(const mtfs_scenario *s);
int mtfs_scenario_base_year(const mtfs_scenario *s);
size_t mtfs_scenario_horizon(const mtfs_scenario *s);
size_t mtfs_scenario_service_count(const mtfs_scenario *s);
const char *mtfs_scenario_service_name(const mtfs_scenario *s, size_t i);
size_t mtfs_scenario_grant_count(const mtfs_scenario *s);
const char *mtfs_scenario_grant_name(const mtfs_scenario *s, size_t i);
/* The files the scenario was read from: the named file first, then the
 * files it inherits and includes, each once. */
size_t mtfs_scenario_file_count(const mtfs_scenario *s);
const char *mtfs_scenario_file(const mtfs_scenario *s, size_t i);
/* Name file i (< mtfs_scenario_file_count) `shown` from now on, in every
 * output that names the scenario's files (charts' footers, the workbook's
 * list): for a program that loaded a scenario from a file of its own making
 * (mtfs serve names its what-if file "(request)").  MTFS_ENOMEM, the name
 * unchanged, if the copy cannot be made. */
mtfs_status mtfs_scenario_show_file_as(mtfs_scenario *s, size_t i, const char *shown, mtfs_error *err);
/* True when the scenario has a covid block (model.md section 5). */
int mtfs_scenario_has_covid(const mtfs_scenario *s);
/* True when the scenario has a capital block (model.md section 10). */
int mtfs_scenario_has_capital(const mtfs_scenario *s);
/* Earmarked reserves (reserves.earmarked, model.md section 11): how many,
 * and the name of reserve i, in the order listed. */
size_t mtfs_scenario_earmarked_count(const mtfs_scenario *s);
const char *mtfs_scenario_earmarked_name(const mtfs_scenario *s, size_t i);
/* True when the scenario has a dsg block (high-needs deficit). */
int mtfs_scenario_has_dsg(const mtfs_scenario *s);
/* The last year of the DSG statutory override (dsg.override_end, the first
 * calendar year of that financial year), or 0 when it runs beyond every
 * year (or there is no dsg block). */
int mtfs_scenario_dsg_override_end(const mtfs_scenario *s);

/* A scenario's fair-funding reform (its fair_funding block). */
typedef struct {
    const char *formula_name;   /* the formula's own name */
    const char *formula_file;   /* resolved paths */
    const char *data_file;
    const char *authority;      /* name and code in the data */
    const char *code;
    int start_year;             /* first financial year of the reform */
    double baseline;            /* B_i, £m, the data's year */
    double final;               /* D_i under the formula, £m */
    int data_year;              /* the data's financial year (2020 = 2020-21); 0 when not known */
    /* The price basis: P restates the data year's £ in base-year prices
     * (fair_funding.prices), P = prod over y of (1 + rate(y)) for the years
     * after the data year up to the base year; P = 1 and prices_file NULL
     * without a prices block. */
    double price_factor;
    const char *prices_file;
    const char *prices_series;
    const double *price_rate;   /* [n_price_years], for data_year + 1 ... */
    const int *price_line;      /* their lines in prices_file */
    size_t n_price_years;
    double scale;               /* fair_funding.scale */
    int uplift_cpi;             /* 1: uplift "cpi" */
} mtfs_fair_funding_info;

/* The most years a price restatement may span (data year to base year). */
#define MTFS_PRICE_YEARS_MAX 60

/* 1 and *out filled when the scenario has a fair_funding block, else 0. */
int mtfs_scenario_fair_funding(const mtfs_scenario *s, mtfs_fair_funding_info *out);

/* Replace the reform's change D_i - B_i by `change` £m, keeping its start
 * year, transition, uplift and scale: 0 is the scenario without reform.
 * Used on a clone to put several formulas through one MTFS (mtfs brief). */
mtfs_status mtfs_scenario_set_reform(mtfs_scenario *s, double change, mtfs_error *err);

/* The brief block: comparators (codes or names, as written) and formula
 * files (resolved paths) for `mtfs brief`. */
size_t mtfs_scenario_brief_comparator_count(const mtfs_scenario *s);
const char *mtfs_scenario_brief_comparator(const mtfs_scenario *s, size_t i);
size_t mtfs_scenario_brief_formula_count(const mtfs_scenario *s);
const char *mtfs_scenario_brief_formula(const mtfs_scenario *s, size_t i);
/* True when the scenario allows a council-tax rise above the limit. */
int mtfs_scenario_referendum_allowed(const mtfs_scenario *s);

/* The scenario's inputs, one row each, as the workbook's Inputs sheet
 * lists them: economy series, each service's base, pay share, price index
 * and series, then council tax, business rates and reserves.  For writers,
 * which must not see the scenario's internals. */
typedef enum {
    MTFS_INPUT_SERIES, MTFS_INPUT_SCALAR, MTFS_INPUT_TEXT,
    /* Kinds only the registry (mtfs/inputs.h) has: never an Inputs-sheet row. */
    MTFS_INPUT_INT, MTFS_INPUT_BOOL, MTFS_INPUT_CHOICE, MTFS_INPUT_BLOCK
} mtfs_input_kind;
typedef struct {
    char label[300];        /* key path, with the unit a scalar needs: "reserves.opening (£m)" */
    mtfs_input_kind kind;
    mtfs_unit unit;
    const double *series;   /* SERIES: by year index t = 0..horizon (0 unused) */
    double value;           /* SCALAR */
    const char *text;       /* TEXT */
    size_t row;             /* its registry row: mtfs_inputs_at(row) (mtfs/inputs.h) */
    const char *item;       /* the service or economy series it belongs to, "" for none */
} mtfs_scenario_input;

size_t mtfs_scenario_input_count(const mtfs_scenario *s);
/* Input i (< mtfs_scenario_input_count) into *out. */
void mtfs_scenario_input_at(const mtfs_scenario *s, size_t i, mtfs_scenario_input *out);

/* Write the label of the financial year that starts in calendar year
 * `first_calendar_year` into buf, e.g. "2025/26" for 2025.  Year index t of
 * a scenario is mtfs_year_label(base_year + t, ...).  Returns buf. */
char *mtfs_year_label(int first_calendar_year, char *buf, size_t size);

/* Parse a whole string naming a financial year, "2027" or "2027/28", into
 * its first calendar year.  Returns 0, or -1 if the text is anything else. */
int mtfs_year_parse(const char *text, int *year);

#ifdef __cplusplus
}
#endif
#endif
