/*
 * xhtml.h: the pieces of the report page: text escaped for XML and HTML
 * at once, tables, sections, and the page's head and foot with its style.
 */
#ifndef DOCPIPE_XHTML_H
#define DOCPIPE_XHTML_H

#include <glib.h>

/*
 * Append TEXT (NULL is empty) to OUT, escaped for XML text and attribute
 * values: invalid UTF-8 repaired, control characters and non-characters
 * replaced by U+FFFD, & < > " ' as entities.  With MAXCHARS > 0 at most
 * that many characters are kept and an ellipsis marks the cut.
 */
void dp_xhtml_escape(GString *out, const char *text, gsize maxchars);

/* The page up to and including <body>, titled TITLE (escaped), with its style. */
void dp_xhtml_page_open(GString *out, const char *title);
/* </body> and </html>. */
void dp_xhtml_page_close(GString *out);

/* <section id="ID"><h2>TITLE</h2>; WIDE spans the whole page width. */
void dp_xhtml_section_open(GString *out, const char *id, const char *title, gboolean wide);
void dp_xhtml_section_close(GString *out);

/* A paragraph saying TEXT (escaped), styled as a note (an empty section). */
void dp_xhtml_note(GString *out, const char *text);

/*
 * A table head: one <th> per name in HEADERS (NULL-terminated); a name
 * starting with '#' is a numeric column (right-aligned; the '#' is not
 * shown).
 */
void dp_xhtml_table_open(GString *out, const char *const *headers);
void dp_xhtml_table_close(GString *out);
void dp_xhtml_row_open(GString *out);
void dp_xhtml_row_close(GString *out);
/* A cell holding TEXT, escaped and cut at MAXCHARS (0: whole). */
void dp_xhtml_cell(GString *out, const char *text, gsize maxchars);
/* A right-aligned cell holding N. */
void dp_xhtml_cell_num(GString *out, guint64 n);

#endif
