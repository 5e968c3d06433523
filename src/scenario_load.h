/*
 * scenario_load.h - the scenario loader's validation kit (internal), shared
 * by the files that read a config tree into an mtfs_scenario:
 * scenario_load.c (the sections), scenario_optional.c (the optional
 * blocks: covid, capital, dsg, resilience), scenario_funding.c (fair
 * funding and the brief) and scenario_uncertainty.c (distributions and
 * correlations).
 *
 * Every reader finds one key, checks it against what it means and says
 * what was expected.  A problem is recorded (mtfs_sv_fail) and reading
 * goes on with the next key, item or section, so that one run of
 * `validate` reports every problem of a file; a reader stops at the first
 * problem of its own key (one line per key, not one per year), and a
 * section that others depend on (base_year and horizon, economy) stops
 * what depends on it.  Out of memory stops everything.
 */
#ifndef MTFS_SCENARIO_LOAD_H
#define MTFS_SCENARIO_LOAD_H

#include "scenario_int.h"
#include "config.h"

/* A kind of number: its range and what to say (mtfs/inputs.h). */
typedef mtfs_input_range value_kind;

/* The most typos remembered per load (see vctx.typo). */
#define MTFS_SV_TYPOS_MAX 32

/* One load: the scenario being filled, where errors go (err: the first
 * problem; errors: every problem, or NULL), the horizon, and the merged
 * config tree. */
typedef struct {
    mtfs_scenario *sc;
    mtfs_error *err;
    mtfs_error_list *errors;
    size_t T;
    const mtfs_config *cfg;
    /* Keys a misspelt key was taken for ("bse" -> "base" in that group):
     * a missing key already explained by a typo is not reported again. */
    struct {
        const mtfs_node *group;
        const char *key;
    } typo[MTFS_SV_TYPOS_MAX];
    size_t n_typos;
    /* Series inherited as lists of the old length after a derived file
     * changed horizon: reported once, at horizon, when reading ends. */
    const mtfs_node *short_first;   /* the first such list */
    size_t n_short;
    char short_keys[512];           /* their keys, ", "-separated, as many as fit */
} vctx;

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* How derived the file a node came from is: 0 for the named file, larger
 * for the files it inherits (the config's file table is in load order). */
size_t mtfs_sv_file_rank(const vctx *v, const mtfs_node *n);
mtfs_status mtfs_sv_oom(vctx *v);
/* Record problem e (EINPUT: reading goes on; anything else stops the
 * load) and return its status. */
mtfs_status mtfs_sv_record(vctx *v, const mtfs_error *e);
/* The worse of two statuses: anything but EINPUT over EINPUT over OK. */
mtfs_status mtfs_sv_worse(mtfs_status a, mtfs_status b);
mtfs_status mtfs_sv_fail(vctx *v, const mtfs_node *n, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The label of year index t of the scenario, e.g. "2026/27". */
char *mtfs_sv_year_label(const vctx *v, size_t t, char *buf, size_t size);
/* A new zeroed series of horizon + 1 values, owned by the scenario. */
double *mtfs_sv_new_series(vctx *v);
/* buf = prefix.name (or name alone), truncated to fit. */
void mtfs_sv_join_key(char *buf, size_t size, const char *prefix, const char *name);
/* Check one number against its kind.  `when` is "" or " for 2026/27". */
mtfs_status mtfs_sv_check_value(vctx *v, const mtfs_node *n, const char *key, double x,
                                const value_kind *kind, const char *when);
/* Reject keys of `group` that are not in `allowed`, suggesting the nearest. */
mtfs_status mtfs_sv_check_keys(vctx *v, const mtfs_node *group, const char *prefix,
                               const char *const *allowed, size_t n_allowed);
mtfs_status mtfs_sv_require_group(vctx *v, const mtfs_node *parent, const char *name,
                                  const char *key, const char *expected, const mtfs_node **out);
/* The readers: key `name` of `group` (its path prefix.name).  An absent key
 * is an error when `required`, else takes the fallback. */
mtfs_status mtfs_sv_get_series(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const value_kind *kind, int required, double fallback, double **out);
/* The one message for every inherited series whose list no longer fits a
 * horizon a derived file changed (get_series collects them), if any. */
mtfs_status mtfs_sv_report_short(vctx *v);
mtfs_status mtfs_sv_get_number(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const value_kind *kind, int required, double fallback, double *out);
mtfs_status mtfs_sv_get_int(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                            long long lo, long long hi, const char *expected, int required,
                            long long fallback, long long *out);
mtfs_status mtfs_sv_get_string(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const char *expected, int required, const mtfs_node **out);
/* Match a string value against a fixed set of words. */
mtfs_status mtfs_sv_get_choice(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                               const char *what, const char *const *words, size_t n_words,
                               int fallback, int *out);
mtfs_status mtfs_sv_get_bool(vctx *v, const mtfs_node *group, const char *name, const char *prefix,
                             int fallback, int *out);

/* check_keys with the keys the registry lists for `group`. */
mtfs_status mtfs_sv_check_group(vctx *v, const mtfs_node *g, const char *prefix, const char *group);
/* Read registry input d from group g (its path prefix.key) into the struct
 * at `base` (the scenario, a service, ...): a series, number or boolean. */
mtfs_status mtfs_sv_load_input(vctx *v, const mtfs_node *g, const char *prefix,
                               const mtfs_input_def *d, char *base);
/* Read every input of registry group `group` in order; rows the generic
 * reader does not read (MTFS_INPUTS_BY_HAND, text, ints, choices, blocks)
 * go to `hand` when it is not NULL. */
typedef mtfs_status (*mtfs_sv_hand)(vctx *v, const mtfs_node *g, const char *prefix,
                                    const mtfs_input_def *d, void *ctx);
mtfs_status mtfs_sv_load_group(vctx *v, const mtfs_node *g, const char *prefix, const char *group,
                               char *base, mtfs_sv_hand hand, void *ctx);

/* Sections read outside scenario_load.c: the optional blocks
 * (scenario_optional.c), fair funding and the brief (scenario_funding.c),
 * the uncertainty block (scenario_uncertainty.c). */
mtfs_status mtfs_sv_load_covid(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_capital(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_dsg(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_resilience(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_fair_funding(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_brief(vctx *v, const mtfs_node *root);
mtfs_status mtfs_sv_load_uncertainty(vctx *v, const mtfs_node *root);

#endif
