/*
 * resilience.c - the financial resilience indicators of a projected path
 * (docs/model.md section 12; see mtfs/resilience.h).  Pure arithmetic on a
 * projection: no I/O; one allocation for every array.
 */
#include "mtfs/resilience.h"
#include "scenario_int.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* "adult" or "child" anywhere in the name, in any case. */
static int name_says_social_care(const char *name)
{
    static const char *const words[] = {"adult", "child"};
    for (size_t w = 0; w < 2; w++) {
        size_t n = strlen(words[w]);
        for (const char *p = name; *p; p++) {
            size_t k = 0;
            while (k < n && p[k] && tolower((unsigned char)p[k]) == words[w][k])
                k++;
            if (k == n)
                return 1;
        }
    }
    return 0;
}

int mtfs_scenario_service_social_care(const mtfs_scenario *s, size_t i)
{
    const mtfs_service *sv = &s->services[i];
    return sv->social_care >= 0 ? sv->social_care : name_says_social_care(sv->name);
}

int mtfs_scenario_has_uncertainty(const mtfs_scenario *s)
{
    return s->n_uncertain > 0;
}

const char *mtfs_verdict_name(mtfs_verdict v)
{
    return v == MTFS_VERDICT_ADEQUATE ? "adequate"
           : v == MTFS_VERDICT_CONDITIONS ? "adequate with conditions" : "not adequate";
}

size_t mtfs_scenario_source_count(const mtfs_scenario *s) { return s->rs_n_sources; }
const char *mtfs_scenario_source(const mtfs_scenario *s, size_t i) { return s->rs_sources[i]; }

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void reason(mtfs_resilience *r, mtfs_verdict level, const char *fmt, ...)
{
    if (level > r->verdict)
        r->verdict = level;
    if (r->n_reasons == MTFS_VERDICT_REASONS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reasons[r->n_reasons++], MTFS_VERDICT_REASON_MAX, fmt, ap);
    va_end(ap);
}

/* The verdict of model.md 12.4, with a sentence for each reason. */
static void judge(mtfs_resilience *r, const mtfs_projection *p)
{
    size_t T = r->horizon, near = T < 2 ? T : 2;
    char y[16], m1[32], m2[32];
    r->verdict = MTFS_VERDICT_ADEQUATE;
    size_t ex = p->exhausted_index, below = p->below_minimum_index;
    if (ex && ex <= near)
        reason(r, MTFS_VERDICT_NOT_ADEQUATE, "Usable reserves run out in %s, within two years of the "
               "budget", mtfs_year_label(r->base_year + (int)ex, y, sizeof y));
    if (below == 1)
        reason(r, MTFS_VERDICT_NOT_ADEQUATE, "The general fund falls below its minimum of %s in the "
               "budget year %s", mtfs_format_money(p->minimum_reserves[1], m1, sizeof m1),
               mtfs_year_label(r->base_year + 1, y, sizeof y));
    const mtfs_resilience_risk *k = &r->risk;
    if (k->present && k->p_exhausted[near] > 1.0 - k->confidence + 1e-12)
        reason(r, MTFS_VERDICT_NOT_ADEQUATE, "The chance that usable reserves run out by %s is %.1f%%, "
               "above the %.0f%% the confidence allows", mtfs_year_label(r->base_year + (int)near, y, sizeof y),
               100.0 * k->p_exhausted[near], 100.0 * (1.0 - k->confidence));
    if (ex > near)
        reason(r, MTFS_VERDICT_CONDITIONS, "Usable reserves run out in %s unless the gap is closed",
               mtfs_year_label(r->base_year + (int)ex, y, sizeof y));
    if (below > 1)
        reason(r, MTFS_VERDICT_CONDITIONS, "The general fund falls below its minimum in %s",
               mtfs_year_label(r->base_year + (int)below, y, sizeof y));
    for (size_t i = 0; i < MTFS_RS_COUNT; i++) {
        const mtfs_indicator *ind = &r->items[i];
        if (ind->shown && ind->first_outside)
            reason(r, MTFS_VERDICT_CONDITIONS, "%s is outside the council's threshold (%s) from %s",
                   ind->label, ind->threshold_key, mtfs_year_label(r->base_year + (int)ind->first_outside, y,
                                                                   sizeof y));
    }
    if (k->present && k->risk_chosen > r->opening_usable - r->fixed_minimum)
        reason(r, MTFS_VERDICT_CONDITIONS, "The risk-based minimum at %.0f%% confidence, %s, is more than "
               "the usable reserves held above the minimum, %s", 100.0 * k->confidence,
               mtfs_format_money(k->risk_chosen, m1, sizeof m1),
               mtfs_format_money(r->opening_usable - r->fixed_minimum, m2, sizeof m2));
}

