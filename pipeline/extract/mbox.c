/*
 * NAME
 *	mbox.c - mbox files (mboxo, mboxrd, mboxcl, mboxcl2) and MMDF, one
 *	message at a time
 *
 * DESCRIPTION
 *	Each message becomes a child record "message N" (numbered from 1 in file
 *	order) with meta.offset, the byte offset of its From_ line (or MMDF
 *	delimiter), and meta.mbox-variant, the variant assumed for it.  Its bytes
 *	go through the same dispatch as a loose .eml, where GMime parses them.
 *
 *	Why the mailbox is split here and not by GMime's GMIME_FORMAT_MBOX
 *	parser: GMime's mbox mode knows the From_ separator and (optionally)
 *	Content-Length, but it does not undo ">From " quoting (mboxo, mboxrd,
 *	mboxcl), does not know MMDF's ^A^A^A^A delimiters, and needs a
 *	GMimeStream, which over our in-memory input means copying the whole
 *	mailbox.  Splitting here costs one memmem() pass over the mapped input,
 *	gives every message as a zero-copy slice (a copy only when it has quoted
 *	lines to undo), and keeps the exact byte offsets.  Everything inside a
 *	message (headers, MIME) is still GMime's work, in extract/mail.c.
 *
 *	The messages are extracted on worker threads (extract/pool.c, [extract]
 *	threads): this file splits the mailbox in order and the records come
 *	out in order, exactly as with one thread.
 *
 *	Memory stays constant on a mailbox of any size: the input is a
 *	read-only mapping, and the pages behind the current message are given
 *	back to the kernel as we go (dp_bytes_release), so the resident set is
 *	about one message, not the file.
 *
 *	Variants (auto-detected per message unless [mail] mbox-variant says):
 *	  mboxcl2  Content-Length consistent (it ends exactly at the next From_
 *	           line or the end of file); the body is taken as is.
 *	  mboxcl   the same, but the body has ">From " lines: one ">" removed.
 *	  mboxrd   no usable Content-Length, and ">>From " lines are seen (in
 *	           this message or an earlier one): one ">" removed from every
 *	           line matching ^>+From .
 *	  mboxo    otherwise: ^>From  lines lose their ">" (the quoting the
 *	           writer did; ">>From " stays, as mboxo cannot tell).
 *	  mmdf     the file starts with a ^A^A^A^A line.
 *
 * SECURITY
 *	Every byte is untrusted.  The split runs in the child of
 *	sandbox/isolate.c (no file writes, network or programs: the seccomp
 *	filter of sandbox/sandbox.c; [limits] memory, cpu-time and timeout)
 *	over a read-only view of the input, and never writes into it.  A
 *	Content-Length is read as at most 18 digits and believed only when
 *	the message it delimits is followed by a From_ line or the end of
 *	the file; otherwise the From_ lines decide (t2010 "an inconsistent
 *	Content-Length is ignored").  Every message is a child
 *	through dp_doc_child(), parsed by extract/mail.c with its bounds;
 *	the split stops once [limits] max-children is passed (the last child
 *	says so).  A mailbox of garbage From_ lines or a truncated one gives
 *	clean records (t2010 "garbage and truncated mail never crash", t5100
 *	garbage-from.mbox).
 */
#define _GNU_SOURCE
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "util/exitcode.h"
#include "util/fileio.h"

#include <string.h>

#include "util/banned.h"

typedef enum { V_AUTO, V_MBOXO, V_MBOXRD, V_MBOXCL, V_MBOXCL2, V_MMDF } Variant;

static const char *variant_names[] = { "auto", "mboxo", "mboxrd", "mboxcl", "mboxcl2", "mmdf" };

static Variant
variant_from_config(DpConfig *cfg)
{
	g_autofree char *v = dp_config_get_string(cfg, "mail", "mbox-variant");
	for (guint i = 0; i < G_N_ELEMENTS(variant_names); i++)
		if (v != NULL && g_str_equal(v, variant_names[i]))
			return (Variant)i;
	return V_AUTO;
}

/* The offset just past the line that starts at POS. */
static gsize
next_line(const guint8 *d, gsize len, gsize pos)
{
	const guint8 *nl = memchr(d + pos, '\n', len - pos);
	return nl ? (gsize)(nl - d) + 1 : len;
}

static gboolean
is_from_line(const guint8 *d, gsize len, gsize pos)
{
	return len - pos >= 5 && memcmp(d + pos, "From ", 5) == 0;
}

/* The first From_ line starting at or after POS (a line start), or LEN. */
static gsize
find_from(const guint8 *d, gsize len, gsize pos)
{
	if (pos >= len)
		return len;
	if (is_from_line(d, len, pos))
		return pos;
	/*
	 * memchr for the 'F' (rare in text, and memchr is vectorised), then
	 * the line start and the rest: several times faster than memmem on
	 * "\nFrom ", which was the costliest part of the split.
	 */
	const guint8 *p = d + pos + 1, *end = d + len;
	while (p < end && (p = memchr(p, 'F', (gsize)(end - p))) != NULL) {
		if (p[-1] == '\n' && end - p >= 5 && memcmp(p, "From ", 5) == 0)
			return (gsize)(p - d);
		p++;
	}
	return len;
}

