/*
 * plot/chart_projection.c - the projection chart of one scenario: spending and
 * funding, the annual gap as bars (with the gap without Covid marked when
 * the scenario has Covid, and the revenue cost of capital as a line when it
 * has a capital block) and reserves against the minimum (with usable
 * reserves beside the general fund when it has earmarked reserves).
 */
#include "plot/chart_projection.h"
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The registry keys of the series, in projection_series order. */
static const char *const series_key[N_SERIES] = {
    "expenditure", "funding", "gap", "gap_without_covid", "reserves", "minimum_reserves",
    "capital_financing", "usable_reserves",
};

const mtfs_column *projection_series_column(projection_series k)
{
    return mtfs_column_of(series_key[k]);
}

/* Series k's short name on the chart (checked to be there before drawing). */
static const char *series_name(projection_series k)
{
    return projection_series_column(k)->chart;
}

/* Page positions: the three plot areas share what the text rows leave;
 * year labels side by side when each fits its slot. */
static void projection_frame(const chart *c, size_t T, projection_layout *l)
{
    /* Thirty years of full-size markers would merge into a band. */
    l->mark = T > 15 ? 0.75 : 1.0;
    const double left_px = 104.0, right_px = 1170.0;
    chart settled = *c;
    plot_choose_year_rotation(&settled, (right_px - left_px) / ((double)T + 1.0));
    l->rotate_years = settled.rotate_years;
    const double band = l->band = plot_year_band(&settled);

    /* Vertical layout in design px from the top, under the title. */
    plot_title_layout(c->name, ": spending, funding and gap", right_px - 24.0, &l->title);
    const double drop = l->title.drop;
    const double a_top = 100.0 + drop;
    const double head_gap = 26.0;   /* heading row centre above a plot */
    const double fixed = a_top + 60.0 + band + 62.0 + band + 30.0 + 34.0;
    double avail = c->design_h - fixed;
    double h_a = avail * 0.38, h_g = avail * 0.21, h_r = avail * 0.41;
    double a_bottom = a_top + h_a;
    double g_top = a_bottom + 60.0, g_bottom = g_top + h_g;
    double r_top = g_bottom + band + 62.0, r_bottom = r_top + h_r;
    l->head_a = 76.0 + drop;
    l->head_g = g_top - head_gap;
    l->head_r = r_top - head_gap;
    l->fy_title = r_bottom + band + 12.0;
    l->footer = c->design_h - 14.0;
    l->a = (box){nx(left_px), nx(right_px), ny(c, a_bottom), ny(c, a_top)};
    l->g = (box){nx(left_px), nx(right_px), ny(c, g_bottom), ny(c, g_top)};
    l->r = (box){nx(left_px), nx(right_px), ny(c, r_bottom), ny(c, r_top)};
    /* Every panel shares the x range of the reserves panel, so a year
     * sits at the same place on the whole page. */
    l->x0 = -0.5;
    l->x1 = (double)T + 0.5;
}

/* The gap on its own scale (it is a tenth of spending or less), with
 * values on the bars when every one fits its column. */
