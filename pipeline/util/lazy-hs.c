/*
 * lazy-hs.c: Hyperscan's compiler, loaded by the first redaction rule set
 * that is not in the database cache.
 *
 * Hyperscan ships as two libraries: libhs, the compiler and the scanner,
 * written in C++ (libstdc++ behind it), and libhs_runtime, the scanner
 * alone in C (hs_scan(), hs_deserialize_database(), scratch space).  A
 * redaction run compiles its rules only when the database cache
 * (redact/redact.c) misses; every other run deserializes and scans.  So
 * the programs link libhs_runtime, and the three compiler functions the
 * code calls are wrappers here that open libhs with dlopen() on first use
 * (util/lazylib.c).  Linking libhs instead cost the dynamic linker about
 * 0.5 million instructions at every start (callgrind, a tenth of a
 * `docpipe convert` of a small text), and more than that once nothing
 * else needs libstdc++.  Both libraries come from the same package
 * (libhyperscan5), so a database libhs compiles is one libhs_runtime
 * scans.
 *
 * hs_populate_platform() is only in libhs, and redact/redact.c calls it
 * on every run for the cache key; opening libhs for it would undo the
 * saving.  It is therefore answered here, without libhs: the CPU features
 * Hyperscan compiles for (AVX2, AVX-512, AVX-512 VBMI, as the processor and
 * the kernel support them) and the generic tuning.  The tuning only steers
 * the compiler's choices, never what a database matches, so a cache entry
 * shared by two processors of different families but the same features is
 * still right.
 *
 * hs_compile_multi() returns HS_COMPILER_ERROR with no error record when
 * libhs cannot be opened; redact/redact.c reads the record, so the wrapper
 * makes one that hs_free_compile_error() releases.  The wrappers are
 * hidden, as in util/lazy-sqlite.c: libhs's calls of its own functions
 * must not come back here.
 */
#pragma GCC visibility push(hidden)
#include <hs/hs.h>
#pragma GCC visibility pop

#include "util/lazylib.h"

#include "util/banned.h"

static DpLazyLib libhs = DP_LAZYLIB_INIT("libhs.so.5");

/* The message of the error record made when libhs cannot be opened. */
static char unavailable_message[] = "Hyperscan's compiler (libhs.so.5) cannot be opened";
static hs_compile_error_t unavailable = { unavailable_message, -1 };

hs_error_t
hs_compile_multi(const char *const *expressions, const unsigned int *flags, const unsigned int *ids,
                 unsigned int elements, unsigned int mode, const hs_platform_info_t *platform, hs_database_t **db,
                 hs_compile_error_t **error)
{
	static hs_error_t (*volatile fn)(const char *const *, const unsigned int *, const unsigned int *, unsigned int,
	                                 unsigned int, const hs_platform_info_t *, hs_database_t **,
	                                 hs_compile_error_t **);
	if (fn == NULL)
		fn = (hs_error_t(*)(const char *const *, const unsigned int *, const unsigned int *, unsigned int,
		                    unsigned int, const hs_platform_info_t *, hs_database_t **,
		                    hs_compile_error_t **))dp_lazylib_sym(&libhs, "hs_compile_multi");
	if (fn == NULL) {
		*db = NULL;
		*error = &unavailable;
		return HS_COMPILER_ERROR;
	}
	return fn(expressions, flags, ids, elements, mode, platform, db, error);
}

hs_error_t
hs_free_compile_error(hs_compile_error_t *error)
{
	if (error == NULL || error == &unavailable)
		return HS_SUCCESS;
	static hs_error_t (*volatile fn)(hs_compile_error_t *);
	if (fn == NULL)
		fn = (hs_error_t(*)(hs_compile_error_t *))dp_lazylib_sym(&libhs, "hs_free_compile_error");
	return fn != NULL ? fn(error) : HS_SUCCESS;
}

hs_error_t
hs_populate_platform(hs_platform_info_t *platform)
{
	if (platform == NULL)
		return HS_INVALID;
	platform->tune = HS_TUNE_FAMILY_GENERIC;
	platform->cpu_features = 0;
	platform->reserved1 = 0;
	platform->reserved2 = 0;
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		platform->cpu_features |= HS_CPU_FEATURES_AVX2;
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
		platform->cpu_features |= HS_CPU_FEATURES_AVX512;
	if (__builtin_cpu_supports("avx512vbmi"))
		platform->cpu_features |= HS_CPU_FEATURES_AVX512VBMI;
	return HS_SUCCESS;
}
