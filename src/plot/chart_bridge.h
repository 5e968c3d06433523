/*
 * plot/chart_bridge.h - the gap bridge's layout, computed without PLplot from
 * the bridge and the page (bridge_layout_of), then painted by bridge.c.
 * Declared here so tests/unit/test_plot_layout.c can check it.
 */
#ifndef MTFS_PLOT_CHART_BRIDGE_H
#define MTFS_PLOT_CHART_BRIDGE_H

#include "plot/draw.h"

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
    /* Its value: the text, and the white ground under it (data units). */
    char value[80];
    double value_y, value_hw, value_hh;
} wf_bar;

typedef struct {
    wf_bar bars[MTFS_BRIDGE_N + 2];
    int nb, first_spending, first_funding, n_rise, n_fall;
    int balanced_base, surplus;
    char base_label[16], year_label[16], money[64];
    /* Horizontal: the plot from left_px to right_px, one slot per bar;
     * the category labels wrapped at label_px in `lines` lines, or (rotate)
     * at 45 degrees, label_h tall. */
    double left_px, right_px, slot, label_px, label_h;
    int lines, rotate;
    /* Vertical, design px from the top; groups: spending and funding
     * brackets under the labels. */
    double sub_y, top, bottom, footer;
    int groups;
    box pb;
    double x0, x1;
    double value_px;
    axis_range yr;
    double bar_half, min_h; /* bar half-width (x units), least bar height (£m) */
    title_block title; /* the page moves down by its drop */
    char subtitle[512];
    legend_entry lg[3];
    int n_lg;
} bridge_layout;

void bridge_layout_of(const chart *c, const mtfs_bridge *b, bridge_layout *l);

#endif
