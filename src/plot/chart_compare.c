/*
 * plot/chart_compare.c - scenarios compared: the annual gap of each, one line
 * with its own colour and marker, on one axis of calendar years so
 * scenarios of different eras line up; end labels placed clear of the
 * other lines; a legend of scenario names at the foot.
 */
#include "plot/chart_compare.h"
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIES_N 12

/* Marker shapes of the compare lines.  Hollow shapes are drawn over a
 * white copy of their filled twin, so the line does not show through. */
static const struct {
    const char *glyph, *fill;
    double px;
} series_marker[SERIES_N] = {
    {"\xE2\x97\x8F", NULL, 14.0},           /* U+25CF circle */
    {"\xE2\x96\xA0", NULL, 12.0},           /* U+25A0 square */
    {"\xE2\x97\x86", NULL, 16.0},           /* U+25C6 diamond */
    {"\xE2\x96\xB2", NULL, 13.0},           /* U+25B2 triangle up */
    {"\xE2\x96\xBC", NULL, 13.0},           /* U+25BC triangle down */
    {"\xE2\x97\x8B", "\xE2\x97\x8F", 14.0}, /* U+25CB open circle */
    {"\xE2\x96\xA1", "\xE2\x96\xA0", 12.0}, /* U+25A1 open square */
    {"\xE2\x97\x87", "\xE2\x97\x86", 16.0}, /* U+25C7 open diamond */
    {"\xE2\x96\xB3", "\xE2\x96\xB2", 13.0}, /* U+25B3 open triangle up */
    {"\xE2\x96\xBD", "\xE2\x96\xBC", 13.0}, /* U+25BD open triangle down */
    {"\xE2\x98\x85", NULL, 16.0},           /* U+2605 star */
    {"\xE2\x9C\x9A", NULL, 14.0},           /* U+271A cross */
};

/* Colour and marker of series i: the first 12 pair colour i with marker
 * i; later ones reuse the colours with a shifted marker, so no two
 * series share both. */
static PLINT series_colour(size_t i) { return COL_SERIES + (PLINT)(i % SERIES_N); }
static size_t series_shape(size_t i) { return (i + i / SERIES_N * 5) % SERIES_N; }

static void series_markers(const chart *c, size_t i, PLINT n, const PLFLT *x, const PLFLT *y,
                           double scale)
{
    size_t m = series_shape(i);
    if (series_marker[m].fill)
        plot_markers(c, n, x, y, COL_BG, series_marker[m].fill, series_marker[m].px * scale);
    plot_markers(c, n, x, y, series_colour(i), series_marker[m].glyph, series_marker[m].px * scale);
}

static int by_want(const void *a, const void *b)
{
    const end_label *const *x = a, *const *y = b;
    return ((*x)->want > (*y)->want) - ((*x)->want < (*y)->want);
}

/* Spread labels in a column (sorted by wanted y) so none overlap: those
 * that would collide are merged into a block centred where they wanted to
 * be, then the blocks are kept inside [lim0, lim1]. */
static void spread_labels(end_label **l, size_t n, double h, double lim0, double lim1)
{
    size_t start[MTFS_PLOT_COMPARE_MAX], count[MTFS_PLOT_COMPARE_MAX];
    double pos[MTFS_PLOT_COMPARE_MAX];
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        start[nc] = i;
        count[nc] = 1;
        pos[nc] = l[i]->want - 0.5 * h;
        nc++;
        while (nc > 1 && pos[nc - 2] + (double)count[nc - 2] * h > pos[nc - 1]) {
            size_t s0 = start[nc - 2], k = count[nc - 2] + count[nc - 1];
            double mean = 0.0;
            for (size_t j = s0; j < s0 + k; j++)
                mean += l[j]->want;
            mean /= (double)k;
            nc--;
            count[nc - 1] = k;
            pos[nc - 1] = mean - 0.5 * h * (double)k;
        }
    }
    for (size_t ci = 0; ci < nc; ci++) {
        double block = (double)count[ci] * h;
        double p = fmax(lim0, fmin(pos[ci], lim1 - block));
        for (size_t j = 0; j < count[ci]; j++) {
            end_label *e = l[start[ci] + j];
            double cy = p + ((double)j + 0.5) * h;
            e->r.y0 = cy - 0.5 * h;
            e->r.y1 = cy + 0.5 * h;
        }
    }
}

