/*
 * columns.c - the registry of the projection's output columns (see
 * mtfs/columns.h).  Adding an output column is one row here.
 *
 * Rows are in the run table's order; rows without MTFS_COLUMN_IN_TABLE sit
 * beside the rows they detail and are skipped by the table.  `data` is the
 * column's place in the CSV and in each JSON year (append new columns at
 * the end: the next free number); `funding` its place in the workbook's
 * Funding sheet; `chart` its short name on the run chart (legend and
 * heading), for the series that chart draws.  The first 16 data
 * columns are docs/model.md section 8.
 * Every row is a data column: the CSV, each JSON year and the workbook's
 * Data sheet carry all of them under the same key (zero where a scenario
 * has no Covid block or reform); the run table and the Summary sheet show
 * the rows flagged TABLE, those of their blocks only when the scenario
 * has the block.
 */
#include "mtfs/columns.h"

#include <stddef.h>
#include <string.h>

#define AT(array) offsetof(mtfs_projection, array)
#define TABLE MTFS_COLUMN_IN_TABLE
#define MONEY MTFS_UNIT_MONEY
#define SHARE MTFS_UNIT_SHARE
#define ALWAYS MTFS_ONLY_ALWAYS
#define COVID MTFS_ONLY_COVID
#define REFORM MTFS_ONLY_REFORM
#define CAPITAL MTFS_ONLY_CAPITAL
#define EARMARKED MTFS_ONLY_EARMARKED
#define DSG MTFS_ONLY_DSG

