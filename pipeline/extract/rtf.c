/*
 * NAME
 *	rtf.c: the text, metadata and embedded objects of Rich Text Format.
 *
 * DESCRIPTION
 *	A tokenizer of our own over the RTF 1.9 syntax: groups ({ }), control
 *	words (\word with an optional signed parameter), control symbols
 *	(\'hh, \~, \{ ...) and text.  Each group inherits its parent's state
 *	(destination, code page, \uc count, \htmlrtf) and gets it back at its
 *	end.  Destinations that are not text (the font, colour and style
 *	tables, {\*\...} groups, field instructions) are skipped, but for
 *	the font table, read for the code page of each font, \info, read for
 *	the metadata, and \pict and \objdata, whose hex (or \bin) data is
 *	kept as parts.  8-bit text is decoded from the code page of the
 *	current font (\fcharset, \cpg) or the document (\ansicpg) with
 *	g_convert().  Outlook's HTML-encapsulated RTF (\fromhtml1) is read
 *	for its text: the \htmlrtf parts are left out, and the HTML tags in
 *	{\*\htmltag} become the line breaks and tabs they stand for.
 *
 * SECURITY
 *	The bytes are untrusted.  The tokenizer reads each byte once (no
 *	backtracking), so time is linear in the input; the group stack stops
 *	at MAX_DEPTH (deeper groups are skipped and the cut reported), the
 *	text at MAX_TEXT bytes, the parts at MAX_PARTS bytes in all and the
 *	font table at MAX_FONTS entries.  \bin lengths are clamped to the
 *	bytes that are there.
 */
#include "extract/rtf.h"

#include "util/exitcode.h"

#include <errno.h>
#include <string.h>

#include "util/banned.h"

#define MAX_DEPTH 200
#define MAX_FONTS 4096
#define MAX_WORD 32
#define MAX_TAG 64

typedef enum {
	DEST_TEXT,
	DEST_SKIP,
	DEST_FONTTBL,
	DEST_INFO,
	DEST_INFO_TEXT,
	DEST_INFO_DATE,
	DEST_PICT,
	DEST_OBJDATA,
	DEST_OBJCLASS,
	DEST_HTMLTAG,
} Dest;

/* What a group inherits from its parent and gets back at its end. */
typedef struct {
	Dest dest;
	/* The code page of 8-bit text here (0: the document's). */
	guint codepage;
	/* \ucN: the bytes of fallback after each \uN. */
	int uc;
	/* Inside \htmlrtf of HTML-encapsulated RTF: not text. */
	gboolean htmlrtf;
	/* Inside an \object (its \result's pictures are only previews). */
	gboolean in_object;
	/* \* was seen at the start of this group. */
	gboolean star;
	/* No control word or text yet in this group. */
	gboolean fresh;
	/* For DEST_INFO_*: the meta key ("title"...). */
	const char *info_key;
} GroupState;

typedef struct {
	const guint8 *p, *end;
	DpRtfDoc *doc;
	gsize max_text, max_parts, parts_bytes;
	GroupState stack[MAX_DEPTH];
	guint depth;
	/* Groups opened past MAX_DEPTH, skipped whole. */
	guint64 overflow;
	/* Document defaults: \ansicpg, and \deffN's code page. */
	guint ansi_cp;
	/* Font number -> code page, from the font table. */
	GHashTable *fonts;
	int font_def;
	/* Fallback bytes still to skip after a \uN. */
	int skip;
	/* 8-bit text not yet decoded, and its code page. */
	GByteArray *pending;
	guint pending_cp;
	/* A UTF-16 high surrogate waiting for its low half. */
	gunichar high;
	/* The collected text of an \info field, a date or an HTML tag. */
	GString *field;
	int date[5];
	/* The hex digit waiting for its partner in \pict and \objdata. */
	int nibble;
	/* The part \pict or \objdata writes to. */
	DpRtfPart *part;
	/* The \objclass of the current \object, for its \objdata. */
	char *obj_class;
	/* \deffN, the default font. */
	int deff;
	gboolean text_cut, parts_cut, deep;
} Parser;

