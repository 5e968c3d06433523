/*
 * scenario.c - validate a merged config tree into an mtfs_scenario.
 *
 * Validation walks the tree in a fixed order (unknown keys of a group
 * first, so a typo is reported as a typo rather than as a missing key) and
 * stops at the first problem.  Each check knows what the key means, so the
 * message can say what was expected: the sensible range of a rate, the
 * length of a series, the nearest valid key.
 */
#include "scenario_int.h"
#include "checked.h"
#include "config.h"
#include "util.h"
#include "dist.h"
#include "mtfs/formula.h"
#include "mtfs/plot.h"
#include "mtfs/table.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Kinds of number, each with its sensible range and what to say.      */

typedef struct {
    double lo, hi;
    int lo_open;            /* lo itself is not allowed */
    int is_rate;            /* suggest v/100 for percentages */
    const char *expected;
} value_kind;

static const value_kind KIND_RATE = {-0.5, 0.5, 0, 1, "a rate as a fraction: 0.05 means 5%"};
static const value_kind KIND_SHARE = {0.0, 1.0, 0, 0, "a share between 0 and 1"};
static const value_kind KIND_POSITIVE_SHARE = {0.0, 1.0, 1, 0, "a share above 0 and at most 1"};
static const value_kind KIND_MONEY = {-1e6, 1e6, 0, 0, "an amount in £m"};
static const value_kind KIND_MONEY_NONNEG = {0.0, 1e6, 0, 0, "an amount in £m, not negative"};
static const value_kind KIND_TAXBASE = {0.0, 1e8, 1, 0, "a number of Band D equivalent properties"};
static const value_kind KIND_BAND_D = {0.0, 1e5, 1, 0, "a Band D charge in £ per year"};
static const value_kind KIND_FACTOR = {0.0, 100.0, 1, 0, "a positive factor, e.g. 1.21 to restate the data year's £ in base-year prices"};

typedef struct {
    mtfs_scenario *sc;
    mtfs_error *err;
    size_t T;
    const mtfs_config *cfg;
} vctx;

/* How derived the file a node came from is: 0 for the named file, larger
 * for the files it inherits (the config's file table is in load order). */
static size_t file_rank(const vctx *v, const mtfs_node *n)
{
    for (size_t i = 0; i < v->cfg->n_files; i++)
        if (v->cfg->files[i] == n->file)
            return i;
    return v->cfg->n_files;
}

