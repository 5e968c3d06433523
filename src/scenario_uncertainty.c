/*
 * scenario_uncertainty.c - a scenario's uncertainty block (model.md section
 * 7): the inputs a distribution may drive, each distribution's parameters,
 * the correlations between them and the Monte Carlo settings.
 */
#include "scenario_load.h"
#include "util.h"
#include "dist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double *mtfs_target_values(mtfs_scenario *s, const mtfs_uncertain *u)
{
    return mtfs_inputs_values(s, u->input, u->item);
}

/* The registry groups whose inputs a distribution may name, in the order
 * "did you mean" offers them. */
static const char *const target_groups[] = {"economy", "services", "services.income", "grants",
                                            "council_tax", "business_rates", "reserves", "covid", ""};

/* Registry row d may carry a distribution for item `item` (a grant's rate
 * only where its rule is "rate"). */
static int targetable(const mtfs_scenario *sc, const mtfs_input_def *d, size_t item)
{
    if (!d || !(d->flags & MTFS_INPUTS_UNCERTAIN))
        return 0;
    if (strcmp(d->group, "services.income") == 0 && !sc->services[item].has_income)
        return 0;   /* only a service with an income block has one */
    return !(d->flags & MTFS_INPUTS_RULE_RATE) || sc->grants[item].rule == MTFS_GRANT_RATE;
}

/* The items of a group: its economy series, services or grants; one
 * (unnamed) for the other groups. */
static size_t item_count(const mtfs_scenario *sc, const char *group)
{
    if (strcmp(group, "economy") == 0)
        return sc->n_economy;
    if (strcmp(group, "services") == 0 || strcmp(group, "services.income") == 0)
        return sc->n_services;
    if (strcmp(group, "grants") == 0)
        return sc->n_grants;
    return 1;
}

static int resolve_target(const mtfs_scenario *sc, const char *path, mtfs_uncertain *u,
                          const value_kind **range);

/* Every input path a distribution may name, for "did you mean". */
static const char **target_paths(const mtfs_scenario *sc, size_t *n, char **storage)
{
    size_t cap = 0, used = 0;
    for (size_t k = 0; k < COUNT(target_groups); k++)
        for (size_t r = 0; r < mtfs_inputs_count(); r++)
            if (strcmp(mtfs_inputs_at(r)->group, target_groups[k]) == 0)
                cap += item_count(sc, target_groups[k]);
    const char **paths = mtfs_calloc(cap ? cap : 1, sizeof *paths);
    char *text = mtfs_malloc((cap ? cap : 1) * 160), *at = text;
    *storage = text;
    if (!paths || !text) {
        mtfs_free(paths);
        mtfs_free(text);
        *storage = NULL;
        return NULL;
    }
    for (size_t k = 0; k < COUNT(target_groups); k++) {
        const char *group = target_groups[k];
        for (size_t i = 0; i < item_count(sc, group); i++) {
            for (size_t r = 0; r < mtfs_inputs_count(); r++) {
                const mtfs_input_def *d = mtfs_inputs_at(r);
                if (strcmp(d->group, group) != 0 || !(d->flags & MTFS_INPUTS_UNCERTAIN))
                    continue;
                int w;
                if (strcmp(group, "economy") == 0)
                    w = snprintf(at, 160, "economy.%.140s", sc->economy[i].name);
                else if (strcmp(group, "services.income") == 0)
                    w = snprintf(at, 160, "services.%.120s.income.%s", sc->services[i].name, d->key);
                else if (strcmp(group, "services") == 0 || strcmp(group, "grants") == 0)
                    w = snprintf(at, 160, "%s.%.120s.%s", group,
                                 group[0] == 's' ? sc->services[i].name : sc->grants[i].name, d->key);
                else
                    w = snprintf(at, 160, "%s%s%s", group, group[0] ? "." : "", d->key);
                paths[used++] = at;
                at += (w > 0 && w < 160 ? w : 159) + 1;
            }
        }
    }
    /* Offer only what resolve_target accepts (a grant's rate only where its
     * rule is "rate"), so a suggestion is never a path that is refused. */
    size_t kept = 0;
    for (size_t i = 0; i < used; i++) {
        mtfs_uncertain probe;
        const value_kind *range;
        if (resolve_target(sc, paths[i], &probe, &range) == 0)
            paths[kept++] = paths[i];
    }
    *n = kept;
    return paths;
}

