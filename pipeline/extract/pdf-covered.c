/*
 * NAME
 *	pdf-covered.c - the words of a PDF page that lie under a black box
 *
 * DESCRIPTION
 *	A producer that "redacts" by drawing an opaque box over text leaves
 *	the text in the file: Poppler's text device reads it like any other,
 *	and docpipe would publish it.  A word is covered when the pixels
 *	inside its characters' boxes, on the page as drawn, are almost all
 *	dark: the box hides the glyphs.  Text drawn on top of a dark area
 *	(white text in a black table header or banner) shows as bright
 *	glyph pixels inside its boxes and is not covered; a box with no text
 *	under it is no finding, since only the text layer's words are tested.
 *
 *	In [pdf] covered-text=redact or report, first per file:
 *	  0. The gate (dp_pdf_covered_gate): the file's content streams,
 *	     inflated when Flate, are scanned for a rectangle at least
 *	     GATE_MIN_RECT points a side filled in a dark colour.  When
 *	     none is, no page is rendered: a file of text, rules and
 *	     underlines costs a scan of its bytes, a few milliseconds.
 *	Then per page with text:
 *	  1. A render at PRE_DPI (a letter page is 153x198 pixels): when no
 *	     pixel under any character box is darker than PRE_DARK, the page
 *	     has no dark area under its text and nothing more is done.
 *	  2. Else a render at TEST_DPI, and per word (a run of characters
 *	     between spaces, line ends and the gaps where pdf.c's page_text
 *	     puts a space) that holds a letter or digit: the pixels of its
 *	     characters' boxes, shrunk by SHRINK on each side so that the
 *	     anti-aliased edge of a box that just covers them does not
 *	     count, are covered when at least DARK_SHARE of them are darker
 *	     than DARK and almost none brighter than BRIGHT (a pixel's
 *	     brightest channel: only black is dark, green text on a red
 *	     box is not covered).  A cross-hatched box (thin grey lines
 *	     over black) has no bright pixel; a white glyph on black has
 *	     many.
 *	  3. A dark region (the 4-connected dark pixels around a covered
 *	     word) with many more visible words drawn on it than covered
 *	     words under it is a background, a banner whose white text an
 *	     earlier draft lies under, and its words are no finding.
 *	Whole words are flagged; pdf.c replaces each with DP_COVERED_LABEL
 *	in redact mode and records the labels' places as a "redacted:
 *	covered body N OFF+LEN ..." line (core/RECORD-FORMAT.md), so the
 *	hidden text never leaves the sandboxed child.  The counts go in
 *	meta.pdf.covered-words and meta.pdf.covered-pages in both modes.
 *	Pages read by OCR are not tested: OCR reads the page as drawn.
 *
 * SECURITY
 *	Rendering runs Poppler's full graphics on untrusted bytes, in the
 *	sandboxed child like the rest of pdf.c, through pdf-ocr.c's
 *	dp_pdf_render_grey, which caps the pixels of any page whatever its
 *	media box says.  At most two renders a page, both small, counted in
 *	[pdf] time-limit with the page's text.  Character boxes come from the
 *	file: every one is clipped to the image before a pixel is read.  The
 *	gate reads the raw bytes itself: a stream's dictionary is looked at
 *	through at most GATE_DICT_MAX bytes, at most GATE_MAX_INFLATE bytes
 *	are inflated in all (a zlib bomb opens the gate, no more), the lexer
 *	never reads past a stream's end, and the q stack is GATE_DEPTH deep.
 *	A file it cannot read (other filters, encryption) opens the gate:
 *	the cost is a render, never a missed box.  The region fill of step 3
 *	holds at most MAX_FILL pixels in its queue and 65535 regions.
 */
#define _GNU_SOURCE /* memmem */
#include "extract/pdf-covered.h"

#include "core/record.h"
#include "extract/pdf-ocr.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "util/banned.h"

/* The first, coarse render: 4 points a pixel. */
#define PRE_DPI 18
/* Under it, a pixel this dark (its brightest channel, 0-255) under a character calls for the test. */
#define PRE_DARK 128
/* The test render. */
#define TEST_DPI 72
/*
 * A pixel darker than DARK is dark, one brighter than BRIGHT is bright
 * (of its brightest channel, 0-255).  A word is covered when at least
 * DARK_SHARE of its pixels are dark and at most BRIGHT_SHARE bright: a
 * visible glyph, however thin, leaves bright pixels (white text in a
 * black banner: 4% and more of its box at TEST_DPI, measured), the grey
 * lines of a cross-hatched box none.
 */
