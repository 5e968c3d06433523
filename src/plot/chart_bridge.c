/*
 * plot/chart_bridge.c - the gap bridge of one year as a waterfall: the base-year
 * budget, one bar per item that moves the gap (spending items, then
 * funding items), ending at the gap of the bridged year.
 */
#include "plot/chart_bridge.h"
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether a bar's value goes above it (rises, a gap) or below (falls, a
 * surplus), where it does not cover the connector to the next bar. */
static int value_above(const wf_bar *w)
{
    return w->kind == BAR_RISE || w->kind == BAR_START || (w->kind == BAR_TOTAL && w->to >= 0.0);
}

/* The bars: the base-year budget, one per item large enough to show, and
 * the gap (or surplus) of the bridged year; and what the labels say. */
static void bridge_bars(const chart *c, const mtfs_bridge *b, bridge_layout *l)
{
    wf_bar *bars = l->bars;
    int nb = 0;
    l->first_spending = -1;
    l->first_funding = -1;
    mtfs_year_label(c->base_year, l->base_label, sizeof l->base_label);
    mtfs_year_label(c->base_year + (int)b->year_index, l->year_label, sizeof l->year_label);
    l->balanced_base = mtfs_bridge_base_balanced(b);

    /* The bridge starts from the base year's budget, where the gap is zero
     * by construction; any base-year imbalance is its own item. */
    plot_format_pounds_m(b->base_budget, l->money, sizeof l->money);
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s budget %s", l->base_label, l->money);
    bars[nb++].kind = BAR_START;
    /* Items too small to show still move the running total, so the last
     * connector meets the gap bar exactly. */
    double running = 0.0;
    for (int i = 0; i < MTFS_BRIDGE_N; i++) {
        double v = b->item[i], from = running;
        running += v;
        if (fabs(v) < BRIDGE_MIN_ITEM)
            continue;
        wf_bar *w = &bars[nb++];
        snprintf(w->label, sizeof w->label, "%s", mtfs_bridge_label((mtfs_bridge_item)i));
        w->from = from;
        w->to = running;
        w->kind = v > 0.0 ? BAR_RISE : BAR_FALL;
        w->item = i;
        w->funding = mtfs_bridge_is_funding((mtfs_bridge_item)i);
        if (w->funding && l->first_funding < 0)
            l->first_funding = nb - 1;
        if (!w->funding && i != MTFS_BRIDGE_BASE_BALANCE && l->first_spending < 0)
            l->first_spending = nb - 1;
        if (v > 0.0)
            l->n_rise++;
        else
            l->n_fall++;
    }
    l->surplus = b->gap <= -BRIDGE_MIN_ITEM;
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s in %s", l->surplus ? "Surplus" : "Gap",
             l->year_label);
    bars[nb].to = b->gap;
    bars[nb++].kind = BAR_TOTAL;
    l->nb = nb;
}

/* Horizontal layout: one slot per bar.  Category labels are wrapped
 * under their bar in the largest size at which all fit ("Contingency" is
 * the widest word); a crowded bridge turns them 45 degrees instead, with
 * room on the left for the first ones. */
static void bridge_label_layout(bridge_layout *l)
{
    static const double sizes[] = {13.5, 13.0, 12.5, 12.0, 11.5};
    wf_bar *bars = l->bars;
    const int nb = l->nb;
    l->right_px = 1170.0;
    l->left_px = 104.0;
    l->slot = (l->right_px - l->left_px) / nb;
    l->label_px = 0.0;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && l->label_px == 0.0; k++) {
        int ok = 1;
        l->lines = 0;
        for (int i = 0; i < nb && ok; i++) {
            int m = plot_wrap_text(bars[i].label, sizes[k], bars[i].kind == BAR_TOTAL,
                                   l->slot - 5.0, WRAP_LINES, &bars[i].wrap);
            ok = m > 0;
            l->lines = m > l->lines ? m : l->lines;
        }
        if (ok)
            l->label_px = sizes[k];
    }
    l->rotate = l->label_px == 0.0;
    if (!l->rotate) {
        l->label_h = 12.0 + l->lines * 1.25 * l->label_px;
        return;
    }
    l->label_px = 12.5;
    double widest = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        double need = 104.0;
        for (int i = 0; i < nb; i++) {
            double w = plot_text_w(bars[i].label, l->label_px, bars[i].kind == BAR_TOTAL);
            widest = fmax(widest, w);
            need = fmax(need, 20.0 + (w + 0.6 * l->label_px) * 0.7071 - (i + 0.5) * l->slot);
        }
        l->left_px = need;
        l->slot = (l->right_px - l->left_px) / nb;
    }
    l->label_h = 10.0 + (widest + 1.2 * l->label_px) * 0.7071;
}

