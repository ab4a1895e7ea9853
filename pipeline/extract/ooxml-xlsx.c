/*
 * NAME
 *	ooxml-xlsx.c - Excel workbooks (XLSX, SpreadsheetML)
 *
 * DESCRIPTION
 *	Every sheet of xl/workbook.xml, in the workbook's order, is a part
 *	"sheet N" of type text/tab-separated-values: a line per row that
 *	holds a value, its cells separated by tabs at their columns (the
 *	column letters of each cell's reference place it; empty cells between
 *	are empty fields).  A cell's text is its shared string, its inline
 *	string, or its value as stored, which for a formula is the value the
 *	application last computed (the formula itself is not text); booleans
 *	are TRUE and FALSE.  A number whose cell format (s=, an <xf> of
 *	xl/styles.xml's <cellXfs>, its numFmtId built in or a <numFmt>)
 *	shows a date or a time is written as ISO 8601 (workbookPr date1904
 *	says which date system), one that shows a percentage or fixed
 *	decimals with them (extract/office-numfmt.c); other numbers as
 *	stored.  The sheet's name is meta.sheet-name; a hidden
 *	sheet has meta.hidden (hidden or veryHidden); hidden rows and columns
 *	are read like the others and listed in meta.hidden-rows (row numbers)
 *	and meta.hidden-columns (column letters, ranges as B:D).  The
 *	workbook's own text is the sheet names, a line each.
 *	docProps/core.xml and app.xml give the metadata; xl/media/ and xl/embeddings/ are
 *	parts.
 *
 * SECURITY
 *	As extract/office-zip.c.  The shared strings are held in memory (the
 *	cells refer to them by number), at most 8 Mi of them in at most
 *	[limits] max-text-size bytes; a cell reference far to the right adds at most 16,384
 *	empty fields, the format's column limit, and the text is cut at
 *	[limits] max-text-size.
 */
#include "extract/office-zip.h"

#include "extract/office-numfmt.h"

#include "core/record.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define MAX_COLUMN 16384

/* The column number (from 1) of a cell reference "BC12", or 0. */
static guint
ref_column(const char *ref)
{
	guint col = 0;
	for (; ref != NULL && g_ascii_isalpha(*ref); ref++) {
		col = col * 26 + (guint)(g_ascii_toupper(*ref) - 'A' + 1);
		if (col > MAX_COLUMN)
			return 0;
	}
	return col;
}

/*
 * The shared strings, in one buffer: a workbook may have millions, and a
 * hostile one millions of empty ones, so each costs its bytes and one
 * offset, and there are at most SST_MAX of them in at most [limits]
 * max-text-size bytes (past that, the document's status is "limit" and
 * the cells that refer to the rest are empty).
 */
#define SST_MAX (1u << 23)
typedef struct {
	GString *blob; /* the strings, each ended by a NUL */
	GArray *offs;  /* of gsize: where each starts in blob */
} Strings;

static void
strings_free(Strings *ss)
{
	g_string_free(ss->blob, TRUE);
	g_array_free(ss->offs, TRUE);
}

static const char *
strings_get(const Strings *ss, guint64 i)
{
	return i < ss->offs->len ? ss->blob->str + g_array_index(ss->offs, gsize, i) : "";
}

static void
strings_add(OfficeZip *oz, Strings *ss, const char *s, guint64 max)
{
	gsize len = strlen(s);
	if (ss->offs->len >= SST_MAX || ss->blob->len + len + 1 > max) {
		office_zip_problem(oz, DP_STATUS_LIMIT,
		                   "more shared strings than the limits allow; cells after are empty");
		return;
	}
	gsize off = ss->blob->len;
	g_array_append_val(ss->offs, off);
	g_string_append_len(ss->blob, s, (gssize)len + 1);
}

/*
 * The text of every <si> of xl/sharedStrings.xml, in order: its <t>
 * elements (rich text has several), without the phonetic runs (<rPh>).
 */
