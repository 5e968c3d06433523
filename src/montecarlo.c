/*
 * montecarlo.c - seeded, thread-count-independent Monte Carlo (see
 * mtfs/montecarlo.h and docs/uncertainty.md).
 *
 * For each path and year every uncertain input k gets a standard normal
 * z_k(t): innovations are drawn independently, correlated through the
 * Cholesky factor of the correlation matrix, and carried from year to year
 * by AR(1), z_k(t) = rho_k z_k(t-1) + sqrt(1 - rho_k^2) e_k(t), so each
 * z_k(t) stays standard normal.  z is then mapped to the input's own
 * distribution (dist.h) and applied to the deterministic value.
 *
 * Reproducibility: paths come in fixed blocks; a block's generator is
 * seeded from (seed, block index) only, and every path writes its own
 * slots.  Which thread runs a block therefore cannot change any number.
 * Everything a thread needs is allocated before its loop starts.
 */
#include "mtfs/montecarlo.h"
#include "dist.h"
#include "mc_stats.h"
#include "mc_source.h"
#include "scenario_int.h"
#include "util.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

const double mtfs_mc_percentile_levels[MTFS_MC_NPCT] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

typedef struct {
    const mtfs_scenario *s;
    size_t n;                /* uncertain inputs */
    size_t T;
    size_t paths;
    size_t n_blocks;
    /* The blocks this run computes, [block0, block_end) (every block but in
     * a shard), and the paths it holds: path0 .. path0 + held - 1. */
    size_t block0, block_end, path0, held;
    unsigned long seed;
    size_t threads;
    const double *chol;      /* n x n lower triangle, or NULL: independent */
    const size_t *chol_from; /* per row: first column with a non-zero entry */
    const size_t *mixed;     /* the rows that mix other innovations in */
    size_t n_mixed;
    double **tables;         /* per input: z-table, or NULL when exact */
    const double *central;   /* n x (T + 1): the deterministic values */
    const double *shrink;    /* per input: sqrt(1 - rho^2) */
    /* Results by year index t = 1..T: [(t - 1) * paths + path].  The
     * cumulative gap is not kept: it is the running sum of positive gaps,
     * rebuilt year by year when its percentiles are taken. */
    double *gap;
    double *reserves;
    /* [path]: reserves at the end of year 0, kept only when the opening
     * reserves are uncertain (else NULL: every path opens with the plan's). */
    double *opening;
    int has_opening;
    /* Per path, year indices (0 = none): the first year below the minimum
     * ([path]) and the first year below zero ([paths + path]), one
     * allocation of 2 * paths bytes. */
    unsigned char *below;
    unsigned char *exhausted;
    /* Streaming: no path's results are kept; each block goes to the
     * summary, which asks for the paths again until it is complete. */
    mc_stream *stream;
    atomic_size_t done;
    atomic_size_t next_year;  /* percentile jobs: the next gap/reserves year to take */
    void (*progress)(void *, size_t, size_t);
    void *progress_context;
    int draw_only;           /* benchmark floor: draws and nothing else */
    /* Paths read rather than computed (mtfs merge): block by block, in
     * order, on the calling thread. */
    mc_source_fn source;
    void *source_context;
    double sink;             /* draw_only: sum of draws, per thread summed below */
} shared;

typedef struct {
    shared *sh;
    size_t id;
    mtfs_status status;
    mtfs_error err;
    double sink;
} worker;

/* What the path loop needs of one input, together in one place. */
typedef struct {
    const mtfs_uncertain *u;
    const double *table;     /* z-table, or NULL when the map is exact */
    const double *central;   /* deterministic values, [t] (series) or [0] */
    double *target;          /* the input in the thread's scenario copy */
    const double *innovation;/* its innovation in year t: innovation[(t - 1) stride] */
    size_t stride;
    double rho, shrink;
    int series;
} hot_input;

