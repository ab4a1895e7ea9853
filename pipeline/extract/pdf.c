/*
 * pdf.c: PDF through poppler-glib: text per page in Poppler's
 * reading order, document metadata, user passwords, per-page quality
 * flags, annotation text and embedded files as parts.
 *
 * The body is the text of the pages in order, separated by form feeds:
 * page N of the range is the text after the (N-1)th \f, so an empty page
 * is still a page (emit turns them into <page n="..."> elements).  The text
 * is Poppler's own layout (poppler_page_get_text): its line breaks are
 * kept and nothing is joined across a line end, so "123-45-" at the end of
 * a line followed by "6789" stays two lines (pdftotext's default would make
 * "123-456789" of it and hide the SSN from redaction).  No dehyphenation.
 *
 * Text extraction runs Poppler's text device, which does not decode
 * images.  A page is rendered only to be read by OCR (extract/ocr.h), by
 * the rule of pdf-ocr.c (dp_pdf_page_wants_ocr): in [ocr] mode=auto a page
 * with no text, with text only in its top and bottom margins (a stamp on a
 * scan), or with mostly unmapped glyphs; every page in mode=always; none in
 * mode=never.  Work is bounded by [pdf] max-pages and by a CPU-time budget
 * ([pdf] time-limit) checked between pages, OCR included; the process
 * limits of the sandbox bound a single runaway page.
 *
 * Quality flags (document metadata, counts and page-number lists):
 *   pages-without-text: pages with no visible character (scans: need OCR)
 *   pages-garbled: pages whose characters are mostly U+FFFD, private-use
 *   code points or control characters (fonts without a Unicode map)
 */
#define _GNU_SOURCE /* memmem */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "extract/pdf-ocr.h"
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
 */
static char *
page_text(PopplerPage *page)
{
	char *text = poppler_page_get_text(page);
	if (text == NULL || *text == '\0')
		return text;
	PopplerRectangle *rects = NULL;
	guint n = 0;
	if (!poppler_page_get_text_layout(page, &rects, &n) || (glong)n != g_utf8_strlen(text, -1)) {
		g_free(rects);
		return text;
	}
	GString *out = g_string_sized_new(strlen(text) + 64);
	const PopplerRectangle *prev = NULL; /* the last visible character on this line */
	guint i = 0;
	for (const char *p = text; *p; p = g_utf8_next_char(p), i++) {
		gunichar c = g_utf8_get_char(p);
		const char *next = g_utf8_next_char(p);
		if (c == '\n') {
			prev = NULL;
		} else if (g_unichar_isspace(c)) {
			prev = NULL; /* a space already separates */
		} else {
			const PopplerRectangle *r = &rects[i];
			if (prev != NULL) {
				double h = MAX(r->y2 - r->y1, prev->y2 - prev->y1);
				double gap = r->x1 - prev->x2;
				if (h > 0 && (gap > 0.2 * h || r->x2 < prev->x1))
					g_string_append_c(out, ' ');
			}
			prev = r;
		}
		g_string_append_len(out, p, next - p);
	}
	g_free(rects);
	g_free(text);
	return g_string_free(out, FALSE);
}

/*
 * Classify the text of a page.  Unmapped glyphs come out of Poppler as
 * U+FFFD, private-use code points or control characters; when they are
 * more than half of the visible characters the text is useless.
 */
static PageQuality
page_quality(const char *text)
{
	gsize visible = 0, bad = 0;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c))
			continue;
		visible++;
		if (c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000) || (c < 0x20) ||
		    (c >= 0x7F && c < 0xA0))
			bad++;
	}
	if (visible == 0)
		return PAGE_EMPTY;
	return bad * 2 > visible ? PAGE_GARBLED : PAGE_TEXT;
}

