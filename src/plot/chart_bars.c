/*
 * plot/chart_bars.c - charts of named bars from zero: the winners and losers of
 * a fair-funding formula (named rows, or unnamed columns for more than
 * MTFS_PLOT_BARS_MAX authorities) and a briefing's ranked comparison of
 * funding per head.
 */
#include "plot/chart_bars.h"
#include "plot/session.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mtfs_plot_bars's input, and the rows built from it in its order. */
typedef struct {
    const char *title, *subtitle, *unit, *source;
    size_t n;
    const mtfs_bar *bars;
    hbar *rows; /* built, n of them */
    char (*marked)[200]; /* built: labels with their tier, which rows point to */
} bars_input;



/* The layout of a chart of named rows on page c, without drawing. */
void hbar_rows_layout_of(const chart *c, const hbar *rows, size_t nr, double drop,
                         hbar_rows_layout *l)
{
    memset(l, 0, sizeof *l);
    l->rows = plot_rows_layout(c->design_h, nr, drop);
    l->legend_y = 102.0 + drop;
    /* Row labels right-aligned against the plot, which starts after the
     * widest (long names are shortened at the end). */
    l->max_label = 340.0;
    for (size_t i = 0; i < nr; i++)
        l->label_w = fmax(l->label_w, plot_text_w(rows[i].label, l->rows.label_px,
                                                  rows[i].font == FONT_BOLD));
    l->label_w = fmin(l->label_w, l->max_label);
    l->left_px = 24.0 + l->label_w + 16.0;
    l->right_px = 1170.0;

    /* Room beyond the bars for the values at their ends: gains' on the
     * right, losses' on the left. */
    double lo = 0.0, hi = 0.0, pad_l = 0.0, pad_r = 0.0;
    for (size_t i = 0; i < nr; i++) {
        const double v = rows[i].value;
        const double w =
            plot_text_w(rows[i].value_text, l->rows.value_px, rows[i].font == FONT_BOLD) + 14.0;
        lo = fmin(lo, v);
        hi = fmax(hi, v);
        if (plot_shown_sign(v, 0) < 0)
            pad_l = fmax(pad_l, w);
        else
            pad_r = fmax(pad_r, w);
    }
    if (hi - lo < 1e-9)
        hi = lo + 1.0; /* every value zero: a scale to show it on */
    l->ppu = fmax(1e-9, (l->right_px - l->left_px - pad_l - pad_r) / (hi - lo));
    l->xmin = lo - pad_l / l->ppu;
    l->xmax = hi + pad_r / l->ppu;
    l->step = plot_nice_step(l->xmax - l->xmin, 6.0);
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->rows.bottom), ny(c, l->rows.top)};
    l->half = 0.5 * l->rows.bar_px / l->rows.row_h;
}

/* The bars of a chart of named rows, from zero, in the order given (the
 * first on top), each with its value at its end, under the title and
 * subtitle the caller has drawn and the legend drawn here.  axis_title is
 * raw text; the footer names `files` (a path: keep_end). */
