/*
 * cli.c - the mtfs command: one option table, one skeleton for every
 * command, main() (see cli.h).
 *
 * Everything numerical lives in libmtfs; this layer turns command-line
 * options into library calls and library errors into one line on standard
 * error and an exit status: 0 ok, 1 a --fail-if threshold crossed, 2 bad
 * input, 3 I/O or internal error.
 */
#include "cli.h"
#include "util.h"
#include "checked.h"
#include "mtfs/json.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const program = "mtfs";

static const cli_command *const commands[] = {
    &cli_run, &cli_validate, &cli_compare, &cli_bridge, &cli_sensitivity, &cli_batch,
    &cli_mc, &cli_merge, &cli_tornado, &cli_goalseek, &cli_formula, &cli_sweep, &cli_brief, &cli_backtest, &cli_serve,
    &cli_resilience};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Every option of every command, once: a letter means one thing
 * everywhere.  The help here is the default; a command may say more. */
static const struct {
    int id;
    const char *name;
    const char *arg;   /* NULL: a flag */
    const char *help;
} option_table[] = {
    {OPT_OUTPUT, "output", "DIR", ""},
    {OPT_FORMAT, "format", "FORMAT", ""},
    {OPT_PLOT, "plot", "FORMAT", "png (default with -o), svg, pdf or none"},
    {OPT_QUIET, "quiet", NULL, "print only the errors"},
    {OPT_XLSX, "xlsx", NULL, "with -o, also write the workbook <id>.xlsx"},
    {OPT_YEAR, "year", "YEAR", "the year, e.g. 2027 or 2027/28"},
    {OPT_FAIL_IF, "fail-if", "CONDITION", "exit 1 when CONDITION holds"},
    {OPT_PATHS, "paths", "N", "number of Monte Carlo paths"},
    {OPT_SEED, "seed", "S", "random seed"},
    {OPT_THREADS, "threads", "K", "worker threads"},
    {OPT_THRESHOLD, "threshold", "X", "report P(gap > X £m)"},
    {OPT_MAX_MEMORY, "max-memory", "MIB", "hold at most MIB MiB"},
    {OPT_BOUNDED_MEMORY, "bounded-memory", NULL, "keep no path's results"},
    {OPT_CONFIDENCE, "confidence", "P", "90 or 95: the confidence of the risk-based minimum reserve"},
    {OPT_STATEMENT, "statement", NULL, "with -o, also write the section 25 statement"},
    {OPT_SHARD, "shard", "K/N", "compute shard K of N and write its partial result"},
    {OPT_STEPS, "steps", "N", "grid points for each weighted block"},
    {OPT_SPREAD, "spread", "S", "relative spread of the weights"},
    {OPT_TARGET, "target", "CONDITION", "the condition to meet"},
    {OPT_LEVER, "lever", "LEVER", "what to move"},
    {OPT_FROM, "from", "YEAR", "first year the lever acts"},
    {OPT_AUTHORITY, "authority", "WHO", "an authority (a code or name)"},
    {OPT_PUBLISHED, "published", "FILE", "the published figures (CSV)"},
    {OPT_ECONOMY, "economy", "FILE", "outturn economy (CSV)"},
    {OPT_PORT, "port", "N", "the port to listen on (default: 8080; 0: any free port)"},
    {OPT_HOST, "host", "ADDR", "the address to listen on (default: 127.0.0.1)"},
    {OPT_ALLOW_REMOTE, "allow-remote", NULL, "allow --host beyond this machine (loopback)"},
    {OPT_RATE, "rate", "N", "requests a second one address may make on average, in bursts of up to 2N "
                            "(default: 100; 0: no limit)"},
    {OPT_RESTRICT, "restrict", "DIR", "read only files inside DIR"},
    {OPT_NO_RESTRICT, "no-restrict", NULL, "read files anywhere"},
    {OPT_HELP, "help", NULL, "show this help"},
    {OPT_VERSION, "version", NULL, "show the engine version"},
};
#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

static size_t option_index(int id)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (option_table[i].id == id)
            return i;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Messages and exit statuses                                          */

