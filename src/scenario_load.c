/*
 * scenario_load.c - validate a merged config tree into an mtfs_scenario.
 *
 * Validation walks the tree in a fixed order (unknown keys of a group
 * first, so a typo is reported as a typo rather than as a missing key) and
 * goes on after a problem to report every one (scenario_load.h says where
 * it stops).  Each check knows what the key means, so the message can say
 * what was expected: the sensible range of a rate, the length of a series,
 * the nearest valid key.
 */
#include "scenario_load.h"
#include "util.h"
#include "dist.h"
#include "mtfs/projection.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Sections                                                            */

/* *usable: whether cpi and pay are there for what uses them (the reform). */
static mtfs_status load_economy(vctx *v, const mtfs_node *root, int *usable)
{
    const mtfs_node *g;
    *usable = 0;
    mtfs_status st = mtfs_sv_require_group(v, root, "economy", "economy",
                                           "a group of named rate series, at least cpi and pay", &g);
    if (st != MTFS_OK)
        return st;
    *usable = 1;
    mtfs_scenario *sc = v->sc;
    const mtfs_input_def *economy = mtfs_inputs_find("economy", "*");
    sc->economy = mtfs_calloc(g->n_children, sizeof *sc->economy);
    if (!sc->economy)
        return mtfs_sv_oom(v);
    for (size_t i = 0; i < g->n_children; i++) {
        mtfs_economy_series *e = &sc->economy[sc->n_economy];
        if (!(e->name = mtfs_strdup(g->children[i]->name)))
            return mtfs_sv_oom(v);
        sc->n_economy++;
        st = mtfs_sv_worse(st, mtfs_sv_get_series(v, g, e->name, "economy", economy->range, 1,
                                                  economy->fallback, &e->values));
        if (st != MTFS_OK && st != MTFS_EINPUT)
            return st;
    }
    const char *required[] = {"cpi", "pay"};
    for (size_t r = 0; r < COUNT(required); r++) {
        size_t i = 0;
        while (i < sc->n_economy && strcmp(sc->economy[i].name, required[r]) != 0)
            i++;
        if (i == sc->n_economy) {
            char key[64];
            snprintf(key, sizeof key, "economy.%s", required[r]);
            st = mtfs_sv_worse(st, mtfs_sv_fail(v, g, key, "missing (expected %s, or a list of %zu values)",
                                                economy->range->expected, v->T));
            *usable = 0;
            continue;
        }
        if (r == 0)
            sc->cpi = i;
        else
            sc->pay = i;
    }
    return st;
}

