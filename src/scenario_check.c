/*
 * scenario_check.c - the scenario loader's validation kit (see
 * scenario_load.h): the kinds of number and their ranges, and one reader
 * per type of value, each saying what was expected when a value is wrong;
 * and the generic reader of the registry's inputs (mtfs/inputs.h).
 */
#include "scenario_load.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How derived the file a node came from is: 0 for the named file, larger
 * for the files it inherits (the config's file table is in load order). */
size_t mtfs_sv_file_rank(const vctx *v, const mtfs_node *n)
{
    for (size_t i = 0; i < v->cfg->n_files; i++)
        if (v->cfg->files[i] == n->file)
            return i;
    return v->cfg->n_files;
}

mtfs_status mtfs_sv_record(vctx *v, const mtfs_error *e)
{
    mtfs_error_list_add(v->errors, e);
    /* err keeps the first problem; one that stops the load replaces it,
     * as it is what the load ends with. */
    if (v->err && (v->err->status == MTFS_OK || e->status != MTFS_EINPUT))
        *v->err = *e;
    return e->status;
}

mtfs_status mtfs_sv_worse(mtfs_status a, mtfs_status b)
{
    if (a != MTFS_OK && a != MTFS_EINPUT)
        return a;
    if (b != MTFS_OK && b != MTFS_EINPUT)
        return b;
    return a != MTFS_OK ? a : b;
}

mtfs_status mtfs_sv_oom(vctx *v)
{
    mtfs_error e;
    mtfs_error_set(&e, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    return mtfs_sv_record(v, &e);
}

mtfs_status mtfs_sv_fail(vctx *v, const mtfs_node *n, const char *key, const char *fmt, ...)
{
    char msg[MTFS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mtfs_error e;
    mtfs_error_set(&e, MTFS_EINPUT, n->file, n->line, key, "%s", msg);
    return mtfs_sv_record(v, &e);
}

/* Was `name` of `group` reported already, as what a misspelt key meant? */
static int explained_by_typo(const vctx *v, const mtfs_node *group, const char *name)
{
    for (size_t i = 0; i < v->n_typos; i++)
        if (v->typo[i].group == group && strcmp(v->typo[i].key, name) == 0)
            return 1;
    return 0;
}

char *mtfs_sv_year_label(const vctx *v, size_t t, char *buf, size_t size)
{
    return mtfs_year_label(v->sc->base_year + (int)t, buf, size);
}

double *mtfs_sv_new_series(vctx *v)
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
void mtfs_sv_join_key(char *buf, size_t size, const char *prefix, const char *name)
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

/* Is x a value of its kind?  (The quick test; mtfs_sv_check_value says
 * what is wrong.) */
static inline int value_ok(const value_kind *kind, double x)
{
    int below = kind->lo_open ? x <= kind->lo : x < kind->lo;
    return isfinite(x) && !below && x <= kind->hi;
}

/* Check one number against its kind.  `when` is "" or " for 2026/27". */
mtfs_status mtfs_sv_check_value(vctx *v, const mtfs_node *n, const char *key, double x,
                                const value_kind *kind, const char *when)
{
    if (!isfinite(x))
        return mtfs_sv_fail(v, n, key, "value%s is not a finite number (expected %s)", when, kind->expected);
    int below = kind->lo_open ? x <= kind->lo : x < kind->lo;
    if (!below && x <= kind->hi)
        return MTFS_OK;
    /* 70 for a share or 5 for a rate is a percentage: suggest it as a
     * fraction when that fraction is in range. */
    double fraction = x / 100.0;
    int fraction_ok = (kind->lo_open ? fraction > kind->lo : fraction >= kind->lo) && fraction <= kind->hi;
    if (kind->percent_from > 0.0 && fabs(x) >= kind->percent_from && fraction_ok)
        return mtfs_sv_fail(v, n, key,
                            "value %g%s is outside the sensible range %g to %g "
                            "(expected %s; did you mean %g?)",
                            x, when, kind->lo, kind->hi, kind->expected, fraction);
    return mtfs_sv_fail(v, n, key, "value %g%s is outside the sensible range %g to %g (expected %s)", x,
                        when, kind->lo, kind->hi, kind->expected);
}

/* Reject keys of `group` that are not in `allowed`, suggesting the nearest. */
mtfs_status mtfs_sv_check_keys(vctx *v, const mtfs_node *group, const char *prefix,
                               const char *const *allowed, size_t n_allowed)
{
    mtfs_status st = MTFS_OK;
    for (size_t i = 0; i < group->n_children && (st == MTFS_OK || st == MTFS_EINPUT); i++) {
        const mtfs_node *c = group->children[i];
        int known = 0;
        for (size_t k = 0; k < n_allowed && !known; k++)
            known = strcmp(c->name, allowed[k]) == 0;
        if (known)
            continue;
        char key[MTFS_ERROR_KEY_MAX];
        mtfs_sv_join_key(key, sizeof key, prefix, c->name);
        const char *near = mtfs_nearest(c->name, allowed, n_allowed);
        if (near) {
            if (v->n_typos < MTFS_SV_TYPOS_MAX) {
                v->typo[v->n_typos].group = group;
                v->typo[v->n_typos].key = near;
                v->n_typos++;
            }
            st = mtfs_sv_fail(v, c, key, "unknown key (did you mean '%s'?)", near);
            continue;
        }
        char list[512] = "";
        size_t used = 0;
        for (size_t k = 0; k < n_allowed && used < sizeof list; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", allowed[k]);
            used += w > 0 ? (size_t)w : 0;
        }
        st = mtfs_sv_fail(v, c, key, "unknown key (expected one of: %s)", list);
    }
    return st;
}

mtfs_status mtfs_sv_require_group(vctx *v, const mtfs_node *parent, const char *name,
                                  const char *key, const char *expected, const mtfs_node **out)
{
    const mtfs_node *n = mtfs_node_get(parent, name);
    *out = n;
    if (!n && explained_by_typo(v, parent, name))
        return MTFS_EINPUT;
    if (!n)
        return mtfs_sv_fail(v, parent, key, "missing (expected %s)", expected);
    if (n->type != MTFS_NODE_GROUP)
        return mtfs_sv_fail(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    return MTFS_OK;
}

/* Find key `name` in `group`, writing its dotted path into key.  A missing
 * key is an error when required ("missing (expected ...)"); otherwise *out
 * is NULL and the caller uses its default. */
static mtfs_status lookup(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                          int required, const char *expected, char *key, const mtfs_node **out)
{
    mtfs_sv_join_key(key, MTFS_ERROR_KEY_MAX, prefix, name);
    *out = mtfs_node_get(group, name);
    if (!*out && required && explained_by_typo(v, group, name))
        return MTFS_EINPUT;
    if (!*out && required)
        return mtfs_sv_fail(v, group, key, "missing (expected %s)", expected);
    return MTFS_OK;
}

/* A series: a number (same every year) or a list of exactly T numbers.
 * Absent keys take `fallback` every year unless `required`. */
mtfs_status mtfs_sv_get_series(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const value_kind *kind, int required, double fallback, double **out)
{
    char key[MTFS_ERROR_KEY_MAX], expected[160] = "";
    double *s = mtfs_sv_new_series(v);
    if (!s)
        return mtfs_sv_oom(v);
    *out = s;
    /* What is expected is said only when the key is missing: not built
     * for every key of every file (batches load thousands). */
    if (required && !mtfs_node_get(group, name))
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
        st = mtfs_sv_check_value(v, n, key, n->number, kind, "");
        if (st != MTFS_OK)
            return st;
        for (size_t t = 1; t <= v->T; t++)
            s[t] = n->number;
        return MTFS_OK;
    }
    if (n->type != MTFS_NODE_LIST)
        return mtfs_sv_fail(v, n, key, "found %s (expected %s, or a list of %zu values)",
                            mtfs_node_type_name(n), kind->expected, v->T);
    char first[16], last[16];
    const mtfs_node *horizon = mtfs_node_get(v->cfg->root, "horizon");
    if (n->n_children != v->T && horizon &&
        mtfs_sv_file_rank(v, horizon) < mtfs_sv_file_rank(v, n)) {
        /* A derived file changed horizon under an inherited list: one
         * message for them all, at horizon (mtfs_sv_report_short). */
        if (!v->n_short++)
            v->short_first = n;
        size_t used = strlen(v->short_keys);
        if (used + strlen(key) + 8 < sizeof v->short_keys)
            snprintf(v->short_keys + used, sizeof v->short_keys - used, "%s%s", used ? ", " : "", key);
        return MTFS_EINPUT;
    }
    if (n->n_children != v->T)
        return mtfs_sv_fail(v, n, key,
                            "list has %zu value%s (expected %zu: one per year %s to %s, or a single number)",
                            n->n_children, n->n_children == 1 ? "" : "s", v->T,
                            mtfs_sv_year_label(v, 1, first, sizeof first), mtfs_sv_year_label(v, v->T, last, sizeof last));
    for (size_t t = 1; t <= v->T; t++) {
        const mtfs_node *e = n->children[t - 1];
        if (mtfs_node_is_number(e) && value_ok(kind, e->number)) {
            s[t] = e->number;
            continue;
        }
        char when[32], label[16];
        snprintf(when, sizeof when, " for %s", mtfs_sv_year_label(v, t, label, sizeof label));
        if (!mtfs_node_is_number(e))
            return mtfs_sv_fail(v, e, key, "value%s is %s (expected %s)", when, mtfs_node_type_name(e),
                                kind->expected);
        st = mtfs_sv_check_value(v, e, key, e->number, kind, when);
        if (st != MTFS_OK)
            return st;
        s[t] = e->number;
    }
    return MTFS_OK;
}

mtfs_status mtfs_sv_report_short(vctx *v)
{
    if (!v->n_short)
        return MTFS_OK;
    const mtfs_node *horizon = mtfs_node_get(v->cfg->root, "horizon"), *list = v->short_first;
    char first[16], last[16];
    size_t listed = 1;
    for (const char *c = v->short_keys; (c = strstr(c, ", ")) != NULL; c += 2)
        listed++;
    return mtfs_sv_fail(v, horizon, "horizon",
                        "is %zu here, but %zu series inherited from %s %s list%s of "
                        "%zu values: %s%s (expected each given again in this file as a list of %zu "
                        "values, one per year %s to %s, or as a single number)",
                        v->T, v->n_short, list->file, v->n_short == 1 ? "is a" : "are",
                        v->n_short == 1 ? "" : "s", list->n_children, v->short_keys,
                        listed < v->n_short ? ", ..." : "", v->T,
                        mtfs_sv_year_label(v, 1, first, sizeof first),
                        mtfs_sv_year_label(v, v->T, last, sizeof last));
}

mtfs_status mtfs_sv_get_number(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const value_kind *kind, int required, double fallback, double *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = fallback;
    mtfs_status st = lookup(v, group, name, prefix, required, kind->expected, key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (!mtfs_node_is_number(n))
        return mtfs_sv_fail(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), kind->expected);
    *out = n->number;
    return mtfs_sv_check_value(v, n, key, n->number, kind, "");
}

mtfs_status mtfs_sv_get_int(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
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
        return mtfs_sv_fail(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->integer < lo || n->integer > hi)
        return mtfs_sv_fail(v, n, key, "value %lld is outside %lld to %lld (expected %s)", n->integer, lo,
                            hi, expected);
    *out = n->integer;
    return MTFS_OK;
}

mtfs_status mtfs_sv_get_string(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const char *expected, int required, const mtfs_node **out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = NULL;
    mtfs_status st = lookup(v, group, name, prefix, required, expected, key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (n->type != MTFS_NODE_STRING)
        return mtfs_sv_fail(v, n, key, "found %s (expected %s)", mtfs_node_type_name(n), expected);
    if (n->text[0] == '\0')
        return mtfs_sv_fail(v, n, key, "is empty (expected %s)", expected);
    *out = n;
    return MTFS_OK;
}

/* Match a string value against a fixed set of words. */
mtfs_status mtfs_sv_get_choice(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const char *what, const char *const *words, size_t n_words,
                               int fallback, int *out)
{
    /* The usual cases first, without building the message. */
    const mtfs_node *found = mtfs_node_get(group, name);
    *out = fallback;
    if (!found)
        return MTFS_OK;
    for (size_t i = 0; found->type == MTFS_NODE_STRING && i < n_words; i++) {
        if (strcmp(found->text, words[i]) == 0) {
            *out = (int)i;
            return MTFS_OK;
        }
    }
    char key[MTFS_ERROR_KEY_MAX];
    mtfs_sv_join_key(key, sizeof key, prefix, name);
    char expected[256] = "one of", *p = expected + strlen(expected);
    for (size_t i = 0; i < n_words; i++)
        p += snprintf(p, (size_t)(expected + sizeof expected - p), "%s \"%s\"",
                      i == 0 ? "" : (i + 1 == n_words ? " or" : ","), words[i]);
    const mtfs_node *n;
    mtfs_status st = mtfs_sv_get_string(v, group, name, prefix, expected, 0, &n);
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
        return mtfs_sv_fail(v, n, key, "unknown %s '%s' (did you mean '%s'? expected %s)", what, n->text,
                            near, expected);
    return mtfs_sv_fail(v, n, key, "unknown %s '%s' (expected %s)", what, n->text, expected);
}

mtfs_status mtfs_sv_get_bool(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                             int fallback, int *out)
{
    char key[MTFS_ERROR_KEY_MAX];
    const mtfs_node *n;
    *out = fallback;
    mtfs_status st = lookup(v, group, name, prefix, 0, "true or false", key, &n);
    if (st != MTFS_OK || !n)
        return st;
    if (n->type != MTFS_NODE_BOOL)
        return mtfs_sv_fail(v, n, key, "found %s (expected true or false)", mtfs_node_type_name(n));
    *out = (int)n->integer;
    return MTFS_OK;
}

/* ------------------------------------------------------------------ */
/* The registry's inputs                                               */

/* The most keys a group has (the top level: 17). */
#define GROUP_KEYS_MAX 32

mtfs_status mtfs_sv_check_group(vctx *v, const mtfs_node *g, const char *prefix, const char *group)
{
    const char *keys[GROUP_KEYS_MAX];
    size_t n = mtfs_inputs_keys(group, keys, GROUP_KEYS_MAX);
    return mtfs_sv_check_keys(v, g, prefix, keys, n);
}

mtfs_status mtfs_sv_load_input(vctx *v, const mtfs_node *g, const char *prefix,
                               const mtfs_input_def *d, char *base)
{
    int required = (d->flags & MTFS_INPUTS_REQUIRED) != 0;
    switch (d->kind) {
    case MTFS_INPUT_SERIES:
        return mtfs_sv_get_series(v, g, d->key, prefix, d->range, required, d->fallback,
                                  (double **)(base + d->field));
    case MTFS_INPUT_SCALAR:
        return mtfs_sv_get_number(v, g, d->key, prefix, d->range, required, d->fallback,
                                  (double *)(base + d->field));
    case MTFS_INPUT_BOOL:
        return mtfs_sv_get_bool(v, g, d->key, prefix, (int)d->fallback, (int *)(base + d->field));
    default:
        return MTFS_OK;
    }
}

mtfs_status mtfs_sv_load_group(vctx *v, const mtfs_node *g, const char *prefix, const char *group,
                               char *base, mtfs_sv_hand hand, void *ctx)
{
    mtfs_status st = MTFS_OK;
    size_t n;
    const mtfs_input_def *rows = mtfs_inputs_group(group, &n);
    for (size_t i = 0; i < n; i++) {
        const mtfs_input_def *d = &rows[i];
        int generic = !(d->flags & MTFS_INPUTS_BY_HAND) &&
                      (d->kind == MTFS_INPUT_SERIES || d->kind == MTFS_INPUT_SCALAR ||
                       d->kind == MTFS_INPUT_BOOL);
        mtfs_status one = generic ? mtfs_sv_load_input(v, g, prefix, d, base)
                          : hand  ? hand(v, g, prefix, d, ctx)
                                  : MTFS_OK;
        st = mtfs_sv_worse(st, one);
        if (st != MTFS_OK && st != MTFS_EINPUT)
            return st;
    }
    return st;
}
