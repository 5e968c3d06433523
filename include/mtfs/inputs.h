/*
 * mtfs/inputs.h - the registry of scenario inputs: every key a scenario
 * file may hold, one row each (src/inputs.c), with what it is and how it
 * is checked.  The registry drives the allowed keys of each group (and the
 * "did you mean" of a typo), the range checks and defaults of the numeric
 * inputs, the copy of a scenario, the paths an uncertainty distribution
 * may name, the workbook's Inputs sheet and the inputs sensitivity,
 * tornado and goal-seek move.
 *
 * Adding an input is one row in src/inputs.c plus its use in the engine
 * (docs/architecture.md, "How to add a scenario input").
 */
#ifndef MTFS_INPUTS_H
#define MTFS_INPUTS_H

#include <stddef.h>
#include "mtfs/scenario.h"
#include "mtfs/unit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A kind of number: its sensible range and what to say when a value is
 * outside it. */
typedef struct {
    double lo, hi;
    int lo_open;            /* lo itself is not allowed */
    double percent_from;    /* a value at least this large in size may be a percentage
                               (70 for 0.7): "did you mean v/100?" when v/100 is in
                               range; 0: never */
    const char *expected;   /* "a rate as a fraction: 0.05 means 5%" */
} mtfs_input_range;

extern const mtfs_input_range mtfs_range_rate, mtfs_range_share, mtfs_range_positive_share,
    mtfs_range_money, mtfs_range_money_nonneg, mtfs_range_taxbase, mtfs_range_band_d,
    mtfs_range_factor;

/* Row flags. */
enum {
    MTFS_INPUTS_REQUIRED = 1,    /* a file must give it */
    MTFS_INPUTS_UNCERTAIN = 2,   /* an uncertainty distribution may drive it */
    MTFS_INPUTS_BY_HAND = 4,     /* read by its section's own code, not the generic reader */
    MTFS_INPUTS_RULE_LIST = 8,   /* grants.amount: one value per year when the rule is "list" */
    MTFS_INPUTS_RULE_RATE = 16   /* grants.rate: only a grant with rule "rate" has one */
};

typedef struct {
    const char *group;      /* "council_tax"; "" the top level; "services" and "grants": each
                               item's keys; "services.income": the keys of each service's
                               income block; "economy": each named series (key "*") */
    const char *key;        /* "core" */
    mtfs_input_kind kind;   /* SERIES, SCALAR (a number), TEXT, INT, BOOL, CHOICE or BLOCK */
    mtfs_unit unit;         /* numbers: the unit shown */
    const mtfs_input_range *range;  /* numbers: range and expected text; NULL otherwise */
    double fallback;        /* numbers and booleans: the value when not given */
    unsigned flags;         /* MTFS_INPUTS_... */
    const char *label;      /* for people: "Demand growth", "Council-tax rise, core" */
    const char *sheet_note; /* NULL: not on the Inputs sheet; else shown after the path,
                               e.g. " (£m)" */
    size_t field;           /* where the value lives (internal: an offset into the
                               scenario, a service, a grant or an economy series) */
} mtfs_input_def;

/* Every row, in registry order (within a group: the order keys are
 * checked, read and listed). */
size_t mtfs_inputs_count(void);
const mtfs_input_def *mtfs_inputs_at(size_t i);
/* The rows of group `group` ("" for the top level, "services",
 * "services.income", ...), contiguous in registry order: the first, and
 * their number in *count; NULL and 0 for a group the registry lacks. */
const mtfs_input_def *mtfs_inputs_group(const char *group, size_t *count);
/* The row for key `key` of group `group`, or NULL. */
const mtfs_input_def *mtfs_inputs_find(const char *group, const char *key);
/* Write the path of input d for item `name` ("services", "grants",
 * "economy"; ignored otherwise) into buf: "services.adults.demand".
 * Returns buf. */
char *mtfs_inputs_path(const mtfs_input_def *d, const char *name, char *buf, size_t size);
/* Write the label of input d for item `name` for people: "Demand growth,
 * adults", "Grant, social care grant", "Economy series, cpi", "Tax-base
 * growth".  Returns buf. */
char *mtfs_inputs_label(const mtfs_input_def *d, const char *name, char *buf, size_t size);
/* The items of input d's group in scenario s: how many (services, grants,
 * economy series or earmarked reserves; 1 for any other group) and the
 * name of item i ("adults"; "" for a group of one). */
size_t mtfs_inputs_item_count(const mtfs_scenario *s, const mtfs_input_def *d);
const char *mtfs_inputs_item(const mtfs_scenario *s, const mtfs_input_def *d, size_t i);
/* The numbers scenario s holds for input d of item i, read only: a
 * SERIES row's values for years 1..horizon (*n = horizon; so is a grant
 * amount under rule "list"), a SCALAR row's one value (*n = 1).  NULL and
 * *n = 0 for any other kind.  Valid while s is. */
const double *mtfs_inputs_numbers(const mtfs_scenario *s, const mtfs_input_def *d, size_t i, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
