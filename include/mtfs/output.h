/*
 * mtfs/output.h - crash-safe output files and all-or-nothing output sets.
 *
 * Every file mtfs writes goes to a temporary file in the destination
 * directory and gets its final name only once it is complete, so a failed
 * or killed run leaves the previous output intact and no partial file
 * behind.
 *
 * The files of one command (its CSVs, JSON, charts and workbook) form an
 * output set: they replace the previous set together or not at all.
 *
 *     mtfs_output_set *set;
 *     mtfs_output_set_begin(&set, err);     // active on this thread from now
 *     ... mtfs_output_open / write / mtfs_output_commit, directly or inside
 *         any library function (the charts of plot.c, the workbook) ...
 *     st == MTFS_OK ? mtfs_output_set_commit(set, err) : (mtfs_output_set_abort(set), st);
 *
 * The rule: while a set is active on the calling thread,
 *   - mtfs_output_open() makes the new output a member of the set;
 *   - mtfs_output_commit() of a member only finishes it (flush and fsync)
 *     and leaves naming to the set: the final name does not change yet;
 *   - mtfs_output_abort() of a member drops it from the set;
 *   - mtfs_output_set_commit() gives every member its final name, all or
 *     nothing (below); mtfs_output_set_abort() removes every member.
 * So a function that writes one file with open / commit writes it into
 * the caller's set without knowing there is one.  A member that is still
 * open when the set ends is finished (set commit) or removed (set abort);
 * it must not be used afterwards.  Every member must be in one directory.
 *
 * mtfs_output_set_commit():
 *   1. every member is already written and synced, before any name changes;
 *   2. it takes an exclusive lock on the directory (flock on its descriptor),
 *      so two processes committing into one directory commit one whole set
 *      after the other (the later one wins entirely, never a mix);
 *   3. it rolls back the unfinished commit of a process that died in the
 *      middle of one (see 5), and removes the backups and temporaries of
 *      processes that are gone;
 *   4. it checks every target: if anything but a file is in the way of one
 *      (a directory), it fails with nothing changed;
 *   5. it writes and syncs a journal (".mtfs-commit.<pid>") naming each
 *      target, the backup of its previous version and the new file's inode
 *      number, and keeps the previous version as a hard link
 *      (".<name>.bak.<pid>.<n>"; a copy where the file system has no hard
 *      links);
 *   6. it renames the members over their targets; if rename k fails, the
 *      targets 0..k-1 get their previous versions back (or are removed if
 *      they did not exist) and the call fails;
 *   7. it syncs the directory, removes the backups, then the journal, and
 *      syncs the directory again.
 * A process killed during 5 to 7 leaves its journal; the next set committed
 * into that directory (by any mtfs run) first finishes that commit: if
 * every target already holds its new file, the set is complete and only the
 * backups go (roll forward); otherwise every target gets its previous
 * version back (roll back).  Either way the directory holds one whole set.
 */
#ifndef MTFS_OUTPUT_H
#define MTFS_OUTPUT_H

#include <stdio.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtfs_output mtfs_output;
typedef struct mtfs_output_set mtfs_output_set;

/* Open a temporary file beside `path`.  On success *out owns it and
 * mtfs_output_stream() gives a stream to write to.  On Linux the file has
 * no name until it is committed, so a killed run leaves nothing behind.
 * Opening also removes temporaries of the same output left by processes
 * that are gone.  While an output set is active on the calling thread the
 * output joins it (see above). */
mtfs_status mtfs_output_open(const char *path, mtfs_output **out, mtfs_error *err);
FILE *mtfs_output_stream(mtfs_output *o);

/* For a writer that insists on opening its output by name (libxlsxwriter):
 * a path that opens this output's temporary file without giving it a name
 * in the directory ("/proc/self/fd/N" for an unnamed file), or NULL when
 * there is none (no O_TMPFILE or no /proc).  Whatever is written through it
 * is committed like the stream's contents (write through one or the other,
 * not both). */
const char *mtfs_output_temp_path(mtfs_output *o);

/* A private directory for this output's scratch files, in *dir: created on
 * first call inside the destination directory and named like a temporary
 * (".<name>.tmp.<pid>.XXXXXX/"), so the next run removes it if this process
 * dies; removed with its contents when o is committed or aborted. */
mtfs_status mtfs_output_scratch_dir(mtfs_output *o, const char **dir, mtfs_error *err);

/* Outside an output set: flush, sync and rename the temporary file over the
 * final name (a set of one, with the set's lock and checks), then release
 * o.  On failure the temporary file is removed and the final name is
 * untouched.  Inside a set: flush and sync only (see above); on failure o is
 * removed from the set and the set can no longer be committed.  o is
 * released or handed to the set in every case. */
mtfs_status mtfs_output_commit(mtfs_output *o, mtfs_error *err);

/* Remove the temporary file and release o (dropping it from its set); NULL
 * is a no-op. */
void mtfs_output_abort(mtfs_output *o);

/* Start an output set and make it the calling thread's active set.  Sets do
 * not nest: beginning one while another is active is MTFS_EINTERNAL. */
mtfs_status mtfs_output_set_begin(mtfs_output_set **out, mtfs_error *err);

/* Give every member its final name, all or nothing (see above), end the set
 * and release it.  An empty set commits nothing.  On failure no target has
 * changed and every member's temporary file is removed. */
mtfs_status mtfs_output_set_commit(mtfs_output_set *set, mtfs_error *err);

/* Remove every member's temporary file, end the set and release it; NULL is
 * a no-op. */
void mtfs_output_set_abort(mtfs_output_set *set);

/* Create directory `dir` and any missing parents (mode 0777 less the
 * umask), as mkdir -p; MTFS_OK when it is a directory already. */
mtfs_status mtfs_output_mkdir(const char *dir, mtfs_error *err);

/* Tests only (docs/reliability.md): make the n-th rename of the next set
 * commits (counted from 1 across the process; n = 0 disables) fail with EIO
 * (kill = 0) or kill the process with SIGKILL just before it (kill = 1;
 * n = number of members + 1 kills after the last rename, before the commit
 * point). */
void mtfs_output_fault_rename(unsigned long n, int kill);

#ifdef __cplusplus
}
#endif
#endif