void
dp_rtf_doc_free(DpRtfDoc *doc)
{
	if (doc == NULL)
		return;
	if (doc->text != NULL)
		g_string_free(doc->text, TRUE);
	if (doc->meta != NULL)
		g_ptr_array_unref(doc->meta);
	if (doc->parts != NULL)
		g_ptr_array_unref(doc->parts);
	g_free(doc->cut);
	g_free(doc);
}

static void
part_free(gpointer data)
{
	DpRtfPart *part = data;
	g_free(part->class_name);
	if (part->data != NULL)
		g_byte_array_unref(part->data);
	g_free(part);
}

static GroupState *
top(Parser *ps)
{
	return &ps->stack[ps->depth - 1];
}

/* MS RTF's \fcharsetN values as Windows code pages (0: the document's). */
static guint
charset_codepage(int charset)
{
	static const struct {
		int charset;
		guint cp;
	} map[] = {
		{ 0, 0 },      { 1, 0 },      { 2, 1252 },   { 77, 10000 }, { 128, 932 },  { 129, 949 },  { 130, 1361 },
		{ 134, 936 },  { 136, 950 },  { 161, 1253 }, { 162, 1254 }, { 163, 1258 }, { 177, 1255 }, { 178, 1256 },
		{ 186, 1257 }, { 204, 1251 }, { 222, 874 },  { 238, 1250 }, { 254, 437 },  { 255, 850 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
		if (map[i].charset == charset)
			return map[i].cp;
	return 0;
}

/* The iconv name of Windows code page CP. */
static char *
codepage_name(guint cp)
{
	switch (cp) {
	case 0: return g_strdup("CP1252");
	case 10000: return g_strdup("MACINTOSH");
	case 65001: return g_strdup("UTF-8");
	case 1361: return g_strdup("JOHAB");
	default: return g_strdup_printf("CP%u", cp);
	}
}

static gboolean
text_room(Parser *ps, gsize n)
{
	if (ps->doc->text->len + n <= ps->max_text)
		return TRUE;
	ps->text_cut = TRUE;
	return FALSE;
}

/* Where text goes now: the document, an \info field or an HTML tag. */
static void
put_utf8(Parser *ps, const char *s, gsize n)
{
	Dest d = top(ps)->dest;
	if (d == DEST_INFO_TEXT || d == DEST_HTMLTAG || d == DEST_OBJCLASS) {
		if (ps->field->len + n <= 4096)
			g_string_append_len(ps->field, s, n);
		return;
	}
	if (d != DEST_TEXT)
		return;
	if (ps->doc->from_html && top(ps)->htmlrtf)
		return;
	if (text_room(ps, n))
		g_string_append_len(ps->doc->text, s, n);
}

/*
 * Decode the pending 8-bit text, an undecodable byte as U+FFFD.  Unless
 * FINAL, a character cut at the end (the lead byte of a double-byte code
 * page) stays pending for the bytes that complete it.  One converter for
 * all the bytes, driven by hand: g_convert() opens one each call and
 * builds a GError for each bad byte, and text of bytes the code page
 * leaves undefined took 2.4 s a megabyte.
 */
static void
decode_bytes(Parser *ps, gboolean final)
{
	GByteArray *b = ps->pending;
	if (b->len == 0)
		return;
	g_autofree char *cs = codepage_name(ps->pending_cp);
	GIConv cd = g_iconv_open("UTF-8", cs);
	gsize at = 0, keep = b->len;
	/* A code page iconv does not know leaves every byte undecoded. */
	for (; cd == (GIConv)-1 && at < b->len; at++)
		put_utf8(ps, "\xef\xbf\xbd", 3);
	char buf[4096];
	while (at < b->len) {
		gchar *in = (gchar *)b->data + at, *out = buf;
		gsize in_left = b->len - at, out_left = sizeof buf;
		gsize r = g_iconv(cd, &in, &in_left, &out, &out_left);
		int e = errno;
		put_utf8(ps, buf, (gsize)(out - buf));
		at = b->len - in_left;
		if (r != (gsize)-1 || e == E2BIG)
			continue;
		if (e == EINVAL && !final && b->len - at < 4) {
			keep = at;
			break;
		}
		if (e != EILSEQ) {
			/* A character cut at the very end is undecodable too. */
			for (; at < b->len; at++)
				put_utf8(ps, "\xef\xbf\xbd", 3);
			break;
		}
		/* An illegal sequence: what came before it is converted, the byte itself is not. */
		g_iconv(cd, NULL, NULL, NULL, NULL);
		put_utf8(ps, "\xef\xbf\xbd", 3);
		at++;
	}
	if (cd != (GIConv)-1)
		g_iconv_close(cd);
	if (keep < b->len)
		g_byte_array_remove_range(b, 0, (guint)keep);
	else
		g_byte_array_set_size(b, 0);
}

static void
flush_bytes(Parser *ps)
{
	decode_bytes(ps, TRUE);
}

static guint
current_codepage(Parser *ps)
{
	guint cp = top(ps)->codepage;
	return cp != 0 ? cp : ps->ansi_cp;
}

static void
put_byte(Parser *ps, guint8 c)
{
	guint cp = current_codepage(ps);
	if (ps->pending->len > 0 && cp != ps->pending_cp)
		flush_bytes(ps);
	ps->pending_cp = cp;
	/* A run of 8-bit text is decoded in pieces of 4 KiB or so. */
	if (ps->pending->len >= 4096)
		decode_bytes(ps, FALSE);
	g_byte_array_append(ps->pending, &c, 1);
}

static void
put_char(Parser *ps, gunichar u)
{
	flush_bytes(ps);
	char buf[6];
	int n = g_unichar_to_utf8(u, buf);
	put_utf8(ps, buf, n);
}

static void
put_str(Parser *ps, const char *s)
{
	flush_bytes(ps);
	put_utf8(ps, s, strlen(s));
}

/* A UTF-16 unit from \uN, pairing surrogates. */
static void
put_utf16(Parser *ps, int n)
{
	guint u = (guint)(n < 0 ? n + 65536 : n) & 0xffff;
	if (u >= 0xd800 && u < 0xdc00) {
		ps->high = u;
		return;
	}
	if (u >= 0xdc00 && u < 0xe000) {
		if (ps->high != 0)
			put_char(ps, 0x10000 + ((ps->high - 0xd800) << 10) + (u - 0xdc00));
		else
			put_char(ps, 0xfffd);
		ps->high = 0;
		return;
	}
	ps->high = 0;
	put_char(ps, u == 0 ? 0xfffd : u);
}

static void
add_meta(Parser *ps, const char *key, const char *value)
{
	g_autofree char *v = g_strstrip(g_strdup(value));
	if (*v == '\0' || !g_utf8_validate(v, -1, NULL))
		return;
	for (guint i = 0; i < ps->doc->meta->len; i += 2)
		if (strcmp(g_ptr_array_index(ps->doc->meta, i), key) == 0)
			return;
	g_ptr_array_add(ps->doc->meta, g_strdup(key));
	g_ptr_array_add(ps->doc->meta, g_steal_pointer(&v));
}

/* A new part for \pict or \objdata, unless the parts are over their limit. */
static void
begin_part(Parser *ps, const char *kind)
{
	ps->part = NULL;
	ps->nibble = -1;
	if (ps->max_parts == 0 || ps->parts_bytes >= ps->max_parts)
		return;
	DpRtfPart *part = g_new0(DpRtfPart, 1);
	part->kind = kind;
	part->data = g_byte_array_new();
	if (strcmp(kind, "object") == 0)
		part->class_name = g_steal_pointer(&ps->obj_class);
	g_ptr_array_add(ps->doc->parts, part);
	ps->part = part;
}

static void
part_bytes(Parser *ps, const guint8 *p, gsize n)
{
	if (ps->part == NULL)
		return;
	if (ps->parts_bytes + n > ps->max_parts) {
		n = ps->max_parts - ps->parts_bytes;
		ps->parts_cut = TRUE;
	}
	g_byte_array_append(ps->part->data, p, n);
	ps->parts_bytes += n;
}

static void
part_hex(Parser *ps, guint8 c)
{
	int v = g_ascii_xdigit_value(c);
	if (v < 0)
		return;
	if (ps->nibble < 0) {
		ps->nibble = v;
		return;
	}
	guint8 b = (guint8)(ps->nibble << 4 | v);
	ps->nibble = -1;
	part_bytes(ps, &b, 1);
}

/* Text bytes: plain text, fallback to skip, or hex data. */
static void
text_byte(Parser *ps, guint8 c)
{
	GroupState *st = top(ps);
	st->fresh = FALSE;
	if (ps->skip > 0) {
		ps->skip--;
		return;
	}
	switch (st->dest) {
	case DEST_PICT:
	case DEST_OBJDATA: part_hex(ps, c); return;
	case DEST_TEXT:
	case DEST_INFO_TEXT:
	case DEST_HTMLTAG:
	case DEST_OBJCLASS:
		if (c == '\t') {
			put_str(ps, "\t");
		} else if (c >= 0x80) {
			put_byte(ps, c);
		} else if (c >= 0x20) {
			char s = (char)c;
			flush_bytes(ps);
			put_utf8(ps, &s, 1);
		}
		return;
	default: return;
	}
}

/* The HTML tag of an {\*\htmltag} group as the text it stands for. */
static void
html_tag(Parser *ps, const char *tag)
{
	static const char *const lines[] = { "br", "p",  "div", "tr", "li",    "h1",         "h2",
		                             "h3", "h4", "h5",  "h6", "table", "blockquote", "hr" };
	if (tag[0] == '&') {
		/* An entity stands for a character given in \htmlrtf parts. */
		static const struct {
			const char *name;
			const char *text;
		} ent[] = {
			{ "&nbsp;", "\xc2\xa0" }, { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }
		};
		for (gsize i = 0; i < G_N_ELEMENTS(ent); i++)
			if (g_ascii_strcasecmp(tag, ent[i].name) == 0)
				put_str(ps, ent[i].text);
		return;
	}
	if (tag[0] != '<')
		return;
	const char *name = tag + 1;
	if (*name == '/')
		name++;
	gsize n = 0;
	while (g_ascii_isalnum(name[n]))
		n++;
	if ((n == 2 && g_ascii_strncasecmp(name, "td", 2) == 0) ||
	    (n == 2 && g_ascii_strncasecmp(name, "th", 2) == 0)) {
		if (tag[1] != '/')
			put_str(ps, "\t");
		return;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++)
		if (strlen(lines[i]) == n && g_ascii_strncasecmp(name, lines[i], n) == 0) {
			put_str(ps, "\n");
			return;
		}
}

/* The date of \creatim and the like, as ISO 8601 (no seconds, no zone). */
static void
info_date(Parser *ps, const char *key)
{
	int *d = ps->date;
	if (d[0] < 1 || d[0] > 9999 || d[1] < 1 || d[1] > 12 || d[2] < 1 || d[2] > 31 || d[3] < 0 || d[3] > 23 ||
	    d[4] < 0 || d[4] > 59)
		return;
	g_autofree char *s = g_strdup_printf("%04d-%02d-%02dT%02d:%02d:00", d[0], d[1], d[2], d[3], d[4]);
	add_meta(ps, key, s);
}

static void
group_open(Parser *ps)
{
	flush_bytes(ps);
	ps->skip = 0;
	if (ps->overflow > 0 || ps->depth == MAX_DEPTH) {
		ps->overflow++;
		ps->deep = TRUE;
		return;
	}
	GroupState *st = &ps->stack[ps->depth];
	*st = ps->stack[ps->depth - 1];
	st->star = FALSE;
	st->fresh = TRUE;
	ps->depth++;
	if (st->dest == DEST_INFO_TEXT || st->dest == DEST_INFO_DATE || st->dest == DEST_OBJCLASS ||
	    st->dest == DEST_HTMLTAG)
		st->dest = DEST_SKIP;
}

static void
group_close(Parser *ps)
{
	flush_bytes(ps);
	ps->skip = 0;
	if (ps->overflow > 0) {
		ps->overflow--;
		return;
	}
	if (ps->depth <= 1) {
		/* The closing brace of the document, or a stray one. */
		return;
	}
	/* What the group collected goes to its parent. */
	GroupState st = *top(ps);
	ps->depth--;
	GroupState *parent = top(ps);
	if (st.dest != parent->dest) {
		switch (st.dest) {
		case DEST_INFO_TEXT: add_meta(ps, st.info_key, ps->field->str); break;
		case DEST_INFO_DATE: info_date(ps, st.info_key); break;
		case DEST_OBJCLASS: {
			g_autofree char *c = g_strstrip(g_strdup(ps->field->str));
			if (g_utf8_validate(c, -1, NULL) && *c != '\0') {
				g_free(ps->obj_class);
				ps->obj_class = g_steal_pointer(&c);
			}
			break;
		}
		case DEST_HTMLTAG: html_tag(ps, ps->field->str); break;
		case DEST_PICT:
		case DEST_OBJDATA:
			if (parent->dest != DEST_PICT && parent->dest != DEST_OBJDATA && ps->part != NULL &&
			    ps->part->data->len == 0) {
				/*
				 * An empty part is no part.  It is the last one added
				 * (begin_part): removed by index, not searched for, or
				 * empty groups after many parts would be quadratic.
				 */
				GPtrArray *parts = ps->doc->parts;
				if (g_ptr_array_index(parts, parts->len - 1) == ps->part)
					g_ptr_array_remove_index(parts, parts->len - 1);
				else
					g_ptr_array_remove(parts, ps->part);
				ps->part = NULL;
			}
			break;
		default: break;
		}
		g_string_truncate(ps->field, 0);
	}
}

/* Enter destination D for the rest of the group. */
static void
set_dest(Parser *ps, Dest d)
{
	GroupState *st = top(ps);
	st->dest = d;
	if (d == DEST_INFO_TEXT || d == DEST_HTMLTAG || d == DEST_OBJCLASS)
		g_string_truncate(ps->field, 0);
	if (d == DEST_INFO_DATE)
		memset(ps->date, 0, sizeof ps->date);
}

/* Control words that make their group a destination not read as text. */
static gboolean
skipped_destination(const char *w)
{
	static const char *const skip[] = {
		"colortbl",     "stylesheet",
		"listtable",    "listoverridetable",
		"revtbl",       "rsidtbl",
		"generator",    "xmlnstbl",
		"filetbl",      "themedata",
		"fldinst",      "datastore",
		"latentstyles", "colorschememapping",
		"nonshppict",   "private",
		"pgdsctbl",     "bkmkstart",
		"bkmkend",      "objalias",
		"objsect",      "atnid",
		"atnauthor",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(skip); i++)
		if (strcmp(w, skip[i]) == 0)
			return TRUE;
	return FALSE;
}

static const char *
info_key(const char *w)
{
	static const char *const keys[][2] = {
		{ "title", "title" },          { "subject", "subject" },   { "author", "author" },
		{ "operator", "last-author" }, { "keywords", "keywords" }, { "doccomm", "comment" },
		{ "company", "company" },      { "manager", "manager" },   { "category", "category" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
		if (strcmp(w, keys[i][0]) == 0)
			return keys[i][1];
	return NULL;
}

static const char *
date_key(const char *w)
{
	if (strcmp(w, "creatim") == 0)
		return "created";
	if (strcmp(w, "revtim") == 0)
		return "modified";
	if (strcmp(w, "printim") == 0)
		return "printed";
	return NULL;
}

/* Control words that write a character. */
static const char *
word_text(const char *w)
{
	static const char *const map[][2] = {
		{ "par", "\n" },         { "line", "\n" },          { "sect", "\n" },          { "page", "\n" },
		{ "row", "\n" },         { "tab", "\t" },           { "cell", "\t" },          { "nestcell", "\t" },
		{ "emdash", "\u2014" },  { "endash", "\u2013" },    { "bullet", "\u2022" },    { "lquote", "\u2018" },
		{ "rquote", "\u2019" },  { "ldblquote", "\u201c" }, { "rdblquote", "\u201d" }, { "emspace", "\u2003" },
		{ "enspace", "\u2002" }, { "qmspace", "\u2005" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(map); i++)
		if (strcmp(w, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* \binN: N raw bytes, data of a picture or object, else skipped. */
static void
binary(Parser *ps, gint64 n)
{
	gsize avail = (gsize)(ps->end - ps->p);
	gsize len = n < 0 ? 0 : MIN((guint64)n, (guint64)avail);
	Dest d = top(ps)->dest;
	if (d == DEST_PICT || d == DEST_OBJDATA)
		part_bytes(ps, ps->p, len);
	ps->p += len;
}

static void
pict_type(Parser *ps, const char *w)
{
	static const char *const types[][2] = {
		{ "pngblip", "image/png" },   { "jpegblip", "image/jpeg" }, { "emfblip", "image/emf" },
		{ "wmetafile", "image/wmf" }, { "dibitmap", "image/bmp" },
	};
	if (ps->part == NULL || top(ps)->dest != DEST_PICT)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
		if (strcmp(w, types[i][0]) == 0)
			ps->part->type = types[i][1];
}

/* A control word that opens a destination; FALSE when W is none. */
static gboolean
destination(Parser *ps, const char *w)
{
	GroupState *st = top(ps);
	const char *key;
	if (strcmp(w, "fonttbl") == 0) {
		set_dest(ps, DEST_FONTTBL);
	} else if (strcmp(w, "info") == 0) {
		set_dest(ps, DEST_INFO);
	} else if (st->dest == DEST_INFO && (key = info_key(w)) != NULL) {
		set_dest(ps, DEST_INFO_TEXT);
		top(ps)->info_key = key;
	} else if (st->dest == DEST_INFO && (key = date_key(w)) != NULL) {
		set_dest(ps, DEST_INFO_DATE);
		top(ps)->info_key = key;
	} else if (strcmp(w, "pict") == 0) {
		if (st->dest != DEST_TEXT || st->in_object) {
			set_dest(ps, DEST_SKIP);
		} else {
			set_dest(ps, DEST_PICT);
			begin_part(ps, "picture");
		}
	} else if (strcmp(w, "object") == 0) {
		st->in_object = TRUE;
		ps->part = NULL;
		g_clear_pointer(&ps->obj_class, g_free);
	} else if (strcmp(w, "objdata") == 0 && st->in_object) {
		set_dest(ps, DEST_OBJDATA);
		begin_part(ps, "object");
	} else if (strcmp(w, "objclass") == 0 && st->in_object) {
		set_dest(ps, DEST_OBJCLASS);
	} else if (strcmp(w, "htmltag") == 0 && ps->doc->from_html) {
		set_dest(ps, DEST_HTMLTAG);
	} else if (strcmp(w, "shppict") == 0 || strcmp(w, "result") == 0 || strcmp(w, "fldrslt") == 0) {
		/* Destinations whose contents are read as usual. */
	} else if (skipped_destination(w) || st->star) {
		set_dest(ps, DEST_SKIP);
	} else {
		return FALSE;
	}
	return TRUE;
}

static void
font_table_word(Parser *ps, const char *w, gboolean has_n, gint64 n)
{
	if (strcmp(w, "f") == 0 && has_n) {
		ps->font_def = (int)n;
	} else if ((strcmp(w, "fcharset") == 0 || strcmp(w, "cpg") == 0) && has_n && ps->font_def >= 0 &&
	           g_hash_table_size(ps->fonts) < MAX_FONTS) {
		guint cp = strcmp(w, "cpg") == 0 ? (guint)CLAMP(n, 0, 65535) : charset_codepage((int)n);
		if (cp != 0 || !g_hash_table_contains(ps->fonts, GINT_TO_POINTER(ps->font_def)))
			g_hash_table_insert(ps->fonts, GINT_TO_POINTER(ps->font_def), GUINT_TO_POINTER(cp));
	}
}

static void
control_word(Parser *ps, const char *w, gboolean has_n, gint64 n)
{
	GroupState *st = top(ps);
	gboolean fresh = st->fresh;
	st->fresh = FALSE;

	/* A word is one fallback character after \uN, but for \bin's data. */
	if (ps->skip > 0) {
		ps->skip--;
		if (strcmp(w, "bin") == 0 && has_n)
			binary(ps, n);
		return;
	}
	if (strcmp(w, "bin") == 0) {
		binary(ps, has_n ? n : 0);
		return;
	}
	if (st->dest == DEST_SKIP)
		return;
	if ((fresh || st->star) && destination(ps, w))
		return;
	/* The words of the document's header. */
	if (strcmp(w, "ansicpg") == 0 && has_n) {
		ps->ansi_cp = (guint)CLAMP(n, 0, 65535);
	} else if (strcmp(w, "mac") == 0) {
		ps->ansi_cp = 10000;
	} else if (strcmp(w, "pc") == 0) {
		ps->ansi_cp = 437;
	} else if (strcmp(w, "pca") == 0) {
		ps->ansi_cp = 850;
	} else if (strcmp(w, "fromhtml") == 0) {
		ps->doc->from_html = !has_n || n != 0;
	} else if (strcmp(w, "htmlrtf") == 0) {
		flush_bytes(ps);
		st->htmlrtf = !has_n || n != 0;
	} else if (strcmp(w, "uc") == 0 && has_n) {
		st->uc = (int)CLAMP(n, 0, 16);
	} else if (strcmp(w, "u") == 0 && has_n) {
		if (st->dest == DEST_TEXT || st->dest == DEST_INFO_TEXT || st->dest == DEST_HTMLTAG)
			put_utf16(ps, (int)CLAMP(n, -32768, 65535));
		ps->skip = st->uc;
	} else if (st->dest == DEST_FONTTBL) {
		font_table_word(ps, w, has_n, n);
	} else if (st->dest == DEST_INFO_DATE && has_n) {
		static const char *const parts[] = { "yr", "mo", "dy", "hr", "min" };
		for (int i = 0; i < 5; i++)
			if (strcmp(w, parts[i]) == 0)
				ps->date[i] = (int)CLAMP(n, -1, 10000);
	} else if (st->dest == DEST_PICT) {
		pict_type(ps, w);
	} else if (strcmp(w, "f") == 0 && has_n) {
		flush_bytes(ps);
		gpointer cp;
		if (g_hash_table_lookup_extended(ps->fonts, GINT_TO_POINTER((int)n), NULL, &cp))
			st->codepage = GPOINTER_TO_UINT(cp);
		else
			st->codepage = 0;
	} else if (strcmp(w, "deff") == 0 && has_n) {
		ps->deff = (int)n;
	} else if (strcmp(w, "plain") == 0) {
		/* \plain goes back to the default font, and its code page. */
		flush_bytes(ps);
		gpointer cp;
		if (g_hash_table_lookup_extended(ps->fonts, GINT_TO_POINTER(ps->deff), NULL, &cp))
			st->codepage = GPOINTER_TO_UINT(cp);
		else
			st->codepage = 0;
	} else {
		const char *s = word_text(w);
		if (s != NULL)
			put_str(ps, s);
	}
}

/* Read a control word after its backslash: the name and parameter. */
static void
read_control_word(Parser *ps)
{
	char w[MAX_WORD + 1];
	gsize n = 0;
	while (ps->p < ps->end && g_ascii_isalpha(*ps->p)) {
		if (n < MAX_WORD)
			w[n++] = (char)*ps->p;
		ps->p++;
	}
	w[n] = '\0';
	gboolean neg = FALSE, has_n = FALSE;
	gint64 v = 0;
	if (ps->p < ps->end && *ps->p == '-' && ps->p + 1 < ps->end && g_ascii_isdigit(ps->p[1])) {
		neg = TRUE;
		ps->p++;
	}
	while (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
		has_n = TRUE;
		if (v < G_MAXINT32)
			v = v * 10 + (*ps->p - '0');
		ps->p++;
	}
	if (neg)
		v = -v;
	/* A space ends a control word and is part of it. */
	if (ps->p < ps->end && *ps->p == ' ')
		ps->p++;
	control_word(ps, w, has_n, v);
}

static void
control_symbol(Parser *ps)
{
	guint8 c = *ps->p++;
	GroupState *st = top(ps);
	switch (c) {
	case '\'': {
		int hi = ps->p < ps->end ? g_ascii_xdigit_value(ps->p[0]) : -1;
		int lo = ps->p + 1 < ps->end ? g_ascii_xdigit_value(ps->p[1]) : -1;
		if (hi < 0 || lo < 0)
			return;
		ps->p += 2;
		st->fresh = FALSE;
		if (ps->skip > 0) {
			ps->skip--;
			return;
		}
		if (st->dest == DEST_TEXT || st->dest == DEST_INFO_TEXT || st->dest == DEST_HTMLTAG ||
		    st->dest == DEST_OBJCLASS)
			put_byte(ps, (guint8)(hi << 4 | lo));
		return;
	}
	case '*': st->star = TRUE; return;
	case '\\':
	case '{':
	case '}': text_byte(ps, c); return;
	case '\r':
	case '\n':
		st->fresh = FALSE;
		if (st->dest == DEST_TEXT)
			put_str(ps, "\n");
		return;
	default: break;
	}
	st->fresh = FALSE;
	if (ps->skip > 0) {
		ps->skip--;
		return;
	}
	if (c == '~')
		put_str(ps, "\xc2\xa0");
	else if (c == '_')
		put_str(ps, "\u2011");
	/* \- (optional hyphen), \: and \| stand for nothing in the text. */
}

static void
run(Parser *ps)
{
	while (ps->p < ps->end) {
		guint8 c = *ps->p++;
		if (c == '{') {
			group_open(ps);
		} else if (c == '}') {
			group_close(ps);
		} else if (ps->overflow > 0) {
			/* Inside groups past the depth limit: skipped, \bin too. */
			if (c == '\\' && ps->p < ps->end && g_ascii_isalpha(*ps->p)) {
				const guint8 *w = ps->p;
				while (ps->p < ps->end && g_ascii_isalpha(*ps->p))
					ps->p++;
				if (ps->p - w == 3 && memcmp(w, "bin", 3) == 0) {
					gint64 v = 0;
					while (ps->p < ps->end && g_ascii_isdigit(*ps->p) && v < G_MAXINT32)
						v = v * 10 + (*ps->p++ - '0');
					if (ps->p < ps->end && *ps->p == ' ')
						ps->p++;
					ps->p += MIN((guint64)v, (guint64)(ps->end - ps->p));
				}
			} else if (c == '\\' && ps->p < ps->end) {
				ps->p++;
			}
		} else if (c == '\\') {
			if (ps->p >= ps->end)
				break;
			if (g_ascii_isalpha(*ps->p))
				read_control_word(ps);
			else
				control_symbol(ps);
		} else if (c != '\r' && c != '\n') {
			text_byte(ps, c);
		}
	}
	flush_bytes(ps);
}

DpRtfDoc *
dp_rtf_parse(const char *rtf, gsize len, gsize max_text, gsize max_parts, GError **error)
{
	if (len < 5 || memcmp(rtf, "{\\rtf", 5) != 0) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "not RTF: no {\\rtf at the start");
		return NULL;
	}
	g_autoptr(DpRtfDoc) doc = g_new0(DpRtfDoc, 1);
	doc->text = g_string_sized_new(MIN(len, max_text) / 2 + 16);
	doc->meta = g_ptr_array_new_with_free_func(g_free);
	doc->parts = g_ptr_array_new_with_free_func(part_free);

	Parser ps = { 0 };
	ps.p = (const guint8 *)rtf + 1;
	ps.end = (const guint8 *)rtf + len;
	ps.doc = doc;
	ps.max_text = max_text;
	ps.max_parts = max_parts;
	ps.fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
	ps.font_def = -1;
	ps.pending = g_byte_array_new();
	ps.field = g_string_new(NULL);
	ps.nibble = -1;
	ps.ansi_cp = 1252;
	/* The document's own group is the bottom of the stack. */
	ps.depth = 1;
	ps.stack[0] = (GroupState){ .dest = DEST_TEXT, .uc = 1, .fresh = TRUE };

	run(&ps);

	g_autoptr(GString) cut = g_string_new(NULL);
	if (ps.text_cut)
		g_string_append_printf(cut, "text cut at %" G_GSIZE_FORMAT " bytes", max_text);
	if (ps.parts_cut)
		g_string_append_printf(cut, "%sembedded objects cut at %" G_GSIZE_FORMAT " bytes", cut->len ? "; " : "",
		                       max_parts);
	if (ps.deep)
		g_string_append_printf(cut, "%sgroups nested deeper than %d skipped", cut->len ? "; " : "", MAX_DEPTH);
	if (cut->len > 0)
		doc->cut = g_string_free(g_steal_pointer(&cut), FALSE);

	g_hash_table_unref(ps.fonts);
	g_byte_array_unref(ps.pending);
	g_string_free(ps.field, TRUE);
	g_free(ps.obj_class);
	return g_steal_pointer(&doc);
}

GString *
dp_rtf_to_text(const char *rtf, gsize len, gsize max_text, GError **error)
{
	g_autoptr(DpRtfDoc) doc = dp_rtf_parse(rtf, len, max_text, 0, error);
	if (doc == NULL)
		return NULL;
	return g_steal_pointer(&doc->text);
}
