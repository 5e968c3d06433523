/*
 * fuzz_table.c - the CSV reader behind data/authorities.csv: quoting, field
 * counts, numbers; every cell read back as text and as a number.
 */
#include "mtfs/mtfs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size, "input.csv");
    mtfs_error err;
    mtfs_table *t = NULL;
    if (mtfs_table_load(path, &t, &err) != MTFS_OK)
        return 0;
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
    }
    mtfs_table_free(t);
    return sum == (size_t)-1;
}
