/*
 * mc_shard.c - Monte Carlo shards, their partial result files and the merge
 * (see mtfs/mc_shard.h and docs/scale.md).
 *
 * A partial file is a text header, one "key value" a line, in this order:
 *
 *   mtfs-mc-partial 1              the format and its version
 *   engine mtfs 1.2.3              the version of mtfs that wrote it
 *   file <sha256> <path>           every file the scenario was read from, the scenario first
 *   seed 42
 *   paths 10000                    the whole run's paths
 *   shard 2/7                      this is shard 2 of 7
 *   blocks 3 6                     it holds blocks 3 to 5 (of MTFS_MC_BLOCK paths)
 *   horizon 10                     years
 *   opening-uncertain 0            1: each path's opening reserves are kept too
 *   threshold 0x1.4p+3             each P(gap > X) threshold, exact (C99 hex)
 *   byte-order little-endian
 *   data 823296                    the bytes of values that follow the newline
 *
 * then, block after block, each block's n paths: the gap of every path in
 * year 1, then year 2, ... (T x n doubles), the reserves likewise, the
 * opening reserves (n doubles, only when uncertain), then the first year
 * index below the minimum and below zero (n bytes each, 0: never).
 */
#include "mtfs/mc_shard.h"
#include "mtfs/input.h"
#include "mtfs/sha256.h"
#include "mtfs/version.h"
#include "mc_source.h"
#include "scenario_int.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { L_FORMAT, L_ENGINE, L_FILE, L_SEED, L_PATHS, L_SHARD, L_BLOCKS, L_HORIZON, L_OPENING,
       L_THRESHOLD, L_ORDER, L_DATA, L_COUNT };
static const char *const key_name[L_COUNT] = {
    "mtfs-mc-partial", "engine", "file", "seed", "paths", "shard", "blocks", "horizon",
    "opening-uncertain", "threshold", "byte-order", "data"};

struct mtfs_mc_partial {
    char *path;                 /* the file it was read from; NULL when computed */
    char *engine;
    size_t n_files;
    char **files;
    char (*sha)[65];
    unsigned long seed;
    size_t paths, shard, shards, T, block0, block_end;
    int opening;
    double *thresholds;
    size_t n_thresholds;
    int line[L_COUNT];          /* where each key is (the first file, the first threshold) */
    long data_at;               /* offset of the values */
    mc_held held;               /* computed: the values */
};

static int little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

static size_t path_bytes(size_t T, int opening)
{
    return (2 * T + (size_t)opening) * sizeof(double) + 2;
}

/* The paths of block b (of a run of `paths` paths). */
static size_t block_paths(size_t b, size_t paths)
{
    size_t first = b * MTFS_MC_BLOCK;
    return first + MTFS_MC_BLOCK < paths ? MTFS_MC_BLOCK : paths - first;
}

/* The bytes of values a shard holding blocks [b0, b1) writes. */
static size_t data_bytes(const mtfs_mc_partial *p)
{
    size_t held = 0;
    for (size_t b = p->block0; b < p->block_end; b++)
        held += block_paths(b, p->paths);
    return held * path_bytes(p->T, p->opening);
}

void mtfs_mc_partial_free(mtfs_mc_partial *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_files; i++)
        mtfs_free(p->files[i]);
    mtfs_free(p->files);
    mtfs_free(p->sha);
    mtfs_free(p->path);
    mtfs_free(p->engine);
    mtfs_free(p->thresholds);
    mc_held_free(&p->held);
    mtfs_free(p);
}

const char *mtfs_mc_partial_scenario(const mtfs_mc_partial *p) { return p->files[0]; }
size_t mtfs_mc_partial_shard(const mtfs_mc_partial *p) { return p->shard; }
size_t mtfs_mc_partial_shards(const mtfs_mc_partial *p) { return p->shards; }

static char *copy_text(const char *text)
{
    size_t n = strlen(text) + 1;
    char *c = mtfs_malloc(n);
    if (c)
        memcpy(c, text, n);
    return c;
}