/* Resolve "services.adults.demand" and the like to its registry row and
 * item. */
static int resolve_target(const mtfs_scenario *sc, const char *path, mtfs_uncertain *u,
                          const value_kind **range)
{
    char head[64];
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len >= sizeof head)
        return -1;
    memcpy(head, path, len);
    head[len] = '\0';
    const mtfs_input_def *d = NULL;
    u->item = 0;
    if (!dot) {
        d = mtfs_inputs_find("", head);
    } else if (strcmp(head, "economy") == 0) {
        for (size_t i = 0; i < sc->n_economy && !d; i++)
            if (strcmp(sc->economy[i].name, dot + 1) == 0) {
                d = mtfs_inputs_find("economy", "*");
                u->item = i;
            }
    } else if (strcmp(head, "services") == 0 || strcmp(head, "grants") == 0) {
        const char *last = strrchr(dot + 1, '.');
        if (!last)
            return -1;
        size_t name_len = (size_t)(last - dot - 1);
        int services = head[0] == 's';
        size_t count = services ? sc->n_services : sc->n_grants;
        for (size_t i = 0; i < count && !d; i++) {
            const char *name = services ? sc->services[i].name : sc->grants[i].name;
            if (strlen(name) == name_len && strncmp(name, dot + 1, name_len) == 0) {
                d = mtfs_inputs_find(head, last + 1);
                u->item = i;
            }
        }
        /* services.NAME.income.KEY: a key of the service's income block. */
        const size_t suffix = strlen(".income");
        for (size_t i = 0; services && !d && name_len > suffix && i < count; i++) {
            const char *name = sc->services[i].name;
            if (strncmp(last - suffix, ".income", suffix) == 0 && strlen(name) == name_len - suffix &&
                strncmp(name, dot + 1, name_len - suffix) == 0) {
                d = mtfs_inputs_find("services.income", last + 1);
                u->item = i;
            }
        }
    } else {
        d = mtfs_inputs_find(head, dot + 1);
    }
    if (!targetable(sc, d, u->item))
        return -1;
    u->input = d;
    u->series = d->kind == MTFS_INPUT_SERIES ||
                ((d->flags & MTFS_INPUTS_RULE_LIST) && sc->grants[u->item].rule == MTFS_GRANT_LIST);
    *range = d->range;
    return 0;
}

/* A finite number given in group g, or `fallback` when absent. */
static mtfs_status dist_number(vctx *v, const mtfs_node *g, const char *name, const char *prefix,
                               int required, double fallback, double *out)
{
    static const value_kind any = {-1e12, 1e12, 0, 0, "a number"};
    return mtfs_sv_get_number(v, g, name, prefix, &any, required, fallback, out);
}

/* The message for an input path no distribution may name. */
static mtfs_status unknown_target(vctx *v, const mtfs_node *path, const char *key)
{
    mtfs_scenario *sc = v->sc;
    mtfs_status st;
    char *storage;
    size_t n;
    const char **paths = target_paths(sc, &n, &storage);
    if (!paths)
        return mtfs_sv_oom(v);
    const char *near = mtfs_nearest(path->text, paths, n);
    const char *last = strrchr(path->text, '.');
    if (strncmp(path->text, "grants.", 7) == 0 && last && strcmp(last, ".rate") == 0 && !near)
        st = mtfs_sv_fail(v, path, key, "input '%s' is not used: only a grant with rule = \"rate\" "
                          "has a rate (expected the grant's amount, or rule = \"rate\")", path->text);
    else if (strncmp(path->text, "services.", 9) == 0 && strstr(path->text, ".income.") && !near)
        st = mtfs_sv_fail(v, path, key, "input '%s' is not used: only a service with an income block "
                          "has income (expected the service's income = { base = ...; } first)", path->text);
    else if (near)
        st = mtfs_sv_fail(v, path, key, "unknown input '%s' (did you mean '%s'?)", path->text, near);
    else
        st = mtfs_sv_fail(v, path, key, "unknown input '%s' (expected a path such as "
                          "economy.cpi, services.NAME.demand or council_tax.taxbase_growth)",
                          path->text);
    mtfs_free(paths);
    mtfs_free(storage);
    return st;
}

