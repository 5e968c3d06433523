/*
 * plot/bridge.c - the gap bridge of one year as a waterfall: the base-year
 * budget, one bar per item that moves the gap (spending items, then
 * funding items), ending at the gap of the bridged year.
 */
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const mtfs_bridge *bridge;
} bridge_input;

/* Items smaller than this would print as "+0.0" or "−0.0": not drawn. */
#define BRIDGE_MIN_ITEM 0.05

enum { BAR_START, BAR_RISE, BAR_FALL, BAR_TOTAL };

typedef struct {
    char label[128]; /* raw text under the bar */
    double from, to; /* the running gap before and after the bar, £m */
    int kind;
    int item;        /* mtfs_bridge_item of a rise or fall */
    int funding;
    wrapped wrap;
} wf_bar;

/* Whether a bar's value goes above it (rises, a gap) or below (falls, a
 * surplus), where it does not cover the connector to the next bar. */
static int value_above(const wf_bar *w)
{
    return w->kind == BAR_RISE || w->kind == BAR_START || (w->kind == BAR_TOTAL && w->to >= 0.0);
}

static void draw_bridge(chart *c, const void *data)
{
    const bridge_input *in = data;
    const mtfs_bridge *b = in->bridge;
    char raw[512], buf[512], money[64], base_label[16], year_label[16];
    wf_bar bars[MTFS_BRIDGE_N + 2];
    int nb = 0, first_spending = -1, first_funding = -1, n_rise = 0, n_fall = 0;

    mtfs_year_label(c->base_year, base_label, sizeof base_label);
    mtfs_year_label(c->base_year + (int)b->year_index, year_label, sizeof year_label);
    const int balanced_base = fabs(b->item[MTFS_BRIDGE_BASE_BALANCE]) < BRIDGE_MIN_ITEM;

    /* The bridge starts from the base year's budget, where the gap is zero
     * by construction; any base-year imbalance is its own item. */
    plot_format_pounds_m(b->base_budget, money, sizeof money);
    memset(bars, 0, sizeof bars);
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s budget %s", base_label, money);
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
        if (w->funding && first_funding < 0)
            first_funding = nb - 1;
        if (!w->funding && i != MTFS_BRIDGE_BASE_BALANCE && first_spending < 0)
            first_spending = nb - 1;
        if (v > 0.0)
            n_rise++;
        else
            n_fall++;
    }
    const double gap = b->gap;
    const int surplus = gap <= -BRIDGE_MIN_ITEM;
    snprintf(bars[nb].label, sizeof bars[nb].label, "%s in %s", surplus ? "Surplus" : "Gap",
             year_label);
    bars[nb].to = gap;
    bars[nb++].kind = BAR_TOTAL;

    /* Horizontal layout: one slot per bar.  Category labels are wrapped
     * under their bar in the largest size at which all fit ("Contingency"
     * is the widest word); a crowded bridge turns them 45 degrees
     * instead, with room on the left for the first ones. */
    const double right_px = 1170.0;
    double left_px = 104.0;
    double slot = (right_px - left_px) / nb;
    double label_px = 0.0;
    int lines = 0;
    {
        static const double sizes[] = {13.5, 13.0, 12.5, 12.0, 11.5};
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && label_px == 0.0; k++) {
            int ok = 1;
            lines = 0;
            for (int i = 0; i < nb && ok; i++) {
                int m = plot_wrap_text(bars[i].label, sizes[k], bars[i].kind == BAR_TOTAL,
                                  slot - 5.0, WRAP_LINES, &bars[i].wrap);
                ok = m > 0;
                lines = m > lines ? m : lines;
            }
            if (ok)
                label_px = sizes[k];
        }
    }
    const int rotate = label_px == 0.0;
    double label_h;
    if (rotate) {
        label_px = 12.5;
        double widest = 0.0;
        for (int pass = 0; pass < 2; pass++) {
            double need = 104.0;
            for (int i = 0; i < nb; i++) {
                double w = plot_text_w(bars[i].label, label_px, bars[i].kind == BAR_TOTAL);
                widest = fmax(widest, w);
                need = fmax(need, 20.0 + (w + 0.6 * label_px) * 0.7071 - (i + 0.5) * slot);
            }
            left_px = need;
            slot = (right_px - left_px) / nb;
        }
        label_h = 10.0 + (widest + 1.2 * label_px) * 0.7071;
    } else {
        label_h = 12.0 + lines * 1.25 * label_px;
    }

    /* Vertical layout in design px from the top. */
    const double title_y = 34.0, sub_y = 68.0, top = 104.0;
    const double footer = c->design_h - 14.0;
    const int groups = first_spending > 0 || first_funding > 0;
    const double group_h = groups ? 34.0 : 0.0;
    const double bottom = footer - 30.0 - group_h - label_h;
    const double text_left = nx(24.0);
    box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};
    const double x0 = -0.5, x1 = (double)nb - 0.5;

    /* Values go above rises and below falls; the scale leaves room for
     * them beyond the highest and lowest bars. */
    double value_px = 13.0;
    {
        double widest = 0.0;
        for (int i = 0; i < nb; i++) {
            plot_format_money(bars[i].to - bars[i].from, 1, raw, sizeof raw);
            widest = fmax(widest, plot_text_w(raw, value_px, 1) + plot_text_w("+", value_px, 0));
        }
        if (widest > slot - 6.0)
            value_px = fmax(10.0, value_px * (slot - 6.0) / widest);
    }
    double lo = 0.0, hi = 0.0, top_need = -INFINITY, bot_need = INFINITY;
    for (int i = 0; i < nb; i++) {
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
    {
        double f = 1.7 * value_px / (bottom - top);
        double pad = (hi - lo) * f / (1.0 - 2.0 * f);
        if (isfinite(top_need))
            hi = fmax(hi, top_need + pad);
        if (isfinite(bot_need))
            lo = fmin(lo, bot_need - pad);
    }
    /* A sliver beyond zero (an item too small to draw, carried in the
     * running total) must not cost the axis a whole step: the ticks are
     * chosen as if it were zero and the window then just covers it. */
    axis_range yr = plot_nice_range(plot_snap_to_zero(lo, hi - lo), plot_snap_to_zero(hi, hi - lo), 7.0, 0.0);
    yr.min = fmin(yr.min, lo);
    yr.max = fmax(yr.max, hi);

    pladv(0);

    /* Title and subtitle. */
    plot_page_coords();
    set_text(c, 23.0);
    set_bold(1);
    plcol0(COL_INK);
    {
        char suffix[64], name[400];
        snprintf(suffix, sizeof suffix, ": gap bridge to %s", year_label);
        plot_fit_text(c->name, 23.0, 1, right_px - 24.0 - plot_text_w(suffix, 23.0, 1), 0, name,
                 sizeof name);
        snprintf(buf, sizeof buf, "%s%s", name, suffix);
        plot_page_text(text_left, ny(c, title_y), 0.0, buf);
    }
    set_bold(0);

    legend_entry lg[3];
    int n_lg = 0;
    const legend_entry rise = {PL_LEGEND_COLOR_BOX, COL_GAP, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Widens the gap"};
    const legend_entry fall = {PL_LEGEND_COLOR_BOX, COL_SURPLUS, COL_INK, LINE_SOLID, 0.0, NULL,
                               0.0, "Narrows the gap"};
    const legend_entry total = {PL_LEGEND_COLOR_BOX, COL_TOTAL, COL_INK, LINE_SOLID, 0.0, NULL,
                                0.0, surplus ? "Surplus" : "Gap"};
    if (n_rise)
        lg[n_lg++] = rise;
    if (n_fall)
        lg[n_lg++] = fall;
    lg[n_lg++] = total;
    double legend_w = plot_legend_row_w(lg, n_lg);

    {
        char to[96], amount[64];
        plot_format_pounds_m(fabs(gap), amount, sizeof amount);
        if (surplus)
            snprintf(to, sizeof to, "a surplus of %s", amount);
        else if (gap < BRIDGE_MIN_ITEM)
            snprintf(to, sizeof to, "a balanced budget");
        else
            snprintf(to, sizeof to, "a gap of %s", amount);
        snprintf(raw, sizeof raw, "From %s %s budget of %s to %s in %s",
                 balanced_base ? "a balanced" : "the", base_label, money, to, year_label);
        plot_fit_text(raw, 15.0, 0, right_px - legend_w - 40.0 - 24.0, 0, buf, sizeof buf);
        plot_page_coords();
        set_text(c, 15.0);
        plcol0(COL_MUTED);
        plot_page_text(text_left, ny(c, sub_y), 0.0, buf);
    }
    plot_legend_row(c, &pb, ny(c, sub_y), lg, n_lg);

    plot_panel_frame(c, &pb, x0, x1, &yr);

    /* Spending items, then funding items, parted by a dotted rule. */
    if (first_funding > 1 && first_spending > 0) {
        PLFLT sx[2] = {first_funding - 0.5, first_funding - 0.5}, sy[2] = {yr.min, yr.max};
        pllsty(LINE_DOTTED);
        plot_polyline(c, 2, sx, sy, COL_ZERO, 1.2);
        pllsty(LINE_SOLID);
    }

    /* Bars, at least 2 px tall so a small item is still seen. */
    const double bar_half = fmin(0.34, 48.0 / slot);
    const double min_h = 2.0 * (yr.max - yr.min) / (bottom - top);
    for (int i = 0; i < nb; i++) {
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
    for (int i = 0; i + 1 < nb; i++) {
        PLFLT cx[2] = {i + bar_half, i + 1 - bar_half}, cy[2] = {bars[i].to, bars[i].to};
        plot_polyline(c, 2, cx, cy, COL_CONNECTOR, 1.2);
    }

    /* Values. */
    {
        double off = nh(c, 0.85 * value_px) * (yr.max - yr.min) / (pb.y1 - pb.y0);
        double per_px_x = (x1 - x0) / (right_px - left_px);
        double per_px_y = (yr.max - yr.min) / (bottom - top);
        set_text(c, value_px);
        for (int i = 0; i < nb; i++) {
            const wf_bar *w = &bars[i];
            int above = value_above(w);
            double level = above ? fmax(w->from, w->to) : fmin(w->from, w->to);
            if (w->kind == BAR_START) {
                snprintf(raw, sizeof raw, "%s", balanced_base ? "balanced" : "0.0");
            } else {
                char num[64];
                plot_format_money(w->to - w->from, 1, num, sizeof num);
                snprintf(raw, sizeof raw, "%s%s", w->kind == BAR_RISE ? "+" : "", num);
            }
            /* On a white ground, so a grid or zero line never runs
             * through the figure. */
            double y = above ? level + off : level - off;
            double hw = 0.5 * (plot_text_w(raw, value_px, w->kind == BAR_TOTAL) + 4.0) * per_px_x;
            double hh = 0.6 * value_px * per_px_y;
            PLFLT gx[4] = {i - hw, i + hw, i + hw, i - hw}, gy[4] = {y - hh, y - hh, y + hh, y + hh};
            plcol0(COL_BG);
            plfill(4, gx, gy);
            plcol0(w->kind == BAR_START ? COL_MUTED : COL_INK);
            set_bold(w->kind == BAR_TOTAL);
            plptex(i, y, 1.0, 0.0, 0.5, raw);
        }
        set_bold(0);
    }

    /* Category labels. */
    set_text(c, label_px);
    plcol0(COL_INK);
    plot_panel_x_page_y(&pb, x0, x1);
    if (!rotate) {
        for (int i = 0; i < nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            for (int l = 0; l < bars[i].wrap.n; l++) {
                plot_escape_text(bars[i].wrap.line[l], buf, sizeof buf);
                plot_page_text(i, pb.y0 - nh(c, 10.0 + (0.6 + 1.25 * l) * label_px), 0.5, buf);
            }
        }
    } else {
        /* As year_labels: 45 degrees on paper in this window's scales, the
         * end of the text at its tick. */
        double world_per_px = (x1 - x0) / ((pb.x1 - pb.x0) * DESIGN_W);
        double dx = world_per_px, dy = 1.0 / c->design_h;
        double y = pb.y0 - nh(c, 8.0 + 0.25 * label_px);
        for (int i = 0; i < nb; i++) {
            set_bold(bars[i].kind == BAR_TOTAL);
            plot_escape_text(bars[i].label, buf, sizeof buf);
            plptex(i + 0.35 * label_px * world_per_px, y, dx, dy, 1.0, buf);
        }
    }
    set_bold(0);

    /* Which bars are spending and which funding: a bracket under each
     * group with its name. */
    if (groups) {
        /* The base-year imbalance, if any, is in neither group. */
        int last_item = nb - 2;
        int ranges[2][2] = {{first_spending, first_funding < 0 ? last_item : first_funding - 1},
                            {first_funding, last_item}};
        static const char *names[2] = {"Spending", "Funding"};
        double yb = pb.y0 - nh(c, label_h + 4.0), tick = nh(c, 5.0);
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

    plot_provenance(c, text_left, ny(c, footer), c->file ? c->file : "", 1);
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