static size_t economy_find(const mtfs_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->n_economy; i++)
        if (strcmp(sc->economy[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

static const char **economy_names(const mtfs_scenario *sc)
{
    const char **names = mtfs_calloc(sc->n_economy, sizeof *names);
    if (names)
        for (size_t i = 0; i < sc->n_economy; i++)
            names[i] = sc->economy[i].name;
    return names;
}

static mtfs_status add_index(vctx *v, const char *name, size_t n_terms, mtfs_price_index **out)
{
    mtfs_scenario *sc = v->sc;
    mtfs_price_index *grown = mtfs_realloc(sc->indices, (sc->n_indices + 1) * sizeof *grown);
    if (!grown)
        return mtfs_sv_oom(v);
    sc->indices = grown;
    mtfs_price_index *ix = &sc->indices[sc->n_indices];
    memset(ix, 0, sizeof *ix);
    sc->n_indices++;
    ix->name = mtfs_strdup(name);
    ix->series = mtfs_calloc(n_terms, sizeof *ix->series);
    ix->weights = mtfs_calloc(n_terms, sizeof *ix->weights);
    if (!ix->name || !ix->series || !ix->weights)
        return mtfs_sv_oom(v);
    ix->n_terms = n_terms;
    *out = ix;
    return MTFS_OK;
}

static mtfs_status load_indices(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    mtfs_price_index *ix;
    /* Index 0 is plain CPI, the default price index of every service. */
    mtfs_status st = add_index(v, "cpi", 1, &ix);
    if (st != MTFS_OK)
        return st;
    ix->series[0] = sc->cpi;
    ix->weights[0] = 1.0;

    const mtfs_node *g = mtfs_node_get(root, "indices");
    /* Without economy series an index has nothing to mix: the economy's
     * own problem is the one to report. */
    if (!g || sc->n_economy == 0)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, "indices", "found %s (expected a group of price indices, e.g. "
                            "care = { nlw_growth = 0.6; cpi = 0.4; })", mtfs_node_type_name(g));
    const char **names = economy_names(sc);
    if (!names)
        return mtfs_sv_oom(v);
    /* Each index on its own: a bad one is reported and the next read. */
    for (size_t i = 0; i < g->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++) {
        const mtfs_node *def = g->children[i];
        char key[MTFS_ERROR_KEY_MAX];
        mtfs_sv_join_key(key, sizeof key, "indices", def->name);
        if (strcmp(def->name, "cpi") == 0) {
            st = mtfs_sv_fail(v, def, key, "'cpi' is built in (expected another name for this index)");
            continue;
        }
        /* The index exists from here, good or bad, so that a service
         * naming it is not reported as well. */
        mtfs_status one = add_index(v, def->name, def->n_children ? def->n_children : 1, &ix);
        if (one != MTFS_OK) {
            mtfs_free(names);
            return one;
        }
        if (def->type != MTFS_NODE_GROUP || def->n_children == 0) {
            st = mtfs_sv_fail(v, def, key, "found %s (expected a group of economy series and weights "
                              "summing to 1, e.g. { nlw_growth = 0.6; cpi = 0.4; })",
                              def->type == MTFS_NODE_GROUP ? "an empty group" : mtfs_node_type_name(def));
            continue;
        }
        if ((one = mtfs_sv_check_keys(v, def, key, names, sc->n_economy)) != MTFS_OK) {
            st = mtfs_sv_worse(st, one);
            continue;
        }
        double sum = 0.0;
        for (size_t k = 0; k < def->n_children && one == MTFS_OK; k++) {
            const mtfs_node *term = def->children[k];
            ix->series[k] = economy_find(sc, term->name);
            one = mtfs_sv_get_number(v, def, term->name, key, &mtfs_range_share, 1, 0.0, &ix->weights[k]);
            sum += ix->weights[k];
        }
        if (one == MTFS_OK && fabs(sum - 1.0) > 1e-9)
            one = mtfs_sv_fail(v, def, key, "weights sum to %.10g (expected 1)", sum);
        st = mtfs_sv_worse(st, one);
    }
    mtfs_free(names);
    return st;
}

/* Resolve a service's price_index: a named index, or an economy series. */
static mtfs_status resolve_price_index(vctx *v, const mtfs_node *n, const char *key, size_t *out)
{
    mtfs_scenario *sc = v->sc;
    for (size_t i = 0; i < sc->n_indices; i++) {
        if (strcmp(sc->indices[i].name, n->text) == 0) {
            *out = i;
            return MTFS_OK;
        }
    }
    size_t e = economy_find(sc, n->text);
    if (sc->n_economy == 0)
        return MTFS_EINPUT;   /* the economy's own problem is reported */
    if (e != (size_t)-1) {
        mtfs_price_index *ix;
        mtfs_status st = add_index(v, n->text, 1, &ix);
        if (st != MTFS_OK)
            return st;
        ix->series[0] = e;
        ix->weights[0] = 1.0;
        *out = sc->n_indices - 1;
        return MTFS_OK;
    }
    size_t n_names = sc->n_indices + sc->n_economy;
    const char **names = mtfs_calloc(n_names, sizeof *names);
    if (!names)
        return mtfs_sv_oom(v);
    for (size_t i = 0; i < sc->n_indices; i++)
        names[i] = sc->indices[i].name;
    for (size_t i = 0; i < sc->n_economy; i++)
        names[sc->n_indices + i] = sc->economy[i].name;
    const char *near = mtfs_nearest(n->text, names, n_names);
    mtfs_status st;
    if (near)
        st = mtfs_sv_fail(v, n, key, "unknown price index '%s' (did you mean '%s'? expected a name "
                          "from indices or economy)", n->text, near);
    else
        st = mtfs_sv_fail(v, n, key, "unknown price index '%s' (expected a name from indices or economy)",
                          n->text);
    mtfs_free(names);
    return st;
}

/* services.NAME.income = { base = ...; growth = ...; }: with it, the
 * service's base is its gross spending and the income is taken off it
 * (model.md section 1).  Income growth defaults to the scenario's cpi.
 * Income above the gross spending of the base year is refused: a service
 * that earns more than it spends is modelled by its net (a negative base)
 * without an income block. */
static mtfs_status load_income(vctx *v, const mtfs_node *g, const char *prefix, mtfs_service *s)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *in = mtfs_node_get(g, "income");
    s->has_income = 0;
    s->income_base = 0.0;
    s->income_growth = NULL;
    if (!in)
        return MTFS_OK;
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_sv_join_key(key, sizeof key, prefix, "income");
    if (in->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, in, key, "found %s (expected a group { base = ...; growth = ...; }: the "
                            "service's income in the base year in £m, and its growth)",
                            mtfs_node_type_name(in));
    mtfs_status st = mtfs_sv_check_group(v, in, key, "services.income");
    st = mtfs_sv_worse(st, mtfs_sv_load_group(v, in, key, "services.income", (char *)s, NULL, NULL));
    if (st != MTFS_OK)
        return st;
    s->has_income = 1;
    if (!mtfs_node_get(in, "growth") && sc->n_economy > sc->cpi &&
        strcmp(sc->economy[sc->cpi].name, "cpi") == 0)
        for (size_t t = 1; t <= v->T; t++)
            s->income_growth[t] = sc->economy[sc->cpi].values[t];
    const mtfs_node *gross = mtfs_node_get(g, "base");
    if (gross && mtfs_node_is_number(gross) && s->income_base > s->base) {
        mtfs_sv_join_key(key, sizeof key, prefix, "income.base");
        return mtfs_sv_fail(v, mtfs_node_get(in, "base"), key,
                            "income of %.10g is more than the service's gross spending, base = %.10g "
                            "(expected at most base: with an income block, base is the gross spending "
                            "and the income is taken off it)", s->income_base, s->base);
    }
    return MTFS_OK;
}

/* service_defaults.income = { growth = ...; }: the income growth of each
 * service that has an income block and gives no growth of its own.  The
 * income itself is each service's own. */
static mtfs_status load_default_income(vctx *v, const mtfs_node *g, const char *prefix, mtfs_service *scratch)
{
    const mtfs_node *in = mtfs_node_get(g, "income");
    if (!in)
        return MTFS_OK;
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_sv_join_key(key, sizeof key, prefix, "income");
    if (in->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, in, key, "found %s (expected a group { growth = ...; }: the income growth "
                            "of every service with an income block)", mtfs_node_type_name(in));
    const mtfs_node *base = mtfs_node_get(in, "base");
    if (base) {
        mtfs_sv_join_key(key, sizeof key, prefix, "income.base");
        return mtfs_sv_fail(v, base, key, "is each service's own (expected only growth here; give base "
                            "in the service's own income block)");
    }
    static const char *const keys[] = {"growth"};
    mtfs_status st = mtfs_sv_check_keys(v, in, key, keys, 1);
    if (st != MTFS_OK)
        return st;
    return mtfs_sv_load_input(v, in, key, mtfs_inputs_find("services.income", "growth"), (char *)scratch);
}

/* A service's keys the generic reader leaves: its name (read first), its
 * income block and its price index, resolved against the indices and the
 * economy. */
static mtfs_status service_by_hand(vctx *v, const mtfs_node *g, const char *prefix,
                                   const mtfs_input_def *d, void *ctx)
{
    mtfs_service *s = ctx;
    if (strcmp(d->key, "income") == 0)
        return load_income(v, g, prefix, s);
    if (strcmp(d->key, "price_index") != 0)
        return MTFS_OK;
    const mtfs_node *price;
    mtfs_status st = mtfs_sv_get_string(v, g, "price_index", prefix, "the name of a price index", 0, &price);
    s->price_index = 0;
    if (st != MTFS_OK || !price)
        return st;
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_sv_join_key(key, sizeof key, prefix, "price_index");
    return resolve_price_index(v, price, key, &s->price_index);
}

/* The inputs a service_defaults group may give every service: each
 * optional per-service input of the registry (not name, base or
 * description). */
static int defaultable(const mtfs_input_def *d)
{
    return strcmp(d->group, "services") == 0 && !(d->flags & MTFS_INPUTS_REQUIRED) &&
           strcmp(d->key, "description") != 0;
}

/* service_defaults = { delivery = 0.7; }: checked and read once, as a
 * service of its own would be, so a bad value is reported once, at its
 * line.  *out is the group when it is good, else NULL. */
static mtfs_status load_service_defaults(vctx *v, const mtfs_node *root, const mtfs_node **out)
{
    const char *p = "service_defaults";
    const mtfs_node *g = mtfs_node_get(root, p);
    *out = NULL;
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, p, "found %s (expected a group of settings every service takes unless it "
                            "gives its own, e.g. service_defaults = { delivery = 0.8; })",
                            mtfs_node_type_name(g));
    const char *keys[32];
    size_t n = 0;
    for (size_t i = 0; i < mtfs_inputs_count() && n < COUNT(keys); i++)
        if (defaultable(mtfs_inputs_at(i)))
            keys[n++] = mtfs_inputs_at(i)->key;
    mtfs_status st = mtfs_sv_check_keys(v, g, p, keys, n);
    mtfs_service scratch;
    memset(&scratch, 0, sizeof scratch);
    for (size_t i = 0; i < mtfs_inputs_count() && (st == MTFS_OK || st == MTFS_EINPUT); i++) {
        const mtfs_input_def *d = mtfs_inputs_at(i);
        if (!defaultable(d))
            continue;
        int generic = !(d->flags & MTFS_INPUTS_BY_HAND) &&
                      (d->kind == MTFS_INPUT_SERIES || d->kind == MTFS_INPUT_SCALAR);
        st = mtfs_sv_worse(st, generic                          ? mtfs_sv_load_input(v, g, p, d, (char *)&scratch)
                               : strcmp(d->key, "income") == 0 ? load_default_income(v, g, p, &scratch)
                                                               : service_by_hand(v, g, p, d, &scratch));
    }
    if (st == MTFS_OK)
        *out = g;
    return st;
}

