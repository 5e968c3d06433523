/*
 * output.c - write-to-temporary-then-rename output files, committed in
 * all-or-nothing sets (the rules are in mtfs/output.h).
 *
 * The temporary file lives in the destination directory (rename is atomic
 * only within one file system).  Where Linux allows it, it is created
 * without a name (O_TMPFILE) and given one only at commit, just before the
 * rename, so a run killed while writing leaves nothing behind.  Otherwise
 * it is named ".<name>.tmp.<pid>.XXXXXX"; either way, opening an output
 * first removes the temporaries of that file left by processes that no
 * longer exist (a run killed with SIGKILL cannot clean up after itself),
 * and a set commit removes those of every file in its directory.
 *
 * Names this module uses in an output directory, all hidden:
 *   .<name>.tmp.<pid>.<x>   a temporary file, or a scratch directory
 *   .<name>.bak.<pid>.<n>   the previous version of <name> during a commit
 *   .mtfs-commit.<pid>      the journal of a commit in progress
 * Each is removed (a journal: rolled back first) once <pid> is gone.
 */
#define _GNU_SOURCE   /* O_TMPFILE, flock */
#include "mtfs/output.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_LEN 512     /* a hidden name: ".<name>.bak.<pid>.<n>" */

struct mtfs_output {
    FILE *stream;
    char *final_path;
    char *temp_path;
    char *scratch;           /* private directory, or NULL */
    char proc[48];           /* "/proc/self/fd/N" once asked for */
    int unnamed;             /* O_TMPFILE: temp_path is only given at commit */
    int finished;            /* flushed and synced: waiting for the set commit */
    unsigned long long ino;  /* the file's inode number, known once finished */
    mtfs_output_set *set;    /* the set o belongs to, or NULL */
};

struct mtfs_output_set {
    mtfs_output **files;
    size_t n, cap;
    int failed;              /* a member failed: the set cannot commit */
};

/* The set that mtfs_output_open joins, per thread. */
static _Thread_local mtfs_output_set *active_set;

static unsigned long fault_at, fault_count;
static int fault_kill;

void mtfs_output_fault_rename(unsigned long n, int kill_it)
{
    fault_at = n;
    fault_count = 0;
    fault_kill = kill_it;
}

/* 1 when the fault set up above fires now (an injected EIO). */
static int fault_fires(void)
{
    if (!fault_at || ++fault_count != fault_at)
        return 0;
    if (fault_kill)
        raise(SIGKILL);
    return 1;
}

/* ---------------------------------------------------------------------- */
/* Stale files of dead processes                                            */

static int process_gone(long pid)
{
    return pid > 0 && pid <= INT_MAX && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* The pid in a hidden name ".<base><kind><pid>.<x>" (kind ".tmp." or
 * ".bak."), or -1.  base may itself contain kind: the last match counts. */
static long hidden_pid(const char *name, const char *kind)
{
    long pid = -1;
    if (name[0] != '.')
        return -1;
    for (const char *p = strstr(name + 1, kind); p; p = strstr(p + 1, kind)) {
        char *end;
        const char *digits = p + strlen(kind);
        if (*digits < '0' || *digits > '9')
            continue;
        long v = strtol(digits, &end, 10);
        if (*end == '.' && v > 0 && p > name + 1)
            pid = v;
    }
    return pid;
}

/* Remove entry `name` of directory dirfd: a file, or a directory with the
 * files in it (scratch directories hold no subdirectories). */
static void remove_entry(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
        return;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(fd, e->d_name, 0);
    closedir(d);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

/* Remove ".<base>.tmp.<pid>.*" in dir for every pid that is not running. */
static void sweep_stale(const char *dir, const char *base)
{
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return;
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        close(dirfd);
        return;
    }
    size_t len = strlen(base);
    for (struct dirent *e; (e = readdir(d));) {
        const char *name = e->d_name;
        if (name[0] != '.' || strncmp(name + 1, base, len) != 0 ||
            strncmp(name + 1 + len, ".tmp.", 5) != 0)
            continue;
        char *end;
        long pid = strtol(name + len + 6, &end, 10);
        if (end == name + len + 6 || *end != '.')
            continue;
        if (process_gone(pid))
            remove_entry(dirfd, name);
    }
    closedir(d);
    close(dirfd);
}

/* ---------------------------------------------------------------------- */
/* Opening, writing, finishing one output                                   */

/* Remove o's scratch directory, if it has one. */
static void drop_scratch(mtfs_output *o)
{
    if (!o->scratch)
        return;
    char dir[4096];
    const char *slash = strrchr(o->scratch, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - o->scratch) : 1, slash ? o->scratch : ".");
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd >= 0) {
        remove_entry(dirfd, slash ? slash + 1 : o->scratch);
        close(dirfd);
    }
    mtfs_free(o->scratch);
    o->scratch = NULL;
}

