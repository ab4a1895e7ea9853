/*
 * NAME
 *	ole-word.c - Word 97-2003 text from the piece table ([MS-DOC])
 *
 * DESCRIPTION
 *	The WordDocument stream opens with the FIB, which says which table
 *	stream (0Table or 1Table) holds the CLX and where, and how many
 *	characters each story has: the main text, footnotes, headers,
 *	comments, endnotes and text boxes, in that order of character
 *	positions.  The CLX's piece table maps character positions to byte
 *	offsets in WordDocument, each piece either UTF-16LE or "compressed"
 *	(one Windows-1252 byte a character).  Every story is read in order,
 *	a blank line between stories.  Word's marks become text: paragraph,
 *	line and page ends a newline, a table cell end a tab; a field's code
 *	(between its begin and separator marks) is left out, its result
 *	kept.  A document whose FIB says fEncrypted or fObfuscated gets
 *	status "encrypted".
 *
 *	Word 6 and 95 (FIB versions 101-105) have no table stream and no
 *	Unicode: the text is 8-bit in the code page the FIB's chse names (a
 *	Windows character set, or 256 for the Macintosh), or else in that
 *	of the document's language (the FIB's lid: Windows-1250 for Czech
 *	or Polish, 1251 for Russian, ...), one run of bytes from fcMin, or,
 *	in a fast-saved file (fComplex), pieces of the CLX that WordDocument
 *	itself holds at fcClx (0x160).  The stories are those of Word 97,
 *	in the same order.  Japanese, Chinese and Korean documents are in a
 *	double-byte code page (932, 936, 950, 949: a lead byte 0x81 or
 *	above, then a trail byte; a character position counts bytes, not
 *	characters), which iconv decodes piece by piece; a byte that starts
 *	no valid character is U+FFFD.  Older versions (Word 2) are
 *	"unsupported".
 *	libwv is not used: it reads files by name and prints through
 *	callbacks, and it is not in pkg-config; the piece table is short.
 *
 * SECURITY
 *	Every offset and count read from the file is checked against the
 *	stream it points into before use: the FIB's lengths (a Word 6 FIB
 *	must hold all FIB6_SIZE bytes), the CLX's
 *	property blocks, the piece count (bounded by the CLX's own size),
 *	each piece's bytes.  A piece that points out of the stream is
 *	skipped and the status is "partial", as are pieces that read more
 *	characters in all than WordDocument has bytes (overlapping pieces
 *	repeating the same bytes).  Double-byte text is converted from the
 *	piece's own bytes only, into a fixed buffer at a time; a sequence
 *	the converter refuses costs one byte and one U+FFFD, so the walk
 *	always moves forward.  Text stops growing past [limits]
 *	max-text-size, which then cuts it (status "limit").
 */
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ole.h"
#include "util/exitcode.h"

#include <errno.h>
#include <string.h>

#include "util/banned.h"

/* Fields nest; deeper levels than this are all treated as code. */
#define MAX_FIELD_DEPTH 16
/* The stories of the FIB's FibRgLw97, by index, in character-position order. */
static const guint story_index[] = { 3, 4, 5, 7, 8, 9, 10 };

typedef struct {
	GString *out;
	guint depth;
	gboolean in_code[MAX_FIELD_DEPTH];
	gsize limit;
	/*
	 * Characters left to read: every character of a real document has
	 * its own bytes in WordDocument, so pieces that overlap to read the
	 * same bytes over and over stop at the stream's size.
	 */
	gsize budget;
	gboolean overlap;
	/* Word 6 and 95: the characters of bytes 0x80-0xFF in the document's code page (0: none). */
	const gunichar *high;
	/* Word 6 and 95 in a double-byte East Asian code page: its converter to UTF-8, else -1. */
	GIConv dbcs;
} WordText;

/* Inside any field's code (between its begin and separator marks)? */
static gboolean
in_field_code(const WordText *w)
{
	if (w->depth > MAX_FIELD_DEPTH)
		return TRUE;
	for (guint i = 0; i < w->depth; i++)
		if (w->in_code[i])
			return TRUE;
	return FALSE;
}

