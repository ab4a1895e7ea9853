/*
 * lazylib.c: a shared library opened on its first use (lazylib.h).
 *
 * dlopen() with RTLD_LOCAL: the library's symbols stay out of the global
 * scope, so the modules loaded later (extract/module.c) cannot come to
 * depend on a library only some runs open.  RTLD_NOW: the few hundred
 * relocations are paid once, when the first call needs them anyway, and
 * a broken installation fails there rather than in the middle of a run.
 */
#include "util/lazylib.h"

#include "util/exitcode.h"

#include <dlfcn.h>

#include "util/banned.h"

static gpointer
lazylib_load(gpointer data)
{
	DpLazyLib *lib = data;
	lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (lib->handle == NULL) {
		const char *why = dlerror();
		lib->message = g_strdup(why != NULL ? why : "dlopen failed");
	}
	return lib->handle;
}

gboolean
dp_lazylib_open(DpLazyLib *lib, GError **error)
{
	if (g_once(&lib->once, lazylib_load, lib) != NULL)
		return TRUE;
	g_set_error(error, DP_ERROR, DP_EXIT_SOFTWARE, "cannot load %s: %s", lib->soname, lib->message);
	return FALSE;
}

gpointer
dp_lazylib_sym(DpLazyLib *lib, const char *symbol)
{
	if (!dp_lazylib_open(lib, NULL))
		return NULL;
	dlerror();
	gpointer fn = dlsym(lib->handle, symbol);
	if (fn == NULL)
		g_error("%s has no %s: %s", lib->soname, symbol, dlerror());
	return fn;
}

const char *
dp_lazylib_message(DpLazyLib *lib)
{
	return lib->message;
}
