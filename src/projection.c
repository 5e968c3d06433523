/*
 * projection.c - the deterministic MTFS projection (docs/model.md 2-4).
 *
 * mtfs_project is a pure function of a validated scenario: it writes into
 * the preallocated record and neither allocates nor prints, so it can run
 * inside Monte Carlo loops.  Equations are written as in model.md so the two
 * can be read side by side.
 */
#include "mtfs/projection.h"
#include "scenario_int.h"
#include "util.h"

#include <math.h>
#include <string.h>

/* The arrays of one projection record, in one allocation. */
enum {
    N_TOTAL_SERIES = 41,   /* expenditure .. capital_financing, earmarked .. usable_reserves, dsg_* */
    N_SERVICE_SERIES = 7,
    N_GRANT_SERIES = 1,
    N_INDEX_SERIES = 1,
    N_EARMARKED_SERIES = 3
};

mtfs_projection *mtfs_projection_alloc(const mtfs_scenario *s)
{
    mtfs_projection *p = mtfs_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    size_t n = s->horizon + 1;
    size_t total = n * (N_TOTAL_SERIES + N_SERVICE_SERIES * s->n_services +
                        N_GRANT_SERIES * s->n_grants + N_INDEX_SERIES * s->n_indices +
                        N_EARMARKED_SERIES * s->n_earmarked);
    double *block = mtfs_calloc(total, sizeof *block);
    if (!block) {
        mtfs_free(p);
        return NULL;
    }
    p->horizon = s->horizon;
    p->n_services = s->n_services;
    p->n_grants = s->n_grants;
    p->n_indices = s->n_indices;
    p->n_earmarked = s->n_earmarked;
    p->base_year = s->base_year;
    p->has_capital = s->has_capital;
    p->has_dsg = s->has_dsg;
    double *next = block;
#define TAKE(field, count) do { p->field = next; next += (count); } while (0)
    /* expenditure must stay first: mtfs_projection_free releases it. */
    TAKE(expenditure, n);
    TAKE(funding, n);
    TAKE(gap, n);
    TAKE(incremental_gap, n);
    TAKE(cumulative_gap, n);
    TAKE(gap_share, n);
    TAKE(reserves, n);
    TAKE(reserves_use, n);
    TAKE(contributions, n);
    TAKE(minimum_reserves, n);
    TAKE(council_tax, n);
    TAKE(taxbase, n);
    TAKE(band_d, n);
    TAKE(council_tax_rise, n);
    TAKE(business_rates, n);
    TAKE(grants, n);
    TAKE(contingency, n);
    TAKE(one_off, n);
    TAKE(savings_planned, n);
    TAKE(savings_delivered, n);
    TAKE(savings_undelivered, n);
    TAKE(covid_expenditure, n);
    TAKE(covid_compensation, n);
    TAKE(covid_deficit_charge, n);
    TAKE(covid_funding, n);
    TAKE(covid_pressure, n);
    TAKE(gap_without_covid, n);
    TAKE(formula_adjustment, n);
    TAKE(capital_programme, n);
    TAKE(borrowing, n);
    TAKE(cfr, n);
    TAKE(mrp, n);
    TAKE(capital_interest, n);
    TAKE(capital_financing, n);
    TAKE(earmarked, n);
    TAKE(earmarked_drawn, n);
    TAKE(usable_reserves, n);
    TAKE(dsg_in_year, n);
    TAKE(dsg_cumulative, n);
    TAKE(dsg_expenditure_charge, n);
    TAKE(dsg_reserves_charge, n);
    TAKE(service_recurring, n * s->n_services);
    TAKE(service_spending, n * s->n_services);
    TAKE(service_inflation, n * s->n_services);
    TAKE(service_planned, n * s->n_services);
    TAKE(service_delivered, n * s->n_services);
    TAKE(service_gross, n * s->n_services);
    TAKE(service_income, n * s->n_services);
    TAKE(grant_amount, n * s->n_grants);
    TAKE(index_price, n * s->n_indices);
    TAKE(earmarked_balance, n * s->n_earmarked);
    TAKE(earmarked_gap_draw, n * s->n_earmarked);
    TAKE(earmarked_uncovered, n * s->n_earmarked);
#undef TAKE
    return p;
}

void mtfs_projection_free(mtfs_projection *p)
{
    if (!p)
        return;
    mtfs_free(p->expenditure);
    mtfs_free(p);
}

