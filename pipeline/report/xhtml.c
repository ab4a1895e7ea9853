/*
 * NAME
 *	xhtml.c - the pieces of the report page, escaped
 *
 * DESCRIPTION
 *	The report is written as XHTML5 without namespace declarations: a
 *	browser opening report.html parses it as HTML, and `xmllint --noout`
 *	checks it as well-formed XML, which is stricter than any HTML parser.
 *	Every non-void element is closed explicitly (never <td/>), and void
 *	ones are self-closed (<meta .../>), which both syntaxes accept.
 *
 *	Its style is inline: the page loads nothing (no fonts, no scripts, no
 *	images), fits a 1366x768 screen in two columns, falls back to one on
 *	a narrow window and on paper (@media print), and never carries
 *	meaning by colour alone: every bar has its label and number.
 *
 * SECURITY
 *	Every value shown comes from documents (file names, subjects, error
 *	messages): dp_xhtml_escape() is the only way text reaches the page.
 *	It also removes what XML forbids (control characters, invalid UTF-8,
 *	U+FFFE and U+FFFF), so a hostile value cannot make the page
 *	ill-formed.
 */
#include "report/xhtml.h"

#include <string.h>

#include "util/banned.h"

/* Characters XML 1.0 forbids or that a reader should never see raw. */
static gboolean
unwanted_char(gunichar c)
{
	if (c == '\t' || c == '\n')
		return FALSE;
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xfffe || c == 0xffff;
}

void
dp_xhtml_escape(GString *out, const char *text, gsize maxchars)
{
	g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
	gsize n = 0;
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		if (maxchars > 0 && n == maxchars) {
			g_string_append(out, "\xe2\x80\xa6"); /* U+2026, the ellipsis */
			return;
		}
		n++;
		gunichar c = g_utf8_get_char(p);
		switch (c) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&#39;"); break;
		default:
			if (unwanted_char(c))
				g_string_append(out, "\xef\xbf\xbd"); /* U+FFFD */
			else
				g_string_append_len(out, p, g_utf8_next_char(p) - p);
		}
	}
}

/*
 * The style.  Bars are a dark fill with a black outline (class bar) or,
 * for a second series, white with a dashed outline (class bar2), so the
 * two stay apart in grey print; the numbers are written beside them.
 */
static const char style[] =
    "body{font:14px/1.35 sans-serif;color:#000;background:#fff;margin:0 auto;max-width:1340px;padding:4px 14px}\n"
    "h1{font-size:20px;margin:6px 0 2px}h2{font-size:16px;margin:4px 0 6px}\n"
    "header p{margin:2px 0 8px}nav{margin:0 0 8px;font-size:13px}nav a{margin-right:10px;color:#000}\n"
    "main{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:12px 20px;align-items:start}\n"
    "section{border:1px solid #888;padding:4px 12px 10px;min-width:0}\n"
    "section.wide{grid-column:1/-1}\n"
    "table{border-collapse:collapse;width:100%;font-size:12px;margin:6px 0}\n"
    "th,td{border-bottom:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;min-width:4.5em}\n"
    "th{border-bottom:2px solid #000}\n"
    "th.n,td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "figure{margin:8px 0 4px}figcaption{font-weight:bold;font-size:13px}\n"
    "svg.chart{display:block;width:100%;max-width:640px;height:auto;margin:4px 0}\n"
    "svg text{font-family:sans-serif;font-size:11px;fill:#000}\n"
    "svg .bar{fill:#24527a;stroke:#000;stroke-width:0.5}\n"
    "svg .bar2{fill:#fff;stroke:#24527a;stroke-width:1.5;stroke-dasharray:3 2}\n"
    "svg .axis{stroke:#000;stroke-width:1}\n"
    "p.note{font-style:italic;margin:4px 0}\n"
    "@media print{body{max-width:none;font-size:10pt;padding:0}nav{display:none}"
    "main{display:block}section{break-inside:avoid;margin:0 0 8pt}svg .bar{fill:#555}"
    "svg.chart{max-width:16cm}}\n";

void
dp_xhtml_page_open(GString *out, const char *title)
{
	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>");
	dp_xhtml_escape(out, title, 0);
	g_string_append_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

void
dp_xhtml_page_close(GString *out)
{
	g_string_append(out, "</body>\n</html>\n");
}

void
dp_xhtml_section_open(GString *out, const char *id, const char *title, gboolean wide)
{
	g_string_append_printf(out, "<section id=\"%s\"%s>\n<h2>", id, wide ? " class=\"wide\"" : "");
	dp_xhtml_escape(out, title, 0);
	g_string_append(out, "</h2>\n");
}

void
dp_xhtml_section_close(GString *out)
{
	g_string_append(out, "</section>\n");
}

void
dp_xhtml_note(GString *out, const char *text)
{
	g_string_append(out, "<p class=\"note\">");
	dp_xhtml_escape(out, text, 0);
	g_string_append(out, "</p>\n");
}

void
dp_xhtml_table_open(GString *out, const char *const *headers)
{
	g_string_append(out, "<table>\n<thead><tr>");
	for (guint i = 0; headers[i]; i++) {
		gboolean num = headers[i][0] == '#';
		g_string_append(out, num ? "<th class=\"n\">" : "<th>");
		dp_xhtml_escape(out, headers[i] + num, 0);
		g_string_append(out, "</th>");
	}
	g_string_append(out, "</tr></thead>\n<tbody>\n");
}

void
dp_xhtml_table_close(GString *out)
{
	g_string_append(out, "</tbody>\n</table>\n");
}

void
dp_xhtml_row_open(GString *out)
{
	g_string_append(out, "<tr>");
}

void
dp_xhtml_row_close(GString *out)
{
	g_string_append(out, "</tr>\n");
}

void
dp_xhtml_cell(GString *out, const char *text, gsize maxchars)
{
	g_string_append(out, "<td>");
	dp_xhtml_escape(out, text, maxchars);
	g_string_append(out, "</td>");
}

void
dp_xhtml_cell_num(GString *out, guint64 n)
{
	g_string_append_printf(out, "<td class=\"n\">%" G_GUINT64_FORMAT "</td>", n);
}
