/*
 * NAME
 *	ooxml-docx.c - Word documents (DOCX, WordprocessingML)
 *
 * DESCRIPTION
 *	The body (word/document.xml) is the document's text, in order:
 *	paragraphs a line each, tables a tab-separated line per row (the
 *	paragraphs of a cell joined by spaces), text boxes where they are
 *	anchored, breaks and tabs as written.  Tracked changes are read as
 *	text where they stand, inserted and deleted alike, and each is also
 *	listed as meta.inserted or meta.deleted (meta.insertions and
 *	meta.deletions count them; parts count only).  Headers, footers,
 *	footnotes and endnotes are text parts ("header 1", "footer 1",
 *	"footnotes", "endnotes"), each comment a part "comment N" with its
 *	meta.author and meta.date.  docProps/core.xml and app.xml give the
 *	metadata, and the files under word/media/ and word/embeddings/ are
 *	parts read through the dispatch.
 *
 * SECURITY
 *	As extract/office-zip.c: parts are streamed within the [zip] limits,
 *	entities are never expanded, the text is cut at [limits]
 *	max-text-size.  The reader keeps a few counters whatever the nesting.
 */
#include "extract/office-zip.h"

#include "core/record.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* One comment of comments.xml: where its text is in the shared text, and who wrote it. */
typedef struct {
	gsize start, end;
	char *author, *date;
} Comment;

typedef struct {
	OfficeZip *oz;
	OfficeText text;
	gboolean in_t;   /* inside w:t or w:delText */
	guint revision;  /* inside this many w:ins or w:del */
	gboolean insert; /* the outermost one is an insertion */
	GString *rev;    /* its text */
	guint n_ins, n_del;
	guint cells;      /* inside this many table cells */
	DpDoc *rev_doc;   /* where revisions are listed (the body's document), or NULL */
	GArray *comments; /* of Comment, for comments.xml */
} Story;

/*
 * Elements whose content is never text: properties (which hold tab stops
 * and revision marks of formatting), field codes, and the fallback copy
 * of a text box that mc:AlternateContent gives after the real one.
 */
static const char *const skipped[] = { "pPr",     "rPr",     "sectPr",       "tblPr",     "tcPr",
	                               "trPr",    "tblGrid", "Fallback",     "instrText", "delInstrText",
	                               "fldData", "numPr",   "bookmarkStart" };

static gboolean
is_skipped(const char *ln)
{
	return office_name_in(ln, skipped, G_N_ELEMENTS(skipped));
}

/* A tracked change: an insertion or deletion, or the two halves of a move. */
static gboolean
is_revision(const char *ln)
{
	return g_str_equal(ln, "ins") || g_str_equal(ln, "del") || g_str_equal(ln, "moveFrom") ||
	       g_str_equal(ln, "moveTo");
}

static void
story_init(Story *st, OfficeZip *oz, DpDoc *rev_doc)
{
	memset(st, 0, sizeof *st);
	st->oz = oz;
	office_text_init(&st->text, oz->ctx);
	st->rev = g_string_new(NULL);
	st->rev_doc = rev_doc;
}

static void
story_clear(Story *st)
{
	if (st->text.s != NULL)
		g_string_free(st->text.s, TRUE);
	g_string_free(st->rev, TRUE);
	if (st->comments != NULL) {
		for (guint i = 0; i < st->comments->len; i++) {
			Comment *c = &g_array_index(st->comments, Comment, i);
			g_free(c->author);
			g_free(c->date);
		}
		g_array_free(st->comments, TRUE);
	}
}

static void
story_add(Story *st, const char *s, gsize len)
{
	office_text_add(&st->text, s, len);
	if (st->revision > 0 && st->rev->len < 65536)
		g_string_append_len(st->rev, s, (gssize)len);
}

/* The end of a tracked change: list it. */
static void
revision_end(Story *st)
{
	if (st->insert)
		st->n_ins++;
	else
		st->n_del++;
	if (st->rev_doc != NULL)
		office_revision(st->rev_doc, st->insert, st->rev->str, st->insert ? st->n_ins : st->n_del);
	g_string_truncate(st->rev, 0);
}

static void
element_start(Story *st, xmlTextReaderPtr r, const char *ln)
{
	gboolean empty = xmlTextReaderIsEmptyElement(r);
	if (g_str_equal(ln, "t") || g_str_equal(ln, "delText")) {
		st->in_t = !empty;
	} else if (g_str_equal(ln, "tab")) {
		story_add(st, "\t", 1);
	} else if (g_str_equal(ln, "br") || g_str_equal(ln, "cr")) {
		story_add(st, "\n", 1);
	} else if (g_str_equal(ln, "noBreakHyphen")) {
		story_add(st, "-", 1);
	} else if (g_str_equal(ln, "tc") && !empty) {
		st->cells++;
	} else if (is_revision(ln) && !empty) {
		if (st->revision++ == 0)
			st->insert = g_str_equal(ln, "ins") || g_str_equal(ln, "moveTo");
	} else if (g_str_equal(ln, "comment") && st->comments != NULL && !empty &&
	           office_room(st->oz, st->comments->len, "comments")) {
		Comment c = { st->text.s->len, st->text.s->len, office_xml_attr(r, "author"),
			      office_xml_attr(r, "date") };
		g_array_append_val(st->comments, c);
	}
}