/* Every problem of the last scenario cli_load refused; cli_print_error
 * prints them all in place of the first. */
static mtfs_error_list load_errors;
static char load_path[CLI_PATH_LEN];

/* With --format json, the problems printed on standard error are kept, so
 * that a command that fails before it has a result still gives a machine
 * reader JSON on standard output (cli_json_errors). */
#define JSON_ERRORS_MAX 24
static struct {
    const char *command;   /* the command asked for JSON; NULL otherwise */
    int written;           /* its result is already on standard output */
    size_t n;
    char text[JSON_ERRORS_MAX][MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 64];
} json_errors;

/* Keep one problem's line (invalid UTF-8 as '?': a quoted file name may
 * hold any bytes). */
static void json_errors_keep(const char *line)
{
    if (!json_errors.command || json_errors.n == JSON_ERRORS_MAX)
        return;
    char *to = json_errors.text[json_errors.n++];
    snprintf(to, sizeof json_errors.text[0], "%s", line);
    for (size_t i = 0, n = strlen(to); i < n; i++) {
        i += mtfs_utf8_prefix(to + i, n - i);
        if (i < n)
            to[i] = '?';
    }
}

int cli_json_errors(int code)
{
    if (!json_errors.command || json_errors.written || code < CLI_EXIT_BAD_INPUT || json_errors.n == 0)
        return code;
    const char *messages[JSON_ERRORS_MAX];
    for (size_t i = 0; i < json_errors.n; i++)
        messages[i] = json_errors.text[i];
    mtfs_error err;
    if (mtfs_json_write_errors(stdout, json_errors.command, code, messages, json_errors.n, &err) != MTFS_OK)
        return code;
    int finished = cli_finish(code);
    return finished == CLI_EXIT_OK ? code : finished;
}

static void print_one(const mtfs_error *err)
{
    char line[MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 64];
    mtfs_error_format(err, line, sizeof line);
    /* An error tied to no file still says who is speaking. */
    fprintf(stderr, "%s%s\n", err->file[0] ? "" : "mtfs: ", line);
    char kept[sizeof line + 8];
    snprintf(kept, sizeof kept, "%s%s", err->file[0] ? "" : "mtfs: ", line);
    json_errors_keep(kept);
}

static int same_error(const mtfs_error *a, const mtfs_error *b)
{
    return a->status == b->status && a->line == b->line && strcmp(a->file, b->file) == 0 &&
           strcmp(a->key, b->key) == 0 && strcmp(a->message, b->message) == 0;
}

void cli_print_errors(const mtfs_error_list *list, const char *path)
{
    size_t shown = list->count < MTFS_ERRORS_MAX ? list->count : MTFS_ERRORS_MAX;
    for (size_t i = 0; i < shown; i++)
        print_one(&list->items[i]);
    if (list->count > shown)
        fprintf(stderr, "%s: %zu more problem%s not shown (the first %zu are above)\n", path,
                list->count - shown, list->count - shown == 1 ? "" : "s", shown);
}

void cli_print_error(const mtfs_error *err)
{
    if (load_errors.count && same_error(err, &load_errors.items[0])) {
        cli_print_errors(&load_errors, load_path);
        load_errors.count = 0;
        return;
    }
    print_one(err);
}

mtfs_status cli_load(const char *path, mtfs_scenario **s, mtfs_error *err)
{
    mtfs_status st = mtfs_scenario_load_all(path, s, err, &load_errors);
    snprintf(load_path, sizeof load_path, "%s", path);
    /* Only a problem the whole list explains is printed as the list. */
    if (st == MTFS_OK || load_errors.count == 0 || !same_error(err, &load_errors.items[0]))
        load_errors.count = 0;
    return st;
}

int cli_bad_usage(const cli_command *cmd, const char *fmt, const char *arg)
{
    /* Formatted once, for stderr and for the JSON errors. */
    char line[4096];
    int n = snprintf(line, sizeof line, "%s: ", program);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    snprintf(line + n, sizeof line - (size_t)n, fmt, arg);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    json_errors_keep(line);
    fprintf(stderr, "%s\nTry 'mtfs %s%s--help'.\n", line, cmd ? cmd->name : "", cmd ? " " : "");
    return CLI_EXIT_BAD_INPUT;
}

