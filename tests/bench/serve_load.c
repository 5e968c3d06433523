/*
 * serve_load.c - a bounded load test of `mtfs serve` (docs/performance.md):
 * C clients on threads, each on its own keep-alive connection to
 * 127.0.0.1:PORT, send N requests in all (POST /api/run of a what-if, the
 * pay award varied by request so no two bodies are the same), then stop.
 * Prints the count of failed requests (anything but a complete 200 reply),
 * the requests a second and the latency percentiles; exits 1 if any failed.
 *
 *   serve_load PORT SCENARIO [REQUESTS [CLIENTS]]   (default 10000 and 32)
 *
 * It connects to 127.0.0.1 only: it is a test of this machine's server, not
 * a tool to point elsewhere.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;
static const char *scenario;
static long total, next_request, failed;
static double *latency;   /* seconds, by request number */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int connect_local(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* One request on fd: 0 for a complete 200 reply, -1 otherwise (the
 * connection is then dropped). */
static int one_request(int fd, long i)
{
    char body[256], req[512];
    int n = snprintf(body, sizeof body, "{\"scenario\": \"%s\", \"set\": {\"economy.pay\": %.4f}}", scenario,
                     0.02 + 0.0001 * (double)(i % 300));
    int m = snprintf(req, sizeof req,
                     "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\n\r\n%s", port, n, body);
    for (int done = 0; done < m;) {
        ssize_t w = write(fd, req + done, (size_t)(m - done));
        if (w <= 0)
            return -1;
        done += (int)w;
    }
    /* The head, then Content-Length bytes of body. */
    static _Thread_local char buf[1 << 17];
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have == sizeof buf - 1)
            return -1;
        ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        return -1;
    const char *cl = strstr(buf, "Content-Length:");
    if (!cl)
        cl = strstr(buf, "content-length:");
    if (!cl || cl > end)
        return -1;
    size_t want = (size_t)strtoul(cl + 15, NULL, 10) + (size_t)(end + 4 - buf);
    if (want >= sizeof buf)
        return -1;
    while (have < want) {
        ssize_t r = read(fd, buf + have, want - have);
        if (r <= 0)
            return -1;
        have += (size_t)r;
    }
    return status == 200 && strstr(end, "\"gap\"") ? 0 : -1;
}

static void *client(void *arg)
{
    (void)arg;
    int fd = connect_local();
    for (;;) {
        pthread_mutex_lock(&lock);
        long i = next_request < total ? next_request++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0)
            break;
        double t0 = now();
        int ok = fd >= 0 && one_request(fd, i) == 0;
        latency[i] = now() - t0;
        if (!ok) {
            pthread_mutex_lock(&lock);
            failed++;
            pthread_mutex_unlock(&lock);
            if (fd >= 0)
                close(fd);
            fd = connect_local();
        }
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: serve_load PORT SCENARIO [REQUESTS [CLIENTS]]\n");
        return 2;
    }
    port = atoi(argv[1]);
    scenario = argv[2];
    total = argc > 3 ? atol(argv[3]) : 10000;
    long clients = argc > 4 ? atol(argv[4]) : 32;
    if (port <= 0 || port > 65535 || total < 1 || total > 10000000 || clients < 1 || clients > 1000) {
        fprintf(stderr, "serve_load: a port, 1 to 10,000,000 requests and 1 to 1,000 clients\n");
        return 2;
    }
    latency = calloc((size_t)total, sizeof *latency);
    pthread_t *threads = calloc((size_t)clients, sizeof *threads);
    if (!latency || !threads)
        return 2;
    double t0 = now();
    for (long c = 0; c < clients; c++)
        pthread_create(&threads[c], NULL, client, NULL);
    for (long c = 0; c < clients; c++)
        pthread_join(threads[c], NULL);
    double elapsed = now() - t0;
    qsort(latency, (size_t)total, sizeof *latency, by_value);
    printf("serve_load: %ld requests from %ld clients in %.2f s (%.0f a second), %ld failed\n", total, clients,
           elapsed, (double)total / elapsed, failed);
    printf("serve_load: latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           1e3 * latency[(size_t)(0.50 * (double)(total - 1))], 1e3 * latency[(size_t)(0.90 * (double)(total - 1))],
           1e3 * latency[(size_t)(0.99 * (double)(total - 1))], 1e3 * latency[total - 1]);
    free(latency);
    free(threads);
    return failed ? 1 : 0;
}