/* The value scale: values go above rises and below falls, and the scale
 * leaves room for them beyond the highest and lowest bars. */
static void bridge_scale(bridge_layout *l)
{
    const wf_bar *bars = l->bars;
    char raw[512];
    l->value_px = 13.0;
    double widest = 0.0;
    for (int i = 0; i < l->nb; i++) {
        plot_format_money(bars[i].to - bars[i].from, 1, raw, sizeof raw);
        widest = fmax(widest, plot_text_w(raw, l->value_px, 1) + plot_text_w("+", l->value_px, 0));
    }
    if (widest > l->slot - 6.0)
        l->value_px = fmax(10.0, l->value_px * (l->slot - 6.0) / widest);
    double lo = 0.0, hi = 0.0, top_need = -INFINITY, bot_need = INFINITY;
    for (int i = 0; i < l->nb; i++) {
        double a = fmin(bars[i].from, bars[i].to), z = fmax(bars[i].from, bars[i].to);
        lo = fmin(lo, a);
        hi = fmax(hi, z);
        if (value_above(&bars[i]))
            top_need = fmax(top_need, z);
        else
            bot_need = fmin(bot_need, a);
    }
    if (hi - lo < 1.0)
        hi = lo + 1.0;
    double f = 1.7 * l->value_px / (l->bottom - l->top);
    double pad = (hi - lo) * f / (1.0 - 2.0 * f);
    if (isfinite(top_need))
        hi = fmax(hi, top_need + pad);
    if (isfinite(bot_need))
        lo = fmin(lo, bot_need - pad);
    /* A sliver beyond zero (an item too small to draw, carried in the
     * running total) must not cost the axis a whole step: the ticks are
     * chosen as if it were zero and the window then just covers it. */
    l->yr = plot_nice_range(plot_snap_to_zero(lo, hi - lo), plot_snap_to_zero(hi, hi - lo), 7.0,
                            0.0);
    l->yr.min = fmin(l->yr.min, lo);
    l->yr.max = fmax(l->yr.max, hi);
}

/* Subtitle (shortened to leave room for the legend) and legend. */
static void bridge_texts(const mtfs_bridge *b, bridge_layout *l)
{
    char raw[512], to[96], amount[64];

    const legend_entry rise = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Widens the gap"};
    const legend_entry fall = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Narrows the gap"};
    const legend_entry total = {PL_LEGEND_COLOR_BOX, COL_TOTAL, COL_INK, LINE_SOLID, 0.0, NULL,
                                0.0, l->surplus ? "Surplus" : "Gap"};
    if (l->n_rise)
        l->lg[l->n_lg++] = rise;
    if (l->n_fall)
        l->lg[l->n_lg++] = fall;
    l->lg[l->n_lg++] = total;
    double legend_w = plot_legend_row_w(l->lg, l->n_lg);

    const double gap = b->gap;
    plot_format_pounds_m(fabs(gap), amount, sizeof amount);
    if (l->surplus)
        snprintf(to, sizeof to, "a surplus of %s", amount);
    else if (gap < BRIDGE_MIN_ITEM)
        snprintf(to, sizeof to, "a balanced budget");
    else
        snprintf(to, sizeof to, "a gap of %s", amount);
    snprintf(raw, sizeof raw, "From %s %s budget of %s to %s in %s",
             l->balanced_base ? "a balanced" : "the", l->base_label, l->money, to, l->year_label);
    plot_fit_text(raw, 15.0, 0, l->right_px - legend_w - 40.0 - 24.0, 0, l->subtitle,
                  sizeof l->subtitle);
}

/* Each bar's value and the white ground under it, in data units. */
static void bridge_values(const chart *c, bridge_layout *l)
{
    const box *pb = &l->pb;
    const axis_range *yr = &l->yr;
    double off = nh(c, 0.85 * l->value_px) * (yr->max - yr->min) / (pb->y1 - pb->y0);
    double per_px_x = (l->x1 - l->x0) / (l->right_px - l->left_px);
    double per_px_y = (yr->max - yr->min) / (l->bottom - l->top);
    for (int i = 0; i < l->nb; i++) {
        wf_bar *w = &l->bars[i];
        int above = value_above(w);
        double level = above ? fmax(w->from, w->to) : fmin(w->from, w->to);
        if (w->kind == BAR_START) {
            snprintf(w->value, sizeof w->value, "%s", l->balanced_base ? "balanced" : "0.0");
        } else {
            char num[64];
            plot_format_money(w->to - w->from, 1, num, sizeof num);
            snprintf(w->value, sizeof w->value, "%s%s", w->kind == BAR_RISE ? "+" : "", num);
        }
        w->value_y = above ? level + off : level - off;
        w->value_hw = 0.5 * (plot_text_w(w->value, l->value_px, w->kind == BAR_TOTAL) + 4.0) *
                      per_px_x;
        w->value_hh = 0.6 * l->value_px * per_px_y;
    }
}