int cli_finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write to standard output\n", program);
        return CLI_EXIT_IO;
    }
    return code;
}

int cli_exit(mtfs_status st, const mtfs_error *err)
{
    if (st != MTFS_OK) {
        cli_print_error(err);
        return mtfs_status_exit_code(st);
    }
    return cli_finish(CLI_EXIT_OK);
}

int cli_restriction_chosen;

int cli_restrict(const char *dir)
{
    mtfs_error err;
    if (mtfs_input_restrict(dir, &err) != MTFS_OK) {
        cli_print_error(&err);
        return -1;
    }
    cli_restriction_chosen = 1;
    return 0;
}

int cli_in_ci(void)
{
    const char *ci = getenv("CI");
    return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
}

/* The copies cli_locate made, kept for the life of the process. */
static char **located;
static size_t n_located;

char *cli_locate(const char *path)
{
    char buf[PATH_MAX];
    const char *found = mtfs_shipped_locate(path, buf, sizeof buf);
    char **grown = found != path ? realloc(located, (n_located + 1) * sizeof *located) : NULL;
    char *copy = grown ? strdup(found) : NULL;
    if (grown)
        located = grown;
    if (!copy)
        return (char *)path;   /* as given (or out of memory: as given, too) */
    located[n_located++] = copy;
    return copy;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

int cli_parse_size(const char *text, size_t lo, size_t hi, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text || *end || text[0] == '-' || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

size_t cli_default_threads(void)
{
    /* Every command that takes --threads gives the same results for any
     * count (its work is cut into fixed pieces), so by default every online
     * core works; 64 is the most any command accepts. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > CLI_MAX_THREADS ? CLI_MAX_THREADS : (size_t)cores;
}

int cli_parse_shard(const char *text, size_t *k, size_t *n)
{
    const char *slash = strchr(text, '/');
    char first[32];
    if (!slash || (size_t)(slash - text) >= sizeof first)
        return -1;
    memcpy(first, text, (size_t)(slash - text));
    first[slash - text] = '\0';
    if (cli_parse_size(slash + 1, 1, 100000, n) || cli_parse_size(first, 1, *n, k))
        return -1;
    return 0;
}

int cli_year_index(const char *text, const mtfs_projection *p, size_t *t)
{
    int y;
    if (mtfs_year_parse(text, &y) != 0 || y - p->base_year < 1 || (size_t)(y - p->base_year) > p->horizon)
        return -1;
    *t = (size_t)(y - p->base_year);
    return 0;
}

mtfs_status cli_load_and_project(const char *path, mtfs_scenario **s, mtfs_projection **p,
                                 mtfs_error *err)
{
    *p = NULL;
    mtfs_status st = cli_load(path, s, err);
    if (st == MTFS_OK && !(*p = mtfs_projection_alloc(*s)))
        st = mtfs_error_oom(err, path);
    if (st == MTFS_OK)
        st = mtfs_project(*s, *p, err);
    return st;
}

/* The time recorded in metadata: SOURCE_DATE_EPOCH when set, so a build or
 * CI job can make even the metadata reproducible. */
time_t cli_run_time(void)
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

unsigned cli_table_options(void)
{
    return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") ? MTFS_TABLE_COLOUR : 0u;
}

void cli_file_stem(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), base);
}

/* ------------------------------------------------------------------ */
/* Output files                                                        */

mtfs_status cli_outputs_begin(cli_outputs *set, const char *dir, mtfs_status st, mtfs_error *err)
{
    set->files = NULL;
    set->n = 0;
    set->dir = dir;
    return st == MTFS_OK ? mtfs_output_set_begin(&set->files, err) : st;
}

mtfs_status cli_outputs_stage(cli_outputs *set, const char *name, cli_emit emit, const void *ctx,
                              mtfs_error *err)
{
    char path[CLI_PATH_LEN];
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

mtfs_status cli_outputs_finish(cli_outputs *set, mtfs_status st, mtfs_error *err)
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

mtfs_plot_format cli_plot(const cli_args *a)
{
    return a->plot >= 0 ? (mtfs_plot_format)a->plot : a->dir ? MTFS_PLOT_PNG : MTFS_PLOT_NONE;
}

mtfs_status cli_chart_path(const cli_args *a, const char *stem, const char *suffix, char *buf,
                           size_t size, mtfs_error *err)
{
    const char *dir = a->dir ? a->dir : "plots";
    mtfs_status st = a->dir ? MTFS_OK : mtfs_output_mkdir(dir, err);
    snprintf(buf, size, "%s/%s%s.%s", dir, stem, suffix, mtfs_plot_format_extension(cli_plot(a)));
    return st;
}

/* ------------------------------------------------------------------ */
/* Standard output in the chosen format                                */

mtfs_status cli_print(const cli_args *a, const cli_printers *w, const void *ctx, mtfs_error *err)
{
    const char *f = a->format ? a->format : "table";
    if (strcmp(f, "csv") == 0)
        return w->csv(stdout, ctx, err);
    if (strcmp(f, "json") == 0)
        json_errors.written = 1;   /* its own JSON, even a failing one, is the answer */
    if (strcmp(f, "json") == 0 && w->json)
        return w->json(stdout, ctx, err);
    if (strcmp(f, "json") == 0) {
        /* The CSV, turned into rows: one set of columns for both formats. */
        char *csv = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&csv, &len);
        if (!mem)
            return mtfs_error_oom(err, NULL);
        mtfs_status st = w->csv(mem, ctx, err);
        if (fclose(mem) != 0 && st == MTFS_OK)
            st = mtfs_error_oom(err, NULL);
        if (st == MTFS_OK)
            st = mtfs_json_write_rows(stdout, a->cmd->name, w->inputs, w->n_inputs, csv, len, err);
        free(csv);
        return st;
    }
    return w->table(stdout, ctx, err);
}

/* ------------------------------------------------------------------ */
/* Help                                                                */

/* "  -o, --output DIR" for option i, into buf. */
/* What emit writes, in memory (*text freed by the caller). */
static mtfs_status in_memory(cli_emit emit, const void *ctx, char **text, size_t *len,
                             mtfs_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *mem = open_memstream(text, len);
    if (!mem)
        return mtfs_error_oom(err, NULL);
    mtfs_status st = emit(mem, ctx, err);
    if (fclose(mem) != 0 && st == MTFS_OK)
        st = mtfs_error_oom(err, NULL);
    return st;
}

mtfs_status cli_json_rows_and(FILE *out, const char *command, const char *const *inputs,
                              size_t n_inputs, cli_emit rows, const char *section, cli_emit more,
                              const void *ctx, mtfs_error *err)
{
    char *text = NULL, *extra = NULL;
    size_t n_text = 0, n_extra = 0;
    mtfs_status st = in_memory(rows, ctx, &text, &n_text, err);
    if (st == MTFS_OK && section)
        st = in_memory(more, ctx, &extra, &n_extra, err);
    if (st == MTFS_OK)
        st = mtfs_json_write_rows_and(out, command, inputs, n_inputs, text, n_text, section, extra,
                                      n_extra, err);
    free(text);
    free(extra);
    return st;
}

static void option_label(size_t i, char *buf, size_t size)
{
    int id = option_table[i].id;
    const char *arg = option_table[i].arg;
    if (id < 256)
        snprintf(buf, size, "  -%c, --%s%s%s", id, option_table[i].name, arg ? " " : "", arg ? arg : "");
    else
        snprintf(buf, size, "      --%s%s%s", option_table[i].name, arg ? " " : "", arg ? arg : "");
}

/* One option line (help may span lines with '\n': continuations line up). */
static void option_line(FILE *out, size_t i, const char *help, int width)
{
    char label[96];
    option_label(i, label, sizeof label);
    if (!help || !help[0])
        help = option_table[i].help;
    int len = (int)strlen(label);
    if (len + 2 > width) {   /* too long to share the line: help below */
        fprintf(out, "%s\n%*s", label, width, "");
    } else {
        fprintf(out, "%-*s", width, label);
    }
    for (const char *p = help; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1])
            fprintf(out, "%*s", width, "");
    }
    fputc('\n', out);
}

