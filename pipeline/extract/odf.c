/*
 * NAME
 *	odf.c - OpenDocument text, spreadsheets and presentations (ODT, ODS,
 *	ODP)
 *
 * DESCRIPTION
 *	content.xml is read once, as a stream.  Text documents: paragraphs
 *	and headings a line each, tables a tab-separated line per row, list
 *	items, spaces (text:s), tabs and line breaks as written.  Tracked
 *	changes are text where they stand: a deletion (kept by the format in
 *	text:tracked-changes) is put back at its text:change mark, an
 *	insertion is the text between text:change-start and text:change-end;
 *	each is listed as meta.inserted or meta.deleted, counted in
 *	meta.insertions and meta.deletions.  Footnotes and endnotes are the
 *	part "footnotes", each annotation (comment) a part "comment N" with
 *	meta.author.  Presentations: each draw:page a page of the text
 *	(separated by form feeds, meta.slides), its speaker notes the part
 *	"notes N".  Spreadsheets: each table:table a part "sheet N" of type
 *	text/tab-separated-values with meta.sheet-name, and its hidden rows
 *	and columns (table:visibility collapse or filter) listed in
 *	meta.hidden-rows and meta.hidden-columns, and a hidden sheet (a table
 *	style with table:display="false") with meta.hidden, as for XLSX.  meta.xml gives
 *	the metadata; Pictures/ and media/ are parts.
 *
 * SECURITY
 *	As extract/office-zip.c.  Repeat counts (number-columns-repeated,
 *	text:c) are clamped, so a hostile count cannot multiply the text;
 *	text is cut at [limits] max-text-size.
 */
#include "extract/office-zip.h"

#include "core/detect.h"
#include "core/record.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define MAX_REPEAT 1024

/* A stretch of a side text (a note, a comment) and who wrote it. */
typedef struct {
	gsize start, end;
	char *author;
	guint slide;
} Span;

typedef struct {
	OfficeZip *oz;
	gboolean sheets;  /* a spreadsheet: tables are parts */
	OfficeText body;  /* the document's text */
	OfficeText notes; /* footnotes, or a presentation's speaker notes */
	OfficeText anno;  /* annotations */
	OfficeText *cur;  /* where text goes now */
	GArray *note_spans, *anno_spans;
	guint cells;       /* inside this many table cells */
	guint cell_repeat; /* number-columns-repeated of the outermost cell */
	gsize cell_start;  /* where its text starts in the body */
	char *cell_value;  /* the outermost cell's date or time as ISO 8601, shown instead of its text */
	gboolean in_creator;
	guint slide;
	/* Tracked changes. */
	GHashTable *deleted;    /* region id -> its deleted text */
	GHashTable *insertions; /* region ids that are insertions */
	char *region;           /* the changed region being read */
	gboolean in_deletion;
	GString *del_text;
	gsize deleted_bytes;
	char *ins_region; /* the insertion whose text is being read */
	gsize ins_start;
	guint n_ins, n_del;
	/* The sheet being read. */
	char *sheet_name;
	gboolean sheet_hidden;
	/* Table styles that hide their table (a hidden sheet), from automatic-styles. */
	GHashTable *hidden_styles;
	char *style_name;
	gboolean style_table;
	gboolean in_styles;
	guint n_sheets, row, column;
	GString *rows, *columns;
	guint n_rows, n_columns;
	gboolean ok;
	GError **error;
} Odf;

static guint
attr_count(xmlTextReaderPtr r, const char *name, guint max)
{
	g_autofree char *v = office_xml_attr(r, name);
	guint64 n = v ? g_ascii_strtoull(v, NULL, 10) : 1;
	return n == 0 ? 1 : n > max ? max : (guint)n;
}

static void
add(Odf *o, const char *s, gsize len)
{
	/* A date cell's own text is the date as the sheet shows it: the ISO form stands for it. */
	if (o->cell_value != NULL && o->cur == &o->body)
		return;
	if (o->in_deletion) {
		if (o->del_text->len < 65536)
			g_string_append_len(o->del_text, s, (gssize)len);
		return;
	}
	office_text_add(o->cur, s, len);
}

