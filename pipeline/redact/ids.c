/*
 * NAME
 *	ids.c - identifiers that give nothing away: sources redacted, ids
 *	from redacted paths, content hashes plain, keyed or left out
 *
 * DESCRIPTION
 *	Extraction gives a record an id derived from its parent's id and
 *	its path inside the container, the path as it was in the input, and
 *	a sha256 of its bytes; a top-level input's id is the first 16 hex
 *	digits of its SHA-256.  Anyone holding the output could then test a
 *	guessed file name against a part's id, or a guessed short content
 *	against a sha256.  After the redactor has redacted a record's path
 *	(redact.c), this file:
 *
 *	  - redacts its source like any text (the same for every record of
 *	    an input, so the last one is remembered);
 *	  - makes its id again from its parent's new id and its redacted
 *	    path: the SHA-256 of both as before ([output] hashes=plain, the
 *	    same id as before when nothing was redacted), or an HMAC-SHA256
 *	    under the key (hashes=keyed); a top-level id is, keyed, an HMAC
 *	    of the old one, and with hashes=none a hash of the redacted
 *	    source;
 *	  - replaces sha256 by HMAC-SHA256(key, "sha256", plain hex digest)
 *	    (keyed), or drops it (none).
 *
 *	Two parts whose paths only differ in what was redacted would get
 *	the same id: a part with a redacted path whose id was already given
 *	in the document hashes "PATH#2", "PATH#3", ... instead.  Records
 *	come in pre-order, so a parent's new id is found on the stack of
 *	the open ancestors, as the emitter keeps it (core/emit.c): memory is
 *	bounded by the depth, plus the ids of the redacted paths.
 *
 * SECURITY
 *	The values are what extraction made of untrusted input; they are
 *	only hashed and compared here.  The key is trusted, and never
 *	written anywhere.
 */
#include "redact/ids.h"

#include "util/hash.h"

#include <string.h>

#include "util/banned.h"

typedef struct {
	char *old_id, *new_id;
} Ancestor;

struct DpIds {
	DpHashes mode;
	GBytes *key;
	GArray *stack;     /* of Ancestor: the open ancestors of the next record */
	GHashTable *taken; /* the ids given to redacted paths in this document */
	char *src_in, *src_out;
	GArray *src_spans; /* of DpSpan: the redactions of src_out */
	char *input_sha256;
};

static void
ancestor_clear(gpointer p)
{
	Ancestor *a = p;
	g_free(a->old_id);
	g_free(a->new_id);
}

DpIds *
dp_ids_new(DpHashes mode, GBytes *key)
{
	DpIds *ids = g_new0(DpIds, 1);
	ids->mode = mode;
	ids->key = key ? g_bytes_ref(key) : NULL;
	ids->stack = g_array_new(FALSE, FALSE, sizeof(Ancestor));
	g_array_set_clear_func(ids->stack, ancestor_clear);
	ids->taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ids->src_spans = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	return ids;
}

void
dp_ids_free(DpIds *ids)
{
	if (ids == NULL)
		return;
	g_clear_pointer(&ids->key, g_bytes_unref);
	g_array_unref(ids->stack);
	g_hash_table_unref(ids->taken);
	g_array_unref(ids->src_spans);
	g_free(ids->src_in);
	g_free(ids->src_out);
	g_free(ids->input_sha256);
	g_free(ids);
}

const char *
dp_ids_input_sha256(const DpIds *ids)
{
	return ids->input_sha256;
}

GBytes *
dp_ids_key(const DpIds *ids)
{
	return ids != NULL && ids->mode == DP_HASHES_KEYED ? ids->key : NULL;
}

char *
dp_ids_hmac(GBytes *key, const char *tag, const char *data)
{
	gsize klen;
	const guchar *k = g_bytes_get_data(key, &klen);
	g_autoptr(GHmac) h = g_hmac_new(G_CHECKSUM_SHA256, k, klen);
	g_hmac_update(h, (const guchar *)tag, (gssize)strlen(tag) + 1);
	g_hmac_update(h, (const guchar *)data, (gssize)strlen(data));
	return g_strdup(g_hmac_get_string(h));
}

