/*
 * module.c: extractors that live in loadable modules.
 *
 * Poppler, GMime and libzip, with the libraries they pull in, cost
 * milliseconds of dynamic linking at every program start, more than all
 * the rest of a small conversion, so their extractors are built as
 * docpipe-pdf.so, docpipe-mail.so and docpipe-zip.so and loaded the first
 * time such a document is met.  The programs export the shared library's symbols
 * (--export-dynamic), which the module calls back into.
 *
 * docpipe-ocr.so (Tesseract and Leptonica) is loaded the same way, through
 * dp_module_symbol(), by extract/ocrload.c.
 *
 * The module is looked for in $DOCPIPE_MODULE_DIR, then beside the running
 * program (the build tree, bin/), then in ../lib/docpipe relative to it
 * (an installed tree), then one level up (bin/tests/).
 */
#include "core/detect.h"
#include "extract/extract.h"
#include "util/exitcode.h"

#include <gmodule.h>

#include "util/banned.h"

gpointer
dp_module_symbol(const char *module, const char *symbol, char **why)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("DOCPIPE_MODULE_DIR");
	if (env != NULL && *env != '\0')
		g_ptr_array_add(dirs, g_strdup(env));
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe != NULL) {
		g_autofree char *dir = g_path_get_dirname(exe);
		g_ptr_array_add(dirs, g_strdup(dir));
		g_ptr_array_add(dirs, g_build_filename(dir, "..", "lib", "docpipe", NULL));
		g_ptr_array_add(dirs, g_build_filename(dir, "..", NULL));
	}
	g_autoptr(GString) tried = g_string_new(NULL);
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree char *path = g_strdup_printf("%s/%s.so", (char *)dirs->pdata[i], module);
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		/*
		 * Lazy: resolving every symbol of Poppler's C++ libraries up front
		 * (RTLD_NOW) costs more than extracting a small PDF.  Resident: a
		 * loaded extractor stays for the life of the process.
		 */
		GModule *m = g_module_open(path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
		gpointer fn = NULL;
		if (m != NULL && g_module_symbol(m, symbol, &fn) && fn != NULL) {
			g_module_make_resident(m);
			return fn;
		}
		g_string_append_printf(tried, "%s%s", tried->len ? "; " : "", g_module_error());
		if (m != NULL)
			g_module_close(m);
	}
	*why = tried->len ? g_strdup(tried->str) : g_strdup_printf("%s.so not found", module);
	return NULL;
}

/* One loaded (or failed) module extractor. */
typedef struct {
	const char *module, *symbol, *what;
	gboolean tried;
	DpExtractorFn fn;
	char *why;
} ModuleExtractor;

static ModuleExtractor pdf_module = { "docpipe-pdf", "dp_extract_pdf_module", "PDF", FALSE, NULL, NULL };
static ModuleExtractor mail_module = { "docpipe-mail", "dp_extract_mail_module", "E-mail", FALSE, NULL, NULL };
static ModuleExtractor zip_module = { "docpipe-zip", "dp_extract_zip_module", "Zip", FALSE, NULL, NULL };
static GMutex module_lock;

static DpExtractorFn
module_load(ModuleExtractor *me)
{
	g_mutex_lock(&module_lock);
	if (!me->tried) {
		me->fn = (DpExtractorFn)dp_module_symbol(me->module, me->symbol, &me->why);
		me->tried = TRUE;
	}
	g_mutex_unlock(&module_lock);
	return me->fn;
}

static gboolean
run_module(ModuleExtractor *me, DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	DpExtractorFn fn = module_load(me);
	if (fn == NULL) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "%s support is not available: %s", me->what, me->why);
		return TRUE;
	}
	return fn(ctx, doc, error);
}

/* The module that extracts TYPE, or NULL when it is built in. */
static ModuleExtractor *
module_of(const char *type)
{
	if (type == NULL)
		return NULL;
	if (g_str_equal(type, DP_TYPE_PDF))
		return &pdf_module;
	if (g_str_equal(type, DP_TYPE_RFC822) || g_str_equal(type, DP_TYPE_MBOX) || g_str_equal(type, DP_TYPE_MAILDIR))
		return &mail_module;
	if (g_str_equal(type, DP_TYPE_ZIP))
		return &zip_module;
	return NULL;
}

void
dp_extract_preload(const char *type)
{
	ModuleExtractor *me = module_of(type);
	if (me != NULL)
		module_load(me);
}

/*
 * One PDF at a time per process: the messages of a mailbox are extracted
 * on several threads (extract/pool.c), and Poppler's global state (fonts,
 * caches) is not made for that.  Recursive: an attachment of a PDF may be
 * a PDF.
 */
static GRecMutex pdf_lock;

gboolean
dp_extract_pdf(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	g_rec_mutex_lock(&pdf_lock);
	gboolean ok = run_module(&pdf_module, ctx, doc, error);
	g_rec_mutex_unlock(&pdf_lock);
	return ok;
}

gboolean
dp_extract_mail(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	return run_module(&mail_module, ctx, doc, error);
}

gboolean
dp_extract_zip(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	return run_module(&zip_module, ctx, doc, error);
}
