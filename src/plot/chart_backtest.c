/*
 * plot/chart_backtest.c - the back-test of published MTFS editions: published
 * against modelled gaps in small multiples, and the forecast funnel of
 * projected spending against the budgets set.
 */
#include "plot/chart_backtest.h"
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The financial years a back-test chart accepts (first calendar year),
 * which bound the outturn's length, its years being in order. */
#define BACKTEST_YEAR_MIN 1900
#define BACKTEST_YEAR_MAX 2200

/* "2020/21 MTFS": an edition by its first financial year. */
static void edition_label(const mtfs_backtest_edition *e, char *out, size_t size)
{
    char year[16];
    snprintf(out, size, "%s MTFS", mtfs_year_label(e->first_year, year, sizeof year));
}

/* Last calendar year of an edition's plan (its year `horizon`). */
static int edition_last_year(const mtfs_backtest_edition *e)
{
    return e->first_year - 1 + (int)e->horizon;
}

/* The footer's sources: the published figures, then each edition's
 * scenario, as many as fit in out. */
static void backtest_files(const mtfs_backtest *b, char *out, size_t size)
{
    size_t len = strnlen(b->published_file, sizeof b->published_file);
    if (len >= size)
        len = 0; /* a path too long to show is left out, not cut */
    memcpy(out, b->published_file, len);
    out[len] = '\0';
    for (size_t i = 0; i < b->n; i++) {
        const char *file = b->editions[i].file;
        size_t used = strlen(out);
        if (!file[0])
            continue;
        if (used + strlen(file) + 3 >= size)
            break;
        snprintf(out + used, size - used, "%s%s", used ? ", " : "", file);
    }
}

/* The largest |modelled - published| over an edition's published years
 * (a lower bound the model meets counts as no difference, as in the
 * table), or -1 when none is published. */
static double worst_gap_difference(const mtfs_backtest_edition *e)
{
    double worst = -1.0;
    for (size_t t = 1; t <= e->horizon; t++)
        if (isfinite(e->published_gap[t]))
            worst = fmax(worst, fabs(mtfs_backtest_gap_error(e, t)));
    return worst;
}

static const char *const diff_forms[] = {"largest difference %s", "max diff %s"};

/* The largest difference goes in every heading or in none: the long form
 * where each fits beside its title, else the short one. */
static int gaps_diff_form(const mtfs_backtest *b, const backtest_gaps_layout *l)
{
    char raw[512], buf[512], diff[64];
    for (int form = 0; form < 2; form++) {
        int fits = 1;
        for (size_t i = 0; i < b->n && fits; i++) {
            double worst = worst_gap_difference(&b->editions[i]);
            if (worst < 0.0)
                continue;
            edition_label(&b->editions[i], raw, sizeof raw);
            plot_format_pounds_m(worst, diff, sizeof diff);
            snprintf(buf, sizeof buf, diff_forms[form], diff);
            fits = plot_text_w(raw, l->head_px, 1) + 14.0 + plot_text_w(buf, l->note_px, 0) <= l->w;
        }
        if (fits)
            return form;
    }
    return -1;
}

/* Each edition's panel: its place in the grid, its years and heading. */
static void gaps_panels(const chart *c, const mtfs_backtest *b, backtest_gaps_layout *l)
{
    const double top0 = 160.0 + l->title.drop, between = 56.0, col_gap = 30.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    char diff[64];
    for (size_t i = 0; i < b->n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        backtest_panel *q = &l->panel[i];
        q->row = i / l->cols;
        q->col = i % l->cols;
        const double x_px = l->left_px + (double)q->col * (l->w + col_gap);
        q->top = top0 + (double)q->row * (l->h + band + between);
        q->pb = (box){nx(x_px), nx(x_px + l->w), ny(c, q->top + l->h), ny(c, q->top)};
        q->x0 = e->first_year - 0.5;
        q->x1 = e->first_year + (double)l->longest - 0.5;
        edition_label(e, q->label, sizeof q->label);
        double worst = worst_gap_difference(e);
        if (l->diff_form >= 0 && worst >= 0.0) {
            plot_format_pounds_m(worst, diff, sizeof diff);
            snprintf(q->note, sizeof q->note, diff_forms[l->diff_form], diff);
        }
    }
}