/* Indicator k's name, label, unit and threshold. */
static const struct {
    const char *key, *label;
    mtfs_rs_unit unit;
    const char *threshold_key;   /* the resilience key that sets it, or NULL */
    int at_least;
} defs[MTFS_RS_COUNT] = {
    {"usable_reserves_share", "Usable reserves, % of net spending", MTFS_RS_UNIT_SHARE,
     "resilience.min_reserves_share", 1},
    {"general_fund_share", "General fund, % of net spending", MTFS_RS_UNIT_SHARE,
     "resilience.min_general_fund_share", 1},
    {"reserves_change", "Change in usable reserves (£m)", MTFS_RS_UNIT_MONEY, NULL, 1},
    {"reserves_change_share", "Change in usable reserves, %", MTFS_RS_UNIT_SHARE,
     "resilience.max_reserves_fall", 1},
    {"months_covered", "Months of net spending covered", MTFS_RS_UNIT_MONTHS,
     "resilience.min_months", 1},
    {"cfr", "Capital financing requirement (£m)", MTFS_RS_UNIT_MONEY, NULL, 0},
    {"borrowing", "New borrowing (£m)", MTFS_RS_UNIT_MONEY, NULL, 0},
    {"financing_share", "Interest and MRP, % of net spending", MTFS_RS_UNIT_SHARE,
     "resilience.max_financing_share", 0},
    {"social_care_share", "Social care, % of net spending", MTFS_RS_UNIT_SHARE,
     "resilience.max_social_care_share", 0},
    {"council_tax_share", "Council tax, % of funding", MTFS_RS_UNIT_SHARE,
     "resilience.min_council_tax_share", 1},
    {"gap_share", "Unfunded gap, % of net spending", MTFS_RS_UNIT_SHARE,
     "resilience.max_gap_share", 0},
};

/* The threshold the scenario sets for indicator k, or -1 for none (every
 * threshold key is a share or a count from 0 up; absent it is -1). */
static double threshold_of(const mtfs_scenario *s, size_t k)
{
    switch (k) {
    case MTFS_RS_USABLE_SHARE: return s->rs_min_reserves_share;
    case MTFS_RS_GENERAL_FUND_SHARE: return s->rs_min_general_fund_share;
    case MTFS_RS_CHANGE_SHARE: return s->rs_max_reserves_fall;
    case MTFS_RS_MONTHS: return s->rs_min_months;
    case MTFS_RS_FINANCING_SHARE: return s->rs_max_financing_share;
    case MTFS_RS_SOCIAL_CARE_SHARE: return s->rs_max_social_care_share;
    case MTFS_RS_COUNCIL_TAX_SHARE: return s->rs_min_council_tax_share;
    case MTFS_RS_GAP_SHARE: return s->rs_max_gap_share;
    default: return -1.0;
    }
}

/* a / b when b > 0, else unknown. */
static void put_share(mtfs_indicator *ind, size_t t, double a, double b)
{
    if (b > 0.0) {
        ind->value[t] = a / b;
        ind->known[t] = 1;
    }
}

static void put(mtfs_indicator *ind, size_t t, double x)
{
    ind->value[t] = x;
    ind->known[t] = 1;
}

