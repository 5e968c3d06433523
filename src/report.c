/*
 * report.c - the projection as a table for people, CSV for programs, and
 * JSON metadata saying where a result came from.
 *
 * Tables show £m to one decimal with years as financial years (2025/26);
 * CSV carries every number in its shortest exact form (mtfs_format_exact),
 * so it reads back bit-exactly.
 *
 * Every writer writes through a checked output (checked.h, defined at the
 * end of this file): each number it prints passes mtfs_out_num, and the
 * text reaches the stream only if all of them were finite.  A NaN or an
 * infinity is an error naming the quantity, never printed.
 */
#include "mtfs/report.h"
#include "mtfs/columns.h"
#include "mtfs/version.h"
#include "mtfs/sha256.h"
#include "checked.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Checked output (checked.h)                                              */

mtfs_status mtfs_out_begin(mtfs_out *o, FILE *out, mtfs_error *err)
{
    memset(o, 0, sizeof *o);
    o->out = out;
    o->f = open_memstream(&o->text, &o->len);
    if (!o->f)
        return mtfs_error_oom(err, NULL);
    return MTFS_OK;
}

double mtfs_out_num(mtfs_out *o, double x, const char *what, ...)
{
    if (isfinite(x))
        return x;
    if (!o->bad[0]) {
        va_list ap;
        va_start(ap, what);
        vsnprintf(o->bad, sizeof o->bad, what, ap);
        va_end(ap);
        if (!o->bad[0])
            snprintf(o->bad, sizeof o->bad, "a number");
        /* It may name an authority by a data cell: one line, and UTF-8 even
         * where the buffer cut it. */
        for (char *c = o->bad; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7F)
                *c = '?';
        o->bad[mtfs_utf8_prefix(o->bad, strlen(o->bad))] = '\0';
    }
    return 0.0;
}

mtfs_status mtfs_out_end(mtfs_out *o, mtfs_error *err)
{
    int failed = ferror(o->f) != 0;
    failed |= fclose(o->f) != 0;
    mtfs_status st = MTFS_OK;
    if (failed)
        st = mtfs_error_oom(err, NULL);
    else if (o->bad[0])
        st = mtfs_error_set(err, MTFS_ENUMERIC, NULL, 0, NULL,
                            "%s is not a finite number (the inputs make it overflow); nothing was "
                            "written", o->bad);
    else if (o->len && fwrite(o->text, 1, o->len, o->out) != o->len)
        st = mtfs_error_set(err, MTFS_EIO, NULL, 0, NULL, "cannot write output");
    free(o->text);   /* the memory stream's buffer, from the C library */
    o->text = NULL;
    return st == MTFS_OK ? mtfs_stream_status(o->out, err) : st;
}

void mtfs_out_discard(mtfs_out *o)
{
    fclose(o->f);
    free(o->text);
    o->text = NULL;
}

/* A number for the output: x when finite, else 0 and the output refused. */
#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

#define LABEL_WIDTH 32
#define COLUMN_WIDTH 10
#define YEARS_PER_BLOCK 8

/* Print a number rounded to one decimal; "-0.0" reads as a sign error to a
 * finance officer, so it is shown as 0.0. */
static void money_cell(FILE *out, double x)
{
    char n[64];
    fprintf(out, "%*s", COLUMN_WIDTH, mtfs_format_table_number(round(x * 10.0) / 10.0, 1, 0, n, sizeof n));
}

/* A table number in `width` columns (mtfs_format_table_number). */
static void table_cell(FILE *out, int width, double x, int plus)
{
    char n[64];
    fprintf(out, "%*s", width, mtfs_format_table_number(x, 1, plus, n, sizeof n));
}

/* One row of the run table: column c for years from..to. */
static void row(FILE *out, mtfs_out *o, int base_year, const mtfs_column *c, const char *label,
                const double *v, size_t from, size_t to, const char *on, const char *off)
{
    char year[16];
    fprintf(out, "%s%-*s", on, LABEL_WIDTH, label);
    for (size_t t = from; t <= to; t++) {
        double x = NUM(v[t], "%s in %s", mtfs_column_name(c),
                       mtfs_year_label(base_year + (int)t, year, sizeof year));
        if (c->unit == MTFS_UNIT_SHARE) {
            double r = round(x * 1000.0) / 10.0;
            fprintf(out, "%*.1f%%", COLUMN_WIDTH - 1, r == 0.0 ? 0.0 : r);
        } else {
            money_cell(out, x);
        }
    }
    fprintf(out, "%s\n", off);
}

