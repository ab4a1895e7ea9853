/*
 * json.h: JSON string literals for the --json outputs of run and status.
 */
#ifndef DOCPIPE_JSON_H
#define DOCPIPE_JSON_H

#include <glib.h>

/* Append S to OUT as a JSON string literal (null for NULL); invalid UTF-8 becomes U+FFFD. */
void dp_json_string(GString *out, const char *s);

/*
 * Append the members of an object whose values are strings, KEY and
 * VALUE pairs ending with a NULL key: "KEY": VALUE, ... with the values
 * as dp_json_string() writes them (null for NULL).  The braces are the
 * caller's.
 */
void dp_json_members(GString *out, const char *key, ...) G_GNUC_NULL_TERMINATED;

#endif