static const char gaps_title[] =
    "Published and modelled funding gap, by MTFS edition (\xC2\xA3m)";

/* The whole layout of the back-test's gaps on page c, without drawing. */
void backtest_gaps_layout_of(const chart *c, const mtfs_backtest *b, backtest_gaps_layout *l)
{
    const size_t n = b->n;
    memset(l, 0, sizeof *l);
    l->rows = n <= 4 ? 1 : (n + 3) / 4;
    l->cols = (n + l->rows - 1) / l->rows;
    /* One value scale for every panel, so editions compare; every panel
     * is as many years wide as the longest plan, so a year is as wide in
     * each. */
    l->longest = 1;
    double dlo = INFINITY, dhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        l->longest = e->horizon > l->longest ? e->horizon : l->longest;
        for (size_t t = 1; t <= e->horizon; t++) {
            dlo = fmin(dlo, e->modelled_gap[t]);
            dhi = fmax(dhi, e->modelled_gap[t]);
            if (isfinite(e->published_gap[t])) {
                dlo = fmin(dlo, e->published_gap[t]);
                dhi = fmax(dhi, e->published_gap[t]);
            }
        }
    }
    /* Vertical layout in design px from the top: the rows of panels share
     * what the title and text rows leave; each panel has its heading above
     * it and its years under it. */
    plot_title_layout("", gaps_title, TITLE_ROOM, &l->title);
    const double drop = l->title.drop;
    const double rows = (double)l->rows, top0 = 160.0 + drop, between = 56.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double fixed = top0 + rows * band + (rows - 1) * between + 30.0 + 34.0;
    l->sub_y = 66.0 + drop;
    l->legend_y = 104.0 + drop;
    l->head_gap = 20.0;
    l->h = (c->design_h - fixed) / rows;
    l->fy_title = top0 + rows * (l->h + band) + (rows - 1) * between + 12.0;
    l->footer = c->design_h - 14.0;
    l->left_px = 104.0;
    l->right_px = 1170.0;
    l->w = (l->right_px - l->left_px - (double)(l->cols - 1) * 30.0) / (double)l->cols;
    l->head_px = l->rows > 2 ? 15.0 : 16.0;
    l->note_px = 12.0;
    l->yr = plot_marked_range(fmin(0.0, dlo), fmax(0.0, dhi), dlo, dhi,
                              l->h < 200.0 ? 4.0 : 5.0, l->h, 10.0);
    l->n_lg = mtfs_backtest_has_lower_bounds(b) ? 3 : 2;
    l->diff_form = gaps_diff_form(b, l);
    gaps_panels(c, b, l);
    backtest_files(b, l->files, sizeof l->files);
}

/* One edition's panel: the modelled gap as a line, the published one as
 * dots (a lower bound as a triangle), years under it, its heading. */
