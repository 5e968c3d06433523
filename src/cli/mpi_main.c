/*
 * mpi_main.c - mtfs-mpi: `mtfs mc` across the ranks of an MPI job
 * (docs/scale.md, "MPI").
 *
 * Every rank runs the same command line through the ordinary mc command
 * (cli_main); cli_mc_hook makes mc's job a call of mc_run_ranks, which
 * gives rank r of R its share of the path blocks (shard r + 1 of R, as
 * `mtfs mc --shard` would) and combines every pass of the bounded-memory
 * summary through the collectives below.  Every combination is exact and
 * commutative (integer sums, least and greatest values, a multiset of
 * gathered values), so the reduction tree MPI picks cannot change a bit:
 * rank 0 ends with the very result `mtfs mc` computes, and only rank 0
 * writes and prints it.  The other ranks' standard output and error go to
 * /dev/null; an error on any rank reaches rank 0, which reports it.
 *
 * MPI is called only from the main thread (the path loop's threads never
 * touch it): MPI_THREAD_FUNNELED is enough.  This file is the only one
 * that includes mpi.h, and libmtfs.a never links MPI.
 */
#include "cli.h"
#include "mc_source.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest element count handed to one MPI call (counts are int). */
#define CHUNK ((size_t)1 << 26)

typedef struct {
    MPI_Comm comm;
    int rank, ranks;
    int failed_here;          /* this rank reported a failure of its own */
    int *recv_counts, *displs; /* concat's, allocated once (no allocation may fail mid-run) */
    MPI_Datatype pair, fixed, bin, size_type;
    MPI_Op op_pair, op_fixed, op_bin;
} mpi_job;

/* A histogram bin as mc_stats.c lays it out (mc_reducer's contract). */
typedef struct {
    double least, greatest;
    size_t count;
} bin_record;

__extension__ typedef __int128 fixed_int;
__extension__ typedef unsigned __int128 fixed_uint;

static void reduce_pairs(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const double *a = in;
    double *b = inout;
    for (int i = 0; i < *len; i++) {
        b[2 * i] = a[2 * i] < b[2 * i] ? a[2 * i] : b[2 * i];
        b[2 * i + 1] = a[2 * i + 1] > b[2 * i + 1] ? a[2 * i + 1] : b[2 * i + 1];
    }
}

static void reduce_fixed(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const unsigned char *a = in;
    unsigned char *b = inout;
    for (int i = 0; i < *len; i++) {
        fixed_int x, y;
        memcpy(&x, a + (size_t)i * sizeof x, sizeof x);
        memcpy(&y, b + (size_t)i * sizeof y, sizeof y);
        /* Two's-complement addition, as the library's own (never overflows:
         * the scale leaves room for every path's value). */
        y = (fixed_int)((fixed_uint)x + (fixed_uint)y);
        memcpy(b + (size_t)i * sizeof y, &y, sizeof y);
    }
}

static void reduce_bins(void *in, void *inout, int *len, MPI_Datatype *type)
{
    (void)type;
    const unsigned char *a = in;
    unsigned char *b = inout;
    for (int i = 0; i < *len; i++) {
        bin_record x, y;
        memcpy(&x, a + (size_t)i * sizeof x, sizeof x);
        memcpy(&y, b + (size_t)i * sizeof y, sizeof y);
        y.count += x.count;
        y.least = x.least < y.least ? x.least : y.least;
        y.greatest = x.greatest > y.greatest ? x.greatest : y.greatest;
        memcpy(b + (size_t)i * sizeof y, &y, sizeof y);
    }
}

/* a[0..n) of `type` (each `size` bytes) combined in place over every rank. */
static int allreduce(mpi_job *job, void *a, size_t n, size_t size, MPI_Datatype type, MPI_Op op)
{
    for (size_t at = 0; at < n; at += CHUNK) {
        int count = (int)(n - at < CHUNK ? n - at : CHUNK);
        if (MPI_Allreduce(MPI_IN_PLACE, (unsigned char *)a + at * size, count, type, op, job->comm) !=
            MPI_SUCCESS)
            return -1;
    }
    return 0;
}

static int job_min_max(void *c, double *a, size_t n)
{
    mpi_job *job = c;
    return allreduce(job, a, n, 2 * sizeof *a, job->pair, job->op_pair);
}

static int job_sum_counts(void *c, size_t *a, size_t n)
{
    mpi_job *job = c;
    return allreduce(job, a, n, sizeof *a, job->size_type, MPI_SUM);
}

static int job_sum_fixed(void *c, void *a, size_t n)
{
    mpi_job *job = c;
    return allreduce(job, a, n, sizeof(fixed_int), job->fixed, job->op_fixed);
}

static int job_bins(void *c, void *a, size_t n)
{
    mpi_job *job = c;
    return allreduce(job, a, n, sizeof(bin_record), job->bin, job->op_bin);
}

static int job_concat(void *c, const double *mine, size_t n, double *all, const size_t *count)
{
    mpi_job *job = c;
    size_t at = 0;
    for (int r = 0; r < job->ranks; r++) {
        /* The library gathers at most 2^20 values a pass. */
        if (count[r] > INT_MAX || at > INT_MAX)
            return -1;
        job->recv_counts[r] = (int)count[r];
        job->displs[r] = (int)at;
        at += count[r];
    }
    if (n != count[job->rank])
        return -1;
    return MPI_Allgatherv(mine, (int)n, MPI_DOUBLE, all, job->recv_counts, job->displs, MPI_DOUBLE,
                          job->comm) == MPI_SUCCESS ? 0 : -1;
}

