/*
 * scenario.c - the scenario handle's public life: free, clone and the
 * accessors (see mtfs/scenario.h).  Loading and validation are in
 * scenario_load.c and the files it names.
 */
#include "scenario_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mtfs_scenario_free(mtfs_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_economy; i++)
        mtfs_free(sc->economy[i].name);
    mtfs_free(sc->economy);
    for (size_t i = 0; i < sc->n_indices; i++) {
        mtfs_free(sc->indices[i].name);
        mtfs_free(sc->indices[i].series);
        mtfs_free(sc->indices[i].weights);
    }
    mtfs_free(sc->indices);
    for (size_t i = 0; i < sc->n_services; i++)
        mtfs_free(sc->services[i].name);
    mtfs_free(sc->services);
    for (size_t i = 0; i < sc->n_grants; i++)
        mtfs_free(sc->grants[i].name);
    mtfs_free(sc->grants);
    for (size_t i = 0; i < sc->n_earmarked; i++)
        mtfs_free(sc->earmarked[i].name);
    mtfs_free(sc->earmarked);
    for (size_t i = 0; i < sc->n_uncertain; i++)
        mtfs_free(sc->uncertain[i].key);
    mtfs_free(sc->uncertain);
    mtfs_free(sc->correlation);
    mtfs_free(sc->thresholds);
    for (size_t i = 0; i < sc->n_files; i++)
        mtfs_free(sc->files[i]);
    mtfs_free(sc->files);
    for (size_t i = 0; i < sc->n_brief_comparators; i++)
        mtfs_free(sc->brief_comparators[i]);
    mtfs_free(sc->brief_comparators);
    for (size_t i = 0; i < sc->n_brief_formulas; i++)
        mtfs_free(sc->brief_formulas[i]);
    mtfs_free(sc->brief_formulas);
    for (size_t i = 0; i < sc->n_blocks; i++)
        mtfs_free(sc->blocks[i]);
    mtfs_free(sc->blocks);
    mtfs_free(sc->name);
    mtfs_free(sc->id);
    mtfs_free(sc->description);
    mtfs_free(sc);
}

/* The copy of series `old` in the clone: series live in the blocks table,
 * so the same position in the clone's table holds the copy. */
static double *remap(const mtfs_scenario *from, mtfs_scenario *to, const double *old)
{
    if (!old)
        return NULL;
    for (size_t i = 0; i < from->n_blocks; i++)
        if (from->blocks[i] == old)
            return to->blocks[i];
    return NULL;
}

/* Point every series of the clone at its copy: each series input of the
 * registry, item by item, and the two series no input row names. */
static void remap_inputs(const mtfs_scenario *s, mtfs_scenario *c)
{
    for (size_t r = 0; r < mtfs_inputs_count(); r++) {
        const mtfs_input_def *d = mtfs_inputs_at(r);
        for (size_t i = 0; d->kind == MTFS_INPUT_SERIES && i < mtfs_inputs_items(c, d); i++) {
            double **at = mtfs_inputs_series(c, d, i);
            *at = remap(s, c, *at);
        }
    }
    for (size_t i = 0; i < c->n_grants; i++)
        c->grants[i].list = remap(s, c, c->grants[i].list);
    c->formula_adjustment = remap(s, c, c->formula_adjustment);
}

static char *dup_or_null(const char *text, int *failed)
{
    if (!text)
        return NULL;
    char *copy = mtfs_strdup(text);
    if (!copy)
        *failed = 1;
    return copy;
}

