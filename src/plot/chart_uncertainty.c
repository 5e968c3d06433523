/*
 * plot/chart_uncertainty.c - the uncertainty charts: the Monte Carlo fan of gap
 * and reserves, the chance of falling below the minimum reserves by year,
 * and the tornado of the inputs that move the final-year gap most.
 */
#include "plot/session.h"
#include "plot/chart_uncertainty.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The fan's bands, widest first: pairs of percentile levels (shares, as
 * in mtfs_mc_percentile_levels) holding the middle 90%, 80% and 50% of
 * paths. */
#define FAN_BANDS 3
static const double fan_levels[FAN_BANDS][2] = {{0.05, 0.95}, {0.10, 0.90}, {0.25, 0.75}};
#define FAN_MEDIAN 0.50

/* Index of a percentile level in a result's arrays, or -1 when the Monte
 * Carlo does not report it.  Looked up rather than assumed, so a change to
 * the reported levels is an error here, not a wrong band. */
static int level_index(double level)
{
    for (int k = 0; k < MTFS_MC_NPCT; k++)
        if (fabs(mtfs_mc_percentile_levels[k] - level) < 1e-9)
            return k;
    return -1;
}

/* Percentile `level` in year index t of a [k * (horizon + 1) + t] array;
 * the level is known to be reported (checked in mtfs_plot_fan). */
static double pct_at(const mtfs_mc_result *r, const double *a, double level, size_t t)
{
    return a[(size_t)level_index(level) * (r->horizon + 1) + t];
}

/* A share as a percentage for a reader, rounded as the mc table rounds
 * it, to one decimal ("4.3%", "92.0%"), so chart and table agree; what
 * rounds to an end without being there says so ("<0.1%", ">99.9%", where
 * the table shows 0.0% and 100.0%), and only none or all of the paths
 * are "0.0%" and "100.0%".  Where room is short, `coarse` keeps to whole
 * numbers ("<1%", ">99%", "92%"), and the chart says so. */
static void format_share(double share, int coarse, char *out, size_t size)
{
    double p = share * 100.0;
    if (p <= 0.0)
        snprintf(out, size, coarse ? "0%%" : "0.0%%");
    else if (p >= 100.0)
        snprintf(out, size, coarse ? "100%%" : "100.0%%");
    else if (coarse && p < 1.0)
        snprintf(out, size, "<1%%");
    else if (coarse && p > 99.0)
        snprintf(out, size, ">99%%");
    else if (coarse)
        snprintf(out, size, "%.0f%%", p);
    else if (p < 0.05)
        snprintf(out, size, "<0.1%%");
    else if (p >= 99.95)
        snprintf(out, size, ">99.9%%");
    else
        snprintf(out, size, "%.1f%%", p);
}

static void label_percent(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data)
{
    (void)axis;
    (void)data;
    if (length > 0)
        snprintf(label, (size_t)length, "%.0f%%", value);
}

/* "20,000 paths, seed 20250226" */
static void format_paths(const mtfs_mc_result *r, char *out, size_t size)
{
    char n[64];
    plot_format_money((double)r->paths, 0, n, sizeof n);
    snprintf(out, size, "%s path%s, seed %lu", n, r->paths == 1 ? "" : "s", r->seed);
}
/* ---------------------------------------------------------------------- */
/* The Monte Carlo fan chart                                               */

/* The bands of one panel, widest first so each narrower one lies on the
 * one before: nested fills rather than adjacent strips, so no seam of
 * background shows between them. */
static void fan_bands(const chart *c, const mtfs_mc_result *r, const double *a, PLINT first_colour)
{
    const size_t T = c->horizon;
    PLFLT fx[2 * (MTFS_HORIZON_MAX + 1)], fy[2 * (MTFS_HORIZON_MAX + 1)];
    for (int b = 0; b < FAN_BANDS; b++) {
        PLINT m = 0;
        for (size_t t = 0; t <= T; t++) {
            fx[m] = (double)t;
            fy[m++] = pct_at(r, a, fan_levels[b][1], t);
        }
        for (size_t t = T + 1; t-- > 0;) {
            fx[m] = (double)t;
            fy[m++] = pct_at(r, a, fan_levels[b][0], t);
        }
        plcol0(first_colour + b);
        plfill(m, fx, fy);
    }
}

/* The median over the bands, and the deterministic plan over both as a
 * dashed line with markers: the plan is what the council budgets on, the
 * fan how far the outcome may stray from it. */