/* A service's own keys, then those of service_defaults it does not give;
 * an income block of its own without growth takes service_defaults'
 * income growth.  The nodes are borrowed; view_free releases the arrays. */
typedef struct {
    mtfs_node view;
    mtfs_node **children;
    mtfs_node income;               /* the service's income block with the default growth */
    mtfs_node **income_children;
} service_view;

static void view_free(service_view *sv)
{
    mtfs_free(sv->children);
    mtfs_free(sv->income_children);
}

static mtfs_status with_defaults(vctx *v, const mtfs_node *g, const mtfs_node *defaults, service_view *sv)
{
    memset(sv, 0, sizeof *sv);
    sv->view = *g;
    if (!defaults)
        return MTFS_OK;
    sv->children = mtfs_calloc(g->n_children + defaults->n_children + 1, sizeof *sv->children);
    if (!sv->children)
        return mtfs_sv_oom(v);
    const mtfs_node *own = mtfs_node_get(g, "income"), *common = mtfs_node_get(defaults, "income");
    const mtfs_node *growth = common ? mtfs_node_get(common, "growth") : NULL;
    int merge = own && own->type == MTFS_NODE_GROUP && growth && !mtfs_node_get(own, "growth");
    if (merge) {
        if (!(sv->income_children = mtfs_calloc(own->n_children + 1, sizeof *sv->income_children)))
            return mtfs_sv_oom(v);
        sv->income = *own;
        for (size_t i = 0; i < own->n_children; i++)
            sv->income_children[i] = own->children[i];
        sv->income_children[own->n_children] = (mtfs_node *)growth;
        sv->income.children = sv->income_children;
        sv->income.n_children = own->n_children + 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < g->n_children; i++)
        sv->children[n++] = merge && g->children[i] == own ? &sv->income : g->children[i];
    for (size_t i = 0; i < defaults->n_children; i++)
        if (strcmp(defaults->children[i]->name, "income") != 0 && !mtfs_node_get(g, defaults->children[i]->name))
            sv->children[n++] = defaults->children[i];
    sv->view.children = sv->children;
    sv->view.n_children = n;
    return MTFS_OK;
}