/* The gap of scenario i by calendar year (the first of each financial
 * year) into xs, ys; returns how many points. */
static PLINT series_points(const compare_input *in, size_t i, PLFLT *xs, PLFLT *ys)
{
    const mtfs_projection *p = in->projections[i];
    int by = mtfs_scenario_base_year(in->scenarios[i]);
    for (size_t t = 1; t <= p->horizon; t++) {
        xs[t - 1] = by + (int)t;
        ys[t - 1] = p->gap[t];
    }
    return (PLINT)p->horizon;
}

static double px_x(const compare_layout *l, double x)
{
    return l->left_px + (x - l->x0) * l->px_per_x;
}

static double px_y(const compare_layout *l, double y)
{
    return l->top + (l->yr.max - y) * l->px_per_y;
}

/* The legend: each scenario's name without the start they all share
 * (that goes in the title once), first letter capitalised, in as many
 * columns (up to 3, and 1 for up to 3 scenarios) as let every name show
 * whole, while the legend takes at most a third of the page; past that
 * (long names, many scenarios) names are shortened in the middle. */
static void compare_legend(const chart *c, const compare_input *in, compare_layout *l)
{
    const size_t n = in->n;
    const char *names[MTFS_PLOT_COMPARE_MAX] = {NULL};
    for (size_t i = 0; i < n; i++) {
        names[i] = mtfs_scenario_name(in->scenarios[i]);
        if (!names[i])
            names[i] = "";
    }
    const size_t prefix = plot_common_prefix(names, n);
    snprintf(l->prefix, sizeof l->prefix, "%.*s", (int)prefix, names[0]);
    char raw[MTFS_PLOT_COMPARE_MAX][512];
    double widest = 0.0;
    for (size_t i = 0; i < n; i++) {
        snprintf(raw[i], sizeof raw[i], "%s", plot_after_prefix(names[i], prefix));
        if (prefix && raw[i][0] >= 'a' && raw[i][0] <= 'z')
            raw[i][0] = (char)(raw[i][0] - 'a' + 'A');
        widest = fmax(widest, plot_text_w(raw[i], TICK_PX, 0));
    }
    const double width = DESIGN_W - 2.0 * 24.0, max_rows_h = c->design_h / 3.0;
    l->row_h = 24.0;
    l->sample = 36.0;
    size_t ncol = n <= 3 ? 1 : n <= 12 ? 2 : 3;
    while (ncol > 1 && (double)((n + ncol - 2) / (ncol - 1)) * l->row_h <= max_rows_h &&
           widest > width / (double)ncol - l->sample - 10.0 - 18.0)
        ncol--;
    l->ncol = ncol;
    l->rows = (n + ncol - 1) / ncol;
    l->col_w = width / (double)ncol;
    for (size_t i = 0; i < n; i++)
        plot_fit_text_middle(raw[i], TICK_PX, 0, l->col_w - l->sample - 10.0 - 18.0, l->name[i],
                             sizeof l->name[i]);
}

