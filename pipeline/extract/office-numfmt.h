/*
 * office-numfmt.h: spreadsheet number formats, shared by the XLSX reader
 * (docpipe-office.so) and the BIFF8 one (docpipe-ole.so), so it lives in
 * the library: which formats show a cell as a date, a percentage or a
 * fixed number of decimals, and the cell's value written that way.
 */
#ifndef DOCPIPE_OFFICE_NUMFMT_H
#define DOCPIPE_OFFICE_NUMFMT_H

#include <glib.h>

typedef enum {
	DP_NUMFMT_RAW = 0, /* the value as stored (General, currencies, fractions, text, ...) */
	DP_NUMFMT_DATE,    /* a date, a time or both: ISO 8601 */
	DP_NUMFMT_PERCENT, /* the value times 100, DECIMALS places, then % */
	DP_NUMFMT_FIXED,   /* DECIMALS places */
	DP_NUMFMT_CODE,    /* sections, literal text, thousands, elapsed time: CODE says */
} DpNumFmtKind;

#define DP_NUMFMT_MAX_DECIMALS 15
/* The longest code (with its NUL) kept for DP_NUMFMT_CODE; longer ones with text stay raw. */
#define DP_NUMFMT_MAX_CODE 80

typedef struct {
	guint8 kind;                   /* DpNumFmtKind */
	guint8 decimals;               /* for PERCENT and FIXED, at most DP_NUMFMT_MAX_DECIMALS */
	char code[DP_NUMFMT_MAX_CODE]; /* for CODE: the format code, understood when parsed */
} DpNumFmt;

/*
 * What the format code CODE shows: a date when its first section has
 * date fields; else its sections (positive;negative;zero;text), each a
 * number with literal text around it, or the raw value when any of the
 * first three has something not understood.
 */
DpNumFmt dp_numfmt_parse(const char *code);
/* What the built-in format ID shows: 1-4, 9-10 numbers, 14-22 and 45-47 dates, 46 elapsed time. */
DpNumFmt dp_numfmt_builtin(guint id);
/*
 * The number V as format F shows it, in a new string; NULL when F keeps
 * the raw value or V is out of its range (a date before 1900 or after
 * 9999).  DATE1904: dates count from 1904-01-01 rather than 1900.
 */
char *dp_numfmt_format(DpNumFmt f, double v, gboolean date1904);

#endif