static void paint_gaps_panel(const chart *c, const backtest_gaps_layout *l,
                             const mtfs_backtest_edition *e, const backtest_panel *q)
{
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];
    const PLINT np = (PLINT)e->horizon;
    plot_panel_grid(c, &q->pb, q->x0, q->x1, &l->yr);
    plot_panel_axes_x(c, &q->pb, q->x0, q->x1, &l->yr, q->col == 0 ? "\xC2\xA3m" : NULL,
                      plot_label_money, "bit", 1.0);
    for (size_t t = 1; t <= e->horizon; t++) {
        xs[t - 1] = e->first_year - 1 + (int)t;
        ys[t - 1] = e->modelled_gap[t];
    }
    plot_polyline(c, np, xs, ys, COL_MODELLED, 2.4);
    plot_markers(c, np, xs, ys, COL_MODELLED, GLYPH_CIRCLE, 9.0);
    /* Published dots over the line, each on a white ring so a dot on the
     * line still reads as a dot. */
    for (int bound = 0; bound <= 1; bound++) {
        PLINT m = 0;
        for (size_t t = 1; t <= e->horizon; t++)
            if (isfinite(e->published_gap[t]) && e->published_lower_bound[t] == bound) {
                xs[m] = e->first_year - 1 + (int)t;
                ys[m++] = e->published_gap[t];
            }
        const char *glyph = bound ? GLYPH_TRIANGLE_UP : GLYPH_CIRCLE;
        if (m > 0) {
            plot_markers(c, m, xs, ys, COL_BG, glyph, 19.0);
            plot_markers(c, m, xs, ys, COL_PUBLISHED, glyph, 15.0);
        }
    }
    plot_calendar_year_labels(c, &q->pb, q->x0, q->x1, e->first_year, edition_last_year(e), 1);
    plot_heading(c, q->pb.x0, ny(c, q->top - l->head_gap), l->head_px, q->label, NULL, COL_INK);
    if (q->note[0]) {
        plot_page_coords();
        set_text(c, l->note_px);
        plcol0(COL_MUTED);
        plot_page_text(q->pb.x1, ny(c, q->top - l->head_gap), 1.0, q->note);
    }
}

static void draw_backtest_gaps(chart *c, const void *data)
{
    const mtfs_backtest *b = ((const backtest_input *)data)->b;
    backtest_gaps_layout l;
    backtest_gaps_layout_of(c, b, &l);

    pladv(0);
    plot_title(c, &l.title);
    plot_chart_subtitle(c, l.sub_y,
                   "Spending minus funding in each year of an edition's plan, as published "
                   "and as modelled from its scenario; every panel on one scale",
                   l.right_px - 24.0);
    const box whole = {nx(l.left_px), nx(l.right_px), ny(c, l.legend_y + 8.0),
                       ny(c, l.legend_y - 8.0)};
    const legend_entry lg[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_MODELLED, COL_INK, LINE_SOLID, 2.4, GLYPH_CIRCLE,
         9.0, "Modelled"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_CIRCLE, 15.0,
         "Published"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_TRIANGLE_UP, 15.0,
         "Published lower bound (\"more than\")"},
    };
    plot_legend_row(c, &whole, ny(c, l.legend_y), lg, l.n_lg);
    for (size_t i = 0; i < b->n; i++)
        paint_gaps_panel(c, &l, &b->editions[i], &l.panel[i]);

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (nx(l.left_px) + nx(l.right_px)), ny(c, l.fy_title), 0.5,
                   "Financial year");
    plot_provenance(c, nx(24.0), ny(c, l.footer), l.files, 0);
}

/* The funnel's edition colours, oldest to newest: the darker two thirds
 * of ColorBrewer's YlGnBu, light enough at one end to read as "long ago"
 * and still visible on white, with hue as well as lightness changing so
 * neighbours stay apart.  n editions take n evenly spaced steps. */
static void set_edition_colours(size_t n)
{
    static const double ramp[][3] = {
        {127, 205, 187}, {65, 182, 196}, {29, 145, 192}, {34, 94, 168}, {37, 52, 148}, {8, 29, 88},
    };
    const size_t stops = sizeof ramp / sizeof ramp[0];
    for (size_t i = 0; i < n; i++) {
        double pos = n > 1 ? (double)i / (double)(n - 1) * (double)(stops - 1) : (double)(stops - 1);
        size_t k = (size_t)pos < stops - 1 ? (size_t)pos : stops - 2;
        double f = pos - (double)k;
        PLINT rgb[3];
        for (int j = 0; j < 3; j++)
            rgb[j] = (PLINT)lround(ramp[k][j] + f * (ramp[k + 1][j] - ramp[k][j]));
        plscol0(COL_EDITION + (PLINT)i, rgb[0], rgb[1], rgb[2]);
    }
}

static const char funnel_title[] =
    "Forecast funnel: each MTFS edition's projected spending against the budget set (\xC2\xA3m)";
static const char funnel_set_text[] = "Budget set";
static const char funnel_editions_head[] = "MTFS edition";

