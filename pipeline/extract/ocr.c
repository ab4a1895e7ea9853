/*
 * ocr.c: the Tesseract engine of docpipe-ocr.so: one engine per process,
 * made once with the configured languages, and one page at a time
 * recognized into text, Tesseract's lines and paragraphs kept.
 *
 * DESCRIPTION
 *	dp_ocr_init_module() makes the engine (TessBaseAPIInit4, LSTM only,
 *	the language data from the directory dp_config_tessdata_dir()
 *	names).  Making it costs tens of milliseconds and megabytes of model,
 *	so it is kept for the life of the process; a sandboxed child forked
 *	after it was made uses it without reading anything.  Asking for
 *	other languages replaces it.
 *	dp_ocr_recognize_grey_module() and dp_ocr_recognize_pix_module()
 *	set the page image, its resolution, and recognize it with a monitor
 *	whose cancel function stops the engine when the page has used its
 *	CPU time ([ocr] page-time-limit); the text read so far is kept and
 *	the page is marked as timed out.  With [ocr] words, the words are
 *	read from Tesseract's result iterator with their boxes, confidences
 *	and the line and paragraph each starts.
 *
 * DETERMINISM
 *	One engine, one thread (OMP_THREAD_LIMIT=1, extract/ocrload.c),
 *	fixed page segmentation mode and parameters: the same image, language
 *	data and Tesseract version give the same text.
 *
 * SECURITY
 *	Tesseract parses no document bytes: it gets pixels, decoded by
 *	Poppler (extract/pdf.c) or Leptonica (extract/image.c) inside the
 *	sandboxed child, whose filter and limits apply to it as well.  Its
 *	own inputs are the language data files, opened read-only.
 */
#include "extract/ocr.h"

#include "core/config.h"
#include "util/exitcode.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/banned.h"

gboolean dp_ocr_recognize_pix_module(const DpOcrOptions *opt, struct Pix *pix, int ppi, DpOcrPage *page,
                                     GError **error);

static GMutex engine_lock;
static TessBaseAPI *engine;
static char *engine_languages;

/* This thread's CPU time in seconds. */
static double
thread_cpu(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *
dp_ocr_version_module(void)
{
	return TessVersion();
}

/* Make the engine for LANGUAGES; the caller holds engine_lock. */
static gboolean
engine_make(const char *languages, GError **error)
{
	if (engine != NULL && g_strcmp0(engine_languages, languages) == 0)
		return TRUE;
	g_autofree char *dir = dp_config_tessdata_dir();
	g_autofree char *missing = dp_config_tessdata_missing(languages);
	if (missing != NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s", missing);
		return FALSE;
	}
	if (engine != NULL) {
		TessBaseAPIEnd(engine);
		TessBaseAPIDelete(engine);
		engine = NULL;
		g_clear_pointer(&engine_languages, g_free);
	}
	TessBaseAPI *api = TessBaseAPICreate();
	/*
	 * Every parameter keeps the default of the tesseract command line, so
	 * that both read the same.  Not even debug_file=/dev/null: Tesseract
	 * opens it for writing on its first message, which may come after the
	 * seccomp filter went on, and the filter kills a child that opens
	 * anything for writing.  Its few messages go to stderr, which the
	 * sandbox passes on, bounded.
	 */
	if (TessBaseAPIInit4(api, dir, languages, OEM_LSTM_ONLY, NULL, 0, NULL, NULL, 0, FALSE) != 0) {
		TessBaseAPIDelete(api);
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "cannot start Tesseract with the languages '%s' from %s",
		            languages, dir);
		return FALSE;
	}
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	engine = api;
	engine_languages = g_strdup(languages);
	return TRUE;
}

/*
 * At exit: Tesseract's caches complain on stderr about objects an engine
 * still holds when the library is unloaded.  Registered after the first
 * engine was made, when Tesseract has registered the destructors of its
 * caches, so that it runs before them.  (Sandboxed children leave with
 * _exit() and run no handlers.)
 */
static void
engine_end(void)
{
	g_mutex_lock(&engine_lock);
	if (engine != NULL) {
		TessBaseAPIEnd(engine);
		TessBaseAPIDelete(engine);
		engine = NULL;
	}
	g_mutex_unlock(&engine_lock);
}

static void
register_end(void)
{
	static gsize registered;
	if (g_once_init_enter(&registered)) {
		atexit(engine_end);
		g_once_init_leave(&registered, 1);
	}
}

gboolean
dp_ocr_init_module(const char *languages, GError **error)
{
	g_mutex_lock(&engine_lock);
	gboolean ok = engine_make(languages, error);
	g_mutex_unlock(&engine_lock);
	register_end();
	return ok;
}

/* The per-page deadline: CPU seconds of this thread. */
typedef struct {
	double deadline; /* 0: none */
	gboolean hit;
} Deadline;

static bool
cancel_cb(void *user, int words)
{
	Deadline *d = user;
	if (d->deadline > 0 && thread_cpu() > d->deadline)
		d->hit = TRUE;
	return d->hit;
}

