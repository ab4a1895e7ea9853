/*
 * NAME
 *	epub.c - EPUB books
 *
 * DESCRIPTION
 *	META-INF/container.xml names the package document (the OPF); its
 *	manifest names the files and its spine their reading order.  Each
 *	spine item is a part "chapter N" (meta.name: its entry), read by the
 *	HTML extractor (extract/html.c) through the dispatch as XHTML, so a
 *	book's text is its chapters in spine order.  The OPF's Dublin Core
 *	title, creator, language, publisher, date and identifier are the
 *	book's metadata; the book's own text is its title.  Images are not
 *	read (a book's illustrations would each be an OCR job); files the
 *	spine names that are not XHTML are read as what they are.
 *
 * SECURITY
 *	As extract/office-zip.c.  Hrefs are resolved as entry names inside
 *	the package only, never fetched; a spine that names one item many
 *	times reads it each time, each within the [zip] limits and [limits]
 *	max-children.
 */
#include "extract/office-zip.h"

#include "core/record.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* The full-path of the first rootfile of META-INF/container.xml, or NULL. */
static char *
package_path(OfficeZip *oz)
{
	const char *name = "META-INF/container.xml";
	xmlTextReaderPtr r = office_zip_xml(oz, name, TRUE);
	if (r == NULL)
		return NULL;
	char *path = NULL;
	while (path == NULL && office_xml_next(oz, r, name))
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
		    g_str_equal((const char *)xmlTextReaderConstLocalName(r), "rootfile"))
			path = office_xml_attr(r, "full-path");
	xmlFreeTextReader(r);
	if (path == NULL)
		office_zip_problem(oz, DP_STATUS_ERROR, "%s names no package document", name);
	return path;
}

typedef struct {
	GHashTable *hrefs; /* manifest id -> entry name */
	GHashTable *types; /* manifest id -> media-type */
	GPtrArray *spine;  /* manifest ids, in reading order */
} Package;

/* The manifest and the spine of the package document OPF. */
static void
package_read(OfficeZip *oz, const char *opf, Package *p)
{
	xmlTextReaderPtr r = office_zip_xml(oz, opf, TRUE);
	if (r == NULL)
		return;
	while (office_xml_next(oz, r, opf)) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (g_str_equal(ln, "item")) {
			g_autofree char *id = office_xml_attr(r, "id");
			g_autofree char *href = office_xml_attr(r, "href");
			g_autofree char *type = office_xml_attr(r, "media-type");
			if (id == NULL || href == NULL)
				continue;
			if (!office_room(oz, g_hash_table_size(p->hrefs), "manifest items"))
				break;
			/* Hrefs are URLs: "chapter%201.xhtml" names "chapter 1.xhtml". */
			g_autofree char *unescaped = g_uri_unescape_string(href, NULL);
			g_hash_table_replace(p->hrefs, g_strdup(id), office_resolve(opf, unescaped ? unescaped : href));
			if (type != NULL)
				g_hash_table_replace(p->types, g_strdup(id), g_steal_pointer(&type));
		} else if (g_str_equal(ln, "itemref")) {
			if (!office_room(oz, p->spine->len, "spine items"))
				break;
			char *idref = office_xml_attr(r, "idref");
			if (idref != NULL)
				g_ptr_array_add(p->spine, idref);
		}
	}
	xmlFreeTextReader(r);
}

/* The OPF's Dublin Core metadata: local element name, then meta name. */
/* clang-format off */
static const char *const props_map[] = {
	"title",       "title",
	"creator",     "author",
	"language",    "language",
	"publisher",   "publisher",
	"date",        "date",
	"identifier",  "identifier",
	"subject",     "subject",
	"description", "description",
	NULL
};
/* clang-format on */

gboolean
office_epub(OfficeZip *oz, GError **error)
{
	g_autofree char *opf = package_path(oz);
	Package p = { g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		      g_ptr_array_new_with_free_func(g_free) };
	if (opf != NULL) {
		office_props(oz, opf, props_map);
		package_read(oz, opf, &p);
	}
	const char *title = dp_record_get(oz->doc->rec, DP_META_PREFIX "title");
	if (title != NULL) {
		g_autofree char *line = g_strconcat(title, "\n", NULL);
		dp_doc_set_text(oz->ctx, oz->doc, line, strlen(line));
	}
	dp_record_setf(oz->doc->rec, DP_META_PREFIX "chapters", "%u", p.spine->len);
	gboolean ok = office_zip_emit(oz, error);
	for (guint i = 0; ok && i < p.spine->len; i++) {
		if (oz->ctx->max_children > 0 && oz->ctx->n_children > oz->ctx->max_children)
			break;
		const char *id = p.spine->pdata[i];
		const char *entry = g_hash_table_lookup(p.hrefs, id);
		const char *type = g_hash_table_lookup(p.types, id);
		g_autofree char *path = g_strdup_printf("chapter %u", i + 1);
		const char *meta[] = { "meta.name", entry ? entry : id, NULL };
		if (entry == NULL) {
			ok = dp_doc_child_problem(oz->ctx, oz->doc, path, NULL, meta, DP_STATUS_ERROR, error,
			                          "the spine names %s, which the manifest lacks", id);
			continue;
		}
		g_autoptr(GBytes) data = office_zip_bytes(oz, entry, TRUE);
		if (data == NULL) {
			g_autofree char *status = g_steal_pointer(&oz->status);
			g_autofree char *why = g_steal_pointer(&oz->why);
			ok = dp_doc_child_problem(oz->ctx, oz->doc, path, type, meta, status ? status : DP_STATUS_ERROR,
			                          error, "%s", why ? why : "unreadable chapter");
			continue;
		}
		/* XHTML goes to the HTML extractor; anything else is sniffed as any part is. */
		gboolean xhtml =
		    type != NULL && (g_str_equal(type, "application/xhtml+xml") || g_str_equal(type, "text/html"));
		ok = dp_doc_child(oz->ctx, oz->doc, path, xhtml ? "application/xhtml+xml" : NULL, data, meta, error);
	}
	g_hash_table_unref(p.hrefs);
	g_hash_table_unref(p.types);
	g_ptr_array_unref(p.spine);
	return ok;
}