static void
shared_strings(OfficeZip *oz, Strings *ss)
{
	ss->blob = g_string_new(NULL);
	ss->offs = g_array_new(FALSE, FALSE, sizeof(gsize));
	guint64 max = oz->ctx->max_text > 0 ? oz->ctx->max_text : G_MAXUINT64;
	const char *name = "xl/sharedStrings.xml";
	xmlTextReaderPtr r = office_zip_xml(oz, name, FALSE);
	if (r == NULL)
		return;
	g_autoptr(GString) cur = g_string_new(NULL);
	gboolean in_t = FALSE;
	int rc = xmlTextReaderRead(r);
	while (rc == 1) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_ELEMENT && g_str_equal(ln, "rPh")) {
			rc = xmlTextReaderNext(r);
			continue;
		}
		if (type == XML_READER_TYPE_ELEMENT && g_str_equal(ln, "si")) {
			g_string_truncate(cur, 0);
			if (xmlTextReaderIsEmptyElement(r))
				strings_add(oz, ss, "", max);
		} else if (type == XML_READER_TYPE_ELEMENT && g_str_equal(ln, "t")) {
			in_t = !xmlTextReaderIsEmptyElement(r);
		} else if (type == XML_READER_TYPE_END_ELEMENT && g_str_equal(ln, "t")) {
			in_t = FALSE;
		} else if (type == XML_READER_TYPE_END_ELEMENT && g_str_equal(ln, "si")) {
			strings_add(oz, ss, cur->str, max);
		} else if (in_t && cur->len < 65536 &&
		           (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		            type == XML_READER_TYPE_WHITESPACE)) {
			g_string_append(cur, (const char *)xmlTextReaderConstValue(r));
		}
		rc = xmlTextReaderRead(r);
	}
	if (rc < 0)
		office_xml_failed(oz, name);
	xmlFreeTextReader(r);
}

typedef struct {
	OfficeZip *oz;
	const Strings *strings;
	OfficeText text;
	guint col;       /* the column the text is at, from 1 */
	guint cell_col;  /* the column of the cell being read */
	guint next_col;  /* the column of the next cell without a reference */
	char *cell_type; /* t= of the cell being read */
	GString *value;  /* its <v> or inline string */
	gboolean in_v;   /* inside <v>, or <t> of an inline string */
	GString *rows;   /* hidden row numbers */
	guint n_rows;
	GString *columns; /* hidden column letters */
	guint n_columns;
	const GArray *xf; /* of DpNumFmt: what each cell format shows */
	gboolean date1904;
	guint style; /* s= of the cell being read */
} Sheet;

static void
cell_start(Sheet *sh, xmlTextReaderPtr r)
{
	g_autofree char *ref = office_xml_attr(r, "r");
	guint col = ref ? ref_column(ref) : 0;
	if (col == 0)
		col = sh->next_col;
	sh->next_col = col + 1;
	sh->cell_col = col;
	g_free(sh->cell_type);
	sh->cell_type = office_xml_attr(r, "t");
	g_autofree char *style = office_xml_attr(r, "s");
	sh->style = style ? (guint)MIN(g_ascii_strtoull(style, NULL, 10), G_MAXUINT) : 0;
	g_string_truncate(sh->value, 0);
}

/* A number cell's value as its format shows it (a date, a percentage, fixed decimals), or NULL. */
static char *
shown_number(const Sheet *sh, const char *v)
{
	if (sh->xf == NULL || sh->style >= sh->xf->len || *v == '\0')
		return NULL;
	const DpNumFmt *f = &g_array_index(sh->xf, DpNumFmt, sh->style);
	if (f->kind == DP_NUMFMT_RAW)
		return NULL;
	char *end;
	double d = g_ascii_strtod(v, &end);
	return *end == '\0' ? dp_numfmt_format(f, d, sh->date1904) : NULL;
}

