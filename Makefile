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
	jackd2 libjack-jackd2-dev tmux valgrind sox strace libexpat1-dev procps \
	universal-ctags libopenmpi-dev openmpi-bin

PKG_MODS := ncursesw portaudio-2.0 sndfile libcjson openblas expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKG_MODS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKG_MODS) 2>/dev/null) -lportmidi -lasound -ldl -lpthread -lm
TEST_LIBS  := $(shell pkg-config --libs criterion 2>/dev/null)

# MPI (mpirun -np N groove train): built in when mpicc is found (Open MPI:
# libopenmpi-dev); MPI=0 builds without it, as a machine without it does.
# Only trainer/dist.c includes <mpi.h>.
MPI ?= 1
MPICC := $(if $(filter 1,$(MPI)),$(shell command -v mpicc 2>/dev/null))
ifneq ($(MPICC),)
MPI_CFLAGS := -DGV_MPI $(shell $(MPICC) --showme:compile 2>/dev/null)
PKG_LIBS   += $(shell $(MPICC) --showme:link 2>/dev/null)
endif

# CUDA (groove devices, --device cuda): kernels/cuda/kernels.cu compiled by
# nvcc into one fatbin (PTX compute_75 + SASS sm_80, sm_90) linked into the
# program, when nvcc is found; CUDA=0 leaves it out, as does an nvcc that
# fails (the fatbin is then empty: "built without CUDA").  libcuda itself is
# opened at run time (kernels/cuda.h), never linked.  The fatbin is made once
# for every build tree (build/cuda/), so make asan does not run nvcc again.
CUDA ?= 1
NVCC := $(if $(filter 1,$(CUDA)),$(or $(shell command -v nvcc 2>/dev/null),$(wildcard /usr/local/cuda/bin/nvcc)))
CUDA_VER := $(if $(NVCC),$(shell $(NVCC) --version 2>/dev/null | sed -nE 's/.*release ([0-9]+)\.([0-9]+).*/\1 \2/p' | \
	awk '{print $$1 * 1000 + $$2 * 10}'))
CUDA_FATBIN := build/cuda/kernels.fatbin
NVCC_FLAGS := -fatbin --no-compress -O3 -std=c++17 -gencode arch=compute_75,code=compute_75 \
	-gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90

WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) -D_DEFAULT_SOURCE \
	-DGV_VERSION='"$(VERSION)"' -DGV_DATADIR='"$(PREFIX)/share/groove"' \
	-I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS_ALL = $(LDFLAGS) $(EXTRA_LDFLAGS)

MODULES  := base patterns kernels midi synth engine trainer session app
LIB_SRC  := $(filter-out app/main.c,$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
ifneq ($(CUDA_VER),)
LIB_OBJ  += $(BUILD)/kernels/cuda_fatbin.o
endif
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard tests/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test tests asan bench fuzz install uninstall clean check-deps
all: groove

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/trainer/dist.o: ALL_CFLAGS += $(MPI_CFLAGS)

$(BUILD)/kernels/cuda.o: ALL_CFLAGS += $(if $(CUDA_VER),-DGV_CUDA=$(CUDA_VER))
# cuda.o again when CUDA is switched on or off in the same tree (the file
# changes only then): a stale one would ask for a fatbin that is not linked.
$(BUILD)/kernels/cuda.o: $(BUILD)/kernels/cuda.flags
$(BUILD)/kernels/cuda.flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CUDA_VER)' | cmp -s - $@ || echo '$(CUDA_VER)' > $@
FORCE:

$(CUDA_FATBIN): kernels/cuda/kernels.cu
	@mkdir -p $(dir $@)
	@echo "nvcc $< -> $@"
	@$(NVCC) $(NVCC_FLAGS) -o $@.tmp $< > $(dir $@)nvcc.log 2>&1 && mv -f $@.tmp $@ || \
		{ rm -f $@.tmp; : > $@; echo "cuda: nvcc failed ($(dir $@)nvcc.log): building without CUDA"; }

# The fatbin as data: .incbin in a generated assembler file (no xxd, no
# symbol names that depend on the path).
$(BUILD)/kernels/cuda_fatbin.o: $(CUDA_FATBIN)
	@mkdir -p $(dir $@)
	printf '\t.section .rodata\n\t.balign 64\n\t.globl gv_cuda_fatbin_start\n\t.type gv_cuda_fatbin_start, @object\ngv_cuda_fatbin_start:\n\t.incbin "%s"\n\t.globl gv_cuda_fatbin_end\ngv_cuda_fatbin_end:\n\t.byte 0\n\t.section .note.GNU-stack,"",@progbits\n' \
		"$(abspath $<)" > $(@:.o=.S)
	$(CC) -c $(@:.o=.S) -o $@

