#!/bin/sh
# t4102: the corpus database and OCR: a scan's documents row has its
# OCR'd pages and their mean confidences, and no text layer; the same page
# scanned twice (PNG at two resolutions) is a duplicate group whose
# representative is neither but the page's text layer when there is one.
test_description='corpus database: OCR confidences and text layers'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIR/ocr-lib.sh"

test_expect_success 'set-up: a page scanned twice and its text as a text file' '
	mkdir in &&
	cp "$S/page-1-300.png" "$S/page-1-200.png" "$S/pages.tif" in/ &&
	cp "$S/page-1.txt" in/page-1-typed.txt &&
	docpipe run -q -j2 -c "$BASE" in out
'

test_expect_success 'OCR pages and their confidences, one per page, 0 to 100' '
	sqlite3 out/corpus.sqlite "SELECT ocr_pages, ocr_confidences, has_text_layer FROM documents WHERE source = \"pages.tif\"" >row &&
	IFS="|" read -r pages confs layer <row &&
	test "$pages" -ge 2 && test "$layer" = 0 &&
	test "$(echo $confs | wc -w)" = "$pages" &&
	for c in $confs; do test "$c" -ge 0 && test "$c" -le 100 || return 1; done &&
	test "$(sqlite3 out/corpus.sqlite "SELECT ocr_confidences FROM documents WHERE source = \"page-1-typed.txt\"")" = ""
'

test_expect_success 'the two scans and the typed text are one group, the text layer first' '
	docpipe dups out >dups.txt && cat dups.txt &&
	grep -q "page-1-300.png" dups.txt && grep -q "page-1-200.png" dups.txt &&
	test "$(head -1 dups.txt | cut -f 4)" = page-1-typed.txt
'

test_done
