/*
 * mc_stats.c - exact percentiles and order-independent sums of a Monte
 * Carlo run, in memory or streaming (see mc_stats.h and docs/scale.md).
 */
#include "mc_stats.h"
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/* ---- Fixed-point sums ------------------------------------------------
 *
 * Each value becomes an integer count of 2^-e (e chosen from the largest
 * magnitude and the count so the total cannot overflow 2^127), and the
 * integers are added.  Integer addition is associative, so the sum is the
 * same whatever the order, the thread or the pass that adds each value;
 * the 124 bits leave the sum far more accurate than a running double
 * sum.  The truncation of each value to a multiple of 2^-e is the same
 * wherever it happens. */

__extension__ typedef __int128 fx_int;

typedef struct {
    double up;      /* 2^e, or 0: use ldexp (e beyond a double's exponent) */
    int e;
} fx_scale;

static fx_scale fx_scale_of(double maxabs, size_t n)
{
    int ex = 0, nb = 0;
    if (maxabs > 0.0)
        (void)frexp(maxabs, &ex);   /* maxabs < 2^ex */
    while (nb < 64 && ((size_t)1 << nb) < n)
        nb++;                       /* n <= 2^nb */
    fx_scale f;
    f.e = 124 - ex - nb;            /* each term below 2^(124 - nb) */
    f.up = f.e >= -1000 && f.e <= 1000 ? ldexp(1.0, f.e) : 0.0;
    return f;
}

/* x * 2^e, truncated to an integer; x is finite and |x| within the
 * scale's bound (callers check the bound is finite). */
static inline fx_int fx_of(fx_scale f, double x)
{
    return (fx_int)(f.up != 0.0 ? x * f.up : ldexp(x, f.e));
}

static double fx_value(fx_scale f, fx_int s)
{
    return ldexp((double)s, -f.e);
}

double mc_fixed_sum(const double *a, size_t n, double maxabs)
{
    fx_scale f = fx_scale_of(maxabs, n);
    fx_int s = 0;
    for (size_t i = 0; i < n; i++)
        s += fx_of(f, a[i]);
    return fx_value(f, s);
}

/* The largest squared deviation from the mean among values in [min, max]. */
static double deviation_bound(double min, double max, double mean)
{
    return fmax((max - mean) * (max - mean), (min - mean) * (min - mean));
}

/* ---- Exact selection -------------------------------------------------- */

/* Multi-select: afterwards a[k] is the k-th smallest element of a[lo..hi]
 * for every k in ks[0..nk) (sorted).  One partition serves every k on its
 * side, so fourteen order statistics cost little more than one. */
