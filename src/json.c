/*
 * json.c - JSON documents built with jansson (see mtfs/json.h).
 *
 * Every number goes in through real() and every text through text(): a
 * number that is not finite, or text that is not UTF-8, is an error naming
 * it (MTFS_ENUMERIC, MTFS_EINPUT), found while the document is built, so
 * nothing is written; never a NaN, and never jansson's NULL mistaken for
 * "out of memory".
 */
#include "mtfs/json.h"
#include "mtfs/columns.h"
#include "mtfs/sha256.h"
#include "mtfs/table.h"
#include "mtfs/version.h"
#include "checked.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* jansson reports allocation failure by returning NULL from constructors
 * and -1 from setters; `ok` collects both so the builder reads straight.
 * `bad_number` and `bad_text` name the first value that cannot be
 * written. */
typedef struct {
    int ok;
    char bad_number[200];
    char bad_text[200];
} builder;

static void name_it(char *buf, size_t size, const char *what, va_list ap)
{
    vsnprintf(buf, size, what, ap);
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
    buf[mtfs_utf8_prefix(buf, strlen(buf))] = '\0';
}

/* x as a JSON number; a NaN or infinity is recorded (by the name `what`)
 * and stands as null until dump() refuses the document. */
static json_t *real(builder *b, double x, const char *what, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static json_t *real(builder *b, double x, const char *what, ...)
{
    if (isfinite(x))
        return json_real(x);
    if (!b->bad_number[0]) {
        va_list ap;
        va_start(ap, what);
        name_it(b->bad_number, sizeof b->bad_number, what, ap);
        va_end(ap);
    }
    return json_null();
}

/* t as a JSON string; text that is not UTF-8 is recorded the same way. */
static json_t *text(builder *b, const char *t, const char *what, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static json_t *text(builder *b, const char *t, const char *what, ...)
{
    if (!t)
        return json_null();
    size_t n = strlen(t);
    if (mtfs_utf8_prefix(t, n) == n)
        return json_stringn(t, n);
    if (!b->bad_text[0]) {
        va_list ap;
        va_start(ap, what);
        name_it(b->bad_text, sizeof b->bad_text, what, ap);
        va_end(ap);
    }
    return json_null();
}

static void put(builder *b, json_t *object, const char *key, json_t *value)
{
    if (!value || json_object_set_new(object, key, value) != 0)
        b->ok = 0;
}

static void append(builder *b, json_t *array, json_t *value)
{
    if (!value || json_array_append_new(array, value) != 0)
        b->ok = 0;
}

/* "files": every file the scenario was read from, with its SHA-256. */
static void put_files(builder *b, json_t *object, const mtfs_scenario *s, mtfs_error *err,
                      mtfs_status *st)
{
    json_t *files = json_array();
    put(b, object, "files", files);
    for (size_t i = 0; files && i < mtfs_scenario_file_count(s) && *st == MTFS_OK; i++) {
        char hex[65];
        *st = mtfs_sha256_file(mtfs_scenario_file(s, i), hex, err);
        if (*st != MTFS_OK)
            break;
        json_t *file = json_object();
        append(b, files, file);
        if (!file)
            break;
        put(b, file, "path", text(b, mtfs_scenario_file(s, i), "the name of input file %zu", i + 1));
        put(b, file, "sha256", json_string(hex));
    }
}

/* The start of every document's "metadata": which engine and version, and
 * which command made it.  NULL (and b->ok cleared) if out of memory. */
static json_t *metadata(builder *b, const char *command)
{
    json_t *meta = json_object();
    if (!meta) {
        b->ok = 0;
        return NULL;
    }
    put(b, meta, "engine", json_string("mtfs"));
    put(b, meta, "version", text(b, mtfs_version(), "the version"));
    put(b, meta, "command", text(b, command, "the command"));
    return meta;
}

static json_t *provenance(builder *b, const mtfs_scenario *s, const char *command, mtfs_error *err,
                          mtfs_status *st)
{
    json_t *meta = metadata(b, command);
    if (!meta)
        return NULL;
    put(b, meta, "seed", json_null());
    put_files(b, meta, s, err, st);
    return meta;
}

/* Write jansson's text with each real number in the project's form
 * (mtfs_format_exact: exact, shortest, never -0): jansson prints every real
 * with 17 digits, so 0.05 came out as 0.050000000000000003.  Strings are
 * copied as they are; integers are left alone; a real keeps its ".0". */
static int write_numbers(FILE *out, const char *text, size_t len)
{
    int in_string = 0;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (in_string) {
            if (c == '\\' && i + 1 < len) {
                fputc(c, out);
                c = text[++i];
            } else if (c == '"') {
                in_string = 0;
            }
            fputc(c, out);
            i++;
            continue;
        }
        if (c == '"' || !(c == '-' || (c >= '0' && c <= '9'))) {
            in_string = c == '"';
            fputc(c, out);
            i++;
            continue;
        }
        size_t n = strspn(text + i, "+-0123456789.eE");
        char token[64], buf[40];
        int real_number = strcspn(text + i, ".eE") < n;
        if (!real_number || n >= sizeof token) {
            fwrite(text + i, 1, n, out);
        } else {
            memcpy(token, text + i, n);
            token[n] = '\0';
            mtfs_format_exact(strtod(token, NULL), buf, sizeof buf);
            fputs(buf, out);
            if (!strpbrk(buf, ".eEn"))
                fputs(".0", out);
        }
        i += n;
    }
    return ferror(out) ? -1 : 0;
}

mtfs_status mtfs_json_write_exact(FILE *out, const char *text, size_t len, mtfs_error *err)
{
    if (write_numbers(out, text, len) != 0 || fputc('\n', out) == EOF || ferror(out))
        return mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write output");
    return MTFS_OK;
}

static mtfs_status dump(FILE *out, json_t *root, builder *b, mtfs_status st, mtfs_error *err)
{
    if (st == MTFS_OK && !b->ok)
        st = mtfs_error_oom(err, NULL);
    if (st == MTFS_OK && b->bad_number[0])
        st = mtfs_error_set(err, MTFS_ENUMERIC, NULL, 0, NULL, "%s is not a finite number (the "
                            "inputs make it overflow); nothing was written", b->bad_number);
    if (st == MTFS_OK && b->bad_text[0])
        st = mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "%s is not valid UTF-8 text (expected "
                            "UTF-8: save the file as UTF-8); nothing was written", b->bad_text);
    if (st == MTFS_OK) {
        char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        if (!text)
            st = mtfs_error_oom(err, NULL);
        else if (write_numbers(out, text, strlen(text)) != 0 || fputc('\n', out) == EOF || ferror(out))
            st = mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write output");
        free(text);
    }
    json_decref(root);
    return st;
}

