/*
 * text.c: charset decoding and text normalization, on GLib's iconv and
 * Unicode tables.
 */
#include "docpipe.h"

#include <errno.h>

const char *
dp_text_bom_charset(const guint8 *d, gsize len, gsize *bom_len)
{
	/* UTF-32LE must be tested before UTF-16LE: its BOM starts the same. */
	if (len >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0) {
		*bom_len = 4;
		return "utf-32le";
	}
	if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF) {
		*bom_len = 4;
		return "utf-32be";
	}
	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
		*bom_len = 3;
		return "utf-8";
	}
	if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
		*bom_len = 2;
		return "utf-16le";
	}
	if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
		*bom_len = 2;
		return "utf-16be";
	}
	*bom_len = 0;
	return NULL;
}

char *
dp_text_canonical_charset(const char *label)
{
	g_autofree char *l = g_ascii_strdown(label, -1);
	g_strstrip(l);
	/* Strip quotes some producers put around the name. */
	g_strdelimit(l, "\"'", ' ');
	g_strstrip(l);
	static const struct {
		const char *label, *name;
	} aliases[] = {
		/* WHATWG: these labels all mean windows-1252. */
		{ "iso-8859-1", "windows-1252" }, { "iso8859-1", "windows-1252" }, { "latin1", "windows-1252" },
		{ "latin-1", "windows-1252" },    { "l1", "windows-1252" },        { "us-ascii", "windows-1252" },
		{ "ascii", "windows-1252" },      { "cp1252", "windows-1252" },    { "iso_8859-1", "windows-1252" },
		{ "utf8", "utf-8" },              { "unicode-1-1-utf-8", "utf-8" }, { "x-sjis", "shift_jis" },
		{ "gb2312", "gbk" },              { "ks_c_5601-1987", "euc-kr" },   { "unicode", "utf-16le" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(aliases); i++)
		if (g_str_equal(l, aliases[i].label))
			return g_strdup(aliases[i].name);
	return g_steal_pointer(&l);
}

static gboolean
charset_known(const char *cs)
{
	GIConv cd = g_iconv_open("UTF-8", cs);
	if (cd == (GIConv)-1)
		return FALSE;
	g_iconv_close(cd);
	return TRUE;
}

/* Width of one code unit, to skip an undecodable one. */
static gsize
unit_width(const char *cs)
{
	if (g_str_has_prefix(cs, "utf-32"))
		return 4;
	if (g_str_has_prefix(cs, "utf-16"))
		return 2;
	return 1;
}

/* Convert with iconv, turning every undecodable unit into U+FFFD. */
static GString *
convert_lossy(const guint8 *data, gsize len, const char *cs)
{
	GString *out = g_string_sized_new(len + len / 2 + 16);
	GIConv cd = g_iconv_open("UTF-8", cs);
	g_assert(cd != (GIConv)-1);
	char buf[16384];
	char *in = (char *)data;
	gsize inleft = len;
	gsize w = unit_width(cs);
	while (inleft > 0) {
		char *o = buf;
		gsize oleft = sizeof buf;
		gsize r = g_iconv(cd, &in, &inleft, &o, &oleft);
		g_string_append_len(out, buf, (gssize)(o - buf));
		if (r != (gsize)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated sequence at the end): skip a unit. */
		g_string_append(out, "\xef\xbf\xbd");
		gsize skip = MIN(w, inleft);
		in += skip;
		inleft -= skip;
		g_iconv(cd, NULL, NULL, NULL, NULL);
	}
	/* Flush any shift state. */
	char *o = buf;
	gsize oleft = sizeof buf;
	g_iconv(cd, NULL, NULL, &o, &oleft);
	g_string_append_len(out, buf, (gssize)(o - buf));
	g_iconv_close(cd);
	return out;
}

/*
 * UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte.
 * Returns the byte order, or NULL.
 */
static const char *
sniff_utf16(const guint8 *d, gsize len)
{
	gsize n = MIN(len, 4096) & ~(gsize)1, even = 0, odd = 0;
	if (n < 8)
		return NULL;
	for (gsize i = 0; i < n; i += 2) {
		even += d[i] == 0;
		odd += d[i + 1] == 0;
	}
	if (odd > n / 2 * 7 / 10 && even <= n / 2 / 20)
		return "utf-16le";
	if (even > n / 2 * 7 / 10 && odd <= n / 2 / 20)
		return "utf-16be";
	return NULL;
}

char *
dp_text_decode(const guint8 *data, gsize len, const char *declared, const char *fallback, gsize *out_len,
	       char **used)
{
	gsize bom = 0;
	g_autofree char *cs = NULL;
	const char *b = dp_text_bom_charset(data, len, &bom);
	if (b != NULL) {
		cs = g_strdup(b);
	} else if (declared != NULL && *declared != '\0') {
		cs = dp_text_canonical_charset(declared);
		/* A declared UTF-16 on bytes without NULs is a lie (HTML says UTF-8). */
		if (g_str_has_prefix(cs, "utf-16") && sniff_utf16(data, len) == NULL) {
			g_free(cs);
			cs = NULL;
		} else if (!charset_known(cs)) {
			g_free(cs);
			cs = NULL;
		}
	}
	if (cs == NULL) {
		const char *u16 = sniff_utf16(data, len);
		if (u16 != NULL)
			cs = g_strdup(u16);
		else if (g_utf8_validate((const char *)data, (gssize)len, NULL))
			cs = g_strdup("utf-8");
		else
			cs = dp_text_canonical_charset(fallback ? fallback : "windows-1252");
	}
	data += bom;
	len -= bom;
	GString *out;
	if (g_str_equal(cs, "utf-8")) {
		/* Fast path: copy, replacing invalid sequences. */
		out = g_string_sized_new(len + 1);
		const char *p = (const char *)data, *end = p + len;
		while (p < end) {
			const char *valid_end;
			if (g_utf8_validate(p, end - p, &valid_end)) {
				g_string_append_len(out, p, end - p);
				break;
			}
			g_string_append_len(out, p, valid_end - p);
			if (*valid_end == '\0' && valid_end < end)
				g_string_append_c(out, '\0');
			else
				g_string_append(out, "\xef\xbf\xbd");
			p = valid_end + 1;
		}
	} else {
		out = convert_lossy(data, len, cs);
	}
	if (out_len)
		*out_len = out->len;
	if (used)
		*used = g_steal_pointer(&cs);
	return g_string_free(out, FALSE);
}

GString *
dp_text_normalize(const char *in, gsize len)
{
	/* First make it valid UTF-8 without NULs, then NFC. */
	g_autoptr(GString) valid = g_string_sized_new(len + 1);
	const char *p = in, *end = in + len;
	while (p < end) {
		const char *valid_end;
		if (g_utf8_validate(p, end - p, &valid_end)) {
			g_string_append_len(valid, p, end - p);
			break;
		}
		g_string_append_len(valid, p, valid_end - p);
		if (*valid_end != '\0')
			g_string_append(valid, "\xef\xbf\xbd");
		p = valid_end + 1;
	}
	/* ASCII is its own NFC, and g_utf8_normalize is the costly step. */
	gboolean ascii = TRUE;
	for (gsize i = 0; ascii && i < valid->len; i++)
		ascii = (valid->str[i] & 0x80) == 0;
	g_autofree char *nfc = ascii ? g_strndup(valid->str, valid->len)
				     : g_utf8_normalize(valid->str, (gssize)valid->len, G_NORMALIZE_NFC);
	if (nfc == NULL)
		nfc = g_strdup("");

	GString *out = g_string_sized_new(strlen(nfc) + 2);
	gsize line_start = 0;  /* start of the current output line */
	gsize content_end = 0; /* end of the last non-blank character on it */
	guint blank_run = 0;   /* blank lines just written */
	gboolean any = FALSE;  /* any non-blank text written yet */
	for (const char *q = nfc; *q;) {
		gunichar c = g_utf8_get_char(q);
		const char *next = g_utf8_next_char(q);
		if (c == '\r') {
			/* CR LF and lone CR both end a line. */
			c = '\n';
			if (*next == '\n')
				next++;
		}
		if (c == 0x2028 || c == 0x2029 || c == 0x85)
			c = '\n';
		if (c == '\n' || c == '\f') {
			/* Drop trailing blanks of the line just ended. */
			g_string_truncate(out, MAX(content_end, line_start));
			gboolean blank = out->len == line_start;
			if (c == '\f') {
				/* A page break: no blank lines before it, a line end before it. */
				while (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
					g_string_truncate(out, out->len - 1);
				if (out->len > 0 && out->str[out->len - 1] != '\n' && out->str[out->len - 1] != '\f')
					g_string_append_c(out, '\n');
				g_string_append(out, "\f");
				line_start = out->len;
				blank_run = 1; /* what follows a page break starts afresh */
				any = TRUE;
				q = next;
				continue;
			}
			if (blank) {
				if (any && blank_run == 0) {
					g_string_append_c(out, '\n');
					line_start = out->len;
				}
				blank_run++;
			} else {
				g_string_append_c(out, '\n');
				line_start = out->len;
				blank_run = 0;
			}
			q = next;
			continue;
		}
		if (c == 0xFEFF || (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
			q = next;
			continue;
		}
		g_string_append_len(out, q, next - q);
		/* Tabs and Unicode spaces (NBSP, ...) at a line end are trailing blanks. */
		if (c != '\t' && g_unichar_type(c) != G_UNICODE_SPACE_SEPARATOR) {
			any = TRUE;
			content_end = out->len;
		}
		q = next;
	}
	/* Trailing blanks and blank lines at the end go; one final newline. */
	g_string_truncate(out, MAX(content_end, line_start));
	while (out->len > 0 && out->str[out->len - 1] == '\n')
		g_string_truncate(out, out->len - 1);
	if (out->len > 0)
		g_string_append_c(out, '\n');
	return out;
}

char *
dp_text_one_line(const char *s)
{
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || c < 0x20) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}