static void rule(FILE *out, size_t columns)
{
    size_t width = LABEL_WIDTH + COLUMN_WIDTH * columns;
    for (size_t i = 0; i < width; i++)
        fputc('-', out);
    fputc('\n', out);
}

static void reserves_verdict(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_projection *p)
{
    char label[16], last[16], a[32], b[32];
    size_t T = p->horizon;
    /* With earmarked reserves `reserves` is the general fund, and running
     * out means usable reserves (model.md section 11): named apart. */
    int split = mtfs_scenario_earmarked_count(s) > 0;
    const char *subject = split ? "The general fund" : "Reserves";
    mtfs_year_label(p->base_year + (int)T, last, sizeof last);
    if (p->below_minimum_index == 0) {
        fprintf(out, "%s stay%s above the minimum in every year to %s, closing at %s.\n", subject,
                split ? "s" : "", last,
                mtfs_format_money(NUM(p->reserves[T], "reserves in %s", last), a, sizeof a));
        return;
    }
    size_t t = p->below_minimum_index, empty = p->exhausted_index;
    mtfs_year_label(p->base_year + (int)t, label, sizeof label);
    double reserves = NUM(p->reserves[t], "reserves in %s", label);
    if (p->minimum_reserves[t] <= 0.0 && !split) {
        fprintf(out, "Reserves run out in %s, closing that year at %s.\n", label,
                mtfs_format_money(reserves, b, sizeof b));
        return;
    }
    fprintf(out, "%s fall%s below the %s minimum in %s, closing that year at %s", subject, split ? "s" : "",
            mtfs_format_money(NUM(p->minimum_reserves[t], "minimum reserves in %s", label), a, sizeof a), label,
            mtfs_format_money(reserves, b, sizeof b));
    if (empty)
        fprintf(out, "; %s run out in %s", split ? "usable reserves (general fund and earmarked)" : "they",
                mtfs_year_label(p->base_year + (int)empty, label, sizeof label));
    else if (split)
        fprintf(out, "; usable reserves (general fund and earmarked) stay above zero");
    fprintf(out, ".\n");
}

static void write_table(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_projection *p,
                        unsigned options)
{
    const char *bold = (options & MTFS_TABLE_COLOUR) ? "\033[1m" : "";
    const char *plain = (options & MTFS_TABLE_COLOUR) ? "\033[0m" : "";
    char label[16];
    size_t T = p->horizon;

    fprintf(out, "%s\n", mtfs_scenario_name(s));
    fprintf(out, "Scenario file %s; base year %s; projection in £m.\n", mtfs_scenario_file(s, 0),
            mtfs_year_label(p->base_year, label, sizeof label));
    for (size_t from = 1; from <= T; from += YEARS_PER_BLOCK) {
        size_t to = from + YEARS_PER_BLOCK - 1 < T ? from + YEARS_PER_BLOCK - 1 : T;
        fprintf(out, "\n%-*s", LABEL_WIDTH, "£m");
        for (size_t t = from; t <= to; t++)
            fprintf(out, "%*s", COLUMN_WIDTH, mtfs_year_label(p->base_year + (int)t, label, sizeof label));
        fputc('\n', out);
        rule(out, to - from + 1);
        const mtfs_column *c;
        for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_TABLE, n)); n++) {
            if (!mtfs_column_shown(c, s))
                continue;
            int total = (c->style & MTFS_COLUMN_TOTAL) != 0;
            if (total)
                rule(out, to - from + 1);
            row(out, o, p->base_year, c, mtfs_column_label(c, s), mtfs_column_values(c, p), from, to, total ? bold : "",
                total ? plain : "");
            if (total)
                rule(out, to - from + 1);
        }
    }
    fputc('\n', out);
    char a[32], b[32];
    mtfs_year_label(p->base_year + (int)T, label, sizeof label);
    fprintf(out, "Funding gap in %s: %s; opening %s %s", label,
            mtfs_format_money(NUM(p->gap[T], "funding gap in %s", label), a, sizeof a),
            p->n_earmarked ? "general fund" : "reserves",
            mtfs_format_money(NUM(p->reserves[0], "opening reserves"), b, sizeof b));
    if (p->n_earmarked)
        fprintf(out, ", earmarked reserves %s",
                mtfs_format_money(NUM(p->earmarked[0], "opening earmarked reserves"), b, sizeof b));
    fputs(".\n", out);
    reserves_verdict(out, o, s, p);
    fprintf(out, "A 1%% council-tax rise in %s raises %s.\n",
            mtfs_year_label(p->base_year + 1, label, sizeof label),
            mtfs_format_money(NUM(p->council_tax_per_percent, "what a 1%% council-tax rise raises"), a, sizeof a));
    if (p->referendum_index) {
        size_t t = p->referendum_index;
        mtfs_year_label(p->base_year + (int)t, label, sizeof label);
        fprintf(out, "Council-tax rise of %.2f%% in %s is above the referendum limit: this scenario "
                "assumes a referendum is held and won.\n",
                100.0 * NUM(p->council_tax_rise[t], "council-tax rise in %s", label), label);
    }
}

