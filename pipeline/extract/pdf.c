/*
 * NAME
 *	pdf.c - PDF through poppler-glib (the loadable module docpipe-pdf.so)
 *
 * DESCRIPTION
 *	Text per page in Poppler's reading order, document metadata, user
 *	passwords, per-page quality flags, annotation text and embedded
 *	files as parts.
 *
 *	The body is the text of the pages in order, separated by form feeds:
 *	page N of the range is the text after the (N-1)th \f, so an empty
 *	page is still a page (emit turns them into <page n="..."> elements).
 *	The text is Poppler's own layout (poppler_page_get_text): its line
 *	breaks are kept and nothing is joined across a line end, so
 *	"123-45-" at the end of a line followed by "6789" stays two lines
 *	(pdftotext's default would make "123-456789" of it and hide the SSN
 *	from redaction).  No dehyphenation.
 *
 *	Quality flags (document metadata, counts and page-number lists):
 *	  pages-without-text: pages with no visible character (scans: need OCR)
 *	  pages-garbled: pages whose characters are mostly U+FFFD, private-use
 *	  code points or control characters (fonts without a Unicode map)
 *
 *	A page is read by OCR (extract/ocr.h) by the rule of pdf-ocr.c
 *	(dp_pdf_page_wants_ocr): in [ocr] mode=auto a page with no text,
 *	with text only in its top and bottom margins (a stamp on a scan), or
 *	with mostly unmapped glyphs; every page in mode=always; none in
 *	mode=never.  An OCR'd page's text replaces its text layer's; the
 *	quality flags still describe the text layer.
 *
 *	Words under an opaque dark box (a failed redaction: the text is in
 *	the file, the box hides it on the page) are found by pdf-covered.c
 *	and, in [pdf] covered-text=redact, replaced by [COVERED] here, in the
 *	sandboxed child, so the hidden text never reaches a later stage.
 *
 *	After the document's own record come its children: the embedded
 *	files ("attachment N/NAME"), then per page its file annotations
 *	("page P/attachment N/NAME") and annotation texts ("page P/annotation
 *	N"), each through the same dispatch as a loose file.
 *
 * SECURITY
 *	Every byte is untrusted, and Poppler is a large C++ parser with a
 *	history of crashes on damaged files: it runs in the child of
 *	sandbox/isolate.c (no file writes, network or programs: the seccomp
 *	filter of sandbox/sandbox.c; [limits] memory, cpu-time and timeout).
 *	A crash there ends the child, never the run, and the records already
 *	written are kept (t1020 "Poppler crashing on the embedded files
 *	keeps the text already read").
 *
 *	Text extraction runs Poppler's text device, which does not decode
 *	images (t1020 "a page with an absurd media box and a huge image is
 *	not rendered").  A page is rendered only to be read by OCR, by
 *	pdf-ocr.c, which caps the pixels of any page whatever its media box
 *	says, or, through the same helper, at low resolution to find the
 *	words under black boxes (pdf-covered.c, only in files whose content
 *	streams fill a dark rectangle).  Work is bounded by [pdf] max-pages, pages read, and by [pdf]
 *	time-limit, this thread's CPU seconds, checked between pages, OCR
 *	included; both give status "limit" with the text read so far.  A single runaway page is stopped by the
 *	child's [limits] cpu-time and timeout.  A page tree that contains
 *	itself is Poppler's to detect (t1020 "a page tree that contains
 *	itself", t5100 "PDFs: looping page tree and huge image still give
 *	their text").  An embedded file is read into memory up to [limits]
 *	max-input-size; its name is metadata made into one path component
 *	("/" and control characters replaced), never a path on disk; embedded
 *	PDFs nest through dp_doc_child(), bounded by [limits] max-depth and
 *	max-children (t1000 "embedded files obey the depth limit").
 *	Passwords come from -p and [pdf] passwords only; a failure says how
 *	many were tried, never which.
 */
#define _GNU_SOURCE /* memmem */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "extract/pdf-covered.h"
#include "extract/pdf-ocr.h"
#include "extract/pdf-page.h"
#include "extract/pdf-streams.h"
#include "util/exitcode.h"