static void fan_lines(const chart *c, const mtfs_mc_result *r, const double *a, PLINT median_colour,
                      const double *plan, double mark)
{
    const size_t T = c->horizon;
    const PLINT n = (PLINT)T + 1;
    PLFLT xs[MTFS_HORIZON_MAX + 1], med[MTFS_HORIZON_MAX + 1], ys[MTFS_HORIZON_MAX + 1];
    for (size_t t = 0; t <= T; t++) {
        xs[t] = (double)t;
        med[t] = pct_at(r, a, FAN_MEDIAN, t);
        ys[t] = plan[t];
    }
    plot_polyline(c, n, xs, med, median_colour, 2.8);
    pllsty(LINE_DASHED);
    plot_polyline(c, n, xs, ys, COL_PLAN, 2.4);
    pllsty(LINE_SOLID);
    /* White under each marker keeps it crisp where it sits on the median. */
    plot_markers(c, n, xs, ys, COL_BG, GLYPH_CIRCLE, 15.0 * mark);
    plot_markers(c, n, xs, ys, COL_PLAN, GLYPH_CIRCLE, 11.0 * mark);
}

/* The heading of a fan panel at the left of its legend row; its note is
 * left out when the two would meet. */
static void fan_heading(const chart *c, const box *b, double y_px, double px,
                        const char *title, const char *note, PLINT note_colour,
                        const legend_entry *e, int n)
{
    double room = (b->x1 * DESIGN_W - plot_legend_row_w(e, n)) - 24.0 - 24.0;
    double need = plot_text_w(title, px, 1) + 0.6 * px + (note ? plot_text_w(note, px - 1.0, 0) : 0.0);
    plot_heading(c, nx(24.0), ny(c, y_px), px, title, need <= room ? note : NULL, note_colour);
    plot_legend_row(c, b, ny(c, y_px), e, n);
}

/* The value scale of a fan panel.  A fan that dips just below zero (the
 * 5th percentile of an early year) must not cost the axis a whole step:
 * the ticks are chosen as if it were zero and the window then just covers
 * it, with room for the line. */
static axis_range fan_range(double lo, double hi)
{
    double span = hi - lo;
    axis_range y = plot_nice_range(plot_snap_to_zero(lo, span), plot_snap_to_zero(hi, span), 5.0, 0.06);
    if (lo < y.min)
        y.min = lo - 0.02 * span;
    if (hi > y.max)
        y.max = hi + 0.02 * span;
    return y;
}

static const legend_entry fan_gap_legend[] = {
    {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 0, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "90% of paths"},
    {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 1, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "80%"},
    {PL_LEGEND_COLOR_BOX, COL_GAP_FAN + 2, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "50%"},
    {PL_LEGEND_LINE, COL_GAP_MEDIAN, COL_INK, LINE_SOLID, 2.8, NULL, 0.0, "Median"},
    {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_PLAN, COL_INK, LINE_DASHED, 2.4, GLYPH_CIRCLE, 11.0,
     "Deterministic plan"},
};

static const legend_entry fan_reserves_legend[] = {
    {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 0, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "90% of paths"},
    {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 1, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "80%"},
    {PL_LEGEND_COLOR_BOX, COL_RES_FAN + 2, COL_INK, LINE_SOLID, 0.0, NULL, 0.0, "50%"},
    {PL_LEGEND_LINE, COL_RES_MEDIAN, COL_INK, LINE_SOLID, 2.8, NULL, 0.0, "Median"},
    {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_PLAN, COL_INK, LINE_DASHED, 2.4, GLYPH_CIRCLE, 11.0,
     "Deterministic plan"},
    {PL_LEGEND_LINE, COL_MINIMUM, COL_INK, LINE_DASHED, 2.2, NULL, 0.0, "Minimum reserves"},
};

#define FAN_GAP_NOTE "spending minus funding"

/* The subtitle says how likely the minimum is to be breached by the last
 * year (the exhaustion chart has it by year): the reserves heading has no
 * room for it beside its six-entry legend. */
static void fan_subtitle(const chart *c, const mtfs_mc_result *r, double right_px, fan_layout *l)
{
    const size_t T = c->horizon;
    char raw[512], share[16];
    format_paths(r, l->paths, sizeof l->paths);
    l->has_exhausted = r->p_below_minimum != NULL;
    if (!l->has_exhausted)
        return;
    snprintf(l->paths + strlen(l->paths), sizeof l->paths - strlen(l->paths), " \xC2\xB7 ");
    double p = r->p_below_minimum[T];
    format_share(p, 0, share, sizeof share);
    if (p > 0.0)
        snprintf(raw, sizeof raw, "%s of paths below the minimum reserves by %s", share,
                 c->year[T]);
    else
        snprintf(raw, sizeof raw, "no path below the minimum reserves by %s", c->year[T]);
    /* PLplot drops the trailing space; the measure keeps it, plus a little
     * so the dot sits evenly between the two parts. */
    l->x_exhausted = 24.0 + plot_text_w(l->paths, 15.0, 0) + 4.0;
    plot_fit_text(raw, 15.0, 0, right_px - l->x_exhausted, 0, l->exhausted, sizeof l->exhausted);
    l->exhausted_colour = p > 0.0 ? COL_ALERT : COL_MUTED;
}

