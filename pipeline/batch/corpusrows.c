/*
 * NAME
 *	corpusrows.c - a worker's rows for the corpus database
 *
 * DESCRIPTION
 *	For every record of an input the worker adds one "D" row (the
 *	document or part), and for every message (message/rfc822, or
 *	message/x-printed found in a document's text) one "M" row, to the
 *	rows it sends back to the parent.  Rows are lines of tab-separated
 *	fields; a tab or line break inside a value becomes a space.
 *
 *	  D part type status error pages ocr-pages ocr-confidences chars
 *	    exemptions date text-hash minhash has-text-layer
 *	  M part kind from to cc date subject mid refs node-key subject-key
 *	    reply chain seq
 *
 *	Before redaction (dp_corpus_rows_before) the text is normalized
 *	(corpus/minhash.c) and its hash and MinHash signature taken, and a
 *	message's ids, its printed identity (sender, date to the minute,
 *	subject; then sender and minute alone, space-separated in the node
 *	key) and its subject are hashed: only hashes (keyed when a key
 *	is configured, dp_redactor_hash) leave this file, never a value.
 *	After redaction (dp_corpus_rows_after) every other field is read from
 *	the record as it is written out, so the database holds what the
 *	outputs hold and no more.
 *
 * SECURITY
 *	The records are what extraction made of untrusted input (checked by
 *	sandbox/isolate.c).  The text is scanned once, in linear time; ids
 *	lists are cut at MAX_REFS.
 */
#include "batch/corpusrows.h"

#include "core/detect.h"
#include "core/record.h"
#include "corpus/minhash.h"
#include "corpus/threads.h"
#include "redact/redact.h"

#include <string.h>

#include "util/banned.h"

/* A References header longer than this many ids keeps the last ones (the nearest ancestors). */
#define MAX_REFS 100

/* What the record before redaction gave, for its row after. */
typedef struct {
	char *text_hash, *minhash;
	char *mid, *refs, *node_key, *subject_key;
	gboolean reply;
	guint seq;
} Pending;

struct DpCorpusRows {
	const DpRedactor *rd;
	guint shingle;
	Pending p;
	GString *rows;
};

static void
pending_clear(Pending *p)
{
	g_free(p->text_hash);
	g_free(p->minhash);
	g_free(p->mid);
	g_free(p->refs);
	g_free(p->node_key);
	g_free(p->subject_key);
	memset(p, 0, sizeof *p);
}

DpCorpusRows *
dp_corpus_rows_new(const DpRedactor *rd, guint shingle)
{
	DpCorpusRows *c = g_new0(DpCorpusRows, 1);
	c->rd = rd;
	c->shingle = shingle;
	c->rows = g_string_new(NULL);
	return c;
}

void
dp_corpus_rows_free(DpCorpusRows *c)
{
	if (c == NULL)
		return;
	pending_clear(&c->p);
	g_string_free(c->rows, TRUE);
	g_free(c);
}

static gboolean
is_message(const DpRecord *rec, gboolean *printed)
{
	const char *type = dp_record_get(rec, DP_F_TYPE);
	*printed = type != NULL && g_str_equal(type, DP_TYPE_PRINTED);
	return type != NULL && (*printed || g_str_equal(type, DP_TYPE_RFC822));
}

/* The ids "<...>" in S, each hashed, space-separated, appended to OUT (at most MAX_REFS, the last ones). */
static void
hash_ids(const DpRedactor *rd, const char *s, GPtrArray *out)
{
	for (const char *p = s; p != NULL && (p = strchr(p, '<')) != NULL;) {
		const char *e = strchr(p, '>');
		if (e == NULL)
			break;
		g_autofree char *id = g_strndup(p + 1, (gsize)(e - p - 1));
		g_strstrip(id);
		if (*id != '\0')
			g_ptr_array_add(out, dp_redactor_hash(rd, "message-id", id));
		p = e + 1;
	}
	while (out->len > MAX_REFS)
		g_ptr_array_remove_index(out, 0);
}

/* Letters and digits of S, case-folded: "Mills, Cheryl D" and "MILLS CHERYL D" are one sender. */
static char *
fold_alnum(const char *s)
{
	g_autoptr(GString) norm = dp_minhash_normalize(s, strlen(s));
	g_autoptr(GString) out = g_string_new(NULL);
	for (const char *p = norm->str; *p; p++)
		if (*p != ' ')
			g_string_append_c(out, *p);
	return g_strdup(out->str);
}

/* Whether the word at P (up to white space) holds an address: "imailto:x", "x@y". */
static gboolean
address_word(const char *p)
{
	for (; *p && !g_ascii_isspace(*p); p++)
		if (*p == ':' || *p == '@')
			return TRUE;
	return FALSE;
}

/*
 * The sender's name, letters only and case-folded: printed copies of one
 * message lose or damage the address in many ways ("<x>", "[mailto:x]",
 * "(mailto:x", OCR's "imailto:x" or "[maitto:x]"), so the key is cut where
 * the first of them starts, and digits, punctuation and spaces, which OCR
 * adds and drops, are left out.  A sender that is only an address keeps
 * the letters of the whole of it.
 */
