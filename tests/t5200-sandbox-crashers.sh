#!/bin/sh
# t5200: replay every reproducer under tests/crashers/ through the product.
# Each must end with a clean exit status (no signal), and each document
# must get a record with a status.
. "$(dirname "$0")/test-lib.sh"

C=$TEST_DIR/crashers
printf '[sandbox]\nenabled=false\n[limits]\nmax-text-size=16M\n' >"$TRASH/inproc.conf"

n=0
for f in "$C"/record/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	test_expect_success "record stream $(basename "$f"): clean error from the reader" "
		docpipe-redact <'$f' >out 2>err
		rc=\$?
		echo \"exit \$rc\" && test \$rc = 0 -o \$rc = 76
	"
done

for d in "$C"/*/; do
	t=$(basename "$d")
	[ "$t" = record ] && continue
	for f in "$d"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		test_expect_success "$t/$(basename "$f"): converts in-process without a crash" "
			cp '$f' input &&
			docpipe convert -c '$TRASH/inproc.conf' --xml input >out.xml 2>err
			rc=\$?
			echo \"exit \$rc\" && test \$rc -lt 128 && test_grep 'status=' out.xml
		"
		test_expect_success "$t/$(basename "$f"): and in the sandbox" "
			cp '$f' input &&
			docpipe convert --xml input >out.xml 2>err
			rc=\$?
			echo \"exit \$rc\" && test \$rc -lt 128 && test_grep 'status=' out.xml &&
			! grep -q -e 'parser crashed' -e 'parser aborted' out.xml
		"
	done
done
[ $n -gt 0 ] || test_skip_all 'no reproducers in tests/crashers'
test_done
