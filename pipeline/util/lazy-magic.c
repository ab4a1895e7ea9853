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

DP_LAZY_FN(libmagic, magic_t, magic_open, (int flags), (flags), NULL)
DP_LAZY_FN(libmagic, int, magic_load, (magic_t cookie, const char *file), (cookie, file), -1)
DP_LAZY_FN(libmagic, const char *, magic_buffer, (magic_t cookie, const void *data, size_t len), (cookie, data, len),
           NULL)
DP_LAZY_VOID(libmagic, magic_close, (magic_t cookie), (cookie))
