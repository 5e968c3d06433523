/*
 * plot/session.c - PLplot contained: the only code that starts and ends
 * PLplot streams.  PLplot is a stateful, process-wide library: it has a
 * "current stream", error hooks without a user pointer, a driver that
 * prompts on stdin when a device is missing and a fatal-error path that
 * calls exit().  All of that is contained here, so the rest of mtfs sees
 * one function that either writes a chart or returns an error.
 *
 * How a chart is made:
 *   1. Each call creates its own PLplot stream (plmkstrm) and ends it
 *      (plend1) before returning, so calls can be repeated in one process
 *      (png, then svg, then pdf) without state leaking from one to the next.
 *   2. PLplot renders into an open_memstream buffer, not into the
 *      destination.  PLplot fcloses its output itself and ignores write
 *      errors, so handing it the mtfs_output stream would close that stream
 *      twice and could commit a truncated file.  Rendering to memory first
 *      also means a PLplot failure leaves nothing on disk.
 *   3. The finished bytes are checked for a complete file trailer and
 *      written through mtfs_output (temporary file + rename), which reports
 *      every write, sync and rename error.
 *
 * The page is designed at 1200 x 900 px; every length (text, lines,
 * dashes) is scaled with the page width, so the PDF (A4-landscape width)
 * looks the same as the PNG.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#endif

#include "plot/session.h"
#include "mtfs/output.h"
#include "util.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Formats                                                                 */

int mtfs_plot_format_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcmp(text, "png") == 0)
        return MTFS_PLOT_PNG;
    if (strcmp(text, "svg") == 0)
        return MTFS_PLOT_SVG;
    if (strcmp(text, "pdf") == 0)
        return MTFS_PLOT_PDF;
    if (strcmp(text, "none") == 0)
        return MTFS_PLOT_NONE;
    return -1;
}

const char *mtfs_plot_format_extension(mtfs_plot_format format)
{
    switch (format) {
    case MTFS_PLOT_PNG: return "png";
    case MTFS_PLOT_SVG: return "svg";
    case MTFS_PLOT_PDF: return "pdf";
    case MTFS_PLOT_NONE: break;
    }
    return "";
}

typedef struct {
    const char *device; /* PLplot cairo driver */
    PLINT width, height; /* page in device units: px for PNG/SVG, pt for PDF */
} format_info;

static const format_info *format_lookup(mtfs_plot_format format)
{
    /* Cairo sizes SVG and PDF pages in points: 900 x 675 pt is 1200 x 900
     * CSS px, like the PNG, and the PDF is A4-landscape wide so it prints
     * at a natural size.  All share the 4:3 shape, so the layout is the
     * same in every format. */
    static const format_info png = {"pngcairo", 1200, 900};
    static const format_info svg = {"svgcairo", 900, 675};
    static const format_info pdf = {"pdfcairo", 842, 632};
    switch (format) {
    case MTFS_PLOT_PNG: return &png;
    case MTFS_PLOT_SVG: return &svg;
    case MTFS_PLOT_PDF: return &pdf;
    case MTFS_PLOT_NONE: break;
    }
    return NULL;
}

/* ---------------------------------------------------------------------- */
/* PLplot's error hooks                                                    */

/* plsexit() takes a handler without a user pointer, and the buffers given
 * to plsError() must outlive a stream abandoned after a fatal error (PLplot
 * keeps pointing at them), so this state has to be static.  PLplot itself
 * is not thread-safe, and neither is this module. */
static struct {
    jmp_buf *exit_target; /* set only while a chart is being drawn */
    PLINT errcode;        /* set by PLplot's plabort() via plsError() */
    char errmsg[1024];    /* PLplot sprintf()s its abort message here */
    char exit_message[256];
} plot_hooks;

/* PLplot's last abort message without its trailing newline, or NULL. */
static const char *abort_message(void)
{
    if (plot_hooks.errcode == 0)
        return NULL;
    size_t len = strnlen(plot_hooks.errmsg, sizeof plot_hooks.errmsg - 1);
    plot_hooks.errmsg[len] = '\0';
    while (len > 0 && (plot_hooks.errmsg[len - 1] == '\n' || plot_hooks.errmsg[len - 1] == ' '))
        plot_hooks.errmsg[--len] = '\0';
    const char *m = plot_hooks.errmsg;
    while (*m == '\n')
        m++;
    return *m ? m : "PLplot aborted an operation";
}

/* PLplot calls this before exit()ing on a fatal error (out of memory, a
 * driver that will not load).  Jumping back is the only way to keep the
 * process alive; the half-built stream is then abandoned, never touched. */
static int on_plexit(const char *message)
{
    snprintf(plot_hooks.exit_message, sizeof plot_hooks.exit_message, "%s",
             message ? message : "");
    if (plot_hooks.exit_target)
        longjmp(*plot_hooks.exit_target, 1);
    return 1;
}