mtfs_status mtfs_report_table(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                              unsigned options, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_table(o.f, &o, s, p, options);
    return mtfs_out_end(&o, err);
}


/* ",x" in its shortest exact form; `what` and `year` name x if it is not finite. */
static void csv_number(FILE *out, mtfs_out *o, double x, const char *what, const char *year)
{
    char buf[40];
    fputc(',', out);
    fputs(mtfs_format_exact(NUM(x, "%s in %s", what, year), buf, sizeof buf), out);
}

/* The run CSV: year, label, then every column of the data view. */
static void write_csv(FILE *out, mtfs_out *o, const mtfs_projection *p)
{
    const mtfs_column *c;
    fputs("year,label", out);
    for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++)
        if (mtfs_column_carried(c, p))
            fprintf(out, ",%s", c->key);
    fputc('\n', out);
    for (size_t t = 1; t <= p->horizon; t++) {
        char label[16];
        int year = p->base_year + (int)t;
        fprintf(out, "%d,%s", year, mtfs_year_label(year, label, sizeof label));
        for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++)
            if (mtfs_column_carried(c, p))
                csv_number(out, o, mtfs_column_values(c, p)[t], c->key, label);
        fputc('\n', out);
    }
}

mtfs_status mtfs_report_csv(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                            mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_csv(o.f, &o, p);
    (void)s;
    return mtfs_out_end(&o, err);
}

static void write_services_csv(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_projection *p)
{
    const mtfs_service_column *c;
    fputs("service,year,label", out);
    for (size_t n = 0; (c = mtfs_service_column_nth(n)); n++)
        fprintf(out, ",%s", c->key);
    fputc('\n', out);
    for (size_t i = 0; i < p->n_services; i++) {
        for (size_t t = 1; t <= p->horizon; t++) {
            char label[16];
            int year = p->base_year + (int)t;
            mtfs_csv_text(out, mtfs_scenario_service_name(s, i));
            fprintf(out, ",%d,%s", year, mtfs_year_label(year, label, sizeof label));
            for (size_t n = 0; (c = mtfs_service_column_nth(n)); n++) {
                char what[64];
                snprintf(what, sizeof what, "%s a service", c->what);
                csv_number(out, o, mtfs_service_column_value(c, p, i, t), what, label);
            }
            fputc('\n', out);
        }
    }
}

mtfs_status mtfs_report_services_csv(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                     mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_services_csv(o.f, &o, s, p);
    return mtfs_out_end(&o, err);
}

/* ------------------------------------------------------------------ */
/* Bridge, sensitivity, comparison                                     */

/* x has passed NUM already. */
static void signed_money(FILE *out, int width, double x)
{
    table_cell(out, width, round(x * 10.0) / 10.0, 1);
}