/* A service without its base whose name is close to another's, in a
 * scenario read from several files, most likely meant to change the
 * inherited one: say so, rather than "base: missing". */
static mtfs_status misnamed_item(vctx *v, const mtfs_node *list, const mtfs_node *g, const char *name,
                                 const char *what, const char *needs, int *reported)
{
    *reported = 0;
    if (v->cfg->n_files < 2 || mtfs_node_get(g, needs))
        return MTFS_OK;
    const char **names = mtfs_calloc(list->n_children + 1, sizeof *names);
    if (!names)
        return mtfs_sv_oom(v);
    size_t n = 0;
    for (size_t i = 0; i < list->n_children; i++) {
        const mtfs_node *other = list->children[i];
        const mtfs_node *other_name = other != g ? mtfs_node_get(other, "name") : NULL;
        if (other_name && other_name->type == MTFS_NODE_STRING)
            names[n++] = other_name->text;
    }
    const char *near = mtfs_nearest(name, names, n);
    mtfs_status st = MTFS_OK;
    if (near) {
        char key[MTFS_ERROR_KEY_MAX];
        snprintf(key, sizeof key, "%ss.%s", what, name);
        st = mtfs_sv_fail(v, mtfs_node_get(g, "name"), key, "no %s '%s' to change (did you mean '%s'? a new "
                          "%s needs its %s)", what, name, near, what, needs);
        *reported = 1;
    }
    mtfs_free(names);
    return st;
}

/* Item i of list `group` ("services", "grants") must be a group with a
 * name: on success *name is it and prefix (MTFS_ERROR_KEY_MAX bytes) names
 * the item for messages, "services.adults"; before the name is known,
 * "services[2]".  `second` is the key the expected-group example shows. */
static void item_key(char *buf, const char *group, size_t number)
{
    /* "services[2]", as snprintf "%s[%zu]" would write it (a batch names
     * some thirty items a scenario: snprintf was 5% of its time). */
    char digits[24];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + number % 10);
    while ((number /= 10) > 0 && n < sizeof digits);
    size_t used = strlen(group);
    if (used > MTFS_ERROR_KEY_MAX - n - 3)
        used = MTFS_ERROR_KEY_MAX - n - 3;
    memcpy(buf, group, used);
    buf[used++] = '[';
    while (n > 0)
        buf[used++] = digits[--n];
    buf[used++] = ']';
    buf[used] = '\0';
}

static mtfs_status named_item(vctx *v, const mtfs_node *g, size_t i, const char *group, const char *second,
                              const char *name_expected, char *prefix, const mtfs_node **name)
{
    item_key(prefix, group, i + 1);
    if (g->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, g, prefix, "found %s (expected a group { name = \"...\"; %s = ...; })",
                            mtfs_node_type_name(g), second);
    mtfs_status st = mtfs_sv_get_string(v, g, "name", prefix, name_expected, 1, name);
    if (st == MTFS_OK)
        mtfs_sv_join_key(prefix, MTFS_ERROR_KEY_MAX, group, (*name)->text);
    return st;
}

static mtfs_status load_service(vctx *v, const mtfs_node *list, size_t i, const mtfs_node *defaults)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = list->children[i];
    char prefix[MTFS_ERROR_KEY_MAX];
    const mtfs_node *name;
    mtfs_status st = named_item(v, g, i, "services", "base", "the service's name, e.g. \"adults\"", prefix,
                                &name);
    if (st != MTFS_OK)
        return st;
    for (size_t j = 0; j < sc->n_services; j++) {
        if (strcmp(sc->services[j].name, name->text) == 0) {
            const mtfs_node *first = NULL;
            for (size_t k = 0; k < i && !first; k++) {
                const mtfs_node *other = mtfs_node_get(list->children[k], "name");
                if (other && other->type == MTFS_NODE_STRING && strcmp(other->text, name->text) == 0)
                    first = list->children[k];
            }
            return mtfs_sv_fail(v, name, prefix, "duplicate service name (first defined at %s:%d; "
                                "expected each service once)", first ? first->file : "?", first ? first->line : 0);
        }
    }
    int misnamed;
    if ((st = misnamed_item(v, list, g, name->text, "service", "base", &misnamed)) != MTFS_OK || misnamed)
        return st;
    service_view sv;
    if ((st = with_defaults(v, g, defaults, &sv)) != MTFS_OK) {
        view_free(&sv);
        return st;
    }
    st = mtfs_sv_check_group(v, &sv.view, prefix, "services");
    mtfs_service *s = &sc->services[sc->n_services];
    if (!(s->name = mtfs_strdup(name->text))) {
        view_free(&sv);
        return mtfs_sv_oom(v);
    }
    sc->n_services++;
    st = mtfs_sv_worse(st, mtfs_sv_load_group(v, &sv.view, prefix, "services", (char *)s, service_by_hand, s));
    view_free(&sv);
    return st;
}

