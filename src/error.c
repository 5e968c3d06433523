/*
 * error.c - the error record every fallible function fills.
 */
#include "mtfs/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mtfs_error_clear(mtfs_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

mtfs_status mtfs_error_set(mtfs_error *err, mtfs_status status,
                           const char *file, int line, const char *key,
                           const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    snprintf(err->key, sizeof err->key, "%s", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void mtfs_error_list_clear(mtfs_error_list *list)
{
    if (list)
        list->count = 0;
}

void mtfs_error_list_add(mtfs_error_list *list, const mtfs_error *err)
{
    if (!list)
        return;
    size_t kept = list->count < MTFS_ERRORS_MAX ? list->count : MTFS_ERRORS_MAX;
    for (size_t i = 0; i < kept; i++) {
        const mtfs_error *e = &list->items[i];
        if (e->line == err->line && strcmp(e->file, err->file) == 0 && strcmp(e->key, err->key) == 0 &&
            strcmp(e->message, err->message) == 0)
            return;
    }
    if (kept < MTFS_ERRORS_MAX)
        list->items[kept] = *err;
    list->count++;
}

mtfs_status mtfs_error_oom(mtfs_error *err, const char *file)
{
    return mtfs_error_set(err, MTFS_ENOMEM, file, 0, NULL, "out of memory");
}

char *mtfs_error_format(const mtfs_error *err, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
#define APPEND(...)                                                        \
    do {                                                                   \
        if (used < size) {                                                 \
            int n_ = snprintf(buf + used, size - used, __VA_ARGS__);       \
            used += n_ > 0 ? (size_t)n_ : 0;                               \
        }                                                                  \
    } while (0)
    if (err->file[0]) {
        if (err->line > 0)
            APPEND("%s:%d: ", err->file, err->line);
        else
            APPEND("%s: ", err->file);
    }
    if (err->key[0])
        APPEND("key '%s': ", err->key);
    APPEND("%s", err->message);
#undef APPEND
    return buf;
}

int mtfs_status_exit_code(mtfs_status status)
{
    switch (status) {
    case MTFS_OK: return 0;
    case MTFS_EINPUT: return 2;
    case MTFS_ENUMERIC: return 2;   /* caused by the inputs */
    default: return 3;
    }
}

const char *mtfs_status_name(mtfs_status status)
{
    switch (status) {
    case MTFS_OK: return "ok";
    case MTFS_EINPUT: return "bad input";
    case MTFS_EIO: return "I/O error";
    case MTFS_ENOMEM: return "out of memory";
    case MTFS_ENUMERIC: return "numerical error";
    case MTFS_EINTERNAL: return "internal error";
    }
    return "unknown error";
}