/* price_s(t): the service's index, a weighted mix of economy series. */
static double index_value(const mtfs_scenario *s, const mtfs_price_index *ix, size_t t)
{
    double price = 0.0;
    for (size_t k = 0; k < ix->n_terms; k++)
        price += ix->weights[k] * s->economy[ix->series[k]].values[t];
    return price;
}

static void project_services(const mtfs_scenario *s, mtfs_projection *p, int detail)
{
    const size_t T = s->horizon;
    const double *pay = s->economy[s->pay].values;
    for (size_t t = 0; t <= T; t++) {
        p->expenditure[t] = t ? s->contingency[t] : 0.0;
        p->contingency[t] = t ? s->contingency[t] : 0.0;
        p->one_off[t] = p->savings_planned[t] = p->savings_delivered[t] = 0.0;
    }
    /* Each price index once a year, however many services use it. */
    for (size_t k = 0; k < s->n_indices; k++)
        for (size_t t = 1; t <= T; t++)
            MTFS_AT(p, index_price, k, t) = index_value(s, &s->indices[k], t);
    for (size_t i = 0; i < s->n_services; i++) {
        const mtfs_service *sv = &s->services[i];
        const double *price = &MTFS_AT(p, index_price, sv->price_index, 0);
        /* With an income block R is gross and I the income taken off it;
         * without one I stays 0 and R - I is R exactly. */
        double R = sv->base, I = sv->has_income ? sv->income_base : 0.0;
        MTFS_AT(p, service_recurring, i, 0) = R;
        MTFS_AT(p, service_spending, i, 0) = R - I;
        MTFS_AT(p, service_inflation, i, 0) = 0.0;
        MTFS_AT(p, service_planned, i, 0) = 0.0;
        MTFS_AT(p, service_delivered, i, 0) = 0.0;
        MTFS_AT(p, service_gross, i, 0) = R;
        MTFS_AT(p, service_income, i, 0) = I;
        p->expenditure[0] += R - I;
        for (size_t t = 1; t <= T; t++) {
            double infl = sv->pay_share * pay[t] + (1.0 - sv->pay_share) * price[t];
            double delivered = sv->savings[t] * sv->delivery[t];
            R = R * (1.0 + infl) * (1.0 + sv->demand[t]) + sv->growth[t] - delivered;
            if (sv->has_income)
                I = I * (1.0 + sv->income_growth[t]);
            double E_s = R - I + sv->one_off[t];
            if (detail) {
                MTFS_AT(p, service_recurring, i, t) = R;
                MTFS_AT(p, service_spending, i, t) = E_s;
                MTFS_AT(p, service_inflation, i, t) = infl;
                MTFS_AT(p, service_planned, i, t) = sv->savings[t];
                MTFS_AT(p, service_delivered, i, t) = delivered;
                MTFS_AT(p, service_gross, i, t) = R + sv->one_off[t];
                MTFS_AT(p, service_income, i, t) = I;
            }
            p->expenditure[t] += E_s;
            if (detail) {
                p->one_off[t] += sv->one_off[t];
                p->savings_planned[t] += sv->savings[t];
                p->savings_delivered[t] += delivered;
            }
        }
    }
    for (size_t t = 0; t <= T; t++)
        p->savings_undelivered[t] = detail ? p->savings_planned[t] - p->savings_delivered[t] : 0.0;
}

