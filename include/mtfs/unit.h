/*
 * mtfs/unit.h - the units inputs and outputs are in, so every writer shows
 * a quantity the same way (£m to one decimal, a share as a percentage).
 */
#ifndef MTFS_UNIT_H
#define MTFS_UNIT_H

typedef enum {
    MTFS_UNIT_MONEY,    /* £m */
    MTFS_UNIT_SHARE,    /* a fraction, shown as a percentage */
    MTFS_UNIT_POUNDS,   /* £ (Band D) */
    MTFS_UNIT_COUNT     /* a number of things (Band D equivalents) */
} mtfs_unit;

#endif
