/*
 * formula.c - needs shares, resource equalisation, floors and transition
 * over a data table (see mtfs/formula.h and docs/model.md section 6).
 *
 *   u_ib = sum_k w_bk x_ik / sum_j x_jk        (times aca_i for ACA blocks)
 *   s_i  = sum_b c_b u_ib / sum_j u_jb
 *   R_i  = e taxbase_i notional_band_d / 1e6
 *   A_i  = s_i (G + sum_j R_j) - R_i; negatives to 0, the rest rescaled to G
 *   D_i  = max(A_i, B_i (1 + floor)); floors paid by scaling gains above B_i
 *   T_i(t) = B_i + lambda(t) (D_i - B_i)
 */
#include "mtfs/formula.h"
#include "mtfs/input.h"
#include "mtfs/table.h"
#include "checked.h"
#include "config.h"
#include "util.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

typedef struct {
    const mtfs_table *t;
    mtfs_error *err;
} fctx;

static mtfs_status located(fctx *f, const mtfs_node *n, const char *key, const char *fmt, const char *a,
                           const char *b)
{
    char msg[MTFS_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return mtfs_error_set(f->err, MTFS_EINPUT, n->file, n->line, key, "%s", msg);
}

static mtfs_status number(fctx *f, const mtfs_node *g, const char *name, const char *key, double lo,
                          double hi, int required, double fallback, double *out)
{
    const mtfs_node *n = mtfs_node_get(g, name);
    *out = fallback;
    if (!n)
        return required ? located(f, g, key, "missing (expected a number)%s%s", NULL, NULL) : MTFS_OK;
    if (!mtfs_node_is_number(n))
        return located(f, n, key, "found %s (expected a number)%s", mtfs_node_type_name(n), NULL);
    if (!(n->number >= lo && n->number <= hi)) {
        char range[96];
        snprintf(range, sizeof range, "%g to %g", lo, hi);
        return located(f, n, key, "value is outside %s%s", range, NULL);
    }
    *out = n->number;
    return MTFS_OK;
}

static const char *text(const mtfs_node *g, const char *name)
{
    const mtfs_node *n = mtfs_node_get(g, name);
    return n && n->type == MTFS_NODE_STRING ? n->text : NULL;
}

/* Column `name` of the data, suggesting the nearest when unknown. */
static mtfs_status column(fctx *f, const mtfs_node *at, const char *key, const char *name, size_t *out)
{
    *out = mtfs_table_column(f->t, name);
    if (*out != (size_t)-1)
        return MTFS_OK;
    size_t n = mtfs_table_columns(f->t);
    const char **names = mtfs_calloc(n ? n : 1, sizeof *names);
    if (!names)
        return mtfs_error_oom(f->err, NULL);
    for (size_t c = 0; c < n; c++)
        names[c] = mtfs_table_column_name(f->t, c);
    const char *near = mtfs_nearest(name, names, n);
    char msg[480], a[4 * MTFS_EXCERPT_CHARS + 8], b[4 * MTFS_EXCERPT_CHARS + 8];
    /* The suggestion is a header cell: quoted as an excerpt, like any cell. */
    snprintf(msg, sizeof msg, "no column '%s' in the data%s%s%s", mtfs_excerpt(name, a, sizeof a),
             near ? " (did you mean '" : "", near ? mtfs_excerpt(near, b, sizeof b) : "",
             near ? "'?)" : "");
    mtfs_free(names);
    return mtfs_error_set(f->err, MTFS_EINPUT, at->file, at->line, key, "%s", msg);
}

void mtfs_formula_result_free(mtfs_formula_result *r)
{
    if (!r)
        return;
    mtfs_free(r->code);
    mtfs_free(r->line);
    mtfs_free(r->baseline);
    mtfs_table_free(r->table);
    mtfs_free(r->rank);
    mtfs_free(r->path);
    mtfs_free(r->block_share);
    mtfs_free(r);
}

size_t mtfs_formula_find(const mtfs_formula_result *r, const char *who)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->code[i], who) == 0 || strcmp(r->label[i], who) == 0)
            return i;
    return (size_t)-1;
}

size_t mtfs_formula_find_any_case(const mtfs_formula_result *r, const char *who)
{
    size_t i = mtfs_formula_find(r, who), found = (size_t)-1;
    if (i != (size_t)-1)
        return i;
    for (i = 0; i < r->n; i++)
        if (strcasecmp(r->code[i], who) == 0 || strcasecmp(r->label[i], who) == 0) {
            if (found != (size_t)-1)
                return (size_t)-1;   /* two authorities differ only in capitals: no guess */
            found = i;
        }
    return found;
}

/* Does `name` begin with the words of `prefix` (in any capitals), a word
 * of its own following them? */