/* SplitMix64: a block's seed from the run's seed and the block index. */
static unsigned long block_seed(unsigned long seed, size_t block)
{
    uint64_t z = (uint64_t)seed + 0x9E3779B97F4A7C15ull * ((uint64_t)block + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    /* taus2 uses 32 bits of its seed and treats 0 as "default". */
    return (unsigned long)((z & 0xFFFFFFFFu) | 1u);
}

/* The innovations of correlated inputs, e = L eps, for every year of a
 * path: mix[m T + t - 1] for the m-th mixed row.  A row with nothing
 * before its diagonal and a diagonal of exactly 1 is the identity: only
 * the rows of correlated inputs need the product. */
static void mix_innovations(const shared *sh, const double *draws, double *mix)
{
    const size_t n = sh->n, T = sh->T;
    for (size_t m = 0; m < sh->n_mixed; m++) {
        size_t i = sh->mixed[m];
        const double *row = sh->chol + i * n;
        for (size_t t = 1; t <= T; t++) {
            const double *eps = draws + (t - 1) * n;
            double sum = 0.0;
            for (size_t j = sh->chol_from[i]; j <= i; j++)
                sum += row[j] * eps[j];
            mix[m * T + t - 1] = sum;
        }
    }
}

/* One input of one path: z by AR(1) from its innovations, mapped to the
 * input's distribution and applied to its deterministic value, every year
 * of a series, year 1 only of a single value.  Input by input, the
 * branches on its kind go the same way every year, and z stays in a
 * register. */
static void path_input(const hot_input *h, size_t T)
{
    const mtfs_uncertain *u = h->u;
    const double *e = h->innovation;
    double z = e[0];
    if (!h->series) {
        *h->target = mtfs_uncertain_apply(u, h->central[0], mtfs_dist_from_z(u, h->table, z));
        return;
    }
    h->target[1] = mtfs_uncertain_apply(u, h->central[1], mtfs_dist_from_z(u, h->table, z));
    for (size_t t = 2; t <= T; t++) {
        z = h->rho * z + h->shrink * e[(t - 1) * h->stride];
        h->target[t] = mtfs_uncertain_apply(u, h->central[t], mtfs_dist_from_z(u, h->table, z));
    }
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const size_t n = sh->n, T = sh->T;
    mtfs_scenario *c = NULL;
    mtfs_projection *p = NULL;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    /* A path's draws (year by year, input by input, as generated), the
     * correlated rows' innovations, and the block's results. */
    double *draws = mtfs_calloc(T * n + T * sh->n_mixed + 2 * T * MTFS_MC_BLOCK, sizeof *draws);
    hot_input *in = mtfs_calloc(n ? n : 1, sizeof *in);
    unsigned char *years = sh->stream ? mtfs_calloc(2, MTFS_MC_BLOCK) : NULL;
    double *open_block = sh->stream && sh->has_opening ? mtfs_calloc(MTFS_MC_BLOCK, sizeof *open_block)
                                                      : NULL;
    w->status = MTFS_OK;
    if (!r || !draws || !in || (sh->stream && !years) || (sh->stream && sh->has_opening && !open_block))
        w->status = mtfs_error_oom(&w->err, NULL);
    double *mix = draws ? draws + T * n : NULL, *out = mix ? mix + T * sh->n_mixed : NULL;
    if (w->status == MTFS_OK && !sh->draw_only) {
        w->status = mtfs_scenario_clone(sh->s, &c, &w->err);
        if (w->status == MTFS_OK && !(p = mtfs_projection_alloc(c)))
            w->status = mtfs_error_oom(&w->err, NULL);
        for (size_t k = 0; w->status == MTFS_OK && k < n; k++) {
            const mtfs_uncertain *u = &c->uncertain[k];
            in[k] = (hot_input){u, sh->tables[k], sh->central + k * (T + 1),
                                mtfs_target_values(c, u), draws + k, n, u->rho, sh->shrink[k],
                                u->series};
        }
        for (size_t m = 0; m < sh->n_mixed; m++) {
            in[sh->mixed[m]].innovation = mix + m * T;
            in[sh->mixed[m]].stride = 1;
        }
    }
    double sink = 0.0;
    for (size_t b = sh->block0 + w->id; w->status == MTFS_OK && b < sh->block_end; b += sh->threads) {
        gsl_rng_set(r, block_seed(sh->seed, b));
        size_t first = b * MTFS_MC_BLOCK;
        size_t last = first + MTFS_MC_BLOCK < sh->paths ? first + MTFS_MC_BLOCK : sh->paths;
        for (size_t path = first; path < last && w->status == MTFS_OK; path++) {
            /* All of a path's draws first, then the arithmetic in loops
             * with no calls in them. */
            for (size_t i = 0; i < T * n; i++)
                draws[i] = gsl_ran_gaussian_ziggurat(r, 1.0);
            if (sh->draw_only) {
                for (size_t i = 0; i < T * n; i++)
                    sink += draws[i];
                continue;
            }
            mix_innovations(sh, draws, mix);
            for (size_t k = 0; k < n; k++)
                path_input(&in[k], T);
            w->status = mtfs_project_totals(c, p, &w->err);
            for (size_t t = 1; t <= T; t++) {
                size_t at = (t - 1) * MTFS_MC_BLOCK + (path - first);
                out[at] = p->gap[t];
                out[T * MTFS_MC_BLOCK + at] = p->reserves[t];
            }
            if (sh->has_opening)
                *(open_block ? open_block + (path - first) : sh->opening + path - sh->path0) = p->reserves[0];
            unsigned char *below = years ? years + (path - first) : sh->below + path - sh->path0;
            unsigned char *exhausted = years ? years + MTFS_MC_BLOCK + (path - first)
                                             : sh->exhausted + path - sh->path0;
            *below = (unsigned char)p->below_minimum_index;
            *exhausted = (unsigned char)p->exhausted_index;
        }
        if (sh->stream && w->status == MTFS_OK) {
            mc_block block = {last - first, out, out + T * MTFS_MC_BLOCK, open_block, years,
                              years + MTFS_MC_BLOCK};
            mc_stream_consume(sh->stream, w->id, &block);
        }
        /* The block's results went to a buffer that stays in cache; copy
         * them out a year at a time, in runs of contiguous memory. */
        for (size_t t = 1; sh->gap && w->status == MTFS_OK && t <= T; t++) {
            size_t at = (t - 1) * sh->held + first - sh->path0, from = (t - 1) * MTFS_MC_BLOCK;
            memcpy(sh->gap + at, out + from, (last - first) * sizeof *out);
            memcpy(sh->reserves + at, out + T * MTFS_MC_BLOCK + from, (last - first) * sizeof *out);
        }
        size_t done = atomic_fetch_add(&sh->done, last - first) + (last - first);
        if (w->id == 0 && sh->progress)
            sh->progress(sh->progress_context, done, sh->held);
    }
    w->sink = sink;
    gsl_rng_free(r);
    mtfs_free(draws);
    mtfs_free(years);
    mtfs_free(open_block);
    mtfs_free(in);
    mtfs_projection_free(p);
    mtfs_scenario_free(c);
    return NULL;
}

/* Run the workers of sh on `threads` threads (the calling thread is one). */
/* The paths of every block from sh->source, in block order, each block
 * going where a computed one would: to the streaming summary or to the
 * arrays of every path. */
static mtfs_status run_source(shared *sh, mtfs_error *err)
{
    const size_t T = sh->T, B = MTFS_MC_BLOCK;
    double *out = mtfs_malloc((2 * T + 1) * B * sizeof *out);
    unsigned char *years = mtfs_malloc(2 * B);
    mtfs_status st = out && years ? MTFS_OK : mtfs_error_oom(err, NULL);
    for (size_t b = 0; st == MTFS_OK && b < sh->n_blocks; b++) {
        size_t first = b * B, n = first + B < sh->paths ? B : sh->paths - first;
        double *opening = sh->has_opening ? out + 2 * T * B : NULL;
        st = sh->source(sh->source_context, b, n, out, out + T * B, opening, years, years + B, err);
        if (st != MTFS_OK)
            break;
        if (sh->stream) {
            mc_block block = {n, out, out + T * B, opening, years, years + B};
            mc_stream_consume(sh->stream, 0, &block);
            continue;
        }
        for (size_t t = 1; t <= T; t++) {
            memcpy(sh->gap + (t - 1) * sh->held + first, out + (t - 1) * B, n * sizeof *out);
            memcpy(sh->reserves + (t - 1) * sh->held + first, out + (T + t - 1) * B, n * sizeof *out);
        }
        if (opening)
            memcpy(sh->opening + first, opening, n * sizeof *out);
        memcpy(sh->below + first, years, n);
        memcpy(sh->exhausted + first, years + B, n);
    }
    mtfs_free(out);
    mtfs_free(years);
    return st;
}

static mtfs_status run_threads(shared *sh, mtfs_error *err)
{
    if (sh->source)
        return run_source(sh, err);
    worker w[64];
    pthread_t tid[64];
    int started[64] = {0};
    size_t k = sh->threads;
    for (size_t i = 0; i < k; i++) {
        w[i].sh = sh;
        w[i].id = i;
        w[i].status = MTFS_OK;
        w[i].sink = 0.0;
        mtfs_error_clear(&w[i].err);
    }
    for (size_t i = 1; i < k; i++)
        started[i] = pthread_create(&tid[i], NULL, run_worker, &w[i]) == 0;
    run_worker(&w[0]);
    for (size_t i = 1; i < k; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            run_worker(&w[i]); /* no thread to be had: do its blocks here */
    }
    sh->sink = 0.0;
    for (size_t i = 0; i < k; i++) {
        sh->sink += w[i].sink;
        if (w[i].status != MTFS_OK) {
            if (err)
                *err = w[i].err;
            return w[i].status;
        }
    }
    return MTFS_OK;
}

typedef struct {
    shared *sh;
    mtfs_mc_result *res;
    size_t id;
    int failed;              /* out of memory for the scratch */
} pct_job;

/* Jobs: job 0 rebuilds the cumulative gap year by year (a running sum)
 * and takes its percentiles; every job, job 0 when it has done that, takes
 * gap and reserves years from a shared counter. */
static void *run_percentiles(void *arg)
{
    pct_job *job = arg;
    shared *sh = job->sh;
    size_t T = sh->T, N = sh->paths;
    int cumulative = job->id == 0;
    mc_scratch *w = mc_scratch_new(N);
    double *running = NULL;
    if (w && cumulative && !(running = mtfs_calloc(N, sizeof *running))) {
        mc_scratch_free(w);
        w = NULL;
    }
    job->failed = !w;
    mtfs_prefault(running, N * sizeof *running);
    if (w && cumulative) {
        for (size_t t = 1; t <= T; t++) {
            const double *gap = sh->gap + (t - 1) * N;
            for (size_t k = 0; k < N; k++)
                running[k] += gap[k] > 0.0 ? gap[k] : 0.0;
            mc_summarise(job->res, w, 1, t, running, N);
        }
    }
    /* The gap and reserves years go to whichever job is free: each writes
     * only its own year's results, so who takes which cannot change them. */
    for (size_t i; w && (i = atomic_fetch_add(&sh->next_year, 1)) < 2 * T;) {
        size_t t = i % T + 1;
        int series = i < T ? 0 : 2;
        mc_summarise(job->res, w, series, t, (series == 0 ? sh->gap : sh->reserves) + (t - 1) * N, N);
    }
    mtfs_free(running);
    mc_scratch_free(w);
    return NULL;
}

size_t mc_result_doubles(size_t T, size_t n_thresholds)
{
    /* Three percentile tables, gap mean and spread, reserves mean, a row
     * per threshold, the two shares by year. */
    size_t W = T + 1;
    return 3 * MTFS_MC_NPCT * W + 3 * W + n_thresholds * W + 2 * W;
}

mtfs_mc_result *mc_result_new(size_t T, const double *thresholds, size_t n_thresholds)
{
    size_t W = T + 1;
    mtfs_mc_result *r = mtfs_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->gap_pct = mtfs_calloc(mc_result_doubles(T, n_thresholds), sizeof(double));
    r->thresholds = mtfs_calloc(n_thresholds ? n_thresholds : 1, sizeof(double));
    if (!r->gap_pct || !r->thresholds) {
        mtfs_mc_result_free(r);
        return NULL;
    }
    r->cumulative_pct = r->gap_pct + MTFS_MC_NPCT * W;
    r->reserves_pct = r->gap_pct + 2 * MTFS_MC_NPCT * W;
    r->gap_mean = r->gap_pct + 3 * MTFS_MC_NPCT * W;
    r->gap_sd = r->gap_mean + W;
    r->reserves_mean = r->gap_sd + W;
    r->p_gap_above = r->reserves_mean + W;
    r->p_below_minimum = r->p_gap_above + n_thresholds * W;
    r->p_exhausted = r->p_below_minimum + W;
    r->horizon = T;
    r->n_thresholds = n_thresholds;
    if (n_thresholds)
        memcpy(r->thresholds, thresholds, n_thresholds * sizeof(double));
    return r;
}

void mtfs_mc_result_free(mtfs_mc_result *r)
{
    if (!r)
        return;
    mtfs_free(r->thresholds);
    mtfs_free(r->gap_pct);
    mtfs_projection_free(r->deterministic);
    mtfs_free(r);
}

/* Everything the workers share that depends only on the scenario. */
static mtfs_status prepare(shared *sh, const mtfs_scenario *s, mtfs_error *err)
{
    size_t n = s->n_uncertain, T = s->horizon;
    sh->s = s;
    sh->n = n;
    sh->T = T;
    sh->tables = mtfs_calloc(n ? n : 1, sizeof *sh->tables);
    double *central = mtfs_calloc(n * (T + 1) + n + 1, sizeof *central);
    /* Recorded before the check, so release() frees whichever succeeded. */
    sh->central = central;
    if (!sh->tables || !central)
        return mtfs_error_oom(err, NULL);
    double *shrink = central + n * (T + 1);
    sh->shrink = shrink;
    for (size_t k = 0; k < n; k++) {
        const mtfs_uncertain *u = &s->uncertain[k];
        const double *values = mtfs_target_values((mtfs_scenario *)s, u);
        if (u->series)
            memcpy(central + k * (T + 1), values, (T + 1) * sizeof *central);
        else
            central[k * (T + 1)] = *values;
        shrink[k] = sqrt(1.0 - u->rho * u->rho);
        if (mtfs_dist_needs_table(u)) {
            if (!(sh->tables[k] = mtfs_malloc(MTFS_ZTABLE_N * sizeof(double))))
                return mtfs_error_oom(err, NULL);
            mtfs_dist_ztable(u, sh->tables[k]);
        }
    }
    if (s->correlation) {
        double *l = mtfs_malloc(n * n * sizeof *l);
        if (!l)
            return mtfs_error_oom(err, NULL);
        sh->chol = l;
        if (mtfs_cholesky(s->correlation, n, l) != 0)
            return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                                  "the correlation matrix is not positive definite");
        size_t *from = mtfs_calloc(2 * n, sizeof *from);
        if (!from)
            return mtfs_error_oom(err, NULL);
        size_t *mixed = from + n;
        for (size_t i = 0; i < n; i++) {
            from[i] = i;
            for (size_t j = 0; j < i; j++)
                if (l[i * n + j] != 0.0) {
                    from[i] = j;
                    break;
                }
        }
        sh->chol_from = from;
        for (size_t i = 0; i < n; i++)
            if (from[i] < i || l[i * n + i] != 1.0)
                mixed[sh->n_mixed++] = i;
        sh->mixed = mixed;
    }
    return MTFS_OK;
}

