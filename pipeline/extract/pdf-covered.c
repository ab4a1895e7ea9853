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
 *	  0. The gate (pdf-streams.c): the file's pages are walked and each
 *	     page's content streams scanned for the dark areas it paints
 *	     after showing text (filled paths, shadings, images, forms,
 *	     annotation appearances), and where each lies in default user
 *	     space.  When no page has one, no page is rendered: a file of
 *	     text, rules and underlines costs a scan of its bytes.
 *	Then per page with text:
 *	  1. Only a page on which a character's box meets one of its own
 *	     dark areas (PLACE_MARGIN points around it, turned as the page
 *	     is) is rendered, so a page without a dark area over its text
 *	     costs nothing.  When the walk and Poppler disagree on the page
 *	     (its crop box, its shape), every page's areas are compared with
 *	     its text, under every rotation its shape allows.  A page whose
 *	     areas cannot be placed (a content stream the scan cannot read,
 *	     a Type 3 font) is rendered as a fallback, counted in
 *	     C->unplaced.  Such a page is rendered once, at TEST_DPI.
 *	  2. On that render, per word (a run of characters
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
 *	media box says.  At most one render a page, at TEST_DPI, counted in
 *	[pdf] time-limit with the page's text.  Character boxes come from the
 *	file: every one is clipped to the image before a pixel is read.  The
 *	gate's limits are pdf-streams.c's.  The region fill of step 3
 *	holds at most MAX_FILL pixels in its queue and 65535 regions.
 */
#include "extract/pdf-covered.h"

#include "core/record.h"
#include "extract/pdf-ocr.h"

#include <math.h>
#include <string.h>

#include "util/banned.h"

/*
 * A page is rendered when a character's box comes within PLACE_MARGIN
 * points of a dark box: the boxes are placed from the content streams'
 * numbers, the characters by Poppler's layout, and rounding must not
 * part them.
 */
#define PLACE_MARGIN 2.0
/* A page compared with more boxes than this is rendered instead. */
#define MAX_LAID 16384
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
/* A character's box loses this share of its width and height on each side. */
#define SHRINK 0.2

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
	/* Read once, here: the pages are read on this thread, but getenv races with setenv elsewhere. */
	c->debug = g_getenv("DOCPIPE_COVERED_DEBUG") != NULL;
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

/*
 * The box B (default user space) where the text layout of a page with crop
 * box CROP turned by ROTATE degrees puts it: points from the top left of
 * the page as shown, y down.
 */
static DpPdfBox
to_layout(const DpPdfBox *b, const DpPdfBox *crop, int rotate)
{
	DpPdfBox r = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
	const double xs[2] = { b->x1, b->x2 }, ys[2] = { b->y1, b->y2 };
	for (guint i = 0; i < 4; i++) {
		double x = xs[i & 1], y = ys[i >> 1], dx, dy;
		switch (rotate) {
		case 90: dx = y - crop->y1, dy = x - crop->x1; break;
		case 180: dx = crop->x2 - x, dy = y - crop->y1; break;
		case 270: dx = crop->y2 - y, dy = crop->x2 - x; break;
		default: dx = x - crop->x1, dy = crop->y2 - y; break;
		}
		r.x1 = MIN(r.x1, dx), r.x2 = MAX(r.x2, dx);
		r.y1 = MIN(r.y1, dy), r.y2 = MAX(r.y2, dy);
	}
	return r;
}

/* Append to OUT the boxes of BOXES as laid out under each rotation of ROTATIONS (bit k: k times 90). */
static void
lay_out(GArray *out, const GArray *boxes, const DpPdfBox *crop, guint rotations)
{
	for (guint k = 0; k < boxes->len; k++)
		for (int r = 0; r < 4; r++)
			if (rotations & (1u << r)) {
				DpPdfBox b = to_layout(&g_array_index(boxes, DpPdfBox, k), crop, r * 90);
				g_array_append_val(out, b);
			}
}

/*
 * The dark boxes of STREAMS that may lie on PAGE, laid out as its text is
 * (into OUT); TRUE when some dark area may be anywhere on it.  The page's
 * own boxes and rotation are used when pdf-streams.c's walk of the page
 * tree agrees with Poppler on the page (same place in the tree, same crop
 * box, same shape); else every page's boxes, under every rotation the
 * page's shape allows.
 */
static gboolean
page_boxes(const DpPdfStreamFacts *streams, PopplerPage *page, GArray *out)
{
	if (streams->dark_unplaced)
		return TRUE;
	PopplerRectangle pc;
	poppler_page_get_crop_box(page, &pc);
	DpPdfBox crop = { MIN(pc.x1, pc.x2), MIN(pc.y1, pc.y2), MAX(pc.x1, pc.x2), MAX(pc.y1, pc.y2) };
	double w = 0, h = 0;
	poppler_page_get_size(page, &w, &h);
	gboolean upright = fabs(w - (crop.x2 - crop.x1)) < 1 && fabs(h - (crop.y2 - crop.y1)) < 1;
	gboolean sideways = fabs(h - (crop.x2 - crop.x1)) < 1 && fabs(w - (crop.y2 - crop.y1)) < 1;
	guint shapes = (upright ? 0x5u : 0) | (sideways ? 0xAu : 0);
	if (shapes == 0)
		shapes = 0xF;
	int idx = poppler_page_get_index(page);
	const DpPdfPageFacts *pf = idx >= 0 && (guint)idx < streams->n_pages ? &streams->pages[idx] : NULL;
	if (pf != NULL && fabs(pf->crop.x1 - crop.x1) < 1 && fabs(pf->crop.y1 - crop.y1) < 1 &&
	    fabs(pf->crop.x2 - crop.x2) < 1 && fabs(pf->crop.y2 - crop.y2) < 1 &&
	    (shapes & (1u << (pf->rotate / 90)))) {
		if (pf->unplaced)
			return TRUE;
		lay_out(out, pf->dark_boxes, &crop, 1u << (pf->rotate / 90));
		lay_out(out, streams->dark_boxes, &crop, 1u << (pf->rotate / 90));
		return FALSE;
	}
	/*
	 * The walk and Poppler disagree on this page: any page's box may be on
	 * it.  Past MAX_LAID of them, comparing costs more than the render.
	 */
	for (guint k = 0; k < streams->n_pages; k++) {
		if (streams->pages[k].unplaced || out->len > MAX_LAID)
			return TRUE;
		lay_out(out, streams->pages[k].dark_boxes, &crop, shapes);
	}
	lay_out(out, streams->dark_boxes, &crop, shapes);
	return FALSE;
}

/*
 * Step 1: whether a visible character of the page (text TEXT, N boxes
 * RECTS in points from the top left of the page as shown) meets a dark
 * box of STREAMS, or some dark area of it is unplaced (*UNPLACED set).
 */
static gboolean
near_dark_box(const DpPdfStreamFacts *streams, PopplerPage *page, const char *text, const PopplerRectangle *rects,
              guint n, gboolean *unplaced)
{
	g_autoptr(GArray) laid = g_array_new(FALSE, FALSE, sizeof(DpPdfBox));
	if (page_boxes(streams, page, laid))
		return *unplaced = TRUE;
	const DpPdfBox *boxes = (const DpPdfBox *)(const void *)laid->data;
	guint i = 0;
	for (const char *p = text; *p && i < n && laid->len > 0; p = g_utf8_next_char(p), i++) {
		if (g_unichar_isspace(g_utf8_get_char(p)))
			continue;
		double x1 = MIN(rects[i].x1, rects[i].x2), x2 = MAX(rects[i].x1, rects[i].x2);
		double y1 = MIN(rects[i].y1, rects[i].y2), y2 = MAX(rects[i].y1, rects[i].y2);
		for (guint k = 0; k < laid->len; k++) {
			const DpPdfBox *b = &boxes[k];
			if (x1 <= b->x2 + PLACE_MARGIN && x2 >= b->x1 - PLACE_MARGIN && y1 <= b->y2 + PLACE_MARGIN &&
			    y2 >= b->y1 - PLACE_MARGIN)
				return TRUE;
		}
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
	if (c->mode == DP_COVERED_KEEP || c->streams == NULL || !c->streams->dark_fill || n == 0)
		return NULL;
	/* A page without a letter or digit has no word to hide. */
	gboolean any = FALSE;
	for (const char *p = text; *p && !any; p = g_utf8_next_char(p))
		any = g_unichar_isalnum(g_utf8_get_char(p));
	gboolean unplaced = FALSE;
	if (!any || !near_dark_box(c->streams, page, text, rects, n, &unplaced))
		return NULL;
	c->unplaced += unplaced;

	int w = 0, h = 0, ppi = 0;
	double scale = 0;
	g_autofree char *why = NULL;
	g_autofree guint8 *grey = dp_pdf_render_grey(page, TEST_DPI, TRUE, &w, &h, &ppi, &scale, &why);
	c->rendered++;
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
	/*
	 * How much the test cost, for scripts/bench-pdf and the tests: only on
	 * stderr, and only when asked, so that no record changes.
	 */
	if (c->debug)
		g_printerr(
		    "docpipe: covered-text: %u pages rendered (%u for unplaced areas), boxes %s, invisible text %s\n",
		    c->rendered, c->unplaced,
		    c->streams == NULL || !c->streams->dark_fill ? "none"
		    : c->streams->dark_unplaced                  ? "unplaced"
		                                                 : "placed",
		    c->streams != NULL && c->streams->invisible_text ? "yes" : "no");
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