static gboolean
hidden_visibility(xmlTextReaderPtr r)
{
	g_autofree char *v = office_xml_attr(r, "visibility");
	return v != NULL && (g_str_equal(v, "collapse") || g_str_equal(v, "filter"));
}

/*
 * A sheet cell's date (office:date-value, "2024-03-05" or
 * "2024-03-05T14:30:00.5") or time (office:time-value, "PT14H30M00S") as
 * ISO 8601 ("2024-03-05 14:30:00", "14:30:00"); NULL for any other cell or
 * a value not of that form (its text is used).
 */
static char *
cell_date(xmlTextReaderPtr r)
{
	g_autofree char *type = office_xml_attr(r, "value-type");
	if (type != NULL && g_str_equal(type, "date")) {
		g_autofree char *v = office_xml_attr(r, "date-value");
		guint y, mo, d, h = 0, mi = 0, sec = 0;
		char t = 0;
		int n =
		    v && strlen(v) <= 40 ? sscanf(v, "%4u-%2u-%2u%c%2u:%2u:%2u", &y, &mo, &d, &t, &h, &mi, &sec) : 0;
		if (n != 3 && !(n == 7 && t == 'T'))
			return NULL;
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
			return NULL;
		if (n == 3 || h + mi + sec == 0)
			return g_strdup_printf("%04u-%02u-%02u", y, mo, d);
		return g_strdup_printf("%04u-%02u-%02u %02u:%02u:%02u", y, mo, d, h, mi, sec);
	}
	if (type != NULL && g_str_equal(type, "time")) {
		g_autofree char *v = office_xml_attr(r, "time-value");
		guint h, mi, sec;
		if (v == NULL || strlen(v) > 40 || sscanf(v, "PT%4uH%2uM%2uS", &h, &mi, &sec) != 3 || mi > 59 ||
		    sec > 60)
			return NULL;
		return g_strdup_printf("%02u:%02u:%02u", h, mi, sec);
	}
	return NULL;
}

/* The cell just ended, repeated: its text and tab again, cell_repeat - 1 times. */
static void
repeat_cell(Odf *o)
{
	gsize start = MIN(o->cell_start, o->body.s->len);
	gsize len = o->body.s->len - start;
	if (o->cell_repeat > 1 && len > 1) {
		g_autofree char *cell = g_strndup(o->body.s->str + start, len);
		for (guint i = 1; i < o->cell_repeat; i++)
			office_text_add(&o->body, cell, len);
	} else if (o->cell_repeat > 1) {
		office_text_repeat(&o->body, '\t', o->cell_repeat - 1);
	}
	o->cell_repeat = 0;
}

static void
sheet_start(Odf *o, xmlTextReaderPtr r)
{
	g_free(o->sheet_name);
	o->sheet_name = office_xml_attr(r, "name");
	g_autofree char *style = office_xml_attr(r, "style-name");
	o->sheet_hidden = style != NULL && g_hash_table_contains(o->hidden_styles, style);
	o->row = 0;
	o->column = 0;
	o->n_rows = o->n_columns = 0;
	g_string_truncate(o->rows, 0);
	g_string_truncate(o->columns, 0);
	g_string_truncate(o->body.s, 0);
	o->body.full = FALSE;
}

static void
sheet_end(Odf *o)
{
	office_text_row(&o->body);
	g_autofree char *path = g_strdup_printf("sheet %u", ++o->n_sheets);
	/* clang-format off */
	const char *meta[] = { "meta.sheet-name",     o->sheet_name,
			       "meta.hidden",         o->sheet_hidden ? "hidden" : NULL,
			       "meta.hidden-rows",    o->rows->str,
			       "meta.hidden-columns", o->columns->str,
			       NULL };
	/* clang-format on */
	if (o->ok)
		o->ok = office_part(o->oz, path, OFFICE_TYPE_SHEET, meta, o->body.s->str, o->body.s->len, o->error);
	g_string_truncate(o->body.s, 0);
}