static const mtfs_column columns[] = {
    /* key                label                                        unit               values                    only    style                      data funding   chart */
    {"expenditure",          "Expenditure",                            MONEY,             AT(expenditure),          ALWAYS, TABLE,                      1, 0,  "Spending"},
    {"savings_planned",      "  savings planned",                      MONEY,             AT(savings_planned),      ALWAYS, TABLE,                     10, 0,  NULL},
    {"savings_delivered",    "  savings delivered",                    MONEY,             AT(savings_delivered),    ALWAYS, TABLE,                     11, 0,  NULL},
    {"savings_undelivered",  "  savings undelivered",                  MONEY,             AT(savings_undelivered),  ALWAYS, 0,                         12, 0,  NULL},
    {"contingency",          "  contingency",                          MONEY,             AT(contingency),          ALWAYS, 0,                         13, 0,  NULL},
    {"one_off",              "  one-off items",                        MONEY,             AT(one_off),              ALWAYS, 0,                         14, 0,  NULL},
    {"capital_financing",    "  capital financing",                    MONEY,             AT(capital_financing),    CAPITAL, TABLE,                    34, 0,  "Capital financing"},
    {"capital_programme",    "    capital programme",                  MONEY,             AT(capital_programme),    CAPITAL, TABLE,                    29, 0,  NULL},
    {"borrowing",            "    borrowing",                          MONEY,             AT(borrowing),            CAPITAL, TABLE,                    30, 0,  NULL},
    {"cfr",                  "    capital financing requirement",      MONEY,             AT(cfr),                  CAPITAL, TABLE,                    31, 0,  NULL},
    {"mrp",                  "    minimum revenue provision",          MONEY,             AT(mrp),                  CAPITAL, TABLE,                    32, 0,  NULL},
    {"interest",             "    interest",                           MONEY,             AT(capital_interest),     CAPITAL, TABLE,                    33, 0,  NULL},
    {"covid_expenditure",    "  Covid costs and lost income",          MONEY,             AT(covid_expenditure),    COVID,  TABLE,                     25, 0,  NULL},
    {"dsg_expenditure_charge", "  high-needs deficit charged",         MONEY,             AT(dsg_expenditure_charge), DSG,  TABLE,                     40, 0,  NULL},
    {"funding",              "Funding",                                MONEY,             AT(funding),              ALWAYS, TABLE,                      2, 11, "Funding"},
    {"taxbase",              "  tax base (Band D equivalents)",        MTFS_UNIT_COUNT,   AT(taxbase),              ALWAYS, 0,                         19, 1,  NULL},
    {"band_d",               "  Band D",                               MTFS_UNIT_POUNDS,  AT(band_d),               ALWAYS, 0,                         20, 2,  NULL},
    {"council_tax_rise",     "  council-tax rise",                     SHARE,             AT(council_tax_rise),     ALWAYS, 0,                         21, 3,  NULL},
    {"council_tax",          "  council tax",                          MONEY,             AT(council_tax),          ALWAYS, TABLE,                      7, 4,  NULL},
    {"business_rates",       "  business rates",                       MONEY,             AT(business_rates),       ALWAYS, TABLE,                      8, 5,  NULL},
    {"grants",               "  grants",                               MONEY,             AT(grants),               ALWAYS, TABLE,                      9, 6,  NULL},
    {"covid_compensation",   "  Covid compensation",                   MONEY,             AT(covid_compensation),   COVID,  0,                         26, 7,  NULL},
    {"covid_deficit_charge", "  Covid collection-fund deficits recovered", MONEY,         AT(covid_deficit_charge), COVID,  0,                         27, 8,  NULL},
    {"covid_funding",        "  Covid grants, net of deficits",        MONEY,             AT(covid_funding),        COVID,  TABLE,                     28, 9,  NULL},
    {"formula_adjustment",   "  fair-funding reform",                  MONEY,             AT(formula_adjustment),   REFORM, TABLE,                     24, 10, NULL},
    {"gap",                  "Funding gap",                            MONEY,             AT(gap),                  ALWAYS, TABLE | MTFS_COLUMN_TOTAL,  3, 0,  "Annual gap"},
    {"covid_pressure",       "  net Covid pressure",                   MONEY,             AT(covid_pressure),       COVID,  TABLE,                     22, 0,  NULL},
    {"gap_without_covid",    "  gap without Covid",                    MONEY,             AT(gap_without_covid),    COVID,  TABLE,                     23, 0,  "Gap without Covid"},
    {"incremental_gap",      "  change on previous year",              MONEY,             AT(incremental_gap),      ALWAYS, TABLE,                      4, 0,  NULL},
    {"cumulative_gap",       "  cumulative gap",                       MONEY,             AT(cumulative_gap),       ALWAYS, TABLE,                      5, 0,  NULL},
    {"gap_share",            "  gap as % of net budget",               SHARE,             AT(gap_share),            ALWAYS, TABLE,                     15, 0,  NULL},
    {"reserves",             "Reserves at year end",                   MONEY,             AT(reserves),             ALWAYS, TABLE,                      6, 0,  "Reserves"},
    {"minimum_reserves",     "  minimum reserves",                     MONEY,             AT(minimum_reserves),     ALWAYS, TABLE,                     16, 0,  "Minimum reserves"},
    {"reserves_use",         "  drawn from reserves",                  MONEY,             AT(reserves_use),         ALWAYS, 0,                         17, 0,  NULL},
    {"contributions",        "  planned contributions to reserves",    MONEY,             AT(contributions),        ALWAYS, 0,                         18, 0,  NULL},
    /* model.md section 11: `reserves` above is then the general fund. */
    {"earmarked",            "Earmarked reserves at year end",         MONEY,             AT(earmarked),            EARMARKED, TABLE,                 35, 0,  NULL},
    {"earmarked_drawn",      "  drawn for the gap",                    MONEY,             AT(earmarked_drawn),      EARMARKED, TABLE,                 36, 0,  NULL},
    {"usable_reserves",      "Usable reserves at year end",            MONEY,             AT(usable_reserves),      EARMARKED, TABLE,                 37, 0,  "Usable reserves"},
    {"dsg_reserves_charge",  "  high-needs deficit to reserves",     MONEY,             AT(dsg_reserves_charge),  DSG,    TABLE,                     41, 0,  NULL},
    {"dsg_in_year",          "High-needs (DSG) deficit in year",       MONEY,             AT(dsg_in_year),          DSG,    TABLE,                     38, 0,  NULL},
    {"dsg_cumulative",       "  cumulative, under the override",      MONEY,             AT(dsg_cumulative),       DSG,    TABLE,                     39, 0,  NULL},
};

#define N_COLUMNS (sizeof columns / sizeof columns[0])

