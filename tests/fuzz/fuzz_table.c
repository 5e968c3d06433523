/*
 * fuzz_table.c - the CSV reader behind data/authorities.csv: quoting, field
 * counts, numbers; every cell read back as text and as a number, and checked
 * as every kind of value.  Every error message must be one line of UTF-8
 * (it quotes at most one cell, cut short).
 */
#include "mtfs/mtfs.h"
#include "checked.h"
#include "fuzz_common.h"

static void check_message(const mtfs_error *err)
{
    char line[MTFS_ERROR_FILE_MAX + MTFS_ERROR_KEY_MAX + MTFS_ERROR_MESSAGE_MAX + 32];
    mtfs_error_format(err, line, sizeof line);
    size_t n = strlen(line);
    if (strchr(line, '\n') || strchr(line, '\r') || mtfs_utf8_prefix(line, n) != n)
        abort();   /* a message is one line of UTF-8 */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size, "input.csv");
    mtfs_error err;
    mtfs_table *t = NULL;
    if (mtfs_table_load(path, &t, &err) != MTFS_OK) {
        check_message(&err);
        return 0;
    }
    const mtfs_cell_kind *kinds[] = {&MTFS_CELL_COUNT, &MTFS_CELL_MONEY_M, &MTFS_CELL_BAND_D,
                                     &MTFS_CELL_SHARE, &MTFS_CELL_SCORE, &MTFS_CELL_FACTOR,
                                     &MTFS_CELL_AMOUNT, &MTFS_CELL_YEAR};
    size_t sum = 0;
    for (size_t c = 0; c < mtfs_table_columns(t); c++) {
        sum += strlen(mtfs_table_column_name(t, c));
        if (mtfs_table_column(t, mtfs_table_column_name(t, c)) == (size_t)-1)
            abort();   /* every header names its column */
        for (size_t r = 0; r < mtfs_table_rows(t); r++) {
            sum += strlen(mtfs_table_text(t, r, c));
            (void)mtfs_table_number(t, r, c);
            (void)mtfs_table_line(t, r);
        }
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            if (mtfs_table_check_column(t, c, kinds[k], &err) != MTFS_OK)
                check_message(&err);
            double x;
            if (mtfs_table_rows(t) > 0) {
                if (mtfs_table_value(t, 0, c, kinds[k], 1, &x, &err) != MTFS_OK)
                    check_message(&err);
                else if (!(x >= kinds[k]->lo && x <= kinds[k]->hi))
                    abort();   /* a value that passes is in its range */
            }
        }
        (void)mtfs_table_driver_kind(mtfs_table_column_name(t, c));
    }
    mtfs_table_free(t);
    return sum == (size_t)-1;
}
