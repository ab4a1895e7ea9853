/*
 * extract-text.c: plain text in any charset iconv knows.
 */
#include "docpipe.h"

gboolean
dp_extract_text(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len, outlen;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	g_autofree char *fallback = dp_config_get_string(ctx->cfg, "extract", "fallback-charset");
	g_autofree char *used = NULL;
	/* A container (a MIME part) may have told us the charset. */
	const char *declared = dp_record_get(doc->rec, DP_F_CHARSET);
	g_autofree char *text = dp_text_decode(d, len, declared, fallback, &outlen, &used);
	dp_record_set(doc->rec, DP_F_CHARSET, used);
	dp_doc_set_text(ctx, doc, text, outlen);
	return TRUE;
}