#include <poppler.h>
#include <time.h>
#include <string.h>

#include "util/banned.h"

/* This poppler-glib does not declare these itself. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PopplerPage, g_object_unref)

/* The options of one extraction, from [pdf] and the command line. */
typedef struct {
	gint64 first_page; /* 1-based; 0 = from the start */
	gint64 last_page;  /* 1-based; 0 = to the end */
	gint64 max_pages;  /* 0 = no limit */
	gint64 time_limit; /* CPU seconds; 0 = no limit */
	char **cfg_passwords;
} PdfOptions;

/* A part found while reading the pages, extracted after the PDF's own record. */
typedef struct {
	char *path;
	char *text;                    /* annotation text, or NULL */
	PopplerAttachment *attachment; /* file annotation, or NULL */
	char *annot_type;
	char *author;
	char *subject;
	guint page;
} PdfPart;

static void
pdf_part_free(gpointer p)
{
	PdfPart *part = p;
	g_free(part->path);
	g_free(part->text);
	g_clear_object(&part->attachment);
	g_free(part->annot_type);
	g_free(part->author);
	g_free(part->subject);
	g_free(part);
}

/*
 * This thread's CPU time: a PDF attached to a message of a mailbox is
 * extracted on one of several worker threads (extract/pool.c), whose
 * sum would count the others' work against this document's budget.
 */