/* "table (default), csv or json" */
static void formats_text(const char *const *formats, char *buf, size_t size)
{
    size_t used = 0, n = 0;
    while (formats[n])
        n++;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < size; k++) {
        int w = snprintf(buf + used, size - used, "%s%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
                         formats[k], k == 0 && n > 1 ? " (default)" : "");
        used += w > 0 ? (size_t)w : 0;
    }
}

/* The options cmd takes, in the order its help lists them: -o, --format,
 * --plot when it has them, its own, then --help; help[k] is the text the
 * help shows for ids[k] (NULL or "": the table's).  The one list that help,
 * parsing and suggestions read.  Returns the count. */
#define CLI_MAX_USES 40
static size_t command_options(const cli_command *cmd, int ids[CLI_MAX_USES],
                              const char *help[CLI_MAX_USES])
{
    size_t n = 0;
    if (cmd->output) {
        ids[n] = OPT_OUTPUT;
        help[n++] = cmd->output;
    }
    if (cmd->formats) {
        ids[n] = OPT_FORMAT;
        help[n++] = NULL;   /* made from cmd->formats: see usage_command */
    }
    if (cmd->plot) {
        ids[n] = OPT_PLOT;
        help[n++] = NULL;
    }
    for (const cli_use *u = cmd->options; u && u->id && n < CLI_MAX_USES - 1; u++) {
        ids[n] = u->id;
        help[n++] = u->help;
    }
    ids[n] = OPT_HELP;
    help[n++] = NULL;
    return n;
}

