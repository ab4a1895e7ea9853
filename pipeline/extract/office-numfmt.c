/*
 * NAME
 *	office-numfmt.c - spreadsheet number formats: dates, percentages,
 *	fixed decimals
 *
 * DESCRIPTION
 *	Excel (XLSX and BIFF8) stores a number and, apart, the format that
 *	shows it.  A reader of the text wants the dates as dates: a cell
 *	whose format shows a date or a time (the built-in formats 14-22 and
 *	45-47, or a code with d, m, y, h or s outside quoted text, escapes
 *	and brackets) is written as ISO 8601, "2024-03-05", "2024-03-05
 *	14:30:00", or "14:30:00" for a time alone; serials count days from
 *	1899-12-30 (with 1900's phantom 29 February below 61) or, in the
 *	1904 date system, from 1904-01-01.  A percentage ("0.00%") is the
 *	value times 100 with the format's decimals and a %; a fixed format
 *	("0.00", "#,##0.00") the value with its decimals (no thousands
 *	separator: the text stays a number a reader can take back).  Every
 *	other format (General, currencies, fractions, scientific, text)
 *	keeps the value as stored.  The code's first section is the one for
 *	all numbers here: a negative number with its own section shows as
 *	the first section would show it.
 *
 * SECURITY
 *	Format codes come from the file: they are walked once, every escape
 *	and quote bounded by the string's end; decimals are capped at
 *	DP_NUMFMT_MAX_DECIMALS.  Values out of range (NaN, infinities, dates
 *	past 9999) keep their raw form.
 */
#include "extract/office-numfmt.h"

#include <math.h>
#include <string.h>

#include "util/banned.h"

/* The highest date serial Excel shows: 9999-12-31. */
#define MAX_SERIAL 2958466.0

DpNumFmt
dp_numfmt_builtin(guint id)
{
	DpNumFmt f = { DP_NUMFMT_RAW, 0 };
	switch (id) {
	case 1:
	case 3: f.kind = DP_NUMFMT_FIXED; break;
	case 2:
	case 4:
		f.kind = DP_NUMFMT_FIXED;
		f.decimals = 2;
		break;
	case 9: f.kind = DP_NUMFMT_PERCENT; break;
	case 10:
		f.kind = DP_NUMFMT_PERCENT;
		f.decimals = 2;
		break;
	default:
		if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
			f.kind = DP_NUMFMT_DATE;
		break;
	}
	return f;
}

DpNumFmt
dp_numfmt_parse(const char *code)
{
	DpNumFmt f = { DP_NUMFMT_RAW, 0 };
	gboolean percent = FALSE, point = FALSE, zero = FALSE, other = FALSE;
	guint decimals = 0;
	if (code == NULL || g_ascii_strcasecmp(code, "General") == 0)
		return f;
	for (const char *c = code; *c != '\0' && *c != ';'; c++) {
		if (*c == '"') {
			while (c[1] != '\0' && c[1] != '"')
				c++;
			if (c[1] != '\0')
				c++;
			other = TRUE;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			/* An escaped character, a space as wide as one, a fill: text, not a number. */
			if (c[1] != '\0')
				c++;
			other = other || *c != ' ';
		} else if (*c == '[') {
			/* [h], [mm], [ss]: elapsed time.  Colours, conditions and locales say nothing here. */
			if (c[1] != '\0' && strchr("hHmMsS", c[1]) != NULL) {
				f.kind = DP_NUMFMT_DATE;
				return f;
			}
			while (c[1] != '\0' && c[1] != ']')
				c++;
			if (c[1] != '\0')
				c++;
		} else if (strchr("dDmMyYhHsS", *c) != NULL) {
			f.kind = DP_NUMFMT_DATE;
			return f;
		} else if (*c == '%') {
			percent = TRUE;
		} else if (*c == '.') {
			other = other || point;
			point = TRUE;
		} else if (*c == '0') {
			zero = TRUE;
			decimals += point;
		} else if (*c == '#' || *c == '?') {
			/* A digit shown only when there is one: after the point, the decimals vary. */
			other = other || point;
		} else if (*c != ',' && *c != ' ') {
			other = TRUE;
		}
	}
	if (other || !zero)
		return f;
	f.kind = percent ? DP_NUMFMT_PERCENT : DP_NUMFMT_FIXED;
	f.decimals = (guint8)MIN(decimals, DP_NUMFMT_MAX_DECIMALS);
	return f;
}

/* A date serial V as ISO 8601, or NULL when out of range. */
static char *
format_date(double v, gboolean date1904)
{
	if (!(v >= 0 && v < MAX_SERIAL))
		return NULL;
	gint64 secs = (gint64)(v * 86400 + 0.5);
	gint64 days = secs / 86400, tod = secs % 86400;
	g_autoptr(GDateTime) base = date1904    ? g_date_time_new_utc(1904, 1, 1, 0, 0, 0)
	                            : days < 61 ? g_date_time_new_utc(1899, 12, 31, 0, 0, 0)
	                                        : g_date_time_new_utc(1899, 12, 30, 0, 0, 0);
	g_autoptr(GDateTime) t = base ? g_date_time_add_seconds(base, (gdouble)(days * 86400 + tod)) : NULL;
	if (t == NULL)
		return NULL;
	if (days == 0 && tod != 0)
		return g_date_time_format(t, "%H:%M:%S");
	return g_date_time_format(t, tod ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d");
}

/* V with DECIMALS places, the C locale's point, no "-0". */
static char *
format_fixed(double v, guint decimals, const char *suffix)
{
	if (!isfinite(v) || fabs(v) >= 1e15)
		return NULL;
	/* At most 15 digits, the point and 15 decimals. */
	char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
	char fmt[16];
	g_snprintf(fmt, sizeof fmt, "%%.%uf", decimals);
	g_ascii_formatd(buf, sizeof buf, fmt, v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return g_strconcat(buf, suffix, NULL);
}

char *
dp_numfmt_format(DpNumFmt f, double v, gboolean date1904)
{
	switch (f.kind) {
	case DP_NUMFMT_DATE: return format_date(v, date1904);
	case DP_NUMFMT_PERCENT: return format_fixed(v * 100, f.decimals, "%");
	case DP_NUMFMT_FIXED: return format_fixed(v, f.decimals, "");
	default: return NULL;
	}
}
