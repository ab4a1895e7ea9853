/*
 * extract-html.c: HTML to readable text with libxml2's HTML parser.
 *
 * The parser is told never to touch the network and to ignore encoding
 * declarations: the bytes are decoded to UTF-8 here first (BOM, then the
 * charset a container declared, then a <meta> prescan, then UTF-8 if
 * valid, then the fallback), so the charset used is known and recorded.
 * The tree is then walked once: block elements become line and paragraph
 * breaks, list items get bullets, table cells tabs, and script, style and
 * the like are dropped.
 */
#include "docpipe.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

typedef enum { BR_NONE, BR_LINE, BR_PARA } Break;

typedef struct {
	GString *out;
	Break pending;     /* break owed before the next text */
	gboolean space;    /* a space is owed before the next text */
	guint pre;         /* inside <pre> */
	gboolean pre_start; /* just after a <pre> start tag */
	GPtrArray *ol;     /* counters of open <ol>, as GUINT_TO_POINTER */
	char **drop;       /* element names whose content is dropped */
	GHashTable *classes; /* element name -> ElemClass */
	DpDoc *doc;
	GPtrArray *srcdocs; /* iframe srcdoc values, extracted as parts */
	guint nodes;
} Walk;

/* What an element does to the text layout. */
typedef enum {
	E_INLINE = 0, /* not in the table: text flows through */
	E_PARA,       /* a paragraph: blank line before and after */
	E_LINE,       /* a line of its own */
	E_DROP,       /* content dropped (script, style, head, ...) */
	E_CELL,       /* table cell: tab-separated */
	E_BR,
	E_IFRAME,     /* its srcdoc is a document of its own */
	E_LI,         /* a line with a bullet or number */
	E_OL,         /* a paragraph that numbers its items */
	E_PRE,        /* a paragraph whose whitespace is kept */
} ElemClass;

static const char *para_elems[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
				    "ul", "dl", "form", "fieldset", "figure", "address", "hr", "section",
				    "article", "header", "footer", "aside", "nav", "main", "center", "details" };
static const char *line_elems[] = { "div", "tr", "dt", "dd", "caption", "figcaption", "summary",
				    "legend", "option", "body", "html", "title", "tbody", "thead", "tfoot" };

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
	for (guint i = 0; drop[i]; i++)
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

static void walk(Walk *w, xmlNode *n, guint depth);

static void
walk_children(Walk *w, xmlNode *n, guint depth)
{
	for (xmlNode *c = n->children; c != NULL; c = c->next)
		walk(w, c, depth + 1);
}

static void
walk_element(Walk *w, xmlNode *n, guint depth)
{
	ElemClass cls = GPOINTER_TO_INT(g_hash_table_lookup(w->classes, n->name));
	switch (cls) {
	case E_DROP:
		return;
	case E_IFRAME: {
		xmlChar *src = xmlGetProp(n, (const xmlChar *)"srcdoc");
		if (src != NULL) {
			g_ptr_array_add(w->srcdocs, g_strdup((const char *)src));
			xmlFree(src);
		}
		return;
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
		return;
	case E_PARA:
	case E_OL:
	case E_PRE:
		want_break(w, BR_PARA);
		break;
	case E_LINE:
	case E_LI:
		want_break(w, BR_LINE);
		break;
	case E_CELL:
		/* Cells after the first in a row are separated by a tab. */
		if (w->out->len > 0 && w->pending == BR_NONE && w->out->str[w->out->len - 1] != '\n' &&
		    n->prev != NULL) {
			g_string_append_c(w->out, '\t');
			w->space = FALSE;
		}
		break;
	case E_INLINE:
		break;
	}
	if (cls == E_LI) {
		/* The owed break, then the bullet; the item's text follows it. */
		flush_pending(w);
		if (w->ol->len > 0 && n->parent != NULL && xmlStrEqual(n->parent->name, (const xmlChar *)"ol")) {
			guint k = GPOINTER_TO_UINT(w->ol->pdata[w->ol->len - 1]) + 1;
			w->ol->pdata[w->ol->len - 1] = GUINT_TO_POINTER(k);
			g_string_append_printf(w->out, "%u. ", k);
		} else {
			g_string_append(w->out, "- ");
		}
		w->space = FALSE;
	}
	if (cls == E_OL)
		g_ptr_array_add(w->ol, GUINT_TO_POINTER(0));
	if (cls == E_PRE) {
		w->pre++;
		w->pre_start = TRUE;
	}
	walk_children(w, n, depth);
	if (cls == E_PRE)
		w->pre--;
	if (cls == E_OL)
		g_ptr_array_remove_index(w->ol, w->ol->len - 1);
	if (cls == E_PARA || cls == E_OL || cls == E_PRE)
		want_break(w, BR_PARA);
	else if (cls == E_LINE || cls == E_LI)
		want_break(w, BR_LINE);
	else if (cls == E_CELL)
		w->space = FALSE;
}

static void
walk(Walk *w, xmlNode *n, guint depth)
{
	/* libxml2 caps nesting itself (256); this guards our own recursion. */
	if (depth > 512 || ++w->nodes > 50000000)
		return;
	switch (n->type) {
	case XML_ELEMENT_NODE:
		walk_element(w, n, depth);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content)
			put_text(w, (const char *)n->content);
		break;
	default:
		break;
	}
}