/*
 * The words of the page just recognized, in reading order, into PAGE->words:
 * boxes in tenths of a pixel, text in NFC as the page's text will be after
 * normalization (core/text.c), so that redaction matches the same words in
 * both.  The caller holds engine_lock.
 */
static void
collect_words(DpOcrPage *page)
{
	page->words = dp_words_new();
	TessResultIterator *ri = TessBaseAPIGetIterator(engine);
	if (ri == NULL)
		return;
	const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst(ri);
	do {
		char *raw = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
		int l = 0, t = 0, r = 0, b = 0;
		gboolean boxed = TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b) && r >= l && b >= t;
		g_autofree char *valid = raw ? g_utf8_make_valid(raw, -1) : NULL;
		TessDeleteText(raw);
		g_autofree char *text = valid ? g_utf8_normalize(valid, -1, G_NORMALIZE_DEFAULT_COMPOSE) : NULL;
		if (text != NULL)
			g_strstrip(text);
		if (!boxed || text == NULL || *text == '\0')
			continue;
		DpWord w = { 0 };
		w.x = (guint)MAX(l, 0) * 10;
		w.y = (guint)MAX(t, 0) * 10;
		w.w = (guint)(r - l) * 10;
		w.h = (guint)(b - t) * 10;
		float conf = TessResultIteratorConfidence(ri, RIL_WORD);
		w.conf = conf <= 0 ? 0 : conf >= 100 ? 100 : (guint)(conf + 0.5f);
		w.brk = page->words->len == 0                                ? DP_WORD_SPACE
		        : TessPageIteratorIsAtBeginningOf(pit, RIL_PARA)     ? DP_WORD_PARA
		        : TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE) ? DP_WORD_LINE
		                                                             : DP_WORD_SPACE;
		w.text = g_steal_pointer(&text);
		g_array_append_val(page->words, w);
	} while (TessResultIteratorNext(ri, RIL_WORD));
	TessResultIteratorDelete(ri);
}

/*
 * Recognize the image set on the engine into PAGE; the caller holds
 * engine_lock.
 */
static gboolean
recognize(const DpOcrOptions *opt, int ppi, DpOcrPage *page, GError **error)
{
	/*
	 * The caller's resolution, or 300 (a scan's usual) when the image does
	 * not say; Tesseract itself takes nothing under 70.
	 */
	TessBaseAPISetSourceResolution(engine, ppi > 0 ? MAX(ppi, 70) : 300);
	Deadline d = { opt->page_time_limit > 0 ? thread_cpu() + opt->page_time_limit : 0, FALSE };
	ETEXT_DESC *monitor = TessMonitorCreate();
	TessMonitorSetCancelFunc(monitor, cancel_cb);
	TessMonitorSetCancelThis(monitor, &d);
	int rc = TessBaseAPIRecognize(engine, monitor);
	TessMonitorDelete(monitor);
	if (rc != 0 && !d.hit) {
		TessBaseAPIClear(engine);
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "Tesseract could not recognize the page");
		return FALSE;
	}
	char *text = TessBaseAPIGetUTF8Text(engine);
	page->confidence = TessBaseAPIMeanTextConf(engine);
	page->timed_out = d.hit;
	GString *s = g_string_new(text ? text : "");
	TessDeleteText(text);
	/* A form feed would start a new page; trailing blank lines are noise. */
	for (gsize i = 0; i < s->len; i++)
		if (s->str[i] == '\f')
			s->str[i] = '\n';
	while (s->len > 0 && g_ascii_isspace(s->str[s->len - 1]))
		g_string_truncate(s, s->len - 1);
	if (s->len > 0)
		g_string_append_c(s, '\n');
	if (page->text != NULL)
		g_string_free(page->text, TRUE);
	page->text = s;
	if (page->confidence < 0 || s->len == 0)
		page->confidence = 0;
	if (opt->words)
		collect_words(page);
	/* Free the page's results now: the next page may be far away. */
	TessBaseAPIClear(engine);
	return TRUE;
}

gboolean
dp_ocr_recognize_grey_module(const DpOcrOptions *opt, const guint8 *grey, int width, int height, int stride, int ppi,
                             DpOcrPage *page, GError **error)
{
	g_mutex_lock(&engine_lock);
	gboolean ok = engine_make(opt->languages, error);
	register_end();
	if (ok) {
		TessBaseAPISetImage(engine, grey, width, height, 1, stride);
		ok = recognize(opt, ppi, page, error);
	}
	g_mutex_unlock(&engine_lock);
	return ok;
}

gboolean
dp_ocr_recognize_pix_module(const DpOcrOptions *opt, struct Pix *pix, int ppi, DpOcrPage *page, GError **error)
{
	g_mutex_lock(&engine_lock);
	gboolean ok = engine_make(opt->languages, error);
	register_end();
	if (ok) {
		TessBaseAPISetImage2(engine, pix);
		ok = recognize(opt, ppi, page, error);
	}
	g_mutex_unlock(&engine_lock);
	return ok;
}
