/*
 * NAME
 *	ocrtol.c - OCR-tolerant detectors: e-mail addresses whose shape OCR
 *	broke, and digits OCR read as letters
 *
 * DESCRIPTION
 *	Text that came from OCR breaks values in a few typical ways: a space
 *	around the "@" or a dot ("AbedinH @state.gov", "HDR22@clintonemail.
 *	com"), a comma read for a dot ("AbedinH@state, gov"), a doubled "@"
 *	("Huma@@clintonemail.com"), a "©" or a glued "&" read for it, or a
 *	letter in angle brackets ("<AbedinHPstate.gov>"), a top-level domain
 *	misread ("clintonemail.corn", ".con-ii"), a space inside the
 *	top-level domain ("clintonemail.co m"), the local part glued to the
 *	token before it by ";" or ":" ("Mills;CD@state.gov"), and digits read
 *	as the letters that look like them ("2O2-555-Ol43").  The normal
 *	detectors (detectors.c) see none of these, or only a middle piece of
 *	the address, which leaves the rest in clear.
 *
 *	These scans run only on text the redactor was told is OCR'd (redact.c
 *	decides, by the [redact] ocr-tolerant switch), so that born-digital
 *	text, where the looser shapes would only add false positives, is
 *	matched exactly as before.  The e-mail scan adds whole damaged
 *	addresses as candidates of the email rule: it starts at or before the
 *	normal match and ends at or after it, so the overlap resolution
 *	(leftmost, then longest) replaces the whole address, never a piece.
 *	The digit scan makes a copy of the view with the confusable letters
 *	of number-like tokens replaced by digits, byte for byte (so offsets
 *	stay valid), and lets the number detectors parse and validate that
 *	copy: a value is taken only when its validator passes after the
 *	substitution and it holds at least one substituted letter.
 *
 * SECURITY
 *	The view is untrusted text.  Every scan is bounded: the local part and
 *	a glued token at 64 bytes each, a domain at 16 labels of 63 bytes, and
 *	each "@" is examined once; the copy is the view's length.
 */
#include "redact/internal.h"

#include <string.h>

#include "util/banned.h"

static gboolean
local_char(char c)
{
	return g_ascii_isalnum(c) || (c != '\0' && strchr("._%+-", c) != NULL);
}

/* Is the character that ends just before V+POS a non-ASCII letter or digit? */
static gboolean
wide_alnum_before(const char *v, gsize pos)
{
	if (pos == 0 || (guchar)v[pos - 1] < 0x80)
		return FALSE;
	const char *p = g_utf8_find_prev_char(v, v + pos);
	if (p == NULL)
		return FALSE;
	gunichar ch = g_utf8_get_char_validated(p, (gssize)(pos - (gsize)(p - v)));
	return ch != (gunichar)-1 && ch != (gunichar)-2 && g_unichar_isalnum(ch);
}

/* Is [S, E) (case-insensitively) one of the words in LIST? */
static gboolean
word_in(const char *v, gsize s, gsize e, const char *const *list)
{
	for (guint i = 0; list[i]; i++)
		if (strlen(list[i]) == e - s && g_ascii_strncasecmp(v + s, list[i], e - s) == 0)
			return TRUE;
	return FALSE;
}

/*
 * Top-level domains that a damaged separator may lead to: the generic ones
 * and the country codes common in the mail we see.  A damaged domain
 * ("state, gov") is accepted only when it ends in one of these, which keeps
 * a comma or a space after an ordinary word from making an address.
 */
static const char *const known_tlds[] = {
	"com", "org", "net", "gov", "edu", "mil", "int", "info", "biz", "us", "uk", "ca", "de", "fr",
	"nl",  "be",  "ch",  "it",  "es",  "au",  "jp",  "cn",   "ru",  "in", "br", "mx", "io", NULL,
};

/*
 * The generic top-level domains as OCR misreads them: "m" read as "rn",
 * "n" or "n-ii", "o" as "a", "e" or "0", "g" as "q", "v" as "y" or "u".
 * A short table rather than any word after the last dot, so that only a
 * domain that was meant to end in "com" or "gov" is taken through it.
 */
static const char *const misread_tlds[] = {
	"corn", "con", "cam", "cem", "c0m", "conn", "con-ii", "corn-i", "qov", "g0v", "gav", "goy", "gou", NULL,
};

/* The generic top-level domains a space can split ("co m", "go v"). */
static const char *const split_tlds[] = { "com", "org", "net", "gov", "edu", "mil", "int", "info", NULL };

