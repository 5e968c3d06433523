/*
 * inputs.c - the registry of scenario inputs (see mtfs/inputs.h).  Adding
 * an input is one row here plus its use in the engine.
 *
 * Within a group, rows are in the order the loader checks and reads the
 * keys and lists them in "expected one of"; that order is also the order
 * of the uncertainty paths offered as "did you mean" and of the workbook's
 * Inputs sheet.  `field` is an offset into the struct the group's values
 * live in: mtfs_scenario, mtfs_service ("services"), mtfs_grant ("grants")
 * or mtfs_economy_series ("economy").
 */
#include "mtfs/inputs.h"
#include "scenario_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* A rate of 5 is 5%; a share of 1.5 is as likely 150% as 1.5%, so only
 * from 2 up is a share taken for a percentage. */
const mtfs_input_range mtfs_range_rate = {-0.5, 0.5, 0, 1.0, "a rate as a fraction: 0.05 means 5%"};
const mtfs_input_range mtfs_range_share = {0.0, 1.0, 0, 2.0, "a share between 0 and 1"};
const mtfs_input_range mtfs_range_positive_share = {0.0, 1.0, 1, 2.0, "a share above 0 and at most 1"};
const mtfs_input_range mtfs_range_money = {-1e6, 1e6, 0, 0, "an amount in £m"};
const mtfs_input_range mtfs_range_money_nonneg = {0.0, 1e6, 0, 0, "an amount in £m, not negative"};
const mtfs_input_range mtfs_range_taxbase = {0.0, 1e8, 1, 0, "a number of Band D equivalent properties"};
const mtfs_input_range mtfs_range_band_d = {0.0, 1e5, 1, 0, "a Band D charge in £ per year"};
/* Capital financing (model.md section 10): loan rates are not negative;
 * an annuity rate of 0 would divide by zero. */
static const mtfs_input_range range_loan_rate = {0.0, 0.5, 0, 1.0, "an interest rate as a fraction: 0.045 means 4.5%"};
static const mtfs_input_range range_annuity_rate = {0.0, 0.5, 1, 1.0, "an annuity rate as a fraction above 0: 0.045 means 4.5%"};
/* Resilience (model.md section 12): months of net spending. */
static const mtfs_input_range range_months = {0.0, 120.0, 0, 0, "a number of months, 0 to 120"};
const mtfs_input_range mtfs_range_factor = {0.0, 100.0, 1, 0, "a positive factor, e.g. 1.21 to restate the data year's £ in base-year prices"};

#define SC(f) offsetof(mtfs_scenario, f)
#define SV(f) offsetof(mtfs_service, f)
#define GR(f) offsetof(mtfs_grant, f)
#define EM(f) offsetof(mtfs_earmarked, f)
#define SERIES MTFS_INPUT_SERIES
#define NUMBER MTFS_INPUT_SCALAR
#define TEXT MTFS_INPUT_TEXT
#define INT MTFS_INPUT_INT
#define BOOL MTFS_INPUT_BOOL
#define CHOICE MTFS_INPUT_CHOICE
#define BLOCK MTFS_INPUT_BLOCK
#define MONEY MTFS_UNIT_MONEY
#define SHARE MTFS_UNIT_SHARE
#define REQ MTFS_INPUTS_REQUIRED
#define UNC MTFS_INPUTS_UNCERTAIN
#define HAND MTFS_INPUTS_BY_HAND
#define RATE (&mtfs_range_rate)
#define MONEY_ANY (&mtfs_range_money)
#define MONEY_NONNEG (&mtfs_range_money_nonneg)
#define SHARE_01 (&mtfs_range_share)