/* One character of the text, Word's marks made plain text. */
static void
put_char(WordText *w, gunichar c)
{
	switch (c) {
	case 0x13: /* field begin: its code follows */
		if (w->depth < MAX_FIELD_DEPTH)
			w->in_code[w->depth] = TRUE;
		w->depth++;
		return;
	case 0x14: /* field separator: its result follows */
		if (w->depth > 0 && w->depth <= MAX_FIELD_DEPTH)
			w->in_code[w->depth - 1] = FALSE;
		return;
	case 0x15: /* field end */
		if (w->depth > 0)
			w->depth--;
		return;
	default: break;
	}
	if (in_field_code(w))
		return;
	switch (c) {
	case 0x0D:
	case 0x0B:
	case 0x0C: g_string_append_c(w->out, '\n'); return;
	case 0x07:
	case 0x09: g_string_append_c(w->out, '\t'); return;
	case 0x1E: g_string_append_c(w->out, '-'); return;
	default: break;
	}
	if (c < 0x20)
		return; /* pictures, note references, optional hyphens */
	if (c < 0x80)
		g_string_append_c(w->out, (char)c);
	else
		g_string_append_unichar(w->out, c);
}

/* The characters of LEN bytes of UTF-8 from a converter (valid UTF-8), one by one. */
static void
put_utf8(WordText *w, const char *s, gsize len)
{
	for (const char *c = s; c < s + len && w->out->len <= w->limit; c = g_utf8_next_char(c))
		put_char(w, g_utf8_get_char(c));
}

/*
 * LEN bytes of a piece in a double-byte code page (932, 936, 949, 950)
 * through W's converter, one bounded buffer at a time.  A byte that
 * starts no valid character (a lead byte with a bad trail byte, a byte
 * the code page leaves undefined) is U+FFFD and the next byte starts
 * again, so that a trail byte that is itself ASCII keeps its meaning; a
 * lead byte at the piece's end is U+FFFD: a piece's bytes are read
 * alone, never joined with the next piece's, which may lie anywhere.
 */
static void
put_dbcs(WordText *w, const guint8 *p, gsize len)
{
	gchar *in = (gchar *)p;
	gsize left = len;
	g_iconv(w->dbcs, NULL, NULL, NULL, NULL);
	while (left > 0 && w->out->len <= w->limit) {
		char buf[1024];
		gchar *o = buf;
		gsize room = sizeof buf;
		gsize r = g_iconv(w->dbcs, &in, &left, &o, &room);
		int err = errno;
		put_utf8(w, buf, (gsize)(o - buf));
		if (r != (gsize)-1 || err == E2BIG)
			continue;
		put_char(w, 0xFFFD);
		if (err != EILSEQ)
			break; /* EINVAL: a lead byte alone at the end */
		in++;
		left--;
		g_iconv(w->dbcs, NULL, NULL, NULL, NULL);
	}
}

typedef struct {
	const guint8 *cps;  /* n + 1 character positions */
	const guint8 *pcds; /* n piece descriptors of 8 bytes */
	guint32 n;
	/* Word 6 and 95: every piece 8-bit, its fc the plain byte offset. */
	gboolean eight_bit;
} Pieces;

/*
 * Find the piece table in the CLX (property blocks, then the Pcdt).
 * FALSE when it is not there or does not fit.
 */
static gboolean
find_pieces(const guint8 *clx, gsize len, Pieces *pc)
{
	gsize pos = 0;
	while (pos < len) {
		if (clx[pos] == 0x01 && pos + 3 <= len) {
			pos += 3 + dp_le16(clx + pos + 1);
		} else if (clx[pos] == 0x02 && pos + 5 <= len) {
			guint32 lcb = dp_le32(clx + pos + 1);
			if (lcb < 4 || lcb > len - pos - 5 || (lcb - 4) % 12 != 0)
				return FALSE;
			pc->n = (lcb - 4) / 12;
			pc->cps = clx + pos + 5;
			pc->pcds = pc->cps + 4 * ((gsize)pc->n + 1);
			return TRUE;
		} else {
			return FALSE;
		}
	}
	return FALSE;
}