static mtfs_status oom(vctx *v)
{
    return mtfs_error_set(v->err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
}

static mtfs_status fail_at(vctx *v, const mtfs_node *n, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static mtfs_status fail_at(vctx *v, const mtfs_node *n, const char *key, const char *fmt, ...)
{
    char msg[MTFS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mtfs_error_set(v->err, MTFS_EINPUT, n->file, n->line, key, "%s", msg);
}

static char *year_label_t(const vctx *v, size_t t, char *buf, size_t size)
{
    return mtfs_year_label(v->sc->base_year + (int)t, buf, size);
}

static double *new_series(vctx *v)
{
    mtfs_scenario *sc = v->sc;
    if (sc->n_blocks == sc->cap_blocks) {
        size_t cap = sc->cap_blocks ? 2 * sc->cap_blocks : 32;
        double **grown = mtfs_realloc(sc->blocks, cap * sizeof *grown);
        if (!grown)
            return NULL;
        sc->blocks = grown;
        sc->cap_blocks = cap;
    }
    double *s = mtfs_calloc(v->T + 1, sizeof *s);
    if (s)
        sc->blocks[sc->n_blocks++] = s;
    return s;
}

/* buf = prefix.name (or name alone), truncated to fit. */
static void join_key(char *buf, size_t size, const char *prefix, const char *name)
{
    size_t used = 0;
    const char *parts[3] = {prefix && prefix[0] ? prefix : "", prefix && prefix[0] ? "." : "", name};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(parts[i]);
        if (n > size - 1 - used)
            n = size - 1 - used;
        memcpy(buf + used, parts[i], n);
        used += n;
    }
    buf[used] = '\0';
}

/* Check one number against its kind.  `when` is "" or " for 2026/27". */
static mtfs_status check_value(vctx *v, const mtfs_node *n, const char *key, double x,
                               const value_kind *kind, const char *when)
{
    if (!isfinite(x))
        return fail_at(v, n, key, "value%s is not a finite number (expected %s)", when, kind->expected);
    int below = kind->lo_open ? x <= kind->lo : x < kind->lo;
    if (!below && x <= kind->hi)
        return MTFS_OK;
    if (kind->is_rate && fabs(x) >= 1.0 && fabs(x / 100.0) <= kind->hi)
        return fail_at(v, n, key,
                       "value %g%s is outside the sensible range %g to %g "
                       "(expected %s; did you mean %g?)",
                       x, when, kind->lo, kind->hi, kind->expected, x / 100.0);
    return fail_at(v, n, key, "value %g%s is outside the sensible range %g to %g (expected %s)", x,
                   when, kind->lo, kind->hi, kind->expected);
}

/* Reject keys of `group` that are not in `allowed`, suggesting the nearest. */
static mtfs_status check_keys(vctx *v, const mtfs_node *group, const char *prefix,
                              const char *const *allowed, size_t n_allowed)
{
    for (size_t i = 0; i < group->n_children; i++) {
        const mtfs_node *c = group->children[i];
        int known = 0;
        for (size_t k = 0; k < n_allowed && !known; k++)
            known = strcmp(c->name, allowed[k]) == 0;
        if (known)
            continue;
        char key[MTFS_ERROR_KEY_MAX];
        join_key(key, sizeof key, prefix, c->name);
        const char *near = mtfs_nearest(c->name, allowed, n_allowed);
        if (near)
            return fail_at(v, c, key, "unknown key (did you mean '%s'?)", near);
        char list[512] = "";
        size_t used = 0;
        for (size_t k = 0; k < n_allowed && used < sizeof list; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", allowed[k]);
            used += w > 0 ? (size_t)w : 0;
        }
        return fail_at(v, c, key, "unknown key (expected one of: %s)", list);
    }
    return MTFS_OK;
}

static mtfs_status require_group(vctx *v, const mtfs_node *parent, const char *name,
                                 const char *key, const char *expected, const mtfs_node **out)
{
    const mtfs_node *n = mtfs_node_get(parent, name);
    *out = n;
    if (!n)
        return fail_at(v, parent, key, "missing (expected %s)", expected);
    if (n->type != MTFS_NODE_GROUP)
        return fail_at(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    return MTFS_OK;
}

/* Find key `name` in `group`, writing its dotted path into key.  A missing
 * key is an error when required ("missing (expected ...)"); otherwise *out
 * is NULL and the caller uses its default. */
static mtfs_status lookup(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                          int required, const char *expected, char *key, const mtfs_node **out)
{
    join_key(key, MTFS_ERROR_KEY_MAX, prefix, name);
    *out = mtfs_node_get(group, name);
    if (!*out && required)
        return fail_at(v, group, key, "missing (expected %s)", expected);
    return MTFS_OK;
}

/* A series: a number (same every year) or a list of exactly T numbers.
 * Absent keys take `fallback` every year unless `required`. */
static mtfs_status get_series(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                              const value_kind *kind, int required, double fallback, double **out)
{
    char key[MTFS_ERROR_KEY_MAX], expected[160];
    double *s = new_series(v);
    if (!s)
        return oom(v);
    *out = s;
    snprintf(expected, sizeof expected, "%s, or a list of %zu values", kind->expected, v->T);
    const mtfs_node *n;
    mtfs_status st = lookup(v, group, name, prefix, required, expected, key, &n);
    if (st != MTFS_OK)
        return st;
    if (!n) {
        for (size_t t = 1; t <= v->T; t++)
            s[t] = fallback;
        return MTFS_OK;
    }
    if (mtfs_node_is_number(n)) {
        st = check_value(v, n, key, n->number, kind, "");
        if (st != MTFS_OK)
            return st;
        for (size_t t = 1; t <= v->T; t++)
            s[t] = n->number;
        return MTFS_OK;
    }
    if (n->type != MTFS_NODE_LIST)
        return fail_at(v, n, key, "found %s (expected %s, or a list of %zu values)",
                       mtfs_node_type_name(n), kind->expected, v->T);
    char first[16], last[16];
    if (n->n_children != v->T)
        return fail_at(v, n, key,
                       "list has %zu value%s (expected %zu: one per year %s to %s, or a single number)",
                       n->n_children, n->n_children == 1 ? "" : "s", v->T,
                       year_label_t(v, 1, first, sizeof first), year_label_t(v, v->T, last, sizeof last));
    for (size_t t = 1; t <= v->T; t++) {
        const mtfs_node *e = n->children[t - 1];
        char when[32], label[16];
        snprintf(when, sizeof when, " for %s", year_label_t(v, t, label, sizeof label));
        if (!mtfs_node_is_number(e))
            return fail_at(v, e, key, "value%s is %s (expected %s)", when, mtfs_node_type_name(e),
                           kind->expected);
        st = check_value(v, e, key, e->number, kind, when);
        if (st != MTFS_OK)
            return st;
        s[t] = e->number;
    }
    return MTFS_OK;
}

static mtfs_status get_number(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                              const value_kind *kind, int required, double fallback, double *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = fallback;
    mtfs_status st = lookup(v, group, name, prefix, required, kind->expected, key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (!mtfs_node_is_number(n))
        return fail_at(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), kind->expected);
    *out = n->number;
    return check_value(v, n, key, n->number, kind, "");
}

static mtfs_status get_int(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                           long long lo, long long hi, const char *expected, int required,
                           long long fallback, long long *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = fallback;
    mtfs_status st = lookup(v, group, name, prefix, required, expected, key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (n->type != MTFS_NODE_INT)
        return fail_at(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->integer < lo || n->integer > hi)
        return fail_at(v, n, key, "value %lld is outside %lld to %lld (expected %s)", n->integer, lo,
                       hi, expected);
    *out = n->integer;
    return MTFS_OK;
}

static mtfs_status get_string(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                              const char *expected, int required, const mtfs_node **out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = NULL;
    mtfs_status st = lookup(v, group, name, prefix, required, expected, key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (n->type != MTFS_NODE_STRING)
        return fail_at(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->text[0] == '\0')
        return fail_at(v, n, key, "is empty (expected %s)", expected);
    *out = n;
    return MTFS_OK;
}

/* Match a string value against a fixed set of words. */
static mtfs_status get_choice(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                              const char *what, const char *const *words, size_t n_words,
                              int fallback, int *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    join_key(key, sizeof key, prefix, name);
    char expected[256] = "one of", *p = expected + strlen(expected);
    for (size_t i = 0; i < n_words; i++)
        p += snprintf(p, (size_t)(expected + sizeof expected - p), "%s \"%s\"",
                      i == 0 ? "" : (i + 1 == n_words ? " or" : ","), words[i]);
    const mtfs_node *n;
    mtfs_status st = get_string(v, group, name, prefix, expected, 0, &n);
    *out = fallback;
    if (st != MTFS_OK || !n)
        return st;
    for (size_t i = 0; i < n_words; i++) {
        if (strcmp(n->text, words[i]) == 0) {
            *out = (int)i;
            return MTFS_OK;
        }
    }
    const char *near = mtfs_nearest(n->text, words, n_words);
    if (near)
        return fail_at(v, n, key, "unknown %s '%s' (did you mean '%s'? expected %s)", what, n->text,
                       near, expected);
    return fail_at(v, n, key, "unknown %s '%s' (expected %s)", what, n->text, expected);
}

static mtfs_status get_bool(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                            int fallback, int *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = fallback;
    mtfs_status st = lookup(v, group, name, prefix, 0, "true or false", key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (n->type != MTFS_NODE_BOOL)
        return fail_at(v, n, key, "found %s (expected true or false)", mtfs_node_type_name(n));
    *out = (int)n->integer;
    return MTFS_OK;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static mtfs_status load_economy(vctx *v, const mtfs_node *root)
{
    const mtfs_node *g;
    mtfs_status st = require_group(v, root, "economy", "economy",
                                   "a group of named rate series, at least cpi and pay", &g);
    if (st != MTFS_OK)
        return st;
    mtfs_scenario *sc = v->sc;
    sc->economy = mtfs_calloc(g->n_children, sizeof *sc->economy);
    if (!sc->economy)
        return oom(v);
    for (size_t i = 0; i < g->n_children; i++) {
        mtfs_economy_series *e = &sc->economy[sc->n_economy];
        if (!(e->name = mtfs_strdup(g->children[i]->name)))
            return oom(v);
        sc->n_economy++;
        st = get_series(v, g, e->name, "economy", &KIND_RATE, 1, 0.0, &e->values);
        if (st != MTFS_OK)
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
            return fail_at(v, g, key, "missing (expected %s, or a list of %zu values)",
                           KIND_RATE.expected, v->T);
        }
        if (r == 0)
            sc->cpi = i;
        else
            sc->pay = i;
    }
    return MTFS_OK;
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
        return oom(v);
    sc->indices = grown;
    mtfs_price_index *ix = &sc->indices[sc->n_indices];
    memset(ix, 0, sizeof *ix);
    sc->n_indices++;
    ix->name = mtfs_strdup(name);
    ix->series = mtfs_calloc(n_terms, sizeof *ix->series);
    ix->weights = mtfs_calloc(n_terms, sizeof *ix->weights);
    if (!ix->name || !ix->series || !ix->weights)
        return oom(v);
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
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return fail_at(v, g, "indices", "found %s (expected a group of price indices, e.g. "
                       "care = { nlw_growth = 0.6; cpi = 0.4; })", mtfs_node_type_name(g));
    const char **names = economy_names(sc);
    if (!names)
        return oom(v);
    for (size_t i = 0; i < g->n_children && st == MTFS_OK; i++) {
        const mtfs_node *def = g->children[i];
        char key[MTFS_ERROR_KEY_MAX];
        join_key(key, sizeof key, "indices", def->name);
        if (strcmp(def->name, "cpi") == 0) {
            st = fail_at(v, def, key, "'cpi' is built in (expected another name for this index)");
            break;
        }
        if (def->type != MTFS_NODE_GROUP || def->n_children == 0) {
            st = fail_at(v, def, key, "found %s (expected a group of economy series and weights "
                         "summing to 1, e.g. { nlw_growth = 0.6; cpi = 0.4; })",
                         def->type == MTFS_NODE_GROUP ? "an empty group" : mtfs_node_type_name(def));
            break;
        }
        st = check_keys(v, def, key, names, sc->n_economy);
        if (st != MTFS_OK)
            break;
        st = add_index(v, def->name, def->n_children, &ix);
        double sum = 0.0;
        for (size_t k = 0; k < def->n_children && st == MTFS_OK; k++) {
            const mtfs_node *term = def->children[k];
            ix->series[k] = economy_find(sc, term->name);
            st = get_number(v, def, term->name, key, &KIND_SHARE, 1, 0.0, &ix->weights[k]);
            sum += ix->weights[k];
        }
        if (st == MTFS_OK && fabs(sum - 1.0) > 1e-9)
            st = fail_at(v, def, key, "weights sum to %.10g (expected 1)", sum);
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
        return oom(v);
    for (size_t i = 0; i < sc->n_indices; i++)
        names[i] = sc->indices[i].name;
    for (size_t i = 0; i < sc->n_economy; i++)
        names[sc->n_indices + i] = sc->economy[i].name;
    const char *near = mtfs_nearest(n->text, names, n_names);
    mtfs_status st;
    if (near)
        st = fail_at(v, n, key, "unknown price index '%s' (did you mean '%s'? expected a name "
                     "from indices or economy)", n->text, near);
    else
        st = fail_at(v, n, key, "unknown price index '%s' (expected a name from indices or economy)",
                     n->text);
    mtfs_free(names);
    return st;
}

static mtfs_status load_services(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"name", "base", "pay_share", "price_index", "demand",
                                       "growth", "savings", "delivery", "one_off", "description"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(root, "services");
    const char *expected = "a list of services ( { name = \"adults\"; base = 220.0; ... }, ... )";
    if (!list)
        return fail_at(v, root, "services", "missing (expected %s)", expected);
    if (list->type != MTFS_NODE_LIST || list->n_children == 0)
        return fail_at(v, list, "services", "found %s (expected %s)",
                       list->type == MTFS_NODE_LIST ? "an empty list" : mtfs_node_type_name(list),
                       expected);
    sc->services = mtfs_calloc(list->n_children, sizeof *sc->services);
    if (!sc->services)
        return oom(v);
    for (size_t i = 0; i < list->n_children; i++) {
        const mtfs_node *g = list->children[i];
        char prefix[MTFS_ERROR_KEY_MAX];
        snprintf(prefix, sizeof prefix, "services[%zu]", i + 1);
        if (g->type != MTFS_NODE_GROUP)
            return fail_at(v, g, prefix, "found %s (expected a group { name = \"...\"; base = ...; })",
                           mtfs_node_type_name(g));
        const mtfs_node *name;
        mtfs_status st = get_string(v, g, "name", prefix, "the service's name, e.g. \"adults\"", 1, &name);
        if (st != MTFS_OK)
            return st;
        snprintf(prefix, sizeof prefix, "services.%s", name->text);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(sc->services[j].name, name->text) == 0) {
                const mtfs_node *first = list->children[j];
                return fail_at(v, name, prefix, "duplicate service name (first defined at %s:%d; "
                               "expected each service once)", first->file, first->line);
            }
        }
        st = check_keys(v, g, prefix, keys, COUNT(keys));
        if (st != MTFS_OK)
            return st;
        mtfs_service *s = &sc->services[sc->n_services];
        if (!(s->name = mtfs_strdup(name->text)))
            return oom(v);
        sc->n_services++;
        const mtfs_node *price;
        if ((st = get_number(v, g, "base", prefix, &KIND_MONEY, 1, 0.0, &s->base)) != MTFS_OK ||
            (st = get_number(v, g, "pay_share", prefix, &KIND_SHARE, 0, 0.0, &s->pay_share)) != MTFS_OK ||
            (st = get_string(v, g, "price_index", prefix, "the name of a price index", 0, &price)) != MTFS_OK)
            return st;
        s->price_index = 0;
        if (price) {
            char key[MTFS_ERROR_KEY_MAX];
            join_key(key, sizeof key, prefix, "price_index");
            if ((st = resolve_price_index(v, price, key, &s->price_index)) != MTFS_OK)
                return st;
        }
        if ((st = get_series(v, g, "demand", prefix, &KIND_RATE, 0, 0.0, &s->demand)) != MTFS_OK ||
            (st = get_series(v, g, "growth", prefix, &KIND_MONEY, 0, 0.0, &s->growth)) != MTFS_OK ||
            (st = get_series(v, g, "savings", prefix, &KIND_MONEY_NONNEG, 0, 0.0, &s->savings)) != MTFS_OK ||
            (st = get_series(v, g, "delivery", prefix, &KIND_SHARE, 0, 1.0, &s->delivery)) != MTFS_OK ||
            (st = get_series(v, g, "one_off", prefix, &KIND_MONEY, 0, 0.0, &s->one_off)) != MTFS_OK)
            return st;
    }
    return MTFS_OK;
}

static mtfs_status load_council_tax(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"taxbase", "taxbase_growth", "band_d", "core", "asc",
                                       "collection_rate", "collection_fund", "referendum_limit",
                                       "referendum"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    const char *p = "council_tax";
    mtfs_status st = require_group(v, root, p, p, "a group with at least taxbase and band_d", &g);
    if (st != MTFS_OK || (st = check_keys(v, g, p, keys, COUNT(keys))) != MTFS_OK)
        return st;
    if ((st = get_number(v, g, "taxbase", p, &KIND_TAXBASE, 1, 0.0, &sc->taxbase)) != MTFS_OK ||
        (st = get_series(v, g, "taxbase_growth", p, &KIND_RATE, 0, 0.0, &sc->taxbase_growth)) != MTFS_OK ||
        (st = get_number(v, g, "band_d", p, &KIND_BAND_D, 1, 0.0, &sc->band_d)) != MTFS_OK ||
        (st = get_series(v, g, "core", p, &KIND_RATE, 0, 0.0, &sc->ct_core)) != MTFS_OK ||
        (st = get_series(v, g, "asc", p, &KIND_RATE, 0, 0.0, &sc->ct_asc)) != MTFS_OK ||
        (st = get_series(v, g, "collection_rate", p, &KIND_POSITIVE_SHARE, 0, 1.0, &sc->collection_rate)) != MTFS_OK ||
        (st = get_series(v, g, "collection_fund", p, &KIND_MONEY, 0, 0.0, &sc->collection_fund)) != MTFS_OK ||
        (st = get_series(v, g, "referendum_limit", p, &KIND_RATE, 0, 0.0499, &sc->referendum_limit)) != MTFS_OK ||
        (st = get_bool(v, g, "referendum", p, 0, &sc->referendum)) != MTFS_OK)
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
            return fail_at(v, at, key,
                           "council-tax rise of %.4g%% in %s is above the referendum limit of %.4g%% "
                           "(expected at most the limit, or council_tax.referendum = true)",
                           100.0 * rise, year_label_t(v, t, label, sizeof label),
                           100.0 * sc->referendum_limit[t]);
        }
    }
    return MTFS_OK;
}

static mtfs_status load_business_rates(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"base", "growth"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    const char *p = "business_rates";
    mtfs_status st = require_group(v, root, p, p, "a group with base (£m) and growth", &g);
    if (st != MTFS_OK || (st = check_keys(v, g, p, keys, COUNT(keys))) != MTFS_OK)
        return st;
    if ((st = get_number(v, g, "base", p, &KIND_MONEY_NONNEG, 1, 0.0, &sc->business_rates)) != MTFS_OK)
        return st;
    return get_series(v, g, "growth", p, &KIND_RATE, 0, 0.0, &sc->business_rates_growth);
}

static mtfs_status load_grants(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"name", "amount", "base_amount", "rule", "rate", "end_year",
                                       "description"};
    static const char *const rules[] = {"flat", "cpi", "rate", "list"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(root, "grants");
    if (!list)
        return MTFS_OK;
    if (list->type != MTFS_NODE_LIST)
        return fail_at(v, list, "grants", "found %s (expected a list of grants ( { name = \"...\"; "
                       "amount = ...; }, ... ))", mtfs_node_type_name(list));
    sc->grants = mtfs_calloc(list->n_children, sizeof *sc->grants);
    if (!sc->grants)
        return oom(v);
    for (size_t i = 0; i < list->n_children; i++) {
        const mtfs_node *g = list->children[i];
        char prefix[MTFS_ERROR_KEY_MAX], key[MTFS_ERROR_KEY_MAX];
        snprintf(prefix, sizeof prefix, "grants[%zu]", i + 1);
        if (g->type != MTFS_NODE_GROUP)
            return fail_at(v, g, prefix, "found %s (expected a group { name = \"...\"; amount = ...; })",
                           mtfs_node_type_name(g));
        const mtfs_node *name;
        mtfs_status st = get_string(v, g, "name", prefix, "the grant's name", 1, &name);
        if (st != MTFS_OK)
            return st;
        snprintf(prefix, sizeof prefix, "grants.%s", name->text);
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->grants[j].name, name->text) == 0)
                return fail_at(v, name, prefix, "duplicate grant name (first defined at %s:%d; "
                               "expected each grant once)", list->children[j]->file,
                               list->children[j]->line);
        if ((st = check_keys(v, g, prefix, keys, COUNT(keys))) != MTFS_OK)
            return st;
        mtfs_grant *gr = &sc->grants[sc->n_grants];
        if (!(gr->name = mtfs_strdup(name->text)))
            return oom(v);
        sc->n_grants++;

        const mtfs_node *amount = mtfs_node_get(g, "amount");
        int is_list = amount && amount->type == MTFS_NODE_LIST;
        int rule;
        if ((st = get_choice(v, g, "rule", prefix, "grant rule", rules, COUNT(rules),
                             is_list ? MTFS_GRANT_LIST : MTFS_GRANT_FLAT, &rule)) != MTFS_OK)
            return st;
        gr->rule = (mtfs_grant_rule)rule;
        join_key(key, sizeof key, prefix, "amount");
        if (amount && gr->rule == MTFS_GRANT_LIST && !is_list)
            return fail_at(v, amount, key, "rule \"list\" needs a list of %zu amounts, one per year "
                           "(found a single amount)", v->T);
        if (is_list && gr->rule != MTFS_GRANT_LIST) {
            join_key(key, sizeof key, prefix, "rule");
            return fail_at(v, mtfs_node_get(g, "rule"), key,
                           "rule \"%s\" grows one base-year amount, but amount is a list "
                           "(expected rule = \"list\", or a single amount)", rules[gr->rule]);
        }
        if (gr->rule == MTFS_GRANT_LIST)
            st = get_series(v, g, "amount", prefix, &KIND_MONEY_NONNEG, 1, 0.0, &gr->list);
        else
            st = get_number(v, g, "amount", prefix, &KIND_MONEY_NONNEG, 1, 0.0, &gr->amount);
        if (st != MTFS_OK)
            return st;
        /* A listed grant says nothing about the base year, which the bridge
         * and the base-year balance need: base_amount gives it (default the
         * first listed amount). */
        const mtfs_node *base_amount = mtfs_node_get(g, "base_amount");
        join_key(key, sizeof key, prefix, "base_amount");
        if (base_amount && gr->rule != MTFS_GRANT_LIST)
            return fail_at(v, base_amount, key, "only used with rule = \"list\" (for rule \"%s\", "
                           "amount is the base-year amount)", rules[gr->rule]);
        if (gr->rule == MTFS_GRANT_LIST &&
            (st = get_number(v, g, "base_amount", prefix, &KIND_MONEY_NONNEG, 0, gr->list[1],
                             &gr->amount)) != MTFS_OK)
            return st;
        const mtfs_node *rate = mtfs_node_get(g, "rate");
        join_key(key, sizeof key, prefix, "rate");
        if (rate && gr->rule != MTFS_GRANT_RATE)
            return fail_at(v, rate, key, "only used with rule = \"rate\" (this grant's rule is \"%s\")",
                           rules[gr->rule]);
        if (gr->rule == MTFS_GRANT_RATE &&
            (st = get_series(v, g, "rate", prefix, &KIND_RATE, 1, 0.0, &gr->rate)) != MTFS_OK)
            return st;
        long long end;
        char expected[96];
        snprintf(expected, sizeof expected, "the last financial year paid, e.g. %d for %d/%02d",
                 sc->base_year + 2, sc->base_year + 2, (sc->base_year + 3) % 100);
        if ((st = get_int(v, g, "end_year", prefix, sc->base_year, sc->base_year + 100, expected, 0,
                          0, &end)) != MTFS_OK)
            return st;
        gr->end_year = (int)end;
    }
    return MTFS_OK;
}

static mtfs_status load_reserves(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"opening", "minimum", "minimum_share", "policy",
                                       "contributions"};
    static const char *const policies[] = {"cover_gap", "none"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g;
    const char *p = "reserves";
    mtfs_status st = require_group(v, root, p, p, "a group with at least opening (£m)", &g);
    if (st != MTFS_OK || (st = check_keys(v, g, p, keys, COUNT(keys))) != MTFS_OK)
        return st;
    int policy;
    if ((st = get_number(v, g, "opening", p, &KIND_MONEY_NONNEG, 1, 0.0, &sc->reserves_opening)) != MTFS_OK ||
        (st = get_number(v, g, "minimum", p, &KIND_MONEY_NONNEG, 0, 0.0, &sc->reserves_minimum)) != MTFS_OK ||
        (st = get_number(v, g, "minimum_share", p, &KIND_SHARE, 0, -1.0, &sc->reserves_minimum_share)) != MTFS_OK ||
        (st = get_choice(v, g, "policy", p, "reserves policy", policies, COUNT(policies), 0, &policy)) != MTFS_OK ||
        (st = get_series(v, g, "contributions", p, &KIND_MONEY, 0, 0.0, &sc->contributions)) != MTFS_OK)
        return st;
    sc->reserves_policy = (mtfs_reserves_policy)policy;
    /* The two minimums are alternatives.  Within one file giving both is a
     * mistake; across an inheritance chain the more derived file wins, so a
     * what-if can switch from £m to a share of the budget. */
    const mtfs_node *in_money = mtfs_node_get(g, "minimum");
    const mtfs_node *as_share = mtfs_node_get(g, "minimum_share");
    if (in_money && as_share) {
        size_t rank_money = file_rank(v, in_money), rank_share = file_rank(v, as_share);
        if (rank_money == rank_share)
            return fail_at(v, as_share, "reserves.minimum_share",
                           "given together with reserves.minimum (expected one of them: minimum in "
                           "£m or minimum_share of the net budget)");
        if (rank_money < rank_share)
            sc->reserves_minimum_share = -1.0;
    }
    return MTFS_OK;
}

static mtfs_status load_covid(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"extra_costs", "lost_income", "taper", "budgeted_income",
                                       "sfc_rate", "sfc_deductible", "sfc_end_year",
                                       "ct_deficit", "br_deficit", "spread_years", "grants"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = mtfs_node_get(root, "covid");
    const char *p = "covid";
    /* Without a block every series is zero, so the engine needs no branch
     * per quantity; has_covid only tells reports to show the Covid rows. */
    static const mtfs_node empty = {NULL, MTFS_NODE_GROUP, 0, 0.0, NULL, NULL, 0, 0, NULL, 0};
    if (g && g->type != MTFS_NODE_GROUP)
        return fail_at(v, g, p, "found %s (expected a group of Covid pressures, e.g. "
                       "covid = { extra_costs = [70.0, 10.0, 0.0, 0.0]; })", mtfs_node_type_name(g));
    sc->has_covid = g != NULL;
    if (!g)
        g = &empty;
    mtfs_status st = check_keys(v, g, p, keys, COUNT(keys));
    double *taper;
    long long end, spread;
    if (st != MTFS_OK ||
        (st = get_series(v, g, "extra_costs", p, &KIND_MONEY, 0, 0.0, &sc->covid_extra_costs)) != MTFS_OK ||
        (st = get_series(v, g, "lost_income", p, &KIND_MONEY_NONNEG, 0, 0.0, &sc->covid_lost_income)) != MTFS_OK ||
        (st = get_series(v, g, "taper", p, &KIND_SHARE, 0, 1.0, &taper)) != MTFS_OK ||
        (st = get_series(v, g, "budgeted_income", p, &KIND_MONEY_NONNEG, 0, 0.0, &sc->covid_budgeted_income)) != MTFS_OK ||
        (st = get_number(v, g, "sfc_rate", p, &KIND_SHARE, 0, 0.75, &sc->covid_sfc_rate)) != MTFS_OK ||
        (st = get_number(v, g, "sfc_deductible", p, &KIND_SHARE, 0, 0.05, &sc->covid_sfc_deductible)) != MTFS_OK ||
        (st = get_int(v, g, "sfc_end_year", p, sc->base_year, sc->base_year + 100,
                      "the last financial year compensated, e.g. 2021 for 2021/22", 0, 0, &end)) != MTFS_OK ||
        (st = get_series(v, g, "ct_deficit", p, &KIND_MONEY, 0, 0.0, &sc->covid_ct_deficit)) != MTFS_OK ||
        (st = get_series(v, g, "br_deficit", p, &KIND_MONEY, 0, 0.0, &sc->covid_br_deficit)) != MTFS_OK ||
        (st = get_int(v, g, "spread_years", p, 1, 10,
                      "the number of following years a deficit is recovered over, 1 to 10", 0, 3,
                      &spread)) != MTFS_OK ||
        (st = get_series(v, g, "grants", p, &KIND_MONEY_NONNEG, 0, 0.0, &sc->covid_grants)) != MTFS_OK)
        return st;
    sc->covid_sfc_end_year = (int)end;
    sc->covid_spread_years = (size_t)spread;
    for (size_t t = 1; t <= v->T; t++)
        sc->covid_lost_income[t] *= taper[t];
    return MTFS_OK;
}

/* ------------------------------------------------------------------ */
/* Fair-funding reform (model.md section 6)                            */

/* formula_adjustment(t) for a change D_i - B_i of `change` £m. */
static void reform_series(mtfs_scenario *sc, double change)
{
    const double *cpi = sc->economy[sc->cpi].values;
    double index = 1.0;
    for (size_t t = 1; t <= sc->horizon; t++) {
        index *= sc->ff_uplift_cpi ? 1.0 + cpi[t] : 1.0;
        int year = sc->base_year + (int)t;
        sc->formula_adjustment[t] = 0.0;
        if (year < sc->ff_start_year)
            continue;
        size_t k = (size_t)(year - sc->ff_start_year);
        double share = sc->ff_lambda[k < sc->ff_n_lambda ? k : sc->ff_n_lambda - 1];
        sc->formula_adjustment[t] = sc->ff_scale * index * share * change;
    }
}

/* The authority is not one the formula allocates to: say whether it is in
 * the data at all, and suggest a name only when one is close. */
static mtfs_status unknown_authority(vctx *v, const mtfs_node *authority, const mtfs_formula_result *r)
{
    const char *key = "fair_funding.authority", *who = authority->text;
    if (mtfs_table_find(r->table, who) != (size_t)-1)
        return fail_at(v, authority, key, "'%s' is in %s but outside the scope of formula '%s' "
                       "(expected one of the %zu authorities it allocates to)", who,
                       r->data_path, r->name, r->n);
    const char *near = mtfs_nearest(who, r->label, r->n);
    char cell[4 * MTFS_EXCERPT_CHARS + 4];   /* a data cell: quoted short, on one line */
    if (near)
        return fail_at(v, authority, key, "no authority '%s' in formula '%s' (did you mean '%s'?)",
                       who, r->name, mtfs_excerpt(near, cell, sizeof cell));
    return fail_at(v, authority, key, "no authority '%s' in formula '%s' (expected a code such as "
                   "E10000018 or a name from %s)", who, r->name, r->data_path);
}

/* formula_adjustment(t) = scale * u(t) * lambda(k) * (D_i - B_i) for the
 * years from start_year, k counting the reform's years from 0 and held at
 * its last value; u(t) is 1 ("flat") or the CPI index from the base year
 * ("cpi").  docs/fair-funding.md. */
static mtfs_status load_fair_funding(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"formula", "authority", "start_year", "transition",
                                       "uplift", "scale"};
    static const char *const uplifts[] = {"flat", "cpi"};
    mtfs_scenario *sc = v->sc;
    const char *p = "fair_funding";
    if (!(sc->formula_adjustment = new_series(v)))
        return oom(v);
    const mtfs_node *g = mtfs_node_get(root, p);
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return fail_at(v, g, p, "found %s (expected a group, e.g. fair_funding = { formula = "
                       "\"../formulas/per_head_average.cfg\"; authority = \"Leicestershire\"; "
                       "start_year = 2026; })", mtfs_node_type_name(g));
    sc->has_fair_funding = 1;
    const mtfs_node *formula, *authority, *transition = mtfs_node_get(g, "transition");
    long long start;
    int uplift;
    double scale;
    mtfs_status st = check_keys(v, g, p, keys, COUNT(keys));
    if (st != MTFS_OK ||
        (st = get_string(v, g, "formula", p, "a formula file, relative to this file", 1, &formula)) != MTFS_OK ||
        (st = get_string(v, g, "authority", p, "an authority's code or name in the formula's data",
                         1, &authority)) != MTFS_OK ||
        (st = get_int(v, g, "start_year", p, sc->base_year + 1, sc->base_year + 100,
                      "the first financial year of the reform, after the base year", 1, 0,
                      &start)) != MTFS_OK ||
        (st = get_choice(v, g, "uplift", p, "uplift", uplifts, COUNT(uplifts), 0, &uplift)) != MTFS_OK ||
        (st = get_number(v, g, "scale", p, &KIND_FACTOR, 0, 1.0, &scale)) != MTFS_OK)
        return st;
    sc->ff_start_year = (int)start;

    char dir[1024];
    mtfs_path_join(mtfs_dirname(formula->file, dir, sizeof dir), formula->text, sc->ff_formula,
                   sizeof sc->ff_formula);
    mtfs_formula_result *r;
    if ((st = mtfs_formula_run(sc->ff_formula, &r, v->err)) != MTFS_OK) {
        if (st == MTFS_ENOMEM)
            return st;
        if (st == MTFS_EIO || !v->err || !v->err->line) {
            char why[MTFS_ERROR_MESSAGE_MAX];
            snprintf(why, sizeof why, "%s", v->err ? v->err->message : "");
            return fail_at(v, formula, "fair_funding.formula", "cannot use '%s': %s (expected a "
                           "formula file such as ../formulas/per_head_average.cfg)", formula->text, why);
        }
        return st;
    }
    size_t i = mtfs_formula_find(r, authority->text);
    if (i == (size_t)-1) {
        st = unknown_authority(v, authority, r);
        mtfs_formula_result_free(r);
        return st;
    }
    snprintf(sc->ff_data, sizeof sc->ff_data, "%s", r->data_path);
    snprintf(sc->ff_formula_name, sizeof sc->ff_formula_name, "%s", r->name);
    snprintf(sc->ff_authority, sizeof sc->ff_authority, "%s", r->label[i]);
    snprintf(sc->ff_code, sizeof sc->ff_code, "%s", r->code[i]);
    sc->ff_baseline = r->baseline[i];
    sc->ff_final = r->final[i];

    /* lambda: the block's own transition, else the formula's. */
    double lambda[MTFS_HORIZON_MAX + 1];
    size_t n_lambda = r->n_years < MTFS_HORIZON_MAX ? r->n_years : MTFS_HORIZON_MAX;
    for (size_t k = 0; k < n_lambda; k++)
        lambda[k] = r->transition[k];
    mtfs_formula_result_free(r);
    if (transition) {
        const char *expected = "a list of shares from 0 to 1 that never fall, one per year of the "
                               "reform, e.g. [0.333, 0.667, 1.0]";
        if (transition->type != MTFS_NODE_LIST || transition->n_children == 0 ||
            transition->n_children > MTFS_HORIZON_MAX)
            return fail_at(v, transition, "fair_funding.transition", "found %s (expected %s)",
                           transition->type == MTFS_NODE_LIST ? "a list of the wrong length"
                                                              : mtfs_node_type_name(transition),
                           expected);
        n_lambda = transition->n_children;
        for (size_t k = 0; k < n_lambda; k++) {
            const mtfs_node *e = transition->children[k];
            if (!mtfs_node_is_number(e) || e->number < 0.0 || e->number > 1.0 ||
                (k && e->number < lambda[k - 1]))
                return fail_at(v, e, "fair_funding.transition", "value %zu is not a share at least "
                               "the one before it (expected %s)", k + 1, expected);
            lambda[k] = e->number;
        }
    }
    for (size_t k = 0; k < n_lambda; k++)
        sc->ff_lambda[k] = lambda[k];
    sc->ff_n_lambda = n_lambda;
    sc->ff_uplift_cpi = uplift;
    sc->ff_scale = scale;
    reform_series(sc, sc->ff_final - sc->ff_baseline);
    return MTFS_OK;
}

