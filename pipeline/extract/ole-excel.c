/*
 * NAME
 *	ole-excel.c - Excel 97-2003 (BIFF8) cell text and sheet names
 *	([MS-XLS])
 *
 * DESCRIPTION
 *	The Workbook stream is a sequence of records: the workbook globals
 *	(the shared string table SST, one BOUNDSHEET per sheet with its name
 *	and the offset of its substream, FILEPASS when the file is
 *	encrypted), then one substream per sheet.  Each worksheet's cells
 *	are read from LABELSST (a shared string), LABEL and RSTRING (a
 *	string in the cell), NUMBER, RK and MULRK (numbers), BOOLERR and
 *	FORMULA (the cached value; a string result follows in a STRING
 *	record).  A record longer than 8224 bytes goes on in CONTINUE
 *	records, and a string may break across them: the reader below
 *	walks a record and its CONTINUEs as one, taking the flag byte a
 *	string's continuation starts with.
 *
 *	The text: for each worksheet, in workbook order, a line "[NAME]",
 *	then its rows in order, cells separated by tabs (a tab per empty
 *	column between them), and a blank line.  Numbers are written in
 *	their shortest exact form (15 significant digits), except where the
 *	cell's format (XF, then FORMAT or a built-in one) shows a date or a
 *	time (written as ISO 8601; DATEMODE says 1900 or 1904 dates), a
 *	percentage or fixed decimals (extract/office-numfmt.c).  Hidden
 *	sheets are read, and named in meta.hidden-sheets.  FILEPASS gives
 *	status "encrypted"; BIFF5 and older (Excel 95) "unsupported".
 *
 * SECURITY
 *	Every length is checked against the record holding it and every
 *	record against the stream.  Substream offsets from BOUNDSHEET are
 *	checked against the stream, and the sheets' walks together cover at
 *	most the stream's size (sheets that share a substream cannot make
 *	the work quadratic; the rest is status "partial").  Counts are
 *	bounded: MAX_CELLS cells in all, MAX_SHEETS sheets, the shared
 *	strings by the SST's own bytes (the declared count is never used to
 *	allocate), and the text by [limits] max-text-size (cells stop being
 *	collected past it; the text is then cut, status "limit").
 */
#include "core/record.h"
#include "extract/extract.h"
#include "extract/office-numfmt.h"
#include "extract/ole.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define MAX_CELLS (4u << 20)
#define MAX_SHEETS 4096
/* Empty columns between two cells of a row: tabs, up to this many. */
#define MAX_GAP 256
/* Cell formats (XF records) kept, at most; BIFF8 allows 4,050. */
#define MAX_XF 65536

enum {
	REC_FORMULA = 0x0006,
	REC_EOF = 0x000A,
	REC_FILEPASS = 0x002F,
	REC_CONTINUE = 0x003C,
	REC_BOUNDSHEET = 0x0085,
	REC_SST = 0x00FC,
	REC_LABELSST = 0x00FD,
	REC_MULRK = 0x00BD,
	REC_RSTRING = 0x00D6,
	REC_NUMBER = 0x0203,
	REC_LABEL = 0x0204,
	REC_BOOLERR = 0x0205,
	REC_STRING = 0x0207,
	REC_RK = 0x027E,
	REC_DATEMODE = 0x0022,
	REC_FORMAT = 0x041E,
	REC_XF = 0x00E0,
	REC_ARRAY = 0x0221,
	REC_TABLE = 0x0236,
	REC_SHRFMLA = 0x04BC,
	REC_BOF = 0x0809,
};

/* A record and its CONTINUE records, read as one run of bytes. */
typedef struct {
	const guint8 *seg[64];
	gsize len[64];
	guint nseg, cur;
	gsize off;
	gboolean bad;
} Rec;

/* The record at *POS of the stream P (N bytes), with its CONTINUEs; *POS moves past them. */
static gboolean
rec_next(const guint8 *p, gsize n, gsize *pos, guint16 *type, Rec *r)
{
	if (*pos + 4 > n)
		return FALSE;
	*type = dp_le16(p + *pos);
	gsize len = dp_le16(p + *pos + 2);
	if (len > n - *pos - 4)
		return FALSE;
	memset(r, 0, sizeof *r);
	r->seg[0] = p + *pos + 4;
	r->len[0] = len;
	r->nseg = 1;
	*pos += 4 + len;
	while (*pos + 4 <= n && dp_le16(p + *pos) == REC_CONTINUE) {
		gsize clen = dp_le16(p + *pos + 2);
		if (clen > n - *pos - 4)
			break;
		if (r->nseg < G_N_ELEMENTS(r->seg)) {
			r->seg[r->nseg] = p + *pos + 4;
			r->len[r->nseg] = clen;
			r->nseg++;
		}
		*pos += 4 + clen;
	}
	return TRUE;
}

