/*
 * http_whatif.h - the what-if file of `mtfs serve` (internal to the
 * command layer): a request's "set" written as a libconfig file that
 * inherits the chosen scenario (http_whatif.c), and the text helpers the
 * API's other writers share.
 */
#ifndef MTFS_HTTP_WHATIF_H
#define MTFS_HTTP_WHATIF_H

#include "http_api.h"

#include <jansson.h>
#include <stddef.h>

/* A growing text (the what-if file). */
typedef struct {
    char *text;
    size_t len, cap;
    int failed;
} buffer;

/* Append s; a string quoted and escaped as libconfig reads it. */
void whatif_puts(buffer *b, const char *s);
void whatif_put_string(buffer *b, const char *s);
/* Is s a text a what-if may hold (UTF-8, no control characters)? */
int whatif_valid_text(const char *s);
/* The what-if file's text for `set` over the scenario at base_path, into
 * b: 0; else -1 with the reply (400) made. */
int whatif_file_text(const char *base_path, const json_t *set, buffer *b, http_reply *r);

#endif
