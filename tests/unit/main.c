/*
 * main.c - the unit-test program: runs every suite of suites.h and prints
 * the closing "unit: N passed, N failed" line that tests/run.sh adds to
 * the suite's total.  Run from the repository root (paths are relative).
 */
#include "check.h"

int main(void)
{
#define SUITE(name) suite_##name();
#include "suites.h"
#undef SUITE
    return check_summary("unit");
}