static double
cpu_seconds(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Open DATA, trying no password, then each of PASSWORDS in order.
 * *ENCRYPTED is set when a password was needed.  NULL with *ERROR set when
 * the document cannot be opened; the code POPPLER_ERROR_ENCRYPTED means no
 * password worked.
 */
static PopplerDocument *
open_document(GBytes *data, char **const *lists, gboolean *needed_password, GError **error)
{
	g_autoptr(GError) first = NULL;
	*needed_password = FALSE;
	PopplerDocument *pd = poppler_document_new_from_bytes(data, NULL, &first);
	if (pd != NULL)
		return pd;
	if (!g_error_matches(first, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
		g_propagate_error(error, g_steal_pointer(&first));
		return NULL;
	}
	*needed_password = TRUE;
	for (guint l = 0; lists[l] != NULL; l++) {
		for (guint i = 0; lists[l][i] != NULL; i++) {
			/*
			 * Not poppler_document_new_from_bytes(): in Poppler 22.x it
			 * dereferences NULL when a non-empty password is wrong.  The
			 * stream constructor checks passwords safely.
			 */
			g_autoptr(GError) e = NULL;
			g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes(data);
			pd = poppler_document_new_from_stream(in, (goffset)g_bytes_get_size(data), lists[l][i], NULL,
			                                      &e);
			if (pd != NULL)
				return pd;
		}
	}
	g_propagate_error(error, g_steal_pointer(&first));
	return NULL;
}

/* ISO 8601 in UTC, or NULL: the same instant always gives the same string. */
static char *
iso_date(GDateTime *dt)
{
	if (dt == NULL)
		return NULL;
	g_autoptr(GDateTime) utc = g_date_time_to_utc(dt);
	g_date_time_unref(dt);
	return utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/*
 * Whether the file has an encryption dictionary.  poppler-glib does not
 * say when the user password is empty (the document just opens), but the
 * /Encrypt key sits in the trailer or the xref stream dictionary, which
 * are never encrypted or compressed.
 */
static gboolean
has_encrypt_key(GBytes *data)
{
	gsize len;
	const char *d = g_bytes_get_data(data, &len);
	return d != NULL && memmem(d, len, "/Encrypt", 8) != NULL;
}

static void
set_metadata(DpDoc *doc, PopplerDocument *pd, GBytes *data, gboolean needed_password)
{
	g_autofree char *title = poppler_document_get_title(pd);
	g_autofree char *author = poppler_document_get_author(pd);
	g_autofree char *subject = poppler_document_get_subject(pd);
	g_autofree char *keywords = poppler_document_get_keywords(pd);
	g_autofree char *creator = poppler_document_get_creator(pd);
	g_autofree char *producer = poppler_document_get_producer(pd);
	g_autofree char *created = iso_date(poppler_document_get_creation_date_time(pd));
	g_autofree char *modified = iso_date(poppler_document_get_modification_date_time(pd));
	guint major = 0, minor = 0;
	poppler_document_get_pdf_version(pd, &major, &minor);
	g_autofree char *version = g_strdup_printf("%u.%u", major, minor);
	int n = poppler_document_get_n_pages(pd);

	dp_doc_meta(doc, "title", title);
	dp_doc_meta(doc, "author", author);
	dp_doc_meta(doc, "subject", subject);
	dp_doc_meta(doc, "keywords", keywords);
	dp_doc_meta(doc, "creator", creator);
	dp_doc_meta(doc, "producer", producer);
	dp_doc_meta(doc, "created", created);
	dp_doc_meta(doc, "modified", modified);
	dp_doc_meta(doc, "pdf-version", version);
	g_autofree char *pages = g_strdup_printf("%d", n);
	dp_doc_meta(doc, "pages", pages);
	if (n > 0) {
		g_autoptr(PopplerPage) page = poppler_document_get_page(pd, 0);
		if (page != NULL) {
			double w = 0, h = 0;
			poppler_page_get_size(page, &w, &h);
			/* Points, rounded: 612x792 is US Letter, 595x842 is A4. */
			g_autofree char *size = g_strdup_printf("%.0fx%.0f pt", w, h);
			dp_doc_meta(doc, "page-size", size);
		}
	}
	gboolean encrypted = needed_password || has_encrypt_key(data);
	dp_doc_meta(doc, "encrypted", encrypted ? "yes" : "no");
}

/*
 * The text of PAGE, with a space wherever Poppler put two pieces of one
 * line side by side without one.  poppler_page_get_text() joins the text
 * blocks that meet on a line as they are ("line 1Right column", "3MICHAEL"
 * beside a line number), which glues words that are far apart on the page
 * and hides word boundaries from redaction.  poppler_page_get_text_layout()
 * gives one box per character of that same text, so a horizontal gap wider
 * than a fifth of the character height, or a jump back to the left, marks
 * the place.  When the two do not line up, the text is kept as it is.
 *
 * The words of the page under a black box (pdf-covered.c) are counted in
 * COV; in [pdf] covered-text=redact, *REDACTED is set to the same text with
 * each of them replaced by DP_COVERED_LABEL, and LABELS gets the labels'
 * byte offsets and lengths in it (pairs of gsize).  *REDACTED stays NULL
 * when nothing is covered.
 */
static char *
page_text(PopplerPage *page, guint pageno, DpPdfCovered *cov, char **redacted, GArray *labels)
{
	*redacted = NULL;
	char *text = poppler_page_get_text(page);
	if (text == NULL || *text == '\0')
		return text;
	PopplerRectangle *rects = NULL;
	guint n = 0;
	if (!poppler_page_get_text_layout(page, &rects, &n) || (glong)n != g_utf8_strlen(text, -1)) {
		g_free(rects);
		return text;
	}
	g_autofree guint8 *covered = dp_pdf_covered_find(cov, page, pageno, text, rects, n);
	gboolean redact = covered != NULL && cov->mode == DP_COVERED_REDACT;
	GString *out = g_string_sized_new(strlen(text) + 64);
	GString *red = redact ? g_string_sized_new(strlen(text) + 64) : NULL;
	const PopplerRectangle *prev = NULL; /* the last visible character on this line */
	guint i = 0;
	for (const char *p = text; *p; p = g_utf8_next_char(p), i++) {
		gunichar c = g_utf8_get_char(p);
		const char *next = g_utf8_next_char(p);
		gboolean space = FALSE;
		if (c == '\n') {
			prev = NULL;
		} else if (g_unichar_isspace(c)) {
			prev = NULL; /* a space already separates */
		} else {
			const PopplerRectangle *r = &rects[i];
			space = prev != NULL && dp_pdf_chars_apart(prev, r);
			prev = r;
		}
		if (space)
			g_string_append_c(out, ' ');
		g_string_append_len(out, p, next - p);
		if (red == NULL)
			continue;
		if (space)
			g_string_append_c(red, ' ');
		if (!covered[i]) {
			g_string_append_len(red, p, next - p);
		} else if (i == 0 || !covered[i - 1] || space) {
			/* The first character of a covered word: its label. */
			gsize at[2] = { red->len, strlen(DP_COVERED_LABEL) };
			g_string_append(red, DP_COVERED_LABEL);
			g_array_append_vals(labels, at, 2);
		}
	}
	g_free(rects);
	g_free(text);
	if (red != NULL)
		*redacted = g_string_free(red, FALSE);
	return g_string_free(out, FALSE);
}

static const char *
annot_type_name(PopplerAnnotType t)
{
	switch (t) {
	case POPPLER_ANNOT_TEXT: return "text";
	case POPPLER_ANNOT_LINK: return "link";
	case POPPLER_ANNOT_FREE_TEXT: return "free-text";
	case POPPLER_ANNOT_LINE: return "line";
	case POPPLER_ANNOT_SQUARE: return "square";
	case POPPLER_ANNOT_CIRCLE: return "circle";
	case POPPLER_ANNOT_POLYGON: return "polygon";
	case POPPLER_ANNOT_POLY_LINE: return "polyline";
	case POPPLER_ANNOT_HIGHLIGHT: return "highlight";
	case POPPLER_ANNOT_UNDERLINE: return "underline";
	case POPPLER_ANNOT_SQUIGGLY: return "squiggly";
	case POPPLER_ANNOT_STRIKE_OUT: return "strike-out";
	case POPPLER_ANNOT_STAMP: return "stamp";
	case POPPLER_ANNOT_CARET: return "caret";
	case POPPLER_ANNOT_INK: return "ink";
	case POPPLER_ANNOT_POPUP: return "popup";
	case POPPLER_ANNOT_FILE_ATTACHMENT: return "file-attachment";
	case POPPLER_ANNOT_SOUND: return "sound";
	case POPPLER_ANNOT_MOVIE: return "movie";
	case POPPLER_ANNOT_WIDGET: return "widget";
	case POPPLER_ANNOT_SCREEN: return "screen";
	case POPPLER_ANNOT_PRINTER_MARK: return "printer-mark";
	case POPPLER_ANNOT_TRAP_NET: return "trap-net";
	case POPPLER_ANNOT_WATERMARK: return "watermark";
	case POPPLER_ANNOT_3D: return "3d";
	case POPPLER_ANNOT_UNKNOWN: break;
	}
	return "unknown";
}

/* A file name from a document, as one path component: never a real path. */
static char *
safe_name(const char *name)
{
	if (name == NULL || *name == '\0')
		return g_strdup("unnamed");
	g_autofree char *valid = g_utf8_make_valid(name, -1);
	char *s = dp_text_one_line(valid);
	for (char *p = s; *p; p++)
		if (*p == '/' || *p == '\\' || (guchar)*p < 0x20)
			*p = '_';
	if (*s == '\0') {
		g_free(s);
		return g_strdup("unnamed");
	}
	return s;
}

/*
 * The annotations of PAGE (1-based number PAGENO) with text, and its file
 * annotations, appended to PARTS.  A popup that repeats the text of the
 * annotation it belongs to is not repeated.
 */
static void
collect_annotations(PopplerPage *page, guint pageno, GPtrArray *parts)
{
	GList *maps = poppler_page_get_annot_mapping(page);
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
	guint n_annot = 0, n_file = 0;
	for (GList *l = maps; l != NULL; l = l->next) {
		PopplerAnnotMapping *m = l->data;
		PopplerAnnot *a = m->annot;
		if (a == NULL)
			continue;
		PopplerAnnotType t = poppler_annot_get_annot_type(a);
		if (t == POPPLER_ANNOT_FILE_ATTACHMENT && POPPLER_IS_ANNOT_FILE_ATTACHMENT(a)) {
			PopplerAttachment *att =
			    poppler_annot_file_attachment_get_attachment(POPPLER_ANNOT_FILE_ATTACHMENT(a));
			if (att != NULL) {
				g_autofree char *name = safe_name(poppler_attachment_get_name(att));
				PdfPart *part = g_new0(PdfPart, 1);
				part->path = g_strdup_printf("page %u/attachment %u/%s", pageno, ++n_file, name);
				part->attachment = att;
				part->page = pageno;
				g_ptr_array_add(parts, part);
			}
		}
		g_autofree char *contents = poppler_annot_get_contents(a);
		if (contents == NULL)
			continue;
		g_autofree char *trimmed = g_strstrip(g_utf8_make_valid(contents, -1));
		if (*trimmed == '\0')
			continue;
		gboolean dup = FALSE;
		for (guint i = 0; i < seen->len && !dup; i++)
			dup = g_str_equal(seen->pdata[i], trimmed);
		if (dup)
			continue;
		g_ptr_array_add(seen, g_strdup(trimmed));
		PdfPart *part = g_new0(PdfPart, 1);
		part->path = g_strdup_printf("page %u/annotation %u", pageno, ++n_annot);
		part->text = g_steal_pointer(&trimmed);
		part->annot_type = g_strdup(annot_type_name(t));
		part->page = pageno;
		if (POPPLER_IS_ANNOT_MARKUP(a)) {
			part->author = poppler_annot_markup_get_label(POPPLER_ANNOT_MARKUP(a));
			part->subject = poppler_annot_markup_get_subject(POPPLER_ANNOT_MARKUP(a));
		}
		g_ptr_array_add(parts, part);
	}
	poppler_page_free_annot_mapping(maps);
}

/* Collects an attachment's bytes, refusing more than LIMIT. */
typedef struct {
	GByteArray *buf;
	guint64 limit;
} SaveState;

static gboolean
save_cb(const gchar *buf, gsize count, gpointer user, GError **error)
{
	SaveState *st = user;
	if (st->limit > 0 && (guint64)st->buf->len + count > st->limit) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "larger than the limit of %" G_GUINT64_FORMAT " bytes",
		            st->limit);
		return FALSE;
	}
	g_byte_array_append(st->buf, (const guint8 *)buf, (guint)count);
	return TRUE;
}

/* Extract one embedded file as a child of DOC. */
static gboolean
emit_attachment(DpExtractCtx *ctx, DpDoc *doc, PopplerAttachment *att, const char *path, GError **error)
{
	SaveState st = { g_byte_array_new(), ctx->max_input };
	g_autoptr(GError) local = NULL;
	gboolean saved = poppler_attachment_save_to_callback(att, save_cb, &st, &local);
	g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes(st.buf);
	g_autofree char *name = safe_name(poppler_attachment_get_name(att));
	const char *desc = poppler_attachment_get_description(att);
	g_autofree char *desc_valid = desc ? g_utf8_make_valid(desc, -1) : NULL;
	const char *meta[] = { "meta.filename", name, desc_valid ? "meta.description" : NULL, desc_valid, NULL };
	if (!saved) {
		/* Still a record, so the part is not silently lost. */
		g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
		/* Name and value pairs, a pair a line. */
		/* clang-format off */
		const char *fmeta[] = { "meta.filename", name,
					DP_F_STATUS,     DP_STATUS_ERROR,
					DP_F_ERROR,      local ? local->message : "cannot read embedded file",
					NULL };
		/* clang-format on */
		return dp_doc_child(ctx, doc, path, DP_TYPE_UNKNOWN, empty, fmeta, error);
	}
	return dp_doc_child(ctx, doc, path, NULL, bytes, meta, error);
}

/* Read the [pdf] options of one extraction. */
static void
read_options(DpExtractCtx *ctx, PdfOptions *o)
{
	o->first_page = dp_config_get_int(ctx->cfg, "pdf", "first-page");
	o->last_page = dp_config_get_int(ctx->cfg, "pdf", "last-page");
	o->max_pages = dp_config_get_int(ctx->cfg, "pdf", "max-pages");
	o->time_limit = dp_config_get_int(ctx->cfg, "pdf", "time-limit");
	o->cfg_passwords = dp_config_get_list(ctx->cfg, "pdf", "passwords");
}

/*
 * Open the document with the passwords of the command line, then those of
 * [pdf] passwords.  When it cannot be opened, DOC is marked failed (status
 * "encrypted" or "error") and NULL is returned: the record still goes out.
 */
static PopplerDocument *
open_or_fail(DpExtractCtx *ctx, DpDoc *doc, char **cfg_passwords, gboolean *needed_password)
{
	char **lists[] = { ctx->passwords ? ctx->passwords : (char *[]){ NULL }, cfg_passwords, NULL };
	g_autoptr(GError) perr = NULL;
	PopplerDocument *pd = open_document(doc->data, lists, needed_password, &perr);
	if (pd != NULL)
		return pd;
	if (g_error_matches(perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
		dp_doc_meta(doc, "encrypted", "yes");
		guint tried = (ctx->passwords ? g_strv_length(ctx->passwords) : 0) + g_strv_length(cfg_passwords);
		if (tried == 0)
			dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
			            "encrypted PDF: needs a user password (-p PW or [pdf] passwords)");
		else
			dp_doc_fail(doc, DP_STATUS_ENCRYPTED, "encrypted PDF: none of the %u passwords given works",
			            tried);
	} else {
		dp_doc_fail(doc, DP_STATUS_ERROR, "cannot read PDF: %s", perr ? perr->message : "unknown error");
	}
	return NULL;
}

/* What reading the pages gave: the body, the quality lists and the parts. */
typedef struct {
	gint64 first, last; /* the pages to read, 1-based, inclusive */
	int n_pages;        /* in the document */
	GString *text;
	GArray *empty;    /* of guint: pages without text */
	GArray *garbled;  /* of guint: pages with mostly unmapped glyphs */
	GPtrArray *parts; /* of PdfPart* */
	gint64 done;      /* pages read */
	char *limit_msg;  /* why the reading stopped early, or NULL */
	DpPdfOcr ocr;     /* the pages read by OCR (pdf-ocr.h) */
	DpPdfCovered cov; /* the words under black boxes (pdf-covered.h) */
} PageScan;

static void
page_scan_clear(PageScan *s)
{
	g_string_free(s->text, TRUE);
	g_array_unref(s->empty);
	g_array_unref(s->garbled);
	g_ptr_array_unref(s->parts);
	g_free(s->limit_msg);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(PageScan, page_scan_clear)

/*
 * The pages to read: [pdf] first-page and last-page, cut to [pdf]
 * max-pages (which is a limit, said in S->limit_msg).  A range other than
 * the whole document is recorded as meta.page-range.
 */
static void
choose_pages(DpDoc *doc, const PdfOptions *opt, PageScan *s)
{
	s->first = opt->first_page > 0 ? opt->first_page : 1;
	s->last = opt->last_page > 0 && opt->last_page < s->n_pages ? opt->last_page : s->n_pages;
	if (opt->max_pages > 0 && s->last - s->first + 1 > opt->max_pages) {
		s->last = s->first + opt->max_pages - 1;
		s->limit_msg =
		    g_strdup_printf("only the first %" G_GINT64_FORMAT " of %d pages extracted ([pdf] max-pages)",
		                    opt->max_pages, s->n_pages);
	}
	if (s->first > 1 || s->last < s->n_pages) {
		g_autofree char *range = g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, s->first, s->last);
		if (s->first <= s->last)
			dp_doc_meta(doc, "page-range", range);
	}
}

/* Append the text of page PAGENO (or nothing) to S, classify it, collect its parts. */
static void
read_page(PopplerDocument *pd, guint pageno, PageScan *s)
{
	g_autoptr(PopplerPage) page = poppler_document_get_page(pd, (int)(pageno - 1));
	if (page == NULL) {
		g_array_append_val(s->empty, pageno);
		return;
	}
	g_autofree char *redacted = NULL;
	g_autoptr(GArray) labels = g_array_new(FALSE, FALSE, sizeof(gsize));
	g_autofree char *t = page_text(page, pageno, &s->cov, &redacted, labels);
	PageQuality quality = dp_pdf_page_quality(t ? t : "");
	/*
	 * An OCR'd page's text replaces its text layer's, covered words and
	 * all.  The rule looks at the text layer as it is, labels or not.
	 */
	if (dp_pdf_ocr_page(&s->ocr, page, pageno, t ? t : "", quality, s->text)) {
		g_clear_pointer(&t, g_free);
		g_clear_pointer(&redacted, g_free);
	} else {
		dp_pdf_layer_page(&s->ocr, page, pageno, quality);
	}
	if (redacted != NULL) {
		g_free(t);
		t = g_steal_pointer(&redacted);
		for (guint k = 0; k + 1 < labels->len; k += 2)
			dp_pdf_covered_label(&s->cov, s->text->len + g_array_index(labels, gsize, k),
			                     g_array_index(labels, gsize, k + 1));
	}
	if (t != NULL) {
		/* A form feed inside a page would shift every later page (the same length: labels stay). */
		for (char *p = t; (p = strchr(p, '\f')) != NULL; p++)
			*p = '\n';
		g_string_append(s->text, t);
	}
	switch (quality) {
	case PAGE_EMPTY: g_array_append_val(s->empty, pageno); break;
	case PAGE_GARBLED: g_array_append_val(s->garbled, pageno); break;
	case PAGE_TEXT: break;
	}
	collect_annotations(page, pageno, s->parts);
}

/*
 * Read the chosen pages in order, separated by form feeds.  The CPU-time
 * budget ([pdf] time-limit) is checked before each page: the pages read
 * so far are kept, and S->limit_msg says where it stopped.
 */
static void
read_pages(PopplerDocument *pd, const PdfOptions *opt, PageScan *s)
{
	double start = cpu_seconds();
	for (gint64 i = s->first; i <= s->last; i++) {
		if (opt->time_limit > 0 && cpu_seconds() - start > (double)opt->time_limit) {
			g_free(s->limit_msg);
			s->limit_msg = g_strdup_printf("stopped after page %" G_GINT64_FORMAT " of %d: over the CPU "
			                               "time limit of %" G_GINT64_FORMAT " s ([pdf] time-limit)",
			                               i - 1, s->n_pages, opt->time_limit);
			break;
		}
		if (i > s->first)
			g_string_append_c(s->text, '\f');
		s->done++;
		read_page(pd, (guint)i, s);
	}
}

/* The quality flags: counts and lists of pages without text and garbled pages. */
static void
set_quality_meta(DpDoc *doc, const PageScan *s)
{
	g_autofree char *n_empty = g_strdup_printf("%u", s->empty->len);
	g_autofree char *n_garbled = g_strdup_printf("%u", s->garbled->len);
	g_autofree char *empty_list = dp_pdf_page_list(s->empty);
	g_autofree char *garbled_list = dp_pdf_page_list(s->garbled);
	dp_doc_meta(doc, "pages-without-text", n_empty);
	dp_doc_meta(doc, "pages-without-text-list", empty_list);
	dp_doc_meta(doc, "pages-garbled", n_garbled);
	dp_doc_meta(doc, "pages-garbled-list", garbled_list);
	g_autofree char *n_done = g_strdup_printf("%" G_GINT64_FORMAT, s->done);
	dp_doc_meta(doc, "pages-extracted", n_done);
}

/* An annotation's text as a text/plain child of DOC, with its type, page, author and subject. */
static gboolean
emit_annotation(DpExtractCtx *ctx, DpDoc *doc, const PdfPart *part, GError **error)
{
	g_autoptr(GBytes) b = g_bytes_new(part->text, strlen(part->text));
	g_autofree char *pg = g_strdup_printf("%u", part->page);
	const char *meta[12];
	guint k = 0;
	meta[k++] = "meta.annotation-type";
	meta[k++] = part->annot_type;
	meta[k++] = "meta.page";
	meta[k++] = pg;
	if (part->author != NULL && *part->author) {
		meta[k++] = "meta.author";
		meta[k++] = part->author;
	}
	if (part->subject != NULL && *part->subject) {
		meta[k++] = "meta.subject";
		meta[k++] = part->subject;
	}
	meta[k] = NULL;
	return dp_doc_child(ctx, doc, part->path, DP_TYPE_TEXT, b, meta, error);
}

/*
 * The children of DOC, after its own record: the embedded files (the
 * EmbeddedFiles name tree), then the parts found on the pages in page
 * order (file annotations and annotation texts).
 */
static gboolean
emit_parts(DpExtractCtx *ctx, DpDoc *doc, PopplerDocument *pd, GPtrArray *parts, GError **error)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/*
	 * Poppler 22.12 dereferences NULL in poppler_document_get_attachments()
	 * when an entry is not a file specification dictionary (t1020).  The
	 * product lives with it (the sandboxed child dies after the text went
	 * out); a fuzzer would stop on it every run, so fuzz builds skip it.
	 */
	(void)pd;
	GList *atts = NULL;
#else
	GList *atts = poppler_document_get_attachments(pd);
#endif
	gboolean ok = TRUE;
	guint n = 0;
	for (GList *l = atts; ok && l != NULL; l = l->next) {
		PopplerAttachment *att = l->data;
		g_autofree char *name = safe_name(poppler_attachment_get_name(att));
		g_autofree char *path = g_strdup_printf("attachment %u/%s", ++n, name);
		ok = emit_attachment(ctx, doc, att, path, error);
	}
	g_list_free_full(atts, g_object_unref);
	for (guint i = 0; ok && i < parts->len; i++) {
		const PdfPart *part = parts->pdata[i];
		if (part->attachment != NULL)
			ok = emit_attachment(ctx, doc, part->attachment, part->path, error);
		else
			ok = emit_annotation(ctx, doc, part, error);
	}
	return ok;
}

