/*
 * sweep.c - the national sweep (see mtfs/sweep.h): formulas x weight
 * variants x authorities, the change against the status quo and its
 * spread over random weights; threads, shards and their merge.
 *
 * An item's weight draws come from a generator seeded from the run's seed
 * and the item's formula, variant and path alone (SplitMix64), so the
 * numbers never depend on which thread or shard computed the item.
 */
#include "mtfs/sweep.h"
#include "mtfs/formula.h"
#include "mtfs/input.h"
#include "mtfs/sha256.h"
#include "mtfs/version.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PARTIAL_MAGIC "mtfs-sweep-partial 1"

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A uniform draw on [-1, 1) with 53 random bits. */
static double uniform_pm1(uint64_t *state)
{
    return 2.0 * ((double)(splitmix64(state) >> 11) * 0x1.0p-53) - 1.0;
}

/* The generator of one path of one item: the seed, formula, variant and
 * path each mixed in once. */
static uint64_t path_state(unsigned long seed, size_t formula, size_t variant, size_t path)
{
    uint64_t s = (uint64_t)seed;
    uint64_t h = splitmix64(&s);
    s = h ^ ((uint64_t)formula << 48) ^ ((uint64_t)variant << 24);
    h = splitmix64(&s);
    s = h ^ (uint64_t)path;
    return splitmix64(&s);
}

static void formula_free(mtfs_sweep_formula *f)
{
    mtfs_free(f->file);
    mtfs_free(f->stem);
    mtfs_free(f->name);
    if (f->block_names)
        for (size_t b = 0; b < f->n_blocks; b++)
            mtfs_free(f->block_names[b]);
    mtfs_free(f->block_names);
    mtfs_free(f->weights);
}

void mtfs_sweep_free(mtfs_sweep *s)
{
    if (!s)
        return;
    for (size_t f = 0; f < s->n_formulas; f++)
        formula_free(&s->formulas[f]);
    mtfs_free(s->formulas);
    for (size_t i = 0; i < s->n_items; i++)
        mtfs_free(s->items[i].weights);
    mtfs_free(s->items);
    for (size_t r = 0; r < s->n_rows; r++) {
        if (s->code)
            mtfs_free(s->code[r]);
        if (s->label)
            mtfs_free(s->label[r]);
    }
    mtfs_free(s->code);
    mtfs_free(s->label);
    mtfs_free(s->population);
    mtfs_free(s->done);
    mtfs_free(s);
}

/* "formulas/ffr_like.cfg" -> "ffr_like" */
static char *stem_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0)
        len -= 4;
    char *out = mtfs_malloc(len + 1);
    if (out) {
        memcpy(out, base, len);
        out[len] = '\0';
    }
    return out;
}

static mtfs_status check_options(const mtfs_sweep_options *o, mtfs_error *err)
{
    if (o->steps == 1 || o->steps > MTFS_SWEEP_STEPS_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "--steps %zu is not 0 or a whole number from 2 to %d", o->steps,
                              MTFS_SWEEP_STEPS_MAX);
    if (!(o->spread >= 0.0 && o->spread < 1.0))
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "--spread %g is not a share from 0 to below 1", o->spread);
    if (o->paths < 1 || o->paths > MTFS_SWEEP_PATHS_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "--paths %zu is not a whole number from 1 to %d", o->paths,
                              MTFS_SWEEP_PATHS_MAX);
    if (o->threads < 1 || o->threads > 64)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "--threads %zu is not a whole number from 1 to 64", o->threads);
    return MTFS_OK;
}

/* The grid's weights for block b of formula f at factor k: c_b k (at most
 * 1), the other blocks scaled by (1 - c_b k) / (1 - c_b). */
static void grid_weights(const mtfs_sweep_formula *f, size_t b, double k, double *w)
{
    double wb = fmin(1.0, f->weights[b] * k), rest = 1.0 - f->weights[b];
    for (size_t j = 0; j < f->n_blocks; j++)
        w[j] = j == b ? wb : f->weights[j] * (1.0 - wb) / rest;
}