#define DARK 100
#define DARK_SHARE 0.9
#define BRIGHT 160
#define BRIGHT_SHARE 0.01
/*
 * Step 3: a visible word is drawn on a dark region when the ring RING
 * pixels around its box is of the region and at least ON_DARK_BRIGHT of
 * its box is bright; a region with more than BACKGROUND_RATIO visible
 * words for each covered one is a background.  A region is filled up to
 * MAX_FILL pixels (a whole letter page at TEST_DPI is 485,000).
 */
#define RING 2
#define ON_DARK_BRIGHT 0.1
#define BACKGROUND_RATIO 2
#define MAX_FILL (4u * 1000 * 1000)
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
/* A character's box loses this share of its width and height on each side. */
#define SHRINK 0.2

/* ---- the gate: does the file draw any dark filled rectangle? ------------ */

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
 * GATE_MIN_RECT points a side in a dark colour.  A small lexer: numbers
 * are kept as operands, strings, names, arrays and dictionaries skipped,
 * and only the operators that set the fill colour, the CTM, the graphics
 * state stack, rectangles and fills are followed.
 */
static gboolean
stream_fills_dark(const char *s, gsize len)
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
				if (rect && g->dark)
					return TRUE;
				rect = FALSE;
			} else if (g_str_equal(op, "n") || g_str_equal(op, "S") || g_str_equal(op, "s")) {
				rect = FALSE;
			}
			nnum = 0;
		}
	}
	return FALSE;
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

gboolean
dp_pdf_covered_gate(GBytes *data)
{
	gsize len = 0;
	const char *d = g_bytes_get_data(data, &len);
	if (d == NULL)
		return FALSE;
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
		/* The stream's dictionary: from the last "<<" of its object. */
		gsize back = MIN((gsize)(kw - d), GATE_DICT_MAX);
		g_autofree char *dict = g_strndup(kw - back, back);
		char *obj = g_strrstr(dict, " obj");
		const char *dd = obj ? obj : dict;
		if (strstr(dd, "/Image") != NULL || strstr(dd, "/ObjStm") != NULL || strstr(dd, "/XRef") != NULL ||
		    strstr(dd, "/FontFile") != NULL || strstr(dd, "/Length1") != NULL ||
		    strstr(dd, "/Metadata") != NULL || strstr(dd, "/EmbeddedFile") != NULL) {
			p = stop;
			continue;
		}
		gboolean flate = strstr(dd, "/FlateDecode") != NULL || strstr(dd, "/Fl ") != NULL ||
		                 strstr(dd, "/Fl/") != NULL || strstr(dd, "/Fl]") != NULL;
		gboolean other = strstr(dd, "/Filter") != NULL && !flate;
		/* Another filter, encryption, too much: the gate cannot say no. */
		if (other || strstr(dd, "/DecodeParms") != NULL)
			return TRUE;
		g_byte_array_set_size(out, 0);
		if (flate) {
			if (!inflate(body, (gsize)(stop - body), out, GATE_MAX_INFLATE - inflated))
				return TRUE;
			inflated += out->len;
			if (stream_fills_dark((const char *)out->data, out->len))
				return TRUE;
		} else if (stream_fills_dark(body, (gsize)(stop - body))) {
			return TRUE;
		}
		p = stop;
	}
	return FALSE;
}

void
dp_pdf_covered_init(DpPdfCovered *c, const DpConfig *cfg)
{
	memset(c, 0, sizeof *c);
	g_autofree char *mode = dp_config_get_string(cfg, "pdf", "covered-text");
	c->mode = g_strcmp0(mode, "keep") == 0     ? DP_COVERED_KEEP
	          : g_strcmp0(mode, "report") == 0 ? DP_COVERED_REPORT
	                                           : DP_COVERED_REDACT;
	c->pages = g_array_new(FALSE, FALSE, sizeof(guint));
	c->positions = g_string_new(NULL);
}

gboolean
dp_pdf_chars_apart(const PopplerRectangle *a, const PopplerRectangle *b)
{
	double h = MAX(b->y2 - b->y1, a->y2 - a->y1);
	double gap = b->x1 - a->x2;
	return h > 0 && (gap > 0.2 * h || b->x2 < a->x1);
}

