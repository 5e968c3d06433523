/*
 * scenario_optional.c - the optional sections of a scenario: Covid
 * pressures (model.md section 3), capital financing (3a), the high-needs
 * (DSG) deficit (11) and the resilience thresholds (12).  A scenario without one of these blocks reads it as an
 * empty group, so every input takes its default, the engine adds nothing
 * and the reports leave the block's rows out.
 */
#include "scenario_load.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* An optional block of the top level whose keys are registry group `p`:
 * without one, an empty group, so every input takes its default (a series
 * zero) and the engine needs no branch per quantity; *present tells the
 * reports whether to show the block's rows.  *out is the block read. */
static mtfs_status optional_block(vctx *v, const mtfs_node *root, const char *p, const char *expected,
                                  mtfs_sv_hand hand, int *present, const mtfs_node **out)
{
    static const mtfs_node empty = {NULL, MTFS_NODE_GROUP, 0, 0.0, NULL, NULL, 0, 0, NULL, 0, 0};
    const mtfs_node *g = mtfs_node_get(root, p);
    *out = &empty;
    if (g && g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, p, "found %s (expected %s)", mtfs_node_type_name(g), expected);
    *present = g != NULL;
    if (g)
        *out = g;
    mtfs_status st = mtfs_sv_check_group(v, *out, p, p);
    return mtfs_sv_worse(st, mtfs_sv_load_group(v, *out, p, p, (char *)v->sc, hand, NULL));
}

/* The Covid block's two whole numbers. */
static mtfs_status covid_by_hand(vctx *v, const mtfs_node *g, const char *prefix,
                                 const mtfs_input_def *d, void *ctx)
{
    mtfs_scenario *sc = v->sc;
    long long n;
    mtfs_status st;
    (void)ctx;
    if (strcmp(d->key, "sfc_end_year") == 0) {
        st = mtfs_sv_get_int(v, g, d->key, prefix, sc->base_year, sc->base_year + 100,
                             "the last financial year compensated, e.g. 2021 for 2021/22", 0, 0, &n);
        sc->covid_sfc_end_year = (int)n;
    } else {
        st = mtfs_sv_get_int(v, g, d->key, prefix, 1, 10,
                             "the number of following years a deficit is recovered over, 1 to 10", 0,
                             (long long)d->fallback, &n);
        sc->covid_spread_years = (size_t)n;
    }
    return st;
}

mtfs_status mtfs_sv_load_covid(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    mtfs_status st = optional_block(v, root, "covid", "a group of Covid pressures, e.g. "
                                    "covid = { extra_costs = [70.0, 10.0, 0.0, 0.0]; }",
                                    covid_by_hand, &sc->has_covid, &g);
    if (st != MTFS_OK)
        return st;
    for (size_t t = 1; t <= v->T; t++)
        sc->covid_lost_income[t] *= sc->covid_taper[t];
    return MTFS_OK;
}

/* The capital block's whole numbers and its method. */
static mtfs_status capital_by_hand(vctx *v, const mtfs_node *g, const char *prefix,
                                   const mtfs_input_def *d, void *ctx)
{
    static const char *const methods[] = {"equal", "annuity"};
    mtfs_scenario *sc = v->sc;
    long long n;
    mtfs_status st;
    (void)ctx;
    if (strcmp(d->key, "method") == 0)
        return mtfs_sv_get_choice(v, g, d->key, prefix, "MRP method", methods, COUNT(methods), 0,
                                  &sc->cap_annuity);
    st = mtfs_sv_get_int(v, g, d->key, prefix, 1, 100,
                         strcmp(d->key, "life") == 0
                             ? "the life in years of the assets the programme buys, 1 to 100"
                             : "the years capitalised spending is repaid over, 1 to 100",
                         0, (long long)d->fallback, &n);
    if (strcmp(d->key, "life") == 0)
        sc->cap_life = (size_t)n;
    else
        sc->cap_capitalisation_life = (size_t)n;
    return st;
}

