#!/bin/sh
test_description='PDF: docpipe-pdftext.so reads what it accepts exactly as docpipe-pdf.so does'
. "$(dirname "$0")/test-lib.sh"

# Two copies of docpipe, each beside one PDF module only: "full" reads
# every PDF with docpipe-pdf.so (poppler-glib), "text" with
# docpipe-pdftext.so alone (Poppler's core library, extract/pdf-text.cc),
# which declines what it does not read ("PDF support is not available").
# A module is looked for beside the running program (extract/module.c).
test_expect_success 'set up a docpipe with each PDF module alone' '
	mkdir full text &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdf.so" "$DOCPIPE_BUILD/docpipe-ocr.so" full/ &&
	cp "$DOCPIPE_BUILD/docpipe" "$DOCPIPE_BUILD/docpipe-pdftext.so" text/
'

# Each PDF of LIST (one path a line): the same XML from both, or the text
# module declined it.  Prints how many it read.
compare_modules() {
	n=0
	while read -r f; do
		text/docpipe convert --xml "$f" >text.xml 2>/dev/null
		if grep -q "PDF support is not available" text.xml; then
			continue
		fi
		full/docpipe convert --xml "$f" >full.xml 2>/dev/null
		cmp full.xml text.xml || { echo "differs: $f"; return 1; }
		n=$((n + 1))
	done <"$1"
	echo "$n" >read-by-text
	echo "# $n of $(wc -l <"$1") read by docpipe-pdftext.so"
}

test_expect_success 'the text-only samples are read by docpipe-pdftext.so, byte for byte' '
	text/docpipe convert --xml "$SAMPLES/pdf/two-columns.pdf" >t.xml &&
	full/docpipe convert --xml "$SAMPLES/pdf/two-columns.pdf" >f.xml &&
	! grep -q "not available" t.xml &&
	test_cmp f.xml t.xml &&
	text/docpipe convert --xml "$SAMPLES/pdf/non-latin.pdf" >t.xml &&
	full/docpipe convert --xml "$SAMPLES/pdf/non-latin.pdf" >f.xml &&
	! grep -q "not available" t.xml &&
	test_cmp f.xml t.xml
'

test_expect_success 'an attachment, a password or a page without text goes to docpipe-pdf.so' '
	for f in attachment.pdf password.pdf no-text-page.pdf; do
		text/docpipe convert --xml "$SAMPLES/pdf/$f" >t.xml
		test_grep "PDF support is not available" t.xml || return 1
	done
'

# Its content streams fill a dark box (pdf-covered.c may render it), or
# draw text invisibly (pdf-ocr.c looks for a text layer made by OCR): the
# byte scan of pdf-streams.c sends it to docpipe-pdf.so, unless [pdf]
# covered-text=keep says no page is to be looked at for covered words.
test_expect_success 'a dark box or invisible text goes to docpipe-pdf.so' '
	/usr/bin/python3 "$TOP/scripts/make-samples-covered" cov &&
	/usr/bin/python3 "$TOP/scripts/make-samples-ocr-layer" layer &&
	text/docpipe convert --xml cov/covered.pdf >t.xml &&
	test_grep "PDF support is not available" t.xml &&
	printf "[pdf]\ncovered-text=keep\n" >keep.conf &&
	text/docpipe convert -c keep.conf --xml cov/normal.pdf >t.xml &&
	! grep -q "not available" t.xml &&
	full/docpipe convert -c keep.conf --xml cov/normal.pdf >f.xml &&
	test_cmp f.xml t.xml &&
	text/docpipe convert --xml layer/layer.pdf >t.xml &&
	test_grep "PDF support is not available" t.xml &&
	ls cov/*.pdf layer/*.pdf >list &&
	compare_modules list
'

test_expect_success 'the samples: what the text module reads is the same' '
	ls "$SAMPLES"/pdf/*.pdf >list &&
	compare_modules list &&
	test "$(cat read-by-text)" -ge 2
'

test_expect_success CORPUS 'the corpus PDFs under 256 KB: what the text module reads is the same' '
	find "$CORPUS" -type f -iname "*.pdf" -size -256k | LC_ALL=C sort >list &&
	compare_modules list &&
	test "$(cat read-by-text)" -ge 10
'

test_done
