/*
 * plain.c: plain text in any charset iconv knows.
 */
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"

#include "util/banned.h"

gboolean
dp_extract_text(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	const char *fallback = ctx->fallback_charset;
	g_autofree char *used = NULL;
	/* A container (a MIME part) may have told us the charset. */
	const char *declared = dp_record_get(doc->rec, DP_F_CHARSET);
	GString *text = dp_text_decode_string(d, len, declared, fallback, &used);
	dp_record_set(doc->rec, DP_F_CHARSET, used);
	dp_doc_take_text(ctx, doc, text);
	return TRUE;
}