/* The years every scenario covers and the vertical rows of the page. */
static void compare_frame(const chart *c, const compare_input *in, compare_layout *l)
{
    const size_t n = in->n;
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = in->projections[i];
        int by = mtfs_scenario_base_year(in->scenarios[i]);
        if (i == 0 || by + 1 < l->first)
            l->first = by + 1;
        if (i == 0 || by + (int)p->horizon > l->last)
            l->last = by + (int)p->horizon;
    }
    l->x0 = l->first - 0.5;
    l->x1 = l->last + 0.5;
    l->span = l->x1 - l->x0;
    l->mark = l->span > 15.0 ? 0.75 : 1.0;

    /* Legend rows at the foot of the page, under the title. */
    compare_legend(c, in, l);
    plot_title_layout(l->prefix, l->prefix[0] ? ": funding gap by scenario"
                                              : "Funding gap by scenario",
                      TITLE_ROOM, &l->title);
    l->sub_y = 66.0 + l->title.drop;
    l->top = 100.0 + l->title.drop;
    l->footer = c->design_h - 14.0;
    l->legend_top = l->footer - 28.0 - (double)l->rows * l->row_h;
    l->fy_title = l->legend_top - 16.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    l->bottom = l->fy_title - band - 12.0;
    l->left_px = 104.0;
    l->value_px = 13.0;
}

/* The value scale, and the plot narrowed so the end labels of lines that
 * reach the last year fit right of it. */
static void compare_scale(const chart *c, const compare_input *in, compare_layout *l)
{
    const size_t n = in->n;
    double end_w = 0.0;
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = in->projections[i];
        end_label *e = &l->labels[i];
        e->series = i;
        plot_format_money(p->gap[p->horizon], 1, e->text, sizeof e->text);
        e->w = plot_text_w(e->text, l->value_px, 1);
        e->at_end = mtfs_scenario_base_year(in->scenarios[i]) + (int)p->horizon == l->last;
        if (e->at_end)
            end_w = fmax(end_w, e->w);
    }
    l->right_px = 1170.0;
    for (int pass = 0; pass < 2; pass++) {
        double half_slot = 0.5 * (l->right_px - l->left_px) / l->span;
        l->right_px = 1170.0 - fmax(0.0, 12.0 + end_w - half_slot);
    }
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->bottom), ny(c, l->top)};
    /* PLplot clips to the plot area: a value on its edge (a zero gap at the
     * foot of an all-positive chart) gets room for its marker, which also
     * gives the zero line its own place above the axis.  The ticks stay on
     * multiples of the step. */
    double lo = 0.0, hi = 0.0, dlo = INFINITY, dhi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t t = 1; t <= in->projections[i]->horizon; t++) {
            lo = fmin(lo, in->projections[i]->gap[t]);
            hi = fmax(hi, in->projections[i]->gap[t]);
            dlo = fmin(dlo, in->projections[i]->gap[t]);
            dhi = fmax(dhi, in->projections[i]->gap[t]);
        }
    l->yr = plot_marked_range(lo, hi, dlo, dhi, 6.0, l->bottom - l->top, 10.0);
    l->px_per_x = (l->right_px - l->left_px) / l->span;
    l->px_per_y = (l->bottom - l->top) / (l->yr.max - l->yr.min);
}

/* Whether r (grown) is clear of the zero line and of every other line,
 * marker and shown label. */
static int label_clear(const compare_input *in, const compare_layout *l, size_t i,
                       const rect *r)
{
    rect grown = {r->x0 - 3.0, r->y0 - 2.0, r->x1 + 3.0, r->y1 + 2.0};
    int clear = r->x1 < l->right_px && r->y0 > l->top && r->y1 < l->bottom;
    if (clear && l->yr.min < 0.0)
        clear = !plot_segment_hits(l->left_px, px_y(l, 0.0), l->right_px, px_y(l, 0.0), &grown);
    for (size_t j = 0; j < in->n && clear; j++) {
        const mtfs_projection *q = in->projections[j];
        int bj = mtfs_scenario_base_year(in->scenarios[j]);
        rect marker = {grown.x0 - 8.0, grown.y0 - 8.0, grown.x1 + 8.0, grown.y1 + 8.0};
        for (size_t t = 1; t <= q->horizon && clear; t++) {
            double ax = px_x(l, (double)(bj + (int)t)), ay = px_y(l, q->gap[t]);
            if (j != i && plot_segment_hits(ax, ay, ax, ay, &marker))
                clear = 0;
            if (j != i && t > 1 &&
                plot_segment_hits(px_x(l, (double)(bj + (int)t - 1)), px_y(l, q->gap[t - 1]), ax,
                                  ay, &grown))
                clear = 0;
        }
    }
    for (size_t j = 0; j < in->n && clear; j++)
        if (j != i && l->labels[j].shown && plot_rects_overlap(&grown, &l->labels[j].r))
            clear = 0;
    return clear;
}