static mtfs_status load_services(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(root, "services");
    const char *expected = "a list of services ( { name = \"adults\"; base = 220.0; ... }, ... )";
    const mtfs_node *defaults;
    mtfs_status st = load_service_defaults(v, root, &defaults);
    if (st != MTFS_OK && st != MTFS_EINPUT)
        return st;
    if (!list)
        return mtfs_sv_worse(st, mtfs_sv_fail(v, root, "services", "missing (expected %s)", expected));
    if (list->type != MTFS_NODE_LIST || list->n_children == 0)
        return mtfs_sv_worse(st, mtfs_sv_fail(v, list, "services", "found %s (expected %s)",
                                              list->type == MTFS_NODE_LIST ? "an empty list"
                                                                           : mtfs_node_type_name(list),
                                              expected));
    sc->services = mtfs_calloc(list->n_children, sizeof *sc->services);
    if (!sc->services)
        return mtfs_sv_oom(v);
    /* Each service on its own: a bad one is reported and the next read. */
    for (size_t i = 0; i < list->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++)
        st = mtfs_sv_worse(st, load_service(v, list, i, defaults));
    return st;
}

/* A required block of the top level whose keys are registry group `p`:
 * its keys checked, then its inputs read in registry order. */
static mtfs_status load_block(vctx *v, const mtfs_node *root, const char *p, const char *expected,
                              mtfs_sv_hand hand, const mtfs_node **out)
{
    mtfs_status st = mtfs_sv_require_group(v, root, p, p, expected, out);
    if (st != MTFS_OK)
        return st;
    st = mtfs_sv_check_group(v, *out, p, p);
    return mtfs_sv_worse(st, mtfs_sv_load_group(v, *out, p, p, (char *)v->sc, hand, NULL));
}

static mtfs_status load_council_tax(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    mtfs_status st = load_block(v, root, "council_tax", "a group with at least taxbase and band_d", NULL, &g);
    if (st != MTFS_OK)
        return st;
    if (sc->referendum)
        return MTFS_OK;
    for (size_t t = 1; t <= v->T; t++) {
        double rise = sc->ct_core[t] + sc->ct_asc[t];
        if (rise > sc->referendum_limit[t] + 1e-12) {
            const mtfs_node *at = mtfs_node_get(g, "core");
            const char *key = "council_tax.core";
            if (!at) {
                at = mtfs_node_get(g, "asc");
                key = "council_tax.asc";
            }
            char label[16];
            return mtfs_sv_fail(v, at, key,
                                "council-tax rise of %.4g%% in %s is above the referendum limit of %.4g%% "
                                "(expected at most the limit, or council_tax.referendum = true)",
                                100.0 * rise, mtfs_sv_year_label(v, t, label, sizeof label),
                                100.0 * sc->referendum_limit[t]);
        }
    }
    return MTFS_OK;
}

static mtfs_status load_business_rates(vctx *v, const mtfs_node *root)
{
    const mtfs_node *g;
    return load_block(v, root, "business_rates", "a group with base (£m) and growth", NULL, &g);
}

static mtfs_status load_grant(vctx *v, const mtfs_node *list, size_t i)
{
    static const char *const rules[] = {"flat", "cpi", "rate", "list"};
    const mtfs_input_def *amount_in = mtfs_inputs_find("grants", "amount"),
                         *base_in = mtfs_inputs_find("grants", "base_amount"),
                         *rate_in = mtfs_inputs_find("grants", "rate");
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = list->children[i];
    char prefix[MTFS_ERROR_KEY_MAX], key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *name;
    mtfs_status st = named_item(v, g, i, "grants", "amount", "the grant's name", prefix, &name);
    if (st != MTFS_OK)
        return st;
    for (size_t j = 0; j < i; j++) {
        const mtfs_node *other = mtfs_node_get(list->children[j], "name");
        if (other && other->type == MTFS_NODE_STRING && strcmp(other->text, name->text) == 0)
            return mtfs_sv_fail(v, name, prefix, "duplicate grant name (first defined at %s:%d; "
                                "expected each grant once)", list->children[j]->file,
                                list->children[j]->line);
    }
    int misnamed;
    if ((st = misnamed_item(v, list, g, name->text, "grant", "amount", &misnamed)) != MTFS_OK || misnamed)
        return st;
    if ((st = mtfs_sv_check_group(v, g, prefix, "grants")) != MTFS_OK)
        return st;
    mtfs_grant *gr = &sc->grants[sc->n_grants];
    if (!(gr->name = mtfs_strdup(name->text)))
        return mtfs_sv_oom(v);
    sc->n_grants++;

    const mtfs_node *amount = mtfs_node_get(g, "amount");
    int is_list = amount && amount->type == MTFS_NODE_LIST;
    int rule;
    if ((st = mtfs_sv_get_choice(v, g, "rule", prefix, "grant rule", rules, COUNT(rules),
                                 is_list ? MTFS_GRANT_LIST : MTFS_GRANT_FLAT, &rule)) != MTFS_OK)
        return st;
    gr->rule = (mtfs_grant_rule)rule;
    mtfs_sv_join_key(key, sizeof key, prefix, "amount");
    if (amount && gr->rule == MTFS_GRANT_LIST && !is_list)
        return mtfs_sv_fail(v, amount, key, "rule \"list\" needs a list of %zu amounts, one per year "
                            "(found a single amount)", v->T);
    if (is_list && gr->rule != MTFS_GRANT_LIST) {
        mtfs_sv_join_key(key, sizeof key, prefix, "rule");
        return mtfs_sv_fail(v, mtfs_node_get(g, "rule"), key,
                            "rule \"%s\" grows one base-year amount, but amount is a list "
                            "(expected rule = \"list\", or a single amount)", rules[gr->rule]);
    }
    if (gr->rule == MTFS_GRANT_LIST)
        st = mtfs_sv_get_series(v, g, "amount", prefix, amount_in->range, 1, 0.0, &gr->list);
    else
        st = mtfs_sv_get_number(v, g, "amount", prefix, amount_in->range, 1, 0.0, &gr->amount);
    if (st != MTFS_OK)
        return st;
    /* A listed grant says nothing about the base year, which the bridge
     * and the base-year balance need: base_amount gives it (default the
     * first listed amount). */
    const mtfs_node *base_amount = mtfs_node_get(g, "base_amount");
    mtfs_sv_join_key(key, sizeof key, prefix, "base_amount");
    if (base_amount && gr->rule != MTFS_GRANT_LIST)
        return mtfs_sv_fail(v, base_amount, key, "only used with rule = \"list\" (for rule \"%s\", "
                            "amount is the base-year amount)", rules[gr->rule]);
    if (gr->rule == MTFS_GRANT_LIST &&
        (st = mtfs_sv_get_number(v, g, "base_amount", prefix, base_in->range, 0, gr->list[1],
                                 &gr->amount)) != MTFS_OK)
        return st;
    const mtfs_node *rate = mtfs_node_get(g, "rate");
    mtfs_sv_join_key(key, sizeof key, prefix, "rate");
    if (rate && gr->rule != MTFS_GRANT_RATE)
        return mtfs_sv_fail(v, rate, key, "only used with rule = \"rate\" (this grant's rule is \"%s\")",
                            rules[gr->rule]);
    if (gr->rule == MTFS_GRANT_RATE &&
        (st = mtfs_sv_get_series(v, g, "rate", prefix, rate_in->range, 1, 0.0, &gr->rate)) != MTFS_OK)
        return st;
    long long end;
    char expected[96];
    snprintf(expected, sizeof expected, "the last financial year paid, e.g. %d for %d/%02d",
             sc->base_year + 2, sc->base_year + 2, (sc->base_year + 3) % 100);
    if ((st = mtfs_sv_get_int(v, g, "end_year", prefix, sc->base_year, sc->base_year + 100, expected, 0,
                              0, &end)) != MTFS_OK)
        return st;
    gr->end_year = (int)end;
    return MTFS_OK;
}

