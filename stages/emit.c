/*
 * NAME
 *	docpipe-emit - normalized text and XML from a record stream
 *
 * SYNOPSIS
 *	docpipe-emit [--xml] [--headers] [-o DIR]
 *
 * DESCRIPTION
 *	Reads records on standard input and writes each top-level document
 *	with its parts: as normalized UTF-8 text (the default) or XML
 *	(--xml, schema config/docpipe.rnc) on standard output, or with -o
 *	DIR both, to DIR/<source>.txt and DIR/<source>.xml, each written
 *	atomically.  Paths never leave DIR: ".." segments are renamed.  Two
 *	documents whose sources redaction made the same do not overwrite each
 *	other: the first keeps the name, the next get "~2", "~3", ...
 *	A document whose input shrank while it was read (its extraction
 *	ends with that error) is made of zeros past the cut: with -o
 *	nothing is written for it, and an older output under its name is
 *	removed (core/emit.c).
 *
 * EXIT STATUS
 *	0 every document ok; 65 some document or part failed; 66 the input
 *	of some document shrank while it was read; 77 some
 *	document is encrypted; 76 bad record stream; 73 an output could not
 *	be created; 74 write error.  See docpipe(1).
 */
#include "chain/stage.h"
#include "core/emit.h"
#include "core/record.h"
#include "util/diag.h"
#include "util/exitcode.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

static DpStage stage;
static gboolean opt_xml;
static gboolean opt_headers;
static char *opt_outdir;

static const DpStageSpec spec = {
	"- write text and XML from a record stream",
	(const GOptionEntry[]){
	    { "xml", 'x', 0, G_OPTION_ARG_NONE, &opt_xml, "Write XML instead of text", NULL },
	    { "headers", 'H', 0, G_OPTION_ARG_NONE, &opt_headers, "Put a '==> SOURCE <==' line before each document",
	      NULL },
	    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_outdir, "Write DIR/<source>.txt and .xml", "DIR" },
	    G_OPTION_ENTRY_NULL },
	"Exit status: 0 ok, 65 a document failed, 66 an input shrank while it was "
	"read,\n77 encrypted, 76 bad record stream, 73 cannot create output, 74 "
	"write error.\nSee docpipe-emit(1).",
	DP_STAGE_RECORDS_ONLY,
};

/*
 * Whether redaction changed REC's source: docpipe-redact notes it as
 * "redacted: RULE source COUNT OFF+LEN ..." on the top-level record.
 */
static gboolean
source_redacted(const DpRecord *rec)
{
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		const char *sp = g_str_equal(f->key, DP_F_REDACTED) ? strchr(f->value, ' ') : NULL;
		if (sp != NULL && g_str_has_prefix(sp + 1, DP_F_SOURCE " "))
			return TRUE;
	}
	return FALSE;
}

static gboolean
emit_record(DpRecord *rec, gpointer user, GError **error)
{
	/*
	 * With -o, a document whose name redaction changed gets "~2", "~3", ...
	 * when an earlier one already took that name, as with `docpipe convert
	 * -o` without a key: two inputs whose redacted names are the same must
	 * not overwrite each other.  (The keyed suffix of convert with a key
	 * and of run needs the real path, which the stream no longer has.)
	 */
	if (opt_outdir != NULL && dp_record_get(rec, DP_F_PARENT) == NULL && source_redacted(rec))
		dp_emitter_set_output_name(user, dp_record_get(rec, DP_F_SOURCE), TRUE);
	return dp_emitter_add(user, rec, error);
}

int
main(int argc, char **argv)
{
	int code = dp_stage_start(&stage, &spec, NULL, NULL, &argc, &argv);
	if (code != DP_EXIT_OK)
		return code;
	int formats = opt_outdir ? (DP_EMIT_TEXT | DP_EMIT_XML) : opt_xml ? DP_EMIT_XML : DP_EMIT_TEXT;
	g_autoptr(DpEmitter) em = dp_emitter_new(formats, opt_outdir, stdout, opt_headers);
	g_autoptr(GError) error = NULL;
	gboolean ok = dp_stage_each_record(emit_record, em, &code, &error);
	if (code != 0)
		return code; /* a bad stream: leave no half-written document behind */
	ok = ok && dp_emitter_finish(em, &error);
	return dp_stage_finish(ok, &error, 0, ok ? dp_emitter_exit_code(em) : 0);
}