static void draw_hbar_rows(chart *c, const hbar *rows, size_t nr, double drop,
                           const legend_entry *lg, int n_lg, const char *axis_title,
                           const char *files, int keep_end)
{
    char buf[512];
    hbar_rows_layout l;
    hbar_rows_layout_of(c, rows, nr, drop, &l);
    const row_layout *L = &l.rows;
    const double yn = (double)nr, per_px = 1.0 / l.ppu;

    if (n_lg > 0)
        plot_legend_row(c, &l.pb, ny(c, l.legend_y), lg, n_lg);
    plot_row_stripes(c, L, nr, l.right_px);
    plot_rows_grid(c, &l.pb, l.xmin, l.xmax, yn, l.step);
    for (size_t i = 0; i < nr; i++) {
        const double yc = yn - (double)i - 0.5;
        PLFLT bx[4] = {0.0, rows[i].value, rows[i].value, 0.0};
        PLFLT by[4] = {yc - l.half, yc - l.half, yc + l.half, yc + l.half};
        plcol0(rows[i].colour);
        plfill(4, bx, by);
    }
    /* Zero, where a gain turns into a loss, over the bars' bases. */
    PLFLT zx[2] = {0.0, 0.0}, zy[2] = {0.0, yn};
    plot_polyline(c, 2, zx, zy, COL_AXIS, 1.6);
    plot_value_axis_x(c, l.step);

    /* Values outside the bar ends: right of a gain (and of a change that
     * prints as £0), left of a loss. */
    set_text(c, L->value_px);
    for (size_t i = 0; i < nr; i++) {
        const double v = rows[i].value, yc = yn - (double)i - 0.5;
        plot_escape_text(rows[i].value_text, buf, sizeof buf);
        plot_set_font(rows[i].font == FONT_BOLD ? FONT_BOLD : FONT_REGULAR);
        plcol0(rows[i].text_colour);
        if (plot_shown_sign(v, 0) < 0)
            plptex(v - 6.0 * per_px, yc, 1.0, 0.0, 1.0, buf);
        else
            plptex(v + 6.0 * per_px, yc, 1.0, 0.0, 0.0, buf);
    }

    plot_page_coords();
    set_text(c, L->label_px);
    for (size_t i = 0; i < nr; i++) {
        plot_set_font(rows[i].font);
        plot_fit_text(rows[i].label, L->label_px, rows[i].font == FONT_BOLD, l.max_label, 0, buf,
                      sizeof buf);
        plcol0(rows[i].label_colour);
        plot_page_text(nx(l.left_px - 12.0), ny(c, L->top + ((double)i + 0.5) * L->row_h), 1.0,
                       buf);
    }
    plot_set_font(FONT_REGULAR);

    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_fit_text(axis_title, TICK_PX, 0, l.right_px - l.left_px, 0, buf, sizeof buf);
    plot_page_text(0.5 * (l.pb.x0 + l.pb.x1), ny(c, L->bottom + L->axis_band + 22.0), 0.5, buf);

    plot_provenance(c, nx(24.0), ny(c, L->footer), files ? files : "", keep_end);
}

/* The px of column k's centre, and of value v. */
static double column_x(const column_map *m, size_t k) { return m->left + ((double)k + 0.5) * m->slot; }

static double column_y(const column_map *m, double v)
{
    return m->bottom - (v - m->y.min) / (m->y.max - m->y.min) * m->height;
}


/* The highest column top (above) or lowest bottom (below) of the columns
 * the px span x0..x1 reaches, counting zero, so a label over the span
 * clears them all.  Column k covers (k + 0.5 -+ COLUMN_HALF) slots. */
static double span_extreme(const hbar *rows, size_t n, const column_map *m, double x0,
                           double x1, int above)
{
    double e = 0.0;
    double k0 = fmax(0.0, floor((x0 - m->left) / m->slot - 0.5 - COLUMN_HALF) + 1.0);
    double k1 = fmin((double)n - 1.0, ceil((x1 - m->left) / m->slot - 0.5 + COLUMN_HALF) - 1.0);
    for (double k = k0; k <= k1; k += 1.0) {
        double v = rows[(size_t)k].value;
        e = above ? fmax(e, v) : fmin(e, v);
    }
    return e;
}

/* A label of width w px clear of the columns under it: above them
 * (bottom edge margin_px over the highest) or below (top edge under the
 * lowest), `level` label heights farther out. */
static rect note_rect(const hbar *rows, size_t n, const column_map *m, double x0, double w,
                     double h, int above, int level)
{
    const double margin = 8.0, lift = (double)level * (h + 4.0);
    rect r = {x0, 0.0, x0 + w, 0.0};
    double e = column_y(m, span_extreme(rows, n, m, r.x0, r.x1, above));
    if (above) {
        r.y1 = e - margin - lift;
        r.y0 = r.y1 - h;
    } else {
        r.y0 = e + margin + lift;
        r.y1 = r.y0 + h;
    }
    return r;
}

/* Keep a label's px span inside the plot. */
static double clamp_span(double x0, double w, double left, double right)
{
    if (x0 + w > right)
        x0 = right - w;
    return fmax(x0, left);
}

/* The largest gainer is named over its column (the first), the largest
 * loser under its own (the last); each label clears every column under
 * it. */
