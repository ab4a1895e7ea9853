#!/bin/sh
# t4070: the message index of `docpipe run`: OUT/messages.tsv and the
# ledger's table "messages", one row per message, real or printed, the
# same rows `docpipe convert --messages` gives; kept in step with the
# inputs (a changed input replaces its rows, a pruned one loses them),
# redacted, made again only when something changed.
test_description='docpipe run: the message index'
. "$(dirname "$0")/test-lib.sh"

converted() { sed -n 's/.*"converted": \([0-9]*\).*/\1/p' "$1"; }
rows() { sqlite3 out/.docpipe/ledger.sqlite "$1"; }

test_expect_success 'set-up: releases, messages and a text without any' '
	mkdir -p in/mail in/rel &&
	cp "$SAMPLES"/mail/*.eml in/mail/ &&
	"$TOP/scripts/make-releases" rel >/dev/null &&
	cp rel/t01-part-1msg.pdf rel/t03-part-3msg.pdf rel/t17-neg-news.pdf in/rel/ &&
	printf "no message here\n" >in/memo.txt &&
	docpipe run --json in out >j && test "$(converted j)" -ge 5
'

test_expect_success 'OUT/messages.tsv: the rows of convert --messages, in path order' '
	(cd in && find . -type f | sed "s|^\./||" | LC_ALL=C sort >../list &&
	 docpipe convert -q -m ../want.tsv --files-from ../list >/dev/null || test $? = 65) &&
	test_cmp want.tsv out/messages.tsv &&
	head -1 out/messages.tsv >header &&
	printf "source\tpart\tfoia.case\tfoia.doc\tfoia.date\tfoia.release\tfoia.exemptions\tfrom\tto\tcc\tdate\tsubject\tlength\n" >want.header &&
	test_cmp want.header header &&
	test "$(awk -F "\t" "{ print NF }" out/messages.tsv | sort -u)" = 13
'

test_expect_success 'printed messages carry their release furniture; values are redacted' '
	test "$(grep -c "^rel/t03-part-3msg.pdf	message [123]	F-2014-20439	C0" out/messages.tsv)" = 3 &&
	! grep -q "t17-neg-news" out/messages.tsv &&
	! grep -q "@" out/messages.tsv && test_grep "\[EMAIL\]" out/messages.tsv
'

test_expect_success 'the ledger table holds the same rows, for sqlite3 as it is' '
	test "$(rows "SELECT count(*) FROM messages")" = "$(($(wc -l <out/messages.tsv) - 1))" &&
	test "$(rows "SELECT count(*) FROM messages WHERE path = \"rel/t03-part-3msg.pdf\" AND foia_doc LIKE \"C0%\"")" = 3
'

test_expect_success 'a rerun that converts nothing leaves the file alone' '
	cp out/messages.tsv before.tsv && touch -d "2001-01-01" out/messages.tsv &&
	docpipe run --json in out >j && test "$(converted j)" = 0 &&
	test "$(stat -c %Y out/messages.tsv)" = "$(date -d 2001-01-01 +%s)" &&
	test_cmp before.tsv out/messages.tsv
'

test_expect_success 'a changed input replaces its rows; a deleted one, pruned, loses them' '
	cp rel/t02-part-2msg.pdf in/rel/t01-part-1msg.pdf &&
	docpipe run --json in out >j && test "$(converted j)" = 1 &&
	test "$(grep -c "^rel/t01-part-1msg.pdf	" out/messages.tsv)" = 2 &&
	rm in/rel/t03-part-3msg.pdf && docpipe run --prune in out >/dev/null &&
	! grep -q "t03-part-3msg" out/messages.tsv &&
	test "$(rows "SELECT count(*) FROM messages WHERE path = \"rel/t03-part-3msg.pdf\"")" = 0
'

test_expect_success 'a missing messages.tsv is made again; none is made where there is no message' '
	rm out/messages.tsv && docpipe run in out >/dev/null && test -f out/messages.tsv &&
	mkdir -p plain && printf "just text\n" >plain/a.txt &&
	docpipe run plain plain-out >/dev/null && ! test -e plain-out/messages.tsv
'

test_done
