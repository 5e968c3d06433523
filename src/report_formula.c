/*
 * report_formula.c - a formula's allocation as a table and as CSV (see
 * mtfs/report.h).  Every number goes through the checked output
 * (checked.h): one that is not finite is an error naming it, and nothing is
 * written.
 */
#include "mtfs/report.h"
#include "checked.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

/* The quantity names say which authority by its code: one cell. */
static void write_table(FILE *out, mtfs_out *o, const mtfs_formula_result *r, size_t focus)
{
    char total[64];
    fprintf(out, "%s\n%zu authorities; control total %s%s%s%s; data %s\n\n", r->name, r->n,
            mtfs_format_money(NUM(r->control_total, "the formula's control total"), total, sizeof total),
            r->level_of[0] ? " (every authority at the funding per head of " : "",
            r->level_of, r->level_of[0] ? ")" : "", r->data_path);
    fprintf(out, "  %-40s %10s %10s %10s %8s %10s %5s\n", "Authority", "now £m", "new £m", "change",
            "change", "new £/head", "rank");
    double sum_b = 0.0, sum_d = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        double baseline = NUM(r->baseline[i], "baseline funding of %s", r->code[i]);
        double final = NUM(r->final[i], "funding under the formula of %s", r->code[i]);
        double change = final - baseline;
        char rank[32], a[64], b[64], c[64], d[64], e[64];
        fprintf(out, "%s %-40.40s %10s %10s %10s %7s%% %10s %5s\n", i == focus ? ">" : " ", r->label[i],
                mtfs_format_table_number(baseline, 1, 0, a, sizeof a), mtfs_format_table_number(final, 1, 0, b, sizeof b),
                mtfs_format_table_number(NUM(change, "change in funding of %s", r->code[i]), 1, 1, c, sizeof c),
                mtfs_format_table_number(baseline != 0.0 ? NUM(100.0 * change / baseline, "percentage change of %s",
                                                        r->code[i])
                                                  : 0.0,
                                  1, 1, d, sizeof d),
                mtfs_format_table_number(NUM(1e6 * final / r->population[i], "funding per head of %s", r->code[i]),
                                  0, 0, e, sizeof e),
                mtfs_rank_text(r->rank[i], r->rank_shared_by[i], rank, sizeof rank));
        sum_b += baseline;
        sum_d += final;
    }
    sum_b = NUM(sum_b, "total baseline funding");
    sum_d = NUM(sum_d, "total funding under the formula");
    /* The totals agree to rounding; never show a rounding residue as -0.0. */
    double net = NUM(sum_d - sum_b, "total change in funding");
    char a[64], b[64], c[64];
    fprintf(out, "  %-40s %10s %10s %10s\n", "Total", mtfs_format_table_number(sum_b, 1, 0, a, sizeof a),
            mtfs_format_table_number(sum_d, 1, 0, b, sizeof b), mtfs_format_table_number(net, 1, 1, c, sizeof c));
    if (focus != (size_t)-1) {
        double baseline = NUM(r->baseline[focus], "baseline funding of %s", r->code[focus]);
        double final = NUM(r->final[focus], "funding under the formula of %s", r->code[focus]);
        double change = final - baseline;
        char what[96], money[32];
        if (fabs(change) < 0.05)
            snprintf(what, sizeof what, "no change");
        else
            snprintf(what, sizeof what, "%s a year, %+.1f%%",
                     mtfs_format_money_change(change, money, sizeof money), NUM(100.0 * change / baseline, "percentage change of %s", r->code[focus]));
        char rank[32], shared[64] = "";
        if (r->rank_shared_by[focus] > 1)
            snprintf(shared, sizeof shared, ", shared by %s%zu authorities",
                     r->rank_shared_by[focus] == r->n ? "all " : "", r->rank_shared_by[focus]);
        char now[64], under[64];
        fprintf(out, "\n%s: %s now, %s under this formula (%s); rank %s of %zu by funding "
                "per head%s.\n", r->label[focus], mtfs_format_money(baseline, now, sizeof now),
                mtfs_format_money(final, under, sizeof under), what,
                mtfs_rank_text(r->rank[focus], r->rank_shared_by[focus], rank, sizeof rank), r->n,
                shared);
    }
}

mtfs_status mtfs_report_formula_table(FILE *out, const mtfs_formula_result *r, size_t focus,
                                      mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_table(o.f, &o, r, focus);
    return mtfs_out_end(&o, err);
}

static void write_csv(FILE *out, mtfs_out *o, const mtfs_formula_result *r)
{
    static const char *const names[] = {"baseline", "need_share", "resources", "allocation", "final",
                                        "change", "population", "final_per_head"};
    char a[40];
    fputs("code,name,baseline,need_share,resources,allocation,final,change,population,"
          "final_per_head,rank", out);
    for (size_t y = 0; y < r->n_years; y++)
        fprintf(out, ",transition_%zu", y + 1);
    /* Added after the transition columns: the earlier ones keep their place. */
    fputs(",rank_shared_by\n", out);
    for (size_t i = 0; i < r->n; i++) {
        mtfs_csv_text(out, r->code[i]);
        fputc(',', out);
        mtfs_csv_text(out, r->label[i]);
        const double v[] = {r->baseline[i], r->need_share[i], r->resources[i], r->allocation[i],
                            r->final[i], r->final[i] - r->baseline[i], r->population[i],
                            1e6 * r->final[i] / r->population[i]};
        _Static_assert(sizeof v / sizeof v[0] == sizeof names / sizeof names[0], "one name a column");
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            fprintf(out, ",%s", mtfs_format_exact(NUM(v[k], "%s of %s", names[k], r->code[i]), a, sizeof a));
        fprintf(out, ",%zu", r->rank[i]);
        for (size_t y = 0; y < r->n_years; y++)
            fprintf(out, ",%s", mtfs_format_exact(NUM(r->path[i * r->n_years + y], "transition_%zu of %s",
                                                    y + 1, r->code[i]), a, sizeof a));
        fprintf(out, ",%zu\n", r->rank_shared_by[i]);
    }
}

mtfs_status mtfs_report_formula_csv(FILE *out, const mtfs_formula_result *r, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_csv(o.f, &o, r);
    return mtfs_out_end(&o, err);
}
