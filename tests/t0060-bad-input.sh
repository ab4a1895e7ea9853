#!/bin/sh
test_description='bad input: clean status and exit code, the next file still processed'
. "$(dirname "$0")/test-lib.sh"

GOOD=$SAMPLES/text/memo-latin1.txt

# convert BAD then a good file: the good one must come out whole.
check_goes_on() {
	docpipe convert -o out "$1" "$GOOD" 2>err
	rc=$?
	test -s "out/$(echo "$GOOD" | sed "s|^/||").txt" || { echo "good file lost"; return 1; }
	test "$(wc -l <err)" -le 1 || { echo "more than one line on stderr:"; cat err; return 1; }
	return $rc
}

test_expect_success 'an empty file is an empty document' '
	: >empty.html &&
	check_goes_on empty.html &&
	test_grep "status=\"ok\"" out/empty.html.xml &&
	test_grep "type=\"application/x-empty\"" out/empty.html.xml
'

test_expect_success 'random bytes are unsupported, not a failure' '
	head -c 8192 /dev/urandom | tr -d "<" | head -c 4096 >random.bin &&
	check_goes_on random.bin &&
	test_grep "status=\"unsupported\"" out/random.bin.xml
'

test_expect_success 'HTML that is not UTF-8 and says nothing is read as windows-1252, never broken output' '
	printf "<p>ok \377\376 \300\200 caf\303 end</p>" >bad-utf8.html &&
	check_goes_on bad-utf8.html &&
	xmllint --noout out/bad-utf8.html.xml &&
	iconv -f UTF-8 -t UTF-8 out/bad-utf8.html.txt >/dev/null
'

# check_fffd FILE WANT: FILE, declared UTF-8 but not, converts to the text
# WANT (printf escapes; \357\277\275 is U+FFFD), in the text output and
# in well-formed XML.
check_fffd() {
	check_goes_on "$1" &&
	printf "$2\n" >want &&
	test_cmp want "out/$1.txt" &&
	xmllint --noout "out/$1.xml" &&
	xmllint --xpath "string(//text)" "out/$1.xml" | sed "/^$/d" >xml-text &&
	test_cmp want xml-text
}
FFFD="\357\277\275"

test_expect_success 'invalid UTF-8 in HTML that declares UTF-8 becomes U+FFFD' '
	printf "<html><head><meta charset=\"utf-8\"></head><body><p>ok \377\376 \300\200 caf\303 end</p></body></html>" >u8.html &&
	check_fffd u8.html "ok $FFFD$FFFD $FFFD$FFFD caf$FFFD end"
'

test_expect_success 'invalid UTF-8 in a text file with a UTF-8 BOM becomes U+FFFD' '
	printf "\357\273\277ok \377\376 caf\303 end\n" >u8.txt &&
	check_fffd u8.txt "ok $FFFD$FFFD caf$FFFD end"
'

test_expect_success 'invalid UTF-8 in a mail part of charset utf-8 becomes U+FFFD' '
	printf "From: a@example.org\nSubject: s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nok \377\376 caf\303 end\n" >u8.eml &&
	check_goes_on u8.eml &&
	printf "ok $FFFD$FFFD caf$FFFD end\n" >want &&
	tail -n 1 out/u8.eml.txt >got &&
	test_cmp want got &&
	xmllint --noout out/u8.eml.xml &&
	xmllint --xpath "string(//text)" out/u8.eml.xml | sed "/^$/d" | tail -n 1 >xml-text &&
	test_cmp want xml-text
'

test_expect_success 'truncated HTML keeps its text' '
	printf "<html><head><title>Cut</title></head><body><p>first para</p><table><tr><td>cell" >cut.html &&
	check_goes_on cut.html &&
	test_grep "first para" out/cut.html.txt &&
	test_grep "cell" out/cut.html.txt
'

test_expect_success 'NUL bytes in text and HTML' '
	printf "abc\000def\nline two\n" >nul.txt &&
	printf "<p>x\000y</p><p>after</p>" >nul.html &&
	check_goes_on nul.txt && check_goes_on nul.html &&
	test_grep "after" out/nul.html.txt &&
	xmllint --noout out/nul.html.xml && xmllint --noout out/nul.txt.xml
'

test_expect_success 'external entities and DTDs are never loaded' '
	cat >xxe.html <<-EOF &&
	<!DOCTYPE html [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
	<html><body><p>before &secret; after</p>
	<img src="http://192.0.2.1/x.png"><iframe src="file:///etc/passwd"></iframe></body></html>
	EOF
	check_goes_on xxe.html &&
	! grep -q "root:" out/xxe.html.txt &&
	test_grep "before" out/xxe.html.txt
'

test_expect_success 'a 50 MB single-line HTML file' '
	/usr/bin/python3 -c "
import sys
sys.stdout.write(\"<html><body><p>start \" + \"<b>word</b> \" * 4500000 + \" end</p></body></html>\")
" >huge.html &&
	test $(wc -l <huge.html) = 0 &&
	timeout 900 docpipe convert -o out huge.html "$GOOD" 2>err; rc=$?
	test -s "out/$(echo "$GOOD" | sed "s|^/||").txt" &&
	test_grep "start" out/huge.html.txt &&
	test $rc = 0
'

test_expect_success 'deeply nested markup' '
	/usr/bin/python3 -c "print(\"<div>\" * 100000 + \"deep\" + \"</div>\" * 100000)" >deep.html &&
	check_goes_on deep.html
'

test_expect_code 66 'an unreadable input: one line naming it, the rest converted' '
	check_goes_on no-such-file.html; rc=$?
	test_grep "no-such-file.html" err &&
	return $rc
'

test_expect_success 'a directory that is not a mail store is unsupported' '
	mkdir adir && check_goes_on adir && test_grep "status=\"unsupported\"" out/adir.xml
'

test_expect_success 'a FIFO is skipped without waiting' '
	mkfifo fifo &&
	timeout 300 docpipe convert -o out fifo "$GOOD" &&
	test_grep "status=\"skipped\"" out/fifo.xml
'

test_expect_code 76 'a garbled record stream is a protocol error' '
	printf "DOCPIPE-RECORD 1\nid: x\nbody: 99\nshort" | docpipe-emit >/dev/null 2>err; rc=$?
	test_grep "truncated body" err && return $rc
'

test_expect_code 76 'garbage into redact is a protocol error' '
	head -c 1000 /dev/urandom | docpipe-redact >/dev/null 2>err; rc=$?
	test $(wc -l <err) = 1 && return $rc
'

test_expect_success 'a write error (full disk) fails the run' '
	if test -w /dev/full; then
		docpipe convert "$GOOD" >/dev/full 2>err; rc=$?
		test $rc = 74 && test_grep "cannot write" err
	fi
'

test_done
