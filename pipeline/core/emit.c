/*
 * emit.c: normalized text and XML for each top-level document and its
 * parts.  Records arrive in pre-order (a parent before its children), so
 * both outputs are streamed: an XML element is opened per record and closed
 * when a record arrives that is not its descendant.  Memory stays bounded by
 * one record plus the stack of open ancestors' ids.
 *
 * Files are written atomically (a temporary renamed into place) and, when
 * the caller asks (`docpipe run`, for its ledger), hashed as they are
 * written, so that nobody has to read them back to know their SHA-256.
 */
#define _GNU_SOURCE 1 /* fopencookie */
#include "core/emit.h"

#include "core/detect.h"
#include "core/ocrwords.h"
#include "core/record.h"
#include "core/text.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* One output file (or stdout) being written. */
typedef struct {
	FILE *fp;
	int fd;            /* FP's descriptor, when FP writes to FINAL */
	char *tmp;         /* temporary path, renamed to FINAL when done */
	char *final;       /* NULL for stdout */
	gboolean no_fsync; /* the caller syncs before it relies on the file */
	gboolean hash;     /* hash what is written (SUM), for SHA256 */
	struct sha256_ctx sum;
	char *sha256; /* hex SHA-256 of the last file committed since sink_open() */
} Sink;

struct DpEmitter {
	int formats;
	char *outdir;
	FILE *out;
	gboolean headers;
	Sink text, xml;
	xmlBufferPtr xbuf;
	xmlTextWriterPtr xw;
	GPtrArray *stack; /* ids of the open ancestors (char*) */
	gboolean open;    /* a top-level document is open */
	gboolean no_fsync;
	gboolean hash_outputs; /* the sinks hash what they write */
	guint64 n_records, n_docs;
	int exit_code;
	DpMsgIndex *messages; /* not owned; NULL: no index */
	int doc_exit;         /* worst of the current top-level document */
	gboolean doc_shrunk;  /* a record of it says its input shrank while it was read */
	char *doc_problem;    /* its first non-ok "status: error", for the log */
	char *next_name;      /* dp_emitter_set_output_name(), for the next document */
	gboolean next_unique;
	GHashTable *names; /* the output bases written under a unique name */
};

DpEmitter *
dp_emitter_new(int formats, const char *outdir, FILE *out, gboolean headers)
{
	DpEmitter *em = g_new0(DpEmitter, 1);
	em->formats = formats;
	em->outdir = g_strdup(outdir);
	em->out = out;
	em->headers = headers;
	em->stack = g_ptr_array_new_with_free_func(g_free);
	em->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return em;
}

static void
sink_abort(Sink *s)
{
	if (s->fp != NULL && s->final != NULL) {
		fclose(s->fp);
		unlink(s->tmp);
	}
	s->fp = NULL;
	g_clear_pointer(&s->tmp, g_free);
	g_clear_pointer(&s->final, g_free);
}

void
dp_emitter_free(DpEmitter *em)
{
	if (em == NULL)
		return;
	/* A document still open here was interrupted: leave nothing behind. */
	sink_abort(&em->text);
	sink_abort(&em->xml);
	g_free(em->text.sha256);
	g_free(em->xml.sha256);
	if (em->xw)
		xmlFreeTextWriter(em->xw);
	if (em->xbuf)
		xmlBufferFree(em->xbuf);
	g_ptr_array_unref(em->stack);
	g_free(em->outdir);
	g_free(em->doc_problem);
	g_free(em->next_name);
	g_hash_table_unref(em->names);
	g_free(em);
}

void
dp_emitter_set_durable(DpEmitter *em, gboolean durable)
{
	em->no_fsync = !durable;
}

void
dp_emitter_set_hash_outputs(DpEmitter *em, gboolean hash)
{
	em->hash_outputs = hash;
}

const char *
dp_emitter_output_sha256(const DpEmitter *em, DpEmitFormat format)
{
	return format == DP_EMIT_TEXT ? em->text.sha256 : format == DP_EMIT_XML ? em->xml.sha256 : NULL;
}

int
dp_emitter_exit_code(const DpEmitter *em)
{
	return em->exit_code;
}