mtfs_status mtfs_resilience_compute(const mtfs_scenario *s, const mtfs_projection *p,
                                    const mtfs_mc_result *mc, double confidence,
                                    mtfs_resilience **out, mtfs_error *err)
{
    *out = NULL;
    size_t T = p->horizon, W = T + 1;
    mtfs_resilience *r = mtfs_calloc(1, sizeof *r);
    /* value and the two risk series as doubles; known and within as bytes. */
    double *store = r ? mtfs_calloc((MTFS_RS_COUNT + 2) * W, sizeof(double)) : NULL;
    unsigned char *flags = store ? mtfs_calloc(2 * MTFS_RS_COUNT * W + 1, 1) : NULL;
    if (!flags) {
        mtfs_free(store);
        mtfs_free(r);
        return mtfs_error_oom(err, NULL);
    }
    r->store = store;
    r->horizon = T;
    r->base_year = p->base_year;
    int any_social_care = 0;
    for (size_t i = 0; i < s->n_services; i++)
        any_social_care |= mtfs_scenario_service_social_care(s, i);
    for (size_t k = 0; k < MTFS_RS_COUNT; k++) {
        mtfs_indicator *ind = &r->items[k];
        ind->key = defs[k].key;
        ind->label = defs[k].label;
        ind->unit = defs[k].unit;
        ind->at_least = defs[k].at_least;
        ind->value = store + k * W;
        ind->known = flags + 2 * k * W;
        ind->within = (signed char *)(flags + (2 * k + 1) * W);
        ind->shown = 1;
        if (k == MTFS_RS_CFR || k == MTFS_RS_BORROWING || k == MTFS_RS_FINANCING_SHARE)
            ind->shown = p->has_capital;
        if (k == MTFS_RS_SOCIAL_CARE_SHARE)
            ind->shown = any_social_care;
        double limit = threshold_of(s, k);
        if (defs[k].threshold_key && limit >= 0.0) {
            ind->threshold_key = defs[k].threshold_key;
            ind->threshold = k == MTFS_RS_CHANGE_SHARE ? -limit : limit;
        }
    }
    mtfs_indicator *it = r->items;
    for (size_t t = 1; t <= T; t++) {
        double E = p->expenditure[t], U = p->usable_reserves[t], U0 = p->usable_reserves[t - 1];
        put_share(&it[MTFS_RS_USABLE_SHARE], t, U, E);
        put_share(&it[MTFS_RS_GENERAL_FUND_SHARE], t, p->reserves[t], E);
        put(&it[MTFS_RS_CHANGE], t, U - U0);
        put_share(&it[MTFS_RS_CHANGE_SHARE], t, U - U0, U0);
        put_share(&it[MTFS_RS_MONTHS], t, 12.0 * U, E);
        put(&it[MTFS_RS_CFR], t, p->cfr[t]);
        put(&it[MTFS_RS_BORROWING], t, p->borrowing[t]);
        put_share(&it[MTFS_RS_FINANCING_SHARE], t, p->mrp[t] + p->capital_interest[t], E);
        double care = 0.0;
        for (size_t i = 0; i < s->n_services; i++)
            if (mtfs_scenario_service_social_care(s, i))
                care += MTFS_AT(p, service_spending, i, t);
        put_share(&it[MTFS_RS_SOCIAL_CARE_SHARE], t, care, E);
        put_share(&it[MTFS_RS_COUNCIL_TAX_SHARE], t, p->council_tax[t], p->funding[t]);
        put_share(&it[MTFS_RS_GAP_SHARE], t, p->gap[t], E);
    }
    for (size_t k = 0; k < MTFS_RS_COUNT; k++) {
        mtfs_indicator *ind = &r->items[k];
        for (size_t t = 0; t <= T; t++) {
            if (!ind->known[t] || !isfinite(ind->value[t])) {
                ind->known[t] = 0;
                ind->value[t] = 0.0;
            }
            ind->within[t] = -1;
            if (t == 0 || !ind->threshold_key || !ind->known[t])
                continue;
            double v = ind->value[t];
            ind->within[t] = (signed char)(ind->at_least ? v >= ind->threshold : v <= ind->threshold);
            if (!ind->within[t] && !ind->first_outside)
                ind->first_outside = t;
        }
    }
    r->opening_usable = p->usable_reserves[0];
    r->fixed_minimum = T ? p->minimum_reserves[1] : 0.0;
    r->risk.p_below_minimum = store + MTFS_RS_COUNT * W;
    r->risk.p_exhausted = store + (MTFS_RS_COUNT + 1) * W;
    r->risk.confidence = confidence;
    if (mc) {
        size_t k90 = 5, k95 = 6;   /* mtfs_mc_percentile_levels: 0.90 and 0.95 */
        r->risk.present = 1;
        r->risk.paths = mc->paths;
        r->risk.seed = mc->seed;
        r->risk.risk_p90 = fmax(0.0, mc->cumulative_pct[k90 * W + T]);
        r->risk.risk_p95 = fmax(0.0, mc->cumulative_pct[k95 * W + T]);
        r->risk.risk_chosen = confidence > 0.925 ? r->risk.risk_p95 : r->risk.risk_p90;
        for (size_t t = 1; t <= T; t++) {
            r->risk.p_below_minimum[t] = mc->p_below_minimum[t];
            r->risk.p_exhausted[t] = mc->p_exhausted[t];
        }
    }
    judge(r, p);
    *out = r;
    return MTFS_OK;
}

void mtfs_resilience_free(mtfs_resilience *r)
{
    if (!r)
        return;
    mtfs_free(r->items[0].known);
    mtfs_free(r->store);
    mtfs_free(r);
}
