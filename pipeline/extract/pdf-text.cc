/*
 * NAME
 *	pdf-text.cc - the PDFs that need nothing but text, through Poppler's
 *	core library (the loadable module docpipe-pdftext.so)
 *
 * DESCRIPTION
 *	Most PDFs have a text layer and nothing else for docpipe to read: no
 *	password, no embedded file, no annotation with text, no page for OCR.
 *	For those, loading poppler-glib (with cairo, GIO, fontconfig, X11:
 *	52 libraries) costs more than reading a small PDF, so this module,
 *	linked against libpoppler alone (the 30 libraries pdftotext loads),
 *	reads them, and pdf.c (docpipe-pdf.so) reads every other one.
 *
 *	Its output is pdf.c's, byte for byte: it does what poppler-glib 22.12
 *	does for the calls pdf.c makes (poppler_page_get_text, _get_text_layout,
 *	_get_size, the document's metadata and dates), with the same Poppler
 *	objects and parameters, and then pdf.c's own steps (the spaces between text
 *	blocks, the quality flags, the page range and the limits).  It
 *	declines a document, before anything about it is recorded or
 *	emitted, whenever pdf.c could do more than that:
 *	  - the document does not open without a password, or at all (pdf.c
 *	    tries the passwords and words the error);
 *	  - it has embedded files, or a page read has a file annotation or
 *	    an annotation with text (pdf.c makes parts of them);
 *	  - [ocr] mode=always, or mode=auto and a page read has no text, is
 *	    garbled, or has its few characters in the top and bottom margins
 *	    only and may draw an image (pdf-ocr.c's rule, whose last step,
 *	    the images' cover, needs poppler-glib: pdf.c decides; a page that
 *	    draws no image has no cover, ImageFinder);
 *	  - its content streams fill a dark rectangle, or cannot be read, and
 *	    [pdf] covered-text is not keep (pdf-covered.c may render pages to
 *	    look for words under black boxes), or they draw text invisibly
 *	    (pdf-ocr.c looks at the pages' images for a text layer made by
 *	    OCR): the same byte scan as pdf.c's (pdf-streams.c, linked into
 *	    both modules) says so before Poppler opens the file; and
 *	    always with DOCPIPE_COVERED_DEBUG set (pdf-covered.c's report).
 *	With DOCPIPE_PDF_DEBUG set, each decline is told on stderr as
 *	"pdftext: declined FILE: REASON".
 *	extract/module.c then hands the document to docpipe-pdf.so.
 *	The ICC-based colour spaces a page names go into Poppler's cache
 *	without their colour transforms (seed_icc_spaces()): building them,
 *	as pdftotext and poppler-glib do, costs more than the text of a
 *	small page, and a text device uses no colour.  What
 *	pdf-covered.c and pdf-ocr.c record when they find nothing is
 *	nothing, so a document read here lacks no field of pdf.c's.
 *
 * SECURITY
 *	Every byte is untrusted; this is the same Poppler parser as pdf.c's,
 *	in the same sandboxed child (sandbox/isolate.c) under the same
 *	limits, and it runs only Poppler's text device (no image is decoded,
 *	no page rendered).  [pdf] max-pages and time-limit bound the pages
 *	as in pdf.c.  Poppler's own error messages are dropped, as
 *	poppler-glib drops them.
 */
#include <glib.h>

extern "C" {
#include "core/config.h"
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ocr.h"
#include "extract/pdf-page.h"
#include "extract/pdf-streams.h"
#include "util/exitcode.h"
}

#include <Annot.h>
#include <Catalog.h>
#include <DateInfo.h>
#include <Error.h>
#include <Gfx.h>
#include <GfxState.h>
#include <GlobalParams.h>
#include <Page.h>
#include <PDFDoc.h>
#include <PDFDocEncoding.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <string.h>
#include <time.h>

