/*
 * scenario_inputs.c - a scenario's inputs listed for the writers (see
 * mtfs_scenario_input_at in mtfs/scenario.h), so that no writer needs
 * scenario_int.h.  The list is the workbook's Inputs sheet, in its order:
 * the registry's rows with a sheet note (mtfs/inputs.h), economy series
 * first, then each service's rows (and its income block's, when it has
 * one), then the series and then the numbers of
 * the top level, council tax, business rates and reserves.
 */
#include "mtfs/scenario.h"
#include "scenario_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The groups listed after the services: all their series, then all their
 * numbers. */
static const char *const council_groups[] = {"", "council_tax", "business_rates", "reserves"};
#define N_COUNCIL (sizeof council_groups / sizeof council_groups[0])

/* Fill *out with input d of item `item`. */
static void fill(const mtfs_scenario *s, const mtfs_input_def *d, size_t item, mtfs_scenario_input *out)
{
    mtfs_scenario *sc = (mtfs_scenario *)s;   /* read only */
    const char *name = strcmp(d->group, "economy") == 0          ? s->economy[item].name
                       : strncmp(d->group, "services", 8) == 0 ? s->services[item].name
                                                                 : "";
    char path[256];
    snprintf(out->label, sizeof out->label, "%s%s", mtfs_inputs_path(d, name, path, sizeof path),
             d->sheet_note);
    out->kind = d->kind;
    out->row = (size_t)(d - mtfs_inputs_at(0));
    out->item = name;
    out->unit = d->unit;
    if (d->kind == MTFS_INPUT_SERIES)
        out->series = mtfs_inputs_values(sc, d, item);
    else if (d->kind == MTFS_INPUT_SCALAR)
        out->value = *mtfs_inputs_values(sc, d, item);
    else   /* the one text input on the sheet: a service's price index */
        out->text = s->indices[s->services[item].price_index].name;
}

/* Walk the sheet's rows; fill row `want` into *out when reached.  Returns
 * the number of rows walked. */
static size_t walk(const mtfs_scenario *s, size_t want, mtfs_scenario_input *out)
{
    size_t n = 0;
    /* Pass 0: economy and services, item by item; 1: series; 2: numbers. */
    for (int pass = 0; pass < 3; pass++) {
        size_t n_groups = pass == 0 ? 2 : N_COUNCIL;
        for (size_t k = 0; k < n_groups; k++) {
            const char *group = pass == 0 ? (k == 0 ? "economy" : "services") : council_groups[k];
            size_t items = pass == 0 ? (k == 0 ? s->n_economy : s->n_services) : 1;
            for (size_t i = 0; i < items; i++) {
                for (size_t r = 0; r < mtfs_inputs_count(); r++) {
                    const mtfs_input_def *d = mtfs_inputs_at(r);
                    /* A service's rows, then those of its income block if it has one. */
                    int income = pass == 0 && k == 1 && strcmp(d->group, "services.income") == 0 &&
                                 s->services[i].has_income;
                    if (!d->sheet_note || (strcmp(d->group, group) != 0 && !income) ||
                        (pass == 1 && d->kind != MTFS_INPUT_SERIES) ||
                        (pass == 2 && d->kind == MTFS_INPUT_SERIES))
                        continue;
                    if (n++ == want) {
                        fill(s, d, i, out);
                        return n;
                    }
                }
            }
        }
    }
    return n;
}

size_t mtfs_scenario_input_count(const mtfs_scenario *s)
{
    return walk(s, SIZE_MAX, NULL);
}

void mtfs_scenario_input_at(const mtfs_scenario *s, size_t i, mtfs_scenario_input *out)
{
    memset(out, 0, sizeof *out);
    walk(s, i, out);
}