static void columns_end_notes(const formula_input *in, formula_columns_layout *l)
{
    const hbar *rows = in->rows;
    const size_t n = in->r->n, hl = in->highlight;
    const column_map *m = &l->m;
    char name[320];
    for (int end = 0; end < 2; end++) {
        const size_t k = end == 0 ? 0 : n - 1;
        const int gain = end == 0;
        if (k == hl || plot_shown_sign(rows[k].value, 0) != (gain ? 1 : -1))
            continue;
        column_note *e = &l->notes[l->nn++];
        plot_fit_text(rows[k].label, l->note_px, 0, 300.0, 0, name, sizeof name);
        snprintf(e->text, sizeof e->text, "Largest %s: %s %s", gain ? "gain" : "loss", name,
                 rows[k].value_text);
        const double w = plot_text_w(e->text, l->note_px, 0);
        const double bar_edge = gain ? column_x(m, k) - COLUMN_HALF * m->slot
                                     : column_x(m, k) + COLUMN_HALF * m->slot - w;
        e->r = note_rect(rows, n, m, clamp_span(bar_edge, w, l->left_px + 2.0, l->right_px - 2.0),
                         w, l->note_h, gain, 0);
        e->colour = rows[k].text_colour;
        e->bold = 0;
        e->leader = 0;
    }
}

/* The highlighted authority: its name runs away from the taller columns
 * (right of a gain, left of a loss) from a line rising from its column's
 * end; if that would cover another label it tries the other way, then
 * farther out. */
static void columns_highlight_note(const formula_input *in, formula_columns_layout *l)
{
    const hbar *rows = in->rows;
    const size_t n = in->r->n, hl = in->highlight;
    const column_map *m = &l->m;
    char name[320];
    column_note *e = &l->notes[l->nn];
    const int sign = plot_shown_sign(rows[hl].value, 0), above = sign >= 0;
    const char *which = hl == 0 && sign > 0 ? ", the largest gain"
                        : hl == n - 1 && sign < 0 ? ", the largest loss"
                                                  : "";
    plot_fit_text(rows[hl].label, l->note_px, 1, 300.0, 0, name, sizeof name);
    snprintf(e->text, sizeof e->text, "%s %s%s", name, rows[hl].value_text, which);
    const double w = plot_text_w(e->text, l->note_px, 1);
    e->tip_x = column_x(m, hl);
    e->tip_y = column_y(m, rows[hl].value);
    e->colour = COL_HIGHLIGHT;
    e->bold = 1;
    e->leader = 1;
    /* The label starts (or ends) just past the line, within the column's
     * own gap so it does not take in the next column. */
    const double past = fmin(4.0, 0.9 * (1.0 - COLUMN_HALF) * m->slot);
    int found = 0;
    for (int level = 0; level < 8 && !found; level++) {
        for (int side = 0; side < 2 && !found; side++) {
            const int run_right = above ? side == 0 : side == 1;
            const double start = run_right ? e->tip_x - past : e->tip_x + past - w;
            rect r = note_rect(rows, n, m,
                               clamp_span(start, w, l->left_px + 2.0, l->right_px - 2.0), w,
                               l->note_h, above, level);
            const double ax = fmin(fmax(e->tip_x, r.x0), r.x1);
            const double ay = above ? r.y1 : r.y0;
            int ok = r.y0 >= l->top + 2.0 && r.y1 <= l->bottom - 2.0;
            for (size_t j = 0; j < l->nn && ok; j++) {
                const rect o = {l->notes[j].r.x0 - 4.0, l->notes[j].r.y0 - 5.0,
                                l->notes[j].r.x1 + 4.0, l->notes[j].r.y1 + 5.0};
                ok = !plot_rects_overlap(&r, &o) &&
                     !plot_segment_hits(e->tip_x, e->tip_y, ax, ay, &o);
            }
            if (ok || (level == 0 && side == 0))
                e->r = r;
            found = ok;
        }
    }
    l->nn++;
}

/* The whole layout of the long formula chart on page c, without drawing:
 * one unnamed column per authority, largest gain on the left; the scale
 * leaves room for two rows of labels beyond the columns on each side that
 * has labels. */
