/*
 * test_newcomer.c - what issue 15's walk-through found, where a unit test
 * says it best: the one table number formatter (grouped digits, never -0,
 * float noise is no change) and docs/scenario-format.md documenting every
 * group of the input registry, so a new county's scenario can be written
 * from that page alone; and the fan chart's year 0, which has a spread of
 * its own when the opening reserves are uncertain.
 */
#include "util.h"
#include "check.h"
#include "fixtures.h"
#include "mtfs/inputs.h"
#include "mtfs/montecarlo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_table_number(void)
{
    char b[64];
    CHECK_STR(mtfs_format_table_number(-2.2737367544323206e-13, 1, 1, b, sizeof b), "0.0");
    CHECK_STR(mtfs_format_table_number(-0.04999, 1, 0, b, sizeof b), "0.0");
    CHECK_STR(mtfs_format_table_number(-0.0, 1, 1, b, sizeof b), "0.0");
    CHECK_STR(mtfs_format_table_number(0.04, 1, 1, b, sizeof b), "0.0");
    CHECK_STR(mtfs_format_table_number(12.34, 1, 1, b, sizeof b), "+12.3");
    CHECK_STR(mtfs_format_table_number(-7.04, 1, 1, b, sizeof b), "-7.0");
    CHECK_STR(mtfs_format_table_number(999.94, 1, 0, b, sizeof b), "999.9");
    CHECK_STR(mtfs_format_table_number(999.96, 1, 0, b, sizeof b), "1,000.0");
    CHECK_STR(mtfs_format_table_number(14704.5, 1, 0, b, sizeof b), "14,704.5");
    CHECK_STR(mtfs_format_table_number(1904.3, 1, 1, b, sizeof b), "+1,904.3");
    CHECK_STR(mtfs_format_table_number(-1234567.0, 1, 1, b, sizeof b), "-1,234,567.0");
    CHECK_STR(mtfs_format_table_number(1601.75, 2, 0, b, sizeof b), "1,601.75");
    CHECK_STR(mtfs_format_table_number(154480.2, 0, 0, b, sizeof b), "154,480");
    CHECK_STR(mtfs_format_table_number(-0.4, 0, 1, b, sizeof b), "0");
    /* Sentences: the same grouping, the sign before the £. */
    CHECK_STR(mtfs_format_money(14704.46, b, sizeof b), "£14,704.5m");
    CHECK_STR(mtfs_format_money(-5.0, b, sizeof b), "-£5.0m");
    CHECK_STR(mtfs_format_money(-0.04, b, sizeof b), "£0.0m");
    CHECK_STR(mtfs_format_money(-1234.56, b, sizeof b), "-£1,234.6m");
    CHECK_STR(mtfs_format_money_change(1904.3, b, sizeof b), "+£1,904.3m");
    CHECK_STR(mtfs_format_money_change(-2.27e-13, b, sizeof b), "£0.0m");
}

