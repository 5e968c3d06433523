/*
 * mtfs/input.h - every file mtfs reads, opened one safe way.
 *
 * Scenario files, their bases and @includes, formula files, data tables and
 * the files hashed into metadata are all read through mtfs_input_read:
 *
 *  - the file is opened without blocking (O_NONBLOCK), so a named pipe, a
 *    terminal or a device can never hang a run, and its type is checked on
 *    the open descriptor (no window between the check and the read): only a
 *    regular file is read;
 *  - it is read whole, up to MTFS_INPUT_MAX_BYTES, so a wrong path that
 *    names a huge file is an error, not an out-of-memory kill;
 *  - under a restriction (mtfs_input_restrict, the command's --restrict
 *    DIR), the path must resolve (symbolic links and ".." followed) to a
 *    file inside that directory.
 */
#ifndef MTFS_INPUT_H
#define MTFS_INPUT_H

#include <stddef.h>
#include <stdio.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest input file mtfs reads: 64 MiB (the shipped data set is
 * 20 KiB). */
#define MTFS_INPUT_MAX_BYTES ((size_t)64 << 20)

/* Where a file was named from, so an error can point there: the naming
 * file, its line and the key (e.g. "base", "fair_funding.formula").  All
 * NULL/0 for a file named on the command line. */
typedef struct {
    const char *file;
    int line;
    const char *key;
} mtfs_input_ref;

/* Read the regular file `path` whole into a NUL-terminated buffer *text
 * (released with free(); *len is its length without the NUL).  `what`
 * names what the file should be, for messages ("a scenario file", "a CSV
 * data file").  Errors are MTFS_EINPUT for a missing file, a file of the
 * wrong type, one outside the restriction or over the size limit (located
 * at `from` when given, else at path), MTFS_EIO for a read error and
 * MTFS_ENOMEM. */
mtfs_status mtfs_input_read(const char *path, const char *what, const mtfs_input_ref *from,
                            char **text, size_t *len, mtfs_error *err);

/* Open the regular file `path` as a stream, with mtfs_input_read's checks
 * (never blocking, a regular file, inside the restriction) but no size
 * limit: for the large binary files read a piece at a time (mtfs merge's
 * partial results).  *size: its length in bytes.  Close with fclose(). */
mtfs_status mtfs_input_open(const char *path, const char *what, FILE **out,
                            unsigned long long *size, mtfs_error *err);

/* Restrict every input to files inside directory `dir` (NULL lifts the
 * restriction).  Process-wide: the command sets it once, before reading
 * anything.  Fails with MTFS_EINPUT if dir is not a directory. */
mtfs_status mtfs_input_restrict(const char *dir, mtfs_error *err);

/* The restriction's directory (canonical), or NULL. */
const char *mtfs_input_restriction(void);

/* The *.cfg files of directory `dir` (not hidden ones), sorted by name, as
 * "dir/name": an array of *n strings in *names, released with
 * mtfs_input_list_free.  A directory that cannot be opened is MTFS_EINPUT
 * with the message `cannot_open` (what the caller expected it to be);
 * else MTFS_OK (*n may be 0) or MTFS_ENOMEM. */
mtfs_status mtfs_input_list_cfg(const char *dir, const char *cannot_open, char ***names, size_t *n,
                                mtfs_error *err);
void mtfs_input_list_free(char **names, size_t n);

#ifdef __cplusplus
}
#endif
#endif
