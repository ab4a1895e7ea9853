/*
 * NAME
 *	foia-pass.c - the FOIA pass over a paged document's text: page
 *	furniture made metadata, printed e-mail made parts
 *
 * DESCRIPTION
 *	A FOIA release or a court production is a PDF (or a scan) whose
 *	every page carries the same banner and stamps, and whose text is
 *	often a chain of printed e-mail messages.  Just before such a
 *	document's record is emitted, its furniture is found and taken out
 *	of the text (foia/furniture.c, [foia] furniture, keep-furniture,
 *	patterns); just after, each printed message in what remains becomes
 *	a part of type message/x-printed (foia/printed.c, [foia] messages,
 *	time-zone), so that redaction, the XML and the message index treat
 *	it as a message.
 *
 *	The pass is for the documents that are pages: PDFs and images (read
 *	by OCR) at any depth, and loose text files (a text layer saved by
 *	pdftotext).  A text part of a real message is not: its quoted
 *	"-----Original Message-----" is already inside a message.
 *
 * SECURITY
 *	Runs where the extractors run, in the sandboxed child, over text
 *	that came from untrusted bytes.  Both parsers are linear in the
 *	text's size and bound what they keep; the parts they make count
 *	against [limits] max-children like any other.
 */
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "foia/furniture.h"
#include "foia/printed.h"

#include "util/banned.h"

/* A type the pass reads: PDFs, images (OCR'd), text (at the top level only: see pass_is_for). */
static gboolean
type_is_paged(const char *type)
{
	return type != NULL &&
	       (g_str_equal(type, DP_TYPE_PDF) || g_str_has_prefix(type, "image/") || g_str_equal(type, DP_TYPE_TEXT));
}

static gboolean
pass_is_for(const DpDoc *doc)
{
	const char *type = dp_record_get(doc->rec, DP_F_TYPE);
	if (!type_is_paged(type) || doc->rec->body->len == 0)
		return FALSE;
	return doc->depth == 0 || !g_str_equal(type, DP_TYPE_TEXT);
}

/*
 * The patterns, read once per process the first time a paged document
 * asks: a run that never meets one never pays for them (and the built-in
 * ones compile as the lines ask for them, see foia/furniture.c).  A pattern file
 * that does not compile was already refused when the configuration was
 * read (chain/stage.c checks it); should it fail here anyway, the
 * documents say so and keep their furniture.
 */
static const DpFurniture *
furniture(DpExtractCtx *ctx)
{
	if (g_once_init_enter(&ctx->foia_once)) {
		g_auto(GStrv) files = dp_config_get_list(ctx->cfg, "foia", "patterns");
		g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; files != NULL && files[i] != NULL; i++)
			g_ptr_array_add(paths, dp_config_resolve_path(ctx->cfg, files[i]));
		g_ptr_array_add(paths, NULL);
		g_autoptr(GError) error = NULL;
		ctx->furniture = dp_furniture_new((const char *const *)paths->pdata, &error);
		if (ctx->furniture == NULL)
			ctx->foia_error = g_strdup(error->message);
		g_once_init_leave(&ctx->foia_once, 1);
	}
	return ctx->furniture;
}

void
dp_foia_prepare(DpExtractCtx *ctx, const char *type)
{
	/*
	 * All of them, not only those a first document needs (see
	 * dp_furniture_compile_all()): each later input is read in a
	 * sandboxed child, which would otherwise compile them again.
	 */
	const DpFurniture *f = NULL;
	if (type_is_paged(type) && dp_config_get_bool(ctx->cfg, "foia", "furniture"))
		f = furniture(ctx);
	if (f != NULL)
		(void)dp_furniture_compile_all(f, NULL);
}