namespace
{

/* Poppler's messages about damaged files: poppler-glib logs them at INFO level, unseen. */
void
drop_error(ErrorCategory, Goffset, const char *)
{
}

/* A character's box, as PopplerRectangle. */
using Box = DpPdfBox;

double
cpu_seconds()
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* poppler_page_get_size(): the crop box, turned with the page. */
void
page_size(Page *page, double *w, double *h)
{
	int rotate = page->getRotate();
	if (rotate == 90 || rotate == 270) {
		*h = page->getCropWidth();
		*w = page->getCropHeight();
	} else {
		*w = page->getCropWidth();
		*h = page->getCropHeight();
	}
}

/*
 * The output device the pages are run through: each call goes to the
 * text device of the page being read (INNER, a new one per page, as
 * poppler-glib makes them), but the device Gfx sees lives as long as the
 * document, and with it Poppler's cache of ICC-based colour spaces, which
 * Gfx keeps in the output device.  poppler-glib makes the colour
 * transforms of such a colour space again for every page, more work than
 * reading a page's text (pdftotext, one device for all pages, makes them
 * once).  A text device does not look at colours, so the text is the same.
 * Every method TextOutputDev overrides is passed on; the others are
 * OutputDev's own in both.  (One TextOutputDev cannot serve every page
 * itself: after takeText() its ActualText still writes to the page taken.)
 */
class PageTextDev : public OutputDev
{
      public:
	TextOutputDev *inner = nullptr;

	/* See seed_icc_spaces(): the intent the seeded colour spaces match. */
	void initGfxState(GfxState *state) override
	{
		OutputDev::initGfxState(state);
		state->setRenderingIntent("Perceptual");
	}
	bool upsideDown() override
	{
		return inner->upsideDown();
	}
	bool useDrawChar() override
	{
		return inner->useDrawChar();
	}
	bool interpretType3Chars() override
	{
		return inner->interpretType3Chars();
	}
	bool needNonText() override
	{
		return inner->needNonText();
	}
	bool needCharCount() override
	{
		return inner->needCharCount();
	}
	void startPage(int pageNum, GfxState *state, XRef *xref) override
	{
		inner->startPage(pageNum, state, xref);
	}
	void endPage() override
	{
		inner->endPage();
	}
	void restoreState(GfxState *state) override
	{
		inner->restoreState(state);
	}
	void updateFont(GfxState *state) override
	{
		inner->updateFont(state);
	}
	void beginString(GfxState *state, const GooString *str) override
	{
		inner->beginString(state, str);
	}
	void endString(GfxState *state) override
	{
		inner->endString(state);
	}
	void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX, double originY,
	              CharCode c, int nBytes, const Unicode *u, int uLen) override
	{
		inner->drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
	}
	void incCharCount(int nChars) override
	{
		inner->incCharCount(nChars);
	}
	void beginActualText(GfxState *state, const GooString *text) override
	{
		inner->beginActualText(state, text);
	}
	void endActualText(GfxState *state) override
	{
		inner->endActualText(state);
	}
	void stroke(GfxState *state) override
	{
		inner->stroke(state);
	}
	void fill(GfxState *state) override
	{
		inner->fill(state);
	}
	void eoFill(GfxState *state) override
	{
		inner->eoFill(state);
	}
	void processLink(AnnotLink *link) override
	{
		inner->processLink(link);
	}
};

/*
 * The ICC-based colour spaces named in PAGE's resources, put into OUT's
 * cache of them without their colour transforms.  Building a transform
 * (Little CMS: the profile's curves sampled and inverted) costs more than
 * reading a small page's text, and pdftotext builds two per profile; a
 * text device uses no colour.  Gfx takes a cached colour space only when
 * its transform's rendering intent is the state's, and one without a
 * transform counts as perceptual, so PageTextDev starts every page's
 * state at that intent (a page that sets another with ri or gs parses its
 * colour spaces in full, as before).  A seeded space converts colours by
 * its DeviceGray, RGB or CMYK alternate; text, words and boxes are the
 * same.  Only what Poppler's own parse would accept is seeded: a stream
 * with /N of 1, 3 or 4.
 */