/* The whole layout of a bridge on page c, without drawing. */
void bridge_layout_of(const chart *c, const mtfs_bridge *b, bridge_layout *l)
{
    memset(l, 0, sizeof *l);
    bridge_bars(c, b, l);
    bridge_label_layout(l);
    /* Vertical layout in design px from the top, under the title. */
    char suffix[64];
    snprintf(suffix, sizeof suffix, ": gap bridge to %s", l->year_label);
    plot_title_layout(c->name, suffix, l->right_px - 24.0, &l->title);
    l->sub_y = 68.0 + l->title.drop;
    l->top = 104.0 + l->title.drop;
    l->footer = c->design_h - 14.0;
    l->groups = l->first_spending > 0 || l->first_funding > 0;
    const double group_h = l->groups ? 34.0 : 0.0;
    l->bottom = l->footer - 30.0 - group_h - l->label_h;
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->bottom), ny(c, l->top)};
    l->x0 = -0.5;
    l->x1 = (double)l->nb - 0.5;
    bridge_scale(l);
    bridge_texts(b, l);
    /* Bars, at least 2 px tall so a small item is still seen. */
    l->bar_half = fmin(0.34, 48.0 / l->slot);
    l->min_h = 2.0 * (l->yr.max - l->yr.min) / (l->bottom - l->top);
    bridge_values(c, l);
}

/* Bars, connectors and values, in the panel's window. */
static void paint_bridge_bars(const chart *c, const bridge_layout *l)
{
    const wf_bar *bars = l->bars;
    const double bar_half = l->bar_half, min_h = l->min_h;
    for (int i = 0; i < l->nb; i++) {
        const wf_bar *w = &bars[i];
        PLFLT bx[4] = {i - bar_half, i + bar_half, i + bar_half, i - bar_half};
        if (w->kind == BAR_START) {
            PLFLT lx[2] = {i - bar_half, i + bar_half}, ly[2] = {0.0, 0.0};
            plot_polyline(c, 2, lx, ly, COL_TOTAL, 3.5);
            continue;
        }
        double a = w->from, z = w->to;
        if (fabs(z - a) < min_h)
            z = a + (z >= a ? min_h : -min_h);
        PLFLT by[4] = {a, a, z, z};
        plcol0(w->kind == BAR_RISE ? COL_GAP : w->kind == BAR_FALL ? COL_SURPLUS : COL_TOTAL);
        plfill(4, bx, by);
    }
    /* Connectors carry the running gap from each bar to the next. */
    for (int i = 0; i + 1 < l->nb; i++) {
        PLFLT cx[2] = {i + bar_half, i + 1 - bar_half}, cy[2] = {bars[i].to, bars[i].to};
        plot_polyline(c, 2, cx, cy, COL_CONNECTOR, 1.2);
    }
    /* Values on a white ground, so a grid or zero line never runs through
     * the figure. */
    set_text(c, l->value_px);
    for (int i = 0; i < l->nb; i++) {
        const wf_bar *w = &bars[i];
        double y = w->value_y, hw = w->value_hw, hh = w->value_hh;
        PLFLT gx[4] = {i - hw, i + hw, i + hw, i - hw}, gy[4] = {y - hh, y - hh, y + hh, y + hh};
        plcol0(COL_BG);
        plfill(4, gx, gy);
        plcol0(w->kind == BAR_START ? COL_MUTED : COL_INK);
        set_bold(w->kind == BAR_TOTAL);
        plptex(i, y, 1.0, 0.0, 0.5, w->value);
    }
    set_bold(0);
}