static int starts_with_words(const char *name, const char *prefix)
{
    size_t len = strlen(prefix);
    return len && strncasecmp(name, prefix, len) == 0 && name[len] == ' ';
}

/* The authority among names[0..n) (or codes, when codes is not NULL) that
 * `who` most likely meant: a near spelling or other capitals
 * (mtfs_nearest); else the longest name `who` starts with ("Surrey" for
 * "Surrey County Council"); else a name that starts with `who`
 * ("Northamptonshire (county council, to 2021)" for "Northamptonshire"),
 * the first in the data when several do.
 * NULL when none is close. */
const char *mtfs_authority_nearest(const char *who, const char *const *names,
                                   const char *const *codes, size_t n)
{
    const char *near = mtfs_nearest(who, names, n);
    if (!near && codes)
        near = mtfs_nearest(who, codes, n);
    if (near)
        return near;
    for (size_t i = 0; i < n; i++)
        if (starts_with_words(who, names[i]) && (!near || strlen(names[i]) > strlen(near)))
            near = names[i];
    for (size_t i = 0; !near && i < n; i++)
        if (starts_with_words(names[i], who))
            near = names[i];
    return near;
}

typedef struct {
    size_t col[2];           /* one column, or two multiplied */
    size_t n_cols;
    double weight;
} driver;

/* Column c, used by the formula as a number of `kind`: every cell of it,
 * in scope or not, must be empty ("not known") or such a number.  Bad data
 * are bad wherever they are, as a bad key in a scenario file is. */
static mtfs_status use_column(fctx *f, size_t c, const mtfs_cell_kind *kind)
{
    return mtfs_table_check_column(f->t, c, kind, f->err);
}

/* A row's value of column c, which must be a number of `kind`: the row is
 * used, so an empty cell is an error too.  Located at the data line. */
static mtfs_status need(fctx *f, size_t row, size_t c, const mtfs_cell_kind *kind, double *out)
{
    return mtfs_table_value(f->t, row, c, kind, 1, out, f->err);
}

/* x_ik for driver d and authority row i, once both columns are checked. */
static mtfs_status driver_value(fctx *f, size_t row, const driver *d, double *x)
{
    double a, b = 1.0;
    mtfs_status st = need(f, row, d->col[0], mtfs_table_driver_kind(mtfs_table_column_name(f->t, d->col[0])), &a);
    if (st == MTFS_OK && d->n_cols == 2)
        st = need(f, row, d->col[1], mtfs_table_driver_kind(mtfs_table_column_name(f->t, d->col[1])), &b);
    *x = a * b;
    return st;
}

/* Every number of the result is finite, or MTFS_ENUMERIC naming the
 * quantity and the data line of the authority: nothing that is not a
 * number leaves the formula (the data checks make this a second line of
 * defence: the arithmetic itself is checked, not only its inputs). */
static mtfs_status check_result(const mtfs_formula_result *r, mtfs_error *err)
{
    if (!isfinite(r->control_total) || !isfinite(r->sum_resources))
        return mtfs_error_set(err, MTFS_ENUMERIC, r->data_path, 0, NULL,
                              "the formula's %s is not a finite number (expected data that keep "
                              "the arithmetic finite)",
                              isfinite(r->control_total) ? "total of resources" : "control total");
    for (size_t i = 0; i < r->n; i++) {
        const struct {
            const char *what;
            double v;
        } q[] = {{"baseline", r->baseline[i]},       {"council tax", r->council_tax[i]},
                 {"need share", r->need_share[i]},   {"resources", r->resources[i]},
                 {"allocation", r->allocation[i]},   {"final funding", r->final[i]},
                 {"funding per head", 1e6 * r->final[i] / r->population[i]},
                 {"change in funding", r->final[i] - r->baseline[i]}};
        const char *bad = NULL;
        for (size_t k = 0; !bad && k < sizeof q / sizeof q[0]; k++)
            if (!isfinite(q[k].v))
                bad = q[k].what;
        for (size_t y = 0; !bad && y < r->n_years; y++)
            if (!isfinite(r->path[i * r->n_years + y]))
                bad = "transition path";
        if (bad)
            return mtfs_error_set(err, MTFS_ENUMERIC, r->data_path, r->line ? r->line[i] : 0, NULL,
                                  "the formula's %s for this row is not a finite number (expected "
                                  "data that keep the arithmetic finite)", bad);
    }
    return MTFS_OK;
}

static mtfs_status compute(fctx *f, const mtfs_node *root, const size_t *rows, mtfs_formula_result *r);