static void
element_end(Story *st, const char *ln)
{
	if (g_str_equal(ln, "t") || g_str_equal(ln, "delText")) {
		st->in_t = FALSE;
	} else if (g_str_equal(ln, "p")) {
		if (st->cells > 0)
			story_add(st, " ", 1);
		else
			office_text_eol(&st->text);
	} else if (g_str_equal(ln, "tc") && st->cells > 0) {
		st->cells--;
		office_text_cell(&st->text);
	} else if (g_str_equal(ln, "tr")) {
		office_text_row(&st->text);
	} else if (is_revision(ln) && st->revision > 0) {
		if (--st->revision == 0)
			revision_end(st);
	} else if (g_str_equal(ln, "comment") && st->comments != NULL && st->comments->len > 0) {
		office_text_eol(&st->text);
		g_array_index(st->comments, Comment, st->comments->len - 1).end = st->text.s->len;
	}
}

/* A footnote or endnote that only draws the separator line above the notes. */
static gboolean
is_separator_note(xmlTextReaderPtr r, const char *ln)
{
	if (!g_str_equal(ln, "footnote") && !g_str_equal(ln, "endnote"))
		return FALSE;
	g_autofree char *type = office_xml_attr(r, "type");
	return type != NULL && !g_str_equal(type, "normal");
}

/* Read the part NAME into ST; FALSE when it is missing. */
static gboolean
story_read(Story *st, const char *name, gboolean required)
{
	xmlTextReaderPtr r = office_zip_xml(st->oz, name, required);
	if (r == NULL)
		return FALSE;
	int rc = xmlTextReaderRead(r);
	/* Once the text is full, the rest of the part would be read for nothing. */
	while (rc == 1 && !st->text.full) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_ELEMENT && (is_skipped(ln) || is_separator_note(r, ln))) {
			rc = xmlTextReaderNext(r);
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT)
			element_start(st, r, ln);
		else if (type == XML_READER_TYPE_END_ELEMENT)
			element_end(st, ln);
		else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		          type == XML_READER_TYPE_WHITESPACE) &&
		         st->in_t) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			story_add(st, v, strlen(v));
		}
		rc = xmlTextReaderRead(r);
	}
	if (rc < 0)
		office_xml_failed(st->oz, name);
	xmlFreeTextReader(r);
	return TRUE;
}

/* The part NAME as a text part PATH, with its revisions counted. */
static gboolean
emit_story(OfficeZip *oz, const char *name, const char *path, GError **error)
{
	Story st;
	story_init(&st, oz, NULL);
	gboolean ok = TRUE;
	if (story_read(&st, name, FALSE)) {
		g_autofree char *ins = st.n_ins ? g_strdup_printf("%u", st.n_ins) : NULL;
		g_autofree char *del = st.n_del ? g_strdup_printf("%u", st.n_del) : NULL;
		g_autofree char *clean = g_strdup(name);
		const char *meta[] = { "meta.name", clean, "meta.insertions", ins, "meta.deletions", del, NULL };
		/* Footnotes with only separators are no part worth a record. */
		if (st.text.s->len > 0 || oz->status != NULL)
			ok = office_part(oz, path, OFFICE_TYPE_PART, meta, st.text.s->str, st.text.s->len, error);
	}
	story_clear(&st);
	return ok;
}

static gboolean
emit_comments(OfficeZip *oz, GError **error)
{
	Story st;
	story_init(&st, oz, NULL);
	st.comments = g_array_new(FALSE, FALSE, sizeof(Comment));
	gboolean ok = TRUE;
	if (story_read(&st, "word/comments.xml", FALSE)) {
		for (guint i = 0; ok && i < st.comments->len; i++) {
			Comment *c = &g_array_index(st.comments, Comment, i);
			g_autofree char *path = g_strdup_printf("comment %u", i + 1);
			const char *meta[] = { "meta.author", c->author, "meta.date", c->date, NULL };
			gsize end = MIN(c->end, st.text.s->len);
			gsize start = MIN(c->start, end);
			ok = dp_doc_child_text(oz->ctx, oz->doc, path, OFFICE_TYPE_PART, meta, st.text.s->str + start,
			                       end - start, error);
		}
		if (ok && oz->status != NULL)
			ok = office_part(oz, "comments", OFFICE_TYPE_PART, NULL, "", 0, error);
	}
	story_clear(&st);
	return ok;
}

/* Headers or footers (PREFIX "word/header"), in the order of their entries' numbers. */
static gboolean
emit_numbered(OfficeZip *oz, const char *prefix, const char *what, GError **error)
{
	gboolean ok = TRUE;
	guint n = 0;
	/* Word numbers them from 1 without gaps; a gap of 16 ends the search. */
	for (guint i = 1, miss = 0; ok && miss < 16 && i < 10000; i++) {
		g_autofree char *name = g_strdup_printf("%s%u.xml", prefix, i);
		if (!office_zip_has(oz, name)) {
			miss++;
			continue;
		}
		miss = 0;
		g_autofree char *path = g_strdup_printf("%s %u", what, ++n);
		ok = emit_story(oz, name, path, error);
	}
	return ok;
}

gboolean
office_docx(OfficeZip *oz, GError **error)
{
	DpDoc *doc = oz->doc;
	office_ooxml_props(oz);
	Story st;
	story_init(&st, oz, doc);
	story_read(&st, "word/document.xml", TRUE);
	office_revision_counts(doc, st.n_ins, st.n_del);
	dp_doc_take_text(oz->ctx, doc, office_text_steal(&st.text));
	story_clear(&st);
	gboolean ok = office_zip_emit(oz, error);
	ok = ok && emit_numbered(oz, "word/header", "header", error);
	ok = ok && emit_numbered(oz, "word/footer", "footer", error);
	ok = ok && emit_story(oz, "word/footnotes.xml", "footnotes", error);
	ok = ok && emit_story(oz, "word/endnotes.xml", "endnotes", error);
	ok = ok && emit_comments(oz, error);
	static const char *const embedded[] = { "word/media/", "word/embeddings/", NULL };
	return ok && office_embedded(oz, embedded, error);
}
