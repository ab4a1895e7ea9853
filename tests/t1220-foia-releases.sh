#!/bin/sh
# t1220: FOIA releases end to end (extract/foia-pass.c over foia/): the
# releases scripts/make-releases draws (text layers and scans, full and
# partial, black boxes and exemption codes, stamps at top and bottom,
# OCR-style damage, and documents that are not e-mail) scored field by
# field against their answer key; corpus e-mails printed to PDF give the
# headers of the .eml; the real text layers of the State Department's
# release give their document numbers; redaction, the XML schema, the
# switches of [foia].
test_description='FOIA releases: furniture and printed e-mail'
. "$(dirname "$0")/test-lib.sh"

R=$TRASH/releases
"$TOP/scripts/make-releases" "$R" >/dev/null ||
	test_skip_all "cannot draw the releases (python3-cairo, python3-pil)"
: >"$TRASH/base.conf"

score() {
	/usr/bin/python3 "$TEST_DIR/foia-score.py" "$@"
}

test_expect_success 'text-layer releases: furniture and message fields at least 0.95 right' '
	(cd "$R" && docpipe convert -c "$TRASH/base.conf" --no-redact -o "$TRASH/text" t*.pdf) &&
	score --kind text --min-furniture 0.95 --min-messages 0.95 "$R/truth.json" "$TRASH/text" >report &&
	cat report && test_grep "false messages on negative documents 0" report
'

