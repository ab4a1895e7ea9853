/*
 * ocrload.c: [ocr] and the way to the OCR module, docpipe-ocr.so.
 *
 * Tesseract (with its C++ runtime, OpenMP, libarchive and libcurl) and
 * Leptonica (with every image codec) cost more to link than a small
 * conversion takes, so they are only loaded when a page or an image is
 * to be read: extract/module.c loads the module (DP_MODULE_OCR), and
 * before it does sets OMP_THREAD_LIMIT to 1 unless the user set it:
 * OpenMP reads it when the library is loaded, and an engine with a thread
 * per CPU in each of -j N workers would oversubscribe the cores N times.
 * Images are the module's extractor, in extract/dispatch.c's table; the
 * engine's other entry points are reached here, through
 * dp_module_symbol().
 *
 * The engine is made once per process (extract/ocr.c keeps it) and
 * dp_ocr_preload() makes it before a sandboxed child is forked, for the
 * inputs that will surely need it (images, PDFs in mode=always): the
 * child inherits it, language data and all, copy-on-write.  A PDF in
 * mode=auto may need no OCR at all, so its child makes the engine on the
 * first page that needs it, reading the language data read-only, which
 * the filter allows.
 */
#include "extract/ocr.h"

#include "core/detect.h"
#include "extract/extract.h"
#include "util/exitcode.h"
#include "util/hash.h"

#include <string.h>

#include "util/banned.h"

void
dp_ocr_options_from_config(const DpConfig *cfg, DpOcrOptions *opt)
{
	g_autofree char *mode = dp_config_get_string(cfg, "ocr", "mode");
	opt->mode = g_strcmp0(mode, "never") == 0    ? DP_OCR_NEVER
	            : g_strcmp0(mode, "always") == 0 ? DP_OCR_ALWAYS
	                                             : DP_OCR_AUTO;
	opt->dpi = (guint)dp_config_get_int(cfg, "ocr", "dpi");
	opt->languages = dp_config_get_string(cfg, "ocr", "languages");
	if (opt->languages == NULL || *opt->languages == '\0') {
		g_free(opt->languages);
		opt->languages = g_strdup("eng");
	}
	opt->page_time_limit = (guint)dp_config_get_int(cfg, "ocr", "page-time-limit");
	opt->words = dp_config_get_bool(cfg, "ocr", "words");
}

void
dp_ocr_options_clear(DpOcrOptions *opt)
{
	g_clear_pointer(&opt->languages, g_free);
}

void
dp_ocr_page_clear(DpOcrPage *page)
{
	if (page->text != NULL)
		g_string_free(page->text, TRUE);
	if (page->words != NULL)
		g_array_free(page->words, TRUE);
	memset(page, 0, sizeof *page);
}

/* The module's entry points, resolved once. */
static GMutex load_lock;
static gboolean load_tried;
static DpOcrInitFn init_fn;
static DpOcrGreyFn grey_fn;
static DpOcrVersionFn version_fn;
static char *load_why;

static gboolean
ocr_load(GError **error)
{
	g_mutex_lock(&load_lock);
	if (!load_tried) {
		load_tried = TRUE;
		init_fn = (DpOcrInitFn)dp_module_symbol(DP_MODULE_OCR, "dp_ocr_init_module", &load_why);
		if (init_fn != NULL)
			grey_fn =
			    (DpOcrGreyFn)dp_module_symbol(DP_MODULE_OCR, "dp_ocr_recognize_grey_module", &load_why);
		if (grey_fn != NULL)
			version_fn =
			    (DpOcrVersionFn)dp_module_symbol(DP_MODULE_OCR, "dp_ocr_version_module", &load_why);
	}
	gboolean ok = init_fn != NULL && grey_fn != NULL && version_fn != NULL;
	g_mutex_unlock(&load_lock);
	if (!ok)
		g_set_error(error, DP_ERROR, DP_EXIT_SOFTWARE, "OCR is not available: %s",
		            load_why ? load_why : "docpipe-ocr.so not found");
	return ok;
}

gboolean
dp_ocr_recognize_grey(const DpOcrOptions *opt, const guint8 *grey, int width, int height, int stride, int ppi,
                      DpOcrPage *page, GError **error)
{
	if (!ocr_load(error) || !init_fn(opt->languages, error))
		return FALSE;
	return grey_fn(opt, grey, width, height, stride, ppi, page, error);
}

static gboolean ocr_used;

void
dp_ocr_note_used(void)
{
	ocr_used = TRUE;
}

void
dp_ocr_preload(const DpConfig *cfg, const char *type)
{
	/*
	 * As extract/module.c does before it loads docpipe-ocr.so, but here
	 * on the main thread before any fork: the module may first be loaded
	 * on a thread extracting a mailbox's messages, where setenv() would
	 * race with other threads' getenv().
	 */
	g_setenv("OMP_THREAD_LIMIT", "1", FALSE);
	if (type == NULL)
		return;
	DpOcrOptions opt = { 0 };
	dp_ocr_options_from_config(cfg, &opt);
	gboolean sure = opt.mode != DP_OCR_NEVER && (ocr_used || dp_extract_module_of(type) == DP_MODULE_OCR ||
	                                             (opt.mode == DP_OCR_ALWAYS && g_str_equal(type, DP_TYPE_PDF)));
	if (sure && ocr_load(NULL))
		(void)init_fn(opt.languages, NULL);
	dp_ocr_options_clear(&opt);
}

char *
dp_ocr_language_data(const char *languages)
{
	g_autofree char *missing = dp_config_tessdata_missing(languages ? languages : "eng");
	if (missing != NULL)
		return g_steal_pointer(&missing);
	g_autofree char *dir = dp_config_tessdata_dir();
	g_auto(GStrv) langs = g_strsplit(languages ? languages : "eng", "+", -1);
	GString *s = g_string_new(NULL);
	for (guint i = 0; langs[i] != NULL; i++) {
		g_autofree char *file = g_strdup_printf("%s/%s.traineddata", dir, langs[i]);
		g_autoptr(GMappedFile) mf = g_mapped_file_new(file, FALSE, NULL);
		g_autofree char *sum =
		    mf ? dp_sha256_hex((const guint8 *)g_mapped_file_get_contents(mf), g_mapped_file_get_length(mf))
		       : NULL;
		g_string_append_printf(s, "%s%s: %s sha256:%.16s", i ? "; " : "", langs[i], file,
		                       sum ? sum : "unreadable");
	}
	return g_string_free(s, FALSE);
}

char *
dp_ocr_engine_version(void)
{
	if (!ocr_load(NULL))
		return NULL;
	return g_strdup_printf("tesseract %s", version_fn());
}
