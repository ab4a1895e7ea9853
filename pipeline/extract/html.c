/*
 * NAME
 *	html.c - HTML to readable text with libxml2's HTML parser
 *
 * DESCRIPTION
 *	The bytes are decoded to UTF-8 here first (BOM, then the charset a
 *	container declared, then a <meta> prescan of the first 64 KiB up to
 *	<body>, then UTF-8 if valid, then [extract] fallback-charset), so the
 *	charset used is known and recorded in the record's charset field.
 *	The parser is then told to ignore encoding declarations.  The
 *	document is read through SAX events, never built as a tree: block
 *	elements become line and paragraph breaks, list items get bullets or
 *	numbers, table cells tabs, and the elements of [extract] html-drop
 *	(script, style, head, ...) are dropped.  <title>, some <meta name>
 *	values and <html lang> become metadata; the title also opens the
 *	text.  An <iframe srcdoc> is a document of its own, a child record
 *	"iframe N" read by this same extractor.
 *
 * SECURITY
 *	Every byte is untrusted.  The extractor runs where dp_extract() runs:
 *	in the child of sandbox/isolate.c, which cannot write a file, use the
 *	network or start a program (the seccomp filter of sandbox/sandbox.c)
 *	and has [limits] memory, cpu-time and timeout (unless [sandbox]
 *	enabled=false).
 *	libxml2's HTML parser runs with HTML_PARSE_NONET and without
 *	HTML_PARSE_HUGE (its default size limits stay on); it never loads a DTD
 *	or an external entity and expands no entity a document declares,
 *	only HTML's named character references: a billion-laughs or XXE
 *	document gives its text and nothing more (t5100 "entities: no
 *	expansion, no file read, no network"; t0060 "external entities and
 *	DTDs are never loaded").  With no tree, deep nesting costs a few
 *	bytes per open element, here and in libxml2's stack of names (t0060
 *	"deeply nested markup", 100,000 levels).
 *	Input over 2 GiB once decoded gets status "limit" before parsing;
 *	the text is held in memory until it is cut to [limits] max-text-size
 *	(t0060 "a 50 MB single-line HTML file"); the title collected is at
 *	most 64 KiB.  Inline frames nest through dp_doc_child(), bounded by
 *	[limits] max-depth and max-children.  URLs (src, href) are never
 *	fetched or resolved.
 */
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "util/exitcode.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <string.h>

#include "util/banned.h"

typedef enum { BR_NONE, BR_LINE, BR_PARA } Break;

typedef struct {
	GString *out;
	Break pending;      /* break owed before the next text */
	gboolean space;     /* a space is owed before the next text */
	guint pre;          /* inside <pre> */
	gboolean pre_start; /* just after a <pre> start tag */
	GArray *stack;      /* ElemClass of every open element */
	GArray *ol;         /* item counters of the open <ol>s */
	guint drop;         /* inside this many dropped elements */
	guint row_cells;    /* cells so far in the current table row */
	GString *title;     /* text of the first <title>, while collected */
	gboolean in_title;
	gboolean have_title;
	GHashTable *classes; /* element name -> ElemClass */
	DpDoc *doc;
	GPtrArray *srcdocs; /* iframe srcdoc values, extracted as parts */
} Walk;

/* What an element does to the text layout. */
typedef enum {
	E_INLINE = 0, /* not in the table: text flows through */
	E_PARA,       /* a paragraph: blank line before and after */
	E_LINE,       /* a line of its own */
	E_DROP,       /* content dropped (script, style, head, ...) */
	E_CELL,       /* table cell: tab-separated */
	E_BR,
	E_IFRAME, /* its srcdoc is a document of its own */
	E_LI,     /* a line with a bullet or number */
	E_OL,     /* a paragraph that numbers its items */
	E_PRE,    /* a paragraph whose whitespace is kept */
} ElemClass;

static const char *para_elems[] = { "p",          "h1",    "h2",      "h3",      "h4",     "h5",       "h6",
	                            "blockquote", "table", "ul",      "dl",      "form",   "fieldset", "figure",
	                            "address",    "hr",    "section", "article", "header", "footer",   "aside",
	                            "nav",        "main",  "center",  "details" };
static const char *line_elems[] = { "div",    "tr",   "dt",   "dd",    "caption", "figcaption", "summary", "legend",
	                            "option", "body", "html", "title", "tbody",   "thead",      "tfoot" };

