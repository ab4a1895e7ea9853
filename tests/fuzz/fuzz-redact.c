/*
 * fuzz-redact.c: libFuzzer target for the redactor, on text as extraction
 * delivers it (decoded and normalized) and on a whole record (body, meta
 * values, path, error).  Spans must lie inside the result.  The record
 * is marked as OCR'd on its first two pages and as a printed message, so
 * that the OCR-tolerant scans (redact/ocrtol.c) run on the body's pages
 * and on meta.from; a second redactor runs them on the whole text
 * ([redact] ocr-tolerant=always).
 */
#include "fuzz-common.h"
#include "core/record.h"
#include "core/text.h"
#include "redact/redact.h"

#include "util/banned.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static DpRedactor *r, *always;
	if (r == NULL) {
		g_autoptr(GError) error = NULL;
		r = dp_redactor_new(fuzz_config(), &error);
		g_assert_no_error(error);
		g_autoptr(DpConfig) cfg = dp_config_load_data("[redact]\nocr-tolerant=always\n", "fuzz.conf", &error);
		g_assert_no_error(error);
		always = dp_redactor_new(cfg, &error);
		g_assert_no_error(error);
	}
	gsize len = 0;
	g_autofree char *text = dp_text_decode(data, size, NULL, "windows-1252", &len, NULL);
	g_autoptr(GString) norm = dp_text_normalize(text, len);
	DpRedactor *both[] = { r, always };
	for (guint k = 0; k < G_N_ELEMENTS(both); k++) {
		g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(DpSpan));
		g_autoptr(GString) out = dp_redactor_apply(both[k], norm->str, norm->len, spans);
		g_assert(g_utf8_validate(out->str, (gssize)out->len, NULL));
		for (guint i = 0; i < spans->len; i++) {
			DpSpan *s = &g_array_index(spans, DpSpan, i);
			g_assert(s->offset <= out->len && s->length <= out->len - s->offset);
		}
	}
	g_autoptr(DpRecord) rec = dp_record_new();
	dp_record_set(rec, DP_F_ID, "0123456789abcdef");
	dp_record_set(rec, DP_F_PATH, norm->str);
	dp_record_set(rec, "meta.title", norm->str);
	dp_record_set(rec, DP_F_ERROR, norm->str);
	dp_record_set(rec, DP_F_TYPE, "message/x-printed");
	dp_record_set(rec, "meta.from", norm->str);
	dp_record_set(rec, DP_F_OCR, "1:90 2:85");
	dp_record_set_body(rec, norm->str, norm->len);
	dp_redact_record(r, rec);
	return fuzz_emit(rec, NULL, NULL) ? 0 : 0;
}
