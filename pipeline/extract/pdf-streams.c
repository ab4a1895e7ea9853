/*
 * NAME
 *	pdf-streams.c - what a PDF's content streams draw, from its bytes
 *
 * DESCRIPTION
 *	Two questions are cheaper to answer from the raw file than through
 *	Poppler, which would run every page's graphics: does any content
 *	stream fill a dark rectangle (the gate of pdf-covered.c: without one
 *	no page is rendered to look for text under black boxes), and does
 *	any draw text invisibly, in render mode 3 (or 7), as OCR software
 *	lays its text layer over a scan (pdf-ocr.c's dp_pdf_layer_looks_ocr
 *	then looks at the pages).  One pass over the streams answers both:
 *	each stream, inflated when Flate, goes through a small lexer that
 *	keeps numbers as operands, skips strings, names, arrays and
 *	dictionaries, and follows only the operators that set the fill
 *	colour, the CTM, the graphics state stack, rectangles, fills and the
 *	text render mode.  The scan stops as soon as both facts hold.
 *
 * SECURITY
 *	The bytes are untrusted; this runs in the sandboxed child with the
 *	rest of pdf.c.  A stream's dictionary is looked at through at most
 *	GATE_DICT_MAX bytes, at most GATE_MAX_INFLATE bytes are inflated in
 *	all (a zlib bomb stops the inflating and opens the gate, no more),
 *	the lexer never reads past a stream's end, and the q stack is
 *	GATE_DEPTH deep.  A stream it cannot read (other filters,
 *	encryption) opens the gate: the cost is a render, never a missed
 *	box.  It is skipped for invisible text: the OCR-tolerant detectors
 *	may then stay off for that file, as for any born-digital text.
 */
#define _GNU_SOURCE /* memmem */
#include "extract/pdf-streams.h"

#include <math.h>
#include <string.h>
#include <zlib.h>

#include "util/banned.h"

/*
 * The gate: a fill colour whose brightest channel is under GATE_DARK (0-1)
 * is dark; a rectangle smaller than GATE_MIN_RECT points on either side
 * (a table rule, an underline) hides no word.  At most GATE_DEPTH levels
 * of q, GATE_DICT_MAX bytes of a stream's dictionary looked at, and
 * GATE_MAX_INFLATE bytes inflated in all: past that the gate stays open.
 */
#define GATE_DARK 0.4
#define GATE_MIN_RECT 4.0
#define GATE_DEPTH 32
#define GATE_DICT_MAX 1024
#define GATE_MAX_INFLATE ((gsize)64 << 20)
/*
 * A path keeps at most PATH_RECTS rectangles, a file GATE_MAX_BOXES dark
 * boxes: past that, the boxes are no longer told apart by place.
 */
#define PATH_RECTS 16
#define GATE_MAX_BOXES 4096

/* The graphics state the gate follows: whether the fill colour is dark, and the CTM. */
typedef struct {
	gboolean dark;
	double m[6]; /* a b c d e f: user space to default user space */
} GateState;

/* Whether colour operands V[0..N-1] of an operator setting N components are dark. */
static gboolean
dark_colour(const double *v, guint n)
{
	switch (n) {
	case 1: return v[0] < GATE_DARK;
	case 3: return MAX(v[0], MAX(v[1], v[2])) < GATE_DARK;
	case 4: {
		double k = 1 - v[3];
		return MAX((1 - v[0]) * k, MAX((1 - v[1]) * k, (1 - v[2]) * k)) < GATE_DARK;
	}
	default: return TRUE; /* a pattern or a colour space of its own: maybe dark */
	}
}

/* M := N x M, the PDF order of "N cm" on a CTM of M. */
static void
concat(double *m, const double *n)
{
	double r[6] = {
		n[0] * m[0] + n[1] * m[2], n[0] * m[1] + n[1] * m[3],        n[2] * m[0] + n[3] * m[2],
		n[2] * m[1] + n[3] * m[3], n[4] * m[0] + n[5] * m[2] + m[4], n[4] * m[1] + n[5] * m[3] + m[5],
	};
	memcpy(m, r, sizeof r);
}