static mtfs_status load_grants(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(root, "grants");
    if (!list)
        return MTFS_OK;
    if (list->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, list, "grants", "found %s (expected a list of grants ( { name = \"...\"; "
                            "amount = ...; }, ... ))", mtfs_node_type_name(list));
    sc->grants = mtfs_calloc(list->n_children ? list->n_children : 1, sizeof *sc->grants);
    if (!sc->grants)
        return mtfs_sv_oom(v);
    /* Each grant on its own: a bad one is reported and the next read. */
    mtfs_status st = MTFS_OK;
    for (size_t i = 0; i < list->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++)
        st = mtfs_sv_worse(st, load_grant(v, list, i));
    return st;
}

/* reserves.earmarked: a list of named reserves (model.md section 11), each
 * read through the registry's group "reserves.earmarked". */
static mtfs_status load_earmarked(vctx *v, const mtfs_node *reserves)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(reserves, "earmarked");
    if (!list)
        return MTFS_OK;
    if (list->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, list, "reserves.earmarked", "found %s (expected a list of reserves "
                            "( { name = \"...\"; opening = ...; }, ... ))", mtfs_node_type_name(list));
    if (list->n_children == 0)
        return MTFS_OK;
    sc->earmarked = mtfs_calloc(list->n_children, sizeof *sc->earmarked);
    if (!sc->earmarked)
        return mtfs_sv_oom(v);
    mtfs_status st = MTFS_OK;
    for (size_t i = 0; i < list->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++) {
        const mtfs_node *g = list->children[i], *name;
        char prefix[MTFS_ERROR_KEY_MAX];
        mtfs_status one = named_item(v, g, i, "reserves.earmarked", "opening", "the reserve's name",
                                     prefix, &name);
        for (size_t j = 0; one == MTFS_OK && j < i; j++) {
            const mtfs_node *other = mtfs_node_get(list->children[j], "name");
            if (other && other->type == MTFS_NODE_STRING && strcmp(other->text, name->text) == 0)
                one = mtfs_sv_fail(v, name, prefix, "duplicate earmarked reserve name (first defined at "
                                   "%s:%d; expected each reserve once)", list->children[j]->file,
                                   list->children[j]->line);
        }
        if (one == MTFS_OK && (one = mtfs_sv_check_group(v, g, prefix, "reserves.earmarked")) == MTFS_OK) {
            mtfs_earmarked *em = &sc->earmarked[sc->n_earmarked];
            if (!(em->name = mtfs_strdup(name->text)))
                return mtfs_sv_oom(v);
            sc->n_earmarked++;
            one = mtfs_sv_load_group(v, g, prefix, "reserves.earmarked", (char *)em, NULL, NULL);
        }
        st = mtfs_sv_worse(st, one);
    }
    return st;
}

static mtfs_status reserves_by_hand(vctx *v, const mtfs_node *g, const char *prefix,
                                    const mtfs_input_def *d, void *ctx)
{
    static const char *const policies[] = {"cover_gap", "none"};
    (void)ctx;
    if (strcmp(d->key, "earmarked") == 0)
        return load_earmarked(v, g);
    int policy;
    mtfs_status st = mtfs_sv_get_choice(v, g, d->key, prefix, "reserves policy", policies,
                                        COUNT(policies), 0, &policy);
    v->sc->reserves_policy = (mtfs_reserves_policy)policy;
    return st;
}

