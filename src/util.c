/*
 * util.c - allocation and growing arrays, paths, edit distance, number and
 * money formats.
 */
#define _DEFAULT_SOURCE   /* madvise */
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

static unsigned long alloc_countdown = 0;

static int alloc_should_fail(void)
{
    if (alloc_countdown == 0)
        return 0;
    if (--alloc_countdown == 0)
        return 1;
    return 0;
}

void mtfs_alloc_fail_after(unsigned long n) { alloc_countdown = n; }

void *mtfs_malloc(size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *mtfs_calloc(size_t count, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mtfs_realloc(void *ptr, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void mtfs_free(void *ptr) { free(ptr); }

void mtfs_prefault(void *ptr, size_t size)
{
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    if (!ptr || page <= 0 || size < 4 * (size_t)page)
        return;
    /* The whole pages inside [ptr, ptr + size): the others are shared
     * with the allocator's own data, which it has touched already. */
    uintptr_t first = ((uintptr_t)ptr + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)ptr + size) & ~((uintptr_t)page - 1);
    if (end > first)
        (void)madvise((void *)first, end - first, MADV_POPULATE_WRITE);
#else
    (void)ptr;
    (void)size;
#endif
}

char *mtfs_strdup(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = mtfs_malloc(n);
    if (copy)
        memcpy(copy, text, n);
    return copy;
}

size_t mtfs_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[65];
    if (lb > 64 || la > 64)
        return cap;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = (a[i - 1] == b[j - 1]) ? 0 : 1;
            size_t v = diag + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[lb] < cap ? row[lb] : cap;
}

const char *mtfs_nearest(const char *word, const char *const *candidates, size_t n)
{
    /* A plausible typo: at most a third of the word's letters wrong, and
     * never more than 3 edits. */
    /* The same word in other capitals ("leicestershire") is the nearest of
     * all, however long. */
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(word, candidates[i]) == 0 && strcmp(word, candidates[i]) != 0)
            return candidates[i];
    size_t len = strlen(word);
    size_t limit = len / 3 + 1;
    if (limit > 3)
        limit = 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = mtfs_edit_distance(word, candidates[i], best_d);
        /* The word itself is no suggestion: a caller that rejected it has
         * another reason, and "did you mean 'x'" for x would hide it. */
        if (d < best_d && d > 0) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

char *mtfs_dirname(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
    return buf;
}

/* Drop "name/.." pairs and "./" segments, lexically: "scenarios/../formulas/x.cfg"
 * becomes "formulas/x.cfg", so messages and metadata name files the way a
 * user would.  A leading ".." stays (it cannot be resolved lexically). */
static void tidy_path(char *path)
{
    char *seg[512];
    size_t n = 0;
    int absolute = path[0] == '/';
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    if (strlen(path) >= sizeof copy)
        return;   /* too long to tidy: leave it as it is */
    for (char *save = NULL, *p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (strcmp(p, ".") == 0)
            continue;
        if (strcmp(p, "..") == 0 && n > 0 && strcmp(seg[n - 1], "..") != 0) {
            n--;
            continue;
        }
        if (n == sizeof seg / sizeof seg[0])
            return;
        seg[n++] = p;
    }
    size_t used = 0, cap = strlen(path) + 1;
    if (absolute)
        path[used++] = '/';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(seg[i]);
        if (used + len + 2 > cap)
            return;
        if (i)
            path[used++] = '/';
        memcpy(path + used, seg[i], len);
        used += len;
    }
    if (used == 0)
        path[used++] = '.';
    path[used] = '\0';
}

char *mtfs_path_join(const char *dir, const char *rel, char *buf, size_t size)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        snprintf(buf, size, "%s", rel);
    else
        snprintf(buf, size, "%s/%s", dir, rel);
    tidy_path(buf);
    return buf;
}

char *mtfs_path_stem(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(buf, size, "%.*s", (int)n, base);
    return buf;
}

char *mtfs_group_digits(double x, int decimals, char *buf, size_t size)
{
    char digits[400];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(x));
    const char *point = strchr(digits, '.');
    size_t whole = point ? (size_t)(point - digits) : strlen(digits), j = 0;
    int zero = strspn(digits, "0.") == strlen(digits);
    if (x < 0.0 && !zero && j + 1 < size)
        buf[j++] = '-';
    for (size_t i = 0; i < whole && j + 2 < size; i++) {
        buf[j++] = digits[i];
        if ((whole - i - 1) % 3 == 0 && i + 1 < whole)
            buf[j++] = ',';
    }
    for (const char *p = point; p && *p && j + 1 < size; p++)
        buf[j++] = *p;
    buf[j] = '\0';
    return buf;
}

char *mtfs_format_table_number(double x, int decimals, int plus, char *buf, size_t size)
{
    char digits[400];
    mtfs_group_digits(x, decimals, digits, sizeof digits);
    int zero = strspn(digits, "0.,") == strlen(digits);
    snprintf(buf, size, "%s%s", plus && !zero && x > 0.0 ? "+" : "", digits);
    return buf;
}

char *mtfs_format_money(double x, char *buf, size_t size)
{
    double r = round(x * 10.0) / 10.0;
    char digits[400];
    mtfs_group_digits(fabs(r), 1, digits, sizeof digits);
    snprintf(buf, size, "%s£%sm", r < 0.0 ? "-" : "", digits);
    return buf;
}

char *mtfs_format_money_change(double x, char *buf, size_t size)
{
    char digits[400];
    mtfs_group_digits(fabs(x), 1, digits, sizeof digits);
    if (fabs(x) < 0.05)
        snprintf(buf, size, "£0.0m");
    else
        snprintf(buf, size, "%s£%sm", x < 0 ? "-" : "+", digits);
    return buf;
}

int mtfs_text_pad(const char *text, int width)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) == 0x80)
            width++;
    return width;
}

char *mtfs_format_unit(double x, mtfs_unit unit, char *buf, size_t size)
{
    char digits[64];
    double r;
    switch (unit) {
    case MTFS_UNIT_SHARE:
        r = round(x * 10000.0) / 100.0;
        snprintf(buf, size, "%.2f%%", r == 0.0 ? 0.0 : r);
        break;
    case MTFS_UNIT_POUNDS:
        snprintf(buf, size, "£%s", mtfs_group_digits(x, 2, digits, sizeof digits));
        break;
    case MTFS_UNIT_COUNT:
        snprintf(buf, size, "%s", mtfs_group_digits(x, 0, digits, sizeof digits));
        break;
    case MTFS_UNIT_MONEY:
    default:
        mtfs_format_money(x, buf, size);
        break;
    }
    return buf;
}

int mtfs_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t room = *cap ? 2 * *cap : first;
    if (room < *cap || room > SIZE_MAX / size)
        return -1;
    void *old;   /* items is a T **: read and write the pointer as bytes */
    memcpy(&old, items, sizeof old);
    void *grown = mtfs_realloc(old, room * size);
    if (!grown)
        return -1;
    memcpy(items, &grown, sizeof grown);
    *cap = room;
    return 0;
}

char *mtfs_format_exact(double x, char *buf, size_t size)
{
    if (x == 0.0)
        x = 0.0;   /* -0 prints as 0 */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        /* A locale with a decimal comma would break CSV; undo it. */
        for (char *c = buf; *c; c++)
            if (*c == ',')
                *c = '.';
        if (digits == 17 || !isfinite(x) || strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

void mtfs_csv_text(FILE *out, const char *text)
{
    if (!text)
        return;
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

mtfs_status mtfs_stream_status(FILE *out, mtfs_error *err)
{
    if (ferror(out))
        return mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write output");
    return MTFS_OK;
}
