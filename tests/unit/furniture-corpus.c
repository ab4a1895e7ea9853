/*
 * NAME
 *	furniture-corpus - the page furniture of real release texts, measured
 *
 * SYNOPSIS
 *	furniture-corpus [-v] FILE.txt...
 *
 * DESCRIPTION
 *	Runs dp_furniture_apply() over each FILE (the text of a State
 *	Department release, pages separated by form feeds, named after its
 *	document number: C05739545.txt) and prints one line per file:
 *
 *	    NAME doc=OK|MISS(VALUE) case=OK|MISS release=OK|MISS banner-left=N
 *
 *	doc is right when meta.foia.doc is the file's name without ".txt";
 *	case and release when meta.foia.case and .release are set; banner-left counts the lines of the
 *	stripped text that still hold a banner ("Doc No." with a document
 *	number, or "Case No." with a case number), each printed first as
 *	"NAME left: LINE".  The last line sums them:
 *
 *	    total N doc R case R release R banner-left N
 *
 *	With -v, each file's fields and stripped text are printed too.
 *
 *	Exit status 0, or 1 when a file cannot be read.
 */
#include "core/record.h"
#include "core/text.h"
#include "foia/furniture.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* Lines of TEXT that still look like a banner, each printed. */
static guint
banner_lines(const char *name, const char *text)
{
	g_autoptr(GRegex) re =
	    g_regex_new("(Doc\\s*No\\.?\\s*C\\d{6}|Case\\s*No\\.?\\s*F-\\d{4})", G_REGEX_MULTILINE, 0, NULL);
	g_auto(GStrv) lines = g_strsplit_set(text, "\n\f", -1);
	guint n = 0;
	for (gsize i = 0; lines[i] != NULL; i++)
		if (g_regex_match(re, lines[i], 0, NULL)) {
			printf("%s left: %s\n", name, lines[i]);
			n++;
		}
	return n;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(DpFurniture) f = dp_furniture_new(NULL, &error);
	if (f == NULL) {
		fprintf(stderr, "furniture-corpus: %s\n", error->message);
		return 1;
	}
	guint total = 0, doc_ok = 0, case_ok = 0, release_ok = 0, left = 0;
	int rc = 0;
	gboolean verbose = argc > 1 && g_str_equal(argv[1], "-v");
	for (int i = verbose ? 2 : 1; i < argc; i++) {
		g_autofree char *data = NULL;
		gsize len = 0;
		if (!g_file_get_contents(argv[i], &data, &len, &error)) {
			fprintf(stderr, "furniture-corpus: %s\n", error->message);
			g_clear_error(&error);
			rc = 1;
			continue;
		}
		g_autoptr(DpRecord) rec = dp_record_new();
		g_autoptr(GString) norm = dp_text_normalize(data, len);
		dp_record_set_body(rec, norm->str, norm->len);
		dp_furniture_apply(f, rec, FALSE);
		g_autofree char *base = g_path_get_basename(argv[i]);
		char *dot = strrchr(base, '.');
		if (dot != NULL)
			*dot = '\0';
		if (verbose) {
			for (guint k = 0; k < rec->fields->len; k++) {
				const DpField *fl = rec->fields->pdata[k];
				printf("%s: %s\n", fl->key, fl->value);
			}
			printf("%s", rec->body->str);
		}
		const char *doc = dp_record_get(rec, "meta.foia.doc");
		gboolean dok = g_strcmp0(doc, base) == 0;
		gboolean cok = dp_record_get(rec, "meta.foia.case") != NULL;
		gboolean rok = dp_record_get(rec, "meta.foia.release") != NULL;
		guint bl = banner_lines(base, rec->body->str);
		total++;
		doc_ok += dok;
		case_ok += cok;
		release_ok += rok;
		left += bl;
		printf("%s doc=%s%s%s%s case=%s release=%s banner-left=%u\n", base, dok ? "OK" : "MISS", dok ? "" : "(",
		       dok ? "" : (doc ? doc : "none"), dok ? "" : ")", cok ? "OK" : "MISS", rok ? "OK" : "MISS", bl);
	}
	printf("total %u doc %.4f case %.4f release %.4f banner-left %u\n", total, total ? (double)doc_ok / total : 0.0,
	       total ? (double)case_ok / total : 0.0, total ? (double)release_ok / total : 0.0, left);
	return rc;
}
