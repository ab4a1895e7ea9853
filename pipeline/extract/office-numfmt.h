/*
 * office-numfmt.h: spreadsheet number formats, shared by the XLSX reader
 * (docpipe-office.so) and the BIFF8 one (docpipe-ole.so), so it lives in
 * the library: which formats show a cell as a date, a percentage or a
 * fixed number of decimals, and the cell's value written that way.  A
 * format code is parsed once, into a DpNumFmt that the readers keep in
 * their format tables, and each cell is written from that.
 */
#ifndef DOCPIPE_OFFICE_NUMFMT_H
#define DOCPIPE_OFFICE_NUMFMT_H

#include <glib.h>

typedef enum {
	DP_NUMFMT_RAW = 0, /* the value as stored (General, currencies, fractions, text, ...) */
	DP_NUMFMT_DATE,    /* a date, a time or both: ISO 8601 */
	DP_NUMFMT_PERCENT, /* the value times 100, DECIMALS places, then % */
	DP_NUMFMT_FIXED,   /* DECIMALS places */
	DP_NUMFMT_CODE,    /* sections, literal text, thousands, conditions: SEC says */
	DP_NUMFMT_ELAPSED, /* elapsed time, [h]:mm:ss: UNIT and PARTS say */
} DpNumFmtKind;

#define DP_NUMFMT_MAX_DECIMALS 15
/* The longest code (with its NUL) understood as DP_NUMFMT_CODE; longer ones with text stay raw. */
#define DP_NUMFMT_MAX_CODE 80

/* One number section of a code, compiled (extract/office-numfmt.c says how it is read). */
typedef struct {
	double bound;      /* a condition's number */
	guint8 cond;       /* 0 none, else the condition's operator: '<', 'l' (<=), '>', 'g' (>=), '=', 'n' (<>) */
	guint8 text;       /* the prefix starts at DpNumFmt.text[text], the suffix right after it */
	guint8 prefix_len; /* literal text before the number */
	guint8 suffix_len; /* and after it */
	guint8 decimals;   /* 0 and ? after the point, at most DP_NUMFMT_MAX_DECIMALS */
	guint8 percent;    /* % signs: times 100 each */
	guint8 scale;      /* commas after the last digit: divided by 1000 each */
	guint8 int_zeros;  /* integer digits always shown: up to the leftmost 0 placeholder */
	guint8 int_width;  /* ... and padded with spaces: up to the leftmost ? placeholder */
	guint8 digits;     /* the section shows the number at all */
	guint8 thousands;  /* a comma between digits: 1,234,567 */
	guint16 dec_pad;   /* bit I: decimal I is ?, a trailing zero there shows as a space */
} DpNumSection;

typedef struct {
	guint8 kind;     /* DpNumFmtKind */
	guint8 decimals; /* for PERCENT and FIXED, at most DP_NUMFMT_MAX_DECIMALS */
	guint8 n;        /* CODE: the sections of SEC the code has (1-3); ELAPSED: PARTS */
	guint8 unit;     /* ELAPSED: the first unit, 0 hours, 1 minutes, 2 seconds */
	DpNumSection sec[3];
	char text[DP_NUMFMT_MAX_CODE]; /* the sections' literal text */
} DpNumFmt;

/*
 * What the format code CODE shows: a date when its first section has
 * date fields; else its sections (positive;negative;zero;text, or
 * with conditions), each a number with literal text around it, or the
 * raw value when any of the first three has something not understood.
 */
DpNumFmt dp_numfmt_parse(const char *code);
/*
 * What the built-in format ID shows: 1-4, 9-10 numbers, 14-22 and 45-47
 * dates, 46 elapsed time; static, compiled once.
 */
const DpNumFmt *dp_numfmt_builtin(guint id);
/*
 * The number V as format F shows it, in a new string; NULL when F keeps
 * the raw value or V is out of its range (a date before 1900 or after
 * 9999, no section for it).  DATE1904: dates count from 1904-01-01
 * rather than 1900.
 */
char *dp_numfmt_format(const DpNumFmt *f, double v, gboolean date1904);

#endif