static char *
sender_key(const char *from)
{
	gsize cut = 0;
	for (const char *p = from; *p; p++, cut++) {
		if (*p == '<' || *p == '[' || *p == '(')
			break;
		if ((p == from || g_ascii_isspace(p[-1])) && address_word(p))
			break;
	}
	g_autofree char *name = g_strndup(from, cut);
	g_autofree char *k = fold_alnum(name);
	g_autoptr(GString) letters = g_string_new(NULL);
	for (const char *p = k; *p; p = g_utf8_next_char(p))
		if (g_unichar_isalpha(g_utf8_get_char(p)))
			g_string_append_unichar(letters, g_utf8_get_char(p));
	return letters->len > 0 ? g_strdup(letters->str) : fold_alnum(from);
}

static void
message_before(DpCorpusRows *c, const DpRecord *rec, gboolean printed)
{
	Pending *p = &c->p;
	const char *subject = dp_record_get(rec, DP_META_PREFIX "subject");
	g_autofree char *subj = dp_threads_subject(subject, &p->reply);
	if (subj != NULL && *subj != '\0')
		p->subject_key = dp_redactor_hash(c->rd, "subject", subj);
	if (!printed) {
		const char *mid = dp_record_get(rec, DP_META_PREFIX "message-id");
		g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
		hash_ids(c->rd, mid, ids);
		if (ids->len > 0)
			p->mid = g_strdup(ids->pdata[0]);
		g_ptr_array_set_size(ids, 0);
		hash_ids(c->rd, dp_record_get(rec, DP_META_PREFIX "references"), ids);
		g_autoptr(GPtrArray) irt = g_ptr_array_new_with_free_func(g_free);
		hash_ids(c->rd, dp_record_get(rec, DP_META_PREFIX "in-reply-to"), irt);
		/* In-Reply-To names the parent: it goes last unless References ends with it already. */
		if (irt->len > 0 && (ids->len == 0 || !g_str_equal(ids->pdata[ids->len - 1], irt->pdata[0])))
			g_ptr_array_add(ids, g_strdup(irt->pdata[0]));
		g_ptr_array_add(ids, NULL);
		p->refs = g_strjoinv(" ", (char **)ids->pdata);
		return;
	}
	/* Printed: "message N" is its place in the document's text, newest first. */
	const char *path = dp_record_get(rec, DP_F_PATH);
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *last = slash ? slash + 1 : path;
	if (last != NULL && g_str_has_prefix(last, "message "))
		p->seq = (guint)g_ascii_strtoull(last + 8, NULL, 10);
	const char *from = dp_record_get(rec, DP_META_PREFIX "from");
	const char *date = dp_record_get(rec, DP_META_PREFIX "date");
	const char *sent = dp_record_get(rec, DP_META_PREFIX "sent");
	if (from == NULL || (date == NULL && sent == NULL))
		return;
	g_autofree char *who = sender_key(from);
	/* To the minute: "2009-03-02T10:15"; a date that did not parse, folded as printed. */
	g_autofree char *when =
	    date != NULL && strlen(date) >= 16 ? g_strndup(date, 16) : fold_alnum(date ? date : sent);
	g_autofree char *what = subj ? fold_alnum(subj) : g_strdup("");
	g_autofree char *key = g_strdup_printf("%s\n%s\n%s", who, when, what);
	g_autofree char *full = dp_redactor_hash(c->rd, "printed", key);
	/* The sender and minute alone as a second hash: OCR damages subjects ("Re: PDS" for "Re: PDB"). */
	g_autofree char *minute_key = g_strdup_printf("%s\n%s", who, when);
	g_autofree char *minute = dp_redactor_hash(c->rd, "printed", minute_key);
	p->node_key = g_strconcat(full, " ", minute, NULL);
}

void
dp_corpus_rows_before(DpCorpusRows *c, const DpRecord *rec)
{
	pending_clear(&c->p);
	g_autoptr(GString) norm = dp_minhash_normalize(rec->body->str, rec->body->len);
	DpMinhash sig;
	if (norm->len > 0 && dp_minhash_sign(norm->str, c->shingle, &sig)) {
		c->p.text_hash = dp_redactor_hash(c->rd, "text", norm->str);
		c->p.minhash = dp_minhash_to_string(&sig);
	}
	gboolean printed;
	if (is_message(rec, &printed))
		message_before(c, rec, printed);
}

/* VALUE (may be NULL) as one field, then a tab (or the row's newline when LAST). */
static void
field(GString *row, const char *value, gboolean last)
{
	for (const char *p = value; p != NULL && *p != '\0'; p++)
		g_string_append_c(row, *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ? ' ' : *p);
	g_string_append_c(row, last ? '\n' : '\t');
}

/* VALUE if it starts as an ISO 8601 date (YYYY-MM-DD), else NULL. */
static const char *
iso_or_null(const char *v)
{
	if (v == NULL || strlen(v) < 10)
		return NULL;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? v[i] != '-' : !g_ascii_isdigit(v[i]))
			return NULL;
	return v;
}