/* The whole layout of a fan chart on page c, without drawing. */
void fan_layout_of(const chart *c, const mtfs_mc_result *r, fan_layout *l)
{
    const mtfs_projection *d = r->deterministic;
    const size_t T = c->horizon;
    memset(l, 0, sizeof *l);
    l->mark = T > 15 ? 0.75 : 1.0;
    const double left_px = 104.0, right_px = 1170.0;
    chart settled = *c;
    plot_choose_year_rotation(&settled, (right_px - left_px) / ((double)T + 1.0));
    l->rotate_years = settled.rotate_years;
    const double band = l->band = plot_year_band(&settled);

    /* Vertical layout in design px from the top: two panels of equal
     * height share what the title and text rows leave. */
    plot_title_layout(c->name, ": Monte Carlo fan chart", right_px - 24.0, &l->title);
    const double drop = l->title.drop;
    const double a_top = 128.0 + drop, head_gap = 26.0, between = 66.0;
    const double fixed = a_top + band + between + band + 30.0 + 34.0;
    const double h = (c->design_h - fixed) * 0.5;
    const double a_bottom = a_top + h;
    const double r_top = a_bottom + band + between, r_bottom = r_top + h;
    l->sub_y = 66.0 + drop;
    l->head_a = 104.0 + drop;
    l->head_r = r_top - head_gap;
    l->fy_title = r_bottom + band + 12.0;
    l->footer = c->design_h - 14.0;
    l->a = (box){nx(left_px), nx(right_px), ny(c, a_bottom), ny(c, a_top)};
    l->rb = (box){nx(left_px), nx(right_px), ny(c, r_bottom), ny(c, r_top)};
    l->x0 = -0.5;
    l->x1 = (double)T + 0.5;
    fan_subtitle(c, r, right_px, l);

    /* The gap: the fan opens from the base year, where every path (and
     * the plan) balances by definition. */
    double lo = 0.0, hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(pct_at(r, r->gap_pct, fan_levels[0][0], t), d->gap[t]));
        hi = fmax(hi, fmax(pct_at(r, r->gap_pct, fan_levels[0][1], t), d->gap[t]));
    }
    l->ya = fan_range(lo, hi);
    /* Reserves against the minimum. */
    lo = 0.0;
    hi = 0.0;
    for (size_t t = 0; t <= T; t++) {
        lo = fmin(lo, fmin(pct_at(r, r->reserves_pct, fan_levels[0][0], t),
                           fmin(d->reserves[t], d->minimum_reserves[t])));
        hi = fmax(hi, fmax(pct_at(r, r->reserves_pct, fan_levels[0][1], t),
                           fmax(d->reserves[t], d->minimum_reserves[t])));
    }
    l->yr = fan_range(lo, hi);
    /* The gap heading's note is left out when it would meet the legend. */
    const int n_lg = (int)(sizeof fan_gap_legend / sizeof fan_gap_legend[0]);
    double room = (l->a.x1 * DESIGN_W - plot_legend_row_w(fan_gap_legend, n_lg)) - 24.0 - 24.0;
    double need = plot_text_w("Funding gap", 16.0, 1) + 0.6 * 16.0 +
                  plot_text_w(FAN_GAP_NOTE, 16.0 - 1.0, 0);
    l->gap_note = need <= room;
}

static void paint_fan_gap(const chart *c, const mtfs_mc_result *r, const fan_layout *l)
{
    const box *a = &l->a;
    plot_panel_grid(c, a, l->x0, l->x1, &l->ya);
    fan_bands(c, r, r->gap_pct, COL_GAP_FAN);
    plot_panel_axes(c, a, l->x0, l->x1, &l->ya, "\xC2\xA3m", plot_label_money);
    fan_lines(c, r, r->gap_pct, COL_GAP_MEDIAN, r->deterministic->gap, l->mark);
    plot_year_labels(c, a, l->x0, l->x1, 0, c->horizon);
    plot_heading(c, nx(24.0), ny(c, l->head_a), 16.0, "Funding gap",
                 l->gap_note ? FAN_GAP_NOTE : NULL, COL_MUTED);
    plot_legend_row(c, a, ny(c, l->head_a), fan_gap_legend,
                    (int)(sizeof fan_gap_legend / sizeof fan_gap_legend[0]));
}

/* Reserves against the minimum, which runs edge to edge over a lightly
 * shaded zone below it, as in the projection chart. */
static void paint_fan_reserves(const chart *c, const mtfs_mc_result *r, const fan_layout *l)
{
    const mtfs_projection *d = r->deterministic;
    const box *rb = &l->rb;
    PLFLT mx[MTFS_HORIZON_MAX + 3], my[MTFS_HORIZON_MAX + 3];
    const PLINT m = plot_minimum_zone(rb, l->x0, l->x1, &l->yr, d->minimum_reserves, c->horizon,
                                      mx, my);
    plot_panel_grid(c, rb, l->x0, l->x1, &l->yr);
    fan_bands(c, r, r->reserves_pct, COL_RES_FAN);
    plot_panel_axes(c, rb, l->x0, l->x1, &l->yr, "\xC2\xA3m", plot_label_money);
    pllsty(LINE_DASHED);
    plot_polyline(c, m, mx, my, COL_MINIMUM, 2.2);
    pllsty(LINE_SOLID);
    fan_lines(c, r, r->reserves_pct, COL_RES_MEDIAN, d->reserves, l->mark);
    plot_year_labels(c, rb, l->x0, l->x1, 0, c->horizon);
    fan_heading(c, rb, l->head_r, 16.0, "Reserves", NULL, COL_MUTED, fan_reserves_legend,
                (int)(sizeof fan_reserves_legend / sizeof fan_reserves_legend[0]));
}

