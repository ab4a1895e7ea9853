#!/bin/sh
# t2210: RTF documents (extract/rtf-doc.c): text, \info metadata, code
# pages, tables, Outlook's HTML-encapsulated RTF, embedded Packager objects
# as parts, hostile input (deep nesting, a giant \bin, garbage), and the
# corpus's testRTF.rtf (Tika) with its expectations.tsv row.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'make the samples (scripts/make-samples-rtf)' '
	"$TOP/scripts/make-samples-rtf" rtf &&
	test -s rtf/info.rtf && test -s rtf/objects.rtf
'

test_expect_success 'RTF is detected as text/rtf, not text/plain' '
	docpipe convert --xml --no-redact rtf/info.rtf >x.xml &&
	test_grep "type=\"text/rtf\" status=\"ok\"" x.xml
'

test_expect_success 'text: code pages, \u, tables and field results' '
	docpipe convert --no-redact rtf/info.rtf >out &&
	cat >want <<-\EOT &&
	The café budget rose €12 this quarter.
	Привет from Sofia.
	Item	Cost
	Coffee	12
	example link
	EOT
	test_cmp want out
'

test_expect_success '\info becomes metadata' '
	docpipe convert --xml --no-redact rtf/info.rtf >x.xml &&
	test_meta title "Quarterly café report" &&
	test_meta author "Ann Example" &&
	test_meta subject "Budgets" &&
	test_meta keywords "q3 budget" &&
	test_meta created "2024-03-01T09:30:00" &&
	test_meta modified "2024-03-02T10:00:00"
'

test_expect_success 'HTML-encapsulated RTF: the text, not the \htmlrtf copy or the tags' '
	test_convert_text rtf/html.rtf "Dear Bob,\nthe HTML body made it.\n"
'

test_expect_success 'embedded Packager objects are parts under their file names' '
	docpipe convert --xml --no-redact rtf/objects.rtf >x.xml &&
	test_grep "path=\"object 1/notes.txt\" type=\"text/plain\" status=\"ok\"" x.xml &&
	test_grep "path=\"object 2/page.html\" type=\"text/html\" status=\"ok\"" x.xml &&
	test_meta ole-class "Package" &&
	test_grep "path=\"picture 1\" type=\"image/png\"" x.xml &&
	docpipe convert --no-redact rtf/objects.rtf >out &&
	test_grep "^Packaged notes: the meeting moved to Thursday.$" out &&
	test_grep "^Embedded page text.$" out &&
	test_grep "^After the objects.$" out &&
	! grep -q "^==> picture 2" out
'

test_expect_success 'deep nesting: status limit, the outer text kept' '
	test_exit_code 65 docpipe convert --xml --no-redact rtf/deep.rtf >x.xml 2>err &&
	test_grep "status=\"limit\"" x.xml &&
	test_grep "groups nested deeper than 200" err &&
	test_grep " end$" x.xml
'

test_expect_success 'a giant bin length and garbage after the RTF header end cleanly' '
	docpipe convert --no-redact rtf/bigbin.rtf >out &&
	test_grep "^before$" out &&
	docpipe convert --no-redact rtf/notrtf.rtf >out &&
	test -s out
'

test_expect_success CORPUS 'the corpus testRTF.rtf: its text and metadata' '
	unzip -q -o "$CORPUS/tika/zip/test-documents.zip" testRTF.rtf &&
	docpipe convert --xml --no-redact testRTF.rtf >x.xml &&
	test_grep "type=\"text/rtf\" status=\"ok\"" x.xml &&
	test_meta title "Test d’indexation Word" &&
	test_meta author "Bibliotheque" &&
	test_grep "Test d’indexation Word" x.xml
'

test_expect_success CORPUS 'the expectations.tsv row of testRTF.rtf holds in test-documents.zip' '
	docpipe convert --xml --no-redact "$CORPUS/tika/zip/test-documents.zip" >x.xml &&
	test_grep "path=\"entry testRTF.rtf\" type=\"text/rtf\" status=\"ok\"" x.xml &&
	want=$(grep "^tika/zip/test-documents.zip	indexation Word$" "$CORPUS/expectations.tsv" | cut -f2) &&
	test "$want" = "indexation Word" &&
	sed -n "/path=\"entry testRTF.rtf\"/,/<\/document>/p" x.xml >rtf.xml &&
	grep -qF -- "$want" rtf.xml
'

test_done
