/*
 * test_reserves.c - the general fund and earmarked reserves (docs/model.md
 * section 11, projection.c's project_earmarked) against values worked by
 * hand from tests/good/hand_earmarked.cfg, and the loader's copy of them.
 *
 * hand_earmarked.cfg: general fund GF(0) = 40, minimum 10, contributions
 * [0, 1]; gaps 33.9606 (2025/26) and 46.45228368 (2026/27), both drawn.
 * Earmarked: insurance 20 (uses [2, 0], contributions [0, 0.5], available),
 * schools 15 (uses 1, not available), transformation 5 (uses [0, 8],
 * available).  Tolerance 1e-12 relative or absolute (CHECK_HAND).
 */
#include "scenario_int.h"
#include "check.h"
#include "fixtures.h"

#include <string.h>

static void test_hand_earmarked(void)
{
    mtfs_scenario *s = load("tests/good/hand_earmarked.cfg");
    mtfs_scenario *plain = load("tests/good/hand_reserves.cfg");
    if (!s || !plain) {
        mtfs_scenario_free(s);
        mtfs_scenario_free(plain);
        return;
    }
    mtfs_projection *p = project(s), *q = project(plain);
    if (!p || !q)
        goto done;
    CHECK(s->n_earmarked == 3 && p->n_earmarked == 3);
    CHECK_STR(mtfs_scenario_earmarked_name(s, 2), "transformation");
    CHECK(s->earmarked[0].available_for_gap && !s->earmarked[1].available_for_gap);
    /* t = 0: the openings, 20 + 15 + 5 = 40; usable 40 + 40 = 80. */
    CHECK_HAND(p->earmarked[0], 40.0);
    CHECK_HAND(p->usable_reserves[0], 80.0);
    /* 2025/26: uses first: insurance 20 - 2 = 18, schools 15 - 1 = 14,
     * transformation 5.  The gap 33.9606 is below GF's 40 + 0, so GF alone
     * pays: GF = 6.0394 (below the £10m minimum); no earmarked draw. */
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 0, 1), 18.0);
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 1, 1), 14.0);
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 2, 1), 5.0);
    CHECK_HAND(p->reserves[1], 6.0394);
    CHECK_HAND(p->earmarked[1], 37.0);
    CHECK_HAND(p->earmarked_drawn[1], 0.0);
    CHECK_HAND(p->usable_reserves[1], 43.0394);
    /* 2026/27: insurance 18 + 0.5 = 18.5; schools 14 - 1 = 13; transformation
     * 5 - 8 = -3: it holds 0 and its 3 of uses fall on GF.  GF before the
     * draw 6.0394 + 1 - 3 = 4.0394; the gap 46.45228368 takes it to 0, then
     * insurance's 18.5 (listed first and available), skips schools (not
     * available), finds transformation empty; the remaining 23.91288368
     * takes GF below zero: GF = -23.91288368, earmarked 13, usable
     * -10.91288368. */
    CHECK_HAND(MTFS_AT(p, earmarked_uncovered, 2, 2), 3.0);
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 2, 2), 0.0);
    CHECK_HAND(MTFS_AT(p, earmarked_gap_draw, 0, 2), 18.5);
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 0, 2), 0.0);
    CHECK(MTFS_AT(p, earmarked_gap_draw, 1, 2) == 0.0);
    CHECK_HAND(MTFS_AT(p, earmarked_balance, 1, 2), 13.0);
    CHECK_HAND(p->earmarked_drawn[2], 18.5);
    CHECK_HAND(p->reserves[2], -23.91288368);
    CHECK_HAND(p->earmarked[2], 13.0);
    CHECK_HAND(p->usable_reserves[2], -10.91288368);
    /* Below the minimum (GF) in 2025/26; exhausted (usable < 0) in 2026/27. */
    CHECK(p->below_minimum_index == 1 && p->exhausted_index == 2);
    /* The gap and everything before reserves are those of hand_reserves.cfg;
     * without earmarked reserves usable is the general fund, bit for bit. */
    for (size_t t = 0; t <= 2; t++) {
        CHECK(p->gap[t] == q->gap[t]);
        CHECK(q->usable_reserves[t] == q->reserves[t] && q->earmarked[t] == 0.0);
    }
    /* The totals-only projection agrees to the last bit. */
    mtfs_projection *r = mtfs_projection_alloc(s);
    mtfs_error err;
    if (r && mtfs_project_totals(s, r, &err) == MTFS_OK)
        for (size_t t = 0; t <= 2; t++)
            CHECK(r->reserves[t] == p->reserves[t] && r->usable_reserves[t] == p->usable_reserves[t] &&
                  r->exhausted_index == p->exhausted_index);
    else
        CHECK(!"totals-only projection failed");
    mtfs_projection_free(r);
    /* A clone has its own names and series. */
    mtfs_scenario *c = NULL;
    if (mtfs_scenario_clone(s, &c, &err) == MTFS_OK) {
        CHECK(c->n_earmarked == 3 && c->earmarked[1].name != s->earmarked[1].name);
        CHECK_STR(c->earmarked[1].name, "schools");
        CHECK(c->earmarked[2].uses != s->earmarked[2].uses && c->earmarked[2].uses[2] == 8.0);
        CHECK(c->earmarked[0].contributions[2] == 0.5 && c->earmarked[0].available_for_gap);
        mtfs_scenario_free(c);
    } else {
        CHECK(!"clone failed");
    }
done:
    mtfs_projection_free(p);
    mtfs_projection_free(q);
    mtfs_scenario_free(s);
    mtfs_scenario_free(plain);
}

/* The draw stops inside an available reserve: with insurance at 50, its
 * 48.5 covers the 42.41288368 GF cannot, leaving 6.08711632, and GF ends
 * the year at 0 (to rounding), not below. */
static void test_draw_stops_in_reserve(void)
{
    mtfs_scenario *s = load("tests/good/hand_earmarked.cfg");
    if (!s)
        return;
    s->earmarked[0].opening = 50.0;
    mtfs_projection *p = project(s);
    if (p) {
        CHECK_HAND(MTFS_AT(p, earmarked_gap_draw, 0, 2), 42.41288368);
        CHECK_HAND(MTFS_AT(p, earmarked_balance, 0, 2), 6.08711632);
        CHECK_CLOSE(p->reserves[2], 0.0, 0.0, 1e-12);
        CHECK_HAND(p->usable_reserves[2], 6.08711632 + 13.0 + p->reserves[2]);
        CHECK(p->exhausted_index == 0 && p->below_minimum_index == 1);
    }
    mtfs_projection_free(p);
    mtfs_scenario_free(s);
}

static void test_registry(void)
{
    const mtfs_input_def *uses = mtfs_inputs_find("reserves.earmarked", "uses");
    CHECK(uses && mtfs_inputs_find("reserves", "earmarked") &&
          mtfs_inputs_find("reserves.earmarked", "available_for_gap"));
    if (!uses)
        return;
    char buf[128];
    CHECK_STR(mtfs_inputs_path(uses, "insurance", buf, sizeof buf), "reserves.earmarked.insurance.uses");
    CHECK_STR(mtfs_inputs_label(uses, "insurance", buf, sizeof buf), "Earmarked reserve, planned uses, insurance");
}

void suite_reserves(void)
{
    test_hand_earmarked();
    test_draw_stops_in_reserve();
    test_registry();
}
