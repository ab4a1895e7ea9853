#!/bin/sh
# t1130: docpipe status counts OCR'd pages.  A run's workers report the
# pages read by OCR of each input (its parts' included) in their result,
# the ledger keeps them (column ocr_pages), and status prints their sum
# in text and JSON.  A ledger of the schema before the column (version 1)
# is read by status as it is and migrated by the next run, which goes on
# incrementally; a ledger of a newer version is refused.
. "$(dirname "$0")/test-lib.sh"

. "$TEST_DIR/ocr-lib.sh"

test_expect_success 'a run over scans: the ledger counts each input'"'"'s OCR'"'"'d pages' '
	mkdir in &&
	cp "$S/scan.pdf" "$S/pages.tif" "$S/textlayer.pdf" in/ &&
	echo "no scan here" >in/note.txt &&
	{
		printf "From: a@example.com\nSubject: scan\nMIME-Version: 1.0\n"
		printf "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee the scan\n"
		printf "\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
		base64 "$S/page-1-200.png"
		printf "\n--b--\n"
	} >in/mail.eml &&
	docpipe run -q -c "$BASE" -j 2 in out &&
	sqlite3 out/.docpipe/ledger.sqlite "SELECT path, ocr_pages FROM inputs ORDER BY path" >rows &&
	cat >want <<-\EOF &&
	mail.eml|1
	note.txt|0
	pages.tif|3
	scan.pdf|2
	textlayer.pdf|0
	EOF
	test_cmp want rows &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "PRAGMA user_version")" = 2
'

test_expect_success 'docpipe status prints the sum, in text and JSON' '
	docpipe status out >s &&
	test_grep "^5 inputs in 1 ledger" s &&
	test_grep "^6 pages read by OCR, in 3 inputs$" s &&
	docpipe status --json out >sj &&
	test_json sj "d[\"ocr_pages\"] == 6 and d[\"ocr_inputs\"] == 3" "d[\"ledgers\"][0][\"ocr_pages\"] == 6"
'

test_expect_success 'two ledgers add up' '
	mkdir in2 && cp "$S/page-1-300.png" in2/ &&
	docpipe run -q -c "$BASE" in2 out2 &&
	docpipe status out out2 >s &&
	test_grep "^7 pages read by OCR, in 4 inputs$" s
'

# The ledger of an older docpipe: version 1, without the column.
test_expect_success 'a version 1 ledger: status reads it as it is' '
	cp -R out old &&
	sqlite3 old/.docpipe/ledger.sqlite "ALTER TABLE inputs DROP COLUMN ocr_pages; PRAGMA user_version=1" &&
	docpipe status old >s &&
	test_grep "^5 inputs in 1 ledger" s &&
	test_grep "^0 pages read by OCR, in 0 inputs$" s &&
	test "$(sqlite3 old/.docpipe/ledger.sqlite "PRAGMA user_version")" = 1
'

test_expect_success 'a version 1 ledger: the next run migrates it and converts nothing again' '
	docpipe run -c "$BASE" in old 2>err >/dev/null &&
	test_grep "0 converted" err &&
	test "$(sqlite3 old/.docpipe/ledger.sqlite "PRAGMA user_version")" = 2 &&
	test "$(sqlite3 old/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs WHERE ocr_pages = 0")" = 5 &&
	docpipe status old >s &&
	test_grep "^0 pages read by OCR, in 0 inputs$" s &&
	cp "$S/page-2-300.png" in/ &&
	docpipe run -c "$BASE" in old 2>err >/dev/null &&
	test_grep "1 converted" err &&
	docpipe status old >s &&
	test_grep "^1 page read by OCR, in 1 input$" s
'

test_expect_success 'a ledger of a newer version is refused, by name (exit 74)' '
	cp -R out new &&
	sqlite3 new/.docpipe/ledger.sqlite "PRAGMA user_version=3" &&
	{ docpipe status new 2>err; test $? = 74; } &&
	test_grep "version 3, written by a newer docpipe" err &&
	{ docpipe run -c "$BASE" in new 2>err; test $? = 74; } &&
	test_grep "version 3, written by a newer docpipe" err
'

test_done