int
dp_emitter_doc_exit(const DpEmitter *em, const char **problem)
{
	if (problem)
		*problem = em->doc_problem;
	return em->doc_exit;
}

void
dp_emitter_set_output_name(DpEmitter *em, const char *name, gboolean unique)
{
	g_free(em->next_name);
	em->next_name = g_strdup(name);
	em->next_unique = unique;
}

guint64
dp_emitter_n_records(const DpEmitter *em)
{
	return em->n_records;
}

char *
dp_emit_output_base(const char *outdir, const char *source)
{
	g_auto(GStrv) parts = g_strsplit(source && *source ? source : "stdin", "/", -1);
	g_autoptr(GString) rel = g_string_new(NULL);
	for (guint i = 0; parts[i]; i++) {
		const char *p = parts[i];
		if (*p == '\0' || g_str_equal(p, "."))
			continue;
		if (rel->len > 0)
			g_string_append_c(rel, '/');
		/* ".." would climb out of OUTDIR: it becomes a plain name. */
		g_string_append(rel, g_str_equal(p, "..") ? "__" : p);
	}
	if (rel->len == 0 || g_str_equal(source, "-"))
		g_string_assign(rel, "stdin");
	return g_build_filename(outdir, rel->str, NULL);
}

static gboolean
mkdir_parents_of(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0777) != 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_CANTCREAT, "cannot create directory '%s': %s", dir, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

/*
 * The write function of a hashed sink's stream: every byte that reaches
 * the file goes through the hash on its way.  All or nothing: stdio takes
 * a short count for an error.
 */
static ssize_t
sink_hashed_write(void *cookie, const char *buf, size_t len)
{
	Sink *s = cookie;
	for (size_t done = 0; done < len;) {
		ssize_t n = write(s->fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		done += (size_t)n;
	}
	sha256_update(&s->sum, len, (const guint8 *)buf);
	return (ssize_t)len;
}

static int
sink_hashed_close(void *cookie)
{
	Sink *s = cookie;
	return close(s->fd);
}

static gboolean
sink_open(Sink *s, const char *final, GError **error)
{
	g_clear_pointer(&s->sha256, g_free);
	s->fp = NULL;
	if (!mkdir_parents_of(final, error))
		return FALSE;
	s->final = g_strdup(final);
	s->tmp = g_strdup_printf("%s.tmp-XXXXXX", final);
	/* Mode 0666 less the umask: outputs are ordinary files. */
	s->fd = g_mkstemp_full(s->tmp, O_WRONLY | O_CLOEXEC, 0666);
	int e = errno;
	if (s->fd >= 0 && s->hash) {
		static const cookie_io_functions_t hashed = { NULL, sink_hashed_write, NULL, sink_hashed_close };
		sha256_init(&s->sum);
		s->fp = fopencookie(s, "w", hashed);
	} else if (s->fd >= 0) {
		s->fp = fdopen(s->fd, "w");
	}
	if (s->fd >= 0 && s->fp == NULL) {
		e = errno;
		close(s->fd);
		unlink(s->tmp);
	}
	if (s->fp == NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_CANTCREAT, "cannot create '%s': %s", final, g_strerror(e));
		g_clear_pointer(&s->tmp, g_free);
		g_clear_pointer(&s->final, g_free);
		return FALSE;
	}
	return TRUE;
}

/* Lowercase hex of the hash of what the sink wrote. */
static char *
sink_digest(Sink *s)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	sha256_digest(&s->sum, sizeof digest, digest);
	GString *hex = g_string_sized_new(2 * sizeof digest);
	for (guint i = 0; i < sizeof digest; i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

static gboolean
sink_commit(Sink *s, GError **error)
{
	if (s->final == NULL) {
		s->fp = NULL;
		return TRUE;
	}
	gboolean ok = fflush(s->fp) == 0 && !ferror(s->fp) && (s->no_fsync || fsync(s->fd) == 0);
	int e = errno;
	ok = (fclose(s->fp) == 0) && ok;
	s->fp = NULL;
	if (!ok || rename(s->tmp, s->final) != 0) {
		if (ok)
			e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write '%s': %s", s->final, g_strerror(e));
		unlink(s->tmp);
		g_clear_pointer(&s->tmp, g_free);
		g_clear_pointer(&s->final, g_free);
		return FALSE;
	}
	if (s->hash)
		s->sha256 = sink_digest(s);
	g_clear_pointer(&s->tmp, g_free);
	g_clear_pointer(&s->final, g_free);
	return TRUE;
}

/*
 * S without the characters XML 1.0 cannot carry (normalized text has
 * few), for an attribute, which the XML writer escapes.
 */
static char *
xml_clean(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len + 1);
	dp_text_append_clean(out, s, len, DP_CLEAN_XML, G_MAXSIZE);
	return g_string_free(out, FALSE);
}

