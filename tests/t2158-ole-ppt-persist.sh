#!/bin/sh
# t2158: a legacy PowerPoint file is read as PowerPoint reads it, through
# Current User, the chain of UserEditAtoms and their persist directories
# (extract/ole-ppt.c): a fast-saved file gives the current version of
# each slide, in the current slide list's order, never the text or the
# embedded object that an edit superseded; a file whose persist
# directory is damaged falls back to stream order and says so in
# meta.stream-order; a slide listed again is read once.  Samples from
# scripts/make-samples-ole; the shared corpus's testPPT.ppt when present.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

test_expect_success 'fast-saved: the current slides in their new order, no superseded text' '
	docpipe convert --no-redact "$S/slides-fastsave.ppt" >out &&
	cat >expect <<-\EOT &&
	Beta title
	Beta body
	Alpha title, edited
	Alpha body, revised

	==> object 1 [application/x-ole-storage] <==

	==> object content [text/plain] <==
	Current object text.
	EOT
	test_cmp expect out
'

test_expect_success 'fast-saved: the current object only, the superseded versions counted in meta' '
	docpipe convert --xml --no-redact "$S/slides-fastsave.ppt" >x.xml &&
	grep "<document " x.xml | head -n 1 | grep -q "type=\"application/vnd.ms-powerpoint\" status=\"ok\"" &&
	test_grep "<meta name=\"superseded-versions\">3</meta>" x.xml &&
	test_grep "<meta name=\"filename\">new.txt</meta>" x.xml &&
	test_grep "Current object text." x.xml &&
	! grep -q "Initech" x.xml &&
	! grep -q "draft" x.xml &&
	! grep -q "old.txt" x.xml &&
	! grep -q "Superseded object" x.xml &&
	! grep -q "stream-order" x.xml
'

test_expect_success 'a damaged persist directory: every version in stream order, meta.stream-order says why' '
	docpipe convert --xml --no-redact "$S/slides-damaged.ppt" >x.xml &&
	test_grep "<meta name=\"stream-order\">the persist directory has no entry for the document; every version.s text, older ones too</meta>" x.xml &&
	docpipe convert --no-redact "$S/slides-damaged.ppt" >out &&
	cat >expect <<-\EOT &&
	Alpha title (draft)
	Beta title
	Draft: the merger with Initech closes on Friday
	Beta body
	Beta title
	Alpha title, edited
	Alpha body, revised

	==> object 1 [application/x-ole-storage] <==

	==> object content [text/plain] <==
	Superseded object: budget 9,000,000.

	==> object 2 [application/x-ole-storage] <==

	==> object content [text/plain] <==
	Current object text.
	EOT
	test_cmp expect out
'

test_expect_success 'no Current User stream: stream order, meta.stream-order says why' '
	docpipe convert --xml --no-redact "$S/slides-linear.ppt" >x.xml &&
	test_grep "<meta name=\"stream-order\">it has no readable Current User stream; " x.xml &&
	! grep -q superseded-versions x.xml
'

test_expect_success 'edits that loop: each edit read once, the current text as without the loop' '
	docpipe convert --no-redact "$S/slides-fastsave.ppt" >expect &&
	docpipe convert --xml --no-redact "$S/slides-edit-loop.ppt" >x.xml &&
	grep "<document " x.xml | head -n 1 | grep -q "status=\"ok\"" &&
	docpipe convert --no-redact "$S/slides-edit-loop.ppt" >out &&
	test_cmp expect out
'

test_expect_success 'one slide listed 4,000 times: its text once, status partial' '
	docpipe convert --xml --no-redact "$S/repeat.ppt" >x.xml 2>err;
	test_grep "status=\"partial\"" x.xml &&
	test_grep "3999 slides listed again; the text of each read once" err &&
	test "$(grep -o "Repeated slide text\." x.xml | wc -l)" = 3000
'

test_expect_success CORPUS 'the corpus presentation: its text through the persist directory, as before' '
	unzip -q -o "$CORPUS/tika/zip/test-documents.zip" testPPT.ppt &&
	docpipe convert --xml --no-redact testPPT.ppt >x.xml &&
	grep "<document " x.xml | head -n 1 | grep -q "status=\"ok\"" &&
	! grep -q stream-order x.xml &&
	docpipe convert --no-redact testPPT.ppt >out &&
	printf "Sample Powerpoint Slide\nCreated with Microsoft\nPowerpoint X for Mac\nService Release 1\n" >expect &&
	test_cmp expect out
'

test_done
