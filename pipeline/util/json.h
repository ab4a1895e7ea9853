/*
 * json.h: JSON string literals for the --json outputs of run and status.
 */
#ifndef DOCPIPE_JSON_H
#define DOCPIPE_JSON_H

#include <glib.h>

/* Append S to OUT as a JSON string literal (null for NULL); invalid UTF-8 becomes U+FFFD. */
void dp_json_string(GString *out, const char *s);

#endif
