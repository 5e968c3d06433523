/*
 * output.c - write-to-temporary-then-rename output files.
 *
 * The temporary file lives in the destination directory (rename is atomic
 * only within one file system).  Where Linux allows it, it is created
 * without a name (O_TMPFILE) and given one only at commit, just before the
 * rename, so a run killed while writing leaves nothing behind.  Otherwise
 * it is named ".<name>.tmp.<pid>.XXXXXX"; either way, opening an output
 * first removes the temporaries of that file left by processes that no
 * longer exist (a run killed with SIGKILL cannot clean up after itself).
 */
#define _GNU_SOURCE   /* O_TMPFILE */
#include "mtfs/output.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtfs_output {
    FILE *stream;
    char *final_path;
    char *temp_path;
    int unnamed;             /* O_TMPFILE: temp_path is only given at commit */
};

/* Remove ".<base>.tmp.<pid>.*" in dir for every pid that is not running. */
static void sweep_stale(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t prefix_len = strlen(base) + 6;
    for (struct dirent *e; (e = readdir(d));) {
        const char *name = e->d_name;
        if (name[0] != '.' || strncmp(name + 1, base, strlen(base)) != 0 ||
            strncmp(name + 1 + strlen(base), ".tmp.", 5) != 0)
            continue;
        char *end;
        long pid = strtol(name + prefix_len, &end, 10);
        if (end == name + prefix_len || *end != '.' || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char path[4096 + 256 + 2];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            unlink(path);
        }
    }
    closedir(d);
}

mtfs_status mtfs_output_open(const char *path, mtfs_output **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_output *o = mtfs_calloc(1, sizeof *o);
    if (!o)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    size_t n = strlen(path) + 64;
    o->final_path = mtfs_strdup(path);
    o->temp_path = mtfs_malloc(n);
    if (!o->final_path || !o->temp_path) {
        mtfs_free(o->final_path);
        mtfs_free(o->temp_path);
        mtfs_free(o);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    const char *base = slash ? slash + 1 : path;
    sweep_stale(dir, base);
    snprintf(o->temp_path, n, "%s/.%s.tmp.%ld.XXXXXX", dir, base, (long)getpid());
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
    o->unnamed = fd >= 0;
#endif
    if (fd < 0)
        fd = mkstemp(o->temp_path);
    if (fd < 0) {
        int e = errno;
        mtfs_free(o->final_path);
        mtfs_free(o->temp_path);
        mtfs_free(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot create output file: %s", strerror(e));
    }
    /* mkstemp makes the file 0600; results are ordinary files. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    o->stream = fdopen(fd, "w");
    if (!o->stream) {
        int e = errno;
        close(fd);
        if (!o->unnamed)
            unlink(o->temp_path);
        mtfs_free(o->final_path);
        mtfs_free(o->temp_path);
        mtfs_free(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot create output file: %s", strerror(e));
    }
    *out = o;
    return MTFS_OK;
}

FILE *mtfs_output_stream(mtfs_output *o) { return o->stream; }

/* Give an unnamed temporary its name ("...tmp.<pid>.<serial>"); 0 on
 * success, else an errno value. */
static int give_name(mtfs_output *o)
{
    if (!o->unnamed)
        return 0;
    static unsigned long serial;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->stream));
    size_t len = strlen(o->temp_path);   /* ends in "XXXXXX" */
    for (int tries = 0; tries < 1000; tries++) {
        snprintf(o->temp_path + len - 6, 32, "%06lu", serial++ % 1000000ul);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->temp_path, AT_SYMLINK_FOLLOW) == 0) {
            o->unnamed = 0;
            return 0;
        }
        if (errno != EEXIST)
            return errno ? errno : EIO;
    }
    return EEXIST;
}

const char *mtfs_output_temp_path(mtfs_output *o)
{
    /* A caller that writes by name (libxlsxwriter) needs the name now. */
    return give_name(o) == 0 ? o->temp_path : NULL;
}

static void release(mtfs_output *o)
{
    mtfs_free(o->final_path);
    mtfs_free(o->temp_path);
    mtfs_free(o);
}

mtfs_status mtfs_output_commit(mtfs_output *o, mtfs_error *err)
{
    int failed = 0, e = 0;
    if (fflush(o->stream) != 0 || ferror(o->stream)) {
        failed = 1;
        e = errno;
    }
    if (!failed && fsync(fileno(o->stream)) != 0 && errno != EINVAL) {
        failed = 1;
        e = errno;
    }
    /* An unnamed file gets its temporary name now, just before the rename. */
    if (!failed && (e = give_name(o)) != 0)
        failed = 1;
    if (fclose(o->stream) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    o->stream = NULL;
    if (!failed && rename(o->temp_path, o->final_path) != 0) {
        failed = 1;
        e = errno;
    }
    if (failed) {
        unlink(o->temp_path);
        mtfs_error_set(err, MTFS_EIO, o->final_path, 0, NULL, "cannot write output file: %s",
                       strerror(e ? e : EIO));
        release(o);
        return MTFS_EIO;
    }
    release(o);
    return MTFS_OK;
}

void mtfs_output_abort(mtfs_output *o)
{
    if (!o)
        return;
    if (o->stream)
        fclose(o->stream);
    if (!o->unnamed)
        unlink(o->temp_path);
    release(o);
}

mtfs_status mtfs_output_mkdir(const char *dir, mtfs_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return MTFS_OK;
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "exists and is not a directory");
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "cannot create directory: %s", strerror(errno));
    return MTFS_OK;
}
