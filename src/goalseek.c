/*
 * goalseek.c - the smallest council-tax rise or recurring saving that meets
 * a target (see mtfs/goalseek.h), with GSL's Brent root finder.
 */
#include "mtfs/goalseek.h"
#include "mtfs/inputs.h"
#include "mtfs/projection.h"
#include "dist.h"
#include "scenario_int.h"
#include "util.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const mtfs_scenario *s;
    const mtfs_goalseek_spec *spec;
    mtfs_scenario *c;        /* private copy the lever is applied to */
    mtfs_projection *p;
    size_t from;             /* year index the lever starts */
    size_t service;          /* savings: service index, or n_services for corporate */
    mtfs_status status;
    mtfs_error err;
} problem;

/* The levers, each the registry input whose range bounds it: the rise is
 * the core rise's range (0 to 50% a year), a saving the range of planned
 * savings (a corporate one: of contingency). */
static const struct {
    const char *name;        /* as --lever names it */
    mtfs_lever lever;
    int per_service;         /* savings:SERVICE */
    const char *group, *key;
} levers[] = {
    {"council_tax", MTFS_LEVER_COUNCIL_TAX, 0, "council_tax", "core"},
    {"savings", MTFS_LEVER_SAVINGS, 0, "", "contingency"},
    {"savings", MTFS_LEVER_SAVINGS, 1, "services", "savings"},
};

static const mtfs_input_range *lever_range(const mtfs_goalseek_spec *spec)
{
    for (size_t i = 0; i < sizeof levers / sizeof levers[0]; i++)
        if (levers[i].lever == spec->lever && levers[i].per_service == (spec->service[0] != '\0'))
            return mtfs_inputs_find(levers[i].group, levers[i].key)->range;
    return NULL;
}

mtfs_status mtfs_goalseek_parse_lever(const char *text, mtfs_goalseek_spec *spec, mtfs_error *err)
{
    spec->service[0] = '\0';
    if (strcmp(text, "council_tax") == 0) {
        spec->lever = MTFS_LEVER_COUNCIL_TAX;
        return MTFS_OK;
    }
    if (strcmp(text, "savings") == 0 || strncmp(text, "savings:", 8) == 0) {
        spec->lever = MTFS_LEVER_SAVINGS;
        if (text[7] == ':') {
            if (!text[8] || strlen(text + 8) >= sizeof spec->service)
                return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                                      "lever '%s': expected a service name after 'savings:'", text);
            snprintf(spec->service, sizeof spec->service, "%s", text + 8);
        }
        return MTFS_OK;
    }
    /* A misspelt lever: the nearest of the two words, keeping a
     * ":SERVICE" the user wrote after it. */
    static const char *const names[] = {"council_tax", "savings"};
    const char *colon = strchr(text, ':');
    char word[64];
    snprintf(word, sizeof word, "%.*s", colon ? (int)(colon - text) : (int)strlen(text), text);
    const char *near = mtfs_nearest(word, names, 2);
    if (near && (!colon || strcmp(near, "savings") == 0))
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "unknown lever '%s' (did you mean '%s%s'? expected council_tax, "
                              "savings or savings:SERVICE)", text, near, colon ? colon : "");
    return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                          "unknown lever '%s' (expected council_tax, savings or savings:SERVICE)", text);
}

/* The index of the service a savings:SERVICE lever names; a name the
 * scenario does not have is an error with the nearest one. */
static mtfs_status find_service(const mtfs_scenario *s, const char *name, size_t *out, mtfs_error *err)
{
    for (size_t i = 0; i < s->n_services; i++)
        if (strcmp(s->services[i].name, name) == 0) {
            *out = i;
            return MTFS_OK;
        }
    const char **names = mtfs_calloc(s->n_services ? s->n_services : 1, sizeof *names);
    if (!names)
        return mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    for (size_t i = 0; i < s->n_services; i++)
        names[i] = s->services[i].name;
    const char *near = mtfs_nearest(name, names, s->n_services);
    mtfs_status st;
    if (near)
        st = mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                            "lever 'savings:%s': the scenario has no service '%s' (did you mean '%s'?)",
                            name, name, near);
    else
        st = mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                            "lever 'savings:%s': the scenario has no service '%s' (expected the name "
                            "of one of its %zu services, such as '%s')", name, name, s->n_services,
                            s->services[0].name);
    mtfs_free(names);
    return st;
}