static mtfs_status load_reserves(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    mtfs_status st = load_block(v, root, "reserves", "a group with at least opening (£m)", reserves_by_hand, &g);
    if (st != MTFS_OK)
        return st;
    /* The two minimums are alternatives.  Within one file giving both is a
     * mistake; across an inheritance chain the more derived file wins, so a
     * what-if can switch from £m to a share of the budget. */
    const mtfs_node *in_money = mtfs_node_get(g, "minimum");
    const mtfs_node *as_share = mtfs_node_get(g, "minimum_share");
    if (in_money && as_share) {
        size_t rank_money = mtfs_sv_file_rank(v, in_money), rank_share = mtfs_sv_file_rank(v, as_share);
        if (rank_money == rank_share)
            return mtfs_sv_fail(v, as_share, "reserves.minimum_share",
                                "given together with reserves.minimum (expected one of them: minimum in "
                                "£m or minimum_share of the net budget)");
        if (rank_money < rank_share)
            sc->reserves_minimum_share = -1.0;
    }
    return MTFS_OK;
}

/* The node that gives service i's savings: its own key, else
 * service_defaults', else the service itself. */
static const mtfs_node *savings_node(const mtfs_node *root, const char *name)
{
    const mtfs_node *list = mtfs_node_get(root, "services"), *at = list;
    for (size_t i = 0; list && i < list->n_children; i++) {
        const mtfs_node *g = list->children[i], *n = mtfs_node_get(g, "name");
        if (n && n->type == MTFS_NODE_STRING && strcmp(n->text, name) == 0)
            at = g;
    }
    const mtfs_node *defaults = mtfs_node_get(root, "service_defaults");
    if (mtfs_node_get(at, "savings"))
        return mtfs_node_get(at, "savings");
    if (defaults && mtfs_node_get(defaults, "savings"))
        return mtfs_node_get(defaults, "savings");
    return at;
}

/* Savings may not take a service's recurring budget R_s(t) (docs/model.md
 * section 1) below zero.  R_s(t) is the engine's, so this runs on the
 * projection once the scenario has loaded without a problem.  The savings
 * are to blame in a year when the budget is below zero but would not be
 * without the savings delivered so far, each grown as the budget grows. */
static mtfs_status check_savings(vctx *v, const mtfs_node *root)
{
    mtfs_scenario *sc = v->sc;
    mtfs_projection *p = mtfs_projection_alloc(sc);
    if (!p)
        return mtfs_sv_oom(v);
    mtfs_error ignored;
    mtfs_status st = MTFS_OK;
    /* A projection that overflows is reported when the scenario runs. */
    if (mtfs_project(sc, p, &ignored) != MTFS_OK) {
        mtfs_projection_free(p);
        return MTFS_OK;
    }
    /* One line per service, at its first year below zero. */
    for (size_t i = 0; i < sc->n_services && (st == MTFS_OK || st == MTFS_EINPUT); i++) {
        const mtfs_service *sv = &sc->services[i];
        double saved = 0.0;
        for (size_t t = 1; t <= sc->horizon; t++) {
            saved = saved * (1.0 + MTFS_AT(p, service_inflation, i, t)) * (1.0 + sv->demand[t]) +
                    MTFS_AT(p, service_delivered, i, t);
            double R = MTFS_AT(p, service_recurring, i, t);
            if (R >= -1e-9 || R + saved < 0.0)
                continue;
            char key[MTFS_ERROR_KEY_MAX], year[16], below[48], without[48];
            snprintf(key, sizeof key, "services.%s.savings", sv->name);
            if (-R < 0.05)
                snprintf(below, sizeof below, "less than £0.1m");
            else
                mtfs_format_money(-R, below, sizeof below);
            st = mtfs_sv_worse(st, mtfs_sv_fail(v, savings_node(root, sv->name), key,
                              "savings take the service's recurring budget below zero in %s, by %s "
                              "(expected savings that leave it at zero or more: without them it would be %s)",
                              mtfs_sv_year_label(v, t, year, sizeof year), below,
                              mtfs_format_money(R + saved, without, sizeof without)));
            break;
        }
    }
    mtfs_projection_free(p);
    return st;
}

/* A formula file (mtfs formula) has data and no services: named as such,
 * rather than as a scenario with an unknown key 'data'. */
static int is_formula_file(const mtfs_node *root)
{
    return mtfs_node_get(root, "data") && !mtfs_node_get(root, "services") &&
           !mtfs_node_get(root, "base_year") && !mtfs_node_get(root, "economy");
}

