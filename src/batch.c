/*
 * batch.c - many scenarios, one summary, thresholds for CI (mtfs/batch.h).
 */
#include "mtfs/batch.h"
#include "mtfs/projection.h"
#include "mtfs/scenario.h"
#include "config.h"
#include "scenario_int.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

mtfs_batch *mtfs_batch_new(const mtfs_condition *conditions, size_t n)
{
    mtfs_batch *b = mtfs_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    /* Without a cache (out of memory) the batch still runs, parsing each
     * base file every time. */
    b->parse_cache = mtfs_parse_cache_new();
    if (n) {
        b->conditions = mtfs_calloc(n, sizeof *b->conditions);
        if (!b->conditions) {
            mtfs_free(b);
            return NULL;
        }
        memcpy(b->conditions, conditions, n * sizeof *conditions);
        b->n_conditions = n;
    }
    return b;
}

static void entry_free(mtfs_batch_entry *e)
{
    mtfs_free(e->file);
    mtfs_free(e->name);
    mtfs_free(e->error);
    mtfs_free(e->more);
    mtfs_free(e->gap);
    for (size_t i = 0; i < e->n_failed; i++)
        mtfs_free(e->failed[i]);
    mtfs_free(e->failed);
}

void mtfs_batch_free(mtfs_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_entries; i++)
        entry_free(&b->entries[i]);
    mtfs_free(b->entries);
    mtfs_free(b->conditions);
    mtfs_parse_cache_free(b->parse_cache);
    mtfs_free(b);
}

/* One error as a line of the summary. */
static void error_line(const mtfs_batch_entry *e, const mtfs_error *why, char *line, size_t size)
{
    if (!why->file[0])
        snprintf(line, size, "%s: %s", e->file, why->message);
    else
        mtfs_error_format(why, line, size);
}

/* Record why a scenario could not run. */
static mtfs_status record_error(mtfs_batch_entry *e, const mtfs_error *why)
{
    char line[MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 16];
    e->status = why->status;
    error_line(e, why, line, sizeof line);
    e->error = mtfs_strdup(line);
    return e->error ? MTFS_OK : MTFS_ENOMEM;
}

/* Record the problems of a scenario after the first (list->items[0]), for
 * standard error. */
static mtfs_status record_more(mtfs_batch_entry *e, const mtfs_error_list *list)
{
    size_t shown = list->count < MTFS_ERRORS_MAX ? list->count : MTFS_ERRORS_MAX;
    if (shown < 2)
        return MTFS_OK;
    char line[MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 16];
    size_t used = 0, cap = 0;
    for (size_t i = 1; i <= shown; i++) {
        if (i < shown)
            error_line(e, &list->items[i], line, sizeof line);
        else if (list->count > shown)
            snprintf(line, sizeof line, "%s: %zu more problem%s not shown (the first %zu are above)",
                     e->file, list->count - shown, list->count - shown == 1 ? "" : "s", shown);
        else
            break;
        size_t n = strlen(line);
        while (used + n + 2 > cap)
            if (mtfs_grow(&e->more, &cap, cap, 1, 256) != 0)
                return MTFS_ENOMEM;
        memcpy(e->more + used, line, n);
        used += n;
        e->more[used++] = '\n';
        e->more[used] = '\0';
    }
    return MTFS_OK;
}

static mtfs_status add_failure(mtfs_batch_entry *e, const mtfs_condition *c, double actual)
{
    char subject[64], value[48], line[320];
    mtfs_condition_subject(c, subject, sizeof subject);
    if (isinf(actual))
        snprintf(value, sizeof value, "none");
    else if (c->quantity == MTFS_QUANTITY_BELOW_MINIMUM_YEAR || c->quantity == MTFS_QUANTITY_EXHAUSTED_YEAR)
        snprintf(value, sizeof value, "%d", (int)actual);
    else
        snprintf(value, sizeof value, "%.1f", actual);
    snprintf(line, sizeof line, "%s: %s = %s", c->text, subject, value);
    char **grown = mtfs_realloc(e->failed, (e->n_failed + 1) * sizeof *grown);
    if (!grown)
        return MTFS_ENOMEM;
    e->failed = grown;
    if (!(e->failed[e->n_failed] = mtfs_strdup(line)))
        return MTFS_ENOMEM;
    e->n_failed++;
    return MTFS_OK;
}

