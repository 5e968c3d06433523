/*
 * test_error_list.c - every problem of a scenario at once
 * (mtfs_scenario_load_all and its mtfs_error_list), and the settings a
 * derived file may take away (remove) or give every service at once
 * (service_defaults).
 */
#include "check.h"
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_list(void)
{
    mtfs_error_list list;
    mtfs_error e;
    mtfs_error_list_clear(&list);
    CHECK(list.count == 0);
    mtfs_error_set(&e, MTFS_EINPUT, "a.cfg", 3, "x", "bad");
    mtfs_error_list_add(&list, &e);
    mtfs_error_list_add(&list, &e);   /* the same problem twice is kept once */
    CHECK(list.count == 1);
    for (int i = 0; i < 30; i++) {
        mtfs_error_set(&e, MTFS_EINPUT, "a.cfg", 10 + i, "x", "bad");
        mtfs_error_list_add(&list, &e);
    }
    /* Counted beyond the room it has; the first ones kept in order. */
    CHECK(list.count == 31);
    CHECK(list.items[0].line == 3);
    CHECK(list.items[MTFS_ERRORS_MAX - 1].line == 10 + MTFS_ERRORS_MAX - 2);
    mtfs_error_list_add(NULL, &e);    /* no list: nothing happens */
    mtfs_error_list_clear(NULL);
}

static void test_load_all(void)
{
    mtfs_error first, err;
    mtfs_error_list *all = malloc(sizeof *all);
    mtfs_scenario *s = (mtfs_scenario *)&err;   /* must be reset to NULL on failure */
    if (!all) {
        CHECK(all != NULL);
        return;
    }
    /* economy.pay, services, council_tax, business_rates, reserves. */
    mtfs_status st = mtfs_scenario_load_all("tests/bad/missing_pay.cfg", &s, &err, all);
    CHECK(st == MTFS_EINPUT);
    CHECK(s == NULL);
    CHECK(all->count == 5);
    CHECK_STR(all->items[0].key, "economy.pay");
    CHECK_STR(all->items[4].key, "reserves");
    /* The one-error form reports the first of them. */
    CHECK(mtfs_scenario_load("tests/bad/missing_pay.cfg", &s, &first) == MTFS_EINPUT);
    CHECK_STR(first.key, all->items[0].key);
    CHECK(strcmp(first.message, all->items[0].message) == 0);
    CHECK(first.line == all->items[0].line);
    CHECK(strcmp(err.message, first.message) == 0);
    /* A file that cannot be read is one problem. */
    CHECK(mtfs_scenario_load_all("tests/no/such/file.cfg", &s, &err, all) == MTFS_EINPUT);
    CHECK(all->count == 1);
    /* A good file: no problem, and no list needed. */
    s = NULL;
    CHECK(mtfs_scenario_load_all("tests/good/hand.cfg", &s, &err, all) == MTFS_OK);
    CHECK(all->count == 0);
    mtfs_scenario_free(s);
    s = NULL;
    CHECK(mtfs_scenario_load_all("tests/good/hand.cfg", &s, &err, NULL) == MTFS_OK);
    mtfs_scenario_free(s);
    free(all);
}

/* Write text into a new file next to tests/good/hand.cfg; its path into
 * path (the caller removes it). */
static int write_derived(const char *text, char *path, size_t size)
{
    snprintf(path, size, "tests/good/derived_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

/* The value of input `label` ("services.b.delivery") in year t. */
static double input_value(const mtfs_scenario *s, const char *label, size_t t)
{
    mtfs_scenario_input in;
    for (size_t i = 0; i < mtfs_scenario_input_count(s); i++) {
        mtfs_scenario_input_at(s, i, &in);
        if (strcmp(in.label, label) == 0)
            return in.kind == MTFS_INPUT_SERIES ? in.series[t] : in.value;
    }
    return -999.0;
}

static void test_defaults_and_remove(void)
{
    char path[64];
    mtfs_error err;
    mtfs_scenario *s = NULL;
    /* Every service takes the default unless it gives its own: service a
     * says delivery = 0.5, service b says nothing. */
    if (write_derived("base = \"hand.cfg\";\nservice_defaults = { delivery = 0.8; demand = 0.02; };\n",
                      path, sizeof path) == 0) {
        CHECK(mtfs_scenario_load(path, &s, &err) == MTFS_OK);
        if (s) {
            CHECK_HAND(input_value(s, "services.a.delivery", 1), 0.5);
            CHECK_HAND(input_value(s, "services.b.delivery", 2), 0.8);
            CHECK_HAND(input_value(s, "services.a.demand", 1), 0.03);
            CHECK_HAND(input_value(s, "services.b.demand", 1), 0.02);
        }
        mtfs_scenario_free(s);
        s = NULL;
        unlink(path);
    }
    /* remove takes a service and a grant away, and a key back to its default. */
    if (write_derived("base = \"hand.cfg\";\nremove = [\"services.b\", \"grants.cpi\", \"services.a.delivery\"];\n",
                      path, sizeof path) == 0) {
        CHECK(mtfs_scenario_load(path, &s, &err) == MTFS_OK);
        if (s) {
            CHECK(mtfs_scenario_service_count(s) == 1);
            CHECK(mtfs_scenario_grant_count(s) == 3);
            CHECK_HAND(input_value(s, "services.a.delivery", 1), 1.0);
        }
        mtfs_scenario_free(s);
        s = NULL;
        unlink(path);
    }
}

void suite_error_list(void)
{
    test_list();
    test_load_all();
    test_defaults_and_remove();
}