static void
cell_end(Sheet *sh)
{
	const char *t = sh->cell_type ? sh->cell_type : "n";
	const char *v = sh->value->str;
	g_autofree char *shown = NULL;
	if (g_str_equal(t, "n") && (shown = shown_number(sh, v)) != NULL) {
		v = shown;
	} else if (g_str_equal(t, "s")) {
		guint64 i = g_ascii_strtoull(v, NULL, 10);
		v = *sh->value->str != '\0' ? strings_get(sh->strings, i) : "";
	} else if (g_str_equal(t, "b")) {
		v = g_str_equal(v, "1") ? "TRUE" : g_str_equal(v, "0") ? "FALSE" : v;
	}
	if (*v == '\0')
		return;
	/*
	 * Tabs up to the cell's column: one field per column.  Only a cell
	 * with a value writes them: the row's end drops trailing tabs, and
	 * rows of empty cells far to the right would otherwise write and drop
	 * 16,383 tabs each (a 64 KB sheet of them took 45 s in the fuzzer).
	 */
	if (sh->col == 0)
		sh->col = 1;
	guint to = MIN(sh->cell_col, MAX_COLUMN);
	if (sh->col < to) {
		office_text_repeat(&sh->text, '\t', to - sh->col);
		sh->col = to;
	}
	/* A tab or newline inside a cell would break the row apart. */
	for (const char *p = v; *p; p++)
		office_text_c(&sh->text, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static void
hidden_columns(Sheet *sh, xmlTextReaderPtr r)
{
	g_autofree char *hidden = office_xml_attr(r, "hidden");
	if (hidden == NULL || !(g_str_equal(hidden, "1") || g_str_equal(hidden, "true")))
		return;
	g_autofree char *min = office_xml_attr(r, "min");
	g_autofree char *max = office_xml_attr(r, "max");
	guint a = min ? (guint)g_ascii_strtoull(min, NULL, 10) : 0;
	guint b = max ? (guint)g_ascii_strtoull(max, NULL, 10) : a;
	if (a == 0 || a > MAX_COLUMN || b < a || b > MAX_COLUMN)
		return;
	office_list_columns(sh->columns, &sh->n_columns, a, b);
}

static void
row_start(Sheet *sh, xmlTextReaderPtr r)
{
	sh->col = 0;
	sh->next_col = 1;
	g_autofree char *hidden = office_xml_attr(r, "hidden");
	if (hidden != NULL && (g_str_equal(hidden, "1") || g_str_equal(hidden, "true"))) {
		g_autofree char *num = office_xml_attr(r, "r");
		office_list_add(sh->rows, &sh->n_rows, num ? num : "?");
	}
}

static void
sheet_read(Sheet *sh, const char *name)
{
	xmlTextReaderPtr r = office_zip_xml(sh->oz, name, TRUE);
	if (r == NULL)
		return;
	int rc = xmlTextReaderRead(r);
	while (rc == 1 && !sh->text.full) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		gboolean empty = xmlTextReaderIsEmptyElement(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			if (g_str_equal(ln, "f") || g_str_equal(ln, "rPh") || g_str_equal(ln, "extLst")) {
				rc = xmlTextReaderNext(r);
				continue;
			}
			if (g_str_equal(ln, "row"))
				row_start(sh, r);
			else if (g_str_equal(ln, "c"))
				cell_start(sh, r);
			else if (g_str_equal(ln, "v") || g_str_equal(ln, "t"))
				sh->in_v = !empty;
			else if (g_str_equal(ln, "col"))
				hidden_columns(sh, r);
			if (empty && g_str_equal(ln, "c"))
				cell_end(sh);
			if (empty && g_str_equal(ln, "row"))
				office_text_row(&sh->text);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (g_str_equal(ln, "v") || g_str_equal(ln, "t"))
				sh->in_v = FALSE;
			else if (g_str_equal(ln, "c"))
				cell_end(sh);
			else if (g_str_equal(ln, "row"))
				office_text_row(&sh->text);
		} else if (sh->in_v &&
		           (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		            type == XML_READER_TYPE_WHITESPACE)) {
			if (sh->value->len < 65536)
				g_string_append(sh->value, (const char *)xmlTextReaderConstValue(r));
		}
		rc = xmlTextReaderRead(r);
	}
	if (rc < 0)
		office_xml_failed(sh->oz, name);
	xmlFreeTextReader(r);
}

/* What the workbook's cells share: strings, formats, the date system. */
typedef struct {
	Strings strings;
	GArray *xf; /* of DpNumFmt, by cell format (s=) */
	gboolean date1904;
} Book;

/*
 * The cell formats of the styles part NAME: each <xf> of <cellXfs>, in
 * order, as what its numFmtId shows: a <numFmt> of the part, else a
 * built-in format.
 */
static GArray *
cell_formats(OfficeZip *oz, const char *name)
{
	GArray *xf = g_array_new(FALSE, TRUE, sizeof(DpNumFmt));
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint));
	g_autoptr(GHashTable) custom = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	xmlTextReaderPtr r = name ? office_zip_xml(oz, name, FALSE) : NULL;
	if (r == NULL)
		return xf;
	guint depth_in = 0;
	while (office_xml_next(oz, r, name)) {
		int type = xmlTextReaderNodeType(r);
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_END_ELEMENT && g_str_equal(ln, "cellXfs")) {
			depth_in = 0;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (g_str_equal(ln, "cellXfs") && !xmlTextReaderIsEmptyElement(r)) {
			depth_in = (guint)xmlTextReaderDepth(r) + 1;
		} else if (g_str_equal(ln, "numFmt")) {
			g_autofree char *id = office_xml_attr(r, "numFmtId");
			g_autofree char *code = office_xml_attr(r, "formatCode");
			if (id == NULL || !office_room(oz, g_hash_table_size(custom), "number formats"))
				continue;
			DpNumFmt *f = g_new(DpNumFmt, 1);
			*f = dp_numfmt_parse(code);
			g_hash_table_replace(custom, GUINT_TO_POINTER((guint)g_ascii_strtoull(id, NULL, 10)), f);
		} else if (g_str_equal(ln, "xf") && depth_in > 0 && (guint)xmlTextReaderDepth(r) == depth_in) {
			g_autofree char *id = office_xml_attr(r, "numFmtId");
			guint v = id ? (guint)MIN(g_ascii_strtoull(id, NULL, 10), G_MAXUINT) : 0;
			if (!office_room(oz, ids->len, "cell formats"))
				break;
			g_array_append_val(ids, v);
		}
	}
	xmlFreeTextReader(r);
	for (guint i = 0; i < ids->len; i++) {
		guint id = g_array_index(ids, guint, i);
		const DpNumFmt *c = g_hash_table_lookup(custom, GUINT_TO_POINTER(id));
		g_array_append_vals(xf, c ? c : dp_numfmt_builtin(id), 1);
	}
	return xf;
}

