/*
 * config_cache.c - the parse cache: when batch loads many scenarios that
 * share base files, each distinct base is parsed once.
 *
 * An entry is a base file's name as written, its expanded text (so the
 * @included files' content is part of the key), the files the parse
 * named, in the order it named them, and the parsed tree.  A hit needs the
 * same name and byte-identical text: the file is still read and expanded
 * every time (so an edit, an include's edit and --restrict all count), only
 * libconfig's parse and the conversion are saved.  Trees are copied out,
 * never lent: the merge changes the tree it is given.
 */
#include "config_int.h"
#include "mtfs/input.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#define PARSE_CACHE_MAX 64

typedef struct {
    char *path;
    char *text;             /* the expansion */
    size_t len;
    char *raw;              /* the file's own bytes, when it has no @include */
    size_t raw_len;
    size_t *origins;        /* per line of text: its file's index in files, and its line */
    size_t n_lines;
    mtfs_config *files;     /* its file table, and root: the parsed tree */
} cache_entry;

struct mtfs_parse_cache {
    cache_entry entries[PARSE_CACHE_MAX];
    size_t n;
    size_t hits, misses;
};

mtfs_parse_cache *mtfs_parse_cache_new(void)
{
    return mtfs_calloc(1, sizeof(mtfs_parse_cache));
}

void mtfs_parse_cache_free(mtfs_parse_cache *cache)
{
    for (size_t i = 0; cache && i < cache->n; i++) {
        mtfs_free(cache->entries[i].path);
        mtfs_free(cache->entries[i].text);
        mtfs_free(cache->entries[i].raw);
        mtfs_free(cache->entries[i].origins);
        mtfs_config_free(cache->entries[i].files);
    }
    mtfs_free(cache);
}

size_t mtfs_parse_cache_hits(const mtfs_parse_cache *cache)
{
    return cache ? cache->hits : 0;
}

/* A copy of tree n whose file names are those of `to` (from[i] in the
 * source table is to[i]).  With `borrow`, the copy's names and texts are
 * n's own (n is a cached tree that outlives the copy: a batch copies its
 * base thousands of times, and nothing changes a name or a text in place),
 * otherwise copies of them. */
static mtfs_node *node_copy(const mtfs_node *n, char *const *from, const char **to, size_t n_files,
                            int borrow)
{
    mtfs_node *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->type = n->type;
    c->integer = n->integer;
    c->number = n->number;
    c->line = n->line;
    for (size_t i = 0; i < n_files && n->file; i++)
        if (from[i] == n->file)
            c->file = to[i];
    int ok = 1;
    if (borrow) {
        c->borrowed = 1;
        c->name = n->name;
        c->text = n->text;
    } else {
        ok = (!n->name || (c->name = mtfs_strdup(n->name))) && (!n->text || (c->text = mtfs_strdup(n->text)));
    }
    if (ok && n->n_children) {
        ok = (c->children = mtfs_calloc(n->n_children, sizeof *c->children)) != NULL;
        c->cap_children = ok ? n->n_children : 0;
        for (size_t i = 0; ok && i < n->n_children; i++) {
            ok = (c->children[i] = node_copy(n->children[i], from, to, n_files, borrow)) != NULL;
            if (ok)
                c->n_children++;
        }
    }
    if (!ok) {
        mtfs_cfg_node_free(c);
        return NULL;
    }
    return c;
}

/* The entry's tree, copied into the loader's config (its files named
 * there in the entry's order, as a fresh parse would name them); with
 * `borrow` (an entry the cache keeps), sharing the entry's strings. */
static mtfs_status copy_entry(loader *L, const cache_entry *e, const char *path, mtfs_node **out,
                              int borrow, mtfs_error *err)
{
    const mtfs_config *f = e->files;
    const char *to_small[8];
    const char **to = f->n_files <= 8 ? to_small : mtfs_calloc(f->n_files, sizeof *to);
    if (!to)
        return mtfs_error_oom(err, path);
    int ok = 1;
    for (size_t i = 0; ok && i < f->n_files; i++)
        ok = (to[i] = mtfs_cfg_intern_file(L->config, f->files[i])) != NULL;
    if (ok)
        ok = (*out = node_copy(f->root, f->files, to, f->n_files, borrow)) != NULL;
    if (to != to_small)
        mtfs_free((void *)to);
    return ok ? MTFS_OK : mtfs_error_oom(err, path);
}

/* An expansion's line map as (file index in c, line) pairs; NULL: out of
 * memory. */
