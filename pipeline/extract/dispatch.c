/*
 * NAME
 *	dispatch.c - from a document's type to its extractor, and the
 *	helpers extractors share
 *
 * DESCRIPTION
 *	The one table of which type is read by what: a built-in extractor or
 *	a loadable module (extract/module.c).  Then the extraction context,
 *	a document's parts and their limits, its text, metadata and
 *	failures, for every extractor alike; containers hand their parts
 *	back through dp_doc_child(), so a PDF in a zip in a message is read
 *	as a loose PDF would be.
 *
 * SECURITY
 *	Runs where the extractors run: in the sandboxed child when the
 *	sandbox is on (libmagic too, for an input the parent left
 *	"deferred").  A container's claim of a part's type is a hint,
 *	checked against the bytes; depth and part counts are bounded here
 *	([limits] max-depth, max-children), text by max-text-size.
 */
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "foia/furniture.h"
#include "util/exitcode.h"
#include "util/hash.h"

#include <stdio.h>

#include "util/banned.h"

/*
 * Which extractor reads each type: FN, built in, or else the extractor of
 * the loadable MODULE.  A built-in FN may name a MODULE too: the one its
 * parts need (the messages of an mbox or a maildir), which
 * dp_extract_preload() loads with it.  A type not listed has no extractor
 * ("unsupported").
 */
typedef struct {
	const char *type; /* exact type, or a prefix ending in '*' */
	DpExtractorFn fn;
	DpModule module;
} Extractor;

static const Extractor extractors[] = {
	{ DP_TYPE_PDF, NULL, DP_MODULE_PDF },
	{ DP_TYPE_HTML, dp_extract_html, DP_MODULE_NONE },
	{ "application/xhtml+xml", dp_extract_html, DP_MODULE_NONE },
	{ DP_TYPE_RTF, dp_extract_rtf, DP_MODULE_NONE },
	{ "application/rtf", dp_extract_rtf, DP_MODULE_NONE },
	{ DP_TYPE_TEXT, dp_extract_text, DP_MODULE_NONE },
	{ "text/*", dp_extract_text, DP_MODULE_NONE },
	{ DP_TYPE_RFC822, NULL, DP_MODULE_MAIL },
	{ DP_TYPE_MBOX, dp_extract_mbox, DP_MODULE_MAIL },
	{ DP_TYPE_MAILDIR, dp_extract_maildir, DP_MODULE_MAIL },
	{ DP_TYPE_ZIP, NULL, DP_MODULE_ZIP },
	{ "application/x-zip-compressed", NULL, DP_MODULE_ZIP },
	/* winmail.dat: Outlook's attachments, body and properties (extract/tnef.c). */
	{ DP_TYPE_TNEF, NULL, DP_MODULE_TNEF },
	{ "application/ms-tnef", NULL, DP_MODULE_TNEF },
	/* PST/OST mailboxes; their messages are read by the mail module. */
	{ DP_TYPE_PST, NULL, DP_MODULE_PST },
	/*
	 * OLE2 compound files (extract/ole.c): the module names the real type
	 * from the root entries, whatever a container or libmagic claimed.
	 */
	{ DP_TYPE_OLE2, NULL, DP_MODULE_OLE },
	{ DP_TYPE_MSWORD, NULL, DP_MODULE_OLE },
	{ DP_TYPE_MSEXCEL, NULL, DP_MODULE_OLE },
	{ DP_TYPE_MSPOWERPOINT, NULL, DP_MODULE_OLE },
	{ DP_TYPE_MSG, NULL, DP_MODULE_OLE },
	{ "application/x-msg", NULL, DP_MODULE_OLE },
	{ "application/CDFV2", NULL, DP_MODULE_OLE },
	/* Office packages (extract/office-zip.c), told from other zips by detect. */
	{ DP_TYPE_DOCX, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_XLSX, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_PPTX, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_ODT, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_ODS, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_ODP, NULL, DP_MODULE_OFFICE },
	{ DP_TYPE_EPUB, NULL, DP_MODULE_OFFICE },
	/* Images, read by OCR (extract/image.c, extract/ocr.h). */
	{ DP_TYPE_PNG, NULL, DP_MODULE_OCR },
	{ DP_TYPE_JPEG, NULL, DP_MODULE_OCR },
	{ DP_TYPE_TIFF, NULL, DP_MODULE_OCR },
	{ DP_TYPE_GIF, NULL, DP_MODULE_OCR },
	{ DP_TYPE_BMP, NULL, DP_MODULE_OCR },
	{ DP_TYPE_WEBP, NULL, DP_MODULE_OCR },
	{ "image/x-ms-bmp", NULL, DP_MODULE_OCR },
};

