/*
 * hash.c: SHA-256 of bytes, buffers and files, and the stable document ids
 * derived from it.
 */
#include "util/hash.h"

#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <nettle/sha2.h>

#include "util/banned.h"

/*
 * SHA-256 comes from Nettle, not GLib's GChecksum: Nettle uses the CPU's
 * SHA instructions where there are some (about ten times GLib's portable
 * C), and every part of every input is hashed, so on a mailbox the hash
 * was a third of the whole run.  The hex digest is the same.
 */
static char *
sha256_hex_digest(struct sha256_ctx *sum)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	sha256_digest(sum, sizeof digest, digest);
	static const char hex[] = "0123456789abcdef";
	char *out = g_malloc(2 * SHA256_DIGEST_SIZE + 1);
	for (guint i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
	return out;
}

/*
 * read(), not mmap: outputs are mostly small.  Nettle, like the rest: with
 * GLib's portable SHA-256, hashing a mailbox's outputs (hundreds of
 * megabytes) was a sixth of a `docpipe run` over a 64 MiB mbox.
 */
char *
dp_sha256_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct sha256_ctx sum;
	sha256_init(&sum);
	guint8 buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return NULL;
		}
		sha256_update(&sum, (size_t)n, buf);
	}
	close(fd);
	return sha256_hex_digest(&sum);
}

char *
dp_sha256_bytes(GBytes *bytes)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	struct sha256_ctx sum;
	sha256_init(&sum);
	/* In slices, giving pages back behind us: a 1 GiB input stays small. */
	const gsize step = 8 << 20;
	for (gsize off = 0; off < len; off += step) {
		gsize n = MIN(step, len - off);
		sha256_update(&sum, n, d + off);
		dp_bytes_release(bytes, off, off + n);
	}
	return sha256_hex_digest(&sum);
}

char *
dp_sha256_hex(const void *data, gsize len)
{
	struct sha256_ctx sum;
	sha256_init(&sum);
	sha256_update(&sum, len, data);
	return sha256_hex_digest(&sum);
}

char *
dp_id_root(const char *sha256_hex)
{
	return g_strndup(sha256_hex, 16);
}

char *
dp_id_child(const char *parent_id, const char *path)
{
	/* Every part of a mailbox asks: Nettle, as for the content hashes. */
	struct sha256_ctx sum;
	sha256_init(&sum);
	sha256_update(&sum, strlen(parent_id) + 1, (const guint8 *)parent_id);
	sha256_update(&sum, strlen(path), (const guint8 *)path);
	char *hex = sha256_hex_digest(&sum);
	hex[16] = '\0';
	return hex;
}