/* capital = { ... } (model.md section 10).  Without a block every series
 * is zero and the engine adds nothing.  The shares may not finance more
 * than the programme in any year; a borrowing programme needs its assets'
 * life and every borrowing a loan rate; annuity_rate goes with method
 * "annuity" only (across an inheritance chain the more derived file wins:
 * a method given below an inherited annuity_rate leaves it unused). */
mtfs_status mtfs_sv_load_capital(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const char *p = "capital";
    const mtfs_node *g;
    mtfs_status st = optional_block(v, root, p, "a group of capital financing inputs, e.g. "
                                    "capital = { programme = 100.0; grants = 0.5; life = 25; rate = 0.045; }",
                                    capital_by_hand, &sc->has_capital, &g);
    if (st != MTFS_OK)
        return st;
    int programme_borrows = 0, borrows = 0;
    for (size_t t = 1; t <= v->T; t++) {
        double shares = sc->cap_grants[t] + sc->cap_receipts[t] + sc->cap_revenue[t];
        if (shares > 1.0 + 1e-9) {
            const char *key = mtfs_node_get(g, "revenue") ? "revenue" : mtfs_node_get(g, "receipts") ? "receipts" : "grants";
            char full[MTFS_ERROR_KEY_MAX], year[16];
            mtfs_sv_join_key(full, sizeof full, p, key);
            return mtfs_sv_fail(v, mtfs_node_get(g, key), full,
                                "shares from grants, receipts and revenue add up to %.10g in %s "
                                "(expected at most 1: the rest of the programme is borrowed)",
                                shares, mtfs_sv_year_label(v, t, year, sizeof year));
        }
        if (sc->cap_programme[t] * (1.0 - shares) > 0.0)
            programme_borrows = borrows = 1;
        if (sc->cap_capitalisation[t] > 0.0)
            borrows = 1;
    }
    if (programme_borrows && sc->cap_life == 0)
        return mtfs_sv_fail(v, g, "capital.life", "missing (expected the life in years of the assets the "
                            "programme buys, 1 to 100: each year's borrowing is repaid over it)");
    if (borrows && !mtfs_node_get(g, "rate"))
        return mtfs_sv_fail(v, g, "capital.rate", "missing (expected the interest rate on each year's new "
                            "loans, e.g. 0.045 for 4.5%%, or a list of %zu rates)", v->T);
    const mtfs_node *method = mtfs_node_get(g, "method"), *rate = mtfs_node_get(g, "annuity_rate");
    if (sc->cap_annuity && !rate)
        return mtfs_sv_fail(v, method, "capital.annuity_rate", "missing (expected %s; method \"annuity\" "
                            "needs it)", mtfs_inputs_find(p, "annuity_rate")->range->expected);
    if (!sc->cap_annuity && rate && (!method || mtfs_sv_file_rank(v, method) >= mtfs_sv_file_rank(v, rate)))
        return mtfs_sv_fail(v, rate, "capital.annuity_rate", "given with method \"equal\" (expected "
                            "annuity_rate only with method = \"annuity\")");
    return MTFS_OK;
}

/* The DSG block's whole numbers and its treatment (model.md section 11).
 * Years: support_year inside the projection, override_end from the base
 * year on (the opening deficit sits in the override's reserve), central_from
 * after the base year; later cross-checks are in load_dsg. */
