/*
 * cmd_serve.c - mtfs serve: the what-if page and its JSON API on a local
 * web server (docs/serve.md).  The one module that uses libmicrohttpd; the
 * API's answers come from http_api.c, the numbers from the library.
 *
 * The server answers a fixed set of addresses: the API, and the page's
 * files, read once at start into memory (share/mtfs/www and Debian's
 * Chart.js), so no address of a request ever reaches the file system but
 * a scenario's name, which http_api.c checks.  It listens on 127.0.0.1
 * unless told otherwise (and then only with --allow-remote), runs a small
 * pool of threads, and stops on SIGINT or SIGTERM: the signals are blocked
 * in every thread and taken by sigwait in the main one, which then stops
 * the server and frees everything.
 */
#include "cli.h"
#include "http_api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SERVE_THREADS 4

static const char *serve_host = "127.0.0.1";
static size_t serve_port = 8080;
static int serve_remote;
static size_t serve_rate = 100;   /* requests a second an address may make on average; 0: no limit */

extern const cli_command cli_serve;

static int serve_option(int id, const char *arg)
{
    switch (id) {
    case OPT_PORT:
        if (cli_parse_size(arg, 0, 65535, &serve_port) != 0)
            return cli_bad_usage(&cli_serve, "--port takes a port number from 0 to 65535, not '%s'", arg);
        return 0;
    case OPT_HOST: serve_host = arg; return 0;
    case OPT_ALLOW_REMOTE: serve_remote = 1; return 0;
    case OPT_RATE:
        if (cli_parse_size(arg, 0, 100000, &serve_rate) != 0)
            return cli_bad_usage(&cli_serve, "--rate takes a number of requests a second from 0 (no limit) "
                                 "to 100000, not '%s'", arg);
        return 0;
    default: return CLI_EXIT_BAD_INPUT;
    }
}

/* ------------------------------------------------------------------ */
/* The page's files                                                    */

typedef struct {
    const char *url;
    const char *file;      /* under the www folder, or absolute */
    const char *type;
    int optional;          /* Chart.js: without it the page shows tables only */
    char *text;
    size_t len;
} asset;

static asset assets[] = {
    {"/", "index.html", "text/html; charset=utf-8", 0, NULL, 0},
    {"/app.js", "app.js", "text/javascript; charset=utf-8", 0, NULL, 0},
    {"/style.css", "style.css", "text/css; charset=utf-8", 0, NULL, 0},
    {"/chart.js", "/usr/share/javascript/chart.js/chart.min.js", "text/javascript; charset=utf-8", 1, NULL, 0},
};
#define N_ASSETS (sizeof assets / sizeof assets[0])

/* The www folder: the source tree's share/mtfs/www, or an installed
 * PREFIX/share/mtfs/www (the shipped folder itself is PREFIX/share/mtfs). */
static int find_www(char *buf, size_t size)
{
    const char *shipped = mtfs_shipped_dir();
    const char *const tries[] = {"share/mtfs/www", "www"};
    for (size_t i = 0; shipped && i < 2; i++) {
        snprintf(buf, size, "%s/%s/index.html", shipped, tries[i]);
        if (access(buf, R_OK) == 0) {
            snprintf(buf, size, "%s/%s", shipped, tries[i]);
            return 0;
        }
    }
    return -1;
}

static void free_assets(void)
{
    for (size_t i = 0; i < N_ASSETS; i++) {
        free(assets[i].text);
        assets[i].text = NULL;
    }
}

