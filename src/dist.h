/*
 * dist.h - the distributions of the uncertainty block (internal).
 *
 * Exact CDFs and quantiles come from GSL.  The Monte Carlo sampler draws a
 * standard normal z for each input (so that correlation and persistence act
 * on one Gaussian scale, a Gaussian copula) and maps it to the input's
 * distribution through x = Q(Phi(z)).  For normal and lognormal marginals
 * that map is exact and cheap; for the others it is tabulated once in z and
 * interpolated linearly (see MTFS_ZTABLE_*): the error is below 1e-5 of the
 * distribution's range (tests check it against the exact quantile), and the
 * small tables stay in cache inside the path loop.
 */
#ifndef MTFS_DIST_H
#define MTFS_DIST_H

#include <stddef.h>
#include "scenario_int.h"

/* Turn GSL's abort-on-error handler off; every caller checks returns. */
void mtfs_dist_init(void);

/* The distribution function of u (ignoring truncation). */
double mtfs_dist_cdf(const mtfs_uncertain *u, double x);
/* The p-quantile of u, truncation included, for p in [0, 1]. */
double mtfs_dist_quantile(const mtfs_uncertain *u, double p);

/* True when the n x n symmetric matrix c is positive definite. */
int mtfs_correlation_is_positive_definite(const double *c, size_t n);
/* Lower-triangular Cholesky factor of c into l (n x n, row-major);
 * returns 0 on success. */
int mtfs_cholesky(const double *c, size_t n, double *l);

/* The z-space table: x = table[i] at z = MTFS_ZTABLE_MIN + i * step. */
#define MTFS_ZTABLE_N 1025
#define MTFS_ZTABLE_MIN (-8.0)
#define MTFS_ZTABLE_MAX 8.0

/* True when u needs a table (neither an untruncated normal nor lognormal). */
int mtfs_dist_needs_table(const mtfs_uncertain *u);
/* Fill table (MTFS_ZTABLE_N values) with Q(Phi(z)) on the grid. */
void mtfs_dist_ztable(const mtfs_uncertain *u, double *table);

/* x for a standard normal z: exact for untruncated normal and lognormal,
 * else interpolated in `table`. */
static inline double mtfs_dist_from_z(const mtfs_uncertain *u, const double *table, double z)
{
    if (!table) {
        double x = u->p1 + u->p2 * z;
        return u->dist == MTFS_DIST_LOGNORMAL ? __builtin_exp(x) : x;
    }
    const double per_unit = (MTFS_ZTABLE_N - 1) / (MTFS_ZTABLE_MAX - MTFS_ZTABLE_MIN);
    double pos = (z - MTFS_ZTABLE_MIN) * per_unit;
    if (pos <= 0.0)
        return table[0];
    if (pos >= MTFS_ZTABLE_N - 1)
        return table[MTFS_ZTABLE_N - 1];
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return table[i] + f * (table[i + 1] - table[i]);
}

/* The input's value for a draw x against its deterministic value
 * `central`, kept inside the input's valid range. */
static inline double mtfs_uncertain_apply(const mtfs_uncertain *u, double central, double x)
{
    double v = u->apply == MTFS_APPLY_ADD ? central + x : u->apply == MTFS_APPLY_SCALE ? central * x : x;
    /* Two separate selections compile to maxsd and minsd: no branch to
     * mispredict when some draws are clamped and others not. */
    v = v < u->clamp_lo ? u->clamp_lo : v;
    return v > u->clamp_hi ? u->clamp_hi : v;
}

#endif
