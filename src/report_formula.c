/*
 * report_formula.c - a formula's allocation as a table and as CSV (see
 * mtfs/report.h).
 */
#include "mtfs/report.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

mtfs_status mtfs_report_formula_table(FILE *out, const mtfs_formula_result *r, size_t focus,
                                      mtfs_error *err)
{
    fprintf(out, "%s\n%zu authorities; control total £%.1fm%s%s%s; data %s\n\n", r->name, r->n,
            r->control_total, r->level_of[0] ? " (every authority at the funding per head of " : "",
            r->level_of, r->level_of[0] ? ")" : "", r->data_path);
    fprintf(out, "  %-40s %10s %10s %10s %8s %10s %5s\n", "Authority", "now £m", "new £m", "change",
            "change", "new £/head", "rank");
    double sum_b = 0.0, sum_d = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        double change = r->final[i] - r->baseline[i];
        fprintf(out, "%s %-40.40s %10.1f %10.1f %+10.1f %+7.1f%% %10.0f %5zu\n", i == focus ? ">" : " ",
                r->label[i], r->baseline[i], r->final[i], change,
                r->baseline[i] != 0.0 ? 100.0 * change / r->baseline[i] : 0.0,
                1e6 * r->final[i] / r->population[i], r->rank[i]);
        sum_b += r->baseline[i];
        sum_d += r->final[i];
    }
    /* The totals agree to rounding; never show a rounding residue as -0.0. */
    double net = fabs(sum_d - sum_b) < 0.05 ? 0.0 : sum_d - sum_b;
    fprintf(out, "  %-40s %10.1f %10.1f %+10.1f\n", "Total", sum_b, sum_d, net);
    if (focus != (size_t)-1) {
        double change = r->final[focus] - r->baseline[focus];
        char what[96];
        if (fabs(change) < 0.05)
            snprintf(what, sizeof what, "no change");
        else
            snprintf(what, sizeof what, "%s£%.1fm a year, %+.1f%%", change < 0 ? "-" : "+", fabs(change),
                     100.0 * change / r->baseline[focus]);
        fprintf(out, "\n%s: £%.1fm now, £%.1fm under this formula (%s); rank %zu of %zu by funding "
                "per head.\n", r->label[focus], r->baseline[focus], r->final[focus], what,
                r->rank[focus], r->n);
    }
    return mtfs_stream_status(out, err);
}

mtfs_status mtfs_report_formula_csv(FILE *out, const mtfs_formula_result *r, mtfs_error *err)
{
    char a[40];
    fputs("code,name,baseline,need_share,resources,allocation,final,change,population,"
          "final_per_head,rank", out);
    for (size_t y = 0; y < r->n_years; y++)
        fprintf(out, ",transition_%zu", y + 1);
    fputc('\n', out);
    for (size_t i = 0; i < r->n; i++) {
        mtfs_csv_text(out, r->code[i]);
        fputc(',', out);
        mtfs_csv_text(out, r->label[i]);
        const double v[] = {r->baseline[i], r->need_share[i], r->resources[i], r->allocation[i],
                            r->final[i], r->final[i] - r->baseline[i], r->population[i],
                            1e6 * r->final[i] / r->population[i]};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            fprintf(out, ",%s", mtfs_format_g17(v[k], a, sizeof a));
        fprintf(out, ",%zu", r->rank[i]);
        for (size_t y = 0; y < r->n_years; y++)
            fprintf(out, ",%s", mtfs_format_g17(r->path[i * r->n_years + y], a, sizeof a));
        fputc('\n', out);
    }
    return mtfs_stream_status(out, err);
}