/* The whole layout of the forecast funnel on page c, without drawing. */
void backtest_funnel_layout_of(const chart *c, const mtfs_backtest *b,
                               backtest_funnel_layout *l)
{
    const size_t n = b->n;
    memset(l, 0, sizeof *l);
    /* The x axis runs over calendar years (the first of each financial
     * year) from the oldest edition's year 1 to the newest plan's end. */
    int first = b->editions[0].first_year, last = first;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        first = e->first_year < first ? e->first_year : first;
        last = edition_last_year(e) > last ? edition_last_year(e) : last;
        for (size_t t = 1; t <= e->horizon; t++) {
            lo = fmin(lo, e->expenditure[t]);
            hi = fmax(hi, e->expenditure[t]);
        }
    }
    for (size_t k = 0; k < b->n_outturn; k++) {
        first = b->outturn[k].year < first ? b->outturn[k].year : first;
        last = b->outturn[k].year > last ? b->outturn[k].year : last;
        lo = fmin(lo, b->outturn[k].net_budget);
        hi = fmax(hi, b->outturn[k].net_budget);
    }
    l->first = first;
    l->last = last;
    l->x0 = first - 0.5;
    l->x1 = last + 0.5;

    /* The legend is a column right of the plot, newest edition on top as
     * their lines are (budgets grow), under the budget set. */
    l->sample = 36.0;
    l->row_h = 24.0;
    l->legend_px = TICK_PX;
    l->legend_w = fmax(plot_text_w(funnel_set_text, l->legend_px, 0) + l->sample + 10.0,
                       plot_text_w(funnel_editions_head, 13.0, 1));
    for (size_t i = 0; i < n; i++) {
        mtfs_year_label(b->editions[i].first_year, l->edition[i], sizeof l->edition[i]);
        l->legend_w = fmax(l->legend_w, l->sample + 10.0 + plot_text_w(l->edition[i], l->legend_px, 0));
    }
    l->right_px = 1170.0 - l->legend_w - 30.0;
    l->left_px = 104.0;

    plot_title_layout("", funnel_title, TITLE_ROOM, &l->title);
    l->sub_y = 66.0 + l->title.drop;
    l->top = 112.0 + l->title.drop;
    l->footer = c->design_h - 14.0;
    l->fy_title = l->footer - 38.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    l->bottom = l->fy_title - 12.0 - band;
    l->pb = (box){nx(l->left_px), nx(l->right_px), ny(c, l->bottom), ny(c, l->top)};
    l->yr = plot_marked_range(lo, hi, lo, hi, 6.0, l->bottom - l->top, 10.0);
    backtest_files(b, l->files, sizeof l->files);
}

/* A legend sample at page px (x, y): a line with a marker. */
static void funnel_sample(const chart *c, const backtest_funnel_layout *l, double x, double y,
                          PLINT colour, int budget)
{
    PLFLT lx[2] = {nx(x), nx(x + l->sample)}, ly[2] = {ny(c, y), ny(c, y)};
    PLFLT mx[1] = {nx(x + 0.5 * l->sample)}, my[1] = {ny(c, y)};
    plot_polyline(c, 2, lx, ly, colour, budget ? 3.6 : 2.4);
    if (budget)
        plot_markers(c, 1, mx, my, COL_BG, GLYPH_CIRCLE, 17.0);
    plot_markers(c, 1, mx, my, colour, GLYPH_CIRCLE, budget ? 13.0 : 7.0);
    set_text(c, l->legend_px);
    plcol0(COL_INK);
}

