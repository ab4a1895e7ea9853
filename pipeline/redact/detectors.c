/*
 * detectors.c: the built-in detectors.
 *
 * A detector is a few Hyperscan expressions that find candidate regions in
 * the normalized view (all detectors and term lists share one database and
 * one scan) with a refine function, or, for the number-shaped ones, an
 * at_digit function called at the start of every run of digits; either
 * decides the exact extent and validates it: word boundaries, SSN ranges, the Luhn digit of a card, the
 * country length and mod-97 of an IBAN, the octets of an IPv4 address, the
 * inet_pton parse of an IPv6 address, the digit groups of a phone number.
 * With validation off ([redact] validate=false) only the shapes and the
 * boundaries are checked (used to measure recall of the shapes alone).
 */
#include "redact/internal.h"
#include "redact/phone.h"

#include <arpa/inet.h>
#include <hs/hs.h>
#include <string.h>

#include "util/banned.h"

/* ---- helpers -------------------------------------------------------------- */

/*
 * Is the character that starts at V+POS a letter or digit?  An underscore
 * is not: in file names it separates words ("202-555-0143_scan.pdf").
 */
static gboolean
alnum_at(const char *v, gsize vlen, gsize pos)
{
	if (pos >= vlen)
		return FALSE;
	guchar c = (guchar)v[pos];
	if (c < 0x80)
		return g_ascii_isalnum(c);
	gunichar ch = g_utf8_get_char_validated(v + pos, (gssize)(vlen - pos));
	return ch != (gunichar)-1 && ch != (gunichar)-2 && g_unichar_isalnum(ch);
}

/* Is the character that ends just before V+POS a letter or digit? */
static gboolean
alnum_before(const char *v, gsize vlen, gsize pos)
{
	if (pos == 0)
		return FALSE;
	if ((guchar)v[pos - 1] < 0x80)
		return g_ascii_isalnum(v[pos - 1]);
	const char *p = g_utf8_find_prev_char(v, v + pos);
	return p != NULL && alnum_at(v, vlen, (gsize)(p - v));
}

static inline gboolean
number_joiner(char c)
{
	return c == '-' || c == '.' || c == ',' || c == '/';
}

/*
 * A number must stand alone: no letter or digit touching it, and no
 * "-", "." or "," that continues it into another number ("1.2.3.4.5").
 */
static gboolean
number_bounded(const char *v, gsize vlen, gsize vs, gsize ve)
{
	if (alnum_before(v, vlen, vs) || alnum_at(v, vlen, ve))
		return FALSE;
	if (vs >= 2 && number_joiner(v[vs - 1]) && g_ascii_isdigit(v[vs - 2]))
		return FALSE;
	if (ve + 1 < vlen && number_joiner(v[ve]) && g_ascii_isdigit(v[ve + 1]))
		return FALSE;
	return TRUE;
}

/*
 * Is the number at VS labelled as a document identifier by the word just
 * before it ("ISSN 1361-4916", "Service Bulletin 737-31-1860", "Amendment
 * 39-19512", "Sfmt 4702 47699")?  Such numbers have the shapes of phone
 * numbers, SSNs and cards but are never personal data.  The list holds only
 * words that do not also introduce personal numbers ("No.", "number" do).
 */
static gboolean
identifier_context(const char *v, gsize vs)
{
	/* The word list reads as prose; the formatter would make it a grid. */
	/* clang-format off */
#define W(s) { s, sizeof s - 1 }
	static const struct {
		const char *w;
		gsize len;
	} words[] = {
		W("issn"), W("isbn"), W("doi"), W("arxiv"), W("jstor"), W("omb"), W("bulletin"), W("amendment"),
		W("docket"), W("doc"), W("sfmt"), W("fmt"), W("frm"), W("version"), W("ver"), W("rev"),
		W("revision"), W("patent"), W("invoice"), W("order"), W("serial"), W("model"), W("section"),
		W("sec"), W("vol"), W("volume"), W("pp"), W("pages"), W("page"), W("case"), W("ad"),
		W("identifier"), W("oid"),
	};
#undef W
	/* clang-format on */
	gsize p = vs, skipped = 0;
	/* Punctuation and spaces between the word and the number: "No.:", "ISSN: ". */
	while (p > 0 && skipped < 3 && (v[p - 1] == ' ' || v[p - 1] == ':' || v[p - 1] == '#' || v[p - 1] == '.')) {
		p--;
		skipped++;
	}
	if (p == 0 || !g_ascii_isalpha(v[p - 1]))
		return FALSE; /* the usual case: no word there */
	gsize e = p;
	while (p > 0 && e - p < 12 && g_ascii_isalpha(v[p - 1]))
		p--;
	if (e - p >= 12 || (p > 0 && g_ascii_isalnum(v[p - 1])))
		return FALSE;
	/*
	 * Most words before a number are none of these: the first letters of
	 * the list's words of each length turn them away without the list.
	 */
	static guint32 first[12];
	static gsize done;
	if (g_once_init_enter(&done)) {
		for (guint i = 0; i < G_N_ELEMENTS(words); i++)
			first[words[i].len] |= 1u << (words[i].w[0] - 'a');
		g_once_init_leave(&done, 1);
	}
	if (!((first[e - p] >> (g_ascii_tolower(v[p]) - 'a')) & 1))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		if (words[i].len == e - p && g_ascii_tolower(v[p]) == words[i].w[0] &&
		    g_ascii_strncasecmp(v + p, words[i].w, e - p) == 0)
			return TRUE;
	return FALSE;
}

