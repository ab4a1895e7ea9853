/*
 * record.c: reader and writer of the record stream (RECORD-FORMAT.md).
 *
 * The reader is written for hostile input: every line and the body are
 * bounded, memory grows only as bytes actually arrive (a header announcing
 * a 1 GiB body on a truncated stream allocates nothing of the sort), and it
 * never consumes bytes beyond the end of the record it returns.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "core/record.h"

#include "core/text.h"

#include "util/exitcode.h"

#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static void
field_free(gpointer p)
{
	DpField *f = p;
	g_free(f->value);
	g_free(f); /* the key lives in the same block */
}

/*
 * A field with its key (KLEN bytes of KEY) stored in the same allocation:
 * keys never change once set, values do (redaction replaces them).
 */
static DpField *
field_new(const char *key, gsize klen, char *value)
{
	DpField *f = g_malloc(sizeof *f + klen + 1);
	f->key = (char *)(f + 1);
	memcpy(f->key, key, klen);
	f->key[klen] = '\0';
	f->value = value;
	return f;
}

DpRecord *
dp_record_new(void)
{
	DpRecord *rec = g_new0(DpRecord, 1);
	rec->fields = g_ptr_array_new_with_free_func(field_free);
	rec->body = g_string_new(NULL);
	return rec;
}

void
dp_record_free(DpRecord *rec)
{
	if (rec == NULL)
		return;
	g_ptr_array_unref(rec->fields);
	g_string_free(rec->body, TRUE);
	g_free(rec);
}

DpRecord *
dp_record_copy(const DpRecord *rec)
{
	DpRecord *c = dp_record_new();
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		dp_record_add(c, f->key, f->value);
	}
	g_string_append_len(c->body, rec->body->str, rec->body->len);
	return c;
}

/*
 * KEY is F's key.  The first bytes are compared before strcmp(): most of a
 * record's fields are meta.*, most lookups are for the others, and both
 * sides of a mailbox run look fields up for every record (strcmp was 3%
 * of its CPU).
 */
static inline gboolean
key_is(const DpField *f, const char *key)
{
	return f->key[0] == key[0] && strcmp(f->key, key) == 0;
}

const char *
dp_record_get(const DpRecord *rec, const char *key)
{
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (key_is(f, key))
			return f->value;
	}
	return NULL;
}

void
dp_record_set(DpRecord *rec, const char *key, const char *value)
{
	gboolean done = FALSE;
	for (guint i = 0; i < rec->fields->len;) {
		DpField *f = rec->fields->pdata[i];
		if (!key_is(f, key)) {
			i++;
			continue;
		}
		if (!done && value != NULL) {
			/* Keep the position of the first occurrence. */
			char *v = g_strdup(value);
			g_free(f->value);
			f->value = v;
			done = TRUE;
			i++;
		} else {
			g_ptr_array_remove_index(rec->fields, i);
		}
	}
	if (!done && value != NULL)
		dp_record_add(rec, key, value);
}

void
dp_record_setv(DpRecord *rec, const char *key, const char *fmt, va_list ap)
{
	g_autofree char *v = g_strdup_vprintf(fmt, ap);
	dp_record_set(rec, key, v);
}

void
dp_record_setf(DpRecord *rec, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dp_record_setv(rec, key, fmt, ap);
	va_end(ap);
}

void
dp_record_add(DpRecord *rec, const char *key, const char *value)
{
	g_return_if_fail(dp_record_key_valid(key));
	g_ptr_array_add(rec->fields, field_new(key, strlen(key), g_strdup(value ? value : "")));
}

void
dp_record_set_body(DpRecord *rec, const char *data, gsize len)
{
	g_string_truncate(rec->body, 0);
	g_string_append_len(rec->body, data, (gssize)len);
}

gboolean
dp_record_key_valid(const char *key)
{
	gsize n = 0;
	if (key == NULL || !g_ascii_isalnum(key[0]))
		return FALSE;
	for (const char *p = key; *p; p++, n++) {
		if (!(g_ascii_islower(*p) || g_ascii_isdigit(*p) || *p == '.' || *p == '_' || *p == '-'))
			return FALSE;
	}
	return n <= 128;
}

/*
 * The line "KEY-cut: N" after the line of KEY, whose value of N bytes was
 * cut to fit DP_RECORD_MAX_LINE (RECORD-FORMAT.md), so that a list cut
 * short (a message's thousands of recipients) never looks whole.  Not
 * when REC has the line already (a record read and written again keeps
 * the first one, which has the whole length) or when KEY is too long to
 * take the suffix.
 */
static gboolean
append_cut(const DpRecord *rec, const char *key, gsize whole, GString *head)
{
	g_autofree char *cut = g_strconcat(key, "-cut", NULL);
	if (!dp_record_key_valid(cut) || dp_record_get(rec, cut) != NULL)
		return FALSE;
	g_string_append_printf(head, "%s: %" G_GSIZE_FORMAT "\n", cut, whole);
	return TRUE;
}

