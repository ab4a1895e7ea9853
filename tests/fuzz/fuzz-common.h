/*
 * fuzz-common.h: what the libFuzzer targets share: a configuration with
 * small limits (so that one input cannot take the fuzzer's whole time
 * budget) built once, and an emit function that throws records away after
 * writing them to memory (so that the writer runs on every record too).
 */
#ifndef DOCPIPE_FUZZ_COMMON_H
#define DOCPIPE_FUZZ_COMMON_H

#include "core/config.h"
#include "core/record.h"

#include <stdint.h>
#include <stdio.h>
#include <glib.h>

static DpConfig *
fuzz_config(void)
{
	static DpConfig *cfg;
	if (cfg == NULL) {
		g_autoptr(GError) error = NULL;
		/*
		 * OCR at the lowest resolution and with a short page limit: the
		 * glue code is still reached, but a scanned seed costs a fraction
		 * of a second instead of the 10 s a busy machine's ASan build
		 * gave one page at 300 dpi (libFuzzer's timeout).
		 */
		static const char conf[] = "[limits]\nmax-depth=8\nmax-children=200\nmax-text-size=4M\n"
		                           "[ocr]\ndpi=70\npage-time-limit=1\n";
		cfg = dp_config_load_data(conf, "fuzz.conf", &error);
		g_assert_no_error(error);
	}
	return cfg;
}

/* Every record is serialized, as the sandboxed child would do. */
static gboolean
fuzz_emit(DpRecord *rec, gpointer user, GError **error)
{
	static FILE *sink;
	if (sink == NULL)
		sink = fopen("/dev/null", "w");
	return dp_record_write(rec, sink, error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