static void draw_fan(chart *c, const void *data)
{
    const mtfs_mc_result *r = ((const mc_input *)data)->r;
    fan_layout l;
    fan_layout_of(c, r, &l);
    c->rotate_years = l.rotate_years;

    pladv(0);
    plot_title(c, &l.title);
    plot_chart_subtitle(c, l.sub_y, l.paths, 1170.0 - 24.0);
    if (l.has_exhausted) {
        plcol0(l.exhausted_colour);
        plot_page_text(nx(l.x_exhausted), ny(c, l.sub_y), 0.0, l.exhausted);
    }
    paint_fan_gap(c, r, &l);
    paint_fan_reserves(c, r, &l);

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.rb.x0 + l.rb.x1), ny(c, l.fy_title), 0.5, "Financial year");
    plot_provenance(c, nx(24.0), ny(c, l.footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* The chance of reserves below the minimum (not of running out)         */

/* The whole layout of the exhaustion chart on page c, without drawing. */
void exhaustion_layout_of(const chart *c, const mtfs_mc_result *r, exhaustion_layout *l)
{
    const size_t T = c->horizon;
    char raw[512], paths[96];
    memset(l, 0, sizeof *l);
    /* One bar per year 1..T; the base year has no draw to report. */
    l->left_px = 104.0;
    l->right_px = 1170.0;
    l->x0 = 0.5;
    l->x1 = (double)T + 0.5;
    l->slot = (l->right_px - l->left_px) / (double)T;
    chart settled = *c;
    plot_choose_year_rotation(&settled, l->slot);
    l->rotate_years = settled.rotate_years;
    const double band = plot_year_band(&settled);
    plot_title_layout(c->name, ": chance reserves fall below the minimum", l->right_px - 24.0,
                      &l->title);
    l->sub_y = 66.0 + l->title.drop;
    l->top = 116.0 + l->title.drop;
    l->footer = c->design_h - 14.0;
    l->fy_title = l->footer - 38.0;
    l->bottom = l->fy_title - 12.0 - band;
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->bottom), ny(c, l->top)};
    format_paths(r, paths, sizeof paths);
    snprintf(l->subtitle, sizeof l->subtitle, "By the end of each year, %s", paths);
    /* Bars are at least 2 px tall, so "<1%" is still seen. */
    l->bar_half = fmin(0.32, 60.0 / l->slot);
    l->min_h = 2.0 * 100.0 / (l->bottom - l->top);
    /* Values over the bars, in the largest size (down to 9 px) at which
     * the widest fits its slot, in whole numbers if the decimals near 0%
     * and 100% would not fit. */
    l->value_px = 13.0;
    for (l->coarse = 0; l->coarse < 2; l->coarse++) {
        double widest = 0.0;
        l->value_px = 13.0;
        for (size_t t = 1; t <= T; t++) {
            format_share(r->p_below_minimum[t], l->coarse, raw, sizeof raw);
            widest = fmax(widest, plot_text_w(raw, l->value_px, 1));
        }
        if (widest + 6.0 > l->slot)
            l->value_px *= (l->slot - 6.0) / widest;
        if (l->value_px >= 9.0)
            break;
    }
    l->values = l->value_px >= 9.0;
    for (size_t t = 1; t <= T; t++)
        format_share(r->p_below_minimum[t], l->coarse, l->value[t], sizeof l->value[t]);
    if (l->values && l->coarse)
        snprintf(l->subtitle + strlen(l->subtitle), sizeof l->subtitle - strlen(l->subtitle),
                 "; values in whole percentages");
}

