/*
 * config.h - scenario files as a located tree (internal).
 *
 * The config module is the only one that includes libconfig (in
 * config_expand.c; config_int.h lists its files).  It reads a file,
 * follows its `base = "..."` chain (each path relative to the file naming
 * it), and deep-merges the files into one tree of mtfs_node.  Every node
 * remembers the file and line it came from so validation can point at it.
 */
#ifndef MTFS_CONFIG_H
#define MTFS_CONFIG_H

#include <stddef.h>
#include "mtfs/error.h"

typedef enum {
    MTFS_NODE_GROUP,   /* { key = value; ... } */
    MTFS_NODE_LIST,    /* ( ... ) or [ ... ] */
    MTFS_NODE_INT,
    MTFS_NODE_FLOAT,
    MTFS_NODE_BOOL,
    MTFS_NODE_STRING
} mtfs_node_type;

typedef struct mtfs_node mtfs_node;
struct mtfs_node {
    char *name;              /* key in its group; NULL for list elements */
    mtfs_node_type type;
    long long integer;       /* INT, BOOL */
    double number;           /* FLOAT, and INT converted */
    char *text;              /* STRING */
    mtfs_node **children;    /* GROUP, LIST */
    size_t n_children;
    size_t cap_children;
    const char *file;        /* owned by the mtfs_config's file table */
    int line;
    unsigned char borrowed;  /* name and text belong to a parse cache's tree,
                                not to this node (mtfs_config_load_cached) */
};

typedef struct {
    mtfs_node *root;
    char **files;            /* files read, the named one first */
    size_t n_files;
    size_t cap_files;
} mtfs_config;

/* Read `path` and everything it inherits into *out (caller frees with
 * mtfs_config_free).  Errors: syntax errors, unreadable files, a `base`
 * that is not a string, inheritance cycles, chains deeper than 32. */
mtfs_status mtfs_config_load(const char *path, mtfs_config **out, mtfs_error *err);
/* The same, with every entry of a `remove` list that matches nothing
 * into errors (NULL: the first only, in err). */
mtfs_status mtfs_config_load_all(const char *path, mtfs_config **out, mtfs_error *err,
                                 mtfs_error_list *errors);
void mtfs_config_free(mtfs_config *config);

/* Base files parsed before, for loading many scenarios that share them
 * (batch): a base whose name and expanded text (with its @includes) are
 * the same as before is not parsed again.  The results are the same as
 * without the cache, byte for byte. */
typedef struct mtfs_parse_cache mtfs_parse_cache;
mtfs_parse_cache *mtfs_parse_cache_new(void);
void mtfs_parse_cache_free(mtfs_parse_cache *cache);
size_t mtfs_parse_cache_hits(const mtfs_parse_cache *cache);
/* mtfs_config_load_all through a cache (NULL: none).  The config may
 * share names and texts with the cache's trees: free it before the cache. */
mtfs_status mtfs_config_load_cached(const char *path, mtfs_parse_cache *cache, mtfs_config **out,
                                    mtfs_error *err, mtfs_error_list *errors);

/* The child of a group named `name`, or NULL. */
mtfs_node *mtfs_node_get(const mtfs_node *group, const char *name);
/* True for INT and FLOAT nodes. */
int mtfs_node_is_number(const mtfs_node *node);
/* "a group", "a list", "a whole number", "a number", "true/false", "a string" */
const char *mtfs_node_type_name(const mtfs_node *node);

#endif
