#!/bin/sh
test_description='the compiled redaction database is cached, and a bad cache is harmless'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'a first run writes the cache, a second uses it with the same output' '
	DOCPIPE_CACHE_DIR=$TRASH/cache docpipe convert "$SAMPLES/web/press-release-cp1252.html" >a &&
	ls cache/hs-*.db >list && test $(wc -l <list) = 1 &&
	DOCPIPE_CACHE_DIR=$TRASH/cache docpipe convert "$SAMPLES/web/press-release-cp1252.html" >b &&
	DOCPIPE_CACHE_DIR=off docpipe convert "$SAMPLES/web/press-release-cp1252.html" >c &&
	test_cmp a b && test_cmp a c
'

test_expect_success 'another rule set gets its own cache entry' '
	printf "[rule case]\npattern=CASE-[0-9]+\n" >c.conf &&
	DOCPIPE_CACHE_DIR=$TRASH/cache docpipe convert -c c.conf "$SAMPLES/text/memo-latin1.txt" >/dev/null &&
	test $(ls cache/hs-*.db | wc -l) = 2
'

test_expect_success 'a corrupt or truncated cache file is ignored' '
	for f in cache/hs-*.db; do head -c 100 /dev/urandom >"$f"; done &&
	DOCPIPE_CACHE_DIR=$TRASH/cache docpipe convert "$SAMPLES/web/press-release-cp1252.html" >d &&
	test_cmp a d &&
	for f in cache/hs-*.db; do : >"$f"; done &&
	DOCPIPE_CACHE_DIR=$TRASH/cache docpipe convert "$SAMPLES/web/press-release-cp1252.html" >e &&
	test_cmp a e
'

test_expect_success 'an unwritable cache directory is not an error' '
	DOCPIPE_CACHE_DIR=/proc/nonexistent docpipe convert "$SAMPLES/web/press-release-cp1252.html" >f &&
	test_cmp a f
'

test_done