static void usage_command(FILE *out, const cli_command *cmd)
{
    fprintf(out, "Usage: mtfs %s %s\n\n%s\n\nOptions:\n", cmd->name, cmd->usage, cmd->description);
    int ids[CLI_MAX_USES];
    const char *help[CLI_MAX_USES];
    size_t n = command_options(cmd, ids, help);
    /* The option column: the longest label that fits beside its help, + 2. */
    int width = 0;
    for (size_t k = 0; k < n; k++) {
        char label[96];
        option_label(option_index(ids[k]), label, sizeof label);
        int len = (int)strlen(label);
        if (len <= 26 && len + 2 > width)
            width = len + 2;
    }
    char formats[128];
    if (cmd->formats)
        formats_text(cmd->formats, formats, sizeof formats);
    for (size_t k = 0; k < n; k++)
        option_line(out, option_index(ids[k]), ids[k] == OPT_FORMAT ? formats : help[k], width);
}

static void usage_main(FILE *out)
{
    fprintf(out, "Usage: mtfs <command> [options] [FILE...]\n"
                 "\n"
                 "Project a council's Medium-Term Financial Strategy from a scenario file:\n"
                 "spending, funding, the funding gap and reserves, year by year.\n"
                 "\n"
                 "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        /* The files it takes: its usage up to the first option. */
        const char *u = commands[i]->usage, *end = u;
        while (*end && strncmp(end, " [-", 3) != 0 && strncmp(end, " --", 3) != 0 && *end != '\n')
            end++;
        char head[64];
        snprintf(head, sizeof head, "  %s %.*s", commands[i]->name, (int)(end - u), u);
        fprintf(out, "%-22s %s\n", head, commands[i]->summary);
    }
    fprintf(out, "  %-21s%s\n", "help COMMAND", "show a command's options (as mtfs COMMAND --help)");
    fprintf(out,
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
            "Files: a scenario, formula or data path named here is read from the current\n"
            "directory if it is there, else from the files shipped with mtfs (scenarios/,\n"
            "formulas/, data/): %s.\n"
            "Files named inside a file (base, @include, data) are relative to that file.\n"
            "\n"
            "Exit status: 0 ok, 1 a --fail-if threshold crossed, 2 bad input (the message\n"
            "says file:line: key), 3 I/O error.  See mtfs(1) and docs/scenario-format.md.\n",
            mtfs_shipped_dir() ? mtfs_shipped_dir() : "none found beside this program");
}

