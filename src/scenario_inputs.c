/*
 * scenario_inputs.c - a scenario's inputs listed for the writers (see
 * mtfs_scenario_input_at in mtfs/scenario.h), so that no writer needs
 * scenario_int.h.  The list is the workbook's Inputs sheet, in its order.
 */
#include "mtfs/scenario.h"
#include "scenario_int.h"

#include <stdio.h>
#include <string.h>

#define SERVICE_ROWS 8   /* base, pay_share, price_index and five series */

static const struct {
    const char *label;
    size_t series;       /* offset of a double * in mtfs_scenario */
    mtfs_unit unit;
} council_series[] = {
    {"contingency", offsetof(mtfs_scenario, contingency), MTFS_UNIT_MONEY},
    {"council_tax.taxbase_growth", offsetof(mtfs_scenario, taxbase_growth), MTFS_UNIT_SHARE},
    {"council_tax.core", offsetof(mtfs_scenario, ct_core), MTFS_UNIT_SHARE},
    {"council_tax.asc", offsetof(mtfs_scenario, ct_asc), MTFS_UNIT_SHARE},
    {"council_tax.collection_rate", offsetof(mtfs_scenario, collection_rate), MTFS_UNIT_SHARE},
    {"council_tax.collection_fund", offsetof(mtfs_scenario, collection_fund), MTFS_UNIT_MONEY},
    {"council_tax.referendum_limit", offsetof(mtfs_scenario, referendum_limit), MTFS_UNIT_SHARE},
    {"business_rates.growth", offsetof(mtfs_scenario, business_rates_growth), MTFS_UNIT_SHARE},
    {"reserves.contributions", offsetof(mtfs_scenario, contributions), MTFS_UNIT_MONEY},
};

static const struct {
    const char *label;
    size_t value;        /* offset of a double in mtfs_scenario */
    mtfs_unit unit;
} council_scalars[] = {
    {"council_tax.taxbase (base year)", offsetof(mtfs_scenario, taxbase), MTFS_UNIT_COUNT},
    {"council_tax.band_d (base year, £)", offsetof(mtfs_scenario, band_d), MTFS_UNIT_POUNDS},
    {"business_rates.base (£m)", offsetof(mtfs_scenario, business_rates), MTFS_UNIT_MONEY},
    {"reserves.opening (£m)", offsetof(mtfs_scenario, reserves_opening), MTFS_UNIT_MONEY},
};

#define N_SERIES (sizeof council_series / sizeof council_series[0])
#define N_SCALARS (sizeof council_scalars / sizeof council_scalars[0])

size_t mtfs_scenario_input_count(const mtfs_scenario *s)
{
    return s->n_economy + SERVICE_ROWS * s->n_services + N_SERIES + N_SCALARS;
}

static void series(mtfs_scenario_input *out, const double *v, mtfs_unit unit)
{
    out->kind = MTFS_INPUT_SERIES;
    out->series = v;
    out->unit = unit;
}

static void scalar(mtfs_scenario_input *out, double v, mtfs_unit unit)
{
    out->kind = MTFS_INPUT_SCALAR;
    out->value = v;
    out->unit = unit;
}

static void service_input(const mtfs_scenario *s, const mtfs_service *sv, size_t k,
                          mtfs_scenario_input *out)
{
    static const char *const names[SERVICE_ROWS] = {"base (£m, base year)", "pay_share", "price_index",
                                                    "demand", "growth", "savings", "delivery", "one_off"};
    snprintf(out->label, sizeof out->label, "services.%s.%s", sv->name, names[k]);
    switch (k) {
    case 0: scalar(out, sv->base, MTFS_UNIT_MONEY); break;
    case 1: scalar(out, sv->pay_share, MTFS_UNIT_SHARE); break;
    case 2:
        out->kind = MTFS_INPUT_TEXT;
        out->text = s->indices[sv->price_index].name;
        break;
    case 3: series(out, sv->demand, MTFS_UNIT_SHARE); break;
    case 4: series(out, sv->growth, MTFS_UNIT_MONEY); break;
    case 5: series(out, sv->savings, MTFS_UNIT_MONEY); break;
    case 6: series(out, sv->delivery, MTFS_UNIT_SHARE); break;
    default: series(out, sv->one_off, MTFS_UNIT_MONEY); break;
    }
}

void mtfs_scenario_input_at(const mtfs_scenario *s, size_t i, mtfs_scenario_input *out)
{
    memset(out, 0, sizeof *out);
    if (i < s->n_economy) {
        snprintf(out->label, sizeof out->label, "economy.%s", s->economy[i].name);
        series(out, s->economy[i].values, MTFS_UNIT_SHARE);
        return;
    }
    i -= s->n_economy;
    if (i < SERVICE_ROWS * s->n_services) {
        service_input(s, &s->services[i / SERVICE_ROWS], i % SERVICE_ROWS, out);
        return;
    }
    i -= SERVICE_ROWS * s->n_services;
    if (i < N_SERIES) {
        snprintf(out->label, sizeof out->label, "%s", council_series[i].label);
        series(out, *(const double *const *)((const char *)s + council_series[i].series),
               council_series[i].unit);
        return;
    }
    i -= N_SERIES;
    snprintf(out->label, sizeof out->label, "%s", council_scalars[i].label);
    scalar(out, *(const double *)((const char *)s + council_scalars[i].value), council_scalars[i].unit);
}
