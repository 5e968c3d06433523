/*
 * mtfs/sha256.h - SHA-256 (FIPS 180-4), used to fingerprint scenario files
 * in output metadata.
 */
#ifndef MTFS_SHA256_H
#define MTFS_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include "mtfs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t state[8];
    uint64_t length;          /* bytes hashed so far */
    unsigned char block[64];
    size_t used;              /* bytes waiting in block */
} mtfs_sha256;

void mtfs_sha256_init(mtfs_sha256 *h);
void mtfs_sha256_update(mtfs_sha256 *h, const void *data, size_t size);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void mtfs_sha256_hex(mtfs_sha256 *h, char hex[65]);

/* Digest of a whole file. */
mtfs_status mtfs_sha256_file(const char *path, char hex[65], mtfs_error *err);

#ifdef __cplusplus
}
#endif
#endif