/* The scenario's files and their hashes into p. */
static mtfs_status hash_files(const mtfs_scenario *s, mtfs_mc_partial *p, mtfs_error *err)
{
    size_t n = mtfs_scenario_file_count(s);
    p->files = mtfs_calloc(n ? n : 1, sizeof *p->files);
    p->sha = mtfs_calloc(n ? n : 1, sizeof *p->sha);
    if (!p->files || !p->sha)
        return mtfs_error_oom(err, NULL);
    for (size_t i = 0; i < n; i++) {
        const char *name = mtfs_scenario_file(s, i);
        if (strchr(name, '\n'))
            return mtfs_error_set(err, MTFS_EINPUT, name, 0, NULL,
                                  "a file name with a line break cannot be recorded in a partial "
                                  "result (expected a name on one line)");
        if (!(p->files[i] = copy_text(name)))
            return mtfs_error_oom(err, NULL);
        p->n_files = i + 1;
        mtfs_status st = mtfs_sha256_file(name, p->sha[i], err);
        if (st != MTFS_OK)
            return st;
    }
    return MTFS_OK;
}

mtfs_status mtfs_mc_shard(const mtfs_scenario *s, const mtfs_mc_options *o, size_t shard,
                          size_t shards, mtfs_mc_partial **out, mtfs_error *err)
{
    *out = NULL;
    if (!little_endian())
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "partial results are written on little-endian machines only");
    mtfs_mc_partial *p = mtfs_calloc(1, sizeof *p);
    if (!p)
        return mtfs_error_oom(err, NULL);
    mtfs_status st = mc_run_blocks(s, o, shard, shards, &p->held, err);
    if (st == MTFS_OK)
        st = hash_files(s, p, err);
    const double *thresholds = o && o->thresholds ? o->thresholds : s->thresholds;
    size_t n_thresholds = o && o->thresholds ? o->n_thresholds : s->n_thresholds;
    if (st == MTFS_OK) {
        p->engine = copy_text(mtfs_version());
        p->thresholds = mtfs_calloc(n_thresholds ? n_thresholds : 1, sizeof(double));
        if (!p->engine || !p->thresholds)
            st = mtfs_error_oom(err, NULL);
    }
    if (st != MTFS_OK) {
        mtfs_mc_partial_free(p);
        return st;
    }
    if (n_thresholds)
        memcpy(p->thresholds, thresholds, n_thresholds * sizeof(double));
    p->n_thresholds = n_thresholds;
    p->seed = p->held.seed;
    p->paths = p->held.paths;
    p->shard = shard;
    p->shards = shards;
    p->T = p->held.T;
    p->block0 = p->held.block0;
    p->block_end = p->held.block_end;
    p->opening = p->held.has_opening;
    *out = p;
    return MTFS_OK;
}

mtfs_status mtfs_mc_partial_write(FILE *out, const mtfs_mc_partial *p, mtfs_error *err)
{
    fprintf(out, "mtfs-mc-partial %d\nengine mtfs %s\n", MTFS_MC_PARTIAL_VERSION, p->engine);
    for (size_t i = 0; i < p->n_files; i++)
        fprintf(out, "file %s %s\n", p->sha[i], p->files[i]);
    fprintf(out, "seed %lu\npaths %zu\nshard %zu/%zu\nblocks %zu %zu\nhorizon %zu\n"
                 "opening-uncertain %d\n", p->seed, p->paths, p->shard, p->shards, p->block0,
            p->block_end, p->T, p->opening);
    for (size_t j = 0; j < p->n_thresholds; j++)
        fprintf(out, "threshold %a\n", p->thresholds[j]);
    fprintf(out, "byte-order little-endian\ndata %zu\n", data_bytes(p));
    const mc_held *h = &p->held;
    size_t T = p->T, ok = 1;
    for (size_t b = p->block0; ok && b < p->block_end; b++) {
        size_t n = block_paths(b, p->paths), at = b * MTFS_MC_BLOCK - h->path0;
        for (size_t t = 1; ok && t <= T; t++)
            ok = fwrite(h->gap + (t - 1) * h->held + at, sizeof(double), n, out) == n;
        for (size_t t = 1; ok && t <= T; t++)
            ok = fwrite(h->reserves + (t - 1) * h->held + at, sizeof(double), n, out) == n;
        if (ok && p->opening)
            ok = fwrite(h->opening + at, sizeof(double), n, out) == n;
        ok = ok && fwrite(h->below + at, 1, n, out) == n && fwrite(h->exhausted + at, 1, n, out) == n;
    }
    if (!ok || ferror(out))
        return mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write the partial result");
    return MTFS_OK;
}