static void
sheet_column(Odf *o, xmlTextReaderPtr r)
{
	guint n = attr_count(r, "number-columns-repeated", 16384);
	gboolean hidden = hidden_visibility(r);
	guint first = o->column + 1;
	o->column += n;
	if (hidden && first <= 16384)
		office_list_columns(o->columns, &o->n_columns, first, o->column);
}

static void
sheet_row(Odf *o, xmlTextReaderPtr r)
{
	guint n = attr_count(r, "number-rows-repeated", 1048576);
	/* Each hidden row listed, up to the list's limit (a repeat may stand for a million). */
	for (guint i = 0; hidden_visibility(r) && i < n && o->n_rows <= OFFICE_MAX_LISTED; i++) {
		g_autofree char *item = g_strdup_printf("%u", o->row + i + 1);
		office_list_add(o->rows, &o->n_rows, item);
	}
	o->row += n;
}

/* Tracked changes: a changed region and what it holds. */
static void
change_start(Odf *o, xmlTextReaderPtr r, const char *ln)
{
	if (g_str_equal(ln, "changed-region")) {
		g_free(o->region);
		o->region = office_xml_attr(r, "id");
	} else if (g_str_equal(ln, "deletion") && o->region != NULL) {
		o->in_deletion = TRUE;
		g_string_truncate(o->del_text, 0);
	} else if (g_str_equal(ln, "insertion") && o->region != NULL &&
	           office_room(o->oz, g_hash_table_size(o->insertions), "tracked insertions")) {
		g_hash_table_add(o->insertions, g_strdup(o->region));
	} else if (g_str_equal(ln, "change")) {
		/* Where a deletion stood: its text goes back there. */
		g_autofree char *id = office_xml_attr(r, "change-id");
		const char *text = id ? g_hash_table_lookup(o->deleted, id) : NULL;
		if (text != NULL) {
			office_text_add(o->cur, text, strlen(text));
			o->n_del++;
			if (o->cur == &o->body)
				office_revision(o->oz->doc, FALSE, text, o->n_del);
		}
	} else if (g_str_equal(ln, "change-start")) {
		g_autofree char *id = office_xml_attr(r, "change-id");
		if (id != NULL && g_hash_table_contains(o->insertions, id) && o->ins_region == NULL &&
		    o->cur == &o->body) {
			o->ins_region = g_steal_pointer(&id);
			o->ins_start = o->body.s->len;
		}
	} else if (g_str_equal(ln, "change-end") && o->ins_region != NULL) {
		g_autofree char *id = office_xml_attr(r, "change-id");
		if (id != NULL && g_str_equal(id, o->ins_region)) {
			gsize start = MIN(o->ins_start, o->body.s->len);
			g_autofree char *text = g_strndup(o->body.s->str + start, o->body.s->len - start);
			o->n_ins++;
			office_revision(o->oz->doc, TRUE, text, o->n_ins);
			g_clear_pointer(&o->ins_region, g_free);
		}
	}
}

static void
span_start(Odf *o, GArray *spans, OfficeText *t, xmlTextReaderPtr r)
{
	Span s = { t->s->len, t->s->len, NULL, o->slide };
	/* Past the limit, the text goes to the last span kept. */
	if (office_room(o->oz, spans->len, "notes or comments"))
		g_array_append_val(spans, s);
	o->cur = t;
}

static void
span_end(Odf *o, GArray *spans, OfficeText *t)
{
	office_text_eol(t);
	if (spans->len > 0)
		g_array_index(spans, Span, spans->len - 1).end = t->s->len;
	o->cur = &o->body;
}

/*
 * A style of office:automatic-styles: a table style with display="false"
 * hides the sheets that use it.  Nothing there is text.
 */