/* Bytes left in the current segment, moving to the next one when this one is done. */
static gsize
rec_avail(Rec *r, gboolean at_continue_flag, gboolean *high)
{
	while (r->cur < r->nseg && r->off >= r->len[r->cur]) {
		r->cur++;
		r->off = 0;
		if (r->cur < r->nseg && at_continue_flag && r->len[r->cur] > 0) {
			/* A string going on in a CONTINUE: its first byte says 8 or 16 bits. */
			*high = (r->seg[r->cur][0] & 1) != 0;
			r->off = 1;
		}
	}
	if (r->cur >= r->nseg) {
		r->bad = TRUE;
		return 0;
	}
	return r->len[r->cur] - r->off;
}

static void
rec_bytes(Rec *r, guint8 *out, gsize n)
{
	gboolean unused = FALSE;
	for (gsize i = 0; i < n; i++) {
		if (rec_avail(r, FALSE, &unused) == 0) {
			if (out != NULL)
				memset(out + i, 0, n - i);
			return;
		}
		if (out != NULL)
			out[i] = r->seg[r->cur][r->off];
		r->off++;
	}
}

static guint32
rec_u(Rec *r, guint size)
{
	guint8 b[4] = { 0 };
	rec_bytes(r, b, size);
	return dp_le32(b);
}

/* Skip N bytes, across segments. */
static void
rec_skip(Rec *r, gsize n)
{
	gboolean unused = FALSE;
	while (n > 0) {
		gsize a = rec_avail(r, FALSE, &unused);
		if (a == 0)
			return;
		gsize k = MIN(a, n);
		r->off += k;
		n -= k;
	}
}

/* CCH characters of a string, 16-bit when HIGH, into OUT; a CONTINUE may switch HIGH. */
static void
rec_chars(Rec *r, GString *out, gsize cch, gboolean high)
{
	while (cch > 0) {
		gsize a = rec_avail(r, TRUE, &high);
		if (a == 0)
			return;
		const guint8 *s = r->seg[r->cur] + r->off;
		gsize k = MIN(cch, high ? a / 2 : a);
		if (k == 0) {
			r->bad = TRUE; /* half a character left in the segment */
			return;
		}
		if (high)
			dp_ole_append_utf16(out, s, k);
		else
			dp_ole_append_8bit(out, s, k, FALSE);
		r->off += k * (high ? 2 : 1);
		cch -= k;
	}
}

/*
 * An XLUnicodeString (LABEL, STRING: 16-bit count) or, when RICH, an
 * XLUnicodeRichExtendedString (SST, with its formatting runs and phonetic
 * block skipped).
 */
static char *
rec_string(Rec *r, gboolean rich)
{
	gsize cch = rec_u(r, 2);
	guint8 flags = (guint8)rec_u(r, 1);
	gsize runs = 0, ext = 0;
	if (rich && (flags & 0x08))
		runs = rec_u(r, 2);
	if (rich && (flags & 0x04))
		ext = rec_u(r, 4);
	GString *s = g_string_new(NULL);
	rec_chars(r, s, cch, (flags & 0x01) != 0);
	rec_skip(r, 4 * runs);
	rec_skip(r, ext);
	return g_string_free(s, FALSE);
}

typedef struct {
	guint32 row;
	guint16 col;
	char *text;
} Cell;

typedef struct {
	DpExtractCtx *ctx;
	GPtrArray *sst;
	GArray *cells; /* of Cell, for the sheet being read */
	guint64 n_cells, text_bytes, limit;
	/*
	 * Bytes of sheet substreams left to walk: the stream's size, so that
	 * sheets pointing at the same substream again and again cannot make
	 * the walk quadratic.
	 */
	guint64 walk_budget;
	gboolean over, damaged, repeated;
	/*
	 * Cell formats: each XF's number format, and what each format the
	 * file defines shows (index -> DpNumFmt; a built-in one not redefined
	 * comes from dp_numfmt_builtin()).  A table, not an array of all
	 * 65,536 indexes: a DpNumFmt carries its compiled sections and their
	 * text (160 bytes), and 10 MiB per workbook would be paid by every
	 * small one.
	 */
	GArray *xf_format;
	GHashTable *formats;
	gboolean date1904;
} Book;