/* The metadata sidecar (<id>.meta.json) of a run: who made it, from which
 * files (with their SHA-256), and when. */
mtfs_status mtfs_json_write_metadata(FILE *out, const mtfs_scenario *s, const char *command,
                                     time_t when, mtfs_error *err)
{
    char stamp[32];
    struct tm tm;
    if (!gmtime_r(&when, &tm) || !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(stamp, sizeof stamp, "unknown");
    builder b = {1, "", ""};
    mtfs_status st = MTFS_OK;
    json_t *root = json_object();
    if (!root)
        return mtfs_error_oom(err, NULL);
    put(&b, root, "engine", json_string("mtfs"));
    put(&b, root, "version", text(&b, mtfs_version(), "the version"));
    put(&b, root, "command", text(&b, command, "the command"));
    put(&b, root, "scenario", text(&b, mtfs_scenario_name(s), "the scenario's name"));
    put(&b, root, "scenario_id", text(&b, mtfs_scenario_id(s), "the scenario's file name"));
    put(&b, root, "seed", json_null());
    put(&b, root, "created", json_string(stamp));
    put_files(&b, root, s, err, &st);
    return dump(out, root, &b, st, err);
}

mtfs_status mtfs_json_write_projection(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                       const mtfs_bridge *bridge, mtfs_error *err)
{
    builder b = {1, "", ""};
    mtfs_status st = MTFS_OK;
    json_t *root = json_object();
    if (!root)
        return mtfs_error_oom(err, NULL);
    put(&b, root, "metadata", provenance(&b, s, "run", err, &st));
    put(&b, root, "scenario", text(&b, mtfs_scenario_name(s), "the scenario's name"));
    put(&b, root, "scenario_id", text(&b, mtfs_scenario_id(s), "the scenario's id"));
    put(&b, root, "base_year", json_integer(p->base_year));
    put(&b, root, "horizon", json_integer((json_int_t)p->horizon));
    put(&b, root, "below_minimum_year",
        p->below_minimum_index ? json_integer(p->base_year + (json_int_t)p->below_minimum_index) : json_null());
    put(&b, root, "exhausted_year",
        p->exhausted_index ? json_integer(p->base_year + (json_int_t)p->exhausted_index) : json_null());
    put(&b, root, "council_tax_per_percent",
        real(&b, p->council_tax_per_percent, "what a 1%% council-tax rise raises"));

    json_t *years = json_array();
    put(&b, root, "years", years);
    for (size_t t = 1; years && t <= p->horizon; t++) {
        char label[16];
        json_t *y = json_object();
        append(&b, years, y);
        if (!y)
            break;
        int year = p->base_year + (int)t;
        put(&b, y, "year", json_integer(year));
        put(&b, y, "label", json_string(mtfs_year_label(year, label, sizeof label)));
        const mtfs_column *c;
        for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++)
            if (mtfs_column_carried(c, p))
                put(&b, y, c->key, real(&b, mtfs_column_values(c, p)[t], "%s in %s", c->key, label));
    }

    json_t *services = json_array();
    put(&b, root, "services", services);
    for (size_t i = 0; services && i < p->n_services; i++) {
        json_t *sv = json_object();
        append(&b, services, sv);
        if (!sv)
            break;
        put(&b, sv, "name", text(&b, mtfs_scenario_service_name(s, i), "the name of service %zu", i + 1));
        /* One array per service column, filled year by year. */
        json_t *arrays[MTFS_SERVICE_COLUMNS_MAX];
        const mtfs_service_column *cols[MTFS_SERVICE_COLUMNS_MAX], *c;
        size_t k = 0;
        for (size_t n = 0; (c = mtfs_service_column_nth(n)); n++) {
            cols[k] = c;
            arrays[k] = json_array();
            put(&b, sv, c->key, arrays[k++]);
        }
        for (size_t t = 1; b.ok && t <= p->horizon; t++)
            for (size_t j = 0; j < k; j++)
                append(&b, arrays[j], real(&b, mtfs_service_column_value(cols[j], p, i, t),
                                           "%s service %zu in year %zu", cols[j]->what, i + 1, t));
    }

    /* model.md section 11: each earmarked reserve by year (none: no key). */
    size_t n_em = mtfs_scenario_earmarked_count(s);
    json_t *reserves = n_em ? json_array() : NULL;
    if (n_em)
        put(&b, root, "earmarked_reserves", reserves);
    for (size_t j = 0; reserves && j < n_em; j++) {
        json_t *em = json_object();
        append(&b, reserves, em);
        if (!em)
            break;
        put(&b, em, "name", text(&b, mtfs_scenario_earmarked_name(s, j), "the name of earmarked reserve %zu", j + 1));
        put(&b, em, "opening", real(&b, MTFS_AT(p, earmarked_balance, j, 0), "the opening of earmarked reserve %zu", j + 1));
        const struct { const char *key; const double *v; } rows[] = {
            {"balance", &MTFS_AT(p, earmarked_balance, j, 0)},
            {"drawn_for_gap", &MTFS_AT(p, earmarked_gap_draw, j, 0)},
            {"uses_beyond_balance", &MTFS_AT(p, earmarked_uncovered, j, 0)},
        };
        for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
            json_t *a = json_array();
            put(&b, em, rows[k].key, a);
            for (size_t t = 1; a && b.ok && t <= p->horizon; t++)
                append(&b, a, real(&b, rows[k].v[t], "%s of earmarked reserve %zu in year %zu", rows[k].key, j + 1, t));
        }
    }

    if (st == MTFS_OK) {
        json_t *items = json_object();
        put(&b, root, "bridge", items);
        for (int i = 0; items && i < MTFS_BRIDGE_N; i++)
            if (mtfs_bridge_item_shown(bridge, (mtfs_bridge_item)i))
                put(&b, items, mtfs_bridge_key((mtfs_bridge_item)i),
                real(&b, bridge->item[i], "bridge item '%s'", mtfs_bridge_key((mtfs_bridge_item)i)));
    }
    return dump(out, root, &b, st, err);
}

