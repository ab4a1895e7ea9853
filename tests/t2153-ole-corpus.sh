#!/bin/sh
# t2153: the Word, Excel and PowerPoint files of the corpus's
# tika/zip/test-documents.zip: each is named by its content (also inside
# the zip), every expectations.tsv row for them is met by the file alone,
# and the words catdoc, xls2csv and catppt (Debian's catdoc package) find
# are all in docpipe's text, when those tools are installed.
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

ZIP=$CORPUS/tika/zip/test-documents.zip

test_expect_success 'setup: the three files out of the zip' '
	(cd "$TRASH" && unzip -q -o "$ZIP" testWORD.doc testEXCEL.xls testPPT.ppt)
'

test_expect_success 'each is named by its root entries, with its summary properties' '
	docpipe convert --xml --no-redact "$TRASH/testWORD.doc" "$TRASH/testEXCEL.xls" "$TRASH/testPPT.ppt" >x.xml &&
	test_grep "type=\"application/msword\" status=\"ok\"" x.xml &&
	test_grep "type=\"application/vnd.ms-excel\" status=\"ok\"" x.xml &&
	test_grep "type=\"application/vnd.ms-powerpoint\" status=\"ok\"" x.xml &&
	test_grep "<meta name=\"title\">Sample Word Document</meta>" x.xml &&
	test "$(grep -c "<meta name=\"author\">Keith Bennett</meta>" x.xml)" = 3
'

# The rows name the zip; each row is checked against the one file that
# holds its string (testWORD.doc for the Word sentence, and so on).
test_expect_success 'the Word, Excel and PowerPoint rows of expectations.tsv' '
	for want in "This is a sample Microsoft Word Document" "Sample Excel Worksheet" \
		"Sample Powerpoint Slide" "testWORD.doc" "testEXCEL.xls" "testPPT.ppt"; do
		grep -qxF "tika/zip/test-documents.zip	$want" "$CORPUS/expectations.tsv" ||
			{ echo "no row: $want"; return 1; }
	done &&
	docpipe convert --no-redact "$TRASH/testWORD.doc" >doc.txt &&
	docpipe convert --no-redact "$TRASH/testEXCEL.xls" >xls.txt &&
	docpipe convert --no-redact "$TRASH/testPPT.ppt" >ppt.txt &&
	test_grep "This is a sample Microsoft Word Document" doc.txt &&
	test_grep "Sample Excel Worksheet" xls.txt &&
	test_grep "Sample Powerpoint Slide" ppt.txt &&
	docpipe convert --xml --no-redact "$ZIP" >zip.xml &&
	for f in testWORD.doc testEXCEL.xls testPPT.ppt; do
		test_grep "path=\"entry $f\" type=\"application/\(msword\|vnd.ms-excel\|vnd.ms-powerpoint\)\" status=\"ok\"" zip.xml ||
			return 1
	done
'

# Words of the reference tools' output (letters and digits only, as
# xls2csv quotes cells) that docpipe's text lacks.
missing_words() {
	tr -c "[:alnum:]" "\n" <"$1" | grep . | sort -u >want.words &&
	tr -c "[:alnum:]" "\n" <"$2" | grep . | sort -u >have.words &&
	comm -23 want.words have.words
}

if command -v catdoc >/dev/null && command -v xls2csv >/dev/null && command -v catppt >/dev/null; then
	test_set_prereq CATDOC
fi

test_expect_success CATDOC 'every word catdoc, xls2csv and catppt find is in docpipe'"'"'s text' '
	catdoc "$TRASH/testWORD.doc" >ref.doc && docpipe convert --no-redact "$TRASH/testWORD.doc" >our.doc &&
	xls2csv "$TRASH/testEXCEL.xls" >ref.xls && docpipe convert --no-redact "$TRASH/testEXCEL.xls" >our.xls &&
	# catppt also prints the name of the master, which docpipe leaves out with the master.
	catppt "$TRASH/testPPT.ppt" | grep -v "Blank Presentation" >ref.ppt &&
	docpipe convert --no-redact "$TRASH/testPPT.ppt" >our.ppt &&
	for k in doc xls ppt; do
		missing_words ref.$k our.$k >miss && { test ! -s miss || { echo "$k:"; cat miss; return 1; }; }
	done
'

test_done
