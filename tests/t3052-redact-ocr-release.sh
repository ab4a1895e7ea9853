#!/bin/sh
# t3052: the OCR-damaged addresses of the real State Department release
# (../shared/corpus/state-release-text, 300 OCR text layers) leave the
# output.  The texts are converted with [redact] ocr-tolerant=always, as
# the scanned release PDFs they come from are treated, by
# scripts/ocr-leak-scan; what is left that still looks like one of the
# release's addresses (an "@", "©" or "&" before clintonemail or state,
# or a token glued to one of them before a ">") must be nothing.  The two
# addresses known to leak are damaged past these shapes ("HDR22
# !,clintonemail.com", "el-I0R22@c/intonernail.corn") and are not counted.
. "$(dirname "$0")/test-lib.sh"

test_expect_success CORPUS 'no address of the known damaged forms is left in clear' '
	"$TOP/scripts/ocr-leak-scan" "$CORPUS/state-release-text" scan >counts &&
	cat counts &&
	test_grep "^files 300" counts &&
	cut -f2- scan/leaks >all &&
	{ grep -E "(@|©|&)[A-Za-z]*([cC]l[il]nt|[sS]tate)" all;
	  grep -E "^[A-Za-z0-9._-]+([sS]tate[.,]?gov|[cC]l[il]nt[a-z]*[.,]?com)>\$" all; :; } >known &&
	say "known forms left: $(wc -l <known)" &&
	test_cmp /dev/null known
'

# The check is not empty-handed: without the OCR-tolerant detectors the
# same forms are found in the output (on the first 60 texts, to stay quick).
test_expect_success CORPUS 'without the switch the scan finds the known forms' '
	"$TOP/scripts/ocr-leak-scan" -m never -n 60 "$CORPUS/state-release-text" never >counts &&
	cut -f2- never/leaks >all &&
	n=$(grep -cE "(@|©|&)[A-Za-z]*([cC]l[il]nt|[sS]tate)" all) &&
	say "known forms with ocr-tolerant=never: $n" &&
	test "$n" -gt 0
'

test_done
