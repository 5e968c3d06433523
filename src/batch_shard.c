/*
 * batch_shard.c - batch shards and their merge (see mtfs/batch_shard.h and
 * docs/scale.md).
 *
 * A partial is text, one "key value" a line; a text value is written
 * "N:" and its N bytes (so it may hold anything, line breaks included),
 * a number exactly (C99 hexadecimal):
 *
 *   mtfs-batch-partial 1
 *   engine mtfs 1.2.3
 *   shard 2/3
 *   scenarios 17 <sha256>          the whole list's length, and the SHA-256 of its names
 *   first 5                        this shard ran scenarios 5 ... (0-based)
 *   entries 6                      ... and this many
 *   condition 14:gap[2028] > 80    each --fail-if, in order
 *   then for each scenario:
 *   entry 24:scenarios/a.cfg       its file
 *   sha256 <hex>|none              its SHA-256 when it ran (checked by the merge)
 *   status 0                       0, or the mtfs_status it failed with
 *   name 7:Central                 (when it loaded)
 *   error 60:...                   (when it failed) its one-line error
 *   more 120:...                   (when it had more problems) the further lines
 *   years 2024 5                   (when it ran) base year and horizon, then
 *   gap ... / reserves ... / covid ...   horizon + 1 values each
 *   totals <final gap> <cumulative gap> <below minimum year> <exhausted year>
 *   failed 40:...                  each condition that held, as the summary says it
 *   end
 */
#include "mtfs/batch_shard.h"
#include "mtfs/input.h"
#include "mtfs/sha256.h"
#include "mtfs/version.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t mtfs_batch_shard_first(size_t k, size_t n, size_t m)
{
    return (k - 1) * m / n;
}

/* The SHA-256 of the list of names, each ending in a newline. */
static void list_hash(char *const *files, size_t m, char hex[65])
{
    mtfs_sha256 h;
    mtfs_sha256_init(&h);
    for (size_t i = 0; i < m; i++) {
        mtfs_sha256_update(&h, files[i], strlen(files[i]));
        mtfs_sha256_update(&h, "\n", 1);
    }
    mtfs_sha256_hex(&h, hex);
}

static void put_text(FILE *out, const char *key, const char *text)
{
    fprintf(out, "%s %zu:%s\n", key, strlen(text), text);
}

