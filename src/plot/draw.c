/*
 * plot/draw.c - the painting half of the drawing kit (see draw.h): the
 * palette, page and panel coordinates, grids and value axes, year axes,
 * markers and lines, legends, headings, titles and the provenance footer.
 * Every chart family paints with these, so charts share one page frame.
 */
#include "plot/draw.h"
#include "mtfs/mtfs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


void plot_label_money(PLINT axis, PLFLT value, char *label, PLINT length,
                        PLPointer data)
{
    const axis_format *fmt = data;
    (void)axis;
    if (length > 0)
        plot_format_money(value, fmt ? fmt->decimals : 0, label, (size_t)length);
}
/* Whole page as the viewport and world = normalised page coordinates, so
 * text can go anywhere without being clipped to a plot area. */
void plot_page_coords(void)
{
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
}

/* Whole page as the viewport, x in a panel's data units and y in
 * normalised page units: for the year labels under a panel. */
void plot_panel_x_page_y(const box *b, double xmin, double xmax)
{
    double per = (xmax - xmin) / (b->x1 - b->x0);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(xmin - b->x0 * per, xmin + (1.0 - b->x0) * per, 0.0, 1.0);
}

/* Text whose line is vertically centred on y; just 0 left, 1 right. */
void plot_page_text(double x, double y, double just, const char *escaped)
{
    plptex(x, y, 1.0, 0.0, just, escaped);
}

void plot_panel_window(const box *b, double xmin, double xmax, const axis_range *y)
{
    plvpor(b->x0, b->x1, b->y0, b->y1);
    plwind(xmin, xmax, y->min, y->max);
}
/* Widest value-axis label of a range, in design px. */
static double tick_labels_w(const axis_range *y, tick_labeller labeller)
{
    char buf[64];
    double w = 0.0;
    axis_format fmt = {plot_step_decimals(y->step)};
    for (double v = y->min; v <= y->max + y->step * 0.5; v += y->step) {
        labeller(PL_Y_AXIS, v, buf, (PLINT)sizeof buf, &fmt);
        w = fmax(w, plot_text_w(buf, TICK_PX, 0));
    }
    return w;
}

/* The horizontal grid of a panel, drawn first so what is drawn next (the
 * fan's opaque bands) covers it.  Leaves the window set to the panel. */
void plot_panel_grid(const chart *c, const box *b, double xmin, double xmax,
                       const axis_range *y)
{
    plot_panel_window(b, xmin, xmax, y);
    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("", 0.0, 0, "g", y->step, 0);
}

/* Zero line, axes and the unit label of a panel whose grid is drawn, with
 * the bottom edge drawn by plbox options xopt at ticks every xtick.  A NULL
 * unit draws the left edge alone, for a panel that shares the value scale
 * of a labelled one beside it.  The window is left set to the panel for
 * the data that follows. */
void plot_panel_axes_x(const chart *c, const box *b, double xmin, double xmax,
                         const axis_range *y, const char *unit, tick_labeller labeller,
                         const char *xopt, double xtick)
{
    axis_format fmt = {plot_step_decimals(y->step)};

    plot_panel_window(b, xmin, xmax, y);

    /* Zero gets a line unless the bottom axis already sits on it. */
    if (y->min < 0.0 && y->max >= 0.0) {
        PLFLT zx[2] = {xmin, xmax}, zy[2] = {0.0, 0.0};
        plcol0(COL_ZERO);
        set_width(c, 1.4);
        plline(2, zx, zy);
    }

    set_text(c, TICK_PX);
    plcol0(COL_AXIS);
    set_width(c, 1.2);
    if (!unit) {
        plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
        plbox(xopt, xtick, 1, "b", y->step, 0);
        return;
    }
    plslabelfunc(labeller, &fmt);
    plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
    plbox(xopt, xtick, 1, "bnvox", y->step, 0);
    plslabelfunc(NULL, NULL);

    /* Every panel's unit label sits at the same x unless its tick labels
     * are unusually wide.  plmtex displaces in character heights, which
     * are 0.75 em (see set_text). */
    plcol0(COL_INK);
    double gap_px = fmax(b->x0 * DESIGN_W - 40.0, tick_labels_w(y, labeller) + 22.0);
    plmtex("l", gap_px / (0.75 * TICK_PX), 0.5, 0.5, unit);
}

/* Zero line, axes and the unit label of a panel of years (a tick at each
 * year); the window is left set to the panel. */