mtfs_status mtfs_formula_run(const char *path, mtfs_formula_result **out, mtfs_error *err)
{
    static const char *const keys[] = {"name", "description", "data", "baseline", "population",
                                       "scope", "control_total", "level_of", "blocks", "aca",
                                       "equalisation", "floor", "transition", "council_tax"};
    *out = NULL;
    mtfs_error_clear(err);
    mtfs_config *cfg;
    mtfs_status st = mtfs_config_load(path, &cfg, err);
    if (st != MTFS_OK)
        return st;
    const mtfs_node *root = cfg->root;
    fctx f = {NULL, err};
    /* A scenario file (base_year, services, economy or a base, and no data)
     * is named as such, rather than as a formula with an unknown key. */
    if (!mtfs_node_get(root, "data") &&
        (mtfs_node_get(root, "base_year") || mtfs_node_get(root, "services") ||
         mtfs_node_get(root, "economy") || mtfs_node_get(root, "base")))
        st = located(&f, root, NULL, "is a scenario file, not a fair-funding formula (expected a formula "
                     "file such as formulas/per_head_average.cfg; a scenario is read by 'mtfs run %s' "
                     "and by validate, compare, bridge, sensitivity, batch, mc, tornado, goalseek and "
                     "brief)%s", path, NULL);
    for (size_t i = 0; st == MTFS_OK && i < root->n_children; i++) {
        const mtfs_node *c = root->children[i];
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k], c->name) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0]) {
            const char *near = mtfs_nearest(c->name, keys, sizeof keys / sizeof keys[0]);
            st = near ? located(&f, c, c->name, "unknown key (did you mean '%s'?)%s", near, NULL)
                      : located(&f, c, c->name, "unknown key%s%s", NULL, NULL);
        }
    }
    mtfs_formula_result *r = NULL;
    mtfs_table *table = NULL;
    size_t *rows = NULL;
    const char *name = text(root, "name");
    if (st == MTFS_OK && !name)
        st = located(&f, root, "name", "missing (expected the formula's title)%s%s", NULL, NULL);
    const mtfs_node *data_node = mtfs_node_get(root, "data");
    if (st == MTFS_OK && data_node && data_node->type != MTFS_NODE_STRING)
        st = located(&f, data_node, "data", "found %s (expected the data file, relative to this "
                     "file, e.g. data = \"../data/authorities.csv\")%s", mtfs_node_type_name(data_node), NULL);
    if (st == MTFS_OK) {
        char dir[PATH_MAX], data[PATH_MAX];
        const char *rel = data_node ? data_node->text : NULL;
        mtfs_dirname(path, dir, sizeof dir);
        mtfs_path_join(dir, rel ? rel : "../data/authorities.csv", data, sizeof data);
        /* A file that cannot be read is reported where the formula names it. */
        mtfs_input_ref from = {data_node ? data_node->file : path, data_node ? data_node->line : 0,
                               "data"};
        st = mtfs_table_load_from(data, &from, &table, err);
        if (st == MTFS_OK && !(r = mtfs_calloc(1, sizeof *r)))
            st = mtfs_error_oom(err, NULL);
        if (st == MTFS_OK) {
            snprintf(r->name, sizeof r->name, "%s", name);
            snprintf(r->data_path, sizeof r->data_path, "%s", data);
        }
    }
    f.t = table;
    /* Scope: which rows take part. */
    size_t n = 0;
    if (st == MTFS_OK && !(rows = mtfs_calloc(mtfs_table_rows(table) + 1, sizeof *rows)))
        st = mtfs_error_oom(err, NULL);
    if (st == MTFS_OK) {
        const mtfs_node *scope = mtfs_node_get(root, "scope");
        const mtfs_node *types = scope ? mtfs_node_get(scope, "types") : NULL;
        const mtfs_node *exclude = scope ? mtfs_node_get(scope, "exclude") : NULL;
        const char *status = scope ? text(scope, "status") : "current";
        size_t type_col = mtfs_table_column(table, "type"), status_col = mtfs_table_column(table, "status");
        for (size_t i = 0; i < mtfs_table_rows(table); i++) {
            int in = 1;
            if (types && type_col != (size_t)-1) {
                in = 0;
                for (size_t k = 0; k < types->n_children; k++)
                    in |= types->children[k]->type == MTFS_NODE_STRING &&
                          strcmp(types->children[k]->text, mtfs_table_text(table, i, type_col)) == 0;
            }
            if (status && status_col != (size_t)-1 && strcmp(status, "any") != 0)
                in &= strcmp(status, mtfs_table_text(table, i, status_col)) == 0;
            /* Named exclusions: rows left out on purpose, listed in the file. */
            size_t code_col = mtfs_table_column(table, "code");
            for (size_t k = 0; exclude && code_col != (size_t)-1 && k < exclude->n_children; k++)
                in &= !(exclude->children[k]->type == MTFS_NODE_STRING &&
                        strcmp(exclude->children[k]->text, mtfs_table_text(table, i, code_col)) == 0);
            if (in)
                rows[n++] = i;
        }
        if (n < 2)
            st = located(&f, scope ? scope : root, "scope",
                         "selects %s authorities (expected at least two)%s", n ? "one of the" : "none of the", NULL);
    }
    if (st == MTFS_OK) {
        r->n = n;
        st = compute(&f, root, rows, r);
    }
    mtfs_free(rows);
    mtfs_config_free(cfg);
    if (r)
        r->table = table;     /* from here the result owns the table */
    else
        mtfs_table_free(table);
    if (st != MTFS_OK) {
        mtfs_formula_result_free(r);
        return st;
    }
    *out = r;
    return MTFS_OK;
}

