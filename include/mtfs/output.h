/*
 * mtfs/output.h - crash-safe output files.
 *
 * Every file mtfs writes goes to a temporary name in the destination
 * directory and is renamed over the final name only once it is complete, so
 * a failed or killed run leaves the previous output intact and no partial
 * file behind.
 */
#ifndef MTFS_OUTPUT_H
#define MTFS_OUTPUT_H

#include <stdio.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtfs_output mtfs_output;

/* Open a temporary file beside `path`.  On success *out owns it and
 * mtfs_output_stream() gives a stream to write to.  On Linux the file has
 * no name until it is committed, so a killed run leaves nothing behind; a
 * writer that needs a file name (libxlsxwriter) asks for one with
 * mtfs_output_temp_path() (NULL if it cannot be given).  Opening also
 * removes temporaries of the same output left by processes that are gone. */
mtfs_status mtfs_output_open(const char *path, mtfs_output **out, mtfs_error *err);
FILE *mtfs_output_stream(mtfs_output *o);
const char *mtfs_output_temp_path(mtfs_output *o);

/* Flush, sync and rename the temporary file over the final name, then
 * release o.  On failure the temporary file is removed and the final name is
 * untouched.  o is released in every case. */
mtfs_status mtfs_output_commit(mtfs_output *o, mtfs_error *err);

/* Remove the temporary file and release o; NULL is a no-op. */
void mtfs_output_abort(mtfs_output *o);

/* Create directory `dir` (one level) if it does not exist. */
mtfs_status mtfs_output_mkdir(const char *dir, mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