static const Extractor *
find_extractor(const char *type)
{
	for (guint i = 0; i < G_N_ELEMENTS(extractors); i++) {
		const char *t = extractors[i].type;
		gsize n = strlen(t);
		if (t[n - 1] == '*' ? strncmp(type, t, n - 1) == 0 : g_str_equal(type, t))
			return &extractors[i];
	}
	return NULL;
}

DpModule
dp_extract_module_of(const char *type)
{
	const Extractor *e = type ? find_extractor(type) : NULL;
	return e != NULL ? e->module : DP_MODULE_NONE;
}

void
dp_extract_preload(const char *type)
{
	DpModule module = dp_extract_module_of(type);
	if (module != DP_MODULE_NONE)
		dp_module_load(module);
	/*
	 * An Outlook message's transport headers are read by docpipe-mail.so
	 * (extract/msg.c): loaded once here, not in every sandboxed child.
	 */
	if (module == DP_MODULE_OLE)
		dp_module_load(DP_MODULE_MAIL);
}

void
dp_extract_ctx_init(DpExtractCtx *ctx, DpConfig *cfg, DpEmitFn emit, gpointer emit_data)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->cfg = dp_config_ref(cfg);
	ctx->emit = emit;
	ctx->emit_data = emit_data;
	ctx->max_depth = (guint)dp_config_get_int(cfg, "limits", "max-depth");
	ctx->max_children = (guint64)dp_config_get_int(cfg, "limits", "max-children");
	ctx->max_text = dp_config_get_size(cfg, "limits", "max-text-size");
	ctx->max_input = dp_config_get_size(cfg, "limits", "max-input-size");
	ctx->identify_parts = dp_config_get_bool(cfg, "extract", "identify-parts");
	ctx->hash_parts = TRUE;
	ctx->threads = (guint)dp_config_get_int(cfg, "extract", "threads");
	ctx->fallback_charset = dp_config_get_string(cfg, "extract", "fallback-charset");
	ctx->html_drop = dp_config_get_list(cfg, "extract", "html-drop");
	g_autofree char *alternatives = dp_config_get_string(cfg, "mail", "alternatives");
	ctx->preferred_only = alternatives != NULL && g_str_equal(alternatives, "preferred");
}

void
dp_extract_ctx_clear(DpExtractCtx *ctx)
{
	g_clear_pointer(&ctx->cfg, dp_config_unref);
	g_clear_pointer(&ctx->passwords, g_strfreev);
	g_clear_pointer(&ctx->fallback_charset, g_free);
	g_clear_pointer(&ctx->html_drop, g_strfreev);
	g_clear_pointer(&ctx->furniture, dp_furniture_free);
	g_clear_pointer(&ctx->foia_error, g_free);
	ctx->foia_once = 0;
}

void
dp_doc_fail(DpDoc *doc, const char *status, const char *fmt, ...)
{
	va_list ap;
	dp_record_set(doc->rec, DP_F_STATUS, status);
	va_start(ap, fmt);
	dp_record_setv(doc->rec, DP_F_ERROR, fmt, ap);
	va_end(ap);
}

void
dp_doc_take_text(DpExtractCtx *ctx, DpDoc *doc, GString *text)
{
	/* Most extracted text is normalized already: then it is kept as it is. */
	GString *norm = text;
	if (!dp_text_is_normal(text->str, text->len)) {
		norm = dp_text_normalize(text->str, text->len);
		g_string_free(text, TRUE);
	}
	if (ctx->max_text > 0 && norm->len > ctx->max_text) {
		/* Cut at a character boundary, and say so. */
		gsize cut = (gsize)ctx->max_text;
		while (cut > 0 && (norm->str[cut] & 0xC0) == 0x80)
			cut--;
		g_string_truncate(norm, cut);
		g_string_append_c(norm, '\n');
		dp_record_set(doc->rec, "truncated", "true");
		dp_doc_fail(doc, DP_STATUS_LIMIT, "text longer than the limit of %" G_GUINT64_FORMAT " bytes; cut",
		            ctx->max_text);
	}
	g_string_free(doc->rec->body, TRUE);
	doc->rec->body = norm;
}

void
dp_doc_set_text(DpExtractCtx *ctx, DpDoc *doc, const char *text, gsize len)
{
	dp_doc_take_text(ctx, doc, g_string_new_len(text, (gssize)len));
}

void
dp_doc_meta(DpDoc *doc, const char *name, const char *value)
{
	if (value == NULL)
		return;
	g_autofree char *v = dp_text_one_line(value);
	if (*v == '\0')
		return;
	g_autofree char *key = g_strconcat(DP_META_PREFIX, name, NULL);
	dp_record_set(doc->rec, key, v);
}

