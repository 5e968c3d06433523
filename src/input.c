/*
 * input.c - open and read input files safely (see mtfs/input.h).
 *
 * The one place that opens a file mtfs reads.  open() with O_NONBLOCK
 * returns at once even for a FIFO with no writer; fstat() on the descriptor
 * then decides, so a file swapped between a stat() and the open cannot get
 * past the check.
 */
#define _GNU_SOURCE   /* O_CLOEXEC, O_NOCTTY under -std=c11 */
#include "mtfs/input.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char restriction[PATH_MAX];   /* canonical directory, "" for none */

const char *mtfs_input_restriction(void) { return restriction[0] ? restriction : NULL; }

mtfs_status mtfs_input_restrict(const char *dir, mtfs_error *err)
{
    if (!dir) {
        restriction[0] = '\0';
        return MTFS_OK;
    }
    char canonical[PATH_MAX];
    struct stat info;
    if (!realpath(dir, canonical) || stat(canonical, &info) != 0 || !S_ISDIR(info.st_mode))
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "--restrict '%s': not a directory (expected the folder inputs must "
                              "stay inside)", dir);
    memcpy(restriction, canonical, sizeof restriction);
    return MTFS_OK;
}

/* Report `fmt` about path: at the naming location when there is one (the
 * path quoted in the message), else at the path itself. */
static mtfs_status input_error(mtfs_error *err, mtfs_status status, const char *path,
                               const mtfs_input_ref *from, const char *problem)
{
    if (from && from->file)
        return mtfs_error_set(err, status, from->file, from->line, from->key, "'%s' %s", path,
                              problem);
    return mtfs_error_set(err, status, path, 0, NULL, "%s", problem);
}

static const char *type_name(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a named pipe";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a regular file";
}

