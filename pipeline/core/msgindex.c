/*
 * NAME
 *	msgindex.c - the message index: one tab-separated row per message
 *
 * DESCRIPTION
 *	Columns, in order (README "The message index"): source, part, then
 *	the furniture of the nearest document above the message that has
 *	some (foia.case, foia.doc, foia.date, foia.release,
 *	foia.exemptions), then the message's from, to, cc, date, subject and
 *	the length of its text in bytes.  Values are those of the records
 *	as they are written out, that is redacted; a tab or a line break in
 *	one becomes a space, so that every row is one line of exactly
 *	thirteen fields.  An absent value is an empty field.
 *
 *	Records come parents first, so the furniture each message inherits
 *	is found on a stack of the open ancestors, as the XML emitter keeps
 *	its open elements: memory is one entry per level of nesting, never
 *	one per document.
 */
#include "core/msgindex.h"

#include "core/detect.h"
#include "core/record.h"

#include <string.h>

#include "util/banned.h"

static const char *const furniture_keys[] = {
	DP_META_PREFIX "foia.case",    DP_META_PREFIX "foia.doc",        DP_META_PREFIX "foia.date",
	DP_META_PREFIX "foia.release", DP_META_PREFIX "foia.exemptions",
};
#define N_FURNITURE G_N_ELEMENTS(furniture_keys)

static const char *const message_keys[] = {
	DP_META_PREFIX "from", DP_META_PREFIX "to",      DP_META_PREFIX "cc",
	DP_META_PREFIX "date", DP_META_PREFIX "subject",
};

/* One open ancestor: its id and the furniture it has or inherits. */
typedef struct {
	char *id;
	char *furniture[N_FURNITURE];
} Level;

struct DpMsgIndex {
	GArray *stack; /* of Level */
	GString *rows;
};

static void
level_clear(gpointer p)
{
	Level *l = p;
	g_free(l->id);
	for (guint i = 0; i < N_FURNITURE; i++)
		g_free(l->furniture[i]);
}

DpMsgIndex *
dp_msgindex_new(void)
{
	DpMsgIndex *ix = g_new0(DpMsgIndex, 1);
	ix->stack = g_array_new(FALSE, TRUE, sizeof(Level));
	g_array_set_clear_func(ix->stack, level_clear);
	ix->rows = g_string_new(NULL);
	return ix;
}

void
dp_msgindex_free(DpMsgIndex *ix)
{
	if (ix == NULL)
		return;
	g_array_free(ix->stack, TRUE);
	g_string_free(ix->rows, TRUE);
	g_free(ix);
}

const char *
dp_msgindex_header(void)
{
	return "source\tpart\tfoia.case\tfoia.doc\tfoia.date\tfoia.release\tfoia.exemptions\t"
	       "from\tto\tcc\tdate\tsubject\tlength\n";
}

/* Append VALUE (may be NULL) as one field: tabs and line breaks become spaces. */
static void
field(GString *row, const char *value)
{
	for (const char *p = value; p != NULL && *p != '\0'; p++)
		g_string_append_c(row, *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ? ' ' : *p);
	g_string_append_c(row, '\t');
}

void
dp_msgindex_add(DpMsgIndex *ix, const DpRecord *rec)
{
	const char *id = dp_record_get(rec, DP_F_ID);
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	/* Close the levels that are not REC's ancestors. */
	if (parent == NULL)
		g_array_set_size(ix->stack, 0);
	while (ix->stack->len > 0 && !g_str_equal(g_array_index(ix->stack, Level, ix->stack->len - 1).id, parent))
		g_array_set_size(ix->stack, ix->stack->len - 1);

	const Level *up = ix->stack->len > 0 ? &g_array_index(ix->stack, Level, ix->stack->len - 1) : NULL;
	Level l = { g_strdup(id ? id : ""), { NULL } };
	for (guint i = 0; i < N_FURNITURE; i++) {
		const char *v = dp_record_get(rec, furniture_keys[i]);
		l.furniture[i] = g_strdup(v != NULL ? v : up != NULL ? up->furniture[i] : NULL);
	}
	g_array_append_val(ix->stack, l);

	const char *type = dp_record_get(rec, DP_F_TYPE);
	if (!dp_type_is_message(type))
		return;
	field(ix->rows, dp_record_get(rec, DP_F_SOURCE));
	field(ix->rows, dp_record_get(rec, DP_F_PATH));
	for (guint i = 0; i < N_FURNITURE; i++)
		field(ix->rows, l.furniture[i]);
	for (guint i = 0; i < G_N_ELEMENTS(message_keys); i++)
		field(ix->rows, dp_record_get(rec, message_keys[i]));
	g_string_append_printf(ix->rows, "%" G_GSIZE_FORMAT "\n", rec->body->len);
}

GString *
dp_msgindex_take_rows(DpMsgIndex *ix)
{
	GString *rows = ix->rows;
	ix->rows = g_string_new(NULL);
	return rows;
}