static void release(mtfs_output *o)
{
    drop_scratch(o);
    mtfs_free(o->final_path);
    mtfs_free(o->temp_path);
    mtfs_free(o);
}

/* Close o's stream and remove its temporary file, then release o. */
static void discard(mtfs_output *o)
{
    if (o->stream)
        fclose(o->stream);
    if (!o->unnamed)
        unlink(o->temp_path);
    release(o);
}

/* Drop o from its set's list (o itself is not released). */
static void leave_set(mtfs_output *o)
{
    mtfs_output_set *set = o->set;
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        if (set->files[i] == o) {
            memmove(set->files + i, set->files + i + 1, (set->n - i - 1) * sizeof *set->files);
            set->n--;
            break;
        }
    }
    o->set = NULL;
}

mtfs_status mtfs_output_open(const char *path, mtfs_output **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_output_set *set = active_set;
    if (set && mtfs_grow(&set->files, &set->cap, set->n, sizeof *set->files, 16) != 0)
        return mtfs_error_oom(err, path);
    mtfs_output *o = mtfs_calloc(1, sizeof *o);
    if (!o)
        return mtfs_error_oom(err, path);
    size_t n = strlen(path) + 64;
    o->final_path = mtfs_strdup(path);
    o->temp_path = mtfs_malloc(n);
    if (!o->final_path || !o->temp_path) {
        release(o);
        return mtfs_error_oom(err, path);
    }
    const char *slash = strrchr(path, '/');
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    const char *base = slash ? slash + 1 : path;
    sweep_stale(dir, base);
    snprintf(o->temp_path, n, "%s/.%s.tmp.%ld.XXXXXX", dir, base, (long)getpid());
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    o->unnamed = fd >= 0;
#endif
    if (fd < 0)
        fd = mkstemp(o->temp_path);
    if (fd < 0) {
        int e = errno;
        release(o);
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
        if (!o->unnamed)
            unlink(o->temp_path);
        release(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot create output file: %s", strerror(e));
    }
    if (set) {
        o->set = set;
        set->files[set->n++] = o;
    }
    *out = o;
    return MTFS_OK;
}

FILE *mtfs_output_stream(mtfs_output *o) { return o->stream; }

const char *mtfs_output_temp_path(mtfs_output *o)
{
    if (!o->unnamed || !o->stream)
        return NULL;
    if (!o->proc[0]) {
        char proc[sizeof o->proc];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->stream));
        /* Reopening an unnamed file through /proc gives it no name; check
         * that it works here (it needs /proc, and no O_EXCL at creation). */
        int fd = open(proc, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return NULL;
        close(fd);
        memcpy(o->proc, proc, sizeof proc);
    }
    return o->proc;
}

mtfs_status mtfs_output_scratch_dir(mtfs_output *o, const char **dir, mtfs_error *err)
{
    *dir = o->scratch;
    if (o->scratch)
        return MTFS_OK;
    size_t n = strlen(o->final_path) + 64;
    char *path = mtfs_malloc(n);
    if (!path)
        return mtfs_error_oom(err, o->final_path);
    const char *slash = strrchr(o->final_path, '/');
    snprintf(path, n, "%.*s%s.%s.tmp.%ld.XXXXXX", slash ? (int)(slash - o->final_path) : 0,
             o->final_path, slash ? "/" : "", slash ? slash + 1 : o->final_path, (long)getpid());
    if (!mkdtemp(path)) {
        int e = errno;
        mtfs_free(path);
        return mtfs_error_set(err, MTFS_EIO, o->final_path, 0, NULL,
                              "cannot create a scratch directory: %s", strerror(e));
    }
    o->scratch = path;
    *dir = path;
    return MTFS_OK;
}

/* Flush and sync o; 0 or an errno value.  The stream stays open when the
 * file is unnamed (its descriptor is what gives it a name later). */
