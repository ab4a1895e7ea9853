/*
 * NAME
 *	printed.c - e-mail messages printed on paper, found in a document's
 *	text
 *
 * DESCRIPTION
 *	dp_printed_parse() splits the text of a released document (pages
 *	separated by form feeds, furniture normally removed already) into
 *	the e-mail messages printed in it, newest first as printed.  What it
 *	accepts, and where it stops:
 *
 *	Lines.  The text is cut into lines at '\n' and '\f'.  Indentation
 *	(spaces, tabs counted to the next multiple of 8), quote marks ('>')
 *	and OCR bullets ('•') in front of a line are skipped before anything
 *	is recognised, so "> From: x" is a header line of a quoted message.
 *
 *	Labels.  A header line is a label word followed by its value: From,
 *	Sent, Date, To, Cc, Bcc, Subject, Attachments, and, kept in the block
 *	but not returned, Importance, Sensitivity, Priority, Categories and
 *	Reply-To.  The label is followed by ':' (or the OCR's ';', '=', or ',',
 *	'.', '-' before a space: "Sent, Wednesday", "From- H"), by a tab or two
 *	or more spaces (pdftotext's alignment of the Outlook form, where the
 *	colon is often lost), or ends the line (its value is then on the next
 *	line).  With a colon any case is a label (FROM:, from:); without one
 *	the label is capitalised.  With a colon, OCR damage is tolerated: "rn"
 *	read as "m", one wrong, missing or extra letter in From, Sent and Date
 *	("rom:", "Frorn:"), two in Subject and Attachments ("Sublect:"); Cc
 *	is also read from "Ce:", "CG:", "Ge:", "Co:".  Without a colon only
 *	Subject, Attachments and Importance may be damaged.  A label followed by a
 *	single space ("To Burns, William") is a loose label: accepted directly
 *	under another header line (Cc, Bcc and a dated Sent also after blank
 *	lines, as OCR spaces a header out), and for Sent and Date only when
 *	the value holds a date ("Sent to the committee" is prose).
 *
 *	Header blocks.  A message starts at a From line: with a colon, aligned
 *	or alone on its line, or loose ("From H [mailto:...]") when a header
 *	line follows it directly.  The block runs over the following header
 *	lines (each label at most once, a second From ends it); up to two
 *	blank lines are skipped when a new label follows them.  Furniture left
 *	in the text (banner and stamp lines, a page number, the banner's own
 *	"Date: 05/13/2015" under its "Doc No." line) is passed over with up to
 *	six blank lines around it, so a header cut by a page break stays one
 *	block.  A value continues on the following lines until the next label
 *	or a blank line when: the label had no value on its own line; the
 *	line is indented to the value's column (values set off by a tab or by
 *	spaces); an address list or Attachments ended with ',', ';' or '-';
 *	the line lies between two header lines, at most four lines apart with
 *	no blank line ("Cc: ...; Okafor, Julian R" / "<OkaforJR@state.gov>" /
 *	"Sent: ..."); an address list ending with ','
 *	or ';' goes on past blank lines too (gaps left by withheld names); or a compact Subject line of 75
 *	columns or more, with no wide gaps, wrapped onto a shorter line that
 *	starts in lower case or after which the block ends (a body that
 *	follows its Subject line directly starts a sentence, and is not taken
 *	for the subject).  A line holding only redaction marks belongs to the
 *	value above it.  The block is a message only when it has a From, a
 *	Sent or Date, and a To or Subject, and when it looks like e-mail
 *	rather than a memo: it has a Sent label, a time of day in its date, or
 *	an address ('@', "mailto") in From, To or Cc.  So a memo
 *	(TO:/FROM:/SUBJECT:, or a DATE: without a time) and a news article
 *	that quotes "From:" lines give no message: one label is never enough,
 *	the structure of the block is.
 *
 *	Column form.  A PDF's text in reading order (not pdftotext -layout)
 *	may give the labels alone on their lines first ("From:", "Sent:",
 *	"To:", "Subject:") and then the values, one per label in the same
 *	order, the body right after them.  Three or more labels without values
 *	in a row, From first, are read so.  When Sent or Date follows From,
 *	the first date in the next lines is its value: the line before it is
 *	From's (with the one before that when the address went to a line of
 *	its own, '<' or '[', or the From list ended with ';'), no line at all
 *	means the From was withheld without a mark, and up to MAX_DISPLACED
 *	lines before From's are the body's first lines, which the reading
 *	order put in the labels' column because they are as short as a label
 *	("Hi all,"): they go to the front of the body.  Each later label takes
 *	the next line, a label word without a colon too (a Subject
 *	"Attachment"); a value takes the lines after it too when they are
 *	plainly its rest: an address list or attachment list ending with ',',
 *	';' or '-', an address starting with '<' or '[', an address list cut
 *	inside a name (its last line ends in a bare name, no address or
 *	quote, and was full: with the next line's first word it is wider than
 *	nine tenths of the list's widest line and than FULL_LINE columns), a
 *	Subject's rest starting in lower case or, before Attachments, naming
 *	no files (a line naming files there is always the attachments').
 *	A value takes at most four such lines, an address list all of them.
 *	Sent's value must be a date, or the lines are read as an ordinary
 *	block.
 *
 *	Separators.  "-----Original Message-----" (with or without its
 *	dashes), "---------- Forwarded message ----------", "Begin forwarded
 *	message:" and lines of punctuation only are not needed to find a
 *	message (the header block is); they are cut from the end of the body
 *	before them.  "On <date>, <name> wrote:" (on one line or two) starts a
 *	message of its own when its date parses: from is the name, sent the
 *	date as printed (up to its time of day and the zone or year printed
 *	after it: "On Tue, 17 Nov 2009 18:21:38 -0500, Aron Griffis wrote:"),
 *	and its body the text after the line.
 *
 *	Bodies.  A message's body runs from the end of its header block to
 *	the start of the next message, with the blank lines at either end and
 *	the separators at its end (also at the end of the text) trimmed, the
 *	text otherwise as printed (in the column form, the displaced first
 *	lines, then the text after the values).  Text before the first
 *	message (a cover note, furniture) belongs to no message.
 *
 *	Values.  from, to, cc, bcc, subject, sent and attachments are the
 *	printed values with runs of white space collapsed to one space;
 *	addresses are kept as printed ("Mills, Cheryl D <MillsCD@state.gov>",
 *	"'millscd@state.gov'").  Redaction marks (B1 to B9 with sub-codes
 *	such as B7(C), and (b)(6), (b)(7)(C)) are taken out of every value and
 *	recorded in withheld as "FIELD MARK" entries joined by "; " ("from
 *	B6; cc B6"); a "[mailto:" or "<" left empty by a mark goes with it.  A
 *	value that is empty afterwards is NULL.
 *
 *	Dates.  date is the Sent (or else Date) value as ISO 8601 when it
 *	parses: "Monday, April 13, 2009 11:09 AM", "Mon Apr 13 08:13:05
 *	2009", "4/13/2009 11:09:12 AM" (numbers are month/day/year unless the
 *	first cannot be a month), "Mon, 13 Apr 2009 08:13:05 -0400", "Sat,
 *	Sep 15, 2012 at 3:25 PM", two-digit years as 19xx from 70 and 20xx
 *	below, and the OCR's "Jul26", "2607:43:53", "201111:08" and "0323 PM"
 *	(a digit misread as a letter, "201i", gives no date).  The result is "YYYY-MM-DDTHH:MM:SS", or "YYYY-MM-DD" when
 *no time is printed, followed by the offset ("-04:00") of the zone: the printed one (a numeric offset, or UTC, GMT,
 *EST, EDT, CST, CDT, MST, MDT, PST, PDT), otherwise ZONE's offset at that local time when ZONE is a valid time zone
 *identifier ("America/New_York", "UTC").  With ZONE NULL (or not a valid identifier) and no printed zone there is no
 *	offset at all: the time is the local time as printed, and no zone is
 *	invented for it (printouts name none; UTC would usually be wrong).  A
 *	date without a time never gets an offset.
 *
 * SECURITY
 *	The text is untrusted.  Every line is cut once, and only a window of
 *	at most WINDOW_SLIDE + WINDOW_AHEAD lines is kept, so ten million
 *	empty lines cost no more memory than ten; a header block is looked at
 *	over at most MAX_BLOCK_LINES lines, and at most MAX_VALUE bytes of
 *	any line are looked at there, so the work is linear in LEN whatever
 *	the lines hold (a million From lines, one line of 10 MB).  At most
 *	MAX_MESSAGES messages are made; the text after the last one is its
 *	body.  Values are cut to MAX_VALUE bytes on a character boundary, so
 *	they hold no more than the text; every returned string is valid
 *	UTF-8.
 */