/* Apply lever value x to the copy: every year from `from` on. */
static void apply_lever(problem *pr, double x)
{
    const mtfs_scenario *s = pr->s;
    mtfs_scenario *c = pr->c;
    for (size_t t = 1; t <= s->horizon; t++) {
        c->ct_core[t] = s->ct_core[t];
        c->contingency[t] = s->contingency[t];
        for (size_t i = 0; i < s->n_services; i++)
            c->services[i].growth[t] = s->services[i].growth[t];
    }
    if (pr->spec->lever == MTFS_LEVER_COUNCIL_TAX) {
        /* The rise is the total: the core part is what the ASC part leaves. */
        for (size_t t = pr->from; t <= s->horizon; t++)
            c->ct_core[t] = x - s->ct_asc[t];
    } else if (pr->service < s->n_services) {
        /* A recurring cut to the service's base, which then moves with its
         * inflation and demand like any saving delivered in full. */
        c->services[pr->service].growth[pr->from] = s->services[pr->service].growth[pr->from] - x;
    } else {
        /* A corporate saving: a flat recurring reduction. */
        for (size_t t = pr->from; t <= s->horizon; t++)
            c->contingency[t] = s->contingency[t] - x;
    }
}

/* The quantity a target names, read from projection p. */
static double target_quantity(const mtfs_projection *p, const mtfs_condition *tg)
{
    size_t t = tg->year ? (size_t)(tg->year - p->base_year) : p->horizon;
    switch (tg->quantity) {
    case MTFS_QUANTITY_GAP: return p->gap[t];
    case MTFS_QUANTITY_FINAL_GAP: return p->gap[p->horizon];
    case MTFS_QUANTITY_CUMULATIVE_GAP: return p->cumulative_gap[t];
    case MTFS_QUANTITY_RESERVES: return p->reserves[t];
    default: return NAN;
    }
}

/* The target quantity under lever value x. */
static double quantity(problem *pr, double x)
{
    apply_lever(pr, x);
    if (pr->status == MTFS_OK)
        pr->status = mtfs_project(pr->c, pr->p, &pr->err);
    if (pr->status != MTFS_OK)
        return NAN;
    return target_quantity(pr->p, &pr->spec->target);
}

/* Signed so that the target is met where f <= 0 and f falls as x rises. */
static double f(double x, void *context)
{
    problem *pr = context;
    double q = quantity(pr, x) - pr->spec->target.value;
    mtfs_operator op = pr->spec->target.op;
    return op == MTFS_OP_GT || op == MTFS_OP_GE ? -q : q;
}

/* What a saving is cut from in year t of projection p: the service's
 * recurring budget R_s(t), or for a corporate saving the council's whole
 * spending E(t). */
static double cut_from(const problem *pr, const mtfs_projection *p, size_t t)
{
    return pr->service < pr->s->n_services ? MTFS_AT(p, service_recurring, pr->service, t)
                                           : p->expenditure[t];
}

/* The lever's bounds [*lo, *hi].  A rise: 0 to the top of its registry
 * range.  A saving: 0 to the most that leaves what it is cut from at zero
 * or more in every year from `from`, and within its registry range.  That
 * spending is S(t) - x k(t) for a saving x (k = 1 for a corporate saving;
 * the growth since `from` of a cut to a service's base), so the bound is
 * the least S(t) / k(t); S and k come from projections at 0 and 1, the
 * engine's own arithmetic.  *year: the first year that bound binds (0
 * when the registry's range binds instead). */
