/*
 * test_util.c - SHA-256 (sha256.c) against the FIPS 180-4 examples, and the
 * small helpers of util.c: digit grouping, year labels, nearest names,
 * paths, %.17g and the version.
 */
#include "util.h"
#include "check.h"
#include "fixtures.h"

#include <stdlib.h>

static void test_sha256(void)
{
    mtfs_sha256 h;
    char hex[65];
    mtfs_sha256_init(&h);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    mtfs_sha256_init(&h);
    mtfs_sha256_update(&h, "abc", 3);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* FIPS 180-4 two-block example, fed in uneven pieces */
    const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    mtfs_sha256_init(&h);
    mtfs_sha256_update(&h, msg, 5);
    mtfs_sha256_update(&h, msg + 5, strlen(msg) - 5);
    mtfs_sha256_hex(&h, hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    mtfs_error err;
    CHECK(mtfs_sha256_file("tests/no/such/file", hex, &err) == MTFS_EINPUT);
}

static void test_helpers(void)
{
    char g[64];
    CHECK_STR(mtfs_group_digits(1234567.4, 0, g, sizeof g), "1,234,567");
    CHECK_STR(mtfs_group_digits(1048.02, 1, g, sizeof g), "1,048.0");
    CHECK_STR(mtfs_group_digits(-999.96, 1, g, sizeof g), "-1,000.0");
    CHECK_STR(mtfs_group_digits(-0.04, 1, g, sizeof g), "0.0");
    CHECK_STR(mtfs_group_digits(20000.0, 0, g, sizeof g), "20,000");
    char buf[16];
    CHECK_STR(mtfs_year_label(2025, buf, sizeof buf), "2025/26");
    CHECK_STR(mtfs_year_label(1999, buf, sizeof buf), "1999/00");
    CHECK(mtfs_edit_distance("pay_shar", "pay_share", 10) == 1);
    CHECK(mtfs_edit_distance("kitten", "sitting", 10) == 3);
    const char *keys[] = {"pay_share", "price_index", "demand", "growth"};
    CHECK_STR(mtfs_nearest("pay_shar", keys, 4), "pay_share");
    CHECK_STR(mtfs_nearest("demmand", keys, 4), "demand");
    CHECK(mtfs_nearest("zzzzzz", keys, 4) == NULL);
    CHECK_STR(mtfs_path_stem("scenarios/leics.cfg", buf, sizeof buf), "leics");
    char dir[64];
    CHECK_STR(mtfs_dirname("a/b/c.cfg", dir, sizeof dir), "a/b");
    CHECK_STR(mtfs_dirname("c.cfg", dir, sizeof dir), ".");
    char number[40];
    /* The shortest text that reads back to the same double, never -0. */
    CHECK_STR(mtfs_format_exact(0.1, number, sizeof number), "0.1");
    CHECK_STR(mtfs_format_exact(0.05, number, sizeof number), "0.05");
    CHECK_STR(mtfs_format_exact(-0.0, number, sizeof number), "0");
    CHECK_STR(mtfs_format_exact(0.1 + 0.2, number, sizeof number), "0.30000000000000004");
    CHECK_STR(mtfs_format_exact(1.0 / 3.0, number, sizeof number), "0.3333333333333333");
    CHECK_STR(mtfs_format_exact(-412.5, number, sizeof number), "-412.5");
    CHECK_STR(mtfs_format_exact(1e21, number, sizeof number), "1e+21");
    int misread = 0;
    for (double x = -3.0; x < 3.0; x += 0.0137) {
        mtfs_format_exact(x, number, sizeof number);
        misread += strtod(number, NULL) != x;
    }
    CHECK(misread == 0);
    CHECK_STR(mtfs_version(), MTFS_VERSION);
}

void suite_util(void)
{
    test_sha256();
    test_helpers();
}
