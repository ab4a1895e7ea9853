/*
 * NAME
 *	minhash.c - word-shingle MinHash signatures and their LSH bands
 *
 * DESCRIPTION
 *	A text's shingles are its runs of SHINGLE consecutive words (after
 *	dp_minhash_normalize: letters and digits, case-folded).  Each
 *	shingle is hashed to 64 bits (FNV-1a, then a 64-bit finalizer),
 *	and each of the DP_MINHASH_K values of the signature is the minimum,
 *	over the shingles, of one multiply-shift hash of it: the chance that
 *	two texts agree on one value is the Jaccard similarity of their
 *	shingle sets, so the share of values they agree on estimates it
 *	(standard error sqrt(J(1-J)/K), 0.027 at 0.9 with K=128).
 *
 *	The signature is cut into DP_MINHASH_BANDS bands of DP_MINHASH_ROWS
 *	values; two texts are candidates when they agree on a whole band.
 *	With 16 bands of 8, texts of similarity 0.9 are candidates with
 *	probability 0.9999, of 0.8 with 0.95, and of 0.5 with 0.06: grouping
 *	(corpus/dups.c) compares candidates only, never all pairs.
 *
 *	Signing a 1 MiB text is ~200,000 shingles times 128 values: the
 *	shingle hashes are collected first (four shingles hashed at a time),
 *	then folded by the widest of three folds the CPU has (AVX-512DQ,
 *	AVX2, scalar), chosen at run time; all give the same values, which
 *	tests/unit/minhash-test.c checks against the first, scalar version.
 *
 *	The constants are fixed: signatures made by one build are compared
 *	with those of another (a shard, an earlier run), so changing them
 *	changes the database format (corpus/corpusdb.c checks a version).
 *
 * SECURITY
 *	The text is a document's (untrusted), already decoded to valid
 *	UTF-8 by extraction; it is only scanned once, in linear time.
 */
#include "corpus/minhash.h"

#include <string.h>

#include "util/banned.h"

GString *
dp_minhash_normalize(const char *text, gsize len)
{
	GString *out = g_string_sized_new(len);
	const char *end = text + len;
	gboolean in_word = FALSE;
	for (const char *p = text; p < end;) {
		/* ASCII, most of most texts: the same answers as below without the Unicode tables. */
		if ((guchar)*p < 0x80) {
			char a = *p++;
			if (!g_ascii_isalnum(a)) {
				in_word = FALSE;
				continue;
			}
			if (!in_word && out->len > 0)
				g_string_append_c(out, ' ');
			in_word = TRUE;
			g_string_append_c(out, g_ascii_tolower(a));
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			p++;
			in_word = FALSE;
			continue;
		}
		p = g_utf8_next_char(p);
		if (!g_unichar_isalnum(c)) {
			in_word = FALSE;
			continue;
		}
		if (!in_word && out->len > 0)
			g_string_append_c(out, ' ');
		in_word = TRUE;
		/* Simple case folding, one character at a time: no allocation per word. */
		g_string_append_unichar(out, g_unichar_tolower(c));
	}
	return out;
}

