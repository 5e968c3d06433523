/*
 * http_whatif.c - the what-if file of `mtfs serve` (http_whatif.h): the
 * request's "set", checked against the input registry's paths and written
 * as a small libconfig file that inherits the chosen scenario.
 */
#include "http_whatif.h"
#include "mtfs/inputs.h"
#include "mtfs/mtfs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* POST /api/run: the what-if file                                      */

static void put(buffer *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *grown = realloc(b->text, cap);
        if (!grown) {
            b->failed = 1;
            return;
        }
        b->text = grown;
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

void whatif_puts(buffer *b, const char *s) { put(b, s, strlen(s)); }

/* A libconfig string: quotes and backslashes escaped (control characters
 * were refused before). */
void whatif_put_string(buffer *b, const char *s)
{
    whatif_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            whatif_puts(b, "\\");
        put(b, s, 1);
    }
    whatif_puts(b, "\"");
}

/* A number libconfig reads back as exactly v: the shortest of 15 to 17
 * significant digits that does, always with a point or an exponent so it
 * stays a floating-point number. */
static void put_real(buffer *b, double v)
{
    char text[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            break;
    }
    if (!strpbrk(text, ".eE"))
        strcat(text, ".0");
    whatif_puts(b, text);
}

static void put_value(buffer *b, const json_t *v)
{
    char text[40];
    if (json_is_integer(v)) {
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        whatif_puts(b, text);
    } else if (json_is_real(v)) {
        put_real(b, json_real_value(v));
    } else if (json_is_boolean(v)) {
        whatif_puts(b, json_is_true(v) ? "true" : "false");
    } else if (json_is_string(v)) {
        whatif_put_string(b, json_string_value(v));
    } else {   /* an array of numbers: all written as reals (libconfig lists one type) */
        int all_integers = 1;
        for (size_t i = 0; i < json_array_size(v); i++)
            all_integers &= json_is_integer(json_array_get(v, i));
        whatif_puts(b, "[");
        for (size_t i = 0; i < json_array_size(v); i++) {
            const json_t *x = json_array_get(v, i);
            whatif_puts(b, i ? ", " : "");
            if (all_integers)
                put_value(b, x);
            else
                put_real(b, json_number_value(x));
        }
        whatif_puts(b, "]");
    }
}

