/*
 * sha256.c - SHA-256 as specified in FIPS 180-4, section 6.2.
 *
 * Small and dependency-free: it fingerprints the scenario files recorded in
 * every run's metadata, so a reader can tell exactly which inputs made it.
 */
#include "mtfs/sha256.h"
#include "mtfs/input.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t state[8], const unsigned char block[64])
{
    uint32_t w[64];
    for (unsigned i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
               (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
    for (unsigned i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (unsigned i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void mtfs_sha256_init(mtfs_sha256 *h)
{
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(h->state, H0, sizeof H0);
    h->length = 0;
    h->used = 0;
}

void mtfs_sha256_update(mtfs_sha256 *h, const void *data, size_t size)
{
    const unsigned char *p = data;
    h->length += size;
    while (size > 0) {
        size_t take = 64 - h->used;
        if (take > size)
            take = size;
        memcpy(h->block + h->used, p, take);
        h->used += take;
        p += take;
        size -= take;
        if (h->used == 64) {
            compress(h->state, h->block);
            h->used = 0;
        }
    }
}

void mtfs_sha256_hex(mtfs_sha256 *h, char hex[65])
{
    uint64_t bits = h->length * 8;
    unsigned char pad = 0x80;
    mtfs_sha256_update(h, &pad, 1);
    unsigned char zero = 0;
    while (h->used != 56)
        mtfs_sha256_update(h, &zero, 1);
    unsigned char len[8];
    for (unsigned i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    mtfs_sha256_update(h, len, 8);
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 8; i++)
        for (unsigned j = 0; j < 4; j++) {
            unsigned byte = (h->state[i] >> (24 - 8 * j)) & 0xff;
            hex[8 * i + 2 * j] = digits[byte >> 4];
            hex[8 * i + 2 * j + 1] = digits[byte & 0xf];
        }
    hex[64] = '\0';
}

mtfs_status mtfs_sha256_file(const char *path, char hex[65], mtfs_error *err)
{
    char *text;
    size_t len;
    mtfs_status st = mtfs_input_read(path, "a file to hash", NULL, &text, &len, err);
    if (st != MTFS_OK)
        return st;
    mtfs_sha256 h;
    mtfs_sha256_init(&h);
    mtfs_sha256_update(&h, text, len);
    mtfs_free(text);
    mtfs_sha256_hex(&h, hex);
    return MTFS_OK;
}