void
seed_icc_spaces(Page *page, PageTextDev *out)
{
	Dict *res = page->getResourceDict();
	if (res == nullptr)
		return;
	Object spaces = res->lookup("ColorSpace");
	if (!spaces.isDict())
		return;
	for (int i = 0; i < spaces.dictGetLength(); i++) {
		Object cs = spaces.dictGetVal(i);
		if (!cs.isArray() || cs.arrayGetLength() < 2 || !cs.arrayGet(0).isName("ICCBased"))
			continue;
		const Object &ref = cs.arrayGetNF(1);
		if (!ref.isRef() || out->getIccColorSpaceCache()->lookup(ref.getRef()) != nullptr)
			continue;
		Object stream = cs.arrayGet(1);
		if (!stream.isStream())
			continue;
		Object n = stream.streamGetDict()->lookup("N");
		int comps = n.isInt() ? n.getInt() : 0;
		GfxColorSpace *alt = nullptr;
		if (comps == 1)
			alt = new GfxDeviceGrayColorSpace();
		else if (comps == 3)
			alt = new GfxDeviceRGBColorSpace();
		else if (comps == 4)
			alt = new GfxDeviceCMYKColorSpace();
		if (alt == nullptr)
			continue;
		Ref r = ref.getRef();
		out->getIccColorSpaceCache()->put(r, new GfxICCBasedColorSpace(comps, alt, &r));
	}
}

/*
 * poppler-glib's text page of a page (poppler_page_get_text_page()), run
 * through OUT; unref it with decRefCnt().
 */
TextPage *
text_page(Page *page, PageTextDev *out)
{
	TextOutputDev *dev = new TextOutputDev(nullptr, true, 0, false, false);
	seed_icc_spaces(page, out);
	out->inner = dev;
	Gfx *gfx = page->createGfx(out, 72.0, 72.0, 0, false, true, -1, -1, -1, -1, false, nullptr, nullptr);
	page->display(gfx);
	dev->endPage();
	TextPage *text = dev->takeText();
	delete gfx;
	out->inner = nullptr;
	delete dev;
	return text;
}

/* poppler_page_get_text(): the glyphs selected over the whole page. */
char *
page_raw_text(TextPage *text, double w, double h)
{
	PDFRectangle sel(0, 0, w, h);
	GooString *s = text->getSelectionText(&sel, selectionStyleGlyph);
	char *r = g_strdup(s->c_str());
	delete s;
	return r;
}

/*
 * poppler_page_get_text_layout(): one box per character of the text above,
 * a space's between two words, a line end's at the end of a line.  FALSE
 * without text.  (The boxes past the last one set stay zero.)
 */
gboolean
page_layout(TextPage *text, double w, double h, Box **boxes, guint *n_boxes)
{
	PDFRectangle sel(0, 0, w, h);
	int n_lines = 0;
	*n_boxes = 0;
	std::vector<TextWordSelection *> **word_list = text->getSelectionWords(&sel, selectionStyleGlyph, &n_lines);
	if (word_list == nullptr)
		return FALSE;
	guint n = (guint)(n_lines - 1);
	for (int i = 0; i < n_lines; i++) {
		std::vector<TextWordSelection *> *line = word_list[i];
		n += (guint)(line->size() - 1);
		for (std::size_t j = 0; j < line->size(); j++) {
			const TextWordSelection *ws = (*line)[j];
			n += (guint)(ws->getEnd() - ws->getBegin());
			if (!ws->getWord()->hasSpaceAfter() && j < line->size() - 1)
				n--;
		}
	}
	*boxes = g_new0(Box, n);
	*n_boxes = n;
	guint offset = 0;
	Box *rect = *boxes;
	double x1 = 0, y1 = 0, x2 = 0, y2 = 0, x3, y3, x4, y4;
	for (int i = 0; i < n_lines; i++) {
		std::vector<TextWordSelection *> *line = word_list[i];
		for (std::size_t j = 0; j < line->size(); j++) {
			TextWordSelection *ws = (*line)[j];
			const TextWord *word = ws->getWord();
			for (int k = ws->getBegin(); k < ws->getEnd(); k++) {
				rect = *boxes + offset;
				word->getCharBBox(k, &rect->x1, &rect->y1, &rect->x2, &rect->y2);
				offset++;
			}
			rect = *boxes + offset;
			word->getBBox(&x1, &y1, &x2, &y2);
			if (word->hasSpaceAfter() && j < line->size() - 1) {
				(*line)[j + 1]->getWord()->getBBox(&x3, &y3, &x4, &y4);
				*rect = { x2, y1, x3, y2 }; /* the space: from this word's end to the next's start */
				offset++;
			}
			delete ws;
		}
		if (i < n_lines - 1 && offset > 0) {
			*rect = { x2, y2, x2, y2 }; /* the line end: a point at the last word's end */
			offset++;
		}
		delete line;
	}
	gfree(word_list);
	return TRUE;
}