/* Sheet N (from 1) named NAME in the entry PART, STATE its visibility. */
static gboolean
emit_sheet(OfficeZip *oz, const Book *book, guint n, const char *name, const char *part, const char *state,
           GError **error)
{
	Sheet sh = { .oz = oz, .strings = &book->strings, .xf = book->xf, .date1904 = book->date1904 };
	office_text_init(&sh.text, oz->ctx);
	sh.value = g_string_new(NULL);
	sh.rows = g_string_new(NULL);
	sh.columns = g_string_new(NULL);
	sheet_read(&sh, part);
	office_text_row(&sh.text);
	g_autofree char *path = g_strdup_printf("sheet %u", n);
	gboolean hidden = state != NULL && !g_str_equal(state, "visible");
	/* clang-format off */
	const char *meta[] = { "meta.sheet-name",     name,
			       "meta.hidden",         hidden ? state : NULL,
			       "meta.hidden-rows",    sh.rows->str,
			       "meta.hidden-columns", sh.columns->str,
			       NULL };
	/* clang-format on */
	gboolean ok = office_part(oz, path, OFFICE_TYPE_SHEET, meta, sh.text.s->str, sh.text.s->len, error);
	g_string_free(sh.text.s, TRUE);
	g_string_free(sh.value, TRUE);
	g_string_free(sh.rows, TRUE);
	g_string_free(sh.columns, TRUE);
	g_free(sh.cell_type);
	return ok;
}

/* One <sheet> of the workbook. */
typedef struct {
	char *name, *state, *part;
} SheetRef;

static void
sheet_ref_clear(gpointer p)
{
	SheetRef *s = p;
	g_free(s->name);
	g_free(s->state);
	g_free(s->part);
}