/* Characters [A, B) of the document into W; FALSE when a piece was out of the stream. */
static gboolean
read_range(WordText *w, const Pieces *pc, const guint8 *wd, gsize wd_len, guint32 a, guint32 b)
{
	gboolean whole = TRUE;
	for (guint32 i = 0; i < pc->n && w->out->len <= w->limit; i++) {
		guint32 c0 = dp_le32(pc->cps + 4 * i), c1 = dp_le32(pc->cps + 4 * (i + 1));
		guint32 s = MAX(a, c0), e = MIN(b, c1);
		if (s >= e)
			continue;
		guint32 fc = dp_le32(pc->pcds + 8 * i + 2);
		gboolean compressed = pc->eight_bit || (fc & 0x40000000u) != 0;
		guint64 off = pc->eight_bit ? (guint64)fc + (s - c0)
		              : compressed  ? (guint64)(fc & 0x3FFFFFFFu) / 2 + (s - c0)
		                            : (guint64)fc + 2ull * (s - c0);
		guint64 nbytes = (guint64)(e - s) * (compressed ? 1 : 2);
		if (off > wd_len || nbytes > wd_len - off) {
			whole = FALSE;
			continue;
		}
		if (e - s > w->budget) {
			w->overlap = TRUE;
			return whole;
		}
		w->budget -= e - s;
		if (compressed && w->dbcs != (GIConv)-1) {
			put_dbcs(w, wd + off, e - s);
			continue;
		}
		for (guint32 k = 0; k < e - s && w->out->len <= w->limit; k++) {
			gunichar c;
			if (compressed && w->high != NULL) {
				c = wd[off + k] < 0x80 ? wd[off + k] : w->high[wd[off + k] - 0x80];
			} else if (compressed) {
				c = dp_ole_cp1252(wd[off + k]);
			} else {
				c = dp_le16(wd + off + 2 * k);
				if (c >= 0xD800 && c < 0xE000) {
					/* A surrogate pair stays whole, a lone half is U+FFFD. */
					guint16 lo = k + 1 < e - s ? dp_le16(wd + off + 2 * (k + 1)) : 0;
					if (c < 0xDC00 && lo >= 0xDC00 && lo < 0xE000) {
						c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00u);
						k++;
					} else {
						c = 0xFFFD;
					}
				}
			}
			put_char(w, c);
		}
	}
	return whole;
}

/* The FIB's character counts and CLX place; FALSE with *WHY when it does not fit. */
typedef struct {
	guint32 ccp[G_N_ELEMENTS(story_index)];
	guint32 fc_clx, lcb_clx;
} Fib;

static gboolean
read_fib(const guint8 *p, gsize n, Fib *fib, const char **why)
{
	gsize pos = 0x20;
	if (pos + 2 > n)
		goto short_fib;
	pos += 2 + 2 * (gsize)dp_le16(p + pos); /* csw, fibRgW */
	if (pos + 2 > n)
		goto short_fib;
	guint16 cslw = dp_le16(p + pos);
	const guint8 *lw = p + pos + 2;
	pos += 2 + 4 * (gsize)cslw;
	if (cslw < 11 || pos + 2 > n)
		goto short_fib;
	for (guint i = 0; i < G_N_ELEMENTS(story_index); i++)
		fib->ccp[i] = dp_le32(lw + 4 * story_index[i]);
	guint16 cb = dp_le16(p + pos);
	const guint8 *fclcb = p + pos + 2;
	if (cb < 34 || pos + 2 + 8 * (gsize)cb > n)
		goto short_fib;
	fib->fc_clx = dp_le32(fclcb + 33 * 8);
	fib->lcb_clx = dp_le32(fclcb + 33 * 8 + 4);
	return TRUE;
short_fib:
	*why = "its FIB is cut short";
	return FALSE;
}

/*
 * Every story of CCP (characters each, in character-position order) into
 * W, a blank line between them; then DOC's text and status.
 */
static void
read_stories(DpExtractCtx *ctx, DpDoc *doc, WordText *w, const Pieces *pc, const guint8 *p, gsize n,
             const guint32 ccp[G_N_ELEMENTS(story_index)])
{
	gboolean whole = TRUE;
	guint64 cp = 0;
	for (guint i = 0; i < G_N_ELEMENTS(story_index) && cp < G_MAXUINT32; i++) {
		guint64 end = MIN(cp + ccp[i], (guint64)G_MAXUINT32);
		if (end > cp) {
			if (w->out->len > 0 && w->out->str[w->out->len - 1] != '\n')
				g_string_append_c(w->out, '\n');
			if (i > 0)
				g_string_append_c(w->out, '\n');
			w->depth = 0;
			whole &= read_range(w, pc, p, n, (guint32)cp, (guint32)end);
		}
		cp = end;
	}
	if (!whole)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "Word document: some text pieces lie outside the WordDocument stream");
	else if (w->overlap)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "Word document: its pieces read more text than the stream holds; cut");
	dp_doc_take_text(ctx, doc, w->out);
}

/*
 * The Windows code page of a Word 6 or 95 document's language LID, for
 * its 8-bit text: the single-byte ones, and the double-byte East Asian
 * ones (Japanese 932, Korean 949, Chinese 936 for the PRC and Singapore,
 * 950 for Taiwan, Hong Kong and Macau); any other language reads as
 * Windows-1252.
 */