static void write_bridge_table(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_bridge *b)
{
    char base[16], year[16];
    int y0 = mtfs_scenario_base_year(s);
    mtfs_year_label(y0, base, sizeof base);
    mtfs_year_label(y0 + (int)b->year_index, year, sizeof year);
    fprintf(out, "%s\nGap bridge from the %s budget to the %s gap, £m\n\n", mtfs_scenario_name(s),
            base, year);
    /* "balanced" only when it is; otherwise the imbalance is the next line,
     * an item of the bridge like any other (docs/model.md, section 5). */
    int balanced = mtfs_bridge_base_balanced(b);
    fprintf(out, "%-44s ", balanced ? "Base-year budget (balanced)" : "Base-year budget");
    table_cell(out, 10, NUM(b->base_budget, "base-year budget"), 0);
    fputc('\n', out);
    if (!balanced) {
        fprintf(out, "%-44s ", mtfs_bridge_label(MTFS_BRIDGE_BASE_BALANCE));
        signed_money(out, 10, NUM(b->item[MTFS_BRIDGE_BASE_BALANCE], "bridge item '%s'",
                                  mtfs_bridge_key(MTFS_BRIDGE_BASE_BALANCE)));
        fputc('\n', out);
    }
    const char *side[2] = {"Spending", "Funding"};
    for (int funding = 0; funding <= 1; funding++) {
        fprintf(out, "%s\n", side[funding]);
        for (int i = 0; i < MTFS_BRIDGE_N; i++) {
            if (i == MTFS_BRIDGE_BASE_BALANCE || mtfs_bridge_is_funding((mtfs_bridge_item)i) != funding ||
                !mtfs_bridge_item_shown(b, (mtfs_bridge_item)i))
                continue;
            fprintf(out, "  %-42s ", mtfs_bridge_label((mtfs_bridge_item)i));
            signed_money(out, 10, NUM(b->item[i], "bridge item '%s'", mtfs_bridge_key((mtfs_bridge_item)i)));
            fputc('\n', out);
        }
    }
    for (int i = 0; i < 55; i++)
        fputc('-', out);
    fprintf(out, "\n%-44s ", "Funding gap");
    table_cell(out, 10, NUM(b->gap, "funding gap of the bridge"), 0);
    fputc('\n', out);
    if (b->has_dsg) {
        fprintf(out, "%-44s ", "High-needs deficit charged to reserves");
        table_cell(out, 10, NUM(b->dsg_reserves, "high-needs deficit charged to reserves"), 0);
        fputc('\n', out);
    }
    /* The council's own summary of the same items (docs/model.md section 5). */
    fputs("\nCosts against income and savings\n", out);
    if (!balanced) {
        fprintf(out, "  %-42s ", mtfs_bridge_label(MTFS_BRIDGE_BASE_BALANCE));
        signed_money(out, 10, b->item[MTFS_BRIDGE_BASE_BALANCE]);
        fputc('\n', out);
    }
    fprintf(out, "  %-42s ", "Costs");
    signed_money(out, 10, NUM(mtfs_bridge_group_total(b, MTFS_BRIDGE_GROUP_COSTS), "bridge costs"));
    fprintf(out, "\n  %-42s ", "Income and savings");
    signed_money(out, 10, NUM(mtfs_bridge_group_total(b, MTFS_BRIDGE_GROUP_INCOME_SAVINGS),
                              "bridge income and savings"));
    fputc('\n', out);
}

mtfs_status mtfs_report_bridge_table(FILE *out, const mtfs_scenario *s, const mtfs_bridge *b,
                                     mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_bridge_table(o.f, &o, s, b);
    return mtfs_out_end(&o, err);
}