/* council_tax = { taxbase = "..."; band_d = "..."; }: the baseline is
 * funding other than council tax, B_i = baseline column - taxbase x Band D
 * / 1e6, so a formula that equalises resources compares like with like
 * (model.md section 6 works on the grant; council tax stays as it is). */
static mtfs_status council_tax(fctx *f, const mtfs_node *root, const size_t *rows,
                               mtfs_formula_result *r)
{
    const mtfs_node *ct = mtfs_node_get(root, "council_tax");
    if (!ct)
        return MTFS_OK;
    if (ct->type != MTFS_NODE_GROUP)
        return located(f, ct, "council_tax", "expected a group { taxbase = \"column\"; band_d = "
                       "\"column\"; }%s%s", NULL, NULL);
    const char *tb = text(ct, "taxbase"), *bd = text(ct, "band_d");
    size_t tcol, bcol;
    mtfs_status st;
    if ((st = column(f, ct, "council_tax.taxbase", tb ? tb : "council_tax_base", &tcol)) != MTFS_OK ||
        (st = column(f, ct, "council_tax.band_d", bd ? bd : "band_d", &bcol)) != MTFS_OK)
        return st;
    if ((st = use_column(f, tcol, &MTFS_CELL_COUNT)) != MTFS_OK ||
        (st = use_column(f, bcol, &MTFS_CELL_BAND_D)) != MTFS_OK)
        return st;
    for (size_t i = 0; i < r->n; i++) {
        double base, charge;
        if ((st = need(f, rows[i], tcol, &MTFS_CELL_COUNT, &base)) != MTFS_OK ||
            (st = need(f, rows[i], bcol, &MTFS_CELL_BAND_D, &charge)) != MTFS_OK)
            return st;
        r->council_tax[i] = base * charge / 1e6;
        r->baseline[i] -= r->council_tax[i];
    }
    return MTFS_OK;
}

/* s_i = sum_b c_b share_ib */
static double need_share(const mtfs_formula_result *r, const double *weights, size_t i)
{
    double s = 0.0;
    for (size_t b = 0; b < r->n_blocks; b++)
        s += weights[b] * r->block_share[i * r->n_blocks + b];
    return s;
}

/* From the need shares on (model.md section 6): allocation, floors, final,
 * transition path and rank.  Returns 0, with what the floors cost and the
 * gains that should pay for them, when the gains cannot. */
static int allocate(mtfs_formula_result *r, double *excess_out, double *gains_out)
{
    const size_t n = r->n, years = r->n_years;
    const double G = r->control_total, sum_r = r->sum_resources;
    /* A_i = s_i (G + sum R) - R_i; a negative allocation becomes 0 and the
     * positive ones are scaled so the total stays G. */
    double positive = 0.0;
    int clipped = 0;
    for (size_t i = 0; i < n; i++) {
        double a = r->need_share[i] * (G + sum_r) - r->resources[i];
        if (a < 0.0) {
            a = 0.0;
            clipped = 1;
        }
        r->allocation[i] = a;
        positive += a;
    }
    if (clipped && positive > 0.0)
        for (size_t i = 0; i < n; i++)
            r->allocation[i] *= G / positive;

    /* Floors: D_i = max(A_i, B_i (1 + floor)); what they cost comes out of
     * the gains of the others above their baseline, pro rata. */
    for (size_t i = 0; i < n; i++)
        r->final[i] = r->allocation[i];
    if (r->has_floor) {
        double gains = 0.0, sum_d = 0.0;
        for (size_t i = 0; i < n; i++) {
            double lo = r->baseline[i] * (1.0 + r->floor);
            if (r->final[i] < lo)
                r->final[i] = lo;
            else if (r->final[i] > r->baseline[i])
                gains += r->final[i] - r->baseline[i];
            sum_d += r->final[i];
        }
        /* What the floors added must come back from the gains. */
        double excess = sum_d - G;
        if (excess > 0.0) {
            if (excess > gains + 1e-9 * G) {
                *excess_out = excess;
                *gains_out = gains;
                return 0;
            }
            double keep = 1.0 - excess / gains;
            for (size_t i = 0; i < n; i++) {
                double lo = r->baseline[i] * (1.0 + r->floor);
                if (r->final[i] > r->baseline[i] && r->final[i] > lo)
                    r->final[i] = r->baseline[i] + (r->final[i] - r->baseline[i]) * keep;
            }
        }
    }

    for (size_t i = 0; i < n; i++)
        for (size_t y = 0; y < years; y++)
            r->path[i * years + y] = r->baseline[i] + r->transition[y] * (r->final[i] - r->baseline[i]);
    /* Rank by final funding per head, highest first, equal ones sharing. */
    for (size_t i = 0; i < n; i++)
        r->per_head[i] = 1e6 * r->final[i] / r->population[i];
    mtfs_rank(n, r->per_head, r->label, r->order, r->rank, r->rank_shared_by);
    return 1;
}