static guint
lid_codepage(guint16 lid)
{
	switch (lid & 0x3FF) {
	case 0x11: return 932;
	case 0x12: return 949;
	case 0x04: return lid == 0x0804 || lid == 0x1004 ? 936 : 950;
	case 0x05:
	case 0x0E:
	case 0x15:
	case 0x18:
	case 0x1A:
	case 0x1B:
	case 0x1C:
	case 0x24: return 1250;
	case 0x02:
	case 0x19:
	case 0x22:
	case 0x23:
	case 0x2F: return 1251;
	case 0x08: return 1253;
	case 0x1F: return 1254;
	case 0x0D: return 1255;
	case 0x01:
	case 0x20:
	case 0x29: return 1256;
	case 0x25:
	case 0x26:
	case 0x27: return 1257;
	case 0x2A: return 1258;
	case 0x1E: return 874;
	default: return 1252;
	}
}

/*
 * The code page of a Word 6 or 95 document's text by the FIB's chse,
 * as LibreOffice reads it: 0 leaves it to the language (lid), 256 is
 * the Macintosh's Roman (10000 here), any other value a Windows
 * character set number (128 Shift-JIS, 129 Hangul, 134 GB 2312, 136
 * Big5, 204 Cyrillic, ...): 0 when chse does not say.
 */
static guint
chse_codepage(guint16 chse)
{
	static const guint16 sets[][2] = {
		{ 128, 932 },  { 129, 949 },  { 134, 936 },  { 136, 950 },   { 161, 1253 },
		{ 162, 1254 }, { 163, 1258 }, { 177, 1255 }, { 178, 1256 },  { 186, 1257 },
		{ 204, 1251 }, { 222, 874 },  { 238, 1250 }, { 256, 10000 },
	};
	for (guint i = 0; i < G_N_ELEMENTS(sets); i++)
		if (sets[i][0] == chse)
			return sets[i][1];
	return 0;
}

/* Code page CP as iconv names it. */
static char *
codepage_name(guint cp)
{
	return cp == 10000 ? g_strdup("MACINTOSH") : g_strdup_printf("CP%u", cp);
}

/*
 * The characters of bytes 0x80-0xFF in code page CP (0 for a byte it
 * leaves undefined); Windows-1252's when iconv does not know CP.
 */
static void
codepage_table(guint cp, gunichar high[128])
{
	g_autofree char *name = codepage_name(cp);
	/* One converter for the 128 bytes, each converted alone: an undefined one fails by itself. */
	GIConv cd = cp == 1252 ? (GIConv)-1 : g_iconv_open("UTF-8", name);
	for (guint b = 0x80; b < 0x100; b++) {
		high[b - 0x80] = dp_ole_cp1252((guint8)b);
		if (cd == (GIConv)-1)
			continue;
		char in = (char)b, out[8] = { 0 };
		gchar *ip = &in, *op = out;
		gsize il = 1, ol = sizeof out - 1;
		g_iconv(cd, NULL, NULL, NULL, NULL);
		gunichar c = g_iconv(cd, &ip, &il, &op, &ol) == (gsize)-1 ? 0 : g_utf8_get_char_validated(out, -1);
		high[b - 0x80] = c == (gunichar)-1 || c == (gunichar)-2 ? 0 : c;
	}
	if (cd != (GIConv)-1)
		g_iconv_close(cd);
}

/* Word 6 and 95 FIB (no table stream): where its fields are. */
enum {
	FIB6_LID = 0x06,
	FIB6_CHSE = 0x14,
	FIB6_FC_MIN = 0x18,
	FIB6_CCP = 0x34, /* ccpText, Ftn, Hdd, Mcr, Atn, Edn, Txbx, HdrTxbx: u32 each */
	FIB6_FC_CLX = 0x160,
	FIB6_SIZE = 0x168,
};

/*
 * A Word 6 or 95 document: 8-bit text in the code page of its language,
 * one run from fcMin, or through the piece table of the WordDocument
 * stream itself when it was fast-saved (fComplex).
 */