/* Legend column: a sample of each line and its name. */
static void paint_funnel_legend(const chart *c, const mtfs_backtest *b,
                                const backtest_funnel_layout *l)
{
    const double x = l->right_px + 30.0;
    double y = l->top + 0.5 * l->row_h;
    plot_page_coords();
    if (b->n_outturn > 0) {
        funnel_sample(c, l, x, y, COL_BLACK, 1);
        plot_page_text(nx(x + l->sample + 10.0), ny(c, y), 0.0, funnel_set_text);
        y += 1.5 * l->row_h;
    }
    set_text(c, 13.0);
    set_bold(1);
    plcol0(COL_MUTED);
    plot_page_text(nx(x), ny(c, y), 0.0, funnel_editions_head);
    set_bold(0);
    y += l->row_h;
    for (size_t i = b->n; i-- > 0; y += l->row_h) {
        funnel_sample(c, l, x, y, COL_EDITION + (PLINT)i, 0);
        plot_page_text(nx(x + l->sample + 10.0), ny(c, y), 0.0, l->edition[i]);
    }
}

static void draw_backtest_funnel(chart *c, const void *data)
{
    const mtfs_backtest *b = ((const backtest_input *)data)->b;
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];
    backtest_funnel_layout l;
    backtest_funnel_layout_of(c, b, &l);

    pladv(0);
    set_edition_colours(b->n);
    plot_title(c, &l.title);
    plot_chart_subtitle(c, l.sub_y,
                   "Each line is one edition's modelled spending, before its gap is closed, "
                   "light (oldest) to dark (newest); black, the net budget set each year",
                   1170.0 - 24.0);
    plot_panel_frame(c, &l.pb, l.x0, l.x1, &l.yr);
    /* Oldest first, so each newer line lies over the older ones. */
    for (size_t i = 0; i < b->n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        for (size_t t = 1; t <= e->horizon; t++) {
            xs[t - 1] = e->first_year - 1 + (int)t;
            ys[t - 1] = e->expenditure[t];
        }
        plot_polyline(c, (PLINT)e->horizon, xs, ys, COL_EDITION + (PLINT)i, 2.4);
        plot_markers(c, (PLINT)e->horizon, xs, ys, COL_EDITION + (PLINT)i, GLYPH_CIRCLE, 7.0);
    }
    /* The budgets set, over everything: where each line starts from and
     * what it should have foreseen. */
    if (b->n_outturn > 0) {
        /* Checked: years in order within the BACKTEST_YEAR_* range. */
        PLFLT ox[BACKTEST_YEAR_MAX - BACKTEST_YEAR_MIN + 1];
        PLFLT oy[BACKTEST_YEAR_MAX - BACKTEST_YEAR_MIN + 1];
        const PLINT no = (PLINT)b->n_outturn;
        for (size_t k = 0; k < b->n_outturn; k++) {
            ox[k] = b->outturn[k].year;
            oy[k] = b->outturn[k].net_budget;
        }
        plot_polyline(c, no, ox, oy, COL_BLACK, 3.6);
        plot_markers(c, no, ox, oy, COL_BG, GLYPH_CIRCLE, 17.0);
        plot_markers(c, no, ox, oy, COL_BLACK, GLYPH_CIRCLE, 13.0);
    }
    plot_calendar_year_labels(c, &l.pb, l.x0, l.x1, l.first, l.last, 1);
    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (l.pb.x0 + l.pb.x1), ny(c, l.fy_title), 0.5, "Financial year");
    paint_funnel_legend(c, b, &l);
    plot_provenance(c, nx(24.0), ny(c, l.footer), l.files, 0);
}

/* What both back-test charts need of b: 1 to MTFS_PLOT_BACKTEST_MAX editions in
 * first-year order, each with a horizon the page can lay out and its
 * modelled gap finite (a published gap may be NAN, not published, but not
 * infinite); with `funnel`, also finite modelled expenditure and an
 * outturn of finite budgets set, years in order.  `what` names the chart
 * in messages. */