/* brief = { comparators = ["Surrey", ...]; formulas = ["../formulas/x.cfg", ...]; }:
 * what `mtfs brief` compares the fair_funding authority with.  Comparators
 * are checked against the reform's data here, so `validate` catches them. */
static mtfs_status string_list(vctx *v, const mtfs_node *g, const char *name, const char *expected,
                               size_t max, const char *why_max, const mtfs_node **out)
{
    char key[MTFS_ERROR_KEY_MAX];
    join_key(key, sizeof key, "brief", name);
    const mtfs_node *n = mtfs_node_get(g, name);
    *out = n;
    if (!n)
        return MTFS_OK;
    if (n->type != MTFS_NODE_LIST)
        return fail_at(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->n_children > max)
        return fail_at(v, n, key, "has %zu entries (expected at most %zu%s)", n->n_children, max,
                       why_max);
    for (size_t i = 0; i < n->n_children; i++)
        if (n->children[i]->type != MTFS_NODE_STRING || !n->children[i]->text[0])
            return fail_at(v, n->children[i], key, "entry %zu is %s (expected %s)", i + 1,
                           mtfs_node_type_name(n->children[i]), expected);
    return MTFS_OK;
}

/* The briefing's per-head chart (mtfs_plot_bars) shows the authority, its
 * comparators and up to three group averages: a brief that validates can
 * always be drawn. */