/* ---- Reading ------------------------------------------------------------ */

typedef struct {
    FILE *f;
    const char *path;
    int line;
    char text[8192];
    char *value;            /* after the key and one space */
} reader;

static mtfs_status bad(reader *r, int key, const char *fmt, const char *detail, mtfs_error *err)
{
    return mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, key_name[key], fmt, detail);
}

/* The next line, which must start with key `key`: 1 when it does, 0 when
 * it is another key (left in r->text for the next call), else an error. */
static int next_line(reader *r, int *pending, int key, mtfs_status *st, mtfs_error *err)
{
    if (!*pending) {
        if (!fgets(r->text, sizeof r->text, r->f)) {
            *st = mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, key_name[key],
                                 "the header ends early (expected a line '%s ...')", key_name[key]);
            return -1;
        }
        r->line++;
        size_t len = strlen(r->text);
        if (len == 0 || r->text[len - 1] != '\n') {
            *st = mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, r->line == 1 ? NULL : key_name[key], "%s", r->line == 1 ? "is not an mtfs Monte Carlo partial result "
                      "(expected a file written by mtfs mc --shard)"
                      : "the header line is too long or unfinished (expected a line "
                        "written by mtfs mc --shard)");
            return -1;
        }
        r->text[len - 1] = '\0';
        *pending = 1;
    }
    size_t n = strlen(key_name[key]);
    if (strncmp(r->text, key_name[key], n) != 0 || r->text[n] != ' ')
        return 0;
    *pending = 0;
    r->value = r->text + n + 1;
    return 1;
}

/* A whole number from lo to hi, and what follows it (in *end). */
static int whole(const char *text, unsigned long long lo, unsigned long long hi,
                 unsigned long long *out, const char **end)
{
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *e;
    unsigned long long v = strtoull(text, &e, 10);
    if (errno || v < lo || v > hi)
        return -1;
    *out = v;
    *end = e;
    return 0;
}

/* A line "key N" with N from lo to hi. */
static mtfs_status number_line(reader *r, int *pending, int key, unsigned long long lo,
                               unsigned long long hi, const char *expected, unsigned long long *out,
                               mtfs_error *err)
{
    mtfs_status st = MTFS_OK;
    int got = next_line(r, pending, key, &st, err);
    if (got < 0)
        return st;
    const char *end;
    if (got == 0)
        return bad(r, key, "expected the line '%s' here", key_name[key], err);
    if (whole(r->value, lo, hi, out, &end) != 0 || *end)
        return mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, key_name[key],
                              "'%s' is not %s", r->value, expected);
    return MTFS_OK;
}