static mtfs_status load_root(vctx *v, const mtfs_node *root, const char *path)
{
    mtfs_scenario *sc = v->sc;
    if (is_formula_file(root))
        return mtfs_sv_fail(v, root, NULL, "is a fair-funding formula file, not a scenario (expected a "
                            "scenario file; a formula is read by 'mtfs formula %s', or named by a "
                            "scenario's fair_funding.formula)", path);
    mtfs_status st = mtfs_sv_check_group(v, root, "", "");
    long long base_year, horizon;
    mtfs_status years = mtfs_sv_get_int(v, root, "base_year", "", 1990, 2100,
                                        "the first calendar year of the approved budget's financial year, "
                                        "e.g. 2024 for 2024/25", 1, 0, &base_year);
    years = mtfs_sv_worse(years, mtfs_sv_get_int(v, root, "horizon", "", 1, MTFS_HORIZON_MAX,
                                                 "the number of years to project, 1 to 30", 1, 0, &horizon));
    /* Every series and year check needs both. */
    if (years != MTFS_OK)
        return mtfs_sv_worse(st, years);
    sc->base_year = (int)base_year;
    sc->horizon = (size_t)horizon;
    v->T = sc->horizon;

    char stem[256];
    mtfs_path_stem(path, stem, sizeof stem);
    const mtfs_node *name, *description;
    st = mtfs_sv_worse(st, mtfs_sv_get_string(v, root, "name", "", "the scenario's title", 0, &name));
    st = mtfs_sv_worse(st, mtfs_sv_get_string(v, root, "description", "", "a description", 0, &description));
    sc->id = mtfs_strdup(stem);
    sc->name = mtfs_strdup(name ? name->text : stem);
    sc->description = description ? mtfs_strdup(description->text) : NULL;
    if (!sc->id || !sc->name || (description && !sc->description))
        return mtfs_sv_oom(v);

    /* The sections one after another, each reported in full; the reform
     * needs cpi, and the brief the reform. */
    int economy_ok;
#define SECTION(call)                                                                              \
    do {                                                                                           \
        st = mtfs_sv_worse(st, (call));                                                            \
        if (st != MTFS_OK && st != MTFS_EINPUT)                                                    \
            return st;                                                                             \
    } while (0)
    SECTION(load_economy(v, root, &economy_ok));
    SECTION(load_indices(v, root));
    SECTION(load_services(v, root));
    SECTION(mtfs_sv_load_input(v, root, "", mtfs_inputs_find("", "contingency"), (char *)sc));
    SECTION(load_council_tax(v, root));
    SECTION(load_business_rates(v, root));
    SECTION(load_grants(v, root));
    SECTION(load_reserves(v, root));
    SECTION(mtfs_sv_load_covid(v, root));
    SECTION(mtfs_sv_load_capital(v, root));
    SECTION(mtfs_sv_load_dsg(v, root));
    SECTION(mtfs_sv_load_resilience(v, root));
    if (economy_ok) {
        mtfs_status reform = mtfs_sv_load_fair_funding(v, root);
        SECTION(reform);
        if (reform == MTFS_OK)
            SECTION(mtfs_sv_load_brief(v, root));
    }
    SECTION(mtfs_sv_load_uncertainty(v, root));
    SECTION(mtfs_sv_report_short(v));
    if (st == MTFS_OK)
        SECTION(check_savings(v, root));
#undef SECTION
    return st;
}

/* The load behind both entry points: the first problem into err, every
 * problem into errors (NULL: only the first). */
static mtfs_status load(const char *path, mtfs_parse_cache *cache, mtfs_scenario **out, mtfs_error *err,
                        mtfs_error_list *errors)
{
    *out = NULL;
    mtfs_error_clear(err);
    mtfs_error_list_clear(errors);
    mtfs_dist_init();
    mtfs_config *cfg;
    mtfs_status st = mtfs_config_load_cached(path, cache, &cfg, err, errors);
    if (st != MTFS_OK) {
        mtfs_error_list_add(errors, err);   /* kept once if already there */
        return st;
    }
    mtfs_scenario *sc = mtfs_calloc(1, sizeof *sc);
    if (!sc) {
        mtfs_config_free(cfg);
        mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
        mtfs_error_list_add(errors, err);
        return MTFS_ENOMEM;
    }
    vctx v = {.sc = sc, .err = err, .errors = errors, .cfg = cfg};
    st = load_root(&v, cfg->root, path);
    if (st == MTFS_OK) {
        /* Every input: the scenario's files, then a reform's formula, data and price index. */
        const char *extra[3] = {sc->ff_formula, sc->ff_data, sc->ff_prices_file};
        size_t n_extra = sc->has_fair_funding ? 2 + (size_t)(sc->ff_has_prices != 0) : 0;
        sc->files = mtfs_calloc(cfg->n_files + n_extra, sizeof *sc->files);
        if (!sc->files)
            st = mtfs_sv_oom(&v);
        for (size_t i = 0; st == MTFS_OK && i < cfg->n_files + n_extra; i++) {
            const char *f = i < cfg->n_files ? cfg->files[i] : extra[i - cfg->n_files];
            if (!(sc->files[i] = mtfs_strdup(f)))
                st = mtfs_sv_oom(&v);
            else
                sc->n_files++;
        }
    }
    mtfs_config_free(cfg);
    if (st != MTFS_OK) {
        /* A failure always says why (a reader that fails records first). */
        if (err && err->status == MTFS_OK)
            mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL, "the scenario was refused without a reason");
        if (err && err->status == MTFS_ENOMEM && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        if (errors && errors->count == 0)
            mtfs_error_list_add(errors, err);
        for (size_t i = 0; errors && i < errors->count && i < MTFS_ERRORS_MAX; i++)
            if (errors->items[i].status == MTFS_ENOMEM && !errors->items[i].file[0])
                snprintf(errors->items[i].file, sizeof errors->items[i].file, "%s", path);
        mtfs_scenario_free(sc);
        return err ? err->status : st;
    }
    *out = sc;
    return MTFS_OK;
}

mtfs_status mtfs_scenario_load(const char *path, mtfs_scenario **out, mtfs_error *err)
{
    return load(path, NULL, out, err, NULL);
}

mtfs_status mtfs_scenario_load_all(const char *path, mtfs_scenario **out, mtfs_error *err,
                                   mtfs_error_list *errors)
{
    return load(path, NULL, out, err, errors);
}

mtfs_status mtfs_scenario_load_cached(const char *path, mtfs_parse_cache *cache, mtfs_scenario **out,
                                      mtfs_error *err, mtfs_error_list *errors)
{
    return load(path, cache, out, err, errors);
}