/* ------------------------------------------------------------------ */
/* Parsing: one skeleton for every command                             */

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, commands[i]->name) == 0)
            return commands[i];
    return NULL;
}

static int takes(const cli_command *cmd, int id)
{
    int ids[CLI_MAX_USES];
    const char *help[CLI_MAX_USES];
    size_t n = command_options(cmd, ids, help);
    for (size_t k = 0; k < n; k++)
        if (ids[k] == id)
            return 1;
    return 0;
}

/* "unknown option '--formt' (did you mean '--format'?)", or naming the
 * command that has it. */
static int unknown_option(const cli_command *cmd, const char *text)
{
    const char *word = text;
    while (*word == '-')
        word++;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(word, "="), word);
    /* A short option: the long name its letter has in every command. */
    if (text[0] == '-' && text[1] && text[1] != '-' && !text[2])
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (option_table[i].id == (unsigned char)text[1])
                snprintf(name, sizeof name, "%s", option_table[i].name);
    const char *names[N_OPTIONS];
    size_t n = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (takes(cmd, option_table[i].id))
            names[n++] = option_table[i].name;
    const char *near = mtfs_nearest(name, names, n);
    char message[256];
    if (near) {
        snprintf(message, sizeof message, "unknown option '%%s' (did you mean '--%s'?)", near);
        return cli_bad_usage(cmd, message, text);
    }
    for (size_t c = 0; c < N_COMMANDS; c++)
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (strcmp(option_table[i].name, name) == 0 && takes(commands[c], option_table[i].id)) {
                snprintf(message, sizeof message, "unknown option '%%s' (--%s is an option of mtfs %s, "
                         "not of mtfs %s)", name, commands[c]->name, cmd->name);
                return cli_bad_usage(cmd, message, text);
            }
    return cli_bad_usage(cmd, "unknown option '%s'", text);
}

/* Parse argv (argv[0] is the command's name) into a; returns -1 to go on,
 * else the exit status (help printed: 0; a bad option: 2). */
static int parse(const cli_command *cmd, int argc, char **argv, cli_args *a)
{
    struct option longopts[N_OPTIONS + 1];
    char shortopts[2 * N_OPTIONS + 2] = ":";
    size_t n = 0, s = 1;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (!takes(cmd, option_table[i].id))
            continue;
        longopts[n++] = (struct option){option_table[i].name,
                                        option_table[i].arg ? required_argument : no_argument, NULL,
                                        option_table[i].id};
        if (option_table[i].id < 256) {
            shortopts[s++] = (char)option_table[i].id;
            if (option_table[i].arg)
                shortopts[s++] = ':';
        }
    }
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shortopts[s] = '\0';
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    /* Does the command line ask for JSON?  Looked for before the options
     * are read, so a bad option before --format still answers in JSON. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *v = NULL;
        if ((strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "-f") == 0) && i + 1 < argc)
            v = argv[i + 1];
        else if (strncmp(argv[i], "--format=", 9) == 0)
            v = argv[i] + 9;
        else if (strncmp(argv[i], "-f", 2) == 0 && argv[i][2])
            v = argv[i] + 2;
        if (v && takes(cmd, OPT_FORMAT))
            json_errors.command = strcmp(v, "json") == 0 ? cmd->name : NULL;
    }
    a->plot = -1;
    a->format = cmd->formats ? cmd->formats[0] : NULL;
    opterr = 0;
    optind = 0;   /* 0, not 1: glibc then re-reads the option string */
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?') {
            char text[16];
            snprintf(text, sizeof text, "-%c", optopt);
            return unknown_option(cmd, optopt ? text : argv[optind - 1]);
        }
        if (c == ':')
            return cli_bad_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        switch (c) {
        case OPT_HELP: usage_command(stdout, cmd); return cli_finish(0);
        case OPT_OUTPUT: a->dir = optarg; break;
        case OPT_QUIET: a->quiet = 1; break;
        case OPT_FORMAT: {
            size_t k = 0;
            while (cmd->formats[k] && strcmp(cmd->formats[k], optarg) != 0)
                k++;
            if (!cmd->formats[k]) {
                char expected[128], message[192];
                formats_text(cmd->formats, expected, sizeof expected);
                /* "table (default), csv or json" -> "table, csv or json" */
                char *d = strstr(expected, " (default)");
                if (d)
                    memmove(d, d + 10, strlen(d + 10) + 1);
                snprintf(message, sizeof message, "unknown format '%%s' (expected %s)", expected);
                return cli_bad_usage(cmd, message, optarg);
            }
            a->format = cmd->formats[k];
            break;
        }
        case OPT_PLOT:
            a->plot = mtfs_plot_format_parse(optarg);
            if (a->plot < 0)
                return cli_bad_usage(cmd, "unknown plot format '%s' (expected png, svg, pdf or none)", optarg);
            break;
        default: {
            int code = cmd->option ? cmd->option(c, optarg) : CLI_EXIT_BAD_INPUT;
            if (code)
                return code;
        }
        }
    }
    a->n_files = argc - optind;
    a->files = argv + optind;
    for (int i = 0; i < a->n_files; i++)
        a->files[i] = cli_locate(a->files[i]);
    if (a->n_files < cmd->min_files || (cmd->max_files >= 0 && a->n_files > cmd->max_files)) {
        char message[160];
        snprintf(message, sizeof message, "%s %s%%s", cmd->name, cmd->files_wanted);
        return cli_bad_usage(cmd, message, "");
    }
    return -1;
}