static int finish(mtfs_output *o)
{
    int e = 0;
    if (fflush(o->stream) != 0 || ferror(o->stream))
        e = errno ? errno : EIO;
    if (!e && fsync(fileno(o->stream)) != 0 && errno != EINVAL)
        e = errno;
    struct stat st;
    if (!e && fstat(fileno(o->stream), &st) != 0)
        e = errno;
    if (!e)
        o->ino = (unsigned long long)st.st_ino;
    if (!e && !o->unnamed) {
        int r = fclose(o->stream);
        o->stream = NULL;
        if (r != 0)
            e = errno ? errno : EIO;
    }
    if (!e)
        o->finished = 1;
    return e;
}

/* ---------------------------------------------------------------------- */
/* Committing a set                                                         */

/* Give an unnamed temporary its name ("...tmp.<pid>.<serial>"); 0 on
 * success, else an errno value. */
static int give_name(mtfs_output *o)
{
    if (!o->unnamed)
        return 0;
    static unsigned long serial;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->stream));
    size_t len = strlen(o->temp_path);   /* ends in "XXXXXX" */
    for (int tries = 0; tries < 1000; tries++) {
        snprintf(o->temp_path + len - 6, 32, "%06lu", serial++ % 1000000ul);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->temp_path, AT_SYMLINK_FOLLOW) == 0) {
            o->unnamed = 0;
            return 0;
        }
        if (errno != EEXIST)
            return errno ? errno : EIO;
    }
    return EEXIST;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    snprintf(buf, size, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
}

/* Copy file `from` to a new file `to` (both in dirfd), synced: the backup
 * where a file system has no hard links.  0 or an errno value. */