/* Category labels under the bars, and the spending and funding brackets. */
static void paint_bridge_labels(const chart *c, const bridge_layout *l)
{
    char buf[512];
    const wf_bar *bars = l->bars;
    const box *pb = &l->pb;
    set_text(c, l->label_px);
    plcol0(COL_INK);
    plot_panel_x_page_y(pb, l->x0, l->x1);
    if (!l->rotate) {
        for (int i = 0; i < l->nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            for (int k = 0; k < bars[i].wrap.n; k++) {
                plot_escape_text(bars[i].wrap.line[k], buf, sizeof buf);
                plot_page_text(i, pb->y0 - nh(c, 10.0 + (0.6 + 1.25 * k) * l->label_px), 0.5,
                               buf);
            }
        }
    } else {
        /* As year_labels: 45 degrees on paper in this window's scales, the
         * end of the text at its tick. */
        double world_per_px = (l->x1 - l->x0) / ((pb->x1 - pb->x0) * DESIGN_W);
        double dx = world_per_px, dy = 1.0 / c->design_h;
        double y = pb->y0 - nh(c, 8.0 + 0.25 * l->label_px);
        for (int i = 0; i < l->nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            plot_escape_text(bars[i].label, buf, sizeof buf);
            plptex(i + 0.35 * l->label_px * world_per_px, y, dx, dy, 1.0, buf);
        }
    }
    set_bold(0);
    if (!l->groups)
        return;
    /* Which bars are spending and which funding: a bracket under each
     * group with its name.  The base-year imbalance, if any, is in neither
     * group. */
    int last_item = l->nb - 2;
    int ranges[2][2] = {
        {l->first_spending, l->first_funding < 0 ? last_item : l->first_funding - 1},
        {l->first_funding, last_item}};
    static const char *names[2] = {"Spending", "Funding"};
    double yb = pb->y0 - nh(c, l->label_h + 4.0), tick = nh(c, 5.0);
    double yt = yb - nh(c, 14.0);
    for (int g = 0; g < 2; g++) {
        if (ranges[g][0] < 0 || ranges[g][1] < ranges[g][0])
            continue;
        double a = ranges[g][0] - 0.44, z = ranges[g][1] + 0.44;
        PLFLT gx[4] = {a, a, z, z}, gy[4] = {yb + tick, yb, yb, yb + tick};
        plot_polyline(c, 4, gx, gy, COL_ZERO, 1.2);
        set_text(c, 13.0);
        plcol0(COL_MUTED);
        plot_page_text(0.5 * (a + z), yt, 0.5, names[g]);
    }
}

static void draw_bridge(chart *c, const void *data)
{
    const bridge_input *in = data;
    bridge_layout l;
    bridge_layout_of(c, in->bridge, &l);
    const double text_left = nx(24.0);

    pladv(0);
    plot_title(c, &l.title);
    plot_page_coords();
    set_text(c, 15.0);
    plcol0(COL_MUTED);
    plot_page_text(text_left, ny(c, l.sub_y), 0.0, l.subtitle);
    plot_legend_row(c, &l.pb, ny(c, l.sub_y), l.lg, l.n_lg);

    plot_panel_frame(c, &l.pb, l.x0, l.x1, &l.yr);
    /* Spending items, then funding items, parted by a dotted rule. */
    if (l.first_funding > 1 && l.first_spending > 0) {
        PLFLT sx[2] = {l.first_funding - 0.5, l.first_funding - 0.5}, sy[2] = {l.yr.min, l.yr.max};
        pllsty(LINE_DOTTED);
        plot_polyline(c, 2, sx, sy, COL_ZERO, 1.2);
        pllsty(LINE_SOLID);
    }
    paint_bridge_bars(c, &l);
    paint_bridge_labels(c, &l);
    plot_provenance(c, text_left, ny(c, l.footer), c->file ? c->file : "", 1);
}


/* Every value must be finite, and nothing is written unless the whole
 * chart is. */
static mtfs_status check_bridge(const void *data, const char *path, mtfs_error *err)
{
    const mtfs_bridge *bridge = ((const bridge_input *)data)->bridge;
    if (bridge->year_index < 1 || bridge->year_index > MTFS_HORIZON_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw a gap bridge to year index %zu: expected 1 to %d",
                              bridge->year_index, MTFS_HORIZON_MAX);
    if (!isfinite(bridge->base_budget))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the gap bridge: the base-year budget is not a "
                              "finite number");
    for (int i = 0; i < MTFS_BRIDGE_N; i++)
        if (!isfinite(bridge->item[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the gap bridge: '%s' is not a finite number",
                                  mtfs_bridge_label((mtfs_bridge_item)i));
    if (!isfinite(bridge->gap))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the gap bridge: the gap is not a finite number");
    return MTFS_OK;
}

mtfs_status mtfs_plot_bridge(const char *path, mtfs_plot_format format, const mtfs_scenario *s,
                             const mtfs_bridge *bridge, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_bridge called without a path, scenario, bridge or "
                                   "valid format",
                                   check_bridge, NULL, NULL, NULL, draw_bridge};
    bridge_input in = {bridge};
    return plot_chart(path, format, &kind, s && bridge, s, &in, err);
}
