/*
 * module.c: extractors that live in loadable modules.
 *
 * Poppler and the libraries it pulls in cost ~10 ms of dynamic linking at
 * every program start, more than all the rest of a small conversion, so
 * the PDF extractor is built as docpipe-pdf.so and loaded the first time a
 * PDF is met.  The programs export the shared library's symbols
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

gboolean
dp_extract_pdf(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static GMutex lock;
	static gboolean tried;
	static DpExtractorFn fn;
	static char *why;
	g_mutex_lock(&lock);
	if (!tried) {
		fn = load_extractor("docpipe-pdf", "dp_extract_pdf_module", &why);
		tried = TRUE;
	}
	g_mutex_unlock(&lock);
	if (fn == NULL) {
		dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "PDF support is not available: %s", why);
		return TRUE;
	}
	return fn(ctx, doc, error);
}
