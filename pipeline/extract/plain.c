/*
 * plain.c: plain text in any charset iconv knows.
 *
 * core/text.c picks the charset: a BOM, then the one a container
 * declared (a MIME part's charset parameter), then UTF-16 without a BOM,
 * valid UTF-8, and last [extract] fallback-charset.  The one used is
 * recorded in the record's charset field.
 *
 * SECURITY: the bytes are untrusted and are only decoded, never
 * interpreted, in the sandboxed child of sandbox/isolate.c; invalid
 * sequences become U+FFFD and the text is cut to [limits] max-text-size
 * (t0060 "invalid UTF-8 becomes U+FFFD", "NUL bytes in text and HTML").
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