mtfs_status mtfs_json_write_batch(FILE *out, const mtfs_batch *bt, mtfs_error *err)
{
    builder b = {1, "", ""};
    json_t *root = json_object();
    if (!root)
        return mtfs_error_oom(err, NULL);
    json_t *meta = metadata(&b, "batch");
    put(&b, root, "metadata", meta);
    if (meta)
        put(&b, meta, "seed", json_null());
    json_t *conditions = json_array();
    put(&b, root, "conditions", conditions);
    for (size_t i = 0; conditions && i < bt->n_conditions; i++)
        append(&b, conditions, text(&b, bt->conditions[i].text, "condition %zu", i + 1));
    put(&b, root, "exit_code", json_integer(mtfs_batch_exit_code(bt)));

    json_t *list = json_array();
    put(&b, root, "scenarios", list);
    for (size_t i = 0; list && i < bt->n_entries; i++) {
        const mtfs_batch_entry *e = &bt->entries[i];
        json_t *o = json_object();
        append(&b, list, o);
        if (!o)
            break;
        put(&b, o, "file", text(&b, e->file, "the file name of scenario %zu", i + 1));
        if (e->status != MTFS_OK) {
            put(&b, o, "status", json_string(mtfs_batch_status_name(e)));
            put(&b, o, "message", text(&b, e->error, "the error of scenario %zu", i + 1));
            continue;
        }
        char hex[65];
        mtfs_error ignored;
        put(&b, o, "sha256", mtfs_sha256_file(e->file, hex, &ignored) == MTFS_OK ? json_string(hex)
                                                                                 : json_null());
        put(&b, o, "name", text(&b, e->name, "the name of scenario %zu", i + 1));
        put(&b, o, "status", json_string(mtfs_batch_status_name(e)));
        put(&b, o, "base_year", json_integer(e->base_year));
        put(&b, o, "final_year", json_integer(e->base_year + (json_int_t)e->horizon));
        put(&b, o, "final_gap", real(&b, e->final_gap, "final gap of scenario %zu", i + 1));
        put(&b, o, "cumulative_gap", real(&b, e->cumulative_gap, "cumulative gap of scenario %zu", i + 1));
        put(&b, o, "final_reserves", real(&b, e->reserves[e->horizon], "final reserves of scenario %zu", i + 1));
        put(&b, o, "below_minimum_year",
            e->below_minimum_year ? json_integer(e->below_minimum_year) : json_null());
        put(&b, o, "exhausted_year", e->exhausted_year ? json_integer(e->exhausted_year) : json_null());
        put(&b, o, "conditions_failed", json_integer((json_int_t)e->n_failed));
        json_t *gap = json_array(), *reserves = json_array(), *failed = json_array();
        put(&b, o, "gap", gap);
        put(&b, o, "reserves", reserves);
        for (size_t t = 1; gap && reserves && t <= e->horizon; t++) {
            append(&b, gap, real(&b, e->gap[t], "gap of scenario %zu in year %zu", i + 1, t));
            append(&b, reserves, real(&b, e->reserves[t], "reserves of scenario %zu in year %zu", i + 1, t));
        }
        /* The CSV's message column joins these with "; ". */
        put(&b, o, "conditions", failed);
        for (size_t k = 0; failed && k < e->n_failed; k++)
            append(&b, failed, text(&b, e->failed[k], "a failed condition of scenario %zu", i + 1));
    }
    return dump(out, root, &b, MTFS_OK, err);
}

