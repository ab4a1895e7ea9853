#!/bin/sh
# t2010: mbox variants and their From_ quoting, zip limits (bomb, quine,
# entry count, nesting), encrypted entries, corrupt and hostile input.
. "$(dirname "$0")/test-lib.sh"

MAIL=$SAMPLES/mail

test_expect_success 'each mbox variant yields its three messages, From lines intact' '
	for v in mboxo mboxrd mboxcl mboxcl2; do
		docpipe convert --no-redact "$MAIL/$v.mbox" >out || return 1
		test "$(grep -c "^==> message [0-9]" out)" = 3 || return 1
		test "$(grep -c "^From the start this line began with From.$" out)" = 3 || return 1
	done &&
	docpipe convert --no-redact "$MAIL/mmdf.mmdf" >out &&
	test "$(grep -c "^==> message [0-9]" out)" = 3
'

test_expect_success 'mboxrd removes exactly one level of quoting' '
	docpipe convert --no-redact "$MAIL/mboxrd.mbox" >out &&
	test "$(grep -c "^>From here it was already quoted once.$" out)" = 3
'

test_expect_success 'mboxcl2 honours Content-Length over unquoted From lines' '
	docpipe convert --xml --no-redact "$MAIL/mboxcl2.mbox" >x.xml &&
	test "$(grep -c "<meta name=\"mbox-variant\">mboxcl2</meta>" x.xml)" = 3
'

test_expect_success 'an inconsistent Content-Length is ignored' '
	printf "From a@b Mon Jan  1 00:00:00 2024\nSubject: one\nContent-Length: 9999\n\nbody one\n\nFrom a@b Mon Jan  1 00:00:01 2024\nSubject: two\n\nbody two\n" >bad.mbox &&
	docpipe convert --no-redact bad.mbox >out &&
	test_grep "^Subject: two" out && test_grep "^body one" out
'

test_expect_success 'mbox-variant can be forced in the configuration' '
	printf "[mail]\nmbox-variant=mboxcl2\n" >c.conf &&
	docpipe convert -c c.conf --xml --no-redact "$MAIL/mboxo.mbox" >x.xml &&
	test "$(grep -c "<meta name=\"mbox-variant\">mboxcl2</meta>" x.xml)" = 3 &&
	test_grep "&gt;From the start" x.xml
'

test_expect_code 65 'a zip bomb stops on the expansion ratio, with the reason' '
	docpipe convert --xml "$MAIL/bomb.zip" >x.xml 2>err;
	rc=$?; test_grep "status=\"limit\"" x.xml && test_grep "expands 1028 times" x.xml && exit $rc
'

test_expect_success 'a zip bomb stops on the total size before inflating' '
	printf "[zip]\nmax-ratio=0\nmax-total-size=1M\n" >c.conf &&
	docpipe convert -c c.conf "$MAIL/bomb.zip" >out 2>err;
	test_grep "limit: entry of 16777216 bytes would pass the archive" out
'

test_expect_success 'the entry count limit is checked before reading' '
	printf "[zip]\nmax-entries=1\n" >c.conf &&
	docpipe convert -c c.conf --xml "$MAIL/names.zip" >x.xml 2>err;
	test_grep "3 entries, more than the limit of 1" x.xml &&
	test "$(grep -c "path=\"entry " x.xml)" = 1
'

test_expect_success 'nested zips are followed down to the depth limit' '
	docpipe convert --no-redact "$MAIL/nested.zip" >out &&
	test_grep "^Text two archives deep." out && test_grep "^Subject: Minutes approved" out &&
	printf "[limits]\nmax-depth=1\n" >c.conf &&
	docpipe convert -c c.conf "$MAIL/nested.zip" >out 2>err;
	test_grep "nested deeper than the limit of 1" out
'

test_expect_success 'a corrupt zip is an error naming the file, not a crash' '
	head -c 300 "$MAIL/nested.zip" >cut.zip &&
	docpipe convert cut.zip >out 2>err; rc=$?;
	test $rc = 65 && test_grep "cut.zip" err
'

test_expect_success 'garbage and truncated mail never crash' '
	head -c 1500 "$MAIL/report.eml" >cut.eml &&
	printf "From x\n" >tiny.mbox &&
	printf "\001\001\001\001\nSubject: open\n\nno end" >open.mmdf &&
	head -c 4096 /dev/urandom >rand.bin &&
	for f in cut.eml tiny.mbox open.mmdf rand.bin; do
		docpipe convert --xml "$f" >x.xml 2>/dev/null; rc=$?
		test $rc -lt 70 || return 1
		xmllint --noout x.xml || return 1
	done
'

test_expect_success 'zip entry names never become paths on disk' '
	mkdir slipout &&
	/usr/bin/python3 -c "
import zipfile
with zipfile.ZipFile(\"slip.zip\", \"w\") as z:
    z.writestr(\"../../escape.txt\", \"slip\\n\")
    z.writestr(\"/abs/path.txt\", \"abs\\n\")
" &&
	docpipe convert -o slipout slip.zip &&
	test ! -e escape.txt && test ! -e ../escape.txt && test ! -e /abs/path.txt &&
	test "$(find slipout -type f | sort | tr "\n" " ")" = "slipout/slip.zip.txt slipout/slip.zip.xml " &&
	test_grep "==> entry ../../escape.txt" slipout/slip.zip.txt
'

test_done
