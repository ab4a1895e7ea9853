#!/bin/sh
test_description='docpipe.mk with make -j1/-j8, shards through GNU parallel: byte-identical to docpipe run'
. "$(dirname "$0")/test-lib.sh"

# Copy the files named on stdin (relative, from the current directory) to $1.
cpio_free_copy() {
	while read -r f; do mkdir -p "$1/$(dirname "$f")" && cp -p "$f" "$1/$f" || return 1; done
}

test_expect_success 'set-up: a tree and a reference run' '
	mkdir -p in && cp -R "$SAMPLES/web" "$SAMPLES/text" in/ && mkdir -p in/deep/er &&
	for i in $(seq 1 12); do printf "note %s: ring 555-123-%04d or n%s@example.com\n" $i $i $i >in/deep/er/n$i.txt; done &&
	printf "<title>T</title><p>x</p>\n" >in/deep/page.html && : >in/empty.txt &&
	printf "\0\1\2binary" >in/blob.bin &&
	docpipe run in ref 2>/dev/null
'

test_expect_success 'make -j1 with docpipe.mk gives the same bytes as docpipe run' '
	cp "$TOP/pipeline/batch/docpipe.mk" . &&
	cat >Makefile <<-EOF &&
	DOCPIPE_IN := in
	DOCPIPE_OUT := mk1
	include docpipe.mk
	all: docpipe-all
	EOF
	make -s -j1 && diff -r -x .docpipe -x corpus.sqlite ref mk1
'

test_expect_success 'make -j8 gives the same bytes, and a rerun does nothing' '
	make -s -j8 DOCPIPE_OUT=mk8 && diff -r -x .docpipe -x corpus.sqlite ref mk8 &&
	make -j8 DOCPIPE_OUT=mk8 >log && test_grep "Nothing to be done" log
'

test_expect_success 'make rebuilds only a changed input' '
	sleep 0.01 && printf "note 1 changed\n" >in/deep/er/n1.txt &&
	make -j8 DOCPIPE_OUT=mk8 --debug=b 2>&1 | grep -c "Must remake target" >n &&
	test "$(cat n)" -le 2 && test_grep "note 1 changed" mk8/deep/er/n1.txt.txt &&
	docpipe run in ref 2>/dev/null && diff -r -x .docpipe -x corpus.sqlite ref mk8
'

test_expect_success '--shard K/N partitions the inputs: disjoint, complete' '
	for k in 1 2 3; do docpipe run --shard $k/3 --json in s$k >j$k 2>/dev/null || return 1; done &&
	for k in 1 2 3; do sqlite3 s$k/.docpipe/ledger.sqlite "SELECT path FROM inputs"; done | LC_ALL=C sort >union &&
	sqlite3 ref/.docpipe/ledger.sqlite "SELECT path FROM inputs" | LC_ALL=C sort >all &&
	test_cmp all union && test "$(uniq -d union | wc -l)" = 0 &&
	for k in 1 2 3; do n=$(sqlite3 s$k/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs"); test "$n" -gt 0 || return 1; done
'

test_expect_success 'shards run by GNU parallel: the union equals a single run byte for byte' '
	parallel --will-cite -j3 docpipe run --shard {}/3 in par{} ::: 1 2 3 2>/dev/null &&
	mkdir merged && for k in 1 2 3; do (cd par$k && find . -path ./.docpipe -prune -o -name corpus.sqlite -prune -o -type f -print | cpio_free_copy "$TRASH/merged") || return 1; done &&
	diff -r -x .docpipe -x corpus.sqlite ref merged
'

test_expect_success 'docpipe status reads several shard ledgers together' '
	docpipe status par1 par2 par3 >st &&
	total=$(sqlite3 ref/.docpipe/ledger.sqlite "SELECT count(*) FROM inputs") &&
	test_grep "^$total inputs in 3 ledgers" st &&
	docpipe status --json par1 par2 par3 >sj &&
	test_json sj "d[\"inputs\"]==$total and len(d[\"ledgers\"])==3"
'

test_done