void formula_columns_layout_of(const chart *c, const formula_input *in, double drop,
                               formula_columns_layout *l)
{
    const hbar *rows = in->rows;
    const size_t n = in->r->n, hl = in->highlight;
    memset(l, 0, sizeof *l);
    l->legend_y = 102.0 + drop;
    l->top = 156.0 + drop;
    l->footer = c->design_h - 14.0;
    l->bottom = l->footer - 38.0 - 12.0 - 20.0;
    l->left_px = 104.0;
    l->right_px = 1170.0;
    l->note_px = 13.0;
    l->note_h = 1.4 * l->note_px;
    double vmin = 0.0, vmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        vmin = fmin(vmin, rows[i].value);
        vmax = fmax(vmax, rows[i].value);
    }
    const int has_hl = hl < n;
    const int hl_sign = has_hl ? plot_shown_sign(rows[hl].value, 0) : 0;
    const int need_above = vmax > 0.0 || (has_hl && hl_sign >= 0);
    const int need_below = vmin < 0.0 || (has_hl && hl_sign < 0);
    const double head = 2.0 * (l->note_h + 10.0);
    const double room =
        (l->bottom - l->top) - (need_above ? head : 0.0) - (need_below ? head : 0.0);
    const double per_px = fmax(vmax - vmin, 1e-9) / room;
    l->m = (column_map){l->left_px, (l->right_px - l->left_px) / (double)n, l->bottom,
                        l->bottom - l->top, {0, 0, 0}};
    l->m.y = plot_nice_range(vmin - (need_below ? head * per_px : 0.0),
                             vmax + (need_above ? head * per_px : 0.0), 6.0, 0.0);
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->bottom), ny(c, l->top)};
    l->x0 = 0.5;
    l->x1 = (double)n + 0.5;
    columns_end_notes(in, l);
    if (has_hl)
        columns_highlight_note(in, l);
    snprintf(l->caption, sizeof l->caption,
             "%zu authorities, one column each, from the largest gain (left) to the largest "
             "loss (right)",
             n);
}

static void draw_formula_columns(chart *c, const formula_input *in, double drop,
                                 const legend_entry *lg, int n_lg)
{
    const hbar *rows = in->rows;
    const size_t n = in->r->n;
    formula_columns_layout l;
    formula_columns_layout_of(c, in, drop, &l);

    if (n_lg > 0)
        plot_legend_row(c, &l.pb, ny(c, l.legend_y), lg, n_lg);
    plot_panel_grid(c, &l.pb, l.x0, l.x1, &l.m.y);
    const double half = COLUMN_HALF;
    for (size_t i = 0; i < n; i++) {
        const double k = (double)i + 1.0;
        PLFLT bx[4] = {k - half, k + half, k + half, k - half};
        PLFLT by[4] = {0.0, 0.0, rows[i].value, rows[i].value};
        plcol0(rows[i].colour);
        plfill(4, bx, by);
    }
    plot_panel_axes_x(c, &l.pb, l.x0, l.x1, &l.m.y, POUND_SIGN " per head", plot_label_money,
                      "b", 0.0);

    plot_page_coords();
    set_text(c, l.note_px);
    for (size_t j = 0; j < l.nn; j++) {
        const column_note *e = &l.notes[j];
        if (e->leader) {
            const int above = e->r.y1 <= e->tip_y;
            PLFLT lx[2] = {nx(e->tip_x), nx(fmin(fmax(e->tip_x, e->r.x0), e->r.x1))};
            PLFLT ly[2] = {ny(c, e->tip_y - (above ? 1.0 : -1.0)),
                           ny(c, above ? e->r.y1 : e->r.y0)};
            plot_polyline(c, 2, lx, ly, e->colour, 1.4);
        }
        set_bold(e->bold);
        plcol0(e->colour);
        plot_page_text(nx(e->r.x0), ny(c, 0.5 * (e->r.y0 + e->r.y1)), 0.0, e->text);
    }
    set_bold(0);

    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.pb.x0 + l.pb.x1), ny(c, l.bottom + 24.0), 0.5, l.caption);
    plot_provenance(c, nx(24.0), ny(c, l.footer), c->file ? c->file : "", 1);
}

