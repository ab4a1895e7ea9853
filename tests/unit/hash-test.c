/*
 * hash-test: util/hash.c's SHA-256 (Nettle, using the CPU's SHA
 * instructions where there are some) against GLib's portable GChecksum,
 * which the record format's sha256 attribute and the document ids were
 * first defined with.  Random bytes of lengths around the 64-byte block
 * (0, 55, 56, 63, 64, 65, multiples of 64), a mapped file larger than
 * dp_sha256_bytes' 8 MiB slice, and the ids derived from the digest.
 */
#include "util/fileio.h"
#include "util/hash.h"

#include "unit.h"

#include <glib/gstdio.h>

/* GLib's digest of DATA, the reference. */
static char *
glib_sha256(const void *data, gsize len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

/* LEN pseudo-random bytes from RAND (fixed seed: the same every run). */
static guint8 *
random_bytes(GRand *rand, gsize len)
{
	guint8 *d = g_malloc(len + 1);
	for (gsize i = 0; i < len; i++)
		d[i] = (guint8)g_rand_int_range(rand, 0, 256);
	return d;
}

static void
check_buffer(const guint8 *d, gsize len)
{
	g_autofree char *want = glib_sha256(d, len);
	g_autofree char *hex = dp_sha256_hex(d, len);
	g_assert_cmpstr(hex, ==, want);
	g_autoptr(GBytes) b = g_bytes_new(d, len);
	g_autofree char *from_bytes = dp_sha256_bytes(b);
	g_assert_cmpstr(from_bytes, ==, want);
}

static void
test_block_edges(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(20261207);
	static const gsize lens[] = {
		0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 192, 4096, 65536, 65537
	};
	for (gsize i = 0; i < G_N_ELEMENTS(lens); i++) {
		g_autofree guint8 *d = random_bytes(rand, lens[i]);
		check_buffer(d, lens[i]);
	}
}

static void
test_random_lengths(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(64);
	for (guint i = 0; i < 300; i++) {
		gsize len = (gsize)g_rand_int_range(rand, 0, 3000);
		g_autofree guint8 *d = random_bytes(rand, len);
		check_buffer(d, len);
	}
}

static void
test_empty_vector(void)
{
	/* The published digest of no bytes, not only agreement with GLib. */
	g_autofree char *hex = dp_sha256_hex("", 0);
	g_assert_cmpstr(hex, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	g_autofree char *abc = dp_sha256_hex("abc", 3);
	g_assert_cmpstr(abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/*
 * A file of 8 MiB + 100 bytes, read mapped: dp_sha256_bytes hashes it in
 * 8 MiB slices, giving the pages back behind it, and dp_sha256_file reads
 * it in 64 KiB blocks; both must give GLib's digest of the whole.
 */
static void
test_big_file(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(8);
	gsize len = ((gsize)8 << 20) + 100;
	g_autofree guint8 *d = random_bytes(rand, len);
	g_autofree char *want = glib_sha256(d, len);
	g_autofree char *dir = g_dir_make_tmp("hash-test-XXXXXX", NULL);
	g_assert_nonnull(dir);
	g_autofree char *path = g_build_filename(dir, "big.bin", NULL);
	g_assert_true(g_file_set_contents(path, (const char *)d, (gssize)len, NULL));

	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = dp_read_file(path, G_MAXUINT64, &error);
	g_assert_no_error(error);
	g_autofree char *from_bytes = dp_sha256_bytes(b);
	g_assert_cmpstr(from_bytes, ==, want);
	g_autofree char *from_file = dp_sha256_file(path);
	g_assert_cmpstr(from_file, ==, want);

	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
	g_assert_null(dp_sha256_file(path));
}

static void
test_ids(void)
{
	g_autofree char *sha = dp_sha256_hex("document", 8);
	g_autofree char *root = dp_id_root(sha);
	g_assert_cmpuint(strlen(root), ==, 16);
	g_assert_true(strncmp(root, sha, 16) == 0);

	/* A part's id: the parent's id, a NUL, then the path inside. */
	const char parent_and_path[] = "0123456789abcdef\0dir/part.txt";
	g_autofree char *want = glib_sha256(parent_and_path, sizeof parent_and_path - 1);
	g_autofree char *child = dp_id_child("0123456789abcdef", "dir/part.txt");
	g_assert_cmpuint(strlen(child), ==, 16);
	g_assert_true(strncmp(child, want, 16) == 0);
}

DP_UNIT_MAIN("hash", test_block_edges, test_random_lengths, test_empty_vector, test_big_file, test_ids)