/* The pixels of R (points) at SCALE in a W by H image, shrunk by SHRINK_BY, as [*X0,*X1) x [*Y0,*Y1). */
static gboolean
pixel_box(const PopplerRectangle *r, double scale, int w, int h, double shrink_by, int *x0, int *x1, int *y0, int *y1)
{
	double ax = MIN(r->x1, r->x2), bx = MAX(r->x1, r->x2);
	double ay = MIN(r->y1, r->y2), by = MAX(r->y1, r->y2);
	if (!isfinite(ax) || !isfinite(bx) || !isfinite(ay) || !isfinite(by))
		return FALSE;
	double dx = (bx - ax) * shrink_by, dy = (by - ay) * shrink_by;
	double fx0 = floor((ax + dx) * scale), fx1 = ceil((bx - dx) * scale);
	double fy0 = floor((ay + dy) * scale), fy1 = ceil((by - dy) * scale);
	*x0 = (int)CLAMP(fx0, 0, w);
	*x1 = (int)CLAMP(fx1, 0, w);
	*y0 = (int)CLAMP(fy0, 0, h);
	*y1 = (int)CLAMP(fy1, 0, h);
	return *x1 > *x0 && *y1 > *y0;
}

/* Step 1: whether any pixel under a visible character of the page is dark at PRE_DPI. */
static gboolean
dark_under_text(PopplerPage *page, const char *text, const PopplerRectangle *rects, guint n)
{
	int w = 0, h = 0, ppi = 0;
	double scale = 0;
	g_autofree char *why = NULL;
	g_autofree guint8 *grey = dp_pdf_render_grey(page, PRE_DPI, TRUE, &w, &h, &ppi, &scale, &why);
	if (grey == NULL)
		return FALSE;
	guint i = 0;
	for (const char *p = text; *p && i < n; p = g_utf8_next_char(p), i++) {
		if (g_unichar_isspace(g_utf8_get_char(p)))
			continue;
		int x0, x1, y0, y1;
		if (!pixel_box(&rects[i], scale, w, h, 0, &x0, &x1, &y0, &y1))
			continue;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++)
				if (grey[(gsize)y * (gsize)w + (gsize)x] < PRE_DARK)
					return TRUE;
	}
	return FALSE;
}

/*
 * Step 2 for the word of characters [FROM, TO), whose letters and digits
 * ALNUM flags: whether their pixels are almost all dark.  Punctuation does
 * not count: a box that hides `"No"` but not the full stop after it still
 * hides the word.
 */
static gboolean
word_covered(const guint8 *grey, int w, int h, double scale, const PopplerRectangle *rects, const guint8 *alnum,
             guint from, guint to)
{
	guint64 total = 0, dark = 0, bright = 0;
	for (guint i = from; i < to; i++) {
		int x0, x1, y0, y1;
		if (!alnum[i] || !pixel_box(&rects[i], scale, w, h, SHRINK, &x0, &x1, &y0, &y1))
			continue;
		for (int y = y0; y < y1; y++) {
			const guint8 *row = grey + (gsize)y * (gsize)w;
			for (int x = x0; x < x1; x++) {
				total++;
				dark += row[x] < DARK;
				bright += row[x] > BRIGHT;
			}
		}
	}
	return total > 0 && (double)dark >= DARK_SHARE * (double)total &&
	       (double)bright <= BRIGHT_SHARE * (double)total;
}

/* A word of the page's text: characters [from, to). */
typedef struct {
	guint from, to;
	gboolean alnum;   /* it holds a letter or digit */
	gboolean covered; /* step 2 says so */
} Word;

/*
 * The words of TEXT (N characters with boxes RECTS): runs of characters
 * between spaces, line ends and the gaps where page_text puts a space.
 * ISALNUM flags the letters and digits.
 */
static GArray *
split_words(const char *text, const PopplerRectangle *rects, guint n, guint8 *isalnum)
{
	GArray *words = g_array_new(FALSE, FALSE, sizeof(Word));
	guint i = 0, start = 0;
	gboolean alnum = FALSE;
	const char *p = text;
	while (i <= n) {
		gunichar ch = (i < n && *p) ? g_utf8_get_char(p) : ' ';
		gboolean space = g_unichar_isspace(ch);
		gboolean apart = !space && i > start && dp_pdf_chars_apart(&rects[i - 1], &rects[i]);
		if ((space || apart) && i > start) {
			Word wd = { start, i, alnum, FALSE };
			g_array_append_val(words, wd);
			start = i;
			alnum = FALSE;
		}
		if (space)
			start = i + 1;
		else if (g_unichar_isalnum(ch))
			alnum = isalnum[i] = TRUE;
		if (i < n && *p)
			p = g_utf8_next_char(p);
		i++;
	}
	return words;
}

/*
 * Give the dark region of GREY (W by H) that holds pixel AT the number ID
 * in LABELS: its 4-connected dark pixels, at most MAX_FILL of them.
 */