/* ---- email ---------------------------------------------------------------- */

/* The trigger: an '@' between a local-part character and a domain one. */
static const DpPattern email_pats[] = { { "[a-z0-9_%+-]@[a-z0-9]", 3 }, { NULL, 0 } };

static gboolean
local_char(char c)
{
	return g_ascii_isalnum(c) || strchr("._%+-", c) != NULL;
}

static void
email_refine(const char *v, gsize vlen, gsize vs, gsize ve, gboolean validate, DpCands *c)
{
	gsize at = vs + 1;
	/* The local part, leftwards; the domain labels, rightwards. */
	gsize s = at;
	while (s > 0 && at - s < 256 && local_char(v[s - 1]) && v[s - 1] != '\0')
		s--;
	while (s < at && v[s] == '.')
		s++;
	if (s == at || alnum_before(v, vlen, s))
		return;
	gsize ends[128];
	guint nl = 0;
	gsize p = at + 1;
	while (nl < G_N_ELEMENTS(ends)) {
		gsize q = p;
		while (p < vlen && (g_ascii_isalnum(v[p]) || v[p] == '-'))
			p++;
		if (p == q || v[q] == '-' || v[p - 1] == '-')
			break;
		ends[nl++] = p;
		if (p + 1 < vlen && v[p] == '.' && g_ascii_isalnum(v[p + 1])) {
			p++;
			continue;
		}
		break;
	}
	/* The top-level label is 2 to 24 letters; drop trailing labels that are not. */
	while (nl >= 2) {
		gsize e = ends[nl - 1], b = ends[nl - 2] + 1, k;
		for (k = b; k < e && g_ascii_isalpha(v[k]); k++)
			;
		if (k == e && e - b >= 2 && e - b <= 24)
			break;
		nl--;
	}
	if (nl < 2)
		return;
	gsize end = ends[nl - 1];
	if (alnum_at(v, vlen, end))
		return;
	if (validate) {
		if (at - s > 64 || end - s > 254 || v[at - 1] == '.')
			return;
		for (gsize k = s; k + 1 < at; k++)
			if (v[k] == '.' && v[k + 1] == '.')
				return;
	}
	dp_cands_add(c, s, end);
}

/* ---- US social security numbers ------------------------------------------ */

/*
 * Every number-shaped detector (SSN, card, IBAN, IPv4, phone) starts from
 * the first digit of a run of digits (its at_digit function): the runs are
 * found once per text for all of them (dp_view_digit_runs).
 */
static const DpPattern no_pats[] = { { NULL, 0 } };

gboolean
dp_ssn_ok(const char *area, const char *group, const char *serial)
{
	int a = (area[0] - '0') * 100 + (area[1] - '0') * 10 + (area[2] - '0');
	if (a == 0 || a == 666 || a >= 900)
		return FALSE;
	if (group[0] == '0' && group[1] == '0')
		return FALSE;
	return !(serial[0] == '0' && serial[1] == '0' && serial[2] == '0' && serial[3] == '0');
}

static gboolean
ssn_shape(const char *v, gsize vlen, gsize d)
{
	if (d + 11 > vlen)
		return FALSE;
	static const char shape[] = "ddd-dd-dddd";
	char sep = v[d + 3];
	if (sep != '-' && sep != ' ')
		return FALSE;
	for (guint i = 0; i < 11; i++)
		if (shape[i] == 'd' ? !g_ascii_isdigit(v[d + i]) : v[d + i] != sep)
			return FALSE;
	return TRUE;
}

/* "123-45-6789" or "123 45 6789", standing alone. */
static void
ssn_at(const char *v, gsize vlen, gsize vs, gboolean validate, DpCands *c)
{
	if (!ssn_shape(v, vlen, vs))
		return;
	gsize ve = vs + 11;
	if (!number_bounded(v, vlen, vs, ve))
		return;
	if (validate && (!dp_ssn_ok(v + vs, v + vs + 4, v + vs + 7) || identifier_context(v, vs)))
		return;
	dp_cands_add(c, vs, ve);
}

/* ---- payment cards -------------------------------------------------------- */

gboolean
dp_luhn_ok(const char *d, gsize n)
{
	guint sum = 0;
	for (gsize i = 0; i < n; i++) {
		guint x = (guint)(d[n - 1 - i] - '0');
		if (i % 2 == 1) {
			x *= 2;
			if (x > 9)
				x -= 9;
		}
		sum += x;
	}
	return n > 0 && sum % 10 == 0;
}