static void release(shared *sh)
{
    for (size_t k = 0; sh->tables && k < sh->n; k++)
        mtfs_free(sh->tables[k]);
    mtfs_free(sh->tables);
    mtfs_free((void *)sh->central);
    mtfs_free((void *)sh->chol);
    mtfs_free((void *)sh->chol_from);
    mtfs_free(sh->gap);
    mtfs_free(sh->below);
    mtfs_free(sh->opening);
    mc_stream_free(sh->stream);
}

/* Does an uncertainty parameter drive the opening reserves?  Then year 0
 * has a spread of its own, and the fan starts with it. */
static int opening_uncertain(const mtfs_scenario *s)
{
    const mtfs_input_def *opening = mtfs_inputs_find("reserves", "opening");
    for (size_t k = 0; k < s->n_uncertain; k++)
        if (s->uncertain[k].input == opening)
            return 1;
    return 0;
}

static size_t thread_count(size_t requested)
{
    return requested < 1 ? 1 : requested > 64 ? 64 : requested;
}

/* a * b + c, or SIZE_MAX when it overflows. */
static size_t mul_add(size_t a, size_t b, size_t c)
{
    if (b && a > (SIZE_MAX - c) / b)
        return SIZE_MAX;
    return a * b + c;
}

size_t mtfs_mc_memory_needed(const mtfs_scenario *s, size_t paths, size_t threads)
{
    size_t T = s->horizon, jobs = thread_count(threads);
    /* gap and reserves (2T doubles), the years below the minimum and
     * exhausted (1 byte each), each
     * percentile job's gathered values (1 double), job 0's running
     * cumulative gap (1 double) and, when they are uncertain, the opening
     * reserves (1 double). */
    size_t per_path = mul_add(mul_add(2, T, jobs + 1 + (size_t)opening_uncertain(s)), sizeof(double), 2);
    return mul_add(paths, per_path, (size_t)1 << 20);
}

