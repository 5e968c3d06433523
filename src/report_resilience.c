/*
 * report_resilience.c - the table and CSV of mtfs resilience (see
 * mtfs/resilience.h).  Same conventions as report.c: one decimal in tables,
 * shortest exact numbers in CSV, financial years as 2025/26; every number
 * passes the checked output, so a NaN or Inf means nothing is written.
 */
#include "mtfs/resilience.h"
#include "mtfs/sha256.h"
#include "scenario_int.h"
#include "checked.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

static const char *unit_name(mtfs_rs_unit u)
{
    return u == MTFS_RS_UNIT_SHARE ? "share" : u == MTFS_RS_UNIT_MONEY ? "£m" : "months";
}

/* x in its unit for a table: "12.3%", "12.3" (£m or months). */
static char *table_value(double x, mtfs_rs_unit unit, char *buf, size_t size)
{
    char n[64];
    if (unit == MTFS_RS_UNIT_SHARE)
        snprintf(buf, size, "%s%%", mtfs_format_table_number(100.0 * x, 1, 0, n, sizeof n));
    else
        snprintf(buf, size, "%s", mtfs_format_table_number(x, 1, 0, n, sizeof n));
    return buf;
}

#define LABEL_WIDTH 38

mtfs_status mtfs_report_resilience_table(FILE *stream, const mtfs_scenario *s, const mtfs_resilience *r,
                                         mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    size_t T = r->horizon;
    char label[16], v[64], money[32];
    fprintf(out, "%s\nResilience indicators (docs/model.md section 12)\n\n%-*s%11s", mtfs_scenario_name(s),
            LABEL_WIDTH, "", "threshold");
    for (size_t t = 1; t <= T; t++)
        fprintf(out, "%10s", mtfs_year_label(r->base_year + (int)t, label, sizeof label));
    fputs("  within\n", out);
    for (size_t k = 0; k < MTFS_RS_COUNT; k++) {
        const mtfs_indicator *ind = &r->items[k];
        if (!ind->shown)
            continue;
        fprintf(out, "%-*s", mtfs_text_pad(ind->label, LABEL_WIDTH), ind->label);
        if (ind->threshold_key) {
            char limit[72];
            snprintf(limit, sizeof limit, "%s %s", ind->at_least ? ">=" : "<=",
                     table_value(NUM(ind->threshold, "the threshold of %s", ind->key), ind->unit, v, sizeof v));
            fprintf(out, "%11s", limit);
        } else {
            fprintf(out, "%11s", "-");
        }
        for (size_t t = 1; t <= T; t++) {
            if (!ind->known[t]) {
                fprintf(out, "%10s", "-");
                continue;
            }
            double x = NUM(ind->value[t], "%s in %s", ind->key,
                           mtfs_year_label(r->base_year + (int)t, label, sizeof label));
            fprintf(out, "%10s", table_value(x, ind->unit, v, sizeof v));
        }
        if (!ind->threshold_key)
            fputc('\n', out);
        else if (ind->first_outside)
            fprintf(out, "  no from %s\n", mtfs_year_label(r->base_year + (int)ind->first_outside, label,
                                                           sizeof label));
        else
            fputs("  yes\n", out);
    }
    fprintf(out, "\nUsable reserves at the end of %s: %s; the council's minimum (general fund): %s.\n",
            mtfs_year_label(r->base_year, label, sizeof label),
            mtfs_format_money(NUM(r->opening_usable, "the opening usable reserves"), money, sizeof money),
            mtfs_format_money(NUM(r->fixed_minimum, "the minimum"), v, sizeof v));
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_resilience_verdict(FILE *stream, const mtfs_resilience *r, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    fprintf(o->f, "\nReserves verdict (docs/model.md 12.4): %s", mtfs_verdict_name(r->verdict));
    if (r->n_reasons)
        fprintf(o->f, ", %zu reason%s (--statement lists them)", r->n_reasons, r->n_reasons == 1 ? "" : "s");
    fputs(".\n", o->f);
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_resilience_csv(FILE *stream, const mtfs_resilience *r, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    fputs("indicator,year,label,unit,value,test,threshold,within\n", out);
    for (size_t k = 0; k < MTFS_RS_COUNT; k++) {
        const mtfs_indicator *ind = &r->items[k];
        if (!ind->shown)
            continue;
        for (size_t t = 1; t <= r->horizon; t++) {
            char label[16], n[40];
            int year = r->base_year + (int)t;
            fprintf(out, "%s,%d,%s,%s,", ind->key, year, mtfs_year_label(year, label, sizeof label),
                    unit_name(ind->unit));
            if (ind->known[t])
                fputs(mtfs_format_exact(NUM(ind->value[t], "%s in %s", ind->key, label), n, sizeof n), out);
            if (ind->threshold_key)
                fprintf(out, ",%s,%s", ind->at_least ? ">=" : "<=",
                        mtfs_format_exact(NUM(ind->threshold, "the threshold of %s", ind->key), n, sizeof n));
            else
                fputs(",,", out);
            fprintf(out, ",%s\n", ind->within[t] < 0 ? "" : ind->within[t] ? "yes" : "no");
        }
    }
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_resilience_risk_table(FILE *stream, const mtfs_resilience *r, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    const mtfs_resilience_risk *k = &r->risk;
    size_t T = r->horizon;
    char label[16], last[16], paths[32], m[32];
    mtfs_year_label(r->base_year + (int)T, last, sizeof last);
    fprintf(out, "\nRisk-based minimum reserve (Monte Carlo: %s path%s, seed %lu; docs/model.md 12.3)\n",
            mtfs_group_digits((double)k->paths, 0, paths, sizeof paths), k->paths == 1 ? "" : "s", k->seed);
    char what[4][96];
    double amount[4] = {NUM(k->risk_p90, "the P90 cumulative gap"), NUM(k->risk_p95, "the P95 cumulative gap"),
                        NUM(r->fixed_minimum, "the minimum"),
                        NUM(r->opening_usable, "the opening usable reserves")};
    snprintf(what[0], sizeof what[0], "cumulative unfunded gap to %s, 90th percentile", last);
    snprintf(what[1], sizeof what[1], "cumulative unfunded gap to %s, 95th percentile", last);
    snprintf(what[2], sizeof what[2], "the council's fixed minimum (general fund)");
    snprintf(what[3], sizeof what[3], "usable reserves at the end of %s",
             mtfs_year_label(r->base_year, label, sizeof label));
    for (size_t j = 0; j < 4; j++)
        fprintf(out, "  %-*s%12s\n", mtfs_text_pad(what[j], 54), what[j],
                mtfs_format_money(amount[j], m, sizeof m));
    fprintf(out, "\n%-*s%11s", LABEL_WIDTH, "Chance by year end", "");
    for (size_t t = 1; t <= T; t++)
        fprintf(out, "%10s", mtfs_year_label(r->base_year + (int)t, label, sizeof label));
    fputc('\n', out);
    static const char *const rows[2] = {"General fund below its minimum", "Usable reserves exhausted (< 0)"};
    for (size_t j = 0; j < 2; j++) {
        const double *v = j == 0 ? k->p_below_minimum : k->p_exhausted;
        fprintf(out, "%-*s%11s", LABEL_WIDTH, rows[j], "");
        for (size_t t = 1; t <= T; t++)
            fprintf(out, "%9.1f%%", 100.0 * NUM(v[t], "%s in %s", rows[j],
                                               mtfs_year_label(r->base_year + (int)t, label, sizeof label)));
        fputc('\n', out);
    }
    fprintf(out, "\nAt %.0f%% confidence the reserves should cover %s; usable reserves above the "
            "minimum are %s.\n", 100.0 * k->confidence,
            mtfs_format_money(NUM(k->risk_chosen, "the risk-based minimum"), m, sizeof m),
            mtfs_format_money(NUM(r->opening_usable - r->fixed_minimum, "reserves above the minimum"), paths,
                              sizeof paths));
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_resilience_risk_csv(FILE *stream, const mtfs_resilience *r, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    const mtfs_resilience_risk *k = &r->risk;
    char n[40], label[16];
    fputs("item,year,label,value\n", out);
    fprintf(out, "risk_minimum_p90,,,%s\n", mtfs_format_exact(NUM(k->risk_p90, "the P90 cumulative gap"), n, sizeof n));
    fprintf(out, "risk_minimum_p95,,,%s\n", mtfs_format_exact(NUM(k->risk_p95, "the P95 cumulative gap"), n, sizeof n));
    fprintf(out, "confidence,,,%s\n", mtfs_format_exact(NUM(k->confidence, "the confidence"), n, sizeof n));
    fprintf(out, "fixed_minimum,,,%s\n", mtfs_format_exact(NUM(r->fixed_minimum, "the minimum"), n, sizeof n));
    fprintf(out, "opening_usable_reserves,,,%s\n",
            mtfs_format_exact(NUM(r->opening_usable, "the opening usable reserves"), n, sizeof n));
    for (size_t j = 0; j < 2; j++) {
        const double *v = j == 0 ? k->p_below_minimum : k->p_exhausted;
        for (size_t t = 1; t <= r->horizon; t++) {
            int year = r->base_year + (int)t;
            mtfs_year_label(year, label, sizeof label);
            fprintf(out, "%s,%d,%s,%s\n", j == 0 ? "p_general_fund_below_minimum" : "p_usable_exhausted", year,
                    label, mtfs_format_exact(NUM(v[t], "a chance in %s", label), n, sizeof n));
        }
    }
    return mtfs_out_end(o, err);
}

/* ------------------------------------------------------------------ */
/* The section 25 statement (model.md 12.5)                            */

/* "| label |" then a cell a year of v (money to one decimal), "|". */
static void md_money_row(mtfs_out *o, const char *label, const double *v, size_t T, int base_year)
{
    char n[64], year[16];
    fprintf(o->f, "| %s |", label);
    for (size_t t = 1; t <= T; t++)
        fprintf(o->f, " %s |", mtfs_format_table_number(NUM(v[t], "%s in %s", label,
                                                            mtfs_year_label(base_year + (int)t, year, sizeof year)),
                                                        1, 0, n, sizeof n));
    fputc('\n', o->f);
}

static void md_share_row(mtfs_out *o, const char *label, const double *v, size_t T, int base_year,
                         int decimals)
{
    char n[64], year[16];
    fprintf(o->f, "| %s |", label);
    for (size_t t = 1; t <= T; t++)
        fprintf(o->f, " %s%% |", mtfs_format_table_number(100.0 * NUM(v[t], "%s in %s", label,
                                                                      mtfs_year_label(base_year + (int)t, year,
                                                                                      sizeof year)),
                                                          decimals, 0, n, sizeof n));
    fputc('\n', o->f);
}

static void md_header(FILE *out, const char *first, size_t T, int base_year)
{
    char year[16];
    fprintf(out, "| %s |", first);
    for (size_t t = 1; t <= T; t++)
        fprintf(out, " %s |", mtfs_year_label(base_year + (int)t, year, sizeof year));
    fputs("\n|---|", out);
    for (size_t t = 1; t <= T; t++)
        fputs("---:|", out);
    fputc('\n', out);
}

static double total(const double *v, size_t T)
{
    double x = 0.0;
    for (size_t t = 1; t <= T; t++)
        x += v[t];
    return x;
}

/* The title, what the statement is, and the verdict with its reasons. */
static void statement_verdict(mtfs_out *o, const mtfs_scenario *s, const mtfs_resilience *r,
                              const char *first, const char *last, const char *base)
{
    FILE *out = o->f;
    fprintf(out, "# Section 25 statement (draft): %s\n\n", mtfs_scenario_name(s));
    fprintf(out, "A starting point for the chief finance officer's report on the robustness of the "
            "estimates and the adequacy of reserves (Local Government Act 2003, section 25), from "
            "`mtfs resilience --statement` over `%s` (docs/model.md section 12). Base year %s, "
            "projected %s to %s; £m.\n\n", s->files[0], base, first, last);

    fprintf(out, "## Verdict: reserves are %s\n\n", mtfs_verdict_name(r->verdict));
    if (r->n_reasons == 0)
        fputs("No rule of docs/model.md 12.4 is broken: usable reserves last the horizon, the general "
              "fund stays above its minimum and every indicator is within its threshold.\n\n", out);
    for (size_t i = 0; i < r->n_reasons; i++)
        fprintf(out, "- %s.\n", r->reasons[i]);
    if (r->n_reasons)
        fputc('\n', out);
}

/* The assumptions and the gap, a column a year. */
static void statement_projection(mtfs_out *o, const mtfs_scenario *s, const mtfs_projection *p, size_t T,
                                 int y0)
{
    FILE *out = o->f;
    fputs("## Assumptions\n\n", out);
    md_header(out, "", T, y0);
    md_share_row(o, "CPI", s->economy[s->cpi].values, T, y0, 2);
    md_share_row(o, "Pay award", s->economy[s->pay].values, T, y0, 2);
    md_share_row(o, "Council-tax rise", p->council_tax_rise, T, y0, 2);
    md_money_row(o, "Savings planned", p->savings_planned, T, y0);
    md_money_row(o, "Savings delivered", p->savings_delivered, T, y0);
    md_money_row(o, "Net spending", p->expenditure, T, y0);
    md_money_row(o, "Funding", p->funding, T, y0);

    fputs("\n## The gap\n\n", out);
    md_header(out, "", T, y0);
    md_money_row(o, "**Funding gap**", p->gap, T, y0);
    md_money_row(o, "Cumulative gap", p->cumulative_gap, T, y0);
    md_money_row(o, "General fund at year end", p->reserves, T, y0);
    md_money_row(o, "Minimum (general fund)", p->minimum_reserves, T, y0);
    if (p->n_earmarked)
        md_money_row(o, "Usable reserves at year end", p->usable_reserves, T, y0);
    if (p->has_dsg)
        md_money_row(o, "High-needs deficit held", p->dsg_cumulative, T, y0);
    if (p->has_capital)
        md_money_row(o, "Capital financing", p->capital_financing, T, y0);
}

/* The risks: the Monte Carlo's risk-based minimum and chances when there
 * is one, then the plan's own (savings undelivered, DSG, capital,
 * exhaustion). */
static void statement_risks(mtfs_out *o, const mtfs_projection *p, const mtfs_resilience *r,
                            const char *last, const char *base)
{
    FILE *out = o->f;
    size_t T = r->horizon;
    int y0 = r->base_year;
    char m1[32], m2[32], m3[32], m5[32];
    fputs("\n## Risks\n\n", out);
    const mtfs_resilience_risk *k = &r->risk;
    if (k->present) {
        char paths[32], m4[32];
        fprintf(out, "In %s simulated futures (seed %lu; the scenario's uncertainty block), the cumulative "
                "unfunded gap to %s exceeds %s with a chance of 10%% and %s with a chance of 5%%. The "
                "risk-based minimum reserve at %.0f%% confidence is %s, against the council's fixed minimum "
                "of %s and usable reserves of %s at the end of %s.\n\n",
                mtfs_group_digits((double)k->paths, 0, paths, sizeof paths), k->seed, last,
                mtfs_format_money(NUM(k->risk_p90, "the P90 cumulative gap"), m1, sizeof m1),
                mtfs_format_money(NUM(k->risk_p95, "the P95 cumulative gap"), m2, sizeof m2),
                100.0 * k->confidence,
                mtfs_format_money(NUM(k->risk_chosen, "the risk-based minimum"), m3, sizeof m3),
                mtfs_format_money(NUM(r->fixed_minimum, "the minimum"), m4, sizeof m4),
                mtfs_format_money(NUM(r->opening_usable, "the opening usable reserves"), m5, sizeof m5), base);
        md_header(out, "Chance by year end", T, y0);
        md_share_row(o, "General fund below its minimum", k->p_below_minimum, T, y0, 1);
        md_share_row(o, "Usable reserves exhausted", k->p_exhausted, T, y0, 1);
        fputc('\n', out);
    } else {
        fputs("The scenario has no uncertainty block, so no chance is estimated and there is no "
              "risk-based minimum: the risks below are the plan's own.\n\n", out);
    }
    double undelivered = total(p->savings_undelivered, T);
    if (undelivered > 0.05)
        fprintf(out, "- Savings: %s of the savings planned to %s are not expected to be delivered.\n",
                mtfs_format_money(NUM(undelivered, "savings undelivered"), m1, sizeof m1), last);
    if (p->has_dsg)
        fprintf(out, "- High-needs (DSG) deficit: %s held under the statutory override at the end of %s; "
                "%s charged to reserves and %s to spending to %s.\n",
                mtfs_format_money(NUM(p->dsg_cumulative[0], "the opening DSG deficit"), m1, sizeof m1), base,
                mtfs_format_money(NUM(total(p->dsg_reserves_charge, T), "the DSG reserves charge"), m2, sizeof m2),
                mtfs_format_money(NUM(total(p->dsg_expenditure_charge, T), "the DSG spending charge"), m3,
                                  sizeof m3), last);
    if (p->has_capital)
        fprintf(out, "- Capital financing: %s of MRP and interest to %s; the capital financing requirement "
                "ends at %s.\n",
                mtfs_format_money(NUM(total(p->mrp, T) + total(p->capital_interest, T), "MRP and interest"), m1,
                                  sizeof m1), last,
                mtfs_format_money(NUM(p->cfr[T], "the CFR"), m2, sizeof m2));
    if (p->exhausted_index)
        fprintf(out, "- The plan as it stands runs out of usable reserves in %s.\n",
                mtfs_year_label(y0 + (int)p->exhausted_index, m1, sizeof m1));
}

/* The indicators shown, a column a year, each value outside its
 * threshold marked. */
static void statement_indicators(mtfs_out *o, const mtfs_resilience *r)
{
    FILE *out = o->f;
    size_t T = r->horizon;
    fputs("\n## Indicators\n\n", out);
    md_header(out, "Indicator (threshold)", T, r->base_year);
    for (size_t i = 0; i < MTFS_RS_COUNT; i++) {
        const mtfs_indicator *ind = &r->items[i];
        char v[64];
        if (!ind->shown)
            continue;
        fprintf(out, "| %s", ind->label);
        if (ind->threshold_key)
            fprintf(out, " (%s %s)", ind->at_least ? "≥" : "≤",
                    table_value(NUM(ind->threshold, "the threshold of %s", ind->key), ind->unit, v, sizeof v));
        fputs(" |", out);
        for (size_t t = 1; t <= T; t++) {
            if (!ind->known[t])
                fputs(" - |", out);
            else
                fprintf(out, " %s%s |", table_value(NUM(ind->value[t], "%s", ind->key), ind->unit, v, sizeof v),
                        ind->within[t] == 0 ? " ✗" : "");
        }
        fputc('\n', out);
    }
    fputs("\n✗: outside the council's threshold (the scenario's `resilience` block).\n", out);
}

/* The charts (when drawn) and the sources: the scenario's own list, then
 * every file read, with its SHA-256 when it can still be read. */
static void statement_sources(FILE *out, const mtfs_scenario *s, const char *const *charts,
                              const char *const *captions, size_t n_charts)
{
    if (n_charts) {
        fputs("\n## Charts\n\n", out);
        for (size_t i = 0; i < n_charts; i++)
            fprintf(out, "![%s](%s)\n", captions[i], charts[i]);
    }

    fputs("\n## Sources\n\n", out);
    for (size_t i = 0; i < s->rs_n_sources; i++)
        fprintf(out, "- %s\n", s->rs_sources[i]);
    for (size_t i = 0; i < s->n_files; i++) {
        char hex[65];
        mtfs_error ignored;
        if (mtfs_sha256_file(s->files[i], hex, &ignored) == MTFS_OK)
            fprintf(out, "- Scenario file `%s` (SHA-256 `%s`)\n", s->files[i], hex);
        else
            fprintf(out, "- Scenario file `%s`\n", s->files[i]);
    }
}

mtfs_status mtfs_report_resilience_statement(FILE *stream, const mtfs_scenario *s, const mtfs_projection *p,
                                             const mtfs_resilience *r, const char *const *charts,
                                             const char *const *captions, size_t n_charts, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    size_t T = r->horizon;
    int y0 = r->base_year;
    char first[16], last[16], base[16];
    mtfs_year_label(y0 + 1, first, sizeof first);
    mtfs_year_label(y0 + (int)T, last, sizeof last);
    mtfs_year_label(y0, base, sizeof base);
    statement_verdict(o, s, r, first, last, base);
    statement_projection(o, s, p, T, y0);
    statement_risks(o, p, r, last, base);
    statement_indicators(o, r);
    statement_sources(o->f, s, charts, captions, n_charts);
    return mtfs_out_end(o, err);
}
