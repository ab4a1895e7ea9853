#!/bin/sh
# t3072: the cache of compiled rules ($DOCPIPE_CACHE_DIR) changes no
# result: with every detector on and a list of names with its variants and
# OCR damage (fuzzy), a run without the cache, the run that writes it and
# the run that reads it redact alike.  A cache file cut short, damaged in
# its database or in its ids, or not a cache file at all is refused (no
# crash, no error), the rules are compiled again and the file is written
# anew, byte for byte the one a clean start writes.  The same for the
# cache of a list's names index (names-*.idx): a hit redacts as a miss,
# with two lists that share words too, and a damaged file is rebuilt.
# The database's key takes a list's expressions from the list's own key:
# a changed list, fuzzy setting or other rule gives another database, and
# its redaction is the one without the cache.
test_description='redaction: the compiled-rules cache'
. "$(dirname "$0")/test-lib.sh"

redact() {
	DOCPIPE_CACHE_DIR=$1 docpipe-redact -c all.conf --text <in.txt >"$2"
}

test_expect_success 'setup: names, their variants and damage, all detectors' '
	"$TOP/scripts/make-bench-redact-text" bench.txt 1 gen-names.txt &&
	{ grep -v "^#" "$TEST_DIR/redact-names.txt" && head -n 2000 gen-names.txt; } >names.txt &&
	sed -n "s/^in: //p" "$TEST_DIR/redact-names-cases.txt" >cases.txt &&
	head -c 300000 bench.txt | cat cases.txt - >in.txt &&
	cp "$TEST_DIR/redact-test.key" . &&
	printf "[redact]\ndetectors=email;phone;ssn;card;iban;ip\noperator=pseudonym\nkey-file=redact-test.key\n[rule person]\nterms=names.txt\n" >all.conf &&
	printf "[rule twice]\npattern=(zq[0-9])\\\\1\n" >>all.conf &&
	printf "\na zq7zq7 b\n" >>in.txt &&
	redact off off.out &&
	grep -o "\[PERSON-[0-9a-f]*\]" off.out >persons &&
	test $(wc -l <persons) -gt 100 &&
	grep -q "\[EMAIL-" off.out && grep -q "\[IBAN-" off.out && grep -q "a \[TWICE-[0-9a-f]*\] b" off.out &&
	! grep -qw "Cheryl Mills" off.out
'

test_expect_success 'the run that writes the cache and the one that reads it redact as without it' '
	mkdir cache &&
	redact "$PWD/cache" miss.out &&
	test $(ls cache | wc -l) -ge 1 &&
	ls -l cache >before &&
	redact "$PWD/cache" hit.out &&
	ls -l cache >after &&
	test_cmp before after &&
	test_cmp off.out miss.out &&
	test_cmp off.out hit.out &&
	mkdir good && cp cache/* good/
'

# The largest file is the one with the names; damage it with DAMAGE, run, compare.
damaged_run() {
	f=$(ls -S cache | head -n 1) &&
	"$@" "cache/$f" &&
	redact "$PWD/cache" out &&
	test_cmp off.out out &&
	cmp "cache/$f" "good/$f"
}

cut_half() {
	truncate -s $(($(wc -c <"$1") / 2)) "$1"
}
test_expect_success 'a cache file cut short is refused and written again' '
	damaged_run cut_half
'

cut_header() {
	truncate -s 20 "$1"
}
test_expect_success 'a cache file cut inside its header is refused' '
	damaged_run cut_header
'

flip_middle() {
	printf "\377\377\377\377" | dd of="$1" bs=1 seek=$(($(wc -c <"$1") / 2)) conv=notrunc 2>/dev/null
}
test_expect_success 'a damaged database is refused (its CRC) and written again' '
	damaged_run flip_middle
'

# The pattern with a back-reference is PCRE2's: its id is the one after
# the header (31 bytes) and their count; 0 would hand the e-mail rule to PCRE2.
flip_ids() {
	printf "\000\000\000\000" | dd of="$1" bs=1 seek=35 conv=notrunc 2>/dev/null
}
test_expect_success 'damaged ids are refused (their sum), not handed to PCRE2' '
	damaged_run flip_ids
'

not_cache() {
	printf "not a database\n" >"$1"
}
test_expect_success 'a file that is no cache file is refused' '
	damaged_run not_cache
'

test_expect_success 'an empty cache file is refused' '
	damaged_run truncate -s 0
'

# The names index: its file, damaged with DAMAGE, is ignored and written again.
names_damaged_run() {
	f=$(cd cache && ls names-*.idx) &&
	test -n "$f" &&
	"$@" "cache/$f" &&
	redact "$PWD/cache" out &&
	test_cmp off.out out &&
	cmp "cache/$f" "good/$f"
}

test_expect_success 'the names index is cached and its hit redacts as its miss' '
	ls cache/names-*.idx >idx &&
	test $(wc -l <idx) = 1 &&
	rm cache/names-*.idx &&
	redact "$PWD/cache" miss2.out &&
	cmp cache/names-*.idx good/names-*.idx &&
	redact "$PWD/cache" hit2.out &&
	test_cmp off.out miss2.out &&
	test_cmp off.out hit2.out
'

test_expect_success 'a names index cut short is refused and written again' '
	names_damaged_run cut_half
'

test_expect_success 'a names index cut inside its header is refused' '
	names_damaged_run cut_header
'

test_expect_success 'a damaged names index is refused (its sum) and written again' '
	names_damaged_run flip_middle
'

# Damage that keeps the sum right: the sum (redact.c's names_sum(), eight
# bytes a step) is made again over the damage.
fix_sum() {
	python3 - "$1" <<-\EOF
	import struct, sys
	p = sys.argv[1]
	b = bytearray(open(p, "rb").read())
	rest = b[32:]
	M = 0xFFFFFFFFFFFFFFFF
	h = 14695981039346656037
	n8 = len(rest) // 8 * 8
	for (w,) in struct.iter_unpack("=Q", rest[:n8]):
	    h = ((h ^ w) * 1099511628211) & M
	    h ^= h >> 32
	for c in rest[n8:]:
	    h = ((h ^ c) * 1099511628211) & M
	b[24:32] = struct.pack("=Q", h)
	open(p, "wb").write(b)
	EOF
}
bad_count() {
	printf "\377\377\377\177" | dd of="$1" bs=1 seek=32 conv=notrunc 2>/dev/null && fix_sum "$1"
}
test_expect_success 'a names index whose counts do not add up is refused' '
	names_damaged_run bad_count
'

bad_tail() {
	printf "\377\377\377\377" | dd of="$1" bs=1 seek=$(($(wc -c <"$1") - 4)) conv=notrunc 2>/dev/null &&
	fix_sum "$1"
}
test_expect_success 'a names index with an entry out of range is refused' '
	names_damaged_run bad_tail
'

test_expect_success 'two lists that share words: a hit redacts as a miss and as no cache' '
	grep -v "^#" "$TEST_DIR/redact-names.txt" >names2.txt &&
	sed -n "2000,2600p" gen-names.txt >>names2.txt &&
	sed "s/^key-file=.*/&\nfuzzy=1/" all.conf >two.conf &&
	printf "[rule staff]\nterms=names2.txt\n" >>two.conf &&
	DOCPIPE_CACHE_DIR=off docpipe-redact -c two.conf --text <in.txt >two-off.out &&
	mkdir cache2 &&
	DOCPIPE_CACHE_DIR="$PWD/cache2" docpipe-redact -c two.conf --text <in.txt >two-miss.out &&
	test $(ls cache2/names-*.idx | wc -l) = 2 &&
	DOCPIPE_CACHE_DIR="$PWD/cache2" docpipe-redact -c two.conf --text <in.txt >two-hit.out &&
	test_cmp two-off.out two-miss.out &&
	test_cmp two-off.out two-hit.out &&
	grep -q "\[STAFF-" two-off.out