static json_t *statistics(builder *b, const char *what, const mtfs_mc_result *r, const double *pct,
                          const double *mean, double deterministic, size_t t)
{
    static const char *const level[MTFS_MC_NPCT] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    json_t *o = json_object();
    if (!o) {
        b->ok = 0;
        return NULL;
    }
    put(b, o, "deterministic", real(b, deterministic, "deterministic %s in year %zu", what, t));
    if (mean)
        put(b, o, "mean", real(b, mean[t], "mean %s in year %zu", what, t));
    for (size_t k = 0; k < MTFS_MC_NPCT; k++)
        put(b, o, level[k], real(b, pct[k * (r->horizon + 1) + t], "%s of %s in year %zu", level[k], what, t));
    return o;
}

mtfs_status mtfs_json_write_mc(FILE *out, const mtfs_scenario *s, const mtfs_mc_result *r,
                               mtfs_error *err)
{
    builder b = {1, "", ""};
    mtfs_status st = MTFS_OK;
    json_t *root = json_object();
    if (!root)
        return mtfs_error_oom(err, NULL);
    json_t *meta = provenance(&b, s, "mc", err, &st);
    put(&b, root, "metadata", meta);
    if (meta) {
        put(&b, meta, "seed", json_integer((json_int_t)r->seed));
        put(&b, meta, "paths", json_integer((json_int_t)r->paths));
    }
    put(&b, root, "scenario", text(&b, mtfs_scenario_name(s), "the scenario's name"));
    put(&b, root, "base_year", json_integer(r->base_year));
    put(&b, root, "horizon", json_integer((json_int_t)r->horizon));
    json_t *levels = json_array();
    put(&b, root, "percentile_levels", levels);
    for (size_t k = 0; levels && k < MTFS_MC_NPCT; k++)
        append(&b, levels, real(&b, mtfs_mc_percentile_levels[k], "percentile level %zu", k + 1));
    json_t *thresholds = json_array();
    put(&b, root, "thresholds", thresholds);
    for (size_t j = 0; thresholds && j < r->n_thresholds; j++)
        append(&b, thresholds, real(&b, r->thresholds[j], "threshold %zu", j + 1));
    json_t *years = json_array();
    put(&b, root, "years", years);
    for (size_t t = 1; years && t <= r->horizon; t++) {
        char label[16];
        json_t *y = json_object();
        append(&b, years, y);
        if (!y)
            break;
        int year = r->base_year + (int)t;
        put(&b, y, "year", json_integer(year));
        put(&b, y, "label", json_string(mtfs_year_label(year, label, sizeof label)));
        json_t *gap = statistics(&b, "gap", r, r->gap_pct, r->gap_mean, r->deterministic->gap[t], t);
        if (gap)
            put(&b, gap, "sd", real(&b, r->gap_sd[t], "standard deviation of the gap in %s", label));
        put(&b, y, "gap", gap);
        put(&b, y, "cumulative_gap",
            statistics(&b, "cumulative gap", r, r->cumulative_pct, NULL, r->deterministic->cumulative_gap[t], t));
        put(&b, y, "reserves",
            statistics(&b, "reserves", r, r->reserves_pct, r->reserves_mean, r->deterministic->reserves[t], t));
        put(&b, y, "p_reserves_below_minimum",
            real(&b, r->p_below_minimum[t], "probability of reserves below the minimum in %s", label));
        put(&b, y, "p_reserves_exhausted",
            real(&b, r->p_exhausted[t], "probability of reserves below zero in %s", label));
        json_t *above = json_array();
        put(&b, y, "p_gap_above", above);
        for (size_t j = 0; above && j < r->n_thresholds; j++)
            append(&b, above, real(&b, r->p_gap_above[j * (r->horizon + 1) + t],
                                   "probability of a gap above threshold %zu in %s", j + 1, label));
    }
    return dump(out, root, &b, st, err);
}