static inline guint64
mix64(guint64 x)
{
	x ^= x >> 33;
	x *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* The multipliers and offsets of the K hashes: splitmix64 from a fixed seed. */
static const guint64 *
hash_params(void)
{
	static guint64 params[2 * DP_MINHASH_K];
	static gsize done;
	if (g_once_init_enter(&done)) {
		guint64 s = G_GUINT64_CONSTANT(0x646f6370697065); /* "docpipe" */
		for (guint i = 0; i < 2 * DP_MINHASH_K; i++) {
			s += G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
			params[i] = mix64(s);
		}
		for (guint i = 0; i < DP_MINHASH_K; i++)
			params[2 * i] |= 1; /* odd multipliers */
		g_once_init_leave(&done, 1);
	}
	return params;
}

#define FNV_BASIS G_GUINT64_CONSTANT(0xcbf29ce484222325)
#define FNV_PRIME G_GUINT64_CONSTANT(0x100000001b3)

/* FNV-1a of P[FROM..N), continuing from H. */
static guint64
fnv1a_from(guint64 h, const char *p, gsize from, gsize n)
{
	for (gsize i = from; i < n; i++)
		h = (h ^ (guint8)p[i]) * FNV_PRIME;
	return h;
}

static guint64
fnv1a(const char *p, gsize n)
{
	return mix64(fnv1a_from(FNV_BASIS, p, 0, n));
}

/*
 * The hashes of four byte strings P[J] of N[J] bytes, as fnv1a.  Each
 * byte of FNV-1a waits for the multiply of the one before it (a few
 * cycles): four independent strings, a byte of each in turn, keep the
 * multiplier busy.  Neighbouring shingles have nearly the same length,
 * so the common length is most of each.
 */
static void
fnv1a_4(const char *const p[4], const gsize n[4], guint64 out[4])
{
	guint64 h0 = FNV_BASIS, h1 = FNV_BASIS, h2 = FNV_BASIS, h3 = FNV_BASIS;
	gsize m = MIN(MIN(n[0], n[1]), MIN(n[2], n[3]));
	for (gsize k = 0; k < m; k++) {
		h0 = (h0 ^ (guint8)p[0][k]) * FNV_PRIME;
		h1 = (h1 ^ (guint8)p[1][k]) * FNV_PRIME;
		h2 = (h2 ^ (guint8)p[2][k]) * FNV_PRIME;
		h3 = (h3 ^ (guint8)p[3][k]) * FNV_PRIME;
	}
	out[0] = mix64(fnv1a_from(h0, p[0], m, n[0]));
	out[1] = mix64(fnv1a_from(h1, p[1], m, n[1]));
	out[2] = mix64(fnv1a_from(h2, p[2], m, n[2]));
	out[3] = mix64(fnv1a_from(h3, p[3], m, n[3]));
}

/*
 * Fold hashes H[0..N) into OUT: value I is the minimum over them of the
 * high half of params[2I] * h + params[2I+1] (mod 2^64).  The portable
 * version, one multiply per value and hash.
 */
static void
fold_scalar(DpMinhash *out, const guint64 *params, const guint64 *h, gsize n)
{
	for (gsize j = 0; j < n; j++)
		for (guint i = 0; i < DP_MINHASH_K; i++) {
			guint32 v = (guint32)((params[2 * i] * h[j] + params[2 * i + 1]) >> 32);
			if (v < out->v[i])
				out->v[i] = v;
		}
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/*
 * The same with AVX2, four values at a time.  There is no 64-bit
 * multiply across lanes, but the low 64 bits of a*h are
 * aL*hL + ((aH*hL + aL*hH) << 32) with 32x32->64 multiplies
 * (_mm256_mul_epu32 reads the low half of each 64-bit lane).  The minimum
 * is taken of the 32-bit halves, as in fold_avx512: the high half of each
 * lane is the value, the low one is never read.  The hashes are taken in blocks that stay in
 * the first-level cache while eight values at a time run over them in
 * registers.
 */
__attribute__((target("avx2"))) static void
fold_avx2(DpMinhash *out, const guint64 *params, const guint64 *h, gsize n)
{
	enum { BLOCK = 2048 };
	for (gsize j0 = 0; j0 < n; j0 += BLOCK) {
		gsize j1 = MIN(n, j0 + BLOCK);
		for (guint i = 0; i < DP_MINHASH_K; i += 8) {
			__m256i a0 = _mm256_set_epi64x((gint64)params[2 * i + 6], (gint64)params[2 * i + 4],
			                               (gint64)params[2 * i + 2], (gint64)params[2 * i]);
			__m256i b0 = _mm256_set_epi64x((gint64)params[2 * i + 7], (gint64)params[2 * i + 5],
			                               (gint64)params[2 * i + 3], (gint64)params[2 * i + 1]);
			__m256i a1 = _mm256_set_epi64x((gint64)params[2 * i + 14], (gint64)params[2 * i + 12],
			                               (gint64)params[2 * i + 10], (gint64)params[2 * i + 8]);
			__m256i b1 = _mm256_set_epi64x((gint64)params[2 * i + 15], (gint64)params[2 * i + 13],
			                               (gint64)params[2 * i + 11], (gint64)params[2 * i + 9]);
			__m256i ah0 = _mm256_srli_epi64(a0, 32);
			__m256i ah1 = _mm256_srli_epi64(a1, 32);
			guint64 r[8];
			for (guint k = 0; k < 8; k++)
				r[k] = (guint64)out->v[i + k] << 32;
			__m256i m0 = _mm256_loadu_si256((const __m256i *)(const void *)r);
			__m256i m1 = _mm256_loadu_si256((const __m256i *)(const void *)(r + 4));
			for (gsize j = j0; j < j1; j++) {
				__m256i hv = _mm256_set1_epi64x((gint64)h[j]);
				__m256i hh = _mm256_srli_epi64(hv, 32);
				__m256i c0 = _mm256_add_epi64(_mm256_mul_epu32(ah0, hv), _mm256_mul_epu32(a0, hh));
				__m256i c1 = _mm256_add_epi64(_mm256_mul_epu32(ah1, hv), _mm256_mul_epu32(a1, hh));
				__m256i t0 = _mm256_add_epi64(_mm256_mul_epu32(a0, hv), _mm256_slli_epi64(c0, 32));
				__m256i t1 = _mm256_add_epi64(_mm256_mul_epu32(a1, hv), _mm256_slli_epi64(c1, 32));
				m0 = _mm256_min_epu32(m0, _mm256_add_epi64(t0, b0));
				m1 = _mm256_min_epu32(m1, _mm256_add_epi64(t1, b1));
			}
			_mm256_storeu_si256((__m256i *)r, m0);
			_mm256_storeu_si256((__m256i *)(r + 4), m1);
			for (guint k = 0; k < 8; k++)
				out->v[i + k] = (guint32)(r[k] >> 32);
		}
	}
}

/*
 * With AVX-512DQ there is a 64-bit multiply across lanes: eight values at
 * a time, a multiply, an add and a minimum each.  The minimum is taken of
 * the 32-bit halves: the high one of each lane is the value, the low one
 * is never read.
 */
__attribute__((target("avx512f,avx512dq"))) static void
fold_avx512(DpMinhash *out, const guint64 *params, const guint64 *h, gsize n)
{
	enum { BLOCK = 2048 };
	const __m512i idx = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
	for (gsize j0 = 0; j0 < n; j0 += BLOCK) {
		gsize j1 = MIN(n, j0 + BLOCK);
		for (guint i = 0; i < DP_MINHASH_K; i += 16) {
			const long long *pp = (const long long *)(const void *)(params + 2 * i);
			__m512i a0 = _mm512_i64gather_epi64(idx, pp, 8);
			__m512i b0 = _mm512_i64gather_epi64(idx, pp + 1, 8);
			__m512i a1 = _mm512_i64gather_epi64(idx, pp + 16, 8);
			__m512i b1 = _mm512_i64gather_epi64(idx, pp + 17, 8);
			guint64 r[16];
			for (guint k = 0; k < 16; k++)
				r[k] = (guint64)out->v[i + k] << 32;
			__m512i m0 = _mm512_loadu_si512(r);
			__m512i m1 = _mm512_loadu_si512(r + 8);
			for (gsize j = j0; j < j1; j++) {
				__m512i hv = _mm512_set1_epi64((long long)h[j]);
				m0 = _mm512_min_epu32(m0, _mm512_add_epi64(_mm512_mullo_epi64(a0, hv), b0));
				m1 = _mm512_min_epu32(m1, _mm512_add_epi64(_mm512_mullo_epi64(a1, hv), b1));
			}
			_mm512_storeu_si512(r, m0);
			_mm512_storeu_si512(r + 8, m1);
			for (guint k = 0; k < 16; k++)
				out->v[i + k] = (guint32)(r[k] >> 32);
		}
	}
}

/* The widest fold dp_minhash_sign may use (dp_minhash_use_fold). */
enum { FOLD_SCALAR, FOLD_AVX2, FOLD_AVX512 };
static guint fold_max = FOLD_AVX512;

static gboolean
cpu_has(guint level)
{
	switch (level) {
	case FOLD_AVX512: return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
	case FOLD_AVX2: return __builtin_cpu_supports("avx2");
	default: return TRUE;
	}
}

static void
fold(DpMinhash *out, const guint64 *params, const guint64 *h, gsize n)
{
	if (fold_max >= FOLD_AVX512 && cpu_has(FOLD_AVX512))
		fold_avx512(out, params, h, n);
	else if (fold_max >= FOLD_AVX2 && cpu_has(FOLD_AVX2))
		fold_avx2(out, params, h, n);
	else
		fold_scalar(out, params, h, n);
}
#else
enum { FOLD_SCALAR, FOLD_AVX2, FOLD_AVX512 };
static guint fold_max = FOLD_AVX512;

static gboolean
cpu_has(guint level)
{
	return level == FOLD_SCALAR;
}

static void
fold(DpMinhash *out, const guint64 *params, const guint64 *h, gsize n)
{
	fold_scalar(out, params, h, n);
}
#endif

gboolean
dp_minhash_use_fold(const char *name)
{
	static const char *const names[] = { "scalar", "avx2", "avx512" };
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (g_strcmp0(name, names[i]) == 0) {
			if (!cpu_has(i))
				return FALSE;
			fold_max = i;
			return TRUE;
		}
	return FALSE;
}

gboolean
dp_minhash_sign(const char *norm, guint shingle, DpMinhash *out)
{
	const guint64 *params = hash_params();
	for (guint i = 0; i < DP_MINHASH_K; i++)
		out->v[i] = G_MAXUINT32;
	if (shingle == 0)
		shingle = 1;
	/* The start of each word; a shingle runs from word I to the end of word I+SHINGLE-1. */
	g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	gsize len = strlen(norm);
	for (gsize i = 0; i < len; i++)
		if (i == 0 || norm[i - 1] == ' ')
			g_array_append_val(starts, i);
	guint n = starts->len;
	if (n == 0)
		return FALSE;
	if (n <= shingle) {
		guint64 h = fnv1a(norm, len);
		fold_scalar(out, params, &h, 1);
		return TRUE;
	}
	gsize count = n - shingle + 1;
	g_autofree guint64 *hashes = g_new(guint64, count);
	/* Shingle I is NORM[start(I), start(I + SHINGLE) - 1), the last one runs to the end. */
	const gsize *st = (const gsize *)(void *)starts->data;
	gsize i = 0;
	for (; i + 4 <= count; i += 4) {
		const char *p[4];
		gsize l[4];
		for (guint j = 0; j < 4; j++) {
			gsize a = st[i + j];
			gsize b = i + j + shingle < n ? st[i + j + shingle] - 1 : len;
			p[j] = norm + a;
			l[j] = b - a;
		}
		fnv1a_4(p, l, hashes + i);
	}
	for (; i < count; i++) {
		gsize a = st[i];
		gsize b = i + shingle < n ? st[i + shingle] - 1 : len;
		hashes[i] = fnv1a(norm + a, b - a);
	}
	fold(out, params, hashes, count);
	return TRUE;
}

double
dp_minhash_similarity(const DpMinhash *a, const DpMinhash *b)
{
	guint same = 0;
	for (guint i = 0; i < DP_MINHASH_K; i++)
		same += a->v[i] == b->v[i];
	return (double)same / DP_MINHASH_K;
}

guint64
dp_minhash_band(const DpMinhash *a, guint b)
{
	g_assert(b < DP_MINHASH_BANDS);
	guint64 h = b + 1;
	for (guint i = b * DP_MINHASH_ROWS; i < (b + 1) * DP_MINHASH_ROWS; i++)
		h = mix64(h ^ a->v[i]) + i;
	return h;
}

void
dp_minhash_to_bytes(const DpMinhash *a, guint8 out[DP_MINHASH_K * 4])
{
	for (guint i = 0; i < DP_MINHASH_K; i++) {
		out[4 * i] = (guint8)a->v[i];
		out[4 * i + 1] = (guint8)(a->v[i] >> 8);
		out[4 * i + 2] = (guint8)(a->v[i] >> 16);
		out[4 * i + 3] = (guint8)(a->v[i] >> 24);
	}
}

gboolean
dp_minhash_from_bytes(const guint8 *data, gsize len, DpMinhash *out)
{
	if (data == NULL || len != DP_MINHASH_K * 4)
		return FALSE;
	for (guint i = 0; i < DP_MINHASH_K; i++)
		out->v[i] = (guint32)data[4 * i] | (guint32)data[4 * i + 1] << 8 | (guint32)data[4 * i + 2] << 16 |
		            (guint32)data[4 * i + 3] << 24;
	return TRUE;
}

char *
dp_minhash_to_string(const DpMinhash *a)
{
	guint8 raw[DP_MINHASH_K * 4];
	dp_minhash_to_bytes(a, raw);
	return g_base64_encode(raw, sizeof raw);
}

gboolean
dp_minhash_from_string(const char *s, DpMinhash *out)
{
	/* Base64 of 512 bytes is 684 characters: anything else is not a signature. */
	if (s == NULL || strlen(s) != 684)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '+' && *p != '/' && *p != '=')
			return FALSE;
	gsize n = 0;
	g_autofree guint8 *raw = g_base64_decode(s, &n);
	return dp_minhash_from_bytes(raw, n, out);
}