/* The magic line and the header lines of REC, "body: N" included. */
static void
append_head(const DpRecord *rec, GString *head)
{
	g_string_append(head, DP_RECORD_MAGIC "\n");
	/* The header's lines, "body: N" and the cut markers included, stay under DP_RECORD_MAX_FIELDS. */
	guint lines = 0;
	for (guint i = 0; i < rec->fields->len && lines < DP_RECORD_MAX_FIELDS - 1; i++) {
		const DpField *f = rec->fields->pdata[i];
		g_string_append(head, f->key);
		g_string_append(head, ": ");
		/* Leave room for the key, ": " and the newline in the line limit. */
		/* A legal header value: valid UTF-8, controls as spaces. */
		gsize whole = strlen(f->value);
		gsize used = dp_text_append_clean(head, f->value, whole, DP_CLEAN_CONTROLS_TO_SPACE,
		                                  DP_RECORD_MAX_LINE - strlen(f->key) - 4);
		g_string_append_c(head, '\n');
		lines++;
		if (used < whole && lines < DP_RECORD_MAX_FIELDS - 1 && append_cut(rec, f->key, whole, head))
			lines++;
	}
	g_string_append_printf(head, "body: %" G_GSIZE_FORMAT "\n", rec->body->len);
}

void
dp_record_append(const DpRecord *rec, GString *out)
{
	append_head(rec, out);
	g_string_append_len(out, rec->body->str, (gssize)rec->body->len);
	g_string_append_c(out, '\n');
}