static void
add_cell(Book *b, guint32 row, guint16 col, char *text)
{
	if (b->n_cells >= MAX_CELLS || b->text_bytes > b->limit) {
		b->over = TRUE;
		g_free(text);
		return;
	}
	b->n_cells++;
	b->text_bytes += strlen(text) + 1;
	Cell c = { row, col, text };
	g_array_append_val(b->cells, c);
}

/* What the format of XF index IXFE shows. */
static const DpNumFmt *
xf_numfmt(const Book *b, guint16 ixfe)
{
	if (b->xf_format == NULL || ixfe >= b->xf_format->len)
		return dp_numfmt_builtin(G_MAXUINT);
	guint16 ifmt = g_array_index(b->xf_format, guint16, ixfe);
	const DpNumFmt *defined = g_hash_table_lookup(b->formats, GUINT_TO_POINTER(ifmt));
	return defined != NULL ? defined : dp_numfmt_builtin(ifmt);
}

static char *format_number(double v);

/* A number cell: a date, a percentage or fixed decimals when its format says so, else the number. */
static char *
format_cell(const Book *b, guint16 ixfe, double v)
{
	char *shown = dp_numfmt_format(xf_numfmt(b, ixfe), v, b->date1904);
	return shown ? shown : format_number(v);
}

static char *
format_number(double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	/* The range first: converting a double out of range (or NaN) to an integer is undefined. */
	if (v > -1e15 && v < 1e15 && v == (double)(gint64)v)
		return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)v);
	return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.15g", v));
}

/* An RK number: a 30-bit integer or the high bits of a double, maybe times 100. */
static double
rk_value(guint32 rk)
{
	double v;
	if (rk & 0x02) {
		v = (double)((gint32)rk >> 2);
	} else {
		guint64 bits = (guint64)(rk & 0xFFFFFFFCu) << 32;
		memcpy(&v, &bits, sizeof v);
	}
	return (rk & 0x01) ? v / 100 : v;
}