/*
 * The first half of pdf-ocr.c's margin_only(): whether every visible
 * character of LAYER (the page's text as page_text() made it) lies in the
 * top or bottom margin.  When it does, pdf-ocr.c goes on to measure the
 * page's images, and so pdf.c must read the page.
 */
gboolean
text_in_margins(TextPage *tp, double w, double h, const char *layer)
{
	if (!dp_pdf_margin_small(layer))
		return FALSE;
	Box *rects = nullptr;
	guint nr = 0;
	if (h <= 0 || !page_layout(tp, w, h, &rects, &nr)) {
		g_free(rects);
		return FALSE;
	}
	gboolean only = dp_pdf_margin_only(layer, rects, nr, h);
	g_free(rects);
	return only;
}

/*
 * An output device that only notes whether a page may draw an image:
 * pdf-ocr.c's last step for a page whose few characters lie in the
 * margins (scan_like(): poppler_page_get_image_mapping(), whose cairo
 * device saves the box of every image Gfx hands it) can find its images
 * cover half the page only if the page draws some.  This device sees
 * at least every image that one does: the same Gfx run over the same
 * contents, plus the annotations' appearances; and a Type 3 glyph or a
 * tiling pattern, whose insides it does not run (that device does not
 * either, but costs would be unbounded here), counts as an image.
 * Shadings are taken as drawn, so that Gfx does not split them into
 * fills.  No image is decoded: an inline image's bytes are skipped as
 * OutputDev does.
 */
class ImageFinder : public OutputDev
{
      public:
	bool found = false;

	bool upsideDown() override
	{
		return true;
	}
	bool useDrawChar() override
	{
		return true;
	}
	bool interpretType3Chars() override
	{
		return false;
	}
	bool useTilingPatternFill() override
	{
		return true;
	}
	bool useShadedFills(int type) override
	{
		return type >= 1 && type <= 7;
	}
	void drawChar(GfxState *state, double, double, double, double, double, double, CharCode, int, const Unicode *,
	              int) override
	{
		if (state->getFont() != nullptr && state->getFont()->getType() == fontType3)
			found = true;
	}
	bool tilingPatternFill(GfxState *, Gfx *, Catalog *, GfxTilingPattern *, const double *, int, int, int, int,
	                       double, double) override
	{
		found = true;
		return true;
	}
	bool functionShadedFill(GfxState *, GfxFunctionShading *) override
	{
		return true;
	}
	bool axialShadedFill(GfxState *, GfxAxialShading *, double, double) override
	{
		return true;
	}
	bool radialShadedFill(GfxState *, GfxRadialShading *, double, double) override
	{
		return true;
	}
	bool gouraudTriangleShadedFill(GfxState *, GfxGouraudTriangleShading *) override
	{
		return true;
	}
	bool patchMeshShadedFill(GfxState *, GfxPatchMeshShading *) override
	{
		return true;
	}
	void drawImageMask(GfxState *state, Object *ref, Stream *str, int width, int height, bool invert,
	                   bool interpolate, bool inlineImg) override
	{
		found = true;
		OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
	}
	void drawImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap,
	               bool interpolate, const int *maskColors, bool inlineImg) override
	{
		found = true;
		OutputDev::drawImage(state, ref, str, width, height, colorMap, interpolate, maskColors, inlineImg);
	}
	void drawMaskedImage(GfxState *state, Object *ref, Stream *str, int width, int height,
	                     GfxImageColorMap *colorMap, bool interpolate, Stream *maskStr, int maskWidth,
	                     int maskHeight, bool maskInvert, bool maskInterpolate) override
	{
		found = true;
		OutputDev::drawMaskedImage(state, ref, str, width, height, colorMap, interpolate, maskStr, maskWidth,
		                           maskHeight, maskInvert, maskInterpolate);
	}
	void drawSoftMaskedImage(GfxState *state, Object *ref, Stream *str, int width, int height,
	                         GfxImageColorMap *colorMap, bool interpolate, Stream *maskStr, int maskWidth,
	                         int maskHeight, GfxImageColorMap *maskColorMap, bool maskInterpolate) override
	{
		found = true;
		OutputDev::drawSoftMaskedImage(state, ref, str, width, height, colorMap, interpolate, maskStr,
		                               maskWidth, maskHeight, maskColorMap, maskInterpolate);
	}
};