static gboolean
blank_line(const guint8 *d, gsize len, gsize pos)
{
	return pos < len && (d[pos] == '\n' || (d[pos] == '\r' && pos + 1 < len && d[pos + 1] == '\n'));
}

/*
 * Scan the header block from POS: *BODY receives the offset of the body
 * (after the blank line), *CL the Content-Length value or -1.
 */
static void
scan_headers(const guint8 *d, gsize len, gsize pos, gsize limit, gsize *body, gint64 *cl)
{
	*cl = -1;
	while (pos < limit && !blank_line(d, limit, pos)) {
		if (limit - pos > 15 && g_ascii_strncasecmp((const char *)d + pos, "Content-Length:", 15) == 0) {
			gsize p = pos + 15;
			while (p < limit && (d[p] == ' ' || d[p] == '\t'))
				p++;
			guint64 v = 0;
			gsize digits = 0;
			while (p < limit && g_ascii_isdigit(d[p]) && digits < 18) {
				v = v * 10 + (guint64)(d[p] - '0');
				p++;
				digits++;
			}
			if (digits > 0)
				*cl = (gint64)v;
		}
		pos = next_line(d, limit, pos);
	}
	*body = pos < limit ? next_line(d, limit, pos) : limit;
}

/* Does a line starting at P look like quoted From: >+From ?  *DEPTH = #'>'. */
static gboolean
quoted_from(const guint8 *d, gsize end, gsize p, guint *depth)
{
	gsize q = p;
	while (q < end && d[q] == '>')
		q++;
	*depth = (guint)(q - p);
	return *depth > 0 && end - q >= 5 && memcmp(d + q, "From ", 5) == 0;
}

/* The deepest quoted From line in the body [BODY, END): 0 when none. */
static guint
max_quote_depth(const guint8 *d, gsize body, gsize end)
{
	guint max = 0, depth;
	if (body < end && quoted_from(d, end, body, &depth))
		max = depth;
	/* Every '>' that starts a line (memchr: '>' is rarer than '\n'). */
	gsize p = body + 1;
	while (p < end) {
		const guint8 *hit = memchr(d + p, '>', end - p);
		if (hit == NULL)
			break;
		p = (gsize)(hit - d);
		if (d[p - 1] == '\n' && quoted_from(d, end, p, &depth) && depth > max)
			max = depth;
		p++;
	}
	return max;
}

/* Copy [START, END) removing one '>' from quoted From lines of the body. */
static GBytes *
unquote(const guint8 *d, gsize start, gsize body, gsize end, gboolean rd)
{
	GByteArray *out = g_byte_array_sized_new((guint)MIN(end - start, G_MAXUINT));
	/*
	 * The text between quoted lines is copied in one piece: the lines to
	 * change start with '>', which memchr finds (as in max_quote_depth).
	 */
	gsize p = start; /* copied up to here */
	gsize q = body;
	while (q < end) {
		guint depth;
		if ((q == body || d[q - 1] == '\n') && quoted_from(d, end, q, &depth) && (rd || depth == 1)) {
			g_byte_array_append(out, d + p, (guint)(q - p));
			p = q + 1; /* one '>' less */
		}
		const guint8 *hit = memchr(d + q + 1, '>', end - q - 1);
		if (hit == NULL)
			break;
		q = (gsize)(hit - d);
	}
	g_byte_array_append(out, d + p, (guint)(end - p));
	return g_byte_array_free_to_bytes(out);
}

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	DpChildPool *pool; /* the messages are extracted on worker threads */
	Variant forced;
	gboolean seen_rd;
	guint n;
} Mbox;

static gboolean
emit_message(Mbox *mb, gsize offset, GBytes *data, const char *variant, GError **error)
{
	g_autofree char *path = g_strdup_printf("message %u", ++mb->n);
	g_autofree char *off = g_strdup_printf("%" G_GSIZE_FORMAT, offset);
	const char *meta[] = { "meta.offset", off, "meta.mbox-variant", variant, NULL };
	return dp_child_pool_add(mb->pool, path, DP_TYPE_RFC822, data, meta, offset, error);
}