static const mtfs_input_def inputs[] = {
    /* group          key                 kind    unit              range                        default flags      label                                   sheet note           field */
    {"",              "name",             TEXT,   0,                NULL,                        0,      0,         "Scenario title",                       NULL,                0},
    {"",              "description",      TEXT,   0,                NULL,                        0,      0,         "Description",                          NULL,                0},
    {"",              "base",             TEXT,   0,                NULL,                        0,      0,         "File inherited from",                  NULL,                0},
    {"",              "remove",           BLOCK,  0,                NULL,                        0,      0,         "Inherited settings removed",           NULL,                0},
    {"",              "base_year",        INT,    0,                NULL,                        0,      REQ,       "Base year",                            NULL,                SC(base_year)},
    {"",              "horizon",          INT,    0,                NULL,                        0,      REQ,       "Years projected",                      NULL,                SC(horizon)},
    {"",              "economy",          BLOCK,  0,                NULL,                        0,      REQ,       "Economy",                              NULL,                0},
    {"",              "indices",          BLOCK,  0,                NULL,                        0,      0,         "Price indices",                        NULL,                0},
    {"",              "service_defaults", BLOCK,  0,                NULL,                        0,      0,         "Settings of every service",            NULL,                0},
    {"",              "services",         BLOCK,  0,                NULL,                        0,      REQ,       "Services",                             NULL,                0},
    {"",              "contingency",      SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "Contingency",                          "",                  SC(contingency)},
    {"",              "council_tax",      BLOCK,  0,                NULL,                        0,      REQ,       "Council tax",                          NULL,                0},
    {"",              "business_rates",   BLOCK,  0,                NULL,                        0,      REQ,       "Business rates",                       NULL,                0},
    {"",              "grants",           BLOCK,  0,                NULL,                        0,      0,         "Grants",                               NULL,                0},
    {"",              "reserves",         BLOCK,  0,                NULL,                        0,      REQ,       "Reserves",                             NULL,                0},
    {"",              "covid",            BLOCK,  0,                NULL,                        0,      0,         "Covid pressures",                      NULL,                0},
    {"",              "capital",          BLOCK,  0,                NULL,                        0,      0,         "Capital financing",                    NULL,                0},
    {"",              "dsg",              BLOCK,  0,                NULL,                        0,      0,         "High-needs (DSG) deficit",             NULL,                0},
    {"",              "resilience",       BLOCK,  0,                NULL,                        0,      0,         "Resilience thresholds",                NULL,                0},
    {"",              "fair_funding",     BLOCK,  0,                NULL,                        0,      0,         "Fair-funding reform",                  NULL,                0},
    {"",              "brief",            BLOCK,  0,                NULL,                        0,      0,         "Lobbying brief",                       NULL,                0},
    {"",              "uncertainty",      BLOCK,  0,                NULL,                        0,      0,         "Uncertainty",                          NULL,                0},

    {"economy",       "*",                SERIES, SHARE,            RATE,                        0,      REQ | UNC, "Economy series",                       "",                  offsetof(mtfs_economy_series, values)},

    {"services",      "name",             TEXT,   0,                NULL,                        0,      REQ | HAND, "Service name",                        NULL,                0},
    {"services",      "base",             NUMBER, MONEY,            MONEY_ANY,                   0,      REQ | UNC, "Base budget",                          " (£m, base year)",  SV(base)},
    {"services",      "pay_share",        NUMBER, SHARE,            SHARE_01,                    0,      UNC,       "Pay share of the budget",              "",                  SV(pay_share)},
    {"services",      "price_index",      TEXT,   0,                NULL,                        0,      HAND,      "Price index",                          "",                  SV(price_index)},
    {"services",      "demand",           SERIES, SHARE,            RATE,                        0,      UNC,       "Demand growth",                        "",                  SV(demand)},
    {"services",      "growth",           SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "Growth items",                         "",                  SV(growth)},
    {"services",      "savings",          SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "Savings planned",                      "",                  SV(savings)},
    {"services",      "delivery",         SERIES, SHARE,            SHARE_01,                    1.0,    UNC,       "Savings delivered",                    "",                  SV(delivery)},
    {"services",      "one_off",          SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "One-off items",                        "",                  SV(one_off)},
    {"services",      "income",           BLOCK,  0,                NULL,                        0,      HAND,      "Gross and income",                     NULL,                0},
    {"services",      "description",      TEXT,   0,                NULL,                        0,      0,         "Description",                          NULL,                0},
    {"services",      "social_care",      BOOL,   0,                NULL,                        -1,     0,         "Counts as social care",                NULL,                SV(social_care)},

    /* A service's income block: services.NAME.income.KEY. */
    {"services.income", "base",           NUMBER, MONEY,            MONEY_NONNEG,                0,      REQ | UNC, "Income",                               " (£m, base year)",  SV(income_base)},
    {"services.income", "growth",         SERIES, SHARE,            RATE,                        0,      UNC,       "Income growth",                        "",                  SV(income_growth)},

    {"council_tax",   "taxbase",          NUMBER, MTFS_UNIT_COUNT,  &mtfs_range_taxbase,         0,      REQ | UNC, "Tax base",                             " (base year)",      SC(taxbase)},
    {"council_tax",   "taxbase_growth",   SERIES, SHARE,            RATE,                        0,      UNC,       "Tax-base growth",                      "",                  SC(taxbase_growth)},
    {"council_tax",   "band_d",           NUMBER, MTFS_UNIT_POUNDS, &mtfs_range_band_d,          0,      REQ | UNC, "Band D charge",                        " (base year, £)",   SC(band_d)},
    {"council_tax",   "core",             SERIES, SHARE,            RATE,                        0,      UNC,       "Council-tax rise, core",               "",                  SC(ct_core)},
    {"council_tax",   "asc",              SERIES, SHARE,            RATE,                        0,      UNC,       "Council-tax rise, adult social care",  "",                  SC(ct_asc)},
    {"council_tax",   "collection_rate",  SERIES, SHARE,            &mtfs_range_positive_share,  1.0,    UNC,       "Collection rate",                      "",                  SC(collection_rate)},
    {"council_tax",   "collection_fund",  SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "Collection-fund surplus",              "",                  SC(collection_fund)},
    {"council_tax",   "referendum_limit", SERIES, SHARE,            RATE,                        0.0499, 0,         "Referendum limit",                     "",                  SC(referendum_limit)},
    {"council_tax",   "referendum",       BOOL,   0,                NULL,                        0,      0,         "Rise above the limit allowed",         NULL,                SC(referendum)},

    {"business_rates", "base",            NUMBER, MONEY,            MONEY_NONNEG,                0,      REQ | UNC, "Business rates",                       " (£m)",             SC(business_rates)},
    {"business_rates", "growth",          SERIES, SHARE,            RATE,                        0,      UNC,       "Business-rates growth",                "",                  SC(business_rates_growth)},

    {"grants",        "name",             TEXT,   0,                NULL,                        0,      REQ | HAND, "Grant name",                          NULL,                0},
    {"grants",        "amount",           NUMBER, MONEY,            MONEY_NONNEG,                0,      REQ | UNC | HAND | MTFS_INPUTS_RULE_LIST, "Grant", NULL,             GR(amount)},
    {"grants",        "base_amount",      NUMBER, MONEY,            MONEY_NONNEG,                0,      HAND,      "Listed grant's base-year amount",      NULL,                GR(amount)},
    {"grants",        "rule",             CHOICE, 0,                NULL,                        0,      HAND,      "Grant rule",                           NULL,                GR(rule)},
    {"grants",        "rate",             SERIES, SHARE,            RATE,                        0,      UNC | HAND | MTFS_INPUTS_RULE_RATE, "Grant growth rate", NULL,       GR(rate)},
    {"grants",        "end_year",         INT,    0,                NULL,                        0,      HAND,      "Last year paid",                       NULL,                GR(end_year)},
    {"grants",        "description",      TEXT,   0,                NULL,                        0,      0,         "Description",                          NULL,                0},

    {"reserves",      "opening",          NUMBER, MONEY,            MONEY_NONNEG,                0,      REQ | UNC, "Opening reserves",                     " (£m)",             SC(reserves_opening)},
    {"reserves",      "minimum",          NUMBER, MONEY,            MONEY_NONNEG,                0,      0,         "Minimum reserves",                     NULL,                SC(reserves_minimum)},
    {"reserves",      "minimum_share",    NUMBER, SHARE,            SHARE_01,                    -1.0,   0,         "Minimum reserves, share of the budget", NULL,               SC(reserves_minimum_share)},
    {"reserves",      "policy",           CHOICE, 0,                NULL,                        0,      0,         "Reserves policy",                      NULL,                SC(reserves_policy)},
    {"reserves",      "contributions",    SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "Contributions to reserves",            "",                  SC(contributions)},
    {"reserves",      "earmarked",        BLOCK,  0,                NULL,                        0,      HAND,      "Earmarked reserves",                   NULL,                0},

    /* Each earmarked reserve: reserves.earmarked.NAME.KEY (model.md section 11). */
    {"reserves.earmarked", "name",        TEXT,   0,                NULL,                        0,      REQ | HAND, "Earmarked reserve name",              NULL,                0},
    {"reserves.earmarked", "opening",     NUMBER, MONEY,            MONEY_NONNEG,                0,      REQ,       "Earmarked reserve, opening",           NULL,                EM(opening)},
    {"reserves.earmarked", "uses",        SERIES, MONEY,            MONEY_NONNEG,                0,      0,         "Earmarked reserve, planned uses",      NULL,                EM(uses)},
    {"reserves.earmarked", "contributions", SERIES, MONEY,          MONEY_NONNEG,                0,      0,         "Earmarked reserve, contributions",     NULL,                EM(contributions)},
    {"reserves.earmarked", "available_for_gap", BOOL, 0,            NULL,                        0,      0,         "Earmarked reserve, may cover the gap", NULL,                EM(available_for_gap)},
    {"reserves.earmarked", "description", TEXT,   0,                NULL,                        0,      0,         "Description",                          NULL,                0},

    {"covid",         "extra_costs",      SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "Covid extra costs",                    NULL,                SC(covid_extra_costs)},
    {"covid",         "lost_income",      SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "Covid lost income",                    NULL,                SC(covid_lost_income)},
    {"covid",         "taper",            SERIES, SHARE,            SHARE_01,                    1.0,    0,         "Covid lost income, share remaining",   NULL,                SC(covid_taper)},
    {"covid",         "budgeted_income",  SERIES, MONEY,            MONEY_NONNEG,                0,      0,         "Sales, fees and charges budgeted",     NULL,                SC(covid_budgeted_income)},
    {"covid",         "sfc_rate",         NUMBER, SHARE,            SHARE_01,                    0.75,   0,         "Income compensation rate",             NULL,                SC(covid_sfc_rate)},
    {"covid",         "sfc_deductible",   NUMBER, SHARE,            SHARE_01,                    0.05,   0,         "Income compensation deductible",       NULL,                SC(covid_sfc_deductible)},
    {"covid",         "sfc_end_year",     INT,    0,                NULL,                        0,      0,         "Last year compensated",                NULL,                SC(covid_sfc_end_year)},
    {"covid",         "ct_deficit",       SERIES, MONEY,            MONEY_ANY,                   0,      0,         "Council-tax collection deficit",       NULL,                SC(covid_ct_deficit)},
    {"covid",         "br_deficit",       SERIES, MONEY,            MONEY_ANY,                   0,      0,         "Business-rates collection deficit",    NULL,                SC(covid_br_deficit)},
    {"covid",         "spread_years",     INT,    0,                NULL,                        3,      0,         "Years a deficit is recovered over",    NULL,                SC(covid_spread_years)},
    {"covid",         "grants",           SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "Covid grants",                         NULL,                SC(covid_grants)},

    /* Resilience thresholds (model.md section 12): shares as fractions, -1 when not given. */
    {"resilience",    "min_reserves_share", NUMBER, SHARE,          SHARE_01,                    -1.0,   0,         "Usable reserves, least share of net spending", NULL,        SC(rs_min_reserves_share)},
    {"resilience",    "min_general_fund_share", NUMBER, SHARE,      SHARE_01,                    -1.0,   0,         "General fund, least share of net spending", NULL,           SC(rs_min_general_fund_share)},
    {"resilience",    "min_months",       NUMBER, MTFS_UNIT_COUNT,  &range_months,               -1.0,   0,         "Months of net spending covered, least", NULL,               SC(rs_min_months)},
    {"resilience",    "max_reserves_fall", NUMBER, SHARE,           SHARE_01,                    -1.0,   0,         "Fall in usable reserves in a year, most", NULL,             SC(rs_max_reserves_fall)},
    {"resilience",    "max_financing_share", NUMBER, SHARE,         SHARE_01,                    -1.0,   0,         "Interest and MRP, most share of net spending", NULL,        SC(rs_max_financing_share)},
    {"resilience",    "max_social_care_share", NUMBER, SHARE,       SHARE_01,                    -1.0,   0,         "Social care, most share of net spending", NULL,             SC(rs_max_social_care_share)},
    {"resilience",    "min_council_tax_share", NUMBER, SHARE,       SHARE_01,                    -1.0,   0,         "Council tax, least share of funding",  NULL,                SC(rs_min_council_tax_share)},
    {"resilience",    "max_gap_share",    NUMBER, SHARE,            SHARE_01,                    -1.0,   0,         "Unfunded gap, most share of net spending", NULL,            SC(rs_max_gap_share)},
    {"resilience",    "sources",          TEXT,   0,                NULL,                        0,      HAND,      "Sources of the figures",               NULL,                0},

    /* Capital financing (model.md section 10); life, method and capitalisation_life by hand. */
    {"capital",       "programme",        SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "Capital programme",                    NULL,                SC(cap_programme)},
    {"capital",       "grants",           SERIES, SHARE,            SHARE_01,                    0,      UNC,       "Capital programme, share from grants", NULL,                SC(cap_grants)},
    {"capital",       "receipts",         SERIES, SHARE,            SHARE_01,                    0,      0,         "Capital programme, share from receipts", NULL,              SC(cap_receipts)},
    {"capital",       "revenue",          SERIES, SHARE,            SHARE_01,                    0,      0,         "Capital programme, share from revenue", NULL,               SC(cap_revenue)},
    {"capital",       "cfr",              NUMBER, MONEY,            MONEY_NONNEG,                0,      0,         "Capital financing requirement",        NULL,                SC(cap_cfr)},
    {"capital",       "mrp",              SERIES, MONEY,            MONEY_NONNEG,                0,      0,         "Existing debt's MRP",                  NULL,                SC(cap_mrp)},
    {"capital",       "interest",         SERIES, MONEY,            MONEY_NONNEG,                0,      0,         "Existing debt's interest",             NULL,                SC(cap_interest)},
    {"capital",       "life",             INT,    0,                NULL,                        0,      0,         "Asset life",                           NULL,                SC(cap_life)},
    {"capital",       "method",           CHOICE, 0,                NULL,                        0,      0,         "MRP method",                           NULL,                SC(cap_annuity)},
    {"capital",       "annuity_rate",     NUMBER, SHARE,            &range_annuity_rate,         0,      0,         "MRP annuity rate",                     NULL,                SC(cap_annuity_rate)},
    {"capital",       "rate",             SERIES, SHARE,            &range_loan_rate,            0,      UNC,       "Interest rate on new loans",           NULL,                SC(cap_rate)},
    {"capital",       "capitalisation",   SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "Capitalisation (exceptional support)", NULL,                SC(cap_capitalisation)},
    {"capital",       "capitalisation_life", INT, 0,                NULL,                        20,     0,         "Capitalisation repaid over",           NULL,                SC(cap_capitalisation_life)},
    /* High-needs (DSG) deficit, model.md section 11; the whole numbers and
     * the treatment are read by dsg_by_hand in scenario_optional.c. */
    {"dsg",           "opening",          NUMBER, MONEY,            MONEY_NONNEG,                0,      UNC,       "High-needs deficit, opening",          NULL,                SC(dsg_opening)},
    {"dsg",           "in_year",          SERIES, MONEY,            MONEY_ANY,                   0,      UNC,       "High-needs in-year deficit",           NULL,                SC(dsg_in_year)},
    {"dsg",           "spend",            NUMBER, MONEY,            MONEY_NONNEG,                0,      UNC,       "High-needs spending",                  NULL,                SC(dsg_spend)},
    {"dsg",           "grant",            NUMBER, MONEY,            MONEY_NONNEG,                0,      UNC,       "High-needs grant",                     NULL,                SC(dsg_grant)},
    {"dsg",           "spend_growth",     SERIES, SHARE,            RATE,                        0,      UNC,       "High-needs spending growth",           NULL,                SC(dsg_spend_growth)},
    {"dsg",           "grant_growth",     SERIES, SHARE,            RATE,                        0,      UNC,       "High-needs grant growth",              NULL,                SC(dsg_grant_growth)},
    {"dsg",           "savings",          SERIES, MONEY,            MONEY_NONNEG,                0,      UNC,       "High-needs savings",                   NULL,                SC(dsg_savings)},
    {"dsg",           "central_from",     INT,    0,                NULL,                        0,      HAND,      "First year SEND is funded nationally", NULL,                SC(dsg_central_from)},
    {"dsg",           "support_share",    NUMBER, SHARE,            SHARE_01,                    0,      UNC,       "Share of the deficit written off",     NULL,                SC(dsg_support_share)},
    {"dsg",           "support_year",     INT,    0,                NULL,                        0,      HAND,      "Year of the write-off",                NULL,                SC(dsg_support_year)},
    {"dsg",           "override_end",     INT,    0,                NULL,                        0,      HAND,      "Last year of the statutory override",  NULL,                SC(dsg_override_end)},
    {"dsg",           "treatment",        CHOICE, 0,                NULL,                        0,      HAND,      "Deficit after the override",           NULL,                SC(dsg_treatment)},
    {"dsg",           "years",            INT,    0,                NULL,                        0,      HAND,      "Years the deficit is spread over",     NULL,                SC(dsg_years)},

    {"fair_funding",  "formula",          TEXT,   0,                NULL,                        0,      REQ,       "Formula file",                         NULL,                0},
    {"fair_funding",  "authority",        TEXT,   0,                NULL,                        0,      REQ,       "Authority",                            NULL,                0},
    {"fair_funding",  "start_year",       INT,    0,                NULL,                        0,      REQ,       "First year of the reform",             NULL,                SC(ff_start_year)},
    {"fair_funding",  "transition",       BLOCK,  0,                NULL,                        0,      0,         "Transition",                           NULL,                0},
    {"fair_funding",  "uplift",           CHOICE, 0,                NULL,                        0,      0,         "Uplift",                               NULL,                SC(ff_uplift_cpi)},
    {"fair_funding",  "scale",            NUMBER, 0,                &mtfs_range_factor,          1.0,    0,         "Scale",                                NULL,                SC(ff_scale)},
    {"fair_funding",  "prices",           BLOCK,  0,                NULL,                        0,      0,         "Price basis",                          NULL,                0},
    {"fair_funding.prices", "index",      TEXT,   0,                NULL,                        0,      REQ,       "Price index file",                     NULL,                0},
    {"fair_funding.prices", "series",     TEXT,   0,                NULL,                        0,      REQ,       "Price index series",                   NULL,                0},
    {"fair_funding.prices", "from",       INT,    0,                NULL,                        0,      HAND,      "Data year",                            NULL,                SC(ff_data_year)},

    {"brief",         "comparators",      BLOCK,  0,                NULL,                        0,      0,         "Comparators",                          NULL,                0},
    {"brief",         "formulas",         BLOCK,  0,                NULL,                        0,      0,         "Formulas",                             NULL,                0},

    {"uncertainty",   "seed",             INT,    0,                NULL,                        1,      0,         "Random seed",                          NULL,                SC(mc_seed)},
    {"uncertainty",   "paths",            INT,    0,                NULL,                        10000,  0,         "Monte Carlo paths",                    NULL,                SC(mc_paths)},
    {"uncertainty",   "thresholds",       BLOCK,  0,                NULL,                        0,      0,         "Gap thresholds",                       NULL,                0},
    {"uncertainty",   "parameters",       BLOCK,  0,                NULL,                        0,      REQ,       "Distributions",                        NULL,                0},
    {"uncertainty",   "correlations",     BLOCK,  0,                NULL,                        0,      0,         "Correlations",                         NULL,                0},
    {"uncertainty",   "correlation_matrix", BLOCK, 0,               NULL,                        0,      0,         "Correlation matrix",                   NULL,                0},
};