/* Everything the protected drawing code needs; it lives in the caller of
 * the setjmp() frame so nothing it holds is clobbered by a longjmp. */
typedef struct {
    chart *c;
    void (*draw)(chart *c, const void *in);
    const void *in;
    const format_info *f;
    FILE *mem;
    PLINT prev_stream;
    PLINT stream;
    int stream_made;
    int mem_set;     /* mem handed to PLplot with plsfile */
    int mem_given;   /* PLplot owned mem when the stream ended, and closed it */
    int ended;       /* plend1 ran: the stream is gone */
    int no_driver;   /* the cairo driver for the format is not installed */
} session;


/* PLplot prompts on stdin for a device it does not know; ask first. */
static int driver_available(const char *device)
{
    enum { MAX_DEVICES = 128 };
    const char *menu[MAX_DEVICES], *names[MAX_DEVICES];
    const char **pm = menu, **pn = names;
    int n = MAX_DEVICES;
    plgDevs(&pm, &pn, &n);
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], device) == 0)
            return 1;
    return 0;
}

/* Everything that calls PLplot; runs under the setjmp() in
 * protected_session(). */
static void run_session(session *ss)
{
    plot_hooks.errcode = 0;
    plot_hooks.errmsg[0] = '\0';
    plgstrm(&ss->prev_stream);
    plmkstrm(&ss->stream);
    if (ss->stream < 0)
        return;
    ss->stream_made = 1;
    /* Aborted operations report here instead of on stderr. */
    plsError(&plot_hooks.errcode, plot_hooks.errmsg);

    if (driver_available(ss->f->device)) {
        plsdev(ss->f->device);
        plspage(0.0, 0.0, ss->f->width, ss->f->height, 0, 0);
        plot_set_palette();
        plsfile(ss->mem);
        ss->mem_set = 1;
        plinit();
        if (plot_hooks.errcode == 0)
            ss->draw(ss->c, ss->in);
    } else {
        ss->no_driver = 1;
    }
    /* An initialised stream closes its output file when it ends. */
    PLINT level = 0;
    plglevel(&level);
    ss->mem_given = level > 0;
    plend1();
    ss->ended = 1;
    if (ss->prev_stream != 0)
        plsstrm(ss->prev_stream);
}

/* Returns 0, or -1 when PLplot hit a fatal error and jumped back here.
 * Nothing in this frame is modified between setjmp and longjmp. */
static int protected_session(session *ss)
{
    jmp_buf env;
    if (setjmp(env) != 0) {
        plot_hooks.exit_target = NULL;
        return -1;
    }
    plot_hooks.exit_target = &env;
    run_session(ss);
    plot_hooks.exit_target = NULL;
    return 0;
}

/* After a fatal error the stream is half built and may still hold the
 * memory stream.  Take that back (PLplot will never close it now) and leave
 * the rest alone: ending the stream could run the failing code again. */
static void abandon_session(session *ss)
{
    if (ss->ended) {
        if (ss->mem_given)
            ss->mem = NULL;
    } else if (ss->stream_made && ss->mem_set) {
        FILE *held = NULL;
        plsstrm(ss->stream);
        plgfile(&held);
        if (held == ss->mem)
            plsfile(NULL);
        else
            ss->mem = NULL; /* PLplot had closed it already */
        plsstrm(ss->prev_stream);
    }
    if (ss->mem)
        fclose(ss->mem);
    ss->mem = NULL;
}

/* Every format mtfs writes ends with a fixed trailer; a missing trailer
 * means the renderer stopped early (e.g. a failed write it did not report). */
static int looks_complete(mtfs_plot_format format, const char *data, size_t size)
{
    static const char png_sig[] = "\x89PNG\r\n\x1a\n";
    static const char png_end[] = "IEND\xAE\x42\x60\x82";
    switch (format) {
    case MTFS_PLOT_PNG:
        return size > 20 && memcmp(data, png_sig, 8) == 0 &&
               memcmp(data + size - 8, png_end, 8) == 0;
    case MTFS_PLOT_PDF: {
        if (size < 16 || memcmp(data, "%PDF-", 5) != 0)
            return 0;
        size_t from = size > 64 ? size - 64 : 0;
        for (size_t i = from; i + 5 <= size; i++)
            if (memcmp(data + i, "%%EOF", 5) == 0)
                return 1;
        return 0;
    }
    case MTFS_PLOT_SVG: {
        while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == ' ' ||
                            data[size - 1] == '\r' || data[size - 1] == '\t'))
            size--;
        return size > 6 && memcmp(data + size - 6, "</svg>", 6) == 0;
    }
    case MTFS_PLOT_NONE: break;
    }
    return 0;
}