/*
 * Text content, cleaned and escaped in one pass and written raw: what
 * xmlTextWriterWriteString() writes, without its copies of the text (a CR,
 * which it would write as &#13;, is among what the cleaning removes).
 */
static void
xml_text(xmlTextWriterPtr w, const char *text, gsize len)
{
	g_autoptr(GString) out = g_string_sized_new(len + 16);
	dp_text_append_clean(out, text, len, DP_CLEAN_XML | DP_CLEAN_XML_ESCAPE, G_MAXSIZE);
	xmlTextWriterWriteRawLen(w, (const xmlChar *)out->str, (int)MIN(out->len, (gsize)G_MAXINT));
}

static void
xml_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value == NULL)
		return;
	g_autofree char *v = xml_clean(value, strlen(value));
	xmlTextWriterWriteAttribute(w, (const xmlChar *)name, (const xmlChar *)v);
}

static void
xml_element(xmlTextWriterPtr w, const char *name, const char *text, gsize len)
{
	xmlTextWriterStartElement(w, (const xmlChar *)name);
	xml_text(w, text, len);
	xmlTextWriterEndElement(w);
}

/* Move what the XML writer has produced into the XML sink. */
static gboolean
xml_flush(DpEmitter *em, GError **error)
{
	xmlTextWriterFlush(em->xw);
	const xmlChar *c = xmlBufferContent(em->xbuf);
	int n = xmlBufferLength(em->xbuf);
	if (n > 0 && fwrite(c, 1, (size_t)n, em->xml.fp) != (size_t)n) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write XML: %s", g_strerror(e));
		return FALSE;
	}
	xmlBufferEmpty(em->xbuf);
	return TRUE;
}

static gboolean
doc_begin(DpEmitter *em, const DpRecord *rec, GError **error)
{
	const char *source = dp_record_get(rec, DP_F_SOURCE);
	em->n_docs++;
	em->doc_exit = DP_EXIT_OK;
	em->doc_shrunk = FALSE;
	g_clear_pointer(&em->doc_problem, g_free);
	if (em->outdir != NULL) {
		g_autofree char *base = dp_emit_output_base(em->outdir, em->next_name ? em->next_name : source);
		if (em->next_unique) {
			/* A name redaction made: the first input keeps it, the next get a number. */
			g_autofree char *stem = g_strdup(base);
			for (guint n = 2; g_hash_table_contains(em->names, base) && n < G_MAXUINT; n++) {
				g_free(base);
				base = g_strdup_printf("%s~%u", stem, n);
			}
			g_hash_table_add(em->names, g_strdup(base));
		}
		g_clear_pointer(&em->next_name, g_free);
		em->next_unique = FALSE;
		em->text.no_fsync = em->xml.no_fsync = em->no_fsync;
		em->text.hash = em->xml.hash = em->hash_outputs;
		if (em->formats & DP_EMIT_TEXT) {
			g_autofree char *p = g_strconcat(base, ".txt", NULL);
			if (!sink_open(&em->text, p, error))
				return FALSE;
		}
		if (em->formats & DP_EMIT_XML) {
			g_autofree char *p = g_strconcat(base, ".xml", NULL);
			if (!sink_open(&em->xml, p, error)) {
				sink_abort(&em->text);
				return FALSE;
			}
		}
	} else {
		if (em->formats & DP_EMIT_TEXT)
			em->text.fp = em->out;
		else
			em->xml.fp = em->out;
	}
	if (em->text.fp && em->headers && em->outdir == NULL)
		fprintf(em->text.fp, "%s==> %s <==\n", em->n_docs > 1 ? "\n" : "", source ? source : "-");
	if (em->xml.fp) {
		em->xbuf = xmlBufferCreate();
		em->xw = xmlNewTextWriterMemory(em->xbuf, 0);
		xmlTextWriterSetIndent(em->xw, 1);
		xmlTextWriterSetIndentString(em->xw, (const xmlChar *)"  ");
		xmlTextWriterStartDocument(em->xw, "1.0", "UTF-8", NULL);
		xmlTextWriterStartElement(em->xw, (const xmlChar *)"docpipe");
		xmlTextWriterWriteAttribute(em->xw, (const xmlChar *)"version", (const xmlChar *)"1");
	}
	em->open = TRUE;
	return TRUE;
}