/* The text of docs/scenario-format.md (the tests run from the root). */
static char *read_page(void)
{
    FILE *f = fopen("docs/scenario-format.md", "rb");
    if (!f)
        return NULL;
    static char text[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *copy = malloc(n + 1);
    if (copy)
        memcpy(copy, text, n + 1);
    return copy;
}

/* The page's section that starts at `heading` (a line), to the next "## ";
 * NULL when there is none. */
static const char *section(const char *page, const char *heading, size_t *len)
{
    const char *at = strstr(page, heading);
    if (!at)
        return NULL;
    const char *end = strstr(at + strlen(heading), "\n## ");
    *len = end ? (size_t)(end - at) : strlen(at);
    return at;
}

static int in_table(const char *text, size_t len, const char *key)
{
    char cell[96];
    snprintf(cell, sizeof cell, "| `%s` |", key);
    const char *at = strstr(text, cell);
    return at && (size_t)(at - text) < len;
}

static void test_every_group_documented(void)
{
    char *page = read_page();
    CHECK(page != NULL);
    if (!page)
        return;
    size_t top_len = 0;
    const char *top = section(page, "\n## Top level\n", &top_len);
    CHECK(top != NULL);
    for (size_t i = 0; top && i < mtfs_inputs_count(); i++) {
        const mtfs_input_def *d = mtfs_inputs_at(i);
        char what[160];
        if (d->group[0] == '\0') {
            /* Every top-level key is a row of the Top level table. */
            int ok = in_table(top, top_len, d->key);
            snprintf(what, sizeof what, "top-level key '%s' in the Top level table", d->key);
            check_report(ok, __FILE__, __LINE__, "in_table(top, key)", what);
            continue;
        }
        /* Every key of a group is a row of its section's table (a
         * service's income: its own subsection; uncertainty: its page). */
        if (strcmp(d->group, "uncertainty") == 0 || strcmp(d->group, "economy") == 0)
            continue;
        char heading[96];
        if (strcmp(d->group, "services.income") == 0)
            snprintf(heading, sizeof heading, "\n### A service's `income`");
        else if (strcmp(d->group, "fair_funding.prices") == 0)
            snprintf(heading, sizeof heading, "\n### `fair_funding.prices`");
        else
            snprintf(heading, sizeof heading, "\n## `%s`", d->group);
        size_t len = 0;
        const char *at = section(page, heading, &len);
        int ok = at && in_table(at, len, d->key);
        snprintf(what, sizeof what, "key '%s' of group '%s' in its section's table", d->key, d->group);
        check_report(ok, __FILE__, __LINE__, "in_table(section, key)", what);
    }
    free(page);
}

/* Opening reserves normal(200, 10) over tests/good/mc/base.cfg: year 0's
 * reserves percentiles are the normal's (5th 200 - 1.645 * 10), to four
 * standard errors of a sample percentile of 20,000 paths (0.6); without an
 * uncertain opening every path opens at the plan's 200. */
static void test_opening_spread(void)
{
    char cwd[4096], dir[] = "/tmp/mtfs-newcomer.XXXXXX", path[4200];
    if (!getcwd(cwd, sizeof cwd) || !mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    snprintf(path, sizeof path, "%s/opening.cfg", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "base = \"%s/tests/good/mc/base.cfg\";\nuncertainty = { seed = 3; paths = 20000;\n"
               "  parameters = ( { key = \"reserves.opening\"; dist = \"normal\"; sd = 10.0; } ); };\n",
            cwd);
    fclose(f);
    const char *files[2] = {path, "tests/good/mc/normal.cfg"};
    for (int k = 0; k < 2; k++) {
        mtfs_scenario *s = load(files[k]);
        mtfs_mc_result *r = NULL;
        mtfs_error err;
        CHECK(s != NULL);
        if (s && mtfs_mc_run(s, NULL, &r, &err) == MTFS_OK) {
            size_t W = r->horizon + 1;
            double p5 = r->reserves_pct[0], p50 = r->reserves_pct[3 * W], p95 = r->reserves_pct[6 * W];
            if (k == 0) {
                CHECK_CLOSE(p5, 200.0 - 16.448536269514722, 0.0, 0.6);
                CHECK_CLOSE(p50, 200.0, 0.0, 0.6);
                CHECK_CLOSE(p95, 200.0 + 16.448536269514722, 0.0, 0.6);
                CHECK_CLOSE(r->reserves_mean[0], 200.0, 0.0, 0.3);
            } else {
                CHECK(p5 == p95 && p5 == r->deterministic->reserves[0]);
            }
        } else {
            CHECK(0);
        }
        mtfs_mc_result_free(r);
        mtfs_scenario_free(s);
    }
    remove(path);
    rmdir(dir);
}

void suite_newcomer(void)
{
    test_table_number();
    test_every_group_documented();
    test_opening_spread();
}
