/*
 * http_api.h - the JSON API of `mtfs serve` (docs/serve.md), kept apart
 * from the HTTP server (cmd_serve.c, the one module that uses
 * libmicrohttpd): each call takes a request's parts and fills a reply
 * (status, body, content type), so the API can be reasoned about without
 * any socket.  Every call is safe from several threads at once: it touches
 * only its own request and the site, which is read-only once set up.
 */
#ifndef MTFS_HTTP_API_H
#define MTFS_HTTP_API_H

#include <limits.h>
#include <stddef.h>

/* The most Monte Carlo paths a request may ask for: an interactive view
 * (20,000 paths take about 0.1 s), not a batch job (mtfs mc is for that). */
#define HTTP_MC_PATHS_MAX 20000

/* The largest request body accepted (413 beyond). */
#define HTTP_BODY_MAX ((size_t)64 << 10)

/* The folder served and a private scratch folder for what-if files. */
typedef struct {
    char dir[PATH_MAX];    /* the scenarios' folder, canonical */
    char scratch[PATH_MAX];  /* mode 0700, made by http_site_open, removed by http_site_close */
} http_site;

typedef struct {
    int status;            /* 200, 400, 403, 404, 413, 500 */
    char *body;            /* malloc'd (NULL: out of memory; the server sends 500) */
    size_t len;
    const char *type;      /* Content-Type */
} http_reply;

/* Once, before the server's threads start. */
void http_api_init(void);

/* Set up the site for folder dir: 0, or -1 after writing why into why. */
int http_site_open(http_site *site, const char *dir, char *why, size_t size);
void http_site_close(http_site *site);

/* GET /api/scenarios: the .cfg files of the folder, id, title and description. */
void http_api_scenarios(const http_site *site, http_reply *r);
/* GET /api/scenario?name=X: a scenario's inputs with values, labels, units and ranges. */
void http_api_scenario(const http_site *site, const char *name, http_reply *r);
/* What a run request answers with. */
typedef enum {
    HTTP_RUN_JSON,   /* POST /api/run: `mtfs run --format json` */
    HTTP_RUN_CSV,    /* POST /api/run.csv: `--format csv` */
    HTTP_RUN_XLSX,   /* POST /api/run.xlsx: the workbook of `-o DIR --xlsx` */
    HTTP_RUN_SVG     /* POST /api/run.svg: the chart of `-o DIR --plot svg` */
} http_run_format;

/* POST /api/run (and .csv, .xlsx, .svg), body {"scenario": X, "set":
 * {path: value, ...}}: what `mtfs run` writes in that format for X with
 * those inputs changed. */
void http_api_run(const http_site *site, const char *body, size_t len, http_run_format format,
                  http_reply *r);
/* POST /api/compare, body as /api/run's: what `mtfs compare X.cfg
 * X_whatif.cfg --format json` prints, X_whatif.cfg a file setting those
 * keys (named "(request)" in the reply): the gap side by side and the
 * bridge of the difference. */
void http_api_compare(const http_site *site, const char *body, size_t len, http_reply *r);
/* POST /api/mc, body /api/run's and "paths" (1 to HTTP_MC_PATHS_MAX,
 * default 10000) and "seed" (0 to 4294967295, default 1): what `mtfs mc
 * FILE --paths N --seed S --format json` prints for the what-if file. */
void http_api_mc(const http_site *site, const char *body, size_t len, http_reply *r);
/* POST /api/save, body {"scenario": X, "set": {...}, "file": NEW, "title":
 * T, "overwrite": false}: NEW.cfg in the folder, inheriting X (`base =`)
 * and holding only the keys of set (and `name = T`); written atomically,
 * 409 when NEW.cfg exists and overwrite is not true.  201 with {"file",
 * "id", "text"}. */
void http_api_save(const http_site *site, const char *body, size_t len, http_reply *r);
/* {"error": {"key": key, "message": message}} with status. */
void http_api_error(http_reply *r, int status, const char *key, const char *message);

#endif
