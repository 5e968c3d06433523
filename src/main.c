/*
 * main.c - the mtfs command: argument parsing and output files only.
 *
 * Everything numerical lives in libmtfs; this file turns command-line
 * options into library calls and library errors into one line on standard
 * error and an exit status: 0 ok, 1 a --fail-if threshold crossed, 2 bad
 * input, 3 I/O or internal error.
 */
#include "mtfs/mtfs.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_BAD_INPUT 2
#define EXIT_IO 3
#define MAX_SCENARIOS 64
#define PATH_LEN 4096

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
            "  run FILE             project one scenario: table, CSV or JSON, files, charts\n"
            "  validate FILE...     check scenario files without running them\n"
            "  compare FILE...      put scenarios side by side, with differences\n"
            "  bridge FILE          split the gap into what moved it, with a waterfall chart\n"
            "  sensitivity FILE     how much the final gap moves per assumption\n"
            "  batch FILE|DIR...    run many scenarios and test --fail-if thresholds\n"
            "  mc FILE              Monte Carlo over the uncertainty block: percentiles, fan chart\n"
            "  tornado FILE         which uncertain inputs move the final gap most\n"
            "  goalseek FILE        the council-tax rise or saving that meets a target\n"
            "  formula FILE         a fair-funding formula over the authority data set\n"
            "  brief FILE           a lobbying brief: funding per head, formulas, the gap\n"
            "  backtest [DIR]       published MTFS editions against the model and the outturn\n"
            "\n"
            "Options:\n"
            "  -h, --help      show this help (mtfs <command> --help for a command's options)\n"
            "  -V, --version   show the engine version\n"
            "  --restrict DIR  read only files inside DIR: every scenario, base, @include,\n"
            "                  formula and data file must resolve there (for files nobody\n"
            "                  has reviewed; also MTFS_RESTRICT=DIR; on by default for\n"
            "                  batch when CI is set, see mtfs(1))\n"
            "  --no-restrict   read files anywhere, even where a restriction is the default\n"
            "\n"
            "Exit status: 0 ok, 1 a --fail-if threshold crossed, 2 bad input (the message\n"
            "says file:line: key), 3 I/O error.  See mtfs(1) and docs/scenario-format.md.\n");
}