static const char *
annot_type_name(PopplerAnnotType t)
{
	switch (t) {
	case POPPLER_ANNOT_TEXT:
		return "text";
	case POPPLER_ANNOT_LINK:
		return "link";
	case POPPLER_ANNOT_FREE_TEXT:
		return "free-text";
	case POPPLER_ANNOT_LINE:
		return "line";
	case POPPLER_ANNOT_SQUARE:
		return "square";
	case POPPLER_ANNOT_CIRCLE:
		return "circle";
	case POPPLER_ANNOT_POLYGON:
		return "polygon";
	case POPPLER_ANNOT_POLY_LINE:
		return "polyline";
	case POPPLER_ANNOT_HIGHLIGHT:
		return "highlight";
	case POPPLER_ANNOT_UNDERLINE:
		return "underline";
	case POPPLER_ANNOT_SQUIGGLY:
		return "squiggly";
	case POPPLER_ANNOT_STRIKE_OUT:
		return "strike-out";
	case POPPLER_ANNOT_STAMP:
		return "stamp";
	case POPPLER_ANNOT_CARET:
		return "caret";
	case POPPLER_ANNOT_INK:
		return "ink";
	case POPPLER_ANNOT_POPUP:
		return "popup";
	case POPPLER_ANNOT_FILE_ATTACHMENT:
		return "file-attachment";
	case POPPLER_ANNOT_SOUND:
		return "sound";
	case POPPLER_ANNOT_MOVIE:
		return "movie";
	case POPPLER_ANNOT_WIDGET:
		return "widget";
	case POPPLER_ANNOT_SCREEN:
		return "screen";
	case POPPLER_ANNOT_PRINTER_MARK:
		return "printer-mark";
	case POPPLER_ANNOT_TRAP_NET:
		return "trap-net";
	case POPPLER_ANNOT_WATERMARK:
		return "watermark";
	case POPPLER_ANNOT_3D:
		return "3d";
	case POPPLER_ANNOT_UNKNOWN:
		break;
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
	SaveState st = {g_byte_array_new(), ctx->max_input};
	g_autoptr(GError) local = NULL;
	gboolean saved = poppler_attachment_save_to_callback(att, save_cb, &st, &local);
	g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes(st.buf);
	g_autofree char *name = safe_name(poppler_attachment_get_name(att));
	const char *desc = poppler_attachment_get_description(att);
	g_autofree char *desc_valid = desc ? g_utf8_make_valid(desc, -1) : NULL;
	const char *meta[] = {"meta.filename", name, desc_valid ? "meta.description" : NULL, desc_valid, NULL};
	if (!saved) {
		/* Still a record, so the part is not silently lost. */
		g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
		const char *fmeta[] = {"meta.filename",
		                       name,
		                       DP_F_STATUS,
		                       DP_STATUS_ERROR,
		                       DP_F_ERROR,
		                       local ? local->message : "cannot read embedded file",
		                       NULL};
		return dp_doc_child(ctx, doc, path, DP_TYPE_UNKNOWN, empty, fmeta, error);
	}
	return dp_doc_child(ctx, doc, path, NULL, bytes, meta, error);
}

static void
read_options(DpExtractCtx *ctx, PdfOptions *o)
{
	o->first_page = dp_config_get_int(ctx->cfg, "pdf", "first-page");
	o->last_page = dp_config_get_int(ctx->cfg, "pdf", "last-page");
	o->max_pages = dp_config_get_int(ctx->cfg, "pdf", "max-pages");
	o->time_limit = dp_config_get_int(ctx->cfg, "pdf", "time-limit");
	o->cfg_passwords = dp_config_get_list(ctx->cfg, "pdf", "passwords");
}

/* "3 7 12" from a list of page numbers. */
static char *
page_list(GArray *pages)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < pages->len; i++)
		g_string_append_printf(s, "%s%u", i ? " " : "", g_array_index(pages, guint, i));
	return g_string_free(s, FALSE);
}