GString *
dp_foia_furniture(DpExtractCtx *ctx, DpDoc *doc)
{
	if (!pass_is_for(doc) || !dp_config_get_bool(ctx->cfg, "foia", "furniture"))
		return NULL;
	const DpFurniture *f = furniture(ctx);
	if (f == NULL) {
		dp_record_set(doc->rec, "foia-error", ctx->foia_error);
		return NULL;
	}
	gboolean keep = dp_config_get_bool(ctx->cfg, "foia", "keep-furniture");
	/*
	 * The printed messages are read from the text as it was: a B6 printed
	 * where an address was withheld is a furniture line of its own, and
	 * the parser must see it to record it as withheld.
	 */
	gboolean messages = !keep && dp_config_get_bool(ctx->cfg, "foia", "messages");
	g_autoptr(GString) before = messages ? g_string_new_len(doc->rec->body->str, doc->rec->body->len) : NULL;
	if (!dp_furniture_apply(f, doc->rec, keep))
		return NULL;
	return g_steal_pointer(&before);
}

/* TEXT with its furniture lines taken out (the patterns are compiled by now). */
static char *
strip_furniture(DpExtractCtx *ctx, const char *text)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	g_string_assign(rec->body, text);
	if (ctx->furniture != NULL)
		(void)dp_furniture_apply(ctx->furniture, rec, FALSE);
	return g_strndup(rec->body->str, rec->body->len);
}

/* The form feeds in the LEN bytes at P: how many pages further the text has gone. */
static guint
count_pages(const char *p, gsize len)
{
	guint n = 0;
	for (const char *end = p + len; (p = memchr(p, '\f', (gsize)(end - p))) != NULL; p++)
		n++;
	return n;
}

gboolean
dp_foia_messages(DpExtractCtx *ctx, DpDoc *doc, const GString *unstripped, GError **error)
{
	if (!pass_is_for(doc) || !dp_config_get_bool(ctx->cfg, "foia", "messages"))
		return TRUE;
	g_autofree char *zone = dp_config_get_string(ctx->cfg, "foia", "time-zone");
	const GString *text = unstripped != NULL ? unstripped : doc->rec->body;
	g_autoptr(GPtrArray) messages = dp_printed_parse(text->str, text->len, zone);
	const char *range = dp_record_get(doc->rec, DP_META_PREFIX "page-range");
	guint first = range ? (guint)g_ascii_strtoull(range, NULL, 10) : 1;
	guint page = first ? first : 1;
	gsize counted = 0;
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	for (int f = 0; f < DP_PRINTED_BODY; f++)
		g_ptr_array_add(keys, g_strconcat(DP_META_PREFIX, dp_printed_field_names[f], NULL));
	for (guint i = 0; messages != NULL && i < messages->len; i++) {
		const DpPrintedMessage *m = messages->pdata[i];
		/* Messages come in text order: the pages are counted once, in one sweep. */
		gsize offset = MIN(m->offset, text->len);
		if (offset > counted) {
			page += count_pages(text->str + counted, offset - counted);
			counted = offset;
		}
		g_autofree char *page_s = g_strdup_printf("%u", page);
		g_autofree char *path = g_strdup_printf("message %u", i + 1);
		/* Every field but the body, as meta.NAME, in the order of DpPrintedField, then the page. */
		const char *meta[2 * DP_PRINTED_BODY + 3];
		guint n = 0;
		for (int f = 0; f < DP_PRINTED_BODY; f++) {
			meta[n++] = keys->pdata[f];
			meta[n++] = m->field[f];
		}
		meta[n++] = DP_META_PREFIX "page";
		meta[n++] = page_s;
		meta[n] = NULL;
		const char *text_of = m->field[DP_PRINTED_BODY] ? m->field[DP_PRINTED_BODY] : "";
		g_autofree char *body = unstripped != NULL ? strip_furniture(ctx, text_of) : g_strdup(text_of);
		if (!dp_doc_child_text(ctx, doc, path, DP_TYPE_PRINTED, meta, body, strlen(body), error))
			return FALSE;
	}
	return TRUE;
}
