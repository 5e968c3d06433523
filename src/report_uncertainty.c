/*
 * report_uncertainty.c - tables and CSV for Monte Carlo, tornado and goal
 * seek (see mtfs/report.h).  Same conventions as report.c: £m to one
 * decimal in tables, shortest exact numbers in CSV, financial years as 2025/26.  Each
 * writer writes through a checked output (checked.h): every number passes
 * NUM, and a NaN or Inf means nothing is written at all.
 */
#include "mtfs/report.h"
#include "checked.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void year_header(FILE *out, const char *title, int base_year, size_t T)
{
    char label[16];
    fprintf(out, "\n%-30s", title);
    for (size_t t = 1; t <= T; t++)
        fprintf(out, "%10s", mtfs_year_label(base_year + (int)t, label, sizeof label));
    fputc('\n', out);
}

/* A number for the output: x when finite, else 0 and the output refused. */
#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

static void money_row(mtfs_out *o, const char *title, const char *label, const double *v,
                      size_t T, int base_year)
{
    char year[16];
    fprintf(o->f, "  %-28s", label);
    for (size_t t = 1; t <= T; t++) {
        double x = NUM(v[t], "%s, %s, in %s", title, label,
                       mtfs_year_label(base_year + (int)t, year, sizeof year));
        char n[64];
        fprintf(o->f, "%10s", mtfs_format_table_number(round(x * 10.0) / 10.0, 1, 0, n, sizeof n));
    }
    fputc('\n', o->f);
}

static void share_row(mtfs_out *o, const char *label, const double *v, size_t T, int base_year)
{
    char year[16];
    fprintf(o->f, "  %-*s", mtfs_text_pad(label, 28), label);   /* "£" is one column */
    for (size_t t = 1; t <= T; t++)
        fprintf(o->f, "%9.1f%%", 100.0 * NUM(v[t], "share of paths, %s, in %s", label,
                                             mtfs_year_label(base_year + (int)t, year, sizeof year)));
    fputc('\n', o->f);
}

/* x rounded to one decimal as a table shows it, without "-0.0". */
static double tidy(double x)
{
    double r = round(x * 10.0) / 10.0;
    return r == 0.0 ? 0.0 : r;
}

static void percentile_block(mtfs_out *o, const char *title, const double *pct, const double *mean,
                             const double *sd, const double *deterministic, const mtfs_mc_result *r)
{
    static const char *const names[MTFS_MC_NPCT] = {"5th percentile", "10th percentile",
                                                    "25th percentile", "median", "75th percentile",
                                                    "90th percentile", "95th percentile"};
    size_t T = r->horizon, W = T + 1;
    int y = r->base_year;
    year_header(o->f, title, y, T);
    money_row(o, title, "deterministic plan", deterministic, T, y);
    if (mean)
        money_row(o, title, "mean", mean, T, y);
    if (sd)
        money_row(o, title, "standard deviation", sd, T, y);
    for (size_t k = 0; k < MTFS_MC_NPCT; k++)
        money_row(o, title, names[k], pct + k * W, T, y);
}