/* Copy what the summary needs from a projection, and test the conditions. */
static mtfs_status summarise(mtfs_batch *b, mtfs_batch_entry *e, const mtfs_scenario *s,
                             const mtfs_projection *p)
{
    size_t n = p->horizon + 1;
    if (!(e->name = mtfs_strdup(mtfs_scenario_name(s))) || !(e->gap = mtfs_calloc(3 * n, sizeof(double))))
        return MTFS_ENOMEM;
    e->reserves = e->gap + n;
    e->covid_pressure = e->gap + 2 * n;
    memcpy(e->gap, p->gap, n * sizeof(double));
    memcpy(e->reserves, p->reserves, n * sizeof(double));
    memcpy(e->covid_pressure, p->covid_pressure, n * sizeof(double));
    e->base_year = p->base_year;
    e->horizon = p->horizon;
    e->final_gap = p->gap[p->horizon];
    e->cumulative_gap = p->cumulative_gap[p->horizon];
    e->below_minimum_year = p->below_minimum_index ? p->base_year + (int)p->below_minimum_index : 0;
    e->exhausted_year = p->exhausted_index ? p->base_year + (int)p->exhausted_index : 0;
    for (size_t i = 0; i < b->n_conditions; i++) {
        int holds;
        double actual;
        mtfs_error why;
        if (mtfs_condition_eval(&b->conditions[i], p, &holds, &actual, &why) != MTFS_OK)
            return record_error(e, &why);
        if (holds && add_failure(e, &b->conditions[i], actual) != MTFS_OK)
            return MTFS_ENOMEM;
    }
    return MTFS_OK;
}

mtfs_status mtfs_batch_run_file(mtfs_batch *b, const char *path, mtfs_error *err)
{
    if (mtfs_grow(&b->entries, &b->cap_entries, b->n_entries, sizeof *b->entries, 16) != 0)
        return mtfs_error_oom(err, path);
    mtfs_batch_entry *e = &b->entries[b->n_entries++];
    memset(e, 0, sizeof *e);
    if (!(e->file = mtfs_strdup(path)))
        return mtfs_error_oom(err, path);

    mtfs_error why;
    mtfs_error_list *all = mtfs_malloc(sizeof *all);
    if (!all)
        return mtfs_error_oom(err, path);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_status st = mtfs_scenario_load_cached(path, b->parse_cache, &s, &why, all);
    mtfs_status more = st != MTFS_OK && all->count > 1 ? record_more(e, all) : MTFS_OK;
    mtfs_free(all);
    if (st == MTFS_OK && !(p = mtfs_projection_alloc(s)))
        st = mtfs_error_oom(&why, path);
    if (st == MTFS_OK)
        st = mtfs_project(s, p, &why);
    mtfs_status recorded = st == MTFS_OK ? summarise(b, e, s, p) : record_error(e, &why);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    if (recorded != MTFS_OK || more != MTFS_OK || st == MTFS_ENOMEM)
        return mtfs_error_oom(err, path);
    return MTFS_OK;
}

int mtfs_batch_exit_code(const mtfs_batch *b)
{
    int code = 0;
    for (size_t i = 0; i < b->n_entries; i++) {
        int c = b->entries[i].status != MTFS_OK ? mtfs_status_exit_code(b->entries[i].status)
                : b->entries[i].n_failed ? 1 : 0;
        if (c > code)
            code = c;
    }
    return code;
}


const char *mtfs_batch_status_name(const mtfs_batch_entry *e)
{
    return e->status != MTFS_OK ? "error" : e->n_failed ? "failed" : "ok";
}

