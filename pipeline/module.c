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
 * The module is looked for in $DOCPIPE_MODULE_DIR, then beside the running
 * program (the build tree, bin/), then in ../lib/docpipe relative to it
 * (an installed tree), then one level up (bin/tests/).
 */
#include "docpipe.h"

#include <gmodule.h>

static DpExtractorFn
load_extractor(const char *module, const char *symbol, char **why)
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
		/* Resident: a loaded extractor stays for the life of the process. */
		GModule *m = g_module_open(path, G_MODULE_BIND_LOCAL);
		gpointer fn = NULL;
		if (m != NULL && g_module_symbol(m, symbol, &fn) && fn != NULL) {
			g_module_make_resident(m);
			return (DpExtractorFn)fn;
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

static gboolean
run_module(ModuleExtractor *me, DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static GMutex lock;
	g_mutex_lock(&lock);
	if (!me->tried) {
		me->fn = load_extractor(me->module, me->symbol, &me->why);
		me->tried = TRUE;
	}
	g_mutex_unlock(&lock);
	if (me->fn == NULL) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "%s support is not available: %s", me->what, me->why);
		return TRUE;
	}
	return me->fn(ctx, doc, error);
}

gboolean
dp_extract_pdf(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static ModuleExtractor me = { "docpipe-pdf", "dp_extract_pdf_module", "PDF", FALSE, NULL, NULL };
	return run_module(&me, ctx, doc, error);
}

gboolean
dp_extract_mail(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static ModuleExtractor me = { "docpipe-mail", "dp_extract_mail_module", "E-mail", FALSE, NULL, NULL };
	return run_module(&me, ctx, doc, error);
}

gboolean
dp_extract_zip(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static ModuleExtractor me = { "docpipe-zip", "dp_extract_zip_module", "Zip", FALSE, NULL, NULL };
	return run_module(&me, ctx, doc, error);
}