static void draw_exhaustion(chart *c, const void *data)
{
    const mtfs_mc_result *r = ((const mc_input *)data)->r;
    const size_t T = c->horizon;
    exhaustion_layout l;
    exhaustion_layout_of(c, r, &l);
    c->rotate_years = l.rotate_years;
    const box *pb = &l.pb;

    pladv(0);
    plot_title(c, &l.title);
    plot_chart_subtitle(c, l.sub_y, l.subtitle, l.right_px - 24.0);

    /* A fixed 0-100% scale, so charts of different scenarios compare at a
     * glance, with a grid line at each quarter. */
    const axis_range y = {0.0, 100.0, 25.0};
    plot_panel_grid(c, pb, l.x0, l.x1, &y);
    for (size_t t = 1; t <= T; t++) {
        double v = 100.0 * r->p_below_minimum[t];
        if (v <= 0.0)
            continue;
        v = fmax(v, l.min_h);
        PLFLT bx[4] = {(double)t - l.bar_half, (double)t + l.bar_half, (double)t + l.bar_half,
                       (double)t - l.bar_half};
        PLFLT by[4] = {0.0, 0.0, v, v};
        plcol0(COL_EXHAUST);
        plfill(4, bx, by);
    }
    plot_panel_axes(c, pb, l.x0, l.x1, &y, "% of paths", label_percent);
    /* The values are drawn on the page, not in the plot, so the label of a
     * 100% bar sits above the frame unclipped. */
    if (l.values) {
        plot_panel_x_page_y(pb, l.x0, l.x1);
        set_text(c, l.value_px);
        set_bold(1);
        for (size_t t = 1; t <= T; t++) {
            double v = 100.0 * r->p_below_minimum[t];
            double yv = pb->y0 + v / 100.0 * (pb->y1 - pb->y0) + nh(c, 4.0 + 0.6 * l.value_px);
            plcol0(v > 0.0 ? COL_INK : COL_MUTED);
            plot_page_text((double)t, yv, 0.5, l.value[t]);
        }
        set_bold(0);
    }
    plot_year_labels(c, pb, l.x0, l.x1, 1, T);

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (pb->x0 + pb->x1), ny(c, l.fy_title), 0.5, "Financial year");
    plot_provenance(c, nx(24.0), ny(c, l.footer), c->file ? c->file : "", 1);
}

/* ---------------------------------------------------------------------- */
/* The tornado                                                             */

#define TORNADO_VALUE_GAP 6.0   /* px from a bar's end to its value */
#define TORNADO_VALUES_GAP 12.0 /* px between two values on one side */

/* A row's values, their sides and the room they need beyond the bars.
 * The side is the side of the central line an end is on, so a value
 * never reads as the other end's: ends that straddle the line (more than
 * £0.05m from it, the values' precision) put the smaller left and the
 * larger right; ends on one side put both beyond the farther end, which
 * comes first.  Anchors are set by tornado_anchors once the scale is
 * known. */
static void tornado_values(const mtfs_tornado_row *w, double base, double value_px,
                           tornado_row_layout *o)
{
    const double ends[2] = {w->low_gap, w->high_gap};
    const int far = fabs(ends[1] - base) > fabs(ends[0] - base);
    o->first_end = far;
    o->pad_l = o->pad_r = 0.0;
    if (fabs(ends[1] - ends[0]) < 0.05) { /* no swing to speak of: one muted value */
        o->nv = 1;
        o->v[0].end = -1;
        o->v[0].ends_at_x = 0;
        plot_format_pounds_m(ends[0], o->v[0].text, sizeof o->v[0].text);
    } else if (fmin(ends[0], ends[1]) < base - 0.05 && fmax(ends[0], ends[1]) > base + 0.05) {
        const int left = ends[1] < ends[0];
        o->nv = 2;
        o->v[0].end = left;
        o->v[0].ends_at_x = 1;
        o->v[1].end = !left;
        o->v[1].ends_at_x = 0;
    } else {
        const int to_left = ends[far] < base;
        o->nv = 2;
        o->v[0].end = far;
        o->v[1].end = !far;
        o->v[0].ends_at_x = o->v[1].ends_at_x = to_left;
    }
    for (int k = 0; k < o->nv; k++) {
        tornado_value *v = &o->v[k];
        if (v->end >= 0)
            plot_format_pounds_m(ends[v->end], v->text, sizeof v->text);
        v->w = plot_text_w(v->text, value_px, 0);
        double *pad = v->ends_at_x ? &o->pad_l : &o->pad_r;
        *pad += (*pad > 0.0 ? TORNADO_VALUES_GAP : TORNADO_VALUE_GAP) + v->w;
    }
}

/* The x window: the bars and the deterministic gap, with room beyond
 * them for the widest values on each side. */
static void tornado_scale(const mtfs_tornado *td, tornado_layout *l)
{
    const double base = td->base_gap;
    double lo = base, hi = base, pad_l = 0.0, pad_r = 0.0;
    for (size_t i = 0; i < l->nr; i++) {
        const mtfs_tornado_row *w = &td->rows[i];
        lo = fmin(lo, fmin(w->low_gap, w->high_gap));
        hi = fmax(hi, fmax(w->low_gap, w->high_gap));
        pad_l = fmax(pad_l, l->row[i].pad_l);
        pad_r = fmax(pad_r, l->row[i].pad_r);
    }
    pad_l += 8.0;
    pad_r += 8.0;
    if (hi - lo < 1e-9) {
        double w = fmax(1.0, fabs(base) * 0.05);
        lo -= w;
        hi += w;
    }
    l->ppu = fmax(1e-9, (l->right_px - l->left_px - pad_l - pad_r) / (hi - lo));
    l->xmin = lo - pad_l / l->ppu;
    l->xmax = hi + pad_r / l->ppu;
    l->step = plot_nice_step(l->xmax - l->xmin, 6.0);
}

