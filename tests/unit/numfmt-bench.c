/*
 * numfmt-bench.c: the cost of one cell through a number format, for
 * measuring extract/office-numfmt.c (not a unit test: no script runs it).
 *
 *   numfmt-bench [N]
 *
 * takes each format code of a small list once through dp_numfmt_parse(),
 * as the XLSX and BIFF8 readers do for their format tables, then formats
 * N values (default 1,000,000) with it, as they do for each cell, and
 * prints one line a code: the nanoseconds of CPU time a cell.
 */
#include "extract/office-numfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const char *const codes[] = {
		"0.00", "#,##0.00", "0.00;(0.00)", "\"$\"#,##0.00_);(\"$\"#,##0.00)", "[h]:mm:ss", "yyyy-mm-dd",
	};
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	if (n <= 0)
		n = 1000000;
	for (gsize c = 0; c < G_N_ELEMENTS(codes); c++) {
		DpNumFmt f = dp_numfmt_parse(codes[c]);
		gsize total = 0;
		double t0 = cpu_seconds();
		for (long i = 0; i < n; i++) {
			/* Values of both signs, fractions and magnitudes up to a million. */
			double v = (double)((i * 7919) % 2000003 - 1000001) / 7.0;
			char *s = dp_numfmt_format(&f, v, FALSE);
			total += s ? strlen(s) : 0;
			g_free(s);
		}
		double t = cpu_seconds() - t0;
		printf("%-36s %7.0f ns/cell (%zu bytes)\n", codes[c], t * 1e9 / (double)n, total);
	}
	return 0;
}