static mtfs_status read_header(reader *r, mtfs_mc_partial *p, unsigned long long size,
                               mtfs_error *err)
{
    int pending = 0;
    mtfs_status st = MTFS_OK;
    unsigned long long v, w;
    const char *end;
    int got = next_line(r, &pending, L_FORMAT, &st, err);
    if (got < 0)
        return st;
    if (got == 0)
        return mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, NULL, "is not an mtfs Monte "
                              "Carlo partial result (expected a file written by mtfs mc --shard)");
    p->line[L_FORMAT] = r->line;
    if (whole(r->value, 1, 1000, &v, &end) != 0 || *end || v != MTFS_MC_PARTIAL_VERSION)
        return mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, key_name[L_FORMAT],
                              "version '%s' is not one this mtfs reads (expected %d)", r->value,
                              MTFS_MC_PARTIAL_VERSION);
    if ((got = next_line(r, &pending, L_ENGINE, &st, err)) < 0)
        return st;
    if (got == 0 || strncmp(r->value, "mtfs ", 5) != 0)
        return bad(r, L_ENGINE, "%s", "expected the line 'engine mtfs VERSION' here", err);
    p->line[L_ENGINE] = r->line;
    if (!(p->engine = copy_text(r->value + 5)))
        return mtfs_error_oom(err, NULL);
    size_t cap = 0;
    while ((got = next_line(r, &pending, L_FILE, &st, err)) == 1) {
        const char *name = r->value + 64;
        size_t i = p->n_files;
        if (strlen(r->value) < 66 || strspn(r->value, "0123456789abcdef") != 64 || *name != ' ')
            return bad(r, L_FILE, "%s", "expected a SHA-256 in hex and a file name", err);
        size_t sha_cap = cap;
        if (mtfs_grow(&p->files, &cap, i, sizeof *p->files, 4) != 0 ||
            mtfs_grow(&p->sha, &sha_cap, i, sizeof *p->sha, 4) != 0 ||
            !(p->files[i] = copy_text(name + 1)))
            return mtfs_error_oom(err, NULL);
        memcpy(p->sha[i], r->value, 64);
        p->sha[i][64] = '\0';
        p->n_files = i + 1;
        if (i == 0)
            p->line[L_FILE] = r->line;
    }
    if (got < 0)
        return st;
    if (p->n_files == 0)
        return bad(r, L_FILE, "expected the line '%s' here", key_name[L_FILE], err);
    if ((st = number_line(r, &pending, L_SEED, 0, 4294967295u, "a seed from 0 to 4294967295", &v, err)))
        return st;
    p->seed = (unsigned long)v;
    p->line[L_SEED] = r->line;
    if ((st = number_line(r, &pending, L_PATHS, 1, 100000000, "a path count from 1 to 100000000", &v, err)))
        return st;
    p->paths = (size_t)v;
    p->line[L_PATHS] = r->line;
    if ((got = next_line(r, &pending, L_SHARD, &st, err)) < 0)
        return st;
    if (got == 0 || whole(r->value, 1, MTFS_MC_SHARDS_MAX, &v, &end) != 0 || *end != '/' ||
        whole(end + 1, v, MTFS_MC_SHARDS_MAX, &w, &end) != 0 || *end)
        return bad(r, L_SHARD, "expected 'shard K/N' here, 1 <= K <= N <= %s", "100000", err);
    p->shard = (size_t)v;
    p->shards = (size_t)w;
    p->line[L_SHARD] = r->line;
    size_t n_blocks = (p->paths + MTFS_MC_BLOCK - 1) / MTFS_MC_BLOCK;
    if ((got = next_line(r, &pending, L_BLOCKS, &st, err)) < 0)
        return st;
    p->line[L_BLOCKS] = r->line;
    p->block0 = (p->shard - 1) * n_blocks / p->shards;
    p->block_end = p->shard * n_blocks / p->shards;
    if (got == 0 || whole(r->value, 0, n_blocks, &v, &end) != 0 || *end != ' ' ||
        whole(end + 1, v, n_blocks, &w, &end) != 0 || *end || v != p->block0 || w != p->block_end) {
        char expected[64];
        snprintf(expected, sizeof expected, "%zu %zu", p->block0, p->block_end);
        return bad(r, L_BLOCKS, "do not match the shard and the paths (expected 'blocks %s')",
                   expected, err);
    }
    if ((st = number_line(r, &pending, L_HORIZON, 1, 250, "a horizon from 1 to 250 years", &v, err)))
        return st;
    p->T = (size_t)v;
    p->line[L_HORIZON] = r->line;
    if ((st = number_line(r, &pending, L_OPENING, 0, 1, "0 or 1", &v, err)))
        return st;
    p->opening = (int)v;
    p->line[L_OPENING] = r->line;
    cap = 0;
    while ((got = next_line(r, &pending, L_THRESHOLD, &st, err)) == 1) {
        char *e;
        double x = strtod(r->value, &e);
        if (e == r->value || *e || !isfinite(x))
            return bad(r, L_THRESHOLD, "'%s' is not a finite number", r->value, err);
        if (mtfs_grow(&p->thresholds, &cap, p->n_thresholds, sizeof(double), 4) != 0)
            return mtfs_error_oom(err, NULL);
        p->thresholds[p->n_thresholds++] = x;
        if (p->n_thresholds == 1)
            p->line[L_THRESHOLD] = r->line;
    }
    if (got < 0)
        return st;
    if ((got = next_line(r, &pending, L_ORDER, &st, err)) < 0)
        return st;
    if (got == 0 || strcmp(r->value, "little-endian") != 0 || !little_endian())
        return bad(r, L_ORDER, "%s", "expected 'byte-order little-endian' (and a little-endian "
                   "machine to read it)", err);
    p->line[L_ORDER] = r->line;
    size_t want = data_bytes(p);
    if ((st = number_line(r, &pending, L_DATA, 0, ULLONG_MAX, "a byte count", &v, err)))
        return st;
    p->line[L_DATA] = r->line;
    if (v != want) {
        char expected[32];
        snprintf(expected, sizeof expected, "%zu", want);
        return bad(r, L_DATA, "does not match the shard's paths (expected 'data %s')", expected, err);
    }
    long at = ftell(r->f);
    if (at < 0)
        return mtfs_error_set(err, MTFS_EIO, r->path, 0, NULL, "cannot read: %s", strerror(errno));
    p->data_at = at;
    if (size != (unsigned long long)at + want)
        return mtfs_error_set(err, MTFS_EINPUT, r->path, r->line, key_name[L_DATA],
                              "the file holds %llu bytes of values, not the %zu announced (expected "
                              "the whole file mtfs mc --shard wrote)",
                              size > (unsigned long long)at ? size - (unsigned long long)at : 0ULL, want);
    return MTFS_OK;
}

