/*
 * config_int.h - what the three files of the config module share
 * (internal to it; everyone else includes config.h):
 *
 *   config.c         the tree: nodes, inheritance (base, merge, remove),
 *                    the public loaders
 *   config_expand.c  reading one file for libconfig: the @include
 *                    expander, the UTF-8 and number checks, the parse into
 *                    a located tree (the only file that includes libconfig)
 *   config_cache.c   the parse cache: a base file batch reads many times
 *                    parsed once
 */
#ifndef MTFS_CONFIG_INT_H
#define MTFS_CONFIG_INT_H

#include "config.h"

#include <stddef.h>

/* The deepest chain of base files a load follows. */
#define CHAIN_MAX 32

/* One load of a file and its bases (config.c). */
typedef struct {
    mtfs_config *config;
    char *chain[CHAIN_MAX];    /* canonical paths of the files being loaded */
    size_t depth;
    mtfs_error_list *errors;   /* every bad remove entry, or NULL */
    mtfs_parse_cache *cache;   /* base files parsed before, or NULL */
} loader;

/* Where a line of the expanded text came from. */
typedef struct {
    const char *file;          /* interned in the config's file table */
    int line;
} origin;

/* One file's text with its @includes expanded, and its line map. */
typedef struct {
    mtfs_config *config;
    const char *dir;           /* @include names are relative to it */
    char *out;                 /* the expanded text */
    size_t len, cap;
    origin *lines;             /* origin of each line of out, from line 1 */
    size_t n_lines, cap_lines;
    mtfs_error *err;
} expander;

/* config.c: free a node and its children (a borrowed node's name and text
 * are left to their owner). */
void mtfs_cfg_node_free(mtfs_node *n);
/* config.c: intern a file name in c's table; the stored copy, or NULL when
 * out of memory. */
const char *mtfs_cfg_intern_file(mtfs_config *c, const char *file);
/* config.c: append child to a group or list; -1 when out of memory. */
int mtfs_cfg_add_child(mtfs_node *parent, mtfs_node *child);

/* config_expand.c: is text valid UTF-8 (checked.h has the one validator)? */
int mtfs_cfg_valid_utf8(const char *text);
/* config_expand.c: read `path` (and its @includes) into the expansion E,
 * whose file table is c; *file is path's name in c, dir (dir_size bytes)
 * holds path's folder for E's lifetime.  from_file:from_line names the
 * `base` that asked for it (NULL: the file named on the command line).  On
 * failure E holds nothing. */
mtfs_status mtfs_cfg_expand_path(mtfs_config *c, const char *path, const char *from_file,
                                 int from_line, char *dir, size_t dir_size, expander *E,
                                 const char **file, mtfs_error *err);
/* config_expand.c: parse an expansion into a node tree; frees E's line
 * map, and its text unless keep_text (then the caller owns E->out). */
mtfs_status mtfs_cfg_parse_expanded(expander *E, const char *file, int keep_text, mtfs_node **out,
                                    mtfs_error *err);

/* config_cache.c: parse_file through L->cache: a base file (named by
 * from_file:from_line) read, and parsed only when the cache has not seen
 * the same text from the same files. */
mtfs_status mtfs_cfg_parse_cached(loader *L, const char *path, const char *from_file, int from_line,
                                  mtfs_node **out, mtfs_error *err);

#endif