gboolean
dp_doc_emit(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	g_return_val_if_fail(!doc->emitted, FALSE);
	doc->emitted = TRUE;
	if (dp_record_get(doc->rec, DP_F_STATUS) == NULL)
		dp_record_set(doc->rec, DP_F_STATUS, DP_STATUS_OK);
	g_autoptr(GString) unstripped = dp_foia_furniture(ctx, doc);
	if (!ctx->emit(doc->rec, ctx->emit_data, error))
		return FALSE;
	/*
	 * The input's own record (a PDF's text) goes to the parent before
	 * its parts are read: a parser that crashes on a part (Poppler on
	 * some embedded-file trees) must not take the text with it, held
	 * in the sandboxed child's output buffer.
	 */
	if (doc->depth == 0 && ctx->emit_file != NULL)
		(void)fflush(ctx->emit_file);
	return dp_foia_messages(ctx, doc, unstripped, error);
}

/* Run the extractor for DOC's type and make sure its record is emitted. */
static gboolean
dispatch(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	const char *type = dp_record_get(doc->rec, DP_F_TYPE);
	const Extractor *e = type ? find_extractor(type) : NULL;
	gboolean ok = TRUE;
	if (type != NULL && g_str_equal(type, DP_TYPE_EMPTY)) {
		/* An empty file is a document with no text, not an error. */
	} else if (e == NULL) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "no extractor for type %s", type ? type : "(none)");
	} else if (e->fn != NULL) {
		ok = e->fn(ctx, doc, error);
	} else {
		ok = dp_module_extract(e->module, ctx, doc, error);
	}
	if (ok && !doc->emitted)
		ok = dp_doc_emit(ctx, doc, error);
	return ok;
}

gboolean
dp_extract(DpExtractCtx *ctx, const DpRecord *in, GBytes *data, GError **error)
{
	DpDoc doc = { dp_record_copy(in), data, 0, FALSE };
	if (dp_record_get(doc.rec, DP_F_DETECT) != NULL) {
		/* The parent left libmagic to us, the sandboxed side. */
		gsize len;
		const guint8 *d = g_bytes_get_data(data, &len);
		g_autofree char *type = dp_detect_type(d, len, NULL);
		dp_record_set(doc.rec, DP_F_TYPE, type);
		dp_record_set(doc.rec, DP_F_DETECT, NULL);
	}
	/* The body of a detect record may hold the input; it is not text. */
	g_string_truncate(doc.rec->body, 0);
	dp_record_set(doc.rec, DP_F_DATA, NULL);
	ctx->n_children = 0;
	gboolean ok = dispatch(ctx, &doc, error);
	dp_record_free(doc.rec);
	return ok;
}

/* Add META's key, value pairs to REC; pairs without a value are skipped. */
static void
set_meta_pairs(DpRecord *rec, const char *const *meta)
{
	for (guint i = 0; meta != NULL && meta[i] != NULL; i += 2)
		if (meta[i + 1] != NULL && *meta[i + 1] != '\0')
			dp_record_set(rec, meta[i], meta[i + 1]);
}

gboolean
dp_doc_child(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type_hint, GBytes *data,
             const char *const *meta, GError **error)
{
	return dp_doc_child_hashed(ctx, parent, path, type_hint, data, NULL, meta, error);
}

/* A part's record: its id derived from the parent's and PATH, its parent and source. */
static DpRecord *
child_record_new(const DpDoc *parent, const char *path)
{
	const char *parent_id = dp_record_get(parent->rec, DP_F_ID);
	g_autofree char *id = dp_id_child(parent_id, path);
	DpRecord *rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, id);
	dp_record_set(rec, DP_F_PARENT, parent_id);
	dp_record_set(rec, DP_F_SOURCE, dp_record_get(parent->rec, DP_F_SOURCE));
	dp_record_set(rec, DP_F_PATH, path);
	return rec;
}

