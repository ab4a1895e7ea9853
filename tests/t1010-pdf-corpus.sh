#!/bin/sh
test_description='PDF: every corpus PDF extracts or gives a clean status; expectations; passwords; fidelity'
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

find "$CORPUS" -type f -iname '*.pdf' | LC_ALL=C sort >"$TRASH/pdfs"
say "$(wc -l <"$TRASH/pdfs") PDFs in the corpus"

test_expect_success 'every corpus PDF: a known status, exit 0, 65 or 77, no crash, well-formed XML' '
	fails=0
	while IFS= read -r f; do
		docpipe-extract "$f" >r 2>err; rc=$?
		case $rc in 0|65|77) ;; *) echo "$f: exit $rc"; cat err; fails=$((fails + 1)); continue ;; esac
		st=$(sed -n "s/^status: //p" r | head -n 1)
		case $st in ok|partial|error|encrypted|limit|unsupported) ;;
		*) echo "$f: status \"$st\""; fails=$((fails + 1)) ;; esac
		if [ "$st" = error ] && ! grep -q "^error: ." r; then
			echo "$f: error status without a message"; fails=$((fails + 1))
		fi
		docpipe-emit --xml <r >x 2>err; rc=$?
		case $rc in 0|65|77) ;; *) echo "$f: emit exit $rc"; cat err; fails=$((fails + 1)) ;; esac
		xmllint --noout x || { echo "$f: bad XML"; fails=$((fails + 1)); }
	done <"$TRASH/pdfs"
	test $fails = 0
'

# Whitespace-insensitive: every run of white space (NBSP included) is one space.
squash() {
	/usr/bin/python3 -c "import sys; print(\" \".join(sys.stdin.read().split()))"
}

test_expect_success 'every expectations.tsv row for a PDF is in the output' '
	fails=0 n=0
	grep -P "^[^\t]*\.pdf\t" "$CORPUS/expectations.tsv" >rows
	test -s rows || { echo "no PDF rows"; exit 1; }
	while IFS="	" read -r f s; do
		n=$((n + 1))
		docpipe convert --no-redact "$CORPUS/$f" 2>/dev/null | squash >got
		want=$(printf "%s" "$s" | squash)
		grep -qF -- "$want" got || { echo "missing in $f: \"$want\""; fails=$((fails + 1)); }
	done <rows
	echo "$n rows checked" && test $fails = 0
'

test_expect_success 'pdfminer/encryption opens with its documented passwords' '
	for f in "$CORPUS"/pdfminer/encryption/*.pdf; do
		docpipe-extract -p foo -p usersecret "$f" >r || { echo "$f: exit $?"; return 1; }
		test_grep "^status: ok" r || return 1
	done &&
	docpipe-extract -p ownersecret "$CORPUS/pdfminer/encryption/aes-256-r6.pdf" >r &&
	test_grep "^status: ok" r
'

test_expect_code 77 'an encrypted corpus PDF without its password: status encrypted, exit 77' '
	docpipe-extract "$CORPUS/pdfminer/encryption/aes-256.pdf" >r; rc=$?
	test_grep "^status: encrypted" r && return $rc
'

test_expect_success 'wrong passwords before the right one do not crash Poppler' '
	docpipe-extract -p x -p y -p test "$CORPUS/pdfplumber/password-example.pdf" >r &&
	test_grep "^status: ok" r && test_grep "^meta.encrypted: yes" r
'

test_expect_success 'quality flags: scans have no text layer, unmapped fonts are garbled' '
	docpipe-extract "$CORPUS/ocrmypdf/linn.pdf" >r &&
	test_grep "^meta.pages-without-text: 1" r &&
	test_grep "^meta.pages-without-text-list: 1" r &&
	docpipe-extract "$CORPUS/pdfjs/TAMReview.pdf" >r &&
	n=$(sed -n "s/^meta.pages-garbled: //p" r) && test "$n" -ge 20 &&
	test_grep "^meta.pages-without-text: 0" r
'

test_expect_success 'annotations are parts of type text/plain, file annotations are children' '
	docpipe-extract "$CORPUS/tika/pdf/testAnnotations.pdf" >r &&
	test_grep "^path: page 1/annotation 1" r &&
	test_grep "^Here is a comment" r &&
	docpipe-extract "$CORPUS/tika/pdf/testPDFFileEmbInAnnotation.pdf" >r &&
	test_grep "^path: page 1/attachment 1/" r
'

test_expect_success 'damaged PDFs: a clean error record naming the problem' '
	docpipe-extract "$CORPUS/qpdf-malformed/bad40.pdf" >r; rc=$?
	test $rc = 65 && test_grep "^status: error" r && test_grep "^error: cannot read PDF" r
'

test_expect_success '[pdf] max-pages: only that many pages, status limit' '
	printf "[pdf]\nmax-pages=3\n" >c.conf &&
	docpipe-extract -c c.conf "$CORPUS/pdfjs/tracemonkey.pdf" >r; rc=$?
	test $rc = 65 && test_grep "^status: limit" r && test_grep "^meta.pages-extracted: 3" r &&
	test_grep "only the first 3 of 14 pages" r
'

test_expect_success '[pdf] time-limit: stops between pages, status limit' '
	f=$CORPUS/pdfjs-large/freeculture.pdf &&
	qpdf --empty --pages "$f" "$f" "$f" "$f" -- big.pdf &&
	printf "[pdf]\ntime-limit=1\n" >c.conf &&
	docpipe-extract -c c.conf big.pdf >r; rc=$?
	test $rc = 65 && test_grep "^status: limit" r && test_grep "CPU time limit of 1 s" r &&
	n=$(sed -n "s/^meta.pages-extracted: //p" r) && test "$n" -lt 1408
'

if [ -n "${DOCPIPE_ASAN:-}" ]; then
	test_skip 'fidelity against pdftotext (same text as the normal build; too slow under ASan)'
else
	# The text layer against pdftotext's: OCR off, or the pages it reads
	# (garbled ones, where pdftotext gives the garbage) would count against it.
	test_expect_success 'fidelity: mean word-level similarity with pdftotext >= 0.97' '
		printf "[ocr]\nmode=never\n" >"$TRASH/no-ocr.conf" &&
		DOCPIPE_CONFIG="$TRASH/no-ocr.conf" "$TOP/scripts/pdf-fidelity" --min 0.97 $(cat "$TRASH/pdfs") >fid; rc=$?
		tail -n 1 fid; return $rc
	'
fi

test_done
