/*
 * fuzz_common.h - what the libFuzzer harnesses share: a private working
 * directory in which the input is written as a file, next to links to the
 * repository's scenarios, formulas, data and test libraries, so inputs can
 * inherit (base = "leics_2025_central.cfg"), include and name formulas as the
 * shipped files do.  Built only by `make fuzz` (clang, -fsanitize=fuzzer).
 */
#ifndef MTFS_FUZZ_COMMON_H
#define MTFS_FUZZ_COMMON_H
/* Included by exactly one file per harness: it defines functions. */

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The working directory: <tmp>/mtfs-fuzz-<pid>/s, whose parent holds
 * formulas/ and data/ and which itself links every scenario and tests/bad/lib. */
static char fuzz_dir[PATH_MAX + 128];

static inline void fuzz_link(const char *target, const char *name)
{
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    if (symlink(target, path) != 0 && access(path, F_OK) != 0)
        perror(path);
}

static inline void fuzz_link_all(const char *repo, const char *sub)
{
    char dir[PATH_MAX * 2], target[PATH_MAX * 3];
    snprintf(dir, sizeof dir, "%s/%s", repo, sub);
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(target, sizeof target, "%s/%s", dir, e->d_name);
        fuzz_link(target, e->d_name);
    }
    closedir(d);
}

static char fuzz_parent[PATH_MAX + 64];

/* Remove the working directory (links and the last input) at exit. */
static inline void fuzz_cleanup(void)
{
    char path[PATH_MAX * 3];
    DIR *d = opendir(fuzz_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(fuzz_dir);
    const char *up[] = {"formulas", "data", "tests"};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_parent, up[i]);
        unlink(path);
    }
    rmdir(fuzz_parent);
}

/* Called once from LLVMFuzzerInitialize: the repository is the current
 * directory (make fuzz runs from it). */
static inline void fuzz_setup(void)
{
    char repo[PATH_MAX], target[PATH_MAX * 2], link[PATH_MAX * 2];
    char *parent = fuzz_parent;
    if (!getcwd(repo, sizeof repo))
        abort();
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(parent, sizeof fuzz_parent, "%s/mtfs-fuzz-%ld", tmp, (long)getpid());
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/s", parent);
    mkdir(parent, 0700);
    mkdir(fuzz_dir, 0700);
    const char *up[] = {"formulas", "data", "tests"};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
        snprintf(target, sizeof target, "%s/%s", repo, up[i]);
        snprintf(link, sizeof link, "%s/%s", parent, up[i]);
        if (symlink(target, link) != 0 && access(link, F_OK) != 0)
            perror(link);
    }
    fuzz_link_all(repo, "scenarios");
    fuzz_link_all(repo, "tests/good");
    snprintf(target, sizeof target, "%s/tests/bad/lib", repo);
    fuzz_link(target, "lib");
    atexit(fuzz_cleanup);
}

/* Write the input to <fuzz_dir>/<name>; returns the path (static). */
static inline const char *fuzz_write(const uint8_t *data, size_t size, const char *name)
{
    static char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f) != 0)
        abort();
    return path;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The usual start: the working directory.  A harness that needs more
 * defines FUZZ_OWN_INITIALIZE and its own LLVMFuzzerInitialize. */
#ifndef FUZZ_OWN_INITIALIZE
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}
#endif

#endif
