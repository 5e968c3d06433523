/*
 * mtfs/shipped.h - where the files mtfs ships are found.
 *
 * mtfs ships data (data/authorities.csv, data/published/), formula files
 * (formulas/) and scenarios (scenarios/, scenarios/editions/).  An installed
 * mtfs has them under PREFIX/share/mtfs; one run from its source tree has
 * them in that tree.  A relative path a user names on the command line (or
 * a command's default, such as the back-test's scenarios/editions) is
 * looked for in this order:
 *
 *   1. as given: relative to the current directory (an absolute path is
 *      only ever used as given);
 *   2. in the shipped directory, when one is set and the path is not found
 *      in the current directory.
 *
 * A path found in neither place is kept as given, so the error names what
 * the user wrote.  Files named inside a file (base, @include, a formula's
 * data) are relative to that file and never looked up here.
 */
#ifndef MTFS_SHIPPED_H
#define MTFS_SHIPPED_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Look for shipped files in `dir` (NULL: nowhere but the current
 * directory).  Process-wide: the program sets it once, before reading. */
void mtfs_shipped_set(const char *dir);

/* The shipped directory set, or NULL. */
const char *mtfs_shipped_dir(void);

/* The shipped directory of the program running now (its executable, from
 * /proc/self/exe): <bindir>/../share/mtfs for an installed program, or the
 * source tree for one run from it (the executable's directory or its
 * parent, for ./mtfs and build/mtfs).  A candidate counts when it holds
 * data/authorities.csv.  Writes the canonical path into buf and returns 0,
 * or returns -1 when there is none. */
int mtfs_shipped_of_program(char *buf, size_t size);

/* The path to read for `path`, named by a user: `path` itself when it is
 * absolute or exists relative to the current directory, else the shipped
 * directory's file of that name when it exists (written into buf), else
 * `path`.  Never NULL. */
const char *mtfs_shipped_locate(const char *path, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