gboolean
dp_extract_pdf_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	PdfOptions opt;
	read_options(ctx, &opt);
	g_auto(GStrv) cfg_passwords = opt.cfg_passwords;
	char **lists[] = {ctx->passwords ? ctx->passwords : (char *[]){NULL}, cfg_passwords, NULL};

	gboolean needed_password = FALSE;
	g_autoptr(GError) perr = NULL;
	g_autoptr(PopplerDocument) pd = open_document(doc->data, lists, &needed_password, &perr);
	if (pd == NULL) {
		if (g_error_matches(perr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED)) {
			dp_doc_meta(doc, "encrypted", "yes");
			guint tried =
			    (ctx->passwords ? g_strv_length(ctx->passwords) : 0) + g_strv_length(cfg_passwords);
			if (tried == 0)
				dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
				            "encrypted PDF: needs a user password (-p PW or [pdf] passwords)");
			else
				dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
				            "encrypted PDF: none of the %u passwords given works", tried);
		} else {
			dp_doc_fail(doc, DP_STATUS_ERROR, "cannot read PDF: %s",
			            perr ? perr->message : "unknown error");
		}
		return TRUE;
	}
	set_metadata(doc, pd, doc->data, needed_password);

	int n_pages = poppler_document_get_n_pages(pd);
	gint64 first = opt.first_page > 0 ? opt.first_page : 1;
	gint64 last = opt.last_page > 0 && opt.last_page < n_pages ? opt.last_page : n_pages;
	const char *limit_msg = NULL;
	g_autofree char *limit_buf = NULL;
	if (opt.max_pages > 0 && last - first + 1 > opt.max_pages) {
		last = first + opt.max_pages - 1;
		limit_buf =
		    g_strdup_printf("only the first %" G_GINT64_FORMAT " of %d pages extracted ([pdf] max-pages)",
		                    opt.max_pages, n_pages);
		limit_msg = limit_buf;
	}
	if (first > 1 || last < n_pages) {
		g_autofree char *range = g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, first, last);
		if (first <= last)
			dp_doc_meta(doc, "page-range", range);
	}

	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GArray) empty = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GArray) garbled = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(pdf_part_free);
	DpPdfOcr ocr;
	dp_pdf_ocr_init(&ocr, ctx->cfg);
	double start = cpu_seconds();
	gint64 done = 0;
	for (gint64 i = first; i <= last; i++) {
		if (opt.time_limit > 0 && cpu_seconds() - start > (double)opt.time_limit) {
			limit_buf = g_strdup_printf("stopped after page %" G_GINT64_FORMAT " of %d: over the CPU time "
			                            "limit of %" G_GINT64_FORMAT " s ([pdf] time-limit)",
			                            i - 1, n_pages, opt.time_limit);
			limit_msg = limit_buf;
			break;
		}
		if (i > first)
			g_string_append_c(text, '\f');
		g_autoptr(PopplerPage) page = poppler_document_get_page(pd, (int)(i - 1));
		guint pageno = (guint)i;
		done++;
		if (page == NULL) {
			g_array_append_val(empty, pageno);
			continue;
		}
		g_autofree char *t = page_text(page);
		PageQuality quality = page_quality(t ? t : "");
		/* An OCR'd page's text replaces its text layer's. */
		if (dp_pdf_ocr_page(&ocr, page, pageno, t ? t : "", quality, text)) {
			g_free(t);
			t = NULL;
		}
		if (t != NULL) {
			/* A form feed inside a page would shift every later page. */
			for (char *p = t; (p = strchr(p, '\f')) != NULL; p++)
				*p = '\n';
			g_string_append(text, t);
		}
		switch (quality) {
		case PAGE_EMPTY:
			g_array_append_val(empty, pageno);
			break;
		case PAGE_GARBLED:
			g_array_append_val(garbled, pageno);
			break;
		case PAGE_TEXT:
			break;
		}
		collect_annotations(page, pageno, parts);
	}

	g_autofree char *n_empty = g_strdup_printf("%u", empty->len);
	g_autofree char *n_garbled = g_strdup_printf("%u", garbled->len);
	g_autofree char *empty_list = page_list(empty);
	g_autofree char *garbled_list = page_list(garbled);
	dp_doc_meta(doc, "pages-without-text", n_empty);
	dp_doc_meta(doc, "pages-without-text-list", empty_list);
	dp_doc_meta(doc, "pages-garbled", n_garbled);
	dp_doc_meta(doc, "pages-garbled-list", garbled_list);
	g_autofree char *n_done = g_strdup_printf("%" G_GINT64_FORMAT, done);
	dp_doc_meta(doc, "pages-extracted", n_done);

	g_autofree char *ocr_limit = dp_pdf_ocr_finish(&ocr, doc);
	if (ocr_limit != NULL && limit_msg == NULL)
		limit_msg = ocr_limit;
	dp_doc_set_text(ctx, doc, text->str, text->len);
	if (limit_msg != NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "%s", limit_msg);
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;

	/* Embedded files (the EmbeddedFiles name tree), then the page parts. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/*
	 * Poppler 22.12 dereferences NULL in poppler_document_get_attachments()
	 * when an entry is not a file specification dictionary (t1020).  The
	 * product lives with it (the sandboxed child dies after the text went
	 * out); a fuzzer would stop on it every run, so fuzz builds skip it.
	 */
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
		PdfPart *part = parts->pdata[i];
		if (part->attachment != NULL) {
			ok = emit_attachment(ctx, doc, part->attachment, part->path, error);
			continue;
		}
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
		ok = dp_doc_child(ctx, doc, part->path, DP_TYPE_TEXT, b, meta, error);
	}
	return ok;
}