#define BRIEF_COMPARATORS_MAX ((size_t)MTFS_PLOT_BARS_MAX - 1 - 3)

static mtfs_status load_brief(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"comparators", "formulas"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = mtfs_node_get(root, "brief");
    if (!g)
        return MTFS_OK;
    if (g->type != MTFS_NODE_GROUP)
        return fail_at(v, g, "brief", "found %s (expected a group, e.g. brief = { comparators = "
                       "[\"Surrey\"]; formulas = [\"../formulas/ffr_like.cfg\"]; })",
                       mtfs_node_type_name(g));
    if (!sc->has_fair_funding)
        return fail_at(v, g, "brief", "needs a fair_funding block naming the authority and its data "
                       "(expected fair_funding = { formula = ...; authority = ...; start_year = ...; })");
    const mtfs_node *comparators, *formulas;
    mtfs_status st = check_keys(v, g, "brief", keys, COUNT(keys));
    if (st != MTFS_OK ||
        (st = string_list(v, g, "comparators", "a list of authority codes or names, e.g. "
                          "[\"Surrey\", \"E09000007\"]", BRIEF_COMPARATORS_MAX,
                          ": the briefing's chart has one bar for the authority, one for each "
                          "comparator and three for group averages", &comparators)) != MTFS_OK ||
        (st = string_list(v, g, "formulas", "a list of formula files, relative to this file", 40,
                          "", &formulas)) != MTFS_OK)
        return st;
    size_t nc = comparators ? comparators->n_children : 0, nf = formulas ? formulas->n_children : 0;
    sc->brief_comparators = mtfs_calloc(nc ? nc : 1, sizeof *sc->brief_comparators);
    sc->brief_formulas = mtfs_calloc(nf ? nf : 1, sizeof *sc->brief_formulas);
    if (!sc->brief_comparators || !sc->brief_formulas)
        return oom(v);
    if (nc) {
        mtfs_table *t;
        if ((st = mtfs_table_load(sc->ff_data, &t, v->err)) != MTFS_OK)
            return st;
        size_t name = mtfs_table_column(t, "name"), rows = mtfs_table_rows(t);
        const char **names = mtfs_calloc(rows ? rows : 1, sizeof *names);
        for (size_t i = 0; names && i < rows; i++)
            names[i] = name != (size_t)-1 ? mtfs_table_text(t, i, name) : "";
        for (size_t k = 0; names && st == MTFS_OK && k < nc; k++) {
            const mtfs_node *e = comparators->children[k];
            if (mtfs_table_find(t, e->text) == (size_t)-1) {
                const char *near = mtfs_nearest(e->text, names, rows);
                char cell[4 * MTFS_EXCERPT_CHARS + 4];   /* a data cell: short, one line */
                st = near ? fail_at(v, e, "brief.comparators", "no authority '%s' in %s (did you "
                                    "mean '%s'?)", e->text, sc->ff_data,
                                    mtfs_excerpt(near, cell, sizeof cell))
                          : fail_at(v, e, "brief.comparators", "no authority '%s' in %s (expected "
                                    "a code such as E10000030 or a name)", e->text, sc->ff_data);
            } else if (!(sc->brief_comparators[k] = mtfs_strdup(e->text))) {
                st = oom(v);
            } else {
                sc->n_brief_comparators++;
            }
        }
        if (!names)
            st = oom(v);
        mtfs_free(names);
        mtfs_table_free(t);
        if (st != MTFS_OK)
            return st;
    }
    for (size_t k = 0; k < nf; k++) {
        const mtfs_node *e = formulas->children[k];
        char dir[1024], path[4096];
        mtfs_path_join(mtfs_dirname(e->file, dir, sizeof dir), e->text, path, sizeof path);
        if (!(sc->brief_formulas[k] = mtfs_strdup(path)))
            return oom(v);
        sc->n_brief_formulas++;
    }
    return MTFS_OK;
}