/* "RULE source COUNT OFF+LEN ..." lines for the source's redactions, in rule order. */
static void
note_source(DpIds *ids, DpRedactor *rd, DpRecord *rec)
{
	for (guint rule = 0; rule < dp_redactor_n_rules(rd); rule++) {
		g_autoptr(GString) pos = g_string_new(NULL);
		guint n = 0;
		for (guint i = 0; i < ids->src_spans->len; i++) {
			const DpSpan *s = &g_array_index(ids->src_spans, DpSpan, i);
			if (s->rule != rule)
				continue;
			n++;
			g_string_append_printf(pos, " %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT, s->offset, s->length);
		}
		if (n > 0) {
			g_autofree char *v =
			    g_strdup_printf("%s %s %u%s", dp_redactor_rule_name(rd, rule), DP_F_SOURCE, n, pos->str);
			dp_record_add(rec, DP_F_REDACTED, v);
		}
	}
}

static void
redact_source(DpIds *ids, DpRedactor *rd, DpRecord *rec, gboolean top)
{
	const char *src = dp_record_get(rec, DP_F_SOURCE);
	if (src == NULL || dp_redactor_n_rules(rd) == 0)
		return;
	if (ids->src_in == NULL || !g_str_equal(ids->src_in, src)) {
		g_free(ids->src_in);
		g_free(ids->src_out);
		ids->src_in = g_strdup(src);
		g_array_set_size(ids->src_spans, 0);
		GString *out = dp_redactor_apply(rd, src, strlen(src), ids->src_spans);
		ids->src_out = g_string_free(out, FALSE);
	}
	if (ids->src_spans->len == 0)
		return;
	if (top)
		note_source(ids, rd, rec);
	dp_record_set(rec, DP_F_SOURCE, ids->src_out);
}

/* 16 hex digits naming DATA under TAG, keyed or not. */
static char *
derive(const DpIds *ids, const char *tag, const char *parent, const char *data)
{
	if (ids->mode == DP_HASHES_KEYED) {
		g_autofree char *in = g_strconcat(parent, "/", data, NULL);
		char *hex = dp_ids_hmac(ids->key, tag, in);
		hex[16] = '\0';
		return hex;
	}
	return dp_id_child(parent, data);
}

/* The new id of a top-level record whose id is OLD and (redacted) source SRC. */
static char *
root_id(const DpIds *ids, const char *old, const char *src)
{
	if (g_str_equal(old, DP_HASH_PENDING))
		return g_strdup(old);
	switch (ids->mode) {
	case DP_HASHES_KEYED: return derive(ids, "docpipe-root-id", "", old);
	case DP_HASHES_NONE: return dp_id_child("", src ? src : "");
	case DP_HASHES_PLAIN: break;
	}
	return g_strdup(old);
}

static void
rewrite_sha256(const DpIds *ids, DpRecord *rec)
{
	const char *sha = dp_record_get(rec, DP_F_SHA256);
	if (sha == NULL || g_str_equal(sha, DP_HASH_PENDING) || ids->mode == DP_HASHES_PLAIN)
		return;
	if (ids->mode == DP_HASHES_NONE) {
		dp_record_set(rec, DP_F_SHA256, NULL);
		return;
	}
	g_autofree char *k = dp_ids_hmac(ids->key, "docpipe-sha256", sha);
	dp_record_set(rec, DP_F_SHA256, k);
}

void
dp_ids_record(DpIds *ids, DpRedactor *rd, DpRecord *rec, const char *orig_path)
{
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	redact_source(ids, rd, rec, parent == NULL);
	const char *old = dp_record_get(rec, DP_F_ID);
	if (old == NULL)
		return;
	g_autofree char *old_id = g_strdup(old);
	if (parent == NULL) {
		g_array_set_size(ids->stack, 0);
		g_hash_table_remove_all(ids->taken);
		const char *sha = dp_record_get(rec, DP_F_SHA256);
		g_free(ids->input_sha256);
		ids->input_sha256 = sha && !g_str_equal(sha, DP_HASH_PENDING) ? g_strdup(sha) : NULL;
	}
	/* The parent's new id: an open ancestor's, or (an orphan) derived as a top-level id is. */
	g_autofree char *new_parent = NULL;
	if (parent != NULL) {
		while (ids->stack->len > 0 &&
		       !g_str_equal(g_array_index(ids->stack, Ancestor, ids->stack->len - 1).old_id, parent))
			g_array_set_size(ids->stack, ids->stack->len - 1);
		new_parent = ids->stack->len > 0
		                 ? g_strdup(g_array_index(ids->stack, Ancestor, ids->stack->len - 1).new_id)
		                 : root_id(ids, parent, dp_record_get(rec, DP_F_SOURCE));
	}
	const char *path = dp_record_get(rec, DP_F_PATH);
	char *new_id;
	gboolean same = orig_path == NULL || path == NULL || g_str_equal(orig_path, path);
	if (ids->mode != DP_HASHES_KEYED && parent != NULL && same && g_str_equal(new_parent, parent)) {
		/* Nothing redacted: the id extraction gave, whichever way it made it. */
		new_id = g_strdup(old_id);
	} else if (parent == NULL || path == NULL) {
		new_id = parent == NULL ? root_id(ids, old_id, dp_record_get(rec, DP_F_SOURCE)) : g_strdup(old_id);
	} else {
		new_id = derive(ids, "docpipe-part-id", new_parent, path);
		if (!same) {
			/* Paths that differ only in what was redacted must not share an id. */
			for (guint n = 2; g_hash_table_contains(ids->taken, new_id) && n < G_MAXUINT; n++) {
				g_autofree char *p = g_strdup_printf("%s#%u", path, n);
				g_free(new_id);
				new_id = derive(ids, "docpipe-part-id", new_parent, p);
			}
			g_hash_table_add(ids->taken, g_strdup(new_id));
		}
	}
	dp_record_set(rec, DP_F_ID, new_id);
	if (parent != NULL)
		dp_record_set(rec, DP_F_PARENT, new_parent);
	Ancestor a = { g_steal_pointer(&old_id), new_id };
	g_array_append_val(ids->stack, a);
	rewrite_sha256(ids, rec);
}
