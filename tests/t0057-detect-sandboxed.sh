#!/bin/sh
test_description='libmagic runs only in the sandboxed child; a run loads only what its input needs'
. "$(dirname "$0")/test-lib.sh"

# DOCPIPE_SANDBOX_TEST=crash makes the sandboxed child crash before it does
# anything: a type that only libmagic knows then cannot be known, which
# shows where libmagic runs.  A gzip header is one: docpipe's own sniffers
# know PNG and the other images OCR reads, not gzip.
test_expect_success 'docpipe-detect asks libmagic in the sandboxed child' '
	printf "\037\213\010\0\0\0\0\0\0\003" >x.gz &&
	docpipe-detect --tsv x.gz | cut -f2 >plain &&
	DOCPIPE_SANDBOX_TEST=crash docpipe-detect --tsv x.gz | cut -f2 >crashed &&
	printf "type\napplication/gzip\n" >expect && test_cmp expect plain &&
	printf "type\napplication/octet-stream\n" >expect && test_cmp expect crashed
'

test_expect_success 'docpipe-detect record: the type, no "detect: deferred"' '
	docpipe-detect x.gz >rec &&
	test_grep "^type: application/gzip$" rec &&
	! grep "^detect:" rec
'

test_expect_success 'docpipe-detect without the sandbox asks libmagic itself' '
	printf "[sandbox]\nenabled=false\n" >off.conf &&
	DOCPIPE_CONFIG=$PWD/off.conf DOCPIPE_SANDBOX_TEST=crash docpipe-detect --tsv x.gz | cut -f2 >off &&
	printf "type\napplication/gzip\n" >expect && test_cmp expect off
'

# Under AddressSanitizer the crash is ASan's abort, which the parent
# reports as a parser that aborted (status limit), as in t5000.
test_expect_success 'docpipe-extract PATH asks libmagic in the sandboxed child' '
	docpipe-extract x.gz >rec &&
	test_grep "^type: application/gzip$" rec &&
	test_grep "^status: unsupported$" rec &&
	DOCPIPE_SANDBOX_TEST=crash docpipe-extract x.gz >crec;
	test_grep "^type: application/octet-stream$" crec &&
	{ test_grep "^status: error$" crec ||
	  { test -n "${DOCPIPE_ASAN:-}" && test_grep "^error: parser aborted" crec; }; }
'

test_expect_success 'a record stream and a PATH give docpipe-extract the same records' '
	docpipe-detect "$SAMPLES/text/memo-latin1.txt" x.gz | docpipe-extract >stream &&
	docpipe-extract "$SAMPLES/text/memo-latin1.txt" x.gz >paths &&
	test_cmp stream paths
'

test_expect_success 'a directory is unsupported, alike in a stream and in convert' '
	mkdir dir &&
	docpipe-detect dir | docpipe-extract >drec &&
	test_grep "^type: inode/directory$" drec &&
	test_grep "^status: unsupported$" drec &&
	docpipe convert --xml dir >dxml &&
	test_grep "status=\"unsupported\"" dxml
'

if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	test_set_prereq STRACE
fi
# LeakSanitizer cannot work under ptrace: the traced runs check no leaks.
if [ -n "${DOCPIPE_ASAN:-}" ]; then
	strace() { env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace "$@"; }
fi

# What a process opens shows what it loads; the files' names are the
# libraries' own (magic.mgc, the Hyperscan cache hs-*.db).
test_expect_success STRACE 'a PDF our sniffer knows never loads libmagic' '
	strace -f -e trace=open,openat -o trace docpipe convert "$SAMPLES/pdf/known-text.pdf" >out &&
	test -s out &&
	! grep "magic\.mgc" trace
'

test_expect_success STRACE 'docpipe-extract and convert load the PDF module once for three PDFs' '
	set -- "$SAMPLES/pdf/known-text.pdf" "$SAMPLES/pdf/two-columns.pdf" "$SAMPLES/pdf/non-latin.pdf" &&
	strace -f -e trace=open,openat -o trace docpipe-extract "$@" >out &&
	test $(grep -c "docpipe-pdf\.so\"* *,.*= [0-9]" trace) = 1 &&
	strace -f -e trace=open,openat -o trace docpipe convert "$@" >out &&
	test $(grep -c "docpipe-pdf\.so\"* *,.*= [0-9]" trace) = 1
'

# The database is a system file, loaded before the children are forked;
# only the input's bytes are left to the children.
test_expect_success STRACE 'libmagic loads its database in one process for three inputs' '
	cp x.gz y.gz && cp x.gz z.gz &&
	strace -f -e trace=open,openat -o trace docpipe-detect x.gz y.gz z.gz >out &&
	test $(grep "magic\.mgc" trace | cut -d" " -f1 | sort -u | wc -l) = 1 &&
	strace -f -e trace=open,openat -o trace docpipe convert x.gz y.gz z.gz >out &&
	test $(grep "magic\.mgc" trace | cut -d" " -f1 | sort -u | wc -l) = 1
'

test_expect_success STRACE '--no-redact never loads the redaction tables' '
	DOCPIPE_CACHE_DIR=$PWD/cache docpipe convert "$SAMPLES/text/memo-latin1.txt" >/dev/null &&
	ls cache | grep "^hs-" &&
	DOCPIPE_CACHE_DIR=$PWD/cache strace -f -e trace=open,openat -o trace \
		docpipe convert --no-redact "$SAMPLES/text/memo-latin1.txt" >out &&
	test -s out &&
	! grep "/cache/" trace
'

test_done