/* A distribution's own parameters, with their ranges. */
static mtfs_status dist_params(vctx *v, const mtfs_node *g, const char *prefix, mtfs_uncertain *u)
{
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_status st;
    double centre = u->apply == MTFS_APPLY_SCALE ? 1.0 : 0.0;
    switch (u->dist) {
    case MTFS_DIST_NORMAL:
        if ((st = dist_number(v, g, "mean", prefix, u->apply == MTFS_APPLY_VALUE, centre, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "sd", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p2 < 0.0) {
            mtfs_sv_join_key(key, sizeof key, prefix, "sd");
            return mtfs_sv_fail(v, mtfs_node_get(g, "sd"), key, "value %g is negative (expected a "
                                "standard deviation of 0 or more)", u->p2);
        }
        break;
    case MTFS_DIST_LOGNORMAL:
        if ((st = dist_number(v, g, "mu", prefix, 0, 0.0, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "sigma", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p2 < 0.0) {
            mtfs_sv_join_key(key, sizeof key, prefix, "sigma");
            return mtfs_sv_fail(v, mtfs_node_get(g, "sigma"), key, "value %g is negative (expected a "
                                "standard deviation of the logarithm, 0 or more)", u->p2);
        }
        break;
    case MTFS_DIST_UNIFORM:
        if ((st = dist_number(v, g, "low", prefix, 1, 0.0, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "high", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p1 > u->p2) {
            mtfs_sv_join_key(key, sizeof key, prefix, "low");
            return mtfs_sv_fail(v, mtfs_node_get(g, "low"), key, "low %g is above high %g (expected "
                                "low <= high)", u->p1, u->p2);
        }
        break;
    case MTFS_DIST_TRIANGULAR:
    case MTFS_DIST_PERT:
        if ((st = dist_number(v, g, "low", prefix, 1, 0.0, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "mode", prefix, 1, 0.0, &u->p2)) != MTFS_OK ||
            (st = dist_number(v, g, "high", prefix, 1, 0.0, &u->p3)) != MTFS_OK ||
            (st = dist_number(v, g, "lambda", prefix, 0, 4.0, &u->p4)) != MTFS_OK)
            return st;
        if (!(u->p1 <= u->p2 && u->p2 <= u->p3 && u->p1 < u->p3)) {
            mtfs_sv_join_key(key, sizeof key, prefix, "mode");
            return mtfs_sv_fail(v, mtfs_node_get(g, "mode"), key, "low %g, mode %g, high %g are out of "
                                "order (expected low <= mode <= high and low < high)", u->p1, u->p2, u->p3);
        }
        if (u->p4 <= 0.0) {
            mtfs_sv_join_key(key, sizeof key, prefix, "lambda");
            return mtfs_sv_fail(v, mtfs_node_get(g, "lambda"), key, "value %g is not positive "
                                "(expected a PERT shape above 0; 4 is usual)", u->p4);
        }
        break;
    }
    return MTFS_OK;
}

/* A parameter that cannot fit the input it varies: the one message, with
 * "did you mean x/100?" when the input takes fractions and x/100 fits. */
static mtfs_status misfit(vctx *v, const mtfs_node *g, const char *prefix, const char *name, double x,
                          int fits_as_fraction, const char *what, const mtfs_uncertain *u,
                          const value_kind *range)
{
    char key[MTFS_ERROR_KEY_MAX], hint[48] = "";
    mtfs_sv_join_key(key, sizeof key, prefix, name);
    if (range->percent_from > 0.0 && fabs(x) >= range->percent_from && fits_as_fraction)
        snprintf(hint, sizeof hint, "; did you mean %g?", x / 100.0);
    return mtfs_sv_fail(v, mtfs_node_get(g, name), key, "%s %g %s the sensible range of %s, %g to %g "
                        "(expected %s%s)", name, x, what, u->key, range->lo, range->hi, range->expected, hint);
}

/* The parameters against the range of the input they vary (the registry's):
 * with apply = "value" the distribution's mean, low, mode and high are
 * values of the input, so each must be in its range (low = 50 for a share
 * is a percentage); with apply = "add" they are changes to it, so neither
 * a change nor a spread may be wider than the whole range (sd = 1 on a rate
 * is ±100 points), and a normal's ±2 sd must fit in it.  "scale" factors
 * are left to the clamp. */
static mtfs_status fits_input(vctx *v, const mtfs_node *g, const char *prefix, const mtfs_uncertain *u,
                              const value_kind *range)
{
    static const char *const names[][3] = {{"mean", NULL, NULL}, {NULL, NULL, NULL},
                                           {"low", "high", NULL}, {"low", "mode", "high"},
                                           {"low", "mode", "high"}};
    const double params[][3] = {{u->p1, 0, 0}, {0, 0, 0}, {u->p1, u->p2, 0},
                                {u->p1, u->p2, u->p3}, {u->p1, u->p2, u->p3}};
    const double width = range->hi - range->lo;
    if (u->apply == MTFS_APPLY_SCALE || u->dist == MTFS_DIST_LOGNORMAL)
        return MTFS_OK;
    for (size_t k = 0; k < 3 && names[u->dist][k]; k++) {
        double x = params[u->dist][k], f = x / 100.0;
        if (u->apply == MTFS_APPLY_VALUE && (x < range->lo || x > range->hi))
            return misfit(v, g, prefix, names[u->dist][k], x, f >= range->lo && f <= range->hi,
                          "is outside", u, range);
        if (u->apply == MTFS_APPLY_ADD && fabs(x) > width)
            return misfit(v, g, prefix, names[u->dist][k], x, fabs(f) <= width,
                          "as a change is wider than", u, range);
    }
    if (u->apply == MTFS_APPLY_ADD && u->dist == MTFS_DIST_NORMAL && 4.0 * u->p2 > width)
        return misfit(v, g, prefix, "sd", u->p2, 4.0 * u->p2 / 100.0 <= width,
                      "gives a spread (±2 sd) wider than", u, range);
    return MTFS_OK;
}

/* The truncation range (lower, upper) and the AR(1) persistence rho. */
static mtfs_status truncation(vctx *v, const mtfs_node *g, const char *prefix, mtfs_uncertain *u)
{
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_status st;
    const mtfs_node *at;
    if ((st = dist_number(v, g, "lower", prefix, 0, -INFINITY, &u->lower)) != MTFS_OK ||
        (st = dist_number(v, g, "upper", prefix, 0, INFINITY, &u->upper)) != MTFS_OK ||
        (st = mtfs_sv_get_number(v, g, "rho", prefix, &mtfs_range_share, 0, 0.0, &u->rho)) != MTFS_OK)
        return st;
    if (u->lower >= u->upper) {
        mtfs_sv_join_key(key, sizeof key, prefix, "lower");
        return mtfs_sv_fail(v, mtfs_node_get(g, "lower"), key, "lower %g is not below upper %g "
                            "(expected a truncation range lower < upper)", u->lower, u->upper);
    }
    double mass = mtfs_dist_cdf(u, u->upper) - mtfs_dist_cdf(u, u->lower);
    if (!(mass > 1e-12)) {
        mtfs_sv_join_key(key, sizeof key, prefix, mtfs_node_get(g, "lower") ? "lower" : "upper");
        at = mtfs_node_get(g, "lower") ? mtfs_node_get(g, "lower") : mtfs_node_get(g, "upper");
        return mtfs_sv_fail(v, at ? at : g, key, "the truncation leaves no probability (expected a "
                            "range that overlaps the distribution)");
    }
    return MTFS_OK;
}

static mtfs_status load_parameter(vctx *v, const mtfs_node *g, size_t index)
{
    static const char *const keys[] = {"key", "dist", "apply", "mean", "sd", "mu", "sigma", "low",
                                       "mode", "high", "lambda", "lower", "upper", "rho",
                                       "description"};
    static const char *const dists[] = {"normal", "lognormal", "uniform", "triangular", "pert"};
    static const char *const applies[] = {"add", "scale", "value"};
    /* Which parameters each distribution takes. */
    static const char *const uses[][4] = {{"mean", "sd", NULL, NULL}, {"mu", "sigma", NULL, NULL},
                                          {"low", "high", NULL, NULL}, {"low", "mode", "high", NULL},
                                          {"low", "mode", "high", "lambda"}};
    mtfs_scenario *sc = v->sc;
    char prefix[MTFS_ERROR_KEY_MAX], key[MTFS_ERROR_KEY_MAX];
    snprintf(prefix, sizeof prefix, "uncertainty.parameters[%zu]", index + 1);
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, prefix, "found %s (expected a group { key = \"economy.cpi\"; "
                            "dist = \"normal\"; sd = 0.01; })", mtfs_node_type_name(g));
    const mtfs_node *path;
    mtfs_status st = mtfs_sv_get_string(v, g, "key", prefix, "the input to vary, e.g. \"economy.cpi\"", 1, &path);
    if (st != MTFS_OK)
        return st;
    snprintf(prefix, sizeof prefix, "uncertainty.parameters[%.200s]", path->text);
    if ((st = mtfs_sv_check_keys(v, g, prefix, keys, COUNT(keys))) != MTFS_OK)
        return st;
    for (size_t j = 0; j < sc->n_uncertain; j++)
        if (strcmp(sc->uncertain[j].key, path->text) == 0)
            return mtfs_sv_fail(v, path, prefix, "a second distribution for the same input "
                                "(expected each key once)");
    mtfs_uncertain *u = &sc->uncertain[sc->n_uncertain];
    memset(u, 0, sizeof *u);
    const value_kind *range;
    mtfs_sv_join_key(key, sizeof key, prefix, "key");
    if (resolve_target(sc, path->text, u, &range) != 0)
        return unknown_target(v, path, key);
    if (!(u->key = mtfs_strdup(path->text)))
        return mtfs_sv_oom(v);
    sc->n_uncertain++;
    u->clamp_lo = range->lo;
    u->clamp_hi = range->hi;

    int dist, apply;
    if ((st = mtfs_sv_get_choice(v, g, "dist", prefix, "distribution", dists, COUNT(dists), -1, &dist)) != MTFS_OK)
        return st;
    if (dist < 0) {
        mtfs_sv_join_key(key, sizeof key, prefix, "dist");
        return mtfs_sv_fail(v, g, key, "missing (expected one of \"normal\", \"lognormal\", "
                            "\"uniform\", \"triangular\" or \"pert\")");
    }
    if ((st = mtfs_sv_get_choice(v, g, "apply", prefix, "way to apply a draw", applies, COUNT(applies), 0,
                                 &apply)) != MTFS_OK)
        return st;
    u->dist = (mtfs_dist)dist;
    u->apply = (mtfs_apply)apply;
    /* A parameter the distribution does not use is a mistake worth naming. */
    static const char *const all_params[] = {"mean", "sd", "mu", "sigma", "low", "mode", "high", "lambda"};
    for (size_t k = 0; k < COUNT(all_params); k++) {
        const mtfs_node *n = mtfs_node_get(g, all_params[k]);
        int used = 0;
        for (size_t j = 0; j < 4 && uses[dist][j]; j++)
            used |= strcmp(uses[dist][j], all_params[k]) == 0;
        if (n && !used) {
            mtfs_sv_join_key(key, sizeof key, prefix, all_params[k]);
            return mtfs_sv_fail(v, n, key, "not a parameter of the %s distribution (expected %s%s%s%s%s%s)",
                                dists[dist], uses[dist][0], uses[dist][1] ? ", " : "",
                                uses[dist][1] ? uses[dist][1] : "", uses[dist][2] ? ", " : "",
                                uses[dist][2] ? uses[dist][2] : "", uses[dist][3] ? " and lambda" : "");
        }
    }
    if ((st = dist_params(v, g, prefix, u)) != MTFS_OK || (st = fits_input(v, g, prefix, u, range)) != MTFS_OK)
        return st;
    return truncation(v, g, prefix, u);
}

/* The index of the uncertain input a correlation names, into *out. */
static mtfs_status find_uncertain(vctx *v, const mtfs_node *node, const char *key,
                                  const char **names, size_t n, size_t *out)
{
    int text = node->type == MTFS_NODE_STRING;
    for (size_t q = 0; text && q < n; q++)
        if (strcmp(names[q], node->text) == 0) {
            *out = q;
            return MTFS_OK;
        }
    const char *near = text ? mtfs_nearest(node->text, names, n) : NULL;
    return mtfs_sv_fail(v, node, key, "'%s' is not a key of uncertainty.parameters%s%s%s",
                        text ? node->text : "?", near ? " (did you mean '" : "", near ? near : "",
                        near ? "'?)" : "");
}

/* The correlation list: ( ("economy.cpi", "economy.pay", 0.7), ... ). */
static mtfs_status correlation_list(vctx *v, const mtfs_node *list, const char **names, size_t n)
{
    double *corr = v->sc->correlation;
    char key[MTFS_ERROR_KEY_MAX];
    snprintf(key, sizeof key, "uncertainty.correlations");
    if (list->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, list, key, "found %s (expected a list of (\"key\", \"key\", "
                            "correlation) triples)", mtfs_node_type_name(list));
    for (size_t k = 0; k < list->n_children; k++) {
        const mtfs_node *e = list->children[k];
        snprintf(key, sizeof key, "uncertainty.correlations[%zu]", k + 1);
        if (e->type != MTFS_NODE_LIST || e->n_children != 3 || !mtfs_node_is_number(e->children[2]))
            return mtfs_sv_fail(v, e, key, "expected a triple (\"key\", \"key\", correlation), e.g. "
                                "(\"economy.cpi\", \"economy.pay\", 0.7)");
        size_t a, b;
        mtfs_status st = find_uncertain(v, e->children[0], key, names, n, &a);
        if (st == MTFS_OK)
            st = find_uncertain(v, e->children[1], key, names, n, &b);
        if (st != MTFS_OK)
            return st;
        double r = e->children[2]->number;
        if (a == b)
            return mtfs_sv_fail(v, e, key, "a key correlated with itself (expected two different keys)");
        if (!(r >= -1.0 && r <= 1.0))
            return mtfs_sv_fail(v, e, key, "correlation %g is outside -1 to 1", r);
        if (corr[a * n + b] != 0.0)
            return mtfs_sv_fail(v, e, key, "a second correlation for '%s' and '%s' (expected each "
                                "pair once)", names[a], names[b]);
        corr[a * n + b] = corr[b * n + a] = r;
    }
    return MTFS_OK;
}

/* Every row's shape first: the symmetry check reads row j while checking
 * row i, so no row may be read before all are known to be m numbers. */
static mtfs_status matrix_rows_shape(vctx *v, const mtfs_node *rows, size_t m, const char *key)
{
    for (size_t i = 0; i < m; i++) {
        const mtfs_node *row = rows->children[i];
        if (row->type != MTFS_NODE_LIST)
            return mtfs_sv_fail(v, row, key, "row %zu is %s (expected a list of %zu numbers, one per key)",
                                i + 1, mtfs_node_type_name(row), m);
        if (row->n_children != m)
            return mtfs_sv_fail(v, row, key, "row %zu has %zu value%s (expected %zu, one per key)", i + 1,
                                row->n_children, row->n_children == 1 ? "" : "s", m);
        for (size_t j = 0; j < m; j++)
            if (!mtfs_node_is_number(row->children[j]))
                return mtfs_sv_fail(v, row->children[j], key, "entry (%zu, %zu) is %s (expected a "
                                    "number from -1 to 1)", i + 1, j + 1,
                                    mtfs_node_type_name(row->children[j]));
    }
    return MTFS_OK;
}

/* The matrix: { keys = ["a", "b"]; rows = ( [1.0, 0.5], [0.5, 1.0] ); }. */
static mtfs_status correlation_matrix(vctx *v, const mtfs_node *matrix, const char **names, size_t n)
{
    const char *key = "uncertainty.correlation_matrix";
    const mtfs_node *keys = mtfs_node_get(matrix, "keys"), *rows = mtfs_node_get(matrix, "rows");
    if (matrix->type != MTFS_NODE_GROUP || !keys || !rows || keys->type != MTFS_NODE_LIST ||
        rows->type != MTFS_NODE_LIST || rows->n_children != keys->n_children)
        return mtfs_sv_fail(v, matrix, key, "expected { keys = [\"a\", \"b\"]; rows = ( [1.0, 0.5], "
                            "[0.5, 1.0] ); } with one row per key");
    size_t m = keys->n_children;
    size_t *index = mtfs_calloc(m ? m : 1, sizeof *index);
    if (!index)
        return mtfs_sv_oom(v);
    mtfs_status st = MTFS_OK;
    for (size_t i = 0; st == MTFS_OK && i < m; i++) {
        st = find_uncertain(v, keys->children[i], key, names, n, &index[i]);
        for (size_t j = 0; st == MTFS_OK && j < i; j++)
            if (index[j] == index[i])
                st = mtfs_sv_fail(v, keys->children[i], key, "'%s' is listed twice in keys "
                                  "(expected each key once: a key's correlation with itself is 1)",
                                  names[index[i]]);
    }
    if (st == MTFS_OK)
        st = matrix_rows_shape(v, rows, m, key);
    for (size_t i = 0; st == MTFS_OK && i < m; i++) {
        for (size_t j = 0; st == MTFS_OK && j < m; j++) {
            const mtfs_node *c = rows->children[i]->children[j];
            double r = c->number, rt = rows->children[j]->children[i]->number;
            if (!(r >= -1.0 && r <= 1.0) || (i == j && r != 1.0) || r != rt)
                st = mtfs_sv_fail(v, c, key, "entry (%zu, %zu) must be %s", i + 1, j + 1,
                                  i == j ? "1 on the diagonal" : "between -1 and 1 and symmetric");
            else
                v->sc->correlation[index[i] * n + index[j]] = r;
        }
    }
    mtfs_free(index);
    return st;
}

/* The correlations of the uncertain inputs, as a list of pairs or as a
 * matrix (not both); the result must be positive definite. */
static mtfs_status load_correlations(vctx *v, const mtfs_node *g)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(g, "correlations");
    const mtfs_node *matrix = mtfs_node_get(g, "correlation_matrix");
    if (!list && !matrix)
        return MTFS_OK;
    size_t n = sc->n_uncertain;
    if (!(sc->correlation = mtfs_calloc(n * n, sizeof *sc->correlation)))
        return mtfs_sv_oom(v);
    for (size_t i = 0; i < n; i++)
        sc->correlation[i * n + i] = 1.0;
    const char **names = mtfs_calloc(n ? n : 1, sizeof *names);
    if (!names)
        return mtfs_sv_oom(v);
    for (size_t i = 0; i < n; i++)
        names[i] = sc->uncertain[i].key;
    mtfs_status st = MTFS_OK;
    if (list)
        st = correlation_list(v, list, names, n);
    if (st == MTFS_OK && matrix)
        st = list ? mtfs_sv_fail(v, matrix, "uncertainty.correlation_matrix", "given together with "
                                 "uncertainty.correlations (expected one of them)")
                  : correlation_matrix(v, matrix, names, n);
    mtfs_free(names);
    if (st == MTFS_OK && !mtfs_correlation_is_positive_definite(sc->correlation, n))
        st = mtfs_sv_fail(v, list ? list : matrix, list ? "uncertainty.correlations" : "uncertainty.correlation_matrix",
                          "the correlation matrix is not positive definite (expected correlations "
                          "that can hold together; lower the strongest ones)");
    return st;
}

mtfs_status mtfs_sv_load_uncertainty(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = mtfs_node_get(root, "uncertainty");
    sc->mc_seed = 1;
    sc->mc_paths = 10000;
    if (!g)
        return MTFS_OK;
    const char *p = "uncertainty";
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, p, "found %s (expected a group with parameters = ( ... ))",
                            mtfs_node_type_name(g));
    mtfs_status st = mtfs_sv_check_group(v, g, p, p);
    long long seed, paths;
    if (st != MTFS_OK ||
        (st = mtfs_sv_get_int(v, g, "seed", p, 0, 4294967295LL, "a whole number from 0 to 4294967295", 0, 1,
                              &seed)) != MTFS_OK ||
        (st = mtfs_sv_get_int(v, g, "paths", p, 1, 100000000, "the number of Monte Carlo paths, 1 to 100000000",
                              0, 10000, &paths)) != MTFS_OK)
        return st;
    sc->mc_seed = (unsigned long)seed;
    sc->mc_paths = (size_t)paths;
    const mtfs_node *th = mtfs_node_get(g, "thresholds");
    if (th) {
        if (th->type != MTFS_NODE_LIST && !mtfs_node_is_number(th))
            return mtfs_sv_fail(v, th, "uncertainty.thresholds", "found %s (expected a list of gaps in £m, "
                                "e.g. [50.0, 100.0])", mtfs_node_type_name(th));
        size_t n = th->type == MTFS_NODE_LIST ? th->n_children : 1;
        if (!(sc->thresholds = mtfs_calloc(n ? n : 1, sizeof *sc->thresholds)))
            return mtfs_sv_oom(v);
        for (size_t i = 0; i < n; i++) {
            const mtfs_node *e = th->type == MTFS_NODE_LIST ? th->children[i] : th;
            if (!mtfs_node_is_number(e))
                return mtfs_sv_fail(v, e, "uncertainty.thresholds", "found %s (expected a gap in £m)",
                                    mtfs_node_type_name(e));
            if ((st = mtfs_sv_check_value(v, e, "uncertainty.thresholds", e->number, &mtfs_range_money, "")) != MTFS_OK)
                return st;
            sc->thresholds[sc->n_thresholds++] = e->number;
        }
    }
    const mtfs_node *list = mtfs_node_get(g, "parameters");
    if (!list)
        return mtfs_sv_fail(v, g, "uncertainty.parameters", "missing (expected a list of distributions, "
                            "e.g. ( { key = \"economy.cpi\"; dist = \"normal\"; sd = 0.01; } ))");
    if (list->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, list, "uncertainty.parameters", "found %s (expected a list of "
                            "distributions)", mtfs_node_type_name(list));
    if (!(sc->uncertain = mtfs_calloc(list->n_children ? list->n_children : 1, sizeof *sc->uncertain)))
        return mtfs_sv_oom(v);
    /* Each distribution on its own; correlations name them, so they are
     * read only when every distribution was good. */
    for (size_t i = 0; i < list->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++)
        st = mtfs_sv_worse(st, load_parameter(v, list->children[i], i));
    return st != MTFS_OK ? st : load_correlations(v, g);
}
