/*
 * NAME
 *	office-numfmt.c - spreadsheet number formats: dates, elapsed time,
 *	percentages, decimals, thousands, sections and their text
 *
 * DESCRIPTION
 *	Excel (XLSX and BIFF8) stores a number and, apart, the format that
 *	shows it.  A reader of the text wants the dates as dates: a cell
 *	whose format shows a date or a time (the built-in formats 14-22,
 *	45 and 47, or a code with d, m, y, h or s outside quoted text,
 *	escapes and brackets) is written as ISO 8601, "2024-03-05",
 *	"2024-03-05 14:30:00", or "14:30:00" for a time alone; serials
 *	count days from 1899-12-30 (with 1900's phantom 29 February below
 *	61) or, in the 1904 date system, from 1904-01-01.  Elapsed time
 *	("[h]:mm:ss", "[mm]:ss", "[ss]", built-in 46) is a duration, the
 *	first unit unbounded: 1.520833 days is "36:30:00".
 *
 *	Other codes have up to four sections, positive;negative;zero;text:
 *	one section shows every number (a negative one with its minus in
 *	front), two split positive and zero from negative, three give zero
 *	its own; the negative and zero sections show the number without
 *	its sign, since their text ("(0.00)", "-0.00") says it.  In a
 *	section, 0, # and the point give the decimals (rounded as Excel
 *	does: half away from zero over 15 significant digits), a comma
 *	between digits the thousands separator and each comma after the
 *	last digit a division by 1000, each % a percentage; quoted text,
 *	\x escapes, the characters Excel shows as they are ($ - + ( ) :
 *	space and the like, any non-ASCII one), _x (one space) and a
 *	currency tag's symbol ([$EUR-407] shows EUR) stay before or after
 *	the number; *x fills and [Red] colours show nothing.  Separators
 *	are en-US (the C locale's point, a comma between thousands), not
 *	the workbook's locale: the text reads the same whatever wrote it.
 *	A code with anything else in its first three sections (scientific
 *	notation, fractions, conditions, General, text between digits, a
 *	varying number of decimals) keeps the value as stored, as do the
 *	locale-dependent built-in currencies.
 *
 * SECURITY
 *	Format codes come from the file: they are walked forward only,
 *	every quote, escape and bracket bounded by the string's end; at
 *	most four sections; a code is kept (DP_NUMFMT_CODE) only up to
 *	DP_NUMFMT_MAX_CODE bytes, longer ones with text stay raw; decimals
 *	are capped at DP_NUMFMT_MAX_DECIMALS, percentages and scalings at
 *	8.  Values out of range (NaN, infinities, 1e15 and more, dates past
 *	9999, negative durations) keep their raw form.
 */
#include "extract/office-numfmt.h"

#include <math.h>
#include <string.h>

#include "util/banned.h"

/* The highest date serial Excel shows: 9999-12-31. */
#define MAX_SERIAL 2958466.0

/* Literal text and number fields of one section of a format code. */
typedef struct {
	GString *prefix, *suffix; /* text before and after the number */
	guint decimals;           /* 0s after the point */
	guint percent;            /* % signs: times 100 each */
	guint scale;              /* commas after the last digit: divided by 1000 each */
	gboolean digits;          /* the section shows the number at all */
	gboolean thousands;       /* a comma between digits: 1,234,567 */
	gboolean zero;            /* a 0 before the point: "0" rather than nothing */
} Section;

static void
section_clear(Section *sec)
{
	g_string_free(sec->prefix, TRUE);
	g_string_free(sec->suffix, TRUE);
}