void formula_no_change_of(const formula_input *in, formula_no_change *out)
{
    const size_t n = in->r->n;
    memset(out, 0, sizeof *out);
    out->none = 1;
    for (size_t i = 0; i < n && out->none; i++)
        out->none = plot_shown_sign(in->rows[i].value, 0) == 0;
    if (!out->none)
        return;
    if (n == 1)
        snprintf(out->line[0], sizeof out->line[0],
                 "No change: the one authority keeps its funding under this formula");
    else
        snprintf(out->line[0], sizeof out->line[0],
                 "No change: every one of the %zu authorities keeps its funding under this "
                 "formula",
                 n);
    snprintf(out->line[1], sizeof out->line[1],
             "The change in funding per head rounds to " POUND_SIGN "0 for %s",
             n == 1 ? "it" : "each");
}

/* The note of a formula that changes nothing, in the middle of where the
 * bars would be. */
static void draw_no_change(chart *c, const formula_no_change *none, double drop)
{
    const row_layout L = plot_rows_layout(c->design_h, 1, drop);
    const double mid = 0.5 * (L.top + L.bottom);
    char buf[400];
    plot_page_coords();
    set_text(c, 20.0);
    set_bold(1);
    plcol0(COL_INK);
    plot_fit_text(none->line[0], 20.0, 1, TITLE_ROOM, 0, buf, sizeof buf);
    plot_page_text(0.5, ny(c, mid - 16.0), 0.5, buf);
    set_bold(0);
    set_text(c, 16.0);
    plcol0(COL_MUTED);
    plot_fit_text(none->line[1], 16.0, 0, TITLE_ROOM, 0, buf, sizeof buf);
    plot_page_text(0.5, ny(c, mid + 16.0), 0.5, buf);
    plot_provenance(c, nx(24.0), ny(c, L.footer), c->file ? c->file : "", 1);
}

static void draw_formula(chart *c, const void *data)
{
    const formula_input *in = data;
    const mtfs_formula_result *r = in->r;
    const hbar *rows = in->rows;
    const size_t n = r->n;
    char raw[512], total[64], hl_name[400];

    title_block title;
    plot_title_layout(c->name, ": winners and losers", TITLE_ROOM, &title);
    pladv(0);
    plot_title(c, &title);
    plot_format_pounds_m(r->control_total, total, sizeof total);
    snprintf(raw, sizeof raw,
             "Change in funding per head, " POUND_SIGN " a year, %zu authorities; control total %s",
             n, total);
    plot_chart_subtitle(c, 66.0 + title.drop, raw, 1170.0 - 24.0);

    /* Gain and Loss when there are any, then the highlighted authority. */
    int any_gain = 0, any_loss = 0;
    for (size_t i = 0; i < n; i++) {
        any_gain |= plot_shown_sign(rows[i].value, 0) > 0 && i != in->highlight;
        any_loss |= plot_shown_sign(rows[i].value, 0) < 0 && i != in->highlight;
    }
    legend_entry lg[3];
    int n_lg = 0;
    if (any_gain)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_GAIN, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Gain"};
    if (any_loss)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_LOSS, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Loss"};
    if (in->highlight < n) {
        plot_fit_text(rows[in->highlight].label, TICK_PX, 0, 300.0, 0, hl_name, sizeof hl_name);
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_HIGHLIGHT, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, hl_name};
    }

    formula_no_change none;
    formula_no_change_of(in, &none);
    if (none.none)
        draw_no_change(c, &none, title.drop);
    else if (n <= MTFS_PLOT_BARS_MAX)
        draw_hbar_rows(c, rows, n, title.drop, lg, n_lg, POUND_SIGN " per head", c->file, 1);
    else
        draw_formula_columns(c, in, title.drop, lg, n_lg);
}