static void put_reals(FILE *out, const char *key, const double *x, size_t n)
{
    fputs(key, out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %a", x[i]);
    fputc('\n', out);
}

mtfs_status mtfs_batch_partial_write(FILE *out, const mtfs_batch *b, char *const *files, size_t m,
                                     size_t k, size_t n, mtfs_error *err)
{
    char hex[65];
    list_hash(files, m, hex);
    fprintf(out, "mtfs-batch-partial %d\nengine mtfs %s\nshard %zu/%zu\nscenarios %zu %s\n"
                 "first %zu\nentries %zu\n", MTFS_BATCH_PARTIAL_VERSION, mtfs_version(), k, n, m,
            hex, mtfs_batch_shard_first(k, n, m), b->n_entries);
    for (size_t i = 0; i < b->n_conditions; i++)
        put_text(out, "condition", b->conditions[i].text);
    for (size_t i = 0; i < b->n_entries; i++) {
        const mtfs_batch_entry *e = &b->entries[i];
        put_text(out, "entry", e->file);
        mtfs_error ignored;
        fprintf(out, "sha256 %s\n", e->status == MTFS_OK && mtfs_sha256_file(e->file, hex, &ignored) == MTFS_OK
                                    ? hex : "none");
        fprintf(out, "status %d\n", (int)e->status);
        if (e->name)
            put_text(out, "name", e->name);
        if (e->error)
            put_text(out, "error", e->error);
        if (e->more)
            put_text(out, "more", e->more);
        if (e->gap) {
            fprintf(out, "years %d %zu\n", e->base_year, e->horizon);
            put_reals(out, "gap", e->gap, e->horizon + 1);
            put_reals(out, "reserves", e->reserves, e->horizon + 1);
            put_reals(out, "covid", e->covid_pressure, e->horizon + 1);
            fprintf(out, "totals %a %a %d %d\n", e->final_gap, e->cumulative_gap,
                    e->below_minimum_year, e->exhausted_year);
        }
        for (size_t j = 0; j < e->n_failed; j++)
            put_text(out, "failed", e->failed[j]);
        fputs("end\n", out);
    }
    return mtfs_stream_status(out, err);
}

/* ---- Reading ------------------------------------------------------------ */

typedef struct {
    const char *path;
    char *text;
    size_t len, at;
    int line;               /* of the line being read */
    mtfs_error *err;
    /* the header */
    char engine[64], list[65];
    size_t shard, shards, m, first, entries;
    int header_line[4];     /* shard, scenarios, first, entries */
} reader;

static mtfs_status bad(reader *r, const char *key, const char *message)
{
    return mtfs_error_set(r->err, MTFS_EINPUT, r->path, r->line, key, "%s", message);
}

/* Is the next line's key `key`?  Then move past it and its space. */
static int next_is(reader *r, const char *key)
{
    size_t n = strlen(key);
    if (r->at + n < r->len && strncmp(r->text + r->at, key, n) == 0 && r->text[r->at + n] == ' ') {
        r->at += n + 1;
        return 1;
    }
    return 0;
}

/* The rest of the line (its newline replaced by NUL), or NULL. */
static char *rest(reader *r)
{
    char *start = r->text + r->at, *nl = memchr(start, '\n', r->len - r->at);
    if (!nl)
        return NULL;
    *nl = '\0';
    r->at = (size_t)(nl - r->text) + 1;
    r->line++;
    return start;
}

/* A line "key N:<N bytes>": a copy of the text in *out. */
static mtfs_status text_value(reader *r, const char *key, char **out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(r->text + r->at, &end, 10);
    size_t at = (size_t)(end - r->text);
    if (errno || end == r->text + r->at || *end != ':' || n > r->len - at - 1 ||
        r->text[at + 1 + n] != '\n')
        return bad(r, key, "expected a length, ':', then that many bytes and a line break");
    if (!(*out = mtfs_malloc((size_t)n + 1)))
        return mtfs_error_oom(r->err, NULL);
    memcpy(*out, r->text + at + 1, (size_t)n);
    (*out)[n] = '\0';
    for (size_t i = at; i <= at + 1 + n; i++)
        r->line += r->text[i] == '\n';
    r->at = at + 2 + (size_t)n;
    return MTFS_OK;
}

/* A line "key" + values parsed by sscanf-like rules: here, n exact reals. */
static mtfs_status reals_value(reader *r, const char *key, double *x, size_t n)
{
    char *line = rest(r), *p = line;
    for (size_t i = 0; p && i < n; i++) {
        char *end;
        x[i] = strtod(p, &end);
        if (end == p || !isfinite(x[i]))
            p = NULL;
        else
            p = end;
    }
    if (!p || *p)
        return bad(r, key, "expected the exact numbers mtfs batch --shard writes");
    return MTFS_OK;
}

static mtfs_status read_entry(reader *r, mtfs_batch_entry *e)
{
    mtfs_status st;
    if (!next_is(r, "entry"))
        return bad(r, "entry", "expected the line 'entry' of the next scenario here");
    if ((st = text_value(r, "entry", &e->file)) != MTFS_OK)
        return st;
    int sha_line = r->line;
    char *v;
    if (!next_is(r, "sha256") || !(v = rest(r)))
        return bad(r, "sha256", "expected the line 'sha256' here");
    char sha[65];
    snprintf(sha, sizeof sha, "%s", v);
    int status;
    char extra;
    if (!next_is(r, "status") || !(v = rest(r)) || sscanf(v, "%d%c", &status, &extra) != 1 ||
        status < 0 || status > MTFS_EINTERNAL)
        return bad(r, "status", "expected 'status' and an mtfs status from 0 to 6");
    e->status = (mtfs_status)status;
    if (next_is(r, "name") && (st = text_value(r, "name", &e->name)) != MTFS_OK)
        return st;
    if (next_is(r, "error") && (st = text_value(r, "error", &e->error)) != MTFS_OK)
        return st;
    if (next_is(r, "more") && (st = text_value(r, "more", &e->more)) != MTFS_OK)
        return st;
    if (next_is(r, "years")) {
        size_t horizon;
        if (!(v = rest(r)) || sscanf(v, "%d %zu%c", &e->base_year, &horizon, &extra) != 2 ||
            horizon < 1 || horizon > 250)
            return bad(r, "years", "expected a base year and a horizon from 1 to 250");
        e->horizon = horizon;
        size_t n = horizon + 1;
        if (!(e->gap = mtfs_calloc(3 * n, sizeof(double))))
            return mtfs_error_oom(r->err, NULL);
        e->reserves = e->gap + n;
        e->covid_pressure = e->gap + 2 * n;
        if (!next_is(r, "gap") || (st = reals_value(r, "gap", e->gap, n)) != MTFS_OK ||
            !next_is(r, "reserves") || (st = reals_value(r, "reserves", e->reserves, n)) != MTFS_OK ||
            !next_is(r, "covid") || (st = reals_value(r, "covid", e->covid_pressure, n)) != MTFS_OK)
            return st != MTFS_OK ? st : bad(r, "years", "expected the lines gap, reserves and covid");
        double t[2];
        if (!next_is(r, "totals") || !(v = rest(r)))
            return bad(r, "totals", "expected the line 'totals' here");
        char *p = v, *end;
        for (int i = 0; i < 2 && p; i++) {
            t[i] = strtod(p, &end);
            p = end == p || !isfinite(t[i]) ? NULL : end;
        }
        if (!p || sscanf(p, "%d %d%c", &e->below_minimum_year, &e->exhausted_year, &extra) != 2)
            return bad(r, "totals", "expected two exact numbers and two years");
        e->final_gap = t[0];
        e->cumulative_gap = t[1];
    }
    size_t cap = 0;
    while (next_is(r, "failed")) {
        if (mtfs_grow(&e->failed, &cap, e->n_failed, sizeof *e->failed, 4) != 0)
            return mtfs_error_oom(r->err, NULL);
        e->failed[e->n_failed] = NULL;
        if ((st = text_value(r, "failed", &e->failed[e->n_failed])) != MTFS_OK)
            return st;
        e->n_failed++;
    }
    if (!(v = rest(r)) || strcmp(v, "end") != 0)
        return bad(r, "end", "expected the line 'end' closing the scenario here");
    /* A scenario that ran must be the file it was then. */
    if (e->status == MTFS_OK) {
        char now[65];
        mtfs_error ignored;
        if (mtfs_sha256_file(e->file, now, &ignored) != MTFS_OK || strcmp(now, sha) != 0) {
            r->line = sha_line;
            return mtfs_error_set(r->err, MTFS_EINPUT, r->path, sha_line, "sha256",
                                  "%s has changed since the shard ran it (expected SHA-256 %.12s..., "
                                  "found %.12s...)", e->file, sha,
                                  mtfs_sha256_file(e->file, now, &ignored) == MTFS_OK ? now : "none");
        }
    }
    return MTFS_OK;
}

static mtfs_status read_header(reader *r, mtfs_batch *b)
{
    char *v, extra;
    int version;
    if (!(v = rest(r)) || sscanf(v, "mtfs-batch-partial %d%c", &version, &extra) != 1)
        return mtfs_error_set(r->err, MTFS_EINPUT, r->path, 1, NULL, "is not a partial result of "
                              "mtfs batch (expected a file written by mtfs batch --shard)");
    if (version != MTFS_BATCH_PARTIAL_VERSION)
        return bad(r, "mtfs-batch-partial", "is a version this mtfs does not read (expected 1)");
    if (!next_is(r, "engine") || !(v = rest(r)) || strncmp(v, "mtfs ", 5) != 0)
        return bad(r, "engine", "expected the line 'engine mtfs VERSION' here");
    snprintf(r->engine, sizeof r->engine, "%s", v + 5);
    if (!next_is(r, "shard") || !(v = rest(r)) ||
        sscanf(v, "%zu/%zu%c", &r->shard, &r->shards, &extra) != 2 || r->shard < 1 ||
        r->shard > r->shards || r->shards > 100000)
        return bad(r, "shard", "expected 'shard K/N' here, 1 <= K <= N <= 100000");
    r->header_line[0] = r->line;
    if (!next_is(r, "scenarios") || !(v = rest(r)) ||
        sscanf(v, "%zu %64s%c", &r->m, r->list, &extra) != 2 || strlen(r->list) != 64)
        return bad(r, "scenarios", "expected 'scenarios' with a count and a SHA-256 here");
    r->header_line[1] = r->line;
    if (!next_is(r, "first") || !(v = rest(r)) || sscanf(v, "%zu%c", &r->first, &extra) != 1 ||
        r->first != mtfs_batch_shard_first(r->shard, r->shards, r->m))
        return bad(r, "first", "does not match the shard and the scenario count");
    r->header_line[2] = r->line;
    if (!next_is(r, "entries") || !(v = rest(r)) || sscanf(v, "%zu%c", &r->entries, &extra) != 1 ||
        r->entries != mtfs_batch_shard_first(r->shard + 1, r->shards, r->m) - r->first)
        return bad(r, "entries", "does not match the shard and the scenario count");
    r->header_line[3] = r->line;
    while (next_is(r, "condition")) {
        char *text;
        mtfs_status st = text_value(r, "condition", &text);
        if (st != MTFS_OK)
            return st;
        mtfs_condition c;
        st = mtfs_condition_parse(text, &c, r->err);
        mtfs_free(text);
        if (st != MTFS_OK)
            return st == MTFS_ENOMEM ? st : bad(r, "condition", "is not a condition this mtfs reads");
        mtfs_condition *grown = mtfs_realloc(b->conditions, (b->n_conditions + 1) * sizeof *grown);
        if (!grown)
            return mtfs_error_oom(r->err, NULL);
        b->conditions = grown;
        b->conditions[b->n_conditions++] = c;
    }
    return MTFS_OK;
}

/* One partial into its own batch (entries appended to all later). */
static mtfs_status read_partial(reader *r, mtfs_batch *b)
{
    mtfs_status st = read_header(r, b);
    for (size_t i = 0; st == MTFS_OK && i < r->entries; i++) {
        if (mtfs_grow(&b->entries, &b->cap_entries, b->n_entries, sizeof *b->entries, 16) != 0)
            return mtfs_error_oom(r->err, NULL);
        mtfs_batch_entry *e = &b->entries[b->n_entries++];
        memset(e, 0, sizeof *e);
        st = read_entry(r, e);
    }
    if (st == MTFS_OK && r->at != r->len)
        st = bad(r, NULL, "has more after its last scenario (expected the end of the file)");
    return st;
}

static int same_conditions(const mtfs_batch *a, const mtfs_batch *b)
{
    if (a->n_conditions != b->n_conditions)
        return 0;
    for (size_t i = 0; i < a->n_conditions; i++)
        if (strcmp(a->conditions[i].text, b->conditions[i].text) != 0)
            return 0;
    return 1;
}

mtfs_status mtfs_batch_merge(char *const *paths, size_t count, mtfs_batch **out, mtfs_error *err)
{
    *out = NULL;
    if (count == 0)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "no partial results to merge "
                              "(expected the files mtfs batch --shard wrote)");
    reader *r = mtfs_calloc(count, sizeof *r);
    mtfs_batch **parts = mtfs_calloc(count, sizeof *parts);
    mtfs_status st = r && parts ? MTFS_OK : mtfs_error_oom(err, NULL);
    for (size_t i = 0; st == MTFS_OK && i < count; i++) {
        r[i].path = paths[i];
        r[i].err = err;
        if (!(parts[i] = mtfs_batch_new(NULL, 0)))
            st = mtfs_error_oom(err, NULL);
        if (st == MTFS_OK)
            st = mtfs_input_read(paths[i], "a partial result of mtfs batch --shard", NULL,
                                 &r[i].text, &r[i].len, err);
        if (st == MTFS_OK)
            st = read_partial(&r[i], parts[i]);
    }
    /* They belong together, every shard once. */
    size_t *at = st == MTFS_OK ? mtfs_calloc(r[0].shards + 1, sizeof *at) : NULL;
    if (st == MTFS_OK && !at)
        st = mtfs_error_oom(err, NULL);
    for (size_t i = 0; st == MTFS_OK && i < count; i++) {
        reader *a = &r[0], *p = &r[i];
        const char *what = strcmp(p->engine, a->engine) != 0 ? "a version of mtfs"
                         : p->shards != a->shards ? "a shard count"
                         : p->m != a->m || strcmp(p->list, a->list) != 0 ? "a list of scenarios"
                         : !same_conditions(parts[i], parts[0]) ? "conditions" : NULL;
        int line = strcmp(what ? what : "", "a list of scenarios") == 0 ? p->header_line[1]
                 : p->header_line[0];
        if (what)
            st = mtfs_error_set(err, MTFS_EINPUT, p->path, line, NULL, "has %s other than %s's "
                                "(expected the shards of one batch)", what, a->path);
        else if (at[p->shard])
            st = mtfs_error_set(err, MTFS_EINPUT, p->path, p->header_line[0], "shard",
                                "shard %zu of %zu is also %s (expected each shard once)", p->shard,
                                p->shards, r[at[p->shard] - 1].path);
        else
            at[p->shard] = i + 1;
    }
    for (size_t k = 1; st == MTFS_OK && k <= r[0].shards; k++)
        if (!at[k])
            st = mtfs_error_set(err, MTFS_EINPUT, r[0].path, r[0].header_line[0], "shard",
                                "shard %zu of %zu is missing (expected one partial result for each "
                                "of shards 1 to %zu)", k, r[0].shards, r[0].shards);
    /* The whole batch: the conditions, then every shard's entries in order. */
    mtfs_batch *b = NULL;
    if (st == MTFS_OK && !(b = mtfs_batch_new(parts[0]->conditions, parts[0]->n_conditions)))
        st = mtfs_error_oom(err, NULL);
    if (st == MTFS_OK && r[0].m &&
        !(b->entries = mtfs_calloc(r[0].m, sizeof *b->entries)))
        st = mtfs_error_oom(err, NULL);
    if (st == MTFS_OK) {
        b->cap_entries = r[0].m;
        for (size_t k = 1; k <= r[0].shards; k++) {
            mtfs_batch *p = parts[at[k] - 1];
            if (p->n_entries)
                memcpy(b->entries + b->n_entries, p->entries, p->n_entries * sizeof *p->entries);
            b->n_entries += p->n_entries;
            p->n_entries = 0;   /* moved */
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (r)
            free(r[i].text);
        if (parts)
            mtfs_batch_free(parts[i]);
    }
    mtfs_free(at);
    mtfs_free(r);
    mtfs_free(parts);
    if (st != MTFS_OK) {
        mtfs_batch_free(b);
        return st;
    }
    *out = b;
    return MTFS_OK;
}