/* Each value's anchor (£m): outward from the bars' end on its side, one
 * after the other. */
static void tornado_anchors(const mtfs_tornado *td, tornado_layout *l)
{
    const double base = td->base_gap, per_px = 1.0 / l->ppu; /* x units per design px */
    for (size_t i = 0; i < l->nr; i++) {
        const mtfs_tornado_row *w = &td->rows[i];
        tornado_row_layout *o = &l->row[i];
        const double bar_lo = fmin(base, fmin(w->low_gap, w->high_gap));
        const double bar_hi = fmax(base, fmax(w->low_gap, w->high_gap));
        double used_l = 0.0, used_r = 0.0; /* px taken on each side */
        for (int k = 0; k < o->nv; k++) {
            tornado_value *v = &o->v[k];
            double *used = v->ends_at_x ? &used_l : &used_r;
            *used += *used > 0.0 ? TORNADO_VALUES_GAP : TORNADO_VALUE_GAP;
            v->x = v->ends_at_x ? bar_lo - *used * per_px : bar_hi + *used * per_px;
            *used += v->w;
        }
    }
}

/* A row's name for people: its label from the input registry, or its key
 * where it has none. */
static const char *tornado_name(const mtfs_tornado_row *w)
{
    return w->label[0] ? w->label : w->key;
}

/* The whole layout of a tornado on page c, without drawing. */
void tornado_layout_of(const chart *c, const mtfs_tornado *td, tornado_layout *l)
{
    const double base = td->base_gap;
    char year[16], money[64];
    memset(l, 0, sizeof *l);
    mtfs_year_label(td->final_year, year, sizeof year);
    l->nr = td->n < MTFS_PLOT_TORNADO_ROWS ? td->n : MTFS_PLOT_TORNADO_ROWS;
    /* Rows share the height down to the axis (plot_rows_layout), under
     * the title. */
    char suffix[96];
    snprintf(suffix, sizeof suffix, ": what moves the %s gap most", year);
    plot_title_layout(c->name, suffix, TITLE_ROOM, &l->title);
    l->sub_y = 66.0 + l->title.drop;
    l->legend_y = 102.0 + l->title.drop;
    l->rows = plot_rows_layout(c->design_h, l->nr, l->title.drop);
    /* Row labels right-aligned against the plot, which starts after the
     * widest (long ones are shortened in the middle: "Demand growth,
     * adults" keeps both what and whose). */
    const double max_label = 340.0;
    for (size_t i = 0; i < l->nr; i++)
        l->label_w = fmax(l->label_w, plot_text_w(tornado_name(&td->rows[i]), l->rows.label_px, 0));
    l->label_w = fmin(l->label_w, max_label);
    l->left_px = 24.0 + l->label_w + 16.0;
    l->right_px = 1170.0;
    for (size_t i = 0; i < l->nr; i++) {
        tornado_row_layout *o = &l->row[i];
        o->yc = (double)l->nr - (double)i - 0.5;
        tornado_values(&td->rows[i], base, l->rows.value_px, o);
        plot_fit_text_middle(tornado_name(&td->rows[i]), l->rows.label_px, 0, max_label,
                             o->label, sizeof o->label);
    }
    tornado_scale(td, l);
    tornado_anchors(td, l);
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->rows.bottom), ny(c, l->rows.top)};
    l->half = 0.5 * l->rows.bar_px / l->rows.row_h;

    if (l->nr < td->n)
        snprintf(l->subtitle, sizeof l->subtitle,
                 "The %s gap with one input at a time at its 10th or 90th percentile and "
                 "the rest as planned; the %zu largest of %zu inputs",
                 year, l->nr, td->n);
    else
        snprintf(l->subtitle, sizeof l->subtitle,
                 "The %s gap with one input at a time at its 10th or 90th percentile and "
                 "the rest as planned",
                 year);
    snprintf(l->axis_title, sizeof l->axis_title, "Gap in %s, \xC2\xA3m", year);
    /* The deterministic gap: a line through every bar, rising above the
     * plot to its label. */
    l->base_px = l->left_px + (base - l->xmin) * l->ppu;
    plot_format_pounds_m(base, money, sizeof money);
    snprintf(l->base_label, sizeof l->base_label, "deterministic %s", money);
    double w = plot_text_w(l->base_label, 13.0, 0);
    l->base_label_x = fmin(fmax(l->base_px, l->left_px + 0.5 * w), l->right_px - 0.5 * w);
}

/* Bars from the deterministic gap to the gap with the input at P10 (one
 * colour) and at P90 (the other), and the values at their ends.  Colour
 * says which end, not which way: for a funding input P90 narrows the gap. */