static gboolean
word6(DpExtractCtx *ctx, DpDoc *doc, const guint8 *p, gsize n, guint16 flags)
{
	if (n < FIB6_SIZE) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "Word 6 or 95 document: its FIB is cut short");
		return TRUE;
	}
	/* The stories as in Word 97, the macro story (the fourth) left out. */
	static const guint ccp_index[G_N_ELEMENTS(story_index)] = { 0, 1, 2, 4, 5, 6, 7 };
	guint32 ccp[G_N_ELEMENTS(story_index)];
	guint64 total = 0;
	for (guint i = 0; i < G_N_ELEMENTS(ccp); i++) {
		ccp[i] = dp_le32(p + FIB6_CCP + 4 * ccp_index[i]);
		total += ccp[i];
	}
	Pieces pc = { .eight_bit = TRUE };
	guint8 one[16];
	if (flags & 0x0004) {
		guint32 fc = dp_le32(p + FIB6_FC_CLX), lcb = dp_le32(p + FIB6_FC_CLX + 4);
		if (fc > n || lcb > n - fc || !find_pieces(p + fc, lcb, &pc)) {
			dp_doc_fail(doc, DP_STATUS_ERROR, "Word 6 or 95 document: no piece table in WordDocument");
			return TRUE;
		}
		pc.eight_bit = TRUE;
	} else {
		/* One piece: every character from fcMin on, read_range() checks it against the stream. */
		guint32 all = (guint32)MIN(total, (guint64)G_MAXUINT32);
		memset(one, 0, sizeof one);
		one[4] = (guint8)all;
		one[5] = (guint8)(all >> 8);
		one[6] = (guint8)(all >> 16);
		one[7] = (guint8)(all >> 24);
		memcpy(one + 10, p + FIB6_FC_MIN, 4);
		pc.cps = one;
		pc.pcds = one + 8;
		pc.n = 1;
	}
	/*
	 * The FIB of Word 6 and 95 has one language, lid, and the character
	 * set of the text, chse: lidFE and the fFarEast flag came with Word
	 * 97's FIB (wv reads both as 0 here).  chse, when it names one,
	 * says the code page; else the language does.
	 */
	guint cp = chse_codepage(dp_le16(p + FIB6_CHSE));
	if (cp == 0)
		cp = lid_codepage(dp_le16(p + FIB6_LID));
	gunichar high[128];
	codepage_table(cp, high);
	WordText w = { .out = g_string_new(NULL),
		       .limit = ctx->max_text > 0 ? (gsize)ctx->max_text : G_MAXSIZE,
		       .budget = n,
		       .high = high,
		       .dbcs = (GIConv)-1 };
	if (cp == 932 || cp == 936 || cp == 949 || cp == 950) {
		g_autofree char *name = codepage_name(cp);
		w.dbcs = g_iconv_open("UTF-8", name);
	}
	read_stories(ctx, doc, &w, &pc, p, n, ccp);
	if (w.dbcs != (GIConv)-1)
		g_iconv_close(w.dbcs);
	return TRUE;
}

gboolean
dp_ole_word(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	g_autoptr(GBytes) wd = dp_ole_main_stream(doc, root, "WordDocument", "Word document", max);
	if (wd == NULL)
		return TRUE;
	gsize n;
	const guint8 *p = g_bytes_get_data(wd, &n);
	/* Word 97 and later say 0xA5EC; Word 6 and 95 0xA5DC (or, saved by some, 0xA5EC). */
	if (n < 0x22 || (dp_le16(p) != 0xA5EC && dp_le16(p) != 0xA5DC)) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "Word document: no FIB at the start of WordDocument");
		return TRUE;
	}
	guint16 nfib = dp_le16(p + 2), flags = dp_le16(p + 0x0A);
	if (flags & (0x0100 | 0x8000)) {
		dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
		            "Word document is encrypted; docpipe does not decrypt Office files");
		return TRUE;
	}
	if (nfib >= 101 && nfib <= 105)
		return word6(ctx, doc, p, n, flags);
	if (nfib < 0xC0 || dp_le16(p) != 0xA5EC) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED,
		            "Word document of FIB version %u (older than Word 6); only Word 6 and later", nfib);
		return TRUE;
	}
	Fib fib;
	const char *why = NULL;
	if (!read_fib(p, n, &fib, &why)) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "Word document: %s", why);
		return TRUE;
	}
	const char *table_name = (flags & 0x0200) ? "1Table" : "0Table";
	const char *bad = NULL;
	g_autoptr(GBytes) table = dp_ole_stream(root, table_name, max, &bad);
	gsize tn = 0;
	const guint8 *tp = table ? g_bytes_get_data(table, &tn) : NULL;
	Pieces pc = { 0 };
	if (tp == NULL || fib.fc_clx > tn || fib.lcb_clx > tn - fib.fc_clx ||
	    !find_pieces(tp + fib.fc_clx, fib.lcb_clx, &pc)) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "Word document: no piece table in %s", table_name);
		return TRUE;
	}

	WordText w = { .out = g_string_new(NULL),
		       .limit = ctx->max_text > 0 ? (gsize)ctx->max_text : G_MAXSIZE,
		       .budget = n,
		       .dbcs = (GIConv)-1 };
	read_stories(ctx, doc, &w, &pc, p, n, fib.ccp);
	return TRUE;
}