static void
fill_dark(const guint8 *grey, int w, int h, guint16 *labels, gsize at, guint16 id)
{
	g_autoptr(GArray) queue = g_array_new(FALSE, FALSE, sizeof(gsize));
	labels[at] = id;
	g_array_append_val(queue, at);
	for (guint q = 0; q < queue->len && queue->len < MAX_FILL; q++) {
		gsize pix = g_array_index(queue, gsize, q);
		int x = (int)(pix % (gsize)w), y = (int)(pix / (gsize)w);
		gsize next[4];
		guint k = 0;
		if (x > 0)
			next[k++] = pix - 1;
		if (x + 1 < w)
			next[k++] = pix + 1;
		if (y > 0)
			next[k++] = pix - (gsize)w;
		if (y + 1 < h)
			next[k++] = pix + (gsize)w;
		for (guint j = 0; j < k; j++) {
			if (labels[next[j]] == 0 && grey[next[j]] < DARK) {
				labels[next[j]] = id;
				g_array_append_val(queue, next[j]);
			}
		}
	}
}

/*
 * The dark region of WD's first dark pixel, numbered (from 1) in LABELS
 * when it is not yet; 0 when it has none or there are too many regions.
 */
static guint16
word_region(const guint8 *grey, int w, int h, double scale, const PopplerRectangle *rects, const Word *wd,
            guint16 *labels, guint16 *n_regions)
{
	for (guint i = wd->from; i < wd->to; i++) {
		int x0, x1, y0, y1;
		if (!pixel_box(&rects[i], scale, w, h, SHRINK, &x0, &x1, &y0, &y1))
			continue;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) {
				gsize at = (gsize)y * (gsize)w + (gsize)x;
				if (labels[at] != 0)
					return labels[at];
				if (grey[at] >= DARK)
					continue;
				if (*n_regions == G_MAXUINT16)
					return 0;
				fill_dark(grey, w, h, labels, at, ++*n_regions);
				return *n_regions;
			}
	}
	return 0;
}

/*
 * The region that visible word WD is drawn on, or 0: the pixels around its
 * box, RING pixels out, are dark and of one region, and its glyphs show
 * (bright pixels, at least ON_DARK_BRIGHT of its box).
 */
static guint16
visible_on(const guint8 *grey, int w, int h, double scale, const PopplerRectangle *rects, const Word *wd,
           const guint16 *labels)
{
	PopplerRectangle box = rects[wd->from];
	guint64 total = 0, bright = 0;
	for (guint i = wd->from; i < wd->to; i++) {
		const PopplerRectangle *r = &rects[i];
		box.x1 = MIN(box.x1, MIN(r->x1, r->x2));
		box.x2 = MAX(box.x2, MAX(r->x1, r->x2));
		box.y1 = MIN(box.y1, MIN(r->y1, r->y2));
		box.y2 = MAX(box.y2, MAX(r->y1, r->y2));
		int x0, x1, y0, y1;
		if (!pixel_box(r, scale, w, h, SHRINK, &x0, &x1, &y0, &y1))
			continue;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) {
				total++;
				bright += grey[(gsize)y * (gsize)w + (gsize)x] > BRIGHT;
			}
	}
	if (total == 0 || (double)bright < ON_DARK_BRIGHT * (double)total)
		return 0;
	int x0, x1, y0, y1;
	if (!pixel_box(&box, scale, w, h, 0, &x0, &x1, &y0, &y1))
		return 0;
	/* The ring must lie on the image: a word at the edge of the page is on nothing. */
	if (x0 < RING || y0 < RING || x1 + RING > w || y1 + RING > h)
		return 0;
	x0 -= RING, y0 -= RING, x1 += RING - 1, y1 += RING - 1;
	guint16 region = labels[(gsize)y0 * (gsize)w + (gsize)x0];
	if (region == 0)
		return 0;
	for (int x = x0; x <= x1; x++)
		if (labels[(gsize)y0 * (gsize)w + (gsize)x] != region ||
		    labels[(gsize)y1 * (gsize)w + (gsize)x] != region)
			return 0;
	for (int y = y0; y <= y1; y++)
		if (labels[(gsize)y * (gsize)w + (gsize)x0] != region ||
		    labels[(gsize)y * (gsize)w + (gsize)x1] != region)
			return 0;
	return region;
}

/*
 * Step 3: a dark region with more than BACKGROUND_RATIO times as many
 * visible words drawn on it as covered words under it is a background (a
 * banner with white text, and an earlier draft of it left under it), not
 * a redaction: its covered words are not findings.  A redaction box with
 * a white "(b)(6)" on it stays a redaction.
 */