test_expect_success 'the XML of every release is valid against the schema' '
	for x in "$TRASH"/text/*.xml; do
		xmllint --noout --relaxng "$TOP/config/docpipe.rng" "$x" 2>>errs || exit 1
	done
'

test_expect_success 'furniture leaves the text, pages stay pages, codes get their meaning' '
	x=$TRASH/text/t01-part-1msg.pdf.xml &&
	test_grep "<meta name=\"foia.doc\">C05745550</meta>" "$x" &&
	test_grep "<exemption code=\"B6\" pages=\"1\">Personal privacy: 5 U.S.C. 552(b)(6)</exemption>" "$x" &&
	! grep -q "Doc No" "$TRASH/text/t01-part-1msg.pdf.txt" &&
	! grep -q "RELEASE IN" "$TRASH/text/t01-part-1msg.pdf.txt" &&
	pages=$(grep -c "<page n=" "$TRASH/text/t08-benghazi-3msg.pdf.xml") &&
	test "$pages" -ge 2
'

test_expect_success '[foia] keep-furniture=true keeps the lines, and the metadata' '
	printf "[foia]\nkeep-furniture=true\n" >keep.conf &&
	docpipe convert -c keep.conf --no-redact "$R/t01-part-1msg.pdf" >keep.txt &&
	test_grep "Doc No" keep.txt &&
	docpipe convert -c keep.conf --no-redact --xml "$R/t01-part-1msg.pdf" >keep.xml &&
	test_grep "<meta name=\"foia.doc\">C05745550</meta>" keep.xml
'

test_expect_success '[foia] furniture=false and messages=false give the plain PDF text' '
	printf "[foia]\nfurniture=false\nmessages=false\n" >off.conf &&
	docpipe convert -c off.conf --no-redact --xml "$R/t02-part-2msg.pdf" >off.xml &&
	! grep -q "foia\\." off.xml && ! grep -q "message/x-printed" off.xml &&
	docpipe convert -c off.conf --no-redact "$R/t02-part-2msg.pdf" >off.txt &&
	test_grep "Doc No" off.txt
'

test_expect_success 'the text output gives a printed message its header block, not its words twice' '
	docpipe convert -c "$TRASH/base.conf" --no-redact "$R/t02-part-2msg.pdf" >two.txt &&
	test_grep "^==> message 2 \[message/x-printed\] <==" two.txt &&
	line=$(sed -n "/^==> message 1 /,\$p" two.txt | sed -n 2p) &&
	case $line in From:*) ;; *) false ;; esac &&
	body=$(sed -n "/^==> message 1 /,\$p" two.txt | grep -c "^Subject:") &&
	test "$body" -ge 1
'

test_expect_success 'printed messages are redacted like any message: metadata, text and index' '
	docpipe convert -c "$TRASH/base.conf" --xml -m index.tsv "$R/t01-part-1msg.pdf" "$R/t02-part-2msg.pdf" >red.xml &&
	test_grep "type=\"message/x-printed\"" red.xml &&
	! grep -q "@state\\.gov" red.xml && ! grep -q "@example\\.com" red.xml &&
	test_grep "<meta name=\"from\">.*\\[EMAIL\\]" red.xml &&
	! grep -q "@" index.tsv && test "$(wc -l <index.tsv)" -ge 3
'

test_expect_success 'a redaction mark in a header is recorded as such, never as an address' '
	docpipe convert -c "$TRASH/base.conf" --no-redact --xml "$R/t14-withheld-from.pdf" >w.xml &&
	test_grep "<meta name=\"withheld\">[^<]*B6" w.xml &&
	! grep -q "<meta name=\"from\">B6</meta>" w.xml &&
	! grep -q "<meta name=\"to\">[^<]*B6" w.xml
'

test_expect_success 'negative documents: a news article, a memo, a banner-only page give no message' '
	for d in t17-neg-news t18-neg-memo t19-neg-banner t20-neg-withheld; do
		! grep -q "message/x-printed" "$TRASH/text/$d.pdf.xml" || { echo "$d"; exit 1; }
	done &&
	test_grep "<meta name=\"foia.doc\">" "$TRASH/text/t19-neg-banner.pdf.xml"
'

test_expect_success 'output is byte-identical from one run to the next' '
	(cd "$R" && docpipe convert -c "$TRASH/base.conf" --no-redact -o "$TRASH/again" t*.pdf) &&
	diff -r "$TRASH/text" "$TRASH/again"
'

test_expect_success 'a patterns file that does not compile is a configuration error naming it' '
	printf "[stamp broken]\nfield=stamp\nregex=(unclosed\n" >bad-patterns.conf &&
	printf "[foia]\npatterns=bad-patterns.conf\n" >bad.conf &&
	{ docpipe convert -c bad.conf "$R/t01-part-1msg.pdf" 2>err; test $? = 78; } &&
	test_grep "bad-patterns.conf" err
'

test_expect_success 'scans (OCR): furniture and message fields at least 0.90 right' '
	(cd "$R" && docpipe convert -c "$TRASH/base.conf" --no-redact -o "$TRASH/scan" s*.pdf) &&
	score --kind scan --min-furniture 0.90 --min-messages 0.90 "$R/truth.json" "$TRASH/scan" >report &&
	cat report && test_grep "false messages on negative documents 0" report
'

test_expect_success CORPUS 'real e-mails printed to PDF give the headers of the .eml' '
	"$TOP/scripts/print-eml" printed >/dev/null &&
	(cd printed && docpipe convert -c "$TRASH/base.conf" --no-redact -o ../printed-out *.pdf) &&
	score --ignore-extra --min-messages 0.95 printed/truth.json printed-out
'

test_expect_success CORPUS 'the real State Department release: document numbers, banners gone, messages found' '
	(cd "$CORPUS/state-release-text" && ls */*.txt) >list && test "$(wc -l <list)" -ge 300 &&
	(cd "$CORPUS/state-release-text" &&
	 docpipe convert -c "$TRASH/base.conf" --no-redact -m "$TRASH/real.tsv" -o "$TRASH/real" --files-from "$TRASH/list") &&
	total=0 right=0 banner=0 &&
	while read -r f; do
		n=$(basename "$f" .txt) && total=$((total + 1)) &&
		if grep -q "<meta name=\"foia.doc\">$n</meta>" "real/$f.xml"; then right=$((right + 1)); fi &&
		if grep -q "Doc No. $n" "real/$f.txt"; then banner=$((banner + 1)); fi
	done <list &&
	say "foia.doc right in $right of $total; a banner left in $banner" &&
	test $((right * 100)) -ge $((total * 98)) &&
	test $((banner * 100)) -le $((total * 2)) &&
	docs=$(cut -f1 real.tsv | sed 1d | sort -u | wc -l) &&
	say "printed messages in $docs of $total documents, $(($(wc -l <real.tsv) - 1)) in all" &&
	test $((docs * 100)) -ge $((total * 90))
'

test_done
