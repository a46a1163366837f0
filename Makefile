# groove - terminal groove sequencer.  See README.md.
#
#   make           build ./groove
#   make run       install deps if missing, build, start the TUI
#   make test      install deps if missing, build, run every test (incl. asan)
#   make asan      the whole test suite under ASan + UBSan
#   make bench     benchmarks: one "BENCH name=... value=... unit=..." line each
#   make fuzz      libFuzzer targets (clang), FUZZ_SECONDS each
#   make install   PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
VERSION := 0.1.0

# Debian packages the project needs (build, run, tests, benches, fuzzing).
DEB_PKGS := build-essential pkg-config clang libclang-rt-14-dev \
	libncurses-dev portaudio19-dev libportmidi-dev libopenblas-dev \
	libcjson-dev libsndfile1-dev libasound2-dev libcriterion-dev \
	python3 python3-numpy python3-torch python3-mido \
	jackd2 tmux valgrind sox strace

PKG_MODS := ncursesw portaudio-2.0 sndfile libcjson openblas
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_MODS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKG_MODS) 2>/dev/null) -lportmidi -lasound -ldl -lpthread -lm
TEST_LIBS  := $(shell pkg-config --libs criterion 2>/dev/null)

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -D_DEFAULT_SOURCE \
	-DGV_VERSION='"$(VERSION)"' -DGV_DATADIR='"$(PREFIX)/share/groove"' \
	-I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS_ALL = $(LDFLAGS) $(EXTRA_LDFLAGS)

MODULES  := patterns kernels engine synth trainer app
LIB_SRC  := $(filter-out app/main.c,$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard tests/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test tests asan bench fuzz install uninstall clean check-deps
all: groove

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libgroove.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The program links every object (not the archive) so that each command's
# object is present whether or not main.c names it strongly.
$(BUILD)/groove: $(BUILD)/app/main.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

# cp + rename: works while ./groove is running (cp over it: "Text file busy").
groove: $(BUILD)/groove
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libgroove.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libgroove.a $(LDFLAGS_ALL) $(PKG_LIBS) $(TEST_LIBS)

tests: $(BUILD)/groove $(TEST_BIN) $(BENCH_BIN)

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all installed"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	else echo "deps: missing:" $$missing; \
		echo "run: sudo apt-get update && sudo apt-get install -y --no-install-recommends" $$missing; exit 1; fi

run: deps
	$(MAKE) groove
	./groove

# make test = the suite on the normal build, then again under ASan+UBSan.
test: deps
	$(MAKE) tests groove
	GROOVE_BIN=$(CURDIR)/groove tests/run.sh $(BUILD)
	$(MAKE) asan

asan:
	$(MAKE) BUILD=build-asan EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		GROOVE_BIN=$(CURDIR)/build-asan/groove GROOVE_ASAN=1 tests/run.sh build-asan

bench: deps
	$(MAKE) tests groove
	GROOVE_BIN=$(CURDIR)/groove tests/bench.sh $(BUILD)

FUZZ_SECONDS ?= 600
FUZZ_SRC := $(wildcard tests/fuzz_*.c)
fuzz:
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
			EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -DGV_FUZZING" build-fuzz/libgroove.a || exit 1; \
		clang -std=c11 -g -O1 -I. $(PKG_CFLAGS) -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
			$$f build-fuzz/libgroove.a $(PKG_LIBS) -o build-fuzz/$$n || exit 1; \
		mkdir -p build-fuzz/corpus-$$n; \
		build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=1024 \
			build-fuzz/corpus-$$n tests/fuzz/$$n || exit 1; done

install: groove
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/groove/models \
		$(DESTDIR)$(PREFIX)/share/groove/presets $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 groove $(DESTDIR)$(PREFIX)/bin/groove
	install -m 644 engine/models/default.safetensors engine/models/default.json $(DESTDIR)$(PREFIX)/share/groove/models/
	install -m 644 patterns/presets/*.tab $(DESTDIR)$(PREFIX)/share/groove/presets/
	cd patterns && find gmd -type f | while read -r f; do \
		install -D -m 644 "$$f" "$(DESTDIR)$(PREFIX)/share/groove/$$f" || exit 1; done
	install -m 644 groove.1 $(DESTDIR)$(PREFIX)/share/man/man1/groove.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/groove $(DESTDIR)$(PREFIX)/share/man/man1/groove.1
	rm -rf $(DESTDIR)$(PREFIX)/share/groove

clean:
	rm -rf build build-asan build-fuzz groove

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