void plot_panel_axes(const chart *c, const box *b, double xmin, double xmax,
                       const axis_range *y, const char *unit, tick_labeller labeller)
{
    plot_panel_axes_x(c, b, xmin, xmax, y, unit, labeller, "bit", 1.0);
}

/* Grid, zero line, axes and the "£m" label of one panel.  The window is
 * left set to the panel for the data that follows. */
void plot_panel_frame(const chart *c, const box *b, double xmin, double xmax,
                        const axis_range *y)
{
    plot_panel_grid(c, b, xmin, xmax, y);
    plot_panel_axes(c, b, xmin, xmax, y, "\xC2\xA3m", plot_label_money); /* "£m" */
}

/* Financial-year labels under a panel whose x runs over year indexes
 * first..last: side by side when they fit, else at 45 degrees. */
void plot_year_labels(const chart *c, const box *b, double xmin, double xmax,
                        size_t first, size_t last)
{
    set_text(c, TICK_PX);
    plcol0(COL_INK);
    plot_panel_x_page_y(b, xmin, xmax);
    if (!c->rotate_years) {
        double y = b->y0 - nh(c, 10.0 + 0.6 * TICK_PX);
        for (size_t t = first; t <= last; t++)
            plot_page_text((double)t, y, 0.5, c->year[t]);
        return;
    }
    /* plptex takes a direction in world units; 45 degrees on paper in this
     * window's unequal x and y scales.  The anchor is the end of the text,
     * nudged so the text hangs from its tick. */
    double world_per_px = (xmax - xmin) / ((b->x1 - b->x0) * DESIGN_W);
    double dx = world_per_px, dy = 1.0 / c->design_h;
    double y = b->y0 - nh(c, 8.0 + 0.25 * TICK_PX);
    for (size_t t = first; t <= last; t++)
        plptex((double)t + 0.35 * TICK_PX * world_per_px, y, dx, dy, 1.0, c->year[t]);
}

/* Height the year labels need under a panel, in design px. */
double plot_year_band(const chart *c)
{
    if (!c->rotate_years)
        return 10.0 + 1.3 * TICK_PX;
    double w = 0.0;
    for (size_t t = 0; t <= c->horizon; t++)
        w = fmax(w, plot_text_w(c->year[t], TICK_PX, 0));
    return 8.0 + (w + 1.2 * TICK_PX) * 0.7071;
}

/* Markers are font glyphs so they match the legend exactly. */
void plot_markers(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y,
                    PLINT colour, const char *glyph, double px)
{
    plcol0(colour);
    set_text(c, px);
    plstring(n, x, y, glyph);
}

void plot_polyline(const chart *c, PLINT n, const PLFLT *x, const PLFLT *y,
                     PLINT colour, double width_px)
{
    plcol0(colour);
    set_width(c, width_px);
    plline(n, x, y);
}

/* Width in design px of an entry's sample: a line or colour box, or one
 * marker alone. */
static double legend_sample_w(const legend_entry *e)
{
    return e->opt == PL_LEGEND_SYMBOL ? 16.0 : 44.0;
}

/* One row of legend entries, right-aligned with a panel and centred on
 * the page height y_centre.  Each entry is its own pllegend call, placed
 * right to left from the widths PLplot reports, because one multi-column
 * legend gives every column the width of the longest text. */
void plot_legend_row(const chart *c, const box *b, double y_centre,
                       const legend_entry *e, int n)
{
    const PLINT box_pattern = 0;
    const PLFLT box_scale = 0.9, box_width = 1.0;
    double right = 0.0;

    set_text(c, TICK_PX);
    for (int i = n - 1; i >= 0; i--) {
        PLINT opt = e[i].opt, colour = e[i].colour, text_colour = e[i].text_colour;
        /* A marker without a line is one marker, as on the chart. */
        PLINT style = e[i].line_style, n_symbols = e[i].opt & PL_LEGEND_LINE ? 2 : 1;
        PLFLT line_width = e[i].line_px * c->k;
        PLFLT symbol_scale = e[i].symbol_px > 0.0 ? e[i].symbol_px / TICK_PX : 1.0;
        const char *text = e[i].text;
        const char *symbol = e[i].symbol ? e[i].symbol : "";
        PLFLT w, h;

        /* pllegend places itself relative to the viewport: a strip as wide
         * as the panel, centred on the row. */
        plvpor(b->x0, b->x1, y_centre - nh(c, 8.0), y_centre + nh(c, 8.0));
        plwind(0.0, 1.0, 0.0, 1.0);
        pllegend(&w, &h, 0, PL_POSITION_RIGHT | PL_POSITION_INSIDE, right, 0.0,
                 nx(legend_sample_w(&e[i])) / (b->x1 - b->x0), COL_BG, COL_BG, LINE_SOLID, 1, 1, 1, &opt,
                 0.9, 1.0, 2.0, 0.0, &text_colour, &text, &colour, &box_pattern,
                 &box_scale, &box_width, &colour, &style, &line_width, &colour,
                 &symbol_scale, &n_symbols, &symbol);
        right += (double)w + nx(22.0) / (b->x1 - b->x0);
    }
}

