#!/bin/sh
# SQLite opened on first use (util/lazylib.c, util/lazy-sqlite.c): the
# unit tests, and the programs not linked with it, so that a start that
# needs no database pays none of its relocations.
test_description='libraries opened on first use'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/lazylib-test"

test_expect_success 'no program names libsqlite3 as a needed library' '
	for p in docpipe docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
		readelf -d "$DOCPIPE_BUILD/$p" >dyn &&
		grep "(NEEDED)" dyn >needed &&
		grep -q "libglib-2.0" needed &&
		! grep -q "libsqlite3" needed || return 1
	done
'

test_expect_success 'docpipe run still keeps its ledger in SQLite' '
	mkdir in &&
	printf "hello\n" >in/a.txt &&
	docpipe run --no-redact in out >log &&
	test -s out/.docpipe/ledger.sqlite &&
	docpipe run --no-redact in out >log2 2>&1 &&
	grep "1 unchanged" log2
'

test_done