#include "foia/printed.h"

#include <string.h>

#include "util/banned.h"

/* The bounds of the SECURITY paragraph. */
#define MAX_BLOCK_LINES 80
#define MAX_VALUE 4096
#define MAX_MESSAGES 100000
#define MAX_WROTE 400
#define MAX_LABEL 14
#define SANDWICH_LINES 4
#define MAX_DISPLACED 4
#define FULL_LINE 60

enum { L_NONE, L_FROM, L_SENT, L_DATE, L_TO, L_CC, L_BCC, L_SUBJECT, L_ATTACH, L_OTHER, L_NKINDS };

/* How a label is followed by its value. */
enum { F_COLON, F_ALIGNED, F_BARE, F_LOOSE };

/* What a line is, as far as header blocks care. */
enum { K_BLANK, K_TEXT, K_LABEL, K_MARKS, K_SEPARATOR, K_FURNITURE };

typedef struct {
	gsize start, end;  /* the line's bytes, trailing white space excluded */
	gsize content;     /* after indentation, quote marks and bullets */
	gsize value;       /* a label's value */
	guint32 indent;    /* column of content */
	guint32 value_col; /* column of value */
	guint8 kind, label, form;
	guint8 aligned; /* the value is set off by a tab or two spaces or more */
} Line;

/* A message's fields while it is assembled. */
enum { V_FROM, V_TO, V_CC, V_BCC, V_SUBJECT, V_SENT, V_ATTACH, V_N };

/* Where each of them goes in a DpPrintedMessage. */
static const DpPrintedField draft_field[V_N] = { DP_PRINTED_FROM,       DP_PRINTED_TO,      DP_PRINTED_CC,
	                                         DP_PRINTED_BCC,        DP_PRINTED_SUBJECT, DP_PRINTED_SENT,
	                                         DP_PRINTED_ATTACHMENTS };

typedef struct {
	GString *v[V_N];
	GString *withheld;
	gsize start_line, body_line; /* first header line, first line after the block (in the window) */
	gsize lead_start, lead_end;  /* body lines the reading order put before the values (bytes), or empty */
} Draft;

/* ------------------------------------------------------------------ */
/* Characters and small helpers                                        */

static gboolean
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v';
}

