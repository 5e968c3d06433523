/*
 * test_mc_stream.c - the Monte Carlo statistics (mc_stats.c): fixed-point
 * sums, and streaming summaries equal to the in-memory ones, bit for bit,
 * on data built to be hard: ties, values a few ulps apart, a wide range,
 * all values equal, one path, and a block count no thread count divides.
 */
#include "check.h"
#include "mc_stats.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

/* Sums that a running double sum gets wrong, and order independence. */
static void test_fixed_sum(void)
{
    double a[] = {1e16, 1.0, -1e16};
    CHECK(mc_fixed_sum(a, 3, 1e16) == 1.0);           /* a running sum gives 0 */
    double b[] = {0.1, 0.2, 0.3, -0.6};
    double c[] = {-0.6, 0.3, 0.1, 0.2};
    CHECK(mc_fixed_sum(b, 4, 0.6) == mc_fixed_sum(c, 4, 0.6));
    CHECK_CLOSE(mc_fixed_sum(b, 4, 0.6), 0.0, 0.0, 1e-16);
    double d[1000];
    for (size_t i = 0; i < 1000; i++)
        d[i] = (double)i * 0.001;                         /* sum 499.5 */
    CHECK_CLOSE(mc_fixed_sum(d, 1000, 1.0), 499.5, 1e-15, 0.0);
    double z[] = {0.0, -0.0};
    CHECK(mc_fixed_sum(z, 2, 0.0) == 0.0);
}

/* A small deterministic generator: the tests need no GSL. */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11;
}

static double uniform(uint64_t *s)
{
    return (double)lcg(s) / 9007199254740992.0;
}

enum { SMOOTH, TIES, ULPS, WIDE, EQUAL, N_KINDS };

static double value_of(int kind, uint64_t *s, size_t t)
{
    double u = uniform(s) + uniform(s) + uniform(s) - 1.5;   /* bell-shaped */
    switch (kind) {
    case SMOOTH:
        return 40.0 * (double)t + 25.0 * u;
    case TIES:
        return uniform(s) < 0.4 ? 0.0 : u < 0.0 ? -0.0 : 10.0 * u;
    case ULPS: {
        double x = 100.0;
        for (uint64_t k = lcg(s) % 7; k > 0; k--)
            x = nextafter(x, 200.0);
        return x;
    }
    case WIDE: {
        double scale[] = {1e150, 1e-150, 1.0, 1e-300, 5e149};
        return u * scale[lcg(s) % 5];
    }
    default:
        return 7.25;
    }
}

/* N paths of `kind` over T years: in memory, and streamed by `threads`
 * threads in blocks handed out round-robin; every number must be the same
 * bits.  Returns the passes the stream made. */
