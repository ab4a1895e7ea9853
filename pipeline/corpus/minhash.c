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

static guint64
fnv1a(const char *p, gsize n)
{
	guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325);
	for (gsize i = 0; i < n; i++) {
		h ^= (guint8)p[i];
		h *= G_GUINT64_CONSTANT(0x100000001b3);
	}
	return mix64(h);
}

static void
fold_shingle(DpMinhash *out, const guint64 *params, guint64 h)
{
	for (guint i = 0; i < DP_MINHASH_K; i++) {
		guint32 v = (guint32)((params[2 * i] * h + params[2 * i + 1]) >> 32);
		if (v < out->v[i])
			out->v[i] = v;
	}
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
		fold_shingle(out, params, fnv1a(norm, len));
		return TRUE;
	}
	for (guint i = 0; i + shingle <= n; i++) {
		gsize a = g_array_index(starts, gsize, i);
		gsize b = i + shingle < n ? g_array_index(starts, gsize, i + shingle) - 1 : len;
		fold_shingle(out, params, fnv1a(norm + a, b - a));
	}
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