/*
 * Whether PAGE may draw an image (ImageFinder): when not, pdf-ocr.c's
 * scan_like() finds no image cover and the page is not read by OCR.
 */
gboolean
page_may_draw_images(Page *page)
{
	ImageFinder dev;
	page->displaySlice(&dev, 72.0, 72.0, 0, false, true, -1, -1, -1, -1, false);
	return dev.found;
}

/*
 * Whether the character at P is a space as g_unichar_isspace() says
 * (the line end among them), without decoding ASCII: of ASCII, only
 * tab, line feed, form feed, carriage return and space are.
 */
gboolean
is_space_at(const char *p)
{
	guchar b = (guchar)*p;
	if (b < 0x80)
		return b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r';
	return g_unichar_isspace(g_utf8_get_char(p));
}

/* pdf.c's page_text(): a space where two text blocks of a line meet. */
char *
page_text(TextPage *tp, double w, double h)
{
	char *text = page_raw_text(tp, w, h);
	if (*text == '\0')
		return text;
	Box *rects = nullptr;
	guint n = 0;
	if (!page_layout(tp, w, h, &rects, &n) || (glong)n != g_utf8_strlen(text, -1)) {
		g_free(rects);
		return text;
	}
	/*
	 * The text is copied in runs, up to each space put in, rather than a
	 * character at a time: most characters need no more than a look at
	 * their box.
	 */
	GString *out = g_string_sized_new(strlen(text) + 64);
	const Box *prev = nullptr;
	const char *run = text, *p = text;
	for (guint i = 0; *p; p = g_utf8_next_char(p), i++) {
		if (is_space_at(p)) {
			prev = nullptr;
			continue;
		}
		const Box *r = &rects[i];
		if (prev != nullptr) {
			double bh = MAX(r->y2 - r->y1, prev->y2 - prev->y1);
			double gap = r->x1 - prev->x2;
			if (bh > 0 && (gap > 0.2 * bh || r->x2 < prev->x1)) {
				g_string_append_len(out, run, p - run);
				g_string_append_c(out, ' ');
				run = p;
			}
		}
		prev = r;
	}
	g_string_append_len(out, run, p - run);
	g_free(rects);
	g_free(text);
	return g_string_free(out, FALSE);
}

/*
 * A document information string in UTF-8 as poppler-glib makes it
 * (_poppler_goo_string_to_utf8): UTF-16 after a byte order mark, else
 * PDFDocEncoding.  NULL when there is none, or it does not convert.
 */
char *
info_string(std::unique_ptr<GooString> s)
{
	if (!s)
		return nullptr;
	const char *b = s->c_str();
	gssize len = s->getLength();
	if (s->hasUnicodeMarker())
		return g_convert(b + 2, len - 2, "UTF-8", "UTF-16BE", nullptr, nullptr, nullptr);
	if (s->hasUnicodeMarkerLE())
		return g_convert(b + 2, len - 2, "UTF-8", "UTF-16LE", nullptr, nullptr, nullptr);
	gunichar *ucs4 = g_new(gunichar, len + 1);
	gssize i;
	for (i = 0; i < len; i++)
		ucs4[i] = pdfDocEncoding[(unsigned char)b[i]];
	ucs4[i] = 0;
	char *r = g_ucs4_to_utf8(ucs4, -1, nullptr, nullptr, nullptr);
	g_free(ucs4);
	return r;
}

/*
 * A document date as pdf.c writes it (poppler-glib's GDateTime, in UTC):
 * ISO 8601, or NULL when there is none or it does not parse.
 */
char *
info_date(std::unique_ptr<GooString> s)
{
	if (!s)
		return nullptr;
	int year, mon, day, hour, min, sec, tz_hours, tz_mins;
	char tz;
	if (!parseDateString(s.get(), &year, &mon, &day, &hour, &min, &sec, &tz, &tz_hours, &tz_mins))
		return nullptr;
	GTimeZone *zone = nullptr;
	if (tz == '+' || tz == '-') {
		g_autofree char *id = g_strdup_printf("%c%02u:%02u", tz, (unsigned)tz_hours, (unsigned)tz_mins);
		zone = g_time_zone_new_identifier(id);
		if (zone == nullptr)
			zone = g_time_zone_new_utc();
	} else {
		zone = g_time_zone_new_utc();
	}
	GDateTime *dt = g_date_time_new(zone, year, mon, day, hour, min, sec);
	g_time_zone_unref(zone);
	if (dt == nullptr)
		return nullptr;
	GDateTime *utc = g_date_time_to_utc(dt);
	g_date_time_unref(dt);
	char *r = utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : nullptr;
	if (utc)
		g_date_time_unref(utc);
	return r;
}