static void project_funding(const mtfs_scenario *s, mtfs_projection *p, int detail)
{
    const size_t T = s->horizon;
    const double *cpi = s->economy[s->cpi].values;

    p->taxbase[0] = s->taxbase;
    p->band_d[0] = s->band_d;
    p->council_tax_rise[0] = 0.0;
    /* Base-year council tax at year 1's collection rate: for reference only,
     * the base budget is balanced by definition. */
    p->council_tax[0] = s->taxbase * s->band_d * s->collection_rate[1] / 1e6;
    p->business_rates[0] = s->business_rates;
    for (size_t t = 1; t <= T; t++) {
        double rise = s->ct_core[t] + s->ct_asc[t];
        p->taxbase[t] = p->taxbase[t - 1] * (1.0 + s->taxbase_growth[t]);
        p->band_d[t] = p->band_d[t - 1] * (1.0 + rise);
        p->council_tax_rise[t] = rise;
        p->council_tax[t] = p->taxbase[t] * p->band_d[t] * s->collection_rate[t] / 1e6 +
                            s->collection_fund[t];
        p->business_rates[t] = p->business_rates[t - 1] * (1.0 + s->business_rates_growth[t]);
    }

    for (size_t t = 0; t <= T; t++)
        p->grants[t] = 0.0;
    for (size_t g = 0; g < s->n_grants; g++) {
        const mtfs_grant *gr = &s->grants[g];
        /* `level` is the grant as if it never ended, so that a grant that
         * ends does not change how the others grow. */
        double level = gr->amount;
        MTFS_AT(p, grant_amount, g, 0) = level;
        p->grants[0] += level;
        for (size_t t = 1; t <= T; t++) {
            switch (gr->rule) {
            case MTFS_GRANT_FLAT: level = gr->amount; break;
            case MTFS_GRANT_CPI: level *= 1.0 + cpi[t]; break;
            case MTFS_GRANT_RATE: level *= 1.0 + gr->rate[t]; break;
            case MTFS_GRANT_LIST: level = gr->list[t]; break;
            }
            int ended = gr->end_year && s->base_year + (int)t > gr->end_year;
            double G = ended ? 0.0 : level;
            if (detail)
                MTFS_AT(p, grant_amount, g, t) = G;
            p->grants[t] += G;
        }
    }
    for (size_t t = 0; t <= T; t++) {
        p->formula_adjustment[t] = s->formula_adjustment[t];
        p->funding[t] = p->council_tax[t] + p->business_rates[t] + p->grants[t] +
                        s->formula_adjustment[t];
    }

    if (!detail)
        return;
    double rise1 = p->council_tax_rise[1];
    p->council_tax_per_percent = p->council_tax[1] * 0.01 / (1.0 + rise1);
    p->referendum_index = 0;
    for (size_t t = 1; t <= T && !p->referendum_index; t++)
        if (p->council_tax_rise[t] > s->referendum_limit[t] + 1e-12)
            p->referendum_index = t;
}

/* model.md section 5.  Lost sales, fees and charges raise net spending;
 * compensation pays sfc_rate of the loss beyond the deductible; a
 * collection-fund deficit of year y is recovered in equal parts over the
 * spread_years that follow (parts falling beyond the horizon are not shown). */
static void project_covid(const mtfs_scenario *s, mtfs_projection *p, int detail)
{
    if (!s->has_covid && !detail)
        return;   /* the Covid arrays are zero from allocation, never written */
    const size_t T = s->horizon;
    for (size_t t = 0; t <= T; t++) {
        p->covid_expenditure[t] = p->covid_compensation[t] = p->covid_deficit_charge[t] = 0.0;
        p->covid_funding[t] = p->covid_pressure[t] = 0.0;
    }
    if (!s->has_covid)
        return;
    for (size_t t = 1; t <= T; t++) {
        double lost = s->covid_lost_income[t];
        double borne = s->covid_sfc_deductible * s->covid_budgeted_income[t];
        int compensated = !s->covid_sfc_end_year || s->base_year + (int)t <= s->covid_sfc_end_year;
        double compensation = compensated && lost > borne ? s->covid_sfc_rate * (lost - borne) : 0.0;
        double charge = 0.0;
        for (size_t y = 1; y < t; y++)
            if (t - y <= s->covid_spread_years)
                charge += (s->covid_ct_deficit[y] + s->covid_br_deficit[y]) /
                          (double)s->covid_spread_years;
        p->covid_expenditure[t] = s->covid_extra_costs[t] + lost;
        p->covid_compensation[t] = compensation;
        p->covid_deficit_charge[t] = charge;
        p->covid_funding[t] = compensation + s->covid_grants[t] - charge;
        p->covid_pressure[t] = p->covid_expenditure[t] - p->covid_funding[t];
        p->expenditure[t] += p->covid_expenditure[t];
        p->funding[t] += p->covid_funding[t];
    }
}

/* Tranche arithmetic of model.md section 10 for one life L: for a loan of
 * 1 taken in year k, charge[n] is MRP_k(k + n) and left[n] what is still
 * outstanding at the start of year k + n (so left[1] = 1), n = 1..T.  A
 * loan is repaid in full after L years: both are 0 from n = L + 1, so a
 * horizon longer than L charges a tranche nothing once it is repaid. */
static void tranche_shape(size_t T, size_t L, int annuity, double i, double *charge, double *left)
{
    double repaid = 0.0, first = annuity ? i / (pow(1.0 + i, (double)L) - 1.0) : 0.0;
    for (size_t n = 1; n <= T; n++) {
        left[n] = n <= L ? 1.0 - repaid : 0.0;
        charge[n] = n > L ? 0.0 : annuity ? first * pow(1.0 + i, (double)(n - 1)) : 1.0 / (double)L;
        repaid += charge[n];
    }
}