/*
 * Printed cards group their digits in fours (the last group shorter), or
 * 4-6-5 (American Express) and 4-6-4 (Diners): columns of a table
 * ("550 560 570 580 590 600") that happen to pass Luhn are not cards.
 */
static gboolean
card_layout(const guint8 *glen, guint ng)
{
	if (ng == 1)
		return TRUE;
	if (ng == 3 && glen[0] == 4 && glen[1] == 6 && (glen[2] == 5 || glen[2] == 4))
		return TRUE;
	for (guint g = 0; g + 1 < ng; g++)
		if (glen[g] != 4)
			return FALSE;
	return glen[ng - 1] >= 1 && glen[ng - 1] <= 4;
}

static void
card_at(const char *v, gsize vlen, gsize vs, gboolean validate, DpCands *c)
{
	/* Validated, a number must start with 2 to 6 (below): most runs of digits end here. */
	if (validate && (v[vs] < '2' || v[vs] > '6'))
		return;
	/* Up to 19 digits with one kind of separator: "4111 1111-1111" is not one number. */
	char digits[20];
	gsize n = 0, group = 0, end = vs;
	guint8 glen[20];
	guint ng = 0;
	char sep = 0;
	for (gsize p = vs; p < vlen; p++) {
		if (g_ascii_isdigit(v[p])) {
			if (n == 19)
				return; /* a longer run of digits */
			digits[n++] = v[p];
			group++;
			end = p + 1;
			continue;
		}
		if ((v[p] != ' ' && v[p] != '-') || p + 1 >= vlen || !g_ascii_isdigit(v[p + 1]))
			break;
		if (sep == 0)
			sep = v[p];
		if (v[p] != sep)
			break;
		glen[ng++] = (guint8)group;
		group = 0;
	}
	glen[ng++] = (guint8)group;
	if (n < 13 || !number_bounded(v, vlen, vs, end))
		return;
	if (validate) {
		/* Issuer ranges start with 2 to 6. */
		if (digits[0] < '2' || digits[0] > '6' || !card_layout(glen, ng) || identifier_context(v, vs))
			return;
		if (!dp_luhn_ok(digits, n))
			return;
	}
	dp_cands_add(c, vs, end);
}

/* ---- IBAN ---------------------------------------------------------------- */

