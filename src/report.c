/*
 * report.c - the projection as a table for people, CSV for programs, and
 * JSON metadata saying where a result came from.
 *
 * Tables show £m to one decimal with years as financial years (2025/26);
 * CSV carries every number with "%.17g" so it reads back bit-exactly.
 */
#include "mtfs/report.h"
#include "mtfs/mtfs.h"
#include "mtfs/sha256.h"
#include "util.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define LABEL_WIDTH 32
#define COLUMN_WIDTH 10
#define YEARS_PER_BLOCK 8

/* Print a number rounded to one decimal; "-0.0" reads as a sign error to a
 * finance officer, so it is shown as 0.0. */
static void money_cell(FILE *out, double x)
{
    double r = round(x * 10.0) / 10.0;
    if (r == 0.0)
        r = 0.0;
    fprintf(out, "%*.1f", COLUMN_WIDTH, r);
}

typedef enum { ROW_MONEY, ROW_PERCENT } row_kind;
enum { ONLY_COVID = 1, ONLY_REFORM = 2 };

static void row(FILE *out, const char *label, const double *v, size_t from, size_t to,
                row_kind kind, const char *on, const char *off)
{
    fprintf(out, "%s%-*s", on, LABEL_WIDTH, label);
    for (size_t t = from; t <= to; t++) {
        if (kind == ROW_PERCENT) {
            double r = round(v[t] * 1000.0) / 10.0;
            fprintf(out, "%*.1f%%", COLUMN_WIDTH - 1, r == 0.0 ? 0.0 : r);
        } else {
            money_cell(out, v[t]);
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

/* "£12.3m", or "-£7.4m" for a negative amount. */
static char *pounds(double x, char *buf, size_t size)
{
    double r = round(x * 10.0) / 10.0;
    if (r < 0.0)
        snprintf(buf, size, "-£%.1fm", -r);
    else
        snprintf(buf, size, "£%.1fm", r == 0.0 ? 0.0 : r);
    return buf;
}

static void reserves_verdict(FILE *out, const mtfs_scenario *s, const mtfs_projection *p)
{
    char label[16], last[16], a[32], b[32];
    size_t T = p->horizon;
    mtfs_year_label(p->base_year + (int)T, last, sizeof last);
    if (p->exhaustion_index == 0) {
        fprintf(out, "Reserves stay above the minimum in every year to %s, closing at %s.\n", last,
                pounds(p->reserves[T], a, sizeof a));
        return;
    }
    size_t t = p->exhaustion_index;
    size_t empty = 0;
    for (size_t k = 1; k <= T && !empty; k++)
        if (p->reserves[k] < 0.0)
            empty = k;
    mtfs_year_label(p->base_year + (int)t, label, sizeof label);
    if (p->minimum_reserves[t] <= 0.0) {
        fprintf(out, "Reserves run out in %s, closing that year at %s.\n", label,
                pounds(p->reserves[t], b, sizeof b));
        return;
    }
    fprintf(out, "Reserves fall below the %s minimum in %s, closing that year at %s",
            pounds(p->minimum_reserves[t], a, sizeof a), label, pounds(p->reserves[t], b, sizeof b));
    if (empty)
        fprintf(out, "; they run out in %s",
                mtfs_year_label(p->base_year + (int)empty, label, sizeof label));
    fprintf(out, ".\n");
    (void)s;
}

/* The table's rows, top to bottom; the highlighted row sits between rules. */
static const struct {
    const char *label;
    size_t field;            /* offset of a double * in mtfs_projection */
    row_kind kind;
    int highlight;
    int only;                /* ONLY_COVID / ONLY_REFORM: shown only for scenarios with that block */
} table_rows[] = {
    {"Expenditure", offsetof(mtfs_projection, expenditure), ROW_MONEY, 0, 0},
    {"  savings planned", offsetof(mtfs_projection, savings_planned), ROW_MONEY, 0, 0},
    {"  savings delivered", offsetof(mtfs_projection, savings_delivered), ROW_MONEY, 0, 0},
    {"  Covid costs and lost income", offsetof(mtfs_projection, covid_expenditure), ROW_MONEY, 0, 1},
    {"Funding", offsetof(mtfs_projection, funding), ROW_MONEY, 0, 0},
    {"  council tax", offsetof(mtfs_projection, council_tax), ROW_MONEY, 0, 0},
    {"  business rates", offsetof(mtfs_projection, business_rates), ROW_MONEY, 0, 0},
    {"  grants", offsetof(mtfs_projection, grants), ROW_MONEY, 0, 0},
    {"  Covid grants, net of deficits", offsetof(mtfs_projection, covid_funding), ROW_MONEY, 0, 1},
    {"  fair-funding reform", offsetof(mtfs_projection, formula_adjustment), ROW_MONEY, 0, 2},
    {"Funding gap", offsetof(mtfs_projection, gap), ROW_MONEY, 1, 0},
    {"  net Covid pressure", offsetof(mtfs_projection, covid_pressure), ROW_MONEY, 0, 1},
    {"  gap without Covid", offsetof(mtfs_projection, gap_without_covid), ROW_MONEY, 0, 1},
    {"  change on previous year", offsetof(mtfs_projection, incremental_gap), ROW_MONEY, 0, 0},
    {"  cumulative gap", offsetof(mtfs_projection, cumulative_gap), ROW_MONEY, 0, 0},
    {"  gap as % of net budget", offsetof(mtfs_projection, gap_share), ROW_PERCENT, 0, 0},
    {"Reserves at year end", offsetof(mtfs_projection, reserves), ROW_MONEY, 0, 0},
    {"  minimum reserves", offsetof(mtfs_projection, minimum_reserves), ROW_MONEY, 0, 0},
};

mtfs_status mtfs_report_table(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                              unsigned options, mtfs_error *err)
{
    const char *bold = (options & MTFS_TABLE_COLOUR) ? "\033[1m" : "";
    const char *plain = (options & MTFS_TABLE_COLOUR) ? "\033[0m" : "";
    char label[16];
    size_t T = p->horizon;
    mtfs_fair_funding_info reform;

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
        for (size_t r = 0; r < sizeof table_rows / sizeof table_rows[0]; r++) {
            if ((table_rows[r].only == ONLY_COVID && !mtfs_scenario_has_covid(s)) ||
                (table_rows[r].only == ONLY_REFORM && !mtfs_scenario_fair_funding(s, &reform)))
                continue;
            const double *v = *(const double *const *)((const char *)p + table_rows[r].field);
            if (table_rows[r].highlight)
                rule(out, to - from + 1);
            row(out, table_rows[r].label, v, from, to, table_rows[r].kind, table_rows[r].highlight ? bold : "",
                table_rows[r].highlight ? plain : "");
            if (table_rows[r].highlight)
                rule(out, to - from + 1);
        }
    }
    fputc('\n', out);
    char a[32], b[32];
    fprintf(out, "Funding gap in %s: %s; opening reserves %s.\n",
            mtfs_year_label(p->base_year + (int)T, label, sizeof label), pounds(p->gap[T], a, sizeof a),
            pounds(p->reserves[0], b, sizeof b));
    reserves_verdict(out, s, p);
    fprintf(out, "A 1%% council-tax rise in %s raises %s.\n",
            mtfs_year_label(p->base_year + 1, label, sizeof label),
            pounds(p->council_tax_per_percent, a, sizeof a));
    if (p->referendum_index) {
        size_t t = p->referendum_index;
        fprintf(out, "Council-tax rise of %.2f%% in %s is above the referendum limit: this scenario "
                "assumes a referendum is held and won.\n",
                100.0 * p->council_tax_rise[t], mtfs_year_label(p->base_year + (int)t, label, sizeof label));
    }
    return mtfs_stream_status(out, err);
}


static void csv_number(FILE *out, double x)
{
    char buf[40];
    fputc(',', out);
    fputs(mtfs_format_g17(x, buf, sizeof buf), out);
}

mtfs_status mtfs_report_csv(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                            mtfs_error *err)
{
    fputs("year,label,expenditure,funding,gap,incremental_gap,cumulative_gap,reserves,"
          "council_tax,business_rates,grants,savings_planned,savings_delivered,"
          "savings_undelivered,contingency,one_off,gap_share,minimum_reserves,reserves_use,"
          "contributions,taxbase,band_d,council_tax_rise,covid_pressure,gap_without_covid,"
          "formula_adjustment\n", out);
    for (size_t t = 1; t <= p->horizon; t++) {
        char label[16];
        int year = p->base_year + (int)t;
        fprintf(out, "%d,%s", year, mtfs_year_label(year, label, sizeof label));
        const double v[] = {p->expenditure[t], p->funding[t], p->gap[t], p->incremental_gap[t],
                            p->cumulative_gap[t], p->reserves[t], p->council_tax[t],
                            p->business_rates[t], p->grants[t], p->savings_planned[t],
                            p->savings_delivered[t], p->savings_undelivered[t], p->contingency[t],
                            p->one_off[t], p->gap_share[t], p->minimum_reserves[t],
                            p->reserves_use[t], p->contributions[t], p->taxbase[t], p->band_d[t],
                            p->council_tax_rise[t], p->covid_pressure[t], p->gap_without_covid[t],
                            p->formula_adjustment[t]};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            csv_number(out, v[k]);
        fputc('\n', out);
    }
    (void)s;
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_services_csv(FILE *out, const mtfs_scenario *s, const mtfs_projection *p,
                                     mtfs_error *err)
{
    fputs("service,year,label,recurring,spending,inflation,savings_planned,savings_delivered,"
          "savings_undelivered\n", out);
    for (size_t i = 0; i < p->n_services; i++) {
        for (size_t t = 1; t <= p->horizon; t++) {
            char label[16];
            int year = p->base_year + (int)t;
            mtfs_csv_text(out, mtfs_scenario_service_name(s, i));
            fprintf(out, ",%d,%s", year, mtfs_year_label(year, label, sizeof label));
            double planned = MTFS_AT(p, service_planned, i, t);
            double delivered = MTFS_AT(p, service_delivered, i, t);
            csv_number(out, MTFS_AT(p, service_recurring, i, t));
            csv_number(out, MTFS_AT(p, service_spending, i, t));
            csv_number(out, MTFS_AT(p, service_inflation, i, t));
            csv_number(out, planned);
            csv_number(out, delivered);
            csv_number(out, planned - delivered);
            fputc('\n', out);
        }
    }
    return mtfs_stream_status(out, err);
}

static void json_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

mtfs_status mtfs_report_metadata(FILE *out, const mtfs_scenario *s, const char *command,
                                 time_t when, mtfs_error *err)
{
    char stamp[32];
    struct tm tm;
    if (!gmtime_r(&when, &tm) || !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(stamp, sizeof stamp, "unknown");
    fprintf(out, "{\n  \"engine\": \"mtfs\",\n  \"version\": ");
    json_string(out, mtfs_version());
    fprintf(out, ",\n  \"command\": ");
    json_string(out, command);
    fprintf(out, ",\n  \"scenario\": ");
    json_string(out, mtfs_scenario_name(s));
    fprintf(out, ",\n  \"scenario_id\": ");
    json_string(out, mtfs_scenario_id(s));
    fprintf(out, ",\n  \"seed\": null,\n  \"created\": \"%s\",\n  \"files\": [", stamp);
    for (size_t i = 0; i < mtfs_scenario_file_count(s); i++) {
        char hex[65];
        const char *file = mtfs_scenario_file(s, i);
        mtfs_status st = mtfs_sha256_file(file, hex, err);
        if (st != MTFS_OK)
            return st;
        fprintf(out, "%s\n    {\"path\": ", i ? "," : "");
        json_string(out, file);
        fprintf(out, ", \"sha256\": \"%s\"}", hex);
    }
    fprintf(out, "\n  ]\n}\n");
    return mtfs_stream_status(out, err);
}

/* ------------------------------------------------------------------ */
/* Bridge, sensitivity, comparison                                     */

static void signed_money(FILE *out, int width, double x)
{
    double r = round(x * 10.0) / 10.0;
    if (r == 0.0)
        fprintf(out, "%*s", width, "0.0");
    else
        fprintf(out, "%+*.1f", width, r);
}

mtfs_status mtfs_report_bridge_table(FILE *out, const mtfs_scenario *s, const mtfs_bridge *b,
                                     mtfs_error *err)
{
    char base[16], year[16];
    int y0 = mtfs_scenario_base_year(s);
    mtfs_year_label(y0, base, sizeof base);
    mtfs_year_label(y0 + (int)b->year_index, year, sizeof year);
    fprintf(out, "%s\nGap bridge from the %s budget to the %s gap, £m\n\n", mtfs_scenario_name(s),
            base, year);
    fprintf(out, "%-44s %10.1f\n", "Base-year budget (balanced)", b->base_budget);
    const char *side[2] = {"Spending", "Funding"};
    for (int funding = 0; funding <= 1; funding++) {
        fprintf(out, "%s\n", side[funding]);
        for (int i = 0; i < MTFS_BRIDGE_N; i++) {
            if (i == MTFS_BRIDGE_BASE_BALANCE || mtfs_bridge_is_funding((mtfs_bridge_item)i) != funding)
                continue;
            fprintf(out, "  %-42s ", mtfs_bridge_label((mtfs_bridge_item)i));
            signed_money(out, 10, b->item[i]);
            fputc('\n', out);
        }
    }
    if (fabs(b->item[MTFS_BRIDGE_BASE_BALANCE]) >= 0.05) {
        fprintf(out, "%-44s ", mtfs_bridge_label(MTFS_BRIDGE_BASE_BALANCE));
        signed_money(out, 10, b->item[MTFS_BRIDGE_BASE_BALANCE]);
        fputc('\n', out);
    }
    for (int i = 0; i < 55; i++)
        fputc('-', out);
    fprintf(out, "\n%-44s %10.1f\n", "Funding gap", b->gap);
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_bridge_csv(FILE *out, const mtfs_bridge *b, mtfs_error *err)
{
    char number[40];
    fputs("item,label,side,value\n", out);
    fprintf(out, "base_budget,Base-year budget,base,%s\n",
            mtfs_format_g17(b->base_budget, number, sizeof number));
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        fprintf(out, "%s,%s,%s,%s\n", mtfs_bridge_key((mtfs_bridge_item)i),
                mtfs_bridge_label((mtfs_bridge_item)i),
                i == MTFS_BRIDGE_BASE_BALANCE ? "base"
                : mtfs_bridge_is_funding((mtfs_bridge_item)i) ? "funding" : "spending",
                mtfs_format_g17(b->item[i], number, sizeof number));
    fprintf(out, "gap,Funding gap,total,%s\n", mtfs_format_g17(b->gap, number, sizeof number));
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_sensitivity_table(FILE *out, const mtfs_scenario *s,
                                          const mtfs_sensitivity_row *rows, size_t n,
                                          double base_final_gap, mtfs_error *err)
{
    char year[16];
    mtfs_year_label(mtfs_scenario_base_year(s) + (int)mtfs_scenario_horizon(s), year, sizeof year);
    fprintf(out, "%s\nSensitivity of the %s gap (£%.1fm), one assumption at a time, £m\n\n",
            mtfs_scenario_name(s), year, base_final_gap);
    fprintf(out, "%-52s %12s %12s\n", "Change", "Gap", "Difference");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-52.52s %12.1f ", rows[i].label, rows[i].final_gap);
        signed_money(out, 12, rows[i].change);
        fputc('\n', out);
    }
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_sensitivity_csv(FILE *out, const mtfs_sensitivity_row *rows, size_t n,
                                        double base_final_gap, mtfs_error *err)
{
    char a[40], b[40];
    fputs("change,label,final_gap,difference\n", out);
    fprintf(out, "none,As the scenario,%s,0\n", mtfs_format_g17(base_final_gap, a, sizeof a));
    for (size_t i = 0; i < n; i++) {
        mtfs_csv_text(out, rows[i].key);
        fputc(',', out);
        mtfs_csv_text(out, rows[i].label);
        fprintf(out, ",%s,%s\n", mtfs_format_g17(rows[i].final_gap, a, sizeof a),
                mtfs_format_g17(rows[i].change, b, sizeof b));
    }
    return mtfs_stream_status(out, err);
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

/* Gap of projection q in calendar year `year`, or NAN when not projected. */
static double gap_in(const mtfs_projection *q, int year)
{
    long t = (long)year - q->base_year;
    return t >= 1 && (size_t)t <= q->horizon ? q->gap[t] : NAN;
}

mtfs_status mtfs_report_compare_table(FILE *out, size_t n, const mtfs_scenario *const *s,
                                      const mtfs_projection *const *p, mtfs_error *err)
{
    int first, last;
    char label[16];
    year_span(n, p, &first, &last);
    fprintf(out, "Funding gap by scenario, £m (differences against %s)\n\n", mtfs_scenario_id(s[0]));
    fprintf(out, "%-30s", "Scenario");
    for (int y = first; y <= last; y++)
        fprintf(out, "%9s", mtfs_year_label(y, label, sizeof label));
    fprintf(out, "%10s%12s%11s%14s\n", "Final", "Cumulative", "Exhausted", "Final vs 1st");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%-30.30s", mtfs_scenario_id(s[i]));
        for (int y = first; y <= last; y++) {
            double g = gap_in(p[i], y);
            if (isnan(g))
                fprintf(out, "%9s", "");
            else
                fprintf(out, "%9.1f", round(g * 10.0) / 10.0 + 0.0);
        }
        size_t T = p[i]->horizon;
        char exhausted[16] = "none";
        if (p[i]->exhaustion_index)
            mtfs_year_label(p[i]->base_year + (int)p[i]->exhaustion_index, exhausted, sizeof exhausted);
        fprintf(out, "%10.1f%12.1f%11s", p[i]->gap[T], p[i]->cumulative_gap[T], exhausted);
        if (i == 0)
            fprintf(out, "%14s", "");
        else
            signed_money(out, 14, p[i]->gap[T] - p[0]->gap[p[0]->horizon]);
        fputc('\n', out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-30.30s %s\n", mtfs_scenario_id(s[i]), mtfs_scenario_name(s[i]));
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_compare_csv(FILE *out, size_t n, const mtfs_scenario *const *s,
                                    const mtfs_projection *const *p, mtfs_error *err)
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
            csv_number(out, p[i]->gap[t]);
            csv_number(out, p[i]->cumulative_gap[t]);
            csv_number(out, p[i]->reserves[t]);
            double first_gap = gap_in(p[0], year);
            if (isnan(first_gap))
                fputc(',', out);
            else
                fprintf(out, ",%s", mtfs_format_g17(p[i]->gap[t] - first_gap, a, sizeof a));
            fputc('\n', out);
        }
    }
    return mtfs_stream_status(out, err);
}
