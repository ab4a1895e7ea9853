/*
 * NAME
 *	zip.c - zip archives through libzip (the loadable module
 *	docpipe-zip.so)
 *
 * DESCRIPTION
 *	Each entry becomes a child "entry NAME" through the same dispatch as a
 *	loose file.  NAME is decoded for display only and is never used as a
 *	file-system path: the UTF-8 flag (or valid UTF-8), then the charsets of
 *	[zip] name-charsets (GBK/GB18030 by default, accepted only when the
 *	result is CJK text), then CP437, the zip default.  meta.name-charset
 *	says which.
 *
 *	Bombs are stopped before they go off, from the central directory, and
 *	again while each entry is inflated (a lying directory does not help):
 *	  [zip] max-entries       entries read from one archive
 *	  [zip] max-total-size    uncompressed bytes from one archive
 *	  [zip] max-ratio         uncompressed/compressed of an entry (checked
 *	                          once the entry passes 1 MiB, so small,
 *	                          very compressible files pass)
 *	  [limits] max-depth      nesting, in dp_doc_child; an entry identical
 *	                          to the archive holding it (a zip quine such
 *	                          as droste.zip) is stopped at once.
 *	A limit gives the entry (or the archive) status "limit" with the reason.
 *	Encrypted entries are tried with the --password values and otherwise
 *	reported with status "encrypted"; a damaged archive yields the entries
 *	libzip can read, and the archive's status says what went wrong.
 *
 * SECURITY
 *	Every byte is untrusted, the central directory included.  libzip
 *	reads the archive from memory in the child of sandbox/isolate.c (no
 *	file writes, network or programs: the seccomp filter of
 *	sandbox/sandbox.c; [limits] memory, cpu-time and timeout).  An entry
 *	name is metadata (meta.name) and, made one line, the child record's
 *	path; it is never joined to a directory or opened, so "../../etc/x"
 *	or "/abs" cannot write anywhere (t2010 "zip entry names never become paths on
 *	disk", t5100 "zip slip: entry names are metadata, kept as written").
 *	The limits above hold per archive: a nested archive has a budget of
 *	its own, and the whole is bounded by [limits] max-depth and
 *	max-children and by the memory limit of the child (t2010 "a zip bomb
 *	stops on the expansion ratio", "... on the total size before
 *	inflating", "the entry count limit is checked before reading",
 *	"nested zips are followed down to the depth limit"; t5100 "zip
 *	bombs: a limit is recorded and the output stays small", "droste.zip:
 *	the zip that contains itself is cut by a limit").  An entry is held
 *	in memory whole, at most [limits] max-input-size and what is left of
 *	max-total-size.
 */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "util/exitcode.h"
#include "util/hash.h"

#include <zip.h>
#include <string.h>

#include "util/banned.h"

#define RATIO_MIN_SIZE (1u << 20)

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	guint64 max_entries, max_total, max_ratio;
	guint64 total; /* uncompressed bytes read so far */
	char **name_charsets;
	GHashTable *paths; /* paths used, to keep them unique */
	guint n_errors;
} Zip;

static gboolean
all_ascii(const char *s)
{
	for (; *s; s++)
		if ((guchar)*s >= 0x80)
			return FALSE;
	return TRUE;
}

/* CJK ideographs, kana, hangul, and their punctuation and full-width forms. */
static gboolean
cjk_text(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x80)
			continue;
		if (!((c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
		      (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2010 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F)))
			return FALSE;
	}
	return TRUE;
}

/* The display name of entry I and the charset it was read in. */
static char *
entry_name(Zip *z, zip_t *za, zip_uint64_t i, const char **charset)
{
	const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
	if (raw == NULL) {
		*charset = NULL;
		return g_strdup_printf("#%" G_GUINT64_FORMAT, (guint64)i);
	}
	if (all_ascii(raw)) {
		*charset = "us-ascii";
		return g_strdup(raw);
	}
	/* With the UTF-8 flag set, the strict name is the raw one. */
	const char *strict = zip_get_name(za, i, ZIP_FL_ENC_STRICT);
	if (g_utf8_validate(raw, -1, NULL)) {
		*charset = (strict != NULL && g_str_equal(strict, raw)) ? "utf-8" : "utf-8 (unflagged)";
		return g_strdup(raw);
	}
	for (guint c = 0; z->name_charsets[c]; c++) {
		g_autofree char *conv = g_convert(raw, -1, "UTF-8", z->name_charsets[c], NULL, NULL, NULL);
		if (conv != NULL && cjk_text(conv)) {
			*charset = g_intern_string(z->name_charsets[c]);
			return g_steal_pointer(&conv);
		}
	}
	*charset = "cp437";
	return g_strdup(strict != NULL ? strict : zip_get_name(za, i, ZIP_FL_ENC_GUESS));
}