/* The document's metadata, gathered before anything is recorded. */
struct Meta {
	char *title, *author, *subject, *keywords, *creator, *producer, *created, *modified;
	char *version, *pages, *page_size;
	gboolean encrypted;
	Meta()
	    : title(), author(), subject(), keywords(), creator(), producer(), created(), modified(), version(),
	      pages(), page_size(), encrypted()
	{
	}
	~Meta()
	{
		for (char *p : { title, author, subject, keywords, creator, producer, created, modified, version, pages,
		                 page_size })
			g_free(p);
	}
};

void
read_meta(PDFDoc *pd, GBytes *data, Meta *m)
{
	m->title = info_string(pd->getDocInfoTitle());
	m->author = info_string(pd->getDocInfoAuthor());
	m->subject = info_string(pd->getDocInfoSubject());
	m->keywords = info_string(pd->getDocInfoKeywords());
	m->creator = info_string(pd->getDocInfoCreator());
	m->producer = info_string(pd->getDocInfoProducer());
	m->created = info_date(pd->getDocInfoCreatDate());
	m->modified = info_date(pd->getDocInfoModDate());
	m->version = g_strdup_printf("%u.%u", (guint)pd->getPDFMajorVersion(), (guint)pd->getPDFMinorVersion());
	int n = pd->getNumPages();
	m->pages = g_strdup_printf("%d", n);
	if (n > 0) {
		Page *page = pd->getPage(1);
		if (page != nullptr) {
			double w = 0, h = 0;
			page_size(page, &w, &h);
			m->page_size = g_strdup_printf("%.0fx%.0f pt", w, h);
		}
	}
	gsize len;
	const char *d = (const char *)g_bytes_get_data(data, &len);
	m->encrypted = d != nullptr && memmem(d, len, "/Encrypt", 8) != nullptr;
}

/*
 * Why pdf.c would make a part of some annotation of a page
 * (collect_annotations(): a file annotation's file, any annotation's
 * text), or NULL when it would not.  An annotation of any other type
 * without text (a link, a form field's widget, a popup without text of
 * its own, a stamp) adds nothing to pdf.c's record, so it is no reason
 * to decline; its appearance is not part of the page's text in either
 * module, and pdf-streams.c's scan already looked at what it draws.
 */
const char *
annots_plain(Page *page)
{
	Annots *annots = page->getAnnots();
	if (annots == nullptr)
		return nullptr;
	for (Annot *a : annots->getAnnots()) {
		if (a == nullptr)
			continue;
		if (a->getType() == Annot::typeFileAttachment)
			return "a file annotation";
		const GooString *c = a->getContents();
		if (c != nullptr && c->getLength() != 0)
			return "an annotation with text";
	}
	return nullptr;
}

char *
page_list(GArray *pages)
{
	GString *s = g_string_new(nullptr);
	for (guint i = 0; i < pages->len; i++)
		g_string_append_printf(s, "%s%u", i ? " " : "", g_array_index(pages, guint, i));
	return g_string_free(s, FALSE);
}

/* What reading the pages gave, as pdf.c's PageScan. */
struct Scan {
	gint64 first, last, done;
	int n_pages;
	GString *text;
	GArray *empty, *garbled;
	char *limit_msg;
	Scan() : first(), last(), done(), n_pages()
	{
		text = g_string_new(nullptr);
		empty = g_array_new(FALSE, FALSE, sizeof(guint));
		garbled = g_array_new(FALSE, FALSE, sizeof(guint));
		limit_msg = nullptr;
	}
	~Scan()
	{
		g_string_free(text, TRUE);
		g_array_unref(empty);
		g_array_unref(garbled);
		g_free(limit_msg);
	}
};

