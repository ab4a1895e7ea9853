#!/bin/sh
# t3073: the names cache and its upkeep.  A term list is read once: its
# index is built from the very bytes its cache key was computed from (a
# list that can only be read once, a FIFO, gives the index of the file).
# A run that writes a cache file removes the names-*.idx and hs-*.db
# files its configuration does not use that are older than 30 days, and
# the oldest beyond the 64 newest; it keeps the files it uses, however
# old, and every other file.  Ages come from modification times set by
# touch, never from waiting.
test_description='redaction: the names cache read once and pruned'
. "$(dirname "$0")/test-lib.sh"

redact() {
	DOCPIPE_CACHE_DIR=$1 docpipe-redact -c "$2" --text <in.txt
}

test_expect_success 'setup: a list, a text with names on it and not' '
	grep -v "^#" "$TEST_DIR/redact-names.txt" >v1.txt &&
	printf "Cheryl Mills met Zorblat Quintavus and Mirelda Fawkstone.\n\nHuma Abedin wrote.\n" >in.txt &&
	printf "[redact]\ndetectors=email\n[rule person]\nterms=v1.txt\n" >file.conf &&
	printf "[redact]\ndetectors=email\n[rule person]\nterms=list.fifo\n" >fifo.conf &&
	redact "$PWD/c-file" file.conf >file.out &&
	grep -q "\[PERSON\] met Zorblat" file.out &&
	ls c-file/names-*.idx >/dev/null
'

# A FIFO can be read once: a second read of the list would wait for a
# writer that never comes (timeout ends it, a failure, not a measure).
test_expect_success 'a term list is read once: the index is built from the bytes keyed' '
	mkfifo list.fifo &&
	{ cat v1.txt >list.fifo & } &&
	DOCPIPE_CACHE_DIR="$PWD/c-fifo" timeout 120 docpipe-redact -c fifo.conf --text <in.txt >fifo.out &&
	wait &&
	test_cmp file.out fifo.out &&
	f=$(cd c-file && ls names-*.idx) &&
	cmp "c-file/$f" "c-fifo/$f"
'

test_expect_success 'writing a cache file removes old unused ones, keeps used and young ones' '
	mkdir c-prune &&
	redact "$PWD/c-prune" file.conf >/dev/null &&
	idx=$(cd c-prune && ls names-*.idx) && db=$(cd c-prune && ls hs-*.db) &&
	: >c-prune/names-0000.idx && : >c-prune/hs-0000.db && : >c-prune/notes.txt &&
	: >c-prune/names-1111.idx &&
	touch -d "40 days ago" c-prune/* &&
	touch -d "29 days ago" c-prune/names-1111.idx &&
	# A run that only reads the cache removes nothing.
	redact "$PWD/c-prune" file.conf >/dev/null &&
	test -f c-prune/names-0000.idx &&
	# Another rule: a new database is written, the list index (old) used.
	{ cat file.conf && printf "[rule code]\npattern=zq[0-9]+\n"; } >more.conf &&
	redact "$PWD/c-prune" more.conf >more.out &&
	grep -q "\[PERSON\] met" more.out &&
	test -f "c-prune/$idx" &&
	! test -e "c-prune/$db" &&
	! test -e c-prune/names-0000.idx &&
	! test -e c-prune/hs-0000.db &&
	test -f c-prune/names-1111.idx &&
	test -f c-prune/notes.txt &&
	test $(ls c-prune/hs-*.db | wc -l) = 1
'

test_expect_success 'at most 64 cache files: the oldest unused ones go' '
	mkdir c-keep &&
	i=100 && now=$(date +%s) &&
	while [ $i -lt 170 ]; do
		: >c-keep/names-fake$i.idx &&
		touch -d "@$((now - 86400 + i))" c-keep/names-fake$i.idx &&
		i=$((i + 1)) || return 1
	done &&
	redact "$PWD/c-keep" file.conf >/dev/null &&
	test $(ls c-keep | grep -c -E "^(names-.*\.idx|hs-.*\.db)\$") = 64 &&
	# The two this configuration uses and the 62 newest fakes.
	! test -e c-keep/names-fake107.idx &&
	test -f c-keep/names-fake108.idx &&
	test -f c-keep/names-fake169.idx &&
	test $(ls c-keep/hs-*.db | wc -l) = 1
'

test_done