static void paint_tornado_bars(const chart *c, const mtfs_tornado *td, const tornado_layout *l)
{
    static const PLINT end_colour[2] = {COL_P10, COL_P90};
    static const PLINT end_text[2] = {COL_P10_TEXT, COL_P90_TEXT};
    const double base = td->base_gap, half = l->half;
    for (size_t i = 0; i < l->nr; i++) {
        const tornado_row_layout *o = &l->row[i];
        const double ends[2] = {td->rows[i].low_gap, td->rows[i].high_gap};
        for (int k = 0; k < 2; k++) {
            int e = k == 0 ? o->first_end : !o->first_end;
            PLFLT bx[4] = {base, ends[e], ends[e], base};
            PLFLT by[4] = {o->yc - half, o->yc - half, o->yc + half, o->yc + half};
            plcol0(end_colour[e]);
            plfill(4, bx, by);
        }
    }
    /* The x axis, in £m. */
    plot_value_axis_x(c, l->step);
    set_text(c, l->rows.value_px);
    for (size_t i = 0; i < l->nr; i++) {
        const tornado_row_layout *o = &l->row[i];
        for (int k = 0; k < o->nv; k++) {
            const tornado_value *v = &o->v[k];
            plcol0(v->end < 0 ? COL_MUTED : end_text[v->end]);
            plptex(v->x, o->yc, 1.0, 0.0, v->ends_at_x ? 1.0 : 0.0, v->text);
        }
    }
}

static void draw_tornado(chart *c, const void *data)
{
    const mtfs_tornado *td = ((const tornado_input *)data)->t;
    tornado_layout l;
    tornado_layout_of(c, td, &l);
    const row_layout *L = &l.rows;
    const double yn = (double)l.nr;

    pladv(0);
    plot_title(c, &l.title);
    plot_chart_subtitle(c, l.sub_y, l.subtitle, l.right_px - 24.0);
    const legend_entry lg[] = {
        {PL_LEGEND_COLOR_BOX, COL_P10, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "Input at its 10th percentile"},
        {PL_LEGEND_COLOR_BOX, COL_P90, COL_INK, LINE_SOLID, 0.0, NULL, 0.0,
         "Input at its 90th percentile"},
    };
    plot_legend_row(c, &l.pb, ny(c, l.legend_y), lg, 2);
    plot_row_stripes(c, L, l.nr, l.right_px);
    /* Vertical grid under the bars; zero, where a gap turns into a
     * surplus, stands out from it. */
    plot_rows_grid(c, &l.pb, l.xmin, l.xmax, yn, l.step);
    if (l.xmin < 0.0 && l.xmax > 0.0) {
        PLFLT zx[2] = {0.0, 0.0}, zy[2] = {0.0, yn};
        plot_polyline(c, 2, zx, zy, COL_ZERO, 1.4);
    }
    paint_tornado_bars(c, td, &l);

    plot_page_coords();
    PLFLT lx[2] = {nx(l.base_px), nx(l.base_px)}, ly[2] = {ny(c, L->bottom), ny(c, L->top - 10.0)};
    plot_polyline(c, 2, lx, ly, COL_INK, 1.8);
    set_text(c, 13.0);
    plcol0(COL_INK);
    plot_page_text(nx(l.base_label_x), ny(c, L->top - 22.0), 0.5, l.base_label);

    /* Row labels: the input's label. */
    set_text(c, L->label_px);
    plcol0(COL_INK);
    for (size_t i = 0; i < l.nr; i++)
        plot_page_text(nx(l.left_px - 12.0), ny(c, L->top + ((double)i + 0.5) * L->row_h), 1.0,
                       l.row[i].label);
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.pb.x0 + l.pb.x1), ny(c, L->bottom + L->axis_band + 22.0), 0.5,
                   l.axis_title);
    plot_provenance(c, nx(24.0), ny(c, L->footer), c->file ? c->file : "", 1);
}


/* What the Monte Carlo charts need of a result whatever they draw: a
 * horizon the page can lay out.  `what` names the chart in messages. */
static mtfs_status check_mc_horizon(const mtfs_mc_result *r, const char *path, const char *what,
                                    mtfs_error *err)
{
    if (r->horizon < 1 || r->horizon > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %s for a horizon of %zu years: expected 1 to %d",
                              what, r->horizon, MTFS_HORIZON_MAX);
    return MTFS_OK;
}

/* Year labels of a Monte Carlo chart, from the result's own base year. */
static void mc_page(chart *c, const void *data)
{
    const mtfs_mc_result *r = ((const mc_input *)data)->r;
    plot_page_years(c, r->base_year, r->horizon);
}

