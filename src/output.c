/*
 * output.c - write-to-temporary-then-rename output files.
 *
 * The temporary file lives in the destination directory (rename is atomic
 * only within one file system) and is named ".<name>.tmp.XXXXXX" so that a
 * directory listing shows it is not a result.
 */
#include "mtfs/output.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtfs_output {
    FILE *stream;
    char *final_path;
    char *temp_path;
};

mtfs_status mtfs_output_open(const char *path, mtfs_output **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_output *o = mtfs_calloc(1, sizeof *o);
    if (!o)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    size_t n = strlen(path) + 32;
    o->final_path = mtfs_strdup(path);
    o->temp_path = mtfs_malloc(n);
    if (!o->final_path || !o->temp_path) {
        mtfs_free(o->final_path);
        mtfs_free(o->temp_path);
        mtfs_free(o);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(o->temp_path, n, "%.*s/.%s.tmp.XXXXXX", (int)(slash - path), path, slash + 1);
    else
        snprintf(o->temp_path, n, ".%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->temp_path);
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

const char *mtfs_output_temp_path(const mtfs_output *o) { return o->temp_path; }

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
