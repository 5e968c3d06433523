/*
 * main.c - the mtfs command: argument parsing and output files only.
 *
 * Everything numerical lives in libmtfs; this file turns command-line
 * options into library calls and library errors into one line on standard
 * error and an exit status: 0 ok, 2 bad input, 3 I/O or internal error.
 */
#include "mtfs/mtfs.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_BAD_INPUT 2
#define EXIT_IO 3

static const char *program = "mtfs";

static void usage_main(FILE *out)
{
    fprintf(out,
            "Usage: mtfs <command> [options] [FILE...]\n"
            "\n"
            "Project a council's Medium-Term Financial Strategy from a scenario file:\n"
            "spending, funding, the funding gap and reserves, year by year.\n"
            "\n"
            "Commands:\n"
            "  run FILE        project one scenario; print a table, CSV, and write outputs\n"
            "  validate FILE...  check scenario files without running them\n"
            "\n"
            "Options:\n"
            "  -h, --help      show this help (mtfs <command> --help for a command's options)\n"
            "  -V, --version   show the engine version\n"
            "\n"
            "Exit status: 0 ok, 2 bad input (the message says file:line: key), 3 I/O error.\n"
            "See mtfs(1) and docs/scenario-format.md.\n");
}

static void usage_run(FILE *out)
{
    fprintf(out,
            "Usage: mtfs run FILE [-o DIR] [--format table|csv] [--plot png|svg|pdf|none]\n"
            "\n"
            "Project the scenario in FILE and print the result to standard output.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR     write DIR/<id>.csv, DIR/<id>_services.csv,\n"
            "                       DIR/<id>.meta.json and the chart DIR/<id>.png\n"
            "                       (<id> is the scenario file name without .cfg)\n"
            "  -f, --format FORMAT  table (default) or csv\n"
            "  -p, --plot FORMAT    chart format: png (default), svg, pdf or none; without\n"
            "                       -o the chart is written to plots/<id>.FORMAT\n"
            "  -h, --help           show this help\n");
}

static void usage_validate(FILE *out)
{
    fprintf(out,
            "Usage: mtfs validate FILE...\n"
            "\n"
            "Check each scenario file (and the files it inherits) without running it.\n"
            "Prints one line per file; exit status 2 if any file is invalid.\n"
            "\n"
            "Options:\n"
            "  -q, --quiet   print only the errors\n"
            "  -h, --help    show this help\n");
}

static void print_error(const mtfs_error *err)
{
    char line[MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 64];
    mtfs_error_format(err, line, sizeof line);
    /* An error tied to no file still says who is speaking. */
    fprintf(stderr, "%s%s\n", err->file[0] ? "" : "mtfs: ", line);
}

static int bad_usage(const char *fmt, const char *arg, const char *command)
{
    fprintf(stderr, "%s: ", program);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'mtfs %s--help'.\n", command);
    return EXIT_BAD_INPUT;
}

/* The time recorded in metadata: SOURCE_DATE_EPOCH when set, so a build or
 * CI job can make even the metadata reproducible. */