size_t mtfs_mc_memory_limit_default(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0)
        return (size_t)1 << 30;
    double bytes = 0.8 * (double)pages * (double)page;
    return bytes >= (double)SIZE_MAX ? SIZE_MAX : (size_t)bytes;
}

/* "1.5 GiB", "640 MiB": a size for a message, rounded up (so a need just
 * over a limit never reads as equal to it). */
static void format_bytes(size_t bytes, char *buf, size_t size)
{
    double x = (double)bytes;
    if (x >= 1099511627776.0)
        snprintf(buf, size, "%.1f TiB", ceil(x / 109951162777.6) / 10.0);
    else if (x >= 1073741824.0)
        snprintf(buf, size, "%.1f GiB", ceil(x / 107374182.4) / 10.0);
    else
        snprintf(buf, size, "%.0f MiB", ceil(x / 1048576.0));
}

/* Memory mode: every path's results kept, then each year summarised. */
static mtfs_status summarise_in_memory(shared *sh, mtfs_mc_result *res, mtfs_error *err)
{
    size_t T = sh->T, N = sh->paths;
    for (size_t t = 1; t <= T; t++) {
        size_t below = 0, exhausted = 0;
        for (size_t i = 0; i < N; i++) {
            below += sh->below[i] && sh->below[i] <= t;
            exhausted += sh->exhausted[i] && sh->exhausted[i] <= t;
        }
        res->p_below_minimum[t] = (double)below / (double)N;
        res->p_exhausted[t] = (double)exhausted / (double)N;
    }
    pct_job jobs[64];
    pthread_t tid[64];
    int started[64] = {0};
    for (size_t i = 0; i < sh->threads; i++)
        jobs[i] = (pct_job){sh, res, i, 0};
    for (size_t i = 1; i < sh->threads; i++)
        started[i] = pthread_create(&tid[i], NULL, run_percentiles, &jobs[i]) == 0;
    run_percentiles(&jobs[0]);
    for (size_t i = 1; i < sh->threads; i++) {
        if (started[i])
            pthread_join(tid[i], NULL);
        else
            run_percentiles(&jobs[i]);
    }
    for (size_t i = 0; i < sh->threads; i++)
        if (jobs[i].failed)
            return mtfs_error_oom(err, NULL);
    if (sh->opening) {
        mc_scratch *w = mc_scratch_new(N);
        if (!w)
            return mtfs_error_oom(err, NULL);
        mc_summarise(res, w, 2, 0, sh->opening, N);
        mc_scratch_free(w);
    }
    return MTFS_OK;
}