static void lever_bounds(problem *pr, double *lo, double *hi, int *year)
{
    const mtfs_input_range *range = lever_range(pr->spec);
    *lo = fmax(0.0, range->lo);
    *hi = range->hi;
    *year = 0;
    if (pr->spec->lever != MTFS_LEVER_SAVINGS)
        return;
    const mtfs_scenario *s = pr->s;
    double S[MTFS_HORIZON_MAX + 1];
    (void)quantity(pr, 0.0);
    for (size_t t = pr->from; pr->status == MTFS_OK && t <= s->horizon; t++)
        S[t] = cut_from(pr, pr->p, t);
    (void)quantity(pr, 1.0);
    double most = INFINITY, each[MTFS_HORIZON_MAX + 1];
    for (size_t t = pr->from; pr->status == MTFS_OK && t <= s->horizon; t++) {
        double k = S[t] - cut_from(pr, pr->p, t);
        each[t] = k > 0.0 ? fmax(0.0, S[t] / k) : INFINITY;
        most = fmin(most, each[t]);
    }
    if (pr->status != MTFS_OK || !(most < *hi))
        return;
    *hi = most;
    for (size_t t = pr->from; t <= s->horizon && !*year; t++)
        if (each[t] <= most * (1.0 + 1e-12))
            *year = s->base_year + (int)t;
}

/* The target and --from year a goal seek can work with: a target on the
 * gap or reserves, compared by an inequality, in a projected year; *from
 * (the first year index the lever acts in) set from spec->from_year when
 * one is given. */
static mtfs_status check_spec(const mtfs_scenario *s, const mtfs_goalseek_spec *spec, size_t *from,
                              mtfs_error *err)
{
    const mtfs_condition *tg = &spec->target;
    if (tg->quantity == MTFS_QUANTITY_BELOW_MINIMUM_YEAR || tg->quantity == MTFS_QUANTITY_EXHAUSTED_YEAR || tg->quantity == MTFS_QUANTITY_COVID_PRESSURE ||
        tg->op == MTFS_OP_EQ)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "target '%s': expected gap[YEAR], final_gap, cumulative_gap or "
                              "reserves[YEAR] with <, <=, > or >=", tg->text);
    if (tg->year && (tg->year <= s->base_year || tg->year > s->base_year + (int)s->horizon))
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "target '%s': the scenario projects %d/%02d to %d/%02d", tg->text,
                              s->base_year + 1, (s->base_year + 2) % 100, s->base_year + (int)s->horizon,
                              (s->base_year + (int)s->horizon + 1) % 100);
    if (spec->from_year) {
        if (spec->from_year <= s->base_year || spec->from_year > s->base_year + (int)s->horizon)
            return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                                  "--from %d is not a year of the projection", spec->from_year);
        *from = (size_t)(spec->from_year - s->base_year);
    }
    return MTFS_OK;
}

/* The least lever value in [lo, hi] that meets the target, where f(lo) > 0
 * >= f(hi): Brent's method, then bisection of its last bracket to a
 * rounding, into out (lever_value, met, iterations).  A failure is left
 * in pr->status. */
static void solve(problem *pr, double lo, double hi, mtfs_goalseek_result *out)
{
    gsl_function fn = {f, pr};
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!solver)
        pr->status = mtfs_error_set(&pr->err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    double x_lo = lo, x_hi = hi;
    if (solver && gsl_root_fsolver_set(solver, &fn, lo, hi) == GSL_SUCCESS) {
        int status = GSL_CONTINUE;
        for (int i = 0; i < 200 && status == GSL_CONTINUE && pr->status == MTFS_OK; i++) {
            out->iterations = i + 1;
            if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
                break;
            x_lo = gsl_root_fsolver_x_lower(solver);
            x_hi = gsl_root_fsolver_x_upper(solver);
            /* Converged when the target quantity is within 1e-9 £m of
             * its value, or the bracket cannot shrink further. */
            double fx = f(gsl_root_fsolver_root(solver), pr);
            status = fabs(fx) <= 1e-9 ? GSL_SUCCESS
                                      : gsl_root_test_interval(x_lo, x_hi, 0.0, 1e-15);
        }
        /* The root may miss the target by rounding.  Keep a bracket
         * [miss, meet] around it and halve it until the two ends are
         * a rounding apart: the answer is the end that meets. */
        double root = gsl_root_fsolver_root(solver), miss = x_lo, meet = x_hi;
        if (f(root, pr) <= 0.0)
            meet = root;
        else
            miss = root;
        for (int i = 0; i < 200 && meet - miss > 1e-13 * fmax(1.0, fabs(meet)) &&
                        pr->status == MTFS_OK; i++) {
            double mid = miss + 0.5 * (meet - miss);
            if (f(mid, pr) <= 0.0)
                meet = mid;
            else
                miss = mid;
        }
        out->lever_value = meet;
        out->met = 1;
    }
    gsl_root_fsolver_free(solver);
}