/* A unique path for the entry NAME. */
static char *
entry_path(Zip *z, const char *name)
{
	g_autofree char *clean = dp_text_one_line(name);
	char *path = g_strdup_printf("entry %s", clean);
	for (guint n = 2; g_hash_table_contains(z->paths, path); n++) {
		g_free(path);
		path = g_strdup_printf("entry %s (%u)", clean, n);
	}
	g_hash_table_add(z->paths, g_strdup(path));
	return path;
}

typedef enum { READ_OK, READ_LIMIT, READ_ERROR } ReadResult;

/* Inflate entry I into *OUT, enforcing the limits as bytes arrive. */
static ReadResult
read_entry(Zip *z, zip_file_t *zf, guint64 comp_size, GBytes **out, char **why)
{
	GByteArray *buf = g_byte_array_new();
	guint8 chunk[65536];
	guint64 cap = z->max_total - z->total;
	if (z->ctx->max_input > 0 && cap > z->ctx->max_input)
		cap = z->ctx->max_input;
	for (;;) {
		zip_int64_t n = zip_fread(zf, chunk, sizeof chunk);
		if (n < 0) {
			*why = g_strdup(zip_file_strerror(zf));
			g_byte_array_unref(buf);
			return READ_ERROR;
		}
		if (n == 0)
			break;
		if ((guint64)buf->len + (guint64)n > cap) {
			*why = g_strdup_printf("more than %" G_GUINT64_FORMAT " bytes uncompressed (the archive's "
			                       "limit is %" G_GUINT64_FORMAT ")",
			                       cap, z->max_total);
			g_byte_array_unref(buf);
			return READ_LIMIT;
		}
		g_byte_array_append(buf, chunk, (guint)n);
		if (buf->len > RATIO_MIN_SIZE && z->max_ratio > 0 && buf->len / MAX(comp_size, 1) > z->max_ratio) {
			*why = g_strdup_printf("expands more than %" G_GUINT64_FORMAT " times", z->max_ratio);
			g_byte_array_unref(buf);
			return READ_LIMIT;
		}
	}
	z->total += buf->len;
	*out = g_byte_array_free_to_bytes(buf);
	return READ_OK;
}

/* Open entry I, trying the passwords on an encrypted one. */
static zip_file_t *
open_entry(Zip *z, zip_t *za, zip_uint64_t i, gboolean encrypted)
{
	if (!encrypted)
		return zip_fopen_index(za, i, 0);
	for (guint p = 0; z->ctx->passwords != NULL && z->ctx->passwords[p] != NULL; p++) {
		zip_file_t *zf = zip_fopen_index_encrypted(za, i, 0, z->ctx->passwords[p]);
		if (zf == NULL)
			continue;
		/* A wrong traditional-PKWARE password is only caught by the CRC: probe. */
		return zf;
	}
	return NULL;
}

static gboolean
zip_entry(Zip *z, zip_t *za, zip_uint64_t i, GError **error)
{
	zip_stat_t st;
	zip_stat_init(&st);
	const char *cs = NULL;
	g_autofree char *name = entry_name(z, za, i, &cs);
	g_autofree char *path = entry_path(z, name);
	if (zip_stat_index(za, i, 0, &st) != 0) {
		z->n_errors++;
		const char *meta[] = { "meta.name", name, NULL };
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_ERROR, error,
		                            "unreadable entry: %s", zip_strerror(za));
	}
	gsize nlen = strlen(name);
	if (nlen > 0 && name[nlen - 1] == '/' && st.size == 0)
		return TRUE; /* a directory entry: nothing to extract */
	guint64 size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	guint64 csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	g_autofree char *usize = g_strdup_printf("%" G_GUINT64_FORMAT, size);
	g_autofree char *comp = g_strdup_printf("%" G_GUINT64_FORMAT, csize);
	/* Name and value pairs, a pair a line. */
	/* clang-format off */
	const char *meta[] = { "meta.name",              name,
			       "meta.name-charset",      cs,
			       "meta.compressed-size",   comp,
			       "meta.uncompressed-size", usize,
			       NULL };
	/* clang-format on */
	gboolean encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;

	/* Before inflating: what the central directory claims. */
	if (size > z->max_total - z->total)
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_LIMIT, error,
		                            "entry of %" G_GUINT64_FORMAT
		                            " bytes would pass the archive's limit of %" G_GUINT64_FORMAT
		                            " bytes uncompressed",
		                            size, z->max_total);
	if (z->max_ratio > 0 && size > RATIO_MIN_SIZE && size / MAX(csize, 1) > z->max_ratio)
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_LIMIT, error,
		                            "entry expands %" G_GUINT64_FORMAT
		                            " times, more than the limit of %" G_GUINT64_FORMAT,
		                            size / MAX(csize, 1), z->max_ratio);
	zip_file_t *zf = open_entry(z, za, i, encrypted);
	if (zf == NULL && encrypted)
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_ENCRYPTED, error,
		                            "entry is encrypted and no password given works");
	if (zf == NULL) {
		z->n_errors++;
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_ERROR, error,
		                            "cannot open entry: %s", zip_strerror(za));
	}
	g_autoptr(GBytes) data = NULL;
	g_autofree char *why = NULL;
	ReadResult r = read_entry(z, zf, csize, &data, &why);
	zip_fclose(zf);
	if (r == READ_ERROR && encrypted)
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta, DP_STATUS_ENCRYPTED, error,
		                            "entry is encrypted and no password given works (%s)", why);
	if (r != READ_OK) {
		if (r == READ_ERROR)
			z->n_errors++;
		return dp_doc_child_problem(z->ctx, z->doc, path, NULL, meta,
		                            r == READ_LIMIT ? DP_STATUS_LIMIT : DP_STATUS_ERROR, error, "%s", why);
	}
	/* A zip that holds itself (a quine) would recurse to the depth limit. */
	gsize dlen;
	const guint8 *d = g_bytes_get_data(data, &dlen);
	g_autofree char *sha = dp_sha256_hex(d, dlen);
	const char *own = dp_record_get(z->doc->rec, DP_F_SHA256);
	if (own == NULL || g_str_equal(own, DP_HASH_PENDING)) {
		/*
		 * A top-level input the parent hashes while we extract, or a
		 * record without hashes (ctx->hash_parts): our own hash, once.
		 */
		g_autofree char *mine = dp_sha256_bytes(z->doc->data);
		dp_record_set(z->doc->rec, DP_F_SHA256, mine);
		own = dp_record_get(z->doc->rec, DP_F_SHA256);
	}
	if (own != NULL && g_str_equal(sha, own))
		return dp_doc_child_problem(z->ctx, z->doc, path, DP_TYPE_ZIP, meta, DP_STATUS_LIMIT, error,
		                            "entry is the archive itself (a zip quine); not extracted again");
	/* Hashed once: the quine check's digest serves the dispatch too. */
	return dp_doc_child_hashed(z->ctx, z->doc, path, NULL, data, sha, meta, error);
}