mtfs_status mtfs_scenario_clone(const mtfs_scenario *s, mtfs_scenario **out, mtfs_error *err)
{
    *out = NULL;
    mtfs_scenario *c = mtfs_calloc(1, sizeof *c);
    if (!c)
        return mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    *c = *s;
    /* Nothing is owned yet: free() on failure must only see what was copied. */
    c->name = c->id = c->description = NULL;
    c->economy = NULL, c->n_economy = 0;
    c->indices = NULL, c->n_indices = 0;
    c->services = NULL, c->n_services = 0;
    c->grants = NULL, c->n_grants = 0;
    c->earmarked = NULL, c->n_earmarked = 0;
    c->files = NULL, c->n_files = 0;
    c->blocks = NULL, c->n_blocks = c->cap_blocks = 0;
    c->uncertain = NULL, c->n_uncertain = 0;
    c->correlation = NULL;
    c->thresholds = NULL, c->n_thresholds = 0;
    c->brief_comparators = c->brief_formulas = NULL;
    c->n_brief_comparators = c->n_brief_formulas = 0;
    int failed = 0;
    size_t len = s->horizon + 1;

    c->blocks = mtfs_calloc(s->n_blocks ? s->n_blocks : 1, sizeof *c->blocks);
    failed |= !c->blocks;
    for (size_t i = 0; !failed && i < s->n_blocks; i++) {
        if (!(c->blocks[i] = mtfs_malloc(len * sizeof(double))))
            failed = 1;
        else {
            memcpy(c->blocks[i], s->blocks[i], len * sizeof(double));
            c->n_blocks = c->cap_blocks = i + 1;
        }
    }
    c->name = dup_or_null(s->name, &failed);
    c->id = dup_or_null(s->id, &failed);
    c->description = dup_or_null(s->description, &failed);
    if (!failed && (c->economy = mtfs_calloc(s->n_economy, sizeof *c->economy)))
        for (; c->n_economy < s->n_economy; c->n_economy++) {
            c->economy[c->n_economy].name = dup_or_null(s->economy[c->n_economy].name, &failed);
            c->economy[c->n_economy].values = s->economy[c->n_economy].values;   /* remapped below */
        }
    if (!failed && (c->indices = mtfs_calloc(s->n_indices, sizeof *c->indices)))
        for (; !failed && c->n_indices < s->n_indices; c->n_indices++) {
            const mtfs_price_index *from = &s->indices[c->n_indices];
            mtfs_price_index *to = &c->indices[c->n_indices];
            to->name = dup_or_null(from->name, &failed);
            to->n_terms = from->n_terms;
            to->series = mtfs_calloc(from->n_terms, sizeof *to->series);
            to->weights = mtfs_calloc(from->n_terms, sizeof *to->weights);
            if (!to->series || !to->weights) {
                failed = 1;
                continue;
            }
            memcpy(to->series, from->series, from->n_terms * sizeof *to->series);
            memcpy(to->weights, from->weights, from->n_terms * sizeof *to->weights);
        }
    if (!failed && (c->services = mtfs_calloc(s->n_services, sizeof *c->services)))
        for (; c->n_services < s->n_services; c->n_services++) {
            const mtfs_service *from = &s->services[c->n_services];
            mtfs_service *to = &c->services[c->n_services];
            *to = *from;
            to->name = dup_or_null(from->name, &failed);
        }
    if (!failed && (c->grants = mtfs_calloc(s->n_grants ? s->n_grants : 1, sizeof *c->grants)))
        for (; c->n_grants < s->n_grants; c->n_grants++) {
            const mtfs_grant *from = &s->grants[c->n_grants];
            mtfs_grant *to = &c->grants[c->n_grants];
            *to = *from;
            to->name = dup_or_null(from->name, &failed);
        }
    if (!failed && s->n_earmarked && (c->earmarked = mtfs_calloc(s->n_earmarked, sizeof *c->earmarked)))
        for (; c->n_earmarked < s->n_earmarked; c->n_earmarked++) {
            c->earmarked[c->n_earmarked] = s->earmarked[c->n_earmarked];
            c->earmarked[c->n_earmarked].name = dup_or_null(s->earmarked[c->n_earmarked].name, &failed);
        }
    failed |= s->n_earmarked && !c->earmarked;
    if (!failed && (c->files = mtfs_calloc(s->n_files ? s->n_files : 1, sizeof *c->files)))
        for (; c->n_files < s->n_files; c->n_files++)
            c->files[c->n_files] = dup_or_null(s->files[c->n_files], &failed);
    if (!failed && s->brief_comparators &&
        (c->brief_comparators = mtfs_calloc(s->n_brief_comparators + 1, sizeof *c->brief_comparators)))
        for (; c->n_brief_comparators < s->n_brief_comparators; c->n_brief_comparators++)
            c->brief_comparators[c->n_brief_comparators] =
                dup_or_null(s->brief_comparators[c->n_brief_comparators], &failed);
    failed |= s->brief_comparators && !c->brief_comparators;
    if (!failed && s->brief_formulas &&
        (c->brief_formulas = mtfs_calloc(s->n_brief_formulas + 1, sizeof *c->brief_formulas)))
        for (; c->n_brief_formulas < s->n_brief_formulas; c->n_brief_formulas++)
            c->brief_formulas[c->n_brief_formulas] =
                dup_or_null(s->brief_formulas[c->n_brief_formulas], &failed);
    failed |= s->brief_formulas && !c->brief_formulas;
    if (!failed && s->n_uncertain && (c->uncertain = mtfs_calloc(s->n_uncertain, sizeof *c->uncertain)))
        for (; c->n_uncertain < s->n_uncertain; c->n_uncertain++) {
            c->uncertain[c->n_uncertain] = s->uncertain[c->n_uncertain];
            c->uncertain[c->n_uncertain].key = dup_or_null(s->uncertain[c->n_uncertain].key, &failed);
        }
    failed |= s->n_uncertain && !c->uncertain;
    if (!failed && s->correlation) {
        size_t bytes = s->n_uncertain * s->n_uncertain * sizeof *s->correlation;
        if ((c->correlation = mtfs_malloc(bytes)))
            memcpy(c->correlation, s->correlation, bytes);
        failed |= !c->correlation;
    }
    if (!failed && s->thresholds) {
        if ((c->thresholds = mtfs_calloc(s->n_thresholds ? s->n_thresholds : 1, sizeof *c->thresholds))) {
            memcpy(c->thresholds, s->thresholds, s->n_thresholds * sizeof *c->thresholds);
            c->n_thresholds = s->n_thresholds;
        }
        failed |= !c->thresholds;
    }
    failed |= (s->n_economy && !c->economy) || (s->n_indices && !c->indices) ||
              (s->n_services && !c->services) || !c->grants || !c->files;
    if (failed) {
        mtfs_scenario_free(c);
        return mtfs_error_set(err, MTFS_ENOMEM, NULL, 0, NULL, "out of memory");
    }
    remap_inputs(s, c);
    *out = c;
    return MTFS_OK;
}

