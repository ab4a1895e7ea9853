# ocr-lib.sh: what the OCR tests share, sourced after test-lib.sh.
#
# $S holds the scans of scripts/make-samples-ocr, drawn from known text;
# the whole script skips when they cannot be made.  $BASE is an empty
# configuration, named by every run so that the defaults are all it sees.
# accuracy REF TEXT [MIN]: TEXT has at least MIN (0.95) of REF's words, in
# order (tests/ocr-accuracy.py).

BASE=$TRASH/base.conf
: >"$BASE"
S=$TRASH/samples
"$TOP/scripts/make-samples-ocr" "$S" || test_skip_all "cannot make the OCR samples (python3-pil, python3-cairo)"

accuracy() {
	/usr/bin/python3 "$TEST_DIR/ocr-accuracy.py" "$@"
}