/* Lengths from the SWIFT IBAN registry. */
static const struct {
	char cc[3];
	guint8 len;
} iban_lengths[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 }, { "BE", 16 }, { "BG", 22 },
	{ "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 },
	{ "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 }, { "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 },
	{ "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 },
	{ "GT", 28 }, { "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 },
	{ "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
	{ "LV", 21 }, { "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MN", 20 }, { "MR", 27 },
	{ "MT", 31 }, { "MU", 30 }, { "NI", 28 }, { "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 },
	{ "PS", 29 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 }, { "SA", 24 }, { "SC", 31 },
	{ "SD", 18 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "SO", 23 }, { "ST", 25 }, { "SV", 28 },
	{ "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};

int
dp_iban_length(const char *cc)
{
	/* Upper case once, not at every entry (g_ascii_toupper is a call, not a macro). */
	char a = g_ascii_islower(cc[0]) ? (char)(cc[0] - 'a' + 'A') : cc[0];
	char b = g_ascii_islower(cc[1]) ? (char)(cc[1] - 'a' + 'A') : cc[1];
	for (guint i = 0; i < G_N_ELEMENTS(iban_lengths); i++)
		if (a == iban_lengths[i].cc[0] && b == iban_lengths[i].cc[1])
			return iban_lengths[i].len;
	return 0;
}

gboolean
dp_iban_ok(const char *s, gsize n)
{
	if (n < 15 || n > 34 || dp_iban_length(s) != (int)n)
		return FALSE;
	/* Move the first four characters to the end; letters count 10..35. */
	guint rem = 0;
	for (gsize k = 0; k < n; k++) {
		char ch = s[(k + 4) % n];
		if (g_ascii_islower(ch))
			ch = (char)(ch - 'a' + 'A');
		if (g_ascii_isdigit(ch))
			rem = (rem * 10 + (guint)(ch - '0')) % 97;
		else if (ch >= 'A' && ch <= 'Z')
			rem = (rem * 100 + (guint)(ch - 'A' + 10)) % 97;
		else
			return FALSE;
	}
	return rem == 1;
}

/* At the check digits: two letters before them, two digits, then the rest. */
static void
iban_at(const char *v, gsize vlen, gsize d, gboolean validate, DpCands *c)
{
	if (d < 2 || d + 1 >= vlen || !g_ascii_isalpha(v[d - 2]) || !g_ascii_isalpha(v[d - 1]) ||
	    !g_ascii_isdigit(v[d + 1]))
		return;
	gsize vs = d - 2;
	if (alnum_before(v, vlen, vs))
		return;
	/* Take exactly the country's length, in groups of four when spaced. */
	int want = dp_iban_length(v + vs);
	char buf[40];
	gsize n = 0, end = vs;
	gboolean spaced = FALSE;
	for (gsize p = vs; p < vlen && n < 34; p++) {
		if (v[p] == ' ') {
			if (n % 4 != 0 || p + 1 >= vlen || !g_ascii_isalnum(v[p + 1]))
				break;
			spaced = TRUE;
			continue;
		}
		if (!g_ascii_isalnum(v[p]))
			break;
		buf[n++] = v[p];
		end = p + 1;
		if (want > 0 && (int)n == want)
			break;
	}
	(void)spaced;
	if (alnum_at(v, vlen, end))
		return;
	if (want == 0 ? validate || n < 15 : (int)n != want)
		return;
	if (validate && !dp_iban_ok(buf, n))
		return;
	dp_cands_add(c, vs, end);
}

/* ---- IP addresses ----------------------------------------------------------- */

/* IPv4 starts like any number; IPv6 is found by a colon between hex digits. */
static const DpPattern ip_pats[] = { { "[0-9a-f]:[0-9a-f:]", 3 }, { NULL, 0 } };

static void
ipv4_at(const char *v, gsize vlen, gsize vs, gboolean validate, DpCands *c)
{
	/* Four groups of one to three digits, with dots. */
	gsize p = vs;
	guint oct = 0;
	for (guint g = 0; g < 4; g++) {
		gsize ds = p;
		guint x = 0;
		while (p < vlen && g_ascii_isdigit(v[p]) && p - ds < 4)
			x = x * 10 + (guint)(v[p++] - '0');
		gsize nd = p - ds;
		if (nd == 0 || nd > 3)
			return;
		if (validate && (x > 255 || (nd > 1 && v[ds] == '0')))
			return; /* "01.02.2003" is a date, not an address */
		oct++;
		if (g < 3) {
			if (p + 1 >= vlen || v[p] != '.' || !g_ascii_isdigit(v[p + 1]))
				return;
			p++;
		}
	}
	if (!number_bounded(v, vlen, vs, p))
		return;
	/*
	 * A version (the "-- 1.6.3.3" that ends a patch mail from git) or an
	 * object identifier ("object identifier 2.5.29.15") is not an address.
	 */
	gboolean git_sig = p - vs == 7 && vs >= 3 && v[vs - 1] == ' ' && v[vs - 2] == '-' && v[vs - 3] == '-';
	if (validate && (git_sig || identifier_context(v, vs)))
		return;
	dp_cands_add(c, vs, p);
}

static void
ipv6_refine(const char *v, gsize vlen, gsize vs, gsize ve, gboolean validate, DpCands *c)
{
	/* The whole run of hex digits, colons and dots around the trigger. */
	if (vs < dp_cands_horizon(c))
		return;
	while (vs > 0 && (g_ascii_isxdigit(v[vs - 1]) || v[vs - 1] == ':') && ve - vs < 64)
		vs--;
	while (ve < vlen && (g_ascii_isxdigit(v[ve]) || v[ve] == ':' || v[ve] == '.') && ve - vs < 64)
		ve++;
	dp_cands_set_horizon(c, ve);
	while (ve > vs && v[ve - 1] == '.')
		ve--;
	/* Hex digits or colons touching it make it something else. */
	if (vs > 0 && (g_ascii_isxdigit(v[vs - 1]) || v[vs - 1] == ':' || alnum_before(v, vlen, vs)))
		return;
	if (alnum_at(v, vlen, ve) || (ve < vlen && v[ve] == ':'))
		return;
	if (ve - vs < 6 || ve - vs > 45)
		return;
	char buf[64];
	memcpy(buf, v + vs, ve - vs);
	buf[ve - vs] = '\0';
	guint colons = 0, hex = 0;
	for (gsize i = 0; buf[i]; i++) {
		colons += buf[i] == ':';
		hex += g_ascii_isxdigit(buf[i]) != 0;
	}
	if (colons < 2 || hex < 3)
		return;
	if (validate) {
		struct in6_addr a;
		if (inet_pton(AF_INET6, buf, &a) != 1)
			return;
	} else if (strstr(buf, "::") == NULL && colons < 7) {
		return;
	}
	dp_cands_add(c, vs, ve);
}

/* ---- phone numbers ---------------------------------------------------------- */

/*
 * The trigger: the first digit of a run; the number starts there or at a
 * "+" or "(" just before it.  The parser below reads the whole number from
 * there and decides.
 */

#define PHONE_MAX_GROUPS 8

typedef struct {
	gsize end;    /* end of the number (extension included) */
	guint digits; /* digits, extension and "(0)" excluded */
	guint ngroups;
	guint8 len[PHONE_MAX_GROUPS];
	char sep[PHONE_MAX_GROUPS]; /* separator before group i ('(' for a parenthesized one) */
	gboolean plus, trunk0, changed;
	gsize gstart[PHONE_MAX_GROUPS];
} Phone;

/* Parse a phone number at V+P, at most up to VE. */
static gboolean
phone_parse(const char *v, gsize ve, gsize p, Phone *ph)
{
	/* Only the counters: the arrays are written before they are read. */
	ph->end = 0;
	ph->digits = ph->ngroups = 0;
	ph->plus = ph->trunk0 = ph->changed = FALSE;
	char plain_sep = 0;
	gboolean switched = FALSE;
	if (p < ve && v[p] == '+') {
		ph->plus = TRUE;
		p++;
	}
	while (ph->ngroups < PHONE_MAX_GROUPS && p < ve) {
		gboolean paren = FALSE;
		gsize q = p;
		if (v[q] == '(') {
			paren = TRUE;
			q++;
		}
		gsize ds = q;
		while (q < ve && g_ascii_isdigit(v[q]))
			q++;
		gsize nd = q - ds;
		if (nd == 0 || nd > 15 || (paren && (q >= ve || v[q] != ')')))
			break;
		if (paren) {
			q++;
			/* "+41 (0)38": the trunk prefix is not dialled from abroad. */
			if (nd == 1 && v[ds] == '0' && ph->plus) {
				ph->trunk0 = TRUE;
				nd = 0;
			}
		}
		if (nd > 0) {
			guint g = ph->ngroups++;
			ph->len[g] = (guint8)nd;
			ph->gstart[g] = ds;
			ph->sep[g] = paren ? '(' : (g == 0 ? 0 : ph->sep[g]);
			ph->digits += (guint)nd;
		}
		ph->end = q;
		p = q;
		/* A separator, then another group. */
		if (p < ve && (v[p] == ' ' || v[p] == '-' || v[p] == '.') && p + 1 < ve &&
		    (g_ascii_isdigit(v[p + 1]) || v[p + 1] == '(')) {
			char s = v[p];
			gboolean loose = paren || (ph->ngroups == 1 && ph->plus) || v[p + 1] == '(';
			if (!loose) {
				if (plain_sep == 0)
					plain_sep = s;
				else if (ph->plus && !switched && plain_sep == ' ' && s == '-') {
					/* "+7 495 123-45-67": spaces, then dashes. */
					plain_sep = s;
					switched = TRUE;
				} else if (plain_sep != s) {
					ph->changed = TRUE;
					break;
				}
			}
			if (ph->ngroups < PHONE_MAX_GROUPS)
				ph->sep[ph->ngroups] = s;
			p++;
			continue;
		}
		if (p < ve && (v[p] == '(' || (paren && g_ascii_isdigit(v[p])))) {
			if (ph->ngroups < PHONE_MAX_GROUPS)
				ph->sep[ph->ngroups] = ')';
			continue;
		}
		break;
	}
	if (ph->ngroups == 0)
		return FALSE;
	/* An extension: "x123", " ext. 12", "extension 4". */
	gsize q = ph->end;
	if (q < ve && v[q] == ' ')
		q++;
	static const char *const ext[] = { "extension", "ext.", "ext", "x" };
	gboolean maybe_ext = q < ve && ((v[q] | 0x20) == 'e' || (v[q] | 0x20) == 'x');
	for (guint i = 0; maybe_ext && i < G_N_ELEMENTS(ext); i++) {
		gsize n = strlen(ext[i]);
		if (q + n <= ve && g_ascii_strncasecmp(v + q, ext[i], n) == 0) {
			gsize r = q + n;
			if (r < ve && v[r] == ' ')
				r++;
			gsize ds = r;
			while (r < ve && g_ascii_isdigit(v[r]) && r - ds < 6)
				r++;
			if (r > ds)
				ph->end = r;
			break;
		}
	}
	return TRUE;
}

static gboolean
is_year(const char *v, gsize p)
{
	return (v[p] == '1' && v[p + 1] == '9') || (v[p] == '2' && v[p + 1] == '0');
}

/* Does the parsed number look like a phone number rather than some other figure? */
static gboolean
phone_plausible(const char *v, const Phone *ph, gboolean validate)
{
	if (ph->digits < 7 || ph->digits > 15)
		return FALSE;
	if (!validate)
		return TRUE;
	guint n = ph->ngroups;
	if (n == 1) {
		/* One run of digits: international with "+", or ten NANP digits. */
		if (ph->plus)
			return ph->digits >= 8;
		const char *d = v + ph->gstart[0];
		if (ph->digits == 10)
			return d[0] >= '2' && d[0] <= '9';
		if (ph->digits == 11)
			return d[0] == '1' && d[1] >= '2';
		return FALSE;
	}
	for (guint g = 0; g < n; g++) {
		/* Single digits only as "+33 1 ..." or a NANP "1-800-...". */
		if (ph->len[g] == 1 && !(g == 0 && (ph->plus || v[ph->gstart[0]] == '1')) && !(g == 1 && ph->plus))
			return FALSE;
		if (ph->len[g] > 5 && !(g == 0 && ph->plus) && !(g == n - 1 && ph->len[g] <= 8) &&
		    !(g == 0 && ph->len[g] <= 7))
			return FALSE;
	}
	/*
	 * A parenthesized group is an area code: never last ("537 U.S. 186
	 * (2003)"), never a year ("48 (1960) 398-407").
	 */
	if (ph->sep[n - 1] == '(')
		return FALSE;
	for (guint g = 0; g < n; g++)
		if (ph->sep[g] == '(' && ph->len[g] == 4 && is_year(v, ph->gstart[g]))
			return FALSE;
	gboolean paren = FALSE;
	for (guint g = 0; g < n; g++)
		paren = paren || ph->sep[g] == '(';
	/*
	 * Two groups joined by "-" or "." without "+" or an area code in
	 * parentheses: a NANP local number (555-0143) or a national number with
	 * its trunk 0 (030-901820); not a ZIP+4 (90740-5600), an ISSN or a page
	 * range (1412-1427), a docket number (39-19512), a decimal (2003.316).
	 * With a space, national forms stay ("9472 7916", "99 668472").
	 */
	if (n == 2 && !ph->plus && !paren && ph->sep[1] != ' ' && !(ph->len[0] == 3 && ph->len[1] == 4) &&
	    !(v[ph->gstart[0]] == '0' && ph->len[0] >= 3))
		return FALSE;
	/* Dates with any separator: "2009 11 12", "Mar 10 2006 13:40". */
	if (n == 3 && !ph->plus) {
		for (guint g = 0; g < 3; g++)
			if (ph->len[g] == 4 && is_year(v, ph->gstart[g]) && ph->len[(g + 1) % 3] <= 2 &&
			    ph->len[(g + 2) % 3] <= 2)
				return FALSE;
	}
	char s = ph->sep[n - 1];
	/* Dates: 2021-03-04, 04.03.2021. */
	if (n == 3 && !ph->plus && s != ' ') {
		if (ph->len[0] == 4 && ph->len[1] == 2 && ph->len[2] == 2 && is_year(v, ph->gstart[0]))
			return FALSE;
		if (ph->len[0] == 2 && ph->len[1] == 2 && ph->len[2] == 4 && is_year(v, ph->gstart[2]))
			return FALSE;
	}
	/* Two years: "1999 2000". */
	if (n == 2 && ph->len[0] == 4 && ph->len[1] == 4 && is_year(v, ph->gstart[0]) && is_year(v, ph->gstart[1]))
		return FALSE;
	/* An SSN shape or an IPv4 address belongs to those detectors. */
	if (n == 3 && s == '-' && ph->len[0] == 3 && ph->len[1] == 2 && ph->len[2] == 4 && !ph->plus)
		return FALSE;
	if (n == 4 && s == '.' && !ph->plus && ph->len[0] <= 3 && ph->len[1] <= 3 && ph->len[2] <= 3 && ph->len[3] <= 3)
		return FALSE;
	/* Thousands: 12.345.678 */
	if (s == '.' && !ph->plus && ph->len[0] <= 3) {
		gboolean all3 = TRUE;
		for (guint g = 1; g < n; g++)
			all3 = all3 && ph->len[g] == 3;
		if (all3)
			return FALSE;
	}
	return TRUE;
}

/*
 * Numbers of other plans ([redact] phone-regions, redact/phone.c): the
 * stretches of a region the parse above left alone go to libphonenumber,
 * under the same boundary and identifier rules as the numbers found here.
 */
typedef struct {
	const char *v;
	gsize vlen;
	DpCands *c;
} PhoneSink;

static gboolean
phone_lib_bounded(void *ctx, gsize s, gsize e)
{
	const PhoneSink *k = ctx;
	const char *v = k->v;
	if (!number_bounded(v, k->vlen, s, e) || identifier_context(v, s) || dp_cands_crosses_line(k->c, s, e))
		return FALSE;
	/* Part of an identifier: "F-06-10446904", "#0612345678", "REF/030 901820". */
	if (s >= 2 && (v[s - 1] == '-' || v[s - 1] == '/') && alnum_before(v, k->vlen, s - 1))
		return FALSE;
	return !(s >= 1 && v[s - 1] == '#') && !(s >= 2 && v[s - 1] == ' ' && v[s - 2] == '#');
}

static void
phone_lib_add(void *ctx, gsize s, gsize e)
{
	const PhoneSink *k = ctx;
	dp_cands_add(k->c, s, e);
}

/* Hand [VS, VE) of the view, a stretch no number was found in, to libphonenumber. */
static void
phone_lib_gap(const DpPhone *lib, const char *v, gsize vlen, gsize vs, gsize ve, DpCands *c)
{
	PhoneSink k = { v, vlen, c };
	const DpPhoneSink sink = { phone_lib_bounded, phone_lib_add, &k };
	while (vs < ve) {
		gsize next = dp_phone_scan(lib, v, vlen, vs, ve, &sink);
		if (next <= vs)
			break;
		vs = next;
	}
}

/* Groups of three after the first, as thousands are written: "1 234 567 EUR". */
static gboolean
thousands(const Phone *ph)
{
	if (ph->plus || ph->ngroups < 2 || ph->len[0] > 3)
		return FALSE;
	for (guint g = 1; g < ph->ngroups; g++)
		if (ph->len[g] != 3 || (ph->sep[g] != ' ' && ph->sep[g] != '.'))
			return FALSE;
	return TRUE;
}

/* The characters a phone number region is made of, besides digits. */
static const guint8 phone_char[256] = {
	[' '] = 1, ['.'] = 1, ['-'] = 1, ['('] = 1, [')'] = 1, ['+'] = 1, ['x'] = 1, ['X'] = 1, ['e'] = 1, ['t'] = 1,
};

/*
 * The numbers of the region [VS, VE) of the view: the costly part of
 * phone_at(), kept apart so that the usual short run of digits, which
 * never gets here, does not pay for its frame.
 */
static G_GNUC_NO_INLINE void
phone_region(const char *v, gsize vlen, gsize vs, gsize ve, gboolean validate, const DpPhone *lib, DpCands *c)
{
	/*
	 * A parse reads only digits and the separators of the region, so one
	 * starting at S has at most the digits left in [S, VE) (unless the
	 * region was cut at its maximum length): once those are fewer than 7,
	 * or no more than the best parse's, no later start can win.
	 */
	gboolean whole = ve - vs < 96;
	gsize pos = vs;
	while (pos < ve) {
		Phone best = { 0 };
		gsize best_start = 0;
		gboolean found = FALSE;
		guint left = 0;
		for (gsize s = pos; s < ve; s++)
			left += g_ascii_isdigit(v[s]) != 0;
		for (gsize s = pos; s < ve; s++) {
			if (whole && (left < 7 || (found && left <= best.digits)))
				break;
			left -= g_ascii_isdigit(v[s]) != 0;
			gboolean start_ok =
			    (v[s] == '+' || v[s] == '(' || g_ascii_isdigit(v[s])) &&
			    (s == pos || !(g_ascii_isdigit(v[s - 1]) || v[s - 1] == '+' || v[s - 1] == '('));
			if (!start_ok)
				continue;
			Phone ph;
			if (!phone_parse(v, vlen, s, &ph))
				continue;
			if (!phone_plausible(v, &ph, validate) || !number_bounded(v, vlen, s, ph.end))
				continue;
			if (validate &&
			    (identifier_context(v, s) || (thousands(&ph) && dp_phone_is_amount(v, vlen, s, ph.end))))
				continue;
			/* Part of an identifier: "F-2016-07895", "REF/202-555-0143". */
			if (s >= 2 && (v[s - 1] == '-' || v[s - 1] == '/') && alnum_before(v, vlen, s - 1))
				continue;
			/* The tail of a longer run of groups ("4111 1111 1111 1112"). */
			if (s >= 2 && strchr(" .-", v[s - 1]) && g_ascii_isdigit(v[s - 2]) &&
			    (ph.ngroups == 1 || ph.sep[1] == v[s - 1]))
				continue;
			if (v[s] != '+' && v[s] != '(' && s > 0 && (v[s - 1] == '+' || v[s - 1] == '('))
				continue;
			if (!found || ph.digits > best.digits) {
				best = ph;
				best_start = s;
				found = TRUE;
			}
		}
		if (lib != NULL)
			phone_lib_gap(lib, v, vlen, pos, found ? best_start : ve, c);
		if (!found)
			return;
		dp_cands_add(c, best_start, best.end);
		pos = best.end;
	}
}

/*
 * May an extension word that phone_parse() reads go on past the end VE of
 * a region?  Only "extension" has letters a region stops at: it would
 * have to start in the last few bytes of the region ("exte|nsion") or
 * right at its end ("E|XT").
 */
static gboolean
extension_after(const char *v, gsize vlen, gsize ve)
{
	static const char word[] = "extension";
	if (ve >= vlen)
		return FALSE;
	/* (c | 0x20) is c's lower case for a letter, and no lower-case letter for anything else. */
	for (gsize k = 0; k < sizeof word - 2 && k <= ve; k++) {
		gsize i = 0;
		while (i <= k && (v[ve - k + i] | 0x20) == word[i])
			i++;
		if (i > k)
			return TRUE;
	}
	return FALSE;
}

static void
phone_at(const char *v, gsize vlen, gsize d, gboolean validate, DpCands *c)
{
	/*
	 * The region may hold a number with a neighbour ("ID12 202-555-0143",
	 * "1999 202-555-0143"): try every group start, keep the parse with the
	 * most digits, then go on after it.
	 */
	gsize vs = d;
	if (d > 0 && (v[d - 1] == '+' || v[d - 1] == '(')) {
		/* "+1 ...", "(202) ...", but not "5(2" nor "(+1": no number starts there. */
		if (d >= 2 && (g_ascii_isdigit(v[d - 2]) || v[d - 2] == '+' || v[d - 2] == '('))
			return;
		vs = d - 1;
	}
	if (vs < dp_cands_horizon(c))
		return;
	/* The region: the run of characters a phone number is made of. */
	gsize ve = vs;
	guint ndig = 0;
	while (ve < vlen && ve - vs < 96) {
		char ch = v[ve];
		if (g_ascii_isdigit(ch))
			ndig++;
		else if (!phone_char[(guchar)ch])
			break;
		ve++;
	}
	/*
	 * With other plans configured, a region goes on over a "/" between
	 * digits: "030/901820" is the German way to write an area code.
	 */
	const DpPhone *lib = validate ? dp_cands_phone(c) : NULL;
	while (lib != NULL && ve + 1 < vlen && v[ve] == '/' && g_ascii_isdigit(v[ve + 1]) && ve - vs < 96) {
		for (ve++; ve < vlen && ve - vs < 96 && (g_ascii_isdigit(v[ve]) || phone_char[(guchar)v[ve]]); ve++)
			ndig += g_ascii_isdigit(v[ve]) != 0;
	}
	dp_cands_set_horizon(c, ve);
	/*
	 * Every number a parse finds lies inside the region (unless the region
	 * was cut at its maximum length): fewer than 7 digits there, no phone.
	 */
	if (ndig < 7 && ve - vs < 96)
		return;
	/*
	 * An SSN, card, IBAN or IPv4 address found at this run hides every
	 * number a parse could find in the region when the region has no digit
	 * and no ')' after it: a number ends with one of those, and a parse
	 * reads only the region's characters, except an extension word going
	 * on past it ("... exte|nsion 12"), hence no letter of "extension"
	 * after the region.  Not for a region cut at its maximum length, nor
	 * with other plans, whose numbers libphonenumber finds in its gaps.
	 */
	if (lib == NULL && ve - vs < 96 && !extension_after(v, vlen, ve) && dp_cands_covered(c, vs, ve))
		return;
	phone_region(v, vlen, vs, ve, validate, lib, c);
}

/* ---- numbers alone ------------------------------------------------------------ */

/*
 * Most runs of digits in a text are numbers alone ("page 12", "in 1999"),
 * and asking each of the five number-shaped detectors about them was a
 * fifth of the scan's own time.  A run is alone when it has fewer than 7
 * digits, no letter just before it, and no digit after it across the
 * characters that may join groups of a number (a phone region's, '/', ','
 * and ':').  None can take such a run: an SSN has 9 digits, in groups
 * joined by a separator; a card 13 to 19, joined by ' ' or '-'; an IPv4
 * address four groups joined by '.'; a phone number at least 7 in its
 * region of digits and phone_char[] (with '/' for other plans); an IBAN
 * starts with two letters just before its first digit.  And skipping one
 * changes no horizon that matters: a region that ends before the next
 * run's first digit cannot hide that run.
 */
static const guint8 joiner[256] = {
	[' '] = 1, ['.'] = 1, ['-'] = 1, ['('] = 1, [')'] = 1, ['+'] = 1, ['x'] = 1,
	['X'] = 1, ['e'] = 1, ['t'] = 1, ['/'] = 1, [','] = 1, [':'] = 1,
};

gboolean
dp_digits_alone(const char *v, gsize vlen, gsize d)
{
	if (d > 0 && g_ascii_isalpha(v[d - 1]))
		return FALSE;
	gsize e = d;
	while (e < vlen && g_ascii_isdigit(v[e]))
		if (++e - d >= 7)
			return FALSE;
	/* A region is at most 96 bytes: a walk that long proves nothing, so no. */
	for (gsize p = e; p < vlen; p++) {
		if (p - d >= 96 || g_ascii_isdigit(v[p]))
			return FALSE;
		if (!joiner[(guchar)v[p]])
			return TRUE;
	}
	return TRUE;
}

/* ---- the table -------------------------------------------------------------- */

/* Rule order for ties: the more specific shapes first, phone last. */
static const DpDetector detectors[] = {
	{ .name = "email",
	  .label = "[EMAIL]",
	  .patterns = email_pats,
	  .flags = HS_FLAG_CASELESS,
	  .refine = email_refine },
	{ .name = "ssn", .label = "[SSN]", .patterns = no_pats, .at_digit = ssn_at, .canon_alnum = TRUE },
	{ .name = "card", .label = "[CARD]", .patterns = no_pats, .at_digit = card_at, .canon_alnum = TRUE },
	{ .name = "iban", .label = "[IBAN]", .patterns = no_pats, .at_digit = iban_at, .canon_alnum = TRUE },
	{ .name = "ip",
	  .label = "[IP]",
	  .patterns = ip_pats,
	  .flags = HS_FLAG_CASELESS,
	  .refine = ipv6_refine,
	  .at_digit = ipv4_at },
	{ .name = "phone", .label = "[PHONE]", .patterns = no_pats, .at_digit = phone_at, .canon_alnum = TRUE },
};

const DpDetector *
dp_detectors(guint *n)
{
	*n = G_N_ELEMENTS(detectors);
	return detectors;
}

const DpDetector *
dp_detector_find(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(detectors); i++)
		if (g_str_equal(detectors[i].name, name))
			return &detectors[i];
	return NULL;
}
