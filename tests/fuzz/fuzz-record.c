/*
 * fuzz-record.c: libFuzzer target for the record-stream reader
 * (dp_record_parse_buffer), the parser that reads what a sandboxed child
 * wrote.  Every record it accepts must write back out and parse again to
 * the same fields.
 */
#include "fuzz-common.h"
#include "core/record.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GPtrArray) recs = NULL;
	g_autoptr(GError) error = NULL;
	if (!dp_record_parse_buffer(data, size, &recs, &error))
		return 0;
	for (guint i = 0; i < recs->len; i++) {
		DpRecord *rec = recs->pdata[i];
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		g_assert(dp_record_write(rec, mem, NULL));
		fclose(mem);
		g_autoptr(GPtrArray) again = NULL;
		g_assert(dp_record_parse_buffer((const guint8 *)buf, len, &again, NULL));
		g_assert_cmpuint(again->len, ==, 1);
		DpRecord *back = again->pdata[0];
		g_assert_cmpuint(back->fields->len, ==, rec->fields->len);
		g_assert_cmpuint(back->body->len, ==, rec->body->len);
		g_assert(memcmp(back->body->str, rec->body->str, rec->body->len) == 0);
		free(buf);
	}
	return 0;
}
