/*
 * year.c - financial years written 2027 or 2027/28 (mtfs/year.h).
 */
#include "mtfs/year.h"

#include <stdio.h>
#include <stdlib.h>

const char *mtfs_year_scan(const char *text, int *year)
{
    char *end;
    long y = strtol(text, &end, 10);
    if (end == text || y < 1900 || y > 2200)
        return NULL;
    if (*end == '/') {
        char *end2;
        long next = strtol(end + 1, &end2, 10);
        if (end2 != end + 3 || next != (y + 1) % 100)
            return NULL;
        end = end2;
    }
    *year = (int)y;
    return end;
}

int mtfs_year_parse(const char *text, int *year)
{
    const char *end = mtfs_year_scan(text, year);
    return end && *end == '\0' ? 0 : -1;
}

char *mtfs_year_label(int first_calendar_year, char *buf, size_t size)
{
    int next = (first_calendar_year + 1) % 100;
    if (next < 0)
        next += 100;
    snprintf(buf, size, "%d/%02d", first_calendar_year, next);
    return buf;
}