$(BUILD)/libgroove.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/groove: $(BUILD)/app/main.o $(BUILD)/libgroove.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS_ALL) $(PKG_LIBS)

# cp + rename: works while ./groove is running (cp over it: "Text file busy").
groove: $(BUILD)/groove
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libgroove.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libgroove.a $(LDFLAGS_ALL) $(PKG_LIBS) $(TEST_LIBS)

# A second JACK client that records what groove plays (e2e_jack.sh).
$(BUILD)/tests/jack_tap: tests/jack_tap.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS_ALL) -ljack -lsndfile -lm

# gpu_kernels: every CUDA kernel against its CPU reference (run by
# tests/gpu_check.sh on a GPU; built here so it keeps compiling).
# A stand-in libcuda.so.1 with no device (test_cuda, e2e_cuda.sh):
# GROOVE_LIBCUDA points at it.  Built plain (no sanitizers): dlopen'ed.
$(BUILD)/tests/libfakecuda.so: tests/fake_libcuda.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O1 -shared -fPIC -o $@ $<

tests: $(BUILD)/groove $(TEST_BIN) $(BENCH_BIN) $(BUILD)/tests/jack_tap $(BUILD)/tests/libfakecuda.so \
	$(BUILD)/tests/gpu_kernels

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
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan_criterion.supp:print_suppressions=0 \
		GROOVE_BIN=$(CURDIR)/build-asan/groove GROOVE_ASAN=1 tests/run.sh build-asan

bench: deps
	$(MAKE) tests groove
	GROOVE_BIN=$(CURDIR)/groove tests/bench.sh $(BUILD)

# make fuzz FUZZ_TARGETS="fuzz_tab fuzz_keymap" FUZZ_SECONDS=60: a subset, for
# a while each.  Each target starts from its seed corpus (tests/fuzz/NAME)
# plus seeds its own writers make now (GV_FUZZ_SEEDS mode, see
# tests/fuzz_util.h); new inputs go to build-fuzz/corpus-NAME.  The log is
# build-fuzz/NAME.log, its last stats line ("#N DONE cov: ft: corp: ...")
# build-fuzz/NAME.stats; a crash leaves build-fuzz/crash-NAME-* and makes
# `make fuzz` fail after the other targets ran.
FUZZ_SECONDS ?= 600
FUZZ_SRC := $(wildcard tests/fuzz_*.c)
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/%.c=%)
FUZZ_CFLAGS := -fsanitize=fuzzer-no-link,address,undefined -DGV_FUZZING \
	-fsanitize-coverage-ignorelist=tests/fuzz_coverage_ignore.txt
FUZZ_FLAGS ?=
fuzz:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang EXTRA_CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/libgroove.a
	@failed=; for n in $(FUZZ_TARGETS); do \
		test -f tests/$$n.c || { echo "fuzz: no such target: tests/$$n.c"; exit 2; }; \
		clang -std=c11 $(WARN) -g -O1 -I. $(PKG_CFLAGS) -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
			tests/$$n.c build-fuzz/libgroove.a $(PKG_LIBS) -o build-fuzz/$$n || exit 1; \
		rm -rf build-fuzz/seeds-$$n; mkdir -p build-fuzz/corpus-$$n build-fuzz/seeds-$$n; \
		GV_FUZZ_SEEDS=build-fuzz/seeds-$$n build-fuzz/$$n -runs=0 >/dev/null 2>&1 || { echo "fuzz: $$n: writing seeds failed"; exit 1; }; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s (log: build-fuzz/$$n.log)"; \
		build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
			-close_fd_mask=3 -print_final_stats=1 -artifact_prefix=build-fuzz/crash-$$n- $(FUZZ_FLAGS) \
			build-fuzz/corpus-$$n tests/fuzz/$$n build-fuzz/seeds-$$n > build-fuzz/$$n.log 2>&1; rc=$$?; \
		grep -E '^#[0-9]+' build-fuzz/$$n.log | tail -n 1 > build-fuzz/$$n.stats; \
		echo "fuzz: $$n: $$(cat build-fuzz/$$n.stats)"; \
		if [ $$rc != 0 ]; then tail -n 40 build-fuzz/$$n.log; failed="$$failed $$n"; fi; \
	done; \
	echo "fuzz: summary ($(FUZZ_SECONDS) s each)"; \
	for n in $(FUZZ_TARGETS); do printf '  %-18s %s\n' $$n "$$(cat build-fuzz/$$n.stats)"; done; \
	if [ -n "$$failed" ]; then echo "fuzz: FAILED:$$failed"; exit 1; fi

install: groove
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/groove/models \
		$(DESTDIR)$(PREFIX)/share/groove/presets $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 groove $(DESTDIR)$(PREFIX)/bin/groove
	install -m 644 engine/models/*.safetensors engine/models/*.json $(DESTDIR)$(PREFIX)/share/groove/models/
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
