#!/bin/sh
test_description='configuration: the system file, under the user file, over the built-in defaults'
. "$(dirname "$0")/test-lib.sh"

# test-lib points DOCPIPE_SYSCONFIG at a missing file, so that the
# machine's /etc/docpipe never reaches a test; here it names a file of the
# test's own, as /etc/docpipe/docpipe.conf would be in an installed docpipe.

test_expect_success 'set up a system, a user and a -c file' '
	printf "[limits]\nmax-depth=7\nmax-children=70\nmax-text-size=7M\n[redact]\nmask-char=#\n" >"$TRASH/system.conf" &&
	mkdir -p xdg/docpipe &&
	printf "[limits]\n\nmax-children=80\nmax-text-size=8M\n" >xdg/docpipe/docpipe.conf &&
	printf "[limits]\nmax-text-size=9M\n" >c.conf
'

test_expect_success 'without DOCPIPE_SYSCONFIG pointing anywhere, nothing but the defaults' '
	docpipe config >out &&
	test_grep "^# configuration: built-in defaults$" out &&
	test_grep "^max-depth=10  # built-in$" out
'

test_expect_success 'the system file sets values over the built-in defaults, and is named for them' '
	DOCPIPE_SYSCONFIG="$TRASH/system.conf" docpipe config >out &&
	test_grep "^# configuration: $TRASH/system.conf (system)$" out &&
	test_grep "^max-depth=7  # $TRASH/system.conf:2$" out &&
	test_grep "^mask-char=#  # $TRASH/system.conf:6$" out &&
	test_grep "^max-input-size=2G  # built-in$" out
'

test_expect_success 'the user file goes over the system file, key by key' '
	DOCPIPE_SYSCONFIG="$TRASH/system.conf" XDG_CONFIG_HOME="$TRASH/xdg" docpipe config >out &&
	test_grep "^# configuration: $TRASH/system.conf (system), then $TRASH/xdg/docpipe/docpipe.conf$" out &&
	test_grep "^max-depth=7  # $TRASH/system.conf:2$" out &&
	test_grep "^max-children=80  # $TRASH/xdg/docpipe/docpipe.conf:3$" out &&
	test_grep "^max-text-size=8M  # $TRASH/xdg/docpipe/docpipe.conf:4$" out
'

test_expect_success '-c goes over the system file, in the place of the user file' '
	DOCPIPE_SYSCONFIG="$TRASH/system.conf" XDG_CONFIG_HOME="$TRASH/xdg" docpipe config -c c.conf >out &&
	test_grep "^# configuration: $TRASH/system.conf (system), then c.conf$" out &&
	test_grep "^max-text-size=9M  # c.conf:2$" out &&
	test_grep "^max-children=70  # $TRASH/system.conf:3$" out &&
	test_grep "^max-depth=7  # $TRASH/system.conf:2$" out &&
	DOCPIPE_SYSCONFIG="$TRASH/system.conf" DOCPIPE_CONFIG=c.conf docpipe config >out &&
	test_grep "^max-text-size=9M  # c.conf:2$" out &&
	test_grep "^max-depth=7  # $TRASH/system.conf:2$" out
'

test_expect_success 'the layered values are the ones a conversion uses' '
	printf "[limits]\nmax-text-size=10\n" >"$TRASH/small.conf" &&
	echo "abcdefghij klmnopqrst" >long.txt &&
	DOCPIPE_SYSCONFIG="$TRASH/small.conf" docpipe convert --xml long.txt >x; rc=$?
	test $rc = 65 &&
	test_grep "status=\"limit\"" x &&
	printf "[limits]\nmax-text-size=1M\n" >big.conf &&
	DOCPIPE_SYSCONFIG="$TRASH/small.conf" docpipe convert -c big.conf --xml long.txt >x &&
	test_grep "<text>abcdefghij klmnopqrst" x
'

test_expect_success 'DOCPIPE_SYSCONFIG set empty reads no system file' '
	DOCPIPE_SYSCONFIG= docpipe config >out &&
	test_grep "^# configuration: built-in defaults$" out
'

test_expect_code 78 'a bad system file is an error naming it, not skipped' '
	printf "[limits]\nmax-detph=4\n" >"$TRASH/typo.conf" &&
	DOCPIPE_SYSCONFIG="$TRASH/typo.conf" docpipe convert -c c.conf /dev/null 2>err; rc=$?
	test_grep "typo.conf:2: unknown key .max-detph. in \[limits\]" err && return $rc
'

test_done