mtfs_status mtfs_mc_partial_open(const char *path, mtfs_mc_partial **out, mtfs_error *err)
{
    *out = NULL;
    FILE *f;
    unsigned long long size;
    mtfs_status st = mtfs_input_open(path, "a partial result of mtfs mc --shard", &f, &size, err);
    if (st != MTFS_OK)
        return st;
    mtfs_mc_partial *p = mtfs_calloc(1, sizeof *p);
    reader *r = mtfs_calloc(1, sizeof *r);
    if (!p || !r || !(p->path = copy_text(path)))
        st = mtfs_error_oom(err, path);
    if (st == MTFS_OK) {
        r->f = f;
        r->path = path;
        st = read_header(r, p, size, err);
    }
    fclose(f);
    mtfs_free(r);
    if (st != MTFS_OK) {
        mtfs_mc_partial_free(p);
        return st;
    }
    *out = p;
    return MTFS_OK;
}

/* ---- Checking and merging ------------------------------------------------ */

/* p's `key` is `mine` where the first partial's is `theirs`. */
static mtfs_status differs(const mtfs_mc_partial *p, const mtfs_mc_partial *first, int key,
                           const char *mine, const char *theirs, mtfs_error *err)
{
    return mtfs_error_set(err, MTFS_EINPUT, p->path, p->line[key], key_name[key],
                          "%s, where %s has %s (expected the shards of one run)", mine,
                          first->path, theirs);
}

static int by_shard(const void *a, const void *b)
{
    size_t x = (*(mtfs_mc_partial *const *)a)->shard, y = (*(mtfs_mc_partial *const *)b)->shard;
    return x < y ? -1 : x > y;
}