static void
style_start(Odf *o, xmlTextReaderPtr r, const char *ln)
{
	if (g_str_equal(ln, "style")) {
		g_free(o->style_name);
		o->style_name = office_xml_attr(r, "name");
		g_autofree char *family = office_xml_attr(r, "family");
		o->style_table = family != NULL && g_str_equal(family, "table");
	} else if (g_str_equal(ln, "table-properties") && o->style_table && o->style_name != NULL) {
		g_autofree char *display = office_xml_attr(r, "display");
		if (display != NULL && g_str_equal(display, "false") &&
		    office_room(o->oz, g_hash_table_size(o->hidden_styles), "table styles"))
			g_hash_table_add(o->hidden_styles, g_strdup(o->style_name));
	}
}

static void
element_start(Odf *o, xmlTextReaderPtr r, const char *ln, gboolean empty)
{
	if (g_str_equal(ln, "automatic-styles")) {
		o->in_styles = !empty;
	} else if (o->in_styles) {
		style_start(o, r, ln);
	} else if (g_str_equal(ln, "s")) {
		guint n = attr_count(r, "c", 64);
		for (guint i = 0; i < n; i++)
			add(o, " ", 1);
	} else if (g_str_equal(ln, "tab")) {
		add(o, "\t", 1);
	} else if (g_str_equal(ln, "line-break")) {
		add(o, "\n", 1);
	} else if (g_str_equal(ln, "table-cell") || g_str_equal(ln, "covered-table-cell")) {
		guint repeat = attr_count(r, "number-columns-repeated", MAX_REPEAT);
		g_autofree char *date =
		    o->sheets && o->cells == 0 && o->cur == &o->body && !o->in_deletion ? cell_date(r) : NULL;
		if (empty && date == NULL && !o->in_deletion && o->cell_value == NULL) {
			/* Empty cells repeated: their tabs in one go (a row may hold thousands). */
			office_text_repeat(o->cur, '\t', repeat);
		} else if (empty) {
			for (guint i = repeat; i > 0; i--) {
				if (date != NULL)
					add(o, date, strlen(date));
				add(o, "\t", 1);
			}
		} else if (o->cells++ == 0 && o->cur == &o->body && !o->in_deletion) {
			/* A cell repeated N times holds its value N times (the format's shorthand). */
			o->cell_repeat = repeat;
			o->cell_start = o->body.s->len;
			o->cell_value = g_steal_pointer(&date);
		}
	} else if (g_str_equal(ln, "table") && o->sheets && !empty) {
		sheet_start(o, r);
	} else if (g_str_equal(ln, "table-column") && o->sheets) {
		sheet_column(o, r);
	} else if (g_str_equal(ln, "table-row") && o->sheets) {
		sheet_row(o, r);
	} else if (g_str_equal(ln, "note-body") && !empty && o->cur == &o->body) {
		span_start(o, o->note_spans, &o->notes, r);
	} else if (g_str_equal(ln, "notes") && !empty && o->cur == &o->body) {
		span_start(o, o->note_spans, &o->notes, r);
	} else if (g_str_equal(ln, "annotation") && !empty && o->cur == &o->body) {
		span_start(o, o->anno_spans, &o->anno, r);
	} else if (g_str_equal(ln, "creator") && o->cur == &o->anno && o->anno_spans->len > 0) {
		o->in_creator = !empty;
	} else if (g_str_equal(ln, "page") && !empty && !o->sheets) {
		if (o->slide++ > 0)
			add(o, "\f", 1);
	} else {
		change_start(o, r, ln);
	}
}

