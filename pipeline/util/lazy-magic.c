/*
 * lazy-magic.c: libmagic, loaded by the first input our own sniffers
 * cannot type (core/detect.c).
 *
 * Most inputs are typed by docpipe's sniffers alone, and libmagic is then
 * never called, but linking it (with liblzma and libbz2 behind it) cost the
 * dynamic linker 0.3 million instructions at every start (callgrind, about
 * 7% of a `docpipe convert` of an empty file).  So the programs are not
 * linked with it; the four functions core/detect.c calls are wrappers
 * here over util/lazylib.c.  The first call comes before the sandboxed
 * child is forked (dp_detect_magic_prepare()), so the child finds the
 * library loaded.
 *
 * When the library cannot be opened, magic_open() returns NULL, as
 * libmagic does when it cannot allocate a handle, and core/detect.c
 * treats the type as unknown; the other functions are reached only with
 * a handle magic_open() made.  The wrappers are hidden, as in
 * util/lazy-sqlite.c.
 */
#pragma GCC visibility push(hidden)
#include <magic.h>
#pragma GCC visibility pop

#include "util/lazylib.h"

#include "util/banned.h"

static DpLazyLib libmagic = DP_LAZYLIB_INIT("libmagic.so.1");

magic_t
magic_open(int flags)
{
	static magic_t (*volatile fn)(int);
	if (fn == NULL)
		fn = (magic_t(*)(int))dp_lazylib_sym(&libmagic, "magic_open");
	return fn != NULL ? fn(flags) : NULL;
}

int
magic_load(magic_t cookie, const char *file)
{
	static int (*volatile fn)(magic_t, const char *);
	if (fn == NULL)
		fn = (int (*)(magic_t, const char *))dp_lazylib_sym(&libmagic, "magic_load");
	return fn != NULL ? fn(cookie, file) : -1;
}

const char *
magic_buffer(magic_t cookie, const void *data, size_t len)
{
	static const char *(*volatile fn)(magic_t, const void *, size_t);
	if (fn == NULL)
		fn = (const char *(*)(magic_t, const void *, size_t))dp_lazylib_sym(&libmagic, "magic_buffer");
	return fn != NULL ? fn(cookie, data, len) : NULL;
}

void
magic_close(magic_t cookie)
{
	static void (*volatile fn)(magic_t);
	if (fn == NULL)
		fn = (void (*)(magic_t))dp_lazylib_sym(&libmagic, "magic_close");
	if (fn != NULL)
		fn(cookie);
}
