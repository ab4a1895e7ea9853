# docpipe.mk: pattern rules for converting a tree of documents with Make.
#
#   DOCPIPE_IN  := inbox            # the input tree (required)
#   DOCPIPE_OUT := converted        # where .txt and .xml go (required)
#   include /usr/local/share/docpipe/docpipe.mk
#   all: docpipe-all
#
# then `make -j8` converts every file below DOCPIPE_IN into
# DOCPIPE_OUT/<path>.txt and DOCPIPE_OUT/<path>.xml, only what changed.
# Each output pair is made by one `docpipe convert -o` of one input, run
# from inside DOCPIPE_IN, exactly as a `docpipe run` worker converts it, so
# the bytes are the same whichever way (make -j1, make -j8, docpipe run).
#
# Optional variables:
#   DOCPIPE         the docpipe program (default: docpipe on PATH)
#   DOCPIPE_FLAGS   extra options for convert, e.g. -c site.conf --no-redact
#   DOCPIPE_INPUTS  the inputs, relative to DOCPIPE_IN (default: every
#                   regular file, sorted; a top-level .docpipe is skipped)
#
# Limits: Make cannot handle file names with spaces, colons or '%'; use
# `docpipe run` for such trees.  A document that fails to convert still
# gets its .txt/.xml (with the error in it) and does not stop the build;
# `docpipe convert` exit codes other than 0 and 65 do.

ifndef DOCPIPE_IN
$(error docpipe.mk: set DOCPIPE_IN to the input directory)
endif
ifndef DOCPIPE_OUT
$(error docpipe.mk: set DOCPIPE_OUT to the output directory)
endif

DOCPIPE ?= docpipe
DOCPIPE_FLAGS ?=
DOCPIPE_INPUTS ?= $(shell cd '$(DOCPIPE_IN)' && find . -path ./.docpipe -prune -o -type f -print | \
                    sed 's|^\./||' | LC_ALL=C sort)
DOCPIPE_OUT_ABS := $(abspath $(DOCPIPE_OUT))
DOCPIPE_TXT := $(DOCPIPE_INPUTS:%=$(DOCPIPE_OUT)/%.txt)
DOCPIPE_XML := $(DOCPIPE_INPUTS:%=$(DOCPIPE_OUT)/%.xml)

.PHONY: docpipe-all docpipe-clean
docpipe-all: $(DOCPIPE_TXT) $(DOCPIPE_XML)

# One recipe makes both outputs (a pattern rule with two targets is one
# invocation for both in GNU make).  convert writes each file atomically.
$(DOCPIPE_OUT)/%.txt $(DOCPIPE_OUT)/%.xml: $(DOCPIPE_IN)/%
	@cd '$(DOCPIPE_IN)' && $(DOCPIPE) convert -q $(DOCPIPE_FLAGS) -o '$(DOCPIPE_OUT_ABS)' -- '$*'; \
	 rc=$$?; if [ $$rc -ne 0 ] && [ $$rc -ne 65 ]; then exit $$rc; fi

docpipe-clean:
	rm -f $(DOCPIPE_TXT) $(DOCPIPE_XML)
