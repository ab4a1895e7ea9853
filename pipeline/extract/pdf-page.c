/*
 * pdf-page.c: the rules both PDF modules apply to a page's text layer:
 * its quality, and whether its only text sits in the margins.  Linked
 * into docpipe-pdf.so (pdf.c, pdf-ocr.c) and docpipe-pdftext.so
 * (pdf-text.cc): one definition, so that the two modules cannot drift
 * apart on which page is text, garbage or a scan with a stamp.
 *
 * SECURITY: reads Poppler's text of an untrusted page (valid UTF-8, as
 * Poppler gives it) and the character boxes Poppler laid out; the loop
 * over boxes is bounded by their count.
 */
#include "extract/pdf-page.h"

#include "util/banned.h"

PageQuality
dp_pdf_page_quality(const char *text)
{
	gsize visible = 0, bad = 0;
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c))
			continue;
		visible++;
		if (c == 0xFFFD || (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000) || (c < 0x20) ||
		    (c >= 0x7F && c < 0xA0))
			bad++;
	}
	if (visible == 0)
		return PAGE_EMPTY;
	return bad * 2 > visible ? PAGE_GARBLED : PAGE_TEXT;
}

gboolean
dp_pdf_margin_small(const char *layer)
{
	glong visible = 0;
	for (const char *p = layer; *p; p = g_utf8_next_char(p))
		visible += !g_unichar_isspace(g_utf8_get_char(p));
	return visible > 0 && visible <= DP_PDF_MARGIN_MAX_CHARS;
}

gboolean
dp_pdf_margin_only(const char *layer, const DpPdfBox *boxes, guint n, double height)
{
	if (height <= 0 || boxes == NULL || (glong)n != g_utf8_strlen(layer, -1))
		return FALSE;
	guint i = 0;
	for (const char *p = layer; *p; p = g_utf8_next_char(p), i++) {
		if (g_unichar_isspace(g_utf8_get_char(p)))
			continue;
		double mid = (boxes[i].y1 + boxes[i].y2) / 2;
		if (!(mid < height * DP_PDF_MARGIN_FRACTION || mid > height * (1 - DP_PDF_MARGIN_FRACTION)))
			return FALSE;
	}
	return TRUE;
}

char *
dp_pdf_page_list(const GArray *pages)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < pages->len; i++)
		g_string_append_printf(s, "%s%u", i ? " " : "", g_array_index(pages, guint, i));
	return g_string_free(s, FALSE);
}