/*
 * The "mailto" of a link, as OCR reads it ("maitto", "mallto", "mailte",
 * "rnailto", "jrnailto" with the bracket before it read as a letter):
 * with "rn" read as "m" and a leading "j", "i", "f", "l", "I" or "r"
 * dropped, within two edits of "mailto".  It prefixes an address; it is
 * never a glued part of one.
 */
static gboolean
mailto_like(const char *v, gsize s, gsize e)
{
	static const char ref[] = "mailto";
	const gsize m = sizeof ref - 1;
	if (e - s < 4 || e - s > 10)
		return FALSE;
	char w[12];
	gsize n = 0;
	for (gsize k = s; k < e; k++) {
		char c = g_ascii_tolower(v[k]);
		if (c == 'r' && k + 1 < e && g_ascii_tolower(v[k + 1]) == 'n') {
			c = 'm';
			k++;
		}
		w[n++] = c;
	}
	for (guint skip = 0; skip <= 1; skip++) {
		if (skip == 1 && (n < 5 || strchr("jiflr", w[0]) == NULL))
			break;
		const char *x = w + skip;
		gsize xn = n - skip;
		guint prev[12], cur[12];
		for (gsize j = 0; j <= m; j++)
			prev[j] = (guint)j;
		for (gsize i = 1; i <= xn; i++) {
			cur[0] = (guint)i;
			for (gsize j = 1; j <= m; j++) {
				guint sub = prev[j - 1] + (x[i - 1] != ref[j - 1]);
				cur[j] = MIN(sub, MIN(prev[j], cur[j - 1]) + 1);
			}
			memcpy(prev, cur, sizeof cur);
		}
		if (prev[m] <= 2)
			return TRUE;
	}
	return FALSE;
}

/*
 * Words that end with ":" or ";" before an address without being part of
 * it: header names, and the address types of delivery reports and vCards
 * ("Final-Recipient: rfc822;", "EMAIL;home;internet:").
 */
static const char *const header_words[] = {
	"to",  "from",        "cc",     "bcc",      "sent", "subject", "date",  "re",   "fw",
	"fwd", "attachments", "sender", "internet", "dns",  "smtp",    "email", "mail", "sip",
	"tel", "fax",         "home",   "work",     "pref", "uri",     NULL,
};

/* A domain label at P: letters, digits and inner hyphens.  Returns its end, or P. */
static gsize
label_end(const char *v, gsize vlen, gsize p)
{
	gsize q = p;
	while (q < vlen && q - p < 63 && (g_ascii_isalnum(v[q]) || v[q] == '-'))
		q++;
	if (q == p || v[p] == '-' || v[q - 1] == '-')
		return p;
	return q;
}

static gboolean
letters(const char *v, gsize s, gsize e)
{
	for (gsize k = s; k < e; k++)
		if (!g_ascii_isalpha(v[k]))
			return FALSE;
	return e > s;
}

/*
 * The separator between two domain labels at P: "." or "," with at most
 * one space on either side (the view has collapsed longer runs).  Returns
 * where the next label starts, or P when there is none; *DAMAGED is set
 * when it is anything but a lone ".".
 */
static gsize
separator(const char *v, gsize vlen, gsize p, gboolean *damaged)
{
	gsize q = p;
	if (q < vlen && v[q] == ' ')
		q++;
	if (q >= vlen || (v[q] != '.' && v[q] != ','))
		return p;
	*damaged = q != p || v[q] == ',';
	q++;
	if (q < vlen && v[q] == ' ') {
		q++;
		*damaged = TRUE;
	}
	if (q >= vlen || !g_ascii_isalnum(v[q]))
		return p;
	return q;
}

/*
 * Where a generic top-level domain ends inside [S, E) of V, when it starts
 * at least MINSTEM bytes in and is followed by at most two stray
 * characters ("gov1", "stategovi", "clintonemaiLcom"); 0 when none is.
 * With MINSTEM 0 the domain must start at S.
 */