const char *mtfs_scenario_name(const mtfs_scenario *s) { return s->name; }
const char *mtfs_scenario_id(const mtfs_scenario *s) { return s->id; }
const char *mtfs_scenario_description(const mtfs_scenario *s) { return s->description ? s->description : ""; }
int mtfs_scenario_base_year(const mtfs_scenario *s) { return s->base_year; }
size_t mtfs_scenario_horizon(const mtfs_scenario *s) { return s->horizon; }
size_t mtfs_scenario_service_count(const mtfs_scenario *s) { return s->n_services; }
const char *mtfs_scenario_service_name(const mtfs_scenario *s, size_t i) { return s->services[i].name; }
size_t mtfs_scenario_grant_count(const mtfs_scenario *s) { return s->n_grants; }
const char *mtfs_scenario_grant_name(const mtfs_scenario *s, size_t i) { return s->grants[i].name; }
size_t mtfs_scenario_file_count(const mtfs_scenario *s) { return s->n_files; }
const char *mtfs_scenario_file(const mtfs_scenario *s, size_t i) { return s->files[i]; }

mtfs_status mtfs_scenario_show_file_as(mtfs_scenario *s, size_t i, const char *shown, mtfs_error *err)
{
    char *copy = mtfs_strdup(shown);
    if (!copy)
        return mtfs_error_oom(err, s->files[i]);
    mtfs_free(s->files[i]);
    s->files[i] = copy;
    return MTFS_OK;
}
int mtfs_scenario_referendum_allowed(const mtfs_scenario *s) { return s->referendum; }
int mtfs_scenario_has_covid(const mtfs_scenario *s) { return s->has_covid; }
int mtfs_scenario_has_capital(const mtfs_scenario *s) { return s->has_capital; }
size_t mtfs_scenario_earmarked_count(const mtfs_scenario *s) { return s->n_earmarked; }
const char *mtfs_scenario_earmarked_name(const mtfs_scenario *s, size_t i) { return s->earmarked[i].name; }
int mtfs_scenario_has_dsg(const mtfs_scenario *s) { return s->has_dsg; }
int mtfs_scenario_dsg_override_end(const mtfs_scenario *s) { return s->dsg_override_end; }
