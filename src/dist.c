/*
 * dist.c - distribution functions, quantiles and correlation checks for the
 * uncertainty block, on top of GSL (see dist.h).
 */
#include "dist.h"

#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <math.h>

void mtfs_dist_init(void) { gsl_set_error_handler_off(); }

/* PERT as a scaled beta: alpha = 1 + lambda (mode - low) / (high - low). */
static void pert_shape(const mtfs_uncertain *u, double *alpha, double *beta)
{
    double range = u->p3 - u->p1;
    *alpha = 1.0 + u->p4 * (u->p2 - u->p1) / range;
    *beta = 1.0 + u->p4 * (u->p3 - u->p2) / range;
}

double mtfs_dist_cdf(const mtfs_uncertain *u, double x)
{
    if (isinf(x))
        return x > 0 ? 1.0 : 0.0;
    switch (u->dist) {
    case MTFS_DIST_NORMAL:
        if (u->p2 == 0.0)
            return x >= u->p1 ? 1.0 : 0.0;
        return gsl_cdf_gaussian_P(x - u->p1, u->p2);
    case MTFS_DIST_LOGNORMAL:
        if (x <= 0.0)
            return 0.0;
        if (u->p2 == 0.0)
            return x >= exp(u->p1) ? 1.0 : 0.0;
        return gsl_cdf_lognormal_P(x, u->p1, u->p2);
    case MTFS_DIST_UNIFORM:
        if (u->p1 == u->p2)
            return x >= u->p1 ? 1.0 : 0.0;
        return x <= u->p1 ? 0.0 : x >= u->p2 ? 1.0 : (x - u->p1) / (u->p2 - u->p1);
    case MTFS_DIST_TRIANGULAR: {
        double a = u->p1, c = u->p2, b = u->p3;
        if (x <= a)
            return 0.0;
        if (x >= b)
            return 1.0;
        if (x <= c)
            return (x - a) * (x - a) / ((b - a) * (c - a));
        return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
    }
    case MTFS_DIST_PERT: {
        double alpha, beta;
        pert_shape(u, &alpha, &beta);
        double y = (x - u->p1) / (u->p3 - u->p1);
        return y <= 0.0 ? 0.0 : y >= 1.0 ? 1.0 : gsl_cdf_beta_P(y, alpha, beta);
    }
    }
    return NAN;
}

/* The p-quantile ignoring truncation. */
static double raw_quantile(const mtfs_uncertain *u, double p)
{
    /* Keep clear of the infinite tails: 1e-15 is beyond any sample size. */
    if (p < 1e-15)
        p = 1e-15;
    if (p > 1.0 - 1e-15)
        p = 1.0 - 1e-15;
    switch (u->dist) {
    case MTFS_DIST_NORMAL: return u->p1 + u->p2 * gsl_cdf_ugaussian_Pinv(p);
    case MTFS_DIST_LOGNORMAL: return exp(u->p1 + u->p2 * gsl_cdf_ugaussian_Pinv(p));
    case MTFS_DIST_UNIFORM: return u->p1 + p * (u->p2 - u->p1);
    case MTFS_DIST_TRIANGULAR: {
        double a = u->p1, c = u->p2, b = u->p3;
        double fc = (c - a) / (b - a);
        if (p < fc)
            return a + sqrt(p * (b - a) * (c - a));
        return b - sqrt((1.0 - p) * (b - a) * (b - c));
    }
    case MTFS_DIST_PERT: {
        double alpha, beta;
        pert_shape(u, &alpha, &beta);
        return u->p1 + (u->p3 - u->p1) * gsl_cdf_beta_Pinv(p, alpha, beta);
    }
    }
    return NAN;
}

double mtfs_dist_quantile(const mtfs_uncertain *u, double p)
{
    if (isinf(u->lower) && isinf(u->upper))
        return raw_quantile(u, p);
    double lo = mtfs_dist_cdf(u, u->lower), hi = mtfs_dist_cdf(u, u->upper);
    double x = raw_quantile(u, lo + p * (hi - lo));
    return x < u->lower ? u->lower : x > u->upper ? u->upper : x;
}

int mtfs_cholesky(const double *c, size_t n, double *l)
{
    if (n == 0)
        return 0;
    gsl_matrix *m = gsl_matrix_alloc(n, n);
    if (!m)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(m, i, j, c[i * n + j]);
    int status = gsl_linalg_cholesky_decomp1(m);
    for (size_t i = 0; status == 0 && i < n; i++)
        for (size_t j = 0; j < n; j++)
            l[i * n + j] = j <= i ? gsl_matrix_get(m, i, j) : 0.0;
    gsl_matrix_free(m);
    return status == 0 ? 0 : -1;
}

int mtfs_correlation_is_positive_definite(const double *c, size_t n)
{
    if (!c || n == 0)
        return 1;
    double *l = malloc(n * n * sizeof *l);
    if (!l)
        return 0;
    int ok = mtfs_cholesky(c, n, l) == 0;
    /* GSL accepts a matrix that is only just positive semi-definite; a
     * zero pivot would make some input a copy of others, so require a
     * margin. */
    for (size_t i = 0; ok && i < n; i++)
        ok = l[i * n + i] > 1e-8;
    free(l);
    return ok;
}

int mtfs_dist_needs_table(const mtfs_uncertain *u)
{
    int truncated = !isinf(u->lower) || !isinf(u->upper);
    return truncated || (u->dist != MTFS_DIST_NORMAL && u->dist != MTFS_DIST_LOGNORMAL);
}

void mtfs_dist_ztable(const mtfs_uncertain *u, double *table)
{
    const double step = (MTFS_ZTABLE_MAX - MTFS_ZTABLE_MIN) / (MTFS_ZTABLE_N - 1);
    for (size_t i = 0; i < MTFS_ZTABLE_N; i++)
        table[i] = mtfs_dist_quantile(u, gsl_cdf_ugaussian_P(MTFS_ZTABLE_MIN + (double)i * step));
}