mtfs_status mtfs_report_mc_table(FILE *stream, const mtfs_scenario *s, const mtfs_mc_result *r,
                                 mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    char paths[32], label[16];
    size_t T = r->horizon, W = T + 1;
    const mtfs_projection *d = r->deterministic;
    fprintf(out, "%s\nMonte Carlo: %s path%s, seed %lu; £m\n", mtfs_scenario_name(s),
            mtfs_group_digits((double)r->paths, 0, paths, sizeof paths), r->paths == 1 ? "" : "s", r->seed);
    percentile_block(o, "Funding gap", r->gap_pct, r->gap_mean, r->gap_sd, d->gap, r);
    percentile_block(o, "Cumulative gap", r->cumulative_pct, NULL, NULL, d->cumulative_gap, r);
    percentile_block(o, "Reserves at year end", r->reserves_pct, r->reserves_mean, NULL, d->reserves, r);
    year_header(out, "Probabilities", r->base_year, T);
    for (size_t j = 0; j < r->n_thresholds; j++) {
        char what[64], money[32];
        snprintf(what, sizeof what, "gap above %s",
                 mtfs_format_money(NUM(r->thresholds[j], "threshold %zu", j + 1), money, sizeof money));
        share_row(o, what, r->p_gap_above + j * W, T, r->base_year);
    }
    share_row(o, "reserves below minimum", r->p_below_minimum, T, r->base_year);
    share_row(o, "reserves exhausted (<0)", r->p_exhausted, T, r->base_year);
    mtfs_year_label(r->base_year + (int)T, label, sizeof label);
    fprintf(out, "\nChance that reserves fall below the minimum by %s: %.1f%% (deterministic plan: %s).\n",
            label, 100.0 * r->p_below_minimum[T],
            d->below_minimum_index ? "below the minimum" : "above the minimum");
    fprintf(out, "Chance that reserves are exhausted (below zero) by %s: %.1f%% (deterministic plan: %s).\n",
            label, 100.0 * r->p_exhausted[T], d->exhausted_index ? "exhausted" : "not exhausted");
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_mc_csv(FILE *stream, const mtfs_mc_result *r, mtfs_error *err)
{
    static const char *const level[MTFS_MC_NPCT] = {"p5", "p10", "p25", "p50", "p75", "p90", "p95"};
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    size_t T = r->horizon, W = T + 1;
    const mtfs_projection *d = r->deterministic;
    fputs("year,label,gap_deterministic,gap_mean,gap_sd", out);
    for (size_t k = 0; k < MTFS_MC_NPCT; k++)
        fprintf(out, ",gap_%s", level[k]);
    fputs(",cumulative_gap_deterministic", out);
    for (size_t k = 0; k < MTFS_MC_NPCT; k++)
        fprintf(out, ",cumulative_gap_%s", level[k]);
    fputs(",reserves_deterministic,reserves_mean", out);
    for (size_t k = 0; k < MTFS_MC_NPCT; k++)
        fprintf(out, ",reserves_%s", level[k]);
    fputs(",p_reserves_below_minimum,p_reserves_exhausted", out);
    for (size_t j = 0; j < r->n_thresholds; j++) {
        char number[40];
        fprintf(out, ",p_gap_above_%s",
                mtfs_format_exact(NUM(r->thresholds[j], "threshold %zu", j + 1), number, sizeof number));
    }
    fputc('\n', out);
    for (size_t t = 1; t <= T; t++) {
        char label[16], n[40];
        int year = r->base_year + (int)t;
        fprintf(out, "%d,%s", year, mtfs_year_label(year, label, sizeof label));
#define CELL(x, what) fprintf(out, ",%s", mtfs_format_exact(NUM((x), "%s in %s", (what), label), n, sizeof n))
        CELL(d->gap[t], "deterministic gap");
        CELL(r->gap_mean[t], "mean gap");
        CELL(r->gap_sd[t], "standard deviation of the gap");
        for (size_t k = 0; k < MTFS_MC_NPCT; k++)
            CELL(r->gap_pct[k * W + t], "a gap percentile");
        CELL(d->cumulative_gap[t], "deterministic cumulative gap");
        for (size_t k = 0; k < MTFS_MC_NPCT; k++)
            CELL(r->cumulative_pct[k * W + t], "a cumulative gap percentile");
        CELL(d->reserves[t], "deterministic reserves");
        CELL(r->reserves_mean[t], "mean reserves");
        for (size_t k = 0; k < MTFS_MC_NPCT; k++)
            CELL(r->reserves_pct[k * W + t], "a reserves percentile");
        CELL(r->p_below_minimum[t], "share of paths below the minimum");
        CELL(r->p_exhausted[t], "share of paths below zero");
        for (size_t j = 0; j < r->n_thresholds; j++)
            CELL(r->p_gap_above[j * W + t], "share of paths above a threshold");
#undef CELL
        fputc('\n', out);
    }
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_tornado_table(FILE *stream, const mtfs_scenario *s, const mtfs_tornado *t,
                                      mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    char label[16], money[64];
    fprintf(out, "%s\nWhat moves the %s gap (%s): each input at its 10th and 90th percentile,\n"
                 "every other input as planned; £m, largest swing first\n\n",
            mtfs_scenario_name(s), mtfs_year_label(t->final_year, label, sizeof label),
            mtfs_format_money(NUM(t->base_gap, "planned gap"), money, sizeof money));
    fprintf(out, "%-40s %12s %12s %10s %10s %8s\n", "Input", "value at P10", "value at P90",
            "gap at P10", "gap at P90", "swing");
    for (size_t i = 0; i < t->n; i++) {
        const mtfs_tornado_row *row = &t->rows[i];
        char lo[48], hi[48], a[64], b[64], c[64];
        mtfs_format_unit(NUM(row->low_value, "%s at P10", row->key), row->unit, lo, sizeof lo);
        mtfs_format_unit(NUM(row->high_value, "%s at P90", row->key), row->unit, hi, sizeof hi);
        fprintf(out, "%-40.40s %*s %*s %10s %10s %8s\n", row->label, mtfs_text_pad(lo, 12), lo,
                mtfs_text_pad(hi, 12), hi,
                mtfs_format_table_number(NUM(row->low_gap, "gap with %s at P10", row->key), 1, 0, a, sizeof a),
                mtfs_format_table_number(NUM(row->high_gap, "gap with %s at P90", row->key), 1, 0, b, sizeof b),
                mtfs_format_table_number(NUM(row->swing, "swing of %s", row->key), 1, 0, c, sizeof c));
    }
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_tornado_csv(FILE *stream, const mtfs_tornado *t, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    char a[40], b[40], c[40], d[40], e[40];
    fputs("input,label,value_p10,value_p90,gap_p10,gap_p90,swing\n", out);
    for (size_t i = 0; i < t->n; i++) {
        const mtfs_tornado_row *row = &t->rows[i];
        mtfs_csv_text(out, row->key);
        fputc(',', out);
        mtfs_csv_text(out, row->label);
        fprintf(out, ",%s,%s,%s,%s,%s\n",
                mtfs_format_exact(NUM(row->low_value, "%s at P10", row->key), a, sizeof a),
                mtfs_format_exact(NUM(row->high_value, "%s at P90", row->key), b, sizeof b),
                mtfs_format_exact(NUM(row->low_gap, "gap with %s at P10", row->key), c, sizeof c),
                mtfs_format_exact(NUM(row->high_gap, "gap with %s at P90", row->key), d, sizeof d),
                mtfs_format_exact(NUM(row->swing, "swing of %s", row->key), e, sizeof e));
    }
    return mtfs_out_end(o, err);
}

/* The target quantity for people: "a gap of £16.4m in 2028/29". */
static char *goalseek_quantity(const mtfs_scenario *s, const mtfs_condition *tg, double value, char *buf,
                               size_t size)
{
    char money[48], year[16];
    mtfs_format_money(value, money, sizeof money);
    int y = tg->year ? tg->year : mtfs_scenario_base_year(s) + (int)mtfs_scenario_horizon(s);
    mtfs_year_label(y, year, sizeof year);
    switch (tg->quantity) {
    case MTFS_QUANTITY_RESERVES:
        snprintf(buf, size, "reserves of %s in %s", money, year);
        break;
    case MTFS_QUANTITY_CUMULATIVE_GAP:
        snprintf(buf, size, "a cumulative gap of %s by %s", money, year);
        break;
    default:
        snprintf(buf, size, "a gap of %s in %s", money, year);
        break;
    }
    return buf;
}

/* The answer in one sentence: the lever value that meets the target, that
 * none is needed, or the best the lever can do and what it leaves.  The
 * table's first line and the CSV's message. */
static char *goalseek_verdict(const mtfs_scenario *s, const mtfs_goalseek_spec *spec,
                              const mtfs_goalseek_result *r, char *buf, size_t size)
{
    char from[16], subject[64], left[128], cut[48], zero[16];
    int first = spec->from_year ? spec->from_year : mtfs_scenario_base_year(s) + 1;
    mtfs_year_label(first, from, sizeof from);
    mtfs_condition_subject(&spec->target, subject, sizeof subject);
    goalseek_quantity(s, &spec->target, r->after, left, sizeof left);
    mtfs_format_money(r->lever_value, cut, sizeof cut);
    mtfs_year_label(r->bound_year, zero, sizeof zero);
    int ct = spec->lever == MTFS_LEVER_COUNCIL_TAX;
    const char *service = spec->service;
    if (r->already_met)
        snprintf(buf, size, "Already met by the plan as it stands: no %s needed.", ct ? "rise" : "saving");
    else if (r->met && ct && r->lever_value == 0.0)
        snprintf(buf, size, "Met with no council-tax rise at all from %s (%s = %.1f at 0%%).", from, subject,
                 tidy(r->after));
    else if (r->met && ct)
        snprintf(buf, size, "Smallest council-tax rise: %.4f%% a year from %s (core and adult social care "
                 "together)", 100.0 * r->lever_value, from);
    else if (r->met)
        snprintf(buf, size, "Smallest recurring saving: £%.3fm a year from %s, %s", r->lever_value, from,
                 service[0] ? service : "corporate (flat, not inflated)");
    else if (ct)
        snprintf(buf, size, "Not reachable: even a council-tax rise of %.0f%% a year from %s, the most "
                 "the lever allows, leaves %s.", 100.0 * r->lever_value, from, left);
    else if (!r->bound_year)
        snprintf(buf, size, "Not reachable: even a saving of %s a year from %s, the most the lever allows, "
                 "leaves %s.", cut, from, left);
    else if (service[0] && r->bound_year == first)
        snprintf(buf, size, "Not reachable: even cutting all %s of the %s budget from %s leaves %s.", cut,
                 service, from, left);
    else if (service[0])
        snprintf(buf, size, "Not reachable: even cutting the %s budget by %s a year from %s, which takes "
                 "it to zero in %s, leaves %s.", service, cut, from, zero, left);
    else
        snprintf(buf, size, "Not reachable: even a corporate saving of %s a year from %s, all the "
                 "council spends in %s, leaves %s.", cut, from, zero, left);
    return buf;
}

mtfs_status mtfs_report_goalseek(FILE *stream, const mtfs_scenario *s, const mtfs_goalseek_spec *spec,
                                 const mtfs_goalseek_result *r, mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    /* Every number the goal seek reports, checked once before any is used. */
    NUM(r->before, "%s before", spec->target.text);
    NUM(r->after, "%s after", spec->target.text);
    NUM(r->lever_value, "the lever's value");
    NUM(r->lever_max, "the lever's bound");
    NUM(r->raised, "the amount raised or saved");
    NUM(r->referendum_limit, "the referendum limit");
    char subject[64], verdict[512], money[64];
    mtfs_condition_subject(&spec->target, subject, sizeof subject);
    fprintf(out, "%s\nTarget: %s (now %.1f)\n%s\n", mtfs_scenario_name(s), spec->target.text, r->before,
            goalseek_verdict(s, spec, r, verdict, sizeof verdict));
    int solved = r->met && !r->already_met;
    if (solved && spec->lever == MTFS_LEVER_COUNCIL_TAX) {
        if (r->lever_value > 0.0)
            fprintf(out, "%s becomes %.1f; council tax raises %s more than the plan in that year.\n",
                    subject, tidy(r->after), mtfs_format_money(r->raised, money, sizeof money));
        if (r->lever_value > r->referendum_limit + 1e-12)
            fprintf(out, "This breaks the referendum limit of %.2f%%: %s.\n", 100.0 * r->referendum_limit,
                    r->referendum_allowed ? "the scenario allows a referendum"
                                          : "it would need a local referendum");
        else
            fprintf(out, "This is within the referendum limit of %.2f%%.\n", 100.0 * r->referendum_limit);
    } else if (solved) {
        fprintf(out, "%s becomes %.1f; spending in that year falls by %s.\n", subject, tidy(r->after),
                mtfs_format_money(r->raised, money, sizeof money));
    }
    if (r->iterations)
        fprintf(out, "(Brent's method, %d iteration%s, to 1e-9 £m.)\n", r->iterations,
                r->iterations == 1 ? "" : "s");
    return mtfs_out_end(o, err);
}

mtfs_status mtfs_report_goalseek_csv(FILE *stream, const mtfs_scenario *s,
                                     const mtfs_goalseek_spec *spec, const mtfs_goalseek_result *r,
                                     mtfs_error *err)
{
    mtfs_out checked, *o = &checked;
    mtfs_status st = mtfs_out_begin(o, stream, err);
    if (st != MTFS_OK)
        return st;
    FILE *out = o->f;
    char a[40], b[40], c[40], d[40], e[40], m[40], verdict[512];
    int from = spec->from_year ? spec->from_year : mtfs_scenario_base_year(s) + 1;
    fputs("target,lever,service,from_year,met,already_met,lever_value,before,after,raised,"
          "referendum_limit,breaks_referendum_limit,iterations,lever_max,message\n", out);
    mtfs_csv_text(out, spec->target.text);
    fprintf(out, ",%s,", spec->lever == MTFS_LEVER_COUNCIL_TAX ? "council_tax" : "savings");
    mtfs_csv_text(out, spec->service);
    fprintf(out, ",%d,%d,%d,%s,%s,%s,%s,%s,%d,%d,%s,", from, r->met, r->already_met,
            mtfs_format_exact(NUM(r->lever_value, "the lever's value"), a, sizeof a),
            mtfs_format_exact(NUM(r->before, "%s before", spec->target.text), b, sizeof b),
            mtfs_format_exact(NUM(r->after, "%s after", spec->target.text), c, sizeof c),
            mtfs_format_exact(NUM(r->raised, "the amount raised or saved"), d, sizeof d),
            mtfs_format_exact(NUM(r->referendum_limit, "the referendum limit"), e, sizeof e),
            r->breaks_referendum, r->iterations,
            mtfs_format_exact(NUM(r->lever_max, "the lever's bound"), m, sizeof m));
    mtfs_csv_text(out, goalseek_verdict(s, spec, r, verdict, sizeof verdict));
    fputc('\n', out);
    return mtfs_out_end(o, err);
}