/* model.md section 10: each year's borrowing is two tranches, the
 * programme's (life L) and the capitalisation's (its own life); each is
 * charged MRP and interest from the year after it is taken, at the rate of
 * the year it was taken.  Nothing is charged in the base year: its
 * financing costs are in the approved budget.  O(T^2) with the two shapes
 * on the stack. */
static void project_capital(const mtfs_scenario *s, mtfs_projection *p)
{
    if (!s->has_capital)
        return;   /* the capital arrays are zero from allocation, never written */
    const size_t T = s->horizon;
    double charge_p[MTFS_HORIZON_MAX + 1], left_p[MTFS_HORIZON_MAX + 1];
    double charge_c[MTFS_HORIZON_MAX + 1], left_c[MTFS_HORIZON_MAX + 1];
    /* A programme that never borrows may have no life: its shape is unused. */
    tranche_shape(T, s->cap_life ? s->cap_life : 1, s->cap_annuity, s->cap_annuity_rate, charge_p, left_p);
    tranche_shape(T, s->cap_capitalisation_life, s->cap_annuity, s->cap_annuity_rate, charge_c, left_c);
    p->capital_programme[0] = p->borrowing[0] = p->mrp[0] = 0.0;
    p->capital_interest[0] = p->capital_financing[0] = 0.0;
    p->cfr[0] = s->cap_cfr;
    for (size_t t = 1; t <= T; t++) {
        double P = s->cap_programme[t];
        double financed = s->cap_grants[t] + s->cap_receipts[t] + s->cap_revenue[t];
        double mrp = s->cap_mrp[t], interest = s->cap_interest[t];
        for (size_t k = 1; k < t; k++) {
            double Bp = s->cap_programme[k] * (1.0 - s->cap_grants[k] - s->cap_receipts[k] - s->cap_revenue[k]);
            double Bc = s->cap_capitalisation[k];
            size_t n = t - k;
            mrp += Bp * charge_p[n] + Bc * charge_c[n];
            interest += s->cap_rate[k] * (Bp * left_p[n] + Bc * left_c[n]);
        }
        p->capital_programme[t] = P;
        p->borrowing[t] = P * (1.0 - financed) + s->cap_capitalisation[t];
        p->mrp[t] = mrp;
        p->capital_interest[t] = interest;
        p->cfr[t] = p->cfr[t - 1] + p->borrowing[t] - mrp;
        p->capital_financing[t] = mrp + interest + P * s->cap_revenue[t] - s->cap_capitalisation[t];
        p->expenditure[t] += p->capital_financing[t];
    }
}

/* model.md section 11, year t: the general fund GF (p->reserves) and each
 * earmarked reserve EM_j.  A reserve's planned uses and contributions come
 * first; uses beyond what it holds fall on GF (the spending is in E(t) and
 * must be paid for).  Then use(t) is drawn from GF down to 0, then from
 * each reserve available for the gap, in the order listed, down to 0; what
 * is left takes GF below 0.  A surplus (use < 0) adds to GF. */
static void project_earmarked(const mtfs_scenario *s, mtfs_projection *p, size_t t)
{
    double uncovered = 0.0, total = 0.0, drawn = 0.0;
    for (size_t j = 0; j < s->n_earmarked; j++) {
        const mtfs_earmarked *em = &s->earmarked[j];
        double before = MTFS_AT(p, earmarked_balance, j, t - 1) - em->uses[t] + em->contributions[t];
        MTFS_AT(p, earmarked_uncovered, j, t) = before < 0.0 ? -before : 0.0;
        MTFS_AT(p, earmarked_balance, j, t) = before < 0.0 ? 0.0 : before;
        MTFS_AT(p, earmarked_gap_draw, j, t) = 0.0;
        uncovered += MTFS_AT(p, earmarked_uncovered, j, t);
    }
    double general = p->reserves[t - 1] + p->contributions[t] - uncovered;
    double rest = p->reserves_use[t] - (general > 0.0 ? general : 0.0);
    for (size_t j = 0; j < s->n_earmarked && rest > 0.0; j++) {
        if (!s->earmarked[j].available_for_gap)
            continue;
        double held = MTFS_AT(p, earmarked_balance, j, t);
        double take = rest < held ? rest : held;
        MTFS_AT(p, earmarked_gap_draw, j, t) = take;
        MTFS_AT(p, earmarked_balance, j, t) = held - take;
        drawn += take;
        rest -= take;
    }
    for (size_t j = 0; j < s->n_earmarked; j++)
        total += MTFS_AT(p, earmarked_balance, j, t);
    p->reserves[t] = general - (p->reserves_use[t] - drawn);
    p->earmarked[t] = total;
    p->earmarked_drawn[t] = drawn;
}