/* A chart record for scenario s on the page of format f; NULL when out of
 * memory.  It is large (year labels) and so lives on the heap. (year labels) and so lives on the heap. */
static chart *chart_new(const format_info *f, const mtfs_scenario *s)
{
    chart *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->k = (double)f->width / DESIGN_W;
    c->design_h = DESIGN_W * (double)f->height / (double)f->width;
    if (s) {
        c->base_year = mtfs_scenario_base_year(s);
        c->name = mtfs_scenario_name(s);
        c->file = mtfs_scenario_file(s, 0);
    }
    if (!c->name)
        c->name = "";
    return c;
}

/* Draw chart c (freed here) with kind->draw over `in`, with PLplot into memory, check the result and
 * write it to path through mtfs_output.  Every failure, PLplot's included,
 * comes back as a status with err filled in; path is then left as it was. */
static mtfs_status render(const char *path, mtfs_plot_format format, const format_info *f,
                          chart *c, const plot_kind *kind, const void *in, mtfs_error *err)
{
    /* open_memstream's buffer belongs to the C library: released with free(). */
    char *data = NULL;
    size_t size = 0;
    session ss = {0};
    ss.c = c;
    ss.draw = kind->draw;
    ss.in = in;
    ss.f = f;
    ss.mem = open_memstream(&data, &size);
    if (!ss.mem) {
        mtfs_free(c);
        return mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL,
                              "out of memory while drawing the chart");
    }

    plsexit(on_plexit);
    int fatal = protected_session(&ss);
    plsexit(NULL);

    if (fatal) {
        abandon_session(&ss);
        free(data);
        mtfs_free(c);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot draw the chart: PLplot failed: %s",
                              plot_hooks.exit_message[0] ? plot_hooks.exit_message
                                                         : "unknown error");
    }
    mtfs_free(c);
    if (!ss.mem_given) {
        fclose(ss.mem);
        free(data);
        if (!ss.stream_made)
            return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                                  "cannot draw the chart: PLplot has no free stream");
        if (ss.no_driver)
            return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                                  "cannot draw a %s chart: the PLplot driver %s is not "
                                  "available (package plplot-driver-cairo)%s%s",
                                  mtfs_plot_format_extension(format), f->device,
                                  abort_message() ? ": " : "",
                                  abort_message() ? abort_message() : "");
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot draw the chart: PLplot did not start");
    }
    /* plinit ran, so PLplot's plend1 has closed the memory stream, which
     * sets data and size. */
    const char *why = abort_message();
    if (why || !data || !looks_complete(format, data, size)) {
        free(data);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL, "cannot draw the chart: %s",
                              why ? why : "PLplot produced an incomplete file");
    }

    /* Inside the caller's output set (mtfs/output.h) the chart joins the
     * set: the commit below only syncs it, and the set gives it its name
     * together with the other files, or removes it with them. */
    mtfs_output *o = NULL;
    mtfs_status st = mtfs_output_open(path, &o, err);
    if (st != MTFS_OK) {
        free(data);
        return st;
    }
    if (fwrite(data, 1, size, mtfs_output_stream(o)) != size) {
        free(data);
        mtfs_output_abort(o);
        return mtfs_error_set(err, MTFS_EIO, path, 0, NULL,
                              "cannot write output file: write failed");
    }
    free(data);
    return mtfs_output_commit(o, err);
}


void plot_page_years(chart *c, int base_year, size_t horizon)
{
    c->base_year = base_year;
    c->horizon = horizon;
    for (size_t t = 0; t <= horizon; t++)
        mtfs_year_label(base_year + (int)t, c->year[t], sizeof c->year[t]);
}

mtfs_status plot_chart(const char *path, mtfs_plot_format format, const plot_kind *kind,
                       int complete, const mtfs_scenario *s, void *in, mtfs_error *err)
{
    if (format == MTFS_PLOT_NONE)
        return MTFS_OK;
    const format_info *f = format_lookup(format);
    if (!path || !complete || !f)
        return mtfs_error_set(err, MTFS_EINTERNAL, path, 0, NULL, "%s", kind->missing);
    mtfs_status st = kind->check ? kind->check(in, path, err) : MTFS_OK;
    if (st == MTFS_OK && kind->build)
        st = kind->build(in, path, err);
    chart *c = st == MTFS_OK ? chart_new(f, s) : NULL;
    if (st == MTFS_OK && !c)
        st = mtfs_error_set(err, MTFS_ENOMEM, path, 0, NULL, "out of memory");
    if (st == MTFS_OK) {
        if (kind->page)
            kind->page(c, in);
        st = render(path, format, f, c, kind, in, err);
    }
    if (kind->release)
        kind->release(in);
    return st;
}
