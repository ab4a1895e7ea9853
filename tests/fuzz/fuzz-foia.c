/*
 * fuzz-foia.c: libFuzzer target for the FOIA pass's two parsers, over
 * text as they receive it (decoded and normalized): the page furniture
 * (foia/furniture.c) and the printed messages (foia/printed.c), on the
 * text before and after the furniture is taken out.  What must hold: the
 * text stays normalized UTF-8 with its pages, every value found is one
 * line of valid UTF-8, and every message lies inside the text.
 */
#include "fuzz-common.h"
#include "core/text.h"
#include "foia/furniture.h"
#include "foia/printed.h"

#include <string.h>

#include "util/banned.h"

static void
check_value(const char *v)
{
	if (v == NULL)
		return;
	g_assert(g_utf8_validate(v, -1, NULL));
	g_assert(strchr(v, '\n') == NULL);
}

static void
check_messages(const GString *text)
{
	g_autoptr(GPtrArray) messages = dp_printed_parse(text->str, text->len, NULL);
	g_assert_nonnull(messages);
	for (guint i = 0; i < messages->len; i++) {
		const DpPrintedMessage *m = messages->pdata[i];
		g_assert_cmpuint(m->offset, <=, text->len);
		for (int f = 0; f < DP_PRINTED_BODY; f++)
			check_value(m->field[f]);
		g_assert(m->field[DP_PRINTED_BODY] == NULL || g_utf8_validate(m->field[DP_PRINTED_BODY], -1, NULL));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static DpFurniture *furniture;
	if (furniture == NULL) {
		g_autoptr(GError) error = NULL;
		furniture = dp_furniture_new(NULL, &error);
		g_assert_no_error(error);
	}
	g_autofree char *decoded = dp_text_decode(data, size, "utf-8", "windows-1252", NULL, NULL);
	g_autoptr(GString) text = dp_text_normalize(decoded, strlen(decoded));
	check_messages(text);

	g_autoptr(DpRecord) rec = dp_record_new();
	g_string_assign(rec->body, text->str);
	gsize pages = 0;
	for (gsize i = 0; i < text->len; i++)
		pages += text->str[i] == '\f';
	(void)dp_furniture_apply(furniture, rec, FALSE);
	g_assert(g_utf8_validate(rec->body->str, (gssize)rec->body->len, NULL));
	/* Normalized: a fixed point of normalization (dp_text_is_normal() says no to any form feed). */
	g_autoptr(GString) again = dp_text_normalize(rec->body->str, rec->body->len);
	g_assert(again->len == rec->body->len && memcmp(again->str, rec->body->str, again->len) == 0);
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		check_value(f->value);
	}
	gsize after = 0;
	for (gsize i = 0; i < rec->body->len; i++)
		after += rec->body->str[i] == '\f';
	g_assert_cmpuint(after, ==, pages);
	check_messages(rec->body);
	return 0;
}