/* ------------------------------------------------------------------ */
/* Any CSV table as JSON rows                                         */

/* A cell as JSON: empty is null, a whole number or decimal (the CSV
 * writers print "%.17g", which reads back exactly) a number, anything
 * else a string. */
static json_t *cell(builder *b, const char *t, const char *column, size_t row)
{
    if (!t[0])
        return json_null();
    errno = 0;
    char *end;
    int plain = t[0] == '-' || (t[0] >= '0' && t[0] <= '9');
    /* A whole number stays whole (a year, a count, a 0/1 flag). */
    long long whole = plain ? strtoll(t, &end, 10) : 0;
    if (plain && *end == '\0' && errno != ERANGE)
        return json_integer((json_int_t)whole);
    double x = strtod(t, &end);
    if (plain && *end == '\0' && isfinite(x))
        return real(b, x, "%s in row %zu", column, row);
    return text(b, t, "%s in row %zu", column, row);
}

mtfs_status mtfs_json_write_errors(FILE *out, const char *command, int exit_code,
                                   const char *const *messages, size_t n, mtfs_error *err)
{
    builder b = {1, "", ""};
    json_t *root = json_object(), *meta = metadata(&b, command), *errors = json_array();
    if (!root || !meta || !errors) {
        json_decref(meta);
        json_decref(errors);
        b.ok = 0;
    } else {
        put(&b, root, "metadata", meta);
        put(&b, root, "exit_code", json_integer(exit_code));
        put(&b, root, "errors", errors);
        for (size_t i = 0; i < n; i++)
            append(&b, errors, text(&b, messages[i], "error message %zu", i + 1));
    }
    return dump(out, root, &b, MTFS_OK, err);
}