static size_t *origins_of(const expander *E, const mtfs_config *c)
{
    size_t *o = mtfs_malloc((2 * E->n_lines + 1) * sizeof *o);
    for (size_t i = 0; o && i < E->n_lines; i++) {
        o[2 * i] = SIZE_MAX;
        for (size_t k = 0; k < c->n_files; k++)
            if (c->files[k] == E->lines[i].file)
                o[2 * i] = k;
        o[2 * i + 1] = (size_t)E->lines[i].line;
    }
    return o;
}

/* Same text is not enough: the same bytes may come from other files (a
 * base that took in what it used to include), and then the tree's
 * locations differ.  Same files, in the same order, and the same map. */
static int same_origins(const cache_entry *e, const mtfs_config *c, const size_t *origins, size_t n_lines)
{
    if (e->files->n_files != c->n_files || e->n_lines != n_lines)
        return 0;
    for (size_t k = 0; k < c->n_files; k++)
        if (strcmp(e->files->files[k], c->files[k]) != 0)
            return 0;
    return memcmp(e->origins, origins, 2 * n_lines * sizeof *origins) == 0;
}

mtfs_status mtfs_cfg_parse_cached(loader *L, const char *path, const char *from_file, int from_line,
                                  mtfs_node **out, mtfs_error *err)
{
    mtfs_parse_cache *cache = L->cache;
    /* A file without @include is known by its own bytes: no expansion. */
    char *raw = NULL;
    size_t raw_len = 0;
    mtfs_input_ref from = {from_file, from_line, "base"};
    mtfs_status st = mtfs_input_read(path, "a scenario file", &from, &raw, &raw_len, err);
    if (st != MTFS_OK)
        return st;
    for (size_t i = 0; i < cache->n; i++) {
        const cache_entry *e = &cache->entries[i];
        if (e->raw && e->raw_len == raw_len && strcmp(e->path, path) == 0 &&
            memcmp(e->raw, raw, raw_len) == 0) {
            mtfs_free(raw);
            cache->hits++;
            return copy_entry(L, e, path, out, 1, err);
        }
    }
    mtfs_config *scratch = mtfs_calloc(1, sizeof *scratch);
    if (!scratch) {
        mtfs_free(raw);
        return mtfs_error_oom(err, path);
    }
    char dir[PATH_MAX];
    expander E;
    const char *file;
    if ((st = mtfs_cfg_expand_path(scratch, path, from_file, from_line, dir, sizeof dir, &E, &file, err)) != MTFS_OK) {
        mtfs_free(raw);
        mtfs_config_free(scratch);
        return st;
    }
    size_t *origins = origins_of(&E, scratch), n_lines = E.n_lines;
    for (size_t i = 0; origins && i < cache->n; i++) {
        const cache_entry *e = &cache->entries[i];
        if (e->len == E.len && strcmp(e->path, path) == 0 && memcmp(e->text, E.out, E.len) == 0 &&
            same_origins(e, scratch, origins, n_lines)) {
            mtfs_free(raw);
            mtfs_free(origins);
            mtfs_free(E.out);
            mtfs_free(E.lines);
            mtfs_config_free(scratch);
            cache->hits++;
            return copy_entry(L, e, path, out, 1, err);
        }
    }
    cache->misses++;
    if ((st = mtfs_cfg_parse_expanded(&E, file, 1, &scratch->root, err)) != MTFS_OK) {
        mtfs_free(raw);
        mtfs_free(origins);
        mtfs_config_free(scratch);
        return st;
    }
    /* Only the file itself was named: it has no @include. */
    int alone = scratch->n_files == 1;
    cache_entry e = {mtfs_strdup(path), E.out, E.len, alone ? raw : NULL, alone ? raw_len : 0,
                     origins, n_lines, scratch};
    if (!alone)
        mtfs_free(raw);
    /* An entry the cache keeps lends its strings to the copy; one it
     * cannot keep (full, or out of memory) is freed below, so the copy
     * owns its own. */
    int keep = e.path && e.origins && cache->n < PARSE_CACHE_MAX;
    st = copy_entry(L, &e, path, out, keep, err);
    if (st == MTFS_OK && keep) {
        cache->entries[cache->n++] = e;
        return MTFS_OK;
    }
    mtfs_free(e.path);
    mtfs_free(e.text);
    mtfs_free(e.raw);
    mtfs_free(e.origins);
    mtfs_config_free(scratch);
    return st;
}
