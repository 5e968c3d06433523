/*
 * plot/backtest.c - the back-test of published MTFS editions: published
 * against modelled gaps in small multiples, and the forecast funnel of
 * projected net budgets against the budgets set.
 */
#include "plot/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The financial years a back-test chart accepts (first calendar year),
 * which bound the outturn's length, its years being in order. */
#define BACKTEST_YEAR_MIN 1900
#define BACKTEST_YEAR_MAX 2200

typedef struct {
    const mtfs_backtest *b;
    int funnel;       /* the funnel's checks too */
    const char *what; /* the chart, in messages */
} backtest_input;

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

static void draw_backtest_gaps(chart *c, const void *data)
{
    const mtfs_backtest *b = ((const backtest_input *)data)->b;
    const size_t n = b->n;
    char raw[512], buf[512], diff[64];
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];

    pladv(0);

    /* One row of up to four panels, then rows of up to four, as square a
     * grid as the count allows (5 and 6 are 3 x 2, 8 is 4 x 2). */
    const size_t rows = n <= 4 ? 1 : (n + 3) / 4;
    const size_t cols = (n + rows - 1) / rows;

    /* One value scale for every panel, so editions compare; every panel
     * is as many years wide as the longest plan, so a year is as wide in
     * each. */
    size_t longest = 1;
    double dlo = INFINITY, dhi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        longest = e->horizon > longest ? e->horizon : longest;
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
     * what the text rows leave; each panel has its heading above it and
     * its years under it. */
    const double title_y = 34.0, sub_y = 66.0, legend_y = 104.0, top0 = 160.0;
    const double head_gap = 20.0, between = 56.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double fixed = top0 + (double)rows * band + (double)(rows - 1) * between + 30.0 + 34.0;
    const double h = (c->design_h - fixed) / (double)rows;
    const double fy_title = top0 + (double)rows * (h + band) + (double)(rows - 1) * between + 12.0;
    const double footer = c->design_h - 14.0;
    const double left_px = 104.0, right_px = 1170.0, col_gap = 30.0;
    const double w = (right_px - left_px - (double)(cols - 1) * col_gap) / (double)cols;
    const double head_px = rows > 2 ? 15.0 : 16.0, note_px = 12.0;

    const axis_range yr = plot_marked_range(fmin(0.0, dlo), fmax(0.0, dhi), dlo, dhi,
                                       h < 200.0 ? 4.0 : 5.0, h, 10.0);

    plot_fitted_title(c, title_y, "Published and modelled funding gap, by MTFS edition (\xC2\xA3m)");
    plot_chart_subtitle(c, sub_y,
                   "Spending minus funding in each year of an edition's plan, as published "
                   "and as modelled from its scenario; every panel on one scale",
                   right_px - 24.0);
    const box whole = {nx(left_px), nx(right_px), ny(c, legend_y + 8.0), ny(c, legend_y - 8.0)};
    const legend_entry lg[] = {
        {PL_LEGEND_LINE | PL_LEGEND_SYMBOL, COL_MODELLED, COL_INK, LINE_SOLID, 2.4, GLYPH_CIRCLE,
         9.0, "Modelled"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_CIRCLE, 15.0,
         "Published"},
        {PL_LEGEND_SYMBOL, COL_PUBLISHED, COL_INK, LINE_SOLID, 0.0, GLYPH_TRIANGLE_UP, 15.0,
         "Published lower bound (\"more than\")"},
    };
    plot_legend_row(c, &whole, ny(c, legend_y), lg, mtfs_backtest_has_lower_bounds(b) ? 3 : 2);

    /* The largest difference goes in every heading or in none: the long
     * form where each fits beside its title, else the short one. */
    static const char *const diff_forms[] = {"largest difference %s", "max diff %s"};
    int diff_form = -1;
    for (int form = 0; form < 2 && diff_form < 0; form++) {
        int fits = 1;
        for (size_t i = 0; i < n && fits; i++) {
            double worst = worst_gap_difference(&b->editions[i]);
            if (worst < 0.0)
                continue;
            edition_label(&b->editions[i], raw, sizeof raw);
            plot_format_pounds_m(worst, diff, sizeof diff);
            snprintf(buf, sizeof buf, diff_forms[form], diff);
            fits = plot_text_w(raw, head_px, 1) + 14.0 + plot_text_w(buf, note_px, 0) <= w;
        }
        if (fits)
            diff_form = form;
    }

    for (size_t i = 0; i < n; i++) {
        const mtfs_backtest_edition *e = &b->editions[i];
        const size_t row = i / cols, col = i % cols;
        const double x_px = left_px + (double)col * (w + col_gap);
        const double top = top0 + (double)row * (h + band + between);
        const box pb = {nx(x_px), nx(x_px + w), ny(c, top + h), ny(c, top)};
        const double x0 = e->first_year - 0.5, x1 = e->first_year + (double)longest - 0.5;
        const PLINT np = (PLINT)e->horizon;

        plot_panel_grid(c, &pb, x0, x1, &yr);
        plot_panel_axes_x(c, &pb, x0, x1, &yr, col == 0 ? "\xC2\xA3m" : NULL, plot_label_money, "bit",
                     1.0);
        for (size_t t = 1; t <= e->horizon; t++) {
            xs[t - 1] = e->first_year - 1 + (int)t;
            ys[t - 1] = e->modelled_gap[t];
        }
        plot_polyline(c, np, xs, ys, COL_MODELLED, 2.4);
        plot_markers(c, np, xs, ys, COL_MODELLED, GLYPH_CIRCLE, 9.0);
        /* Published dots over the line, each on a white ring so a dot on
         * the line still reads as a dot; a lower bound as a triangle. */
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
        plot_calendar_year_labels(c, &pb, x0, x1, e->first_year, edition_last_year(e), 1);

        edition_label(e, raw, sizeof raw);
        plot_heading(c, pb.x0, ny(c, top - head_gap), head_px, raw, NULL, COL_INK);
        double worst = worst_gap_difference(e);
        if (diff_form >= 0 && worst >= 0.0) {
            plot_format_pounds_m(worst, diff, sizeof diff);
            snprintf(buf, sizeof buf, diff_forms[diff_form], diff);
            plot_page_coords();
            set_text(c, note_px);
            plcol0(COL_MUTED);
            plot_page_text(pb.x1, ny(c, top - head_gap), 1.0, buf);
        }
    }

    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (nx(left_px) + nx(right_px)), ny(c, fy_title), 0.5, "Financial year");

    backtest_files(b, raw, sizeof raw);
    plot_provenance(c, nx(24.0), ny(c, footer), raw, 0);
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