/* Across ranks: st where every rank succeeded; where another rank failed,
 * an error that says so (that rank reports its own).  Every rank calls
 * this at the same points, so none is left waiting in a collective. */
static mtfs_status agreed(const mc_reducer *red, mtfs_status st, mtfs_error *err)
{
    if (!red || !red->any(red->context, st != MTFS_OK) || st != MTFS_OK)
        return st;
    return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                          "another process of the run failed (its message is on its standard error)");
}

/* Streaming: the paths again, pass after pass, until the summary is
 * complete. */
static mtfs_status run_streaming(shared *sh, mtfs_mc_result *res, const mc_reducer *red,
                                 mtfs_error *err)
{
    mtfs_status st = MTFS_OK;
    int more;
    for (;;) {
        more = mc_stream_pass_begin(sh->stream);
        st = agreed(red, more < 0 ? mtfs_error_oom(err, NULL) : MTFS_OK, err);
        if (st != MTFS_OK || more == 0)
            break;
        atomic_store(&sh->done, 0);
        st = agreed(red, run_threads(sh, err), err);
        if (st != MTFS_OK)
            break;
        mc_stream_pass_end(sh->stream);
    }
    if (st == MTFS_OK) {
        mc_stream_results(sh->stream, res);
        res->passes = mc_stream_passes(sh->stream);
    }
    return st;
}

