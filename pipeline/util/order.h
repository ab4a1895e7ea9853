/*
 * order.h: the three-way comparison that sort functions (qsort(),
 * g_array_sort(), g_qsort_with_data()) are built from.
 */
#ifndef DOCPIPE_ORDER_H
#define DOCPIPE_ORDER_H

/*
 * -1, 0 or 1 as A is below, equal to or above B, for two values of one
 * integer type; each is evaluated twice, so pass plain values.  A sort
 * function over several keys compares the next only where this gave 0.
 */
#define DP_CMP(a, b) (((a) > (b)) - ((a) < (b)))

#endif
