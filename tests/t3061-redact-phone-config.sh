#!/bin/sh
test_description='[redact] phone-regions: its default, its errors, and the module loaded only when needed'
. "$(dirname "$0")/test-lib.sh"

printf 'Ring 06-10446904 or 202-555-0143.\n' >"$TRASH/in.txt"

test_expect_success 'the default is US: docpipe config prints it' '
	docpipe config >out && test_grep "^phone-regions=US" out
'
test_expect_success 'by default a Dutch national number stays, a NANP one goes' '
	docpipe-redact --text <in.txt >out &&
	echo "Ring 06-10446904 or [PHONE]." >want && test_cmp want out
'
test_expect_success 'with NL configured both go, with the same label' '
	printf "[redact]\nphone-regions=US;NL\n" >c.conf &&
	docpipe-redact -c c.conf --text <in.txt >out &&
	echo "Ring [PHONE] or [PHONE]." >want && test_cmp want out
'
test_expect_success 'region codes are case-insensitive and may be spaced' '
	printf "[redact]\nphone-regions=us; nl\n" >c.conf &&
	docpipe-redact -c c.conf --text <in.txt >out &&
	echo "Ring [PHONE] or [PHONE]." >want && test_cmp want out
'
test_expect_code 78 'an unknown region is a configuration error naming it' '
	printf "[redact]\nphone-regions=US;XQ\n" >c.conf &&
	docpipe-redact -c c.conf --text <in.txt 2>err; rc=$?; cat err
	test_grep "unknown region .XQ." err && exit $rc
'
test_expect_code 78 'a region that is not two letters is a configuration error' '
	printf "[redact]\nphone-regions=GBR\n" >c.conf &&
	docpipe convert -c c.conf in.txt 2>err; rc=$?; cat err
	test_grep "GBR. is not a two-letter region code" err && exit $rc
'

# A copy of the program in a folder without docpipe-phone.so, and no
# module directory either: it must still run with the default (the module
# is never needed), and say clearly what is missing when it is.
test_expect_success 'setup: a program without the module beside it' '
	mkdir -p alone/bin empty && cp "$DOCPIPE_BUILD/docpipe-redact" alone/bin/
'
test_expect_success 'without the module the default configuration works' '
	DOCPIPE_MODULE_DIR="$TRASH/empty" alone/bin/docpipe-redact --text <in.txt >out &&
	echo "Ring 06-10446904 or [PHONE]." >want && test_cmp want out
'
test_expect_code 78 'without the module a region outside North America is a configuration error' '
	printf "[redact]\nphone-regions=US;GB\n" >c.conf &&
	DOCPIPE_MODULE_DIR="$TRASH/empty" alone/bin/docpipe-redact -c c.conf --text <in.txt 2>err; rc=$?
	cat err && test_grep "phone-regions needs libphonenumber.s module docpipe-phone.so" err && exit $rc
'
test_expect_success 'a NANP region alone never loads the module' '
	printf "[redact]\nphone-regions=US;CA;PR\n" >c.conf &&
	DOCPIPE_MODULE_DIR="$TRASH/empty" alone/bin/docpipe-redact -c c.conf --text <in.txt >out &&
	echo "Ring 06-10446904 or [PHONE]." >want && test_cmp want out
'
test_expect_success 'validate=false reads shapes only and loads nothing' '
	printf "[redact]\nphone-regions=GB\nvalidate=false\n" >c.conf &&
	DOCPIPE_MODULE_DIR="$TRASH/empty" alone/bin/docpipe-redact -c c.conf --text <in.txt >out
'
test_done
