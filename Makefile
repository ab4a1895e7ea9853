# docpipe: top-level build.  Every library comes from pkg-config; when one is
# missing, scripts/install-deps is run once to install the Debian packages.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= bin
CC       ?= cc
VERSION  := 0.1.0

# Dynamic linking is most of the cost of a small conversion: Poppler (with
# cairo, fontconfig, NSS...), GMime (with GIO, gpgme, libidn2...) and libzip
# (with libcrypto) would cost every start milliseconds.  Their extractors
# are modules, docpipe-pdf.so, docpipe-mail.so and docpipe-zip.so, loaded
# on the first document that needs them (pipeline/extract/module.c); everything
# else links directly.  Tesseract and Leptonica (OCR of scanned pages and
# images) are docpipe-ocr.so, loaded on the first page or image to read.
# libphonenumber (with ICU and protobuf) is docpipe-phone.so, a C++ shim
# loaded only when [redact] phone-regions names a region outside the North
# American plan (pipeline/redact/phone.c).  It has no pkg-config file.
# Most PDFs need only their text: docpipe-pdftext.so reads those with
# Poppler's core library alone (C++, pipeline/extract/pdf-text.cc; the
# libraries pdftotext loads, not poppler-glib's cairo, GIO and fontconfig)
# and declines the others to docpipe-pdf.so.  Both read the content
# streams' facts with zlib (pipeline/extract/pdf-streams.c).
CORE_PKGS := glib-2.0 gmodule-2.0 libmagic libxml-2.0 libpcre2-8 \
        libhs sqlite3 libseccomp nettle
PDF_PKGS  := poppler-glib zlib
PDFTEXT_PKGS := poppler zlib
MAIL_PKGS := gmime-3.0
ZIP_PKGS  := libzip
OCR_PKGS  := tesseract lept
# libytnef has a pkg-config file (libytnef0-dev) for winmail.dat.
TNEF_PKGS := libytnef
# libpff reads PST/OST mailboxes from memory through a libbfio handle.
PST_PKGS  := libpff libbfio
# libgsf reads OLE2 compound files: legacy Office and Outlook .msg; zlib
# inflates the objects PowerPoint embeds (ExOleObjStg).
OLE_PKGS  := libgsf-1 zlib
PKGS := $(CORE_PKGS) $(PDF_PKGS) $(PDFTEXT_PKGS) $(MAIL_PKGS) $(ZIP_PKGS) $(OCR_PKGS) $(TNEF_PKGS) $(PST_PKGS) $(OLE_PKGS)
PHONE_HDR := /usr/include/phonenumbers/phonenumberutil.h

# Run install-deps only when pkg-config cannot find a library, and only for
# targets that build or run something.
NODEPS_GOALS := clean style help
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && test -f $(PHONE_HDR) && echo ok),ok)
$(info docpipe: libraries missing, running scripts/install-deps)
$(shell scripts/install-deps >&2)
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# SQLite and libmagic are not linked: only some commands use SQLite, only
# inputs our sniffers cannot type use libmagic, and their relocations were
# a large part of every start; pipeline/util/lazy-sqlite.c and
# lazy-magic.c open them on first use.
#
# libxml2 is not linked either (with ICU, liblzma and zlib behind it): only
# XML records and the HTML reader use it, through pipeline/util/lazy-xml.c.
# docpipe-office.so, which reads OOXML/ODF/EPUB with it, links it itself.
#
# Hyperscan's compiler (libhs) is not linked either: the programs link its
# scanner alone, libhs_runtime, and pipeline/util/lazy-hs.c opens libhs
# when a rule set must be compiled (a database cache miss).
#
# With neither, no library the programs load at start is C++, and
# libstdc++ is not loaded at all: its own ~1,700 symbol bindings (long
# mangled names, each hashed and looked up) were the largest single part
# of what the dynamic linker ran before main().  A C++ module
# (docpipe-pdftext.so, docpipe-phone.so) brings it when loaded.
#
# The C library comes first among the needed libraries, and Nettle second:
# every symbol the dynamic linker binds at start is looked for in the
# libraries in that order, and most of them are defined in the C library;
# Nettle binds ~450 of its own symbols (its algorithm tables) at every
# start, and with it second each of those lookups skips GLib, PCRE2 and
# libseccomp: 0.07 million instructions of a `docpipe convert` (callgrind).
PKG_LIBS   := -Wl,--push-state,--no-as-needed -lc -Wl,--pop-state \
              $(shell pkg-config --libs nettle 2>/dev/null) \
              $(shell pkg-config --libs $(filter-out sqlite3 libmagic libhs libxml-2.0 nettle,$(CORE_PKGS)) 2>/dev/null) \
              -lhs_runtime -lm