/* Width legend_row gives a row of entries, in design px (its sample,
 * spacing and text), so a heading beside it can be checked for room. */
double plot_legend_row_w(const legend_entry *e, int n)
{
    double w = 0.0;
    for (int i = 0; i < n; i++)
        w += legend_sample_w(&e[i]) + 16.0 + plot_text_w(e[i].text, TICK_PX, 0) + 22.0;
    return w;
}

/* Bold heading at the panel's left edge, optionally followed by a note in
 * a second colour. */
void plot_heading(const chart *c, double x, double y, double px, const char *title,
                    const char *note, PLINT note_colour)
{
    plot_page_coords();
    set_text(c, px);
    set_bold(1);
    plcol0(COL_INK);
    plot_page_text(x, y, 0.0, title);
    set_bold(0);
    if (note && note[0]) {
        set_text(c, px - 1.0);
        plcol0(note_colour);
        plot_page_text(x + nx(plot_text_w(title, px, 1) + 0.6 * px), y, 0.0, note);
    }
}

/* The footer: engine version and the scenario file(s) the chart came
 * from, shortened to the page width (at the front for one path, whose
 * end names the file; at the back for a list). */
void plot_provenance(const chart *c, double x, double y, const char *files, int keep_end)
{
    char raw[512], buf[512];
    plot_page_coords();
    set_text(c, 12.0);
    plcol0(COL_MUTED);
    /* No file (a chart drawn from data in memory) leaves the version. */
    snprintf(raw, sizeof raw, files[0] ? "mtfs %s \xC2\xB7 " : "mtfs %s", MTFS_VERSION);
    double room = DESIGN_W - 48.0 - plot_text_w(raw, 12.0, 0);
    plot_fit_text(files, 12.0, 0, room, keep_end, buf, sizeof buf);
    snprintf(raw + strlen(raw), sizeof raw - strlen(raw), "%s", buf);
    plot_page_text(x, y, 0.0, raw);
}
/* Financial-year labels under a panel whose x runs over calendar years
 * (the first year of each financial year) first..last, as
 * plot_year_ticks chooses (short forms only if short_ok). */
void plot_calendar_year_labels(const chart *c, const box *pb, double x0, double x1,
                                 int first, int last, int short_ok)
{
    char label[16];
    const double px_per_x = (pb->x1 - pb->x0) * DESIGN_W / (x1 - x0);
    const year_ticks t = plot_year_ticks(first, last, px_per_x, short_ok);
    set_text(c, t.px);
    plcol0(COL_INK);
    plot_panel_x_page_y(pb, x0, x1);
    for (int y = first; y <= last; y++)
        if (t.step == 1 || y % t.step == 0)
            plot_page_text(y, pb->y0 - nh(c, 10.0 + 0.6 * TICK_PX), 0.5,
                           t.short_form ? plot_short_year_label(y, label, sizeof label)
                                        : mtfs_year_label(y, label, sizeof label));
}

/* The title laid out by plot_title_layout, bold at the top left. */
void plot_title(const chart *c, const title_block *t)
{
    char buf[1100];
    plot_page_coords();
    set_text(c, t->px);
    set_bold(1);
    plcol0(COL_INK);
    for (int i = 0; i < t->n; i++) {
        plot_escape_text(t->line[i], buf, sizeof buf);
        plot_page_text(nx(24.0), ny(c, t->y[i]), 0.0, buf);
    }
    set_bold(0);
}

/* Muted subtitle under the title, shortened to max_px. */
void plot_chart_subtitle(const chart *c, double y_px, const char *raw, double max_px)
{
    char buf[512];
    plot_fit_text(raw, 15.0, 0, max_px, 0, buf, sizeof buf);
    plot_page_coords();
    set_text(c, 15.0);
    plcol0(COL_MUTED);
    plot_page_text(nx(24.0), ny(c, y_px), 0.0, buf);
}