/* ------------------------------------------------------------------ */
/* Uncertainty (model.md section 7)                                    */

typedef struct {
    const char *field;
    mtfs_target_kind kind;
    int series;              /* -1: depends on the grant's rule */
    const value_kind *range;
} target_field;

static const target_field service_fields[] = {
    {"base", MTFS_TARGET_SERVICE_BASE, 0, &KIND_MONEY},
    {"pay_share", MTFS_TARGET_SERVICE_PAY_SHARE, 0, &KIND_SHARE},
    {"demand", MTFS_TARGET_SERVICE_DEMAND, 1, &KIND_RATE},
    {"growth", MTFS_TARGET_SERVICE_GROWTH, 1, &KIND_MONEY},
    {"savings", MTFS_TARGET_SERVICE_SAVINGS, 1, &KIND_MONEY_NONNEG},
    {"delivery", MTFS_TARGET_SERVICE_DELIVERY, 1, &KIND_SHARE},
    {"one_off", MTFS_TARGET_SERVICE_ONE_OFF, 1, &KIND_MONEY}};
static const target_field grant_fields[] = {
    {"amount", MTFS_TARGET_GRANT_AMOUNT, -1, &KIND_MONEY_NONNEG},
    {"rate", MTFS_TARGET_GRANT_RATE, 1, &KIND_RATE}};
static const target_field council_tax_fields[] = {
    {"taxbase", MTFS_TARGET_CT_TAXBASE, 0, &KIND_TAXBASE},
    {"taxbase_growth", MTFS_TARGET_CT_TAXBASE_GROWTH, 1, &KIND_RATE},
    {"band_d", MTFS_TARGET_CT_BAND_D, 0, &KIND_BAND_D},
    {"core", MTFS_TARGET_CT_CORE, 1, &KIND_RATE},
    {"asc", MTFS_TARGET_CT_ASC, 1, &KIND_RATE},
    {"collection_rate", MTFS_TARGET_CT_COLLECTION_RATE, 1, &KIND_POSITIVE_SHARE},
    {"collection_fund", MTFS_TARGET_CT_COLLECTION_FUND, 1, &KIND_MONEY}};
static const target_field business_rates_fields[] = {
    {"base", MTFS_TARGET_BR_BASE, 0, &KIND_MONEY_NONNEG},
    {"growth", MTFS_TARGET_BR_GROWTH, 1, &KIND_RATE}};
static const target_field reserves_fields[] = {
    {"opening", MTFS_TARGET_RESERVES_OPENING, 0, &KIND_MONEY_NONNEG},
    {"contributions", MTFS_TARGET_RESERVES_CONTRIBUTIONS, 1, &KIND_MONEY}};
static const target_field covid_fields[] = {
    {"extra_costs", MTFS_TARGET_COVID_EXTRA_COSTS, 1, &KIND_MONEY},
    {"lost_income", MTFS_TARGET_COVID_LOST_INCOME, 1, &KIND_MONEY_NONNEG},
    {"grants", MTFS_TARGET_COVID_GRANTS, 1, &KIND_MONEY_NONNEG}};
static const target_field contingency_field = {"contingency", MTFS_TARGET_CONTINGENCY, 1, &KIND_MONEY};
static const target_field economy_field = {"", MTFS_TARGET_ECONOMY, 1, &KIND_RATE};

#define FIELDS(a) a, sizeof(a) / sizeof((a)[0])

static const target_field *find_field(const target_field *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].field, name) == 0)
            return &fields[i];
    return NULL;
}

double *mtfs_target_values(mtfs_scenario *s, const mtfs_uncertain *u)
{
    size_t i = u->item;
    switch (u->target) {
    case MTFS_TARGET_ECONOMY: return s->economy[i].values;
    case MTFS_TARGET_SERVICE_BASE: return &s->services[i].base;
    case MTFS_TARGET_SERVICE_PAY_SHARE: return &s->services[i].pay_share;
    case MTFS_TARGET_SERVICE_DEMAND: return s->services[i].demand;
    case MTFS_TARGET_SERVICE_GROWTH: return s->services[i].growth;
    case MTFS_TARGET_SERVICE_SAVINGS: return s->services[i].savings;
    case MTFS_TARGET_SERVICE_DELIVERY: return s->services[i].delivery;
    case MTFS_TARGET_SERVICE_ONE_OFF: return s->services[i].one_off;
    case MTFS_TARGET_CONTINGENCY: return s->contingency;
    case MTFS_TARGET_CT_TAXBASE: return &s->taxbase;
    case MTFS_TARGET_CT_TAXBASE_GROWTH: return s->taxbase_growth;
    case MTFS_TARGET_CT_BAND_D: return &s->band_d;
    case MTFS_TARGET_CT_CORE: return s->ct_core;
    case MTFS_TARGET_CT_ASC: return s->ct_asc;
    case MTFS_TARGET_CT_COLLECTION_RATE: return s->collection_rate;
    case MTFS_TARGET_CT_COLLECTION_FUND: return s->collection_fund;
    case MTFS_TARGET_BR_BASE: return &s->business_rates;
    case MTFS_TARGET_BR_GROWTH: return s->business_rates_growth;
    case MTFS_TARGET_GRANT_AMOUNT:
        return s->grants[i].rule == MTFS_GRANT_LIST ? s->grants[i].list : &s->grants[i].amount;
    case MTFS_TARGET_GRANT_RATE: return s->grants[i].rate;
    case MTFS_TARGET_RESERVES_OPENING: return &s->reserves_opening;
    case MTFS_TARGET_RESERVES_CONTRIBUTIONS: return s->contributions;
    case MTFS_TARGET_COVID_EXTRA_COSTS: return s->covid_extra_costs;
    case MTFS_TARGET_COVID_LOST_INCOME: return s->covid_lost_income;
    case MTFS_TARGET_COVID_GRANTS: return s->covid_grants;
    }
    return NULL;
}

static int resolve_target(const mtfs_scenario *sc, const char *path, mtfs_uncertain *u,
                          const value_kind **range);

/* Every input path a distribution may name, for "did you mean". */
static const char **target_paths(const mtfs_scenario *sc, size_t *n, char **storage)
{
    size_t cap = sc->n_economy + sc->n_services * 7 + sc->n_grants * 2 + 32, used = 0;
    const char **paths = mtfs_calloc(cap, sizeof *paths);
    size_t bytes = cap * 160;
    char *text = mtfs_malloc(bytes), *at = text;
    *storage = text;
    if (!paths || !text) {
        mtfs_free(paths);
        mtfs_free(text);
        *storage = NULL;
        return NULL;
    }
#define ADD(...)                                                                       \
    do {                                                                               \
        int w_ = snprintf(at, 160, __VA_ARGS__);                                       \
        paths[used++] = at;                                                            \
        at += (w_ > 0 && w_ < 160 ? w_ : 159) + 1;                                     \
    } while (0)
    for (size_t i = 0; i < sc->n_economy; i++)
        ADD("economy.%.140s", sc->economy[i].name);
    for (size_t i = 0; i < sc->n_services; i++)
        for (size_t f = 0; f < sizeof service_fields / sizeof service_fields[0]; f++)
            ADD("services.%.120s.%s", sc->services[i].name, service_fields[f].field);
    for (size_t i = 0; i < sc->n_grants; i++)
        for (size_t f = 0; f < sizeof grant_fields / sizeof grant_fields[0]; f++)
            ADD("grants.%.120s.%s", sc->grants[i].name, grant_fields[f].field);
    for (size_t f = 0; f < sizeof council_tax_fields / sizeof council_tax_fields[0]; f++)
        ADD("council_tax.%s", council_tax_fields[f].field);
    for (size_t f = 0; f < sizeof business_rates_fields / sizeof business_rates_fields[0]; f++)
        ADD("business_rates.%s", business_rates_fields[f].field);
    for (size_t f = 0; f < sizeof reserves_fields / sizeof reserves_fields[0]; f++)
        ADD("reserves.%s", reserves_fields[f].field);
    for (size_t f = 0; f < sizeof covid_fields / sizeof covid_fields[0]; f++)
        ADD("covid.%s", covid_fields[f].field);
    ADD("contingency");
#undef ADD
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

/* Resolve "services.adults.demand" and the like to a target. */
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
    const target_field *f = NULL;
    u->item = 0;
    if (!dot) {
        if (strcmp(head, "contingency") == 0)
            f = &contingency_field;
    } else if (strcmp(head, "economy") == 0) {
        for (size_t i = 0; i < sc->n_economy && !f; i++)
            if (strcmp(sc->economy[i].name, dot + 1) == 0) {
                f = &economy_field;
                u->item = i;
            }
    } else if (strcmp(head, "services") == 0 || strcmp(head, "grants") == 0) {
        const char *last = strrchr(dot + 1, '.');
        if (!last)
            return -1;
        size_t name_len = (size_t)(last - dot - 1);
        int services = head[0] == 's';
        size_t count = services ? sc->n_services : sc->n_grants;
        for (size_t i = 0; i < count && !f; i++) {
            const char *name = services ? sc->services[i].name : sc->grants[i].name;
            if (strlen(name) == name_len && strncmp(name, dot + 1, name_len) == 0) {
                f = services ? find_field(FIELDS(service_fields), last + 1)
                             : find_field(FIELDS(grant_fields), last + 1);
                u->item = i;
            }
        }
        if (f && f->kind == MTFS_TARGET_GRANT_RATE && sc->grants[u->item].rule != MTFS_GRANT_RATE)
            f = NULL;
    } else if (strcmp(head, "council_tax") == 0) {
        f = find_field(FIELDS(council_tax_fields), dot + 1);
    } else if (strcmp(head, "business_rates") == 0) {
        f = find_field(FIELDS(business_rates_fields), dot + 1);
    } else if (strcmp(head, "reserves") == 0) {
        f = find_field(FIELDS(reserves_fields), dot + 1);
    } else if (strcmp(head, "covid") == 0) {
        f = find_field(FIELDS(covid_fields), dot + 1);
    }
    if (!f)
        return -1;
    u->target = f->kind;
    u->series = f->series >= 0 ? f->series : sc->grants[u->item].rule == MTFS_GRANT_LIST;
    *range = f->range;
    return 0;
}