gboolean
dp_doc_child_hashed(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type_hint, GBytes *data,
                    const char *sha256, const char *const *meta, GError **error)
{
	g_assert(parent->emitted);
	/*
	 * Past the part limit, only the first extra part is recorded (with
	 * status limit, saying why); a hostile archive with millions of
	 * entries must not flood the output with limit records.
	 */
	if (ctx->max_children > 0 && ctx->n_children > ctx->max_children) {
		ctx->n_children++;
		return TRUE;
	}
	gsize len;
	const guint8 *d = g_bytes_get_data(data, &len);
	/* The record's sha256; SHA256 (the caller's) serves libmagic's cache either way. */
	g_autofree char *sha = !ctx->hash_parts ? NULL : sha256 != NULL ? g_strdup(sha256) : dp_sha256_hex(d, len);
	g_autoptr(DpRecord) rec = child_record_new(parent, path);

	/*
	 * A container's word for a part's type is a hint only: generic
	 * claims (octet-stream, text/plain) are checked against the bytes.
	 */
	g_autofree char *type = NULL;
	gboolean specific =
	    type_hint != NULL && !g_str_equal(type_hint, DP_TYPE_UNKNOWN) && !g_str_equal(type_hint, DP_TYPE_TEXT);
	if (specific && find_extractor(type_hint) != NULL) {
		type = g_strdup(type_hint);
	} else if (specific) {
		/*
		 * A specific type we do not extract (image/png): only our own
		 * sniffers may overrule it (a "png" that is really a PDF);
		 * libmagic would cost a millisecond to name what the container
		 * already named.
		 */
		const char *sniffed = dp_detect_sniff(d, len);
		type = g_strdup(sniffed ? sniffed : type_hint);
	} else if (ctx->identify_parts) {
		/*
		 * libmagic's answers are looked up by the bytes' hash: without
		 * hashes in the records, hash only what goes to libmagic (what
		 * our sniffers cannot name), which costs far more than the hash.
		 */
		const char *sniffed = dp_detect_sniff(d, len);
		if (sniffed != NULL) {
			type = g_strdup(sniffed);
		} else {
			const char *known = sha ? sha : sha256;
			g_autofree char *key = known ? NULL : dp_sha256_hex(d, len);
			type = dp_detect_magic(d, len, known ? known : key);
		}
	} else {
		/* [extract] identify-parts=false: no libmagic for parts. */
		const char *sniffed = dp_detect_sniff(d, len);
		type = g_strdup(sniffed ? sniffed : DP_TYPE_UNKNOWN);
	}
	dp_record_set(rec, DP_F_TYPE, type);
	dp_record_set(rec, DP_F_SHA256, sha); /* NULL leaves it out */
	dp_record_setf(rec, DP_F_SIZE, "%" G_GSIZE_FORMAT, len);
	dp_record_setf(rec, DP_F_DEPTH, "%u", parent->depth + 1);
	set_meta_pairs(rec, meta);

	DpDoc child = { rec, data, parent->depth + 1, FALSE };
	ctx->n_children++;
	if (child.depth > ctx->max_depth) {
		dp_doc_fail(&child, DP_STATUS_LIMIT, "nested deeper than the limit of %u", ctx->max_depth);
		return dp_doc_emit(ctx, &child, error);
	}
	if (ctx->max_children > 0 && ctx->n_children > ctx->max_children) {
		dp_doc_fail(&child, DP_STATUS_LIMIT, "more parts than the limit of %" G_GUINT64_FORMAT,
		            ctx->max_children);
		return dp_doc_emit(ctx, &child, error);
	}
	return dispatch(ctx, &child, error);
}

gboolean
dp_doc_child_text(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type, const char *const *meta,
                  const char *text, gsize len, GError **error)
{
	g_assert(parent->emitted);
	if (ctx->max_children > 0 && ctx->n_children >= ctx->max_children) {
		/* As for bytes: the first part over the limit says so, the others are silent. */
		if (ctx->n_children++ > ctx->max_children)
			return TRUE;
		return dp_doc_child_problem(ctx, parent, path, type, meta, DP_STATUS_LIMIT, error,
		                            "more parts than the limit of %" G_GUINT64_FORMAT, ctx->max_children);
	}
	g_autoptr(DpRecord) rec = child_record_new(parent, path);
	dp_record_set(rec, DP_F_TYPE, type);
	dp_record_setf(rec, DP_F_DEPTH, "%u", parent->depth + 1);
	set_meta_pairs(rec, meta);
	ctx->n_children++;
	DpDoc child = { rec, NULL, parent->depth + 1, FALSE };
	dp_doc_set_text(ctx, &child, text, len);
	return dp_doc_emit(ctx, &child, error);
}

gboolean
dp_doc_child_problem(DpExtractCtx *ctx, DpDoc *parent, const char *path, const char *type, const char *const *meta,
                     const char *status, GError **error, const char *fmt, ...)
{
	g_assert(parent->emitted);
	/* Past the part limit, silence: dp_doc_child() has said why. */
	if (ctx->max_children > 0 && ctx->n_children > ctx->max_children) {
		ctx->n_children++;
		return TRUE;
	}
	g_autoptr(DpRecord) rec = child_record_new(parent, path);
	dp_record_set(rec, DP_F_TYPE, type ? type : DP_TYPE_UNKNOWN);
	dp_record_setf(rec, DP_F_DEPTH, "%u", parent->depth + 1);
	set_meta_pairs(rec, meta);
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	dp_record_set(rec, DP_F_STATUS, status);
	dp_record_set(rec, DP_F_ERROR, msg);
	ctx->n_children++;
	DpDoc child = { rec, NULL, parent->depth + 1, FALSE };
	return dp_doc_emit(ctx, &child, error);
}