int mtfs_rank_equal(double a, double b)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= MTFS_RANK_TOLERANCE * scale;
}

/* Whether i comes before j with the names alone (then the index). */
static int name_before(const char *const *name, size_t i, size_t j)
{
    int c = name ? strcmp(name[i] ? name[i] : "", name[j] ? name[j] : "") : 0;
    return c < 0 || (c == 0 && i < j);
}

/* Whether i comes before j: the higher value, then by name. */
static int value_before(const double *value, const char *const *name, size_t i, size_t j)
{
    if (value[i] != value[j])
        return value[i] > value[j];
    return name_before(name, i, j);
}

void mtfs_rank(size_t n, const double *value, const char *const *name, size_t *order, size_t *rank,
               size_t *shared_by)
{
    /* Insertion sort: deterministic whatever the input order. */
    for (size_t k = 0; k < n; k++) {
        size_t j = k;
        while (j > 0 && value_before(value, name, k, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    /* Groups of equal values: each from its first member; inside a group
     * by name, as if the values were the same number. */
    for (size_t first = 0; first < n;) {
        size_t end = first + 1;
        while (end < n && mtfs_rank_equal(value[order[first]], value[order[end]]))
            end++;
        for (size_t k = first + 1; k < end; k++) {
            size_t i = order[k], j = k;
            while (j > first && name_before(name, i, order[j - 1])) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        for (size_t k = first; k < end; k++) {
            rank[order[k]] = first + 1;
            if (shared_by)
                shared_by[order[k]] = end - first;
        }
        first = end;
    }
}

const char *mtfs_rank_text(size_t rank, size_t shared_by, char *buf, size_t size)
{
    snprintf(buf, size, "%s%zu", shared_by > 1 ? "=" : "", rank);
    return buf;
}

mtfs_status mtfs_formula_reweight(mtfs_formula_result *r, const double *weights, mtfs_error *err)
{
    double sum = 0.0;
    for (size_t b = 0; b < r->n_blocks; b++) {
        if (!(weights[b] >= 0.0 && weights[b] <= 1.0))
            return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                                  "block weight %zu is %g (expected 0 to 1)", b + 1, weights[b]);
        sum += weights[b];
    }
    if (fabs(sum - 1.0) > 1e-9)
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "block weights sum to %.12g (expected 1)", sum);
    for (size_t i = 0; i < r->n; i++)
        r->need_share[i] = need_share(r, weights, i);
    for (size_t b = 0; b < r->n_blocks; b++)
        r->block_weight[b] = weights[b];
    double excess, gains;
    char a[64], b[64];
    if (!allocate(r, &excess, &gains))
        return mtfs_error_set(err, MTFS_EINPUT, NULL, 0, NULL,
                              "with these weights the floor costs %s but the gains above "
                              "baseline are only %s", mtfs_format_money(excess, a, sizeof a),
                              mtfs_format_money(gains, b, sizeof b));
    return check_result(r, err);
}

/* The transition shares lambda(t) (default a single year at 1), and the
 * result's arrays for n authorities. */
static mtfs_status transition(fctx *f, const mtfs_node *root, size_t n, mtfs_formula_result *r)
{
    const mtfs_node *tr = mtfs_node_get(root, "transition");
    size_t years = tr && tr->type == MTFS_NODE_LIST ? tr->n_children : 1;
    if (tr && (tr->type != MTFS_NODE_LIST || years == 0))
        return located(f, tr, "transition", "expected a list of shares, e.g. [0.333, 0.667, 1.0]%s%s", NULL, NULL);
    r->n_years = years;
    r->code = mtfs_calloc(2 * n, sizeof *r->code);
    r->line = mtfs_calloc(n, sizeof *r->line);
    r->baseline = mtfs_calloc(8 * n + years, sizeof *r->baseline);
    r->rank = mtfs_calloc(3 * n, sizeof *r->rank);
    r->path = mtfs_calloc(n * years, sizeof *r->path);
    if (!r->code || !r->line || !r->baseline || !r->rank || !r->path)
        return mtfs_error_oom(f->err, NULL);
    r->label = r->code + n;
    r->rank_shared_by = r->rank + n;
    r->order = r->rank + 2 * n;
    r->population = r->baseline + n;
    r->need_share = r->baseline + 2 * n;
    r->resources = r->baseline + 3 * n;
    r->allocation = r->baseline + 4 * n;
    r->final = r->baseline + 5 * n;
    r->council_tax = r->baseline + 6 * n;
    r->transition = r->baseline + 7 * n;
    r->per_head = r->baseline + 7 * n + years;
    for (size_t y = 0; y < years; y++) {
        const mtfs_node *e = tr ? tr->children[y] : NULL;
        r->transition[y] = e ? e->number : 1.0;
        if (e && (!mtfs_node_is_number(e) || e->number < 0.0 || e->number > 1.0 ||
                  (y && e->number < r->transition[y - 1])))
            return located(f, e, "transition", "expected shares from 0 to 1 that never fall%s%s", NULL, NULL);
    }
    return MTFS_OK;
}

/* The needs shares: s_i = sum_b c_b u_ib / sum_j u_jb over the blocks. */
static mtfs_status needs(fctx *f, const mtfs_node *root, const size_t *rows, mtfs_formula_result *r)
{
    const mtfs_table *t = f->t;
    const size_t n = r->n;
    mtfs_status st = MTFS_OK;
    const mtfs_node *blocks = mtfs_node_get(root, "blocks");
    if (!blocks || blocks->type != MTFS_NODE_LIST || blocks->n_children == 0)
        return located(f, blocks ? blocks : root, "blocks", "expected a list of needs blocks ( { name = \"...\"; "
                       "weight = ...; drivers = { column = weight; }; } )%s%s", NULL, NULL);
    const char *aca_name = text(root, "aca");
    size_t aca_col = (size_t)-1;
    if (aca_name && ((st = column(f, mtfs_node_get(root, "aca"), "aca", aca_name, &aca_col)) != MTFS_OK ||
                     (st = use_column(f, aca_col, &MTFS_CELL_FACTOR)) != MTFS_OK))
        return st;
    double *u = mtfs_calloc(n, sizeof *u);
    r->n_blocks = blocks->n_children;
    r->block_share = mtfs_calloc(n * r->n_blocks + r->n_blocks, sizeof *r->block_share);
    if (!u || !r->block_share) {
        mtfs_free(u);
        return mtfs_error_oom(f->err, NULL);
    }
    r->block_weight = r->block_share + n * r->n_blocks;
    double block_sum = 0.0;
    for (size_t b = 0; b < blocks->n_children && st == MTFS_OK; b++) {
        const mtfs_node *g = blocks->children[b];
        char key[160];
        snprintf(key, sizeof key, "blocks[%zu]", b + 1);
        double c_b;
        if (g->type != MTFS_NODE_GROUP) {
            st = located(f, g, key, "expected a group { name = \"...\"; weight = ...; drivers = { ... }; }%s%s", NULL, NULL);
            break;
        }
        if ((st = number(f, g, "weight", key, 0.0, 1.0, 1, 0.0, &c_b)) != MTFS_OK)
            break;
        block_sum += c_b;
        r->block_weight[b] = c_b;
        const mtfs_node *aca = mtfs_node_get(g, "aca");
        int use_aca = aca && aca->type == MTFS_NODE_BOOL && aca->integer;
        if (use_aca && aca_col == (size_t)-1) {
            st = located(f, aca, key, "uses the area cost adjustment but the formula names no aca "
                         "column (expected aca = \"column\")%s%s", NULL, NULL);
            break;
        }
        const mtfs_node *drivers = mtfs_node_get(g, "drivers");
        if (!drivers || drivers->type != MTFS_NODE_GROUP || drivers->n_children == 0) {
            st = located(f, drivers ? drivers : g, key, "expected drivers = { column = weight; ... }%s%s", NULL, NULL);
            break;
        }
        for (size_t i = 0; i < n; i++)
            u[i] = 0.0;
        double weight_sum = 0.0;
        for (size_t k = 0; k < drivers->n_children && st == MTFS_OK; k++) {
            const mtfs_node *dn = drivers->children[k];
            driver d = {{0, 0}, 1, 0.0};
            char first[128], dkey[300];
            snprintf(dkey, sizeof dkey, "%s.drivers.%s", key, dn->name);
            const char *star = strchr(dn->name, '*');
            snprintf(first, sizeof first, "%.*s", star ? (int)(star - dn->name) : (int)strlen(dn->name), dn->name);
            if ((st = column(f, dn, dkey, first, &d.col[0])) != MTFS_OK)
                break;
            if (star) {
                d.n_cols = 2;
                if ((st = column(f, dn, dkey, star + 1, &d.col[1])) != MTFS_OK)
                    break;
            }
            if (!mtfs_node_is_number(dn) || dn->number < 0.0 || dn->number > 1.0) {
                st = located(f, dn, dkey, "expected a weight from 0 to 1%s%s", NULL, NULL);
                break;
            }
            d.weight = dn->number;
            weight_sum += d.weight;
            /* Each column by its kind (a population is a count, an
             * income-deprivation score a share, ...), then every value. */
            for (size_t m = 0; m < d.n_cols && st == MTFS_OK; m++)
                st = use_column(f, d.col[m], mtfs_table_driver_kind(mtfs_table_column_name(t, d.col[m])));
            double total = 0.0, x;
            for (size_t i = 0; i < n && st == MTFS_OK; i++)
                if ((st = driver_value(f, rows[i], &d, &x)) == MTFS_OK)
                    total += x;
            if (st == MTFS_OK && !(total > 0.0))
                st = located(f, dn, dkey, "the driver is zero for every authority in scope%s%s", NULL, NULL);
            for (size_t i = 0; i < n && st == MTFS_OK; i++)
                if ((st = driver_value(f, rows[i], &d, &x)) == MTFS_OK)
                    u[i] += d.weight * x / total;
        }
        if (st == MTFS_OK && fabs(weight_sum - 1.0) > 1e-9)
            st = located(f, drivers, key, "driver weights do not sum to 1 (expected weights that do)%s%s", NULL, NULL);
        double u_total = 0.0;
        for (size_t i = 0; i < n && st == MTFS_OK; i++) {
            if (use_aca) {
                double a;
                if ((st = need(f, rows[i], aca_col, &MTFS_CELL_FACTOR, &a)) != MTFS_OK)
                    break;
                u[i] *= a;
            }
            u_total += u[i];
        }
        for (size_t i = 0; i < n && st == MTFS_OK; i++)
            r->block_share[i * r->n_blocks + b] = u[i] / u_total;
    }
    mtfs_free(u);
    for (size_t i = 0; st == MTFS_OK && i < n; i++)
        r->need_share[i] = need_share(r, r->block_weight, i);
    if (st == MTFS_OK && fabs(block_sum - 1.0) > 1e-9)
        st = located(f, blocks, "blocks", "block weights do not sum to 1 (expected weights that do)%s%s", NULL, NULL);
    return st;
}

/* Control total: the baselines' sum, a given amount, or "funded at the
 * level of X": X's funding per head for the whole population in scope
 * (X may be outside the scope, e.g. a London borough for counties). */
static mtfs_status control_total(fctx *f, const mtfs_node *root, mtfs_formula_result *r, size_t bcol,
                                 size_t pcol, size_t name_col)
{
    const mtfs_table *t = f->t;
    const size_t n = r->n;
    mtfs_status st;
    double sum_b = 0.0, sum_pop = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum_b += r->baseline[i];
        sum_pop += r->population[i];
    }
    if ((st = number(f, root, "control_total", "control_total", 0.0, 1e7, 0, sum_b, &r->control_total)) != MTFS_OK)
        return st;
    const mtfs_node *level = mtfs_node_get(root, "level_of");
    if (level) {
        if (level->type != MTFS_NODE_STRING || mtfs_node_get(root, "control_total"))
            return located(f, level, "level_of", "expected the code or name of one authority, and no "
                           "control_total beside it%s%s", NULL, NULL);
        size_t x = mtfs_table_find(t, level->text);
        if (x == (size_t)-1)
            return located(f, level, "level_of", "no authority '%s' in the data (expected a code such as "
                           "E10000030 or a name)%s", level->text, NULL);
        double bx, px;
        if ((st = need(f, x, bcol, &MTFS_CELL_MONEY_M, &bx)) != MTFS_OK ||
            (st = need(f, x, pcol, &MTFS_CELL_COUNT, &px)) != MTFS_OK)
            return st;
        r->control_total = bx / px * sum_pop;
        if (!isfinite(r->control_total))
            return mtfs_error_set(f->err, MTFS_ENUMERIC, r->data_path, mtfs_table_line(t, x), NULL,
                                  "funding per head of this row (the formula's level_of) is not a "
                                  "finite number when applied to the population in scope (expected "
                                  "data that keep the arithmetic finite)");
        snprintf(r->level_of, sizeof r->level_of, "%s", mtfs_table_text(t, x, name_col != (size_t)-1 ? name_col : 0));
    }
    return MTFS_OK;
}

/* Equalisation: each authority's notional council-tax resources,
 * share x taxbase x notional Band D (none without an equalisation group). */
static mtfs_status equalisation(fctx *f, const mtfs_node *root, const size_t *rows, mtfs_formula_result *r)
{
    const size_t n = r->n;
    mtfs_status st = MTFS_OK;
    const mtfs_node *eq = mtfs_node_get(root, "equalisation");
    double share = 0.0, band_d = 0.0, sum_r = 0.0;
    if (eq) {
        if ((st = number(f, eq, "share", "equalisation.share", 0.0, 1.0, 1, 0.0, &share)) != MTFS_OK ||
            (st = number(f, eq, "notional_band_d", "equalisation.notional_band_d", 1.0, 1e5, 1, 0.0, &band_d)) != MTFS_OK)
            return st;
        const char *tb = text(eq, "taxbase");
        size_t tcol;
        if ((st = column(f, eq, "equalisation.taxbase", tb ? tb : "taxbase_band_d", &tcol)) != MTFS_OK ||
            (st = use_column(f, tcol, &MTFS_CELL_COUNT)) != MTFS_OK)
            return st;
        for (size_t i = 0; i < n && st == MTFS_OK; i++) {
            double base;
            if ((st = need(f, rows[i], tcol, &MTFS_CELL_COUNT, &base)) == MTFS_OK) {
                r->resources[i] = share * base * band_d / 1e6;
                sum_r += r->resources[i];
            }
        }
        if (st != MTFS_OK)
            return st;
    }
    r->sum_resources = sum_r;
    return MTFS_OK;
}

static mtfs_status compute(fctx *f, const mtfs_node *root, const size_t *rows, mtfs_formula_result *r)
{
    const mtfs_table *t = f->t;
    const size_t n = r->n;
    mtfs_status st = transition(f, root, n, r);
    if (st != MTFS_OK)
        return st;

    size_t code_col = mtfs_table_column(t, "code"), name_col = mtfs_table_column(t, "name");
    size_t bcol, pcol;
    const char *bname = text(root, "baseline"), *pname = text(root, "population");
    if ((st = column(f, root, "baseline", bname ? bname : "core_spending_power_m", &bcol)) != MTFS_OK ||
        (st = column(f, root, "population", pname ? pname : "population", &pcol)) != MTFS_OK ||
        (st = use_column(f, bcol, &MTFS_CELL_MONEY_M)) != MTFS_OK ||
        (st = use_column(f, pcol, &MTFS_CELL_COUNT)) != MTFS_OK)
        return st;
    for (size_t i = 0; i < n && st == MTFS_OK; i++) {
        r->code[i] = code_col != (size_t)-1 ? mtfs_table_text(t, rows[i], code_col) : "";
        r->label[i] = name_col != (size_t)-1 ? mtfs_table_text(t, rows[i], name_col) : r->code[i];
        r->line[i] = mtfs_table_line(t, rows[i]);
        if ((st = need(f, rows[i], bcol, &MTFS_CELL_MONEY_M, &r->baseline[i])) == MTFS_OK)
            st = need(f, rows[i], pcol, &MTFS_CELL_COUNT, &r->population[i]);
    }
    if (st != MTFS_OK || (st = council_tax(f, root, rows, r)) != MTFS_OK)
        return st;

    if ((st = needs(f, root, rows, r)) != MTFS_OK ||
        (st = control_total(f, root, r, bcol, pcol, name_col)) != MTFS_OK ||
        (st = equalisation(f, root, rows, r)) != MTFS_OK)
        return st;

    const mtfs_node *floor_node = mtfs_node_get(root, "floor");
    if (floor_node &&
        (st = number(f, root, "floor", "floor", -1.0, 1.0, 1, 0.0, &r->floor)) != MTFS_OK)
        return st;
    r->has_floor = floor_node != NULL;
    double excess, gains;
    if (!allocate(r, &excess, &gains)) {
        char msg[200], a[64], b[64];
        snprintf(msg, sizeof msg, "the floor costs %s but the gains above baseline are only "
                 "%s (expected a lower floor)", mtfs_format_money(excess, a, sizeof a),
                 mtfs_format_money(gains, b, sizeof b));
        return mtfs_error_set(f->err, MTFS_EINPUT, floor_node->file, floor_node->line, "floor", "%s", msg);
    }
    return check_result(r, f->err);
}