/* The box, in default user space, of rectangle X Y W H under CTM M. */
static DpPdfBox
place(const double *m, double x, double y, double w, double h)
{
	DpPdfBox b = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
	const double cx[4] = { x, x + w, x, x + w }, cy[4] = { y, y, y + h, y + h };
	for (guint k = 0; k < 4; k++) {
		double px = m[0] * cx[k] + m[2] * cy[k] + m[4], py = m[1] * cx[k] + m[3] * cy[k] + m[5];
		b.x1 = MIN(b.x1, px), b.x2 = MAX(b.x2, px);
		b.y1 = MIN(b.y1, py), b.y2 = MAX(b.y2, py);
	}
	return b;
}

/*
 * A dark filled rectangle B: kept when it is at least GATE_MIN_RECT points
 * a side, placed when its stream draws in default user space (PLACED),
 * else (a form, a pattern, a Type 3 glyph, too many boxes) unplaced.
 */
static void
dark_box(DpPdfStreamFacts *f, const DpPdfBox *b, gboolean placed)
{
	if (!(b->x2 - b->x1 >= GATE_MIN_RECT && b->y2 - b->y1 >= GATE_MIN_RECT))
		return; /* a table rule, an underline, or NaN */
	if (placed && f->dark_boxes->len < GATE_MAX_BOXES)
		g_array_append_val(f->dark_boxes, *b);
	else
		f->dark_unplaced = TRUE;
}

/*
 * Scan content stream S (LEN bytes) for rectangles filled in a dark
 * colour (F->dark_boxes, or F->dark_unplaced) and an invisible text
 * render mode (F->invisible_text).  PLACED: the stream is a page's
 * content, drawn from default user space (not a form or pattern).  A
 * stream that leaves the CTM changed for the next one of its page makes
 * its CTM in F->leaks (see dp_pdf_stream_facts).
 */
/*
 * A number operand as it stands in the stream, converted only when an
 * operator the scan follows uses it: most numbers of a content stream
 * place text (Td, TJ) and are never looked at.
 */
typedef struct {
	const char *p;
	gsize n;
} NumToken;

/* The last N of the NNUM operands TOK, converted into OUT. */
static const double *
operands(const NumToken *tok, guint nnum, guint n, double *out)
{
	for (guint k = 0; k < n; k++) {
		const NumToken *t = &tok[nnum - n + k];
		char buf[32];
		gsize len = MIN(t->n, sizeof buf - 1);
		memcpy(buf, t->p, len);
		buf[len] = '\0';
		out[k] = g_ascii_strtod(buf, NULL);
	}
	return out;
}

