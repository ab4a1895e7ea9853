#!/bin/sh
test_description='docpipe run: outputs, golden files, rerun, exit codes, nothing outside OUT'
. "$(dirname "$0")/test-lib.sh"

# The samples tree, without its README.
copy_samples() {
	mkdir -p "$1" && cp -R "$SAMPLES/web" "$SAMPLES/text" "$1/"
}

test_expect_success 'run over the samples gives the golden files' '
	copy_samples "$TRASH/in" &&
	docpipe run -j2 in out 2>err &&
	diff -r -x .docpipe -x corpus.sqlite "$GOLDEN/samples" out &&
	test_grep "6 inputs, 6 converted" err
'

test_expect_success 'the outputs equal docpipe convert -o of each file' '
	(cd in && for f in $(find . -type f | sed "s|^\./||"); do docpipe convert -q -o "$TRASH/conv" "$f" || exit 1; done) &&
	diff -r -x .docpipe -x corpus.sqlite conv out
'

test_expect_success 'a rerun over the unchanged tree converts nothing' '
	docpipe run --json in out >j 2>err &&
	test_grep "\"converted\": 0" j &&
	test_grep "\"unchanged\": 6" j &&
	test_grep "0 converted, 6 unchanged" err
'

test_expect_success '--json is valid JSON with counts by status' '
	rm -rf out2 && docpipe run --json in out2 >j &&
	test_json j "d[\"inputs\"]==6 and d[\"by_status\"][\"ok\"]==6 and d[\"exit\"]==0"
'

test_expect_success 'no terminal: one summary line on stderr' '
	rm -rf out3 && docpipe run in out3 2>err && test_line_count=$(wc -l <err) && test "$test_line_count" = 1
'

test_expect_success 'on a terminal: a progress bar with done/total, rate, ETA, failures' '
	rm -rf out3 && script -qec "docpipe run in out3" /dev/null >tty &&
	tr "\r" "\n" <tty >lines &&
	test_grep "docpipe run: \[#*\.*\] [0-9]*/6 .*/s.*failed" lines &&
	test_grep "6 inputs, 6 converted" lines
'

test_expect_success 'docpipe status counts by status' '
	docpipe status out >s &&
	test_grep "^6 inputs in 1 ledger" s &&
	test_grep "ok  *6" s &&
	docpipe status --json out >sj &&
	test_json sj "d[\"inputs\"]==6 and d[\"failed\"]==0"
'

test_expect_success 'the ledger records hashes, fingerprint, version and redaction counts' '
	sqlite3 out/.docpipe/ledger.sqlite "SELECT path, status, version, length(sha256), length(config), length(txt_sha256), length(xml_sha256) FROM inputs ORDER BY path" >rows &&
	test_grep "^text/contacts-utf8.txt|ok|0.1.0|64|64|64|64$" rows &&
	sha=$(sha256sum out/text/contacts-utf8.txt.txt | cut -d" " -f1) &&
	test "$(sqlite3 out/.docpipe/ledger.sqlite "SELECT txt_sha256 FROM inputs WHERE path=\"text/contacts-utf8.txt\"")" = "$sha" &&
	sqlite3 out/.docpipe/ledger.sqlite "SELECT redactions FROM inputs WHERE path=\"text/contacts-utf8.txt\"" >red &&
	test_grep "email=" red
'

test_expect_success 'the ledger and the logs never hold a redacted value' '
	sqlite3 out/.docpipe/ledger.sqlite .dump >dump &&
	grep -c "@" "$SAMPLES/text/contacts-utf8.txt" &&
	! grep "@" dump && ! grep "@" err
'

test_expect_code 64 'no arguments is a usage error' 'docpipe run'
test_expect_code 64 'a bad --shard is a usage error' 'docpipe run --shard 3/2 in out'
test_expect_code 64 '-j 0 is a usage error' 'docpipe run -j 0 in out'
test_expect_code 66 'a missing IN' 'docpipe run nonexistent out'
test_expect_code 64 'IN inside OUT is refused' 'mkdir -p o4/in && docpipe run o4/in o4'
test_expect_code 78 'a bad [run] value is a config error' '
	printf "[run]\njobs=soon\n" >bad.conf && docpipe run -c bad.conf in out5 2>err
'
test_expect_success 'the config error names file, line and key' 'test_grep "bad.conf:2.*jobs" err'

test_expect_success 'output never escapes OUT; symlinks out of IN are not followed' '
	mkdir -p evil/sub secret && echo "top secret" >secret/s.txt &&
	ln -s ../secret evil/link && ln -s "$TRASH/secret/s.txt" evil/sub/abs.txt &&
	echo inner >evil/sub/ok.txt && ln -s sub/ok.txt evil/inner-link.txt &&
	printf "../secret/s.txt\n/etc/passwd\nsub/../../secret/s.txt\nsub/ok.txt\n" >list &&
	docpipe run evil eout 2>err &&
	test_grep "not followed" err &&
	(cd eout && find . -path ./.docpipe -prune -o -name corpus.sqlite -prune -o -type f -print | LC_ALL=C sort) >files &&
	printf "./inner-link.txt.txt\n./inner-link.txt.xml\n./sub/ok.txt.txt\n./sub/ok.txt.xml\n" >expect &&
	test_cmp expect files &&
	test_expect_rc=0; docpipe run --files-from list evil eout2 2>err2 || test_expect_rc=$? &&
	test "$test_expect_rc" = 65 &&
	test_grep "outside the input directory" err2 &&
	(cd eout2 && find . -path ./.docpipe -prune -o -name corpus.sqlite -prune -o -type f -print | LC_ALL=C sort) >files2 &&
	printf "./sub/ok.txt.txt\n./sub/ok.txt.xml\n" >expect2 &&
	test_cmp expect2 files2 &&
	! find "$TRASH" -name "s.txt.txt" | grep . &&
	! test -e /etc/passwd.txt
'

test_expect_success 'IN is never modified' '
	(cd in && find . -type f -exec sha256sum {} + | LC_ALL=C sort) >before &&
	rm -rf out6 && docpipe run in out6 2>/dev/null &&
	(cd in && find . -type f -exec sha256sum {} + | LC_ALL=C sort) >after &&
	test_cmp before after &&
	(cd in && find . | LC_ALL=C sort) >tree && ! grep -E "\.(docpipe|tmp-)" tree
'

test_expect_success 'OUT inside IN is skipped by the walk' '
	rm -rf in2 && copy_samples "$TRASH/in2" && docpipe run in2 in2/converted 2>err &&
	test_grep "6 inputs, 6 converted" err &&
	docpipe run in2 in2/converted 2>err && test_grep "0 converted, 6 unchanged" err
'

test_expect_success '--files-from - reads NUL-separated paths from stdin, as find prints them' '
	find in -name "*.html" -print0 | docpipe run --files-from - in out7 2>err &&
	test_grep "4 inputs, 4 converted" err &&
	test -f out7/web/sitzung-utf8.html.txt && ! test -e out7/text
'

test_done
