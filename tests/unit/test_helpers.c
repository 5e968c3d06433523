/*
 * test_helpers.c - the small helpers where the same lines used to repeat:
 * the out-of-memory error, growing arrays, money formats and the listing
 * of a folder's scenario files.
 */
#include "mtfs/input.h"
#include "util.h"
#include "check.h"

#include <string.h>

static void test_oom(void)
{
    mtfs_error err;
    CHECK(mtfs_error_oom(&err, "a.cfg") == MTFS_ENOMEM);
    CHECK(err.status == MTFS_ENOMEM && err.line == 0 && err.key[0] == '\0');
    CHECK_STR(err.file, "a.cfg");
    CHECK_STR(err.message, "out of memory");
    CHECK(mtfs_error_oom(&err, NULL) == MTFS_ENOMEM && err.file[0] == '\0');
    CHECK(mtfs_error_oom(NULL, NULL) == MTFS_ENOMEM);
}

static void test_grow(void)
{
    int *a = NULL;
    size_t cap = 0, n = 0;
    for (; n < 100; n++) {
        if (mtfs_grow(&a, &cap, n, sizeof *a, 4) != 0)
            break;
        a[n] = (int)n;
    }
    CHECK(n == 100 && cap == 128 && a[99] == 99);
    /* A failed allocation leaves the array as it was. */
    size_t before = cap;
    mtfs_alloc_fail_after(1);
    CHECK(mtfs_grow(&a, &cap, cap, sizeof *a, 4) == -1);
    mtfs_alloc_fail_after(0);
    CHECK(cap == before && a[99] == 99);
    mtfs_free(a);
}

static void test_money(void)
{
    char b[32];
    CHECK_STR(mtfs_format_money(12.34, b, sizeof b), "£12.3m");
    CHECK_STR(mtfs_format_money(-7.36, b, sizeof b), "-£7.4m");
    CHECK_STR(mtfs_format_money(-0.04, b, sizeof b), "£0.0m");
    /* Values in their unit, never "-0". */
    CHECK_STR(mtfs_format_unit(0.0425, MTFS_UNIT_SHARE, b, sizeof b), "4.25%");
    CHECK_STR(mtfs_format_unit(-0.00001, MTFS_UNIT_SHARE, b, sizeof b), "0.00%");
    CHECK_STR(mtfs_format_unit(55.81, MTFS_UNIT_MONEY, b, sizeof b), "£55.8m");
    CHECK_STR(mtfs_format_unit(1634.031, MTFS_UNIT_POUNDS, b, sizeof b), "£1,634.03");
    CHECK_STR(mtfs_format_unit(283410.4, MTFS_UNIT_COUNT, b, sizeof b), "283,410");
    CHECK(mtfs_text_pad("£1.0m", 12) == 13);
    CHECK_STR(mtfs_format_money_change(12.34, b, sizeof b), "+£12.3m");
    CHECK_STR(mtfs_format_money_change(-4.0, b, sizeof b), "-£4.0m");
    CHECK_STR(mtfs_format_money_change(0.049, b, sizeof b), "£0.0m");
}

static void test_list_cfg(void)
{
    char **names;
    size_t n;
    mtfs_error err;
    CHECK(mtfs_input_list_cfg("tests/good/inherit", "cannot open", &names, &n, &err) == MTFS_OK);
    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(strncmp(names[i], "tests/good/inherit/", 19) == 0);
        CHECK(strcmp(names[i] + strlen(names[i]) - 4, ".cfg") == 0);
        if (i)
            CHECK(strcmp(names[i - 1], names[i]) < 0);
    }
    mtfs_input_list_free(names, n);
    CHECK(mtfs_input_list_cfg("tests/no/such/dir", "cannot open it", &names, &n, &err) == MTFS_EINPUT);
    CHECK(n == 0 && names == NULL);
    CHECK_STR(err.message, "cannot open it");
}

void suite_helpers(void)
{
    test_oom();
    test_grow();
    test_money();
    test_list_cfg();
}
