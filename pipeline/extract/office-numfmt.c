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

/*
 * V with DECIMALS places as a spreadsheet shows it: from V's 15
 * significant decimal digits (what Excel keeps), rounded half away from
 * zero (2.5 with "0" is 3, 1.005 with "0.00" is 1.01, where printf's
 * rounding of the binary value gives 2 and 1.00), the C locale's point,
 * no "-0".
 */
static char *
format_fixed(double v, guint decimals, const char *suffix)
{
	if (!isfinite(v) || fabs(v) >= 1e15 || decimals > DP_NUMFMT_MAX_DECIMALS)
		return NULL;
	/* "d.dddddddddddddde+XX": 15 digits, the first before the point. */
	char sci[G_ASCII_DTOSTR_BUF_SIZE];
	g_ascii_formatd(sci, sizeof sci, "%.14e", fabs(v));
	char digits[16];
	gsize n = 0;
	for (const char *p = sci; *p && *p != 'e' && n < 15; p++)
		if (g_ascii_isdigit(*p))
			digits[n++] = *p;
	const char *e = strchr(sci, 'e');
	if (n != 15 || e == NULL)
		return NULL;
	/* The value is 0.DIGITS times 10^point: POINT digits before the decimal point. */
	int point = (int)g_ascii_strtoll(e + 1, NULL, 10) + 1;
	/* Keep POINT + DECIMALS digits; the next one decides the rounding. */
	int keep = point + (int)decimals;
	/* One spare place in front for a carry out of the first digit. */
	char kept[48];
	int k = 0;
	kept[k++] = '0';
	for (int i = 0; i < keep && i < 15; i++)
		kept[k++] = digits[i];
	for (int i = 15; i < keep; i++)
		kept[k++] = '0';
	if (keep >= 0 && keep < 15 && digits[keep] >= '5') {
		int i = k - 1;
		while (i >= 0 && kept[i] == '9')
			kept[i--] = '0';
		if (i >= 0)
			kept[i]++;
	} else if (keep < 0) {
		k = 1; /* the value rounds to zero */
	}
	/* KEPT now holds 1 + POINT + DECIMALS digits (or fewer when POINT < 0). */
	int int_digits = 1 + point; /* with the carry place */
	GString *out = g_string_sized_new(48);
	if (v < 0)
		g_string_append_c(out, '-');
	gsize lead = out->len;
	for (int i = 0; i < int_digits; i++) {
		char c = i < k && i >= 0 ? kept[i] : '0';
		if (c == '0' && out->len == lead && i < int_digits - 1)
			continue; /* no leading zeros */
		g_string_append_c(out, c);
	}
	if (int_digits <= 0)
		g_string_append_c(out, '0');
	if (decimals > 0) {
		g_string_append_c(out, '.');
		for (int i = 0; i < (int)decimals; i++) {
			int at = int_digits + i;
			g_string_append_c(out, at >= 0 && at < k ? kept[at] : '0');
		}
	}
	if (out->str[0] == '-' && strspn(out->str + 1, "0.") == out->len - 1)
		g_string_erase(out, 0, 1);
	g_string_append(out, suffix);
	return g_string_free(out, FALSE);
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
