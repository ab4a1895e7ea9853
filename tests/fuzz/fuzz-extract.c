/*
 * fuzz-extract.c: libFuzzer target for one extractor, through dp_extract()
 * with the type forced to FUZZ_TYPE (set when compiling: text/html,
 * application/pdf, message/rfc822, application/mbox, application/zip).
 * Containers recurse into the same dispatch, so the zip target reaches the
 * other extractors too.  A type with no extractor registered yet just
 * yields "unsupported" records: the target works as soon as it is.
 */
#include "fuzz-common.h"

#ifndef FUZZ_TYPE
#error "compile with -DFUZZ_TYPE='\"type/subtype\"'"
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DpExtractCtx ctx;
	dp_extract_ctx_init(&ctx, fuzz_config(), fuzz_emit, NULL);
	g_autoptr(DpRecord) in = dp_record_new();
	g_autofree char *sha = dp_sha256_hex(data, size);
	g_autofree char *id = dp_id_root(sha);
	dp_record_set(in, DP_F_ID, id);
	dp_record_set(in, DP_F_SOURCE, "fuzz-input");
	dp_record_set(in, DP_F_TYPE, FUZZ_TYPE);
	dp_record_set(in, DP_F_SHA256, sha);
	dp_record_setf(in, DP_F_SIZE, "%zu", size);
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, size);
	g_autoptr(GError) error = NULL;
	g_assert(dp_extract(&ctx, in, bytes, &error));
	dp_extract_ctx_clear(&ctx);
	return 0;
}
