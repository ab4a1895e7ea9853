#!/bin/sh
# SQLite, libmagic, libxml2 and Hyperscan's compiler opened on first use
# (util/lazylib.c, util/lazy-sqlite.c, util/lazy-magic.c, util/lazy-xml.c,
# util/lazy-hs.c): the unit tests, and the programs not linked with them,
# so that a start that needs none of them pays none of their relocations.
test_description='libraries opened on first use'
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/lazylib-test"

test_expect_success 'no program names libsqlite3 or libmagic as a needed library' '
	for p in docpipe docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
		readelf -d "$DOCPIPE_BUILD/$p" >dyn &&
		grep "(NEEDED)" dyn >needed &&
		grep -q "libglib-2.0" needed &&
		! grep -q -e "libsqlite3" -e "libmagic" needed || return 1
	done
'

test_expect_success 'libmagic still types what the sniffers cannot, sandbox on and off' '
	printf "\037\213\010\0\0\0\0\0\0\003" >x.gz &&
	docpipe-detect --tsv x.gz | cut -f2 >on &&
	printf "[sandbox]\nenabled=false\n" >off.conf &&
	DOCPIPE_CONFIG=$PWD/off.conf docpipe-detect --tsv x.gz | cut -f2 >off &&
	printf "type\napplication/gzip\n" >expect &&
	test_cmp expect on && test_cmp expect off
'

test_expect_success 'no program names Hyperscan compiler libhs as a needed library' '
	for p in docpipe docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
		readelf -d "$DOCPIPE_BUILD/$p" >dyn &&
		grep "(NEEDED)" dyn >needed &&
		grep -q "libhs_runtime" needed &&
		! grep -q "libhs\.so" needed || return 1
	done
'

test_expect_success 'redaction compiles its rules through the lazily opened libhs, cache on and off' '
	printf "[sandbox]\nenabled=false\n" >off.conf &&
	printf "Call 555-867-5309 or mail john.doe@example.com.\n" >p.txt &&
	printf "Call [PHONE] or mail [EMAIL].\n" >expect-redacted &&
	DOCPIPE_CACHE_DIR=off docpipe convert p.txt >uncached &&
	test_cmp expect-redacted uncached &&
	DOCPIPE_CACHE_DIR=$PWD/cache docpipe convert p.txt >first &&
	DOCPIPE_CACHE_DIR=$PWD/cache docpipe convert p.txt >cached &&
	DOCPIPE_CACHE_DIR=$PWD/cache DOCPIPE_CONFIG=$PWD/off.conf docpipe convert p.txt >cached-off &&
	test_cmp expect-redacted first &&
	test_cmp expect-redacted cached &&
	test_cmp expect-redacted cached-off
'

test_expect_success 'no program names libxml2 or libstdc++ as a needed library' '
	for p in docpipe docpipe-detect docpipe-extract docpipe-redact docpipe-emit; do
		readelf -d "$DOCPIPE_BUILD/$p" >dyn &&
		grep "(NEEDED)" dyn >needed &&
		! grep -q -e "libxml2" -e "libstdc++" needed || return 1
	done
'

test_expect_success 'XML records and the HTML reader use the lazily opened libxml2, sandbox on and off' '
	printf "<html><body><h1>Title</h1><p>Mail john.doe@example.com</p></body></html>" >h.html &&
	printf "Title\n\nMail [EMAIL]\n" >expect-html &&
	docpipe convert h.html >html-on &&
	DOCPIPE_CONFIG=$PWD/off.conf docpipe convert h.html >html-off &&
	test_cmp expect-html html-on &&
	test_cmp expect-html html-off &&
	docpipe convert --xml h.html >xml-on &&
	DOCPIPE_CONFIG=$PWD/off.conf docpipe convert --xml h.html >xml-off &&
	test_cmp xml-on xml-off &&
	grep "<redaction rule=\"email\" field=\"body\" count=\"1\"" xml-on &&
	grep "^Mail \[EMAIL\]$" xml-on
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