/* The styles part among the workbook's relationships RELS (id -> entry, TYPES id -> type), or NULL. */
static char *
styles_part(GHashTable *rels, GHashTable *types)
{
	GHashTableIter it;
	gpointer id, type;
	const char *best = NULL;
	g_hash_table_iter_init(&it, types);
	/* The smallest entry name of that type, should a hostile workbook list several. */
	while (g_hash_table_iter_next(&it, &id, &type)) {
		const char *part = g_hash_table_lookup(rels, id);
		if (part != NULL && g_str_has_suffix(type, "/styles") && (best == NULL || strcmp(part, best) < 0))
			best = part;
	}
	return g_strdup(best);
}

/*
 * The sheets of xl/workbook.xml, in order, with their entries found
 * through its relationships; *DATE1904 from its workbookPr, *STYLES the
 * styles part.
 */
static GArray *
workbook_sheets(OfficeZip *oz, gboolean *date1904, char **styles)
{
	GArray *sheets = g_array_new(FALSE, TRUE, sizeof(SheetRef));
	g_array_set_clear_func(sheets, sheet_ref_clear);
	const char *name = "xl/workbook.xml";
	g_autoptr(GHashTable) types = NULL;
	g_autoptr(GHashTable) rels = office_rels(oz, name, &types);
	*styles = types ? styles_part(rels, types) : NULL;
	xmlTextReaderPtr r = office_zip_xml(oz, name, TRUE);
	if (r == NULL)
		return sheets;
	while (office_xml_next(oz, r, name)) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		if (g_str_equal((const char *)xmlTextReaderConstLocalName(r), "workbookPr")) {
			g_autofree char *v = office_xml_attr(r, "date1904");
			*date1904 = v != NULL && (g_str_equal(v, "1") || g_str_equal(v, "true"));
			continue;
		}
		if (!g_str_equal((const char *)xmlTextReaderConstLocalName(r), "sheet"))
			continue;
		g_autofree char *id = office_xml_rel_id(r);
		const char *part = id ? g_hash_table_lookup(rels, id) : NULL;
		if (!office_room(oz, sheets->len, "sheets"))
			break;
		SheetRef s = { office_xml_attr(r, "name"), office_xml_attr(r, "state"), g_strdup(part) };
		g_array_append_val(sheets, s);
	}
	xmlFreeTextReader(r);
	return sheets;
}

gboolean
office_xlsx(OfficeZip *oz, GError **error)
{
	office_ooxml_props(oz);
	Book book = { 0 };
	g_autofree char *styles = NULL;
	g_autoptr(GArray) sheets = workbook_sheets(oz, &book.date1904, &styles);
	OfficeText names;
	office_text_init(&names, oz->ctx);
	for (guint i = 0; i < sheets->len; i++) {
		const char *n = g_array_index(sheets, SheetRef, i).name;
		office_text_add(&names, n ? n : "", n ? strlen(n) : 0);
		office_text_c(&names, '\n');
	}
	dp_record_setf(oz->doc->rec, DP_META_PREFIX "sheets", "%u", sheets->len);
	dp_doc_take_text(oz->ctx, oz->doc, office_text_steal(&names));
	shared_strings(oz, &book.strings);
	book.xf = cell_formats(oz, styles);
	gboolean ok = office_zip_emit(oz, error);
	for (guint i = 0; ok && i < sheets->len; i++) {
		SheetRef *s = &g_array_index(sheets, SheetRef, i);
		if (s->part == NULL) {
			g_autofree char *path = g_strdup_printf("sheet %u", i + 1);
			const char *meta[] = { "meta.sheet-name", s->name, NULL };
			ok = dp_doc_child_problem(oz->ctx, oz->doc, path, OFFICE_TYPE_SHEET, meta, DP_STATUS_ERROR,
			                          error, "the workbook names no part for this sheet");
			continue;
		}
		ok = emit_sheet(oz, &book, i + 1, s->name, s->part, s->state, error);
	}
	strings_free(&book.strings);
	g_array_free(book.xf, TRUE);
	static const char *const embedded[] = { "xl/media/", "xl/embeddings/", NULL };
	return ok && office_embedded(oz, embedded, error);
}