static void draw_bars(chart *c, const void *data)
{
    const bars_input *in = data;
    const hbar *rows = in->rows;
    const size_t n = in->n;
    char hl_name[400];

    title_block title;
    plot_title_layout(c->name, "", TITLE_ROOM, &title);
    pladv(0);
    plot_title(c, &title);
    if (in->subtitle && in->subtitle[0])
        plot_chart_subtitle(c, 66.0 + title.drop, in->subtitle, 1170.0 - 24.0);

    /* One legend entry per style present: the highlighted bar by its own
     * label when there is one, then comparators (of its tier, then of
     * another) and group averages. */
    enum { ST_NORMAL, ST_HIGHLIGHT, ST_GROUP, ST_OTHER };
    size_t count[4] = {0, 0, 0, 0}, first_hl = 0;
    for (size_t i = n; i-- > 0;) {
        const int style = rows[i].colour == COL_HIGHLIGHT ? ST_HIGHLIGHT
                          : rows[i].colour == COL_GROUP   ? ST_GROUP
                          : rows[i].colour == COL_BAR_OTHER ? ST_OTHER
                                                            : ST_NORMAL;
        count[style]++;
        if (style == ST_HIGHLIGHT)
            first_hl = i;
    }
    legend_entry lg[4];
    int n_lg = 0;
    if (count[ST_HIGHLIGHT] == 1)
        plot_fit_text(rows[first_hl].label, TICK_PX, 0, 300.0, 0, hl_name, sizeof hl_name);
    else
        snprintf(hl_name, sizeof hl_name, "Highlighted");
    if (count[ST_HIGHLIGHT] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_HIGHLIGHT, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, hl_name};
    if (count[ST_NORMAL] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_BAR, COL_INK, LINE_SOLID, 0.0, NULL,
                                    0.0, count[ST_NORMAL] == 1 ? "Comparator" : "Comparators"};
    if (count[ST_OTHER] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_BAR_OTHER, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0, "Another tier"};
    if (count[ST_GROUP] > 0)
        lg[n_lg++] = (legend_entry){PL_LEGEND_COLOR_BOX, COL_GROUP, COL_INK, LINE_SOLID, 0.0,
                                    NULL, 0.0,
                                    count[ST_GROUP] == 1 ? "Group average" : "Group averages"};

    draw_hbar_rows(c, rows, n, title.drop, lg, n_lg, in->unit, c->file, 0);
}

/* An authority's name for messages and labels: its name, else its code. */
static const char *formula_name(const mtfs_formula_result *r, size_t i)
{
    if (r->label && r->label[i] && r->label[i][0])
        return r->label[i];
    if (r->code && r->code[i])
        return r->code[i];
    return "";
}

/* An authority of the formula and its change in funding per head. */
typedef struct {
    size_t index;
    double change;
    const char *name;
} ranked_change;

/* Largest gain first; ties by name, then data order, so the chart is the
 * same whatever qsort does with equal keys. */
static int by_change(const void *a, const void *b)
{
    const ranked_change *x = a, *y = b;
    if (x->change != y->change)
        return x->change < y->change ? 1 : -1;
    int byname = strcmp(x->name, y->name);
    if (byname != 0)
        return byname;
    return (x->index > y->index) - (x->index < y->index);
}

/* Every authority's change per head must be a finite number, so each
 * baseline, final allocation and population is checked (a population of
 * zero or less has no funding per head). */