/* model.md section 11, the high-needs (DSG) deficit.  d(t) is the year's
 * deficit (given, or spending less grant), zero from central_from on; W(t)
 * the write-off in support_year; D(t) the deficit held under the override.
 * After override_end the treatment decides what reaches the general fund:
 * "reserves" charges D to reserves in the first year after and every later
 * d to spending; "spread" charges D(override_end) to spending in `years`
 * equal parts, and every later d; "none" keeps it all under the override.
 * Without a block every array is zero (from allocation: never written). */
static void project_dsg(const mtfs_scenario *s, mtfs_projection *p)
{
    if (!s->has_dsg)
        return;
    const size_t T = s->horizon;
    double H = s->dsg_spend, G = s->dsg_grant, D = s->dsg_opening, part = 0.0;
    p->dsg_in_year[0] = p->dsg_expenditure_charge[0] = p->dsg_reserves_charge[0] = 0.0;
    p->dsg_cumulative[0] = D;
    for (size_t t = 1; t <= T; t++) {
        int year = s->base_year + (int)t;
        H = H * (1.0 + s->dsg_spend_growth[t]) - s->dsg_savings[t];
        G = G * (1.0 + s->dsg_grant_growth[t]);
        double d = s->dsg_has_in_year ? s->dsg_in_year[t] : H - G;
        if (s->dsg_central_from && year >= s->dsg_central_from)
            d = 0.0;
        double W = year == s->dsg_support_year ? s->dsg_support_share * D : 0.0;
        double to_spending = 0.0, to_reserves = 0.0;
        int after = s->dsg_override_end && year > s->dsg_override_end &&
                    s->dsg_treatment != MTFS_DSG_NONE;
        if (!after) {
            D = D + d - W;
        } else if (s->dsg_treatment == MTFS_DSG_RESERVES) {
            if (year == s->dsg_override_end + 1) {
                to_reserves = D + d - W;   /* the outstanding deficit, at once */
                D = 0.0;
            } else {
                D = D - W;
                to_spending = d;
            }
        } else {   /* spread: D(override_end) in `years` equal parts */
            if (year == s->dsg_override_end + 1)
                part = D / (double)s->dsg_years;
            double charge = year <= s->dsg_override_end + (int)s->dsg_years ? part : 0.0;
            D = D - W - charge;
            to_spending = charge + d;
        }
        p->dsg_in_year[t] = d;
        p->dsg_cumulative[t] = D;
        p->dsg_expenditure_charge[t] = to_spending;
        p->dsg_reserves_charge[t] = to_reserves;
        p->expenditure[t] += to_spending;
    }
}

