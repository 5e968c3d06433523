/*
 * plot/projection.c - the projection chart of one scenario: spending and
 * funding, the annual gap as bars (with the gap without Covid marked when
 * the scenario has Covid) and reserves against the minimum.
 */
#include "plot/session.h"

#include <math.h>
#include <stdio.h>

typedef struct {
    const mtfs_projection *p;
    int has_covid; /* mark the gap without Covid */
} projection_input;

static void draw_projection(chart *c, const void *data)
{
    const projection_input *in = data;
    const mtfs_projection *p = in->p;
    const size_t T = c->horizon;
    const PLINT n = (PLINT)T;
    char buf[512], raw[512];
    PLFLT xs[MTFS_HORIZON_MAX + 1], ys[MTFS_HORIZON_MAX + 1];

    pladv(0);

    /* Thirty years of full-size markers would merge into a band. */
    const double mark = T > 15 ? 0.75 : 1.0;

    /* Year labels side by side when each fits its slot. */
    const double left_px = 104.0, right_px = 1170.0;
    plot_choose_year_rotation(c, (right_px - left_px) / ((double)T + 1.0));
    double band = plot_year_band(c);

    /* Vertical layout in design px from the top; the three plot areas
     * share what the text rows leave. */
    const double title_y = 34.0, head_a = 76.0, a_top = 100.0;
    const double head_gap = 26.0;   /* heading row centre above a plot */
    const double fixed = a_top + 60.0 + band + 62.0 + band + 30.0 + 34.0;
    double avail = c->design_h - fixed;
    double h_a = avail * 0.38, h_g = avail * 0.21, h_r = avail * 0.41;
    double a_bottom = a_top + h_a;
    double g_top = a_bottom + 60.0, g_bottom = g_top + h_g;
    double r_top = g_bottom + band + 62.0, r_bottom = r_top + h_r;
    double fy_title = r_bottom + band + 12.0;
    double footer = c->design_h - 14.0;

    box a = {nx(left_px), nx(right_px), ny(c, a_bottom), ny(c, a_top)};
    box g = {nx(left_px), nx(right_px), ny(c, g_bottom), ny(c, g_top)};
    box r = {nx(left_px), nx(right_px), ny(c, r_bottom), ny(c, r_top)};
    const double text_left = nx(24.0);

    /* Title. */
    plot_page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    {
        /* A long scenario name is shortened; what the chart shows is not. */
        static const char suffix[] = ": spending, funding and gap";
        char name[400];
        double room = right_px - 24.0 - plot_text_w(suffix, 23.0, 1);
        plot_fit_text(c->name, 23.0, 1, room, 0, name, sizeof name);
        snprintf(buf, sizeof buf, "%s%s", name, suffix);
        plot_page_text(text_left, ny(c, title_y), 0.0, buf);
    }
    set_bold(0);

    /* Spending and funding, from the base year, where the approved budget
     * balances by definition (gap(0) = 0): the lines open like jaws from a
     * common point.  Every panel shares the x range of the reserves panel,
     * so a year sits at the same place on the whole page. */
    const double x0 = -0.5, x1 = (double)T + 0.5;
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        ys[t] = t ? p->funding[t] : p->expenditure[0];
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(p->expenditure[t], ys[t]));
        hi = fmax(hi, fmax(p->expenditure[t], ys[t]));
    }
    axis_range ya = plot_nice_range(lo, hi, 5.0, 0.06);
    plot_panel_frame(c, &a, x0, x1, &ya);
    plot_polyline(c, n + 1, xs, p->expenditure, COL_SPEND, 2.6);
    plot_polyline(c, n + 1, xs, ys, COL_FUND, 2.6);
    plot_markers(c, n + 1, xs, p->expenditure, COL_SPEND, GLYPH_CIRCLE, 15.0 * mark);
    plot_markers(c, n + 1, xs, ys, COL_FUND, GLYPH_SQUARE, 13.0 * mark);

    plot_heading(c, text_left, ny(c, head_a), 16.0, "Spending and funding", NULL, COL_INK);
    const legend_entry la[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_SPEND, COL_INK, LINE_SOLID, 2.6, GLYPH_CIRCLE,
         15.0, "Spending"},
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_FUND, COL_INK, LINE_SOLID, 2.6, GLYPH_SQUARE,
         13.0, "Funding"},
    };
    plot_legend_row(c, &a, ny(c, head_a), la, 2);

    /* The gap on its own scale: it is a tenth of spending or less. */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 1; t <= T; t++) {
        lo = fmin(lo, p->gap[t]);
        hi = fmax(hi, p->gap[t]);
        if (in->has_covid) {
            lo = fmin(lo, p->gap_without_covid[t]);
            hi = fmax(hi, p->gap_without_covid[t]);
        }
    }
    /* Values on the bars when every one fits its column. */
    const double value_px = 12.5;
    int bar_values = 1;
    {
        double slot = (right_px - left_px) / ((double)T + 1.0);
        for (size_t t = 1; t <= T && bar_values; t++) {
            plot_format_money(p->gap[t], 1, raw, sizeof raw);
            bar_values = plot_text_w(raw, value_px, 0) + 6.0 < slot;
        }
    }
    axis_range yg = plot_nice_range(lo, hi, 3.0, bar_values ? 0.25 : 0.06);
    plot_panel_frame(c, &g, x0, x1, &yg);
    /* Bars fill two thirds of a year, but a one-year chart gets a bar, not
     * a wall. */
    const double bar_half = fmin(0.32, 60.0 / ((right_px - left_px) / (x1 - x0)));
    for (size_t t = 1; t <= T; t++) {
        double v = p->gap[t];
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
    if (in->has_covid) {
        plcol0(COL_INK);
        set_width(c, 2.2);
        pllsty(LINE_DASHED);
        for (size_t t = 1; t <= T; t++) {
            PLFLT lx[2] = {(double)t - bar_half - 0.06, (double)t + bar_half + 0.06};
            PLFLT ly[2] = {p->gap_without_covid[t], p->gap_without_covid[t]};
            plline(2, lx, ly);
        }
        pllsty(LINE_SOLID);
    }
    if (bar_values) {
        double off = nh(c, 0.85 * value_px) * (yg.max - yg.min) / (g.y1 - g.y0);
        plcol0(COL_INK);
        set_text(c, value_px);
        for (size_t t = 1; t <= T; t++) {
            double v = p->gap[t];
            plot_format_money(v, 1, raw, sizeof raw);
            plptex((double)t, v >= 0.0 ? v + off : v - off, 1.0, 0.0, 0.5, raw);
        }
    }
    plot_heading(c, text_left, ny(c, g_top - head_gap), 16.0, "Annual gap",
            "spending minus funding", COL_MUTED);
    const legend_entry shortfall = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Shortfall"};
    const legend_entry surplus = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0,
                                  NULL, 0.0, "Surplus"};
    const legend_entry without_covid = {PL_LEGEND_LINE, COL_INK, COL_INK, LINE_DASHED, 2.2,
                                        NULL, 0.0, "Gap without Covid"};
    legend_entry lg[3];
    int n_lg = 0;
    if (hi > 0.0 || lo == 0.0)
        lg[n_lg++] = shortfall;
    if (lo < 0.0)
        lg[n_lg++] = surplus;
    if (in->has_covid)
        lg[n_lg++] = without_covid;
    plot_legend_row(c, &g, ny(c, g_top - head_gap), lg, n_lg);
    plot_year_labels(c, &g, x0, x1, 0, T);

    /* Reserves against the minimum, from the base-year balance (t = 0). */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(p->reserves[t], p->minimum_reserves[t]));
        hi = fmax(hi, fmax(p->reserves[t], p->minimum_reserves[t]));
    }
    axis_range yr = plot_nice_range(lo, hi, 5.0, 0.06);
    const double rx0 = x0, rx1 = x1;
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        ys[t] = p->reserves[t];
    }
    /* The minimum runs edge to edge, held flat beyond the first and last
     * year, with the zone below it lightly shaded. */
    PLFLT mx[MTFS_HORIZON_MAX + 3], my[MTFS_HORIZON_MAX + 3];
    const PLINT m = plot_minimum_zone(&r, rx0, rx1, &yr, p->minimum_reserves, T, mx, my);
    plot_panel_frame(c, &r, rx0, rx1, &yr);
    pllsty(LINE_DASHED);
    plot_polyline(c, m, mx, my, COL_MINIMUM, 2.2);
    pllsty(LINE_SOLID);
    size_t ex = p->exhaustion_index;
    int exhausted = ex > 0 && ex <= T;
    if (exhausted) {
        PLFLT vx[2] = {(double)ex, (double)ex}, vy[2] = {yr.min, yr.max};
        pllsty(LINE_DOTTED);
        plot_polyline(c, 2, vx, vy, COL_ALERT, 2.0);
        pllsty(LINE_SOLID);
    }
    plot_polyline(c, n + 1, xs, ys, COL_RESERVES, 2.6);
    plot_markers(c, n + 1, xs, ys, COL_RESERVES, GLYPH_DIAMOND, 17.0 * mark);

    if (exhausted)
        snprintf(raw, sizeof raw, "below the minimum from %s", c->year[ex]);
    else
        snprintf(raw, sizeof raw, "at or above the minimum in every year");
    plot_heading(c, text_left, ny(c, r_top - head_gap), 18.0, "Reserves", raw,
            exhausted ? COL_ALERT : COL_MUTED);
    const legend_entry lr[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_RESERVES, COL_INK, LINE_SOLID, 2.6,
         GLYPH_DIAMOND, 17.0, "Reserves"},
        {PL_LEGEND_LINE, COL_MINIMUM, COL_INK, LINE_DASHED, 2.2, NULL, 0.0, "Minimum reserves"},
        {PL_LEGEND_LINE, COL_ALERT, COL_INK, LINE_DOTTED, 2.0, NULL, 0.0,
         "First year below minimum"},
    };
    plot_legend_row(c, &r, ny(c, r_top - head_gap), lr, exhausted ? 3 : 2);
    plot_year_labels(c, &r, rx0, rx1, 0, T);

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (r.x0 + r.x1), ny(c, fy_title), 0.5, "Financial year");

    plot_provenance(c, text_left, ny(c, footer), c->file ? c->file : "", 1);
}

static mtfs_status check_projection(const mtfs_projection *p, size_t T,
                                    const char *path, mtfs_error *err)
{
    const double *series[] = {p->expenditure, p->funding, p->gap, p->reserves,
                              p->minimum_reserves};
    static const char *names[] = {"expenditure", "funding", "gap", "reserves",
                                  "minimum reserves"};
    if (T < 1 || T > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a chart for a horizon of %zu years: "
                              "expected 1 to %d",
                              T, MTFS_HORIZON_MAX);
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
        if (!series[i])
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "projection has no %s to draw", names[i]);
        for (size_t t = 0; t <= T; t++)
            if (!isfinite(series[i][t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw %s in year index %zu: "
                                      "the value is not a finite number",
                                      names[i], t);
    }
    return MTFS_OK;
}

static mtfs_status check_input(const void *data, const char *path, mtfs_error *err)
{
    const projection_input *in = data;
    return check_projection(in->p, in->p->horizon, path, err);
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
    projection_input in = {p, s ? mtfs_scenario_has_covid(s) : 0};
    return plot_chart(path, format, &kind, s && p, s, &in, err);
}