static void
element_end(Odf *o, const char *ln)
{
	if (g_str_equal(ln, "automatic-styles")) {
		o->in_styles = FALSE;
	} else if (o->in_styles) {
		/* Nothing in the styles ends a paragraph or a cell. */
	} else if (g_str_equal(ln, "p") || g_str_equal(ln, "h")) {
		if (o->in_deletion)
			add(o, " ", 1);
		else if (o->cells > 0 && o->cur == &o->body)
			add(o, " ", 1);
		else
			office_text_eol(o->cur);
	} else if (g_str_equal(ln, "table-cell") || g_str_equal(ln, "covered-table-cell")) {
		if (o->cells > 0)
			o->cells--;
		if (o->in_deletion) {
			add(o, "\t", 1);
		} else {
			if (o->cells == 0 && o->cell_value != NULL) {
				g_autofree char *date = g_steal_pointer(&o->cell_value);
				add(o, date, strlen(date));
			}
			office_text_cell(o->cur);
			if (o->cells == 0 && o->cur == &o->body)
				repeat_cell(o);
		}
	} else if (g_str_equal(ln, "table-row")) {
		office_text_row(o->cur);
	} else if (g_str_equal(ln, "table") && o->sheets) {
		sheet_end(o);
	} else if ((g_str_equal(ln, "note-body") || g_str_equal(ln, "notes")) && o->cur == &o->notes) {
		span_end(o, o->note_spans, &o->notes);
	} else if (g_str_equal(ln, "annotation") && o->cur == &o->anno) {
		span_end(o, o->anno_spans, &o->anno);
	} else if (g_str_equal(ln, "creator")) {
		o->in_creator = FALSE;
	} else if (g_str_equal(ln, "deletion") && o->in_deletion) {
		o->in_deletion = FALSE;
		g_strchomp(o->del_text->str);
		o->del_text->len = strlen(o->del_text->str);
		/* Held until their marks are met: bounded in number and in bytes. */
		if (office_room(o->oz, g_hash_table_size(o->deleted), "tracked deletions") &&
		    o->deleted_bytes + o->del_text->len < o->body.max) {
			o->deleted_bytes += o->del_text->len;
			g_hash_table_replace(o->deleted, g_strdup(o->region), g_strdup(o->del_text->str));
		}
	}
}

/*
 * Elements whose content is no text of the document: metadata of a
 * change, a note's citation mark, a frame's title, form and script
 * definitions.  The dates of annotations are left out too.
 */
static const char *const skipped[] = { "change-info", "note-citation",   "date",  "forms",
	                               "scripts",     "font-face-decls", "styles" };

static gboolean
is_skipped(const char *ln)
{
	return office_name_in(ln, skipped, G_N_ELEMENTS(skipped));
}

static void
content_read(Odf *o)
{
	const char *name = "content.xml";
	xmlTextReaderPtr r = office_zip_xml(o->oz, name, TRUE);
	if (r == NULL)
		return;
	int rc = xmlTextReaderRead(r);
	while (rc == 1 && o->ok && !(o->body.full && !o->sheets)) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_ELEMENT && is_skipped(ln)) {
			rc = xmlTextReaderNext(r);
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			element_start(o, r, ln, xmlTextReaderIsEmptyElement(r));
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			element_end(o, ln);
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (o->in_creator) {
				Span *s = &g_array_index(o->anno_spans, Span, o->anno_spans->len - 1);
				if (s->author == NULL)
					s->author = g_strndup(v, 1024);
			} else if (xmlTextReaderDepth(r) > 2 && !o->in_styles) {
				add(o, v, strlen(v));
			}
		}
		rc = xmlTextReaderRead(r);
	}
	if (rc < 0)
		office_xml_failed(o->oz, name);
	xmlFreeTextReader(r);
}

static gboolean
emit_spans(Odf *o, GArray *spans, OfficeText *t, const char *what, gboolean by_slide, GError **error)
{
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < spans->len; i++) {
		Span *s = &g_array_index(spans, Span, i);
		gsize end = MIN(s->end, t->s->len), start = MIN(s->start, end);
		/* Notes are one per slide, named by it; comments by their order (a slide may have several). */
		g_autofree char *path = g_strdup_printf("%s %u", what, by_slide && s->slide ? s->slide : i + 1);
		const char *meta[] = { "meta.author", s->author, NULL };
		if (end > start)
			ok = dp_doc_child_text(o->oz->ctx, o->oz->doc, path, OFFICE_TYPE_PART, meta, t->s->str + start,
			                       end - start, error);
	}
	return ok;
}