gboolean
dp_record_write(const DpRecord *rec, FILE *out, GError **error)
{
	g_autoptr(GString) head = g_string_sized_new(256);
	append_head(rec, head);
	if (fwrite(head->str, 1, head->len, out) != head->len ||
	    fwrite(rec->body->str, 1, rec->body->len, out) != rec->body->len || fputc('\n', out) == EOF) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write record: %s", g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

struct DpReader {
	int fd;
	const guint8 *mem; /* in-memory source instead of FD */
	gsize mem_len, mem_pos;
	char *name;
	guint8 buf[DP_RECORD_MAX_LINE];
	gsize pos, len;
	gboolean eof;
	guint64 offset; /* stream offset of buf[pos] */
	guint64 max_body;
};

DpReader *
dp_reader_new(int fd, const char *name)
{
	DpReader *rd = g_new0(DpReader, 1);
	rd->fd = fd;
	rd->name = g_strdup(name ? name : "<stdin>");
	rd->max_body = DP_RECORD_MAX_BODY_DEFAULT;
	return rd;
}

void
dp_reader_free(DpReader *rd)
{
	if (rd == NULL)
		return;
	g_free(rd->name);
	g_free(rd);
}

void
dp_reader_set_max_body(DpReader *rd, guint64 max)
{
	rd->max_body = max;
}

/* Refill the buffer after moving what is left to its start. */
static gboolean
reader_fill(DpReader *rd, GError **error)
{
	if (rd->pos > 0) {
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
		rd->len -= rd->pos;
		rd->pos = 0;
	}
	if (rd->eof || rd->len == sizeof rd->buf)
		return TRUE;
	if (rd->mem != NULL) {
		gsize n = MIN(sizeof rd->buf - rd->len, rd->mem_len - rd->mem_pos);
		memcpy(rd->buf + rd->len, rd->mem + rd->mem_pos, n);
		rd->mem_pos += n;
		rd->len += n;
		if (n == 0)
			rd->eof = TRUE;
		return TRUE;
	}
	for (;;) {
		ssize_t n = read(rd->fd, rd->buf + rd->len, sizeof rd->buf - rd->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot read '%s': %s", rd->name, g_strerror(e));
			return FALSE;
		}
		if (n == 0)
			rd->eof = TRUE;
		rd->len += (gsize)n;
		return TRUE;
	}
}

static gboolean
bad(DpReader *rd, GError **error, const char *what)
{
	g_set_error(error, DP_ERROR, DP_EXIT_PROTOCOL, "bad record stream '%s' at byte %" G_GUINT64_FORMAT ": %s",
	            rd->name, rd->offset, what);
	return FALSE;
}

/*
 * The next line (without its newline) in place: *LINE points into the
 * reader's buffer and stays valid until the next read.  Returns FALSE on
 * error; sets *AT_EOF when the stream ended before any byte of the line.
 */
static gboolean
read_line(DpReader *rd, char **line, gsize *len, gboolean *at_eof, GError **error)
{
	*at_eof = FALSE;
	gsize scanned = 0; /* bytes after rd->pos known to hold no newline */
	for (;;) {
		guint8 *start = rd->buf + rd->pos;
		guint8 *nl = memchr(start + scanned, '\n', rd->len - rd->pos - scanned);
		if (nl != NULL) {
			gsize n = (gsize)(nl - start);
			*line = (char *)start;
			*len = n;
			rd->pos += n + 1;
			rd->offset += n + 1;
			return TRUE;
		}
		scanned = rd->len - rd->pos;
		if (scanned >= sizeof rd->buf - 1)
			return bad(rd, error, "header line too long");
		if (rd->eof) {
			if (scanned == 0) {
				*at_eof = TRUE;
				return TRUE;
			}
			return bad(rd, error, "truncated header line");
		}
		/* Moves the rest of the line to the start of the buffer. */
		if (!reader_fill(rd, error))
			return FALSE;
	}
}

/* dp_record_key_valid() on a key that is not NUL-terminated. */
static gboolean
key_valid_len(const char *key, gsize n)
{
	if (n == 0 || n > 128 || !g_ascii_isalnum(key[0]))
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		char c = key[i];
		if (!(g_ascii_islower(c) || g_ascii_isdigit(c) || c == '.' || c == '_' || c == '-'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
parse_length(const char *s, gsize n, guint64 *out)
{
	if (n == 0 || n > 19)
		return FALSE;
	guint64 v = 0;
	for (gsize i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
		v = v * 10 + (guint64)(s[i] - '0');
	}
	*out = v;
	return TRUE;
}

gboolean
dp_reader_next(DpReader *rd, DpRecord **out, GError **error)
{
	char *line;
	gsize len;
	gboolean at_eof;
	*out = NULL;

	if (!read_line(rd, &line, &len, &at_eof, error))
		return FALSE;
	if (at_eof)
		return TRUE;
	if (len != strlen(DP_RECORD_MAGIC) || memcmp(line, DP_RECORD_MAGIC, len) != 0)
		return bad(rd, error, "expected '" DP_RECORD_MAGIC "'");

	g_autoptr(DpRecord) rec = dp_record_new();
	for (guint nfields = 0;; nfields++) {
		if (nfields >= DP_RECORD_MAX_FIELDS)
			return bad(rd, error, "too many header lines");
		if (!read_line(rd, &line, &len, &at_eof, error))
			return FALSE;
		if (at_eof)
			return bad(rd, error, "truncated record header");
		/* A header line holds UTF-8 text without NULs. */
		if (!dp_text_utf8_valid(line, len))
			return bad(rd, error, "header line is not UTF-8 text");
		const char *colon = memmem(line, len, ": ", 2);
		if (colon == NULL)
			return bad(rd, error, "header line without ': '");
		gsize klen = (gsize)(colon - line);
		const char *value = colon + 2;
		gsize vlen = len - klen - 2;
		if (!key_valid_len(line, klen))
			return bad(rd, error, "invalid header key");
		if (klen == 4 && memcmp(line, "body", 4) == 0) {
			guint64 blen;
			if (!parse_length(value, vlen, &blen))
				return bad(rd, error, "invalid body length");
			if (blen > rd->max_body)
				return bad(rd, error, "body longer than the limit");
			/* Copy the body as it arrives; never trust BLEN for allocation. */
			while (blen > 0) {
				if (rd->pos == rd->len) {
					if (rd->eof)
						return bad(rd, error, "truncated body");
					if (!reader_fill(rd, error))
						return FALSE;
					continue;
				}
				gsize n = (gsize)MIN((guint64)(rd->len - rd->pos), blen);
				g_string_append_len(rec->body, (char *)rd->buf + rd->pos, (gssize)n);
				rd->pos += n;
				rd->offset += n;
				blen -= n;
			}
			if (rd->pos == rd->len && !rd->eof && !reader_fill(rd, error))
				return FALSE;
			if (rd->pos == rd->len)
				return bad(rd, error, "truncated record: missing newline after body");
			if (rd->buf[rd->pos] != '\n')
				return bad(rd, error, "body longer than its declared length");
			rd->pos++;
			rd->offset++;
			*out = g_steal_pointer(&rec);
			return TRUE;
		}
		g_ptr_array_add(rec->fields, field_new(line, klen, g_strndup(value, vlen)));
	}
}

gboolean
dp_record_parse_buffer(const guint8 *data, gsize len, GPtrArray **records, GError **error)
{
	g_autoptr(DpReader) rd = dp_reader_new(-1, "<buffer>");
	rd->mem = data;
	rd->mem_len = len;
	g_autoptr(GPtrArray) recs = g_ptr_array_new_with_free_func((GDestroyNotify)dp_record_free);
	for (;;) {
		DpRecord *rec;
		if (!dp_reader_next(rd, &rec, error))
			return FALSE;
		if (rec == NULL)
			break;
		g_ptr_array_add(recs, rec);
	}
	*records = g_steal_pointer(&recs);
	return TRUE;
}