/* A finite number given in group g, or `fallback` when absent. */
static mtfs_status dist_number(vctx *v, const mtfs_node *g, const char *name, const char *prefix,
                               int required, double fallback, double *out)
{
    static const value_kind any = {-1e12, 1e12, 0, 0, "a number"};
    return get_number(v, g, name, prefix, &any, required, fallback, out);
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
        return fail_at(v, g, prefix, "found %s (expected a group { key = \"economy.cpi\"; "
                       "dist = \"normal\"; sd = 0.01; })", mtfs_node_type_name(g));
    const mtfs_node *path;
    mtfs_status st = get_string(v, g, "key", prefix, "the input to vary, e.g. \"economy.cpi\"", 1, &path);
    if (st != MTFS_OK)
        return st;
    snprintf(prefix, sizeof prefix, "uncertainty.parameters[%.200s]", path->text);
    if ((st = check_keys(v, g, prefix, keys, COUNT(keys))) != MTFS_OK)
        return st;
    for (size_t j = 0; j < sc->n_uncertain; j++)
        if (strcmp(sc->uncertain[j].key, path->text) == 0)
            return fail_at(v, path, prefix, "a second distribution for the same input "
                           "(expected each key once)");
    mtfs_uncertain *u = &sc->uncertain[sc->n_uncertain];
    memset(u, 0, sizeof *u);
    const value_kind *range;
    join_key(key, sizeof key, prefix, "key");
    if (resolve_target(sc, path->text, u, &range) != 0) {
        char *storage;
        size_t n;
        const char **paths = target_paths(sc, &n, &storage);
        if (!paths)
            return oom(v);
        const char *near = mtfs_nearest(path->text, paths, n);
        const char *last = strrchr(path->text, '.');
        if (strncmp(path->text, "grants.", 7) == 0 && last && strcmp(last, ".rate") == 0 && !near)
            st = fail_at(v, path, key, "input '%s' is not used: only a grant with rule = \"rate\" "
                         "has a rate (expected the grant's amount, or rule = \"rate\")", path->text);
        else if (near)
            st = fail_at(v, path, key, "unknown input '%s' (did you mean '%s'?)", path->text, near);
        else
            st = fail_at(v, path, key, "unknown input '%s' (expected a path such as "
                         "economy.cpi, services.NAME.demand or council_tax.taxbase_growth)",
                         path->text);
        mtfs_free(paths);
        mtfs_free(storage);
        return st;
    }
    if (!(u->key = mtfs_strdup(path->text)))
        return oom(v);
    sc->n_uncertain++;
    u->clamp_lo = range->lo;
    u->clamp_hi = range->hi;

    int dist, apply;
    if ((st = get_choice(v, g, "dist", prefix, "distribution", dists, COUNT(dists), -1, &dist)) != MTFS_OK)
        return st;
    if (dist < 0) {
        join_key(key, sizeof key, prefix, "dist");
        return fail_at(v, g, key, "missing (expected one of \"normal\", \"lognormal\", "
                       "\"uniform\", \"triangular\" or \"pert\")");
    }
    if ((st = get_choice(v, g, "apply", prefix, "way to apply a draw", applies, COUNT(applies), 0,
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
            join_key(key, sizeof key, prefix, all_params[k]);
            return fail_at(v, n, key, "not a parameter of the %s distribution (expected %s%s%s%s%s%s)",
                           dists[dist], uses[dist][0], uses[dist][1] ? ", " : "",
                           uses[dist][1] ? uses[dist][1] : "", uses[dist][2] ? ", " : "",
                           uses[dist][2] ? uses[dist][2] : "", uses[dist][3] ? " and lambda" : "");
        }
    }
    double centre = u->apply == MTFS_APPLY_SCALE ? 1.0 : 0.0;
    const mtfs_node *at = g;
    switch (u->dist) {
    case MTFS_DIST_NORMAL:
        if ((st = dist_number(v, g, "mean", prefix, u->apply == MTFS_APPLY_VALUE, centre, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "sd", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p2 < 0.0) {
            join_key(key, sizeof key, prefix, "sd");
            return fail_at(v, mtfs_node_get(g, "sd"), key, "value %g is negative (expected a "
                           "standard deviation of 0 or more)", u->p2);
        }
        break;
    case MTFS_DIST_LOGNORMAL:
        if ((st = dist_number(v, g, "mu", prefix, 0, 0.0, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "sigma", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p2 < 0.0) {
            join_key(key, sizeof key, prefix, "sigma");
            return fail_at(v, mtfs_node_get(g, "sigma"), key, "value %g is negative (expected a "
                           "standard deviation of the logarithm, 0 or more)", u->p2);
        }
        break;
    case MTFS_DIST_UNIFORM:
        if ((st = dist_number(v, g, "low", prefix, 1, 0.0, &u->p1)) != MTFS_OK ||
            (st = dist_number(v, g, "high", prefix, 1, 0.0, &u->p2)) != MTFS_OK)
            return st;
        if (u->p1 > u->p2) {
            join_key(key, sizeof key, prefix, "low");
            return fail_at(v, mtfs_node_get(g, "low"), key, "low %g is above high %g (expected "
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
            join_key(key, sizeof key, prefix, "mode");
            return fail_at(v, mtfs_node_get(g, "mode"), key, "low %g, mode %g, high %g are out of "
                           "order (expected low <= mode <= high and low < high)", u->p1, u->p2, u->p3);
        }
        if (u->p4 <= 0.0) {
            join_key(key, sizeof key, prefix, "lambda");
            return fail_at(v, mtfs_node_get(g, "lambda"), key, "value %g is not positive "
                           "(expected a PERT shape above 0; 4 is usual)", u->p4);
        }
        break;
    }
    if ((st = dist_number(v, g, "lower", prefix, 0, -INFINITY, &u->lower)) != MTFS_OK ||
        (st = dist_number(v, g, "upper", prefix, 0, INFINITY, &u->upper)) != MTFS_OK ||
        (st = get_number(v, g, "rho", prefix, &KIND_SHARE, 0, 0.0, &u->rho)) != MTFS_OK)
        return st;
    if (u->lower >= u->upper) {
        join_key(key, sizeof key, prefix, "lower");
        return fail_at(v, mtfs_node_get(g, "lower"), key, "lower %g is not below upper %g "
                       "(expected a truncation range lower < upper)", u->lower, u->upper);
    }
    double mass = mtfs_dist_cdf(u, u->upper) - mtfs_dist_cdf(u, u->lower);
    if (!(mass > 1e-12)) {
        join_key(key, sizeof key, prefix, mtfs_node_get(g, "lower") ? "lower" : "upper");
        at = mtfs_node_get(g, "lower") ? mtfs_node_get(g, "lower") : mtfs_node_get(g, "upper");
        return fail_at(v, at ? at : g, key, "the truncation leaves no probability (expected a "
                       "range that overlaps the distribution)");
    }
    return MTFS_OK;
}

/* The correlation list: ( ("economy.cpi", "economy.pay", 0.7), ... ). */
static mtfs_status load_correlations(vctx *v, const mtfs_node *g)
{
    mtfs_scenario *sc = v->sc;
    const mtfs_node *list = mtfs_node_get(g, "correlations");
    const mtfs_node *matrix = mtfs_node_get(g, "correlation_matrix");
    if (!list && !matrix)
        return MTFS_OK;
    size_t n = sc->n_uncertain;
    if (!(sc->correlation = mtfs_calloc(n * n, sizeof *sc->correlation)))
        return oom(v);
    for (size_t i = 0; i < n; i++)
        sc->correlation[i * n + i] = 1.0;
    const char **names = mtfs_calloc(n ? n : 1, sizeof *names);
    if (!names)
        return oom(v);
    for (size_t i = 0; i < n; i++)
        names[i] = sc->uncertain[i].key;
    mtfs_status st = MTFS_OK;
    const char *expected = "a list of (\"key\", \"key\", correlation) triples";
#define FIND(node, out)                                                                         \
    do {                                                                                        \
        out = n;                                                                                \
        for (size_t q_ = 0; q_ < n; q_++)                                                       \
            if ((node)->type == MTFS_NODE_STRING && strcmp(names[q_], (node)->text) == 0)       \
                out = q_;                                                                       \
        if (out == n) {                                                                         \
            const char *near_ = (node)->type == MTFS_NODE_STRING ? mtfs_nearest((node)->text, names, n) : NULL; \
            st = fail_at(v, node, key, "'%s' is not a key of uncertainty.parameters%s%s%s",     \
                         (node)->type == MTFS_NODE_STRING ? (node)->text : "?",                  \
                         near_ ? " (did you mean '" : "", near_ ? near_ : "", near_ ? "'?)" : ""); \
        }                                                                                       \
    } while (0)
    char key[MTFS_ERROR_KEY_MAX];
    if (list) {
        snprintf(key, sizeof key, "uncertainty.correlations");
        if (list->type != MTFS_NODE_LIST)
            st = fail_at(v, list, key, "found %s (expected %s)", mtfs_node_type_name(list), expected);
        for (size_t k = 0; st == MTFS_OK && k < list->n_children; k++) {
            const mtfs_node *e = list->children[k];
            snprintf(key, sizeof key, "uncertainty.correlations[%zu]", k + 1);
            if (e->type != MTFS_NODE_LIST || e->n_children != 3 || !mtfs_node_is_number(e->children[2])) {
                st = fail_at(v, e, key, "expected a triple (\"key\", \"key\", correlation), e.g. "
                             "(\"economy.cpi\", \"economy.pay\", 0.7)");
                break;
            }
            size_t a, b;
            FIND(e->children[0], a);
            if (st != MTFS_OK)
                break;
            FIND(e->children[1], b);
            if (st != MTFS_OK)
                break;
            double r = e->children[2]->number;
            if (a == b)
                st = fail_at(v, e, key, "a key correlated with itself (expected two different keys)");
            else if (!(r >= -1.0 && r <= 1.0))
                st = fail_at(v, e, key, "correlation %g is outside -1 to 1", r);
            else if (sc->correlation[a * n + b] != 0.0)
                st = fail_at(v, e, key, "a second correlation for '%s' and '%s' (expected each "
                             "pair once)", names[a], names[b]);
            else
                sc->correlation[a * n + b] = sc->correlation[b * n + a] = r;
        }
    }
    if (st == MTFS_OK && matrix) {
        snprintf(key, sizeof key, "uncertainty.correlation_matrix");
        const mtfs_node *keys = mtfs_node_get(matrix, "keys"), *rows = mtfs_node_get(matrix, "rows");
        if (list)
            st = fail_at(v, matrix, key, "given together with uncertainty.correlations (expected one of them)");
        else if (matrix->type != MTFS_NODE_GROUP || !keys || !rows || keys->type != MTFS_NODE_LIST ||
                 rows->type != MTFS_NODE_LIST || rows->n_children != keys->n_children)
            st = fail_at(v, matrix, key, "expected { keys = [\"a\", \"b\"]; rows = ( [1.0, 0.5], "
                         "[0.5, 1.0] ); } with one row per key");
        size_t m = st == MTFS_OK ? keys->n_children : 0;
        size_t *index = mtfs_calloc(m ? m : 1, sizeof *index);
        if (!index && st == MTFS_OK)
            st = oom(v);
        for (size_t i = 0; st == MTFS_OK && i < m; i++) {
            FIND(keys->children[i], index[i]);
            for (size_t j = 0; st == MTFS_OK && j < i; j++)
                if (index[j] == index[i])
                    st = fail_at(v, keys->children[i], key, "'%s' is listed twice in keys "
                                 "(expected each key once: a key's correlation with itself is 1)",
                                 names[index[i]]);
        }
        /* Every row's shape first: the symmetry check reads row j while
         * checking row i. */
        for (size_t i = 0; st == MTFS_OK && i < m; i++) {
            const mtfs_node *row = rows->children[i];
            if (row->type != MTFS_NODE_LIST)
                st = fail_at(v, row, key, "row %zu is %s (expected a list of %zu numbers, one per key)",
                             i + 1, mtfs_node_type_name(row), m);
            else if (row->n_children != m)
                st = fail_at(v, row, key, "row %zu has %zu value%s (expected %zu, one per key)", i + 1,
                             row->n_children, row->n_children == 1 ? "" : "s", m);
            for (size_t j = 0; st == MTFS_OK && j < m; j++)
                if (!mtfs_node_is_number(row->children[j]))
                    st = fail_at(v, row->children[j], key, "entry (%zu, %zu) is %s (expected a "
                                 "number from -1 to 1)", i + 1, j + 1,
                                 mtfs_node_type_name(row->children[j]));
        }
        for (size_t i = 0; st == MTFS_OK && i < m; i++) {
            for (size_t j = 0; st == MTFS_OK && j < m; j++) {
                const mtfs_node *c = rows->children[i]->children[j];
                double r = c->number, rt = rows->children[j]->children[i]->number;
                if (!(r >= -1.0 && r <= 1.0) || (i == j && r != 1.0) || r != rt)
                    st = fail_at(v, c, key, "entry (%zu, %zu) must be %s", i + 1, j + 1,
                                 i == j ? "1 on the diagonal" : "between -1 and 1 and symmetric");
                else
                    sc->correlation[index[i] * n + index[j]] = r;
            }
        }
        mtfs_free(index);
        if (st == MTFS_OK)
            snprintf(key, sizeof key, "uncertainty.correlation_matrix");
    }
#undef FIND
    mtfs_free(names);
    if (st == MTFS_OK && !mtfs_correlation_is_positive_definite(sc->correlation, n))
        st = fail_at(v, list ? list : matrix, list ? "uncertainty.correlations" : "uncertainty.correlation_matrix",
                     "the correlation matrix is not positive definite (expected correlations "
                     "that can hold together; lower the strongest ones)");
    return st;
}

static mtfs_status load_uncertainty(vctx *v, const mtfs_node *root)
{
    static const char *const keys[] = {"seed", "paths", "thresholds", "parameters",
                                       "correlations", "correlation_matrix"};
    mtfs_scenario *sc = v->sc;
    const mtfs_node *g = mtfs_node_get(root, "uncertainty");
    sc->mc_seed = 1;
    sc->mc_paths = 10000;
    if (!g)
        return MTFS_OK;
    const char *p = "uncertainty";
    if (g->type != MTFS_NODE_GROUP)
        return fail_at(v, g, p, "found %s (expected a group with parameters = ( ... ))",
                       mtfs_node_type_name(g));
    mtfs_status st = check_keys(v, g, p, keys, COUNT(keys));
    long long seed, paths;
    if (st != MTFS_OK ||
        (st = get_int(v, g, "seed", p, 0, 4294967295LL, "a whole number from 0 to 4294967295", 0, 1,
                      &seed)) != MTFS_OK ||
        (st = get_int(v, g, "paths", p, 1, 100000000, "the number of Monte Carlo paths, 1 to 100000000",
                      0, 10000, &paths)) != MTFS_OK)
        return st;
    sc->mc_seed = (unsigned long)seed;
    sc->mc_paths = (size_t)paths;
    const mtfs_node *th = mtfs_node_get(g, "thresholds");
    if (th) {
        if (th->type != MTFS_NODE_LIST && !mtfs_node_is_number(th))
            return fail_at(v, th, "uncertainty.thresholds", "found %s (expected a list of gaps in £m, "
                           "e.g. [50.0, 100.0])", mtfs_node_type_name(th));
        size_t n = th->type == MTFS_NODE_LIST ? th->n_children : 1;
        if (!(sc->thresholds = mtfs_calloc(n ? n : 1, sizeof *sc->thresholds)))
            return oom(v);
        for (size_t i = 0; i < n; i++) {
            const mtfs_node *e = th->type == MTFS_NODE_LIST ? th->children[i] : th;
            if (!mtfs_node_is_number(e))
                return fail_at(v, e, "uncertainty.thresholds", "found %s (expected a gap in £m)",
                               mtfs_node_type_name(e));
            if ((st = check_value(v, e, "uncertainty.thresholds", e->number, &KIND_MONEY, "")) != MTFS_OK)
                return st;
            sc->thresholds[sc->n_thresholds++] = e->number;
        }
    }
    const mtfs_node *list = mtfs_node_get(g, "parameters");
    if (!list)
        return fail_at(v, g, "uncertainty.parameters", "missing (expected a list of distributions, "
                       "e.g. ( { key = \"economy.cpi\"; dist = \"normal\"; sd = 0.01; } ))");
    if (list->type != MTFS_NODE_LIST)
        return fail_at(v, list, "uncertainty.parameters", "found %s (expected a list of "
                       "distributions)", mtfs_node_type_name(list));
    if (!(sc->uncertain = mtfs_calloc(list->n_children ? list->n_children : 1, sizeof *sc->uncertain)))
        return oom(v);
    for (size_t i = 0; i < list->n_children; i++)
        if ((st = load_parameter(v, list->children[i], i)) != MTFS_OK)
            return st;
    return load_correlations(v, g);
}

static mtfs_status load_root(vctx *v, const mtfs_node *root, const char *path)
{
    static const char *const keys[] = {"name", "description", "base", "base_year", "horizon",
                                       "economy", "indices", "services", "contingency",
                                       "council_tax", "business_rates", "grants", "reserves",
                                       "covid", "fair_funding", "brief", "uncertainty"};
    mtfs_scenario *sc = v->sc;
    mtfs_status st = check_keys(v, root, "", keys, COUNT(keys));
    if (st != MTFS_OK)
        return st;
    long long base_year, horizon;
    if ((st = get_int(v, root, "base_year", "", 1990, 2100,
                      "the first calendar year of the approved budget's financial year, e.g. 2024 "
                      "for 2024/25", 1, 0, &base_year)) != MTFS_OK ||
        (st = get_int(v, root, "horizon", "", 1, MTFS_HORIZON_MAX,
                      "the number of years to project, 1 to 30", 1, 0, &horizon)) != MTFS_OK)
        return st;
    sc->base_year = (int)base_year;
    sc->horizon = (size_t)horizon;
    v->T = sc->horizon;

    char stem[256];
    mtfs_path_stem(path, stem, sizeof stem);
    const mtfs_node *name;
    if ((st = get_string(v, root, "name", "", "the scenario's title", 0, &name)) != MTFS_OK)
        return st;
    const mtfs_node *description;
    if ((st = get_string(v, root, "description", "", "a description", 0, &description)) != MTFS_OK)
        return st;
    sc->id = mtfs_strdup(stem);
    sc->name = mtfs_strdup(name ? name->text : stem);
    if (!sc->id || !sc->name)
        return oom(v);

    if ((st = load_economy(v, root)) != MTFS_OK || (st = load_indices(v, root)) != MTFS_OK ||
        (st = load_services(v, root)) != MTFS_OK ||
        (st = get_series(v, root, "contingency", "", &KIND_MONEY, 0, 0.0, &sc->contingency)) != MTFS_OK ||
        (st = load_council_tax(v, root)) != MTFS_OK || (st = load_business_rates(v, root)) != MTFS_OK ||
        (st = load_grants(v, root)) != MTFS_OK || (st = load_reserves(v, root)) != MTFS_OK ||
        (st = load_covid(v, root)) != MTFS_OK || (st = load_fair_funding(v, root)) != MTFS_OK || (st = load_brief(v, root)) != MTFS_OK ||
        (st = load_uncertainty(v, root)) != MTFS_OK)
        return st;
    return MTFS_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

void mtfs_scenario_free(mtfs_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_economy; i++)
        mtfs_free(sc->economy[i].name);
    mtfs_free(sc->economy);
    for (size_t i = 0; i < sc->n_indices; i++) {
        mtfs_free(sc->indices[i].name);
        mtfs_free(sc->indices[i].series);
        mtfs_free(sc->indices[i].weights);
    }
    mtfs_free(sc->indices);
    for (size_t i = 0; i < sc->n_services; i++)
        mtfs_free(sc->services[i].name);
    mtfs_free(sc->services);
    for (size_t i = 0; i < sc->n_grants; i++)
        mtfs_free(sc->grants[i].name);
    mtfs_free(sc->grants);
    for (size_t i = 0; i < sc->n_uncertain; i++)
        mtfs_free(sc->uncertain[i].key);
    mtfs_free(sc->uncertain);
    mtfs_free(sc->correlation);
    mtfs_free(sc->thresholds);
    for (size_t i = 0; i < sc->n_files; i++)
        mtfs_free(sc->files[i]);
    mtfs_free(sc->files);
    for (size_t i = 0; i < sc->n_brief_comparators; i++)
        mtfs_free(sc->brief_comparators[i]);
    mtfs_free(sc->brief_comparators);
    for (size_t i = 0; i < sc->n_brief_formulas; i++)
        mtfs_free(sc->brief_formulas[i]);
    mtfs_free(sc->brief_formulas);
    for (size_t i = 0; i < sc->n_blocks; i++)
        mtfs_free(sc->blocks[i]);
    mtfs_free(sc->blocks);
    mtfs_free(sc->name);
    mtfs_free(sc->id);
    mtfs_free(sc);
}

/* The copy of series `old` in the clone: series live in the blocks table,
 * so the same position in the clone's table holds the copy. */
static double *remap(const mtfs_scenario *from, mtfs_scenario *to, const double *old)
{
    if (!old)
        return NULL;
    for (size_t i = 0; i < from->n_blocks; i++)
        if (from->blocks[i] == old)
            return to->blocks[i];
    return NULL;
}

static char *dup_or_null(const char *text, int *failed)
{
    if (!text)
        return NULL;
    char *copy = mtfs_strdup(text);
    if (!copy)
        *failed = 1;
    return copy;
}

mtfs_status mtfs_scenario_clone(const mtfs_scenario *s, mtfs_scenario **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_scenario *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    *c = *s;
    /* Nothing is owned yet: free() on failure must only see what was copied. */
    c->name = c->id = NULL;
    c->economy = NULL, c->n_economy = 0;
    c->indices = NULL, c->n_indices = 0;
    c->services = NULL, c->n_services = 0;
    c->grants = NULL, c->n_grants = 0;
    c->files = NULL, c->n_files = 0;
    c->blocks = NULL, c->n_blocks = c->cap_blocks = 0;
    c->uncertain = NULL, c->n_uncertain = 0;
    c->correlation = NULL;
    c->thresholds = NULL, c->n_thresholds = 0;
    c->brief_comparators = c->brief_formulas = NULL;
    c->n_brief_comparators = c->n_brief_formulas = 0;
    int failed = 0;
    size_t len = s->horizon + 1;

    c->blocks = mtfs_calloc(s->n_blocks ? s->n_blocks : 1, sizeof *c->blocks);
    failed |= !c->blocks;
    for (size_t i = 0; !failed && i < s->n_blocks; i++) {
        if (!(c->blocks[i] = mtfs_malloc(len * sizeof(double))))
            failed = 1;
        else {
            memcpy(c->blocks[i], s->blocks[i], len * sizeof(double));
            c->n_blocks = c->cap_blocks = i + 1;
        }
    }
    c->name = dup_or_null(s->name, &failed);
    c->id = dup_or_null(s->id, &failed);
    if (!failed && (c->economy = mtfs_calloc(s->n_economy, sizeof *c->economy)))
        for (; c->n_economy < s->n_economy; c->n_economy++) {
            c->economy[c->n_economy].name = dup_or_null(s->economy[c->n_economy].name, &failed);
            c->economy[c->n_economy].values = remap(s, c, s->economy[c->n_economy].values);
        }
    if (!failed && (c->indices = mtfs_calloc(s->n_indices, sizeof *c->indices)))
        for (; !failed && c->n_indices < s->n_indices; c->n_indices++) {
            const mtfs_price_index *from = &s->indices[c->n_indices];
            mtfs_price_index *to = &c->indices[c->n_indices];
            to->name = dup_or_null(from->name, &failed);
            to->n_terms = from->n_terms;
            to->series = mtfs_calloc(from->n_terms, sizeof *to->series);
            to->weights = mtfs_calloc(from->n_terms, sizeof *to->weights);
            if (!to->series || !to->weights) {
                failed = 1;
                continue;
            }
            memcpy(to->series, from->series, from->n_terms * sizeof *to->series);
            memcpy(to->weights, from->weights, from->n_terms * sizeof *to->weights);
        }
    if (!failed && (c->services = mtfs_calloc(s->n_services, sizeof *c->services)))
        for (; c->n_services < s->n_services; c->n_services++) {
            const mtfs_service *from = &s->services[c->n_services];
            mtfs_service *to = &c->services[c->n_services];
            *to = *from;
            to->name = dup_or_null(from->name, &failed);
            to->demand = remap(s, c, from->demand);
            to->growth = remap(s, c, from->growth);
            to->savings = remap(s, c, from->savings);
            to->delivery = remap(s, c, from->delivery);
            to->one_off = remap(s, c, from->one_off);
        }
    if (!failed && (c->grants = mtfs_calloc(s->n_grants ? s->n_grants : 1, sizeof *c->grants)))
        for (; c->n_grants < s->n_grants; c->n_grants++) {
            const mtfs_grant *from = &s->grants[c->n_grants];
            mtfs_grant *to = &c->grants[c->n_grants];
            *to = *from;
            to->name = dup_or_null(from->name, &failed);
            to->list = remap(s, c, from->list);
            to->rate = remap(s, c, from->rate);
        }
    if (!failed && (c->files = mtfs_calloc(s->n_files ? s->n_files : 1, sizeof *c->files)))
        for (; c->n_files < s->n_files; c->n_files++)
            c->files[c->n_files] = dup_or_null(s->files[c->n_files], &failed);
    if (!failed && s->brief_comparators &&
        (c->brief_comparators = mtfs_calloc(s->n_brief_comparators + 1, sizeof *c->brief_comparators)))
        for (; c->n_brief_comparators < s->n_brief_comparators; c->n_brief_comparators++)
            c->brief_comparators[c->n_brief_comparators] =
                dup_or_null(s->brief_comparators[c->n_brief_comparators], &failed);
    failed |= s->brief_comparators && !c->brief_comparators;
    if (!failed && s->brief_formulas &&
        (c->brief_formulas = mtfs_calloc(s->n_brief_formulas + 1, sizeof *c->brief_formulas)))
        for (; c->n_brief_formulas < s->n_brief_formulas; c->n_brief_formulas++)
            c->brief_formulas[c->n_brief_formulas] =
                dup_or_null(s->brief_formulas[c->n_brief_formulas], &failed);
    failed |= s->brief_formulas && !c->brief_formulas;
    if (!failed && s->n_uncertain && (c->uncertain = mtfs_calloc(s->n_uncertain, sizeof *c->uncertain)))
        for (; c->n_uncertain < s->n_uncertain; c->n_uncertain++) {
            c->uncertain[c->n_uncertain] = s->uncertain[c->n_uncertain];
            c->uncertain[c->n_uncertain].key = dup_or_null(s->uncertain[c->n_uncertain].key, &failed);
        }
    failed |= s->n_uncertain && !c->uncertain;
    if (!failed && s->correlation) {
        size_t bytes = s->n_uncertain * s->n_uncertain * sizeof *s->correlation;
        if ((c->correlation = mtfs_malloc(bytes)))
            memcpy(c->correlation, s->correlation, bytes);
        failed |= !c->correlation;
    }
    if (!failed && s->thresholds) {
        if ((c->thresholds = mtfs_calloc(s->n_thresholds ? s->n_thresholds : 1, sizeof *c->thresholds))) {
            memcpy(c->thresholds, s->thresholds, s->n_thresholds * sizeof *c->thresholds);
            c->n_thresholds = s->n_thresholds;
        }
        failed |= !c->thresholds;
    }
    failed |= (s->n_economy && !c->economy) || (s->n_indices && !c->indices) ||
              (s->n_services && !c->services) || !c->grants || !c->files;
    if (failed) {
        mtfs_scenario_free(c);
        return mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    double **series[] = {&c->contingency, &c->taxbase_growth, &c->ct_core, &c->ct_asc,
                         &c->collection_rate, &c->collection_fund, &c->referendum_limit,
                         &c->business_rates_growth, &c->contributions, &c->covid_extra_costs,
                         &c->covid_lost_income, &c->covid_budgeted_income, &c->covid_ct_deficit,
                         &c->covid_br_deficit, &c->covid_grants, &c->formula_adjustment};
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
        *series[i] = remap(s, c, *series[i]);
    *out = c;
    return MTFS_OK;
}

mtfs_status mtfs_scenario_load(const char *path, mtfs_scenario **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_error_clear(err);
    mtfs_dist_init();
    mtfs_config *cfg;
    mtfs_status st = mtfs_config_load(path, &cfg, err);
    if (st != MTFS_OK)
        return st;
    mtfs_scenario *sc = mtfs_calloc(1, sizeof *sc);
    if (!sc) {
        mtfs_config_free(cfg);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    vctx v = {sc, err, 0, cfg};
    st = load_root(&v, cfg->root, path);
    if (st == MTFS_OK) {
        /* Every input: the scenario's files, then a reform's formula and data. */
        const char *extra[2] = {sc->ff_formula, sc->ff_data};
        size_t n_extra = sc->has_fair_funding ? 2 : 0;
        sc->files = mtfs_calloc(cfg->n_files + n_extra, sizeof *sc->files);
        if (!sc->files)
            st = oom(&v);
        for (size_t i = 0; st == MTFS_OK && i < cfg->n_files + n_extra; i++) {
            const char *f = i < cfg->n_files ? cfg->files[i] : extra[i - cfg->n_files];
            if (!(sc->files[i] = mtfs_strdup(f)))
                st = oom(&v);
            else
                sc->n_files++;
        }
    }
    mtfs_config_free(cfg);
    if (st != MTFS_OK) {
        if (err && err->status == MTFS_ENOMEM && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        mtfs_scenario_free(sc);
        return st;
    }
    *out = sc;
    return MTFS_OK;
}

const char *mtfs_scenario_name(const mtfs_scenario *s) { return s->name; }
const char *mtfs_scenario_id(const mtfs_scenario *s) { return s->id; }
int mtfs_scenario_base_year(const mtfs_scenario *s) { return s->base_year; }
size_t mtfs_scenario_horizon(const mtfs_scenario *s) { return s->horizon; }
size_t mtfs_scenario_service_count(const mtfs_scenario *s) { return s->n_services; }
const char *mtfs_scenario_service_name(const mtfs_scenario *s, size_t i) { return s->services[i].name; }
size_t mtfs_scenario_grant_count(const mtfs_scenario *s) { return s->n_grants; }
const char *mtfs_scenario_grant_name(const mtfs_scenario *s, size_t i) { return s->grants[i].name; }
size_t mtfs_scenario_file_count(const mtfs_scenario *s) { return s->n_files; }
const char *mtfs_scenario_file(const mtfs_scenario *s, size_t i) { return s->files[i]; }
int mtfs_scenario_referendum_allowed(const mtfs_scenario *s) { return s->referendum; }
int mtfs_scenario_has_covid(const mtfs_scenario *s) { return s->has_covid; }
mtfs_status mtfs_scenario_set_reform(mtfs_scenario *s, double change, mtfs_error *err)
{
    if (!s->has_fair_funding)
        return mtfs_error_set(err, MTFS_EINPUT, s->files ? s->files[0] : NULL, 0, "fair_funding",
                              "the scenario has no fair_funding block (expected one naming a "
                              "formula and an authority)");
    if (!isfinite(change))
        return mtfs_error_set(err, MTFS_ENUMERIC, NULL, 0, NULL, "reform change is not a finite number");
    reform_series(s, change);
    return MTFS_OK;
}

size_t mtfs_scenario_brief_comparator_count(const mtfs_scenario *s) { return s->n_brief_comparators; }
const char *mtfs_scenario_brief_comparator(const mtfs_scenario *s, size_t i) { return s->brief_comparators[i]; }
size_t mtfs_scenario_brief_formula_count(const mtfs_scenario *s) { return s->n_brief_formulas; }
const char *mtfs_scenario_brief_formula(const mtfs_scenario *s, size_t i) { return s->brief_formulas[i]; }

int mtfs_scenario_fair_funding(const mtfs_scenario *s, mtfs_fair_funding_info *out)
{
    if (!s->has_fair_funding)
        return 0;
    *out = (mtfs_fair_funding_info){s->ff_formula_name, s->ff_formula, s->ff_data, s->ff_authority,
                                    s->ff_code, s->ff_start_year, s->ff_baseline, s->ff_final};
    return 1;
}

int mtfs_year_parse(const char *text, int *year)
{
    const char *end = mtfs_year_scan(text, year);
    return end && *end == '\0' ? 0 : -1;
}

char *mtfs_year_label(int first_calendar_year, char *buf, size_t size)
{
    int next = (first_calendar_year + 1) % 100;
    if (next < 0)
        next += 100;
    snprintf(buf, size, "%d/%02d", first_calendar_year, next);
    return buf;
}