/* Read one page into S; the reason pdf.c must read the document, or NULL. */
const char *
read_page(PDFDoc *pd, guint pageno, DpOcrMode mode, PageTextDev *out, Scan *s)
{
	Page *page = pd->getPage((int)pageno);
	if (page == nullptr) {
		g_array_append_val(s->empty, pageno);
		return nullptr;
	}
	double w = 0, h = 0;
	page_size(page, &w, &h);
	TextPage *tp = text_page(page, out);
	char *t = page_text(tp, w, h);
	PageQuality q = dp_pdf_page_quality(t);
	/* pdf-ocr.c's rule (dp_pdf_page_wants_ocr) in mode=auto, up to the images. */
	const char *ocr = nullptr;
	if (mode == DP_OCR_AUTO && q == PAGE_EMPTY)
		ocr = "a page for OCR (no text)";
	else if (mode == DP_OCR_AUTO && q == PAGE_GARBLED)
		ocr = "a page for OCR (garbled)";
	else if (mode == DP_OCR_AUTO && text_in_margins(tp, w, h, t) && page_may_draw_images(page))
		ocr = "a page for OCR (text in the margins only, images)";
	tp->decRefCnt();
	if (ocr != nullptr) {
		g_free(t);
		return ocr;
	}
	for (char *p = t; (p = strchr(p, '\f')) != nullptr; p++)
		*p = '\n';
	g_string_append(s->text, t);
	g_free(t);
	if (q == PAGE_EMPTY)
		g_array_append_val(s->empty, pageno);
	else if (q == PAGE_GARBLED)
		g_array_append_val(s->garbled, pageno);
	return annots_plain(page);
}

/*
 * Decline: with DOCPIPE_PDF_DEBUG set, say why on stderr (which PDFs the
 * text module leaves to pdf.c, and for what, is what to work on next).
 */
gboolean
decline(DpDoc *doc, const char *reason)
{
	if (g_getenv("DOCPIPE_PDF_DEBUG") != NULL) {
		/* A part's path inside its container, or the file's name. */
		const char *path = dp_record_get(doc->rec, DP_F_PATH);
		if (path == nullptr)
			path = dp_record_get(doc->rec, DP_F_SOURCE);
		g_printerr("pdftext: declined %s: %s\n", path != nullptr ? path : "-", reason);
	}
	return TRUE;
}

/*
 * Why the content streams of DATA call for pdf.c's later steps, or NULL: a
 * dark fill (or a stream the scan cannot read) when [pdf] covered-text
 * looks for covered words (pdf-covered.c's gate), or invisible text
 * (pdf-ocr.c's text layers made by OCR).
 */
const char *
needs_pdf_module(const DpConfig *cfg, GBytes *data)
{
	/* pdf-covered.c's cost report on stderr (scripts/bench-pdf, the tests) is pdf.c's to print. */
	if (g_getenv("DOCPIPE_COVERED_DEBUG") != NULL)
		return "DOCPIPE_COVERED_DEBUG is set";
	DpPdfStreamFacts facts;
	dp_pdf_stream_facts(data, &facts);
	gboolean dark = facts.dark_fill, invisible = facts.invisible_text;
	dp_pdf_stream_facts_clear(&facts);
	if (invisible)
		return "invisible text";
	g_autofree char *covered = dp_config_get_string(cfg, "pdf", "covered-text");
	if (dark && g_strcmp0(covered, "keep") != 0)
		return "a dark fill or an unreadable content stream";
	return nullptr;
}

} // namespace

/*
 * Extract DOC as pdf.c would, or set *DECLINED (nothing recorded, nothing
 * emitted) when docpipe-pdf.so must.
 */
