/*
 * condition.c - parse and evaluate --fail-if conditions (mtfs/condition.h).
 *
 * A hand-written scanner: the grammar is four tokens long, and a scanner
 * lets every message say exactly which part was wrong.
 */
#include "mtfs/condition.h"
#include "mtfs/year.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const quantity_names[] = {"gap", "reserves", "covid_pressure", "cumulative_gap",
                                             "final_gap", "below_minimum_year", "exhausted_year"};
#define EXPECTED_QUANTITIES                                                                    \
    "gap[YEAR], reserves[YEAR], covid_pressure[YEAR], cumulative_gap, final_gap, "            \
    "below_minimum_year or exhausted_year"

/* A year quantity: compared with a year, or "none", and taking no [YEAR]. */
static int is_year_quantity(mtfs_quantity q)
{
    return q == MTFS_QUANTITY_BELOW_MINIMUM_YEAR || q == MTFS_QUANTITY_EXHAUSTED_YEAR;
}

static mtfs_status bad(const char *text, mtfs_error *err, const char *fmt, const char *detail)
{
    char what[512];
    snprintf(what, sizeof what, fmt, detail);
    return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL, "condition '%s': %s", text, what);
}

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

mtfs_status mtfs_condition_parse(const char *text, mtfs_condition *out, mtfs_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->text, sizeof out->text, "%s", text);
    const char *p = skip_space(text);

    char name[64];
    size_t n = 0;
    while ((isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof name)
        name[n++] = *p++;
    name[n] = '\0';
    if (n == 0)
        return bad(text, err, "expected a quantity: %s", EXPECTED_QUANTITIES);
    size_t q = 0;
    while (q < sizeof quantity_names / sizeof quantity_names[0] && strcmp(name, quantity_names[q]) != 0)
        q++;
    /* The old name meant "below the minimum" and read as "run out": it is
     * refused, not given either meaning silently. */
    if (strcmp(name, "exhaustion_year") == 0)
        return bad(text, err, "%s",
                   "'exhaustion_year' is no longer a quantity: use below_minimum_year (the first "
                   "year reserves fall below the minimum) or exhausted_year (the first year they "
                   "fall below zero)");
    if (q == sizeof quantity_names / sizeof quantity_names[0]) {
        const char *near = mtfs_nearest(name, quantity_names, q);
        char detail[160];
        snprintf(detail, sizeof detail, "'%s'%s%s%s", name, near ? " (did you mean '" : "",
                 near ? near : "", near ? "'?)" : "");
        return bad(text, err, "unknown quantity %s; expected " EXPECTED_QUANTITIES, detail);
    }
    out->quantity = (mtfs_quantity)q;

    p = skip_space(p);
    if (*p == '[') {
        if (out->quantity == MTFS_QUANTITY_FINAL_GAP || is_year_quantity(out->quantity))
            return bad(text, err, "%s takes no year", quantity_names[q]);
        p = mtfs_year_scan(skip_space(p + 1), &out->year);
        if (!p)
            return bad(text, err, "%s", "expected a year such as 2028 or 2028/29 inside [ ]");
        p = skip_space(p);
        if (*p != ']')
            return bad(text, err, "%s", "expected ']' after the year");
        p = skip_space(p + 1);
    } else if (out->quantity <= MTFS_QUANTITY_COVID_PRESSURE) {
        return bad(text, err, "%s needs a year, e.g. gap[2028]", quantity_names[q]);
    }

    static const struct { const char *text; mtfs_operator op; } ops[] = {
        {"<=", MTFS_OP_LE}, {">=", MTFS_OP_GE}, {"==", MTFS_OP_EQ}, {"<", MTFS_OP_LT}, {">", MTFS_OP_GT}};
    size_t k = 0;
    while (k < 5 && strncmp(p, ops[k].text, strlen(ops[k].text)) != 0)
        k++;
    if (k == 5 || (p[strlen(ops[k].text)] && strchr("<>=!", p[strlen(ops[k].text)]))) {
        char got[16];
        snprintf(got, sizeof got, "%.*s", (int)strcspn(p, " \t0123456789.-+"), p);
        return bad(text, err, "expected an operator <, <=, >, >= or == (found '%s')", got);
    }
    out->op = ops[k].op;
    p = skip_space(p + strlen(ops[k].text));

    if (is_year_quantity(out->quantity) && strncmp(p, "none", 4) == 0) {
        out->value = INFINITY;
        p += 4;
    } else if (is_year_quantity(out->quantity)) {
        int year;
        const char *end = mtfs_year_scan(p, &year);
        if (!end)
            return bad(text, err, "%s", "expected a year such as 2027 or 2027/28, or none");
        out->value = year;
        p = end;
    } else {
        char *end;
        out->value = strtod(p, &end);
        if (end == p || !isfinite(out->value))
            return bad(text, err, "%s", "expected a number of £m after the operator");
        p = end;
    }
    p = skip_space(p);
    if (*p)
        return bad(text, err, "unexpected '%s' after the condition", p);
    return MTFS_OK;
}

char *mtfs_condition_subject(const mtfs_condition *c, char *buf, size_t size)
{
    if (c->year)
        snprintf(buf, size, "%s[%d]", quantity_names[c->quantity], c->year);
    else
        snprintf(buf, size, "%s", quantity_names[c->quantity]);
    return buf;
}

mtfs_status mtfs_condition_eval(const mtfs_condition *c, const mtfs_projection *p, int *holds,
                                double *actual, mtfs_error *err)
{
    size_t t = p->horizon;
    if (c->year) {
        long index = (long)c->year - (long)p->base_year;
        if (index < 1 || (size_t)index > p->horizon) {
            char first[16], last[16];
            return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                                  "condition '%s': the scenario projects %s to %s (expected a year "
                                  "in that range)", c->text,
                                  mtfs_year_label(p->base_year + 1, first, sizeof first),
                                  mtfs_year_label(p->base_year + (int)p->horizon, last, sizeof last));
        }
        t = (size_t)index;
    }
    double v = 0.0;
    switch (c->quantity) {
    case MTFS_QUANTITY_GAP: v = p->gap[t]; break;
    case MTFS_QUANTITY_RESERVES: v = p->reserves[t]; break;
    case MTFS_QUANTITY_COVID_PRESSURE: v = p->covid_pressure[t]; break;
    case MTFS_QUANTITY_CUMULATIVE_GAP: v = p->cumulative_gap[t]; break;
    case MTFS_QUANTITY_FINAL_GAP: v = p->gap[p->horizon]; break;
    case MTFS_QUANTITY_BELOW_MINIMUM_YEAR:
        v = p->below_minimum_index ? (double)(p->base_year + (int)p->below_minimum_index) : INFINITY;
        break;
    case MTFS_QUANTITY_EXHAUSTED_YEAR:
        v = p->exhausted_index ? (double)(p->base_year + (int)p->exhausted_index) : INFINITY;
        break;
    }
    switch (c->op) {
    case MTFS_OP_LT: *holds = v < c->value; break;
    case MTFS_OP_LE: *holds = v <= c->value; break;
    case MTFS_OP_GT: *holds = v > c->value; break;
    case MTFS_OP_GE: *holds = v >= c->value; break;
    /* £m computed through many steps never equal a decimal written in a
     * condition to the last bit; a billionth (relative) is equality. */
    case MTFS_OP_EQ:
        *holds = v == c->value || (isfinite(v) && isfinite(c->value) &&
                                   fabs(v - c->value) <= 1e-9 * fmax(1.0, fabs(c->value)));
        break;
    }
    *actual = v;
    return MTFS_OK;
}