/* Year labels side by side when each fits its slot, else at 45 degrees. */
void plot_choose_year_rotation(chart *c, double slot_px)
{
    double widest = 0.0;
    for (size_t t = 0; t <= c->horizon; t++)
        widest = fmax(widest, plot_text_w(c->year[t], TICK_PX, 0));
    c->rotate_years = widest + 12.0 > slot_px;
}
/* A long chart of rows (12 or more) shades every other row from its label
 * to the end of the plot, so the eye keeps to the row across the page. */
void plot_row_stripes(const chart *c, const row_layout *l, size_t nr, double right_px)
{
    if (nr < 12)
        return;
    plot_page_coords();
    plcol0(COL_STRIPE);
    for (size_t i = 1; i < nr; i += 2) {
        double y0 = l->top + (double)i * l->row_h, y1 = y0 + l->row_h;
        PLFLT sx[4] = {nx(16.0), nx(right_px), nx(right_px), nx(16.0)};
        PLFLT sy[4] = {ny(c, y1), ny(c, y1), ny(c, y0), ny(c, y0)};
        plfill(4, sx, sy);
    }
}

/* The value axis under a chart of rows, ticks every `step` of the window
 * set for the rows, labelled with thousands separators. */
void plot_value_axis_x(const chart *c, double step)
{
    axis_format fmt = {plot_step_decimals(step)};
    set_text(c, TICK_PX);
    plcol0(COL_AXIS);
    set_width(c, 1.2);
    plslabelfunc(plot_label_money, &fmt);
    plsmaj(6.0 * c->k * 25.4 / 72.0, 1.0);
    plbox("bnoit", step, 0, "", 0.0, 0);
    plslabelfunc(NULL, NULL);
}

void plot_set_font(int font)
{
    plsfont(-1, font == FONT_ITALIC ? PL_FCI_ITALIC : PL_FCI_UPRIGHT,
            font == FONT_BOLD ? PL_FCI_BOLD : PL_FCI_MEDIUM);
}

/* The fixed colours of every chart (the funnel's edition colours are set
 * per chart by set_edition_colours). */
