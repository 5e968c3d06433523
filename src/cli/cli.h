/*
 * cli.h - the mtfs command's own layer (internal to the program, not the
 * library): commands as descriptors, one option table, one skeleton.
 *
 * Each command is a cli_command: its name, what it says in `mtfs --help`
 * and `mtfs help CMD`, the formats it prints, what -o DIR writes, the
 * options of its own (ids into the one option table, so a letter means the
 * same thing in every command), how many files it takes, and two
 * functions: `option` for its own options and `run`.  cli.c parses the
 * command line for every command the same way (getopt_long built from the
 * descriptor; an unknown option or command suggests the nearest), prints
 * the help from the descriptor, and offers the shared pieces below: output
 * sets, chart paths, printing in the chosen format (JSON from CSV where a
 * command has no JSON writer of its own), errors and exit statuses.
 */
#ifndef MTFS_CLI_H
#define MTFS_CLI_H

#include "mtfs/mtfs.h"

#include <stdio.h>
#include <time.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_NOT_MET = 1, CLI_EXIT_BAD_INPUT = 2, CLI_EXIT_IO = 3 };
#define CLI_PATH_LEN 4096
#define CLI_MAX_SCENARIOS 64
#define CLI_MAX_CONDITIONS 32
#define CLI_MAX_THRESHOLDS 32

/* Option ids: the short letter, or a value above 255 for long-only ones. */
enum {
    OPT_OUTPUT = 'o', OPT_FORMAT = 'f', OPT_PLOT = 'p', OPT_QUIET = 'q', OPT_HELP = 'h',
    OPT_XLSX = 'x', OPT_YEAR = 'y', OPT_FAIL_IF = 'F', OPT_PATHS = 'n', OPT_SEED = 's',
    OPT_THREADS = 'j', OPT_THRESHOLD = 'T', OPT_TARGET = 't', OPT_LEVER = 'l', OPT_AUTHORITY = 'a',
    OPT_PUBLISHED = 'P', OPT_ECONOMY = 'E', OPT_RESTRICT = 'R', OPT_NO_RESTRICT = 'N',
    OPT_VERSION = 'V', OPT_FROM = 256, OPT_MAX_MEMORY,
    OPT_PORT, OPT_HOST, OPT_ALLOW_REMOTE, OPT_BOUNDED_MEMORY, OPT_CONFIDENCE, OPT_STATEMENT,
    OPT_SHARD, OPT_STEPS, OPT_SPREAD, OPT_RATE
};

/* An option a command takes, with its help text ("" for the default). */
typedef struct {
    int id;
    const char *help;
} cli_use;

typedef struct cli_command cli_command;

/* The command line as the skeleton parsed it. */
typedef struct {
    const cli_command *cmd;
    int n_files;
    char **files;
    const char *dir;        /* -o DIR, or NULL */
    const char *format;     /* the --format chosen (the command's first by default) */
    int plot;               /* --plot as mtfs_plot_format, -1 when not given */
    int quiet;
} cli_args;

struct cli_command {
    const char *name;
    const char *usage;          /* after "mtfs NAME ": "FILE [--year YEAR]" */
    const char *summary;        /* one line in mtfs --help */
    const char *description;    /* the paragraph of mtfs NAME --help */
    const char *const *formats; /* what --format offers, the default first; NULL: no --format */
    const char *output;         /* what -o DIR writes; NULL: no -o */
    int plot;                   /* takes --plot */
    const cli_use *options;     /* its own options, {0} last */
    int min_files, max_files;   /* max_files < 0: any number */
    const char *files_wanted;   /* for the message when the count is wrong */
    /* Take one of its own options: 0, or an exit status after a message. */
    int (*option)(int id, const char *arg);
    int (*run)(const cli_args *a);
};

/* The commands, in the order `mtfs --help` lists them (cli_commands.c...). */
extern const cli_command cli_run, cli_validate, cli_compare, cli_bridge, cli_sensitivity,
    cli_batch, cli_mc, cli_merge, cli_tornado, cli_goalseek, cli_formula, cli_brief, cli_backtest,
    cli_serve, cli_resilience, cli_sweep;

/* ---- messages and exit statuses ---- */
/* One error on stderr, "file:line: key 'k': message"; the error that
 * cli_load last failed with is printed with every other problem of its
 * scenario. */
void cli_print_error(const mtfs_error *err);
/* Each problem of list on a line of its own, then how many more were
 * found than it holds (naming `path`). */
void cli_print_errors(const mtfs_error_list *list, const char *path);
/* "mtfs: <fmt with arg>" and "Try 'mtfs CMD --help'." on stderr; returns 2. */
int cli_bad_usage(const cli_command *cmd, const char *fmt, const char *arg);
/* 0 after flushing stdout, or 3 when it cannot be written; else code. */
int cli_finish(int code);
/* With --format json, a command that failed (exit 2 or above) before
 * writing its result writes {"metadata", "exit_code", "errors"} on standard
 * output; returns code. */
int cli_json_errors(int code);
/* Exit status for a run that ended with st (the error printed if not ok). */
int cli_exit(mtfs_status st, const mtfs_error *err);

