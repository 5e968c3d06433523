/*
 * test_year.c - financial years (year.c): labels, whole-string parsing and
 * scanning at the start of a text.
 */
#include "mtfs/year.h"
#include "check.h"

static void test_label(void)
{
    char buf[16];
    CHECK_STR(mtfs_year_label(2025, buf, sizeof buf), "2025/26");
    CHECK_STR(mtfs_year_label(1999, buf, sizeof buf), "1999/00");
    CHECK_STR(mtfs_year_label(2009, buf, sizeof buf), "2009/10");
}

static void test_parse(void)
{
    int y = 0;
    CHECK(mtfs_year_parse("2027", &y) == 0 && y == 2027);
    CHECK(mtfs_year_parse("2027/28", &y) == 0 && y == 2027);
    CHECK(mtfs_year_parse("1999/00", &y) == 0 && y == 1999);
    CHECK(mtfs_year_parse("2027/29", &y) == -1);   /* not the next year */
    CHECK(mtfs_year_parse("2027/8", &y) == -1);    /* two digits after the slash */
    CHECK(mtfs_year_parse("2027 ", &y) == -1);     /* the whole string */
    CHECK(mtfs_year_parse("1899", &y) == -1);
    CHECK(mtfs_year_parse("2201", &y) == -1);
    CHECK(mtfs_year_parse("", &y) == -1);
}

static void test_scan(void)
{
    int y = 0;
    const char *text = "2028/29 <= 0";
    const char *end = mtfs_year_scan(text, &y);
    CHECK(end == text + 7 && y == 2028);
    text = "2030]";
    end = mtfs_year_scan(text, &y);
    CHECK(end == text + 4 && y == 2030);
    CHECK(mtfs_year_scan("gap", &y) == NULL);
    CHECK(mtfs_year_scan("2030/32", &y) == NULL);
}

void suite_year(void)
{
    test_label();
    test_parse();
    test_scan();
}