mtfs_status mtfs_goalseek(const mtfs_scenario *s, const mtfs_goalseek_spec *spec,
                          mtfs_goalseek_result *out, mtfs_error *err)
{
    memset(out, 0, sizeof *out);
    mtfs_dist_init();
    const mtfs_condition *tg = &spec->target;
    problem pr = {s, spec, NULL, NULL, 1, s->n_services, MTFS_OK, {0}};
    mtfs_status st = check_spec(s, spec, &pr.from, err);
    if (st != MTFS_OK)
        return st;
    if (spec->lever == MTFS_LEVER_SAVINGS && spec->service[0])
        st = find_service(s, spec->service, &pr.service, err);
    if (st == MTFS_OK)
        st = mtfs_scenario_clone(s, &pr.c, err);
    if (st == MTFS_OK && !(pr.p = mtfs_projection_alloc(s)))
        st = mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    if (st != MTFS_OK) {
        mtfs_scenario_free(pr.c);
        return st;
    }

    out->referendum_allowed = s->referendum;
    out->referendum_limit = INFINITY;
    for (size_t t = pr.from; t <= s->horizon; t++)
        out->referendum_limit = fmin(out->referendum_limit, s->referendum_limit[t]);

    /* Before: the plan as it stands. */
    size_t ty = tg->year ? (size_t)(tg->year - s->base_year) : s->horizon;
    double ct_before = 0.0, e_before = 0.0;
    pr.status = mtfs_project(s, pr.p, &pr.err);
    if (pr.status == MTFS_OK) {
        out->before = target_quantity(pr.p, tg);
        ct_before = pr.p->council_tax[ty];
        e_before = pr.p->expenditure[ty];
    }
    double lo = 0.0, hi = 0.0;
    if (pr.status == MTFS_OK)
        lever_bounds(&pr, &lo, &hi, &out->bound_year);
    out->lever_max = hi;
    double q = out->before - tg->value;
    int plan_meets = tg->op == MTFS_OP_GT || tg->op == MTFS_OP_GE ? -q <= 0.0 : q <= 0.0;

    double f_lo = pr.status == MTFS_OK && !plan_meets ? f(lo, &pr) : NAN;
    if (pr.status == MTFS_OK && plan_meets) {
        /* The plan meets it: nothing to change. */
        out->met = out->already_met = 1;
        out->lever_value = 0.0;
        out->after = out->before;
    } else if (pr.status == MTFS_OK && f_lo <= 0.0) {
        /* Met at the lever's least: no rise (or no saving) at all. */
        out->met = 1;
        out->lever_value = lo;
    } else if (pr.status == MTFS_OK && f(hi, &pr) > 0.0) {
        out->met = 0;                 /* out of reach: the best the lever can do */
        out->lever_value = hi;
    } else if (pr.status == MTFS_OK) {
        solve(&pr, lo, hi, out);
    }
    if (pr.status == MTFS_OK && !out->already_met) {
        double x = out->lever_value;
        out->after = quantity(&pr, x);
        out->raised = spec->lever == MTFS_LEVER_COUNCIL_TAX ? pr.p->council_tax[ty] - ct_before
                                                            : e_before - pr.p->expenditure[ty];
        out->breaks_referendum = spec->lever == MTFS_LEVER_COUNCIL_TAX &&
                                 x > out->referendum_limit + 1e-12;
    }
    st = pr.status;
    if (st != MTFS_OK && err)
        *err = pr.err;
    mtfs_projection_free(pr.p);
    mtfs_scenario_free(pr.c);
    return st;
}