static void projection_gap_layout(const projection_input *in, size_t T, projection_layout *l)
{
    const double *gap = l->v[SERIES_GAP], *without = l->v[SERIES_GAP_WITHOUT_COVID];
    const double *capital = l->v[SERIES_CAPITAL];
    const double left_px = 104.0, right_px = 1170.0;
    char raw[512];
    double lo = 0.0, hi = 0.0;
    for (size_t t = 1; t <= T; t++) {
        lo = fmin(lo, gap[t]);
        hi = fmax(hi, gap[t]);
        if (in->shown[SERIES_GAP_WITHOUT_COVID]) {
            lo = fmin(lo, without[t]);
            hi = fmax(hi, without[t]);
        }
        if (in->shown[SERIES_CAPITAL]) {
            lo = fmin(lo, capital[t]);
            hi = fmax(hi, capital[t]);
        }
    }
    l->value_px = 12.5;
    l->bar_values = 1;
    double slot = (right_px - left_px) / ((double)T + 1.0);
    for (size_t t = 1; t <= T && l->bar_values; t++) {
        plot_format_money(gap[t], 1, raw, sizeof raw);
        l->bar_values = plot_text_w(raw, l->value_px, 0) + 6.0 < slot;
    }
    l->yg = plot_nice_range(lo, hi, 3.0, l->bar_values ? 0.25 : 0.06);
    /* Bars fill two thirds of a year, but a one-year chart gets a bar, not
     * a wall. */
    l->bar_half = fmin(0.32, 60.0 / ((right_px - left_px) / (l->x1 - l->x0)));

    const legend_entry shortfall = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Shortfall"};
    const legend_entry surplus = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0,
                                  NULL, 0.0, "Surplus"};
    const legend_entry without_covid = {PL_LEGEND_LINE, COL_INK, COL_INK, LINE_DASHED, 2.2,
                                        NULL, 0.0, series_name(SERIES_GAP_WITHOUT_COVID)};
    if (hi > 0.0 || lo == 0.0)
        l->lg_gap[l->n_lg_gap++] = shortfall;
    if (lo < 0.0)
        l->lg_gap[l->n_lg_gap++] = surplus;
    /* Capital financing is part of spending; on this panel because it is
     * of the gap's size (on the spending panel it would be a flat line). */
    const legend_entry capital_line = {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_CAPITAL, COL_INK,
                                       LINE_SOLID, 2.4, GLYPH_TRIANGLE_UP, 14.0,
                                       series_name(SERIES_CAPITAL)};
    if (in->shown[SERIES_GAP_WITHOUT_COVID])
        l->lg_gap[l->n_lg_gap++] = without_covid;
    if (in->shown[SERIES_CAPITAL])
        l->lg_gap[l->n_lg_gap++] = capital_line;
}

/* The reserves panel's legend, right-aligned on its heading's row.  With
 * earmarked reserves the reserves column is the general fund (model.md
 * section 11), and the legend says so beside usable reserves.  Three tries
 * until heading, note and legend fit the row: long words, short words,
 * then short words and a short note ("exhausted from 2028/29"). */
static void reserves_legend(const chart *c, const projection_input *in, projection_layout *l)
{
    const int with_usable = in->shown[SERIES_USABLE];
    const size_t out = in->p->exhausted_index;
    for (int brief = 0; brief < 3; brief++) {
        if (brief == 2 && l->exhausted && out > 0 && out <= c->horizon)
            snprintf(l->reserves_note, sizeof l->reserves_note, "exhausted from %s", c->year[out]);
        const double room = 1170.0 - 24.0 - plot_text_w(series_name(SERIES_RESERVES), 18.0, 1) -
                            0.6 * 18.0 - plot_text_w(l->reserves_note, 17.0, 0) - 40.0;
        legend_entry *e = l->lg_res;
        int n = 0;
        e[n++] = (legend_entry){PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_RESERVES, COL_INK, LINE_SOLID,
                                2.6, GLYPH_DIAMOND, 17.0,
                                with_usable ? "General fund" : series_name(SERIES_RESERVES)};
        e[n++] = (legend_entry){PL_LEGEND_LINE, COL_MINIMUM, COL_INK, LINE_DASHED, 2.2, NULL, 0.0,
                                brief ? "Minimum" : series_name(SERIES_MINIMUM)};
        if (with_usable)
            e[n++] = (legend_entry){PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_USABLE, COL_INK,
                                    LINE_SOLID, 2.6, GLYPH_SQUARE, 13.0, series_name(SERIES_USABLE)};
        if (l->exhausted)
            e[n++] = (legend_entry){PL_LEGEND_LINE, COL_ALERT, COL_INK, LINE_DOTTED, 2.0, NULL, 0.0,
                                    brief ? "Below minimum" : "First year below minimum"};
        l->n_lg_res = n;
        if (plot_legend_row_w(e, n) <= room)
            break;
    }
}

