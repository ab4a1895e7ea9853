/*
 * NAME
 *	moddir.c - where loadable modules are looked for, and opening one
 *
 * DESCRIPTION
 *	A module is looked for in $DOCPIPE_MODULE_DIR, then beside the running
 *	program (the build tree, bin/), then in ../lib/docpipe relative to it
 *	(an installed tree), then one level up (bin/tests/), and last in
 *	MODULE_DIR, the directory `make install` puts them in (given by the
 *	Makefile: PREFIX/lib/docpipe, /usr/lib/docpipe in the Debian
 *	package).  The compiled-in directory comes last so that a build tree
 *	never loads the modules of an older installed docpipe.  The extractor
 *	modules (extract/module.c) and libphonenumber's (redact/phone.c) are
 *	found the same way.
 *
 *	The two PDF modules are opened with their own libraries searched
 *	first for their symbols (RTLD_DEEPBIND, see deep_bound()).
 *
 * SECURITY
 *	Those directories are trusted like the programs themselves: a module
 *	runs with the program's rights.
 */
#define _GNU_SOURCE /* RTLD_DEEPBIND */
#include "util/moddir.h"

#include <dlfcn.h>

#include "util/banned.h"

#ifndef DP_MODULE_DIR
#define DP_MODULE_DIR "/usr/local/lib/docpipe"
#endif

/* The directories a module is looked for in, first first. */
static GPtrArray *
module_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("DOCPIPE_MODULE_DIR");
	if (env != NULL && *env != '\0')
		g_ptr_array_add(dirs, g_strdup(env));
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe != NULL) {
		g_autofree char *dir = g_path_get_dirname(exe);
		g_ptr_array_add(dirs, g_strdup(dir));
		/* Canonical ("/usr/lib/docpipe", not "/usr/bin/../lib/docpipe"), for the messages. */
		g_autofree char *lib = g_build_filename(dir, "..", "lib", "docpipe", NULL);
		g_autofree char *up = g_build_filename(dir, "..", NULL);
		g_ptr_array_add(dirs, g_canonicalize_filename(lib, NULL));
		g_ptr_array_add(dirs, g_canonicalize_filename(up, NULL));
	}
	g_ptr_array_add(dirs, g_strdup(DP_MODULE_DIR));
	return dirs;
}

/* Whether M has every one of SYMBOLS, their addresses into ADDRS. */
static gboolean
has_symbols(GModule *m, const char *const *symbols, gpointer *addrs)
{
	for (guint i = 0; symbols[i] != NULL; i++)
		if (!g_module_symbol(m, symbols[i], &addrs[i]) || addrs[i] == NULL)
			return FALSE;
	return TRUE;
}

/* Built with a sanitizer that intercepts dlopen() (see deep_bound()). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/*
 * Whether MODULE is opened with RTLD_DEEPBIND: each library it brings
 * looks a symbol up in the module's own libraries before the program's.
 * Poppler's libraries refer to thousands of their own symbols; looked up
 * the usual way, each first misses in the program and the nine libraries
 * it starts with, which cost docpipe-pdftext.so 3.7 million instructions
 * more to load than pdftotext pays for the same libraries, and a PDF read
 * by docpipe-pdf.so (poppler-glib, cairo, GIO: 52 libraries) 9 million of
 * its 40 (callgrind, issue 13).  None of those libraries defines a symbol
 * the program defines but GLib's two constant tables, equal in both
 * places.
 * The sanitizers refuse RTLD_DEEPBIND (their allocator must see every
 * call), so builds with them load the modules the usual way.
 */
static gboolean
deep_bound(const char *module)
{
	return !SANITIZED && (g_str_equal(module, "docpipe-pdftext") || g_str_equal(module, "docpipe-pdf"));
}

GModule *
dp_moddir_open(const char *module, const char *const *symbols, gpointer *addrs, char **why)
{
	g_autoptr(GPtrArray) dirs = module_dirs();
	g_autoptr(GString) tried = g_string_new(NULL);
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree char *path = g_strdup_printf("%s/%s.so", (char *)dirs->pdata[i], module);
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		/*
		 * Lazy: resolving every symbol of Poppler's C++ libraries up front
		 * (RTLD_NOW) costs more than extracting a small PDF.  Resident: a
		 * loaded module stays for the life of the process.
		 */
		/*
		 * GModule has no flag for RTLD_DEEPBIND: the module is opened with
		 * it first, and g_module_open() then finds it loaded.
		 */
		void *deep = deep_bound(module) ? dlopen(path, RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND) : NULL;
		GModule *m = g_module_open(path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
		if (deep != NULL)
			dlclose(deep);
		if (m != NULL && has_symbols(m, symbols, addrs)) {
			g_module_make_resident(m);
			return m;
		}
		g_string_append_printf(tried, "%s%s", tried->len ? "; " : "", g_module_error());
		if (m != NULL)
			g_module_close(m);
	}
	*why = tried->len ? g_strdup(tried->str) : g_strdup_printf("%s.so not found", module);
	return NULL;
}
