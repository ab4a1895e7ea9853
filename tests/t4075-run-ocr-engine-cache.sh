#!/bin/sh
# t4075: docpipe run remembers the OCR engine's version in the cache
# directory (pipeline/batch/ocrcache.c) under the stamps of the files that
# gave it, takes it from there while they are the same instead of loading
# the OCR module in a child, and asks the engine again when a stamp no
# longer matches, the file is damaged, or the cache is off.
test_description='docpipe run: the OCR engine version cache'
. "$(dirname "$0")/test-lib.sh"

docpipe config 2>/dev/null | grep -q "^# ocr engine: tesseract [0-9]" && test_set_prereq OCR

engine() { sqlite3 "$1/.docpipe/ledger.sqlite" "SELECT value FROM meta WHERE key = 'ocr-engine'" | sed 's/;.*//'; }
cache_file() { ls "$DOCPIPE_CACHE_DIR"/ocr-engine-*.txt; }

test_expect_success OCR 'set-up: one text input; the first run remembers the version it asked' '
	mkdir in && printf "a memo\n" >in/memo.txt &&
	docpipe config | sed -n "s/^# ocr engine: //p" >want &&
	test -s want &&
	docpipe run -q in out1 &&
	engine out1 >got && test_cmp want got &&
	test "$(cache_file | wc -l)" = 1 &&
	head -1 "$(cache_file)" >magic && echo "docpipe-ocr-engine 1" >want.magic && test_cmp want.magic magic &&
	tail -1 "$(cache_file)" >cached && test_cmp want cached &&
	grep -q "^/etc/ld.so.cache	" "$(cache_file)" &&
	grep -q "docpipe-ocr.so	" "$(cache_file)"
'

test_expect_success OCR 'a matching entry is taken as it is (the engine is not asked)' '
	f=$(cache_file) &&
	sed "\$s/.*/tesseract 0.test/" "$f" >f.new && mv f.new "$f" &&
	docpipe run -q in out2 &&
	echo "tesseract 0.test" >want2 && engine out2 >got2 && test_cmp want2 got2
'

test_expect_success OCR 'a stamp that no longer matches: the engine is asked, the entry made again' '
	f=$(cache_file) &&
	awk -F "\t" "NR == 3 { \$2 = \"0 0.000000000 0\" } { print }" OFS="\t" "$f" >f.new && mv f.new "$f" &&
	docpipe run -q in out3 &&
	engine out3 >got3 && test_cmp want got3 &&
	tail -1 "$f" >cached3 && test_cmp want cached3
'

test_expect_success OCR 'a damaged entry is not trusted' '
	f=$(cache_file) &&
	printf "docpipe-ocr-engine 1\n\ntesseract 0.bad\n" >"$f" &&
	docpipe run -q in out4 &&
	engine out4 >got4 && test_cmp want got4 &&
	printf "garbage" >"$f" &&
	docpipe run -q in out5 &&
	engine out5 >got5 && test_cmp want got5
'

test_expect_success OCR 'DOCPIPE_CACHE_DIR=off: asked every time, nothing written' '
	rm -f "$DOCPIPE_CACHE_DIR"/ocr-engine-*.txt &&
	DOCPIPE_CACHE_DIR=off docpipe run -q in out6 &&
	engine out6 >got6 && test_cmp want got6 &&
	! ls "$DOCPIPE_CACHE_DIR"/ocr-engine-*.txt 2>/dev/null
'

test_done
