/*
 * report_sweep.c - the national sweep as a table and as CSV (see
 * mtfs/sweep.h).  Every number goes through the checked output
 * (checked.h): one that is not finite is an error naming it, and nothing
 * is written.
 */
#include "mtfs/sweep.h"
#include "mtfs/version.h"
#include "checked.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

static void write_table(FILE *out, mtfs_out *o, const mtfs_sweep *s)
{
    const mtfs_sweep_options *opt = &s->options;
    char paths[32];
    fprintf(out, "National sweep: %zu formula%s, %zu weight variant%s, %s weight draw%s each "
            "(spread %g%%), seed %lu; mtfs %s\n", s->n_formulas, s->n_formulas == 1 ? "" : "s",
            s->n_items, s->n_items == 1 ? "" : "s",
            mtfs_group_digits((double)opt->paths, 0, paths, sizeof paths), opt->paths == 1 ? "" : "s",
            100.0 * opt->spread, opt->seed, mtfs_version());
    fputs("Change in funding against the status quo (each formula's baseline), £m a year; "
          "P10 to P90 over the weight draws.\n", out);
    if (s->n_items > s->n_formulas)
        fprintf(out, "The %zu grid variants (--steps %zu) are in the CSV and JSON.\n",
                s->n_items - s->n_formulas, opt->steps);
    for (size_t i = 0; i < s->n_items; i++) {
        const mtfs_sweep_item *it = &s->items[i];
        if (it->variant != 0)
            continue;
        const mtfs_sweep_formula *f = &s->formulas[it->formula];
        fprintf(out, "\n%s: %s (%s; %zu authorities)\n", f->stem, f->name, f->file, it->n_rows);
        fprintf(out, "  %-40s %8s %8s %8s %8s %8s %8s %8s\n", "Authority", "now £m", "new £m",
                "change", "£/head", "P10", "P50", "P90");
        for (size_t r = it->first_row; r < it->first_row + it->n_rows; r++) {
            const char *c = s->code[r];
            double now = NUM(s->now[r], "status-quo funding of %s", c);
            double under = NUM(s->under[r], "funding under %s of %s", f->stem, c);
            double change = NUM(under - now, "change in funding of %s", c);
            double head = NUM(1e6 * change / s->population[r], "change per head of %s", c);
            char a[64], b[64], d[64], e[64], g[64], h[64], k[64];
            fprintf(out, "  %-40.40s %8s %8s %8s %8s %8s %8s %8s\n", s->label[r],
                    mtfs_format_table_number(now, 1, 0, a, sizeof a),
                    mtfs_format_table_number(under, 1, 0, b, sizeof b),
                    mtfs_format_table_number(change, 1, 1, d, sizeof d),
                    mtfs_format_table_number(head, 0, 1, e, sizeof e),
                    mtfs_format_table_number(NUM(s->p10[r], "P10 of the change of %s", c), 1, 1, g, sizeof g),
                    mtfs_format_table_number(NUM(s->p50[r], "P50 of the change of %s", c), 1, 1, h, sizeof h),
                    mtfs_format_table_number(NUM(s->p90[r], "P90 of the change of %s", c), 1, 1, k, sizeof k));
        }
    }
}

mtfs_status mtfs_report_sweep_table(FILE *out, const mtfs_sweep *s, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_table(o.f, &o, s);
    return mtfs_out_end(&o, err);
}

static void write_csv(FILE *out, mtfs_out *o, const mtfs_sweep *s)
{
    static const char *const names[] = {"population", "now_m", "under_m", "change_m",
                                        "change_per_head", "p10_m", "p50_m", "p90_m",
                                        "p10_per_head", "p50_per_head", "p90_per_head"};
    char a[40];
    fputs("formula,variant,block,factor,weight,code,name", out);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        fprintf(out, ",%s", names[k]);
    fputc('\n', out);
    for (size_t i = 0; i < s->n_items; i++) {
        const mtfs_sweep_item *it = &s->items[i];
        const mtfs_sweep_formula *f = &s->formulas[it->formula];
        int grid = it->block != (size_t)-1;
        for (size_t r = it->first_row; r < it->first_row + it->n_rows; r++) {
            double per = 1e6 / s->population[r], change = s->under[r] - s->now[r];
            const double v[] = {s->population[r], s->now[r], s->under[r], change, change * per,
                                s->p10[r], s->p50[r], s->p90[r], s->p10[r] * per, s->p50[r] * per,
                                s->p90[r] * per};
            _Static_assert(sizeof v / sizeof v[0] == sizeof names / sizeof names[0], "one name a column");
            mtfs_csv_text(out, f->stem);
            fprintf(out, ",%zu,", it->variant);
            if (grid) {
                mtfs_csv_text(out, f->block_names[it->block]);
                fprintf(out, ",%s", mtfs_format_exact(NUM(it->factor, "factor of variant %zu", it->variant), a, sizeof a));
                fprintf(out, ",%s,", mtfs_format_exact(NUM(it->weights[it->block], "weight of variant %zu",
                                                           it->variant), a, sizeof a));
            } else
                fputs(",1,,", out);
            mtfs_csv_text(out, s->code[r]);
            fputc(',', out);
            mtfs_csv_text(out, s->label[r]);
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
                fprintf(out, ",%s", mtfs_format_exact(NUM(v[k], "%s of %s under %s variant %zu", names[k],
                                                          s->code[r], f->stem, it->variant), a, sizeof a));
            fputc('\n', out);
        }
    }
}

mtfs_status mtfs_report_sweep_csv(FILE *out, const mtfs_sweep *s, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_csv(o.f, &o, s);
    return mtfs_out_end(&o, err);
}