static int run_command(const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    int code = parse(cmd, argc, argv, &a);
    return code >= 0 ? code : cmd->run(&a);
}

int cli_main(int argc, char **argv)
{
    static const struct option options[] = {{"help", no_argument, NULL, 'h'},
                                            {"version", no_argument, NULL, 'V'},
                                            {"restrict", required_argument, NULL, 'R'},
                                            {"no-restrict", no_argument, NULL, 'N'},
                                            {NULL, 0, NULL, 0}};
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
    char shipped[PATH_MAX];
    if (mtfs_shipped_of_program(shipped, sizeof shipped) == 0)
        mtfs_shipped_set(shipped);
    const char *env_restrict = getenv("MTFS_RESTRICT");
    if (env_restrict && *env_restrict && cli_restrict(env_restrict) != 0)
        return CLI_EXIT_BAD_INPUT;
    int c;
    /* '+' stops at the command name, so its own options are left for it. */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:hV", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage_main(stdout); return cli_finish(0);
        case 'V': printf("mtfs %s\n", mtfs_version()); return cli_finish(0);
        case 'R':
        case 'N':
            if (cli_restrict(c == 'R' ? optarg : NULL) != 0)
                return CLI_EXIT_BAD_INPUT;
            break;
        case ':': return cli_bad_usage(NULL, "option '%s' needs a value", argv[optind - 1]);
        default: return cli_bad_usage(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc) {
        usage_main(stderr);
        return CLI_EXIT_BAD_INPUT;
    }
    const char *name = argv[optind];
    const cli_command *cmd = find_command(name);
    if (cmd)
        return cli_json_errors(run_command(cmd, argc - optind, argv + optind));
    if (strcmp(name, "help") == 0) {
        const char *topic = optind + 1 < argc ? argv[optind + 1] : NULL;
        const cli_command *about = topic ? find_command(topic) : NULL;
        if (topic && !about)
            return cli_bad_usage(NULL, "help: unknown command '%s'", topic);
        if (about)
            usage_command(stdout, about);
        else
            usage_main(stdout);
        return cli_finish(0);
    }
    const char *names[N_COMMANDS];
    for (size_t i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i]->name;
    const char *near = mtfs_nearest(name, names, N_COMMANDS);
    fprintf(stderr, "%s: unknown command '%s' (", program, name);
    if (near)
        fprintf(stderr, "did you mean '%s'? ", near);
    fputs("expected ", stderr);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(stderr, "%s%s", i == 0 ? "" : i + 1 == N_COMMANDS ? " or " : ", ", names[i]);
    fputs(")\nTry 'mtfs --help'.\n", stderr);
    return CLI_EXIT_BAD_INPUT;
}