/* End labels: a column right of the last year for lines that reach it,
 * spread so they do not overlap; a line that ends earlier gets its label
 * beside its last point only where that is clear of every other line and
 * label (its value is in the data either way). */
static void compare_end_labels(const compare_input *in, compare_layout *l)
{
    const size_t n = in->n;
    const double h = 1.35 * l->value_px, gap_px = 11.0 * l->mark;
    end_label *col[MTFS_PLOT_COMPARE_MAX];
    size_t ncolumn = 0;
    for (size_t i = 0; i < n; i++) {
        end_label *e = &l->labels[i];
        const mtfs_projection *p = in->projections[i];
        e->x = px_x(l, (double)(mtfs_scenario_base_year(in->scenarios[i]) + (int)p->horizon));
        e->y = px_y(l, p->gap[p->horizon]);
        e->want = e->y;
        e->r.x0 = e->x + gap_px;
        e->r.x1 = e->r.x0 + e->w;
        if (e->at_end)
            col[ncolumn++] = e;
    }
    qsort(col, ncolumn, sizeof col[0], by_want);
    spread_labels(col, ncolumn, h, l->top - 0.5 * h, l->bottom + 0.5 * h);
    /* A label pushed far from its line would point at another one. */
    for (size_t j = 0; j < ncolumn; j++)
        col[j]->shown = fabs(0.5 * (col[j]->r.y0 + col[j]->r.y1) - col[j]->want) <= 3.0 * h;

    static const double shifts[] = {0.0, -0.7, 0.7, -1.2, 1.2, -1.8, 1.8};
    for (size_t i = 0; i < n; i++) {
        end_label *e = &l->labels[i];
        if (e->at_end)
            continue;
        for (size_t k = 0; k < sizeof shifts / sizeof shifts[0] && !e->shown; k++) {
            rect r = e->r;
            r.y0 = e->y + (shifts[k] - 0.5) * h;
            r.y1 = r.y0 + h;
            if (label_clear(in, l, i, &r)) {
                e->r = r;
                e->shown = 1;
            }
        }
    }
}

/* The footer's files in legend order. */
static void compare_files(const compare_input *in, compare_layout *l)
{
    char *raw = l->files;
    raw[0] = '\0';
    for (size_t i = 0; i < in->n; i++) {
        const char *file = mtfs_scenario_file(in->scenarios[i], 0);
        size_t used = strlen(raw);
        if (!file || used + strlen(file) + 3 >= sizeof l->files)
            break;
        snprintf(raw + used, sizeof l->files - used, "%s%s", used ? ", " : "", file);
    }
}

/* The whole layout of a compare chart on page c, without drawing. */
void compare_layout_of(const chart *c, const compare_input *in, compare_layout *l)
{
    memset(l, 0, sizeof *l);
    compare_frame(c, in, l);
    compare_scale(c, in, l);
    compare_end_labels(in, l);
    compare_files(in, l);
}

/* Legend: a sample of each line (with its marker) and the scenario name,
 * column by column. */
static void paint_compare_legend(const chart *c, const compare_input *in, const compare_layout *l)
{
    const double x_left = 24.0, sample = l->sample;
    for (size_t i = 0; i < in->n; i++) {
        size_t col = i / l->rows, row = i % l->rows;
        double x = x_left + (double)col * l->col_w;
        double y = l->legend_top + ((double)row + 0.5) * l->row_h;
        PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
        PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
        plot_page_coords();
        plot_polyline(c, 2, lx, ly, series_colour(i), 2.4);
        series_markers(c, i, 1, mx, my, 1.0);
        set_text(c, TICK_PX);
        plcol0(COL_INK);
        plot_page_text(nx(x + sample + 10.0), ny(c, y), 0.0, l->name[i]);
    }
}