static time_t run_time(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        long long v = strtoll(epoch, &end, 10);
        if (*end == '\0' && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

typedef mtfs_status (*writer)(FILE *, const mtfs_scenario *, const mtfs_projection *, mtfs_error *);

/* Write one text output to a temporary file, left open for a later commit. */
static mtfs_status stage(const char *path, writer write, const mtfs_scenario *s,
                         const mtfs_projection *p, mtfs_output **out, mtfs_error *err)
{
    mtfs_status st = mtfs_output_open(path, out, err);
    if (st != MTFS_OK)
        return st;
    st = write(mtfs_output_stream(*out), s, p, err);
    if (st == MTFS_OK && fflush(mtfs_output_stream(*out)) != 0)
        st = mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot write output file");
    if (st != MTFS_OK && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}

static time_t metadata_time;

static mtfs_status write_metadata(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                  mtfs_error *err)
{
    (void)p;
    return mtfs_report_metadata(out, s, "run", metadata_time, err);
}

/* Write every requested file so that either all of them are new and
 * complete, or (on failure) none of the text outputs has been replaced. */
static mtfs_status write_outputs(const char *dir, mtfs_plot_format plot, const mtfs_scenario *s,
                                 const mtfs_projection *p, mtfs_error *err)
{
    enum { N = 3 };
    char paths[N][4096], chart[4096];
    const char *suffix[N] = {".csv", "_services.csv", ".meta.json"};
    writer writers[N] = {mtfs_report_csv, mtfs_report_services_csv, write_metadata};
    mtfs_output *staged[N] = {NULL, NULL, NULL};
    mtfs_status st = MTFS_OK;

    metadata_time = run_time();
    if (dir) {
        if ((st = mtfs_output_mkdir(dir, err)) != MTFS_OK)
            return st;
        for (int i = 0; i < N && st == MTFS_OK; i++) {
            snprintf(paths[i], sizeof paths[i], "%s/%s%s", dir, mtfs_scenario_id(s), suffix[i]);
            st = stage(paths[i], writers[i], s, p, &staged[i], err);
        }
    }
    if (st == MTFS_OK && plot != MTFS_PLOT_NONE) {
        const char *plot_dir = dir ? dir : "plots";
        if (!dir)
            st = mtfs_output_mkdir(plot_dir, err);
        snprintf(chart, sizeof chart, "%s/%s.%s", plot_dir, mtfs_scenario_id(s),
                 mtfs_plot_format_extension(plot));
        if (st == MTFS_OK)
            st = mtfs_plot_projection(chart, plot, s, p, err);
    }
    for (int i = 0; i < N; i++) {
        if (!staged[i])
            continue;
        if (st == MTFS_OK)
            st = mtfs_output_commit(staged[i], err);
        else
            mtfs_output_abort(staged[i]);
    }
    return st;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *dir = NULL, *format = "table";
    int plot = -1;
    int c;
    optind = 0;   /* 0, not 1: glibc then re-reads the option string */
    while ((c = getopt_long(argc, argv, "o:f:p:h", options, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'f':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "csv") != 0)
                return bad_usage("unknown format '%s' (expected table or csv)", optarg, "run ");
            format = optarg;
            break;
        case 'p':
            plot = mtfs_plot_format_parse(optarg);
            if (plot < 0)
                return bad_usage("unknown plot format '%s' (expected png, svg, pdf or none)", optarg,
                                 "run ");
            break;
        case 'h': usage_run(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "run ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", argc - optind < 1 ? "run needs a scenario FILE"
                                                 : "run takes exactly one scenario FILE",
                         "run ");
    /* A chart is drawn when an output directory is given or one is asked for. */
    if (plot < 0)
        plot = dir ? MTFS_PLOT_PNG : MTFS_PLOT_NONE;

    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK && !(p = mtfs_projection_alloc(s)))
        st = mtfs_error_set(&err, MTFS_ENOMEM, argv[optind], 0, NULL, "out of memory");
    if (st == MTFS_OK)
        st = mtfs_project(s, p, &err);
    if (st == MTFS_OK)
        st = write_outputs(dir, (mtfs_plot_format)plot, s, p, &err);
    if (st == MTFS_OK) {
        if (strcmp(format, "csv") == 0)
            st = mtfs_report_csv(stdout, s, p, &err);
        else
            st = mtfs_report_table(stdout, s, p,
                                   isatty(STDOUT_FILENO) && !getenv("NO_COLOR") ? MTFS_TABLE_COLOUR : 0u,
                                   &err);
        if (st == MTFS_OK && fflush(stdout) != 0)
            st = mtfs_error_set(&err, MTFS_EIO, NULL, 0, NULL, "cannot write to standard output");
    }
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return mtfs_status_exit_code(st);
}

static int cmd_validate(int argc, char **argv)
{
    static const struct option options[] = {{"quiet", no_argument, NULL, 'q'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    optind = 0;   /* 0, not 1: glibc then re-reads the option string */
    while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': usage_validate(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "validate ");
        }
    }
    if (optind == argc)
        return bad_usage("%s", "validate needs at least one scenario FILE", "validate ");
    int worst = 0;
    for (int i = optind; i < argc; i++) {
        mtfs_error err;
        mtfs_scenario *s = NULL;
        mtfs_status st = mtfs_scenario_load(argv[i], &s, &err);
        if (st != MTFS_OK) {
            print_error(&err);
            int code = mtfs_status_exit_code(st);
            if (code > worst)
                worst = code;
            continue;
        }
        if (!quiet) {
            char first[16], last[16];
            int y0 = mtfs_scenario_base_year(s);
            size_t T = mtfs_scenario_horizon(s), n_services = mtfs_scenario_service_count(s);
            size_t n_grants = mtfs_scenario_grant_count(s);
            printf("%s: ok: %s; %s to %s; %zu service%s, %zu grant%s\n", argv[i],
                   mtfs_scenario_name(s), mtfs_year_label(y0 + 1, first, sizeof first),
                   mtfs_year_label(y0 + (int)T, last, sizeof last), n_services,
                   n_services == 1 ? "" : "s", n_grants, n_grants == 1 ? "" : "s");
        }
        mtfs_scenario_free(s);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write to standard output\n", program);
        return EXIT_IO;
    }
    return worst;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {NULL, 0, NULL, 0}};
    int c;
    /* '+' stops at the command name, so its own options are left for it. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage_main(stdout); return 0;
        case 'V': printf("mtfs %s\n", mtfs_version()); return 0;
        default: return bad_usage("%s", "invalid option", "");
        }
    }
    if (optind == argc) {
        usage_main(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *command = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    if (strcmp(command, "run") == 0)
        return cmd_run(sub_argc, sub_argv);
    if (strcmp(command, "validate") == 0)
        return cmd_validate(sub_argc, sub_argv);
    if (strcmp(command, "help") == 0) {
        usage_main(stdout);
        return 0;
    }
    fprintf(stderr, "%s: unknown command '%s' (expected run or validate)\nTry 'mtfs --help'.\n",
            program, command);
    return EXIT_BAD_INPUT;
}