/* Every percentile and deterministic value drawn must be finite. */
static mtfs_status check_fan(const void *data, const char *path, mtfs_error *err)
{
    const mtfs_mc_result *r = ((const mc_input *)data)->r;
    mtfs_status st = check_mc_horizon(r, path, "a fan chart", err);
    if (st != MTFS_OK)
        return st;
    const size_t T = r->horizon;
    const mtfs_projection *d = r->deterministic;
    if (!r->gap_pct || !r->reserves_pct || !d || !d->gap || !d->reserves ||
        !d->minimum_reserves || d->horizon != T)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result has no percentiles or deterministic "
                              "projection of its horizon to draw");
    for (int b = 0; b < FAN_BANDS; b++)
        if (level_index(fan_levels[b][0]) < 0 || level_index(fan_levels[b][1]) < 0)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "Monte Carlo result does not report the percentiles the "
                                  "fan chart draws");
    if (level_index(FAN_MEDIAN) < 0)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result does not report the median");

    const struct {
        const double *a;
        const char *name;
    } drawn[] = {{r->gap_pct, "gap"}, {r->reserves_pct, "reserves"}};
    for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++)
        for (int k = 0; k < MTFS_MC_NPCT; k++)
            for (size_t t = 0; t <= T; t++)
                if (!isfinite(drawn[i].a[(size_t)k * (T + 1) + t]))
                    return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                          "cannot draw the %gth percentile of %s in year "
                                          "index %zu: the value is not a finite number",
                                          100.0 * mtfs_mc_percentile_levels[k], drawn[i].name,
                                          t);
    const double *plan[] = {d->gap, d->reserves, d->minimum_reserves};
    static const char *plan_names[] = {"deterministic gap", "deterministic reserves",
                                       "minimum reserves"};
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++)
        for (size_t t = 0; t <= T; t++)
            if (!isfinite(plan[i][t]))
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the %s in year index %zu: the value is "
                                      "not a finite number",
                                      plan_names[i], t);
    if (r->p_below_minimum && !(r->p_below_minimum[T] >= 0.0 && r->p_below_minimum[T] <= 1.0))
        return mtfs_error_set(err, isfinite(r->p_below_minimum[T]) ? MTFS_EINTERNAL : MTFS_ENUMERIC,
                              path, 0, NULL,
                              "cannot draw the chance of reserves below the minimum by year index "
                              "%zu: %g is not a share between 0 and 1",
                              T, r->p_below_minimum[T]);
    return MTFS_OK;
}

mtfs_status mtfs_plot_fan(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                          const mtfs_mc_result *r, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_fan called without a path, scenario, Monte Carlo "
                                   "result or valid format",
                                   check_fan, NULL, NULL, mc_page, draw_fan};
    mc_input in = {r};
    return plot_chart(path, format, &kind, s && r, s, &in, err);
}

/* Every share drawn must be a finite number from 0 to 1. */
static mtfs_status check_exhaustion(const void *data, const char *path, mtfs_error *err)
{
    const mtfs_mc_result *r = ((const mc_input *)data)->r;
    mtfs_status st = check_mc_horizon(r, path, "the chance of reserves below the minimum", err);
    if (st != MTFS_OK)
        return st;
    if (!r->p_below_minimum)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "Monte Carlo result has no chance of reserves below the minimum to "
                              "draw");
    for (size_t t = 1; t <= r->horizon; t++) {
        double p = r->p_below_minimum[t];
        if (!isfinite(p))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the chance of reserves below the minimum in year "
                                  "index %zu: the value is not a finite number",
                                  t);
        if (p < 0.0 || p > 1.0)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "cannot draw the chance of reserves below the minimum in year "
                                  "index %zu: %g is not a share between 0 and 1",
                                  t, p);
    }
    return MTFS_OK;
}

mtfs_status mtfs_plot_exhaustion(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                                 const mtfs_mc_result *r, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_exhaustion called without a path, scenario, Monte "
                                   "Carlo result or valid format",
                                   check_exhaustion, NULL, NULL, mc_page, draw_exhaustion};
    mc_input in = {r};
    return plot_chart(path, format, &kind, s && r, s, &in, err);
}

/* At least one input; the rows drawn (up to MTFS_PLOT_TORNADO_ROWS, the
 * largest swings) must be finite. */
static mtfs_status check_tornado(const void *data, const char *path, mtfs_error *err)
{
    const mtfs_tornado *t = ((const tornado_input *)data)->t;
    if (t->n == 0)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a tornado chart: it has no uncertain inputs");
    if (!isfinite(t->base_gap))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the tornado chart: the deterministic gap is not a "
                              "finite number");
    size_t shown = t->n < MTFS_PLOT_TORNADO_ROWS ? t->n : MTFS_PLOT_TORNADO_ROWS;
    for (size_t i = 0; i < shown; i++)
        if (!isfinite(t->rows[i].low_gap) || !isfinite(t->rows[i].high_gap))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the tornado chart: the gap with '%.160s' at "
                                  "its %s is not a finite number",
                                  t->rows[i].key,
                                  isfinite(t->rows[i].low_gap) ? "90th percentile"
                                                               : "10th percentile");
    return MTFS_OK;
}

mtfs_status mtfs_plot_tornado(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                              const mtfs_tornado *t, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_tornado called without a path, scenario, tornado "
                                   "or valid format",
                                   check_tornado, NULL, NULL, NULL, draw_tornado};
    tornado_input in = {t};
    return plot_chart(path, format, &kind, s && t && !(t->n > 0 && !t->rows), s, &in, err);
}