static void doc_discard(DpEmitter *em);

static gboolean
doc_end(DpEmitter *em, GError **error)
{
	if (!em->open)
		return TRUE;
	/* Made of the zeros a shrunk input reads as: never committed (dp_emitter_discard()). */
	if (em->doc_shrunk && em->outdir != NULL) {
		doc_discard(em);
		return TRUE;
	}
	em->open = FALSE;
	gboolean ok = TRUE;
	if (em->xw) {
		/* Close every open <document> and the root. */
		xmlTextWriterEndDocument(em->xw);
		ok = xml_flush(em, error);
		xmlFreeTextWriter(em->xw);
		xmlBufferFree(em->xbuf);
		em->xw = NULL;
		em->xbuf = NULL;
	}
	g_ptr_array_set_size(em->stack, 0);
	if (!ok) {
		sink_abort(&em->text);
		sink_abort(&em->xml);
		return FALSE;
	}
	if (em->text.fp && !sink_commit(&em->text, error)) {
		sink_abort(&em->xml);
		return FALSE;
	}
	if (em->xml.fp && !sink_commit(&em->xml, error))
		return FALSE;
	return TRUE;
}

/* The text layout of one record; see README "Text output". */
static void
text_record(DpEmitter *em, const DpRecord *rec, const GString *body, gboolean top)
{
	FILE *fp = em->text.fp;
	const char *status = dp_record_get(rec, DP_F_STATUS);
	if (!top) {
		const char *path = dp_record_get(rec, DP_F_PATH);
		fprintf(fp, "\n==> %s [%s] <==\n", path ? path : "?", dp_record_get(rec, DP_F_TYPE));
	}
	/* Messages get a header block, as a mail reader shows them. */
	static const char *mail_headers[][2] = { { "meta.from", "From" }, { "meta.to", "To" },
		                                 { "meta.cc", "Cc" },     { "meta.date", "Date" },
		                                 { "meta.sent", "Sent" }, { "meta.subject", "Subject" } };
	const char *type = dp_record_get(rec, DP_F_TYPE);
	gboolean printed = type != NULL && g_str_equal(type, DP_TYPE_PRINTED);
	if (dp_type_is_message(type)) {
		gboolean any = FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(mail_headers); i++) {
			const char *v = dp_record_get(rec, mail_headers[i][0]);
			if (v != NULL) {
				fprintf(fp, "%s: %s\n", mail_headers[i][1], v);
				any = TRUE;
			}
		}
		if (any && body->len > 0)
			fputc('\n', fp);
	}
	if (status != NULL && !g_str_equal(status, DP_STATUS_OK)) {
		const char *err = dp_record_get(rec, DP_F_ERROR);
		fprintf(fp, "[%s%s%s]\n", status, err ? ": " : "", err ? err : "");
	}
	/*
	 * A printed message's text is its document's text, already written
	 * above it: the text output gives its header block only, so that the
	 * same words are not indexed twice.  The XML has both.
	 */
	if (!printed)
		fwrite(body->str, 1, body->len, fp);
}

/*
 * The words OCR read on page NUM, boxes in UNIT: a sibling of the <page>
 * rather than its child, so that a page's string value stays its text.
 * A word redaction withheld keeps its box (where, not what) and names
 * the rule instead of its text.
 */
