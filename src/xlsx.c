/*
 * xlsx.c - the run as a workbook officers can open (mtfs/xlsx.h).
 *
 * Each sheet is a table with one header row (frozen) and years across or
 * down, numbers stored as numbers with display formats, never as text, so
 * officers can build on them.
 */
#include "mtfs/xlsx.h"
#include "mtfs/columns.h"
#include "mtfs/sha256.h"
#include "mtfs/version.h"

#include "mtfs/output.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct {
    lxw_format *title, *header, *money, *rate, *pounds, *number, *bold_money, *note;
} formats;

static formats make_formats(lxw_workbook *wb)
{
    formats f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    f.header = workbook_add_format(wb);
    format_set_bold(f.header);
    format_set_bg_color(f.header, 0xDDE4EE);
    format_set_bottom(f.header, LXW_BORDER_THIN);
    f.money = workbook_add_format(wb);
    format_set_num_format(f.money, "#,##0.0;-#,##0.0");
    f.bold_money = workbook_add_format(wb);
    format_set_num_format(f.bold_money, "#,##0.0;-#,##0.0");
    format_set_bold(f.bold_money);
    format_set_bg_color(f.bold_money, 0xFCE4D6);
    f.rate = workbook_add_format(wb);
    format_set_num_format(f.rate, "0.00%");
    f.pounds = workbook_add_format(wb);
    format_set_num_format(f.pounds, "\"£\"#,##0.00");
    f.number = workbook_add_format(wb);
    format_set_num_format(f.number, "#,##0");
    f.note = workbook_add_format(wb);
    format_set_font_color(f.note, 0x595959);
    return f;
}

/* The display format of a unit. */
static lxw_format *unit_format(const formats *f, mtfs_unit unit)
{
    switch (unit) {
    case MTFS_UNIT_SHARE: return f->rate;
    case MTFS_UNIT_POUNDS: return f->pounds;
    case MTFS_UNIT_COUNT: return f->number;
    case MTFS_UNIT_MONEY: break;
    }
    return f->money;
}

/* A column's label on a sheet that mixes units: "  council tax" ->
 * "Council tax £m", "  Band D" -> "Band D (£)". */
static const char *sheet_label(const char *label, mtfs_unit unit, char *buf, size_t size)
{
    while (*label == ' ')
        label++;
    snprintf(buf, size, "%s%s", label,
             unit == MTFS_UNIT_MONEY ? " £m" : unit == MTFS_UNIT_POUNDS ? " (£)" : "");
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
    return buf;
}

/* Cells that were not finite numbers in the workbook being written (one
 * workbook at a time per thread).  Such a cell is left empty, and the
 * workbook is then refused: the last check every writer makes. */
static _Thread_local size_t nonfinite_cells;

static void put_number(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double x, lxw_format *fmt)
{
    if (!isfinite(x)) {
        nonfinite_cells++;
        return;
    }
    worksheet_write_number(ws, row, col, x, fmt);
}

static void year_headers(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const mtfs_projection *p,
                         lxw_format *fmt)
{
    char label[16];
    for (size_t t = 1; t <= p->horizon; t++)
        worksheet_write_string(ws, row, (lxw_col_t)(col + t - 1),
                               mtfs_year_label(p->base_year + (int)t, label, sizeof label), fmt);
}

/* A row of a by-year table: label, then values for t = 1..T. */
static void year_row(lxw_worksheet *ws, lxw_row_t row, const char *label, const double *v,
                     const mtfs_projection *p, lxw_format *fmt)
{
    worksheet_write_string(ws, row, 0, label, NULL);
    for (size_t t = 1; t <= p->horizon; t++)
        put_number(ws, row, (lxw_col_t)t, v[t], fmt);
}

