/*
 * NAME
 *	printed-corpus - the printed e-mail parser over real released texts
 *
 * SYNOPSIS
 *	printed-corpus [--dump] FILE...
 *
 * DESCRIPTION
 *	Runs dp_printed_parse() over each FILE (a text layer of a released
 *	document, as in ../shared/corpus/state-release-text/) and prints the
 *	statistics: files, files with at least one message, messages, and
 *	how many messages have each field.  It fails (exit 1) unless at
 *	least 0.9 of the files give a message, every message has a sent or
 *	a subject, and every message but at most 1 in 100 has a from (a name
 *	or address, or a from withheld by a redaction mark; the exceptions
 *	are Froms printed with nothing after them, blacked out without a
 *	code).  The messages that fall short are named.  --dump
 *	prints every message's fields, for looking at the parser's work.
 *	t1210-foia-printed-unit.sh runs it.
 */
#include "foia/printed.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static void
dump(const char *path, guint k, const DpPrintedMessage *m)
{
	printf("== %s #%u @%" G_GSIZE_FORMAT "\n", path, k, m->offset);
	for (int f = 0; f < DP_PRINTED_BODY; f++) {
		const char *v = m->field[f];
		printf("  %s: %s\n", dp_printed_field_names[f], v ? v : "-");
	}
	printf("  body: %" G_GSIZE_FORMAT " bytes\n", strlen(m->field[DP_PRINTED_BODY]));
}

int
main(int argc, char **argv)
{
	gboolean dump_all = FALSE;
	guint files = 0, with_msg = 0, msgs = 0, bad = 0, no_from = 0;
	guint n[DP_PRINTED_N_FIELDS] = { 0 }, n_withheld_from = 0; /* messages that have each field */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dump") == 0) {
			dump_all = TRUE;
			continue;
		}
		g_autofree char *text = NULL;
		gsize len = 0;
		g_autoptr(GError) error = NULL;
		if (!g_file_get_contents(argv[i], &text, &len, &error)) {
			fprintf(stderr, "printed-corpus: %s\n", error->message);
			return 2;
		}
		files++;
		g_autoptr(GPtrArray) found = dp_printed_parse(text, len, "America/New_York");
		if (found->len > 0)
			with_msg++;
		else if (dump_all)
			printf("== %s: no message\n", argv[i]);
		for (guint k = 0; k < found->len; k++) {
			const DpPrintedMessage *m = found->pdata[k];
			const char *withheld = m->field[DP_PRINTED_WITHHELD];
			gboolean withheld_from =
			    withheld && (g_str_has_prefix(withheld, "from ") || strstr(withheld, "; from ") != NULL);
			msgs++;
			for (int f = 0; f < DP_PRINTED_N_FIELDS; f++)
				n[f] += m->field[f] != NULL;
			n_withheld_from += m->field[DP_PRINTED_FROM] == NULL && withheld_from;
			if (m->field[DP_PRINTED_FROM] == NULL && !withheld_from) {
				no_from++;
				printf("# no from: %s message %u at byte %" G_GSIZE_FORMAT "\n", argv[i], k, m->offset);
			}
			if (m->field[DP_PRINTED_SENT] == NULL && m->field[DP_PRINTED_SUBJECT] == NULL) {
				bad++;
				printf("# neither sent nor subject: %s message %u at byte %" G_GSIZE_FORMAT "\n",
				       argv[i], k, m->offset);
			}
			if (dump_all)
				dump(argv[i], k, m);
		}
	}
	printf("# files %u, with messages %u (%.3f), messages %u\n", files, with_msg,
	       files ? (double)with_msg / files : 0.0, msgs);
	printf("# from %u (+%u withheld, %u printed empty), to %u, cc %u, subject %u, sent %u, date parsed %u, "
	       "neither sent nor subject %u\n",
	       n[DP_PRINTED_FROM], n_withheld_from, no_from, n[DP_PRINTED_TO], n[DP_PRINTED_CC], n[DP_PRINTED_SUBJECT],
	       n[DP_PRINTED_SENT], n[DP_PRINTED_DATE], bad);
	/*
	 * A From printed with nothing after it (blacked out without a code)
	 * is what the paper says: up to 1 in 100 messages may have one.
	 */
	if (files == 0 || (double)with_msg < 0.9 * files || bad > 0 || (double)no_from > 0.01 * msgs)
		return 1;
	return 0;
}
