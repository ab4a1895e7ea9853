/*
 * fuzz-extract.c: libFuzzer target for one extractor, through dp_extract()
 * with the type forced to FUZZ_TYPE (set when compiling: text/html,
 * application/pdf, message/rfc822, application/mbox, application/zip,
 * image/png: any image Leptonica reads, whatever the type says; the office
 * packages: DOCX, XLSX, PPTX, ODT (which reads ODS and ODP too) and EPUB).
 * Containers recurse into the same dispatch, so the zip target reaches the
 * other extractors too.  A type with no extractor registered yet just
 * yields "unsupported" records: the target works as soon as it is.
 */
#include "fuzz-common.h"
#include "chain/chain.h"
#include "core/record.h"
#include "extract/extract.h"
#include "util/hash.h"

#include "util/banned.h"

#ifndef FUZZ_TYPE
#error "compile with -DFUZZ_TYPE='\"type/subtype\"'"
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DpExtractCtx ctx;
	dp_extract_ctx_init(&ctx, fuzz_config(), fuzz_emit, NULL);
	/*
	 * Inputs of odd length are run as `convert` runs text on standard
	 * output: no hashes (dp_chain_set_hashes()), the root id pending.
	 */
	ctx.hash_parts = size % 2 == 0;
	g_autoptr(DpRecord) in = dp_record_new();
	g_autofree char *sha = ctx.hash_parts ? dp_sha256_hex(data, size) : g_strdup(DP_HASH_PENDING);
	g_autofree char *id = ctx.hash_parts ? dp_id_root(sha) : g_strdup(DP_HASH_PENDING);
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