#define N_INPUTS (sizeof inputs / sizeof inputs[0])

size_t mtfs_inputs_count(void) { return N_INPUTS; }

const mtfs_input_def *mtfs_inputs_at(size_t i) { return i < N_INPUTS ? &inputs[i] : NULL; }

/* The rows of a group are contiguous (a unit test holds it), so a group is a
 * range of rows.  Loading a scenario asks for a group's rows some forty
 * times; the ranges are found once, on first use, instead of comparing the
 * group of every row each time. */
static struct {
    const char *name;
    size_t first, count;
} groups[N_INPUTS]; /* at most one group a row */
static size_t n_groups;
static pthread_once_t groups_once = PTHREAD_ONCE_INIT;

static void index_groups(void)
{
    for (size_t i = 0; i < N_INPUTS; i++) {
        if (n_groups > 0 && strcmp(groups[n_groups - 1].name, inputs[i].group) == 0) {
            groups[n_groups - 1].count++;
            continue;
        }
        groups[n_groups].name = inputs[i].group;
        groups[n_groups].first = i;
        groups[n_groups].count = 1;
        n_groups++;
    }
}

const mtfs_input_def *mtfs_inputs_group(const char *group, size_t *count)
{
    pthread_once(&groups_once, index_groups);
    for (size_t g = 0; g < n_groups; g++)
        if (strcmp(groups[g].name, group) == 0) {
            *count = groups[g].count;
            return &inputs[groups[g].first];
        }
    *count = 0;
    return NULL;
}