static void write_bridge_csv(FILE *out, mtfs_out *o, const mtfs_bridge *b)
{
    char number[40];
    fputs("item,label,side,value\n", out);
    fprintf(out, "base_budget,Base-year budget,base,%s\n",
            mtfs_format_exact(NUM(b->base_budget, "base-year budget"), number, sizeof number));
    for (int i = 0; i < MTFS_BRIDGE_N; i++) {
        if (!mtfs_bridge_item_shown(b, (mtfs_bridge_item)i))
            continue;
        /* A label may hold a comma ("Covid grants, net of deficits"): quoted. */
        fprintf(out, "%s,", mtfs_bridge_key((mtfs_bridge_item)i));
        mtfs_csv_text(out, mtfs_bridge_label((mtfs_bridge_item)i));
        fprintf(out, ",%s,%s\n",
                i == MTFS_BRIDGE_BASE_BALANCE ? "base"
                : mtfs_bridge_is_funding((mtfs_bridge_item)i) ? "funding" : "spending",
                mtfs_format_exact(NUM(b->item[i], "bridge item '%s'", mtfs_bridge_key((mtfs_bridge_item)i)),
                                number, sizeof number));
    }
    fprintf(out, "gap,Funding gap,total,%s\n",
            mtfs_format_exact(NUM(b->gap, "funding gap of the bridge"), number, sizeof number));
    if (b->has_dsg)
        fprintf(out, "dsg_reserves,High-needs deficit charged to reserves,reserves,%s\n",
                mtfs_format_exact(NUM(b->dsg_reserves, "high-needs deficit charged to reserves"), number,
                                  sizeof number));
    /* Two summary rows, side "group": they regroup the items above, so a
     * sum over the items must leave them out. */
    fprintf(out, "costs,Costs,group,%s\n",
            mtfs_format_exact(NUM(mtfs_bridge_group_total(b, MTFS_BRIDGE_GROUP_COSTS), "bridge costs"),
                              number, sizeof number));
    fprintf(out, "income_and_savings,Income and savings,group,%s\n",
            mtfs_format_exact(NUM(mtfs_bridge_group_total(b, MTFS_BRIDGE_GROUP_INCOME_SAVINGS),
                                  "bridge income and savings"),
                              number, sizeof number));
}

mtfs_status mtfs_report_bridge_csv(FILE *out, const mtfs_bridge *b, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_bridge_csv(o.f, &o, b);
    return mtfs_out_end(&o, err);
}

static void write_sensitivity_table(FILE *out, mtfs_out *o, const mtfs_scenario *s,
                                    const mtfs_sensitivity_row *rows, size_t n, double base_final_gap)
{
    char year[16], money[64];
    mtfs_year_label(mtfs_scenario_base_year(s) + (int)mtfs_scenario_horizon(s), year, sizeof year);
    fprintf(out, "%s\nSensitivity of the %s gap (%s), one assumption at a time, £m\n\n",
            mtfs_scenario_name(s), year, mtfs_format_money(NUM(base_final_gap, "gap in %s", year), money, sizeof money));
    fprintf(out, "%-52s %12s %12s\n", "Change", "Gap", "Difference");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-52.52s ", rows[i].label);
        table_cell(out, 12, NUM(rows[i].final_gap, "gap with '%s'", rows[i].key), 0);
        fputc(' ', out);
        signed_money(out, 12, NUM(rows[i].change, "difference with '%s'", rows[i].key));
        fputc('\n', out);
    }
}

mtfs_status mtfs_report_sensitivity_table(FILE *out, const mtfs_scenario *s,
                                          const mtfs_sensitivity_row *rows, size_t n,
                                          double base_final_gap, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_sensitivity_table(o.f, &o, s, rows, n, base_final_gap);
    return mtfs_out_end(&o, err);
}

static void write_sensitivity_csv(FILE *out, mtfs_out *o, const mtfs_sensitivity_row *rows, size_t n,
                                  double base_final_gap)
{
    char a[40], b[40];
    fputs("change,label,final_gap,difference\n", out);
    fprintf(out, "none,As the scenario,%s,0\n",
            mtfs_format_exact(NUM(base_final_gap, "final gap"), a, sizeof a));
    for (size_t i = 0; i < n; i++) {
        mtfs_csv_text(out, rows[i].key);
        fputc(',', out);
        mtfs_csv_text(out, rows[i].label);
        fprintf(out, ",%s,%s\n",
                mtfs_format_exact(NUM(rows[i].final_gap, "gap with '%s'", rows[i].key), a, sizeof a),
                mtfs_format_exact(NUM(rows[i].change, "difference with '%s'", rows[i].key), b, sizeof b));
    }
}