static void
stream_scan(const char *s, gsize len, gboolean placed, DpPdfStreamFacts *f)
{
	GateState st[GATE_DEPTH] = { { TRUE, { 1, 0, 0, 1, 0, 0 } } };
	guint depth = 0;
	NumToken tok[8];
	double num[8];
	guint nnum = 0;
	DpPdfBox path[PATH_RECTS]; /* the rectangles of the path being built */
	guint npath = 0;
	gboolean page_content = placed;
	gsize i = 0;
	while (i < len) {
		char c = s[i];
		if (g_ascii_isspace(c)) {
			i++;
		} else if (c == '%') {
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		} else if (c == '(') {
			int nest = 0;
			for (; i < len; i++) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '(')
					nest++;
				else if (s[i] == ')' && --nest == 0)
					break;
			}
			i++;
			nnum = 0;
		} else if (c == '<' && i + 1 < len && s[i + 1] != '<') {
			/* A hex string: its digits are no operands, its letters no operators. */
			while (i < len && s[i] != '>')
				i++;
			i++;
			nnum = 0;
		} else if (c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/') {
			/* Names, hex strings, arrays and dictionaries: skipped; they end an operand list. */
			i++;
			if (c == '/')
				while (i < len && !g_ascii_isspace(s[i]) && !strchr("/[]<>(){}%", s[i]))
					i++;
			if (c != '/' && c != '[' && c != ']')
				nnum = 0;
		} else if (g_ascii_isdigit(c) || c == '-' || c == '+' || c == '.') {
			gsize j = i;
			while (j < len && (g_ascii_isdigit(s[j]) || s[j] == '-' || s[j] == '+' || s[j] == '.'))
				j++;
			if (nnum == G_N_ELEMENTS(tok)) {
				memmove(tok, tok + 1, sizeof tok - sizeof tok[0]);
				nnum--;
			}
			tok[nnum++] = (NumToken){ s + i, j - i };
			i = j;
		} else {
			gsize j = i;
			while (j < len && !g_ascii_isspace(s[j]) && !strchr("/[]<>(){}%", s[j]))
				j++;
			if (j == i)
				j++;
			char op[4] = { 0 };
			if (j - i < sizeof op)
				memcpy(op, s + i, j - i);
			i = j;
			GateState *g = &st[depth];
			if (g_str_equal(op, "q")) {
				if (depth + 1 < GATE_DEPTH) {
					st[depth + 1] = *g;
					depth++;
				}
			} else if (g_str_equal(op, "Q")) {
				depth -= depth > 0;
			} else if (g_str_equal(op, "cm") && nnum >= 6) {
				concat(g->m, operands(tok, nnum, 6, num));
			} else if (g_str_equal(op, "d0") || g_str_equal(op, "d1")) {
				placed = FALSE; /* a Type 3 glyph: glyph space */
			} else if (g_str_equal(op, "g") || g_str_equal(op, "rg") || g_str_equal(op, "k")) {
				guint want = op[0] == 'g' ? 1 : op[0] == 'r' ? 3 : 4;
				g->dark = nnum >= want ? dark_colour(operands(tok, nnum, want, num), want) : TRUE;
			} else if (g_str_equal(op, "sc") || g_str_equal(op, "scn")) {
				g->dark = dark_colour(operands(tok, nnum, nnum, num), nnum);
			} else if (g_str_equal(op, "cs")) {
				g->dark = TRUE; /* a colour space's initial colour is black */
			} else if (g_str_equal(op, "re") && nnum >= 4) {
				operands(tok, nnum, 4, num);
				DpPdfBox b = place(g->m, num[0], num[1], num[2], num[3]);
				if (npath < PATH_RECTS)
					path[npath++] = b;
				else
					placed = FALSE; /* too many to keep: the path's boxes are anywhere */
			} else if (op[0] != '\0' && strchr("fFbB", op[0]) != NULL &&
			           (op[1] == '\0' || (op[1] == '*' && op[2] == '\0'))) {
				for (guint k = 0; g->dark && k < npath; k++)
					dark_box(f, &path[k], placed);
				npath = 0;
			} else if (g_str_equal(op, "n") || g_str_equal(op, "S") || g_str_equal(op, "s")) {
				npath = 0;
			} else if (g_str_equal(op, "Tr") && nnum >= 1) {
				/* 3: neither fill nor stroke; 7: the same, added to the clip. */
				operands(tok, nnum, 1, num);
				f->invisible_text = f->invisible_text || num[0] == 3 || num[0] == 7;
			}
			nnum = 0;
		}
	}
	/* The next stream of a page starts where this one left the CTM. */
	const double *m = st[depth].m;
	if (page_content && placed && (m[0] != 1 || m[1] != 0 || m[2] != 0 || m[3] != 1 || m[4] != 0 || m[5] != 0)) {
		gboolean known = FALSE;
		for (guint k = 0; k < MIN(f->n_leaks, G_N_ELEMENTS(f->leaks)) && !known; k++)
			known = memcmp(f->leaks[k], m, sizeof f->leaks[k]) == 0;
		if (!known && f->n_leaks < G_N_ELEMENTS(f->leaks))
			memcpy(f->leaks[f->n_leaks], m, sizeof f->leaks[0]);
		f->n_leaks += !known;
	}
}