/* The whole layout of a projection chart on page c, without drawing. */
void projection_layout_of(const chart *c, const projection_input *in, projection_layout *l)
{
    const mtfs_projection *p = in->p;
    const size_t T = c->horizon;
    memset(l, 0, sizeof *l);
    for (int k = 0; k < N_SERIES; k++)
        l->v[k] = mtfs_column_values(projection_series_column((projection_series)k), p);
    projection_frame(c, T, l);

    /* Spending and funding, from the base year, where the approved budget
     * balances by definition (gap(0) = 0): the lines open like jaws from a
     * common point. */
    const double *spend = l->v[SERIES_SPENDING], *funding = l->v[SERIES_FUNDING];
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t <= T; t++) {
        l->funding[t] = t ? funding[t] : spend[0];
        lo = fmin(lo, fmin(spend[t], l->funding[t]));
        hi = fmax(hi, fmax(spend[t], l->funding[t]));
    }
    l->ya = plot_nice_range(lo, hi, 5.0, 0.06);

    projection_gap_layout(in, T, l);

    /* Reserves against the minimum, from the base-year balance (t = 0). */
    const double *res = l->v[SERIES_RESERVES], *min = l->v[SERIES_MINIMUM];
    const double *usable = l->v[SERIES_USABLE];
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(res[t], min[t]));
        hi = fmax(hi, fmax(res[t], min[t]));
        if (in->shown[SERIES_USABLE]) {
            lo = fmin(lo, usable[t]);
            hi = fmax(hi, usable[t]);
        }
    }
    l->yr = plot_nice_range(lo, hi, 5.0, 0.06);
    size_t ex = p->below_minimum_index, out = p->exhausted_index;
    l->exhausted = ex > 0 && ex <= T;
    /* Once reserves are below zero the note says so (the dotted line still
     * marks the first year below the minimum): one short note beside the
     * legend. */
    if (l->exhausted && out > 0 && out <= T)
        snprintf(l->reserves_note, sizeof l->reserves_note, "exhausted (below zero) from %s",
                 c->year[out]);
    else if (l->exhausted)
        snprintf(l->reserves_note, sizeof l->reserves_note, "below the minimum from %s",
                 c->year[ex]);
    else
        snprintf(l->reserves_note, sizeof l->reserves_note,
                 "at or above the minimum in every year");
    reserves_legend(c, in, l);
}

static void paint_spending(const chart *c, const projection_layout *l, const PLFLT *xs)
{
    const PLINT n = (PLINT)c->horizon;
    const double *spend = l->v[SERIES_SPENDING];
    plot_panel_frame(c, &l->a, l->x0, l->x1, &l->ya);
    plot_polyline(c, n + 1, xs, spend, COL_SPEND, 2.6);
    plot_polyline(c, n + 1, xs, l->funding, COL_FUND, 2.6);
    plot_markers(c, n + 1, xs, spend, COL_SPEND, GLYPH_CIRCLE, 15.0 * l->mark);
    plot_markers(c, n + 1, xs, l->funding, COL_FUND, GLYPH_SQUARE, 13.0 * l->mark);

    plot_heading(c, nx(24.0), ny(c, l->head_a), 16.0, "Spending and funding", NULL, COL_INK);
    const legend_entry la[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_SPEND, COL_INK, LINE_SOLID, 2.6, GLYPH_CIRCLE,
         15.0, series_name(SERIES_SPENDING)},
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_FUND, COL_INK, LINE_SOLID, 2.6, GLYPH_SQUARE,
         13.0, series_name(SERIES_FUNDING)},
    };
    plot_legend_row(c, &l->a, ny(c, l->head_a), la, 2);
}