static void summary_sheet(lxw_workbook *wb, const formats *f, const mtfs_scenario *s,
                          const mtfs_projection *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Summary");
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)p->horizon, 11, NULL);
    worksheet_write_string(ws, 0, 0, mtfs_scenario_name(s), f->title);
    worksheet_write_string(ws, 1, 0, "£m", f->header);
    year_headers(ws, 1, 1, p, f->header);
    worksheet_freeze_panes(ws, 2, 1);
    lxw_row_t row = 2;
    const mtfs_column *c;
    for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_TABLE, n)); n++)
        if (mtfs_column_shown(c, s))   /* a block's rows only with the block, as in the table */
            year_row(ws, row++, mtfs_column_label(c, s), mtfs_column_values(c, p), p,
                     (c->style & MTFS_COLUMN_TOTAL) ? f->bold_money : unit_format(f, c->unit));

    char line[512], label[16];
    row++;
    /* The two reserves years, each a sentence: when, or never. */
    struct event {
        size_t index;
        const char *when, *never;
    };
    const struct event all[] = {{p->below_minimum_index, "Reserves fall below the minimum in %s.",
                   "Reserves stay above the minimum in every year."},
                  {p->exhausted_index, "Reserves are exhausted (below zero) in %s.",
                   "Reserves stay above zero in every year."}};
    const struct event split[] = {{p->below_minimum_index, "The general fund falls below the minimum in %s.",
                  "The general fund stays above the minimum in every year."},
                 {p->exhausted_index, "Usable reserves (general fund and earmarked) are exhausted in %s.",
                  "Usable reserves (general fund and earmarked) stay above zero in every year."}};
    const struct event *events = mtfs_scenario_earmarked_count(s) ? split : all;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        if (events[k].index)
            snprintf(line, sizeof line, events[k].when,
                     mtfs_year_label(p->base_year + (int)events[k].index, label, sizeof label));
        else
            snprintf(line, sizeof line, "%s", events[k].never);
        worksheet_write_string(ws, row++, 0, line, NULL);
    }
    worksheet_write_string(ws, row, 0, "£m raised by a 1% council-tax rise in year 1", NULL);
    put_number(ws, row++, 1, p->council_tax_per_percent, f->money);
    row++;
    snprintf(line, sizeof line, "Made by mtfs %s from these files:", mtfs_version());
    worksheet_write_string(ws, row++, 0, line, f->note);
    for (size_t i = 0; i < mtfs_scenario_file_count(s); i++) {
        char hex[65];
        mtfs_error ignored;
        worksheet_write_string(ws, row, 0, mtfs_scenario_file(s, i), f->note);
        if (mtfs_sha256_file(mtfs_scenario_file(s, i), hex, &ignored) == MTFS_OK) {
            snprintf(line, sizeof line, "SHA-256 %s", hex);
            worksheet_write_string(ws, row, 1, line, f->note);
        }
        row++;
    }
}

static void services_sheet(lxw_workbook *wb, const formats *f, const mtfs_scenario *s,
                           const mtfs_projection *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Services");
    const mtfs_service_column *c;
    char name[200];
    worksheet_write_string(ws, 0, 0, "Service", f->header);
    worksheet_write_string(ws, 0, 1, "Year", f->header);
    lxw_col_t last = 1;
    for (size_t n = 0; (c = mtfs_service_column_nth(n)); n++)
        worksheet_write_string(ws, 0, ++last, sheet_label(c->label, c->unit, name, sizeof name), f->header);
    worksheet_set_column(ws, 0, 0, 26, NULL);
    worksheet_set_column(ws, 1, last, 14, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 1;
    for (size_t i = 0; i < p->n_services; i++) {
        for (size_t t = 1; t <= p->horizon; t++, row++) {
            char label[16];
            worksheet_write_string(ws, row, 0, mtfs_scenario_service_name(s, i), NULL);
            worksheet_write_string(ws, row, 1, mtfs_year_label(p->base_year + (int)t, label, sizeof label), NULL);
            for (size_t n = 0; (c = mtfs_service_column_nth(n)); n++)
                put_number(ws, row, (lxw_col_t)(2 + n), mtfs_service_column_value(c, p, i, t),
                           unit_format(f, c->unit));
        }
    }
}

static void funding_sheet(lxw_workbook *wb, const formats *f, const mtfs_scenario *s,
                          const mtfs_projection *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Funding");
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)p->horizon, 11, NULL);
    worksheet_write_string(ws, 0, 0, "Funding", f->header);
    year_headers(ws, 0, 1, p, f->header);
    worksheet_freeze_panes(ws, 1, 1);
    lxw_row_t row = 1;
    const mtfs_column *c;
    for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_FUNDING, n)); n++) {
        const double *v = mtfs_column_values(c, p);
        if (v == p->grants)   /* the grants total comes after each grant */
            for (size_t g = 0; g < p->n_grants; g++) {
                char grant[200];
                snprintf(grant, sizeof grant, "Grant: %s £m", mtfs_scenario_grant_name(s, g));
                year_row(ws, row++, grant, &p->grant_amount[g * (p->horizon + 1)], p, f->money);
            }
        char label[200];
        /* The sheet ends with its total, in bold. */
        year_row(ws, row++, sheet_label(c->label, c->unit, label, sizeof label), v, p,
                 mtfs_column_nth(MTFS_VIEW_FUNDING, n + 1) ? unit_format(f, c->unit) : f->bold_money);
    }
}