static void
xml_words(xmlTextWriterPtr w, const char *num, const char *unit, const GArray *words)
{
	xmlTextWriterStartElement(w, (const xmlChar *)"words");
	xml_attr(w, "page", num);
	xml_attr(w, "unit", unit);
	for (guint i = 0; i < words->len; i++) {
		const DpWord *word = &g_array_index(words, DpWord, i);
		char x[24], y[24], wd[24], h[24], conf[24];
		dp_words_format_tenths(x, word->x);
		dp_words_format_tenths(y, word->y);
		dp_words_format_tenths(wd, word->w);
		dp_words_format_tenths(h, word->h);
		g_snprintf(conf, sizeof conf, "%u", word->conf);
		xmlTextWriterStartElement(w, (const xmlChar *)"w");
		xml_attr(w, "x", x);
		xml_attr(w, "y", y);
		xml_attr(w, "w", wd);
		xml_attr(w, "h", h);
		xml_attr(w, "conf", conf);
		if (word->text != NULL)
			xml_text(w, word->text, strlen(word->text));
		else
			xml_attr(w, "redacted", word->rule);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

/*
 * Fields whose value is words separated by spaces, written as an element
 * with one attribute a word: the first N - 1 words must be there; the
 * last may be missing and holds the rest of the value, spaces and all.
 */
typedef struct {
	const char *key, *element;
	guint n;
	const char *attrs[4]; /* NULL as the last: the rest is the element's text */
	int list;             /* a word before the last whose commas become spaces, or -1 */
} WordField;

static const WordField word_fields[] = {
	/* "CODE PAGES MEANING": <exemption code="B6" pages="1 3">MEANING</exemption> */
	{ DP_F_EXEMPTION, "exemption", 3, { "code", "pages", NULL }, 1 },
	/* "RULE FIELD COUNT POS..." */
	{ DP_F_REDACTED, "redaction", 4, { "rule", "field", "count", "positions" }, -1 },
};

static void
xml_word_field(xmlTextWriterPtr w, const WordField *wf, const char *value)
{
	g_auto(GStrv) parts = g_strsplit(value, " ", (gint)wf->n);
	if (g_strv_length(parts) < wf->n - 1)
		return;
	xmlTextWriterStartElement(w, (const xmlChar *)wf->element);
	if (wf->list >= 0)
		g_strdelimit(parts[wf->list], ",", ' ');
	for (guint i = 0; i < wf->n && parts[i] != NULL; i++) {
		if (wf->attrs[i] != NULL)
			xml_attr(w, wf->attrs[i], parts[i]);
		else
			xml_text(w, parts[i], strlen(parts[i]));
	}
	xmlTextWriterEndElement(w);
}

static void
xml_record(DpEmitter *em, const DpRecord *rec, const GString *body)
{
	xmlTextWriterPtr w = em->xw;
	xmlTextWriterStartElement(w, (const xmlChar *)"document");
	static const char *attrs[] = { DP_F_ID,      DP_F_PATH, DP_F_TYPE,   DP_F_STATUS,
		                       DP_F_CHARSET, DP_F_SIZE, DP_F_SHA256, DP_F_SOURCE };
	for (guint i = 0; i < G_N_ELEMENTS(attrs); i++) {
		/* The source is the same for every part: only the top carries it. */
		if (g_str_equal(attrs[i], DP_F_SOURCE) && dp_record_get(rec, DP_F_PARENT) != NULL)
			continue;
		xml_attr(w, attrs[i], dp_record_get(rec, attrs[i]));
	}
	const char *err = dp_record_get(rec, DP_F_ERROR);
	if (err != NULL)
		xml_element(w, "error", err, strlen(err));
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (g_str_has_prefix(f->key, DP_META_PREFIX)) {
			xmlTextWriterStartElement(w, (const xmlChar *)"meta");
			xml_attr(w, "name", f->key + strlen(DP_META_PREFIX));
			xml_text(w, f->value, strlen(f->value));
			xmlTextWriterEndElement(w);
		} else {
			for (guint k = 0; k < G_N_ELEMENTS(word_fields); k++)
				if (g_str_equal(f->key, word_fields[k].key))
					xml_word_field(w, &word_fields[k], f->value);
		}
	}
	/* A paged document (a PDF: meta.pages) has <page> elements even with one page. */
	if (memchr(body->str, '\f', body->len) != NULL || dp_record_get(rec, DP_META_PREFIX "pages") != NULL) {
		/*
		 * Pages: the text between form feeds, numbered from 1, or from
		 * the first page of a range ("meta.page-range: 3-5", PDF -f).
		 */
		const char *p = body->str, *end = body->str + body->len;
		const char *range = dp_record_get(rec, DP_META_PREFIX "page-range");
		/* Pages read by OCR ("PAGE:CONF ..."): <page ocr="tesseract" ocr-confidence="CONF">. */
		const char *ocr = dp_record_get(rec, DP_F_OCR);
		g_auto(GStrv) ocr_pages = ocr ? g_strsplit(ocr, " ", -1) : NULL;
		guint ocr_next = 0;
		/* Their words (page by page, in page order): <words page="N"> after <page n="N">. */
		g_autoptr(GPtrArray) words_lines = g_ptr_array_new();
		for (guint i = 0; i < rec->fields->len; i++) {
			const DpField *f = rec->fields->pdata[i];
			if (g_str_equal(f->key, DP_F_OCR_WORDS))
				g_ptr_array_add(words_lines, f->value);
		}
		guint words_next = 0;
		guint first = range ? (guint)g_ascii_strtoull(range, NULL, 10) : 1;
		for (guint n = first ? first : 1; p <= end; n++) {
			const char *ff = memchr(p, '\f', (gsize)(end - p));
			const char *stop = ff ? ff : end;
			if (ff == NULL && stop == p && n > (first ? first : 1))
				break;
			xmlTextWriterStartElement(w, (const xmlChar *)"page");
			g_autofree char *num = g_strdup_printf("%u", n);
			xml_attr(w, "n", num);
			/* Listed in page order: one look at the next entry per page. */
			while (ocr_pages && ocr_pages[ocr_next] && g_ascii_strtoull(ocr_pages[ocr_next], NULL, 10) < n)
				ocr_next++;
			const char *colon = ocr_pages && ocr_pages[ocr_next] ? strchr(ocr_pages[ocr_next], ':') : NULL;
			if (colon != NULL && g_ascii_strtoull(ocr_pages[ocr_next], NULL, 10) == n) {
				xml_attr(w, "ocr", "tesseract");
				xml_attr(w, "ocr-confidence", colon + 1);
			}
			xml_text(w, p, (gsize)(stop - p));
			xmlTextWriterEndElement(w);
			/* Its words ([ocr] words), from the lines of page N. */
			while (words_next < words_lines->len &&
			       g_ascii_strtoull(words_lines->pdata[words_next], NULL, 10) < n)
				words_next++;
			g_autoptr(GArray) words = dp_words_new();
			const char *unit = NULL;
			while (words_next < words_lines->len &&
			       g_ascii_strtoull(words_lines->pdata[words_next], NULL, 10) == n) {
				guint page_no = 0;
				const char *u = NULL;
				if (dp_words_decode(words_lines->pdata[words_next], &page_no, &u, words) &&
				    unit == NULL)
					unit = u;
				words_next++;
			}
			if (words->len > 0 && unit != NULL)
				xml_words(w, num, unit, words);
			if (ff == NULL)
				break;
			p = ff + 1;
		}
	} else if (body->len > 0) {
		xml_element(w, "text", body->str, body->len);
	}
	/* The element stays open for the children. */
}

void
dp_emitter_set_messages(DpEmitter *em, DpMsgIndex *ix)
{
	em->messages = ix;
}

gboolean
dp_emitter_add(DpEmitter *em, const DpRecord *rec, GError **error)
{
	const char *id = dp_record_get(rec, DP_F_ID);
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	const char *status = dp_record_get(rec, DP_F_STATUS);
	int code = dp_status_exit_code(status);
	em->n_records++;
	/*
	 * The record extraction ends with when the input shrank while it was
	 * read (sandbox/isolate.c): the input could not be read, as for
	 * `convert` (exit 66), and the document is dropped at its end, also
	 * when the record comes down a stream (docpipe-emit -o).
	 */
	gboolean shrunk = code != DP_EXIT_OK && g_strcmp0(dp_record_get(rec, DP_F_ERROR), DP_ERROR_SHRANK) == 0;
	if (shrunk)
		code = DP_EXIT_NOINPUT;

	if (parent == NULL || !em->open) {
		if (!doc_end(em, error) || !doc_begin(em, rec, error))
			return FALSE;
	} else {
		/* Close the elements of finished siblings and their subtrees. */
		while (em->stack->len > 0 && !g_str_equal(em->stack->pdata[em->stack->len - 1], parent)) {
			g_ptr_array_remove_index(em->stack, em->stack->len - 1);
			if (em->xw)
				xmlTextWriterEndElement(em->xw);
		}
		if (em->stack->len == 0) {
			/* An orphan: its parent is not open.  Start a new document. */
			if (!doc_end(em, error) || !doc_begin(em, rec, error))
				return FALSE;
		}
	}
	g_ptr_array_add(em->stack, g_strdup(id ? id : ""));
	em->doc_shrunk = em->doc_shrunk || shrunk;
	if (em->messages != NULL)
		dp_msgindex_add(em->messages, rec);
	em->exit_code = dp_exit_merge(em->exit_code, code);
	em->doc_exit = dp_exit_merge(em->doc_exit, code);
	if (code != DP_EXIT_OK && em->doc_problem == NULL) {
		const char *err = dp_record_get(rec, DP_F_ERROR);
		const char *path = dp_record_get(rec, DP_F_PATH);
		em->doc_problem = g_strdup_printf("%s%s%s%s%s", path ? path : "", path ? ": " : "", status,
		                                  err ? ": " : "", err ? err : "");
	}

	/*
	 * Emit never trusts that its input is normalized: it checks.  Text
	 * that passes the check (most of it: extract normalized it, and
	 * redaction seldom breaks that) is written as it is, without a copy.
	 */
	g_autoptr(GString) norm = NULL;
	const GString *body = rec->body;
	if (dp_record_get(rec, DP_F_DATA) != NULL)
		body = norm = g_string_new(NULL); /* raw bytes are not text */
	else if (!dp_text_is_normal(rec->body->str, rec->body->len))
		body = norm = dp_text_normalize(rec->body->str, rec->body->len);
	if (em->text.fp)
		text_record(em, rec, body, parent == NULL);
	if (em->xw) {
		xml_record(em, rec, body);
		if (!xml_flush(em, error))
			return FALSE;
	}
	if (em->text.fp && ferror(em->text.fp)) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write text: %s", g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

gboolean
dp_emitter_finish(DpEmitter *em, GError **error)
{
	return doc_end(em, error);
}

/*
 * The current document's outputs were made of wrong bytes: neither its
 * temporaries nor an older file under its final names may stay, or a
 * reader would take them for what this input holds.
 */
static void
sink_discard(Sink *s)
{
	/* A failure to unlink changes nothing: the caller reports the input as failed anyway. */
	if (s->final != NULL)
		unlink(s->final);
	sink_abort(s);
}

static void
doc_discard(DpEmitter *em)
{
	em->open = FALSE;
	if (em->xw) {
		xmlFreeTextWriter(em->xw);
		xmlBufferFree(em->xbuf);
		em->xw = NULL;
		em->xbuf = NULL;
	}
	g_ptr_array_set_size(em->stack, 0);
	sink_discard(&em->text);
	sink_discard(&em->xml);
}

void
dp_emitter_discard(DpEmitter *em)
{
	if (!em->open)
		return;
	/* On a stream, what is written stays: close it, so that XML stays well-formed. */
	if (em->outdir == NULL)
		doc_end(em, NULL);
	else
		doc_discard(em);
}

gboolean
dp_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
	Sink s = { 0 };
	if (!sink_open(&s, path, error))
		return FALSE;
	if (fwrite(data, 1, len, s.fp) != len) {
		int e = errno;
		sink_abort(&s);
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write '%s': %s", path, g_strerror(e));
		return FALSE;
	}
	return sink_commit(&s, error);
}