static gsize
tld_inside(const char *v, gsize s, gsize e, gsize minstem)
{
	gsize k0 = s + minstem;
	if (minstem > 0 && e >= 5 && e - 5 > k0)
		k0 = e - 5;
	for (gsize k = k0; k + 3 <= e && e - (k + 3) <= 2 && (minstem > 0 || k == s); k++)
		for (guint i = 0; split_tlds[i]; i++) {
			gsize n = strlen(split_tlds[i]);
			/* Stray letters or digits, not a hyphen ("foxmail.com-2" is a message id). */
			if (k + n <= e && e - (k + n) <= 2 && g_ascii_strncasecmp(v + k, split_tlds[i], n) == 0 &&
			    memchr(v + k + n, '-', e - (k + n)) == NULL)
				return e;
		}
	/*
	 * A misread one only as the whole top label ("con-ii"): glued to a
	 * word ("beacon", "silicon") it is far more often just the word.
	 */
	if (minstem == 0 && word_in(v, s, e, misread_tlds))
		return e;
	return 0;
}

/*
 * A domain the clean parse rejected, of the CLEAN labels (STARTS, ENDS):
 * its top label with a stray character or two OCR added ("state.gov1",
 * "state.govi"), or one label that swallowed its dot ("stategov",
 * "clintonemailcom", "clintonemaiLcom").  The whole label is taken.
 * Returns the end, or 0.
 */
static gsize
lost_dot(const char *v, const gsize *starts, const gsize *ends, guint clean)
{
	if (clean >= 2)
		return tld_inside(v, starts[clean - 1], ends[clean - 1], 0);
	if (clean == 1)
		return tld_inside(v, starts[0], ends[0], 4);
	return 0;
}

/*
 * The domain from P: the labels joined by clean dots as long as they go
 * (ending, as the normal detector wants, in a top label of 2 to 24
 * letters); when that does not end in a known top-level domain, on over
 * damaged separators until one does; then a top label split by a space.
 * Returns the end of the domain, or 0 when there is none.
 */
static gsize
domain_end(const char *v, gsize vlen, gsize p)
{
	gsize ends[16], starts[16];
	gboolean dmg[16];
	guint n = 0;
	while (n < G_N_ELEMENTS(ends)) {
		gsize q = label_end(v, vlen, p);
		if (q == p)
			break;
		starts[n] = p;
		ends[n] = q;
		n++;
		gboolean d = FALSE;
		gsize next = separator(v, vlen, q, &d);
		if (next == q)
			break;
		if (n < G_N_ELEMENTS(dmg))
			dmg[n] = d; /* the separator before label n */
		p = next;
	}
	if (n == 0)
		return 0;
	/* The clean stretch: labels joined by plain dots. */
	guint clean = 1;
	while (clean < n && !dmg[clean])
		clean++;
	/* Its longest prefix that ends in a top label of 2 to 24 letters. */
	guint take = clean;
	while (take >= 2 && !(letters(v, starts[take - 1], ends[take - 1]) && ends[take - 1] - starts[take - 1] >= 2 &&
	                      ends[take - 1] - starts[take - 1] <= 24))
		take--;
	/*
	 * A misread top-level domain counts only after a clean dot: after a
	 * damaged separator too many words would ("me @ home, corn").
	 */
	gboolean known = take >= 2 && (word_in(v, starts[take - 1], ends[take - 1], known_tlds) ||
	                               word_in(v, starts[take - 1], ends[take - 1], misread_tlds));
	if (!known) {
		/*
		 * On over damaged separators (two at most) to a known top-level
		 * domain, not capitalized as a word starting a sentence is
		 * ("at home. Net result").
		 */
		guint k;
		for (k = clean; k < n && k < clean + 2; k++)
			if (word_in(v, starts[k], ends[k], known_tlds) &&
			    !(g_ascii_isupper(v[starts[k]]) && g_ascii_islower(v[ends[k] - 1])))
				break;
		if (k < n && k < clean + 2)
			take = k + 1;
	}
	if (take < 2)
		return lost_dot(v, starts, ends, clean);
	gsize end = ends[take - 1];
	/* "clintonemail.co m": the top label split by a space. */
	gsize ts = starts[take - 1];
	if (end + 1 < vlen && v[end] == ' ' && end - ts <= 3 && letters(v, ts, end)) {
		gsize r = end + 1;
		while (r < vlen && r - end <= 3 && g_ascii_isalpha(v[r]))
			r++;
		gsize rest = r - end - 1;
		if (rest >= 1 && rest <= 2 && (r >= vlen || !g_ascii_isalnum(v[r]))) {
			char joined[8];
			memcpy(joined, v + ts, end - ts);
			memcpy(joined + (end - ts), v + end + 1, rest);
			if (word_in(joined, 0, end - ts + rest, split_tlds))
				end = r;
		}
	}
	return end;
}

