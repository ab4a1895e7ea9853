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

#include <gio/gio.h>
#include <math.h>
#include <string.h>

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

/* The graphics state the gate follows: whether the fill colour is dark, and the CTM's scale. */
typedef struct {
	gboolean dark;
	double scale;
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

/*
 * Whether content stream S (LEN bytes) fills a rectangle at least
 * GATE_MIN_RECT points a side in a dark colour (F->dark_fill) or sets
 * an invisible text render mode (F->invisible_text); each fact found is
 * set in F, and the lexing stops when both hold.
 */
static void
stream_scan(const char *s, gsize len, DpPdfStreamFacts *f)
{
	GateState st[GATE_DEPTH] = { { TRUE, 1 } };
	guint depth = 0;
	double num[8];
	guint nnum = 0;
	gboolean rect = FALSE;
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
			char buf[32];
			gsize n = MIN(j - i, sizeof buf - 1);
			memcpy(buf, s + i, n);
			buf[n] = '\0';
			if (nnum == G_N_ELEMENTS(num)) {
				memmove(num, num + 1, sizeof num - sizeof num[0]);
				nnum--;
			}
			num[nnum++] = g_ascii_strtod(buf, NULL);
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
				g->scale *= sqrt(fabs(num[nnum - 6] * num[nnum - 3] - num[nnum - 5] * num[nnum - 4]));
			} else if (g_str_equal(op, "g") || g_str_equal(op, "rg") || g_str_equal(op, "k")) {
				guint want = op[0] == 'g' ? 1 : op[0] == 'r' ? 3 : 4;
				g->dark = nnum >= want ? dark_colour(num + nnum - want, want) : TRUE;
			} else if (g_str_equal(op, "sc") || g_str_equal(op, "scn")) {
				g->dark = dark_colour(num, nnum);
			} else if (g_str_equal(op, "cs")) {
				g->dark = TRUE; /* a colour space's initial colour is black */
			} else if (g_str_equal(op, "re") && nnum >= 4) {
				double w = fabs(num[nnum - 2]) * g->scale, h = fabs(num[nnum - 1]) * g->scale;
				rect = rect || (w >= GATE_MIN_RECT && h >= GATE_MIN_RECT);
			} else if (op[0] != '\0' && strchr("fFbB", op[0]) != NULL &&
			           (op[1] == '\0' || (op[1] == '*' && op[2] == '\0'))) {
				f->dark_fill = f->dark_fill || (rect && g->dark);
				if (f->dark_fill && f->invisible_text)
					return;
				rect = FALSE;
			} else if (g_str_equal(op, "n") || g_str_equal(op, "S") || g_str_equal(op, "s")) {
				rect = FALSE;
			} else if (g_str_equal(op, "Tr") && nnum >= 1) {
				/* 3: neither fill nor stroke; 7: the same, added to the clip. */
				f->invisible_text = f->invisible_text || num[nnum - 1] == 3 || num[nnum - 1] == 7;
				if (f->dark_fill && f->invisible_text)
					return;
			}
			nnum = 0;
		}
	}
}

/* Inflate zlib data IN (LEN bytes) into OUT, at most LIMIT bytes: FALSE when it cannot. */
static gboolean
inflate(const char *in, gsize len, GByteArray *out, gsize limit)
{
	g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
	guint8 buf[65536];
	gsize done = 0;
	for (;;) {
		gsize read = 0, written = 0;
		GConverterResult r = g_converter_convert(G_CONVERTER(z), in + done, len - done, buf, sizeof buf,
		                                         G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
		done += read;
		g_byte_array_append(out, buf, (guint)written);
		if (out->len > limit)
			return FALSE;
		if (r == G_CONVERTER_FINISHED)
			return TRUE;
		if (r == G_CONVERTER_ERROR || (read == 0 && written == 0))
			return out->len > 0; /* a damaged tail: what came out is still scanned */
	}
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

void
dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *f)
{
	memset(f, 0, sizeof *f);
	gsize len = 0;
	const char *d = g_bytes_get_data(data, &len);
	if (d == NULL)
		return;
	gsize inflated = 0;
	g_autoptr(GByteArray) out = g_byte_array_new();
	const char *p = d, *end = d + len;
	while ((p = memmem(p, (gsize)(end - p), "stream", 6)) != NULL) {
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
		g_autofree char *dd = stream_dict(d, kw);
		if (strstr(dd, "/Image") != NULL || strstr(dd, "/ObjStm") != NULL || strstr(dd, "/XRef") != NULL ||
		    strstr(dd, "/FontFile") != NULL || strstr(dd, "/Length1") != NULL ||
		    strstr(dd, "/Metadata") != NULL || strstr(dd, "/EmbeddedFile") != NULL) {
			p = stop;
			continue;
		}
		gboolean flate = strstr(dd, "/FlateDecode") != NULL || strstr(dd, "/Fl ") != NULL ||
		                 strstr(dd, "/Fl/") != NULL || strstr(dd, "/Fl]") != NULL;
		gboolean other = strstr(dd, "/Filter") != NULL && !flate;
		/* Another filter, encryption: the gate cannot say no; the next stream may still tell. */
		if (other || strstr(dd, "/DecodeParms") != NULL) {
			f->dark_fill = TRUE;
			p = stop;
			continue;
		}
		g_byte_array_set_size(out, 0);
		if (flate) {
			/* Too much inflated: the gate stays open, and nothing more is read. */
			if (!inflate(body, (gsize)(stop - body), out, GATE_MAX_INFLATE - inflated)) {
				f->dark_fill = TRUE;
				return;
			}
			inflated += out->len;
			stream_scan((const char *)out->data, out->len, f);
		} else {
			stream_scan(body, (gsize)(stop - body), f);
		}
		if (f->dark_fill && f->invisible_text)
			return;
		p = stop;
	}
}
