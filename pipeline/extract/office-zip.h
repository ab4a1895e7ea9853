/*
 * office-zip.h: what the readers of zip-based office documents share
 * (extract/office-zip.c, the text in extract/office-text.c): the package
 * opened with the [zip] limits, its XML parts streamed through libxml2's
 * reader, text collected with the limits, metadata, relationships, and
 * embedded files made parts.  The readers proper are ooxml-docx.c,
 * ooxml-xlsx.c, ooxml-pptx.c, odf.c and epub.c, all in the loadable
 * module docpipe-office.so.
 */
#ifndef DOCPIPE_OFFICE_ZIP_H
#define DOCPIPE_OFFICE_ZIP_H

#include <glib.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "extract/extract.h"

/*
 * At most this many sheets, slides, chapters, comments, notes, shared
 * strings' worth of bookkeeping or relationships are kept from one package:
 * a hostile part of millions of tiny elements must not cost memory without
 * end.  Past it, the document's status is "limit".
 */
#define OFFICE_MAX_ITEMS 65536

/* At most this many tracked changes are listed as meta.inserted / meta.deleted. */
#define OFFICE_MAX_REVISIONS 1000

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	zip_t *za;
	guint64 max_total, max_ratio, total;
	/* The first problem met (a limit, a damaged part), for the document's status. */
	char *status;
	char *why;
	/* libxml2's first message about the part being read. */
	char *xml_error;
	/* Entry index + 1 -> times opened (OFFICE_MAX_OPENS at most). */
	GHashTable *opens;
} OfficeZip;

/* TRUE when a list of N items may grow; else the limit is noted for WHAT. */
gboolean office_room(OfficeZip *oz, guint n, const char *what);

/* Open DOC's bytes as a package; FALSE (DOC failed, with the reason) when it is no zip. */
gboolean office_zip_open(OfficeZip *oz, DpExtractCtx *ctx, DpDoc *doc);
void office_zip_close(OfficeZip *oz);
/*
 * Give DOC the first problem met so far as its status and emit it: the
 * readers call this once DOC's own text is set, before its parts.
 */
gboolean office_zip_emit(OfficeZip *oz, GError **error);
/* Note a problem: the first one becomes the document's status and error. */
void office_zip_problem(OfficeZip *oz, const char *status, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

gboolean office_zip_has(OfficeZip *oz, const char *name);
/*
 * A reader streaming the XML part NAME, inflated as it is parsed within
 * the [zip] limits (no DTD, no entity, no network); NULL when the part is
 * missing (REQUIRED: a problem noted) or cannot be opened.
 */
xmlTextReaderPtr office_zip_xml(OfficeZip *oz, const char *name, gboolean required);
/* The next node of R; FALSE at the end, or on an XML error (noted for NAME). */
gboolean office_xml_next(OfficeZip *oz, xmlTextReaderPtr r, const char *name);
/* Note that the XML part NAME broke off (libxml2's reason in the message). */
void office_xml_failed(OfficeZip *oz, const char *name);
/* Attribute LOCAL of the current element, in any namespace (free it), or NULL. */
char *office_xml_attr(xmlTextReaderPtr r, const char *local);
/* The relationship id of the current element (r:id, in OOXML's relationships namespace), or NULL. */
char *office_xml_rel_id(xmlTextReaderPtr r);
/* The whole part NAME within the limits, or NULL (a problem noted when REQUIRED). */
GBytes *office_zip_bytes(OfficeZip *oz, const char *name, gboolean required);

/*
 * The targets of the relationships in the .rels part of PART (OOXML),
 * resolved to entry names: Id -> target, and in *TYPES Id -> type.
 */
GHashTable *office_rels(OfficeZip *oz, const char *part, GHashTable **types);
/* The entry name of TARGET relative to the part BASE ("../media/a.png" from "word/document.xml"). */
char *office_resolve(const char *base, const char *target);

/*
 * Leaf elements of the XML part NAME whose local names MAP lists (pairs
 * of local name and meta name, NULL-ended) become DOC's metadata.
 */
void office_props(OfficeZip *oz, const char *name, const char *const *map);

/*
 * docProps/core.xml and app.xml of an OOXML package (DOCX, XLSX, PPTX):
 * title, subject, creator (meta.author), keywords, description, dates,
 * category, last-modified-by, application, company, manager, template.
 */
void office_ooxml_props(OfficeZip *oz);

/* Is NAME one of the N names of LIST (an element to pass over)? */
gboolean office_name_in(const char *name, const char *const *list, gsize n);

/* Every entry whose name starts with one of PREFIXES (NULL-ended) becomes a part of DOC. */
gboolean office_embedded(OfficeZip *oz, const char *const *prefixes, GError **error);

/*
 * Text being collected: paragraphs, tabs and breaks, cut a little past
 * [limits] max-text-size so that a huge part costs no more memory.
 */
typedef struct {
	GString *s;
	guint64 max;
	gboolean full;
} OfficeText;

void office_text_init(OfficeText *t, DpExtractCtx *ctx);
void office_text_add(OfficeText *t, const char *s, gsize len);
void office_text_c(OfficeText *t, char c);
/* N copies of C, appended in blocks (a cell repeated 1,024 times, a run of spaces). */
void office_text_repeat(OfficeText *t, char c, guint n);
/* End a line: trailing blanks and tabs dropped, one newline (none at the start). */
void office_text_eol(OfficeText *t);
/* End a table cell: the spaces that ended its paragraphs dropped, then a tab. */
void office_text_cell(OfficeText *t);
/* End a table row: the cells' trailing tabs dropped, then a newline. */
void office_text_row(OfficeText *t);
GString *office_text_steal(OfficeText *t);

/*
 * Tracked changes of one document, listed as repeated meta.inserted and
 * meta.deleted fields (at most OFFICE_MAX_REVISIONS), and counted in
 * meta.insertions and meta.deletions.
 */
/* The Nth (from 1) insertion or deletion of DOC. */
void office_revision(DpDoc *doc, gboolean inserted, const char *text, guint n);
void office_revision_counts(DpDoc *doc, guint ins, guint del);

/*
 * Emit a text part of the document: PATH, TYPE, META as for
 * dp_doc_child_text(), TEXT (LEN bytes).  When a problem was met while
 * its XML was read, the part gets that status and message instead.
 */
gboolean office_part(OfficeZip *oz, const char *path, const char *type, const char *const *meta, const char *text,
                     gsize len, GError **error);

/* The readers, each given the opened package. */
gboolean office_docx(OfficeZip *oz, GError **error);
gboolean office_xlsx(OfficeZip *oz, GError **error);
gboolean office_pptx(OfficeZip *oz, GError **error);
gboolean office_odf(OfficeZip *oz, GError **error);
gboolean office_epub(OfficeZip *oz, GError **error);

/* A sheet as a part: its rows tab-separated, hidden rows and columns listed (xlsx, ods). */
#define OFFICE_TYPE_SHEET "text/tab-separated-values"
/* Everything else read from a package's XML parts: notes, comments, headers. */
#define OFFICE_TYPE_PART "text/plain"

/*
 * A list of numbers or names kept short: at most OFFICE_MAX_LISTED, then
 * "..." (hidden rows of a sheet).
 */
#define OFFICE_MAX_LISTED 200
void office_list_add(GString *list, guint *n, const char *item);
/* The columns FIRST to LAST (from 1, at most 16,384) as an item of LIST: "B", or "B:D" for a range. */
void office_list_columns(GString *list, guint *n, guint first, guint last);

#endif