/* t's "columns" and "rows" into object `into`. */
static void put_table(builder *b, json_t *into, const mtfs_table *t)
{
    json_t *columns = json_array(), *rows = json_array();
    put(b, into, "columns", columns);
    put(b, into, "rows", rows);
    if (!columns || !rows)
        return;
    size_t nc = mtfs_table_columns(t);
    for (size_t c = 0; c < nc; c++)
        append(b, columns, text(b, mtfs_table_column_name(t, c), "column %zu", c + 1));
    for (size_t r = 0; r < mtfs_table_rows(t); r++) {
        json_t *row = json_object();
        append(b, rows, row);
        for (size_t c = 0; row && c < nc; c++)
            put(b, row, mtfs_table_column_name(t, c),
                cell(b, mtfs_table_text(t, r, c), mtfs_table_column_name(t, c), r + 1));
    }
}

mtfs_status mtfs_json_write_rows(FILE *out, const char *command, const char *const *inputs,
                                 size_t n_inputs, const char *csv, size_t len, mtfs_error *err)
{
    return mtfs_json_write_rows_and(out, command, inputs, n_inputs, csv, len, NULL, NULL, 0, err);
}

/* What a seeded command adds to the rows' metadata: its seed and named
 * settings (mtfs sweep's paths, steps, spread), the first n_whole of them
 * whole numbers. */
typedef struct {
    unsigned long seed;
    const char *const *keys;
    const double *values;
    size_t n, n_whole;
} rows_seeded;

static mtfs_status rows_document(FILE *out, const char *command, const char *const *inputs,
                                 size_t n_inputs, const char *csv, size_t len, const char *section,
                                 const char *csv2, size_t len2, const rows_seeded *seeded,
                                 mtfs_error *err);

mtfs_status mtfs_json_write_rows_and(FILE *out, const char *command, const char *const *inputs,
                                     size_t n_inputs, const char *csv, size_t len, const char *section,
                                     const char *csv2, size_t len2, mtfs_error *err)
{
    return rows_document(out, command, inputs, n_inputs, csv, len, section, csv2, len2, NULL, err);
}

mtfs_status mtfs_json_write_rows_seeded(FILE *out, const char *command, const char *const *inputs,
                                        size_t n_inputs, const char *csv, size_t len,
                                        unsigned long seed, const char *const *keys,
                                        const double *values, size_t n_values, size_t n_whole,
                                        mtfs_error *err)
{
    const rows_seeded seeded = {seed, keys, values, n_values, n_whole};
    return rows_document(out, command, inputs, n_inputs, csv, len, NULL, NULL, 0, &seeded, err);
}

static mtfs_status rows_document(FILE *out, const char *command, const char *const *inputs,
                                 size_t n_inputs, const char *csv, size_t len, const char *section,
                                 const char *csv2, size_t len2, const rows_seeded *seeded,
                                 mtfs_error *err)
{
    mtfs_table *t = NULL, *t2 = NULL;
    mtfs_status st = mtfs_table_parse("the CSV output", csv, len, &t, err);
    if (st == MTFS_OK && section)
        st = mtfs_table_parse("the CSV output", csv2, len2, &t2, err);
    if (st != MTFS_OK) {
        mtfs_table_free(t);
        return st;
    }
    builder b = {1, "", ""};
    json_t *root = json_object(), *meta = metadata(&b, command), *files = json_array();
    if (!root || !meta || !files) {
        json_decref(meta);
        json_decref(files);
        b.ok = 0;
    } else {
        put(&b, root, "metadata", meta);
        put(&b, meta, "seed", seeded ? json_integer((json_int_t)seeded->seed) : json_null());
        for (size_t k = 0; seeded && k < seeded->n; k++)
            put(&b, meta, seeded->keys[k], k < seeded->n_whole
                                               ? json_integer((json_int_t)seeded->values[k])
                                               : real(&b, seeded->values[k], "the setting %s", seeded->keys[k]));
        put(&b, meta, "files", files);
        for (size_t i = 0; i < n_inputs && st == MTFS_OK; i++) {
            char hex[65];
            json_t *file = json_object();
            append(&b, files, file);
            if (!file)
                break;
            put(&b, file, "path", text(&b, inputs[i], "the name of input file %zu", i + 1));
            /* A directory (the back-test's editions) has no hash of its own. */
            put(&b, file, "sha256", mtfs_sha256_file(inputs[i], hex, NULL) == MTFS_OK
                                        ? json_string(hex) : json_null());
        }
        put_table(&b, root, t);
        if (section) {
            json_t *more = json_object();
            put(&b, root, section, more);
            if (more)
                put_table(&b, more, t2);
        }
    }
    mtfs_table_free(t);
    mtfs_table_free(t2);
    return dump(out, root, &b, st, err);
}
