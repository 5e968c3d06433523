/*
 * mtfs/error.h - status codes and the caller-owned error record.
 *
 * Every fallible library function returns an mtfs_status and, on failure,
 * fills an mtfs_error the caller owns.  The record carries the file, line and
 * key path a finance officer needs to find the problem, and one sentence
 * saying what is wrong and what was expected.
 */
#ifndef MTFS_ERROR_H
#define MTFS_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MTFS_OK = 0,
    MTFS_EINPUT = 2,    /* bad scenario, bad argument: the user can fix it */
    MTFS_EIO = 3,       /* a file could not be read or written */
    MTFS_ENOMEM = 4,    /* an allocation failed */
    MTFS_ENUMERIC = 5,  /* a result overflowed or became undefined */
    MTFS_EINTERNAL = 6  /* a bug: an invariant did not hold */
} mtfs_status;

#define MTFS_ERROR_FILE_MAX 1024
#define MTFS_ERROR_KEY_MAX 256
#define MTFS_ERROR_MESSAGE_MAX 1024

typedef struct {
    mtfs_status status;
    char file[MTFS_ERROR_FILE_MAX];   /* "" when no file is involved */
    int line;                         /* 0 when unknown */
    char key[MTFS_ERROR_KEY_MAX];     /* dotted key path, "" when none */
    char message[MTFS_ERROR_MESSAGE_MAX];
} mtfs_error;

/* Every problem one call found, in the order found: the first
 * MTFS_ERRORS_MAX in full, and how many there were in all.  A reader that
 * goes on after a problem to find the others (mtfs_scenario_load_all)
 * fills one; items[0] is the error its one-error form reports. */
#define MTFS_ERRORS_MAX 20

typedef struct {
    size_t count;                        /* problems found; may exceed MTFS_ERRORS_MAX */
    mtfs_error items[MTFS_ERRORS_MAX];   /* the first min(count, MTFS_ERRORS_MAX) */
} mtfs_error_list;

/* Empty a list (NULL is a no-op). */
void mtfs_error_list_clear(mtfs_error_list *list);

/* Add a copy of err to list (NULL is a no-op): counted always, kept while
 * there is room.  The same problem twice (same file, line, key and
 * message) is kept once. */
void mtfs_error_list_add(mtfs_error_list *list, const mtfs_error *err);

/* Reset an error record to "no error". */
void mtfs_error_clear(mtfs_error *err);

/* Fill err (if not NULL) and return status.  file and key may be NULL. */
mtfs_status mtfs_error_set(mtfs_error *err, mtfs_status status,
                           const char *file, int line, const char *key,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Fill err (if not NULL) with MTFS_ENOMEM, "out of memory", naming file
 * (NULL when no file is involved), and return MTFS_ENOMEM. */
mtfs_status mtfs_error_oom(mtfs_error *err, const char *file);

/* Write the one-line form "file:line: key 'k': message" into buf (always
 * NUL-terminated).  Parts that are absent are left out.  Returns buf. */
char *mtfs_error_format(const mtfs_error *err, char *buf, size_t size);

/* Process exit status for a status: 0 ok, 2 bad input, 3 anything else. */
int mtfs_status_exit_code(mtfs_status status);

/* A short English name for a status ("bad input", "I/O error", ...). */
const char *mtfs_status_name(mtfs_status status);

#ifdef __cplusplus
}
#endif
#endif