const mtfs_input_def *mtfs_inputs_find(const char *group, const char *key)
{
    size_t n;
    const mtfs_input_def *rows = mtfs_inputs_group(group, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

/* Group "services" or one nested in it ("services.income"): one row per
 * service. */
static int of_services(const char *group)
{
    return strncmp(group, "services", 8) == 0 && (group[8] == '\0' || group[8] == '.');
}

char *mtfs_inputs_path(const mtfs_input_def *d, const char *name, char *buf, size_t size)
{
    if (strcmp(d->group, "economy") == 0)
        snprintf(buf, size, "economy.%s", name);
    else if (of_services(d->group) && d->group[8] == '.')
        snprintf(buf, size, "services.%s.%s.%s", name, d->group + 9, d->key);
    else if (strcmp(d->group, "services") == 0 || strcmp(d->group, "grants") == 0 ||
             strcmp(d->group, "reserves.earmarked") == 0)
        snprintf(buf, size, "%s.%s.%s", d->group, name, d->key);
    else if (d->group[0])
        snprintf(buf, size, "%s.%s", d->group, d->key);
    else
        snprintf(buf, size, "%s", d->key);
    return buf;
}

char *mtfs_inputs_label(const mtfs_input_def *d, const char *name, char *buf, size_t size)
{
    int per_item = strcmp(d->group, "economy") == 0 || of_services(d->group) ||
                   strcmp(d->group, "grants") == 0 || strcmp(d->group, "reserves.earmarked") == 0;
    if (per_item)
        snprintf(buf, size, "%s, %s", d->label, name);
    else
        snprintf(buf, size, "%s", d->label);
    return buf;
}

size_t mtfs_inputs_keys(const char *group, const char **keys, size_t max)
{
    size_t n;
    const mtfs_input_def *rows = mtfs_inputs_group(group, &n);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        keys[i] = rows[i].key;
    return n;
}

/* The struct input d of item `item` lives in. */
static char *item_base(mtfs_scenario *s, const mtfs_input_def *d, size_t item)
{
    if (of_services(d->group))
        return (char *)&s->services[item];
    if (strcmp(d->group, "economy") == 0)
        return (char *)&s->economy[item];
    if (strcmp(d->group, "grants") == 0)
        return (char *)&s->grants[item];
    if (strcmp(d->group, "reserves.earmarked") == 0)
        return (char *)&s->earmarked[item];
    return (char *)s;
}

size_t mtfs_inputs_items(const mtfs_scenario *s, const mtfs_input_def *d)
{
    if (of_services(d->group))
        return s->n_services;
    if (strcmp(d->group, "economy") == 0)
        return s->n_economy;
    if (strcmp(d->group, "grants") == 0)
        return s->n_grants;
    if (strcmp(d->group, "reserves.earmarked") == 0)
        return s->n_earmarked;
    return 1;
}

const char *mtfs_inputs_item_name(const mtfs_scenario *s, const mtfs_input_def *d, size_t item)
{
    if (of_services(d->group))
        return s->services[item].name;
    if (strcmp(d->group, "economy") == 0)
        return s->economy[item].name;
    if (strcmp(d->group, "grants") == 0)
        return s->grants[item].name;
    if (strcmp(d->group, "reserves.earmarked") == 0)
        return s->earmarked[item].name;
    return "";
}

double **mtfs_inputs_series(mtfs_scenario *s, const mtfs_input_def *d, size_t item)
{
    return (double **)(item_base(s, d, item) + d->field);
}

double *mtfs_inputs_values(mtfs_scenario *s, const mtfs_input_def *d, size_t item)
{
    if ((d->flags & MTFS_INPUTS_RULE_LIST) && s->grants[item].rule == MTFS_GRANT_LIST)
        return s->grants[item].list;
    if (d->kind == MTFS_INPUT_SERIES)
        return *mtfs_inputs_series(s, d, item);
    return (double *)(item_base(s, d, item) + d->field);
}

size_t mtfs_inputs_item_count(const mtfs_scenario *s, const mtfs_input_def *d)
{
    return mtfs_inputs_items(s, d);
}

const char *mtfs_inputs_item(const mtfs_scenario *s, const mtfs_input_def *d, size_t i)
{
    return mtfs_inputs_item_name(s, d, i);
}

const double *mtfs_inputs_numbers(const mtfs_scenario *s, const mtfs_input_def *d, size_t i, size_t *n)
{
    /* mtfs_inputs_values takes the scenario to write through; here it is only read. */
    mtfs_scenario *sc = (mtfs_scenario *)s;
    *n = 0;
    if (d->kind != MTFS_INPUT_SERIES && d->kind != MTFS_INPUT_SCALAR)
        return NULL;
    const double *v = mtfs_inputs_values(sc, d, i);
    int series = d->kind == MTFS_INPUT_SERIES ||
                 ((d->flags & MTFS_INPUTS_RULE_LIST) && s->grants[i].rule == MTFS_GRANT_LIST);
    if (!v)
        return NULL;
    *n = series ? s->horizon : 1;
    return series ? v + 1 : v;
}
