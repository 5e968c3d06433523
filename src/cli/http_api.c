/*
 * http_api.c - the JSON API of `mtfs serve` (see http_api.h and
 * docs/serve.md).
 *
 * A what-if is a scenario file: the request's "set" becomes a small
 * libconfig file that inherits the chosen scenario (`base = ...`) and gives
 * only the changed keys, written into the site's private scratch folder
 * and loaded with mtfs_scenario_load like any file named on the command
 * line.  So a value is checked by the same rules, with the same messages,
 * merged the same way (services by name, a number standing for a whole
 * series), and projected by the same engine as `mtfs run` on a file that
 * sets the same keys: the numbers are the same bytes.
 *
 * The server's own request and reply documents use jansson here, in the
 * command layer; the run itself is written by the library's JSON writer
 * (mtfs_json_write_projection), unchanged.
 */
#include "http_api.h"
#include "http_whatif.h"
#include "mtfs/inputs.h"
#include "mtfs/mtfs.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Replies                                                             */

/* The reply doc (whose reference is taken), its numbers written as the
 * library's JSON documents write them (mtfs_json_write_exact). */
static void reply_json(http_reply *r, int status, json_t *doc)
{
    r->status = status;
    r->type = "application/json";
    r->body = NULL;
    r->len = 0;
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
    FILE *out = text ? open_memstream(&r->body, &r->len) : NULL;
    if (out) {
        mtfs_error err;
        int ok = mtfs_json_write_exact(out, text, strlen(text), &err) == MTFS_OK;
        if (fclose(out) != 0 || !ok) {
            free(r->body);
            r->body = NULL;
        }
    }
    free(text);
    json_decref(doc);
    if (!r->body)
        r->status = 500;
}

void http_api_error(http_reply *r, int status, const char *key, const char *message)
{
    json_t *e = json_object(), *doc = json_object();
    json_object_set_new(e, "key", json_string(key ? key : ""));
    json_object_set_new(e, "message", json_string(message));
    json_object_set_new(doc, "error", e);
    reply_json(r, status, doc);
}

/* A library error as a reply: bad input 400, anything else 500.  The file
 * and line are given when the problem is in a file of the folder (not in
 * the request's own what-if file). */
static void reply_mtfs_error(const http_site *site, http_reply *r, const mtfs_error *err)
{
    json_t *e = json_object(), *doc = json_object();
    json_object_set_new(e, "key", json_string(err->key));
    json_object_set_new(e, "message", json_string(err->message));
    size_t n = strlen(site->dir);
    if (err->file[0] && strncmp(err->file, site->dir, n) == 0 && err->file[n] == '/') {
        json_object_set_new(e, "file", json_string(err->file + n + 1));
        if (err->line > 0)
            json_object_set_new(e, "line", json_integer(err->line));
    }
    json_object_set_new(doc, "error", e);
    reply_json(r, err->status == MTFS_EINPUT ? 400 : 500, doc);
}

void http_api_init(void)
{
    json_object_seed(0);
}

/* ------------------------------------------------------------------ */
/* The site                                                            */