/* Collect <title> and <meta name=... content=...> from the whole tree. */
static void
harvest_meta(DpDoc *doc, xmlNode *n, guint depth)
{
	for (; n != NULL && depth < 512; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)n->name;
		if (g_ascii_strcasecmp(name, "title") == 0 && dp_record_get(doc->rec, "meta.title") == NULL) {
			xmlChar *t = xmlNodeGetContent(n);
			dp_doc_meta(doc, "title", (const char *)t);
			xmlFree(t);
		} else if (g_ascii_strcasecmp(name, "meta") == 0) {
			xmlChar *mname = xmlGetProp(n, (const xmlChar *)"name");
			xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
			if (mname && content) {
				g_autofree char *lname = g_ascii_strdown((const char *)mname, -1);
				static const char *keep[] = { "description", "author", "keywords", "generator", "date" };
				g_autofree char *key = g_strconcat(DP_META_PREFIX, lname, NULL);
				for (guint i = 0; i < G_N_ELEMENTS(keep); i++)
					if (g_str_equal(lname, keep[i]) && dp_record_get(doc->rec, key) == NULL)
						dp_doc_meta(doc, keep[i], (const char *)content);
			}
			xmlFree(mname);
			xmlFree(content);
		} else if (g_ascii_strcasecmp(name, "html") == 0) {
			xmlChar *lang = xmlGetProp(n, (const xmlChar *)"lang");
			dp_doc_meta(doc, "language", (const char *)lang);
			xmlFree(lang);
		}
		if (g_ascii_strcasecmp(name, "script") != 0 && g_ascii_strcasecmp(name, "style") != 0)
			harvest_meta(doc, n->children, depth + 1);
	}
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
	g_autofree char *fallback = dp_config_get_string(ctx->cfg, "extract", "fallback-charset");
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

	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
		   HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT;
	htmlDocPtr hd = htmlReadMemory(utf8, (int)ulen, NULL, "UTF-8", opts);
	if (hd == NULL) {
		/* Only an empty or all-whitespace document gets here. */
		dp_doc_set_text(ctx, doc, "", 0);
		return TRUE;
	}
	xmlNode *root = xmlDocGetRootElement(hd);
	Walk w = { 0 };
	w.out = g_string_sized_new(ulen / 2 + 16);
	w.ol = g_ptr_array_new();
	w.drop = dp_config_get_list(ctx->cfg, "extract", "html-drop");
	w.classes = element_classes(w.drop);
	w.doc = doc;
	w.srcdocs = g_ptr_array_new_with_free_func(g_free);
	if (root != NULL) {
		harvest_meta(doc, root, 0);
		walk(&w, root, 0);
	}
	xmlFreeDoc(hd);
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
	dp_doc_set_text(ctx, doc, w.out->str, w.out->len);
	g_string_free(w.out, TRUE);
	g_ptr_array_unref(w.ol);
	g_hash_table_unref(w.classes);
	g_strfreev(w.drop);

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