/* A key libconfig accepts as a setting name. */
static int valid_key(const char *k, size_t n)
{
    if (n == 0 || !((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return 0;
    }
    return 1;
}

int whatif_valid_text(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* The lists of named groups a path can reach into: the items are matched
 * by `name` when files merge. */
static int is_named_list(const char *parent, const char *key)
{
    return (parent[0] == '\0' && (strcmp(key, "services") == 0 || strcmp(key, "grants") == 0)) ||
           (strcmp(parent, "reserves") == 0 && strcmp(key, "earmarked") == 0);
}

/* Put value v at `path` into tree (JSON objects standing for groups; a
 * named list's items as an object keyed by name).  NULL, or what is wrong. */
static const char *tree_put(json_t *tree, const char *path, json_t *v)
{
    json_t *node = tree;
    char parent[64] = "";
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!valid_key(p, n))
            return "not a key path: keys are letters, digits, '_' and '-', joined by '.'";
        char key[64];
        if (n >= sizeof key)
            return "not a key path: a key is too long";
        memcpy(key, p, n);
        key[n] = '\0';
        if (!dot) {
            if (json_object_get(node, key))
                return "given twice (once through a longer or shorter path)";
            json_object_set(node, key, v);
            return NULL;
        }
        json_t *child = json_object_get(node, key);
        if (child && !json_is_object(child))
            return "given twice (once through a longer or shorter path)";
        if (!child) {
            child = json_object();
            json_object_set_new(node, key, child);
        }
        node = child;
        p = dot + 1;
        if (is_named_list(parent, key)) {
            /* The item's name runs to the last key ("services.adults.delivery"), or to
             * ".income." for a service's income block. */
            const char *last = strrchr(p, '.');
            const char *income = strcmp(key, "services") == 0 ? strstr(p, ".income.") : NULL;
            const char *end = income && income < last ? income : last;
            if (!end || end == p)
                return "names an item without a key: give services.NAME.KEY";
            char name[256];
            if ((size_t)(end - p) >= sizeof name)
                return "the item's name is too long";
            memcpy(name, p, (size_t)(end - p));
            name[end - p] = '\0';
            if (!whatif_valid_text(name))
                return "the item's name has a control character";
            child = json_object_get(node, name);
            if (!child) {
                child = json_object();
                json_object_set_new(node, name, child);
            }
            node = child;
            p = end + 1;
            snprintf(parent, sizeof parent, "item");
        } else {
            snprintf(parent, sizeof parent, "%s", key);
        }
    }
}

/* The group a path's last key is in, for the registry ("services",
 * "services.income", "grants", "reserves.earmarked", "economy", "council_tax",
 * "") and that key. */
static const mtfs_input_def *registry_row(const char *path)
{
    char group[64] = "";
    const char *last = strrchr(path, '.');
    const char *key = last ? last + 1 : path;
    if (strncmp(path, "services.", 9) == 0)
        snprintf(group, sizeof group, "%s", strstr(path + 9, ".income.") ? "services.income" : "services");
    else if (strncmp(path, "grants.", 7) == 0)
        snprintf(group, sizeof group, "grants");
    else if (strncmp(path, "reserves.earmarked.", 19) == 0)
        snprintf(group, sizeof group, "reserves.earmarked");
    else if (strncmp(path, "economy.", 8) == 0 && !strchr(path + 8, '.'))
        return mtfs_inputs_find("economy", "*");
    else if (last)
        snprintf(group, sizeof group, "%.*s", (int)(last - path < 63 ? last - path : 63), path);
    return mtfs_inputs_find(group, key);
}

static void write_tree(buffer *b, const json_t *node, const char *parent, int depth)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)node, key, v) {
        for (int i = 0; i < depth; i++)
            whatif_puts(b, "  ");
        whatif_puts(b, key);
        whatif_puts(b, " = ");
        if (json_is_object(v) && is_named_list(parent, key)) {
            whatif_puts(b, "(\n");
            const char *name;
            json_t *item;
            int first = 1;
            json_object_foreach(v, name, item) {
                for (int i = 0; i <= depth; i++)
                    whatif_puts(b, "  ");
                whatif_puts(b, first ? "{ name = " : ", { name = ");
                whatif_put_string(b, name);
                whatif_puts(b, ";\n");
                write_tree(b, item, "item", depth + 2);
                for (int i = 0; i <= depth; i++)
                    whatif_puts(b, "  ");
                whatif_puts(b, "}\n");
                first = 0;
            }
            for (int i = 0; i < depth; i++)
                whatif_puts(b, "  ");
            whatif_puts(b, ");\n");
        } else if (json_is_object(v)) {
            whatif_puts(b, "{\n");
            write_tree(b, v, key, depth + 1);
            for (int i = 0; i < depth; i++)
                whatif_puts(b, "  ");
            whatif_puts(b, "};\n");
        } else {
            put_value(b, v);
            whatif_puts(b, ";\n");
        }
    }
}

/* A value a what-if may give: a number, a list of numbers, true/false or a
 * text. */
static int settable_value(const json_t *v)
{
    if (json_is_number(v) || json_is_boolean(v))
        return 1;
    if (json_is_string(v))
        return whatif_valid_text(json_string_value(v));
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > MTFS_HORIZON_MAX)
        return 0;
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!json_is_number(json_array_get(v, i)))
            return 0;
    return 1;
}

/* The what-if file's text for `set` over the scenario at base_path, into
 * b: 0; else -1 with the reply (400) made. */
int whatif_file_text(const char *base_path, const json_t *set, buffer *b, http_reply *r)
{
    json_t *tree = json_object();
    const char *path;
    json_t *v;
    int bad = 0;
    json_object_foreach((json_t *)set, path, v) {
        const mtfs_input_def *d = registry_row(path);
        const char *why = NULL;
        if (!settable_value(v))
            why = "expected a number, a list of numbers (one per year), true/false or a text";
        else if (d && (d->kind == MTFS_INPUT_TEXT || d->kind == MTFS_INPUT_BLOCK))
            why = "cannot be changed from the page (only numbers, series, true/false and choices can)";
        else
            why = tree_put(tree, path, v);
        if (why) {
            http_api_error(r, 400, path, why);
            bad = 1;
            break;
        }
    }
    if (!bad) {
        whatif_puts(b, "# what-if made by mtfs serve\nbase = ");
        whatif_put_string(b, base_path);
        whatif_puts(b, ";\n");
        write_tree(b, tree, "", 0);
    }
    json_decref(tree);
    if (!bad && b->failed) {
        http_api_error(r, 500, "", "out of memory");
        bad = 1;
    }
    return bad ? -1 : 0;
}

