#!/bin/sh
test_description='docpipe-detect: types, hashes, inventories'
. "$(dirname "$0")/test-lib.sh"

S=$SAMPLES

test_expect_success 'samples get their types' '
	docpipe-detect --tsv "$S/web/foia-letter-utf16.html" "$S/web/press-release-cp1252.html" \
		"$S/text/memo-latin1.txt" | cut -f2 >types &&
	printf "type\ntext/html\ntext/html\ntext/plain\n" >expect &&
	test_cmp expect types
'

test_expect_success 'records carry id, source, type, sha256 and size' '
	docpipe-detect "$S/text/memo-latin1.txt" >rec &&
	test_grep "^DOCPIPE-RECORD 1$" rec &&
	sum=$(sha256sum <"$S/text/memo-latin1.txt" | cut -d" " -f1) &&
	test_grep "^sha256: $sum$" rec &&
	test_grep "^id: $(echo $sum | cut -c1-16)$" rec &&
	test_grep "^size: $(wc -c <"$S/text/memo-latin1.txt")$" rec &&
	test_grep "^type: text/plain$" rec &&
	test_grep "^body: 0$" rec
'

test_expect_success 'paths from stdin, newline- and NUL-separated' '
	printf "%s\n%s\n" "$S/web/sitzung-utf8.html" "$S/text/memo-latin1.txt" | docpipe-detect --tsv >nl &&
	printf "%s\0%s\0" "$S/web/sitzung-utf8.html" "$S/text/memo-latin1.txt" | docpipe-detect --tsv >nul &&
	test_cmp nl nul &&
	test $(wc -l <nl) = 3
'

test_expect_success 'the inventory path is the given one, as the record source: UTF-8 kept, controls escaped' '
	mkdir -p inv/sub && ln -s sub inv/link &&
	printf "hello\n" >"inv/sub/caf$(printf "\303\251") \"q\".txt" &&
	printf "x" >"inv/sub/$(printf "a\tb\\\\c").txt" &&
	docpipe-detect --tsv "inv/link/caf$(printf "\303\251") \"q\".txt" ./inv/sub/../sub/a* | cut -f1 >paths &&
	docpipe-detect "inv/link/caf$(printf "\303\251") \"q\".txt" | sed -n "s/^source: //p" >source &&
	printf "path\ninv/link/caf\303\251 \"q\".txt\n./inv/sub/../sub/a\\\\tb\\\\\\\\c.txt\n" >expect &&
	test_cmp expect paths &&
	sed -n 2p paths >first &&
	test_cmp source first
'

test_expect_success 'stdin content travels inline' '
	printf "<p>hello</p>" | docpipe-detect - >rec &&
	test_grep "^type: text/html$" rec &&
	test_grep "^data: inline$" rec &&
	test_grep "^body: 12$" rec
'

test_expect_code 66 'a missing file is reported, the others still detected' '
	docpipe-detect --tsv no-such-file "$S/text/memo-latin1.txt" >out 2>err;
	rc=$? &&
	test_grep "cannot open .no-such-file." err &&
	test_grep "memo-latin1" out &&
	test $(wc -l <err) = 1 &&
	return $rc
'

test_expect_success 'a FIFO is skipped, never read' '
	mkfifo fifo &&
	timeout 300 docpipe-detect fifo >rec &&
	test_grep "^status: skipped$" rec
'

test_expect_success 'content beats names: PDF after junk, mbox as .txt, extensionless mail' '
	{ printf "junk before the header\n"; printf "%%PDF-1.4\n1 0 obj\n"; } >odd.bin &&
	{ printf "From alice@example.com Mon Jan  1 00:00:00 2001\n";
	  printf "From: alice@example.com\nSubject: hi\n\nbody\n"; } >box.txt &&
	printf "Received: from x\nFrom: a@b.c\nTo: d@e.f\nSubject: s\n\n<html><p>hi</p></html>\n" >message &&
	printf "\377\376<\000h\000t\000m\000l\000>\000<\000b\000>\000x\000" >u16.txt &&
	docpipe-detect --tsv odd.bin box.txt message u16.txt | cut -f2 >types &&
	printf "type\napplication/pdf\napplication/mbox\nmessage/rfc822\ntext/html\n" >expect &&
	test_cmp expect types
'

test_expect_success CORPUS 'corpus traps come out right' '
	C=$CORPUS &&
	docpipe-detect --tsv "$C/freelaw-doctor/ca1_00117684624.pdf" "$C/mimekit/mbox/content-length.mbox.txt" \
		"$C/tika/mail/testRFC822" "$C/mimekit/html/Gimhae_Kim_clan.utf-16.html" \
		"$C/mimekit/html/Gimhae_Kim_clan.utf-32BE.html" "$C/tika/mail/testRFC822_simple_inline_body.txt" |
		cut -f2 >types &&
	printf "type\napplication/pdf\napplication/mbox\nmessage/rfc822\ntext/html\ntext/html\nmessage/rfc822\n" >expect &&
	test_cmp expect types
'

# Files pdfinfo itself cannot open (an empty file, a bare fragment) are not PDFs.
test_expect_success CORPUS 'every corpus PDF that libmagic misses is still a PDF' '
	awk -F"\t" "\$1 ~ /\\.pdf\$/ && \$6 !~ /pdfinfo-FAILS/ { print \$1 }" "$CORPUS/MANIFEST.tsv" | while read -r f; do
		printf "%s\n" "$CORPUS/$f"
	done | docpipe-detect --tsv | awk -F"\t" "NR > 1 && \$2 != \"application/pdf\" { print; bad = 1 } END { exit bad }"
'

test_done