gboolean
dp_extract_pdf_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	PdfOptions opt;
	read_options(ctx, &opt);
	g_auto(GStrv) cfg_passwords = opt.cfg_passwords;

	gboolean needed_password = FALSE;
	g_autoptr(PopplerDocument) pd = open_or_fail(ctx, doc, cfg_passwords, &needed_password);
	if (pd == NULL)
		return TRUE; /* the failure is in DOC's record */
	set_metadata(doc, pd, doc->data, needed_password);

	g_auto(PageScan) scan = {
		.n_pages = poppler_document_get_n_pages(pd),
		.text = g_string_new(NULL),
		.empty = g_array_new(FALSE, FALSE, sizeof(guint)),
		.garbled = g_array_new(FALSE, FALSE, sizeof(guint)),
		.parts = g_ptr_array_new_with_free_func(pdf_part_free),
	};
	dp_pdf_ocr_init(&scan.ocr, ctx->cfg);
	dp_pdf_covered_init(&scan.cov, ctx->cfg);
	/* One scan of the content streams for both the covered-text gate and OCR'd text layers. */
	g_auto(DpPdfStreamFacts) facts;
	dp_pdf_stream_facts(doc->data, &facts);
	scan.cov.streams = &facts;
	scan.ocr.invisible_text = facts.invisible_text;
	choose_pages(doc, &opt, &scan);
	read_pages(pd, &opt, &scan);
	set_quality_meta(doc, &scan);
	dp_pdf_covered_finish(&scan.cov, doc);
	/* What OCR did, as metadata; a page over its OCR time limit is a limit too. */
	char *ocr_limit = dp_pdf_ocr_finish(&scan.ocr, doc);
	if (scan.limit_msg == NULL)
		scan.limit_msg = ocr_limit;
	else
		g_free(ocr_limit);

	dp_doc_set_text(ctx, doc, scan.text->str, scan.text->len);
	if (scan.limit_msg != NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "%s", scan.limit_msg);
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;
	return emit_parts(ctx, doc, pd, scan.parts, error);
}