mtfs_status mtfs_sweep_new(const char *const *files, size_t n_files, const mtfs_sweep_options *options,
                           mtfs_sweep **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_status st = check_options(options, err);
    if (st != MTFS_OK)
        return st;
    if (n_files == 0)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "no formula to sweep (expected "
                              "one or more formula files)");
    mtfs_sweep *s = mtfs_calloc(1, sizeof *s);
    if (!s)
        return mtfs_error_oom(err, NULL);
    s->options = *options;
    s->formulas = mtfs_calloc(n_files, sizeof *s->formulas);
    mtfs_formula_result **runs = mtfs_calloc(n_files, sizeof *runs);
    if (!s->formulas || !runs) {
        mtfs_free(runs);
        mtfs_sweep_free(s);
        return mtfs_error_oom(err, NULL);
    }
    s->n_formulas = n_files;
    /* Load every formula; count the items and rows. */
    size_t items = 0, rows = 0;
    for (size_t f = 0; f < n_files && st == MTFS_OK; f++) {
        mtfs_sweep_formula *sf = &s->formulas[f];
        if ((st = mtfs_formula_run(files[f], &runs[f], err)) != MTFS_OK)
            break;
        const mtfs_formula_result *r = runs[f];
        sf->file = mtfs_strdup(files[f]);
        sf->stem = stem_of(files[f]);
        sf->name = mtfs_strdup(r->name);
        sf->n_blocks = r->n_blocks;
        sf->block_names = mtfs_calloc(r->n_blocks, sizeof *sf->block_names);
        sf->weights = mtfs_calloc(r->n_blocks, sizeof *sf->weights);
        if (!sf->file || !sf->stem || !sf->name || !sf->block_names || !sf->weights) {
            st = mtfs_error_oom(err, NULL);
            break;
        }
        for (size_t b = 0; b < r->n_blocks && st == MTFS_OK; b++) {
            char key[32];
            snprintf(key, sizeof key, "blocks[%zu]", b + 1);
            sf->weights[b] = r->block_weight[b];
            if (!(sf->block_names[b] = mtfs_strdup(key)))
                st = mtfs_error_oom(err, NULL);
        }
        /* A block can move when the others can make room: its weight is
         * below 1 and above 0. */
        size_t variants = 1;
        for (size_t b = 0; b < r->n_blocks; b++)
            if (sf->weights[b] > 0.0 && sf->weights[b] < 1.0)
                variants += options->steps;
        items += variants;
        rows += variants * r->n;
    }
    if (st == MTFS_OK) {
        s->items = mtfs_calloc(items ? items : 1, sizeof *s->items);
        s->code = mtfs_calloc(rows ? rows : 1, sizeof *s->code);
        s->label = mtfs_calloc(rows ? rows : 1, sizeof *s->label);
        s->population = mtfs_calloc(6 * (rows ? rows : 1), sizeof *s->population);
        s->done = mtfs_calloc(items ? items : 1, 1);
        if (!s->items || !s->code || !s->label || !s->population || !s->done)
            st = mtfs_error_oom(err, NULL);
        else {
            s->now = s->population + rows;
            s->under = s->population + 2 * rows;
            s->p10 = s->population + 3 * rows;
            s->p50 = s->population + 4 * rows;
            s->p90 = s->population + 5 * rows;
        }
    }
    /* Lay out the items, each with its weights, and their rows. */
    size_t row = 0;
    for (size_t f = 0; f < n_files && st == MTFS_OK; f++) {
        const mtfs_formula_result *r = runs[f];
        const mtfs_sweep_formula *sf = &s->formulas[f];
        size_t variant = 0;
        for (size_t b = (size_t)-1; st == MTFS_OK && (b == (size_t)-1 || b < sf->n_blocks); b++) {
            size_t points = b == (size_t)-1 ? 1 : sf->weights[b] > 0.0 && sf->weights[b] < 1.0 ? options->steps : 0;
            for (size_t j = 0; j < points && st == MTFS_OK; j++) {
                mtfs_sweep_item *it = &s->items[s->n_items];
                it->formula = f;
                it->variant = variant++;
                it->block = b;
                it->factor = b == (size_t)-1 ? 1.0
                             : 1.0 - options->spread + 2.0 * options->spread * (double)j / (double)(points - 1);
                if (!(it->weights = mtfs_calloc(sf->n_blocks, sizeof *it->weights))) {
                    st = mtfs_error_oom(err, NULL);
                    break;
                }
                s->n_items++;
                if (b == (size_t)-1)
                    memcpy(it->weights, sf->weights, sf->n_blocks * sizeof *it->weights);
                else
                    grid_weights(sf, b, it->factor, it->weights);
                it->first_row = row;
                it->n_rows = r->n;
                for (size_t i = 0; i < r->n && st == MTFS_OK; i++, row++) {
                    s->code[row] = mtfs_strdup(r->code[i]);
                    s->label[row] = mtfs_strdup(r->label[i]);
                    s->population[row] = r->population[i];
                    s->now[row] = r->baseline[i];
                    s->n_rows = row + 1;
                    if (!s->code[row] || !s->label[row])
                        st = mtfs_error_oom(err, NULL);
                }
            }
        }
    }
    for (size_t f = 0; f < n_files; f++)
        mtfs_formula_result_free(runs[f]);
    mtfs_free(runs);
    if (st != MTFS_OK) {
        mtfs_sweep_free(s);
        return st;
    }
    *out = s;
    return MTFS_OK;
}