PDF_LIBS   := $(shell pkg-config --libs $(PDF_PKGS) cairo 2>/dev/null) -lm
PDFTEXT_LIBS := $(shell pkg-config --libs $(PDFTEXT_PKGS) glib-2.0 2>/dev/null) -lm
MAIL_LIBS  := $(shell pkg-config --libs $(MAIL_PKGS) 2>/dev/null)
ZIP_LIBS   := $(shell pkg-config --libs $(ZIP_PKGS) 2>/dev/null)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
OCR_LIBS   := $(shell pkg-config --libs $(OCR_PKGS) 2>/dev/null) -lm
PHONE_LIBS := -lphonenumber
TNEF_LIBS  := $(shell pkg-config --libs $(TNEF_PKGS) 2>/dev/null)
PST_LIBS   := $(shell pkg-config --libs $(PST_PKGS) 2>/dev/null)
OLE_LIBS   := $(shell pkg-config --libs $(OLE_PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wvla -Wpointer-arith -Wcast-qual \
        -Wwrite-strings -Wundef -Wno-unused-parameter -Wnull-dereference \
        -Wimplicit-fallthrough -Wno-cast-qual
# Warnings are errors in development and CI; WERROR= turns that off for
# users building on a newer compiler with new warnings.
WERROR   ?= -Werror
OPT      ?= -O2 -g
SANITIZE ?=
CFLAGS   += -std=gnu11 $(OPT) $(WARN) $(WERROR) $(SANITIZE) -Ipipeline \
            -DDOCPIPE_VERSION='"$(VERSION)"' -D_FILE_OFFSET_BITS=64 \
            $(PKG_CFLAGS)
LDFLAGS  += $(SANITIZE)
# The C++ shim (pipeline/redact/phone-lib.cc): the same warnings, those that
# apply to C++ (-Wmissing-declarations stands for -Wmissing-prototypes).
CXX      ?= g++
CXXWARN  := -Wall -Wextra -Wformat=2 -Wshadow -Wvla -Wpointer-arith -Wwrite-strings -Wundef \
            -Wno-unused-parameter -Wnull-dereference -Wimplicit-fallthrough -Wmissing-declarations
CXXFLAGS += -std=gnu++17 $(OPT) $(CXXWARN) $(WERROR) $(SANITIZE) -fPIC -Ipipeline

# The library: every pipeline/<subsystem>/*.c but the front command's
# (pipeline/cmd/) and the format modules.  pipeline/README.md says what each
# folder holds and may include.  Objects keep their folder under obj/;
# base names are unique across folders (the archive stores base names).
OLE_SRC  := pipeline/extract/ole.c pipeline/extract/ole-word.c pipeline/extract/ole-excel.c \
            pipeline/extract/ole-ppt.c pipeline/extract/ole-embed.c pipeline/extract/msg.c \
            pipeline/extract/msg-nameid.c
# DOCX, XLSX, PPTX, OpenDocument and EPUB: zip packages read with libzip, so a module too.
OFFICE_SRC := pipeline/extract/office-zip.c pipeline/extract/office-text.c pipeline/extract/ooxml-docx.c pipeline/extract/ooxml-xlsx.c \
            pipeline/extract/ooxml-pptx.c pipeline/extract/odf.c pipeline/extract/epub.c
MOD_SRC  := pipeline/extract/pdf.c pipeline/extract/pdf-ocr.c pipeline/extract/pdf-covered.c pipeline/extract/pdf-streams.c \
            pipeline/extract/pdf-page.c \
            pipeline/extract/mail.c pipeline/extract/zip.c \
            pipeline/extract/ocr.c pipeline/extract/image.c pipeline/extract/tnef.c \
            pipeline/extract/pst.c pipeline/extract/pst-message.c pipeline/extract/pst-io.c $(OLE_SRC) $(OFFICE_SRC)
MOD_OBJ  := $(MOD_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
CMD_SRC  := $(sort $(wildcard pipeline/cmd/*.c))
CMD_OBJ  := $(CMD_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
LIB_SRC  := $(sort $(filter-out $(CMD_SRC) $(MOD_SRC),$(wildcard pipeline/*/*.c)))
LIB_OBJ  := $(LIB_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
HEADERS  := $(wildcard pipeline/*/*.h)
MODULES  := $(BUILD)/docpipe-pdf.so $(BUILD)/docpipe-pdftext.so $(BUILD)/docpipe-mail.so $(BUILD)/docpipe-zip.so \
            $(BUILD)/docpipe-ocr.so $(BUILD)/docpipe-phone.so $(BUILD)/docpipe-tnef.so \
            $(BUILD)/docpipe-pst.so $(BUILD)/docpipe-ole.so $(BUILD)/docpipe-office.so
# Programs export their symbols (the whole library) to the modules they load.
LINK_LIB  = -Wl,--export-dynamic -Wl,--whole-archive $(BUILD)/libdocpipe.a -Wl,--no-whole-archive
STAGES   := $(sort $(notdir $(basename $(wildcard stages/*.c))))
STAGE_BIN:= $(STAGES:%=$(BUILD)/docpipe-%)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PROGRAMS := $(BUILD)/docpipe $(STAGE_BIN)

.PHONY: all check run install asan bench bench-ocr clean style help fuzz fuzz-smoke deb
# Objects are never intermediate files to be deleted after a build.
.SECONDARY:
all: $(PROGRAMS) $(MODULES) $(UNIT_BIN)

$(BUILD)/obj/%.o: pipeline/%.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/stage-%.o: stages/%.c $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libdocpipe.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/docpipe-pdf.so: $(BUILD)/obj/extract/pdf.o $(BUILD)/obj/extract/pdf-ocr.o $(BUILD)/obj/extract/pdf-covered.o \
                        $(BUILD)/obj/extract/pdf-streams.o $(BUILD)/obj/extract/pdf-page.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(PDF_LIBS)

# The PDFs of text alone, through libpoppler without poppler-glib (pdf-text.cc).
$(BUILD)/obj/extract/pdf-text.o: pipeline/extract/pdf-text.cc $(HEADERS) Makefile
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/docpipe-pdftext.so: $(BUILD)/obj/extract/pdf-text.o $(BUILD)/obj/extract/pdf-streams.o \
                            $(BUILD)/obj/extract/pdf-page.o
	$(CXX) $(LDFLAGS) -shared -fPIC -o $@ $^ $(PDFTEXT_LIBS)

$(BUILD)/docpipe-mail.so: $(BUILD)/obj/extract/mail.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(MAIL_LIBS)

$(BUILD)/docpipe-zip.so: $(BUILD)/obj/extract/zip.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(ZIP_LIBS)

$(BUILD)/docpipe-office.so: $(OFFICE_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(ZIP_LIBS) $(XML_LIBS)

$(BUILD)/docpipe-ocr.so: $(BUILD)/obj/extract/ocr.o $(BUILD)/obj/extract/image.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(OCR_LIBS)

$(BUILD)/obj/redact/phone-lib.o: pipeline/redact/phone-lib.cc pipeline/redact/phone.h Makefile
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -c -o $@ $<

$(BUILD)/docpipe-phone.so: $(BUILD)/obj/redact/phone-lib.o
	$(CXX) $(LDFLAGS) -shared -fPIC -o $@ $^ $(PHONE_LIBS)

# winmail.dat (TNEF) through libytnef.
$(BUILD)/docpipe-tnef.so: $(BUILD)/obj/extract/tnef.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(TNEF_LIBS)

# PST/OST mailboxes through libpff.
$(BUILD)/docpipe-pst.so: $(BUILD)/obj/extract/pst.o $(BUILD)/obj/extract/pst-message.o $(BUILD)/obj/extract/pst-io.o
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(PST_LIBS)

# Legacy Office and Outlook .msg (OLE2 compound files) through libgsf.
$(BUILD)/docpipe-ole.so: $(OLE_SRC:pipeline/%.c=$(BUILD)/obj/%.o)
	$(CC) $(LDFLAGS) -shared -fPIC -o $@ $^ $(OLE_LIBS)

$(MOD_OBJ): CFLAGS += -fPIC

# Where installed programs find their format modules and the system
# configuration (pipeline/util/moddir.c, pipeline/core/config.c).  A
# build tree finds its modules beside its programs whatever MODULE_DIR is.
SYSCONFDIR ?= /etc
MODULE_DIR ?= $(PREFIX)/lib/docpipe
$(BUILD)/obj/util/moddir.o: CFLAGS += -DDP_MODULE_DIR='"$(MODULE_DIR)"'
$(BUILD)/obj/core/config.o: CFLAGS += -DDP_SYSCONFDIR='"$(SYSCONFDIR)"'

# The built-in furniture patterns: config/furniture.conf as one C string
# literal, included by pipeline/foia/furniture.c ('?' escaped so that no
# "??x" reads as a trigraph).
$(BUILD)/gen/foia/furniture-conf.h: config/furniture.conf
	@mkdir -p "$(@D)"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	  config/furniture.conf >"$@.tmp" && mv "$@.tmp" "$@"
$(BUILD)/obj/foia/furniture.o: $(BUILD)/gen/foia/furniture-conf.h
$(BUILD)/obj/foia/furniture.o: CFLAGS += -I"$(BUILD)/gen"

$(BUILD)/docpipe-%: $(BUILD)/obj/stage-%.o $(BUILD)/libdocpipe.a
	$(CC) $(LDFLAGS) -o $@ $< $(LINK_LIB) $(PKG_LIBS)

$(BUILD)/docpipe: $(CMD_OBJ) $(BUILD)/libdocpipe.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LINK_LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/libdocpipe.a $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LINK_LIB) $(PKG_LIBS)

# Absolute paths for the tests and scripts, quoted where used: the checkout
# may live in a directory whose name holds spaces, which $(abspath) splits.
BUILD_ABS = $(if $(filter /%,$(BUILD)),$(BUILD),$(CURDIR)/$(BUILD))

# The test suite: shell tests in tests/t*.sh, TAP through prove.
PROVE ?= prove
check: all
	@DOCPIPE_BUILD="$(BUILD_ABS)" $(PROVE) -j2 --timer $(sort $(wildcard tests/t[0-9]*.sh))

# make run: convert samples/ into out/.
run: all
	@rm -rf out.tmp && mkdir -p out.tmp
	@cd samples && find . -type f ! -name '*.md' | LC_ALL=C sort | sed 's|^\./||' | \
	  ../$(BUILD)/docpipe convert -q -o ../out.tmp --files-from - ; rc=$$?; \
	  if [ $$rc -ne 0 ] && [ $$rc -ne 65 ] && [ $$rc -ne 77 ]; then exit $$rc; fi
	@rm -rf out && mv out.tmp out
	@echo "docpipe: converted $$(find out -name '*.txt' | wc -l) documents from samples/ into out/ (text: out/**/*.txt, XML: out/**/*.xml)"

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in
# its own build directory so it never mixes with the normal objects.
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=build/asan OPT='-O1 -g' SANITIZE='$(ASAN_FLAGS)' all
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 LSAN_OPTIONS="suppressions='$(CURDIR)/tests/lsan.supp':print_suppressions=0" \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 DOCPIPE_ASAN=1 DOCPIPE_BUILD="$(CURDIR)/build/asan" $(PROVE) -j2 $(sort $(wildcard tests/t[0-9]*.sh))

# libFuzzer targets (clang), one per parser, in build/fuzz: the record
# reader, text decoding, the redactor, the FOIA parsers (furniture and
# printed e-mail), and each extractor through
# dp_extract() with its type forced (tests/fuzz/).  fuzz-smoke runs each for
# FUZZ_SECONDS with seeds from samples/ and the corpus (scripts/fuzz-smoke).
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 20
FUZZ_EXTRACT := html pdf mime mbox zip image rtf tnef pst ole docx xlsx pptx odt epub
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(filter-out tests/fuzz/fuzz-extract.c,$(wildcard tests/fuzz/fuzz-*.c))) \
                $(FUZZ_EXTRACT:%=$(FUZZ_DIR)/fuzz-%)
# Like the programs, fuzzers export the library to the PDF module, which
# they load from $(FUZZ_DIR)/lib (scripts/fuzz-smoke sets DOCPIPE_MODULE_DIR).
FUZZ_LIB      = -Wl,--export-dynamic -Wl,--whole-archive $(FUZZ_DIR)/lib/libdocpipe.a -Wl,--no-whole-archive
FUZZ_LINK     = clang -std=gnu11 -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -Ipipeline $(PKG_CFLAGS)
$(FUZZ_DIR)/fuzz-html: FUZZ_TYPE := text/html
$(FUZZ_DIR)/fuzz-pdf:  FUZZ_TYPE := application/pdf
$(FUZZ_DIR)/fuzz-mime: FUZZ_TYPE := message/rfc822
$(FUZZ_DIR)/fuzz-mbox: FUZZ_TYPE := application/mbox
$(FUZZ_DIR)/fuzz-zip:  FUZZ_TYPE := application/zip
$(FUZZ_DIR)/fuzz-image: FUZZ_TYPE := image/png
$(FUZZ_DIR)/fuzz-rtf:  FUZZ_TYPE := text/rtf
$(FUZZ_DIR)/fuzz-tnef: FUZZ_TYPE := application/vnd.ms-tnef
$(FUZZ_DIR)/fuzz-pst:  FUZZ_TYPE := application/vnd.ms-outlook-pst
$(FUZZ_DIR)/fuzz-ole:  FUZZ_TYPE := application/x-ole-storage
$(FUZZ_DIR)/fuzz-docx: FUZZ_TYPE := application/vnd.openxmlformats-officedocument.wordprocessingml.document
$(FUZZ_DIR)/fuzz-xlsx: FUZZ_TYPE := application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
$(FUZZ_DIR)/fuzz-pptx: FUZZ_TYPE := application/vnd.openxmlformats-officedocument.presentationml.presentation
$(FUZZ_DIR)/fuzz-odt:  FUZZ_TYPE := application/vnd.oasis.opendocument.text
$(FUZZ_DIR)/fuzz-epub: FUZZ_TYPE := application/epub+zip

fuzz:
	$(MAKE) BUILD=$(FUZZ_DIR)/lib CC=clang CXX=clang++ OPT='-O1 -g' \
	  SANITIZE='-fsanitize=fuzzer-no-link $(FUZZ_SAN) -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION' \
	  $(FUZZ_DIR)/lib/libdocpipe.a $(FUZZ_DIR)/lib/docpipe-pdf.so $(FUZZ_DIR)/lib/docpipe-pdftext.so \
	  $(FUZZ_DIR)/lib/docpipe-mail.so \
	  $(FUZZ_DIR)/lib/docpipe-zip.so $(FUZZ_DIR)/lib/docpipe-ocr.so $(FUZZ_DIR)/lib/docpipe-tnef.so $(FUZZ_DIR)/lib/docpipe-pst.so \
	  $(FUZZ_DIR)/lib/docpipe-ole.so $(FUZZ_DIR)/lib/docpipe-office.so
	$(MAKE) fuzz-bins

.PHONY: fuzz-bins valgrind-check
fuzz-bins: $(FUZZ_BINS)

$(FUZZ_EXTRACT:%=$(FUZZ_DIR)/fuzz-%): $(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz-extract.c tests/fuzz/fuzz-common.h $(FUZZ_DIR)/lib/libdocpipe.a
	$(FUZZ_LINK) -DFUZZ_TYPE='"$(FUZZ_TYPE)"' -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

# fuzz-officexml writes the packages around its XML with libzip.
$(FUZZ_DIR)/fuzz-officexml: PKG_LIBS += $(ZIP_LIBS)

$(FUZZ_DIR)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz-common.h $(FUZZ_DIR)/lib/libdocpipe.a
	$(FUZZ_LINK) -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

fuzz-smoke: fuzz all
	@DOCPIPE_BUILD="$(BUILD_ABS)" scripts/fuzz-smoke $(FUZZ_DIR) $(FUZZ_SECONDS)

# valgrind's memcheck over the chain (scripts/valgrind-check).
valgrind-check: all
	@DOCPIPE_BUILD="$(BUILD_ABS)" scripts/valgrind-check

bench: all
	@DOCPIPE_BUILD="$(BUILD_ABS)" scripts/bench

# OCR against pdftoppm + the tesseract command line (scripts/bench-ocr).
bench-ocr: all
	@DOCPIPE_BUILD="$(BUILD_ABS)" scripts/bench-ocr

MAN1 := $(wildcard pipeline/cmd/*.1 stages/*.1)
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/docpipe $(DESTDIR)$(MODULE_DIR)
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MODULES) $(DESTDIR)$(MODULE_DIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 config/docpipe.conf config/docpipe.rng config/furniture.conf pipeline/batch/docpipe.mk \
	  $(DESTDIR)$(PREFIX)/share/docpipe/

# make deb: the Debian package docpipe_$(VERSION)_amd64.deb, built with
# dpkg-buildpackage in a copy of the tree under $(DEBDIR)/deb-src that gets
# scripts/debian/ as its debian/; the .deb is left in $(DEBDIR).
# scripts/debian/README.md tells more; scripts/check-deb tests the package.
DEBDIR ?= build
deb:
	@scripts/debian/build-deb "$(VERSION)" "$(DEBDIR)"

style:
	clang-format --dry-run --Werror pipeline/*/*.c pipeline/*/*.cc pipeline/*/*.h stages/*.c tests/unit/*.[ch] tests/fuzz/*.[ch]

clean:
	rm -rf $(BUILD) build out out.tmp

help:
	@echo "targets: all check run install asan bench bench-ocr fuzz fuzz-smoke valgrind-check clean style deb"
