/*
 * minhash-test.c: dp_minhash_sign (corpus/minhash.c), which hashes four
 * shingles at a time and folds them with vector multiplies, gives exactly
 * the values of the first version, one scalar multiply per shingle and
 * value, kept here as the reference: signatures are stored in corpus
 * databases and compared with those of earlier runs, so not one value
 * may change.  So must dp_minhash_normalize's text, which now takes
 * ASCII without the Unicode tables.  Each fold (scalar, AVX2, AVX-512) is tested where the CPU
 * has it.
 */
#include "corpus/minhash.h"

#include "unit.h"

static guint64
ref_mix64(guint64 x)
{
	x ^= x >> 33;
	x *= G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static guint64
ref_fnv1a(const char *p, gsize n)
{
	guint64 h = G_GUINT64_CONSTANT(0xcbf29ce484222325);
	for (gsize i = 0; i < n; i++) {
		h ^= (guint8)p[i];
		h *= G_GUINT64_CONSTANT(0x100000001b3);
	}
	return ref_mix64(h);
}

static void
ref_fold(DpMinhash *out, const guint64 *params, guint64 h)
{
	for (guint i = 0; i < DP_MINHASH_K; i++) {
		guint32 v = (guint32)((params[2 * i] * h + params[2 * i + 1]) >> 32);
		if (v < out->v[i])
			out->v[i] = v;
	}
}

/* The first dp_minhash_sign, word for word. */
static gboolean
ref_sign(const char *norm, guint shingle, DpMinhash *out)
{
	guint64 params[2 * DP_MINHASH_K];
	guint64 s = G_GUINT64_CONSTANT(0x646f6370697065);
	for (guint i = 0; i < 2 * DP_MINHASH_K; i++) {
		s += G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
		params[i] = ref_mix64(s);
	}
	for (guint i = 0; i < DP_MINHASH_K; i++)
		params[2 * i] |= 1;
	for (guint i = 0; i < DP_MINHASH_K; i++)
		out->v[i] = G_MAXUINT32;
	if (shingle == 0)
		shingle = 1;
	g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	gsize len = strlen(norm);
	for (gsize i = 0; i < len; i++)
		if (i == 0 || norm[i - 1] == ' ')
			g_array_append_val(starts, i);
	guint n = starts->len;
	if (n == 0)
		return FALSE;
	if (n <= shingle) {
		ref_fold(out, params, ref_fnv1a(norm, len));
		return TRUE;
	}
	for (guint i = 0; i + shingle <= n; i++) {
		gsize a = g_array_index(starts, gsize, i);
		gsize b = i + shingle < n ? g_array_index(starts, gsize, i + shingle) - 1 : len;
		ref_fold(out, params, ref_fnv1a(norm + a, b - a));
	}
	return TRUE;
}

/* The first dp_minhash_normalize, word for word. */
static GString *
ref_normalize(const char *text, gsize len)
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
		g_string_append_unichar(out, g_unichar_tolower(c));
	}
	return out;
}

/* Sign NORM both ways: the same answer and, when there is one, the same values. */
static void
check(const char *norm, guint shingle)
{
	DpMinhash got, want;
	gboolean g = dp_minhash_sign(norm, shingle, &got);
	gboolean w = ref_sign(norm, shingle, &want);
	g_assert_cmpint(g, ==, w);
	if (!w)
		return;
	for (guint i = 0; i < DP_MINHASH_K; i++)
		if (got.v[i] != want.v[i])
			g_error("shingle %u, %zu bytes: value %u is %08x, not %08x", shingle, strlen(norm), i, got.v[i],
			        want.v[i]);
}

/* NWORDS words of a vocabulary of VOCAB (a small one repeats shingles), normalized form. */
static GString *
random_text(GRand *r, guint nwords, guint vocab, guint maxlen)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < nwords; i++) {
		if (i)
			g_string_append_c(s, ' ');
		guint w = g_rand_int_range(r, 0, (gint32)vocab);
		guint n = 1 + w % maxlen;
		for (guint k = 0; k < n; k++)
			g_string_append_c(s, (char)('a' + (w * 7 + k * 13) % 26));
		g_string_append_printf(s, "%u", w);
	}
	return s;
}