'

# Run CONF with the cache in KEYS and without; the databases and names
# indexes in KEYS afterwards go to FILES.
keyed_run() {
	DOCPIPE_CACHE_DIR=off docpipe-redact -c "$1" --text <in.txt >key-off.out &&
	DOCPIPE_CACHE_DIR="$PWD/keys" docpipe-redact -c "$1" --text <in.txt >key-miss.out &&
	DOCPIPE_CACHE_DIR="$PWD/keys" docpipe-redact -c "$1" --text <in.txt >key-hit.out &&
	test_cmp key-off.out key-miss.out &&
	test_cmp key-off.out key-hit.out &&
	ls keys >"$2"
}

test_expect_success 'a changed list, fuzzy setting or rule gives another database' '
	mkdir keys &&
	cp names.txt keyed.txt &&
	sed "s/^terms=names.txt/terms=keyed.txt/" all.conf >keyed.conf &&
	keyed_run keyed.conf files1 &&
	test $(grep -c "^hs-" files1) = 1 &&
	test $(grep -c "^names-" files1) = 1 &&
	echo "Zebulon Quarternight" >>keyed.txt &&
	printf "a Zebulon Quarternight b\na Xavier Quarterday c\n" >>in.txt &&
	keyed_run keyed.conf files2 &&
	test $(grep -c "^hs-" files2) = 2 &&
	test $(grep -c "^names-" files2) = 2 &&
	grep -q "^a \[PERSON-[0-9a-f]*\] b" key-hit.out &&
	grep -q "^a Xavier Quarterday c" key-hit.out
'

# As many names, words and expressions as before: only the key can tell.
test_expect_success 'a name replaced by another of as many words gives another database' '
	sed "\$s/.*/Xavier Quarterday/" keyed.txt >keyed2.txt &&
	mv keyed2.txt keyed.txt &&
	keyed_run keyed.conf files3 &&
	test $(grep -c "^hs-" files3) = 3 &&
	test $(grep -c "^names-" files3) = 3 &&
	grep -q "^a Zebulon Quarternight b" key-hit.out &&
	grep -q "^a \[PERSON-[0-9a-f]*\] c" key-hit.out
'

test_expect_success 'another fuzzy setting, another rule: another database' '
	sed "s/^key-file=.*/&\nfuzzy=0/" keyed.conf >fuzzy.conf &&
	keyed_run fuzzy.conf files4 &&
	test $(grep -c "^hs-" files4) = 4 &&
	test $(grep -c "^names-" files4) = 4 &&
	printf "[rule extra]\npattern=qx[0-9]+qx\n" >>fuzzy.conf &&
	printf "a qx42qx d\n" >>in.txt &&
	keyed_run fuzzy.conf files5 &&
	test $(grep -c "^hs-" files5) = 5 &&
	test $(grep -c "^names-" files5) = 4 &&
	grep -q "^a \[EXTRA-[0-9a-f]*\] d" key-hit.out
'

test_done