static void
drop_backgrounds(const guint8 *grey, int w, int h, double scale, const PopplerRectangle *rects, GArray *words)
{
	g_autofree guint16 *labels = g_new0(guint16, (gsize)w * (gsize)h);
	g_autofree guint16 *region = g_new0(guint16, words->len);
	guint16 n_regions = 0;
	for (guint i = 0; i < words->len; i++) {
		const Word *wd = &g_array_index(words, Word, i);
		if (wd->covered)
			region[i] = word_region(grey, w, h, scale, rects, wd, labels, &n_regions);
	}
	if (n_regions == 0)
		return;
	g_autofree guint *n_covered = g_new0(guint, (gsize)n_regions + 1);
	g_autofree guint *n_visible = g_new0(guint, (gsize)n_regions + 1);
	for (guint i = 0; i < words->len; i++) {
		const Word *wd = &g_array_index(words, Word, i);
		if (wd->covered)
			n_covered[region[i]]++;
		else if (wd->alnum)
			n_visible[visible_on(grey, w, h, scale, rects, wd, labels)]++;
	}
	for (guint i = 0; i < words->len; i++) {
		Word *wd = &g_array_index(words, Word, i);
		guint16 r = region[i];
		if (wd->covered && r != 0 && n_visible[r] > BACKGROUND_RATIO * n_covered[r])
			wd->covered = FALSE;
	}
}

guint8 *
dp_pdf_covered_find(DpPdfCovered *c, PopplerPage *page, guint pageno, const char *text, const PopplerRectangle *rects,
                    guint n)
{
	if (c->mode == DP_COVERED_KEEP || !c->gate || n == 0)
		return NULL;
	/* A page without a letter or digit has no word to hide. */
	gboolean any = FALSE;
	for (const char *p = text; *p && !any; p = g_utf8_next_char(p))
		any = g_unichar_isalnum(g_utf8_get_char(p));
	if (!any || !dark_under_text(page, text, rects, n))
		return NULL;

	int w = 0, h = 0, ppi = 0;
	double scale = 0;
	g_autofree char *why = NULL;
	g_autofree guint8 *grey = dp_pdf_render_grey(page, TEST_DPI, TRUE, &w, &h, &ppi, &scale, &why);
	if (grey == NULL)
		return NULL;
	g_autofree guint8 *isalnum = g_malloc0(n);
	g_autoptr(GArray) words = split_words(text, rects, n, isalnum);
	guint found = 0;
	for (guint i = 0; i < words->len; i++) {
		Word *wd = &g_array_index(words, Word, i);
		wd->covered = wd->alnum && word_covered(grey, w, h, scale, rects, isalnum, wd->from, wd->to);
		found += wd->covered;
	}
	if (found == 0)
		return NULL;
	drop_backgrounds(grey, w, h, scale, rects, words);
	found = 0;
	guint8 *flags = g_malloc0(n);
	for (guint i = 0; i < words->len; i++) {
		const Word *wd = &g_array_index(words, Word, i);
		if (wd->covered) {
			memset(flags + wd->from, 1, wd->to - wd->from);
			found++;
		}
	}
	if (found == 0) {
		g_free(flags);
		return NULL;
	}
	c->words += found;
	g_array_append_val(c->pages, pageno);
	return flags;
}

void
dp_pdf_covered_label(DpPdfCovered *c, gsize offset, gsize length)
{
	c->spans++;
	g_string_append_printf(c->positions, " %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT, offset, length);
}

void
dp_pdf_covered_finish(DpPdfCovered *c, DpDoc *doc)
{
	/* Nothing said when nothing was found: a clean PDF's record is as before. */
	if (c->words > 0) {
		g_autofree char *words = g_strdup_printf("%u", c->words);
		GString *pages = g_string_new(NULL);
		for (guint i = 0; i < c->pages->len; i++)
			g_string_append_printf(pages, "%s%u", i ? " " : "", g_array_index(c->pages, guint, i));
		dp_doc_meta(doc, "pdf.covered-words", words);
		dp_doc_meta(doc, "pdf.covered-pages", pages->str);
		g_string_free(pages, TRUE);
	}
	if (c->spans > 0) {
		g_autofree char *line = g_strdup_printf("%s body %u%s", DP_COVERED_RULE, c->spans, c->positions->str);
		dp_record_add(doc->rec, DP_F_REDACTED, line);
	}
	g_array_free(c->pages, TRUE);
	g_string_free(c->positions, TRUE);
}