static void
edge_cases(void)
{
	static const char *const texts[] = { "",
		                             "one",
		                             "two words",
		                             "a b c d",
		                             "a b c d e",
		                             "a b c d e f",
		                             "x x x x x x x x x x x x",
		                             "\xc3\xa9tat major 42 \xc3\xa9tat major 42" };
	for (guint t = 0; t < G_N_ELEMENTS(texts); t++)
		for (guint sh = 0; sh <= 7; sh++)
			check(texts[t], sh);
	/* Long words: one shingle longer than any buffer a word might have been assumed to fit. */
	g_autoptr(GString) longw = g_string_new(NULL);
	for (guint i = 0; i < 10; i++) {
		if (i)
			g_string_append_c(longw, ' ');
		for (guint k = 0; k < 5000 + i; k++)
			g_string_append_c(longw, (char)('a' + (k * i) % 26));
	}
	for (guint sh = 0; sh <= 12; sh++)
		check(longw->str, sh);
}

static void
random_texts(void)
{
	g_autoptr(GRand) r = g_rand_new_with_seed(20261207);
	for (guint t = 0; t < 3000; t++) {
		guint nwords = g_rand_int_range(r, 0, 300);
		/* Vocabularies of 2 words (nearly every shingle repeated) to 100,000 (almost none). */
		guint vocab = t % 3 == 0 ? 2 + t % 7 : t % 3 == 1 ? 50 : 100000;
		g_autoptr(GString) s = random_text(r, nwords, vocab, t % 5 == 0 ? 40 : 8);
		check(s->str, g_rand_int_range(r, 0, 9));
	}
}

static void
large_texts(void)
{
	/* More distinct shingles than one cache block of the vector fold, and a 1 MiB text. */
	g_autoptr(GRand) r = g_rand_new_with_seed(7);
	static const guint sizes[] = { 2047, 2048, 2049, 2053, 4100, 20000, 130000 };
	for (guint t = 0; t < G_N_ELEMENTS(sizes); t++) {
		g_autoptr(GString) s = random_text(r, sizes[t] + 4, t % 2 ? 300 : 1000000, 8);
		check(s->str, 5);
		check(s->str, 1);
	}
}

/*
 * Normalizing gives the first version's bytes: every ASCII byte, random
 * mixes of ASCII, accented and other scripts' letters, digits,
 * punctuation, and invalid or truncated UTF-8.
 */
static void
test_normalize_matches_first(void)
{
	static const char *const pieces[] = { "a",
		                              "Z",
		                              "9",
		                              " ",
		                              "  ",
		                              "\n",
		                              "-",
		                              ".",
		                              "_",
		                              "\xc3\xa9",
		                              "\xc3\x89",
		                              "\xce\xa3",
		                              "\xe2\x80\x94",
		                              "\xe4\xb8\xad",
		                              "\xef\xbc\xa1",
		                              "\xc2\xaa",
		                              "\xc2\xb2",
		                              "\xff",
		                              "\xc3",
		                              "\xe2\x80",
		                              "\xf0\x9f\x98\x80",
		                              "\x7f",
		                              "\x01",
		                              "\xc2\xa0",
		                              "\xd9\xa3" };
	char all[128];
	for (guint i = 0; i < 128; i++)
		all[i] = (char)i;
	g_autoptr(GString) got = dp_minhash_normalize(all, sizeof all);
	g_autoptr(GString) want = ref_normalize(all, sizeof all);
	g_assert_cmpstr(got->str, ==, want->str);
	g_autoptr(GRand) r = g_rand_new_with_seed(42);
	for (guint t = 0; t < 3000; t++) {
		g_autoptr(GString) in = g_string_new(NULL);
		guint n = g_rand_int_range(r, 0, 60);
		for (guint k = 0; k < n; k++)
			g_string_append(in, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
		g_autoptr(GString) g = dp_minhash_normalize(in->str, in->len);
		g_autoptr(GString) w = ref_normalize(in->str, in->len);
		g_assert_cmpuint(g->len, ==, w->len);
		g_assert_cmpmem(g->str, g->len, w->str, w->len);
	}
}

/* Every case with fold NAME; skipped where the CPU lacks it. */
static void
with_fold(const char *name)
{
	if (!dp_minhash_use_fold(name)) {
		g_test_skip("this CPU has no such fold");
		return;
	}
	edge_cases();
	random_texts();
	large_texts();
	g_assert_true(dp_minhash_use_fold("avx512") || dp_minhash_use_fold("avx2") || dp_minhash_use_fold("scalar"));
}

static void
test_scalar(void)
{
	with_fold("scalar");
}

static void
test_avx2(void)
{
	with_fold("avx2");
}

static void
test_avx512(void)
{
	with_fold("avx512");
}

static void
test_unknown_fold(void)
{
	g_assert_false(dp_minhash_use_fold("sse9"));
	g_assert_false(dp_minhash_use_fold(NULL));
}

DP_UNIT_MAIN("minhash", test_normalize_matches_first, test_scalar, test_avx2, test_avx512, test_unknown_fold)