/*
 * The damaged address around the "@" (or "©", or "&") at [AT, AFTER), if
 * any.  With GLUED the trigger has no space on either side and the domain
 * must end in a known or misread top-level domain: "&" joins words far
 * more often than OCR makes it of an "@" ("R&D", "AT&T", "Q&A.com").
 */
static void
email_at(const char *v, gsize vlen, gsize at, gsize after, gboolean glued, DpCands *c)
{
	if (glued && (at == 0 || after >= vlen || !g_ascii_isalnum(v[at - 1]) || !g_ascii_isalpha(v[after])))
		return;
	/* A doubled "@": "Huma@@clintonemail.com". */
	if (after < vlen && v[after] == '@')
		after++;
	/* The local part, leftwards, over one space before the "@". */
	gsize le = at;
	if (le > 0 && v[le - 1] == ' ')
		le--;
	gsize s = le;
	while (s > 0 && le - s < 64 && local_char(v[s - 1]))
		s--;
	while (s < le && v[s] == '.')
		s++;
	if (s == le || wide_alnum_before(v, s) || (s > 0 && g_ascii_isalnum(v[s - 1])))
		return;
	/* "Copyright ©example.com" is a notice, whatever OCR did to its spaces. */
	static const char *const notice_words[] = { "copyright", NULL };
	if (word_in(v, s, le, notice_words))
		return;
	/* A local part glued to the token before it by ";" or ":" ("Mills;CD"). */
	if (s >= 2 && (v[s - 1] == ';' || v[s - 1] == ':') && local_char(v[s - 2])) {
		gsize g = s - 1;
		while (g > 0 && s - 1 - g < 64 && local_char(v[g - 1]))
			g--;
		/* The glued token is a name: letters only ("Mills;CD", not "rfc822;"). */
		gboolean bounded = g == 0 || !(g_ascii_isalnum(v[g - 1]) || wide_alnum_before(v, g) || v[g - 1] == '-');
		if (bounded && s - 1 - g >= 2 && letters(v, g, s - 1) && !mailto_like(v, g, s - 1) &&
		    !word_in(v, g, s - 1, header_words))
			s = g;
	}
	gsize p = after;
	if (p < vlen && v[p] == ' ')
		p++;
	/* "Q&A.com": a glued "&" wants a label of two at least on either side. */
	if (glued && (le - s < 2 || label_end(v, vlen, p) - p < 2))
		return;
	gsize end = domain_end(v, vlen, p);
	if (end == 0 || (end < vlen && g_ascii_isalnum(v[end])))
		return;
	if (glued) {
		gsize t = end;
		while (t > p && g_ascii_isalnum(v[t - 1]))
			t--;
		/* A top label after a dot, or the lost dot ("hdr2a&clintonemailcom"). */
		gboolean dotted =
		    t > p && v[t - 1] == '.' && (word_in(v, t, end, known_tlds) || word_in(v, t, end, misread_tlds));
		if (!dotted && (t != p || tld_inside(v, p, end, 4) == 0))
			return;
		/* The local part an address has: no "=" or "?" of a URL's query before it. */
		if (s > 0 && (v[s - 1] == '=' || v[s - 1] == '?' || v[s - 1] == '/'))
			return;
	}
	dp_cands_add(c, s, end);
}

/* The next "@" from POS, or VLEN. */
static gsize
next_at(const char *v, gsize vlen, gsize pos)
{
	const char *p = pos < vlen ? memchr(v + pos, '@', vlen - pos) : NULL;
	return p != NULL ? (gsize)(p - v) : vlen;
}

/* The next "©" (U+00A9, C2 A9: how OCR often reads an "@") from POS, or VLEN. */
static gsize
next_copyright(const char *v, gsize vlen, gsize pos)
{
	while (pos + 1 < vlen) {
		const char *p = memchr(v + pos, '\xc2', vlen - 1 - pos);
		if (p == NULL)
			break;
		pos = (gsize)(p - v);
		if ((guchar)v[pos + 1] == 0xa9)
			return pos;
		pos++;
	}
	return vlen;
}

/*
 * An address in angle brackets whose "@" OCR read as a letter and glued to
 * the domain ("<AbedinHPstate.gov>", "<HDR22aclintonernail.com>"), from
 * the "<" at LT.  A printed header writes only addresses between "<" and
 * ">"; a link there starts with "http" or "www" or holds a "/", and a bare
 * domain is written in lower case, so the token is taken only when it has
 * no "@", ends in a known or misread top-level domain after a dot, and its
 * first label holds a capital or a digit, as a local part so often does.
 */