static int job_any(void *c, int failed)
{
    mpi_job *job = c;
    int mine = failed != 0, any = 0;
    job->failed_here |= mine;
    if (MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_LOR, job->comm) != MPI_SUCCESS)
        return 1;
    return any;
}

static mpi_job job;

/* cli_mc_hook.run: the job across every rank.  After it, every rank holds
 * the whole result, or every rank fails with the first failing rank's
 * error. */
static mtfs_status run_ranks(const mtfs_scenario *s, const mtfs_mc_options *o, mtfs_mc_result **out,
                             mtfs_error *err)
{
    *out = NULL;
    mc_reducer red = {&job,           (size_t)job.rank, (size_t)job.ranks, job_min_max,
                      job_sum_counts, job_sum_fixed,    job_bins,          job_concat,
                      job_any};
    job.failed_here = 0;
    mtfs_status st = s ? MTFS_OK : err->status;
    /* A rank that could not load the scenario still takes part, so no
     * other rank waits for it. */
    if (job_any(&job, !s))
        st = st != MTFS_OK ? st : MTFS_EINPUT;
    else
        st = mc_run_ranks(s, o, &red, out, err);
    /* The first rank that failed by itself tells every rank why. */
    int origin = job.failed_here ? job.rank : job.ranks, first = job.ranks;
    MPI_Allreduce(&origin, &first, 1, MPI_INT, MPI_MIN, job.comm);
    if (first < job.ranks) {
        MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, first, job.comm);
        st = err->status != MTFS_OK ? err->status : MTFS_EINPUT;
        mtfs_mc_result_free(*out);
        *out = NULL;
    }
    return st;
}

/* The command word of argv (after mtfs's global options), or NULL. */
static const char *command_word(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--restrict") == 0) {
            i++;
            continue;
        }
        if (argv[i][0] != '-')
            return argv[i];
    }
    return NULL;
}

static int setup(void)
{
    MPI_Comm_rank(job.comm, &job.rank);
    MPI_Comm_size(job.comm, &job.ranks);
    job.recv_counts = calloc((size_t)job.ranks, sizeof *job.recv_counts);
    job.displs = calloc((size_t)job.ranks, sizeof *job.displs);
    if (!job.recv_counts || !job.displs)
        return -1;
    MPI_Type_contiguous(2, MPI_DOUBLE, &job.pair);
    MPI_Type_contiguous((int)sizeof(fixed_int), MPI_BYTE, &job.fixed);
    MPI_Type_contiguous((int)sizeof(bin_record), MPI_BYTE, &job.bin);
    MPI_Type_commit(&job.pair);
    MPI_Type_commit(&job.fixed);
    MPI_Type_commit(&job.bin);
    job.size_type = sizeof(size_t) == sizeof(unsigned long) ? MPI_UNSIGNED_LONG
                                                            : MPI_UNSIGNED_LONG_LONG;
    /* Commutative: every one of them is exact, so any order gives the
     * same bits. */
    MPI_Op_create(reduce_pairs, 1, &job.op_pair);
    MPI_Op_create(reduce_fixed, 1, &job.op_fixed);
    MPI_Op_create(reduce_bins, 1, &job.op_bin);
    return 0;
}

static void teardown(void)
{
    if (job.op_pair != MPI_OP_NULL) {
        MPI_Op_free(&job.op_pair);
        MPI_Op_free(&job.op_fixed);
        MPI_Op_free(&job.op_bin);
        MPI_Type_free(&job.pair);
        MPI_Type_free(&job.fixed);
        MPI_Type_free(&job.bin);
    }
    free(job.recv_counts);
    free(job.displs);
}

int main(int argc, char **argv)
{
    int provided;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("mtfs-mpi: MPI_Init_thread failed\n", stderr);
        return CLI_EXIT_IO;
    }
    job.comm = MPI_COMM_WORLD;
    job.op_pair = MPI_OP_NULL;
    int code;
    const char *word = command_word(argc, argv);
    if (setup() != 0) {
        fputs("mtfs-mpi: out of memory\n", stderr);
        code = CLI_EXIT_IO;
    } else if (word && strcmp(word, "mc") != 0) {
        /* Every rank would run it: refuse rather than run it R times. */
        if (job.rank == 0)
            fprintf(stderr, "mtfs-mpi: '%s' does not run across ranks (expected mtfs-mpi mc FILE "
                    "[options]; run other commands with mtfs)\n", word);
        code = CLI_EXIT_BAD_INPUT;
    } else {
        if (job.rank != 0) {
            /* Rank 0 speaks for the job (it reports any rank's error). */
            FILE *out = freopen("/dev/null", "w", stdout), *errs = freopen("/dev/null", "w", stderr);
            (void)out;
            (void)errs;
        }
        cli_mc_hook.run = run_ranks;
        cli_mc_hook.silent = job.rank != 0;
        /* One rank a core is the usual way to start an MPI job. */
        cli_mc_hook.threads = 1;
        code = cli_main(argc, argv);
    }
    teardown();
    MPI_Finalize();
    return code;
}
