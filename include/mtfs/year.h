/*
 * mtfs/year.h - financial years: their labels and how they are written.
 *
 * A financial year runs April to March and is named by the calendar year it
 * starts in: 2025 is "2025/26".  Scenario files, conditions and options
 * write a year as 2027 or 2027/28.
 */
#ifndef MTFS_YEAR_H
#define MTFS_YEAR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Write the label of the financial year that starts in calendar year
 * `first_calendar_year` into buf, e.g. "2025/26" for 2025.  Year index t of
 * a scenario is mtfs_year_label(base_year + t, ...).  Returns buf. */
char *mtfs_year_label(int first_calendar_year, char *buf, size_t size);

/* Parse a whole string naming a financial year, "2027" or "2027/28", into
 * its first calendar year.  Returns 0, or -1 if the text is anything else. */
int mtfs_year_parse(const char *text, int *year);

/* Scan a financial year at the start of text, written 2027 or 2027/28
 * (the second part must be the next year's last two digits), 1900 to 2200.
 * Returns the first character after it, or NULL if there is none. */
const char *mtfs_year_scan(const char *text, int *year);

#ifdef __cplusplus
}
#endif
#endif