/*
 * Whether S (LEN bytes: the file, or an object stream's objects) gives a
 * page a /Rotate other than 0, or a /UserUnit: the page's text is then
 * not laid out in default user space turned upside down.
 */
static gboolean
turned(const char *s, gsize len)
{
	if (memmem(s, len, "/UserUnit", 9) != NULL)
		return TRUE;
	for (const char *p = s, *end = s + len; (p = memmem(p, (gsize)(end - p), "/Rotate", 7)) != NULL;) {
		p += 7;
		while (p < end && g_ascii_isspace(*p))
			p++;
		gint64 deg = 0;
		while (p < end && g_ascii_isdigit(*p) && deg < 1000)
			deg = deg * 10 + (*p++ - '0');
		if (deg % 360 != 0 || (p < end && *p == '-'))
			return TRUE;
	}
	return FALSE;
}

/*
 * Inflate zlib data IN (LEN bytes) into OUT, at most LIMIT bytes: FALSE
 * when it cannot.  zlib itself, not GIO's GZlibDecompressor, so that
 * docpipe-pdftext.so, which shares this file, needs neither GIO nor
 * GObject; it behaves as that converter did (for the same facts): output
 * in pieces of at most a buffer, and a piece that ends in an error is
 * dropped, the pieces before it kept.
 */
static gboolean
inflate_stream(const char *in, gsize len, GByteArray *out, gsize limit)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return FALSE;
	guint8 buf[65536];
	gsize done = 0;
	gboolean ok = FALSE;
	for (;;) {
		gsize avail = MIN(len - done, (gsize)G_MAXUINT);
		z.next_in = (Bytef *)(in + done);
		z.avail_in = (uInt)avail;
		z.next_out = buf;
		z.avail_out = sizeof buf;
		int r = inflate(&z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END) {
			ok = out->len > 0; /* a damaged tail: what came out is still scanned */
			break;
		}
		gsize read = avail - z.avail_in, written = sizeof buf - z.avail_out;
		done += read;
		g_byte_array_append(out, buf, (guint)written);
		if (out->len > limit)
			break;
		if (r == Z_STREAM_END) {
			ok = TRUE;
			break;
		}
		if (read == 0 && written == 0) {
			ok = out->len > 0;
			break;
		}
	}
	inflateEnd(&z);
	return ok;
}

/*
 * The dictionary of the stream whose keyword is at KW in the file D: the
 * bytes from its object's " obj" (at most GATE_DICT_MAX back) to KW, as
 * a string.  The bytes before an object may be another stream's binary
 * tail: the search stops at a NUL, which no dictionary holds, so that a
 * string cut short there never stands for the dictionary.
 */
static char *
stream_dict(const char *d, const char *kw)
{
	const char *from = kw - MIN((gsize)(kw - d), GATE_DICT_MAX);
	const char *start = from;
	for (const char *q = kw; q > from; q--) {
		if (q[-1] == '\0') {
			start = q;
			break;
		}
		if (q - from >= 4 && memcmp(q - 4, " obj", 4) == 0) {
			start = q - 4;
			break;
		}
	}
	return g_strndup(start, (gsize)(kw - start));
}

/* The facts the scan cannot be sure of: every dark fill may be anywhere. */
static void
unsure(DpPdfStreamFacts *f)
{
	f->dark_unplaced = TRUE;
}