/* Is canonical path p the restriction directory or inside it? */
static int inside(const char *p)
{
    size_t n = strlen(restriction);
    if (strcmp(restriction, "/") == 0)
        return 1;
    return strncmp(p, restriction, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* MTFS_OK when `path` may be read under the restriction (or there is
 * none; a missing path passes: opening it says so). */
static mtfs_status allowed(const char *path, const mtfs_input_ref *from, mtfs_error *err)
{
    if (!restriction[0])
        return MTFS_OK;
    char canonical[PATH_MAX], problem[PATH_MAX + 160];
    if (!realpath(path, canonical) || inside(canonical))
        return MTFS_OK;
    snprintf(problem, sizeof problem, "is outside %s, the folder inputs are restricted to "
             "(--restrict)", restriction);
    return input_error(err, MTFS_EINPUT, path, from, problem);
}

/* Read fd to its end into a NUL-terminated buffer, starting from `hint`
 * bytes (the size fstat gave: it may change while we read).  0, -1 when
 * the file is larger than MTFS_INPUT_MAX_BYTES, ENOMEM, or read's errno. */
static int read_to_end(int fd, size_t hint, char **out, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n > MTFS_INPUT_MAX_BYTES) {   /* it grew past the limit while we read */
            mtfs_free(buf);
            return -1;
        }
        /* Room for a byte more than we have and the NUL: a file of `hint`
         * bytes is read in one buffer, its end seen without growing it. */
        if (mtfs_grow(&buf, &cap, n + 1, 1, hint + 2) != 0) {
            mtfs_free(buf);
            return ENOMEM;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            mtfs_free(buf);
            return e;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static int by_name(const void *a, const void *b);

/* For a file that is not there: " (did you mean 'DIR/NAME'?)" naming the
 * file of its folder nearest in spelling, written as `path` was, or "". */
static void nearest_file(const char *path, char *hint, size_t size)
{
    hint[0] = '\0';
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path + (slash == path)) : 1,
             slash ? path : ".");
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || mtfs_grow(&names, &cap, n, sizeof *names, 32) != 0)
            continue;
        if ((names[n] = mtfs_strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    /* Sorted, so that of two names as near the first is always chosen. */
    if (n)
        qsort(names, n, sizeof *names, by_name);
    const char *near = mtfs_nearest(base, (const char *const *)names, n);
    if (near)
        snprintf(hint, size, " (did you mean '%.*s%s'?)", (int)(base - path), path, near);
    for (size_t i = 0; i < n; i++)
        mtfs_free(names[i]);
    mtfs_free(names);
}

mtfs_status mtfs_input_read(const char *path, const char *what, const mtfs_input_ref *from,
                            char **text, size_t *len, mtfs_error *err)
{
    *text = NULL;
    if (len)
        *len = 0;
    mtfs_status st = allowed(path, from, err);
    if (st != MTFS_OK)
        return st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        char hint[600] = "";
        if (e == ENOENT)
            nearest_file(path, hint, sizeof hint);
        if (from && from->file)
            return mtfs_error_set(err, MTFS_EINPUT, from->file, from->line, from->key,
                                  "cannot open '%s': %s%s", path, strerror(e), hint);
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "cannot open: %s%s", strerror(e), hint);
    }
    char problem[256] = "";
    struct stat info;
    int e = fstat(fd, &info) != 0 ? errno : 0;
    if (!e && !S_ISREG(info.st_mode))
        snprintf(problem, sizeof problem, "is %s (expected %s)", type_name(info.st_mode), what);
    size_t n = 0;
    if (!e && !problem[0] && (unsigned long long)info.st_size <= MTFS_INPUT_MAX_BYTES) {
        /* A regular file never blocks; read it with ordinary semantics. */
        (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        e = read_to_end(fd, (size_t)info.st_size, text, &n);
    } else if (!e && !problem[0]) {
        e = -1;
    }
    close(fd);
    if (e == -1)
        snprintf(problem, sizeof problem, "is larger than %zu MiB (expected %s)",
                 MTFS_INPUT_MAX_BYTES >> 20, what);
    if (problem[0])
        return input_error(err, MTFS_EINPUT, path, from, problem);
    if (e == EISDIR)
        return input_error(err, MTFS_EINPUT, path, from, "is a directory");
    if (e == ENOMEM)
        return mtfs_error_oom(err, path);
    if (e)
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot read: %s", strerror(e));
    if (len)
        *len = n;
    return MTFS_OK;
}

mtfs_status mtfs_input_open(const char *path, const char *what, FILE **out,
                            unsigned long long *size, mtfs_error *err)
{
    *out = NULL;
    mtfs_status st = allowed(path, NULL, err);
    if (st != MTFS_OK)
        return st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat info;
    if (fstat(fd, &info) != 0)
        st = mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot read: %s", strerror(errno));
    else if (!S_ISREG(info.st_mode))
        st = mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL, "is %s (expected %s)",
                            type_name(info.st_mode), what);
    if (st != MTFS_OK) {
        close(fd);
        return st;
    }
    (void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return mtfs_error_oom(err, path);
    }
    *size = (unsigned long long)info.st_size;
    *out = f;
    return MTFS_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

mtfs_status mtfs_input_list_cfg(const char *dir, const char *cannot_open, char ***names, size_t *n,
                                mtfs_error *err)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return mtfs_error_set(err, MTFS_EINPUT, dir, 0, NULL, "%s", cannot_open);
    size_t cap = 0;
    char **list = NULL;
    mtfs_status st = MTFS_OK;
    for (struct dirent *e; st == MTFS_OK && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0 || e->d_name[0] == '.')
            continue;
        size_t size = strlen(dir) + len + 2;
        if (mtfs_grow(&list, &cap, *n, sizeof *list, 16) != 0 || !(list[*n] = mtfs_malloc(size)))
            st = mtfs_error_oom(err, dir);
        else
            snprintf(list[(*n)++], size, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (st != MTFS_OK) {
        mtfs_input_list_free(list, *n);
        *n = 0;
        return st;
    }
    if (*n > 1)
        qsort(list, *n, sizeof *list, by_name);
    *names = list;
    return MTFS_OK;
}

void mtfs_input_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mtfs_free(names[i]);
    mtfs_free(names);
}
