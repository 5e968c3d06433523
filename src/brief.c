/*
 * brief.c - the lobbying brief (see mtfs/brief.h).
 *
 * Funding per head is core spending power over population, both from the
 * reform's data table; "funded at X's level" is (X's per head - own per
 * head) x own population.  Formulas run as `mtfs formula` runs them, and
 * each change goes through the scenario's own reform settings (start year,
 * transition, uplift, scale) on a clone, so the gap table is the MTFS a
 * finance officer would get from a scenario file per formula.
 */
#include "mtfs/brief.h"
#include "mtfs/version.h"
#include "mtfs/projection.h"
#include "mtfs/sha256.h"
#include "mtfs/table.h"
#include "checked.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The F20 group's membership is not published in full; the brief uses the
 * 20 lowest-funded authorities per head as its stand-in and says so. */
enum { F20_SIZE = 20 };

typedef struct {
    const mtfs_table *t;
    size_t code, name, type, population, funding, year;
} columns;

/* A row of the data with a usable population and funding in `year`: both
 * known (the columns are checked, so a cell is empty or a valid number). */
static int usable(const columns *c, size_t r, const char *year)
{
    double pop = mtfs_table_number(c->t, r, c->population);
    double fund = mtfs_table_number(c->t, r, c->funding);
    return isfinite(pop) && pop > 0.0 && isfinite(fund) && fund > 0.0 &&
           strcmp(mtfs_table_text(c->t, r, c->year), year) == 0;
}