static void
span_free(gpointer p)
{
	g_free(((Span *)p)->author);
}

/* meta.xml: local element name, then meta name. */
/* clang-format off */
static const char *const props_map[] = {
	"title",           "title",
	"subject",         "subject",
	"creator",         "last-modified-by",
	"initial-creator", "author",
	"keyword",         "keywords",
	"description",     "description",
	"creation-date",   "created",
	"date",            "modified",
	"generator",       "application",
	"language",        "language",
	NULL
};
/* clang-format on */

gboolean
office_odf(OfficeZip *oz, GError **error)
{
	const char *type = dp_record_get(oz->doc->rec, DP_F_TYPE);
	Odf o = { .oz = oz, .ok = TRUE, .error = error };
	o.sheets = g_str_equal(type, DP_TYPE_ODS);
	office_text_init(&o.body, oz->ctx);
	office_text_init(&o.notes, oz->ctx);
	office_text_init(&o.anno, oz->ctx);
	o.cur = &o.body;
	o.note_spans = g_array_new(FALSE, FALSE, sizeof(Span));
	o.anno_spans = g_array_new(FALSE, FALSE, sizeof(Span));
	g_array_set_clear_func(o.note_spans, span_free);
	g_array_set_clear_func(o.anno_spans, span_free);
	o.deleted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	o.insertions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	o.hidden_styles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	o.del_text = g_string_new(NULL);
	o.rows = g_string_new(NULL);
	o.columns = g_string_new(NULL);

	office_props(oz, "meta.xml", props_map);
	gboolean ok = TRUE;
	if (o.sheets) {
		/* A spreadsheet's sheets are parts, emitted as they are read. */
		ok = office_zip_emit(oz, error);
		if (ok)
			content_read(&o);
		ok = ok && o.ok;
		if (ok && oz->status != NULL)
			ok = office_part(oz, "content.xml", OFFICE_TYPE_PART, NULL, "", 0, error);
	} else {
		content_read(&o);
		office_revision_counts(oz->doc, o.n_ins, o.n_del);
		if (g_str_equal(type, DP_TYPE_ODP))
			dp_record_setf(oz->doc->rec, DP_META_PREFIX "slides", "%u", o.slide);
		dp_doc_take_text(oz->ctx, oz->doc, office_text_steal(&o.body));
		ok = office_zip_emit(oz, error);
		if (ok && o.note_spans->len > 0 && !g_str_equal(type, DP_TYPE_ODP)) {
			const char *meta[] = { NULL };
			ok = dp_doc_child_text(oz->ctx, oz->doc, "footnotes", OFFICE_TYPE_PART, meta, o.notes.s->str,
			                       o.notes.s->len, error);
		} else if (ok) {
			ok = emit_spans(&o, o.note_spans, &o.notes, "notes", TRUE, error);
		}
		ok = ok && emit_spans(&o, o.anno_spans, &o.anno, "comment", FALSE, error);
	}
	static const char *const embedded[] = { "Pictures/", "media/", NULL };
	ok = ok && office_embedded(oz, embedded, error);

	if (o.body.s != NULL)
		g_string_free(o.body.s, TRUE);
	g_string_free(o.notes.s, TRUE);
	g_string_free(o.anno.s, TRUE);
	g_array_free(o.note_spans, TRUE);
	g_array_free(o.anno_spans, TRUE);
	g_hash_table_unref(o.deleted);
	g_hash_table_unref(o.insertions);
	g_hash_table_unref(o.hidden_styles);
	g_free(o.style_name);
	g_free(o.cell_value);
	g_string_free(o.del_text, TRUE);
	g_string_free(o.rows, TRUE);
	g_string_free(o.columns, TRUE);
	g_free(o.region);
	g_free(o.ins_region);
	g_free(o.sheet_name);
	return ok;
}