static mtfs_status dsg_by_hand(vctx *v, const mtfs_node *g, const char *prefix,
                               const mtfs_input_def *d, void *ctx)
{
    static const char *const treatments[] = {"reserves", "spread", "none"};
    mtfs_scenario *sc = v->sc;
    int y0 = sc->base_year, T = (int)sc->horizon;
    long long n;
    char expected[160], first[16], last[16];
    mtfs_status st;
    (void)ctx;
    if (strcmp(d->key, "treatment") == 0) {
        int choice;
        st = mtfs_sv_get_choice(v, g, d->key, prefix, "treatment of the deficit after the override",
                                treatments, COUNT(treatments), MTFS_DSG_RESERVES, &choice);
        sc->dsg_treatment = (mtfs_dsg_treatment)choice;
        return st;
    }
    if (strcmp(d->key, "years") == 0) {
        st = mtfs_sv_get_int(v, g, d->key, prefix, 1, 50,
                             "the number of years the deficit is spread over, 1 to 50", 0, 0, &n);
        sc->dsg_years = (size_t)n;
        return st;
    }
    if (strcmp(d->key, "support_year") == 0) {
        snprintf(expected, sizeof expected, "a projected year, %s to %s: a write-off in the base "
                 "year or before belongs in the opening deficit",
                 mtfs_sv_year_label(v, 1, first, sizeof first),
                 mtfs_sv_year_label(v, sc->horizon, last, sizeof last));
        st = mtfs_sv_get_int(v, g, d->key, prefix, y0 + 1, y0 + T, expected, 0, 0, &n);
        sc->dsg_support_year = (int)n;
    } else if (strcmp(d->key, "override_end") == 0) {
        snprintf(expected, sizeof expected, "the last financial year of the statutory override, "
                 "from the base year %d on, e.g. 2027 for 2027/28", y0);
        st = mtfs_sv_get_int(v, g, d->key, prefix, y0, y0 + 100, expected, 0, 0, &n);
        sc->dsg_override_end = (int)n;
    } else {
        snprintf(expected, sizeof expected, "the first financial year SEND is funded nationally, "
                 "after the base year %d, e.g. 2028 for 2028/29", y0);
        st = mtfs_sv_get_int(v, g, d->key, prefix, y0 + 1, y0 + 100, expected, 0, 0, &n);
        sc->dsg_central_from = (int)n;
    }
    return st;
}

/* One key of the DSG block that needs another (or excludes it): the first
 * problem, located at `key`'s node. */
static mtfs_status dsg_pairs(vctx *v, const mtfs_node *g)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *in_year = mtfs_node_get(g, "in_year"), *spend = mtfs_node_get(g, "spend");
    const mtfs_node *grant = mtfs_node_get(g, "grant");
    static const char *const path_keys[] = {"spend_growth", "grant_growth", "savings"};
    if (in_year && spend)
        return mtfs_sv_fail(v, spend, "dsg.spend", "given together with dsg.in_year (expected one of "
                            "them: in_year, the deficit of each year, or spend and grant)");
    if (spend && !grant)
        return mtfs_sv_fail(v, spend, "dsg.spend", "given without dsg.grant (expected both: the "
                            "base year's high-needs spending and grant)");
    if (grant && !spend)
        return mtfs_sv_fail(v, grant, "dsg.grant", "given without dsg.spend (expected both: the "
                            "base year's high-needs spending and grant)");
    for (size_t k = 0; k < COUNT(path_keys); k++) {
        const mtfs_node *n = mtfs_node_get(g, path_keys[k]);
        char key[32];
        snprintf(key, sizeof key, "dsg.%s", path_keys[k]);
        if (n && !spend)
            return mtfs_sv_fail(v, n, key, "given without dsg.spend (expected spend and grant, "
                                "which it grows, or in_year alone)");
    }
    const mtfs_node *share = mtfs_node_get(g, "support_share"), *year = mtfs_node_get(g, "support_year");
    if (share && !year)
        return mtfs_sv_fail(v, share, "dsg.support_share", "given without dsg.support_year "
                            "(expected both: the share written off and the year it is paid)");
    if (year && !share)
        return mtfs_sv_fail(v, year, "dsg.support_year", "given without dsg.support_share "
                            "(expected both: the share written off and the year it is paid)");
    const mtfs_node *end = mtfs_node_get(g, "override_end"), *how = mtfs_node_get(g, "treatment");
    const mtfs_node *years = mtfs_node_get(g, "years");
    if (how && !end)
        return mtfs_sv_fail(v, how, "dsg.treatment", "given without dsg.override_end (expected "
                            "override_end, the last year of the statutory override, for a treatment "
                            "to apply after it)");
    if (sc->dsg_treatment == MTFS_DSG_SPREAD && !years)
        return mtfs_sv_fail(v, how, "dsg.treatment", "is \"spread\" without dsg.years (expected years, "
                            "the number of years the deficit is spread over)");
    if (years && sc->dsg_treatment != MTFS_DSG_SPREAD)
        return mtfs_sv_fail(v, years, "dsg.years", "given with treatment \"%s\" (expected years "
                            "only with treatment = \"spread\")",
                            sc->dsg_treatment == MTFS_DSG_NONE ? "none" : "reserves");
    if (year && end && sc->dsg_treatment != MTFS_DSG_NONE && sc->dsg_support_year > sc->dsg_override_end)
        return mtfs_sv_fail(v, year, "dsg.support_year", "%d is after the override ends in %d "
                            "(expected a year up to dsg.override_end: once the deficit has reached "
                            "the general fund, support is a grant)",
                            sc->dsg_support_year, sc->dsg_override_end);
    return MTFS_OK;
}