static mtfs_status check_formula(const void *data, const char *path, mtfs_error *err)
{
    const formula_input *in = data;
    const mtfs_formula_result *r = in->r;
    if (r->n == 0 || r->n > MTFS_PLOT_FORMULA_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw the winners and losers of %zu authorities: "
                              "expected 1 to %d",
                              r->n, MTFS_PLOT_FORMULA_MAX);
    if (in->focus != (size_t)-1 && in->focus >= r->n)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot in->focus authority %zu: the formula has %zu", in->focus,
                              r->n);
    if (!isfinite(r->control_total))
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "cannot draw the winners and losers: the control total is not a "
                              "finite number");
    for (size_t i = 0; i < r->n; i++) {
        const char *name = formula_name(r, i);
        if (!isfinite(r->baseline[i]) || !isfinite(r->final[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding of '%.160s': its %s "
                                  "funding is not a finite number",
                                  name, isfinite(r->baseline[i]) ? "final" : "baseline");
        if (!isfinite(r->population[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "its population is not a finite number",
                                  name);
        if (!(r->population[i] > 0.0))
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "its population is %g, not a positive number",
                                  name, r->population[i]);
        if (!isfinite((r->final[i] - r->baseline[i]) * 1e6 / r->population[i]))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the change in funding per head of '%.160s': "
                                  "the value is not a finite number",
                                  name);
    }
    return MTFS_OK;
}

void formula_bar_style(hbar *b, int highlight)
{
    static const PLINT bar[3] = {COL_LOSS, COL_ZERO, COL_GAIN};
    static const PLINT text[3] = {COL_LOSS_TEXT, COL_MUTED, COL_GAIN_TEXT};
    const int sign = plot_shown_sign(b->value, 0);
    plot_format_pounds(b->value, 1, b->value_text, sizeof b->value_text);
    b->colour = highlight ? COL_HIGHLIGHT : bar[sign + 1];
    b->text_colour = highlight ? COL_HIGHLIGHT : text[sign + 1];
    b->label_colour = highlight ? COL_HIGHLIGHT : COL_INK;
    b->font = highlight ? FONT_BOLD : FONT_REGULAR;
}

/* The rows, largest gain first, the focus in its own colour. */
static mtfs_status build_formula(void *data, const char *path, mtfs_error *err)
{
    formula_input *in = data;
    const mtfs_formula_result *r = in->r;
    const size_t n = r->n;
    ranked_change *order = mtfs_calloc(n, sizeof *order);
    hbar *rows = in->rows = mtfs_calloc(n, sizeof *rows);
    if (!order || !rows) {
        mtfs_free(order);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        order[i].index = i;
        order[i].change = (r->final[i] - r->baseline[i]) * 1e6 / r->population[i];
        order[i].name = formula_name(r, i);
    }
    qsort(order, n, sizeof *order, by_change);
    in->highlight = (size_t)-1;
    for (size_t k = 0; k < n; k++) {
        hbar *b = &rows[k];
        const int is_hl = order[k].index == in->focus;
        b->label = order[k].name;
        b->value = order[k].change;
        formula_bar_style(b, is_hl);
        if (is_hl)
            in->highlight = k;
    }
    mtfs_free(order);
    return MTFS_OK;
}

static void release_formula(void *data) { mtfs_free(((formula_input *)data)->rows); }

static void formula_page(chart *c, const void *data)
{
    const mtfs_formula_result *r = ((const formula_input *)data)->r;
    c->name = r->name;
    c->file = r->data_path;
}

mtfs_status mtfs_plot_formula(const char *path, mtfs_plot_format format,
                              const mtfs_formula_result *r, size_t highlight, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_formula called without a path, formula result "
                                   "with funding and population, or valid format",
                                   check_formula, build_formula, release_formula, formula_page,
                                   draw_formula};
    formula_input in = {r, highlight, NULL, (size_t)-1};
    return plot_chart(path, format, &kind,
                      r && !(r->n > 0 && (!r->baseline || !r->final || !r->population)), NULL,
                      &in, err);
}

/* Values are in pounds, printed "£1,234", when the unit says so. */
static int unit_is_pounds_a_head(const char *unit)
{
    static const char *const per_head[] = {POUND_SIGN " a head", POUND_SIGN " per head"};
    for (size_t i = 0; i < sizeof per_head / sizeof per_head[0]; i++)
        if (strncmp(unit, per_head[i], strlen(per_head[i])) == 0)
            return 1;
    return 0;
}

/* 1 to MTFS_PLOT_BARS_MAX bars, each value finite, each style valid. */
static mtfs_status check_bars(const void *data, const char *path, mtfs_error *err)
{
    const bars_input *in = data;
    const size_t n = in->n;
    const mtfs_bar *bars = in->bars;
    if (n < 1 || n > MTFS_PLOT_BARS_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %zu bars in one chart: expected 1 to %d", n,
                              MTFS_PLOT_BARS_MAX);
    for (size_t i = 0; i < n; i++) {
        const char *label = bars[i].label ? bars[i].label : "";
        if (!isfinite(bars[i].value))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the bar '%.160s': its value is not a finite "
                                  "number",
                                  label);
        if (bars[i].style != MTFS_BAR_NORMAL && bars[i].style != MTFS_BAR_HIGHLIGHT &&
            bars[i].style != MTFS_BAR_GROUP)
            return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                                  "the bar '%.160s' has no valid style (%d)", label,
                                  (int)bars[i].style);
    }
    return MTFS_OK;
}

