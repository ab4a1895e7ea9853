/*
 * pattern.c: what a custom [rule] pattern may match that the built-in
 * rules never do: a line feed.
 *
 * The view a pattern is matched on (view.c) keeps a paragraph break (a
 * blank line) as one "\n" and turns every other run of whitespace into
 * one space.  No built-in rule or term matches a "\n", which is what lets
 * docpipe-redact --text cut its input at blank lines; a user's pattern
 * may (`a\s+b`, `[^;]+`, `(?s)a.*b`).  Neither Hyperscan nor PCRE2 says
 * which characters an expression can match, so this reads the pattern's
 * syntax, conservatively: anything it does not know to exclude a line
 * feed (a negated class, an escape it does not know, an option setting,
 * a verb) counts as one.  A wrong "yes" only costs reading the whole input
 * at once; a wrong "no" would cut a match, so every doubt is a yes.
 */
#include "redact/internal.h"

#include <string.h>

#include "util/banned.h"

/* Escapes outside a class that never match a line feed (letters; \d, \w, \b...). */
static const char safe_escapes[] = "dwShVbBAzZGKgkteafrE";
/* Escapes inside a class that never add a line feed to it. */
static const char safe_class_escapes[] = "dwSh";

/*
 * The class at P (just after its '['): whether it may hold a line feed.
 * *END: just past its ']'.
 */
static gboolean
class_may_match_lf(const char *p, const char **end)
{
	gboolean lf = FALSE;
	if (*p == '^')
		lf = TRUE; /* a negated class holds everything it does not name */
	else if (*p == ']')
		p++; /* a ']' first is a literal */
	for (; *p != '\0' && *p != ']'; p++) {
		if ((guchar)*p < 0x20)
			lf = TRUE; /* a line feed, or a control character that may start a range over one */
		else if (*p == '[' && p[1] == ':')
			lf = TRUE; /* a POSIX class: [:space:], [:cntrl:] hold one */
		else if (*p == '\\' && p[1] != '\0') {
			p++;
			if ((guchar)*p < 0x20 || (g_ascii_isalnum(*p) && strchr(safe_class_escapes, *p) == NULL))
				lf = TRUE;
		}
	}
	*end = *p == ']' ? p + 1 : p;
	return lf;
}

/* The group opened at P (just after "(?"): whether it sets an option (s, x, ...). */
static gboolean
group_sets_options(const char *p)
{
	/* Not options: (?: (?= (?! (?< (?> (?| (?P (?' (?# and the like. */
	if (strchr(":=!<>|P'#", *p) != NULL)
		return FALSE;
	return TRUE;
}

gboolean
dp_pattern_may_match_lf(const char *pattern)
{
	for (const char *p = pattern; *p != '\0';) {
		switch (*p) {
		case '\n': return TRUE;
		case '[': {
			const char *end;
			if (class_may_match_lf(p + 1, &end))
				return TRUE;
			p = end;
			continue;
		}
		case '(':
			if (p[1] == '*' || (p[1] == '?' && group_sets_options(p + 2)))
				return TRUE;
			break;
		case '\\':
			if (p[1] == '\0' || p[1] == '\n')
				return TRUE;
			/* \Q...\E quotes its text: only a line feed in it matters. */
			if (p[1] == 'Q') {
				const char *e = strstr(p + 2, "\\E");
				gsize n = e ? (gsize)(e - p - 2) : strlen(p + 2);
				if (memchr(p + 2, '\n', n) != NULL)
					return TRUE;
				p += 2 + n + (e ? 2 : 0);
				continue;
			}
			/* A single digit 1-9 is a back reference: it matches what its group did. */
			if (p[1] >= '1' && p[1] <= '9' && !g_ascii_isdigit(p[2])) {
				p += 2;
				continue;
			}
			if (g_ascii_isalnum(p[1]) && strchr(safe_escapes, p[1]) == NULL)
				return TRUE;
			p += 2;
			continue;
		default: break;
		}
		p++;
	}
	return FALSE;
}