/* The length of the UTF-8 character at C (at least 1, at most to END). */
static gsize
char_len(const char *c, const char *end)
{
	gsize n = 1;
	while (c + n < end && ((guchar)c[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* Literal text: before the number, or after it; text between digits is not understood. */
static gboolean
add_literal(Section *sec, const char *text, gsize len, gboolean *after)
{
	if (sec->digits)
		*after = TRUE;
	g_string_append_len(sec->digits ? sec->suffix : sec->prefix, text, (gssize)len);
	return TRUE;
}

/*
 * A bracket [BODY] in a number section: a colour says nothing here, a
 * currency locale tag [$SYM-LCID] shows SYM; conditions and the rest
 * are not understood.
 */
static gboolean
bracket(Section *sec, const char *body, gsize len, gboolean *after)
{
	static const char *const colours[] = { "Black", "Blue", "Cyan", "Green", "Magenta", "Red", "White", "Yellow" };
	if (len > 0 && body[0] == '$') {
		const char *dash = memchr(body, '-', len);
		return add_literal(sec, body + 1, (gsize)((dash ? dash : body + len) - body - 1), after);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(colours); i++)
		if (strlen(colours[i]) == len && g_ascii_strncasecmp(body, colours[i], len) == 0)
			return TRUE;
	if (len > 5 && g_ascii_strncasecmp(body, "Color", 5) == 0) {
		for (gsize i = 5; i < len; i++)
			if (!g_ascii_isdigit(body[i]))
				return FALSE;
		return TRUE;
	}
	return FALSE;
}

/* A digit placeholder 0, # or ?: integer digits, or decimals (0 only) after the point. */
static gboolean
placeholder(Section *sec, char c, gboolean point, guint *commas, gboolean after)
{
	if (after)
		return FALSE; /* text between digits: a phone number, a fraction */
	if (*commas > 0) {
		if (point)
			return FALSE;
		sec->thousands = TRUE;
		*commas = 0;
	}
	if (point) {
		if (c != '0')
			return FALSE; /* decimals shown only when there are some: their number varies */
		sec->decimals++;
	} else if (c == '0') {
		sec->zero = TRUE;
	}
	sec->digits = TRUE;
	return TRUE;
}

/*
 * One number section S..END into SEC; FALSE when it has anything not
 * understood (scientific notation, fractions, conditions, dates, text
 * between digits, @).  Each step moves forward: the walk is linear.
 */
static gboolean
parse_section(const char *s, const char *end, Section *sec)
{
	gboolean point = FALSE, after = FALSE;
	guint commas = 0;
	for (const char *c = s; c < end; c++) {
		gboolean ok = TRUE;
		if (*c == '"') {
			const char *q = memchr(c + 1, '"', (gsize)(end - c - 1));
			if (q == NULL)
				return FALSE;
			ok = add_literal(sec, c + 1, (gsize)(q - c - 1), &after);
			c = q;
		} else if (*c == '\\' && c + 1 < end) {
			gsize n = char_len(c + 1, end);
			ok = add_literal(sec, c + 1, n, &after);
			c += n;
		} else if ((*c == '_' || *c == '*') && c + 1 < end) {
			/* A space as wide as the next character: one space; a fill: nothing. */
			if (*c == '_')
				ok = add_literal(sec, " ", 1, &after);
			c += char_len(c + 1, end);
		} else if (*c == '[') {
			const char *q = memchr(c + 1, ']', (gsize)(end - c - 1));
			if (q == NULL)
				return FALSE;
			ok = bracket(sec, c + 1, (gsize)(q - c - 1), &after);
			c = q;
		} else if (*c == '0' || *c == '#' || *c == '?') {
			ok = placeholder(sec, *c, point, &commas, after);
		} else if (*c == '.') {
			ok = !point && !after && commas == 0 && sec->digits;
			point = TRUE;
		} else if (*c == ',') {
			ok = sec->digits && !after;
			commas++;
		} else if (*c == '%') {
			sec->percent++;
			ok = add_literal(sec, "%", 1, &after);
		} else if (strchr("$-+/():!^&'~{}<>= ", *c) != NULL || (guchar)*c >= 0x80) {
			gsize n = char_len(c, end);
			ok = add_literal(sec, c, n, &after);
			c += n - 1;
		} else {
			ok = FALSE;
		}
		if (!ok)
			return FALSE;
	}
	sec->scale = commas;
	return TRUE;
}

/*
 * Where the sections of CODE start, split at ; outside quotes, escapes
 * and brackets: how many, or 0 for more than 4 (not a format code).
 */
static guint
split_sections(const char *code, const char *starts[5])
{
	guint n = 1;
	starts[0] = code;
	const char *c = code;
	for (; *c != '\0'; c++) {
		if (*c == '"') {
			while (c[1] != '\0' && c[1] != '"')
				c++;
			if (c[1] != '\0')
				c++;
		} else if ((*c == '\\' || *c == '_' || *c == '*') && c[1] != '\0') {
			c++;
		} else if (*c == '[') {
			while (c[1] != '\0' && c[1] != ']')
				c++;
			if (c[1] != '\0')
				c++;
		} else if (*c == ';') {
			if (n == 4)
				return 0;
			starts[n++] = c + 1;
		}
	}
	starts[n] = c + 1; /* one past each section's end, its ; */
	return n;
}

/* Section I (of N from STARTS) parsed into SEC, which the caller clears. */
static gboolean
section_at(const char *const starts[5], guint i, Section *sec)
{
	sec->prefix = g_string_new(NULL);
	sec->suffix = g_string_new(NULL);
	return parse_section(starts[i], starts[i + 1] - 1, sec);
}

/*
 * Elapsed time S..END: [h], [m] or [s] (doubled or not), then :mm, :ss
 * for the smaller units; UNIT is the first one's seconds, PARTS how many.
 */
static gboolean
parse_elapsed(const char *s, const char *end, guint *unit, guint *parts)
{
	static const char units[] = "hms";
	static const guint secs[] = { 3600, 60, 1 };
	if (end - s < 3 || s[0] != '[')
		return FALSE;
	const char *u = strchr(units, g_ascii_tolower(s[1]));
	if (u == NULL || *u == '\0')
		return FALSE;
	const char *c = s + 2;
	if (c < end && g_ascii_tolower(*c) == *u)
		c++;
	if (c >= end || *c != ']')
		return FALSE;
	c++;
	guint k = (guint)(u - units);
	*unit = secs[k];
	*parts = 1;
	while (c < end) {
		k++;
		if (k > 2 || end - c < 3 || c[0] != ':' || g_ascii_tolower(c[1]) != units[k] ||
		    g_ascii_tolower(c[2]) != units[k])
			return FALSE;
		c += 3;
		(*parts)++;
	}
	return TRUE;
}

/* Elapsed time V (days) as [h]:mm:ss shows it: rounded to the second, the first unit unbounded. */
static char *
format_elapsed(const char *code, double v)
{
	guint unit, parts;
	if (!parse_elapsed(code, code + strlen(code), &unit, &parts) || !(v >= 0 && v < MAX_SERIAL))
		return NULL;
	guint64 secs = (guint64)(v * 86400 + 0.5);
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "%" G_GUINT64_FORMAT, secs / unit);
	secs %= unit;
	for (guint p = 1; p < parts; p++) {
		unit /= 60;
		g_string_append_printf(out, ":%02u", (guint)(secs / unit));
		secs %= unit;
	}
	return g_string_free(out, FALSE);
}

/* 0 when the first section of CODE shows no date, 1 a date or time, 2 elapsed time. */
static int
date_kind(const char *code)
{
	for (const char *c = code; *c != '\0' && *c != ';'; c++) {
		if (*c == '"') {
			while (c[1] != '\0' && c[1] != '"')
				c++;
			if (c[1] != '\0')
				c++;
		} else if ((*c == '\\' || *c == '_' || *c == '*') && c[1] != '\0') {
			c++;
		} else if (*c == '[') {
			if (c[1] != '\0' && strchr("hHmMsS", c[1]) != NULL)
				return 2;
			while (c[1] != '\0' && c[1] != ']')
				c++;
			if (c[1] != '\0')
				c++;
		} else if (strchr("dDmMyYhHsS", *c) != NULL) {
			return 1;
		}
	}
	return 0;
}

/* A section that a plain FIXED or PERCENT says as well: no text but one trailing %, no commas. */
static gboolean
plain(const Section *sec, guint n)
{
	return n == 1 && sec->prefix->len == 0 && !sec->thousands && sec->scale == 0 && sec->zero &&
	       (sec->percent == 0 ? sec->suffix->len == 0 : sec->percent == 1 && g_str_equal(sec->suffix->str, "%"));
}

static DpNumFmt
code_numfmt(const char *code)
{
	DpNumFmt f = { .kind = DP_NUMFMT_CODE };
	if (strlen(code) >= sizeof f.code)
		return (DpNumFmt){ .kind = DP_NUMFMT_RAW };
	memcpy(f.code, code, strlen(code) + 1);
	return f;
}

DpNumFmt
dp_numfmt_builtin(guint id)
{
	DpNumFmt f = { .kind = DP_NUMFMT_RAW };
	switch (id) {
	case 1: f.kind = DP_NUMFMT_FIXED; break;
	case 2:
		f.kind = DP_NUMFMT_FIXED;
		f.decimals = 2;
		break;
	case 3: return code_numfmt("#,##0");
	case 4: return code_numfmt("#,##0.00");
	case 9: f.kind = DP_NUMFMT_PERCENT; break;
	case 10:
		f.kind = DP_NUMFMT_PERCENT;
		f.decimals = 2;
		break;
	case 46: return code_numfmt("[h]:mm:ss");
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
	DpNumFmt f = { .kind = DP_NUMFMT_RAW };
	if (code == NULL || g_ascii_strcasecmp(code, "General") == 0)
		return f;
	int date = date_kind(code);
	if (date == 1) {
		f.kind = DP_NUMFMT_DATE;
		return f;
	}
	if (date == 2) {
		guint unit, parts;
		return parse_elapsed(code, code + strlen(code), &unit, &parts) ? code_numfmt(code) : f;
	}
	const char *starts[5];
	guint all = split_sections(code, starts), n = MIN(all, 3);
	gboolean ok = all > 0, simple = FALSE;
	guint decimals = 0, percent = 0;
	for (guint i = 0; i < n && ok; i++) {
		Section sec = { 0 };
		ok = section_at(starts, i, &sec) && (i > 0 || sec.digits);
		if (ok && i == 0) {
			simple = plain(&sec, all);
			decimals = sec.decimals;
			percent = sec.percent;
		}
		section_clear(&sec);
	}
	if (!ok)
		return f;
	if (!simple)
		return code_numfmt(code);
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

/* Commas between each three digits of the integer part of NUM (from its first digit). */
static void
group_thousands(GString *num)
{
	gsize start = num->str[0] == '-' ? 1 : 0;
	gsize end = start;
	while (end < num->len && g_ascii_isdigit(num->str[end]))
		end++;
	for (gsize at = end; at > start + 3; at -= 3)
		g_string_insert_c(num, (gssize)(at - 3), ',');
}

/*
 * V as the section SEC shows it; SIGNED when the section is the only
 * one, so that a negative number keeps its minus (before the text).
 */
static char *
format_section(const Section *sec, double v, gboolean sign)
{
	for (guint i = 0; i < sec->percent && i < 8; i++)
		v *= 100;
	for (guint i = 0; i < sec->scale && i < 8; i++)
		v /= 1000;
	if (sec->percent > 8 || sec->scale > 8)
		return NULL;
	GString *out = g_string_new(NULL);
	if (sec->digits) {
		g_autofree char *num = format_fixed(sign ? v : fabs(v), MIN(sec->decimals, DP_NUMFMT_MAX_DECIMALS), "");
		if (num == NULL) {
			g_string_free(out, TRUE);
			return NULL;
		}
		gboolean minus = num[0] == '-';
		const char *digits = num + minus;
		if (minus)
			g_string_append_c(out, '-');
		g_string_append(out, sec->prefix->str);
		gsize at = out->len;
		/* No 0 placeholder before the point: a zero integer part shows nothing. */
		if (!sec->zero && g_str_has_prefix(digits, "0"))
			digits++;
		g_string_append(out, digits);
		if (sec->thousands) {
			GString *tail = g_string_new(out->str + at);
			group_thousands(tail);
			g_string_truncate(out, at);
			g_string_append(out, tail->str);
			g_string_free(tail, TRUE);
		}
	} else {
		g_string_append(out, sec->prefix->str);
	}
	g_string_append(out, sec->suffix->str);
	return g_string_free(out, FALSE);
}

/*
 * V as CODE's sections show it: one section for every number (a
 * negative one with its minus), two for positive and zero; negative,
 * three for positive; negative; zero.  A negative or zero section
 * shows the number without its sign: the section's text says it.
 */
static char *
format_code(const char *code, double v)
{
	if (!isfinite(v))
		return NULL;
	if (date_kind(code) == 2)
		return format_elapsed(code, v);
	const char *starts[5];
	guint n = MIN(split_sections(code, starts), 3);
	if (n == 0)
		return NULL;
	guint i = v < 0 && n >= 2 ? 1 : v == 0 && n >= 3 ? 2 : 0;
	Section sec = { 0 };
	char *out = section_at(starts, i, &sec) ? format_section(&sec, v, n == 1) : NULL;
	section_clear(&sec);
	return out;
}

char *
dp_numfmt_format(DpNumFmt f, double v, gboolean date1904)
{
	switch (f.kind) {
	case DP_NUMFMT_DATE: return format_date(v, date1904);
	case DP_NUMFMT_PERCENT: return format_fixed(v * 100, f.decimals, "%");
	case DP_NUMFMT_FIXED: return format_fixed(v, f.decimals, "");
	case DP_NUMFMT_CODE: return memchr(f.code, '\0', sizeof f.code) ? format_code(f.code, v) : NULL;
	default: return NULL;
	}
}