static int copy_file(int dirfd, const char *from, const char *to)
{
    int in = openat(dirfd, from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return errno;
    struct stat st;
    int out = fstat(in, &st) == 0 ? openat(dirfd, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    int e = out < 0 ? errno : 0;
    char buf[65536];
    while (!e) {
        ssize_t got = read(in, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            e = got < 0 ? errno : 0;
            break;
        }
        for (ssize_t done = 0; !e && done < got;) {
            ssize_t put = write(out, buf + done, (size_t)(got - done));
            if (put < 0 && errno != EINTR)
                e = errno;
            else if (put > 0)
                done += put;
        }
    }
    if (!e && (fchmod(out, st.st_mode & 07777) != 0 || fsync(out) != 0))
        e = errno;
    if (out >= 0 && close(out) != 0 && !e)
        e = errno;
    close(in);
    if (e && out >= 0)
        unlinkat(dirfd, to, 0);
    return e;
}

/* Keep the previous version of `name` as `backup`: 0 or an errno value. */
static int make_backup(int dirfd, const char *name, const char *backup)
{
    unlinkat(dirfd, backup, 0);   /* only ever a leftover of this pid's predecessor */
    if (linkat(dirfd, name, dirfd, backup, 0) == 0)
        return 0;
    int e = errno;
    if (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == EMLINK || e == ENOSYS)
        return copy_file(dirfd, name, backup);
    return e;
}

/* Roll back the commit a dead process recorded in journal `name`: every
 * target gets its backup back, or is removed if it had no previous
 * version.  An incomplete journal means no rename had started: it is only
 * removed.  Whatever cannot be restored is left with the journal, for the
 * next commit to try again. */
static void roll_back_journal(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat st;
    char *text = NULL;
    size_t size = 0;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return;
    }
    if (st.st_size > 0 && st.st_size < (1 << 24) &&
        (text = mtfs_malloc((size_t)st.st_size + 1))) {
        while (size < (size_t)st.st_size) {
            ssize_t got = read(fd, text + size, (size_t)st.st_size - size);
            if (got <= 0)
                break;
            size += (size_t)got;
        }
        text[size] = '\0';
    }
    close(fd);
    if (!text) {
        /* An empty journal was cut short at its start; a journal that
         * cannot be read now is left for the next commit. */
        if (size == 0 && st.st_size == 0)
            unlinkat(dirfd, name, 0);
        return;
    }
    static const char header[] = "mtfs-commit 2\n", trailer[] = "end\n";
    int complete = size >= sizeof header - 1 + sizeof trailer - 1 &&
                   memcmp(text, header, sizeof header - 1) == 0 &&
                   memcmp(text + size - (sizeof trailer - 1), trailer, sizeof trailer - 1) == 0 &&
                   text[size - sizeof trailer] == '\0';
    int ok = 1;
    if (complete) {
        /* Records "target\0backup\0inode\0" (backup "" when there was
         * none; inode: the new file's).  Two passes: did every rename
         * happen?  Then roll forward (only the backups go), else back. */
        const char *first = text + sizeof header - 1, *end = text + size - (sizeof trailer - 1);
        int all_renamed = 1;
        for (int pass = 0; pass < 2; pass++) {
            for (const char *p = first; p < end;) {
                const char *target = p;
                const char *backup = target + strlen(target) + 1;
                const char *inode = backup < end ? backup + strlen(backup) + 1 : end;
                if (inode >= end || !*target || strchr(target, '/') || strchr(backup, '/')) {
                    ok = all_renamed = 0;   /* not a journal this module wrote */
                    pass = 2;
                    break;
                }
                p = inode + strlen(inode) + 1;
                struct stat now;
                int is_new = fstatat(dirfd, target, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
                             (unsigned long long)now.st_ino == strtoull(inode, NULL, 10);
                if (pass == 0) {
                    all_renamed &= is_new;
                } else if (all_renamed) {
                    if (*backup && unlinkat(dirfd, backup, 0) != 0 && errno != ENOENT)
                        ok = 0;
                } else if (*backup) {
                    if (renameat(dirfd, backup, dirfd, target) != 0 && errno != ENOENT)
                        ok = 0;
                } else if (is_new && unlinkat(dirfd, target, 0) != 0 && errno != ENOENT) {
                    ok = 0;
                }
            }
        }
        fsync(dirfd);
    }
    mtfs_free(text);
    if (ok)
        unlinkat(dirfd, name, 0);
}

/* Under the lock: roll back the commits of dead processes, then remove
 * their backups and temporaries. */
static void recover_directory(int dirfd)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    static const char journal[] = ".mtfs-commit.";
    int stale = 0;
    for (struct dirent *e; (e = readdir(d));) {
        const char *name = e->d_name;
        if (name[0] != '.')
            continue;
        if (strncmp(name, journal, sizeof journal - 1) == 0) {
            char *end;
            long pid = strtol(name + sizeof journal - 1, &end, 10);
            if (*end == '\0' && process_gone(pid))
                roll_back_journal(dirfd, name);
        } else if (process_gone(hidden_pid(name, ".bak.")) || process_gone(hidden_pid(name, ".tmp."))) {
            stale = 1;
        }
    }
    if (stale) {
        rewinddir(d);
        for (struct dirent *e; (e = readdir(d));) {
            const char *name = e->d_name;
            if (name[0] == '.' && strncmp(name, journal, sizeof journal - 1) != 0 &&
                (process_gone(hidden_pid(name, ".bak.")) || process_gone(hidden_pid(name, ".tmp."))))
                remove_entry(dirfd, name);
        }
    }
    closedir(d);
}

/* Write and sync the journal of a commit.  0 or an errno value. */
static int write_journal(int dirfd, const char *name, mtfs_output **files, size_t n,
                         char (*backups)[NAME_LEN])
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlinkat(dirfd, name, 0);
        return e;
    }
    fputs("mtfs-commit 2\n", f);
    for (size_t i = 0; i < n; i++) {
        const char *target = base_name(files[i]->final_path);
        fwrite(target, 1, strlen(target) + 1, f);
        fwrite(backups[i], 1, strlen(backups[i]) + 1, f);
        fprintf(f, "%llu", files[i]->ino);
        fputc('\0', f);
    }
    fputs("end\n", f);
    int e = 0;
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e && fsync(dirfd) != 0 && errno != EINVAL)
        e = errno;
    if (e)
        unlinkat(dirfd, name, 0);
    return e;
}

/* Remove the temporaries of files[from..n-1] and release all n. */
static void discard_all(mtfs_output **files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        files[i]->set = NULL;
        discard(files[i]);
    }
}

/* MTFS_OK when files[0..n-1] (n >= 1) are in one directory, `dir`, each
 * named once; else MTFS_EINTERNAL (a caller's bug). */