/* The run CSV as a sheet: the same header (keys, not labels) and rows, so
 * a workbook carries every column under the name CSV and JSON give it. */
static void data_sheet(lxw_workbook *wb, const formats *f, const mtfs_projection *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    worksheet_write_string(ws, 0, 0, "year", f->header);
    worksheet_write_string(ws, 0, 1, "label", f->header);
    const mtfs_column *c;
    lxw_col_t last = 1;
    for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++)
        if (mtfs_column_carried(c, p))
            worksheet_write_string(ws, 0, ++last, c->key, f->header);
    worksheet_set_column(ws, 2, last, 14, NULL);
    worksheet_freeze_panes(ws, 1, 2);
    for (size_t t = 1; t <= p->horizon; t++) {
        char label[16];
        int year = p->base_year + (int)t;
        lxw_row_t row = (lxw_row_t)t;
        worksheet_write_number(ws, row, 0, year, NULL);
        worksheet_write_string(ws, row, 1, mtfs_year_label(year, label, sizeof label), NULL);
        lxw_col_t col = 2;
        for (size_t n = 0; (c = mtfs_column_nth(MTFS_VIEW_DATA, n)); n++)
            if (mtfs_column_carried(c, p))
                put_number(ws, row, col++, mtfs_column_values(c, p)[t], unit_format(f, c->unit));
    }
}

static void bridge_sheet(lxw_workbook *wb, const formats *f, const mtfs_scenario *s,
                         const mtfs_bridge *b)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Bridge");
    char label[16], title[200];
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, 2, 14, NULL);
    snprintf(title, sizeof title, "Gap bridge to %s",
             mtfs_year_label(mtfs_scenario_base_year(s) + (int)b->year_index, label, sizeof label));
    worksheet_write_string(ws, 0, 0, title, f->header);
    worksheet_write_string(ws, 0, 1, "Side", f->header);
    worksheet_write_string(ws, 0, 2, "£m", f->header);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 1;
    worksheet_write_string(ws, row, 0, "Base-year budget", NULL);
    worksheet_write_string(ws, row, 1, "base", NULL);
    put_number(ws, row++, 2, b->base_budget, f->money);
    for (int i = 0; i < MTFS_BRIDGE_N; i++) {
        if (!mtfs_bridge_item_shown(b, (mtfs_bridge_item)i))
            continue;
        worksheet_write_string(ws, row, 0, mtfs_bridge_label((mtfs_bridge_item)i), NULL);
        worksheet_write_string(ws, row, 1, i == MTFS_BRIDGE_BASE_BALANCE ? "base"
                               : mtfs_bridge_is_funding((mtfs_bridge_item)i) ? "funding" : "spending", NULL);
        put_number(ws, row++, 2, b->item[i], f->money);
    }
    worksheet_write_string(ws, row, 0, "Funding gap", NULL);
    put_number(ws, row, 2, b->gap, f->bold_money);
    if (b->has_dsg) {
        worksheet_write_string(ws, ++row, 0, "High-needs deficit charged to reserves", NULL);
        worksheet_write_string(ws, row, 1, "reserves", NULL);
        put_number(ws, row, 2, b->dsg_reserves, f->money);
    }
}