static size_t compare_stream(int kind, size_t N, size_t T, size_t threads)
{
    const double thresholds[] = {0.0, 50.0};
    size_t B = MTFS_MC_BLOCK, n_blocks = (N + B - 1) / B;
    double *gap = mtfs_malloc(T * N * sizeof *gap), *res = mtfs_malloc(T * N * sizeof *res);
    unsigned char *below = mtfs_calloc(2 * N, 1), *exhausted = below + N;
    /* Odd kinds carry uncertain opening reserves (year 0 has a spread). */
    int with_opening = kind % 2;
    double *opening = mtfs_malloc(N * sizeof *opening);
    uint64_t seed = 12345u + (uint64_t)kind;
    for (size_t i = 0; i < N; i++) {
        opening[i] = 80.0 + value_of(kind, &seed, 1);
        for (size_t t = 1; t <= T; t++) {
            gap[(t - 1) * N + i] = value_of(kind, &seed, t);
            res[(t - 1) * N + i] = 100.0 - value_of(kind == EQUAL ? EQUAL : SMOOTH, &seed, t);
        }
        below[i] = (unsigned char)(lcg(&seed) % (T + 1));
        exhausted[i] = (unsigned char)(lcg(&seed) % (T + 1));
    }

    /* In memory, as montecarlo.c summarises. */
    mtfs_mc_result *m = mc_result_new(T, thresholds, 2);
    mc_scratch *w = mc_scratch_new(N);
    double *running = mtfs_calloc(N, sizeof *running);
    for (size_t t = 1; t <= T; t++) {
        mc_summarise(m, w, 0, t, gap + (t - 1) * N, N);
        mc_summarise(m, w, 2, t, res + (t - 1) * N, N);
        for (size_t i = 0; i < N; i++)
            running[i] += gap[(t - 1) * N + i] > 0.0 ? gap[(t - 1) * N + i] : 0.0;
        mc_summarise(m, w, 1, t, running, N);
        size_t nb = 0, ne = 0;
        for (size_t i = 0; i < N; i++) {
            nb += below[i] && below[i] <= t;
            ne += exhausted[i] && exhausted[i] <= t;
        }
        m->p_below_minimum[t] = (double)nb / (double)N;
        m->p_exhausted[t] = (double)ne / (double)N;
    }
    if (with_opening)
        mc_summarise(m, w, 2, 0, opening, N);

    /* Streamed. */
    mtfs_mc_result *s = mc_result_new(T, thresholds, 2);
    mc_stream *st = mc_stream_new(T, N, thresholds, 2, threads, with_opening);
    double *bg = mtfs_malloc(T * B * sizeof *bg), *br = mtfs_malloc(T * B * sizeof *br);
    int more;
    while ((more = mc_stream_pass_begin(st)) == 1) {
        for (size_t k = 0; k < n_blocks; k++) {
            size_t first = k * B, n = first + B < N ? B : N - first;
            for (size_t t = 1; t <= T; t++)
                for (size_t i = 0; i < n; i++) {
                    bg[(t - 1) * B + i] = gap[(t - 1) * N + first + i];
                    br[(t - 1) * B + i] = res[(t - 1) * N + first + i];
                }
            mc_block b = {n, bg, br, with_opening ? opening + first : NULL, below + first,
                          exhausted + first};
            mc_stream_consume(st, (k * 7) % threads, &b);
        }
        mc_stream_pass_end(st);
    }
    CHECK(more == 0);
    mc_stream_results(st, s);
    size_t passes = mc_stream_passes(st);

    int same = memcmp(m->gap_pct, s->gap_pct, mc_result_doubles(T, 2) * sizeof(double)) == 0;
    char what[80];
    snprintf(what, sizeof what, "kind %d, %zu paths, %zu threads: stream = memory", kind, N, threads);
    check_report(same, __FILE__, __LINE__, what, "");
    if (!same) {
        for (size_t i = 0; i < mc_result_doubles(T, 2); i++)
            if (memcmp(&m->gap_pct[i], &s->gap_pct[i], sizeof(double)) != 0) {
                fprintf(stderr, "    first difference at %zu: %.17g vs %.17g\n", i, m->gap_pct[i],
                        s->gap_pct[i]);
                break;
            }
    }
    mc_stream_free(st);
    mc_scratch_free(w);
    mtfs_free(running);
    mtfs_free(bg);
    mtfs_free(br);
    mtfs_free(gap);
    mtfs_free(res);
    mtfs_free(below);
    mtfs_free(opening);
    for (int k = 0; k < 2; k++) {
        mtfs_mc_result *r = k ? s : m;
        mtfs_free(r->thresholds);
        mtfs_free(r->gap_pct);
        mtfs_free(r);
    }
    return passes;
}

static void test_stream_equals_memory(void)
{
    for (int kind = 0; kind < N_KINDS; kind++) {
        compare_stream(kind, 5000, 3, 3);
        compare_stream(kind, 1, 2, 1);
    }
    compare_stream(SMOOTH, 2, 2, 2);
    compare_stream(SMOOTH, 1025, 4, 2);
    /* Small gather windows: every wanted bin is split again, several
     * times, and ties and ulp-wide spreads must still end. */
    mc_stream_test_gather_window(8);
    for (int kind = 0; kind < N_KINDS; kind++) {
        size_t passes = compare_stream(kind, 20000, 2, 2);
        char what[64];
        snprintf(what, sizeof what, "kind %d narrows in a bounded number of passes", kind);
        check_report(passes >= 3 && passes <= 16, __FILE__, __LINE__, what, "");
    }
    mc_stream_test_gather_window(0);
    /* The usual case: bounds; sums and histograms; the
     * spread and one gather: three passes. */
    CHECK(compare_stream(SMOOTH, 20000, 3, 2) == 3);
}

void suite_mc_stream(void)
{
    test_fixed_sum();
    test_stream_equals_memory();
}