static void multiselect(double *a, size_t lo, size_t hi, const size_t *ks, size_t nk)
{
    while (nk > 0 && hi > lo) {
        if (hi - lo < 16) {
            for (size_t i = lo + 1; i <= hi; i++) {
                double v = a[i];
                size_t j = i;
                for (; j > lo && a[j - 1] > v; j--)
                    a[j] = a[j - 1];
                a[j] = v;
            }
            return;
        }
        size_t mid = lo + (hi - lo) / 2;
        /* Median of three as the pivot guards against sorted input. */
        if (a[mid] < a[lo]) { double t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { double t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { double t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        double pivot = a[mid];
        size_t i = lo, j = hi;
        /* Hoare partition: afterwards a[lo..j] <= pivot <= a[i..hi] and
         * everything strictly between j and i equals the pivot. */
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        if (i == j) {
            i++;
            if (j > lo)
                j--;
        }
        size_t left = 0;
        while (left < nk && ks[left] <= j)
            left++;
        size_t right = left;
        while (right < nk && ks[right] < i)
            right++;
        /* Recurse into the smaller side, loop on the larger. */
        if (left > 0 && j > lo) {
            if (nk - right == 0) {
                hi = j;
                nk = left;
                continue;
            }
            multiselect(a, lo, j, ks, left);
        }
        ks += right;
        nk -= right;
        lo = i;
    }
}

/* The ranks the percentiles need among n values: for each level q the
 * order statistics at floor(q (n - 1)) and the one after, sorted, each
 * once.  Returns how many. */
static size_t wanted_ranks(size_t n, size_t *ks)
{
    size_t nk = 0;
    for (size_t k = 0; k < MTFS_MC_NPCT; k++) {
        size_t lo = (size_t)(mtfs_mc_percentile_levels[k] * (double)(n - 1));
        for (size_t r = lo; r <= lo + 1 && r < n; r++)
            if (nk == 0 || ks[nk - 1] < r)
                ks[nk++] = r;
    }
    return nk;
}

/* The percentiles from the order statistics value[j] at ranks ks[j]:
 * linear interpolation at q (n - 1), as GSL's quantile functions do. */
static void interpolate(const size_t *ks, const double *value, size_t n, double *out, size_t stride)
{
    for (size_t k = 0; k < MTFS_MC_NPCT; k++) {
        double pos = mtfs_mc_percentile_levels[k] * (double)(n - 1);
        size_t lo = (size_t)pos;
        double frac = pos - (double)lo;
        size_t j = 0;
        while (ks[j] != lo)
            j++;
        double v = value[j];
        if (frac > 0.0 && lo + 1 < n)
            v += frac * (value[j + 1] - v);
        out[k * stride] = v;
    }
}

/* ---- In memory ---------------------------------------------------------- */

#define PCT_BINS 4096

struct mc_scratch {
    size_t counts[PCT_BINS + 1];
    unsigned char slot_of[PCT_BINS];  /* wanted bin -> 1 + its run; all 0 between calls */
    double *gathered;        /* n doubles */
};

mc_scratch *mc_scratch_new(size_t n)
{
    mc_scratch *w = mtfs_calloc(1, sizeof *w);
    if (w && !(w->gathered = mtfs_malloc((n ? n : 1) * sizeof(double)))) {
        mtfs_free(w);
        w = NULL;
    }
    return w;
}

void mc_scratch_free(mc_scratch *w)
{
    if (w)
        mtfs_free(w->gathered);
    mtfs_free(w);
}

/* The bin of x: (x - min) * scale is monotone in x, and in [0, PCT_BINS]
 * (the maximum lands on PCT_BINS and joins the last bin). */
static inline unsigned bin_index(double x, double min, double scale)
{
    unsigned b = (unsigned)((x - min) * scale);
    return b < PCT_BINS ? b : PCT_BINS - 1;
}

/* The seven percentiles of a[0..n), whose extremes are min and max.
 *
 * Exact, in passes that branch predictably: a histogram of PCT_BINS equal
 * bins ((x - min) * scale is monotone in x, so every element of a bin is
 * at most every element of the next); then only the elements of the bins
 * holding a wanted rank are gathered and selected exactly.  Quickselect
 * over the whole array costs several times more, nearly all of it in
 * mispredicted branches. */
static void percentiles(const double *a, size_t n, double min, double max, double *out,
                        size_t stride, mc_scratch *w)
{
    size_t ks[2 * MTFS_MC_NPCT], nk = wanted_ranks(n, ks);
    double value[2 * MTFS_MC_NPCT];
    double scale = (double)PCT_BINS / (max - min);
    if (!(max > min)) {
        for (size_t j = 0; j < nk; j++)
            value[j] = min;
    } else if (!isfinite(scale)) {
        /* A spread too small to divide into bins (a few ulps): select in
         * a copy of the whole array. */
        memcpy(w->gathered, a, n * sizeof *a);
        multiselect(w->gathered, 0, n - 1, ks, nk);
        for (size_t j = 0; j < nk; j++)
            value[j] = w->gathered[ks[j]];
    } else {
        size_t *counts = w->counts;
        memset(counts, 0, sizeof w->counts);
        for (size_t i = 0; i < n; i++)
            counts[bin_index(a[i], min, scale)]++;
        /* For each wanted rank: its bin, and its rank within the bin. */
        size_t bin_of[2 * MTFS_MC_NPCT], below[2 * MTFS_MC_NPCT];
        size_t cum = 0, b = 0;
        for (size_t j = 0; j < nk; j++) {
            while (cum + counts[b] <= ks[j]) {
                cum += counts[b];
                b++;
            }
            bin_of[j] = b;
            below[j] = cum;
        }
        /* Gather the elements of every wanted bin in one pass, each bin
         * into its own run of `gathered`, then select within each run. */
        unsigned char *slot_of = w->slot_of;
        size_t start[2 * MTFS_MC_NPCT + 1], fill[2 * MTFS_MC_NPCT], n_slots = 0;
        start[0] = 0;
        for (size_t j = 0; j < nk; j++) {
            if (slot_of[bin_of[j]] == 0) {
                slot_of[bin_of[j]] = (unsigned char)++n_slots;
                fill[n_slots - 1] = start[n_slots - 1];
                start[n_slots] = start[n_slots - 1] + counts[bin_of[j]];
            }
        }
        for (size_t k = 0; k < n; k++) {
            unsigned slot = slot_of[bin_index(a[k], min, scale)];
            if (slot)
                w->gathered[fill[slot - 1]++] = a[k];
        }
        for (size_t j = 0; j < nk;) {
            size_t bin = bin_of[j], slot = slot_of[bin] - 1u;
            double *run = w->gathered + start[slot];
            size_t local[2 * MTFS_MC_NPCT], nl = 0, j0 = j;
            for (; j < nk && bin_of[j] == bin; j++)
                local[nl++] = ks[j] - below[j];
            multiselect(run, 0, start[slot + 1] - start[slot] - 1, local, nl);
            for (size_t q = 0; q < nl; q++)
                value[j0 + q] = run[local[q]];
        }
        for (size_t j = 0; j < nk; j++)
            slot_of[bin_of[j]] = 0;
    }
    interpolate(ks, value, n, out, stride);
}

void mc_summarise(mtfs_mc_result *res, mc_scratch *w, int series, size_t t, const double *data,
                  size_t N)
{
    size_t T = res->horizon;
    double min = data[0], max = data[0];
    for (size_t i = 1; i < N; i++) {
        min = data[i] < min ? data[i] : min;
        max = data[i] > max ? data[i] : max;
    }
    if (series != 1) {
        double mean = mc_fixed_sum(data, N, fmax(fabs(min), fabs(max))) / (double)N;
        if (series == 2) {
            res->reserves_mean[t] = mean;
        } else {
            double bound = deviation_bound(min, max, mean);
            fx_scale f = fx_scale_of(bound, N);
            fx_int squares = 0;
            for (size_t k = 0; isfinite(bound) && k < N; k++)
                squares += fx_of(f, (data[k] - mean) * (data[k] - mean));
            res->gap_mean[t] = mean;
            res->gap_sd[t] = !isfinite(bound) ? INFINITY
                           : N > 1 ? sqrt(fx_value(f, squares) / (double)(N - 1)) : 0.0;
            for (size_t j = 0; j < res->n_thresholds; j++) {
                size_t above = 0;
                for (size_t k = 0; k < N; k++)
                    above += data[k] > res->thresholds[j];
                res->p_gap_above[j * (T + 1) + t] = (double)above / (double)N;
            }
        }
    }
    double *out = series == 0 ? res->gap_pct : series == 1 ? res->cumulative_pct : res->reserves_pct;
    percentiles(data, N, min, max, out + t, T + 1, w);
}

/* ---- Streaming ------------------------------------------------------------
 *
 * A cell is one series (0 gap, 1 cumulative gap, 2 reserves) in one year:
 * cell = series * T + t - 1.  Each cell's wanted ranks are found by
 * narrowing windows: a window is the set of the cell's values that fall
 * in a chain of bins (its parent's bin of its parent's split, and so up to
 * the cell's root, which holds every value).  A pass histograms the
 * windows too large to gather (counts, and the least and greatest value of
 * each bin) and gathers the values of the others; after it, each wanted
 * rank lands in one bin, which is a new window: done when all its values
 * are equal, gathered when small, split again when not.  A split divides
 * [min, max] of the window's values into equal bins, or the doubles'
 * ordered bit patterns when that spread is too small for equal bins, or
 * when equal bins left more than half the values in one bin (so a heavy
 * cluster cannot slow the narrowing).  min and max of every window are
 * values of it, in different bins of its split: each split makes
 * progress, and a cluster of equal values ends in a window whose min equals
 * its max.
 */

#define ROOT_BINS PCT_BINS      /* bins of a cell's first split */
#define SPLIT_BINS 256          /* bins of every later split */
/* A window of at most this many values is gathered (tests lower it to
 * make small runs narrow several times: mc_stream_test_gather_window). */
static size_t gather_window = 65536;
#define GATHER_TOTAL ((size_t)1 << 20)  /* values gathered in one pass: 8 MiB */
#define BIN_TABLE_MAX ((size_t)1 << 16) /* histogram bins in one pass, if more than the roots' */

typedef struct {
    double lo, scale;       /* equal bins: bin = (x - lo) * scale */
    uint64_t klo, kw;       /* bit-pattern bins: bin = (key(x) - klo) / kw */
    unsigned nbins;
    int keys;
} split;

enum { W_SPLIT, W_GATHER, W_DONE };

typedef struct {
    size_t parent;          /* index in m->win, or SIZE_MAX for a root */
    unsigned bin;           /* its bin of the parent's split */
    unsigned cell;
    int state;
    int active;             /* taking part in this pass */
    split own;              /* W_SPLIT: how it is divided */
    size_t count;
    double min, max;
    size_t n_ranks;
    size_t rank[2 * MTFS_MC_NPCT];   /* ranks within the window */
    size_t slot[2 * MTFS_MC_NPCT];   /* their places among the cell's wanted ranks */
    size_t at;              /* active W_SPLIT: first bin in the pass's table;
                               active W_GATHER: first place in the gather buffer */
} window;

typedef struct {
    double min, max;
    size_t count;
} bin_entry;

typedef struct {
    /* pass 0 */
    double *minmax;         /* [2 * cell] min, [2 * cell + 1] max */
    size_t *above;          /* [j * T + t - 1] */
    size_t *below_at, *exhausted_at;   /* [t]: paths whose first such year is t */
    /* passes 1 and 2 */
    fx_int *sums;           /* pass 1: gap and reserves cells; pass 2: gap cells' squares */
    bin_entry *bins;
    double *running;        /* a block's cumulative gaps */
} thread_state;

struct mc_stream {
    size_t T, N, threads, n_thresholds, pass;
    int opening;            /* cell 3T: the opening reserves (year 0) */
    int failed;             /* out of memory while narrowing, or a reduction failed */
    const mc_reducer *red;  /* the other ranks of the run, or NULL */
    double *thresholds;
    size_t nk, ks[2 * MTFS_MC_NPCT];
    double *value;          /* [cell * 2 NPCT + j] */
    /* totals */
    double *minmax;
    size_t *above, *below_at, *exhausted_at;
    double *mean;           /* [cell] gap and reserves cells */
    fx_scale *scale;        /* [cell]: pass 1 for means, then pass 2 for squares */
    fx_int *sums;
    double *sd;             /* [t - 1] */
    /* windows */
    window *win;
    size_t n_win, cap_win;
    size_t *cell_first, *cell_list;   /* active windows by cell (CSR) */
    size_t n_bins;          /* bins of this pass's table */
    double *gather;
    size_t cap_gather;
    atomic_size_t *fill;    /* per window: gathered so far */
    size_t cap_fill;
    thread_state *ts;
};

static size_t cells(const mc_stream *m)
{
    return 3 * m->T + (size_t)m->opening;
}

static inline uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | ((uint64_t)1 << 63);
}

/* The bin of x under split s; s->nbins when x is below the split's range
 * (x is then not in the window: its min is a value of the window). */
static inline unsigned split_bin(const split *s, double x)
{
    if (!s->keys) {
        double y = (x - s->lo) * s->scale;
        if (!(y >= 0.0))
            return s->nbins;
        return y < (double)s->nbins ? (unsigned)y : s->nbins - 1;
    }
    uint64_t k = key_of(x);
    if (k < s->klo)
        return s->nbins;
    uint64_t b = (k - s->klo) / s->kw;
    return b < s->nbins ? (unsigned)b : s->nbins - 1;
}

static void split_of(split *s, double min, double max, unsigned nbins, int keys)
{
    memset(s, 0, sizeof *s);
    s->nbins = nbins;
    s->lo = min;
    s->scale = (double)nbins / (max - min);
    s->keys = keys || !isfinite(s->scale);
    if (s->keys) {
        s->klo = key_of(min);
        s->kw = (key_of(max) - s->klo) / nbins + 1;
    }
}

/* Is x (a value of w's cell) in window w? */
static inline int member(const mc_stream *m, const window *w, double x)
{
    for (const window *v = w; v->parent != SIZE_MAX; v = &m->win[v->parent])
        if (split_bin(&m->win[v->parent].own, x) != v->bin)
            return 0;
    return 1;
}

mc_stream *mc_stream_new(size_t T, size_t paths, const double *thresholds, size_t n_thresholds,
                         size_t threads, int opening)
{
    mc_stream *m = mtfs_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->T = T;
    m->opening = opening != 0;
    m->N = paths;
    m->threads = threads ? threads : 1;
    m->n_thresholds = n_thresholds;
    m->nk = wanted_ranks(paths, m->ks);
    size_t C = cells(m);
    m->thresholds = mtfs_calloc(n_thresholds + 1, sizeof *m->thresholds);
    m->value = mtfs_calloc(C * 2 * MTFS_MC_NPCT, sizeof *m->value);
    m->minmax = mtfs_calloc(2 * C, sizeof *m->minmax);
    m->above = mtfs_calloc(n_thresholds * T + 2 * (T + 1), sizeof *m->above);
    m->mean = mtfs_calloc(C + T, sizeof *m->mean);
    m->scale = mtfs_calloc(C, sizeof *m->scale);
    m->sums = mtfs_calloc(C, sizeof *m->sums);
    m->cell_first = mtfs_calloc(C + 1, sizeof *m->cell_first);
    m->ts = mtfs_calloc(m->threads, sizeof *m->ts);
    if (!m->thresholds || !m->value || !m->minmax || !m->above || !m->mean || !m->scale ||
        !m->sums || !m->cell_first || !m->ts) {
        mc_stream_free(m);
        return NULL;
    }
    if (n_thresholds)
        memcpy(m->thresholds, thresholds, n_thresholds * sizeof *thresholds);
    m->below_at = m->above + n_thresholds * T;
    m->exhausted_at = m->below_at + T + 1;
    m->sd = m->mean + C;
    for (size_t c = 0; c < C; c++) {
        m->minmax[2 * c] = INFINITY;
        m->minmax[2 * c + 1] = -INFINITY;
    }
    return m;
}

static void free_thread_states(mc_stream *m)
{
    for (size_t i = 0; m->ts && i < m->threads; i++) {
        thread_state *s = &m->ts[i];
        mtfs_free(s->minmax);
        mtfs_free(s->above);
        mtfs_free(s->sums);
        mtfs_free(s->bins);
        mtfs_free(s->running);
        memset(s, 0, sizeof *s);
    }
}

void mc_stream_free(mc_stream *m)
{
    if (!m)
        return;
    free_thread_states(m);
    mtfs_free(m->ts);
    mtfs_free(m->thresholds);
    mtfs_free(m->value);
    mtfs_free(m->minmax);
    mtfs_free(m->above);
    mtfs_free(m->mean);
    mtfs_free(m->scale);
    mtfs_free(m->sums);
    mtfs_free(m->win);
    mtfs_free(m->cell_first);
    mtfs_free(m->cell_list);
    mtfs_free(m->gather);
    mtfs_free(m->fill);
    mtfs_free(m);
}

size_t mc_stream_memory(size_t T, size_t n_thresholds, size_t threads)
{
    size_t C = 3 * T + 1;
    size_t table = C * ROOT_BINS > BIN_TABLE_MAX ? C * ROOT_BINS : BIN_TABLE_MAX;
    size_t per_thread = table * sizeof(bin_entry) + C * (2 * sizeof(double) + sizeof(fx_int)) +
                        (n_thresholds * T + 2 * (T + 1)) * sizeof(size_t) +
                        MTFS_MC_BLOCK * sizeof(double);
    /* The windows (one per wanted rank and cell at each level; rarely more
     * than four levels) and the gather buffer. */
    size_t windows = C * 2 * MTFS_MC_NPCT * 8 * (sizeof(window) + sizeof(atomic_size_t));
    return (threads ? threads : 1) * per_thread + windows + GATHER_TOTAL * sizeof(double) +
           ((size_t)1 << 20);
}

void mc_stream_test_gather_window(size_t n)
{
    gather_window = n ? n : 65536;
}

void mc_stream_set_reducer(mc_stream *m, const mc_reducer *r)
{
    m->red = r;
}

size_t mc_stream_passes(const mc_stream *m)
{
    return m->pass;
}

static window *new_window(mc_stream *m)
{
    if (mtfs_grow(&m->win, &m->cap_win, m->n_win, sizeof *m->win, 64) != 0)
        return NULL;
    window *w = &m->win[m->n_win++];
    memset(w, 0, sizeof *w);
    w->parent = SIZE_MAX;
    return w;
}

/* After pass 0: every cell's root window, its bounds and the scale of its
 * sums. */
static int make_roots(mc_stream *m)
{
    size_t T = m->T;
    for (size_t c = 0; c < cells(m); c++) {
        double min = m->minmax[2 * c], max = m->minmax[2 * c + 1];
        if (c / T != 1)
            m->scale[c] = fx_scale_of(fmax(fabs(min), fabs(max)), m->N);
        if (!(max > min)) {
            for (size_t j = 0; j < m->nk; j++)
                m->value[c * 2 * MTFS_MC_NPCT + j] = min;
            continue;
        }
        window *w = new_window(m);
        if (!w)
            return -1;
        w->cell = (unsigned)c;
        w->state = W_SPLIT;
        w->count = m->N;
        w->min = min;
        w->max = max;
        w->n_ranks = m->nk;
        for (size_t j = 0; j < m->nk; j++) {
            w->rank[j] = m->ks[j];
            w->slot[j] = j;
        }
        split_of(&w->own, min, max, ROOT_BINS, 0);
    }
    return 0;
}

/* Choose the windows of this pass (splits while the bin table has room,
 * gathers while the buffer has), and lay out their tables. */
static int plan_pass(mc_stream *m)
{
    size_t C = cells(m), bins = 0, gathered = 0;
    size_t table_max = C * ROOT_BINS > BIN_TABLE_MAX ? C * ROOT_BINS : BIN_TABLE_MAX;
    memset(m->cell_first, 0, (C + 1) * sizeof *m->cell_first);
    size_t n_active = 0;
    for (size_t i = 0; i < m->n_win; i++) {
        window *w = &m->win[i];
        w->active = 0;
        if (w->state == W_SPLIT && bins + w->own.nbins <= table_max) {
            w->at = bins;
            bins += w->own.nbins;
            w->active = 1;
        } else if (w->state == W_GATHER && (gathered + w->count <= GATHER_TOTAL)) {
            w->at = gathered;
            gathered += w->count;
            w->active = 1;
        }
        if (w->active) {
            m->cell_first[w->cell + 1]++;
            n_active++;
        }
    }
    for (size_t c = 0; c < C; c++)
        m->cell_first[c + 1] += m->cell_first[c];
    mtfs_free(m->cell_list);
    m->cell_list = mtfs_malloc((n_active ? n_active : 1) * sizeof *m->cell_list);
    size_t *next = mtfs_calloc(C + 1, sizeof *next);
    if (!m->cell_list || !next) {
        mtfs_free(next);
        return -1;
    }
    for (size_t i = 0; i < m->n_win; i++)
        if (m->win[i].active)
            m->cell_list[m->cell_first[m->win[i].cell] + next[m->win[i].cell]++] = i;
    mtfs_free(next);
    m->n_bins = bins;
    if (gathered > m->cap_gather) {
        mtfs_free(m->gather);
        m->cap_gather = gathered;
        if (!(m->gather = mtfs_malloc(gathered * sizeof *m->gather)))
            return -1;
    }
    if (m->cap_fill < m->n_win) {
        mtfs_free(m->fill);
        m->cap_fill = m->cap_win;
        if (!(m->fill = mtfs_malloc(m->cap_fill * sizeof *m->fill)))
            return -1;
    }
    for (size_t i = 0; i < m->n_win; i++)
        atomic_init(&m->fill[i], 0);
    return 0;
}

int mc_stream_pass_begin(mc_stream *m)
{
    size_t C = cells(m), T = m->T;
    free_thread_states(m);
    if (m->failed)
        return -1;
    if (m->pass == 0) {
        for (size_t i = 0; i < m->threads; i++) {
            thread_state *s = &m->ts[i];
            s->minmax = mtfs_malloc(2 * C * sizeof *s->minmax);
            s->above = mtfs_calloc(m->n_thresholds * T + 2 * (T + 1), sizeof *s->above);
            s->running = mtfs_malloc(MTFS_MC_BLOCK * sizeof *s->running);
            if (!s->minmax || !s->above || !s->running)
                return -1;
            s->below_at = s->above + m->n_thresholds * T;
            s->exhausted_at = s->below_at + T + 1;
            for (size_t c = 0; c < C; c++) {
                s->minmax[2 * c] = INFINITY;
                s->minmax[2 * c + 1] = -INFINITY;
            }
        }
        return 1;
    }
    if (m->pass >= 3) {
        int pending = 0;
        for (size_t i = 0; i < m->n_win && !pending; i++)
            pending = m->win[i].state != W_DONE;
        if (!pending)
            return 0;
    }
    if (plan_pass(m) != 0)
        return -1;
    for (size_t i = 0; i < m->threads; i++) {
        thread_state *s = &m->ts[i];
        s->sums = mtfs_calloc(C, sizeof *s->sums);
        s->bins = mtfs_malloc((m->n_bins ? m->n_bins : 1) * sizeof *s->bins);
        s->running = mtfs_malloc(MTFS_MC_BLOCK * sizeof *s->running);
        if (!s->sums || !s->bins || !s->running)
            return -1;
        for (size_t b = 0; b < m->n_bins; b++)
            s->bins[b] = (bin_entry){INFINITY, -INFINITY, 0};
    }
    return 1;
}

/* One value of cell c in a pass after the first. */
static inline void take(mc_stream *m, thread_state *s, size_t c, double x)
{
    if (m->pass == 1 && c / m->T != 1)
        s->sums[c] += fx_of(m->scale[c], x);
    else if (m->pass == 2 && c < m->T && isfinite(m->sd[c]))
        s->sums[c] += fx_of(m->scale[c], (x - m->mean[c]) * (x - m->mean[c]));
    for (size_t i = m->cell_first[c]; i < m->cell_first[c + 1]; i++) {
        const window *w = &m->win[m->cell_list[i]];
        if (!member(m, w, x))
            continue;
        if (w->state == W_SPLIT) {
            bin_entry *e = &s->bins[w->at + split_bin(&w->own, x)];
            e->count++;
            e->min = x < e->min ? x : e->min;
            e->max = x > e->max ? x : e->max;
        } else {
            size_t at = atomic_fetch_add_explicit(&m->fill[m->cell_list[i]], 1, memory_order_relaxed);
            m->gather[w->at + at] = x;
        }
    }
}

void mc_stream_consume(mc_stream *m, size_t id, const mc_block *b)
{
    thread_state *s = &m->ts[id];
    size_t T = m->T, n = b->n;
    for (size_t i = 0; i < n; i++)
        s->running[i] = 0.0;
    if (m->pass == 0) {
        for (size_t i = 0; i < n; i++) {
            s->below_at[b->below[i]]++;
            s->exhausted_at[b->exhausted[i]]++;
        }
    }
    for (size_t t = 1; t <= T; t++) {
        const double *gap = b->gap + (t - 1) * MTFS_MC_BLOCK;
        const double *res = b->reserves + (t - 1) * MTFS_MC_BLOCK;
        size_t cg = t - 1, cc = T + t - 1, cr = 2 * T + t - 1;
        for (size_t i = 0; i < n; i++) {
            double g = gap[i], r = res[i];
            s->running[i] += g > 0.0 ? g : 0.0;
            double cum = s->running[i];
            if (m->pass == 0) {
                double *mm = s->minmax;
                mm[2 * cg] = g < mm[2 * cg] ? g : mm[2 * cg];
                mm[2 * cg + 1] = g > mm[2 * cg + 1] ? g : mm[2 * cg + 1];
                mm[2 * cc] = cum < mm[2 * cc] ? cum : mm[2 * cc];
                mm[2 * cc + 1] = cum > mm[2 * cc + 1] ? cum : mm[2 * cc + 1];
                mm[2 * cr] = r < mm[2 * cr] ? r : mm[2 * cr];
                mm[2 * cr + 1] = r > mm[2 * cr + 1] ? r : mm[2 * cr + 1];
                for (size_t j = 0; j < m->n_thresholds; j++)
                    s->above[j * T + t - 1] += g > m->thresholds[j];
            } else {
                take(m, s, cg, g);
                take(m, s, cc, cum);
                take(m, s, cr, r);
            }
        }
    }
    for (size_t i = 0; m->opening && i < n; i++) {
        double r = b->opening[i], *mm = s->minmax + 2 * 3 * T;
        if (m->pass == 0) {
            mm[0] = r < mm[0] ? r : mm[0];
            mm[1] = r > mm[1] ? r : mm[1];
        } else {
            take(m, s, 3 * T, r);
        }
    }
}

/* A window's wanted ranks, each in the bin of its split that holds it:
 * new windows, done when their values are all equal. */
static int narrow(mc_stream *m, size_t wi, const bin_entry *bins)
{
    size_t cum = 0, b = 0;
    for (size_t j = 0; j < m->win[wi].n_ranks;) {
        window *w = &m->win[wi];
        while (cum + bins[b].count <= w->rank[j]) {
            cum += bins[b].count;
            b++;
        }
        const bin_entry *e = &bins[b];
        double *value = m->value + (size_t)w->cell * 2 * MTFS_MC_NPCT;
        if (e->min == e->max) {
            for (; j < w->n_ranks && w->rank[j] < cum + e->count; j++)
                value[w->slot[j]] = e->min;
            continue;
        }
        window *c = new_window(m);
        if (!c)
            return -1;
        w = &m->win[wi];    /* the array may have moved */
        c->parent = wi;
        c->bin = (unsigned)b;
        c->cell = w->cell;
        c->count = e->count;
        c->min = e->min;
        c->max = e->max;
        for (; j < w->n_ranks && w->rank[j] < cum + e->count; j++) {
            c->rank[c->n_ranks] = w->rank[j] - cum;
            c->slot[c->n_ranks++] = w->slot[j];
        }
        if (c->count <= gather_window) {
            c->state = W_GATHER;
        } else {
            c->state = W_SPLIT;
            /* Equal bins that left more than half the values in one bin
             * give way to bins of the bit patterns. */
            split_of(&c->own, c->min, c->max, SPLIT_BINS, c->count > w->count / 2);
        }
    }
    m->win[wi].state = W_DONE;
    return 0;
}

static void select_gathered(mc_stream *m, window *w)
{
    double *run = m->gather + w->at;
    double *value = m->value + (size_t)w->cell * 2 * MTFS_MC_NPCT;
    multiselect(run, 0, w->count - 1, w->rank, w->n_ranks);
    for (size_t j = 0; j < w->n_ranks; j++)
        value[w->slot[j]] = run[w->rank[j]];
    w->state = W_DONE;
}

/* The values this rank gathered for each active gathering window, joined
 * with the other ranks': afterwards window i's run holds all its count
 * values (in rank order; the selection does not depend on the order).
 * 0, or -1 when out of memory, a reduction failed or the counts disagree. */
static int gather_across_ranks(mc_stream *m)
{
    const mc_reducer *r = m->red;
    size_t n = 0, mine = 0, total = 0;
    for (size_t i = 0; i < m->n_win; i++)
        if (m->win[i].active && m->win[i].state == W_GATHER) {
            n++;
            mine += atomic_load(&m->fill[i]);
            total += m->win[i].count;
        }
    if (n == 0)
        return 0;
    /* counts[rank * n + j]: what each rank holds of the j-th such window. */
    size_t *counts = mtfs_calloc(r->ranks * n + r->ranks, sizeof *counts);
    double *send = mtfs_malloc((mine ? mine : 1) * sizeof *send);
    double *all = mtfs_malloc((total ? total : 1) * sizeof *all);
    int rc = counts && send && all ? 0 : -1;
    size_t *per_rank = counts ? counts + r->ranks * n : NULL;
    for (size_t i = 0, j = 0, at = 0; rc == 0 && i < m->n_win; i++) {
        const window *w = &m->win[i];
        if (!w->active || w->state != W_GATHER)
            continue;
        size_t f = atomic_load(&m->fill[i]);
        memcpy(send + at, m->gather + w->at, f * sizeof *send);
        counts[r->rank * n + j++] = f;
        at += f;
    }
    if (rc == 0)
        rc = r->sum_counts(r->context, counts, r->ranks * n);
    for (size_t k = 0; rc == 0 && k < r->ranks; k++)
        for (size_t j = 0; j < n; j++)
            per_rank[k] += counts[k * n + j];
    if (rc == 0)
        rc = r->concat(r->context, send, mine, all, per_rank);
    /* Rank k's values of window j start at from[k] + (its windows before j). */
    size_t from = 0;
    for (size_t k = 0; rc == 0 && k < r->ranks; k++) {
        size_t at = from;
        for (size_t i = 0, j = 0; i < m->n_win; i++) {
            window *w = &m->win[i];
            if (!w->active || w->state != W_GATHER)
                continue;
            size_t c = counts[k * n + j++];
            size_t done = k == 0 ? 0 : atomic_load(&m->fill[i]);
            if (done + c > w->count) {
                rc = -1;
                break;
            }
            memcpy(m->gather + w->at + done, all + at, c * sizeof *all);
            atomic_store(&m->fill[i], done + c);
            at += c;
        }
        from += per_rank[k];
    }
    for (size_t i = 0; rc == 0 && i < m->n_win; i++)
        if (m->win[i].active && m->win[i].state == W_GATHER && atomic_load(&m->fill[i]) != m->win[i].count)
            rc = -1;
    mtfs_free(counts);
    mtfs_free(send);
    mtfs_free(all);
    return rc;
}

void mc_stream_pass_end(mc_stream *m)
{
    size_t C = cells(m), T = m->T;
    const mc_reducer *r = m->red;
    if (m->pass == 0) {
        for (size_t i = 0; i < m->threads; i++) {
            const thread_state *s = &m->ts[i];
            for (size_t c = 0; c < C; c++) {
                m->minmax[2 * c] = fmin(m->minmax[2 * c], s->minmax[2 * c]);
                m->minmax[2 * c + 1] = fmax(m->minmax[2 * c + 1], s->minmax[2 * c + 1]);
            }
            for (size_t k = 0; k < m->n_thresholds * T + 2 * (T + 1); k++)
                m->above[k] += s->above[k];
        }
        if (r && (r->min_max(r->context, m->minmax, C) != 0 ||
                  r->sum_counts(r->context, m->above, m->n_thresholds * T + 2 * (T + 1)) != 0)) {
            m->failed = 1;
            m->pass++;
            return;
        }
        m->failed = make_roots(m) != 0;
        m->pass++;
        return;
    }
    /* Pass 1: the gap and reserves cells' sums; pass 2: the gap cells'
     * squares.  The threads' integers added, then the ranks'. */
    if (m->pass <= 2) {
        size_t n = m->pass == 1 ? C : T;
        for (size_t c = 0; c < n; c++) {
            m->sums[c] = 0;
            for (size_t i = 0; i < m->threads; i++)
                m->sums[c] += m->ts[i].sums[c];
        }
        if (r && r->sum_fixed(r->context, m->sums, n) != 0)
            m->failed = 1;
    }
    if (m->pass == 1) {
        for (size_t c = 0; c < C; c++)
            if (c / T != 1)
                m->mean[c] = fx_value(m->scale[c], m->sums[c]) / (double)m->N;
        /* The squares' scale for pass 2, now the means are known (a
         * spread whose square overflows is an infinite deviation). */
        for (size_t c = 0; c < T; c++) {
            double bound = deviation_bound(m->minmax[2 * c], m->minmax[2 * c + 1], m->mean[c]);
            m->scale[c] = fx_scale_of(bound, m->N);
            m->sd[c] = isfinite(bound) ? 0.0 : INFINITY;
        }
    } else if (m->pass == 2) {
        for (size_t c = 0; c < T; c++)
            if (isfinite(m->sd[c]))
                m->sd[c] = m->N > 1 ? sqrt(fx_value(m->scale[c], m->sums[c]) / (double)(m->N - 1)) : 0.0;
    }
    /* Merge the threads' histograms (and the ranks'), then narrow every
     * window of the pass. */
    thread_state *s0 = &m->ts[0];
    for (size_t i = 1; i < m->threads; i++)
        for (size_t b = 0; b < m->n_bins; b++) {
            bin_entry *e = &s0->bins[b];
            const bin_entry *f = &m->ts[i].bins[b];
            e->count += f->count;
            e->min = fmin(e->min, f->min);
            e->max = fmax(e->max, f->max);
        }
    if (r && !m->failed && m->n_bins && r->bins(r->context, s0->bins, m->n_bins) != 0)
        m->failed = 1;
    if (r && !m->failed && gather_across_ranks(m) != 0)
        m->failed = 1;
    size_t n = m->n_win;
    for (size_t i = 0; !m->failed && i < n; i++) {
        window *w = &m->win[i];
        if (!w->active)
            continue;
        w->active = 0;
        if (w->state == W_SPLIT) {
            if (narrow(m, i, s0->bins + m->win[i].at) != 0) {
                m->failed = 1;
                break;
            }
        } else if (w->state == W_GATHER) {
            select_gathered(m, w);
        }
    }
    m->pass++;
}

void mc_stream_results(const mc_stream *m, mtfs_mc_result *res)
{
    size_t T = m->T, W = T + 1, N = m->N;
    double *outs[3] = {res->gap_pct, res->cumulative_pct, res->reserves_pct};
    for (size_t t = 1; t <= T; t++) {
        for (size_t series = 0; series < 3; series++) {
            size_t c = series * T + t - 1;
            interpolate(m->ks, m->value + c * 2 * MTFS_MC_NPCT, N, outs[series] + t, W);
        }
        res->gap_mean[t] = m->mean[t - 1];
        res->gap_sd[t] = m->sd[t - 1];
        res->reserves_mean[t] = m->mean[2 * T + t - 1];
        for (size_t j = 0; j < m->n_thresholds; j++)
            res->p_gap_above[j * W + t] = (double)m->above[j * T + t - 1] / (double)N;
    }
    if (m->opening) {
        interpolate(m->ks, m->value + 3 * T * 2 * MTFS_MC_NPCT, N, res->reserves_pct, W);
        res->reserves_mean[0] = m->mean[3 * T];
    }
    size_t below = 0, exhausted = 0;
    for (size_t t = 1; t <= T; t++) {
        below += m->below_at[t];
        exhausted += m->exhausted_at[t];
        res->p_below_minimum[t] = (double)below / (double)N;
        res->p_exhausted[t] = (double)exhausted / (double)N;
    }
}