int http_site_open(http_site *site, const char *dir, char *why, size_t size)
{
    struct stat st;
    if (!realpath(dir, site->dir) || stat(site->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, size, "'%s' is not a folder of scenarios: %s", dir,
                 errno ? strerror(errno) : "not a directory");
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    snprintf(site->scratch, sizeof site->scratch, "%s/mtfs-serve-XXXXXX", tmp);
    if (!mkdtemp(site->scratch)) {
        snprintf(why, size, "cannot make a scratch folder in %s: %s", tmp, strerror(errno));
        return -1;
    }
    return 0;
}

void http_site_close(http_site *site)
{
    if (site->scratch[0])
        rmdir(site->scratch);
    site->scratch[0] = '\0';
}

/* The file of scenario `name` ("x" or "x.cfg") directly in the folder,
 * into path: 0; else the HTTP status (403 for a name that is not a plain
 * file name or a link leading out of the folder, 404 for none) with why. */
/* A name that can only be a file directly in the folder: letters, digits,
 * '_', '-' and '.', not starting with '.' (so no '/', no '..', not hidden). */
static int plain_name(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    int plain = len > 0 && len < 200 && name[0] != '.';
    for (size_t i = 0; plain && i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
    }
    return plain;
}

static int find_scenario(const http_site *site, const char *name, char *path, size_t size,
                         char *why, size_t why_size)
{
    size_t len = name ? strlen(name) : 0;
    if (!plain_name(name)) {
        snprintf(why, why_size, "a scenario is named by its file name in the served folder (letters, "
                                "digits, '_', '-' and '.'; no '/', no '..', not hidden)");
        return 403;
    }
    int has_cfg = len > 4 && strcmp(name + len - 4, ".cfg") == 0;
    snprintf(path, size, "%s/%s%s", site->dir, name, has_cfg ? "" : ".cfg");
    struct stat st;
    char real[PATH_MAX];
    if (lstat(path, &st) != 0) {
        snprintf(why, why_size, "no scenario '%s' in the served folder", name);
        return 404;
    }
    size_t n = strlen(site->dir);
    if (S_ISLNK(st.st_mode) &&
        (!realpath(path, real) || strncmp(real, site->dir, n) != 0 || real[n] != '/')) {
        snprintf(why, why_size, "'%s' is a link leading out of the served folder", name);
        return 403;
    }
    return 0;
}

/* find_scenario, making the reply when there is none. */
static int scenario_path(const http_site *site, const char *name, char *path, size_t size,
                         http_reply *r)
{
    char why[512];
    int status = find_scenario(site, name, path, size, why, sizeof why);
    if (status)
        http_api_error(r, status, "scenario", why);
    return status ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* GET /api/scenarios                                                  */

void http_api_scenarios(const http_site *site, http_reply *r)
{
    char **names = NULL;
    size_t n = 0;
    mtfs_error err;
    mtfs_error_clear(&err);
    if (mtfs_input_list_cfg(site->dir, "a folder of scenarios", &names, &n, &err) != MTFS_OK) {
        reply_mtfs_error(site, r, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(names[i], '/');
        const char *file = slash ? slash + 1 : names[i];
        json_t *item = json_object();
        json_object_set_new(item, "file", json_string(file));
        mtfs_scenario *s = NULL;
        char path[PATH_MAX + 256], why[512];
        if (find_scenario(site, file, path, sizeof path, why, sizeof why) != 0) {
            json_object_set_new(item, "error", json_string(why));
        } else if (mtfs_scenario_load(path, &s, &err) == MTFS_OK) {
            json_object_set_new(item, "id", json_string(mtfs_scenario_id(s)));
            json_object_set_new(item, "name", json_string(mtfs_scenario_name(s)));
            json_object_set_new(item, "description", json_string(mtfs_scenario_description(s)));
            json_object_set_new(item, "base_year", json_integer(mtfs_scenario_base_year(s)));
            json_object_set_new(item, "horizon", json_integer((json_int_t)mtfs_scenario_horizon(s)));
        } else {
            char line[2400];
            json_object_set_new(item, "error", json_string(mtfs_error_format(&err, line, sizeof line)));
        }
        mtfs_scenario_free(s);
        json_array_append_new(list, item);
    }
    mtfs_input_list_free(names, n);
    json_t *doc = json_object();
    json_object_set_new(doc, "scenarios", list);
    reply_json(r, 200, doc);
}

/* ------------------------------------------------------------------ */
/* GET /api/scenario?name=X                                            */

static const char *unit_name(mtfs_unit u)
{
    switch (u) {
    case MTFS_UNIT_MONEY: return "£m";
    case MTFS_UNIT_SHARE: return "share";
    case MTFS_UNIT_POUNDS: return "£";
    case MTFS_UNIT_COUNT: return "count";
    }
    return "";
}

/* A number for JSON: finite always (a loaded scenario's inputs are). */
static json_t *number(double v)
{
    return json_real(v == 0.0 ? 0.0 : v);
}

/* One input as /api/scenario lists it: path, label, kind, unit, range and
 * its n values (a series when d is one, or a grant's list; else one number). */
static json_t *input_row(const mtfs_input_def *d, const char *item, const double *v, size_t n)
{
    char key[256], label[300];
    int series = d->kind == MTFS_INPUT_SERIES || n > 1;
    json_t *row = json_object();
    json_object_set_new(row, "path", json_string(mtfs_inputs_path(d, item, key, sizeof key)));
    json_object_set_new(row, "label", json_string(mtfs_inputs_label(d, item, label, sizeof label)));
    json_object_set_new(row, "kind", json_string(series ? "series" : "number"));
    json_object_set_new(row, "unit", json_string(unit_name(d->unit)));
    if (d->range) {
        json_object_set_new(row, "min", number(d->range->lo));
        json_object_set_new(row, "min_open", json_boolean(d->range->lo_open));
        json_object_set_new(row, "max", number(d->range->hi));
        json_object_set_new(row, "expected", json_string(d->range->expected));
    }
    if (series) {
        json_t *values = json_array();
        for (size_t t = 0; t < n; t++)
            json_array_append_new(values, number(v[t]));
        json_object_set_new(row, "values", values);
    } else {
        json_object_set_new(row, "value", number(v[0]));
    }
    return row;
}

void http_api_scenario(const http_site *site, const char *name, http_reply *r)
{
    char path[PATH_MAX + 256];
    if (scenario_path(site, name, path, sizeof path, r) != 0)
        return;
    mtfs_error err;
    mtfs_scenario *s = NULL;
    if (mtfs_scenario_load(path, &s, &err) != MTFS_OK) {
        reply_mtfs_error(site, r, &err);
        return;
    }
    size_t T = mtfs_scenario_horizon(s);
    int y0 = mtfs_scenario_base_year(s);
    json_t *doc = json_object(), *years = json_array(), *services = json_array(), *inputs = json_array();
    json_object_set_new(doc, "id", json_string(mtfs_scenario_id(s)));
    json_object_set_new(doc, "name", json_string(mtfs_scenario_name(s)));
    json_object_set_new(doc, "description", json_string(mtfs_scenario_description(s)));
    json_object_set_new(doc, "base_year", json_integer(y0));
    json_object_set_new(doc, "horizon", json_integer((json_int_t)T));
    for (size_t t = 1; t <= T; t++) {
        char label[16];
        json_array_append_new(years, json_string(mtfs_year_label(y0 + (int)t, label, sizeof label)));
    }
    for (size_t i = 0; i < mtfs_scenario_service_count(s); i++)
        json_array_append_new(services, json_string(mtfs_scenario_service_name(s, i)));
    json_object_set_new(doc, "years", years);
    json_object_set_new(doc, "services", services);
    json_object_set_new(doc, "referendum_allowed", json_boolean(mtfs_scenario_referendum_allowed(s)));
    for (size_t i = 0; i < mtfs_scenario_input_count(s); i++) {
        mtfs_scenario_input in;
        mtfs_scenario_input_at(s, i, &in);
        const mtfs_input_def *d = mtfs_inputs_at(in.row);
        if (!d || (in.kind != MTFS_INPUT_SERIES && in.kind != MTFS_INPUT_SCALAR))
            continue;
        json_array_append_new(inputs, input_row(d, in.item, in.kind == MTFS_INPUT_SERIES ? in.series + 1 : &in.value,
                                                in.kind == MTFS_INPUT_SERIES ? T : 1));
    }
    /* The levers the Inputs sheet does not list: grants, and the dsg and
     * capital blocks when the scenario has them (docs/serve.md). */
    json_t *more = json_array();
    static const char *const lever_groups[] = {"grants", "dsg", "capital"};
    for (size_t g = 0; g < sizeof lever_groups / sizeof lever_groups[0]; g++) {
        if ((g == 1 && !mtfs_scenario_has_dsg(s)) || (g == 2 && !mtfs_scenario_has_capital(s)))
            continue;
        size_t n_rows;
        const mtfs_input_def *rows = mtfs_inputs_group(lever_groups[g], &n_rows);
        for (size_t k = 0; k < n_rows; k++)
            for (size_t item = 0; item < mtfs_inputs_item_count(s, &rows[k]); item++) {
                size_t n;
                const double *v = mtfs_inputs_numbers(s, &rows[k], item, &n);
                if (v)
                    json_array_append_new(more, input_row(&rows[k], mtfs_inputs_item(s, &rows[k], item), v, n));
            }
    }
    if (mtfs_scenario_has_dsg(s)) {
        /* A year, not a number of the registry's ranges: the page offers the years of the projection. */
        const mtfs_input_def *d = mtfs_inputs_find("dsg", "override_end");
        json_t *row = json_object();
        json_object_set_new(row, "path", json_string("dsg.override_end"));
        json_object_set_new(row, "label", json_string(d ? d->label : "override_end"));
        json_object_set_new(row, "kind", json_string("year"));
        json_object_set_new(row, "value", json_integer(mtfs_scenario_dsg_override_end(s)));
        json_array_append_new(more, row);
    }
    json_object_set_new(doc, "inputs", inputs);
    json_object_set_new(doc, "more_inputs", more);
    mtfs_scenario_free(s);
    reply_json(r, 200, doc);
}

/* ------------------------------------------------------------------ */
/* POST /api/run                                                       */

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wx");
    if (!f)
        return -1;
    int ok = fwrite(text, 1, len, f) == len;
    ok &= fclose(f) == 0;
    return ok ? 0 : -1;
}

/* Replace the first occurrence of `"from"` in the reply by `"to"`. */
static void replace_quoted(http_reply *r, const char *from, const char *to)
{
    char quoted[PATH_MAX + 400];
    snprintf(quoted, sizeof quoted, "\"%s\"", from);
    char *at = r->body ? strstr(r->body, quoted) : NULL;
    size_t n_from = strlen(quoted), n_to = strlen(to) + 2;
    if (!at || n_to > n_from)
        return;
    at[0] = '"';
    memcpy(at + 1, to, n_to - 2);
    at[n_to - 1] = '"';
    memmove(at + n_to, at + n_from, r->len - (size_t)(at - r->body) - n_from + 1);
    r->len -= n_from - n_to;
}

/* What a run request asks for: the run as JSON or CSV, or a Monte Carlo
 * of `paths` paths from `seed` (one thread: the server's threads are the
 * parallelism; the numbers are the same for any count). */
typedef struct {
    http_run_format format;
    int mc;
    size_t paths;
    unsigned long seed;
} run_how;

/* `mtfs mc FILE --paths N --seed S --format json`, into the reply. */
static void mc_file(const http_site *site, const char *path, const run_how *how, http_reply *r)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_mc_result *result = NULL;
    mtfs_mc_options options;
    memset(&options, 0, sizeof options);
    options.paths = how->paths;
    options.seed_given = 1;
    options.seed = how->seed;
    options.threads = 1;
    mtfs_status st = mtfs_scenario_load(path, &s, &err);
    if (st == MTFS_OK)
        st = mtfs_mc_run(s, &options, &result, &err);
    char *text = NULL;
    size_t len = 0;
    if (st == MTFS_OK) {
        FILE *out = open_memstream(&text, &len);
        if (!out)
            st = mtfs_error_oom(&err, NULL);
        else {
            st = mtfs_json_write_mc(out, s, result, &err);
            if (fclose(out) != 0 && st == MTFS_OK)
                st = mtfs_error_oom(&err, NULL);
        }
    }
    if (st == MTFS_OK) {
        r->status = 200;
        r->type = "application/json";
        r->body = text;
        r->len = len;
    } else {
        free(text);
        reply_mtfs_error(site, r, &err);
    }
    mtfs_mc_result_free(result);
    mtfs_scenario_free(s);
}

/* PLplot keeps global state and is not thread-safe (src/plot/session.c):
 * the server's threads draw one chart at a time. */
static pthread_mutex_t plot_lock = PTHREAD_MUTEX_INITIALIZER;

/* Cairo numbers its drawing surfaces with a counter of the process, and
 * its SVG names the page's group by it (<g id="surface6">): the server's
 * sixth chart would differ from the CLI's, whose chart is its first.  The
 * one id is set back to a fresh process's, so the same inputs give the
 * same bytes however many charts the server has drawn. */
static void first_surface(char *text, size_t *len)
{
    static const char tag[] = "<g id=\"surface";
    char *at = strstr(text, tag);
    if (!at)
        return;
    char *digits = at + sizeof tag - 1, *end = digits;
    while (*end >= '0' && *end <= '9')
        end++;
    if (end == digits || *end != '"')
        return;
    *digits = '1';
    memmove(digits + 1, end, *len - (size_t)(end - text) + 1);
    *len -= (size_t)(end - digits) - 1;
}

/* The workbook or the chart of a run, which the library writes only by
 * file name: written into a folder of its own in the scratch folder, read
 * back into *text, and removed.  0, else -1 with the reply made. */
static int file_output(const http_site *site, const mtfs_scenario *s, const mtfs_projection *p,
                       const mtfs_bridge *bridge, http_run_format format, char **text, size_t *len,
                       http_reply *r)
{
    char dir[PATH_MAX + 16], file[PATH_MAX + 300];
    snprintf(dir, sizeof dir, "%s/o-XXXXXX", site->scratch);
    if (!mkdtemp(dir)) {
        http_api_error(r, 500, "", "cannot make a scratch folder for the download");
        return -1;
    }
    snprintf(file, sizeof file, "%s/%s.%s", dir, mtfs_scenario_id(s), format == HTTP_RUN_XLSX ? "xlsx" : "svg");
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_status st;
    if (format == HTTP_RUN_XLSX) {
        st = mtfs_xlsx_write(file, s, p, bridge, &err);
    } else {
        pthread_mutex_lock(&plot_lock);
        st = mtfs_plot_projection(file, MTFS_PLOT_SVG, s, p, &err);
        pthread_mutex_unlock(&plot_lock);
    }
    if (st == MTFS_OK)
        st = mtfs_input_read(file, "a download made by the server", NULL, text, len, &err);
    if (st == MTFS_OK && format == HTTP_RUN_SVG)
        first_surface(*text, len);
    unlink(file);
    rmdir(dir);
    if (st != MTFS_OK) {
        reply_mtfs_error(site, r, &err);
        return -1;
    }
    return 0;
}

/* Load, project and write the run of the scenario at path, as `mtfs run
 * --format json` does (how->format: CSV as `--format csv`, a workbook or chart as file_output; how->mc: as
 * mc_file). */
static void run_file(const http_site *site, const char *path, const run_how *how, http_reply *r)
{
    if (how->mc) {
        mc_file(site, path, how, r);
        return;
    }
    int csv = how->format == HTTP_RUN_CSV;
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s = NULL;
    mtfs_projection *p = NULL;
    mtfs_bridge bridge;
    mtfs_status st = mtfs_scenario_load(path, &s, &err);
    if (st == MTFS_OK && !(p = mtfs_projection_alloc(s)))
        st = mtfs_error_oom(&err, path);
    if (st == MTFS_OK)
        st = mtfs_project(s, p, &err);
    if (st == MTFS_OK)
        st = mtfs_bridge_compute(s, p, p->horizon, &bridge, &err);
    char *text = NULL;
    size_t len = 0;
    /* A what-if file is the server's own, in its scratch folder: the chart's
     * footer and the workbook's list of files call it "(request)", as the
     * JSON's metadata does, so the same inputs give the same bytes (the JSON
     * writer hashes the file by its name, so it is renamed only here). */
    int download = how->format == HTTP_RUN_XLSX || how->format == HTTP_RUN_SVG;
    size_t n_scratch = strlen(site->scratch);
    if (st == MTFS_OK && download && strncmp(path, site->scratch, n_scratch) == 0 && path[n_scratch] == '/')
        st = mtfs_scenario_show_file_as(s, 0, "(request)", &err);
    if (st == MTFS_OK && download) {
        if (file_output(site, s, p, &bridge, how->format, &text, &len, r) == 0) {
            r->status = 200;
            r->type = how->format == HTTP_RUN_XLSX
                          ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "image/svg+xml";
            r->body = text;
            r->len = len;
        }
        mtfs_projection_free(p);
        mtfs_scenario_free(s);
        return;
    }
    if (st == MTFS_OK) {
        FILE *out = open_memstream(&text, &len);
        if (!out)
            st = mtfs_error_oom(&err, NULL);
        else {
            st = csv ? mtfs_report_csv(out, s, p, &err) : mtfs_json_write_projection(out, s, p, &bridge, &err);
            if (fclose(out) != 0 && st == MTFS_OK)
                st = mtfs_error_oom(&err, NULL);
        }
    }
    if (st == MTFS_OK) {
        r->status = 200;
        r->type = csv ? "text/csv; charset=utf-8" : "application/json";
        r->body = text;
        r->len = len;
    } else {
        free(text);
        reply_mtfs_error(site, r, &err);
    }
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

/* The run of scenario `path` with `set` (NULL or empty: as it is), as
 * http_api_run replies (csv: its CSV). */
static void run_whatif(const http_site *site, const char *path, const json_t *set, const run_how *how,
                       http_reply *r)
{
    if (!set || json_object_size(set) == 0) {
        run_file(site, path, how, r);
        return;
    }
    buffer b = {NULL, 0, 0, 0};
    char dir[PATH_MAX + 16], file[PATH_MAX + 300];
    snprintf(dir, sizeof dir, "%s/r-XXXXXX", site->scratch);
    if (whatif_file_text(path, set, &b, r) == 0) {
        /* The what-if file has the scenario's own name, so the run's id is the scenario's. */
        const char *slash = strrchr(path, '/');
        if (!mkdtemp(dir))
            http_api_error(r, 500, "", "cannot make a scratch folder for the what-if");
        else {
            snprintf(file, sizeof file, "%s%s", dir, slash);
            if (write_file(file, b.text, b.len) != 0)
                http_api_error(r, 500, "", "cannot write the what-if file");
            else {
                run_file(site, file, how, r);
                if (r->status == 200 && !how->mc && how->format == HTTP_RUN_JSON)
                    replace_quoted(r, file, "(request)");
            }
            unlink(file);
            rmdir(dir);
        }
    }
    free(b.text);
}

/* The request document of /api/run and /api/save: NULL with the reply
 * (400) made when it is not a JSON object of the members allowed (a
 * NULL-terminated list). */
static json_t *request_doc(const char *body, size_t len, const char *const *members, http_reply *r)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    char message[512];
    if (!doc) {
        snprintf(message, sizeof message, "the request is not JSON: %s (line %d, column %d)", jerr.text,
                 jerr.line, jerr.column);
        http_api_error(r, 400, "", message);
        return NULL;
    }
    const char *member, *unknown = NULL;
    json_t *v;
    json_object_foreach(doc, member, v) {
        size_t i = 0;
        while (members[i] && strcmp(member, members[i]) != 0)
            i++;
        if (!members[i])
            unknown = member;
    }
    const json_t *set = json_object_get(doc, "set");
    if (!json_is_object(doc) || !json_is_string(json_object_get(doc, "scenario"))) {
        http_api_error(r, 400, "scenario", "expected {\"scenario\": \"NAME\", \"set\": {\"key.path\": value, ...}}");
    } else if (unknown) {
        char expected[200] = "";
        for (size_t i = 0; members[i]; i++) {
            size_t used = strlen(expected);
            snprintf(expected + used, sizeof expected - used, "%s%s",
                     i == 0 ? "" : members[i + 1] ? ", " : " or ", members[i]);
        }
        snprintf(message, sizeof message, "unknown member '%.200s' (expected %s)", unknown, expected);
        http_api_error(r, 400, unknown, message);
    } else if (set && !json_is_object(set)) {
        http_api_error(r, 400, "set", "expected an object of key paths and values");
    } else {
        return doc;
    }
    json_decref(doc);
    return NULL;
}

void http_api_run(const http_site *site, const char *body, size_t len, http_run_format format,
                  http_reply *r)
{
    static const char *const members[] = {"scenario", "set", NULL};
    json_t *doc = request_doc(body, len, members, r);
    char path[PATH_MAX + 256];
    if (doc && scenario_path(site, json_string_value(json_object_get(doc, "scenario")), path, sizeof path, r) == 0)
    {
        run_how how = {format, 0, 0, 0};
        run_whatif(site, path, json_object_get(doc, "set"), &how, r);
    }
    json_decref(doc);
}

/* ------------------------------------------------------------------ */
/* POST /api/save: the what-if as a scenario file of the folder         */

/* Write text into a new hidden file beside `final` and sync it: 0 with its
 * name in tmp, else -1 (nothing left behind). */
static int write_synced_temp(const http_site *site, const char *file, const char *text, size_t len,
                             char *tmp, size_t size)
{
    snprintf(tmp, size, "%s/.%s.XXXXXX", site->dir, file);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    int ok = fchmod(fd, 0644) == 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    ok &= fsync(fd) == 0;
    ok &= close(fd) == 0;
    if (!ok)
        unlink(tmp);
    return ok ? 0 : -1;
}

/* Sync the folder, so a file put in it stays there after a crash. */
static void sync_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

void http_api_save(const http_site *site, const char *body, size_t len, http_reply *r)
{
    static const char *const members[] = {"scenario", "set", "file", "title", "overwrite", NULL};
    json_t *doc = request_doc(body, len, members, r);
    if (!doc)
        return;
    const char *scenario = json_string_value(json_object_get(doc, "scenario"));
    const json_t *set = json_object_get(doc, "set"), *jfile = json_object_get(doc, "file"),
                 *title = json_object_get(doc, "title"), *overwrite = json_object_get(doc, "overwrite");
    const char *name = json_string_value(jfile);
    char file[256], path[PATH_MAX + 256], final[PATH_MAX + 256], tmp[PATH_MAX + 300];
    size_t n = name ? strlen(name) : 0;
    int has_cfg = n > 4 && strcmp(name + n - 4, ".cfg") == 0;
    if (!plain_name(name) || n + 4 >= sizeof file || (has_cfg && n == 4)) {
        http_api_error(r, name && json_is_string(jfile) ? 403 : 400, "file",
                       "the new scenario's file name: letters, digits, '_', '-' and '.' (no '/', "
                       "no '..', not hidden), in the served folder");
    } else if (title && !(json_is_string(title) && whatif_valid_text(json_string_value(title)) &&
                          strlen(json_string_value(title)) <= 200)) {
        http_api_error(r, 400, "title", "expected a text of at most 200 characters, on one line");
    } else if (overwrite && !json_is_boolean(overwrite)) {
        http_api_error(r, 400, "overwrite", "expected true or false");
    } else if (scenario_path(site, scenario, path, sizeof path, r) == 0) {
        snprintf(file, sizeof file, "%s%s", name, has_cfg ? "" : ".cfg");
        snprintf(final, sizeof final, "%s/%s", site->dir, file);
        const char *base = strrchr(path, '/') + 1;
        struct stat st;
        if (strcmp(base, file) == 0) {
            http_api_error(r, 400, "file", "a scenario cannot be saved over the one it starts from");
        } else if (!json_is_true(overwrite) && lstat(final, &st) == 0) {
            char message[400];
            snprintf(message, sizeof message, "'%s' is already in the folder (ask again with "
                     "\"overwrite\": true to replace it)", file);
            http_api_error(r, 409, "file", message);
        } else {
            /* The run first: a what-if that does not run is refused with the
             * run's own message, and nothing is written. */
            run_how how = {HTTP_RUN_JSON, 0, 0, 0};
            run_whatif(site, path, set, &how, r);
            if (r->status == 200) {
                free(r->body);
                r->body = NULL;
                buffer b = {NULL, 0, 0, 0};
                json_t *none = json_object();
                if (whatif_file_text(base, set ? set : none, &b, r) == 0) {
                    if (title) {
                        whatif_puts(&b, "name = ");
                        whatif_put_string(&b, json_string_value(title));
                        whatif_puts(&b, ";\n");
                    }
                    if (b.failed)
                        http_api_error(r, 500, "", "out of memory");
                    else if (write_synced_temp(site, file, b.text, b.len, tmp, sizeof tmp) != 0)
                        http_api_error(r, 500, "file", "cannot write into the served folder");
                    else {
                        /* link() refuses to replace a file that appeared meanwhile;
                         * rename() replaces it, as asked. */
                        int put_ok = json_is_true(overwrite) ? rename(tmp, final) : link(tmp, final);
                        int exists = put_ok != 0 && errno == EEXIST;
                        unlink(tmp);
                        if (put_ok != 0) {
                            char message[400];
                            snprintf(message, sizeof message, exists ? "'%s' is already in the folder "
                                     "(ask again with \"overwrite\": true to replace it)"
                                     : "cannot put '%s' into the served folder", file);
                            http_api_error(r, exists ? 409 : 500, "file", message);
                        } else {
                            sync_folder(site->dir);
                            json_t *reply = json_object();
                            json_object_set_new(reply, "file", json_string(file));
                            json_object_set_new(reply, "id", json_stringn(file, strlen(file) - 4));
                            json_object_set_new(reply, "text", json_string(b.text));
                            reply_json(r, 201, reply);
                        }
                    }
                }
                json_decref(none);
                free(b.text);
            }
        }
    }
    json_decref(doc);
}

/* ------------------------------------------------------------------ */
/* POST /api/compare: the what-if beside the scenario it starts from    */

/* The text written to a memory buffer by emit: 0, or the status. */
typedef mtfs_status (*emit_fn)(FILE *out, const void *ctx, mtfs_error *err);

static mtfs_status in_memory(emit_fn emit, const void *ctx, char **text, size_t *len, mtfs_error *err)
{
    FILE *out = open_memstream(text, len);
    if (!out)
        return mtfs_error_oom(err, NULL);
    mtfs_status st = emit(out, ctx, err);
    if (fclose(out) != 0 && st == MTFS_OK)
        st = mtfs_error_oom(err, NULL);
    return st;
}

typedef struct {
    const mtfs_scenario *const *s;
    const mtfs_projection *const *p;
    const mtfs_bridge *b;
} compare_pair;

static mtfs_status emit_compare(FILE *out, const void *ctx, mtfs_error *err)
{
    const compare_pair *c = ctx;
    return mtfs_report_compare_csv(out, 2, c->s, c->p, err);
}

static mtfs_status emit_compare_bridge(FILE *out, const void *ctx, mtfs_error *err)
{
    const compare_pair *c = ctx;
    return mtfs_report_compare_bridge_csv(out, 2, c->s, c->b, err);
}

/* Every `"from"` in the reply becomes `"to"` (to no longer than from). */
static void replace_all_quoted(http_reply *r, const char *from, const char *to)
{
    for (size_t before = 0; r->body && r->len != before;) {
        before = r->len;
        replace_quoted(r, from, to);
    }
}

/* What `mtfs compare BASE WHATIF --format json` prints, into the reply. */
static void compare_files(const http_site *site, const char *base, const char *whatif, http_reply *r)
{
    mtfs_error err;
    mtfs_error_clear(&err);
    mtfs_scenario *s[2] = {NULL, NULL};
    mtfs_projection *p[2] = {NULL, NULL};
    mtfs_bridge b[2];
    const char *files[2] = {base, whatif};
    mtfs_status st = MTFS_OK;
    for (int i = 0; i < 2 && st == MTFS_OK; i++) {
        st = mtfs_scenario_load(files[i], &s[i], &err);
        if (st == MTFS_OK && !(p[i] = mtfs_projection_alloc(s[i])))
            st = mtfs_error_oom(&err, files[i]);
        if (st == MTFS_OK)
            st = mtfs_project(s[i], p[i], &err);
        if (st == MTFS_OK)
            st = mtfs_bridge_compute(s[i], p[i], p[i]->horizon, &b[i], &err);
    }
    compare_pair pair = {(const mtfs_scenario *const *)s, (const mtfs_projection *const *)p, b};
    char *rows = NULL, *bridge = NULL, *text = NULL;
    size_t n_rows = 0, n_bridge = 0, len = 0;
    if (st == MTFS_OK)
        st = in_memory(emit_compare, &pair, &rows, &n_rows, &err);
    if (st == MTFS_OK)
        st = in_memory(emit_compare_bridge, &pair, &bridge, &n_bridge, &err);
    if (st == MTFS_OK) {
        FILE *out = open_memstream(&text, &len);
        if (!out)
            st = mtfs_error_oom(&err, NULL);
        else {
            st = mtfs_json_write_rows_and(out, "compare", files, 2, rows, n_rows, "bridge", bridge, n_bridge, &err);
            if (fclose(out) != 0 && st == MTFS_OK)
                st = mtfs_error_oom(&err, NULL);
        }
    }
    if (st == MTFS_OK) {
        r->status = 200;
        r->type = "application/json";
        r->body = text;
        r->len = len;
    } else {
        free(text);
        reply_mtfs_error(site, r, &err);
    }
    free(rows);
    free(bridge);
    for (int i = 0; i < 2; i++) {
        mtfs_projection_free(p[i]);
        mtfs_scenario_free(s[i]);
    }
}

void http_api_compare(const http_site *site, const char *body, size_t len, http_reply *r)
{
    static const char *const members[] = {"scenario", "set", NULL};
    json_t *doc = request_doc(body, len, members, r);
    char path[PATH_MAX + 256];
    if (!doc || scenario_path(site, json_string_value(json_object_get(doc, "scenario")), path, sizeof path, r) != 0) {
        json_decref(doc);
        return;
    }
    const json_t *set = json_object_get(doc, "set");
    json_t *none = json_object();
    buffer b = {NULL, 0, 0, 0};
    char dir[PATH_MAX + 16], file[PATH_MAX + 300];
    snprintf(dir, sizeof dir, "%s/c-XXXXXX", site->scratch);
    if (whatif_file_text(path, set ? set : none, &b, r) == 0) {
        /* The what-if is ID_whatif.cfg, so the two have ids of their own. */
        const char *slash = strrchr(path, '/');
        size_t stem = strlen(slash) - 4;   /* a scenario's file ends in .cfg */
        if (!mkdtemp(dir))
            http_api_error(r, 500, "", "cannot make a scratch folder for the what-if");
        else {
            snprintf(file, sizeof file, "%s%.*s_whatif.cfg", dir, (int)stem, slash);
            if (write_file(file, b.text, b.len) != 0)
                http_api_error(r, 500, "", "cannot write the what-if file");
            else {
                compare_files(site, path, file, r);
                if (r->status == 200)
                    replace_all_quoted(r, file, "(request)");
            }
            unlink(file);
            rmdir(dir);
        }
    }
    free(b.text);
    json_decref(none);
    json_decref(doc);
}

/* ------------------------------------------------------------------ */
/* POST /api/mc: the uncertainty view                                   */

/* A whole number member from lo to hi, default def: 0, else -1 with the
 * reply (400) made. */
static int whole_member(const json_t *doc, const char *name, json_int_t lo, json_int_t hi, json_int_t def,
                        json_int_t *out, http_reply *r)
{
    const json_t *v = json_object_get(doc, name);
    *out = def;
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        char message[200];
        snprintf(message, sizeof message, "expected a whole number from %" JSON_INTEGER_FORMAT " to %"
                 JSON_INTEGER_FORMAT, lo, hi);
        http_api_error(r, 400, name, message);
        return -1;
    }
    *out = json_integer_value(v);
    return 0;
}

void http_api_mc(const http_site *site, const char *body, size_t len, http_reply *r)
{
    static const char *const members[] = {"scenario", "set", "paths", "seed", NULL};
    json_t *doc = request_doc(body, len, members, r);
    json_int_t paths, seed;
    char path[PATH_MAX + 256];
    if (doc && whole_member(doc, "paths", 1, HTTP_MC_PATHS_MAX, 10000, &paths, r) == 0 &&
        whole_member(doc, "seed", 0, 4294967295, 1, &seed, r) == 0 &&
        scenario_path(site, json_string_value(json_object_get(doc, "scenario")), path, sizeof path, r) == 0) {
        run_how how = {HTTP_RUN_JSON, 1, (size_t)paths, (unsigned long)seed};
        run_whatif(site, path, json_object_get(doc, "set"), &how, r);
    }
    json_decref(doc);
}