const mtfs_column *mtfs_column_nth(mtfs_column_view view, size_t n)
{
    if (view == MTFS_VIEW_TABLE) {
        for (size_t i = 0; i < N_COLUMNS; i++)
            if ((columns[i].style & MTFS_COLUMN_IN_TABLE) && n-- == 0)
                return &columns[i];
        return NULL;
    }
    /* Positions are 1-based and dense; a handful of rows, so a scan. */
    for (size_t i = 0; i < N_COLUMNS; i++) {
        size_t at = view == MTFS_VIEW_DATA ? columns[i].data : columns[i].funding;
        if (at == n + 1)
            return &columns[i];
    }
    return NULL;
}

const mtfs_column *mtfs_column_of(const char *key)
{
    for (size_t i = 0; i < N_COLUMNS; i++)
        if (strcmp(columns[i].key, key) == 0)
            return &columns[i];
    return NULL;
}

const double *mtfs_column_values(const mtfs_column *c, const mtfs_projection *p)
{
    return *(const double *const *)((const char *)p + c->field);
}

int mtfs_column_carried(const mtfs_column *c, const mtfs_projection *p)
{
    if (c->only == MTFS_ONLY_EARMARKED)
        return p->n_earmarked > 0;
    if (c->only == MTFS_ONLY_DSG)
        return p->has_dsg;
    return c->only != MTFS_ONLY_CAPITAL || p->has_capital;
}

int mtfs_column_shown(const mtfs_column *c, const mtfs_scenario *s)
{
    mtfs_fair_funding_info reform;
    switch (c->only) {
    case MTFS_ONLY_COVID: return mtfs_scenario_has_covid(s);
    case MTFS_ONLY_REFORM: return mtfs_scenario_fair_funding(s, &reform);
    case MTFS_ONLY_CAPITAL: return mtfs_scenario_has_capital(s);
    case MTFS_ONLY_EARMARKED: return mtfs_scenario_earmarked_count(s) > 0;
    case MTFS_ONLY_DSG: return mtfs_scenario_has_dsg(s);
    case MTFS_ONLY_ALWAYS: break;
    }
    return 1;
}

const char *mtfs_column_label(const mtfs_column *c, const mtfs_scenario *s)
{
    /* With earmarked reserves, `reserves` is the general fund alone. */
    if (strcmp(c->key, "reserves") == 0 && mtfs_scenario_earmarked_count(s))
        return "General fund at year end";
    return c->label;
}

const char *mtfs_column_name(const mtfs_column *c)
{
    const char *name = c->label;
    while (*name == ' ')
        name++;
    return name;
}

/* Savings planned but not delivered: not stored, so derived here rather
 * than in every writer. */
static double service_undelivered(const mtfs_projection *p, size_t i, size_t t)
{
    return MTFS_AT(p, service_planned, i, t) - MTFS_AT(p, service_delivered, i, t);
}

static const mtfs_service_column service_columns[] = {
    /* key                  label                  what (in messages)             unit   values */
    {"recurring",           "recurring base",      "recurring spending of",       MONEY, AT(service_recurring), NULL},
    {"spending",            "spending",            "spending of",                 MONEY, AT(service_spending),  NULL},
    {"inflation",           "inflation",           "inflation of",                SHARE, AT(service_inflation), NULL},
    {"savings_planned",     "savings planned",     "savings planned by",          MONEY, AT(service_planned),   NULL},
    {"savings_delivered",   "savings delivered",   "savings delivered by",        MONEY, AT(service_delivered), NULL},
    {"savings_undelivered", "savings undelivered", "savings undelivered by",      MONEY, 0,                     service_undelivered},
    /* Gross spending and income (model.md section 1): spending = gross - income. */
    {"gross",               "gross spending",      "gross spending of",           MONEY, AT(service_gross),     NULL},
    {"income",              "income",              "income of",                   MONEY, AT(service_income),    NULL},
};

_Static_assert(sizeof service_columns / sizeof service_columns[0] <= MTFS_SERVICE_COLUMNS_MAX,
               "raise MTFS_SERVICE_COLUMNS_MAX");

const mtfs_service_column *mtfs_service_column_nth(size_t n)
{
    return n < sizeof service_columns / sizeof service_columns[0] ? &service_columns[n] : NULL;
}

double mtfs_service_column_value(const mtfs_service_column *c, const mtfs_projection *p,
                                 size_t service, size_t t)
{
    if (c->value)
        return c->value(p, service, t);
    const double *v = *(const double *const *)((const char *)p + c->field);
    return v[service * (p->horizon + 1) + t];
}