static void draw_compare(chart *c, const void *data)
{
    const compare_input *in = data;
    const size_t n = in->n;
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];
    compare_layout l;
    compare_layout_of(c, in, &l);

    pladv(0);
    plot_title(c, &l.title);
    plot_page_coords();
    set_text(c, 15.0);
    plcol0(COL_MUTED);
    plot_page_text(nx(24.0), ny(c, l.sub_y), 0.0,
              "Spending minus funding each year: above zero a shortfall to close, "
              "below zero a surplus");

    plot_panel_frame(c, &l.pb, l.x0, l.x1, &l.yr);
    for (size_t i = 0; i < n; i++)
        plot_polyline(c, series_points(in, i, xs, ys), xs, ys, series_colour(i), 2.4);
    /* Markers over every line, so a line drawn later never hides one. */
    for (size_t i = 0; i < n; i++)
        series_markers(c, i, series_points(in, i, xs, ys), xs, ys, l.mark);

    plot_page_coords();
    set_text(c, l.value_px);
    set_bold(1);
    for (size_t i = 0; i < n; i++) {
        const end_label *e = &l.labels[i];
        if (!e->shown)
            continue;
        plcol0(series_colour(e->series));
        plot_page_text(nx(e->r.x0), ny(c, 0.5 * (e->r.y0 + e->r.y1)), 0.0, e->text);
    }
    set_bold(0);

    plot_calendar_year_labels(c, &l.pb, l.x0, l.x1, l.first, l.last, 0);
    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.pb.x0 + l.pb.x1), ny(c, l.fy_title), 0.5, "Financial year");
    paint_compare_legend(c, in, &l);
    plot_provenance(c, nx(24.0), ny(c, l.footer), l.files, 0);
}

/* 1 to MTFS_PLOT_COMPARE_MAX scenarios, each with a finite gap in every
 * year of a horizon the page can lay out. */
static mtfs_status check_compare(const void *data, const char *path, mtfs_error *err)
{
    const compare_input *in = data;
    const size_t n = in->n;
    const mtfs_scenario *const *scenarios = in->scenarios;
    const mtfs_projection *const *projections = in->projections;
    if (n < 1 || n > MTFS_PLOT_COMPARE_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot compare %zu scenarios in one chart: expected 1 to %d",
                              n, MTFS_PLOT_COMPARE_MAX);
    for (size_t i = 0; i < n; i++) {
        const mtfs_projection *p = projections[i];
        if (!scenarios[i] || !p || !p->gap)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "scenario %zu of the comparison has no projected gap", i + 1);
        const char *name = mtfs_scenario_name(scenarios[i]);
        if (p->horizon < 1 || p->horizon > MTFS_HORIZON_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw '%s' for a horizon of %zu years: "
                                  "expected 1 to %d",
                                  name ? name : "", p->horizon, MTFS_HORIZON_MAX);
        for (size_t t = 1; t <= p->horizon; t++)
            if (!isfinite(p->gap[t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the gap of '%s' in year index %zu: "
                                      "the value is not a finite number",
                                      name ? name : "", t);
    }
    return MTFS_OK;
}

/* Each scenario has its own colour and marker (the palette has SERIES_N
 * of each). */
mtfs_status mtfs_plot_compare(const char *path, mtfs_plot_format format, size_t n,
                              const mtfs_scenario *const *scenarios,
                              const mtfs_projection *const *projections, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_compare called without a path, scenarios, "
                                   "projections or valid format",
                                   check_compare, NULL, NULL, NULL, draw_compare};
    compare_input in = {n, scenarios, projections};
    return plot_chart(path, format, &kind, scenarios && projections, NULL, &in, err);
}