/* Restrict inputs to dir (NULL lifts it): 0, or -1 after a message. */
int cli_restrict(const char *dir);
/* Whether --restrict/--no-restrict/MTFS_RESTRICT chose already. */
extern int cli_restriction_chosen;
/* The path to read for a relative path the user named (or a default such
 * as scenarios/editions): as given when it exists, else the shipped file
 * of that name (mtfs/shipped.h). */
char *cli_locate(const char *path);
/* CI=true or CI=1 in the environment. */
int cli_in_ci(void);

/* ---- parsing values ---- */
/* A whole number from lo to hi: 0, or -1. */
int cli_parse_size(const char *text, size_t lo, size_t hi, size_t *out);
/* --threads when not given: the online cores (sysconf), 1 to
 * CLI_MAX_THREADS. */
#define CLI_MAX_THREADS 64
size_t cli_default_threads(void);
/* "K/N" with 1 <= K <= N <= 100000 (--shard): 0, or -1. */
int cli_parse_shard(const char *text, size_t *k, size_t *n);
/* A year written 2027 or 2027/28 as a year index of p: 0, or -1. */
int cli_year_index(const char *text, const mtfs_projection *p, size_t *t);

/* mtfs merge of batch partials (cmd_scenario.c): the batch's outputs. */
int cli_merge_batch(const cli_args *a, char *const *names, size_t n);

/* mtfs merge of sweep partials (cmd_sweep.c): the sweep's outputs. */
int cli_merge_sweep(const cli_args *a, char *const *names, size_t n, size_t threads);

/* ---- library calls every command makes ---- */
/* mtfs_scenario_load, keeping every problem for cli_print_error. */
mtfs_status cli_load(const char *path, mtfs_scenario **s, mtfs_error *err);
mtfs_status cli_load_and_project(const char *path, mtfs_scenario **s, mtfs_projection **p,
                                 mtfs_error *err);
time_t cli_run_time(void);
unsigned cli_table_options(void);
/* "formulas/ffr_like.cfg" -> "ffr_like" */
void cli_file_stem(const char *path, char *buf, size_t size);

/* ---- output files ---- */
typedef mtfs_status (*cli_emit)(FILE *out, const void *ctx, mtfs_error *err);

/* One command's output set (mtfs/output.h): begin it before anything is
 * written, stage text files into it, draw charts (they join it), then
 * finish: all files or none. */
typedef struct {
    mtfs_output_set *files;
    size_t n;
    const char *dir;
} cli_outputs;

mtfs_status cli_outputs_begin(cli_outputs *set, const char *dir, mtfs_status st, mtfs_error *err);
mtfs_status cli_outputs_stage(cli_outputs *set, const char *name, cli_emit emit, const void *ctx,
                              mtfs_error *err);
mtfs_status cli_outputs_finish(cli_outputs *set, mtfs_status st, mtfs_error *err);

/* The chart format: --plot, else PNG with -o and none without. */
mtfs_plot_format cli_plot(const cli_args *a);
/* DIR/<stem><suffix>.<ext> in the -o DIR, or in plots/ (made if needed). */
mtfs_status cli_chart_path(const cli_args *a, const char *stem, const char *suffix, char *buf,
                           size_t size, mtfs_error *err);

/* ---- standard output in the chosen format ---- */
/* The writers of a command's results, one per format it offers; `json`
 * NULL means the JSON is made from the CSV (mtfs_json_write_rows), so the
 * two formats always carry the same columns. */
typedef struct {
    cli_emit table, csv, json;
    const char *const *inputs;  /* files the results came from, for JSON metadata */
    size_t n_inputs;
} cli_printers;

mtfs_status cli_print(const cli_args *a, const cli_printers *w, const void *ctx, mtfs_error *err);

/* A command's JSON made of its CSV rows (`rows`) and, when `section` is
 * given, a named second section made of another CSV (`more`): what
 * `compare` (rows and its bridge) and `resilience` (rows and its risk)
 * print, so the JSON carries exactly the columns of the two CSV files. */
mtfs_status cli_json_rows_and(FILE *out, const char *command, const char *const *inputs,
                              size_t n_inputs, cli_emit rows, const char *section, cli_emit more,
                              const void *ctx, mtfs_error *err);

/* ---- the program's entry, and mtfs-mpi's hooks ---- */
/* mtfs's main (src/cli/main.c calls it; so does mtfs-mpi, src/cli/mpi_main.c). */
int cli_main(int argc, char **argv);
/* How mc runs its job: mtfs leaves this zero; mtfs-mpi runs the job across
 * its MPI ranks. */
typedef struct {
    /* NULL: mtfs_mc_run.  Else called on every load, s NULL when loading
     * failed (err holds why), so that every rank takes part. */
    mtfs_status (*run)(const mtfs_scenario *s, const mtfs_mc_options *o, mtfs_mc_result **out,
                       mtfs_error *err);
    int silent;       /* compute only: write and print nothing (ranks other than 0) */
    size_t threads;   /* the default --threads; 0: one per online core */
} cli_mc_hooks;
extern cli_mc_hooks cli_mc_hook;

#endif