static void project_gap_and_reserves(const mtfs_scenario *s, mtfs_projection *p, int detail)
{
    const size_t T = s->horizon;
    p->gap[0] = p->incremental_gap[0] = p->cumulative_gap[0] = p->gap_share[0] = 0.0;
    p->gap_without_covid[0] = 0.0;
    p->reserves[0] = s->reserves_opening;
    p->earmarked[0] = p->earmarked_drawn[0] = 0.0;
    for (size_t j = 0; j < s->n_earmarked; j++) {
        MTFS_AT(p, earmarked_balance, j, 0) = s->earmarked[j].opening;
        MTFS_AT(p, earmarked_gap_draw, j, 0) = MTFS_AT(p, earmarked_uncovered, j, 0) = 0.0;
        p->earmarked[0] += s->earmarked[j].opening;
    }
    p->usable_reserves[0] = p->reserves[0] + p->earmarked[0];
    p->reserves_use[0] = p->contributions[0] = 0.0;
    p->below_minimum_index = p->exhausted_index = 0;
    for (size_t t = 0; t <= T; t++)
        p->minimum_reserves[t] = s->reserves_minimum_share >= 0.0
                                     ? s->reserves_minimum_share * p->expenditure[t]
                                     : s->reserves_minimum;
    for (size_t t = 1; t <= T; t++) {
        p->gap[t] = p->expenditure[t] - p->funding[t];
        if (detail) {
            p->gap_without_covid[t] = p->gap[t] - p->covid_pressure[t];
            p->incremental_gap[t] = p->gap[t] - p->gap[t - 1];
        }
        p->cumulative_gap[t] = p->cumulative_gap[t - 1] + (p->gap[t] > 0.0 ? p->gap[t] : 0.0);
        if (detail)
            p->gap_share[t] = p->expenditure[t] != 0.0 ? p->gap[t] / p->expenditure[t] : 0.0;
        p->reserves_use[t] = s->reserves_policy == MTFS_RESERVES_COVER_GAP ? p->gap[t] : 0.0;
        p->contributions[t] = s->contributions[t];
        if (s->n_earmarked)
            project_earmarked(s, p, t);
        else
            p->reserves[t] = p->reserves[t - 1] - p->reserves_use[t] + p->contributions[t];
        /* The high-needs deficit charged to reserves falls on the general
         * fund (model.md section 11); zero without a dsg block. */
        p->reserves[t] -= p->dsg_reserves_charge[t];
        p->usable_reserves[t] = p->reserves[t] + p->earmarked[t];
        if (!p->below_minimum_index && p->reserves[t] < p->minimum_reserves[t])
            p->below_minimum_index = t;
        if (!p->exhausted_index && p->usable_reserves[t] < 0.0)
            p->exhausted_index = t;
    }
}

/* Name the first non-finite result, so an overflow is reported, not printed. */
static mtfs_status check_finite(const mtfs_scenario *s, const mtfs_projection *p, int detail,
                                mtfs_error *err)
{
    const struct { const char *name; const double *v; } totals[] = {
        {"expenditure", p->expenditure}, {"funding", p->funding}, {"gap", p->gap},
        {"cumulative gap", p->cumulative_gap}, {"gap share", p->gap_share},
        {"reserves", p->reserves}, {"usable reserves", p->usable_reserves}, {"council tax", p->council_tax}, {"Band D", p->band_d},
        {"tax base", p->taxbase}, {"business rates", p->business_rates}, {"grants", p->grants},
        {"net Covid pressure", p->covid_pressure}, {"capital financing", p->capital_financing},
    };
    /* Every quantity reaches the gap (E - F) or reserves, so without the
     * detail those two show any overflow; the full check names it. */
    size_t n_checked = detail ? sizeof totals / sizeof totals[0] : 0;
    for (size_t t = 0; !detail && t <= p->horizon; t++)
        if (!isfinite(p->gap[t]) || !isfinite(p->usable_reserves[t]))
            n_checked = sizeof totals / sizeof totals[0];
    for (size_t t = 0; t <= p->horizon; t++) {
        for (size_t k = 0; k < n_checked; k++) {
            if (!isfinite(totals[k].v[t])) {
                char label[16];
                return mtfs_error_set(err, MTFS_ENUMERIC, s->files ? s->files[0] : NULL, 0, NULL,
                                      "%s in %s is not a finite number (the inputs make it overflow)",
                                      totals[k].name,
                                      mtfs_year_label(s->base_year + (int)t, label, sizeof label));
            }
        }
    }
    return MTFS_OK;
}

/* Both entry points run the same arithmetic in the same order, so their
 * totals agree to the last bit; the totals-only one skips the per-service
 * and per-grant detail. */
static mtfs_status project(const mtfs_scenario *s, mtfs_projection *p, int detail, mtfs_error *err)
{
    if (p->horizon != s->horizon || p->n_services != s->n_services || p->n_grants != s->n_grants ||
        p->n_indices != s->n_indices || p->n_earmarked != s->n_earmarked)
        return mtfs_error_set(err, MTFS_EINTERNAL, NULL, 0, NULL,
                              "projection record was allocated for a different scenario");
    project_services(s, p, detail);
    project_funding(s, p, detail);
    project_covid(s, p, detail);
    project_capital(s, p);
    project_dsg(s, p);
    project_gap_and_reserves(s, p, detail);
    return check_finite(s, p, detail, err);
}

mtfs_status mtfs_project(const mtfs_scenario *s, mtfs_projection *p, mtfs_error *err)
{
    return project(s, p, 1, err);
}

mtfs_status mtfs_project_totals(const mtfs_scenario *s, mtfs_projection *p, mtfs_error *err)
{
    return project(s, p, 0, err);
}