void mtfs_sweep_shard_range(const mtfs_sweep *s, size_t k, size_t n, size_t *first, size_t *end)
{
    *first = (size_t)((unsigned long long)(k - 1) * s->n_items / n);
    *end = (size_t)((unsigned long long)k * s->n_items / n);
}

/* ------------------------------------------------------------------ */
/* Computing items                                                     */

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Percentile p of sorted[0..n): linear between the order statistics at
 * h = (n - 1) p (docs/model.md section 9's rule). */
static double percentile(const double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (h - (double)lo) * (sorted[hi] - sorted[lo]);
}

typedef struct {
    mtfs_sweep *s;
    const char *const *files;
    size_t first, end;
    atomic_size_t next;
    mtfs_status *status;     /* [n_items]: each item's outcome */
    mtfs_error *errors;      /* [n_items] */
} work;

/* One item: the formula at the item's weights, then `paths` draws
 * c_b (1 + spread u_b), u_b uniform on [-1, 1], normalised to sum 1.
 * runs[f] is this thread's own copy of formula f (reweighted in place);
 * draws is scratch of paths x authorities. */
static mtfs_status compute_item(mtfs_sweep *s, size_t item, mtfs_formula_result *r, double *draws,
                                double *w, mtfs_error *err)
{
    const mtfs_sweep_item *it = &s->items[item];
    const size_t n = it->n_rows, paths = s->options.paths, blocks = r->n_blocks;
    mtfs_status st = mtfs_formula_reweight(r, it->weights, err);
    for (size_t i = 0; i < n && st == MTFS_OK; i++)
        s->under[it->first_row + i] = r->final[i];
    for (size_t p = 0; p < paths && st == MTFS_OK; p++) {
        uint64_t state = path_state(s->options.seed, it->formula, it->variant, p);
        double sum = 0.0;
        for (size_t b = 0; b < blocks; b++) {
            w[b] = it->weights[b] * (1.0 + s->options.spread * uniform_pm1(&state));
            sum += w[b];
        }
        for (size_t b = 0; b < blocks; b++)
            w[b] /= sum;
        if ((st = mtfs_formula_reweight(r, w, err)) != MTFS_OK)
            break;
        for (size_t i = 0; i < n; i++)
            draws[i * paths + p] = r->final[i] - r->baseline[i];
    }
    for (size_t i = 0; i < n && st == MTFS_OK; i++) {
        double *d = draws + i * paths;
        qsort(d, paths, sizeof *d, by_value);
        s->p10[it->first_row + i] = percentile(d, paths, 0.10);
        s->p50[it->first_row + i] = percentile(d, paths, 0.50);
        s->p90[it->first_row + i] = percentile(d, paths, 0.90);
    }
    if (st != MTFS_OK) {
        char msg[MTFS_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", err->message);
        st = mtfs_error_set(err, st, s->formulas[it->formula].file, 0, NULL,
                            "weight variant %zu: %s (expected a smaller --spread)", it->variant, msg);
    }
    return st;
}

static void *worker(void *arg)
{
    work *wk = arg;
    mtfs_sweep *s = wk->s;
    mtfs_formula_result **runs = mtfs_calloc(s->n_formulas, sizeof *runs);
    size_t most = 1, blocks = 1;
    for (size_t i = wk->first; i < wk->end; i++)
        if (s->items[i].n_rows > most)
            most = s->items[i].n_rows;
    for (size_t f = 0; f < s->n_formulas; f++)
        if (s->formulas[f].n_blocks > blocks)
            blocks = s->formulas[f].n_blocks;
    double *draws = mtfs_calloc(most * s->options.paths, sizeof *draws);
    double *w = mtfs_calloc(blocks, sizeof *w);
    for (;;) {
        size_t i = atomic_fetch_add(&wk->next, 1);
        if (i >= wk->end)
            break;
        size_t f = s->items[i].formula;
        mtfs_error *err = &wk->errors[i];
        mtfs_status st = MTFS_OK;
        if (!runs || !draws || !w)
            st = mtfs_error_oom(err, NULL);
        else if (!runs[f])
            st = mtfs_formula_run(s->formulas[f].file, &runs[f], err);
        if (st == MTFS_OK)
            st = compute_item(s, i, runs[f], draws, w, err);
        wk->status[i] = st;
    }
    if (runs)
        for (size_t f = 0; f < s->n_formulas; f++)
            mtfs_formula_result_free(runs[f]);
    mtfs_free(runs);
    mtfs_free(draws);
    mtfs_free(w);
    return NULL;
}

mtfs_status mtfs_sweep_compute(mtfs_sweep *s, size_t first, size_t end, mtfs_error *err)
{
    if (end > s->n_items || first > end)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "items %zu to %zu are not in the "
                              "sweep's %zu", first, end, s->n_items);
    s->first_item = first;
    s->end_item = end;
    size_t count = end - first;
    work wk = {s, NULL, first, end, 0, NULL, NULL};
    atomic_init(&wk.next, first);
    wk.status = mtfs_calloc(s->n_items ? s->n_items : 1, sizeof *wk.status);
    wk.errors = mtfs_calloc(s->n_items ? s->n_items : 1, sizeof *wk.errors);
    if (!wk.status || !wk.errors) {
        mtfs_free(wk.status);
        mtfs_free(wk.errors);
        return mtfs_error_oom(err, NULL);
    }
    size_t threads = s->options.threads < count ? s->options.threads : count;
    pthread_t tid[64];
    int started[64] = {0};
    for (size_t t = 1; t < threads; t++)
        started[t] = pthread_create(&tid[t], NULL, worker, &wk) == 0;
    worker(&wk);
    for (size_t t = 1; t < threads; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    /* The first failing item in order: the same message whatever the
     * thread that met it. */
    mtfs_status st = MTFS_OK;
    for (size_t i = first; i < end && st == MTFS_OK; i++)
        if (wk.status[i] != MTFS_OK) {
            *err = wk.errors[i];
            st = wk.status[i];
        } else
            s->done[i] = 1;
    mtfs_free(wk.status);
    mtfs_free(wk.errors);
    return st;
}

/* ------------------------------------------------------------------ */
/* Partial results and their merge                                     */

mtfs_status mtfs_sweep_partial_write(FILE *out, const mtfs_sweep *s, size_t k, size_t n, mtfs_error *err)
{
    const mtfs_sweep_options *o = &s->options;
    fprintf(out, "%s\nengine %s\nseed %lu\npaths %zu\nsteps %zu\nspread %.17g\nshard %zu %zu\n"
            "items %zu %zu %zu\n", PARTIAL_MAGIC, mtfs_version(), o->seed, o->paths, o->steps,
            o->spread, k, n, s->n_items, s->first_item, s->end_item);
    for (size_t f = 0; f < s->n_formulas; f++) {
        char hex[65];
        mtfs_status st = mtfs_sha256_file(s->formulas[f].file, hex, err);
        if (st != MTFS_OK)
            return st;
        fprintf(out, "formula %s %s\n", hex, s->formulas[f].file);
    }
    for (size_t i = s->first_item; i < s->end_item; i++) {
        const mtfs_sweep_item *it = &s->items[i];
        for (size_t r = it->first_row; r < it->first_row + it->n_rows; r++)
            fprintf(out, "%zu %a %a %a %a\n", r, s->under[r], s->p10[r], s->p50[r], s->p90[r]);
    }
    fputs("end\n", out);
    return ferror(out) ? mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write the partial "
                                        "result") : MTFS_OK;
}

/* The header of a partial: what it must agree on with the others. */
typedef struct {
    char engine[64];
    mtfs_sweep_options o;
    size_t k, n, items, first, end;
    size_t n_formulas;
    char **files;
    char (*sha)[65];
} partial_head;

static void head_free(partial_head *h)
{
    for (size_t f = 0; f < h->n_formulas; f++)
        mtfs_free(h->files[f]);
    mtfs_free(h->files);
    mtfs_free(h->sha);
    memset(h, 0, sizeof *h);
}

static mtfs_status bad_partial(const char *path, size_t line, const char *what, mtfs_error *err)
{
    return mtfs_error_set(err, MTFS_EINPUT, path, (int)line, NULL, "%s (expected a partial result "
                          "written by mtfs sweep --shard)", what);
}

/* Parse partial `text` of `path`: its head, then (when s is given) its
 * rows into s. */
static mtfs_status read_partial(const char *path, char *text, partial_head *h, mtfs_sweep *s,
                                mtfs_error *err)
{
    size_t line = 0;
    char *save = NULL, *l = strtok_r(text, "\n", &save);
    line++;
    if (!l || strcmp(l, PARTIAL_MAGIC) != 0)
        return bad_partial(path, 1, "not a sweep partial result", err);
    unsigned long seed;
    int ok = (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "engine %63s", h->engine) == 1 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "seed %lu", &seed) == 1 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "paths %zu", &h->o.paths) == 1 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "steps %zu", &h->o.steps) == 1 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "spread %lf", &h->o.spread) == 1 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line && sscanf(l, "shard %zu %zu", &h->k, &h->n) == 2 &&
             (l = strtok_r(NULL, "\n", &save)) && ++line &&
             sscanf(l, "items %zu %zu %zu", &h->items, &h->first, &h->end) == 3;
    if (!ok)
        return bad_partial(path, line, "a damaged header", err);
    h->o.seed = seed;
    if (h->k < 1 || h->k > h->n || h->first > h->end || h->end > h->items)
        return bad_partial(path, line, "a shard or item range that cannot be", err);
    for (;;) {
        l = strtok_r(NULL, "\n", &save);
        line++;
        if (!l)
            return bad_partial(path, line, "it ends early", err);
        if (strncmp(l, "formula ", 8) != 0)
            break;
        char **files = mtfs_realloc(h->files, (h->n_formulas + 1) * sizeof *files);
        if (files)
            h->files = files;
        char (*sha)[65] = files ? mtfs_realloc(h->sha, (h->n_formulas + 1) * sizeof *sha) : NULL;
        if (sha)
            h->sha = sha;
        if (!files || !sha)
            return mtfs_error_oom(err, NULL);
        if (strlen(l) < 8 + 65 || l[8 + 64] != ' ')
            return bad_partial(path, line, "a damaged formula line", err);
        memcpy(h->sha[h->n_formulas], l + 8, 64);
        h->sha[h->n_formulas][64] = '\0';
        if (!(h->files[h->n_formulas] = mtfs_strdup(l + 8 + 65)))
            return mtfs_error_oom(err, NULL);
        h->n_formulas++;
    }
    if (!s)
        return MTFS_OK;
    size_t first_row = h->first < h->end ? s->items[h->first].first_row : 0;
    size_t end_row = h->first < h->end ? s->items[h->end - 1].first_row + s->items[h->end - 1].n_rows : 0;
    for (size_t want = first_row; want < end_row; want++) {
        size_t r;
        double v[4];
        if (!l || sscanf(l, "%zu %la %la %la %la", &r, &v[0], &v[1], &v[2], &v[3]) != 5 || r != want ||
            !isfinite(v[0]) || !isfinite(v[1]) || !isfinite(v[2]) || !isfinite(v[3]))
            return bad_partial(path, line, "a missing or damaged row", err);
        s->under[r] = v[0];
        s->p10[r] = v[1];
        s->p50[r] = v[2];
        s->p90[r] = v[3];
        l = strtok_r(NULL, "\n", &save);
        line++;
    }
    if (!l || strcmp(l, "end") != 0)
        return bad_partial(path, line, "rows beyond its items, or no end line", err);
    return MTFS_OK;
}