void
dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *f)
{
	memset(f, 0, sizeof *f);
	f->dark_boxes = g_array_new(FALSE, FALSE, sizeof(DpPdfBox));
	gsize len = 0;
	const char *d = g_bytes_get_data(data, &len);
	if (d == NULL)
		return;
	gboolean rotated = turned(d, len);
	gsize inflated = 0;
	g_autoptr(GByteArray) out = g_byte_array_new();
	const char *p = d, *end = d + len;
	while ((p = memmem(p, (gsize)(end - p), "stream", 6)) != NULL && !(f->dark_unplaced && f->invisible_text)) {
		const char *kw = p;
		p += 6;
		/* "endstream" and anything but the keyword after a dictionary. */
		if (kw > d && kw[-1] == 'd')
			continue;
		const char *body = p;
		if (body < end && *body == '\r')
			body++;
		if (body < end && *body == '\n')
			body++;
		const char *stop = memmem(body, (gsize)(end - body), "endstream", 9);
		if (stop == NULL)
			stop = end;
		p = stop;
		g_autofree char *dd = stream_dict(d, kw);
		/* An object stream may hold the page dictionaries: their /Rotate is read, nothing else. */
		gboolean objstm = strstr(dd, "/ObjStm") != NULL;
		if (strstr(dd, "/Image") != NULL || strstr(dd, "/XRef") != NULL || strstr(dd, "/FontFile") != NULL ||
		    strstr(dd, "/Length1") != NULL || strstr(dd, "/Metadata") != NULL ||
		    strstr(dd, "/EmbeddedFile") != NULL)
			continue;
		gboolean flate = strstr(dd, "/FlateDecode") != NULL || strstr(dd, "/Fl ") != NULL ||
		                 strstr(dd, "/Fl/") != NULL || strstr(dd, "/Fl]") != NULL;
		gboolean other = strstr(dd, "/Filter") != NULL && !flate;
		/* Another filter, encryption: the gate cannot say no; the next stream may still tell. */
		if (other || strstr(dd, "/DecodeParms") != NULL) {
			unsure(f);
			continue;
		}
		const char *s = body;
		gsize slen = (gsize)(stop - body);
		if (flate) {
			/* Too much inflated: the gate stays open, and nothing more is read. */
			g_byte_array_set_size(out, 0);
			if (!inflate_stream(body, slen, out, GATE_MAX_INFLATE - inflated)) {
				unsure(f);
				break;
			}
			inflated += out->len;
			s = (const char *)out->data;
			slen = out->len;
		}
		if (objstm) {
			rotated = rotated || turned(s, slen);
			continue;
		}
		/* A form, a pattern or an annotation's appearance draws in a space of its own. */
		gboolean placed =
		    strstr(dd, "/BBox") == NULL && strstr(dd, "/Form") == NULL && strstr(dd, "/Pattern") == NULL;
		stream_scan(s, slen, placed, f);
	}
	/*
	 * A page's content may be several streams, each starting where the one
	 * before left the CTM, and the scan does not know which stream is whose:
	 * each box is also placed as if its stream began at each CTM a stream
	 * left behind (a superset of where it is); past a few of them, it may
	 * be anywhere.
	 */
	if (f->n_leaks > G_N_ELEMENTS(f->leaks) && f->dark_boxes->len > 0)
		unsure(f);
	guint placed_boxes = f->dark_boxes->len;
	for (guint k = 0; k < MIN(f->n_leaks, G_N_ELEMENTS(f->leaks)) && !f->dark_unplaced; k++) {
		for (guint b = 0; b < placed_boxes; b++) {
			DpPdfBox o = g_array_index(f->dark_boxes, DpPdfBox, b);
			DpPdfBox moved = place(f->leaks[k], o.x1, o.y1, o.x2 - o.x1, o.y2 - o.y1);
			g_array_append_val(f->dark_boxes, moved);
		}
	}
	/* Boxes on a turned page are not where the text layout says. */
	if (rotated && f->dark_boxes->len > 0)
		unsure(f);
	f->dark_fill = f->dark_unplaced || f->dark_boxes->len > 0;
}

void
dp_pdf_stream_facts_clear(DpPdfStreamFacts *f)
{
	g_clear_pointer(&f->dark_boxes, g_array_unref);
}