/*
 * The element classes, by name (libxml2's HTML parser gives lowercase
 * names).  Built per document since the drop list is configurable.
 */
static GHashTable *
element_classes(char **drop)
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < G_N_ELEMENTS(para_elems); i++)
		g_hash_table_insert(h, (gpointer)para_elems[i], GINT_TO_POINTER(E_PARA));
	for (guint i = 0; i < G_N_ELEMENTS(line_elems); i++)
		g_hash_table_insert(h, (gpointer)line_elems[i], GINT_TO_POINTER(E_LINE));
	g_hash_table_insert(h, (gpointer) "td", GINT_TO_POINTER(E_CELL));
	g_hash_table_insert(h, (gpointer) "th", GINT_TO_POINTER(E_CELL));
	g_hash_table_insert(h, (gpointer) "br", GINT_TO_POINTER(E_BR));
	g_hash_table_insert(h, (gpointer) "iframe", GINT_TO_POINTER(E_IFRAME));
	g_hash_table_insert(h, (gpointer) "li", GINT_TO_POINTER(E_LI));
	g_hash_table_insert(h, (gpointer) "ol", GINT_TO_POINTER(E_OL));
	g_hash_table_insert(h, (gpointer) "pre", GINT_TO_POINTER(E_PRE));
	g_hash_table_insert(h, (gpointer) "head", GINT_TO_POINTER(E_DROP));
	for (guint i = 0; drop != NULL && drop[i]; i++)
		g_hash_table_insert(h, drop[i], GINT_TO_POINTER(E_DROP));
	return h;
}

static void
want_break(Walk *w, Break b)
{
	if (b > w->pending)
		w->pending = b;
}

/* Write the break owed, or the space owed, before the next character. */
static void
flush_pending(Walk *w)
{
	if (w->pending != BR_NONE) {
		if (w->out->len > 0)
			g_string_append(w->out, w->pending == BR_PARA ? "\n\n" : "\n");
		w->pending = BR_NONE;
	} else if (w->space && w->out->len > 0 && w->out->str[w->out->len - 1] != '\n' &&
	           w->out->str[w->out->len - 1] != '\t') {
		g_string_append_c(w->out, ' ');
	}
	w->space = FALSE;
}

static void
put_text(Walk *w, const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		gboolean ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
		if (w->pre) {
			/* A newline right after <pre> is not content (HTML rule). */
			if (w->pre_start && c == '\n') {
				w->pre_start = FALSE;
				continue;
			}
			w->pre_start = FALSE;
		} else if (ws) {
			w->space = TRUE;
			continue;
		}
		flush_pending(w);
		g_string_append_unichar(w->out, c);
	}
}