/* Keep every path's results when they fit in the limit; otherwise (or when
 * asked) stream.  Refuse, before allocating anything, what the machine
 * cannot hold either way: the kernel would kill it part-way instead. */
static mtfs_status choose_mode(const mtfs_scenario *s, const mtfs_mc_options *o, shared *sh,
                               size_t n_thresholds, int *streaming, mtfs_error *err)
{
    size_t T = s->horizon, N = sh->paths;
    size_t limit = o && o->max_memory ? o->max_memory : mtfs_mc_memory_limit_default();
    size_t in_memory = mtfs_mc_memory_needed(s, N, sh->threads);
    size_t bounded = mc_stream_memory(T, n_thresholds, sh->threads);
    *streaming = (o && o->streaming) || in_memory > limit;
    if (!*streaming || bounded <= limit)
        return MTFS_OK;
    char need_text[32], limit_text[32];
    format_bytes(bounded, need_text, sizeof need_text);
    format_bytes(limit, limit_text, sizeof limit_text);
    return mtfs_error_set(err, MTFS_EINPUT, s->files[0], 0, NULL,
                          "a bounded-memory run over %zu years on %zu thread%s needs %s, more "
                          "than the %s allowed (%s): %s", T, sh->threads,
                          sh->threads == 1 ? "" : "s", need_text, limit_text,
                          o && o->max_memory ? "--max-memory" : "80% of this machine's memory",
                          sh->threads > 1 ? "use fewer threads" : "allow more with --max-memory");
}