static void paint_gap(const chart *c, const projection_layout *l, const projection_input *in)
{
    const double *gap = l->v[SERIES_GAP], *without = l->v[SERIES_GAP_WITHOUT_COVID];
    const size_t T = c->horizon;
    const double bar_half = l->bar_half;
    const axis_range *yg = &l->yg;
    char raw[512];
    plot_panel_frame(c, &l->g, l->x0, l->x1, yg);
    for (size_t t = 1; t <= T; t++) {
        double v = gap[t];
        if (v == 0.0)
            continue;
        PLFLT bx[4] = {(double)t - bar_half, (double)t + bar_half, (double)t + bar_half,
                       (double)t - bar_half};
        PLFLT by[4] = {0.0, 0.0, v, v};
        plcol0(v > 0.0 ? COL_GAP : COL_SURPLUS);
        plfill(4, bx, by);
    }
    /* With Covid, a dashed line across each bar marks the gap the year
     * would have had without it, so the Covid share reads off the bar. */
    if (in->shown[SERIES_GAP_WITHOUT_COVID]) {
        plcol0(COL_INK);
        set_width(c, 2.2);
        pllsty(LINE_DASHED);
        for (size_t t = 1; t <= T; t++) {
            PLFLT lx[2] = {(double)t - bar_half - 0.06, (double)t + bar_half + 0.06};
            PLFLT ly[2] = {without[t], without[t]};
            plline(2, lx, ly);
        }
        pllsty(LINE_SOLID);
    }
    if (in->shown[SERIES_CAPITAL]) {
        PLFLT xs[MTFS_HORIZON_MAX + 1];
        for (size_t t = 1; t <= T; t++)
            xs[t] = (double)t;
        plot_polyline(c, (PLINT)T, xs + 1, l->v[SERIES_CAPITAL] + 1, COL_CAPITAL, 2.4);
        plot_markers(c, (PLINT)T, xs + 1, l->v[SERIES_CAPITAL] + 1, COL_CAPITAL, GLYPH_TRIANGLE_UP,
                     14.0 * l->mark);
    }
    if (l->bar_values) {
        double off = nh(c, 0.85 * l->value_px) * (yg->max - yg->min) / (l->g.y1 - l->g.y0);
        plcol0(COL_INK);
        set_text(c, l->value_px);
        for (size_t t = 1; t <= T; t++) {
            double v = gap[t];
            plot_format_money(v, 1, raw, sizeof raw);
            plptex((double)t, v >= 0.0 ? v + off : v - off, 1.0, 0.0, 0.5, raw);
        }
    }
    plot_heading(c, nx(24.0), ny(c, l->head_g), 16.0, series_name(SERIES_GAP),
                 "spending minus funding", COL_MUTED);
    plot_legend_row(c, &l->g, ny(c, l->head_g), l->lg_gap, l->n_lg_gap);
    plot_year_labels(c, &l->g, l->x0, l->x1, 0, T);
}