static mtfs_status one_directory(mtfs_output **files, size_t n, char *dir, size_t size, mtfs_error *err)
{
    dir_of(files[0]->final_path, dir, size);
    for (size_t i = 1; i < n; i++) {
        char other[4096];
        dir_of(files[i]->final_path, other, sizeof other);
        if (strcmp(dir, other) != 0)
            return mtfs_error_set(err, MTFS_EINTERNAL, files[i]->final_path, 0, NULL,
                                  "an output set must be in one directory (not %s and %s)", dir, other);
        for (size_t j = 0; j < i; j++)
            if (strcmp(files[i]->final_path, files[j]->final_path) == 0)
                return mtfs_error_set(err, MTFS_EINTERNAL, files[i]->final_path, 0, NULL,
                                      "written twice in one output set");
    }
    return MTFS_OK;
}

/* Choose a backup name for each target that exists (backups[i], left
 * empty for a new file), checking that no target is a directory.  Returns
 * 0, or an errno with *failed_path set to the file it concerns. */
static int choose_backups(int dirfd, mtfs_output **files, size_t n, char (*backups)[NAME_LEN], long pid,
                          const char **failed_path)
{
    static unsigned long serial;
    int e = 0;
    for (size_t i = 0; i < n && !e; i++) {
        const char *target = base_name(files[i]->final_path);
        struct stat st;
        if (fstatat(dirfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(st.st_mode))
                e = EISDIR;
            else if ((size_t)snprintf(backups[i], NAME_LEN, ".%s.bak.%ld.%06lu", target, pid,
                                      serial++ % 1000000ul) >= NAME_LEN)
                e = ENAMETOOLONG;
        } else if (errno != ENOENT) {
            e = errno;
        }
        if (e)
            *failed_path = files[i]->final_path;
    }
    return e;
}

/* Give files[0..n-1] (all finished, all in one directory) their final
 * names, all or nothing, and release them. */
static mtfs_status commit_files(mtfs_output **files, size_t n, mtfs_error *err)
{
    if (n == 0)
        return MTFS_OK;
    char dir[4096];
    mtfs_status status = one_directory(files, n, dir, sizeof dir, err);
    if (status != MTFS_OK) {
        discard_all(files, n);
        return status;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        int e = errno;
        discard_all(files, n);
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "cannot write output files: %s", strerror(e));
    }
    /* The lock: one commit at a time in this directory.  A file system
     * without flock (some network ones) commits unlocked. */
    while (flock(dirfd, LOCK_EX) != 0 && errno == EINTR)
        ;
    recover_directory(dirfd);

    /* Backups are chosen, and targets checked, before anything changes. */
    char (*backups)[NAME_LEN] = mtfs_calloc(n, sizeof *backups);
    if (!backups) {
        close(dirfd);   /* releases the lock */
        mtfs_error_oom(err, files[0]->final_path);
        discard_all(files, n);
        return MTFS_ENOMEM;
    }
    long pid = (long)getpid();
    const char *failed_path = NULL;
    int e = choose_backups(dirfd, files, n, backups, pid, &failed_path);
    char journal[64];
    snprintf(journal, sizeof journal, ".mtfs-commit.%ld", pid);
    if (!e && (e = write_journal(dirfd, journal, files, n, backups)) != 0)
        failed_path = dir;
    size_t backed = 0;   /* backups[0..backed-1] made */
    for (; !e && backed < n; backed++) {
        if (backups[backed][0] &&
            (e = make_backup(dirfd, base_name(files[backed]->final_path), backups[backed])) != 0)
            failed_path = files[backed]->final_path;
    }
    for (size_t i = 0; !e && i < n; i++)
        if ((e = give_name(files[i])) != 0)
            failed_path = files[i]->final_path;
    size_t renamed = 0;
    for (; !e && renamed < n; renamed++) {
        mtfs_output *o = files[renamed];
        if (fault_fires())
            e = EIO;
        else if (renameat(AT_FDCWD, o->temp_path, dirfd, base_name(o->final_path)) != 0)
            e = errno;
        if (e) {
            failed_path = o->final_path;
            break;
        }
        o->unnamed = 1;   /* renamed: nothing left to remove under temp_path */
    }
    if (!e && fault_kill)
        (void)fault_fires();   /* "rename n + 1": after the last rename */
    int rolled_back = 1;
    if (e) {
        /* Undo renames 0..renamed-1: the previous version back, or none. */
        for (size_t i = 0; i < renamed; i++) {
            const char *target = base_name(files[i]->final_path);
            int r = backups[i][0] ? renameat(dirfd, backups[i], dirfd, target)
                                  : unlinkat(dirfd, target, 0);
            if (r != 0)
                rolled_back = 0;
            else
                backups[i][0] = '\0';
        }
        fsync(dirfd);
    } else {
        fsync(dirfd);   /* the renames are durable before the journal goes */
    }
    /* The end: the backups go, then the journal.  A kill in between leaves
     * the journal with every target renamed, and the next commit rolls
     * forward (removes what is left); a kill before the last rename leaves
     * it with the backups, and the next commit rolls back. */
    if (rolled_back) {
        for (size_t i = 0; i < backed; i++)
            if (backups[i][0])
                unlinkat(dirfd, backups[i], 0);
        unlinkat(dirfd, journal, 0);
        fsync(dirfd);
    }
    mtfs_free(backups);
    close(dirfd);   /* releases the lock */
    if (e)   /* before the release: failed_path may be a member's */
        mtfs_error_set(err, MTFS_EIO, failed_path, 0, NULL, "cannot write output file: %s",
                       strerror(e));
    discard_all(files, n);
    return e ? MTFS_EIO : MTFS_OK;
}