static mtfs_status run(const mtfs_scenario *s, const mtfs_mc_options *o, mc_source_fn source,
                       void *source_context, const mc_reducer *red, mtfs_mc_result **out,
                       mtfs_error *err)
{
    *out = NULL;
    mtfs_dist_init();
    if (s->n_uncertain == 0)
        return mtfs_error_set(err, MTFS_EINPUT, s->files[0], 0, NULL,
                              "has no uncertainty block (expected uncertainty = { parameters = "
                              "( ... ); }; see docs/uncertainty.md)");
    shared sh;
    memset(&sh, 0, sizeof sh);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.next_year, 0);
    sh.paths = o && o->paths ? o->paths : s->mc_paths;
    sh.seed = o && o->seed_given ? o->seed : s->mc_seed;
    sh.threads = thread_count(o ? o->threads : 1);
    sh.n_blocks = (sh.paths + MTFS_MC_BLOCK - 1) / MTFS_MC_BLOCK;
    sh.block_end = sh.n_blocks;
    sh.held = sh.paths;
    if (red) {
        /* Rank r of R: blocks floor(r B / R) to floor((r + 1) B / R) - 1,
         * shard r + 1 of R as mc --shard takes them. */
        sh.block0 = red->rank * sh.n_blocks / red->ranks;
        sh.block_end = (red->rank + 1) * sh.n_blocks / red->ranks;
        size_t end = sh.block_end * MTFS_MC_BLOCK < sh.paths ? sh.block_end * MTFS_MC_BLOCK : sh.paths;
        sh.held = end > sh.block0 * MTFS_MC_BLOCK ? end - sh.block0 * MTFS_MC_BLOCK : 0;
    }
    if (sh.threads > sh.block_end - sh.block0)
        sh.threads = sh.block_end > sh.block0 ? sh.block_end - sh.block0 : 1;
    sh.progress = o ? o->progress : NULL;
    sh.progress_context = o ? o->progress_context : NULL;
    sh.source = source;
    sh.source_context = source_context;
    const double *thresholds = o && o->thresholds ? o->thresholds : s->thresholds;
    size_t n_thresholds = o && o->thresholds ? o->n_thresholds : s->n_thresholds;
    size_t T = s->horizon, N = sh.paths, W = T + 1;
    sh.has_opening = opening_uncertain(s);
    int streaming;
    mtfs_mc_options ranked;
    if (red) {
        /* Every rank keeps only its statistics: the passes. */
        ranked = o ? *o : (mtfs_mc_options){0};
        ranked.streaming = 1;
        o = &ranked;
    }
    mtfs_status st = choose_mode(s, o, &sh, n_thresholds, &streaming, err);
    if (st != MTFS_OK && !red)
        return st;

    if (st == MTFS_OK)
        st = prepare(&sh, s, err);
    mtfs_mc_result *res = st == MTFS_OK ? mc_result_new(T, thresholds, n_thresholds) : NULL;
    if (st == MTFS_OK && res) {
        if (streaming) {
            sh.stream = mc_stream_new(T, N, thresholds, n_thresholds, sh.threads, sh.has_opening);
        } else {
            sh.gap = mtfs_malloc(2 * T * N * sizeof(double));
            mtfs_prefault(sh.gap, 2 * T * N * sizeof(double));
            sh.below = mtfs_calloc(N, 2);
            sh.exhausted = sh.below ? sh.below + N : NULL;
            if (sh.has_opening)
                sh.opening = mtfs_malloc(N * sizeof(double));
        }
        res->deterministic = mtfs_projection_alloc(s);
    }
    if (st == MTFS_OK && (!res || (streaming ? !sh.stream : !sh.gap || !sh.below ||
                                                  (sh.has_opening && !sh.opening)) ||
                          !res->deterministic))
        st = mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL,
                            "out of memory for %zu paths (each path keeps %zu numbers)", N,
                            streaming ? (size_t)0 : 2 * T);
    if (st == MTFS_OK) {
        sh.reserves = sh.gap ? sh.gap + T * N : NULL;
        res->paths = N;
        res->base_year = s->base_year;
        res->seed = sh.seed;
        res->threads = sh.threads;
        st = mtfs_project(s, res->deterministic, err);
    }
    if (st == MTFS_OK) {
        /* Year 0 is the plan's, unless the opening reserves are uncertain:
         * then the summaries below give it a spread of its own. */
        const mtfs_projection *d = res->deterministic;
        for (size_t k = 0; k < MTFS_MC_NPCT; k++) {
            res->gap_pct[k * W] = res->cumulative_pct[k * W] = 0.0;
            res->reserves_pct[k * W] = d->reserves[0];
        }
        res->reserves_mean[0] = d->reserves[0];
    }
    if (st == MTFS_OK && sh.stream)
        mc_stream_set_reducer(sh.stream, red);
    st = agreed(red, st, err);
    if (st == MTFS_OK && streaming)
        st = run_streaming(&sh, res, red, err);
    else if (st == MTFS_OK && (st = run_threads(&sh, err)) == MTFS_OK)
        st = summarise_in_memory(&sh, res, err);
    release(&sh);
    if (st != MTFS_OK) {
        mtfs_mc_result_free(res);
        return st;
    }
    *out = res;
    return MTFS_OK;
}

mtfs_status mtfs_mc_run(const mtfs_scenario *s, const mtfs_mc_options *o, mtfs_mc_result **out,
                        mtfs_error *err)
{
    return run(s, o, NULL, NULL, NULL, out, err);
}

mtfs_status mc_run_source(const mtfs_scenario *s, const mtfs_mc_options *o, mc_source_fn source,
                          void *context, mtfs_mc_result **out, mtfs_error *err)
{
    return run(s, o, source, context, NULL, out, err);
}

mtfs_status mc_run_ranks(const mtfs_scenario *s, const mtfs_mc_options *o, const mc_reducer *red,
                         mtfs_mc_result **out, mtfs_error *err)
{
    return run(s, o, NULL, NULL, red, out, err);
}

