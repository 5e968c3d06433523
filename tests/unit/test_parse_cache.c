/*
 * test_parse_cache.c - batch's cache of parsed base files (config_cache.c): a
 * scenario loaded through it is the same, byte for byte, as one loaded
 * without it, and an edit to the base or to a file it @includes is seen.
 */
#include "check.h"
#include "config.h"
#include "scenario_int.h"
#include "mtfs/projection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Load `path` through the cache and without it; both must give the same
 * files (in order) and the same projection, bit for bit.  Returns the
 * cached load's final-year gap (NaN on failure). */
static double same_both_ways(const char *path, mtfs_parse_cache *cache)
{
    mtfs_scenario *a = NULL, *b = NULL;
    mtfs_error err;
    mtfs_status sa = mtfs_scenario_load_cached(path, cache, &a, &err, NULL);
    mtfs_status sb = mtfs_scenario_load(path, &b, &err);
    double gap = 0.0 / 0.0;
    CHECK(sa == MTFS_OK && sb == MTFS_OK);
    if (sa == MTFS_OK && sb == MTFS_OK) {
        int same_files = a->n_files == b->n_files;
        for (size_t i = 0; same_files && i < a->n_files; i++)
            same_files = strcmp(a->files[i], b->files[i]) == 0;
        CHECK(same_files);
        for (size_t i = 0; !same_files && i < a->n_files + b->n_files; i++)
            fprintf(stderr, "    %s: %s\n", i < a->n_files ? "cached" : "direct",
                    i < a->n_files ? a->files[i] : b->files[i - a->n_files]);
        mtfs_projection *pa = mtfs_projection_alloc(a), *pb = mtfs_projection_alloc(b);
        if (pa && pb && mtfs_project(a, pa, &err) == MTFS_OK && mtfs_project(b, pb, &err) == MTFS_OK) {
            size_t T = mtfs_scenario_horizon(a);
            CHECK(memcmp(pa->gap, pb->gap, (T + 1) * sizeof *pa->gap) == 0);
            CHECK(memcmp(pa->reserves, pb->reserves, (T + 1) * sizeof *pa->reserves) == 0);
            gap = pa->gap[T];
        }
        mtfs_projection_free(pa);
        mtfs_projection_free(pb);
    }
    mtfs_scenario_free(a);
    mtfs_scenario_free(b);
    return gap;
}

static void test_shipped(void)
{
    mtfs_parse_cache *cache = mtfs_parse_cache_new();
    const char *files[] = {"scenarios/leics_2025_savings_70.cfg", "scenarios/leics_2025_high_inflation.cfg",
                           "scenarios/leics_2025_savings_70.cfg", "scenarios/leics_2025_central.cfg"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        same_both_ways(files[i], cache);
    /* The central file was parsed once as a base, then found three times
     * (the last load names it directly: not a base, so not looked up). */
    CHECK(mtfs_parse_cache_hits(cache) == 2);
    mtfs_parse_cache_free(cache);
}

static void test_edits_are_seen(void)
{
    char dir[] = "/tmp/mtfs-cache-test.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char base[64], part[64], child[64];
    snprintf(base, sizeof base, "%s/base.cfg", dir);
    snprintf(part, sizeof part, "%s/part.cfg", dir);
    snprintf(child, sizeof child, "%s/child.cfg", dir);
    const char *body = "name = \"base\";\nbase_year = 2030;\nhorizon = 3;\n"
                       "economy = { cpi = 0.02; pay = 0.03; };\n"
                       "services = ( { name = \"x\"; base = 300.0; pay_share = 0.3; } );\n"
                       "council_tax = { taxbase = 1000; band_d = 2000; };\n"
                       "reserves = { opening = 5; };\n";
    char text[1024];
    snprintf(text, sizeof text, "%s@include \"part.cfg\"\n", body);
    write_text(base, text);
    write_text(part, "business_rates = { base = 50.0; };\n");
    write_text(child, "base = \"base.cfg\";\nname = \"child\";\n");
    mtfs_parse_cache *cache = mtfs_parse_cache_new();
    double g1 = same_both_ways(child, cache);
    double g2 = same_both_ways(child, cache);
    CHECK(g1 == g2 && mtfs_parse_cache_hits(cache) == 1);
    /* An edit to the included file: a different base, found as such. */
    write_text(part, "business_rates = { base = 60.0; };\n");
    double g3 = same_both_ways(child, cache);
    CHECK(g3 < g1);
    CHECK(mtfs_parse_cache_hits(cache) == 1);
    /* A base without @include is known by its bytes; an edit to it too. */
    snprintf(text, sizeof text, "%sbusiness_rates = { base = 60.0; };\n", body);
    write_text(base, text);
    double g4 = same_both_ways(child, cache);
    double g5 = same_both_ways(child, cache);
    CHECK(g4 == g3 && g5 == g4 && mtfs_parse_cache_hits(cache) == 2);
    text[strlen(text) - 8] = '5';   /* base = 60.0 -> 65.0 */
    write_text(base, text);
    CHECK(same_both_ways(child, cache) < g4);
    mtfs_parse_cache_free(cache);
    remove(base);
    remove(part);
    remove(child);
    rmdir(dir);
}

void suite_parse_cache(void)
{
    test_shipped();
    test_edits_are_seen();
}