static mtfs_status check_backtest(const void *data, const char *path, mtfs_error *err)
{
    const backtest_input *in = data;
    const mtfs_backtest *b = in->b;
    const int funnel = in->funnel;
    const char *what = in->what;
    char label[64], year[16];
    if (b->n < 1 || b->n > MTFS_PLOT_BACKTEST_MAX)
        return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                              "cannot draw %s of %zu MTFS editions: expected 1 to %d", what,
                              b->n, MTFS_PLOT_BACKTEST_MAX);
    if (!b->editions || (b->n_outturn > 0 && !b->outturn))
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL,
                              "the back-test has no %s to draw",
                              b->editions ? "outturn" : "editions");
    for (size_t i = 0; i < b->n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        if (e->first_year < BACKTEST_YEAR_MIN || e->first_year > BACKTEST_YEAR_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw MTFS edition %zu ('%.64s'): its first year %d "
                                  "is not between %d and %d",
                                  i + 1, e->id, e->first_year, BACKTEST_YEAR_MIN,
                                  BACKTEST_YEAR_MAX);
        edition_label(e, label, sizeof label);
        if (e->horizon < 1 || e->horizon > MTFS_HORIZON_MAX)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw the %s ('%.64s') for a horizon of %zu years: "
                                  "expected 1 to %d",
                                  label, e->id, e->horizon, MTFS_HORIZON_MAX);
        if (i > 0 && e->first_year < b->editions[i - 1].first_year)
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw %s: the %s ('%.64s') is listed after the "
                                  "%.15s MTFS ('%.64s'); editions must be in order of first "
                                  "year",
                                  what, label, e->id,
                                  mtfs_year_label(b->editions[i - 1].first_year, year,
                                                  sizeof year),
                                  b->editions[i - 1].id);
        for (size_t t = 1; t <= e->horizon; t++) {
            mtfs_year_label(e->first_year - 1 + (int)t, year, sizeof year);
            const char *bad = !isfinite(e->modelled_gap[t]) ? "modelled gap"
                              : isinf(e->published_gap[t]) ? "published gap"
                              : funnel && !isfinite(e->expenditure[t]) ? "modelled spending"
                                                                        : NULL;
            if (bad)
                return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                      "cannot draw the %s of the %s ('%.64s') in %s: the value "
                                      "is not a finite number",
                                      bad, label, e->id, year);
        }
    }
    if (!funnel)
        return MTFS_OK;
    for (size_t k = 0; k < b->n_outturn; k++) {
        const mtfs_backtest_outturn *o = &b->outturn[k];
        if (o->year < BACKTEST_YEAR_MIN || o->year > BACKTEST_YEAR_MAX ||
            (k > 0 && o->year <= b->outturn[k - 1].year))
            return mtfs_error_set(err, MTFS_EINPUT, path, 0, NULL,
                                  "cannot draw %s: outturn year %d is out of order or not "
                                  "between %d and %d",
                                  what, o->year, BACKTEST_YEAR_MIN, BACKTEST_YEAR_MAX);
        if (!isfinite(o->net_budget))
            return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                                  "cannot draw the net budget set for %s: the value is not a "
                                  "finite number",
                                  mtfs_year_label(o->year, year, sizeof year));
    }
    return MTFS_OK;
}

/* Both back-test charts: checked (the funnel's extra checks with
 * `funnel`), then drawn. */
static mtfs_status plot_backtest(const char *path, mtfs_plot_format format,
                                 const mtfs_backtest *b, int funnel, mtfs_error *err)
{
    static const plot_kind kinds[2] = {
        {"mtfs_plot_backtest_gaps called without a path, back-test or valid format",
         check_backtest, NULL, NULL, NULL, draw_backtest_gaps},
        {"mtfs_plot_backtest_funnel called without a path, back-test or valid format",
         check_backtest, NULL, NULL, NULL, draw_backtest_funnel},
    };
    static const char *const what[2] = {"the published and modelled gaps", "the forecast funnel"};
    backtest_input in = {b, funnel, what[funnel]};
    return plot_chart(path, format, &kinds[funnel], b != NULL, NULL, &in, err);
}

mtfs_status mtfs_plot_backtest_gaps(const char *path, mtfs_plot_format format,
                                    const mtfs_backtest *b, mtfs_error *err)
{
    return plot_backtest(path, format, b, 0, err);
}

mtfs_status mtfs_plot_backtest_funnel(const char *path, mtfs_plot_format format,
                                      const mtfs_backtest *b, mtfs_error *err)
{
    return plot_backtest(path, format, b, 1, err);
}