static void draw_backtest_funnel(chart *c, const void *data)
{
    const mtfs_backtest *b = ((const backtest_input *)data)->b;
    const size_t n = b->n;
    char raw[512];
    PLFLT xs[MTFS_HORIZON_MAX], ys[MTFS_HORIZON_MAX];

    pladv(0);
    set_edition_colours(n);

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
    const double x0 = first - 0.5, x1 = last + 0.5;

    /* The legend is a column right of the plot, newest edition on top as
     * their lines are (budgets grow), under the budget set. */
    const double sample = 36.0, row_h = 24.0, legend_px = TICK_PX;
    static const char set_text_raw[] = "Budget set";
    static const char editions_head[] = "MTFS edition";
    double legend_w = fmax(plot_text_w(set_text_raw, legend_px, 0) + sample + 10.0,
                           plot_text_w(editions_head, 13.0, 1));
    for (size_t i = 0; i < n; i++) {
        mtfs_year_label(b->editions[i].first_year, raw, sizeof raw);
        legend_w = fmax(legend_w, sample + 10.0 + plot_text_w(raw, legend_px, 0));
    }
    const double right_px = 1170.0 - legend_w - 30.0, left_px = 104.0;

    const double title_y = 34.0, sub_y = 66.0, top = 112.0;
    const double footer = c->design_h - 14.0, fy_title = footer - 38.0;
    const double band = 10.0 + 1.3 * TICK_PX;
    const double bottom = fy_title - 12.0 - band;
    const box pb = {nx(left_px), nx(right_px), ny(c, bottom), ny(c, top)};

    plot_fitted_title(c, title_y,
                 "Forecast funnel: each MTFS edition's projected net budget against the "
                 "budget set (\xC2\xA3m)");
    plot_chart_subtitle(c, sub_y,
                   "Each line is one edition's modelled net budget for the years of its plan, "
                   "light (oldest) to dark (newest); black, the net budget set each year",
                   1170.0 - 24.0);

    const axis_range yr = plot_marked_range(lo, hi, lo, hi, 6.0, bottom - top, 10.0);
    plot_panel_frame(c, &pb, x0, x1, &yr);

    /* Oldest first, so each newer line lies over the older ones. */
    for (size_t i = 0; i < n; i++) {
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

    plot_calendar_year_labels(c, &pb, x0, x1, first, last, 1);
    plot_page_coords();
    set_text(c, TICK_PX);
    plcol0(COL_MUTED);
    plot_page_text(0.5 * (pb.x0 + pb.x1), ny(c, fy_title), 0.5, "Financial year");

    /* Legend column: a sample of each line and its name. */
    {
        const double x = right_px + 30.0;
        double y = top + 0.5 * row_h;
        plot_page_coords();
        if (b->n_outturn > 0) {
            PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
            PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
            plot_polyline(c, 2, lx, ly, COL_BLACK, 3.6);
            plot_markers(c, 1, mx, my, COL_BG, GLYPH_CIRCLE, 17.0);
            plot_markers(c, 1, mx, my, COL_BLACK, GLYPH_CIRCLE, 13.0);
            set_text(c, legend_px);
            plcol0(COL_INK);
            plot_page_text(nx(x + sample + 10.0), ny(c, y), 0.0, set_text_raw);
            y += 1.5 * row_h;
        }
        set_text(c, 13.0);
        set_bold(1);
        plcol0(COL_MUTED);
        plot_page_text(nx(x), ny(c, y), 0.0, editions_head);
        set_bold(0);
        y += row_h;
        for (size_t i = n; i-- > 0; y += row_h) {
            PLFLT lx[2] = {nx(x), nx(x + sample)}, ly[2] = {ny(c, y), ny(c, y)};
            PLFLT mx[1] = {nx(x + 0.5 * sample)}, my[1] = {ny(c, y)};
            plot_polyline(c, 2, lx, ly, COL_EDITION + (PLINT)i, 2.4);
            plot_markers(c, 1, mx, my, COL_EDITION + (PLINT)i, GLYPH_CIRCLE, 7.0);
            set_text(c, legend_px);
            plcol0(COL_INK);
            plot_page_text(nx(x + sample + 10.0), ny(c, y), 0.0,
                      mtfs_year_label(b->editions[i].first_year, raw, sizeof raw));
        }
    }

    backtest_files(b, raw, sizeof raw);
    plot_provenance(c, nx(24.0), ny(c, footer), raw, 0);
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
                              : funnel && !isfinite(e->expenditure[t]) ? "modelled net budget"
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
