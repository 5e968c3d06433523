/*
 * suites.h - every unit-test suite, one line per tests/unit/test_NAME.c
 * (which defines void suite_NAME(void)), in the order main.c runs them.
 * Included by check.h (the prototypes) and main.c (the calls); no guard.
 */
SUITE(projection)
SUITE(income)
SUITE(capital)
SUITE(scenario)
SUITE(inputs)
SUITE(error)
SUITE(error_list)
SUITE(calibration)
SUITE(bridge)
SUITE(sensitivity)
SUITE(condition)
SUITE(mc)
SUITE(tornado)
SUITE(goalseek)
SUITE(formula)
SUITE(rank)
SUITE(brief)
SUITE(plot)
SUITE(plot_layout)
SUITE(bridge_difference)
SUITE(plot_charts)
SUITE(plot_rules)
SUITE(writers)
SUITE(util)
SUITE(year)
SUITE(helpers)
SUITE(newcomer)
/* Last: the allocation sweeps are the slowest suite. */
SUITE(faults)
