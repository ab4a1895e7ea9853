/*
 * NAME
 *	ooxml-pptx.c - PowerPoint presentations (PPTX, PresentationML)
 *
 * DESCRIPTION
 *	The slides, in the order of ppt/presentation.xml's slide list, are
 *	the document's text, a page each (separated by form feeds, so that
 *	the XML has a <page> per slide; meta.slides counts them).  A slide's
 *	text is its DrawingML paragraphs a line each, table rows as
 *	tab-separated lines; hidden slides are read too and listed in
 *	meta.hidden-slides.  Speaker notes are a part "notes N" for slide N,
 *	and a slide's comments (legacy and modern) a part "comments N".
 *	docProps/core.xml and app.xml give the metadata; ppt/media/ and ppt/embeddings/ are
 *	parts.
 *
 * SECURITY
 *	As extract/office-zip.c.  Relationship targets are resolved as entry
 *	names only.
 */
#include "extract/office-zip.h"

#include "core/record.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/*
 * The text of the DrawingML part NAME into T: a:t runs, a:p paragraphs,
 * a:br breaks, table cells and rows; the text of comments (<p:text>, or a
 * modern comment's a:t) a paragraph each.
 */
static void
drawing_text(OfficeZip *oz, const char *name, OfficeText *t, gboolean *hidden)
{
	xmlTextReaderPtr r = office_zip_xml(oz, name, TRUE);
	if (r == NULL)
		return;
	gboolean in_t = FALSE;
	int rc = xmlTextReaderRead(r);
	while (rc == 1 && !t->full) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			/* The fallback copy of alternate content would repeat the text. */
			if (g_str_equal(ln, "Fallback")) {
				rc = xmlTextReaderNext(r);
				continue;
			}
			gboolean empty = xmlTextReaderIsEmptyElement(r);
			/* A slide left out of the show: <p:sld show="0">. */
			if (hidden != NULL && xmlTextReaderDepth(r) == 0 && g_str_equal(ln, "sld")) {
				g_autofree char *show = office_xml_attr(r, "show");
				*hidden = show != NULL && (g_str_equal(show, "0") || g_str_equal(show, "false"));
			}
			if (g_str_equal(ln, "t") || g_str_equal(ln, "text"))
				in_t = !empty;
			else if (g_str_equal(ln, "br"))
				office_text_c(t, '\n');
			else if (g_str_equal(ln, "tab"))
				office_text_c(t, '\t');
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (g_str_equal(ln, "t")) {
				in_t = FALSE;
			} else if (g_str_equal(ln, "text") || g_str_equal(ln, "p")) {
				in_t = FALSE;
				office_text_eol(t);
			} else if (g_str_equal(ln, "tc")) {
				/* A cell's paragraphs ended in newlines: make them one field. */
				office_text_cell(t);
			} else if (g_str_equal(ln, "tr")) {
				office_text_row(t);
			}
		} else if (in_t && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		                    type == XML_READER_TYPE_WHITESPACE)) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			office_text_add(t, v, strlen(v));
		}
		rc = xmlTextReaderRead(r);
	}
	if (rc < 0)
		office_xml_failed(oz, name);
	xmlFreeTextReader(r);
}

/* The slide parts of ppt/presentation.xml, in its order. */
static GPtrArray *
slide_list(OfficeZip *oz)
{
	GPtrArray *slides = g_ptr_array_new_with_free_func(g_free);
	const char *name = "ppt/presentation.xml";
	g_autoptr(GHashTable) rels = office_rels(oz, name, NULL);
	xmlTextReaderPtr r = office_zip_xml(oz, name, TRUE);
	if (r == NULL)
		return slides;
	while (office_xml_next(oz, r, name)) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
		    !g_str_equal((const char *)xmlTextReaderConstLocalName(r), "sldId"))
			continue;
		g_autofree char *id = office_xml_rel_id(r);
		const char *part = id ? g_hash_table_lookup(rels, id) : NULL;
		if (part != NULL && !office_room(oz, slides->len, "slides"))
			break;
		if (part != NULL)
			g_ptr_array_add(slides, g_strdup(part));
	}
	xmlFreeTextReader(r);
	return slides;
}

/* The part the relationships of SLIDE give for a type ending in SUFFIX, or NULL. */
static char *
related(GHashTable *rels, GHashTable *types, const char *suffix)
{
	/* Sorted ids: the hash table's order must not decide which comes first. */
	g_autoptr(GList) ids = g_list_sort(g_hash_table_get_keys(types), (GCompareFunc)g_strcmp0);
	for (GList *l = ids; l != NULL; l = l->next) {
		const char *type = g_hash_table_lookup(types, l->data);
		if (g_str_has_suffix(type, suffix))
			return g_strdup(g_hash_table_lookup(rels, l->data));
	}
	return NULL;
}

/* Notes or comments of slide N from PART, as the part PATH. */
static gboolean
emit_related(OfficeZip *oz, const char *part, const char *path, GError **error)
{
	if (part == NULL || !office_zip_has(oz, part))
		return TRUE;
	OfficeText t;
	office_text_init(&t, oz->ctx);
	drawing_text(oz, part, &t, NULL);
	gboolean ok = TRUE;
	if (t.s->len > 0 || oz->status != NULL) {
		const char *meta[] = { "meta.name", part, NULL };
		ok = office_part(oz, path, OFFICE_TYPE_PART, meta, t.s->str, t.s->len, error);
	}
	g_string_free(t.s, TRUE);
	return ok;
}

gboolean
office_pptx(OfficeZip *oz, GError **error)
{
	office_ooxml_props(oz);
	g_autoptr(GPtrArray) slides = slide_list(oz);
	OfficeText t;
	office_text_init(&t, oz->ctx);
	g_autoptr(GString) hidden = g_string_new(NULL);
	guint n_hidden = 0;
	for (guint i = 0; i < slides->len; i++) {
		if (i > 0)
			office_text_c(&t, '\f');
		gboolean h = FALSE;
		drawing_text(oz, slides->pdata[i], &t, &h);
		if (h) {
			g_autofree char *num = g_strdup_printf("%u", i + 1);
			office_list_add(hidden, &n_hidden, num);
		}
	}
	dp_record_setf(oz->doc->rec, DP_META_PREFIX "slides", "%u", slides->len);
	dp_doc_meta(oz->doc, "hidden-slides", hidden->str);
	dp_doc_take_text(oz->ctx, oz->doc, office_text_steal(&t));
	gboolean ok = office_zip_emit(oz, error);
	for (guint i = 0; ok && i < slides->len; i++) {
		g_autoptr(GHashTable) types = NULL;
		g_autoptr(GHashTable) rels = office_rels(oz, slides->pdata[i], &types);
		g_autofree char *notes = related(rels, types, "/notesSlide");
		g_autofree char *comments = related(rels, types, "/comments");
		g_autofree char *npath = g_strdup_printf("notes %u", i + 1);
		g_autofree char *cpath = g_strdup_printf("comments %u", i + 1);
		ok = emit_related(oz, notes, npath, error) && emit_related(oz, comments, cpath, error);
	}
	static const char *const embedded[] = { "ppt/media/", "ppt/embeddings/", NULL };
	return ok && office_embedded(oz, embedded, error);
}