void bars_order(const mtfs_bar *bars, size_t n, size_t *order)
{
    /* Insertion sort: stable, and n is at most MTFS_PLOT_BARS_MAX. */
    for (size_t k = 0; k < n; k++) {
        size_t j = k;
        const int group = bars[k].style == MTFS_BAR_GROUP;
        while (j > 0) {
            const mtfs_bar *prev = &bars[order[j - 1]];
            const int prev_group = prev->style == MTFS_BAR_GROUP;
            if (prev_group < group || (prev_group == group && prev->value >= bars[k].value))
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
}

/* The highlighted authority's tier, or NULL when there is none known. */
static const char *highlight_tier(const mtfs_bar *bars, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (bars[i].style == MTFS_BAR_HIGHLIGHT && bars[i].tier && bars[i].tier[0])
            return bars[i].tier;
    return NULL;
}

void bars_rows_of(const mtfs_bar *bars, size_t n, const char *unit, hbar *rows,
                  char (*marked)[200])
{
    size_t order[MTFS_PLOT_BARS_MAX];
    bars_order(bars, n, order);
    const int pounds = unit_is_pounds_a_head(unit);
    const char *own_tier = highlight_tier(bars, n);
    for (size_t k = 0; k < n; k++) {
        const mtfs_bar *bar = &bars[order[k]];
        hbar *b = &rows[k];
        b->label = bar->label ? bar->label : "";
        b->value = bar->value;
        if (pounds)
            plot_format_pounds(b->value, 0, b->value_text, sizeof b->value_text);
        else
            plot_format_money(b->value, 0, b->value_text, sizeof b->value_text);
        switch (bar->style) {
        case MTFS_BAR_HIGHLIGHT:
            b->colour = b->text_colour = b->label_colour = COL_HIGHLIGHT;
            b->font = FONT_BOLD;
            break;
        case MTFS_BAR_GROUP:
            b->colour = COL_GROUP;
            b->text_colour = b->label_colour = COL_MUTED;
            b->font = FONT_ITALIC;
            break;
        case MTFS_BAR_NORMAL:
        default:
            b->colour = COL_BAR;
            b->text_colour = b->label_colour = COL_INK;
            b->font = FONT_REGULAR;
            if (own_tier && bar->tier && bar->tier[0] && strcmp(bar->tier, own_tier) != 0) {
                snprintf(marked[k], sizeof marked[k], "%.150s (%.40s)", b->label, bar->tier);
                b->label = marked[k];
                b->colour = COL_BAR_OTHER;
            }
            break;
        }
    }
}

/* The rows of mtfs_plot_bars (bars_rows_of), in memory of their own. */
static mtfs_status build_bars(void *data, const char *path, mtfs_error *err)
{
    bars_input *in = data;
    in->rows = mtfs_calloc(in->n, sizeof *in->rows);
    in->marked = mtfs_calloc(in->n, sizeof *in->marked);
    if (!in->rows || !in->marked)
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    bars_rows_of(in->bars, in->n, in->unit, in->rows, in->marked);
    return MTFS_OK;
}

static void release_bars(void *data)
{
    mtfs_free(((bars_input *)data)->rows);
    mtfs_free(((bars_input *)data)->marked);
}

static void bars_page(chart *c, const void *data)
{
    const bars_input *in = data;
    c->name = in->title ? in->title : "";
    c->file = in->source;
}

mtfs_status mtfs_plot_bars(const char *path, mtfs_plot_format format, const char *title,
                           const char *subtitle, const char *unit, size_t n, const mtfs_bar *bars,
                           const char *source, mtfs_error *err)
{
    static const plot_kind kind = {"mtfs_plot_bars called without a path, bars or valid format",
                                   check_bars, build_bars, release_bars, bars_page, draw_bars};
    bars_input in = {title, subtitle, unit ? unit : "", source, n, bars, NULL, NULL};
    return plot_chart(path, format, &kind, !(n > 0 && !bars), NULL, &in, err);
}