mtfs_status mtfs_report_sensitivity_csv(FILE *out, const mtfs_sensitivity_row *rows, size_t n,
                                        double base_final_gap, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_sensitivity_csv(o.f, &o, rows, n, base_final_gap);
    return mtfs_out_end(&o, err);
}

/* The range of calendar years covered by any of the projections. */
static void year_span(size_t n, const mtfs_projection *const *p, int *first, int *last)
{
    *first = p[0]->base_year + 1;
    *last = p[0]->base_year + (int)p[0]->horizon;
    for (size_t i = 1; i < n; i++) {
        if (p[i]->base_year + 1 < *first)
            *first = p[i]->base_year + 1;
        if (p[i]->base_year + (int)p[i]->horizon > *last)
            *last = p[i]->base_year + (int)p[i]->horizon;
    }
}

static void write_compare_table(FILE *out, mtfs_out *o, size_t n, const mtfs_scenario *const *s,
                                const mtfs_projection *const *p)
{
    int first, last;
    char label[16];
    year_span(n, p, &first, &last);
    fprintf(out, "Funding gap by scenario, £m (differences against %s)\n\n", mtfs_scenario_id(s[0]));
    fprintf(out, "%-30s", "Scenario");
    for (int y = first; y <= last; y++)
        fprintf(out, "%9s", mtfs_year_label(y, label, sizeof label));
    fprintf(out, "%10s%12s%11s%11s%14s\n", "Final", "Cumulative", "Below min", "Exhausted", "Final vs 1st");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-30.30s", mtfs_scenario_id(s[i]));
        for (int y = first; y <= last; y++) {
            long t = (long)y - p[i]->base_year;
            if (!(t >= 1 && (size_t)t <= p[i]->horizon))
                fprintf(out, "%9s", "");   /* not projected */
            else
                table_cell(out, 9, round(NUM(p[i]->gap[t], "gap of %s in %s", mtfs_scenario_id(s[i]),
                                             mtfs_year_label(y, label, sizeof label)) * 10.0) / 10.0, 0);
        }
        size_t T = p[i]->horizon;
        char below[16] = "none", exhausted[16] = "none";
        if (p[i]->below_minimum_index)
            mtfs_year_label(p[i]->base_year + (int)p[i]->below_minimum_index, below, sizeof below);
        if (p[i]->exhausted_index)
            mtfs_year_label(p[i]->base_year + (int)p[i]->exhausted_index, exhausted, sizeof exhausted);
        double final_gap = NUM(p[i]->gap[T], "final gap of %s", mtfs_scenario_id(s[i]));
        table_cell(out, 10, final_gap, 0);
        table_cell(out, 12, NUM(p[i]->cumulative_gap[T], "cumulative gap of %s", mtfs_scenario_id(s[i])), 0);
        fprintf(out, "%11s%11s", below, exhausted);
        if (i > 0) {   /* the first row ends at Exhausted: no table line ends in a space */
            signed_money(out, 14, NUM(final_gap - p[0]->gap[p[0]->horizon],
                                      "final gap of %s against the first", mtfs_scenario_id(s[i])));
            /* Each scenario's own final year: when it is not the first's,
             * the row says which two years it compares. */
            int own = p[i]->base_year + (int)T, first_final = p[0]->base_year + (int)p[0]->horizon;
            char a[16], b[16];
            if (own != first_final)
                fprintf(out, " (%s vs %s)", mtfs_year_label(own, a, sizeof a),
                        mtfs_year_label(first_final, b, sizeof b));
        }
        fputc('\n', out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-30.30s %s\n", mtfs_scenario_id(s[i]), mtfs_scenario_name(s[i]));
}

mtfs_status mtfs_report_compare_table(FILE *out, size_t n, const mtfs_scenario *const *s,
                                      const mtfs_projection *const *p, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_compare_table(o.f, &o, n, s, p);
    return mtfs_out_end(&o, err);
}

static void write_compare_csv(FILE *out, mtfs_out *o, size_t n, const mtfs_scenario *const *s,
                              const mtfs_projection *const *p)
{
    char label[16], a[40];
    fputs("scenario,name,file,year,label,gap,cumulative_gap,reserves,gap_vs_first\n", out);
    for (size_t i = 0; i < n; i++) {
        for (size_t t = 1; t <= p[i]->horizon; t++) {
            int year = p[i]->base_year + (int)t;
            mtfs_csv_text(out, mtfs_scenario_id(s[i]));
            fputc(',', out);
            mtfs_csv_text(out, mtfs_scenario_name(s[i]));
            fputc(',', out);
            mtfs_csv_text(out, mtfs_scenario_file(s[i], 0));
            fprintf(out, ",%d,%s", year, mtfs_year_label(year, label, sizeof label));
            csv_number(out, o, p[i]->gap[t], "gap", label);
            csv_number(out, o, p[i]->cumulative_gap[t], "cumulative gap", label);
            csv_number(out, o, p[i]->reserves[t], "reserves", label);
            long t0 = (long)year - p[0]->base_year;
            if (!(t0 >= 1 && (size_t)t0 <= p[0]->horizon))
                fputc(',', out);   /* the first scenario does not project this year */
            else
                fprintf(out, ",%s", mtfs_format_exact(NUM(p[i]->gap[t] - p[0]->gap[t0],
                                                        "gap against the first scenario in %s", label),
                                                    a, sizeof a));
            fputc('\n', out);
        }
    }
}

mtfs_status mtfs_report_compare_csv(FILE *out, size_t n, const mtfs_scenario *const *s,
                                    const mtfs_projection *const *p, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_compare_csv(o.f, &o, n, s, p);
    return mtfs_out_end(&o, err);
}

/* ------------------------------------------------------------------ */
/* Compare's bridge of differences                                     */

/* Half the £0.1m the table shows: a difference below it prints as 0.0. */
#define SHOWN 0.05

/* "id" or "id (2028/29)" when the two bridged years differ. */
static const char *bridged(const mtfs_scenario *s, const mtfs_bridge *b, int with_year, char *buf,
                           size_t size)
{
    char year[16];
    if (!with_year)
        snprintf(buf, size, "%s", mtfs_scenario_id(s));
    else
        snprintf(buf, size, "%s (%s)", mtfs_scenario_id(s),
                 mtfs_year_label(mtfs_scenario_base_year(s) + (int)b->year_index, year, sizeof year));
    return buf;
}

static void write_compare_bridge_table(FILE *out, mtfs_out *o, size_t n, const mtfs_scenario *const *s,
                                       const mtfs_bridge *b)
{
    fprintf(out, "\nWhat explains the difference in the final gap, £m: each scenario's gap bridge "
                 "less %s's, item by item\n", mtfs_scenario_id(s[0]));
    for (size_t i = 1; i < n; i++) {
        mtfs_bridge d;
        mtfs_bridge_difference(&b[0], &b[i], &d);
        int y0 = mtfs_scenario_base_year(s[0]) + (int)b[0].year_index;
        int yi = mtfs_scenario_base_year(s[i]) + (int)b[i].year_index;
        char self[160], first[160], year[16];
        bridged(s[i], &b[i], y0 != yi, self, sizeof self);
        bridged(s[0], &b[0], y0 != yi, first, sizeof first);
        fprintf(out, "\n%s against %s", self, first);
        if (y0 == yi)
            fprintf(out, ", %s", mtfs_year_label(yi, year, sizeof year));
        fputc('\n', out);
        double base = NUM(d.base_budget, "base-year budget of %s against the first", mtfs_scenario_id(s[i]));
        char num[64];
        if (fabs(base) >= SHOWN)
            fprintf(out, "  (base-year budget %s: not an item, each gap is from its own base year)\n",
                    mtfs_format_table_number(base, 1, 1, num, sizeof num));
        /* Items too small to print are summed into one line, so the lines
         * shown still add up to the difference. */
        double small = 0.0;
        int shown = 0, hidden = 0;
        for (int k = 0; k < MTFS_BRIDGE_N; k++) {
            double x = NUM(d.item[k], "difference in bridge item '%s' of %s",
                           mtfs_bridge_key((mtfs_bridge_item)k), mtfs_scenario_id(s[i]));
            if (x == 0.0)
                continue;
            if (fabs(x) < SHOWN) {
                small += x;
                hidden++;
                continue;
            }
            fprintf(out, "  %-42s ", mtfs_bridge_label((mtfs_bridge_item)k));
            signed_money(out, 10, x);
            fputc('\n', out);
            shown++;
        }
        if (hidden) {
            const char *other = "Other items, each under £0.05m";
            fprintf(out, "  %-*s ", mtfs_text_pad(other, 42), other);   /* "£" is one column */
            signed_money(out, 10, small);
            fputc('\n', out);
        } else if (!shown) {
            fprintf(out, "  %-42s\n", "No item differs");
        }
        fputs("  ", out);
        for (int k = 0; k < 53; k++)
            fputc('-', out);
        fprintf(out, "\n  %-42s ", "Difference in the final gap");
        signed_money(out, 10, NUM(d.gap, "final gap of %s against the first", mtfs_scenario_id(s[i])));
        fputc('\n', out);
    }
}

mtfs_status mtfs_report_compare_bridge_table(FILE *out, size_t n, const mtfs_scenario *const *s,
                                             const mtfs_bridge *b, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_compare_bridge_table(o.f, &o, n, s, b);
    return mtfs_out_end(&o, err);
}

/* One row of compare_bridge.csv: scenario i's value, the first's and the
 * difference. */
static void compare_bridge_row(FILE *out, mtfs_out *o, const mtfs_scenario *si, const mtfs_scenario *s0,
                               int yi, int y0, const char *key, const char *label, const char *side,
                               double value, double against, double difference)
{
    char a[40], b[40], c[40];
    mtfs_csv_text(out, mtfs_scenario_id(si));
    fputc(',', out);
    mtfs_csv_text(out, mtfs_scenario_id(s0));
    fprintf(out, ",%d,%d,%s,", yi, y0, key);
    mtfs_csv_text(out, label);
    fprintf(out, ",%s,%s,%s,%s\n", side,
            mtfs_format_exact(NUM(value, "%s of %s", key, mtfs_scenario_id(si)), a, sizeof a),
            mtfs_format_exact(NUM(against, "%s of %s", key, mtfs_scenario_id(s0)), b, sizeof b),
            mtfs_format_exact(NUM(difference, "difference in %s of %s", key, mtfs_scenario_id(si)), c,
                              sizeof c));
}

static void write_compare_bridge_csv(FILE *out, mtfs_out *o, size_t n, const mtfs_scenario *const *s,
                                     const mtfs_bridge *b)
{
    fputs("scenario,against,year,against_year,item,label,side,value,against_value,difference\n", out);
    int y0 = mtfs_scenario_base_year(s[0]) + (int)b[0].year_index;
    for (size_t i = 1; i < n; i++) {
        mtfs_bridge d;
        mtfs_bridge_difference(&b[0], &b[i], &d);
        int yi = mtfs_scenario_base_year(s[i]) + (int)b[i].year_index;
        compare_bridge_row(out, o, s[i], s[0], yi, y0, "base_budget", "Base-year budget", "base",
                           b[i].base_budget, b[0].base_budget, d.base_budget);
        for (int k = 0; k < MTFS_BRIDGE_N; k++)
            if (mtfs_bridge_item_shown(&d, (mtfs_bridge_item)k))
                compare_bridge_row(out, o, s[i], s[0], yi, y0, mtfs_bridge_key((mtfs_bridge_item)k),
                               mtfs_bridge_label((mtfs_bridge_item)k),
                               k == MTFS_BRIDGE_BASE_BALANCE ? "base"
                               : mtfs_bridge_is_funding((mtfs_bridge_item)k) ? "funding" : "spending",
                               b[i].item[k], b[0].item[k], d.item[k]);
        compare_bridge_row(out, o, s[i], s[0], yi, y0, "gap", "Funding gap", "total", b[i].gap, b[0].gap,
                           d.gap);
    }
}

mtfs_status mtfs_report_compare_bridge_csv(FILE *out, size_t n, const mtfs_scenario *const *s,
                                           const mtfs_bridge *b, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_compare_bridge_csv(o.f, &o, n, s, b);
    return mtfs_out_end(&o, err);
}