/* One From_-separated message at FROM; *NEXT receives the next one's offset. */
static gboolean
mbox_message(Mbox *mb, const guint8 *d, gsize len, gsize from, gsize *next, GError **error)
{
	gsize start = next_line(d, len, from), body;
	gint64 cl;
	scan_headers(d, len, start, len, &body, &cl);
	gsize nx = find_from(d, len, body);
	gsize end = nx;
	Variant v = mb->forced;
	gboolean cl_ok = FALSE;
	if (cl >= 0 && (guint64)cl <= len - body && v != V_MBOXO && v != V_MBOXRD) {
		/* Consistent: the next From_ line (or EOF) follows, after at most one blank line. */
		gsize ce = body + (gsize)cl, after = ce;
		if (blank_line(d, len, after))
			after = next_line(d, len, after);
		if (after >= len || is_from_line(d, len, after)) {
			cl_ok = TRUE;
			end = ce;
			nx = after;
		}
	}
	if (!cl_ok) {
		/* The writer's blank line before the next From_ is not the message's. */
		if (end > body && end < len && d[end - 1] == '\n') {
			end--;
			if (end > body && d[end - 1] == '\r')
				end--;
		}
	}
	guint depth = max_quote_depth(d, body, end);
	if (v == V_AUTO) {
		if (cl_ok)
			v = depth > 0 && find_from(d, end, body) == end ? V_MBOXCL : V_MBOXCL2;
		else if (mb->seen_rd || depth > 1)
			v = V_MBOXRD;
		else
			v = V_MBOXO;
	}
	if (v == V_MBOXRD)
		mb->seen_rd = TRUE;
	g_autoptr(GBytes) data = NULL;
	gboolean undo = depth > 0 && (v == V_MBOXRD || ((v == V_MBOXO || v == V_MBOXCL) && depth >= 1));
	if (undo)
		data = unquote(d, start, body, end, v == V_MBOXRD);
	else
		data = g_bytes_new_from_bytes(mb->doc->data, start, end - start);
	*next = nx;
	return emit_message(mb, from, data, variant_names[v], error);
}

/* MMDF: each message sits between two ^A^A^A^A lines. */
static gboolean
is_mmdf_delim(const guint8 *d, gsize len, gsize pos)
{
	return len - pos >= 5 && memcmp(d + pos, "\001\001\001\001", 4) == 0 &&
	       (d[pos + 4] == '\n' || (d[pos + 4] == '\r' && len - pos >= 6 && d[pos + 5] == '\n'));
}

static gboolean
mmdf_message(Mbox *mb, const guint8 *d, gsize len, gsize delim, gsize *next, GError **error)
{
	gsize start = next_line(d, len, delim);
	/* Some MMDF writers keep a From_ line too: it is not a header. */
	if (is_from_line(d, len, start))
		start = next_line(d, len, start);
	const guint8 *hit = memmem(d + start, len - start, "\n\001\001\001\001", 5);
	gsize end = hit ? (gsize)(hit - d) + 1 : len;
	gsize nx = end < len ? next_line(d, len, end) : len;
	g_autoptr(GBytes) data = g_bytes_new_from_bytes(mb->doc->data, start, end - start);
	*next = nx;
	return emit_message(mb, delim, data, "mmdf", error);
}

gboolean
dp_extract_mbox(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	Mbox mb = { ctx, doc, NULL, variant_from_config(ctx->cfg), FALSE, 0 };
	gsize pos = 0;
	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len && (d[pos] == '\n' || d[pos] == '\r'))
		pos++;
	gboolean mmdf = mb.forced == V_MMDF || (mb.forced == V_AUTO && is_mmdf_delim(d, len, pos));
	dp_doc_meta(doc, "mbox-format", mmdf ? "mmdf" : "mbox");
	if (!mmdf && !is_from_line(d, len, pos)) {
		gsize first = find_from(d, len, pos);
		if (first >= len) {
			dp_doc_fail(doc, DP_STATUS_ERROR, "no From_ line: not an mbox");
			return dp_doc_emit(ctx, doc, error);
		}
		/* Text before the first message is not a message; say how much. */
		dp_record_setf(doc->rec, DP_META_PREFIX "preamble-bytes", "%" G_GSIZE_FORMAT, first - pos);
		pos = first;
	}
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;
	/*
	 * The messages are independent once split: they are extracted on
	 * worker threads (extract/pool.c), the split and the output staying
	 * in order here.  The mail module is loaded before the workers start.
	 */
	dp_extract_preload(DP_TYPE_RFC822);
	g_autoptr(DpChildPool) pool = dp_child_pool_new(ctx, doc);
	mb.pool = pool;
	gsize released = 0;
	while (pos < len) {
		gsize next = len;
		gboolean ok;
		if (mmdf) {
			if (!is_mmdf_delim(d, len, pos)) {
				/* Junk between messages: skip a line. */
				pos = next_line(d, len, pos);
				continue;
			}
			ok = mmdf_message(&mb, d, len, pos, &next, error);
		} else {
			ok = mbox_message(&mb, d, len, pos, &next, error);
		}
		if (!ok)
			return FALSE;
		g_assert(next > pos);
		pos = next;
		/*
		 * Give back the pages of the messages done, a few MiB at a time
		 * (a no-op unless the input is a mapped file); not those of the
		 * messages still in flight.
		 */
		gsize done = dp_child_pool_low_mark(pool, pos);
		if (done > released && done - released >= (4u << 20)) {
			dp_bytes_release(doc->data, released, done);
			released = done;
		}
		if (ctx->max_children > 0 && ctx->n_children > ctx->max_children)
			break; /* the last child says "limit" */
	}
	return dp_child_pool_finish(pool, error);
}