void mc_held_free(mc_held *h)
{
    mtfs_free(h->gap);
    mtfs_free(h->below);
    mtfs_free(h->opening);
    memset(h, 0, sizeof *h);
}

mtfs_status mc_run_blocks(const mtfs_scenario *s, const mtfs_mc_options *o, size_t shard,
                          size_t shards, mc_held *h, mtfs_error *err)
{
    memset(h, 0, sizeof *h);
    mtfs_dist_init();
    if (s->n_uncertain == 0)
        return mtfs_error_set(err, MTFS_EINPUT, s->files[0], 0, NULL,
                              "has no uncertainty block (expected uncertainty = { parameters = "
                              "( ... ); }; see docs/uncertainty.md)");
    shared sh;
    memset(&sh, 0, sizeof sh);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.next_year, 0);
    sh.paths = o && o->paths ? o->paths : s->mc_paths;
    sh.seed = o && o->seed_given ? o->seed : s->mc_seed;
    sh.n_blocks = (sh.paths + MTFS_MC_BLOCK - 1) / MTFS_MC_BLOCK;
    /* Shard k of n: blocks floor((k - 1) B / n) to floor(k B / n) - 1. */
    sh.block0 = (shard - 1) * sh.n_blocks / shards;
    sh.block_end = shard * sh.n_blocks / shards;
    sh.path0 = sh.block0 * MTFS_MC_BLOCK;
    size_t end = sh.block_end * MTFS_MC_BLOCK < sh.paths ? sh.block_end * MTFS_MC_BLOCK : sh.paths;
    sh.held = end > sh.path0 ? end - sh.path0 : 0;
    sh.threads = thread_count(o ? o->threads : 1);
    if (sh.threads > sh.block_end - sh.block0)
        sh.threads = sh.block_end > sh.block0 ? sh.block_end - sh.block0 : 1;
    sh.progress = o ? o->progress : NULL;
    sh.progress_context = o ? o->progress_context : NULL;
    sh.has_opening = opening_uncertain(s);
    size_t T = s->horizon, H = sh.held;
    *h = (mc_held){T, sh.paths, sh.seed, sh.block0, sh.block_end, sh.path0, H, sh.has_opening,
                   NULL, NULL, NULL, NULL, NULL};
    size_t limit = o && o->max_memory ? o->max_memory : mtfs_mc_memory_limit_default();
    size_t need = mtfs_mc_memory_needed(s, H, 1);
    if (need > limit) {
        char need_text[32], limit_text[32];
        format_bytes(need, need_text, sizeof need_text);
        format_bytes(limit, limit_text, sizeof limit_text);
        return mtfs_error_set(err, MTFS_EINPUT, s->files[0], 0, NULL,
                              "shard %zu of %zu keeps its %zu paths in memory, needing %s, more "
                              "than the %s allowed (%s): use more shards", shard, shards, H,
                              need_text, limit_text,
                              o && o->max_memory ? "--max-memory" : "80% of this machine's memory");
    }
    mtfs_status st = prepare(&sh, s, err);
    if (st == MTFS_OK) {
        sh.gap = mtfs_malloc((H ? 2 * T * H : 1) * sizeof(double));
        sh.below = mtfs_calloc(H ? H : 1, 2);
        sh.exhausted = sh.below ? sh.below + H : NULL;
        if (sh.has_opening)
            sh.opening = mtfs_malloc((H ? H : 1) * sizeof(double));
        if (!sh.gap || !sh.below || (sh.has_opening && !sh.opening))
            st = mtfs_error_oom(err, NULL);
    }
    if (st == MTFS_OK && H) {
        sh.reserves = sh.gap + T * H;
        st = run_threads(&sh, err);
    }
    if (st == MTFS_OK) {
        h->gap = sh.gap;
        h->reserves = sh.gap + T * H;
        h->opening = sh.opening;
        h->below = sh.below;
        h->exhausted = sh.below + H;
        sh.gap = sh.opening = NULL;
        sh.below = NULL;
    }
    release(&sh);
    return st;
}

double mtfs_mc_draw_only(const mtfs_scenario *s, size_t paths, unsigned long seed, size_t threads)
{
    shared sh;
    memset(&sh, 0, sizeof sh);
    atomic_init(&sh.done, 0);
    sh.s = s;
    sh.n = s->n_uncertain;
    sh.T = s->horizon;
    sh.paths = paths;
    sh.seed = seed;
    sh.n_blocks = (paths + MTFS_MC_BLOCK - 1) / MTFS_MC_BLOCK;
    sh.block_end = sh.n_blocks;
    sh.held = paths;
    sh.threads = thread_count(threads);
    sh.draw_only = 1;
    mtfs_error err;
    run_threads(&sh, &err);
    return sh.sink;
}