mtfs_status mtfs_mc_partials_check(mtfs_mc_partial *const *parts, size_t n, mtfs_error *err)
{
    if (n == 0)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "no partial results to merge (expected the files mtfs mc --shard wrote)");
    const mtfs_mc_partial *a = parts[0];
    char mine[160], theirs[160];
    for (size_t k = 1; k < n; k++) {
        const mtfs_mc_partial *p = parts[k];
        if (strcmp(p->engine, a->engine) != 0) {
            snprintf(mine, sizeof mine, "written by mtfs %s", p->engine);
            snprintf(theirs, sizeof theirs, "mtfs %s", a->engine);
            return differs(p, a, L_ENGINE, mine, theirs, err);
        }
        size_t i = 0;
        while (i < p->n_files && i < a->n_files && strcmp(p->files[i], a->files[i]) == 0 &&
               strcmp(p->sha[i], a->sha[i]) == 0)
            i++;
        if (i < p->n_files || i < a->n_files) {
            snprintf(mine, sizeof mine, "file %zu is %.60s with SHA-256 %.12s...", i + 1,
                     i < p->n_files ? p->files[i] : "missing", i < p->n_files ? p->sha[i] : "");
            snprintf(theirs, sizeof theirs, "%.60s with %.12s...", i < a->n_files ? a->files[i] : "none",
                     i < a->n_files ? a->sha[i] : "");
            return mtfs_error_set(err, MTFS_EINPUT, p->path, p->line[L_FILE] + (int)(i < p->n_files ? i : 0),
                                  key_name[L_FILE], "%s, where %s has %s (expected the shards of "
                                  "one run)", mine, a->path, theirs);
        }
        if (p->seed != a->seed) {
            snprintf(mine, sizeof mine, "seed %lu", p->seed);
            snprintf(theirs, sizeof theirs, "seed %lu", a->seed);
            return differs(p, a, L_SEED, mine, theirs, err);
        }
        if (p->paths != a->paths) {
            snprintf(mine, sizeof mine, "%zu paths", p->paths);
            snprintf(theirs, sizeof theirs, "%zu", a->paths);
            return differs(p, a, L_PATHS, mine, theirs, err);
        }
        if (p->shards != a->shards) {
            snprintf(mine, sizeof mine, "shard %zu of %zu", p->shard, p->shards);
            snprintf(theirs, sizeof theirs, "%zu shards", a->shards);
            return differs(p, a, L_SHARD, mine, theirs, err);
        }
        if (p->T != a->T || p->opening != a->opening) {
            snprintf(mine, sizeof mine, "horizon %zu, opening-uncertain %d", p->T, p->opening);
            snprintf(theirs, sizeof theirs, "%zu, %d", a->T, a->opening);
            return differs(p, a, L_HORIZON, mine, theirs, err);
        }
        int same = p->n_thresholds == a->n_thresholds;
        for (size_t j = 0; same && j < p->n_thresholds; j++)
            same = p->thresholds[j] == a->thresholds[j];
        if (!same) {
            snprintf(mine, sizeof mine, "%zu threshold%s", p->n_thresholds, p->n_thresholds == 1 ? "" : "s");
            snprintf(theirs, sizeof theirs, "%zu, or other values", a->n_thresholds);
            return differs(p, a, p->n_thresholds ? L_THRESHOLD : L_ORDER, mine, theirs, err);
        }
    }
    mtfs_mc_partial **sorted = mtfs_malloc(n * sizeof *sorted);
    if (!sorted)
        return mtfs_error_oom(err, NULL);
    memcpy(sorted, parts, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_shard);
    mtfs_status st = MTFS_OK;
    size_t want = 1;
    for (size_t k = 0; k < n && st == MTFS_OK; k++) {
        if (sorted[k]->shard < want)
            st = mtfs_error_set(err, MTFS_EINPUT, sorted[k]->path, sorted[k]->line[L_SHARD],
                                "shard", "shard %zu of %zu is also %s (expected each shard once)",
                                sorted[k]->shard, a->shards, sorted[k - 1]->path);
        else if (sorted[k]->shard > want)
            break;
        else
            want++;
    }
    if (st == MTFS_OK && want <= a->shards)
        st = mtfs_error_set(err, MTFS_EINPUT, a->path, a->line[L_SHARD], "shard",
                            "shard %zu of %zu is missing%s (expected one partial result for each "
                            "of shards 1 to %zu)", want, a->shards,
                            a->shards - n > 1 ? ", and more" : "", a->shards);
    mtfs_free(sorted);
    return st;
}

/* The merge's source of paths: the partials in shard order, read block by
 * block from their files. */
typedef struct {
    mtfs_mc_partial **parts;
    size_t n, at;           /* the partial being read */
    size_t next;            /* the block the open file is at */
    FILE *f;
} merge_source;

static mtfs_status read_values(merge_source *m, void *to, size_t size, size_t count,
                               mtfs_error *err)
{
    if (fread(to, size, count, m->f) == count)
        return MTFS_OK;
    return mtfs_error_set(err, MTFS_EIO, m->parts[m->at]->path, 0, NULL,
                          "cannot read its values (was it changed while merging?)");
}