const unsigned char plot_palette[N_COLOURS][3] = {
    [COL_BG] = {255, 255, 255},
    [COL_INK] = {26, 26, 26},
    [COL_SPEND] = {31, 78, 156},    /* dark blue */
    [COL_FUND] = {217, 115, 13},    /* dark orange */
    [COL_GAP] = {192, 57, 43},      /* brick red */
    [COL_SURPLUS] = {74, 154, 91},  /* green */
    [COL_RESERVES] = {0, 105, 107}, /* dark teal */
    [COL_MINIMUM] = {110, 110, 110},
    [COL_GRID] = {222, 222, 222},
    [COL_MUTED] = {85, 85, 85},
    [COL_ALERT] = {179, 38, 30},
    [COL_DANGER] = {253, 236, 234},
    [COL_ZERO] = {140, 140, 140},
    [COL_AXIS] = {64, 64, 64},
    [COL_BLACK] = {0, 0, 0}, /* PLplot's default text colour */
    [COL_TOTAL] = {44, 62, 80},      /* dark slate */
    [COL_CONNECTOR] = {120, 120, 120},
    /* Compare lines: hues that say nothing of good or bad, so no
     * scenario reads as safe (green) or alarming (red) by the order it
     * was given in: Okabe-Ito's blue, orange, sky blue and reddish
     * purple, then darker blues, purples and browns from Paul Tol's
     * palettes and a grey, never a green or a red.  Each line also has
     * its own marker shape, for greyscale and colour-blind readers. */
    [COL_SERIES + 0] = {0, 114, 178},   /* blue */
    [COL_SERIES + 1] = {230, 159, 0},   /* orange */
    [COL_SERIES + 2] = {86, 180, 233},  /* sky blue */
    [COL_SERIES + 3] = {204, 121, 167}, /* reddish purple */
    [COL_SERIES + 4] = {51, 34, 136},   /* indigo */
    [COL_SERIES + 5] = {140, 81, 10},   /* brown */
    [COL_SERIES + 6] = {85, 85, 85},    /* grey */
    [COL_SERIES + 7] = {170, 68, 153},  /* purple */
    [COL_SERIES + 8] = {0, 68, 136},    /* dark blue */
    [COL_SERIES + 9] = {191, 129, 45},  /* ochre */
    [COL_SERIES + 10] = {102, 153, 204},/* steel blue */
    [COL_SERIES + 11] = {102, 51, 0},   /* dark brown */
    /* Fan bands: ColorBrewer-like sequential steps, light enough at
     * the outside to print and far enough apart to tell in grey. */
    [COL_GAP_FAN + 0] = {212, 228, 244},
    [COL_GAP_FAN + 1] = {160, 198, 232},
    [COL_GAP_FAN + 2] = {94, 153, 209},
    [COL_GAP_MEDIAN] = {8, 48, 107},
    [COL_RES_FAN + 0] = {208, 236, 230},
    [COL_RES_FAN + 1] = {140, 206, 193},
    [COL_RES_FAN + 2] = {62, 160, 148},
    [COL_RES_MEDIAN] = {0, 82, 78},
    [COL_PLAN] = {217, 95, 2},      /* dark orange, against both hues */
    [COL_EXHAUST] = {222, 110, 64}, /* warm coral */
    [COL_P10] = {54, 155, 150},     /* teal */
    [COL_P90] = {236, 140, 52},     /* orange */
    [COL_P10_TEXT] = {0, 100, 96},
    [COL_P90_TEXT] = {168, 82, 0},
    [COL_STRIPE] = {244, 244, 244},
    /* Gains and losses: blue-green and orange, apart in hue and for
     * colour-blind readers; the highlight is a dark purple, apart from
     * both (and from the comparators' blue) in lightness too. */
    [COL_GAIN] = {26, 150, 128},
    [COL_LOSS] = {232, 145, 45},
    [COL_GAIN_TEXT] = {0, 102, 84},
    [COL_LOSS_TEXT] = {168, 82, 0},
    [COL_HIGHLIGHT] = {112, 38, 140},
    [COL_BAR] = {98, 144, 200},
    [COL_GROUP] = {190, 190, 190},
    [COL_BAR_OTHER] = {178, 203, 232}, /* the comparators' blue, paler */
    [COL_CAPITAL] = {118, 42, 131},    /* plum: not the gap's red nor the surplus green */
    [COL_USABLE] = {51, 34, 136},      /* indigo, beside the general fund's teal */
    /* Back-test: the first two compare colours, a pair that stays
     * apart for colour-blind readers; the funnel's edition colours are
     * set by draw_backtest_funnel, one step of a ramp per edition. */
    [COL_MODELLED] = {0, 114, 178},
    [COL_PUBLISHED] = {213, 94, 0},
};

void plot_set_palette(void)
{
    plscmap0n(N_COLOURS);
    for (PLINT i = 0; i < N_COLOURS; i++)
        plscol0(i, plot_palette[i][0], plot_palette[i][1], plot_palette[i][2]);
}

/* The minimum reserves of a panel over years 0..T: the zone below it
 * lightly shaded, and its line (returned in mx, my: T + 3 points) run edge
 * to edge, held flat beyond the first and last year, for the caller to
 * draw over the panel's grid. */
PLINT plot_minimum_zone(const box *b, double x0, double x1, const axis_range *y,
                        const double *minimum, size_t T, PLFLT *mx, PLFLT *my)
{
    PLINT m = 0;
    mx[m] = x0, my[m++] = minimum[0];
    for (size_t t = 0; t <= T; t++)
        mx[m] = (double)t, my[m++] = minimum[t];
    mx[m] = x1, my[m++] = minimum[T];
    PLFLT fx[MTFS_HORIZON_MAX + 5], fy[MTFS_HORIZON_MAX + 5];
    PLINT k = 0;
    fx[k] = x0, fy[k++] = y->min;
    for (PLINT i = 0; i < m; i++)
        fx[k] = mx[i], fy[k++] = my[i];
    fx[k] = x1, fy[k++] = y->min;
    plot_panel_window(b, x0, x1, y);
    plcol0(COL_DANGER);
    plfill(k, fx, fy);
    return m;
}

/* The vertical grid of a chart of rows, under its bars: x from xmin to
 * xmax with lines every step, y over the nr rows.  The window is left set
 * for the bars. */
void plot_rows_grid(const chart *c, const box *b, double xmin, double xmax, double nr,
                    double step)
{
    plvpor(b->x0, b->x1, b->y0, b->y1);
    plwind(xmin, xmax, 0.0, nr);
    plcol0(COL_GRID);
    set_width(c, 1.0);
    plbox("g", step, 0, "", 0.0, 0);
}
