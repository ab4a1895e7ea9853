/*
 * NAME
 *	office-text.c - the text of office documents as it is collected
 *
 * DESCRIPTION
 *	What the readers of extract/office-zip.c share to lay text out:
 *	paragraphs a line each, table cells separated by tabs and rows by
 *	lines, the text cut a little past [limits] max-text-size (so that
 *	a huge part costs no more memory, and dp_doc_take_text() still sees
 *	and reports the cut); tracked changes listed as meta.inserted and
 *	meta.deleted; short lists of hidden rows and columns.
 *
 * SECURITY
 *	Works on text the readers took from untrusted XML: every size is
 *	bounded here (the text, the revisions listed, the lists).
 */
#include "extract/office-zip.h"

#include "core/record.h"
#include "core/text.h"

#include <string.h>

#include "util/banned.h"

void
office_text_init(OfficeText *t, DpExtractCtx *ctx)
{
	t->s = g_string_new(NULL);
	/* A little past the limit, so that dp_doc_take_text() still sees the cut and says so. */
	t->max = ctx->max_text > 0 ? ctx->max_text + 4096 : G_MAXUINT64;
	t->full = FALSE;
}

void
office_text_add(OfficeText *t, const char *s, gsize len)
{
	if (t->full)
		return;
	if ((guint64)t->s->len + len > t->max) {
		len = (gsize)(t->max - t->s->len);
		t->full = TRUE;
	}
	g_string_append_len(t->s, s, (gssize)len);
}

void
office_text_c(OfficeText *t, char c)
{
	office_text_add(t, &c, 1);
}

void
office_text_repeat(OfficeText *t, char c, guint n)
{
	char buf[256];
	memset(buf, c, sizeof buf);
	while (n > 0 && !t->full) {
		guint k = MIN(n, (guint)sizeof buf);
		office_text_add(t, buf, k);
		n -= k;
	}
}

/* Drop the trailing characters of T that are in SET, with one truncation. */
static void
drop_trailing(OfficeText *t, const char *set)
{
	gsize len = t->s->len;
	while (len > 0 && memchr(set, t->s->str[len - 1], strlen(set)) != NULL)
		len--;
	g_string_truncate(t->s, len);
}

void
office_text_eol(OfficeText *t)
{
	drop_trailing(t, " ");
	if (t->s->len > 0)
		office_text_c(t, '\n');
}

void
office_text_cell(OfficeText *t)
{
	drop_trailing(t, " \n");
	office_text_c(t, '\t');
}

void
office_text_row(OfficeText *t)
{
	drop_trailing(t, "\t ");
	/* A row with no text is no line: sheets are full of empty formatted rows. */
	if (t->s->len > 0 && t->s->str[t->s->len - 1] != '\n')
		office_text_c(t, '\n');
}

GString *
office_text_steal(OfficeText *t)
{
	GString *s = t->s;
	t->s = NULL;
	return s;
}

void
office_revision(DpDoc *doc, gboolean inserted, const char *text, guint n)
{
	if (n > OFFICE_MAX_REVISIONS)
		return;
	g_autofree char *v = dp_text_one_line(text);
	if (*v == '\0')
		return;
	dp_record_add(doc->rec, inserted ? DP_META_PREFIX "inserted" : DP_META_PREFIX "deleted", v);
}

void
office_revision_counts(DpDoc *doc, guint ins, guint del)
{
	if (ins > 0)
		dp_record_setf(doc->rec, DP_META_PREFIX "insertions", "%u", ins);
	if (del > 0)
		dp_record_setf(doc->rec, DP_META_PREFIX "deletions", "%u", del);
}

void
office_list_add(GString *list, guint *n, const char *item)
{
	(*n)++;
	if (*n > OFFICE_MAX_LISTED) {
		if (*n == OFFICE_MAX_LISTED + 1)
			g_string_append(list, " ...");
		return;
	}
	if (list->len > 0)
		g_string_append_c(list, ' ');
	g_string_append(list, item);
}

/* The letters of column COL (from 1): A, ..., Z, AA, ... XFD. */
static void
column_name(guint col, char buf[8])
{
	char tmp[8];
	guint n = 0;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (guint i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

void
office_list_columns(GString *list, guint *n, guint first, guint last)
{
	char a[8], b[8];
	column_name(MIN(first, 16384), a);
	column_name(MIN(last, 16384), b);
	g_autofree char *item = last <= first ? g_strdup(a) : g_strdup_printf("%s:%s", a, b);
	office_list_add(list, n, item);
}