static mtfs_status source_block(void *context, size_t b, size_t n, double *gap, double *reserves,
                                double *opening, unsigned char *below, unsigned char *exhausted,
                                mtfs_error *err)
{
    merge_source *m = context;
    size_t k = 0;
    while (k < m->n && !(m->parts[k]->block0 <= b && b < m->parts[k]->block_end))
        k++;
    if (k == m->n)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "no partial holds block %zu", b);
    mtfs_mc_partial *p = m->parts[k];
    mtfs_status st = MTFS_OK;
    if (!m->f || m->at != k || m->next != b) {
        if (m->f)
            fclose(m->f);
        m->f = NULL;
        m->at = k;
        unsigned long long size;
        st = mtfs_input_open(p->path, "a partial result of mtfs mc --shard", &m->f, &size, err);
        long offset = p->data_at +
                      (long)((b - p->block0) * MTFS_MC_BLOCK * path_bytes(p->T, p->opening));
        if (st == MTFS_OK && fseek(m->f, offset, SEEK_SET) != 0)
            st = mtfs_error_set(err, MTFS_EIO, p->path, 0, NULL, "cannot read: %s", strerror(errno));
    }
    size_t T = p->T;
    for (size_t t = 1; st == MTFS_OK && t <= T; t++)
        st = read_values(m, gap + (t - 1) * MTFS_MC_BLOCK, sizeof(double), n, err);
    for (size_t t = 1; st == MTFS_OK && t <= T; t++)
        st = read_values(m, reserves + (t - 1) * MTFS_MC_BLOCK, sizeof(double), n, err);
    if (st == MTFS_OK && p->opening)
        st = read_values(m, opening, sizeof(double), n, err);
    if (st == MTFS_OK)
        st = read_values(m, below, 1, n, err);
    if (st == MTFS_OK)
        st = read_values(m, exhausted, 1, n, err);
    for (size_t i = 0; st == MTFS_OK && i < n; i++)
        if (below[i] > T || exhausted[i] > T)
            st = mtfs_error_set(err, MTFS_EINPUT, p->path, p->line[L_DATA], key_name[L_DATA],
                                "path %zu's years are out of range (expected values written by "
                                "mtfs mc --shard)", b * MTFS_MC_BLOCK + i + 1);
    m->next = b + 1;
    return st;
}

mtfs_status mtfs_mc_merge(const mtfs_scenario *s, mtfs_mc_partial *const *parts, size_t n,
                          const mtfs_mc_options *o, mtfs_mc_result **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_status st = mtfs_mc_partials_check(parts, n, err);
    if (st != MTFS_OK)
        return st;
    const mtfs_mc_partial *a = parts[0];
    /* The scenario must be the one the shards read, file for file. */
    size_t files = mtfs_scenario_file_count(s);
    for (size_t i = 0; i < files || i < a->n_files; i++) {
        char hex[65] = "";
        if (i < files && (st = mtfs_sha256_file(mtfs_scenario_file(s, i), hex, err)) != MTFS_OK)
            return st;
        int line = a->line[L_FILE] + (int)(i < a->n_files ? i : a->n_files - 1);
        if (i >= files || i >= a->n_files || strcmp(mtfs_scenario_file(s, i), a->files[i]) != 0)
            return mtfs_error_set(err, MTFS_EINPUT, a->path, line, key_name[L_FILE],
                                  "%s now reads %s as its file %zu, where the shards read %s "
                                  "(expected the files the shards read)", a->files[0],
                                  i < files ? mtfs_scenario_file(s, i) : "nothing", i + 1,
                                  i < a->n_files ? a->files[i] : "nothing");
        if (strcmp(hex, a->sha[i]) != 0)
            return mtfs_error_set(err, MTFS_EINPUT, a->path, line, key_name[L_FILE],
                                  "%s has changed since the shards ran (expected SHA-256 %.12s..., "
                                  "found %.12s...)", a->files[i], a->sha[i], hex);
    }
    mtfs_mc_options opt;
    memset(&opt, 0, sizeof opt);
    static const double none = 0.0;
    opt.paths = a->paths;
    opt.seed_given = 1;
    opt.seed = a->seed;
    opt.threads = o ? o->threads : 1;
    opt.thresholds = a->n_thresholds ? a->thresholds : &none;
    opt.n_thresholds = a->n_thresholds;
    opt.max_memory = o ? o->max_memory : 0;
    opt.streaming = o ? o->streaming : 0;
    merge_source m = {NULL, 0, 0, 0, NULL};
    m.parts = mtfs_malloc(n * sizeof *m.parts);
    if (!m.parts)
        return mtfs_error_oom(err, NULL);
    memcpy(m.parts, parts, n * sizeof *m.parts);
    qsort(m.parts, n, sizeof *m.parts, by_shard);
    m.n = n;
    m.at = n;
    st = mc_run_source(s, &opt, source_block, &m, out, err);
    if (m.f)
        fclose(m.f);
    mtfs_free(m.parts);
    return st;
}