extern "C" gboolean
dp_extract_pdf_text_module(DpExtractCtx *ctx, DpDoc *doc, gboolean *declined, GError **error)
{
	static GlobalParamsIniter *initer = new GlobalParamsIniter(drop_error);
	(void)initer;
	*declined = TRUE;

	DpOcrOptions ocr;
	dp_ocr_options_from_config(ctx->cfg, &ocr);
	DpOcrMode mode = ocr.mode;
	dp_ocr_options_clear(&ocr);
	if (mode == DP_OCR_ALWAYS)
		return decline(doc, "[ocr] mode=always");
	const char *why = needs_pdf_module(ctx->cfg, doc->data);
	if (why != nullptr)
		return decline(doc, why);

	gsize len = 0;
	const char *bytes = (const char *)g_bytes_get_data(doc->data, &len);
	if (bytes == nullptr || len == 0)
		return decline(doc, "empty");
	/* MemStream reads DATA in place; the document lives no longer than this call. */
	PDFDoc pd(new MemStream(bytes, 0, (Goffset)len, Object(objNull)));
	if (!pd.isOk())
		return decline(doc, pd.getErrorCode() == errEncrypted ? "a password" : "does not open");
	Catalog *catalog = pd.getCatalog();
	if (catalog != nullptr && catalog->isOk() && catalog->numEmbeddedFiles() > 0)
		return decline(doc, "embedded files");
	Meta meta;
	read_meta(&pd, doc->data, &meta);

	gint64 first_page = dp_config_get_int(ctx->cfg, "pdf", "first-page");
	gint64 last_page = dp_config_get_int(ctx->cfg, "pdf", "last-page");
	gint64 max_pages = dp_config_get_int(ctx->cfg, "pdf", "max-pages");
	gint64 time_limit = dp_config_get_int(ctx->cfg, "pdf", "time-limit");

	Scan s;
	PageTextDev out;
	s.n_pages = pd.getNumPages();
	s.first = first_page > 0 ? first_page : 1;
	s.last = last_page > 0 && last_page < s.n_pages ? last_page : s.n_pages;
	if (max_pages > 0 && s.last - s.first + 1 > max_pages) {
		s.last = s.first + max_pages - 1;
		s.limit_msg =
		    g_strdup_printf("only the first %" G_GINT64_FORMAT " of %d pages extracted ([pdf] max-pages)",
		                    max_pages, s.n_pages);
	}
	double start = cpu_seconds();
	for (gint64 i = s.first; i <= s.last; i++) {
		if (time_limit > 0 && cpu_seconds() - start > (double)time_limit) {
			g_free(s.limit_msg);
			s.limit_msg = g_strdup_printf("stopped after page %" G_GINT64_FORMAT " of %d: over the CPU "
			                              "time limit of %" G_GINT64_FORMAT " s ([pdf] time-limit)",
			                              i - 1, s.n_pages, time_limit);
			break;
		}
		if (i > s.first)
			g_string_append_c(s.text, '\f');
		s.done++;
		why = read_page(&pd, (guint)i, mode, &out, &s);
		if (why != nullptr)
			return decline(doc, why);
	}

	/* From here on the document is this module's: the record as pdf.c makes it. */
	*declined = FALSE;
	dp_doc_meta(doc, "title", meta.title);
	dp_doc_meta(doc, "author", meta.author);
	dp_doc_meta(doc, "subject", meta.subject);
	dp_doc_meta(doc, "keywords", meta.keywords);
	dp_doc_meta(doc, "creator", meta.creator);
	dp_doc_meta(doc, "producer", meta.producer);
	dp_doc_meta(doc, "created", meta.created);
	dp_doc_meta(doc, "modified", meta.modified);
	dp_doc_meta(doc, "pdf-version", meta.version);
	dp_doc_meta(doc, "pages", meta.pages);
	if (meta.page_size != nullptr)
		dp_doc_meta(doc, "page-size", meta.page_size);
	dp_doc_meta(doc, "encrypted", meta.encrypted ? "yes" : "no");
	if (s.first > 1 || s.last < s.n_pages) {
		g_autofree char *range = g_strdup_printf("%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, s.first, s.last);
		if (s.first <= s.last)
			dp_doc_meta(doc, "page-range", range);
	}
	g_autofree char *n_empty = g_strdup_printf("%u", s.empty->len);
	g_autofree char *n_garbled = g_strdup_printf("%u", s.garbled->len);
	g_autofree char *empty_list = page_list(s.empty);
	g_autofree char *garbled_list = page_list(s.garbled);
	g_autofree char *n_done = g_strdup_printf("%" G_GINT64_FORMAT, s.done);
	dp_doc_meta(doc, "pages-without-text", n_empty);
	dp_doc_meta(doc, "pages-without-text-list", empty_list);
	dp_doc_meta(doc, "pages-garbled", n_garbled);
	dp_doc_meta(doc, "pages-garbled-list", garbled_list);
	dp_doc_meta(doc, "pages-extracted", n_done);

	dp_doc_set_text(ctx, doc, s.text->str, s.text->len);
	if (s.limit_msg != nullptr)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "%s", s.limit_msg);
	return dp_doc_emit(ctx, doc, error);
}