static void usage_run(FILE *out)
{
    fprintf(out,
            "Usage: mtfs run FILE [-o DIR] [--format table|csv|json] [--plot png|svg|pdf|none]\n"
            "                [--xlsx]\n"
            "\n"
            "Project the scenario in FILE and print the result to standard output.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR     write into DIR (<id> is the file name without .cfg):\n"
            "                       <id>.csv, <id>_services.csv, <id>_bridge.csv,\n"
            "                       <id>_sensitivity.csv, <id>.json, <id>.meta.json and the\n"
            "                       charts <id>.png and <id>_bridge.png\n"
            "  -f, --format FORMAT  table (default), csv or json\n"
            "  -p, --plot FORMAT    chart format: png (default), svg, pdf or none; without\n"
            "                       -o the chart is written to plots/<id>.FORMAT\n"
            "  -x, --xlsx           with -o, also write the workbook <id>.xlsx\n"
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

static void usage_compare(FILE *out)
{
    fprintf(out,
            "Usage: mtfs compare FILE FILE... [-o DIR] [--format table|csv] [--plot FORMAT]\n"
            "\n"
            "Put scenarios side by side: the gap by financial year, final-year and\n"
            "cumulative gap, the year reserves fall below their minimum, and the\n"
            "difference from the first scenario.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR     write DIR/compare.csv and the chart DIR/compare.png\n"
            "  -f, --format FORMAT  table (default) or csv (one row per scenario and year)\n"
            "  -p, --plot FORMAT    png (default with -o), svg, pdf or none\n"
            "  -h, --help           show this help\n");
}

static void usage_bridge(FILE *out)
{
    fprintf(out,
            "Usage: mtfs bridge FILE [--year YEAR] [-o DIR] [--format table|csv] [--plot FORMAT]\n"
            "\n"
            "Split the funding gap of a year (the final year by default) into pay and\n"
            "price inflation, demand, new pressures, savings, one-offs and the funding\n"
            "side; the items add up to the gap exactly.\n"
            "\n"
            "Options:\n"
            "  -y, --year YEAR      the year to bridge to, e.g. 2027 or 2027/28\n"
            "  -o, --output DIR     write DIR/<id>_bridge.csv and DIR/<id>_bridge.png\n"
            "  -f, --format FORMAT  table (default) or csv\n"
            "  -p, --plot FORMAT    png (default with -o), svg, pdf or none\n"
            "  -h, --help           show this help\n");
}

static void usage_sensitivity(FILE *out)
{
    fprintf(out,
            "Usage: mtfs sensitivity FILE [--format table|csv]\n"
            "\n"
            "How much the final-year gap moves for pay +1 point, prices +1 point,\n"
            "demand +1 point in each service, council tax +1 point, tax-base growth\n"
            "+1 point (each every year), and savings delivery 10 points lower.\n"
            "\n"
            "Options:\n"
            "  -f, --format FORMAT  table (default) or csv\n"
            "  -h, --help           show this help\n");
}

static void usage_batch(FILE *out)
{
    fprintf(out,
            "Usage: mtfs batch FILE|DIR... [--fail-if CONDITION]... [-o DIR]\n"
            "                  [--format table|csv|json]\n"
            "\n"
            "Run every scenario (every *.cfg in a DIR) and summarise them.  A bad\n"
            "scenario is reported and the rest still run.\n"
            "\n"
            "Options:\n"
            "  -F, --fail-if CONDITION  exit 1 when CONDITION holds for any scenario, e.g.\n"
            "                           'gap[2028] > 80', 'final_gap >= 100',\n"
            "                           'cumulative_gap > 250', 'reserves[2027] < 20',\n"
            "                           'exhaustion_year <= 2027', 'covid_pressure[2020] > 10'\n"
            "  -o, --output DIR         write DIR/batch_summary.csv and DIR/batch_summary.json\n"
            "  -f, --format FORMAT      table (default), csv or json\n"
            "      --restrict DIR       read only files inside DIR (the default is the\n"
            "                           current directory when the environment sets CI)\n"
            "      --no-restrict        read files anywhere\n"
            "  -h, --help               show this help\n"
            "\n"
            "Exit status: 2 if any scenario or condition is bad input, else 1 if any\n"
            "condition holds, else 0.\n");
}

/* The --restrict choice: 1 once made on the command line or by
 * MTFS_RESTRICT, so a command's default does not override it. */
static int restriction_chosen;

static void print_error(const mtfs_error *err);

/* Restrict inputs to dir (NULL: lift the restriction); 0, or -1 after
 * reporting a bad directory. */
static int apply_restriction(const char *dir)
{
    mtfs_error err;
    if (mtfs_input_restrict(dir, &err) != MTFS_OK) {
        print_error(&err);
        return -1;
    }
    return 0;
}

/* Is this a CI job?  CI=true (or 1) is what CI services set. */
static int ci_environment(void)
{
    const char *ci = getenv("CI");
    return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
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

static int finish_stdout(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write to standard output\n", program);
        return EXIT_IO;
    }
    return code;
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

static unsigned table_options(void)
{
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") ? MTFS_TABLE_COLOUR : 0u;
}

/* ------------------------------------------------------------------ */
/* Output sets: every file a command writes (its text files, charts and
 * workbook) joins one mtfs_output_set (mtfs/output.h), which replaces the
 * previous set all or nothing.  output_begin() makes the set active, so
 * the charts and the workbook join it too; output_stage() writes one text
 * file into it; output_finish() commits the set or removes it all.      */

typedef mtfs_status (*emit_fn)(FILE *out, const void *ctx, mtfs_error *err);

typedef struct {
    mtfs_output_set *files;
    size_t n;
    const char *dir;
} output_set;

/* Start the set: after it, every output file the command opens joins it. */
static mtfs_status output_begin(output_set *set, mtfs_status st, mtfs_error *err)
{
    return st == MTFS_OK ? mtfs_output_set_begin(&set->files, err) : st;
}

static mtfs_status output_stage(output_set *set, const char *name, emit_fn emit, const void *ctx,
                                mtfs_error *err)
{
    char path[PATH_LEN];
    snprintf(path, sizeof path, "%s/%s", set->dir, name);
    mtfs_output *o;
    /* The first file of a set makes its directory. */
    mtfs_status st = set->n ? MTFS_OK : mtfs_output_mkdir(set->dir, err);
    if (st == MTFS_OK)
        st = mtfs_output_open(path, &o, err);
    if (st != MTFS_OK)
        return st;
    set->n++;
    st = emit(mtfs_output_stream(o), ctx, err);
    if (st == MTFS_OK && fflush(mtfs_output_stream(o)) != 0)
        st = mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot write output file");
    if (st != MTFS_OK && !err->file[0]) {
        /* Name the file the error was about (truncated to the record). */
        size_t len = strlen(path) < sizeof err->file ? strlen(path) : sizeof err->file - 1;
        memcpy(err->file, path, len);
        err->file[len] = '\0';
    }
    /* Inside the set, commit only finishes the file (flush and sync); the
     * set gives it its name. */
    if (st == MTFS_OK)
        st = mtfs_output_commit(o, err);
    return st;
}

/* Commit the whole set if st is MTFS_OK, else remove it all. */
static mtfs_status output_finish(output_set *set, mtfs_status st, mtfs_error *err)
{
    if (set->files) {
        if (st == MTFS_OK)
            st = mtfs_output_set_commit(set->files, err);
        else
            mtfs_output_set_abort(set->files);
    }
    set->files = NULL;
    set->n = 0;
    return st;
}

static mtfs_status load_and_project(const char *path, mtfs_scenario **s, mtfs_projection **p,
                                    mtfs_error *err)
{
    *p = NULL;
    mtfs_status st = mtfs_scenario_load(path, s, err);
    if (st == MTFS_OK && !(*p = mtfs_projection_alloc(*s)))
        st = mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    if (st == MTFS_OK)
        st = mtfs_project(*s, *p, err);
    return st;
}

/* Parse a --format value against the formats a command offers. */
static int parse_format(const char *text, const char *const *allowed, const char *expected,
                        const char *command, const char **out)
{
    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(text, allowed[i]) == 0) {
            *out = allowed[i];
            return 0;
        }
    }
    char fmt[160];
    snprintf(fmt, sizeof fmt, "unknown format '%%s' (expected %s)", expected);
    return bad_usage(fmt, text, command);
}

static int parse_plot(const char *text, int *plot, const char *command)
{
    *plot = mtfs_plot_format_parse(text);
    if (*plot < 0)
        return bad_usage("unknown plot format '%s' (expected png, svg, pdf or none)", text, command);
    return 0;
}

/* -o DIR, -f FORMAT and -p FORMAT, shared by the commands that write
 * files.  output_option() returns 1 when option c was one of them, 0 when
 * it was not, and -1 after reporting a bad value. */
typedef struct {
    const char *dir;
    const char *format;
    int plot;                /* -1 until chosen: see chosen_plot() */
} output_options;

static int output_option(int c, output_options *o, const char *const *formats,
                         const char *expected, const char *command)
{
    switch (c) {
    case 'o': o->dir = optarg; return 1;
    case 'f': return parse_format(optarg, formats, expected, command, &o->format) ? -1 : 1;
    case 'p': return parse_plot(optarg, &o->plot, command) ? -1 : 1;
    default: return 0;
    }
}

/* A chart is drawn when an output directory is given or a format is asked
 * for: PNG by default with -o, none without. */
static mtfs_plot_format chosen_plot(const output_options *o)
{
    return o->plot >= 0 ? (mtfs_plot_format)o->plot : o->dir ? MTFS_PLOT_PNG : MTFS_PLOT_NONE;
}

/* The path of a chart, DIR/<stem><suffix>.<ext>, in the -o DIR or, without
 * one, in plots/ (made if needed). */
static mtfs_status chart_path(const output_options *o, const char *stem, const char *suffix,
                              char *buf, size_t size, mtfs_error *err)
{
    const char *dir = o->dir ? o->dir : "plots";
    mtfs_status st = o->dir ? MTFS_OK : mtfs_output_mkdir(dir, err);
    snprintf(buf, size, "%s/%s%s.%s", dir, stem, suffix, mtfs_plot_format_extension(chosen_plot(o)));
    return st;
}

/* A year written 2027 or 2027/28, as a year index of projection p. */
static int year_index(const char *text, const mtfs_projection *p, size_t *t)
{
    int y;
    if (mtfs_year_parse(text, &y) != 0 || y - p->base_year < 1 || (size_t)(y - p->base_year) > p->horizon)
        return -1;
    *t = (size_t)(y - p->base_year);
    return 0;
}

/* ------------------------------------------------------------------ */
/* run                                                                 */

typedef struct {
    const mtfs_scenario *s;
    const mtfs_projection *p;
    const mtfs_bridge *bridge;
    const mtfs_sensitivity_row *rows;
    size_t n_rows;
    double base_final_gap;
    time_t when;
} run_context;

static mtfs_status emit_csv(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_csv(out, r->s, r->p, err);
}

static mtfs_status emit_services(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_services_csv(out, r->s, r->p, err);
}

static mtfs_status emit_json(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_json_write_run(out, r->s, r->p, err);
}

static mtfs_status emit_meta(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_metadata(out, r->s, "run", r->when, err);
}

static mtfs_status emit_bridge(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_bridge_csv(out, r->bridge, err);
}

static mtfs_status emit_sensitivity(FILE *out, const void *c, mtfs_error *err)
{
    const run_context *r = c;
    return mtfs_report_sensitivity_csv(out, r->rows, r->n_rows, r->base_final_gap, err);
}

static mtfs_status write_run_outputs(const output_options *o, int xlsx, const run_context *r,
                                     mtfs_error *err)
{
    char name[PATH_LEN], chart[PATH_LEN];
    const char *id = mtfs_scenario_id(r->s), *dir = o->dir;
    mtfs_plot_format plot = chosen_plot(o);
    output_set set = {NULL, 0, dir};
    mtfs_status st = output_begin(&set, MTFS_OK, err);
    if (dir) {
        static const struct { const char *suffix; emit_fn emit; } files[] = {
            {".csv", emit_csv}, {"_services.csv", emit_services}, {"_bridge.csv", emit_bridge},
            {"_sensitivity.csv", emit_sensitivity}, {".json", emit_json}, {".meta.json", emit_meta}};
        for (size_t i = 0; st == MTFS_OK && i < sizeof files / sizeof files[0]; i++) {
            snprintf(name, sizeof name, "%s%s", id, files[i].suffix);
            st = output_stage(&set, name, files[i].emit, r, err);
        }
    }
    if (st == MTFS_OK && plot != MTFS_PLOT_NONE) {
        if ((st = chart_path(o, id, "", chart, sizeof chart, err)) == MTFS_OK)
            st = mtfs_plot_projection(chart, plot, r->s, r->p, err);
        if (st == MTFS_OK && dir && (st = chart_path(o, id, "_bridge", chart, sizeof chart, err)) == MTFS_OK)
            st = mtfs_plot_bridge(chart, plot, r->s, r->bridge, err);
    }
    if (st == MTFS_OK && xlsx) {
        snprintf(chart, sizeof chart, "%s/%s.xlsx", dir, id);
        st = mtfs_xlsx_write(chart, r->s, r->p, r->bridge, err);
    }
    return output_finish(&set, st, err);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"xlsx", no_argument, NULL, 'x'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    output_options out = {NULL, "table", -1};
    int xlsx = 0, c;
    optind = 0;   /* 0, not 1: glibc then re-reads the option string */
    while ((c = getopt_long(argc, argv, "o:f:p:xh", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table, csv or json", "run ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'x': xlsx = 1; break;
        case 'h': usage_run(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "run ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", argc - optind < 1 ? "run needs a scenario FILE"
                                                 : "run takes exactly one scenario FILE",
                         "run ");
    if (xlsx && !out.dir)
        return bad_usage("%s", "--xlsx writes a workbook into the -o DIR: give -o DIR too", "run ");

    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_bridge bridge;
    run_context r = {NULL, NULL, &bridge, NULL, 0, 0.0, run_time()};
    mtfs_sensitivity_row *rows = NULL;
    mtfs_status st = load_and_project(argv[optind], &s, &p, &err);
    if (st == MTFS_OK)
        st = mtfs_bridge_compute(s, p, p->horizon, &bridge, &err);
    if (st == MTFS_OK && out.dir)
        st = mtfs_sensitivity_compute(s, &rows, &r.n_rows, &r.base_final_gap, &err);
    r.s = s;
    r.p = p;
    r.rows = rows;
    if (st == MTFS_OK)
        st = write_run_outputs(&out, xlsx, &r, &err);
    if (st == MTFS_OK) {
        if (strcmp(out.format, "csv") == 0)
            st = mtfs_report_csv(stdout, s, p, &err);
        else if (strcmp(out.format, "json") == 0)
            st = mtfs_json_write_run(stdout, s, p, &err);
        else
            st = mtfs_report_table(stdout, s, p, table_options(), &err);
        if (st == MTFS_OK && fflush(stdout) != 0)
            st = mtfs_error_set(&err, MTFS_EIO, NULL, 0, NULL, "cannot write to standard output");
    }
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_sensitivity_free(rows);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* validate                                                            */

static int cmd_validate(int argc, char **argv)
{
    static const struct option options[] = {{"quiet", no_argument, NULL, 'q'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    optind = 0;
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
    return finish_stdout(worst);
}

/* ------------------------------------------------------------------ */
/* compare                                                             */

typedef struct {
    size_t n;
    const mtfs_scenario *const *s;
    const mtfs_projection *const *p;
} compare_context;

static mtfs_status emit_compare(FILE *out, const void *c, mtfs_error *err)
{
    const compare_context *k = c;
    return mtfs_report_compare_csv(out, k->n, k->s, k->p, err);
}

static int cmd_compare(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    output_options out = {NULL, "table", -1};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:f:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table or csv", "compare ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'h': usage_compare(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "compare ");
        }
    }
    int n = argc - optind;
    if (n < 2)
        return bad_usage("%s", "compare needs at least two scenario FILEs", "compare ");
    if (n > MAX_SCENARIOS)
        return bad_usage("compare takes at most %s scenarios", "64", "compare ");

    mtfs_scenario *s[MAX_SCENARIOS] = {NULL};
    mtfs_projection *p[MAX_SCENARIOS] = {NULL};
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_status st = MTFS_OK;
    for (int i = 0; i < n && st == MTFS_OK; i++)
        st = load_and_project(argv[optind + i], &s[i], &p[i], &err);
    const mtfs_scenario *const *cs = (const mtfs_scenario *const *)s;
    const mtfs_projection *const *cp = (const mtfs_projection *const *)p;
    compare_context ctx = {(size_t)n, cs, cp};
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    if (st == MTFS_OK && out.dir)
        st = output_stage(&set, "compare.csv", emit_compare, &ctx, &err);
    char chart[PATH_LEN];
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE &&
        (st = chart_path(&out, "compare", "", chart, sizeof chart, &err)) == MTFS_OK)
        st = mtfs_plot_compare(chart, chosen_plot(&out), (size_t)n, cs, cp, &err);
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK) {
        if (strcmp(out.format, "csv") == 0)
            st = mtfs_report_compare_csv(stdout, (size_t)n, cs, cp, &err);
        else
            st = mtfs_report_compare_table(stdout, (size_t)n, cs, cp, &err);
    }
    if (st != MTFS_OK)
        print_error(&err);
    for (int i = 0; i < n; i++) {
        mtfs_projection_free(p[i]);
        mtfs_scenario_free(s[i]);
    }
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* bridge and sensitivity                                              */

static int cmd_bridge(int argc, char **argv)
{
    static const struct option options[] = {{"year", required_argument, NULL, 'y'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    output_options out = {NULL, "table", -1};
    const char *year = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "y:o:f:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table or csv", "bridge ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'y': year = optarg; break;
        case 'h': usage_bridge(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "bridge ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "bridge takes exactly one scenario FILE", "bridge ");

    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_bridge bridge;
    mtfs_status st = load_and_project(argv[optind], &s, &p, &err);
    size_t t = p ? p->horizon : 0;
    if (st == MTFS_OK && year && year_index(year, p, &t) != 0) {
        char first[16], last[16];
        st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                            "--year '%s' is not a year of the projection (expected %s to %s)", year,
                            mtfs_year_label(p->base_year + 1, first, sizeof first),
                            mtfs_year_label(p->base_year + (int)p->horizon, last, sizeof last));
    }
    if (st == MTFS_OK)
        st = mtfs_bridge_compute(s, p, t, &bridge, &err);
    run_context r = {s, p, &bridge, NULL, 0, 0.0, 0};
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    char name[PATH_LEN];
    if (st == MTFS_OK && out.dir) {
        snprintf(name, sizeof name, "%s_bridge.csv", mtfs_scenario_id(s));
        st = output_stage(&set, name, emit_bridge, &r, &err);
    }
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE &&
        (st = chart_path(&out, mtfs_scenario_id(s), "_bridge", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_bridge(name, chosen_plot(&out), s, &bridge, &err);
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK)
        st = strcmp(out.format, "csv") == 0 ? mtfs_report_bridge_csv(stdout, &bridge, &err)
                                        : mtfs_report_bridge_table(stdout, s, &bridge, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

static int cmd_sensitivity(int argc, char **argv)
{
    static const struct option options[] = {{"format", required_argument, NULL, 'f'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    const char *format = "table";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (parse_format(optarg, formats, "table or csv", "sensitivity ", &format))
                return EXIT_BAD_INPUT;
            break;
        case 'h': usage_sensitivity(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "sensitivity ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "sensitivity takes exactly one scenario FILE", "sensitivity ");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_sensitivity_row *rows = NULL;
    size_t n = 0;
    double base = 0.0;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_sensitivity_compute(s, &rows, &n, &base, &err);
    if (st == MTFS_OK)
        st = strcmp(format, "csv") == 0 ? mtfs_report_sensitivity_csv(stdout, rows, n, base, &err)
                                        : mtfs_report_sensitivity_table(stdout, s, rows, n, base, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_sensitivity_free(rows);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* batch                                                               */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every *.cfg in dir, in name order, so the summary is reproducible. */
static mtfs_status batch_directory(mtfs_batch *b, const char *dir, mtfs_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL, "cannot open directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    mtfs_status st = MTFS_OK;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL && st == MTFS_OK) {
        size_t len = strlen(entry->d_name);
        if (len < 5 || strcmp(entry->d_name + len - 4, ".cfg") != 0 || entry->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                st = mtfs_error_set(err, MTFS_ENOMEM, dir, 0, NULL, "out of memory");
                break;
            }
            names = grown;
        }
        size_t size = strlen(dir) + len + 2;
        if (!(names[n] = malloc(size))) {
            st = mtfs_error_set(err, MTFS_ENOMEM, dir, 0, NULL, "out of memory");
            break;
        }
        snprintf(names[n++], size, "%s/%s", dir, entry->d_name);
    }
    closedir(d);
    if (st == MTFS_OK)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        if (st == MTFS_OK)
            st = mtfs_batch_run_file(b, names[i], err);
        free(names[i]);
    }
    free(names);
    return st;
}

static mtfs_status emit_batch_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_batch_write_csv(out, c, err);
}

static mtfs_status emit_batch_json(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_json_write_batch(out, c, err);
}

static int cmd_batch(int argc, char **argv)
{
    static const struct option options[] = {{"fail-if", required_argument, NULL, 'F'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"restrict", required_argument, NULL, 'R'},
                                            {"no-restrict", no_argument, NULL, 'N'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    mtfs_condition conditions[32];
    size_t n_conditions = 0;
    const char *dir = NULL, *format = "table";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "F:o:f:h", options, NULL)) != -1) {
        switch (c) {
        case 'F': {
            mtfs_error err;
            if (n_conditions == sizeof conditions / sizeof conditions[0])
                return bad_usage("at most %s --fail-if conditions", "32", "batch ");
            if (mtfs_condition_parse(optarg, &conditions[n_conditions], &err) != MTFS_OK) {
                print_error(&err);
                return EXIT_BAD_INPUT;
            }
            n_conditions++;
            break;
        }
        case 'o': dir = optarg; break;
        case 'f':
            if (parse_format(optarg, formats, "table, csv or json", "batch ", &format))
                return EXIT_BAD_INPUT;
            break;
        case 'R':
        case 'N':
            if (apply_restriction(c == 'R' ? optarg : NULL) != 0)
                return EXIT_BAD_INPUT;
            restriction_chosen = 1;
            break;
        case 'h': usage_batch(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "batch ");
        }
    }
    /* A CI job runs files from pull requests nobody has reviewed: there,
     * unless told otherwise, a batch reads nothing outside the checkout. */
    if (!restriction_chosen && ci_environment() && apply_restriction(".") != 0)
        return EXIT_BAD_INPUT;
    if (optind == argc)
        return bad_usage("%s", "batch needs scenario FILEs or a DIR of them", "batch ");

    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_batch *b = mtfs_batch_new(conditions, n_conditions);
    mtfs_status st = b ? MTFS_OK : mtfs_error_set(&err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    for (int i = optind; i < argc && st == MTFS_OK; i++) {
        struct stat info;
        if (stat(argv[i], &info) == 0 && S_ISDIR(info.st_mode))
            st = batch_directory(b, argv[i], &err);
        else
            st = mtfs_batch_run_file(b, argv[i], &err);
    }
    output_set set = {NULL, 0, dir};
    st = output_begin(&set, st, &err);
    if (st == MTFS_OK && dir) {
        st = output_stage(&set, "batch_summary.csv", emit_batch_csv, b, &err);
        if (st == MTFS_OK)
            st = output_stage(&set, "batch_summary.json", emit_batch_json, b, &err);
    }
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK) {
        if (strcmp(format, "csv") == 0)
            st = mtfs_batch_write_csv(stdout, b, &err);
        else if (strcmp(format, "json") == 0)
            st = mtfs_json_write_batch(stdout, b, &err);
        else
            st = mtfs_batch_write_table(stdout, b, &err);
    }
    int code = st == MTFS_OK ? mtfs_batch_exit_code(b) : mtfs_status_exit_code(st);
    /* Scenario errors go to standard error too, in the usual one-line form,
     * so a CI log shows them whatever the output format. */
    for (size_t i = 0; b && i < b->n_entries; i++)
        if (b->entries[i].status != MTFS_OK)
            fprintf(stderr, "%s\n", b->entries[i].error);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_batch_free(b);
    return st == MTFS_OK ? finish_stdout(code) : code;
}

/* ------------------------------------------------------------------ */
/* mc, tornado, goalseek                                               */

static void usage_mc(FILE *out)
{
    fprintf(out,
            "Usage: mtfs mc FILE [--paths N] [--seed S] [--threads K] [--threshold X]...\n"
            "               [-o DIR] [--format table|csv|json] [--plot FORMAT] [--quiet]\n"
            "\n"
            "Monte Carlo over the scenario's uncertainty block: percentiles (5 to 95) of\n"
            "the gap, cumulative gap and reserves by year, P(gap > threshold) and the\n"
            "chance reserves fall below their minimum.  The same seed gives the same\n"
            "numbers for any --threads.\n"
            "\n"
            "Options:\n"
            "  -n, --paths N        number of paths (default: uncertainty.paths, else 10000)\n"
            "  -s, --seed S         seed (default: uncertainty.seed, else 1)\n"
            "  -j, --threads K      worker threads (default 1)\n"
            "  -t, --threshold X    report P(gap > X £m); repeatable; replaces the file's\n"
            "  -o, --output DIR     write <id>_mc.csv, <id>_mc.json, <id>_fan.png and\n"
            "                       <id>_exhaustion.png\n"
            "  -f, --format FORMAT  table (default), csv or json\n"
            "  -p, --plot FORMAT    png (default with -o), svg, pdf or none\n"
            "  -q, --quiet          no progress bar\n"
            "      --max-memory MIB refuse a run that would hold more than MIB MiB (default:\n"
            "                       80%% of this machine's memory; each path keeps about\n"
            "                       16 bytes a year)\n"
            "  -h, --help           show this help\n");
}

static void usage_tornado(FILE *out)
{
    fprintf(out,
            "Usage: mtfs tornado FILE [-o DIR] [--format table|csv] [--plot FORMAT]\n"
            "\n"
            "The swing of the final-year gap as each uncertain input moves to its 10th\n"
            "and 90th percentile with the others as planned, largest first.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR     write <id>_tornado.csv and <id>_tornado.png\n"
            "  -f, --format FORMAT  table (default) or csv\n"
            "  -p, --plot FORMAT    png (default with -o), svg, pdf or none\n"
            "  -h, --help           show this help\n");
}

static void usage_goalseek(FILE *out)
{
    fprintf(out,
            "Usage: mtfs goalseek FILE --target CONDITION --lever council_tax|savings[:SERVICE]\n"
            "                     [--from YEAR]\n"
            "\n"
            "The smallest uniform council-tax rise (core and ASC together, every year from\n"
            "--from), or the smallest recurring saving from --from, that meets the target,\n"
            "by Brent's method to 1e-9 £m.  Says whether the rise breaks the referendum\n"
            "limit and how many £m it raises.\n"
            "\n"
            "Options:\n"
            "  -t, --target CONDITION  e.g. 'gap[2028] <= 0', 'final_gap <= 50',\n"
            "                          'reserves[2027] >= 20', 'cumulative_gap <= 100'\n"
            "  -l, --lever LEVER       council_tax, savings (corporate, flat) or\n"
            "                          savings:SERVICE (a cut to that service's base)\n"
            "      --from YEAR         first year the lever acts (default: the first year)\n"
            "  -h, --help              show this help\n");
}

/* A progress bar on standard error, redrawn when the percentage moves. */
typedef struct {
    int last;
} progress_bar;

static void show_progress(void *context, size_t done, size_t total)
{
    progress_bar *bar = context;
    int percent = total ? (int)(100 * done / total) : 100;
    if (percent == bar->last)
        return;
    bar->last = percent;
    int filled = percent / 5;
    fprintf(stderr, "\rmtfs mc: [%.*s%*s] %3d%%", filled, "####################", 20 - filled, "",
            percent);
    if (percent == 100)
        fputs("\r                                     \r", stderr);
    fflush(stderr);
}

static int parse_size(const char *text, size_t lo, size_t hi, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || text[0] == '-' || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

typedef struct {
    const mtfs_scenario *s;
    const mtfs_mc_result *r;
    const mtfs_tornado *t;
} uncertainty_context;

static mtfs_status emit_mc_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_mc_csv(out, ((const uncertainty_context *)c)->r, err);
}

static mtfs_status emit_mc_json(FILE *out, const void *c, mtfs_error *err)
{
    const uncertainty_context *u = c;
    return mtfs_json_write_mc(out, u->s, u->r, err);
}

static mtfs_status emit_tornado_csv(FILE *out, const void *c, mtfs_error *err)
{
    return mtfs_report_tornado_csv(out, ((const uncertainty_context *)c)->t, err);
}

static int cmd_mc(int argc, char **argv)
{
    static const struct option options[] = {{"paths", required_argument, NULL, 'n'},
                                            {"seed", required_argument, NULL, 's'},
                                            {"threads", required_argument, NULL, 'j'},
                                            {"threshold", required_argument, NULL, 't'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"quiet", no_argument, NULL, 'q'},
                                            {"max-memory", required_argument, NULL, 'M'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    mtfs_mc_options o;
    memset(&o, 0, sizeof o);
    o.threads = 1;
    double thresholds[32];
    size_t n_thresholds = 0, seed;
    output_options out = {NULL, "table", -1};
    int quiet = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "n:s:j:t:o:f:p:qh", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table, csv or json", "mc ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'n':
            if (parse_size(optarg, 1, 100000000, &o.paths))
                return bad_usage("--paths '%s' is not a whole number from 1 to 100000000", optarg, "mc ");
            break;
        case 's':
            if (parse_size(optarg, 0, 4294967295u, &seed))
                return bad_usage("--seed '%s' is not a whole number from 0 to 4294967295", optarg, "mc ");
            o.seed = (unsigned long)seed;
            o.seed_given = 1;
            break;
        case 'j':
            if (parse_size(optarg, 1, 64, &o.threads))
                return bad_usage("--threads '%s' is not a whole number from 1 to 64", optarg, "mc ");
            break;
        case 't': {
            char *end;
            double x = strtod(optarg, &end);
            if (end == optarg || *end || !(x > -1e6 && x < 1e6))
                return bad_usage("--threshold '%s' is not an amount in £m", optarg, "mc ");
            if (n_thresholds == sizeof thresholds / sizeof thresholds[0])
                return bad_usage("at most %s thresholds", "32", "mc ");
            thresholds[n_thresholds++] = x;
            break;
        }
        case 'q': quiet = 1; break;
        case 'M': {
            size_t mib;
            if (parse_size(optarg, 1, (size_t)1 << 30, &mib))
                return bad_usage("--max-memory '%s' is not a whole number of MiB from 1 to 1073741824",
                                 optarg, "mc ");
            o.max_memory = mib << 20;
            break;
        }
        case 'h': usage_mc(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "mc ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "mc takes exactly one scenario FILE", "mc ");
    if (n_thresholds) {
        o.thresholds = thresholds;
        o.n_thresholds = n_thresholds;
    }
    progress_bar bar = {-1};
    if (!quiet && isatty(STDERR_FILENO)) {
        o.progress = show_progress;
        o.progress_context = &bar;
    }

    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_mc_result *r = NULL;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_mc_run(s, &o, &r, &err);
    uncertainty_context ctx = {s, r, NULL};
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    char name[PATH_LEN];
    if (st == MTFS_OK && out.dir) {
        snprintf(name, sizeof name, "%s_mc.csv", mtfs_scenario_id(s));
        st = output_stage(&set, name, emit_mc_csv, &ctx, &err);
        snprintf(name, sizeof name, "%s_mc.json", mtfs_scenario_id(s));
        if (st == MTFS_OK)
            st = output_stage(&set, name, emit_mc_json, &ctx, &err);
    }
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE) {
        if ((st = chart_path(&out, mtfs_scenario_id(s), "_fan", name, sizeof name, &err)) == MTFS_OK)
            st = mtfs_plot_fan(name, chosen_plot(&out), s, r, &err);
        if (st == MTFS_OK &&
            (st = chart_path(&out, mtfs_scenario_id(s), "_exhaustion", name, sizeof name, &err)) == MTFS_OK)
            st = mtfs_plot_exhaustion(name, chosen_plot(&out), s, r, &err);
    }
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK) {
        if (strcmp(out.format, "csv") == 0)
            st = mtfs_report_mc_csv(stdout, r, &err);
        else if (strcmp(out.format, "json") == 0)
            st = mtfs_json_write_mc(stdout, s, r, &err);
        else
            st = mtfs_report_mc_table(stdout, s, r, &err);
    }
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_mc_result_free(r);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

static int cmd_tornado(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    output_options out = {NULL, "table", -1};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:f:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table or csv", "tornado ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'h': usage_tornado(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "tornado ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "tornado takes exactly one scenario FILE", "tornado ");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_tornado *t = NULL;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_tornado_compute(s, &t, &err);
    uncertainty_context ctx = {s, NULL, t};
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    char name[PATH_LEN];
    if (st == MTFS_OK && out.dir) {
        snprintf(name, sizeof name, "%s_tornado.csv", mtfs_scenario_id(s));
        st = output_stage(&set, name, emit_tornado_csv, &ctx, &err);
    }
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE &&
        (st = chart_path(&out, mtfs_scenario_id(s), "_tornado", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_tornado(name, chosen_plot(&out), s, t, &err);
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK)
        st = strcmp(out.format, "csv") == 0 ? mtfs_report_tornado_csv(stdout, t, &err)
                                        : mtfs_report_tornado_table(stdout, s, t, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_tornado_free(t);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

static int cmd_goalseek(int argc, char **argv)
{
    static const struct option options[] = {{"target", required_argument, NULL, 't'},
                                            {"lever", required_argument, NULL, 'l'},
                                            {"from", required_argument, NULL, 'F'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    mtfs_goalseek_spec spec;
    memset(&spec, 0, sizeof spec);
    const char *target = NULL, *lever = NULL, *from = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "t:l:h", options, NULL)) != -1) {
        switch (c) {
        case 't': target = optarg; break;
        case 'l': lever = optarg; break;
        case 'F': from = optarg; break;
        case 'h': usage_goalseek(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "goalseek ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "goalseek takes exactly one scenario FILE", "goalseek ");
    if (!target || !lever)
        return bad_usage("%s", "goalseek needs --target CONDITION and --lever LEVER", "goalseek ");
    mtfs_error err;
    mtfs_error_clear(&err);
    if (mtfs_condition_parse(target, &spec.target, &err) != MTFS_OK ||
        mtfs_goalseek_parse_lever(lever, &spec, &err) != MTFS_OK) {
        print_error(&err);
        return EXIT_BAD_INPUT;
    }
    if (from && mtfs_year_parse(from, &spec.from_year) != 0)
        return bad_usage("--from '%s' is not a year such as 2026 or 2026/27", from, "goalseek ");
    mtfs_scenario *s = NULL;
    mtfs_goalseek_result r;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_goalseek(s, &spec, &r, &err);
    if (st == MTFS_OK)
        st = mtfs_report_goalseek(stdout, s, &spec, &r, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* formula                                                             */

static void usage_formula(FILE *out)
{
    fprintf(out,
            "Usage: mtfs formula FORMULA [--authority CODE|NAME] [-o DIR] [--format table|csv]\n"
            "                    [--plot png|svg|pdf|none]\n"
            "\n"
            "Allocate the control total by a fair-funding formula (formulas/*.cfg) over\n"
            "the authority data set: every authority's funding now and under the\n"
            "formula, the change in £m and %%, funding per head and its rank.\n"
            "\n"
            "Options:\n"
            "  -a, --authority WHO  mark this authority (a code or name), sum it up in\n"
            "                       words and highlight it in the chart\n"
            "  -o, --output DIR     write DIR/<formula>.csv and the winners-and-losers\n"
            "                       chart DIR/<formula>.png\n"
            "  -f, --format FORMAT  table (default) or csv\n"
            "  -p, --plot FORMAT    png (default with -o), svg, pdf or none; without -o the\n"
            "                       chart goes to plots/<formula>.FORMAT\n"
            "  -h, --help           show this help\n");
}

/* "formulas/ffr_like.cfg" -> "ffr_like" */
static void file_stem(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), base);
}

static mtfs_status emit_formula_csv(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_report_formula_csv(out, ctx, err);
}

static int cmd_formula(int argc, char **argv)
{
    static const struct option options[] = {{"authority", required_argument, NULL, 'a'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    output_options out = {NULL, "table", -1};
    const char *who = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "a:o:f:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table or csv", "formula ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'a': who = optarg; break;
        case 'h': usage_formula(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "formula ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "formula takes exactly one FORMULA file", "formula ");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_formula_result *r = NULL;
    mtfs_status st = mtfs_formula_run(argv[optind], &r, &err);
    size_t focus = (size_t)-1;
    if (st == MTFS_OK && who && (focus = mtfs_formula_find(r, who)) == (size_t)-1)
        st = mtfs_error_set(&err, MTFS_EINPUT, NULL, 0, NULL,
                            "--authority '%s' is not in the formula's scope (expected a code such "
                            "as E10000018 or a name)", who);
    char stem[256], name[PATH_LEN];
    file_stem(argv[optind], stem, sizeof stem);
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    if (st == MTFS_OK && out.dir) {
        snprintf(name, sizeof name, "%s.csv", stem);
        st = output_stage(&set, name, emit_formula_csv, r, &err);
    }
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE &&
        (st = chart_path(&out, stem, "", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_formula(name, chosen_plot(&out), r, focus, &err);
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK)
        st = strcmp(out.format, "csv") == 0 ? mtfs_report_formula_csv(stdout, r, &err)
                                            : mtfs_report_formula_table(stdout, r, focus, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_formula_result_free(r);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* brief                                                               */

static void usage_brief(FILE *out)
{
    fprintf(out,
            "Usage: mtfs brief SCENARIO [-o DIR] [--plot png|svg|pdf|none]\n"
            "\n"
            "Write a lobbying brief in Markdown for the authority named in the scenario's\n"
            "fair_funding block: funding per head against the comparators of its brief\n"
            "block and group averages, \"if funded at X's level\" for each, what each\n"
            "formula gives it, the MTFS gap with and without each, and the sources.\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR     write DIR/brief.md with the charts it shows,\n"
            "                       DIR/brief_per_head.png and DIR/brief_formula.png;\n"
            "                       without -o the brief (without charts) goes to stdout\n"
            "  -p, --plot FORMAT    chart format with -o: png (default), svg, pdf or none\n"
            "  -h, --help           show this help\n");
}

typedef struct {
    const mtfs_scenario *s;
    const mtfs_brief *b;
    const mtfs_brief_charts *charts;
} brief_context;

static mtfs_status emit_brief(FILE *out, const void *ctx, mtfs_error *err)
{
    const brief_context *c = ctx;
    return mtfs_brief_markdown(out, c->s, c->b, c->charts, err);
}

/* The per-head comparison as bars: the authority, comparators, groups. */
static mtfs_status brief_per_head_chart(const char *path, mtfs_plot_format format,
                                        const mtfs_brief *b, mtfs_error *err)
{
    mtfs_bar bars[64];
    size_t n = b->n_rows < 64 ? b->n_rows : 64;
    static const mtfs_bar_style styles[] = {MTFS_BAR_HIGHLIGHT, MTFS_BAR_NORMAL, MTFS_BAR_GROUP};
    for (size_t k = 0; k < n; k++)
        bars[k] = (mtfs_bar){b->rows[k].label, b->rows[k].per_head, styles[b->rows[k].kind]};
    char title[256], subtitle[256], source[PATH_LEN + 64];
    snprintf(title, sizeof title, "%s: core spending power per head, %s", b->authority,
             b->funding_year);
    snprintf(subtitle, sizeof subtitle, "£ a head a year; population mid-%d; group averages are "
             "total funding over total population", b->population_year);
    snprintf(source, sizeof source, "Data: %s", b->data_file);
    return mtfs_plot_bars(path, format, title, subtitle, "£ a head", n, bars, source, err);
}

static int cmd_brief(int argc, char **argv)
{
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"markdown", NULL};
    output_options out = {NULL, "markdown", -1};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "markdown", "brief ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'h': usage_brief(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "brief ");
        }
    }
    if (argc - optind != 1)
        return bad_usage("%s", "brief takes exactly one SCENARIO file", "brief ");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_brief *b = NULL;
    mtfs_status st = mtfs_scenario_load(argv[optind], &s, &err);
    if (st == MTFS_OK)
        st = mtfs_brief_compute(s, &b, &err);
    if (st == MTFS_OK && !out.dir) {
        st = mtfs_brief_markdown(stdout, s, b, NULL, &err);
    } else if (st == MTFS_OK) {
        mtfs_plot_format plot = chosen_plot(&out);
        const char *ext = mtfs_plot_format_extension(plot);
        char per_head[64], formula[64], path[PATH_LEN];
        snprintf(per_head, sizeof per_head, "brief_per_head.%s", ext);
        snprintf(formula, sizeof formula, "brief_formula.%s", ext);
        mtfs_brief_charts charts = {plot != MTFS_PLOT_NONE ? per_head : NULL,
                                    plot != MTFS_PLOT_NONE && b->chart_focus != (size_t)-1 ? formula : NULL};
        brief_context ctx = {s, b, &charts};
        output_set set = {NULL, 0, out.dir};
        st = output_begin(&set, st, &err);
        if (st == MTFS_OK)
            st = output_stage(&set, "brief.md", emit_brief, &ctx, &err);
        if (st == MTFS_OK && charts.per_head) {
            snprintf(path, sizeof path, "%s/%s", out.dir, per_head);
            st = brief_per_head_chart(path, plot, b, &err);
        }
        if (st == MTFS_OK && charts.formula) {
            snprintf(path, sizeof path, "%s/%s", out.dir, formula);
            st = mtfs_plot_formula(path, plot, b->chart, b->chart_focus, &err);
        }
        st = output_finish(&set, st, &err);
        if (st == MTFS_OK)
            printf("%s/brief.md\n", out.dir);
    }
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_brief_free(b);
    mtfs_scenario_free(s);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

/* ------------------------------------------------------------------ */
/* backtest                                                            */

static void usage_backtest(FILE *out)
{
    fprintf(out,
            "Usage: mtfs backtest [DIR] [--published FILE] [-o DIR] [--format table|csv]\n"
            "                     [--plot png|svg|pdf|none]\n"
            "\n"
            "Run every edition scenario in DIR (default scenarios/editions) against the\n"
            "published figures (default data/published/leics_mtfs_editions.csv): the\n"
            "modelled gap against the published one, and each edition's projection of\n"
            "later years' net budget and Band D against what later editions set.\n"
            "\n"
            "Options:\n"
            "  -P, --published FILE  the published figures (CSV)\n"
            "  -E, --economy FILE    outturn CPI, pay and NLW for the attribution (default\n"
            "                        data/published/economy_outturn.csv; \"\" for none)\n"
            "  -o, --output DIR      write DIR/backtest.csv and the charts\n"
            "                        DIR/backtest_gaps.png and DIR/backtest_funnel.png\n"
            "  -f, --format FORMAT   table (default) or csv\n"
            "  -p, --plot FORMAT     png (default with -o), svg, pdf or none\n"
            "  -h, --help            show this help\n");
}

static mtfs_status emit_backtest_csv(FILE *out, const void *ctx, mtfs_error *err)
{
    return mtfs_report_backtest_csv(out, ctx, err);
}

static int cmd_backtest(int argc, char **argv)
{
    static const struct option options[] = {{"published", required_argument, NULL, 'P'},
                                            {"economy", required_argument, NULL, 'E'},
                                            {"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, 'f'},
                                            {"plot", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"table", "csv", NULL};
    output_options out = {NULL, "table", -1};
    const char *published = "data/published/leics_mtfs_editions.csv";
    const char *economy = "data/published/economy_outturn.csv";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "P:E:o:f:p:h", options, NULL)) != -1) {
        int shared = output_option(c, &out, formats, "table or csv", "backtest ");
        if (shared < 0)
            return EXIT_BAD_INPUT;
        if (shared)
            continue;
        switch (c) {
        case 'P': published = optarg; break;
        case 'E': economy = optarg; break;
        case 'h': usage_backtest(stdout); return 0;
        default: return bad_usage("%s", "invalid option", "backtest ");
        }
    }
    if (argc - optind > 1)
        return bad_usage("%s", "backtest takes at most one directory of edition scenarios", "backtest ");
    const char *dir = argc - optind == 1 ? argv[optind] : "scenarios/editions";
    mtfs_error err;
    mtfs_backtest *b = NULL;
    mtfs_status st = mtfs_backtest_run(dir, published, economy[0] ? economy : NULL, &b, &err);
    output_set set = {NULL, 0, out.dir};
    st = output_begin(&set, st, &err);
    char name[PATH_LEN];
    if (st == MTFS_OK && out.dir)
        st = output_stage(&set, "backtest.csv", emit_backtest_csv, b, &err);
    if (st == MTFS_OK && chosen_plot(&out) != MTFS_PLOT_NONE &&
        (st = chart_path(&out, "backtest", "_gaps", name, sizeof name, &err)) == MTFS_OK &&
        (st = mtfs_plot_backtest_gaps(name, chosen_plot(&out), b, &err)) == MTFS_OK &&
        (st = chart_path(&out, "backtest", "_funnel", name, sizeof name, &err)) == MTFS_OK)
        st = mtfs_plot_backtest_funnel(name, chosen_plot(&out), b, &err);
    st = output_finish(&set, st, &err);
    if (st == MTFS_OK)
        st = strcmp(out.format, "csv") == 0 ? mtfs_report_backtest_csv(stdout, b, &err)
                                            : mtfs_report_backtest_table(stdout, b, &err);
    if (st != MTFS_OK)
        print_error(&err);
    mtfs_backtest_free(b);
    return st == MTFS_OK ? finish_stdout(0) : mtfs_status_exit_code(st);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {"restrict", required_argument, NULL, 'R'},
                                            {"no-restrict", no_argument, NULL, 'N'},
                                            {NULL, 0, NULL, 0}};
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {{"run", cmd_run},           {"validate", cmd_validate},
                    {"compare", cmd_compare},   {"bridge", cmd_bridge},
                    {"sensitivity", cmd_sensitivity}, {"batch", cmd_batch},
                    {"mc", cmd_mc},             {"tornado", cmd_tornado},
                    {"goalseek", cmd_goalseek}, {"formula", cmd_formula},
                    {"brief", cmd_brief},       {"backtest", cmd_backtest}};
    /* Tests only (docs/reliability.md): make the N-th library allocation fail,
     * to prove every such failure is a clean exit 3 that loses no output. */
    const char *fault = getenv("MTFS_FAULT_ALLOC_AFTER");
    if (fault && *fault)
        mtfs_alloc_fail_after(strtoul(fault, NULL, 10));
    /* Tests only: make the N-th rename of an output set fail (EIO), or kill
     * the process just before it, to prove the rollback and the recovery. */
    const char *rename_fault = getenv("MTFS_FAULT_RENAME");
    const char *rename_kill = getenv("MTFS_FAULT_RENAME_KILL");
    if (rename_fault && *rename_fault)
        mtfs_output_fault_rename(strtoul(rename_fault, NULL, 10), 0);
    else if (rename_kill && *rename_kill)
        mtfs_output_fault_rename(strtoul(rename_kill, NULL, 10), 1);
    const char *env_restrict = getenv("MTFS_RESTRICT");
    if (env_restrict && *env_restrict) {
        if (apply_restriction(env_restrict) != 0)
            return EXIT_BAD_INPUT;
        restriction_chosen = 1;
    }
    int c;
    /* '+' stops at the command name, so its own options are left for it. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage_main(stdout); return finish_stdout(0);
        case 'V': printf("mtfs %s\n", mtfs_version()); return finish_stdout(0);
        case 'R':
        case 'N':
            if (apply_restriction(c == 'R' ? optarg : NULL) != 0)
                return EXIT_BAD_INPUT;
            restriction_chosen = 1;
            break;
        default: return bad_usage("%s", "invalid option", "");
        }
    }
    if (optind == argc) {
        usage_main(stderr);
        return EXIT_BAD_INPUT;
    }
    const char *command = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(command, commands[i].name) == 0)
            return commands[i].run(argc - optind, argv + optind);
    if (strcmp(command, "help") == 0) {
        usage_main(stdout);
        return finish_stdout(0);
    }
    fprintf(stderr, "%s: unknown command '%s' (expected run, validate, compare, bridge, "
            "sensitivity, batch, mc, tornado, goalseek, formula, brief or backtest)\nTry 'mtfs --help'.\n", program, command);
    return EXIT_BAD_INPUT;
}