/* The value of attribute NAME in a SAX attribute list, or NULL. */
static const char *
attr(const xmlChar **atts, const char *name)
{
	for (guint i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if (xmlStrcasecmp(atts[i], (const xmlChar *)name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* <title>, <meta name content> and <html lang> become metadata. */
static void
harvest_meta(Walk *w, const char *name, const xmlChar **atts)
{
	if (g_str_equal(name, "title") && !w->have_title) {
		w->in_title = TRUE;
		g_string_truncate(w->title, 0);
	} else if (g_str_equal(name, "meta")) {
		const char *mname = attr(atts, "name"), *content = attr(atts, "content");
		if (mname == NULL || content == NULL)
			return;
		static const char *keep[] = { "description", "author", "keywords", "generator", "date" };
		for (guint i = 0; i < G_N_ELEMENTS(keep); i++) {
			if (g_ascii_strcasecmp(mname, keep[i]) != 0)
				continue;
			g_autofree char *key = g_strconcat(DP_META_PREFIX, keep[i], NULL);
			if (dp_record_get(w->doc->rec, key) == NULL)
				dp_doc_meta(w->doc, keep[i], content);
		}
	} else if (g_str_equal(name, "html")) {
		dp_doc_meta(w->doc, "language", attr(atts, "lang"));
	}
}

static void
on_start(void *user, const xmlChar *xname, const xmlChar **atts)
{
	Walk *w = user;
	const char *name = (const char *)xname;
	ElemClass cls = GPOINTER_TO_INT(g_hash_table_lookup(w->classes, name));
	ElemClass parent = w->stack->len ? g_array_index(w->stack, ElemClass, w->stack->len - 1) : E_INLINE;
	g_array_append_val(w->stack, cls);
	harvest_meta(w, name, atts);
	if (w->drop > 0 || cls == E_DROP) {
		w->drop++;
		return;
	}
	switch (cls) {
	case E_DROP:
	case E_INLINE: break;
	case E_IFRAME: {
		const char *src = attr(atts, "srcdoc");
		if (src != NULL)
			g_ptr_array_add(w->srcdocs, g_strdup(src));
		break;
	}
	case E_BR:
		if (w->pre) {
			flush_pending(w);
			g_string_append_c(w->out, '\n');
		} else if (w->pending == BR_LINE || w->out->len == 0 || w->out->str[w->out->len - 1] == '\n') {
			g_string_append_c(w->out, '\n'); /* <br><br> is a blank line */
		} else {
			want_break(w, BR_LINE);
		}
		break;
	case E_PARA:
	case E_PRE:
	case E_OL:
		want_break(w, BR_PARA);
		if (cls == E_OL) {
			guint zero = 0;
			g_array_append_val(w->ol, zero);
		} else if (cls == E_PRE) {
			w->pre++;
			w->pre_start = TRUE;
		}
		break;
	case E_LINE:
		want_break(w, BR_LINE);
		if (g_str_equal(name, "tr"))
			w->row_cells = 0;
		break;
	case E_LI:
		/* The owed break, then the bullet; the item's text follows it. */
		want_break(w, BR_LINE);
		flush_pending(w);
		if (parent == E_OL && w->ol->len > 0) {
			guint *k = &g_array_index(w->ol, guint, w->ol->len - 1);
			g_string_append_printf(w->out, "%u. ", ++*k);
		} else {
			g_string_append(w->out, "- ");
		}
		w->space = FALSE;
		break;
	case E_CELL:
		/* Cells after the first in a row are separated by a tab. */
		if (w->row_cells++ > 0 && w->pending == BR_NONE && w->out->len > 0 &&
		    w->out->str[w->out->len - 1] != '\n') {
			g_string_append_c(w->out, '\t');
			w->space = FALSE;
		}
		break;
	}
}

static void
on_end(void *user, const xmlChar *xname)
{
	Walk *w = user;
	if (w->stack->len == 0)
		return;
	ElemClass cls = g_array_index(w->stack, ElemClass, w->stack->len - 1);
	g_array_set_size(w->stack, w->stack->len - 1);
	if (w->in_title && xmlStrEqual(xname, (const xmlChar *)"title")) {
		w->in_title = FALSE;
		w->have_title = TRUE;
		dp_doc_meta(w->doc, "title", w->title->str);
	}
	if (w->drop > 0) {
		w->drop--;
		return;
	}
	switch (cls) {
	case E_PARA:
	case E_PRE:
	case E_OL:
		want_break(w, BR_PARA);
		if (cls == E_OL && w->ol->len > 0)
			g_array_set_size(w->ol, w->ol->len - 1);
		else if (cls == E_PRE && w->pre > 0)
			w->pre--;
		break;
	case E_LINE:
	case E_LI: want_break(w, BR_LINE); break;
	case E_CELL: w->space = FALSE; break;
	default: break;
	}
}

static void
on_text(void *user, const xmlChar *ch, int len)
{
	Walk *w = user;
	if (w->in_title && w->title->len < 65536)
		g_string_append_len(w->title, (const char *)ch, len);
	if (w->drop > 0 || len <= 0)
		return;
	/* SAX hands out pieces that are not NUL-terminated. */
	g_autofree char *piece = g_strndup((const char *)ch, (gsize)len);
	put_text(w, piece);
}

/*
 * The charset a <meta> tag declares, found the way browsers prescan:
 * inside a <meta ...> tag, "charset" then "=" then the name, quoted or
 * not.  Browsers look at the first 1024 bytes only; pages with a long
 * preamble (comments, scripts) put it later, so we look until <body> or
 * 64 KiB.
 */
static char *
prescan_meta_charset(const guint8 *d, gsize len)
{
	gsize n = MIN(len, 65536);
	for (gsize i = 0; i + 5 < n; i++) {
		if (d[i] != '<')
			continue;
		if (g_ascii_strncasecmp((const char *)d + i, "<body", 5) == 0)
			break;
		if (g_ascii_strncasecmp((const char *)d + i, "<meta", 5) != 0)
			continue;
		const guint8 *gt = memchr(d + i, '>', n - i);
		gsize tag_end = gt ? (gsize)(gt - d) : n;
		for (gsize j = i + 5; j + 7 < tag_end; j++) {
			if (g_ascii_strncasecmp((const char *)d + j, "charset", 7) != 0)
				continue;
			gsize k = j + 7;
			while (k < tag_end && (d[k] == ' ' || d[k] == '\t'))
				k++;
			if (k >= tag_end || d[k] != '=')
				continue;
			k++;
			while (k < tag_end && (d[k] == ' ' || d[k] == '\t' || d[k] == '"' || d[k] == '\''))
				k++;
			gsize e = k;
			while (e < tag_end &&
			       (g_ascii_isalnum(d[e]) || d[e] == '-' || d[e] == '_' || d[e] == '.' || d[e] == ':'))
				e++;
			if (e > k && e - k < 40)
				return g_strndup((const char *)d + k, e - k);
		}
		i = tag_end;
	}
	return NULL;
}

gboolean
dp_extract_html(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len, ulen;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	const char *fallback = ctx->fallback_charset;
	g_autofree char *used = NULL;
	gsize bom;
	g_autofree char *declared = NULL;
	if (dp_text_bom_charset(d, len, &bom) == NULL) {
		const char *transport = dp_record_get(doc->rec, DP_F_CHARSET);
		declared = transport ? g_strdup(transport) : prescan_meta_charset(d, len);
	}
	g_autofree char *utf8 = dp_text_decode(d, len, declared, fallback, &ulen, &used);
	dp_record_set(doc->rec, DP_F_CHARSET, used);
	if (ulen > G_MAXINT) {
		dp_doc_fail(doc, DP_STATUS_LIMIT, "HTML document too large");
		return TRUE;
	}

	Walk w = { 0 };
	w.out = g_string_sized_new(ulen / 2 + 16);
	w.stack = g_array_new(FALSE, FALSE, sizeof(ElemClass));
	w.ol = g_array_new(FALSE, FALSE, sizeof(guint));
	w.title = g_string_new(NULL);
	w.classes = element_classes(ctx->html_drop);
	w.doc = doc;
	w.srcdocs = g_ptr_array_new_with_free_func(g_free);

	/*
	 * No network, no encoding switch (the input is UTF-8 now whatever it
	 * declares), errors recovered silently.  Our handler replaces every
	 * default one, so no tree is built.
	 */
	htmlParserCtxtPtr pc = htmlCreateMemoryParserCtxt(utf8, (int)ulen);
	if (pc != NULL) {
		htmlSAXHandler sax;
		memset(&sax, 0, sizeof sax);
		sax.startElement = on_start;
		sax.endElement = on_end;
		sax.characters = on_text;
		sax.cdataBlock = on_text;
		sax.ignorableWhitespace = on_text;
		memcpy(pc->sax, &sax, sizeof sax);
		pc->userData = &w;
		htmlCtxtUseOptions(pc, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		                           HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
		xmlSwitchEncoding(pc, XML_CHAR_ENCODING_UTF8);
		htmlParseDocument(pc);
		htmlFreeParserCtxt(pc);
	}
	g_hash_table_unref(w.classes);
	g_array_unref(w.stack);
	g_array_unref(w.ol);
	g_string_free(w.title, TRUE);

	/*
	 * The title is part of what a reader sees (in the window bar) and what
	 * a search should find: it opens the text as its own paragraph, unless
	 * the page already starts with it.
	 */
	const char *title = dp_record_get(doc->rec, "meta.title");
	if (title != NULL && !g_str_has_prefix(w.out->str, title)) {
		g_string_prepend(w.out, "\n\n");
		g_string_prepend(w.out, title);
	}
	dp_doc_take_text(ctx, doc, g_steal_pointer(&w.out));

	gboolean ok = TRUE;
	if (w.srcdocs->len > 0) {
		/* Inline frames are documents of their own, parts of this one. */
		ok = dp_doc_emit(ctx, doc, error);
		for (guint i = 0; ok && i < w.srcdocs->len; i++) {
			const char *s = w.srcdocs->pdata[i];
			g_autoptr(GBytes) b = g_bytes_new(s, strlen(s));
			g_autofree char *path = g_strdup_printf("iframe %u", i + 1);
			const char *meta[] = { DP_F_CHARSET, "utf-8", NULL };
			ok = dp_doc_child(ctx, doc, path, DP_TYPE_HTML, b, meta, error);
		}
	}
	g_ptr_array_unref(w.srcdocs);
	return ok;
}