/* The mean confidences of the "ocr" field ("PAGE:CONF PAGE:CONF ..."), space-separated; NULL when none. */
static char *
ocr_confidences(const DpRecord *rec)
{
	const char *ocr = dp_record_get(rec, DP_F_OCR);
	if (ocr == NULL)
		return NULL;
	g_auto(GStrv) pages = g_strsplit(ocr, " ", -1);
	GString *out = g_string_new(NULL);
	for (guint i = 0; pages[i] != NULL; i++) {
		const char *colon = strchr(pages[i], ':');
		if (colon == NULL || !g_ascii_isdigit(colon[1]) || strlen(colon + 1) > 3)
			continue;
		g_string_append_printf(out, "%s%s", out->len ? " " : "", colon + 1);
	}
	return g_string_free(out, FALSE);
}

static const char *
message_date(const DpRecord *rec)
{
	const char *d = iso_or_null(dp_record_get(rec, DP_META_PREFIX "date-iso"));
	return d ? d : iso_or_null(dp_record_get(rec, DP_META_PREFIX "date"));
}

/*
 * The body's "chars" with g_utf8_strlen() were a third of a worker's own
 * CPU on a megabyte of text (perf: it steps one character at a time
 * through a table); eight bytes without a high bit or a NUL are eight
 * characters, and anything else takes GLib's step.
 */
glong
dp_corpus_rows_count_chars(const char *s, gsize max)
{
	const guchar *p = (const guchar *)s, *end = p + max;
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), highs = G_GUINT64_CONSTANT(0x8080808080808080);
	glong n = 0;
	while (p < end && *p != '\0') {
		guint64 w;
		if (end - p >= 8 && (memcpy(&w, p, 8), (w & highs) == 0 && ((w - ones) & ~w & highs) == 0)) {
			p += 8;
			n += 8;
			continue;
		}
		p += g_utf8_skip[*p];
		n++;
	}
	/* A last character that runs past MAX is not counted. */
	return p > end ? n - 1 : n;
}

void
dp_corpus_rows_after(DpCorpusRows *c, const DpRecord *rec)
{
	GString *r = c->rows;
	const Pending *p = &c->p;
	const char *path = dp_record_get(rec, DP_F_PATH);
	gboolean printed;
	gboolean msg = is_message(rec, &printed);
	const char *date = msg ? message_date(rec) : iso_or_null(dp_record_get(rec, DP_META_PREFIX "foia.date"));
	const char *ocr = dp_record_get(rec, DP_META_PREFIX "ocr-pages");
	g_autofree char *exemptions = g_strdup(dp_record_get(rec, DP_META_PREFIX "foia.exemptions"));
	if (exemptions != NULL)
		g_strdelimit(exemptions, ";", ' ');
	g_autofree char *chars = g_strdup_printf("%ld", dp_corpus_rows_count_chars(rec->body->str, rec->body->len));
	gboolean text_layer = p->text_hash != NULL && (ocr == NULL || g_str_equal(ocr, "0"));
	field(r, "D", FALSE);
	field(r, path ? path : "", FALSE);
	field(r, dp_record_get(rec, DP_F_TYPE), FALSE);
	field(r, dp_record_get(rec, DP_F_STATUS), FALSE);
	field(r, dp_record_get(rec, DP_F_ERROR), FALSE);
	field(r, dp_record_get(rec, DP_META_PREFIX "pages"), FALSE);
	field(r, ocr, FALSE);
	g_autofree char *confidences = ocr_confidences(rec);
	field(r, confidences, FALSE);
	field(r, chars, FALSE);
	field(r, exemptions, FALSE);
	field(r, date, FALSE);
	field(r, p->text_hash, FALSE);
	field(r, p->minhash, FALSE);
	field(r, text_layer ? "1" : "0", TRUE);
	if (!msg)
		return;
	g_autofree char *seq = g_strdup_printf("%u", p->seq);
	field(r, "M", FALSE);
	field(r, path ? path : "", FALSE);
	field(r, printed ? "printed" : "mail", FALSE);
	field(r, dp_record_get(rec, DP_META_PREFIX "from"), FALSE);
	field(r, dp_record_get(rec, DP_META_PREFIX "to"), FALSE);
	field(r, dp_record_get(rec, DP_META_PREFIX "cc"), FALSE);
	field(r, date, FALSE);
	field(r, dp_record_get(rec, DP_META_PREFIX "subject"), FALSE);
	field(r, p->mid, FALSE);
	field(r, p->refs, FALSE);
	field(r, p->node_key, FALSE);
	field(r, p->subject_key, FALSE);
	field(r, p->reply ? "1" : "0", FALSE);
	field(r, printed ? dp_record_get(rec, DP_F_PARENT) : NULL, FALSE);
	field(r, seq, TRUE);
}

GString *
dp_corpus_rows_take(DpCorpusRows *c)
{
	GString *rows = c->rows;
	c->rows = g_string_new(NULL);
	return rows;
}
