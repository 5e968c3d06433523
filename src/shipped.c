/*
 * shipped.c - where the files mtfs ships are found (see mtfs/shipped.h).
 */
#include "mtfs/shipped.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char shipped[PATH_MAX];   /* "" for none */

void mtfs_shipped_set(const char *dir)
{
    snprintf(shipped, sizeof shipped, "%s", dir ? dir : "");
}

const char *mtfs_shipped_dir(void) { return shipped[0] ? shipped : NULL; }

/* Does dir hold the shipped files?  Its canonical form into buf. */
static int holds_shipped(const char *dir, char *buf, size_t size)
{
    char canonical[PATH_MAX], marker[PATH_MAX + 32];
    struct stat info;
    if (!realpath(dir, canonical))
        return 0;
    int n = snprintf(marker, sizeof marker, "%s/data/authorities.csv", canonical);
    if (n < 0 || (size_t)n >= sizeof marker || stat(marker, &info) != 0 || !S_ISREG(info.st_mode))
        return 0;
    n = snprintf(buf, size, "%s", canonical);
    return n >= 0 && (size_t)n < size;
}

int mtfs_shipped_of_program(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    static const char *const below[] = {"/../share/mtfs", "", "/.."};
    for (size_t k = 0; k < sizeof below / sizeof below[0]; k++) {
        char dir[PATH_MAX + 16];
        snprintf(dir, sizeof dir, "%s%s", exe[0] ? exe : "/", below[k]);
        if (holds_shipped(dir, buf, size))
            return 0;
    }
    return -1;
}

const char *mtfs_shipped_locate(const char *path, char *buf, size_t size)
{
    struct stat info;
    /* An absolute path, or one that climbs out with "..", is never looked
     * up: it cannot name a shipped file. */
    if (!path || !path[0] || path[0] == '/' || !shipped[0] || strncmp(path, "../", 3) == 0 ||
        strstr(path, "/../") || strcmp(path, "..") == 0)
        return path;
    if (stat(path, &info) == 0 || (errno != ENOENT && errno != ENOTDIR))
        return path;
    int n = snprintf(buf, size, "%s/%s", shipped, path[0] == '.' && path[1] == '/' ? path + 2 : path);
    if (n < 0 || (size_t)n >= size || stat(buf, &info) != 0)
        return path;
    return buf;
}