mtfs_status mtfs_sweep_merge(const char *const *paths, size_t n, size_t threads, mtfs_sweep **out,
                             mtfs_error *err)
{
    *out = NULL;
    mtfs_sweep *s = NULL;
    partial_head first = {0};
    mtfs_status st = MTFS_OK;
    size_t *seen = NULL;
    for (size_t p = 0; p < n && st == MTFS_OK; p++) {
        char *text = NULL;
        size_t len;
        partial_head h = {0};
        if ((st = mtfs_input_read(paths[p], "a sweep partial result", NULL, &text, &len, err)) == MTFS_OK)
            st = read_partial(paths[p], text, &h, NULL, err);
        if (st == MTFS_OK && p == 0) {
            first = h;
            memset(&h, 0, sizeof h);
            first.o.threads = threads;
            if (strcmp(first.engine, mtfs_version()) != 0)
                st = mtfs_error_set(err, MTFS_EINPUT, paths[p], 1, NULL, "written by mtfs %s, not "
                                    "this mtfs %s (expected shards of this version)", first.engine,
                                    mtfs_version());
            for (size_t f = 0; f < first.n_formulas && st == MTFS_OK; f++) {
                char hex[65];
                if ((st = mtfs_sha256_file(first.files[f], hex, err)) == MTFS_OK && strcmp(hex, first.sha[f]) != 0)
                    st = mtfs_error_set(err, MTFS_EINPUT, first.files[f], 0, NULL, "changed since "
                                        "the shards ran (expected the formula they computed: "
                                        "SHA-256 %.12s...)", first.sha[f]);
            }
            if (st == MTFS_OK)
                st = mtfs_sweep_new((const char *const *)first.files, first.n_formulas, &first.o, &s, err);
            if (st == MTFS_OK && s->n_items != first.items)
                st = bad_partial(paths[p], 8, "a different number of items than its formulas give", err);
            if (st == MTFS_OK && !(seen = mtfs_calloc(first.n + 1, sizeof *seen)))
                st = mtfs_error_oom(err, NULL);
        } else if (st == MTFS_OK) {
            int same = strcmp(h.engine, first.engine) == 0 && h.o.seed == first.o.seed &&
                       h.o.paths == first.o.paths && h.o.steps == first.o.steps &&
                       h.o.spread == first.o.spread && h.n == first.n && h.items == first.items &&
                       h.n_formulas == first.n_formulas;
            for (size_t f = 0; same && f < h.n_formulas; f++)
                same = strcmp(h.files[f], first.files[f]) == 0 && strcmp(h.sha[f], first.sha[f]) == 0;
            if (!same)
                st = mtfs_error_set(err, MTFS_EINPUT, paths[p], 0, NULL, "is a shard of another "
                                    "sweep than %s (expected the same formulas, seed, paths, steps, "
                                    "spread and shard count)", paths[0]);
        }
        const partial_head *use = p == 0 ? &first : &h;
        if (st == MTFS_OK) {
            size_t a, b;
            mtfs_sweep_shard_range(s, use->k, use->n, &a, &b);
            if (a != use->first || b != use->end)
                st = bad_partial(paths[p], 8, "items that are not its shard's", err);
            else if (seen[use->k]++)
                st = mtfs_error_set(err, MTFS_EINPUT, paths[p], 0, NULL, "shard %zu of %zu is given "
                                    "twice (expected each shard once)", use->k, use->n);
        }
        if (st == MTFS_OK) {
            /* The text was cut by the first reading: read it again. */
            free(text);
            text = NULL;
            partial_head again = {0};
            if ((st = mtfs_input_read(paths[p], "a sweep partial result", NULL, &text, &len, err)) == MTFS_OK)
                st = read_partial(paths[p], text, &again, s, err);
            head_free(&again);
            for (size_t i = use->first; i < use->end && st == MTFS_OK; i++)
                s->done[i] = 1;
        }
        free(text);
        head_free(&h);
    }
    for (size_t k = 1; st == MTFS_OK && k <= first.n; k++)
        if (!seen[k])
            st = mtfs_error_set(err, MTFS_EINPUT, paths[0], 0, NULL, "shard %zu of %zu is missing "
                                "(expected every shard 1 to %zu once)", k, first.n, first.n);
    mtfs_free(seen);
    head_free(&first);
    if (st != MTFS_OK) {
        mtfs_sweep_free(s);
        return st;
    }
    s->first_item = 0;
    s->end_item = s->n_items;
    *out = s;
    return MTFS_OK;
}
