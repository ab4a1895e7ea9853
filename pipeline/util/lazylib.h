/*
 * lazylib.h: a shared library opened on its first use instead of at
 * start-up.
 *
 * Every library an executable names is loaded and relocated by the
 * dynamic linker before main(), whether the run needs it or not; most of
 * the cost of a small `docpipe convert` is that relocation.  A library
 * that only some commands need is reached instead through small wrappers
 * (util/lazy-sqlite.c) that open it with dlopen() when first called.
 */
#ifndef DOCPIPE_LAZYLIB_H
#define DOCPIPE_LAZYLIB_H

#include <glib.h>

/* One library opened on demand; define it with DP_LAZYLIB_INIT(). */
typedef struct {
	const char *soname; /* as dlopen() takes it, e.g. "libsqlite3.so.0" */
	GOnce once;
	void *handle;  /* NULL until opened, or when it could not be */
	char *message; /* why it could not be opened */
} DpLazyLib;

#define DP_LAZYLIB_INIT(soname)                                                                                        \
	{                                                                                                              \
		(soname), G_ONCE_INIT, NULL, NULL                                                                      \
	}

/*
 * Open LIB (once per process, whatever the threads).  Returns FALSE with
 * ERROR (DP_EXIT_UNAVAILABLE) naming the library when it cannot be
 * opened; every later call answers the same.
 */
gboolean dp_lazylib_open(DpLazyLib *lib, GError **error);

/*
 * The address of SYMBOL in LIB, opened if it was not, or NULL when LIB
 * cannot be opened.  A symbol missing from a library that opened is a
 * broken installation: it aborts with a message.
 */
gpointer dp_lazylib_sym(DpLazyLib *lib, const char *symbol);

/* Why LIB could not be opened, or NULL when it was (or was not tried). */
const char *dp_lazylib_message(DpLazyLib *lib);

/*
 * One wrapper, in a lazy-*.c file: RET NAME PARAMS calls the function
 * NAME of LIB (a DpLazyLib) with ARGS, or returns FAIL when LIB could not
 * be opened.  The address is looked up once; two threads racing on the
 * first call store the same value.
 */
#define DP_LAZY_FN(lib, ret, name, params, args, fail)                                                                 \
	ret name params                                                                                                \
	{                                                                                                              \
		static ret(*volatile fn_) params;                                                                      \
		if (fn_ == NULL)                                                                                       \
			fn_ = (ret(*) params)dp_lazylib_sym(&(lib), #name);                                            \
		if (fn_ == NULL)                                                                                       \
			return fail;                                                                                   \
		return fn_ args;                                                                                       \
	}

/* The same for a function without a result: nothing happens when LIB could not be opened. */
#define DP_LAZY_VOID(lib, name, params, args)                                                                          \
	void name params                                                                                               \
	{                                                                                                              \
		static void(*volatile fn_) params;                                                                     \
		if (fn_ == NULL)                                                                                       \
			fn_ = (void(*) params)dp_lazylib_sym(&(lib), #name);                                           \
		if (fn_ != NULL)                                                                                       \
			fn_ args;                                                                                      \
	}

#endif