mtfs_status mtfs_sv_load_dsg(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    mtfs_status st = optional_block(v, root, "dsg", "a group for the high-needs deficit, e.g. "
                                    "dsg = { opening = 118.0; in_year = 45.0; }",
                                    dsg_by_hand, &sc->has_dsg, &g);
    if (st != MTFS_OK)
        return st;
    sc->dsg_has_in_year = mtfs_node_get(g, "in_year") != NULL || mtfs_node_get(g, "spend") == NULL;
    return dsg_pairs(v, g);
}

/* resilience = { ... } (model.md section 12): the thresholds the council
 * sets for its resilience indicators.  Without a block every threshold is
 * -1 (none) and has_resilience 0. */
mtfs_status mtfs_sv_load_resilience(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    mtfs_status st = optional_block(v, root, "resilience", "a group of thresholds, e.g. "
                                    "resilience = { min_reserves_share = 0.05; min_months = 1.0; }",
                                    NULL, &sc->has_resilience, &g);
    /* sources = ["...", ...]: where the figures come from, for the statement. */
    const mtfs_node *list = mtfs_node_get(g, "sources");
    const char *expected = "a list of strings, each naming where figures come from, e.g. "
                           "[\"Budget report, February 2025\"]";
    if (!list || (st != MTFS_OK && st != MTFS_EINPUT))
        return st;
    if (list->type != MTFS_NODE_LIST)
        return mtfs_sv_worse(st, mtfs_sv_fail(v, list, "resilience.sources", "found %s (expected %s)",
                                              mtfs_node_type_name(list), expected));
    if (list->n_children > MTFS_RS_SOURCES_MAX)
        return mtfs_sv_worse(st, mtfs_sv_fail(v, list, "resilience.sources", "has %zu entries (expected "
                                              "at most %d)", list->n_children, MTFS_RS_SOURCES_MAX));
    for (size_t i = 0; i < list->n_children; i++) {
        const mtfs_node *e = list->children[i];
        if (e->type != MTFS_NODE_STRING || !e->text[0])
            return mtfs_sv_worse(st, mtfs_sv_fail(v, e, "resilience.sources", "entry %zu is %s (expected %s)",
                                                  i + 1, e->type == MTFS_NODE_STRING ? "an empty string"
                                                  : mtfs_node_type_name(e), expected));
        if (strlen(e->text) >= MTFS_RS_SOURCE_LEN)
            return mtfs_sv_worse(st, mtfs_sv_fail(v, e, "resilience.sources", "entry %zu is %zu bytes long "
                                                  "(expected at most %d)", i + 1, strlen(e->text),
                                                  MTFS_RS_SOURCE_LEN - 1));
        snprintf(sc->rs_sources[i], MTFS_RS_SOURCE_LEN, "%s", e->text);
        sc->rs_n_sources = i + 1;
    }
    return st;
}