gboolean
dp_extract_zip_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	/*
	 * A container may label an office package application/zip: the
	 * bytes decide, unless the office module has sent it here already
	 * (meta.retyped-from, extract/office-zip.c).
	 */
	const char *sniffed = dp_detect_sniff(d, len);
	if (sniffed != NULL && dp_extract_module_of(sniffed) == DP_MODULE_OFFICE &&
	    dp_record_get(doc->rec, DP_META_PREFIX "retyped-from") == NULL) {
		dp_record_set(doc->rec, DP_F_TYPE, sniffed);
		return dp_module_extract(DP_MODULE_OFFICE, ctx, doc, error);
	}
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(d, len, 0, &zerr);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (za == NULL) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "not a readable zip archive: %s", zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&zerr);
		return dp_doc_emit(ctx, doc, error);
	}
	zip_error_fini(&zerr);
	Zip z = { ctx, doc, 0, 0, 0, 0, NULL, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), 0 };
	z.max_entries = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-entries");
	z.max_total = dp_config_get_size(ctx->cfg, "zip", "max-total-size");
	z.max_ratio = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-ratio");
	z.name_charsets = dp_config_get_list(ctx->cfg, "zip", "name-charsets");
	if (z.max_total == 0)
		z.max_total = G_MAXUINT64;

	zip_int64_t n = zip_get_num_entries(za, 0);
	guint64 todo = n > 0 ? (guint64)n : 0;
	dp_record_setf(doc->rec, DP_META_PREFIX "entries", "%" G_GUINT64_FORMAT, todo);
	if (z.max_entries > 0 && todo > z.max_entries) {
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "%" G_GUINT64_FORMAT " entries, more than the limit of %" G_GUINT64_FORMAT
		            "; only the first are read",
		            todo, z.max_entries);
		todo = z.max_entries;
	}
	/* The central directory's total, before anything is inflated. */
	guint64 declared = 0;
	for (guint64 i = 0; i < todo; i++) {
		zip_stat_t st;
		if (zip_stat_index(za, i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
			declared = st.size > G_MAXUINT64 - declared ? G_MAXUINT64 : declared + st.size;
	}
	if (declared > z.max_total && dp_record_get(doc->rec, DP_F_STATUS) == NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "entries total %" G_GUINT64_FORMAT " bytes uncompressed, more than the "
		            "limit of %" G_GUINT64_FORMAT "; entries past the limit are not read",
		            declared, z.max_total);

	gboolean ok = dp_doc_emit(ctx, doc, error);
	for (guint64 i = 0; ok && i < todo; i++) {
		ok = zip_entry(&z, za, i, error);
		if (ctx->max_children > 0 && ctx->n_children > ctx->max_children)
			break;
	}
	zip_discard(za);
	g_hash_table_unref(z.paths);
	g_strfreev(z.name_charsets);
	return ok;
}