mtfs_status mtfs_output_commit(mtfs_output *o, mtfs_error *err)
{
    int e = o->finished ? 0 : finish(o);
    if (e) {
        mtfs_output_set *set = o->set;
        leave_set(o);
        if (set)
            set->failed = 1;
        mtfs_error_set(err, MTFS_EIO, o->final_path, 0, NULL, "cannot write output file: %s",
                       strerror(e));
        discard(o);
        return MTFS_EIO;
    }
    drop_scratch(o);   /* its work is done */
    if (o->set)
        return MTFS_OK;   /* named by the set commit */
    mtfs_output *one[1] = {o};
    return commit_files(one, 1, err);
}

void mtfs_output_abort(mtfs_output *o)
{
    if (!o)
        return;
    leave_set(o);
    discard(o);
}

mtfs_status mtfs_output_set_begin(mtfs_output_set **out, mtfs_error *err)
{
    *out = NULL;
    if (active_set)
        return mtfs_error_set(err, MTFS_EINTERNAL, NULL, 0, NULL,
                              "an output set is already active on this thread");
    mtfs_output_set *set = mtfs_calloc(1, sizeof *set);
    if (!set)
        return mtfs_error_oom(err, NULL);
    active_set = set;
    *out = set;
    return MTFS_OK;
}

static void end_set(mtfs_output_set *set)
{
    if (active_set == set)
        active_set = NULL;
    mtfs_free(set->files);
    mtfs_free(set);
}

mtfs_status mtfs_output_set_commit(mtfs_output_set *set, mtfs_error *err)
{
    if (active_set == set)
        active_set = NULL;
    mtfs_status st = MTFS_OK;
    if (set->failed)
        st = mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL,
                            "cannot write output files: a file of the set failed");
    for (size_t i = 0; st == MTFS_OK && i < set->n; i++) {
        mtfs_output *o = set->files[i];
        int e = o->finished ? 0 : finish(o);
        if (e)
            st = mtfs_error_set(err, MTFS_EIO, o->final_path, 0, NULL,
                                "cannot write output file: %s", strerror(e));
    }
    if (st == MTFS_OK)
        st = commit_files(set->files, set->n, err);
    else
        discard_all(set->files, set->n);
    end_set(set);
    return st;
}

void mtfs_output_set_abort(mtfs_output_set *set)
{
    if (!set)
        return;
    discard_all(set->files, set->n);
    end_set(set);
}

mtfs_status mtfs_output_mkdir(const char *dir, mtfs_error *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return MTFS_OK;
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "exists and is not a directory");
    }
    /* Like mkdir -p: each missing level in turn, mode 0777 less the umask.
     * A level another process makes meanwhile (EEXIST) is fine; the last
     * one must then be a directory. */
    char path[4096];
    size_t len = strlen(dir);
    if (len >= sizeof path)
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "cannot create directory: %s",
                              strerror(ENAMETOOLONG));
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/')
            continue;   /* "a//b": the level is already made */
        char keep = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "cannot create directory: %s",
                                  strerror(errno));
        path[i] = keep;
    }
    if (stat(dir, &st) != 0)
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "cannot create directory: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return mtfs_error_set(err, MTFS_EIO, dir, 0, NULL, "exists and is not a directory");
    return MTFS_OK;
}