/* A tier for people from the data's type column. */
static const char *tier_name(const char *type)
{
    static const char *const names[][2] = {{"county", "county"},
                                           {"london", "London borough"},
                                           {"metropolitan", "metropolitan district"},
                                           {"unitary", "unitary authority"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(type, names[i][0]) == 0)
            return names[i][1];
    return type;
}

static void row_from_data(const columns *c, size_t r, mtfs_brief_kind kind, mtfs_brief_row *out)
{
    snprintf(out->label, sizeof out->label, "%s", mtfs_table_text(c->t, r, c->name));
    snprintf(out->code, sizeof out->code, "%s", mtfs_table_text(c->t, r, c->code));
    snprintf(out->tier, sizeof out->tier, "%s", tier_name(mtfs_table_text(c->t, r, c->type)));
    out->kind = kind;
    out->line = mtfs_table_line(c->t, r);
    out->members = 1;
    out->population = mtfs_table_number(c->t, r, c->population);
    out->funding = mtfs_table_number(c->t, r, c->funding);
}

/* The three group averages: England, shire counties, the F20 stand-in
 * (the last F20_SIZE by funding per head as mtfs_rank orders them, so
 * authorities at an equal figure are taken by name). */
static mtfs_status add_groups(const columns *c, const char *year, mtfs_brief *b, mtfs_error *err)
{
    size_t rows = mtfs_table_rows(c->t), n = 0;
    size_t *at = mtfs_calloc(3 * (rows ? rows : 1), sizeof *at);
    double *per_head = mtfs_calloc(rows ? rows : 1, sizeof *per_head);
    const char **name = mtfs_calloc(rows ? rows : 1, sizeof *name);
    if (!at || !per_head || !name) {
        mtfs_free(at);
        mtfs_free(per_head);
        mtfs_free(name);
        return mtfs_error_oom(err, NULL);
    }
    size_t *order = at + rows, *rank = at + 2 * rows;
    double pop[3] = {0}, fund[3] = {0};
    size_t members[3] = {0};
    for (size_t i = 0; i < rows; i++) {
        if (!usable(c, i, year))
            continue;
        double p = mtfs_table_number(c->t, i, c->population), f = mtfs_table_number(c->t, i, c->funding);
        pop[0] += p, fund[0] += f, members[0]++;
        if (strcmp(mtfs_table_text(c->t, i, c->type), "county") == 0)
            pop[1] += p, fund[1] += f, members[1]++;
        at[n] = i;
        per_head[n] = f / p;
        name[n++] = mtfs_table_text(c->t, i, c->name);
    }
    mtfs_rank(n, per_head, name, order, rank, NULL);
    for (size_t k = n > F20_SIZE ? n - F20_SIZE : 0; k < n; k++) {
        pop[2] += mtfs_table_number(c->t, at[order[k]], c->population);
        fund[2] += mtfs_table_number(c->t, at[order[k]], c->funding);
        members[2]++;
    }
    mtfs_free(at);
    mtfs_free(per_head);
    mtfs_free(name);
    static const char *const names[3] = {"England: all upper-tier authorities",
                                         "Shire counties", "F20 stand-in: the 20 lowest funded per head"};
    for (int g = 0; g < 3; g++) {
        if (!members[g])
            continue;
        mtfs_brief_row *row = &b->rows[b->n_rows++];
        snprintf(row->label, sizeof row->label, "%s", names[g]);
        row->kind = MTFS_BRIEF_GROUP;
        row->members = members[g];
        row->population = pop[g];
        row->funding = fund[g];
    }
    return MTFS_OK;
}

static mtfs_status add_formula(const char *file, const mtfs_fair_funding_info *info,
                               mtfs_brief_formula *f, mtfs_error *err)
{
    mtfs_formula_result *r;
    mtfs_status st = mtfs_formula_run(file, &r, err);
    if (st != MTFS_OK)
        return st;
    snprintf(f->name, sizeof f->name, "%s", r->name);
    snprintf(f->file, sizeof f->file, "%s", file);
    size_t i = mtfs_formula_find(r, info->code);
    f->in_scope = i != (size_t)-1;
    f->n = r->n;
    if (f->in_scope) {
        f->now = r->baseline[i];
        f->under = r->final[i];
        f->change = r->final[i] - r->baseline[i];
        f->rank = r->rank[i];
        f->rank_shared_by = r->rank_shared_by[i];
    }
    mtfs_formula_result_free(r);
    return mtfs_sha256_file(file, f->sha256, err);
}

/* Every case through the scenario's MTFS, on one clone. */
static mtfs_status run_cases(const mtfs_scenario *s, mtfs_brief *b, mtfs_error *err)
{
    mtfs_scenario *c;
    mtfs_status st = mtfs_scenario_clone(s, &c, err);
    if (st != MTFS_OK)
        return st;
    mtfs_projection *p = mtfs_projection_alloc(c);
    if (!p)
        st = mtfs_error_oom(err, NULL);
    for (size_t k = 0; st == MTFS_OK && k < b->n_cases; k++) {
        mtfs_brief_case *cs = &b->cases[k];
        if ((st = mtfs_scenario_set_reform(c, cs->change, err)) == MTFS_OK &&
            (st = mtfs_project_totals(c, p, err)) == MTFS_OK)
            memcpy(cs->gap, p->gap, (b->horizon + 1) * sizeof *cs->gap);
    }
    mtfs_projection_free(p);
    mtfs_scenario_free(c);
    return st;
}

/* A case whose change is already in the table (Surrey as a comparator and
 * as a formula, the status quo and no reform) is shown once.  Returns the
 * index of the case with this change. */
static size_t add_case(mtfs_brief *b, double change, const char *prefix, const char *what)
{
    for (size_t k = 0; k < b->n_cases; k++)
        if (fabs(b->cases[k].change - change) <= 1e-9 * (1.0 + fabs(change)))
            return k;
    mtfs_brief_case *cs = &b->cases[b->n_cases];
    cs->gap = b->storage + b->n_cases * (b->horizon + 1);
    cs->change = change;
    snprintf(cs->label, sizeof cs->label, "%s%s", prefix, what);
    return b->n_cases++;
}

static mtfs_status compute(const mtfs_scenario *s, const mtfs_fair_funding_info *info,
                           const mtfs_table *t, mtfs_brief *b, mtfs_error *err)
{
    columns c = {t, mtfs_table_column(t, "code"), mtfs_table_column(t, "name"),
                 mtfs_table_column(t, "type"), mtfs_table_column(t, "population"),
                 mtfs_table_column(t, "core_spending_power_m"), mtfs_table_column(t, "csp_year")};
    const char *needed[] = {"code", "name", "type", "population", "core_spending_power_m", "csp_year"};
    const size_t *cols[] = {&c.code, &c.name, &c.type, &c.population, &c.funding, &c.year};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        if (*cols[k] == (size_t)-1)
            return mtfs_error_set(err, MTFS_EINPUT, info->data_file, 1, NULL,
                                  "no column '%s' (expected the columns of data/authorities.csv)",
                                  needed[k]);
    /* Every row may count in a group average: every population and core
     * spending power must be empty (not known) or a valid number. */
    mtfs_status st;
    if ((st = mtfs_table_check_column(t, c.population, &MTFS_CELL_COUNT, err)) != MTFS_OK ||
        (st = mtfs_table_check_column(t, c.funding, &MTFS_CELL_MONEY_M, err)) != MTFS_OK)
        return st;
    size_t self = mtfs_table_find(t, info->code);
    if (self == (size_t)-1)
        return mtfs_error_set(err, MTFS_EINTERNAL, info->data_file, 0, NULL,
                              "authority %s is no longer in the data", info->code);
    snprintf(b->funding_year, sizeof b->funding_year, "%s", mtfs_table_text(t, self, c.year));
    size_t py = mtfs_table_column(t, "population_year");
    double year = NAN;
    if (py != (size_t)-1 && (st = mtfs_table_value(t, self, py, &MTFS_CELL_YEAR, 0, &year, err)) != MTFS_OK)
        return st;
    b->population_year = isfinite(year) ? (int)year : 0;
    if (!usable(&c, self, b->funding_year))
        return mtfs_error_set(err, MTFS_EINPUT, info->data_file, mtfs_table_line(t, self), NULL,
                              "%s has no population or core spending power (expected both)",
                              info->authority);

    size_t nc = mtfs_scenario_brief_comparator_count(s), nf = mtfs_scenario_brief_formula_count(s);
    int own_formula_listed = 0;
    for (size_t k = 0; k < nf; k++)
        own_formula_listed |= strcmp(mtfs_scenario_brief_formula(s, k), info->formula_file) == 0;
    size_t formulas = nf + !own_formula_listed;
    b->rows = mtfs_calloc(1 + nc + 3, sizeof *b->rows);
    b->formulas = mtfs_calloc(formulas, sizeof *b->formulas);
    b->cases = mtfs_calloc(2 + formulas + nc + 3, sizeof *b->cases);
    b->storage = mtfs_calloc((2 + formulas + nc + 3) * (b->horizon + 1), sizeof *b->storage);
    if (!b->rows || !b->formulas || !b->cases || !b->storage)
        return mtfs_error_oom(err, NULL);

    row_from_data(&c, self, MTFS_BRIEF_SELF, &b->rows[b->n_rows++]);
    for (size_t k = 0; k < nc; k++) {
        size_t r = mtfs_table_find(t, mtfs_scenario_brief_comparator(s, k));
        if (r == (size_t)-1)
            return mtfs_error_set(err, MTFS_EINTERNAL, info->data_file, 0, NULL,
                                  "comparator %s is no longer in the data",
                                  mtfs_scenario_brief_comparator(s, k));
        if (!usable(&c, r, b->funding_year)) {
            /* Named as the scenario names it: the message quotes no data. */
            char who[4 * MTFS_EXCERPT_CHARS + 8], when[4 * MTFS_EXCERPT_CHARS + 8];
            return mtfs_error_set(err, MTFS_EINPUT, info->data_file, mtfs_table_line(t, r), NULL,
                                  "comparator %s has no population or %s core spending power "
                                  "(expected an authority that existed then)",
                                  mtfs_excerpt(mtfs_scenario_brief_comparator(s, k), who, sizeof who),
                                  mtfs_excerpt(b->funding_year, when, sizeof when));
        }
        row_from_data(&c, r, MTFS_BRIEF_COMPARATOR, &b->rows[b->n_rows++]);
    }
    if ((st = add_groups(&c, b->funding_year, b, err)) != MTFS_OK)
        return st;
    const mtfs_brief_row *own = &b->rows[0];
    for (size_t k = 0; k < b->n_rows; k++) {
        mtfs_brief_row *r = &b->rows[k];
        r->per_head = 1e6 * r->funding / r->population;
        r->gain = (r->per_head - 1e6 * own->funding / own->population) * own->population / 1e6;
    }

    for (size_t k = 0; st == MTFS_OK && k < formulas; k++) {
        const char *file = k < nf ? mtfs_scenario_brief_formula(s, k) : info->formula_file;
        st = add_formula(file, info, &b->formulas[b->n_formulas++], err);
    }
    if (st != MTFS_OK || (st = mtfs_formula_run(info->formula_file, &b->chart, err)) != MTFS_OK)
        return st;
    b->chart_focus = mtfs_formula_find(b->chart, info->code);

    b->rows[0].gap_case = add_case(b, 0.0, "", "Without reform");
    size_t scenario_case = add_case(b, info->final - info->baseline, "This scenario: ", info->formula_name);
    for (size_t k = 0; k < b->n_formulas; k++)
        if (strcmp(b->formulas[k].file, info->formula_file) == 0)
            b->formulas[k].gap_case = scenario_case;
        else if (b->formulas[k].in_scope)
            b->formulas[k].gap_case = add_case(b, b->formulas[k].change, "", b->formulas[k].name);
    for (size_t k = 1; k < b->n_rows; k++)
        b->rows[k].gap_case =
            add_case(b, b->rows[k].gain, b->rows[k].kind == MTFS_BRIEF_GROUP ? "Funded at the average of: "
                                                                             : "Funded at the level of ",
                     b->rows[k].label);
    return run_cases(s, b, err);
}

mtfs_status mtfs_brief_compute(const mtfs_scenario *s, mtfs_brief **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_fair_funding_info info;
    if (!mtfs_scenario_fair_funding(s, &info))
        return mtfs_error_set(err, MTFS_EINPUT, mtfs_scenario_file(s, 0), 0, "fair_funding",
                              "a brief needs a fair_funding block naming the authority and its "
                              "data (expected fair_funding = { formula = ...; authority = ...; "
                              "start_year = ...; })");
    mtfs_brief *b = mtfs_calloc(1, sizeof *b);
    if (!b)
        return mtfs_error_oom(err, NULL);
    snprintf(b->authority, sizeof b->authority, "%s", info.authority);
    snprintf(b->code, sizeof b->code, "%s", info.code);
    snprintf(b->data_file, sizeof b->data_file, "%s", info.data_file);
    b->horizon = mtfs_scenario_horizon(s);
    b->base_year = mtfs_scenario_base_year(s);
    b->start_year = info.start_year;
    b->chart_focus = (size_t)-1;
    b->data_year = info.data_year;
    b->price_factor = info.price_factor;
    b->scale = info.scale;
    b->uplift_cpi = info.uplift_cpi;
    if (info.prices_file) {
        snprintf(b->prices_file, sizeof b->prices_file, "%s", info.prices_file);
        snprintf(b->prices_series, sizeof b->prices_series, "%s", info.prices_series);
        b->n_price_years = info.n_price_years;
        memcpy(b->price_rate, info.price_rate, info.n_price_years * sizeof *b->price_rate);
        memcpy(b->price_line, info.price_line, info.n_price_years * sizeof *b->price_line);
    }
    mtfs_table *t = NULL;
    mtfs_status st = mtfs_sha256_file(info.data_file, b->data_sha256, err);
    if (st == MTFS_OK && b->prices_file[0])
        st = mtfs_sha256_file(b->prices_file, b->prices_sha256, err);
    if (st == MTFS_OK && (st = mtfs_table_load(info.data_file, &t, err)) == MTFS_OK)
        st = compute(s, &info, t, b, err);
    mtfs_table_free(t);
    if (st != MTFS_OK) {
        mtfs_brief_free(b);
        return st;
    }
    *out = b;
    return MTFS_OK;
}

void mtfs_brief_free(mtfs_brief *b)
{
    if (!b)
        return;
    mtfs_free(b->rows);
    mtfs_free(b->formulas);
    mtfs_free(b->cases);
    mtfs_free(b->storage);
    mtfs_formula_result_free(b->chart);
    mtfs_free(b);
}

/* ---------------------------------------------------------------------- */
/* Markdown                                                                */

/* 1048.02 -> "£1,048.0m" */
static const char *money_m(double x, char *buf, size_t size)
{
    char digits[64];
    mtfs_group_digits(x, 1, digits, sizeof digits);
    int negative = digits[0] == '-';
    snprintf(buf, size, "%s£%sm", negative ? "-" : "", digits + negative);
    return buf;
}

static void md_text(FILE *out, const char *text)
{
    for (; *text; text++) {
        if (*text == '|' || *text == '*' || *text == '_' || *text == '[' || *text == ']')
            fputc('\\', out);
        fputc(*text, out);
    }
}

#define NUM(x, ...) mtfs_out_num(o, (x), __VA_ARGS__)

/* The funding-per-head table and what it means. */
static void md_per_head(FILE *out, mtfs_out *o, const mtfs_brief *b, const mtfs_brief_charts *charts)
{
    char a[64], c[64], m[64], gain[32];
    const mtfs_brief_row *own = &b->rows[0];
    const int restated = b->prices_file[0] != '\0';
    char base[16];
    mtfs_year_label(b->base_year, base, sizeof base);
    fputs("## Funding per head\n\n", out);
    fprintf(out, "| | population | core spending power %s |", b->funding_year);
    if (restated)
        fprintf(out, " the same in %s prices |", base);
    fputs(" £ a head | if ", out);
    md_text(out, b->authority);
    fputs(" were funded at this level |", out);
    if (restated)
        fprintf(out, " the same in %s prices |", base);
    fputs(restated ? "\n|---|---:|---:|---:|---:|---:|---:|\n" : "\n|---|---:|---:|---:|---:|\n", out);
    for (size_t k = 0; k < b->n_rows; k++) {
        const mtfs_brief_row *r = &b->rows[k];
        fputs("| ", out);
        if (r->kind == MTFS_BRIEF_SELF)
            fputs("**", out);
        md_text(out, r->label);
        if (r->kind == MTFS_BRIEF_SELF)
            fputs("**", out);
        if (r->kind == MTFS_BRIEF_GROUP)
            fprintf(out, " (%zu authorities)", r->members);
        fprintf(out, " | %s | %s |",
                mtfs_group_digits(NUM(r->population, "population of %s", r->label), 0, a, sizeof a),
                money_m(NUM(r->funding, "core spending power of %s", r->label), m, sizeof m));
        if (restated)
            fprintf(out, " %s |", money_m(NUM(r->funding * b->price_factor, "core spending power of %s "
                                              "in base-year prices", r->label), m, sizeof m));
        fprintf(out, " £%s | %s |",
                mtfs_group_digits(NUM(r->per_head, "funding per head of %s", r->label), 0, c, sizeof c),
                r->kind == MTFS_BRIEF_SELF ? "—"
                : mtfs_format_money_change(NUM(r->gain, "funding at the level of %s", r->label), gain,
                                           sizeof gain));
        if (restated)
            fprintf(out, " %s |", r->kind == MTFS_BRIEF_SELF ? "—"
                    : mtfs_format_money_change(NUM(r->gain * b->price_factor, "funding at the level of %s "
                                                   "in base-year prices", r->label), gain, sizeof gain));
        fputc('\n', out);
    }
    fputs("\n\"Funded at this level\" is the difference in funding per head times ", out);
    md_text(out, b->authority);
    fprintf(out, "'s population (%s). Counties fund county services only; unitary, metropolitan "
            "and London authorities also fund district services, so the England average is not "
            "like for like with a county. The F20 group's membership is not published in full: "
            "the stand-in is the %d lowest-funded authorities per head in the data.\n\n",
            mtfs_group_digits(NUM(own->population, "population of %s", own->label), 0, a, sizeof a),
            F20_SIZE);
    if (charts && charts->per_head)
        fprintf(out, "![Funding per head, £ a year](%s)\n\n", charts->per_head);
}

/* What each formula gives the authority, and the winners-and-losers chart. */
static void md_formulas(FILE *out, mtfs_out *o, const mtfs_brief *b, const mtfs_brief_charts *charts)
{
    char a[64];
    fputs("## What each formula gives ", out);
    md_text(out, b->authority);
    const int restated = b->prices_file[0] != '\0';
    char base[16];
    mtfs_year_label(b->base_year, base, sizeof base);
    fputs("\n\n| formula | file | now £m | under the formula £m | change a year |", out);
    if (restated)
        fprintf(out, " now, %s prices | under, %s prices | change, %s prices |", base, base, base);
    fputs(" change | rank |\n|---|---|---:|---:|---:|", out);
    fputs(restated ? "---:|---:|---:|---:|---:|\n" : "---:|---:|\n", out);
    for (size_t k = 0; k < b->n_formulas; k++) {
        const mtfs_brief_formula *f = &b->formulas[k];
        fputs("| ", out);
        md_text(out, f->name);
        fprintf(out, " | `%s` |", f->file);
        if (!f->in_scope) {
            fputs(restated ? " | | outside the formula's scope | | | | | |\n"
                           : " | | outside the formula's scope | | |\n", out);
            continue;
        }
        double now = NUM(f->now, "funding now under '%s'", f->name);
        double change = NUM(f->change, "change under '%s'", f->name);
        double pct = now != 0.0 ? NUM(100.0 * change / now, "percentage change under '%s'", f->name) : 0.0;
        char rank[32], n1[64], n2[64], n3[64];
        fprintf(out, " %s | %s | %s |", mtfs_format_table_number(now, 1, 0, n1, sizeof n1),
                mtfs_format_table_number(NUM(f->under, "funding under '%s'", f->name), 1, 0, n2, sizeof n2),
                mtfs_format_money_change(change, a, sizeof a));
        if (restated)
            fprintf(out, " %s | %s | %s |",
                    mtfs_format_table_number(NUM(now * b->price_factor, "funding now under '%s' in base-year "
                                                 "prices", f->name), 1, 0, n1, sizeof n1),
                    mtfs_format_table_number(NUM(f->under * b->price_factor, "funding under '%s' in "
                                                 "base-year prices", f->name), 1, 0, n2, sizeof n2),
                    mtfs_format_money_change(NUM(change * b->price_factor, "change under '%s' in base-year "
                                                 "prices", f->name), a, sizeof a));
        fprintf(out, " %s%% | %s of %zu |\n", mtfs_format_table_number(pct, 1, 1, n3, sizeof n3),
                mtfs_rank_text(f->rank, f->rank_shared_by, rank, sizeof rank), f->n);
    }
    fputs("\nA formula that equalises council tax (a `council_tax` key) compares funding other than "
          "council tax, so its \"now\" is smaller; its change is still a change in spending power "
          "at unchanged council tax. Rank is by funding per head under the formula, 1 the highest; "
          "\"=\" marks a rank shared with authorities at the same figure.\n\n",
          out);
    if (charts && charts->formula && b->chart) {
        fputs("![Winners and losers under ", out);
        md_text(out, b->chart->name);
        fprintf(out, "](%s)\n\n", charts->formula);
    }
}

/* The funding gap of each case, year by year. */
static void md_gap(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_brief *b)
{
    char year[16], start[16];
    mtfs_year_label(b->start_year, start, sizeof start);
    fputs("## The MTFS gap with and without reform\n\n", out);
    fprintf(out, "Each change goes through this scenario's reform settings: from %s, with its "
            "transition, price basis, uplift and scale (`fair_funding` in `%s`). Funding gap, £m:\n\n", start,
            mtfs_scenario_file(s, 0));
    fputs("| case |", out);
    for (size_t t = 1; t <= b->horizon; t++)
        fprintf(out, " %s |", mtfs_year_label(b->base_year + (int)t, year, sizeof year));
    fputs("\n|---|", out);
    for (size_t t = 1; t <= b->horizon; t++)
        fputs("---:|", out);
    fputc('\n', out);
    for (size_t k = 0; k < b->n_cases; k++) {
        fputs("| ", out);
        md_text(out, b->cases[k].label);
        fputs(" |", out);
        for (size_t t = 1; t <= b->horizon; t++) {
            double gap = NUM(b->cases[k].gap[t], "gap in %s for '%s'",
                             mtfs_year_label(b->base_year + (int)t, year, sizeof year), b->cases[k].label);
            char n[64];
            fprintf(out, " %s |", mtfs_format_table_number(gap, 1, 0, n, sizeof n));
        }
        fputc('\n', out);
    }
}

/* The price basis: the year the data's money is in, the scenario's base
 * year, and whether and how the one is restated in the other's prices. */
static void md_price_basis(FILE *out, mtfs_out *o, const mtfs_brief *b)
{
    char base[16], next[16], year[16], n[64];
    mtfs_year_label(b->base_year, base, sizeof base);
    mtfs_year_label(b->base_year + 1, next, sizeof next);
    fputs("## Price basis\n\n", out);
    fprintf(out, "The data's money is %s cash: core spending power, and council tax where a formula "
            "equalises it. This scenario's base year is %s, and its MTFS is in the cash of each year. ",
            b->funding_year, base);
    if (!b->prices_file[0]) {
        fprintf(out, "Its `fair_funding` block has no `prices`, so the changes below enter the MTFS at "
                "their %s cash values, not restated in %s prices: they understate a change of the same "
                "real worth by the inflation between the two years. A `prices` block naming a price "
                "index restates them (docs/fair-funding.md, \"Price basis\"). ", b->funding_year, base);
    } else {
        fprintf(out, "Its `fair_funding` block restates the data's money in %s prices by the series `%s` "
                "of `%s`, one rate a year:\n\n| year | rate | line of `%s` |\n|---|---:|---:|\n",
                base, b->prices_series, b->prices_file, b->prices_file);
        const int up = b->data_year <= b->base_year;
        int first = (up ? b->data_year : b->base_year) + 1;
        for (size_t k = 0; k < b->n_price_years; k++)
            fprintf(out, "| %s | %s%% | %d |\n", mtfs_year_label(first + (int)k, year, sizeof year),
                    mtfs_format_table_number(NUM(100.0 * b->price_rate[k], "price rate of %s", year), 1, 1,
                                             n, sizeof n), b->price_line[k]);
        fprintf(out, "\nThe factor from %s cash to %s prices is P = %s", b->funding_year, base, up ? "" : "1 / (");
        for (size_t k = 0; k < b->n_price_years; k++)
            fprintf(out, "%s%.4f", k ? " × " : "", 1.0 + b->price_rate[k]);
        if (!b->n_price_years)
            fputs("1", out);
        fprintf(out, "%s = **%.4f**. Every £m of the data year below is shown in %s cash and in %s "
                "prices (× %.4f). ", up ? "" : ")", NUM(b->price_factor, "price factor"), b->funding_year,
                base, b->price_factor);
    }
    fprintf(out, "In the MTFS the change%s", b->prices_file[0] ? " in base-year prices" : "");
    if (b->scale != 1.0)
        fprintf(out, " is multiplied by the block's `scale`, %.10g, and", NUM(b->scale, "scale"));
    if (b->uplift_cpi)
        fprintf(out, " is uplifted by this scenario's CPI from %s on (`uplift = \"cpi\"`)", next);
    else
        fprintf(out, " is held at its %s value in every year (`uplift = \"flat\"`)",
                b->prices_file[0] ? base : b->funding_year);
    fputs("; the gap table is in the cash of each year.\n\n", out);
}

/* Where every figure comes from: data rows, formulas and scenario files
 * with their SHA-256. */
static mtfs_status md_sources(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_brief *b,
                              mtfs_error *err)
{
    char a[64];
    fputs("\n## Sources\n\n", out);
    fprintf(out, "- Data: `%s` (SHA-256 `%s`); columns `population`, `core_spending_power_m`, "
            "`csp_year`; see data/README.md for their sources. Rows used:\n", b->data_file,
            b->data_sha256);
    for (size_t k = 0; k < b->n_rows; k++) {
        const mtfs_brief_row *r = &b->rows[k];
        if (r->kind == MTFS_BRIEF_GROUP)
            continue;
        fprintf(out, "  - line %d: %s ", r->line, r->code);
        md_text(out, r->label);
        fprintf(out, ", population %s, core spending power £%.2fm (`%s`)\n",
                mtfs_group_digits(NUM(r->population, "population of %s", r->label), 0, a, sizeof a),
                NUM(r->funding, "core spending power of %s", r->label), b->funding_year);
    }
    fprintf(out, "- Group averages: every row of the data with %s core spending power and a "
            "population (shire counties: type `county`), total funding over total population.\n",
            b->funding_year);
    if (b->prices_file[0])
        fprintf(out, "- Price index: `%s` (SHA-256 `%s`), series `%s`, lines %d to %d; see data/README.md "
                "for its source.\n", b->prices_file, b->prices_sha256, b->prices_series,
                b->n_price_years ? b->price_line[0] : 0,
                b->n_price_years ? b->price_line[b->n_price_years - 1] : 0);
    fputs("- Formulas:\n", out);
    for (size_t k = 0; k < b->n_formulas; k++)
        fprintf(out, "  - `%s` (SHA-256 `%s`)\n", b->formulas[k].file, b->formulas[k].sha256);
    fputs("- Scenario files:\n", out);
    for (size_t k = 0; k < mtfs_scenario_file_count(s); k++) {
        char hex[65];
        mtfs_status st = mtfs_sha256_file(mtfs_scenario_file(s, k), hex, err);
        if (st != MTFS_OK)
            return st;
        fprintf(out, "  - `%s` (SHA-256 `%s`)\n", mtfs_scenario_file(s, k), hex);
    }
    return MTFS_OK;
}

static mtfs_status write_markdown(FILE *out, mtfs_out *o, const mtfs_scenario *s, const mtfs_brief *b,
                                  const mtfs_brief_charts *charts, mtfs_error *err)
{
    fputs("# Fair funding brief: ", out);
    md_text(out, b->authority);
    fputs("\n\n", out);
    char pop[32] = "population";
    if (b->population_year > 0)
        snprintf(pop, sizeof pop, "population mid-%d", b->population_year);
    fprintf(out, "Core spending power %s and %s, from `%s`; the MTFS is the scenario *",
            b->funding_year, pop, b->data_file);
    md_text(out, mtfs_scenario_name(s));
    fprintf(out, "* (`%s`). Generated by mtfs %s; every figure is traced under Sources.\n\n",
            mtfs_scenario_file(s, 0), MTFS_VERSION);

    md_price_basis(out, o, b);
    md_per_head(out, o, b, charts);
    md_formulas(out, o, b, charts);
    md_gap(out, o, s, b);
    return md_sources(out, o, s, b, err);
}

mtfs_status mtfs_brief_markdown(FILE *out, const mtfs_scenario *s, const mtfs_brief *b,
                                const mtfs_brief_charts *charts, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    if ((st = write_markdown(o.f, &o, s, b, charts, err)) != MTFS_OK) {
        mtfs_out_discard(&o);
        return st;
    }
    return mtfs_out_end(&o, err);
}

/* ---------------------------------------------------------------------- */
/* CSV (and through it JSON)                                               */

/* ",<x>" at full precision, or "," for an empty cell. */
static void csv_num(FILE *out, mtfs_out *o, int known, double x, const char *what, const char *who)
{
    char a[40];
    fputc(',', out);
    if (known)
        fputs(mtfs_format_exact(NUM(x, "%s of %s", what, who), a, sizeof a), out);
}

static void csv_text(FILE *out, const char *text)
{
    fputc(',', out);
    mtfs_csv_text(out, text);
}

static void csv_gap(FILE *out, mtfs_out *o, const mtfs_brief *b, int known, size_t gap_case)
{
    char year[16], what[32];
    for (size_t t = 1; t <= b->horizon; t++) {
        const mtfs_brief_case *cs = &b->cases[gap_case];
        snprintf(what, sizeof what, "gap in %s", mtfs_year_label(b->base_year + (int)t, year, sizeof year));
        csv_num(out, o, known, known ? cs->gap[t] : 0.0, what, cs->label);
    }
    fputc('\n', out);
}

static void write_csv(FILE *out, mtfs_out *o, const mtfs_brief *b)
{
    static const char *const items[] = {"authority", "comparator", "group"};
    fputs("item,name,code,tier,data_line,members,population,core_spending_power_m,per_head,file,"
          "now_m,under_m,change_m,change_pct,rank,rank_shared_by,rank_out_of,price_factor,change_base_m", out);
    for (size_t t = 1; t <= b->horizon; t++)
        fprintf(out, ",gap_%d", b->base_year + (int)t);
    fputc('\n', out);
    for (size_t k = 0; k < b->n_rows; k++) {
        const mtfs_brief_row *r = &b->rows[k];
        const int group = r->kind == MTFS_BRIEF_GROUP;
        fputs(items[r->kind], out);
        csv_text(out, r->label);
        csv_text(out, r->code);
        csv_text(out, r->tier);
        csv_num(out, o, !group, r->line, "data line", r->label);
        csv_num(out, o, 1, (double)r->members, "members", r->label);
        csv_num(out, o, 1, r->population, "population", r->label);
        csv_num(out, o, 1, r->funding, "core spending power", r->label);
        csv_num(out, o, 1, r->per_head, "funding per head", r->label);
        fputs(",,,", out);   /* file, now_m, under_m */
        csv_num(out, o, 1, r->gain, "funding at the level", r->label);
        fputs(",,,,", out);  /* change_pct, rank, rank_shared_by, rank_out_of */
        csv_num(out, o, 1, b->price_factor, "price factor", r->label);
        csv_num(out, o, 1, r->gain * b->price_factor, "funding at the level in base-year prices", r->label);
        csv_gap(out, o, b, 1, r->gap_case);
    }
    for (size_t k = 0; k < b->n_formulas; k++) {
        const mtfs_brief_formula *f = &b->formulas[k];
        const int in = f->in_scope;
        fputs("formula", out);
        csv_text(out, f->name);
        fputs(",,,,,,,", out); /* code, tier, data_line, members, population, csp, per_head */
        csv_text(out, f->file);
        csv_num(out, o, in, f->now, "funding now", f->name);
        csv_num(out, o, in, f->under, "funding under the formula", f->name);
        csv_num(out, o, in, f->change, "change", f->name);
        csv_num(out, o, in && f->now != 0.0, in && f->now != 0.0 ? 100.0 * f->change / f->now : 0.0,
                "percentage change", f->name);
        csv_num(out, o, in, (double)f->rank, "rank", f->name);
        csv_num(out, o, in, (double)f->rank_shared_by, "rank shared by", f->name);
        csv_num(out, o, 1, (double)f->n, "authorities ranked", f->name);
        csv_num(out, o, 1, b->price_factor, "price factor", f->name);
        csv_num(out, o, in, f->change * b->price_factor, "change in base-year prices", f->name);
        csv_gap(out, o, b, in, f->gap_case);
    }
}

mtfs_status mtfs_brief_csv(FILE *out, const mtfs_brief *b, mtfs_error *err)
{
    mtfs_out o;
    mtfs_status st = mtfs_out_begin(&o, out, err);
    if (st != MTFS_OK)
        return st;
    write_csv(o.f, &o, b);
    return mtfs_out_end(&o, err);
}