static double
f64_value(const guint8 *p)
{
	guint64 bits = (guint64)dp_le32(p) | (guint64)dp_le32(p + 4) << 32;
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

/*
 * The shared strings: as many as the SST's bytes hold, whatever it
 * declares, and at most MAX_CELLS (an empty string costs 3 bytes of the
 * file but some 40 of memory).
 */
static void
read_sst(Book *b, Rec *r)
{
	rec_skip(r, 8); /* cstTotal, cstUnique */
	while (!r->bad && b->sst->len < MAX_CELLS) {
		gboolean unused = FALSE;
		if (rec_avail(r, FALSE, &unused) == 0)
			break;
		g_ptr_array_add(b->sst, rec_string(r, TRUE));
	}
	r->bad = FALSE;
}

/* One cell record of a worksheet; *STRING_AT is where a formula's string result goes. */
static void
read_cell(Book *b, guint16 type, Rec *r, gint64 *string_at)
{
	if (r->len[0] < 6)
		return;
	const guint8 *d = r->seg[0];
	guint32 row = dp_le16(d);
	guint16 col = dp_le16(d + 2);
	switch (type) {
	case REC_LABELSST: {
		guint32 i = r->len[0] >= 10 ? dp_le32(d + 6) : G_MAXUINT32;
		if (i < b->sst->len)
			add_cell(b, row, col, g_strdup(b->sst->pdata[i]));
		else
			b->damaged = TRUE;
		break;
	}
	case REC_LABEL:
	case REC_RSTRING:
		rec_skip(r, 6);
		add_cell(b, row, col, rec_string(r, FALSE));
		break;
	case REC_NUMBER:
		if (r->len[0] >= 14)
			add_cell(b, row, col, format_cell(b, dp_le16(d + 4), f64_value(d + 6)));
		break;
	case REC_RK:
		if (r->len[0] >= 10)
			add_cell(b, row, col, format_cell(b, dp_le16(d + 4), rk_value(dp_le32(d + 6))));
		break;
	case REC_MULRK:
		for (gsize off = 4; off + 6 + 2 <= r->len[0] && col < 256; off += 6, col++)
			add_cell(b, row, col, format_cell(b, dp_le16(d + off), rk_value(dp_le32(d + off + 2))));
		break;
	case REC_BOOLERR:
		if (r->len[0] >= 8 && d[7] == 0)
			add_cell(b, row, col, g_strdup(d[6] ? "TRUE" : "FALSE"));
		break;
	case REC_FORMULA:
		if (r->len[0] < 14)
			break;
		if (dp_le16(d + 12) != 0xFFFF)
			add_cell(b, row, col, format_cell(b, dp_le16(d + 4), f64_value(d + 6)));
		else if (d[6] == 0)
			*string_at = (gint64)row << 16 | col;
		else if (d[6] == 1)
			add_cell(b, row, col, g_strdup(d[8] ? "TRUE" : "FALSE"));
		break;
	case REC_STRING:
		if (*string_at >= 0)
			add_cell(b, (guint32)(*string_at >> 16), (guint16)(*string_at & 0xFFFF), rec_string(r, FALSE));
		break;
	default: break;
	}
	/* A shared or array formula's record may come between a formula and its string. */
	if (type != REC_FORMULA && type != REC_SHRFMLA && type != REC_ARRAY && type != REC_TABLE)
		*string_at = -1;
}

/* A FORMAT record: what the format of its index shows. */
static void
read_format(Book *b, Rec *r)
{
	guint16 ifmt = (guint16)rec_u(r, 2);
	g_autofree char *fmt = rec_string(r, FALSE);
	DpNumFmt *f = g_new(DpNumFmt, 1);
	*f = dp_numfmt_parse(fmt);
	g_hash_table_replace(b->formats, GUINT_TO_POINTER(ifmt), f);
}

static int
cell_cmp(gconstpointer a, gconstpointer b)
{
	const Cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/*
 * The cells of one sheet as rows of tab-separated cells, until OUT is
 * past LIMIT: the gaps' tabs are not counted with the cells' text, and
 * MAX_CELLS cells each after a gap of MAX_GAP would make a gigabyte.
 */
static void
write_cells(GString *out, GArray *cells, guint64 limit)
{
	g_array_sort(cells, cell_cmp);
	guint16 first = G_MAXUINT16;
	for (guint i = 0; i < cells->len; i++)
		first = MIN(first, g_array_index(cells, Cell, i).col);
	for (guint i = 0; i < cells->len && out->len <= limit; i++) {
		const Cell *c = &g_array_index(cells, Cell, i);
		gboolean new_row = i == 0 || g_array_index(cells, Cell, i - 1).row != c->row;
		guint from = new_row ? first : g_array_index(cells, Cell, i - 1).col;
		if (new_row && i > 0)
			g_string_append_c(out, '\n');
		for (guint k = from; k < c->col && k - from < MAX_GAP; k++)
			g_string_append_c(out, '\t');
		g_string_append(out, c->text);
	}
	if (cells->len > 0)
		g_string_append_c(out, '\n');
}

/* The worksheet substream at POS: its cells into B->cells. */
static void
read_sheet(Book *b, const guint8 *p, gsize n, gsize pos)
{
	guint16 type;
	Rec r;
	int depth = 0;
	gint64 string_at = -1;
	gsize from = pos;
	while (!b->over && rec_next(p, n, &pos, &type, &r)) {
		if (pos - from > b->walk_budget) {
			b->repeated = TRUE;
			b->walk_budget = 0;
			return;
		}
		if (type == REC_BOF) {
			depth++;
		} else if (type == REC_EOF) {
			if (--depth <= 0)
				break;
		} else if (depth == 1) {
			read_cell(b, type, &r, &string_at);
		}
	}
	b->walk_budget -= MIN(b->walk_budget, pos - from);
}

static void
cell_clear(gpointer p)
{
	g_free(((Cell *)p)->text);
}

typedef struct {
	guint32 pos;
	guint8 hidden, kind;
	char *name;
} Sheet;

static void
sheet_clear(gpointer p)
{
	g_free(((Sheet *)p)->name);
}

/* A BOUNDSHEET: the substream's offset, visibility, kind and a short string name. */
static void
read_boundsheet(GArray *sheets, Rec *r)
{
	if (r->len[0] < 8 || sheets->len >= MAX_SHEETS)
		return;
	const guint8 *d = r->seg[0];
	Sheet s = { dp_le32(d), d[4] & 3, d[5], NULL };
	rec_skip(r, 6);
	gsize cch = rec_u(r, 1);
	guint8 flags = (guint8)rec_u(r, 1);
	GString *name = g_string_new(NULL);
	rec_chars(r, name, cch, (flags & 1) != 0);
	s.name = g_string_free(name, FALSE);
	g_array_append_val(sheets, s);
}

gboolean
dp_ole_excel(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	const char *bad = "is missing";
	g_autoptr(GBytes) wb = dp_ole_stream(root, "Workbook", max, &bad);
	if (wb == NULL) {
		gboolean old = dp_ole_has(root, "Book");
		dp_doc_fail(doc, old ? DP_STATUS_UNSUPPORTED : DP_STATUS_ERROR, "Excel workbook: %s",
		            old ? "Excel 5 or 95 (BIFF5); only Excel 97 and later"
		                : "the Workbook stream is unreadable");
		return TRUE;
	}
	gsize n;
	const guint8 *p = g_bytes_get_data(wb, &n);
	gsize pos = 0;
	guint16 type;
	Rec r;
	if (!rec_next(p, n, &pos, &type, &r) || type != REC_BOF || r.len[0] < 2 || dp_le16(r.seg[0]) != 0x0600) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "Excel workbook: not BIFF8 (Excel 97 and later)");
		return TRUE;
	}
	g_autoptr(GPtrArray) sst = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) sheets = g_array_new(FALSE, FALSE, sizeof(Sheet));
	g_array_set_clear_func(sheets, sheet_clear);
	g_autoptr(GArray) cells = g_array_new(FALSE, FALSE, sizeof(Cell));
	g_array_set_clear_func(cells, cell_clear);
	g_autoptr(GArray) xf_format = g_array_new(FALSE, FALSE, sizeof(guint16));
	g_autoptr(GHashTable) formats = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_autofree Book *b = g_new0(Book, 1);
	*b = (Book){ .ctx = ctx,
		     .sst = sst,
		     .cells = cells,
		     .limit = ctx->max_text > 0 ? ctx->max_text : G_MAXUINT64,
		     .walk_budget = n,
		     .xf_format = xf_format,
		     .formats = formats };
	/* The workbook globals, up to their EOF. */
	while (rec_next(p, n, &pos, &type, &r) && type != REC_EOF) {
		if (type == REC_FILEPASS) {
			dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
			            "Excel workbook is encrypted (FILEPASS); docpipe does not decrypt Office files");
			return TRUE;
		}
		if (type == REC_SST)
			read_sst(b, &r);
		else if (type == REC_BOUNDSHEET)
			read_boundsheet(sheets, &r);
		else if (type == REC_FORMAT)
			read_format(b, &r);
		else if (type == REC_XF && r.len[0] >= 4 && b->xf_format->len < MAX_XF) {
			guint16 ifmt = dp_le16(r.seg[0] + 2);
			g_array_append_val(b->xf_format, ifmt);
		} else if (type == REC_DATEMODE && r.len[0] >= 2)
			b->date1904 = dp_le16(r.seg[0]) == 1;
	}

	GString *out = g_string_new(NULL);
	g_autoptr(GString) hidden = g_string_new(NULL);
	for (guint i = 0; i < sheets->len && !b->over; i++) {
		const Sheet *s = &g_array_index(sheets, Sheet, i);
		/* Worksheets (and dialog sheets) only: charts and macro sheets hold no cells to read. */
		if (s->kind != 0)
			continue;
		if (s->pos >= n) {
			b->damaged = TRUE;
			continue;
		}
		g_array_set_size(cells, 0);
		read_sheet(b, p, n, s->pos);
		g_string_append_printf(out, "%s[%s]\n", out->len ? "\n" : "", s->name);
		write_cells(out, cells, b->limit);
		if (s->hidden)
			g_string_append_printf(hidden, "%s%s", hidden->len ? ", " : "", s->name);
	}
	dp_doc_meta(doc, "hidden-sheets", hidden->str);
	g_autofree char *count = g_strdup_printf("%u", sheets->len);
	dp_doc_meta(doc, "sheets", count);
	if (b->over && b->n_cells >= MAX_CELLS)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "Excel workbook: more than %u cells; the rest were not read",
		            MAX_CELLS);
	else if (b->repeated)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "Excel workbook: sheets share their records; the repeats were not read");
	else if (b->damaged)
		dp_doc_fail(doc, DP_STATUS_PARTIAL, "Excel workbook: some cells or sheets point outside the workbook");
	dp_doc_take_text(ctx, doc, out);
	return TRUE;
}