static void
email_bracketed(const char *v, gsize vlen, gsize lt, DpCands *c)
{
	gsize s = lt + 1, e = s;
	while (e < vlen && e - s < 128 && (g_ascii_isalnum(v[e]) || v[e] == '.' || v[e] == '-' || v[e] == '_'))
		e++;
	if (e >= vlen || v[e] != '>' || e - s < 6 || g_ascii_strncasecmp(v + s, "www.", 4) == 0)
		return;
	gsize t = e;
	while (t > s && g_ascii_isalpha(v[t - 1]))
		t--;
	if (t <= s + 1 || v[t - 1] != '.' || !(word_in(v, t, e, known_tlds) || word_in(v, t, e, misread_tlds)))
		return;
	gboolean marked = FALSE;
	for (gsize k = s; k < e && v[k] != '.'; k++)
		if (g_ascii_isupper(v[k]) || g_ascii_isdigit(v[k]))
			marked = TRUE;
	if (marked)
		dp_cands_add(c, s, e);
}

void
dp_ocr_emails(const char *v, gsize vlen, DpCands *c)
{
	/* Both kinds of trigger in text order, each searched for once. */
	gsize at = next_at(v, vlen, 0), cr = next_copyright(v, vlen, 0);
	while (at < vlen || cr < vlen) {
		if (cr < at) {
			email_at(v, vlen, cr, cr + 2, FALSE, c);
			cr = next_copyright(v, vlen, cr + 2);
			continue;
		}
		/* The second "@" of a doubled one was handled with the first. */
		if (!(at > 0 && v[at - 1] == '@'))
			email_at(v, vlen, at, at + 1, FALSE, c);
		at = next_at(v, vlen, at + 1);
	}
	/* An "&" read for an "@" ("hdr2a&clintonemail.com"), held to the glued shape. */
	for (const char *p = memchr(v, '&', vlen); p != NULL;
	     p = (gsize)(p - v) + 1 < vlen ? memchr(p + 1, '&', vlen - (gsize)(p - v) - 1) : NULL)
		email_at(v, vlen, (gsize)(p - v), (gsize)(p - v) + 1, TRUE, c);
	/* An "@" read as a letter leaves no trigger; the brackets of a header are one. */
	for (const char *p = memchr(v, '<', vlen); p != NULL;
	     p = (gsize)(p - v) + 1 < vlen ? memchr(p + 1, '<', vlen - (gsize)(p - v) - 1) : NULL)
		email_bracketed(v, vlen, (gsize)(p - v), c);
}

/* The digit OCR may have read as letter C, or 0. */
static char
digit_for(char c)
{
	switch (c) {
	case 'O':
	case 'o': return '0';
	case 'l':
	case 'I': return '1';
	case 'S': return '5';
	case 'B': return '8';
	default: return 0;
	}
}

gboolean
dp_ocr_fix_digits(const char *v, gsize vlen, GString *out)
{
	g_string_truncate(out, 0);
	g_string_append_len(out, v, (gssize)vlen);
	gboolean any = FALSE;
	gsize i = 0;
	while (i < vlen) {
		if (!g_ascii_isalnum(v[i])) {
			i++;
			continue;
		}
		/* A token: a run of ASCII letters and digits. */
		gsize s = i;
		guint digits = 0, letters_ok = 0, other = 0;
		for (; i < vlen && g_ascii_isalnum(v[i]); i++) {
			if (g_ascii_isdigit(v[i]))
				digits++;
			else if (digit_for(v[i]))
				letters_ok++;
			else
				other++;
		}
		/*
		 * Only number-like tokens: some real digits, every letter a
		 * confusable one.  A lone letter at the end is a suffix more
		 * often than a misread digit ("items 22-10-01B, 22-11-05-02B").
		 */
		if (digits == 0 || letters_ok == 0 || other > 0 || wide_alnum_before(v, s) ||
		    (i < vlen && (guchar)v[i] >= 0x80))
			continue;
		if (letters_ok == 1 && !g_ascii_isdigit(v[i - 1]))
			continue;
		for (gsize k = s; k < i; k++)
			if (!g_ascii_isdigit(v[k]))
				out->str[k] = digit_for(v[k]);
		any = TRUE;
	}
	return any;
}
