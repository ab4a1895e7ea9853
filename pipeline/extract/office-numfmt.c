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
 *	its sign, since their text ("(0.00)", "-0.00") says it.  The
 *	section is chosen by the value as stored: a negative number that
 *	rounds to zero shows in the negative section, "(0.00)", as in
 *	Excel; one section alone shows it as "0.00", not "-0.00" (Excel
 *	may keep that minus; the text wants the number).  Conditions
 *	([<100], [>=0], [=1], [<>0], on the first section and maybe the
 *	second) choose instead: the first section whose condition the
 *	number meets, else the third, else a second without a condition,
 *	else none (Excel fills the cell with #; the value stays as stored);
 *	a section that only numbers at or below zero reach ([<0], or the
 *	rest after [>=0]) drops the minus, as the negative section does.
 *	That rule for the minus is LibreOffice's reading of Excel's codes,
 *	not checked against Excel itself.
 *
 *	In a section, 0 and ? before the point set how many integer digits
 *	always show (0 pads with zeros, ? with spaces, # with nothing), 0
 *	and ? after it the decimals (rounded as Excel does: half away from
 *	zero over 15 significant digits; a trailing zero in a ? place is a
 *	space, so that the points line up), a comma between digits the
 *	thousands separator and each comma after the last digit a division
 *	by 1000, each % a percentage; quoted text, \x escapes, the
 *	characters Excel shows as they are ($ - + ( ) : space and the like,
 *	any non-ASCII one), _x (one space) and a currency tag's symbol
 *	([$EUR-407] shows EUR) stay before or after the number; *x fills
 *	and [Red] colours show nothing.  Separators are en-US (the C
 *	locale's point, a comma between thousands), not the workbook's
 *	locale: the text reads the same whatever wrote it.  A code with
 *	anything else in its first three sections (scientific notation,
 *	fractions, General, text between digits, # after the point: a
 *	varying number of decimals) keeps the value as stored, as do the
 *	locale-dependent built-in currencies.
 *
 *	A code is parsed once, when the reader builds its format table,
 *	into a DpNumFmt: its sections' numbers, conditions and literal
 *	text, compiled; each cell is then written from that without
 *	looking at the code again.  One helper, skip_literal(), knows the
 *	literals (quotes, escapes, _x, *x, brackets), for every walk over
 *	a code.
 *
 * SECURITY
 *	Format codes come from the file: they are walked forward only,
 *	every quote, escape and bracket bounded by the string's end; at
 *	most four sections; a code is kept (DP_NUMFMT_CODE) only up to
 *	DP_NUMFMT_MAX_CODE bytes, longer ones with text stay raw, so its
 *	literal text always fits the compiled form's; decimals are capped
 *	at DP_NUMFMT_MAX_DECIMALS, integer placeholders at 30, percentages
 *	and scalings at 8, a condition's number at 31 bytes.  Values out
 *	of range (NaN, infinities, 1e15 and more, dates past 9999, negative
 *	durations) keep their raw form.
 */
#include "extract/office-numfmt.h"

#include <math.h>
#include <string.h>

#include "util/banned.h"

/* The highest date serial Excel shows: 9999-12-31. */
#define MAX_SERIAL 2958466.0
/* The most digit placeholders before the point a section may have. */
#define MAX_INT_PLACES 30

/* A section as it is parsed: the compiled one, where its text goes, and the walk's state. */
typedef struct {
	DpNumSection *sec;
	DpNumFmt *f;
	guint *text_len; /* bytes of F's text used */
	guint index;     /* which section: conditions only in the first two */
	gboolean point, after;
	guint commas, places;
	int first_zero, first_pad; /* the first 0, and 0 or ?, before the point: -1 none */
} Parse;

/* The length of the UTF-8 character at C (at least 1, at most to END). */
static gsize
char_len(const char *c, const char *end)
{
	gsize n = 1;
	while (c + n < end && ((guchar)c[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/*
 * One past the literal token that starts at C (before END): a quoted
 * string "..." to its closing quote, an escape \x, a space _x or a fill
 * *x with its character, a bracket [...] to its ]; C + 1 for any other
 * character.  NULL for a quote or a bracket that never closes.  Every
 * walk over a code (the sections, the date test, the parser) skips its
 * literals with this one function, so all of them agree on where a
 * section ends.
 */
static const char *
skip_literal(const char *c, const char *end)
{
	char close = *c == '"' ? '"' : *c == '[' ? ']' : '\0';
	if (close != '\0') {
		const char *q = memchr(c + 1, close, (gsize)(end - c - 1));
		return q ? q + 1 : NULL;
	}
	if ((*c == '\\' || *c == '_' || *c == '*') && c + 1 < end)
		return c + 1 + char_len(c + 1, end);
	return c + 1;
}

/* Literal text: before the number, or after it; FALSE when the text does not fit. */
static gboolean
add_literal(Parse *ps, const char *text, gsize len)
{
	if (ps->sec->digits)
		ps->after = TRUE;
	if (len > sizeof ps->f->text - *ps->text_len)
		return FALSE;
	memcpy(ps->f->text + *ps->text_len, text, len);
	*ps->text_len += (guint)len;
	if (ps->sec->digits)
		ps->sec->suffix_len += (guint8)len;
	else
		ps->sec->prefix_len += (guint8)len;
	return TRUE;
}

/*
 * A condition [<100], [>=0], [=1], [<>0] as the bracket body BODY:
 * the first two sections may have one each.
 */
static gboolean
condition(Parse *ps, const char *body, gsize len)
{
	static const struct {
		const char *op;
		char code;
	} ops[] = { { "<=", 'l' }, { ">=", 'g' }, { "<>", 'n' }, { "<", '<' }, { ">", '>' }, { "=", '=' } };
	if (ps->index > 1 || ps->sec->cond != 0)
		return FALSE;
	for (gsize i = 0; i < G_N_ELEMENTS(ops); i++) {
		gsize n = strlen(ops[i].op);
		if (len <= n || strncmp(body, ops[i].op, n) != 0)
			continue;
		char num[32];
		if (len - n >= sizeof num)
			return FALSE;
		memcpy(num, body + n, len - n);
		num[len - n] = '\0';
		char *end;
		double b = g_ascii_strtod(num, &end);
		if (end == num || *end != '\0' || !isfinite(b))
			return FALSE;
		ps->sec->cond = (guint8)ops[i].code;
		ps->sec->bound = b;
		return TRUE;
	}
	return FALSE;
}

/*
 * A bracket [BODY] in a number section: a colour says nothing here, a
 * currency locale tag [$SYM-LCID] shows SYM, a condition chooses the
 * section; anything else is not understood.
 */
static gboolean
bracket(Parse *ps, const char *body, gsize len)
{
	static const char *const colours[] = { "Black", "Blue", "Cyan", "Green", "Magenta", "Red", "White", "Yellow" };
	if (len > 0 && body[0] == '$') {
		const char *dash = memchr(body, '-', len);
		return add_literal(ps, body + 1, (gsize)((dash ? dash : body + len) - body - 1));
	}
	if (len > 0 && strchr("<>=", body[0]) != NULL)
		return condition(ps, body, len);
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

/*
 * A digit placeholder 0, # or ?: integer digits (0 always shown, ?
 * shown as a space when there is no digit there), or decimals after the
 * point (0, or ? whose trailing zero is a space; # is not understood:
 * the number of decimals would vary).
 */
static gboolean
placeholder(Parse *ps, char c)
{
	DpNumSection *sec = ps->sec;
	if (ps->after)
		return FALSE; /* text between digits: a phone number, a fraction */
	if (ps->commas > 0) {
		if (ps->point)
			return FALSE;
		sec->thousands = TRUE;
		ps->commas = 0;
	}
	sec->digits = TRUE;
	if (ps->point) {
		if (c == '#')
			return FALSE;
		if (sec->decimals < DP_NUMFMT_MAX_DECIMALS) {
			if (c == '?')
				sec->dec_pad |= (guint16)(1u << sec->decimals);
			sec->decimals++;
		}
		return TRUE;
	}
	if (ps->places >= MAX_INT_PLACES)
		return FALSE;
	if (c == '0' && ps->first_zero < 0)
		ps->first_zero = (int)ps->places;
	if (c != '#' && ps->first_pad < 0)
		ps->first_pad = (int)ps->places;
	ps->places++;
	return TRUE;
}

/*
 * One number section S..END into PS; FALSE when it has anything not
 * understood (scientific notation, fractions, dates, text between
 * digits, @).  Each step moves forward: the walk is linear.
 */
static gboolean
parse_section(Parse *ps, const char *s, const char *end)
{
	for (const char *c = s; c < end;) {
		const char *next = skip_literal(c, end);
		gboolean ok = TRUE;
		if (next == NULL)
			return FALSE;
		if (*c == '"') {
			ok = add_literal(ps, c + 1, (gsize)(next - c - 2));
		} else if (*c == '\\' && next > c + 1) {
			ok = add_literal(ps, c + 1, (gsize)(next - c - 1));
		} else if ((*c == '_' || *c == '*') && next > c + 1) {
			/* A space as wide as the next character: one space; a fill: nothing. */
			if (*c == '_')
				ok = add_literal(ps, " ", 1);
		} else if (*c == '[') {
			ok = bracket(ps, c + 1, (gsize)(next - c - 2));
		} else if (*c == '0' || *c == '#' || *c == '?') {
			ok = placeholder(ps, *c);
		} else if (*c == '.') {
			ok = !ps->point && !ps->after && ps->commas == 0 && ps->sec->digits;
			ps->point = TRUE;
		} else if (*c == ',') {
			ok = ps->sec->digits && !ps->after;
			ps->commas++;
		} else if (*c == '%') {
			ps->sec->percent++;
			ok = ps->sec->percent <= 8 && add_literal(ps, "%", 1);
		} else if (strchr("$-+/():!^&'~{}<>= ", *c) != NULL || (guchar)*c >= 0x80) {
			next = c + char_len(c, end);
			ok = add_literal(ps, c, (gsize)(next - c));
		} else {
			ok = FALSE;
		}
		if (!ok)
			return FALSE;
		c = next;
	}
	ps->sec->scale = (guint8)MIN(ps->commas, 9);
	ps->sec->int_zeros = (guint8)(ps->first_zero < 0 ? 0 : ps->places - (guint)ps->first_zero);
	ps->sec->int_width = (guint8)(ps->first_pad < 0 ? 0 : ps->places - (guint)ps->first_pad);
	return ps->sec->scale <= 8;
}

/*
 * Where the sections of CODE (LEN bytes) start, split at ; outside
 * literals: how many, or 0 for more than 4 (not a format code).
 */
static guint
split_sections(const char *code, gsize len, const char *starts[5])
{
	const char *end = code + len;
	guint n = 1;
	starts[0] = code;
	for (const char *c = code; c < end;) {
		if (*c == ';') {
			if (n == 4)
				return 0;
			starts[n++] = c + 1;
		}
		const char *next = skip_literal(c, end);
		c = next ? next : end;
	}
	starts[n] = end + 1; /* one past each section's end, its ; */
	return n;
}

/*
 * Elapsed time S..END: [h], [m] or [s] (doubled or not), then :mm, :ss
 * for the smaller units; into F's UNIT (0 hours, 1 minutes, 2 seconds)
 * and N, how many parts.
 */
static gboolean
parse_elapsed(const char *s, const char *end, DpNumFmt *f)
{
	static const char units[] = "hms";
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
	f->unit = (guint8)k;
	f->n = 1;
	while (c < end) {
		k++;
		if (k > 2 || end - c < 3 || c[0] != ':' || g_ascii_tolower(c[1]) != units[k] ||
		    g_ascii_tolower(c[2]) != units[k])
			return FALSE;
		c += 3;
		f->n++;
	}
	f->kind = DP_NUMFMT_ELAPSED;
	return TRUE;
}

/* 0 when the first section of CODE (LEN bytes) shows no date, 1 a date or time, 2 elapsed time. */
static int
date_kind(const char *code, gsize len)
{
	const char *end = code + len;
	for (const char *c = code; c < end && *c != ';';) {
		if (*c == '[' && c + 1 < end && strchr("hHmMsS", c[1]) != NULL)
			return 2;
		if (strchr("dDmMyYhHsS", *c) != NULL)
			return 1;
		const char *next = skip_literal(c, end);
		c = next ? next : end;
	}
	return 0;
}

/* A section that a plain FIXED or PERCENT says as well: no text but one trailing %, no commas, one 0. */
static gboolean
plain(const DpNumFmt *f, guint n)
{
	const DpNumSection *sec = &f->sec[0];
	return n == 1 && sec->prefix_len == 0 && !sec->thousands && sec->scale == 0 && sec->int_zeros == 1 &&
	       sec->int_width == 1 && sec->dec_pad == 0 && sec->cond == 0 &&
	       (sec->percent == 0 ? sec->suffix_len == 0
	                          : sec->percent == 1 && sec->suffix_len == 1 && f->text[sec->text] == '%');
}

/*
 * The sections of CODE (LEN bytes) compiled into F: FALSE when one of
 * the first three is not understood, or the first shows no number.
 * ALL is how many sections the code has.
 */
static gboolean
compile_sections(const char *code, gsize len, DpNumFmt *f, guint *all)
{
	const char *starts[5];
	*all = split_sections(code, len, starts);
	if (*all == 0)
		return FALSE;
	f->n = (guint8)MIN(*all, 3);
	guint text_len = 0;
	for (guint i = 0; i < f->n; i++) {
		Parse ps = {
			.sec = &f->sec[i], .f = f, .text_len = &text_len, .index = i, .first_zero = -1, .first_pad = -1
		};
		f->sec[i].text = (guint8)text_len;
		if (!parse_section(&ps, starts[i], starts[i + 1] - 1) || (i == 0 && !f->sec[0].digits))
			return FALSE;
	}
	/* A condition on the second section alone is not one Excel writes. */
	return f->sec[0].cond != 0 || f->n < 2 || f->sec[1].cond == 0;
}

DpNumFmt
dp_numfmt_parse(const char *code)
{
	DpNumFmt f = { .kind = DP_NUMFMT_RAW };
	if (code == NULL || g_ascii_strcasecmp(code, "General") == 0)
		return f;
	gsize len = strlen(code);
	int date = date_kind(code, len);
	if (date == 1) {
		f.kind = DP_NUMFMT_DATE;
		return f;
	}
	if (date == 2) {
		if (len >= DP_NUMFMT_MAX_CODE || !parse_elapsed(code, code + len, &f))
			return (DpNumFmt){ .kind = DP_NUMFMT_RAW };
		return f;
	}
	guint all;
	if (!compile_sections(code, len, &f, &all))
		return (DpNumFmt){ .kind = DP_NUMFMT_RAW };
	if (plain(&f, all)) {
		guint decimals = f.sec[0].decimals;
		gboolean percent = f.sec[0].percent > 0;
		return (DpNumFmt){ .kind = percent ? DP_NUMFMT_PERCENT : DP_NUMFMT_FIXED,
			           .decimals = (guint8)decimals };
	}
	if (len >= DP_NUMFMT_MAX_CODE)
		return (DpNumFmt){ .kind = DP_NUMFMT_RAW };
	f.kind = DP_NUMFMT_CODE;
	return f;
}

/* The built-in formats, compiled once: ID -> what it shows. */
static const DpNumFmt *
builtins(void)
{
	static DpNumFmt table[64];
	static gsize done = 0;
	if (g_once_init_enter(&done)) {
		for (guint id = 0; id < G_N_ELEMENTS(table); id++) {
			DpNumFmt *f = &table[id];
			*f = (DpNumFmt){ .kind = DP_NUMFMT_RAW };
			switch (id) {
			case 1: f->kind = DP_NUMFMT_FIXED; break;
			case 2: *f = (DpNumFmt){ .kind = DP_NUMFMT_FIXED, .decimals = 2 }; break;
			case 3: *f = dp_numfmt_parse("#,##0"); break;
			case 4: *f = dp_numfmt_parse("#,##0.00"); break;
			case 9: f->kind = DP_NUMFMT_PERCENT; break;
			case 10: *f = (DpNumFmt){ .kind = DP_NUMFMT_PERCENT, .decimals = 2 }; break;
			case 46: *f = dp_numfmt_parse("[h]:mm:ss"); break;
			default:
				if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
					f->kind = DP_NUMFMT_DATE;
				break;
			}
		}
		g_once_init_leave(&done, 1);
	}
	return table;
}

const DpNumFmt *
dp_numfmt_builtin(guint id)
{
	static const DpNumFmt raw = { .kind = DP_NUMFMT_RAW };
	return id < 64 ? &builtins()[id] : &raw;
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

/* Elapsed time V (days) as [h]:mm:ss shows it: rounded to the second, the first unit unbounded. */
static char *
format_elapsed(const DpNumFmt *f, double v)
{
	static const guint secs[] = { 3600, 60, 1 };
	if (!(v >= 0 && v < MAX_SERIAL) || f->unit > 2)
		return NULL;
	guint unit = secs[f->unit];
	guint64 s = (guint64)(v * 86400 + 0.5);
	GString *out = g_string_new(NULL);
	g_string_append_printf(out, "%" G_GUINT64_FORMAT, s / unit);
	s %= unit;
	for (guint p = 1; p < f->n && unit > 1; p++) {
		unit /= 60;
		g_string_append_printf(out, ":%02u", (guint)(s / unit));
		s %= unit;
	}
	return g_string_free(out, FALSE);
}

/*
 * The integer digits DIGITS (N of them, none for a zero integer part)
 * into OUT as SEC shows them: spaces up to its leftmost ?, zeros up to
 * its leftmost 0, thousands separators between the digits.
 */
static void
put_integer(GString *out, const DpNumSection *sec, const char *digits, gsize n)
{
	gsize shown = MAX(n, (gsize)sec->int_zeros);
	for (gsize i = shown; i < sec->int_width; i++)
		g_string_append_c(out, ' ');
	for (gsize i = 0; i < shown; i++) {
		if (sec->thousands && i > 0 && (shown - i) % 3 == 0)
			g_string_append_c(out, ',');
		g_string_append_c(out, i < shown - n ? '0' : digits[i - (shown - n)]);
	}
}

/*
 * V as the section SEC (its text in F) shows it; SIGN: a negative
 * number keeps its minus (before the text), when the section is not
 * one for negative numbers alone.
 */
static char *
format_section(const DpNumFmt *f, const DpNumSection *sec, double v, gboolean sign)
{
	const char *prefix = f->text + sec->text, *suffix = prefix + sec->prefix_len;
	for (guint i = 0; i < sec->percent; i++)
		v *= 100;
	for (guint i = 0; i < sec->scale; i++)
		v /= 1000;
	GString *out = g_string_new(NULL);
	if (sec->digits) {
		g_autofree char *num = format_fixed(sign ? v : fabs(v), sec->decimals, "");
		if (num == NULL) {
			g_string_free(out, TRUE);
			return NULL;
		}
		gboolean minus = num[0] == '-';
		const char *digits = num + minus, *point = strchr(digits, '.');
		gsize n = point ? (gsize)(point - digits) : strlen(digits);
		if (minus)
			g_string_append_c(out, '-');
		g_string_append_len(out, prefix, sec->prefix_len);
		/* A zero integer part has no digits of its own: the placeholders say what shows. */
		put_integer(out, sec, digits, n == 1 && digits[0] == '0' ? 0 : n);
		if (point != NULL) {
			gsize at = out->len + 1;
			g_string_append(out, point);
			/* A trailing zero in a ? place is a space, so that the points line up. */
			for (int i = (int)sec->decimals - 1;
			     i >= 0 && out->str[at + i] == '0' && (sec->dec_pad >> i & 1); i--)
				out->str[at + i] = ' ';
		}
	} else {
		g_string_append_len(out, prefix, sec->prefix_len);
	}
	g_string_append_len(out, suffix, sec->suffix_len);
	return g_string_free(out, FALSE);
}

/* Does V meet the condition of SEC? */
static gboolean
meets(const DpNumSection *sec, double v)
{
	switch (sec->cond) {
	case '<': return v < sec->bound;
	case 'l': return v <= sec->bound;
	case '>': return v > sec->bound;
	case 'g': return v >= sec->bound;
	case '=': return v == sec->bound;
	case 'n': return v != sec->bound;
	default: return FALSE;
	}
}

/* Are the numbers that meet SEC's condition all zero or below? */
static gboolean
nonpositive(const DpNumSection *sec)
{
	return (sec->cond == '<' || sec->cond == 'l' || sec->cond == '=') && sec->bound <= 0;
}

/*
 * The section of F for V, with *SIGN whether it shows V's minus; -1 for
 * none.  Without conditions: one section for every number (a negative
 * one with its minus), two for positive and zero; negative, three for
 * positive; negative; zero; the negative and zero sections show the
 * number without its sign: their text says it.  With a condition on
 * the first section (and maybe the second): the first whose condition
 * V meets, else the third, else a second without a condition, else
 * none (Excel fills the cell with #); a section whose numbers are all
 * zero or below ([<0], or the rest after [>=0]) drops the minus.
 */
static int
choose_section(const DpNumFmt *f, double v, gboolean *sign)
{
	if (f->sec[0].cond == 0) {
		*sign = f->n == 1;
		return v < 0 && f->n >= 2 ? 1 : v == 0 && f->n >= 3 ? 2 : 0;
	}
	if (meets(&f->sec[0], v)) {
		*sign = !nonpositive(&f->sec[0]);
		return 0;
	}
	if (f->n >= 2 && f->sec[1].cond != 0 && meets(&f->sec[1], v)) {
		*sign = !nonpositive(&f->sec[1]);
		return 1;
	}
	if (f->n == 3) {
		*sign = TRUE;
		return 2;
	}
	if (f->n == 2 && f->sec[1].cond == 0) {
		/* The rest after [>=B] or [>B], B at most 0, are numbers below B: negative. */
		guint8 op = f->sec[0].cond;
		*sign = !((op == 'g' || op == '>') && f->sec[0].bound <= 0);
		return 1;
	}
	return -1;
}

/* V as F's sections show it. */
static char *
format_code(const DpNumFmt *f, double v)
{
	if (!isfinite(v) || f->n == 0 || f->n > 3)
		return NULL;
	gboolean sign = FALSE;
	int i = choose_section(f, v, &sign);
	return i < 0 ? NULL : format_section(f, &f->sec[i], v, sign);
}

char *
dp_numfmt_format(const DpNumFmt *f, double v, gboolean date1904)
{
	switch (f->kind) {
	case DP_NUMFMT_DATE: return format_date(v, date1904);
	case DP_NUMFMT_PERCENT: return format_fixed(v * 100, f->decimals, "%");
	case DP_NUMFMT_FIXED: return format_fixed(v, f->decimals, "");
	case DP_NUMFMT_CODE: return format_code(f, v);
	case DP_NUMFMT_ELAPSED: return format_elapsed(f, v);
	default: return NULL;
	}
}