static gboolean
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static gboolean
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static gboolean
is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The length of P's first LEN bytes, cut back to a UTF-8 character boundary. */
static gsize
utf8_cut(const char *p, gsize len, gsize max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((guchar)p[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Case-insensitive: does [P, END) start with WORD? */
static gboolean
starts_with_ci(const char *p, const char *end, const char *word)
{
	for (; *word; word++, p++)
		if (p >= end || lower(*p) != *word)
			return FALSE;
	return TRUE;
}

/* Case-insensitive search for WORD in [P, END); END - P is bounded by callers. */
static const char *
find_ci(const char *p, const char *end, const char *word)
{
	for (; p < end; p++)
		if (starts_with_ci(p, end, word))
			return p;
	return NULL;
}

/* Levenshtein distance of two short strings (at most MAX_LABEL bytes). */
static guint
edit_distance(const char *a, gsize na, const char *b, gsize nb)
{
	guint row[MAX_LABEL + 2];
	g_assert(nb <= MAX_LABEL);
	for (gsize j = 0; j <= nb; j++)
		row[j] = (guint)j;
	for (gsize i = 1; i <= na; i++) {
		guint diag = row[0];
		row[0] = (guint)i;
		for (gsize j = 1; j <= nb; j++) {
			guint up = row[j];
			guint best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
			best = MIN(best, up + 1);
			best = MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

/* ------------------------------------------------------------------ */
/* Labels                                                              */

typedef struct {
	const char *word;
	guint8 label;
	guint8 damage; /* edit distance tolerated after a colon */
} LabelWord;

static const LabelWord label_words[] = {
	{ "from", L_FROM, 1 },
	{ "sent", L_SENT, 1 },
	{ "date", L_DATE, 1 },
	{ "to", L_TO, 0 },
	{ "cc", L_CC, 0 },
	{ "ce", L_CC, 0 },
	{ "bcc", L_BCC, 0 },
	{ "bce", L_BCC, 0 },
	{ "subject", L_SUBJECT, 2 },
	{ "attachments", L_ATTACH, 2 },
	{ "attachment", L_ATTACH, 1 },
	{ "importance", L_OTHER, 1 },
	{ "sensitivity", L_OTHER, 1 },
	{ "priority", L_OTHER, 0 },
	{ "categories", L_OTHER, 1 },
	{ "reply-to", L_OTHER, 0 },
	{ "replyto", L_OTHER, 0 },
};

/*
 * The label that the word [W, W+N) names, or L_NONE.  DAMAGED allows the
 * OCR damage described in the header comment.
 */
static guint8
match_label(const char *w, gsize n, gboolean damaged)
{
	char buf[MAX_LABEL + 1];
	gsize m = 0;
	if (n == 0 || n > MAX_LABEL)
		return L_NONE;
	/* Lower case, OCR digits and strokes as a letter no label has, "rn" as "m". */
	for (gsize i = 0; i < n; i++) {
		char c = lower(w[i]);
		if (c == 'r' && i + 1 < n && lower(w[i + 1]) == 'n') {
			c = 'm';
			i++;
		} else if (!is_alpha(c) && c != '-') {
			c = '#';
		}
		buf[m++] = c;
	}
	buf[m] = '\0';
	for (gsize i = 0; i < G_N_ELEMENTS(label_words); i++) {
		if (strlen(label_words[i].word) == n && g_ascii_strncasecmp(w, label_words[i].word, n) == 0)
			return label_words[i].label;
	}
	if (!damaged)
		return L_NONE;
	/* Cc as the OCR reads its two round letters: "Ce", "CG", "Ge", "Co". */
	if (m == 2 && (buf[0] == 'c' || buf[0] == 'g') && strchr("cego", buf[1]) != NULL)
		return L_CC;
	for (gsize i = 0; i < G_N_ELEMENTS(label_words); i++) {
		const LabelWord *lw = &label_words[i];
		gsize len = strlen(lw->word);
		/* Short labels lose letters to the OCR only when they keep three. */
		if (m < 3 || (gsize)ABS((gssize)m - (gssize)len) > lw->damage)
			continue;
		if (edit_distance(buf, m, lw->word, len) <= lw->damage)
			return lw->label;
	}
	return L_NONE;
}

/* Column after the bytes [P, END) starting at column COL. */
static guint32
advance_col(const char *p, const char *end, guint32 col)
{
	for (; p < end; p++) {
		if (*p == '\t')
			col = (col / 8 + 1) * 8;
		else if (((guchar)*p & 0xC0) != 0x80)
			col++;
		if (col > G_MAXUINT32 / 2)
			col = G_MAXUINT32 / 2;
	}
	return col;
}

/*
 * Set L's label, form and value when its content is a header label.  The
 * word is read over letters, '-' and the OCR's stand-ins for letters.
 */
static void
classify_label(const char *text, Line *l)
{
	const char *p = text + l->content, *end = text + l->end;
	const char *w = p;
	while (p < end && (gsize)(p - w) <= MAX_LABEL &&
	       (is_alnum(*p) || *p == '-' || *p == '|' || *p == '!' || *p == ']'))
		p++;
	gsize n = p - w;
	if (n == 0 || n > MAX_LABEL || !is_alpha(*w))
		return;
	/* "From-": the OCR's dash for a colon, not part of the word. */
	if (n > 2 && w[n - 1] == '-' && (p == end || is_space(*p))) {
		n--;
		p--;
	}
	guint8 form;
	const char *v;
	gboolean weak_colon = p < end && (*p == ',' || *p == '.' || *p == '-') && (p + 1 == end || is_space(p[1]));
	gboolean aligned = FALSE;
	if (p < end && (*p == ':' || *p == ';' || *p == '=' || weak_colon)) {
		form = F_COLON;
		v = p + 1;
		while (v < end && is_space(*v))
			v++;
		aligned = v - p > 2 || (p + 1 < end && p[1] == '\t');
	} else if (p == end) {
		form = F_BARE;
		v = end;
	} else if (is_space(*p)) {
		v = p;
		while (v < end && is_space(*v))
			v++;
		form = (*p == '\t' || v - p >= 2) ? F_ALIGNED : F_LOOSE;
		aligned = form == F_ALIGNED;
		/* Without a colon, the label is capitalised as a label is. */
		if (!(*w >= 'A' && *w <= 'Z'))
			return;
	} else {
		return;
	}
	gboolean damaged = form == F_COLON || (form != F_LOOSE && n >= 6);
	guint8 label = match_label(w, n, damaged);
	if (label == L_NONE)
		return;
	l->kind = K_LABEL;
	l->label = label;
	l->form = form;
	l->aligned = aligned && v < end;
	l->value = v - text;
	l->value_col = advance_col(text + l->content, v, l->indent);
}

/* ------------------------------------------------------------------ */
/* Redaction marks                                                     */

/*
 * The length of the redaction mark at P (B1..B9 with sub-codes such as
 * B7(C), or (b)(6), (b)(7)(C)), or 0.  The mark must stand as a word: no
 * letter or digit just before (checked by the caller) or after it.
 */
static gsize
mark_at(const char *p, const char *end)
{
	const char *q = p;
	if (q + 1 < end && q[0] == 'B' && q[1] >= '1' && q[1] <= '9') {
		q += 2;
	} else if (q + 5 < end && q[0] == '(' && lower(q[1]) == 'b' && q[2] == ')' && q[3] == '(' && is_digit(q[4]) &&
	           q[5] == ')') {
		q += 6;
	} else {
		return 0;
	}
	while (q + 2 < end && q[0] == '(' && is_alnum(q[1]) && q[2] == ')')
		q += 3;
	if (q < end && is_alnum(*q))
		return 0;
	return q - p;
}

/* Add "FIELD MARK" to WITHHELD unless it is there. */
static void
add_withheld(GString *withheld, const char *field, const char *mark, gsize n)
{
	g_autofree char *entry = g_strdup_printf("%s %.*s", field, (int)n, mark);
	/* The list is short (bounded by the value sizes): a scan is fine. */
	const char *hit = withheld->str;
	gsize elen = strlen(entry);
	while ((hit = strstr(hit, entry)) != NULL) {
		gboolean starts = hit == withheld->str || hit[-1] == ' ';
		gboolean ends = hit[elen] == '\0' || hit[elen] == ';';
		if (starts && ends)
			return;
		hit += elen;
	}
	if (withheld->len > MAX_VALUE)
		return;
	if (withheld->len)
		g_string_append(withheld, "; ");
	g_string_append(withheld, entry);
}

/* Is [P, END) nothing but redaction marks, commas and white space (and at least one mark)? */
static gboolean
only_marks(const char *p, const char *end)
{
	gboolean any = FALSE;
	while (p < end) {
		if (is_space(*p) || *p == ',') {
			p++;
			continue;
		}
		gsize n = mark_at(p, end);
		if (n == 0)
			return FALSE;
		any = TRUE;
		p += n;
	}
	return any;
}

/*
 * Append the piece [P, P+N) of a value to OUT: white space collapsed,
 * redaction marks taken out and recorded in WITHHELD under FIELD.
 */
static void
append_piece(GString *out, GString *withheld, const char *field, const char *p, gsize n)
{
	const char *end = p + utf8_cut(p, n, MAX_VALUE);
	gboolean pending_space = out->len > 0;
	while (p < end && out->len < MAX_VALUE) {
		if (is_space(*p) || *p == '\n' || *p == '\f') {
			pending_space = out->len > 0;
			p++;
			continue;
		}
		gboolean word_start = out->len == 0 || pending_space || !is_alnum(out->str[out->len - 1]);
		gsize m = word_start ? mark_at(p, end) : 0;
		if (m) {
			add_withheld(withheld, field, p, m);
			p += m;
			continue;
		}
		if (pending_space) {
			g_string_append_c(out, ' ');
			pending_space = FALSE;
		}
		g_string_append_c(out, *p++);
	}
}

/*
 * Trim what a redaction leaves at the end of a value: an empty "[mailto:",
 * "(mailto:" or "<", separators, white space.
 */
static void
trim_value(GString *v)
{
	for (;;) {
		gsize n = v->len;
		while (n > 0 && (is_space(v->str[n - 1]) || v->str[n - 1] == ',' || v->str[n - 1] == ';'))
			n--;
		g_string_truncate(v, n);
		static const char *const tails[] = { "[mailto:]", "(mailto:)", "[mailto:", "(mailto:", "[mailto",
			                             "<>",        "<",         "[]",       "()" };
		gboolean cut = FALSE;
		for (gsize i = 0; i < G_N_ELEMENTS(tails); i++) {
			gsize tl = strlen(tails[i]);
			if (v->len >= tl && g_ascii_strcasecmp(v->str + v->len - tl, tails[i]) == 0) {
				g_string_truncate(v, v->len - tl);
				cut = TRUE;
				break;
			}
		}
		if (!cut)
			break;
	}
	gsize lead = 0;
	while (lead < v->len && is_space(v->str[lead]))
		lead++;
	g_string_erase(v, 0, lead);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */

/* Does [P, END) hold a time of day ("9:05")? */
static gboolean
has_time(const char *p, const char *end)
{
	for (; p + 2 < end; p++)
		if (is_digit(p[0]) && p[1] == ':' && is_digit(p[2]))
			return TRUE;
	return FALSE;
}

static const char *const month_names[] = { "january", "february", "march",     "april",   "may",      "june",
	                                   "july",    "august",   "september", "october", "november", "december" };

typedef struct {
	const char *name;
	int minutes;
} ZoneName;

static const ZoneName zone_names[] = {
	{ "utc", 0 },       { "gmt", 0 },       { "z", 0 },         { "est", -5 * 60 },
	{ "edt", -4 * 60 }, { "cst", -6 * 60 }, { "cdt", -5 * 60 }, { "mst", -7 * 60 },
	{ "mdt", -6 * 60 }, { "pst", -8 * 60 }, { "pdt", -7 * 60 },
};

/* The month (1-12) a word names, in full or as its first three letters (or "sept"), or 0. */
static int
month_of(const char *w, gsize n)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < 12; i++) {
		gsize full = strlen(month_names[i]);
		if (n > full || g_ascii_strncasecmp(w, month_names[i], n) != 0)
			continue;
		if (n == 3 || n == full || (i == 8 && n == 4))
			return i + 1;
	}
	return 0;
}

/* Is [W, W+N) the name of a zone?  Its offset goes to *MINUTES. */
static gboolean
zone_named(const char *w, gsize n, int *minutes)
{
	for (gsize i = 0; i < G_N_ELEMENTS(zone_names); i++) {
		if (strlen(zone_names[i].name) == n && g_ascii_strncasecmp(w, zone_names[i].name, n) == 0) {
			*minutes = zone_names[i].minutes;
			return TRUE;
		}
	}
	return FALSE;
}

/* Read an unsigned number of at most 6 digits at *P; -1 when there is none. */
static int
read_number(const char **p, const char *end, int *digits)
{
	int v = 0, n = 0;
	while (*p < end && is_digit(**p)) {
		if (n < 6)
			v = v * 10 + (**p - '0');
		n++;
		(*p)++;
	}
	*digits = n;
	return (n == 0 || n > 6) ? -1 : v;
}

static int
full_year(int y, int digits)
{
	if (digits == 2)
		return y < 70 ? 2000 + y : 1900 + y;
	return digits == 4 ? y : -1;
}

/* A number on its own in a date: the year (four digits), else the day, else a two-digit year. */
static void
plain_number(int v, int digits, int *year, int *month, int *day)
{
	if (digits == 4 && *year < 0)
		*year = v;
	else if (digits <= 2 && *day == 0 && v >= 1)
		*day = v;
	else if (digits <= 2 && *year < 0 && *day && *month)
		*year = full_year(v, digits);
}

/*
 * The printed date [S, S+N) as ISO 8601 (see the header comment), or NULL.
 * TZ is ZONE's time zone, or NULL.
 */
static char *
parse_date(const char *s, gsize n, GTimeZone *tz)
{
	const char *p = s, *end = s + MIN(n, (gsize)MAX_VALUE);
	int year = -1, month = 0, day = 0, hour = -1, minute = 0, second = 0;
	int ampm = 0; /* 1 AM, 2 PM */
	gboolean have_zone = FALSE, after_month = FALSE;
	int zone_minutes = 0;

	while (p < end) {
		char c = *p;
		if (is_alpha(c)) {
			const char *w = p;
			while (p < end && is_alpha(*p))
				p++;
			gsize wn = p - w;
			int m = month_of(w, wn);
			after_month = FALSE;
			if (m && !month) {
				month = m;
				after_month = TRUE;
			} else if (wn == 2 && lower(w[1]) == 'm' && (lower(w[0]) == 'a' || lower(w[0]) == 'p')) {
				ampm = lower(w[0]) == 'a' ? 1 : 2;
			} else if (hour >= 0 && !have_zone) {
				have_zone = zone_named(w, wn, &zone_minutes);
			}
			continue;
		}
		if ((c == '+' || c == '-') && hour >= 0 && !have_zone && p + 4 < end && is_digit(p[1]) &&
		    is_digit(p[2]) && is_digit(p[3]) && is_digit(p[4]) && (p + 5 == end || !is_digit(p[5]))) {
			int hh = (p[1] - '0') * 10 + (p[2] - '0'), mm = (p[3] - '0') * 10 + (p[4] - '0');
			if (hh > 14 || mm > 59)
				return NULL;
			have_zone = TRUE;
			zone_minutes = (c == '-' ? -1 : 1) * (hh * 60 + mm);
			p += 5;
			continue;
		}
		if (!is_digit(c)) {
			p++;
			continue;
		}
		/*
		 * A word glued to digits ("201i") is OCR damage: the number is
		 * not trusted.  A month glued to its day ("Jul26") is read.
		 */
		const char *numstart = p;
		int digits;
		int a = read_number(&p, end, &digits);
		if (a < 0 || (p < end && is_alpha(*p)) || (numstart > s && is_alpha(numstart[-1]) && !after_month))
			return NULL;
		after_month = FALSE;
		if (p < end && *p == ':' && hour < 0 && digits > 2) {
			/* The OCR lost the space before the hour: "2607:43:53", "201111:08". */
			int hd = (a % 100 <= 23 && (digits == 3 || digits == 4 || digits == 6)) ? 2 : 1;
			int pd = digits - hd;
			if (pd != 1 && pd != 2 && pd != 4)
				return NULL;
			plain_number(a / (hd == 2 ? 100 : 10), pd, &year, &month, &day);
			a %= hd == 2 ? 100 : 10;
			digits = hd;
		}
		if (p < end && *p == ':' && hour < 0) {
			int d2;
			p++;
			int mi = read_number(&p, end, &d2);
			if (mi < 0 || d2 != 2 || a > 23 || mi > 59)
				return NULL;
			hour = a;
			minute = mi;
			if (p < end && *p == ':') {
				p++;
				int se = read_number(&p, end, &d2);
				if (se < 0 || d2 != 2 || se > 59)
					return NULL;
				second = se;
			}
			continue;
		}
		/* "0323 PM": the OCR lost the colon of the time. */
		if (digits == 4 && year >= 0 && hour < 0 && a % 100 < 60) {
			const char *q = p;
			while (q < end && *q == ' ')
				q++;
			if (q + 1 < end && (lower(q[0]) == 'a' || lower(q[0]) == 'p') && lower(q[1]) == 'm' &&
			    (q + 2 == end || !is_alpha(q[2]))) {
				hour = a / 100;
				minute = a % 100;
				continue;
			}
		}
		if (p < end && (*p == '/' || (*p == '-' && digits == 4)) && year < 0) {
			char sep = *p++;
			int d2, d3;
			int b = read_number(&p, end, &d2);
			if (b < 0 || p >= end || *p != sep)
				return NULL;
			p++;
			int cval = read_number(&p, end, &d3);
			if (cval < 0)
				return NULL;
			if (sep == '-') {
				year = a, month = b, day = cval;
			} else {
				year = full_year(cval, d3);
				/* Month first (US) unless the first number cannot be a month. */
				if (a > 12 && b <= 12)
					day = a, month = b;
				else
					month = a, day = b;
			}
			continue;
		}
		plain_number(a, digits, &year, &month, &day);
	}
	if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 ||
	    !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return NULL;
	if (hour < 0)
		return g_strdup_printf("%04d-%02d-%02d", year, month, day);
	if (ampm) {
		if (hour > 12)
			return NULL;
		hour = hour % 12 + (ampm == 2 ? 12 : 0);
	}
	GString *out = g_string_new(NULL);
	g_string_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second);
	if (!have_zone && tz != NULL) {
		g_autoptr(GDateTime) dt = g_date_time_new(tz, year, month, day, hour, minute, second);
		if (dt != NULL) {
			have_zone = TRUE;
			zone_minutes = (int)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
		}
	}
	if (have_zone) {
		int z = ABS(zone_minutes);
		g_string_append_printf(out, "%c%02d:%02d", zone_minutes < 0 ? '-' : '+', z / 60, z % 60);
	}
	return g_string_free(out, FALSE);
}

/* Does [P, END) hold a time of day or a whole date? */
static gboolean
is_date(const char *p, const char *end)
{
	/* A date is short: the rest of a long line is not looked at. */
	end = p + MIN((gsize)(end - p), (gsize)MAX_VALUE);
	if (has_time(p, end))
		return TRUE;
	g_autofree char *iso = parse_date(p, end - p, NULL);
	return iso != NULL;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */

/* Is the content of L a separator line (see the header comment)? */
static gboolean
is_separator(const char *c, const char *end)
{
	if (end - c > 120)
		return FALSE;
	if (find_ci(c, end, "original message") || find_ci(c, end, "forwarded message") ||
	    find_ci(c, end, "forwarded by"))
		return TRUE;
	/* A rule of dashes and OCR debris ("-•-...-^"). */
	gsize marks = 0;
	for (const char *p = c; p < end; p++) {
		if (is_alnum(*p))
			return FALSE;
		if (!is_space(*p))
			marks++;
	}
	return marks >= 3;
}

/*
 * Is the content [C, END) page furniture left in the text: a banner or
 * release stamp line, or a page number?  The furniture module normally
 * takes these out; a header block that runs over a page break must not
 * stop at what it left.
 */
static gboolean
is_furniture(const char *c, const char *end)
{
	static const char *const words[] = { "unclassified",        "case no.",    "doc no.",     "release in",
		                             "department of state", "produced to", "foia waiver", "classified by",
		                             "declassify on" };
	if (end - c > 300)
		return FALSE;
	if (end - c <= 4) {
		const char *p = c;
		while (p < end && is_digit(*p))
			p++;
		if (p == end)
			return TRUE;
	}
	/*
	 * One pass over the line: most bytes start none of the words, and a
	 * look at the first letter settles it (this runs on every line).
	 */
	for (const char *p = c; p < end; p++) {
		char f = g_ascii_tolower(*p);
		if (f != 'u' && f != 'c' && f != 'd' && f != 'r' && f != 'p' && f != 'f')
			continue;
		for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
			if (words[i][0] == f && starts_with_ci(p, end, words[i]))
				return TRUE;
	}
	return FALSE;
}

/*
 * The lines of the text, cut and classified one at a time: the parser
 * keeps only a window of them (see dp_printed_parse()), so that its memory
 * does not grow with the number of lines.
 */
typedef struct {
	const char *text;
	gsize len, pos;
	gboolean after_furniture;
} Cutter;

/* Cut and classify the next line into *L; FALSE at the end of the text. */
static gboolean
cut_next(Cutter *c, Line *out)
{
	const char *text = c->text;
	gsize pos = c->pos, len = c->len;
	if (pos >= len)
		return FALSE;
	/* One pass over each byte: memchr for each break would rescan. */
	const char *stop = text + pos;
	while (stop < text + len && *stop != '\n' && *stop != '\f')
		stop++;
	Line l = { 0 };
	l.start = pos;
	gsize end = stop - text;
	while (end > pos && is_space(text[end - 1]))
		end--;
	l.end = end;
	/* Indentation, quote marks and bullets ('•' is E2 80 A2). */
	const char *p = text + pos, *e = text + end;
	while (p < e) {
		if (is_space(*p) || *p == '>')
			p++;
		else if (e - p >= 3 && (guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 && (guchar)p[2] == 0xA2)
			p += 3;
		else
			break;
	}
	l.content = p - text;
	l.indent = advance_col(text + pos, p, 0);
	l.kind = p == e ? K_BLANK : K_TEXT;
	if (l.kind == K_TEXT) {
		classify_label(text, &l);
		if (l.kind == K_TEXT && only_marks(p, e))
			l.kind = K_MARKS;
		else if (l.kind == K_TEXT && is_separator(p, e))
			l.kind = K_SEPARATOR;
		else if (l.kind == K_TEXT && is_furniture(p, e))
			l.kind = K_FURNITURE;
		/* The banner's own "Date: 05/13/2015", under its "Doc No." line. */
		else if (l.kind == K_LABEL && l.label == L_DATE && !has_time(text + l.value, e) &&
		         (c->after_furniture || is_furniture(p, e)))
			l.kind = K_FURNITURE;
	}
	if (l.kind != K_BLANK)
		c->after_furniture = l.kind == K_FURNITURE;
	c->pos = (stop - text) + (stop < text + len ? 1 : 0);
	*out = l;
	return TRUE;
}

/* ------------------------------------------------------------------ */
/* Header blocks                                                       */

static int
field_of(guint8 label)
{
	switch (label) {
	case L_FROM: return V_FROM;
	case L_SENT:
	case L_DATE: return V_SENT;
	case L_TO: return V_TO;
	case L_CC: return V_CC;
	case L_BCC: return V_BCC;
	case L_SUBJECT: return V_SUBJECT;
	case L_ATTACH: return V_ATTACH;
	default: return -1;
	}
}

static void
draft_clear(Draft *d)
{
	for (int i = 0; i < V_N; i++)
		if (d->v[i])
			g_string_free(d->v[i], TRUE);
	if (d->withheld)
		g_string_free(d->withheld, TRUE);
	memset(d, 0, sizeof(*d));
}

static void
draft_init(Draft *d)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < V_N; i++)
		d->v[i] = g_string_new(NULL);
	d->withheld = g_string_new(NULL);
}

/* Append line L's bytes from FROM (a label's value, or the whole content) to field F. */
static void
draft_add(Draft *d, int f, const char *text, gsize from, gsize to)
{
	if (f < 0 || from >= to)
		return;
	append_piece(d->v[f], d->withheld, dp_printed_field_names[draft_field[f]], text + from, to - from);
}

/* Does [P, END) hold a run of three or more spaces? */
static gboolean
has_gap(const char *p, const char *end)
{
	gsize run = 0;
	for (; p < end; p++) {
		run = is_space(*p) ? run + 1 : 0;
		if (run >= 3)
			return TRUE;
	}
	return FALSE;
}

/* The visual width of line L: its indent plus its content's length. */
static gsize
line_width(const Line *l)
{
	return l->indent + (l->end - l->content);
}

/* Does text line L continue the value of field F, whose label line was LABEL_LINE? */
static gboolean
continues(const char *text, const Draft *d, int f, const Line *label_line, const Line *prev, const Line *l,
          const Line *next)
{
	if (f < 0)
		return FALSE;
	const GString *v = d->v[f];
	if (v->len == 0)
		return TRUE;
	if (label_line->aligned && label_line->value_col >= 4 && l->indent + 2 >= label_line->value_col)
		return TRUE;
	char last = v->str[v->len - 1];
	if ((f == V_TO || f == V_CC || f == V_BCC || f == V_ATTACH) && (last == ',' || last == ';' || last == '-'))
		return TRUE;
	/*
	 * A compact Subject line wrapped by the printer: the line above is
	 * long and has no wide gaps (a gap is layout, a redacted area), this
	 * line, its rest, is shorter, and the block ends after it or the
	 * line starts in lower case (a body that follows its Subject line
	 * directly starts a sentence).
	 */
	if (f == V_SUBJECT && label_line->form == F_COLON && line_width(prev) >= 75 &&
	    l->indent <= label_line->indent && line_width(l) < line_width(prev) &&
	    !has_gap(text + prev->content, text + prev->end) &&
	    (next == NULL || next->kind == K_BLANK || next->kind == K_LABEL ||
	     (text[l->content] >= 'a' && text[l->content] <= 'z')))
		return TRUE;
	return FALSE;
}

/* Does DRAFT look like e-mail rather than a memo (see the header comment)? */
static gboolean
looks_like_mail(const Draft *d, gboolean have_sent_label)
{
	if (have_sent_label)
		return TRUE;
	const GString *s = d->v[V_SENT];
	if (has_time(s->str, s->str + s->len))
		return TRUE;
	const int addr[] = { V_FROM, V_TO, V_CC };
	for (gsize i = 0; i < G_N_ELEMENTS(addr); i++) {
		const GString *a = d->v[addr[i]];
		if (memchr(a->str, '@', a->len) || find_ci(a->str, a->str + a->len, "mailto"))
			return TRUE;
	}
	return FALSE;
}

/* Does the line [P, END) name attached files ("Remarks v3.docx; Schedule.pdf")? */
static gboolean
names_files(const char *p, const char *end)
{
	static const char *const exts[] = { ".doc", ".pdf", ".xls", ".ppt", ".jpg",
		                            ".png", ".txt", ".zip", ".msg", ".tif" };
	for (gsize i = 0; i < G_N_ELEMENTS(exts); i++)
		if (find_ci(p, end, exts[i]))
			return TRUE;
	return FALSE;
}

/* The width in columns of line L's content. */
static guint32
content_width(const char *text, const Line *l)
{
	const char *c = text + l->content;
	return advance_col(c, c + MIN(l->end - l->content, (gsize)MAX_VALUE), 0);
}

/*
 * Is text line X the rest of an address list whose line PREV the printer
 * cut inside a name ("...; Teresa G Bushman; Michelle" / "Cash; Dominic
 * Carolan; ...")?  PREV's last item must be a bare name (an address, a
 * "<...>" or a quoted name is never cut at a space), and PREV must have
 * been full: it and X's first word would not have fitted in the column.
 * The column is as wide as WIDEST, the widest line of the list so far,
 * less a tenth for the proportional font, and at least FULL_LINE columns:
 * a value column is no narrower, so a shorter line ended its list
 * ("Claudia" / "Meraz" / "Gary Bode; ..." is a To list and then a Cc
 * list).
 */
static gboolean
list_cut(const char *text, const Line *prev, const Line *x, guint32 widest)
{
	/* At most MAX_VALUE bytes of either line are looked at (SECURITY). */
	const char *e = text + prev->end, *c = e - MIN(prev->end - prev->content, (gsize)MAX_VALUE);
	guint32 w = content_width(text, prev);
	const char *item = e;
	while (item > c && item[-1] != ';' && item[-1] != ',')
		item--;
	for (const char *p = item; p < e; p++)
		if (*p == '@' || *p == '<' || *p == '>' || *p == '\'' || *p == '"' || *p == ')' || *p == ']')
			return FALSE;
	const char *xc = text + x->content, *xe = xc + MIN(x->end - x->content, (gsize)MAX_VALUE), *word = xc;
	while (word < xe && !is_space(*word))
		word++;
	guint32 need = MAX((guint32)FULL_LINE, widest - widest / 10);
	return w + 1 + advance_col(xc, word, 0) > need;
}

/*
 * Can line L, after the run of labels, be a value in the column form?
 * Text and redaction marks, and a label word without a colon: once the
 * labels have ended, a Subject "Attachment" alone on its line is a value.
 */
static gboolean
column_value(const Line *l)
{
	return l->kind == K_TEXT || l->kind == K_MARKS || (l->kind == K_LABEL && l->form != F_COLON);
}

/*
 * The column form, as a PDF's text comes out in reading order: the labels
 * alone on their lines ("From:", "Sent:", "To:", "Subject:"), then their
 * values one after the other, and the body right after them, often with
 * no blank line.  Line I is the From line, followed by at least two more
 * labels alone on their lines.  When Sent (or Date) follows From, the
 * first date among the next lines is its value and anchors the rest: the
 * line before it is From's (with the line before that when the address
 * went to a line of its own, '<' or '[', or the From list ended with ';';
 * not ',', as a body's first line may well end so: "Hi all,"), no line at
 * all means the From was withheld behind a black box, and lines before
 * From's are the body's first lines, short enough for the reading order
 * to put them in the labels' column (they go to the front of the body).
 * Each later label takes the next value line.  A value takes the
 * following lines too while they are plainly its rest: an address list
 * or attachment list ending with ',', ';' or '-', an address list cut
 * inside a name (list_cut()), a From whose address went to the next line
 * ('<', '['), a Subject whose next line starts in lower case or, before
 * Attachments, does not name files.  TRUE when it is a message (the
 * rules of read_block()).
 */
static gboolean
read_columns(const char *text, const Line *lines, gsize n, gsize i, Draft *d)
{
	guint8 order[L_NKINDS];
	gboolean seen[L_NKINDS] = { FALSE };
	gsize k = 0, j = i;
	/* The labels, with at most two blank lines between them (OCR spacing). */
	n = MIN(n, i + MAX_BLOCK_LINES);
	for (gsize blank = 0; j < n && k < L_NKINDS; j++) {
		const Line *l = &lines[j];
		if (l->kind == K_BLANK && ++blank <= 2)
			continue;
		if (l->kind != K_LABEL || l->value != l->end || l->form == F_LOOSE || seen[l->label])
			break;
		blank = 0;
		seen[l->label] = TRUE;
		order[k++] = l->label;
	}
	if (k < 3)
		return FALSE;
	d->start_line = i;
	gsize f = 0;
	if (order[1] == L_SENT || order[1] == L_DATE) {
		/* The value lines before the first date: the body's displaced lines, then From's. */
		gsize x[MAX_DISPLACED + 2], c = 0;
		for (; j < n; j++) {
			const Line *l = &lines[j];
			if (l->kind == K_BLANK || l->kind == K_FURNITURE)
				continue;
			if (!column_value(l))
				return FALSE;
			if (is_date(text + l->content, text + l->end))
				break;
			if (c == G_N_ELEMENTS(x))
				return FALSE;
			x[c++] = j;
		}
		if (j >= n)
			return FALSE;
		gsize from = c > 0 ? c - 1 : 0;
		if (c >= 2) {
			const Line *a = &lines[x[c - 1]], *b = &lines[x[c - 2]];
			char first = text[a->content], last = text[b->end - 1];
			if (first == '<' || first == '[' || last == ';')
				from = c - 2;
		}
		if (from > 0) {
			d->lead_start = lines[x[0]].content;
			d->lead_end = lines[x[from - 1]].end;
		}
		for (gsize m = from; m < c; m++)
			draft_add(d, V_FROM, text, lines[x[m]].content, lines[x[m]].end);
		f = 1;
	}
	for (; f < k; f++) {
		while (j < n && (lines[j].kind == K_BLANK || lines[j].kind == K_FURNITURE))
			j++;
		if (j >= n || !column_value(&lines[j]))
			return FALSE;
		int v = field_of(order[f]);
		const Line *l = &lines[j];
		j++;
		if (v == V_SENT && !is_date(text + l->content, text + l->end))
			return FALSE;
		draft_add(d, v, text, l->content, l->end);
		/* The rest of a value wrapped onto the next lines (a few; an address list's all). */
		gboolean list = v == V_TO || v == V_CC || v == V_BCC;
		guint32 widest = 0;
		for (int more = 0; v >= 0 && j < n && lines[j].kind == K_TEXT && (list || more < 4); more++) {
			const Line *x = &lines[j];
			const GString *got = d->v[v];
			char last = got->len ? got->str[got->len - 1] : '\0';
			char first = text[x->content];
			gboolean rest = FALSE;
			if (list) {
				widest = MAX(widest, content_width(text, &lines[j - 1]));
				rest = last == ',' || last == ';' || last == '-' || first == '<' ||
				       list_cut(text, &lines[j - 1], x, widest);
			} else if (v == V_ATTACH)
				rest = last == ',' || last == ';' || last == '-';
			else if (v == V_FROM)
				rest = first == '<' || first == '[';
			else if (v == V_SUBJECT) {
				/* Before Attachments, a line naming files is theirs, whatever its case. */
				gboolean attach_next = f + 1 < k && order[f + 1] == L_ATTACH;
				rest = (first >= 'a' && first <= 'z') || attach_next;
				if (attach_next && names_files(text + x->content, text + x->end))
					rest = FALSE;
			}
			if (!rest)
				break;
			draft_add(d, v, text, x->content, x->end);
			j++;
		}
	}
	d->body_line = j;
	return (seen[L_SENT] || seen[L_DATE]) && (seen[L_TO] || seen[L_SUBJECT]) && looks_like_mail(d, seen[L_SENT]);
}

/*
 * Read the header block whose From line is line I into D (initialised).
 * TRUE when it is a message; D->body_line is then the line after it.
 */
static gboolean
read_block(const char *text, const Line *lines, gsize n, gsize i, Draft *d)
{
	if (lines[i].value == lines[i].end) {
		if (read_columns(text, lines, n, i, d))
			return TRUE;
		/* Not the column form after all: read it again as a block. */
		for (int f = 0; f < V_N; f++)
			g_string_truncate(d->v[f], 0);
		g_string_truncate(d->withheld, 0);
	}
	gboolean seen[L_NKINDS] = { FALSE };
	gboolean have_sent_label = FALSE;
	const Line *label_line = &lines[i];
	int cur = V_FROM;
	gsize last = i;
	seen[L_FROM] = TRUE;
	d->start_line = i;
	draft_add(d, cur, text, lines[i].value, lines[i].end);

	/* Two blank lines inside a block; more around a page break's furniture. */
	gsize j = i + 1, blank = 0, max_blank = 2;
	for (; j < n && j - i < MAX_BLOCK_LINES; j++) {
		const Line *l = &lines[j];
		/* Furniture and the blank lines around it are passed over. */
		if (l->kind == K_FURNITURE) {
			blank = 0;
			max_blank = 6;
			continue;
		}
		if (l->kind == K_BLANK) {
			if (++blank > max_blank)
				break;
			continue;
		}
		/*
		 * "Sent to the committee ...": a loose Sent or Date needs a date.
		 * Loose labels that are no English word (Cc, Bcc) and dated Sent
		 * lines may follow blank lines, as OCR spaces a header out; "To"
		 * and "Subject" only come loose right under a header line.
		 */
		gboolean dated = is_date(text + l->value, text + l->end);
		gboolean wordless =
		    l->label == L_CC || l->label == L_BCC || ((l->label == L_SENT || l->label == L_DATE) && dated);
		gboolean loose_ok = l->form != F_LOOSE ||
		                    ((blank == 0 || wordless) && ((l->label != L_SENT && l->label != L_DATE) || dated));
		if (l->kind == K_LABEL && l->label != L_FROM && (l->label == L_OTHER || !seen[l->label]) && loose_ok) {
			seen[l->label] = TRUE;
			if (l->label == L_SENT)
				have_sent_label = TRUE;
			int f = field_of(l->label);
			/* Sent and Date share a field: the first one printed is kept. */
			if (f == V_SENT && d->v[V_SENT]->len > 0)
				f = -1;
			cur = f;
			label_line = l;
			draft_add(d, cur, text, l->value, l->end);
			last = j;
			blank = 0;
			continue;
		}
		/* An address list that ends in ',' or ';' goes on past blank lines (gaps of withheld names). */
		if (blank > 0 && !(cur >= 0 && (cur == V_TO || cur == V_CC || cur == V_BCC) && d->v[cur]->len > 0 &&
		                   strchr(",;", d->v[cur]->str[d->v[cur]->len - 1]) != NULL && l->kind == K_TEXT))
			break;
		if (blank > 0) {
			draft_add(d, cur, text, l->content, l->end);
			last = j;
			blank = 0;
			continue;
		}
		if (l->kind == K_MARKS) {
			draft_add(d, cur, text, l->content, l->end);
			last = j;
			continue;
		}
		/*
		 * Lines between two header lines (a few, with no blank line) can
		 * only be the rest of the value above them ("Cc: ...; Okafor,
		 * Julian R" / "<OkaforJR@...>" / "Sent: ...").
		 */
		const Line *next = j + 1 < n ? &lines[j + 1] : NULL;
		gboolean sandwiched = FALSE;
		for (gsize k = j + 1; k < n && k <= j + SANDWICH_LINES; k++) {
			const Line *x = &lines[k];
			if (x->kind == K_LABEL && x->form != F_LOOSE) {
				sandwiched = x->label != L_FROM && (x->label == L_OTHER || !seen[x->label]);
				break;
			}
			if (x->kind != K_TEXT && x->kind != K_MARKS)
				break;
		}
		if (l->kind == K_TEXT && cur >= 0 &&
		    (sandwiched || continues(text, d, cur, label_line, &lines[last], l, next))) {
			draft_add(d, cur, text, l->content, l->end);
			last = j;
			continue;
		}
		break;
	}
	d->body_line = last + 1;
	/* Labels with no values at all are a form, not a message. */
	if (d->v[V_FROM]->len == 0 && d->v[V_SENT]->len == 0 && d->withheld->len == 0)
		return FALSE;
	return (seen[L_SENT] || seen[L_DATE]) && (seen[L_TO] || seen[L_SUBJECT]) && looks_like_mail(d, have_sent_label);
}

/*
 * The end of a date whose time of day ends at P (before Z): a zone after
 * the time ("-0500", "EST", "(UTC)") and a year ("18:21:38 2009") are
 * the date's too, in either order, so that they go to sent and not to
 * the name after them.
 */
static const char *
date_tail(const char *p, const char *z)
{
	for (int part = 0; part < 2; part++) {
		const char *r = p;
		while (r < z && *r == ' ')
			r++;
		if (r + 4 < z && (*r == '+' || *r == '-') && is_digit(r[1]) && is_digit(r[2]) && is_digit(r[3]) &&
		    is_digit(r[4]) && (r + 5 == z || !is_digit(r[5]))) {
			p = r + 5;
			continue;
		}
		if (r + 3 < z && (*r == '1' || *r == '2') && is_digit(r[1]) && is_digit(r[2]) && is_digit(r[3]) &&
		    (r + 4 == z || !is_digit(r[4]))) {
			p = r + 4;
			continue;
		}
		gboolean paren = r < z && *r == '(';
		const char *w = r + paren, *e = w;
		while (e < z && is_alpha(*e))
			e++;
		int minutes;
		if (e == w || (e < z && is_alnum(*e)) || !zone_named(w, e - w, &minutes))
			break;
		if (paren && !(e < z && *e == ')'))
			break;
		p = e + paren;
	}
	return p;
}

/*
 * The "On <date>, <name> wrote:" line starting at line I (with "wrote:" on
 * it or on the next line) into D; TRUE when it is one and its date parses.
 */
static gboolean
read_wrote(const char *text, const Line *lines, gsize n, gsize i, GTimeZone *tz, Draft *d)
{
	const Line *l = &lines[i];
	const char *c = text + l->content, *e = text + l->end;
	if (e - c < 8 || e - c > MAX_WROTE || !(c[0] == 'O' && c[1] == 'n' && c[2] == ' '))
		return FALSE;
	g_autoptr(GString) s = g_string_new_len(c, e - c);
	gsize last = i;
	if (!(s->len >= 6 && strcmp(s->str + s->len - 6, "wrote:") == 0)) {
		if (i + 1 >= n || lines[i + 1].kind == K_BLANK)
			return FALSE;
		const Line *l2 = &lines[i + 1];
		const char *c2 = text + l2->content, *e2 = text + l2->end;
		if (e2 - c2 > MAX_WROTE || e2 - c2 < 6 || memcmp(e2 - 6, "wrote:", 6) != 0)
			return FALSE;
		g_string_append_c(s, ' ');
		g_string_append_len(s, c2, e2 - c2);
		last = i + 1;
	}
	/* [3, inner_end): "<date>, <name>". */
	gsize inner_end = s->len - 6;
	const char *a = s->str + 3, *z = s->str + inner_end;
	/* The date ends after a time of day (and its AM/PM), else after its year. */
	const char *date_end = NULL;
	for (const char *p = a; p + 2 < z; p++) {
		if (is_digit(p[0]) && p[1] == ':' && is_digit(p[2])) {
			const char *q = p + 2;
			while (q < z && (is_digit(*q) || *q == ':'))
				q++;
			const char *r = q;
			while (r < z && *r == ' ')
				r++;
			if (r + 1 < z && (lower(r[0]) == 'a' || lower(r[0]) == 'p') && lower(r[1]) == 'm' &&
			    (r + 2 == z || !is_alpha(r[2])))
				q = r + 2;
			date_end = date_tail(q, z);
			break;
		}
	}
	if (date_end == NULL) {
		for (const char *p = a; p < z; p++) {
			if (!is_digit(*p) || (p > a && is_digit(p[-1])))
				continue;
			const char *q = p;
			while (q < z && (is_digit(*q) || *q == '/'))
				q++;
			gsize dl = q - p;
			if ((dl == 4 && (p[0] == '1' || p[0] == '2')) || memchr(p, '/', dl)) {
				date_end = q;
				break;
			}
		}
	}
	if (date_end == NULL)
		return FALSE;
	g_autofree char *date = parse_date(a, date_end - a, tz);
	if (date == NULL)
		return FALSE;
	const char *name = date_end;
	while (name < z && (*name == ',' || is_space(*name)))
		name++;
	append_piece(d->v[V_SENT], d->withheld, "sent", a, date_end - a);
	append_piece(d->v[V_FROM], d->withheld, "from", name, z - name);
	trim_value(d->v[V_FROM]);
	if (d->v[V_FROM]->len == 0 && strstr(d->withheld->str, "from ") == NULL)
		return FALSE;
	d->start_line = i;
	d->body_line = last + 1;
	return TRUE;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

const char *const dp_printed_field_names[DP_PRINTED_N_FIELDS] = {
	"from", "to", "cc", "bcc", "subject", "date", "sent", "attachments", "withheld", "body",
};

void
dp_printed_message_free(DpPrintedMessage *m)
{
	if (m == NULL)
		return;
	for (int f = 0; f < DP_PRINTED_N_FIELDS; f++)
		g_free(m->field[f]);
	g_free(m);
}

/* V as a valid UTF-8 string, or NULL when it is empty. */
static char *
take_value(GString *v)
{
	trim_value(v);
	if (v->len == 0)
		return NULL;
	return g_utf8_make_valid(v->str, (gssize)v->len);
}

/*
 * The message of D, at OFFSET in TEXT; its body comes later (set_body()),
 * but for its displaced first lines (read_columns()), kept there till then.
 */
static DpPrintedMessage *
make_message(Draft *d, const char *text, gsize offset, GTimeZone *tz)
{
	DpPrintedMessage *m = g_new0(DpPrintedMessage, 1);
	m->offset = offset;
	for (int f = 0; f < V_N; f++)
		m->field[draft_field[f]] = take_value(d->v[f]);
	const char *sent = m->field[DP_PRINTED_SENT];
	m->field[DP_PRINTED_DATE] = sent ? parse_date(sent, strlen(sent), tz) : NULL;
	m->field[DP_PRINTED_WITHHELD] = d->withheld->len ? g_strdup(d->withheld->str) : NULL;
	if (d->lead_end > d->lead_start)
		m->field[DP_PRINTED_BODY] =
		    g_utf8_make_valid(text + d->lead_start, (gssize)(d->lead_end - d->lead_start));
	return m;
}

/*
 * Set M's body to [START, END) of TEXT, white space trimmed at both ends,
 * after the displaced lines make_message() left in it.
 */
static void
set_body(DpPrintedMessage *m, const char *text, gsize start, gsize end)
{
	start = MIN(start, end);
	while (start < end && (g_ascii_isspace(text[start]) || text[start] == '\f'))
		start++;
	while (end > start && (g_ascii_isspace(text[end - 1]) || text[end - 1] == '\f'))
		end--;
	g_autofree char *lead = g_steal_pointer(&m->field[DP_PRINTED_BODY]);
	g_autofree char *rest = g_utf8_make_valid(text + start, (gssize)(end - start));
	if (lead == NULL)
		m->field[DP_PRINTED_BODY] = g_steal_pointer(&rest);
	else
		m->field[DP_PRINTED_BODY] = *rest ? g_strconcat(lead, "\n", rest, NULL) : g_steal_pointer(&lead);
}

/*
 * The window of lines kept ahead of the line looked at: enough for the
 * longest look ahead (a header block of MAX_BLOCK_LINES lines and the
 * line after it), and slid forward once it holds WINDOW_SLIDE lines.
 */
#define WINDOW_AHEAD (MAX_BLOCK_LINES + 8)
#define WINDOW_SLIDE 4096

GPtrArray *
dp_printed_parse(const char *text, gsize len, const char *zone)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)dp_printed_message_free);
	if (text == NULL || len == 0)
		return out;
	g_autoptr(GTimeZone) tz = zone ? g_time_zone_new_identifier(zone) : NULL;
	Cutter cut = { text, len, 0, FALSE };
	g_autoptr(GArray) window = g_array_new(FALSE, TRUE, sizeof(Line));
	gboolean more = TRUE;

	/*
	 * The messages, in order.  A body runs from its header block to the
	 * next message's first line, less the blank lines and separators just
	 * before it: BODY is where the last message's body starts, GAP where
	 * the current run of blank lines and separators began.
	 */
	gsize i = 0, gap = G_MAXSIZE, body = 0;
	for (;;) {
		while (more && window->len < i + WINDOW_AHEAD) {
			Line l;
			if ((more = cut_next(&cut, &l)))
				g_array_append_val(window, l);
		}
		if (i >= window->len || out->len >= MAX_MESSAGES)
			break;
		if (i >= WINDOW_SLIDE) {
			g_array_remove_range(window, 0, (guint)i);
			i = 0;
		}
		const Line *lines = (const Line *)(void *)window->data;
		gsize n = window->len;
		const Line *l = &lines[i];
		/* "From Name" with one space starts a block only right above another label. */
		gboolean from = l->kind == K_LABEL && l->label == L_FROM &&
		                (l->form != F_LOOSE || (i + 1 < n && lines[i + 1].kind == K_LABEL));
		gboolean wrote = l->kind == K_TEXT && text[l->content] == 'O';
		if (from || wrote) {
			Draft d;
			draft_init(&d);
			gboolean found =
			    from ? read_block(text, lines, n, i, &d) : read_wrote(text, lines, n, i, tz, &d);
			if (found) {
				g_assert(d.body_line > i && d.body_line <= n);
				if (out->len > 0)
					set_body(out->pdata[out->len - 1], text, body,
					         gap != G_MAXSIZE ? gap : l->start);
				g_ptr_array_add(out, make_message(&d, text, l->start, tz));
				/* Past the window's last line is where the cutter stands. */
				body = d.body_line < n ? lines[d.body_line].start : cut.pos;
				i = d.body_line;
				gap = G_MAXSIZE;
				draft_clear(&d);
				continue;
			}
			draft_clear(&d);
		}
		if (l->kind == K_BLANK || l->kind == K_SEPARATOR) {
			if (gap == G_MAXSIZE)
				gap = l->start;
		} else {
			gap = G_MAXSIZE;
		}
		i++;
	}
	/*
	 * The last body runs to the end of the text, less separators there;
	 * after MAX_MESSAGES messages, all the rest of the text is the last
	 * body.
	 */
	if (out->len > 0) {
		gboolean at_end = out->len < MAX_MESSAGES || (!more && i >= window->len);
		set_body(out->pdata[out->len - 1], text, body, at_end && gap != G_MAXSIZE ? gap : len);
	}
	return out;
}