static void paint_reserves(const chart *c, const projection_layout *l, const projection_input *in,
                           const PLFLT *xs)
{
    const mtfs_projection *p = in->p;
    const size_t T = c->horizon;
    const PLINT n = (PLINT)T;
    const axis_range *yr = &l->yr;
    /* The minimum runs edge to edge, held flat beyond the first and last
     * year, with the zone below it lightly shaded. */
    PLFLT mx[MTFS_HORIZON_MAX + 3], my[MTFS_HORIZON_MAX + 3];
    const double *res = l->v[SERIES_RESERVES];
    const PLINT m = plot_minimum_zone(&l->r, l->x0, l->x1, yr, l->v[SERIES_MINIMUM], T, mx, my);
    plot_panel_frame(c, &l->r, l->x0, l->x1, yr);
    pllsty(LINE_DASHED);
    plot_polyline(c, m, mx, my, COL_MINIMUM, 2.2);
    pllsty(LINE_SOLID);
    if (l->exhausted) {
        double ex = (double)p->below_minimum_index;
        PLFLT vx[2] = {ex, ex}, vy[2] = {yr->min, yr->max};
        pllsty(LINE_DOTTED);
        plot_polyline(c, 2, vx, vy, COL_ALERT, 2.0);
        pllsty(LINE_SOLID);
    }
    if (in->shown[SERIES_USABLE]) {
        plot_polyline(c, n + 1, xs, l->v[SERIES_USABLE], COL_USABLE, 2.6);
        plot_markers(c, n + 1, xs, l->v[SERIES_USABLE], COL_USABLE, GLYPH_SQUARE, 13.0 * l->mark);
    }
    plot_polyline(c, n + 1, xs, res, COL_RESERVES, 2.6);
    plot_markers(c, n + 1, xs, res, COL_RESERVES, GLYPH_DIAMOND, 17.0 * l->mark);

    plot_heading(c, nx(24.0), ny(c, l->head_r), 18.0, series_name(SERIES_RESERVES),
                 l->reserves_note,
                 l->exhausted ? COL_ALERT : COL_MUTED);
    plot_legend_row(c, &l->r, ny(c, l->head_r), l->lg_res, l->n_lg_res);
    plot_year_labels(c, &l->r, l->x0, l->x1, 0, T);
}

static void draw_projection(chart *c, const void *data)
{
    const projection_input *in = data;
    projection_layout l;
    PLFLT xs[MTFS_HORIZON_MAX + 1];
    projection_layout_of(c, in, &l);
    c->rotate_years = l.rotate_years;
    for (size_t t = 0; t <= c->horizon; t++)
        xs[t] = (double)t;

    pladv(0);
    plot_title(c, &l.title);

    paint_spending(c, &l, xs);
    paint_gap(c, &l, in);
    paint_reserves(c, &l, in, xs);

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.r.x0 + l.r.x1), ny(c, l.fy_title), 0.5, "Financial year");
    plot_provenance(c, nx(24.0), ny(c, l.footer), c->file ? c->file : "", 1);
}

/* Every series is a money column of the registry with a name on the
 * chart, and has a finite value in every year it is drawn for. */
static mtfs_status check_input(const void *data, const char *path, mtfs_error *err)
{
    const projection_input *in = data;
    const size_t T = in->p->horizon;
    if (T < 1 || T > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a chart for a horizon of %zu years: "
                              "expected 1 to %d",
                              T, MTFS_HORIZON_MAX);
    for (int k = 0; k < N_SERIES; k++) {
        const mtfs_column *col = projection_series_column((projection_series)k);
        if (!col || !col->chart || col->unit != MTFS_UNIT_MONEY)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "the output columns have no money column '%s' to chart",
                                  series_key[k]);
        if (!in->shown[k])
            continue;
        const double *v = mtfs_column_values(col, in->p);
        if (!v)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "projection has no %s to draw", col->key);
        for (size_t t = 0; t <= T; t++)
            if (!isfinite(v[t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw %s in year index %zu: "
                                      "the value is not a finite number",
                                      col->key, t);
    }
    return MTFS_OK;
}

static void page(chart *c, const void *data)
{
    const projection_input *in = data;
    plot_page_years(c, c->base_year, in->p->horizon);
}

mtfs_status mtfs_plot_projection(const char *path, mtfs_plot_format format,
                                 const mtfs_scenario *s,
                                 const mtfs_projection *p, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_projection called without a path, scenario, "
                                   "projection or valid format",
                                   check_input, NULL, NULL, page, draw_projection};
    projection_input in = {p, {0}};
    for (int k = 0; k < N_SERIES; k++) {
        const mtfs_column *col = projection_series_column((projection_series)k);
        /* A lost column is refused by check_input, with a message. */
        in.shown[k] = !col || !s || mtfs_column_shown(col, s);
    }
    return plot_chart(path, format, &kind, s && p, s, &in, err);
}