static int load_assets(void)
{
    char www[CLI_PATH_LEN], path[CLI_PATH_LEN + 64];
    if (find_www(www, sizeof www) != 0) {
        fprintf(stderr, "mtfs serve: the page's files (share/mtfs/www/index.html) were not found "
                        "beside this program: reinstall mtfs\n");
        return -1;
    }
    for (size_t i = 0; i < N_ASSETS; i++) {
        mtfs_error err;
        if (assets[i].file[0] == '/')
            snprintf(path, sizeof path, "%s", assets[i].file);
        else
            snprintf(path, sizeof path, "%s/%s", www, assets[i].file);
        if (mtfs_input_read(path, "a file of the page", NULL, &assets[i].text, &assets[i].len, &err) == MTFS_OK)
            continue;
        if (assets[i].optional) {
            fprintf(stderr, "mtfs serve: warning: %s: no charts on the page (install the Debian package "
                            "libjs-chart.js)\n", path);
            continue;
        }
        cli_print_error(&err);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The rate limit: a token bucket for each client address              */

/* Beyond the connection limits (64, 32 from one address), each address
 * may make serve_rate requests a second on average, in bursts of up to
 * twice that: its bucket holds 2 * serve_rate tokens, refills at serve_rate
 * a second, and a request takes one.  A request that finds the bucket empty
 * is answered 429 with Retry-After (docs/serve.md).  The buckets live in a
 * small table (open addressing over a hash of the address); when the
 * slots an address may take are all in use, the one idle longest is given
 * to it: a full bucket is what a new one would be, so only an address
 * silent for less than two seconds loses anything, and then to its favour. */
#define RATE_SLOTS 1024
#define RATE_PROBES 8

typedef struct {
    unsigned char addr[16];   /* IPv4 in the first 4 bytes, or IPv6 */
    int used;
    double tokens;
    double last;              /* seconds, CLOCK_MONOTONIC */
} rate_bucket;

static rate_bucket rate_table[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The client's address as 16 bytes (0: none known). */
static int client_address(struct MHD_Connection *c, unsigned char addr[16])
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    memset(addr, 0, 16);
    if (!info || !info->client_addr)
        return 0;
    if (info->client_addr->sa_family == AF_INET) {
        memcpy(addr, &((const struct sockaddr_in *)(const void *)info->client_addr)->sin_addr, 4);
        return 1;
    }
    if (info->client_addr->sa_family == AF_INET6) {
        memcpy(addr, &((const struct sockaddr_in6 *)(const void *)info->client_addr)->sin6_addr, 16);
        return 1;
    }
    return 0;
}

/* Take a token for address addr at time now: 0, or the whole seconds to
 * wait for the next one (at least 1). */
static unsigned rate_take(const unsigned char addr[16], double now)
{
    double capacity = 2.0 * (double)serve_rate;
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (int i = 0; i < 16; i++)
        h = (h ^ addr[i]) * 16777619u;
    pthread_mutex_lock(&rate_lock);
    rate_bucket *b = NULL, *idlest = NULL;
    for (unsigned k = 0; k < RATE_PROBES && !b; k++) {
        rate_bucket *slot = &rate_table[(h + k) % RATE_SLOTS];
        if (slot->used && memcmp(slot->addr, addr, 16) == 0)
            b = slot;
        else if (!idlest || !slot->used || (idlest->used && slot->last < idlest->last))
            idlest = slot;
    }
    if (!b) {
        b = idlest;
        memcpy(b->addr, addr, 16);
        b->used = 1;
        b->tokens = capacity;
        b->last = now;
    }
    b->tokens += (now - b->last) * (double)serve_rate;
    if (b->tokens > capacity)
        b->tokens = capacity;
    b->last = now;
    unsigned wait = 0;
    if (b->tokens >= 1.0)
        b->tokens -= 1.0;
    else
        wait = (unsigned)ceil((1.0 - b->tokens) / (double)serve_rate);
    pthread_mutex_unlock(&rate_lock);
    return wait;
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

/* A request's body, gathered over the calls MHD makes. */
typedef struct {
    char *data;
    size_t len;
    int too_big;
} request;

static enum MHD_Result send_reply_with(struct MHD_Connection *c, int status, const char *type, char *body,
                                       size_t len, enum MHD_ResponseMemoryMode mode, const char *header,
                                       const char *value)
{
    struct MHD_Response *res = MHD_create_response_from_buffer(len, body, mode);
    if (!res) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(body);
        return MHD_NO;
    }
    if (header)
        MHD_add_response_header(res, header, value);
    MHD_add_response_header(res, "Content-Type", type);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Cache-Control", "no-store");
    /* The page loads nothing from anywhere but this server. */
    MHD_add_response_header(res, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, res);
    MHD_destroy_response(res);
    return ok;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, int status, const char *type, char *body,
                                  size_t len, enum MHD_ResponseMemoryMode mode)
{
    return send_reply_with(c, status, type, body, len, mode, NULL, NULL);
}

static enum MHD_Result send_api(struct MHD_Connection *c, http_reply *r)
{
    if (!r->body) {
        static char oom[] = "{\"error\": {\"key\": \"\", \"message\": \"out of memory\"}}";
        return send_reply(c, 500, "application/json", oom, strlen(oom), MHD_RESPMEM_PERSISTENT);
    }
    return send_reply(c, r->status, r->type, r->body, r->len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message)
{
    http_reply r;
    http_api_error(&r, status, "", message);
    return send_api(c, &r);
}

/* /api/save writes into the folder, so only the page itself may ask: a
 * JSON body (another site's page cannot send one without the browser
 * asking this server first, which it does not allow), an Origin, when
 * given, of the address asked (Host), and a Host naming this machine (a
 * DNS name pointed at 127.0.0.1 by another site is refused).  0, or -1
 * with the reply made. */
static int save_refused(struct MHD_Connection *c, http_reply *r)
{
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (!type || strncmp(type, "application/json", 16) != 0 || (type[16] && type[16] != ';')) {
        http_api_error(r, 415, "", "/api/save takes a JSON body (Content-Type: application/json)");
        return -1;
    }
    size_t n = host ? strcspn(host, "]") : 0;
    const char *port = host ? strrchr(host + (host[n] ? n : 0), ':') : NULL;
    size_t name_len = host ? (port ? (size_t)(port - host) : strlen(host)) : 0;
    char name[80];
    snprintf(name, sizeof name, "%.*s", (int)(name_len < 79 ? name_len : 79), host ? host : "");
    if (name[0] == '[') {   /* [::1] */
        memmove(name, name + 1, strlen(name));
        name[strcspn(name, "]")] = '\0';
    }
    int known = strcmp(name, "127.0.0.1") == 0 || strcmp(name, "localhost") == 0 ||
                strcmp(name, "::1") == 0 || strcmp(name, serve_host) == 0;
    char expected[120];
    snprintf(expected, sizeof expected, "http://%s", host ? host : "");
    if (!known || (origin && strcmp(origin, expected) != 0)) {
        http_api_error(r, 403, "", "/api/save is only for the page this server serves");
        return -1;
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)version;
    const http_site *site = cls;
    int post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;
    request *req = *state;
    if (!req) {   /* the headers: nothing of the body yet */
        if (!(req = calloc(1, sizeof *req)))
            return MHD_NO;
        *state = req;
        unsigned char addr[16];
        unsigned wait = serve_rate && client_address(c, addr) ? rate_take(addr, now_seconds()) : 0;
        if (wait) {
            char message[200], seconds[16];
            http_reply r;
            snprintf(message, sizeof message, "too many requests from this address: at most %zu a second "
                     "on average, in bursts of %zu (ask again in %u s)", serve_rate, 2 * serve_rate, wait);
            snprintf(seconds, sizeof seconds, "%u", wait);
            http_api_error(&r, 429, "", message);
            if (!r.body)
                return send_api(c, &r);
            return send_reply_with(c, 429, r.type, r.body, r.len, MHD_RESPMEM_MUST_FREE, "Retry-After", seconds);
        }
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (post && length && strtoull(length, NULL, 10) > HTTP_BODY_MAX)
            return send_error(c, 413, "the request is larger than 64 KiB");
        return MHD_YES;
    }
    if (*upload_size) {   /* a piece of the body */
        if (req->too_big || req->len + *upload_size > HTTP_BODY_MAX) {
            req->too_big = 1;
        } else {
            char *grown = realloc(req->data, req->len + *upload_size + 1);
            if (!grown)
                return MHD_NO;
            req->data = grown;
            memcpy(req->data + req->len, upload, *upload_size);
            req->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (req->too_big)
        return send_error(c, 413, "the request is larger than 64 KiB");
    http_reply r = {0, NULL, 0, NULL};
    static const struct { const char *url; http_run_format format; } runs[] = {
        {"/api/run", HTTP_RUN_JSON}, {"/api/run.csv", HTTP_RUN_CSV},
        {"/api/run.xlsx", HTTP_RUN_XLSX}, {"/api/run.svg", HTTP_RUN_SVG}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        if (strcmp(url, runs[i].url) == 0) {
            if (!post) {
                char message[64];
                snprintf(message, sizeof message, "%s takes POST", runs[i].url);
                return send_error(c, 405, message);
            }
            http_api_run(site, req->data ? req->data : "", req->len, runs[i].format, &r);
            return send_api(c, &r);
        }
    if (strcmp(url, "/api/mc") == 0) {
        if (!post)
            return send_error(c, 405, "/api/mc takes POST");
        http_api_mc(site, req->data ? req->data : "", req->len, &r);
        return send_api(c, &r);
    }
    if (strcmp(url, "/api/compare") == 0) {
        if (!post)
            return send_error(c, 405, "/api/compare takes POST");
        http_api_compare(site, req->data ? req->data : "", req->len, &r);
        return send_api(c, &r);
    }
    if (strcmp(url, "/api/save") == 0) {
        if (!post)
            return send_error(c, 405, "/api/save takes POST");
        if (save_refused(c, &r) != 0)
            return send_api(c, &r);
        http_api_save(site, req->data ? req->data : "", req->len, &r);
        return send_api(c, &r);
    }
    if (!get)
        return send_error(c, 405, "only GET, and POST to /api/run (.csv, .xlsx, .svg), /api/mc, /api/compare and /api/save");
    if (strcmp(url, "/api/scenarios") == 0) {
        http_api_scenarios(site, &r);
        return send_api(c, &r);
    }
    if (strcmp(url, "/api/scenario") == 0) {
        http_api_scenario(site, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name"), &r);
        return send_api(c, &r);
    }
    for (size_t i = 0; i < N_ASSETS; i++)
        if (strcmp(url, assets[i].url) == 0 && assets[i].text)
            return send_reply(c, 200, assets[i].type, assets[i].text, assets[i].len, MHD_RESPMEM_PERSISTENT);
    return send_error(c, 404, "no such page");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)c, (void)code;
    request *req = *state;
    if (req)
        free(req->data);
    free(req);
    *state = NULL;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */

static int run_serve(const cli_args *a)
{
    const char *dir = a->n_files ? a->files[0] : cli_locate("scenarios");
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    memset(&in4, 0, sizeof in4);
    memset(&in6, 0, sizeof in6);
    int v6 = 0, loopback;
    if (inet_pton(AF_INET, serve_host, &in4.sin_addr) == 1) {
        in4.sin_family = AF_INET;
        in4.sin_port = htons((uint16_t)serve_port);
        loopback = (ntohl(in4.sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, serve_host, &in6.sin6_addr) == 1) {
        v6 = 1;
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons((uint16_t)serve_port);
        loopback = IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr);
    } else {
        return cli_bad_usage(a->cmd, "--host takes an IP address such as 127.0.0.1 or ::1, not '%s'",
                             serve_host);
    }
    if (!loopback && !serve_remote)
        return cli_bad_usage(a->cmd, "--host %s would let other machines run scenarios: add "
                             "--allow-remote to mean it", serve_host);
    if (!loopback)
        fprintf(stderr, "mtfs serve: warning: listening on %s: anyone who can reach this machine can "
                        "read and run the scenarios served (there is no login)\n", serve_host);

    http_site site;
    char why[PATH_MAX + 200];
    memset(&site, 0, sizeof site);
    if (http_site_open(&site, dir, why, sizeof why) != 0) {
        fprintf(stderr, "mtfs serve: %s\n", why);
        return CLI_EXIT_BAD_INPUT;
    }
    if (load_assets() != 0) {
        free_assets();
        http_site_close(&site);
        return CLI_EXIT_IO;
    }
    http_api_init();

    /* SIGINT and SIGTERM are for sigwait below: blocked before the server's
     * threads start, so they inherit the mask.  Their disposition is reset
     * too: a shell starts a background job with SIGINT ignored, and an
     * ignored signal never reaches sigwait. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    /* No MHD_USE_ERROR_LOG: a failure to start is the one line below. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)serve_port, NULL, NULL, on_request, &site,
        MHD_OPTION_SOCK_ADDR, v6 ? (struct sockaddr *)&in6 : (struct sockaddr *)&in4,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    int code = CLI_EXIT_OK;
    if (!d) {
        fprintf(stderr, "mtfs serve: cannot listen on %s port %zu: %s\n", serve_host, serve_port,
                errno ? strerror(errno) : "the address is taken or not this machine's");
        code = CLI_EXIT_IO;
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        unsigned port = info ? info->port : (unsigned)serve_port;
        printf("mtfs serve: http://%s%s%s:%u/ (Ctrl-C to stop)\n", v6 ? "[" : "", serve_host,
               v6 ? "]" : "", port);
        code = cli_finish(0);
        int sig;
        if (code == CLI_EXIT_OK)
            sigwait(&stop, &sig);
        MHD_stop_daemon(d);
    }
    free_assets();
    http_site_close(&site);
    return code;
}

static const cli_use serve_options[] = {{OPT_PORT, ""}, {OPT_HOST, ""}, {OPT_ALLOW_REMOTE, ""}, {OPT_RATE, ""},
                                        {0, NULL}};

const cli_command cli_serve = {
    "serve", "[DIR] [--port N] [--host ADDR] [--allow-remote] [--rate N]",
    "the what-if page: a local web server over the scenarios of DIR",
    "Serve the what-if page and its JSON API (docs/serve.md) for the scenario\n"
    "files directly in DIR (default: the shipped scenarios/) on 127.0.0.1, until\n"
    "Ctrl-C (SIGINT) or SIGTERM.  Every number the page shows is what `mtfs run`\n"
    "prints for the same inputs.  Each client address may make --rate requests\n"
    "a second on average (bursts of twice that); beyond, 429 with Retry-After.",
    NULL, NULL, 0, serve_options, 0, 1, "takes at most one folder DIR", serve_option, run_serve};