mtfs_status mtfs_batch_write_csv(FILE *out, const mtfs_batch *b, mtfs_error *err)
{
    fputs("file,name,status,final_year,final_gap,cumulative_gap,final_reserves,below_minimum_year,"
          "exhausted_year,"
          "conditions_failed,message\n", out);
    for (size_t i = 0; i < b->n_entries; i++) {
        const mtfs_batch_entry *e = &b->entries[i];
        char number[40];
        mtfs_csv_text(out, e->file);
        fputc(',', out);
        mtfs_csv_text(out, e->name);
        if (e->status != MTFS_OK) {
            fprintf(out, ",%s,,,,,,,,", mtfs_batch_status_name(e));
            mtfs_csv_text(out, e->error);
            fputc('\n', out);
            continue;
        }
        fprintf(out, ",%s,%d", mtfs_batch_status_name(e), e->base_year + (int)e->horizon);
        fprintf(out, ",%s", mtfs_format_exact(e->final_gap, number, sizeof number));
        fprintf(out, ",%s", mtfs_format_exact(e->cumulative_gap, number, sizeof number));
        fprintf(out, ",%s", mtfs_format_exact(e->reserves[e->horizon], number, sizeof number));
        /* A year that never comes is an empty cell, as every CSV writes a
         * value that does not exist (docs/outputs.md); JSON's null. */
        fputc(',', out);
        if (e->below_minimum_year)
            fprintf(out, "%d", e->below_minimum_year);
        fputc(',', out);
        if (e->exhausted_year)
            fprintf(out, "%d", e->exhausted_year);
        fprintf(out, ",%zu,", e->n_failed);
        if (e->n_failed) {
            size_t len = 0;
            for (size_t k = 0; k < e->n_failed; k++)
                len += strlen(e->failed[k]) + 2;
            char *joined = mtfs_malloc(len + 1);
            if (!joined)
                return mtfs_error_oom(err, NULL);
            joined[0] = '\0';
            for (size_t k = 0; k < e->n_failed; k++) {
                if (k)
                    strcat(joined, "; ");
                strcat(joined, e->failed[k]);
            }
            mtfs_csv_text(out, joined);
            mtfs_free(joined);
        }
        fputc('\n', out);
    }
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_batch_write_table(FILE *out, const mtfs_batch *b, mtfs_error *err)
{
    /* The columns are the CSV's and the JSON's, under their names. */
    size_t count[3] = {0, 0, 0};   /* ok, failed, error */
    fprintf(out, "%-40s %-6s %-10s %10s %14s %14s %-18s %-14s %s\n", "file", "status", "final_year",
            "final_gap", "cumulative_gap", "final_reserves", "below_minimum_year", "exhausted_year",
            "conditions_failed");
    for (size_t i = 0; i < b->n_entries; i++) {
        const mtfs_batch_entry *e = &b->entries[i];
        if (e->status != MTFS_OK) {
            count[2]++;
            fprintf(out, "%-40.40s %-6s (not run: see the error below)\n", e->file, mtfs_batch_status_name(e));
            continue;
        }
        count[e->n_failed ? 1 : 0]++;
        char label[16], below[16] = "none", exhausted[16] = "none";
        if (e->below_minimum_year)
            mtfs_year_label(e->below_minimum_year, below, sizeof below);
        if (e->exhausted_year)
            mtfs_year_label(e->exhausted_year, exhausted, sizeof exhausted);
        char g[64], c[64], r[64];
        fprintf(out, "%-40.40s %-6s %-10s %10s %14s %14s %-18s %-14s %zu\n", e->file,
                mtfs_batch_status_name(e), mtfs_year_label(e->base_year + (int)e->horizon, label, sizeof label),
                mtfs_format_table_number(e->final_gap, 1, 0, g, sizeof g),
                mtfs_format_table_number(e->cumulative_gap, 1, 0, c, sizeof c),
                mtfs_format_table_number(e->reserves[e->horizon], 1, 0, r, sizeof r), below, exhausted,
                e->n_failed);
    }
    fputs("(£m; status: ok, failed = a --fail-if condition held, error = bad input)\n", out);
    for (size_t i = 0; i < b->n_entries; i++) {
        const mtfs_batch_entry *e = &b->entries[i];
        for (size_t k = 0; k < e->n_failed; k++)
            fprintf(out, "FAIL %s: %s\n", e->file, e->failed[k]);
        if (e->status != MTFS_OK)
            fprintf(out, "ERROR %s\n", e->error);
    }
    fprintf(out, "%zu scenario%s: %zu ok, %zu failed, %zu error\n", b->n_entries,
            b->n_entries == 1 ? "" : "s", count[0], count[1], count[2]);
    return mtfs_stream_status(out, err);
}