static void inputs_sheet(lxw_workbook *wb, const formats *f, const mtfs_scenario *s,
                         const mtfs_projection *p)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Inputs");
    worksheet_set_column(ws, 0, 0, 44, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)p->horizon, 11, NULL);
    worksheet_write_string(ws, 0, 0, "Input (scenario key)", f->header);
    year_headers(ws, 0, 1, p, f->header);
    worksheet_freeze_panes(ws, 1, 1);
    lxw_row_t row = 1;
    for (size_t i = 0; i < mtfs_scenario_input_count(s); i++, row++) {
        mtfs_scenario_input in;
        mtfs_scenario_input_at(s, i, &in);
        if (in.kind == MTFS_INPUT_SERIES) {
            year_row(ws, row, in.label, in.series, p, unit_format(f, in.unit));
            continue;
        }
        worksheet_write_string(ws, row, 0, in.label, NULL);
        if (in.kind == MTFS_INPUT_TEXT)
            worksheet_write_string(ws, row, 1, in.text, NULL);
        else
            put_number(ws, row, 1, in.value, unit_format(f, in.unit));
    }
}

/* Copy the file at `from` to stream out: 0 or an errno value. */
static int copy_into(const char *from, FILE *out)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return errno ? errno : EIO;
    char buf[65536];
    size_t got;
    int e = 0;
    while (!e && (got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got)
            e = errno ? errno : EIO;
    if (!e && ferror(in))
        e = errno ? errno : EIO;
    fclose(in);
    return e;
}

/* libxlsxwriter (1.1.5 has no output_buffer option) writes the workbook by
 * file name, so the workbook must be given one without leaving a named
 * partial file in the output directory if the run is killed:
 *   - on Linux, the name is /proc/self/fd/N of the output's unnamed
 *     temporary file (mtfs_output_temp_path), so the workbook is written
 *     straight into a file that has no name until the set is committed;
 *   - otherwise it is written into the output's private scratch directory
 *     (".<name>.xlsx.tmp.<pid>.XXXXXX/", removed by the next run if this one
 *     dies) and copied into the output.
 * Either way libxlsxwriter's own temporary files (tmpdir) go in that
 * scratch directory too, not in /tmp, where a kill in the instant between
 * creating and unlinking one would leave it for good. */
mtfs_status mtfs_xlsx_write(const char *path, const mtfs_scenario *s, const mtfs_projection *p,
                            const mtfs_bridge *bridge, mtfs_error *err)
{
    mtfs_output *o;
    mtfs_status st = mtfs_output_open(path, &o, err);
    if (st != MTFS_OK)
        return st;
    const char *scratch = NULL;
    if ((st = mtfs_output_scratch_dir(o, &scratch, err)) != MTFS_OK) {
        mtfs_output_abort(o);
        return st;
    }
    char book[4096];
    const char *target = mtfs_output_temp_path(o);
    if (!target) {
        snprintf(book, sizeof book, "%s/workbook.xlsx", scratch);
        target = book;
    }
    char tmpdir[4096];
    snprintf(tmpdir, sizeof tmpdir, "%s", scratch);
    lxw_workbook_options options = {LXW_FALSE, tmpdir, LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(target, &options);
    if (!wb) {
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot create the workbook");
    }
    formats f = make_formats(wb);
    nonfinite_cells = 0;
    summary_sheet(wb, &f, s, p);
    services_sheet(wb, &f, s, p);
    funding_sheet(wb, &f, s, p);
    bridge_sheet(wb, &f, s, bridge);
    inputs_sheet(wb, &f, s, p);
    data_sheet(wb, &f, p);
    lxw_error e = workbook_close(wb);
    if (e == LXW_NO_ERROR && nonfinite_cells) {
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_ENUMERIC, path, 0, NULL,
                              "%zu value%s of the workbook %s not a finite number (the inputs make "
                              "them overflow); nothing was written", nonfinite_cells,
                              nonfinite_cells == 1 ? "" : "s", nonfinite_cells == 1 ? "is" : "are");
    }
    if (e != LXW_NO_ERROR) {
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot write the workbook: %s",
                              lxw_strerror(e));
    }
    int copy_error = target == book ? copy_into(book, mtfs_output_stream(o)) : 0;
    if (copy_error) {
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot write the workbook: %s",
                              strerror(copy_error));
    }
    return mtfs_output_commit(o, err);
}
