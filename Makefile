# mtfs - Medium-Term Financial Strategy scenario engine.
#
#   make            build libmtfs.a and the mtfs command
#   make check      run the whole test suite (ends with "N passed, N failed")
#   make asan       the suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind   the suite's programs under valgrind memcheck
#   make fuzz       libFuzzer over every input parser (FUZZ_SECONDS each; clang)
#   make bench      time loading and projecting the shipped scenarios
#   make bench-large  10^8 Monte Carlo paths in bounded memory (PATHS=N to change)
#   make bench-mpi  mtfs-mpi on 1 and 2 ranks against mtfs mc (PATHS=N to change)
#   make mpi        build mtfs-mpi, mtfs mc across Open MPI ranks (mpicc)
#   make deps       install the Debian packages the build needs (as root)
#   make install PREFIX=/usr/local   (the shipped data, formulas and scenarios
#                   go to PREFIX/share/mtfs, where mtfs finds them: mtfs(1) FILES)
#   make docs-images  redraw the charts README.md shows (docs/images/)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
# The shipped files: mtfs looks for them in <its bindir>/../share/mtfs.
DATADIR ?= $(PREFIX)/share/mtfs
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
DEPS_PC = gsl libconfig plplot jansson xlsxwriter

OPT ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes
# No fast-math style flags, ever: results must be reproducible bit for bit.
CFLAGS ?= $(OPT)
# CI sets WERROR=-Werror.
WERROR ?=
ALL_CFLAGS = -std=c11 $(WARN) $(WERROR) $(CFLAGS) $(EXTRA_CFLAGS)
# pkg-config runs once, when its flags are first needed: not once per
# compile, and not at all for targets that need none (deps, clean).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags $$(DEPS_PC)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell $$(PKG_CONFIG) --libs $$(DEPS_PC)))$(PKG_LIBS)
ALL_CPPFLAGS = -D_XOPEN_SOURCE=700 -Iinclude -Isrc $(PKG_CFLAGS) $(CPPFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)
# Every object records the headers it includes in a .d file beside it
# (-MP: a removed header is no error); make reads them back below.
DEPFLAGS = -MMD -MP
COMPILE = $(CC) $(DEPFLAGS) $(ALL_CPPFLAGS) $(ALL_CFLAGS)

BUILD ?= build
LIB_SRC = src/error.c src/util.c src/config.c src/config_expand.c src/config_cache.c src/scenario.c src/scenario_check.c src/scenario_load.c src/scenario_optional.c src/scenario_funding.c src/scenario_uncertainty.c src/inputs.c src/dist.c src/projection.c src/columns.c src/scenario_inputs.c \
          src/bridge.c src/sensitivity.c src/condition.c src/batch.c src/json.c src/xlsx.c \
          src/montecarlo.c src/mc_stats.c src/mc_shard.c src/batch_shard.c src/tornado.c src/goalseek.c src/table.c src/formula.c src/brief.c src/backtest.c \
          src/report.c src/report_uncertainty.c src/report_formula.c src/sweep.c src/report_sweep.c src/resilience.c src/report_resilience.c src/input.c src/shipped.c src/output.c src/sha256.c src/version.c src/year.c \
          src/plot/session.c src/plot/layout.c src/plot/draw.c src/plot/chart_projection.c src/plot/chart_bridge.c \
          src/plot/chart_compare.c src/plot/chart_uncertainty.c src/plot/chart_bars.c src/plot/chart_backtest.c
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o)

FUZZ_HARNESSES = scenario formula table condition
REPLAY_PROGRAMS = $(FUZZ_HARNESSES:%=$(BUILD)/tests/replay_%)
REPLAY_OBJ = $(FUZZ_HARNESSES:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/replay.o
TEST_PROGRAMS = $(BUILD)/tests/test_unit $(REPLAY_PROGRAMS)
# One unit-test program from every .c file in tests/unit/ (a module's tests
# are one file there plus one line in tests/unit/suites.h; see check.h).
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.o)

.PHONY: all mpi check test asan ubsan valgrind fuzz fuzz-build bench bench-large bench-mpi bench-serve deps install uninstall clean golden docs-images FORCE

all: mtfs

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(COMPILE) -c $< -o $@

# ar keeps members by file name only: two sources with one name (say
# src/x.c and src/plot/x.c) would make two members called x.o, which
# `ar x` and some tools mix up. Every library source has a name of its own.
$(BUILD)/libmtfs.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)
	@d=$$($(AR) t $@ | sort | uniq -d); test -z "$$d" || \
	    { echo "$@: two members named" $$d "(give each library source a file name of its own)" >&2; rm -f $@; exit 1; }

libmtfs.a: $(BUILD)/libmtfs.a
	cp $< $@

# Each build directory has its own binary; ./mtfs is the default build's,
# so a sanitizer build never replaces the command people run.
# The command: src/cli/ (descriptors, one skeleton, main) over the library.
CLI_SRC = src/cli/main.c src/cli/cli.c src/cli/cmd_scenario.c src/cli/cmd_uncertainty.c src/cli/cmd_funding.c \
          src/cli/cmd_serve.c src/cli/http_api.c src/cli/http_whatif.c src/cli/cmd_resilience.c src/cli/cmd_sweep.c
CLI_OBJ = $(CLI_SRC:src/%.c=$(BUILD)/%.o)
# mtfs serve's web server (libmicrohttpd): the program links it, never libmtfs.a.
SERVE_PC = libmicrohttpd
SERVE_CFLAGS = $(eval SERVE_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags $$(SERVE_PC)))$(SERVE_CFLAGS)
SERVE_LIBS = $(eval SERVE_LIBS := $$(shell $$(PKG_CONFIG) --libs $$(SERVE_PC)))$(SERVE_LIBS)
$(BUILD)/cli/cmd_serve.o: CPPFLAGS += $(SERVE_CFLAGS)
$(BUILD)/mtfs: $(CLI_OBJ) $(BUILD)/libmtfs.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmtfs.a $(SERVE_LIBS) $(LIBS)

mtfs: build/mtfs
	cp build/mtfs $@

# mtfs-mpi (docs/scale.md): mtfs mc across the ranks of an MPI job.  Only
# src/cli/mpi_main.c includes mpi.h; it is compiled and linked by mpicc
# (Debian's libopenmpi-dev), over the same objects as mtfs.  make and make
# install never need MPI; make check builds and tests it where mpicc is.
MPICC ?= mpicc
HAVE_MPICC = $(eval HAVE_MPICC := $$(shell command -v $$(MPICC) 2>/dev/null))$(HAVE_MPICC)
MPI_OBJ = $(BUILD)/cli/mpi_main.o $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ))
$(BUILD)/cli/mpi_main.o: src/cli/mpi_main.c
	@mkdir -p $(@D)
	$(MPICC) $(DEPFLAGS) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/mtfs-mpi: $(MPI_OBJ) $(BUILD)/libmtfs.a
	$(MPICC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(MPI_OBJ) $(BUILD)/libmtfs.a $(SERVE_LIBS) $(LIBS)

mpi: $(BUILD)/mtfs-mpi
	cp $(BUILD)/mtfs-mpi mtfs-mpi

# The test programs' objects: tests/unit/*.c and tests/fuzz/*.c.
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(COMPILE) -c $< -o $@

$(BUILD)/tests/test_unit: $(UNIT_OBJ) $(BUILD)/libmtfs.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libmtfs.a $(LIBS)

# The fuzz harnesses without libFuzzer: make check replays every input kept
# in tests/fuzz/regressions/ through them.
$(REPLAY_PROGRAMS): $(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libmtfs.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(BUILD)/tests/fuzz/fuzz_$*.o $(BUILD)/tests/fuzz/replay.o \
	    $(BUILD)/libmtfs.a $(LIBS)

# The suite: unit tests of the equations, then the command-line tests
# (golden good/bad files, exit codes, outputs).  tests/run.sh prints the
# closing "N passed, N failed" line.
# mtfs-mpi where mpicc is, except in sanitizer builds (tests/run.d/265-mpi.sh
# skips them: Open MPI's own allocations would be reported).
CHECK_MPI = $(if $(findstring sanitize,$(EXTRA_CFLAGS)),,$(if $(HAVE_MPICC),$(BUILD)/mtfs-mpi))
check: $(BUILD)/mtfs $(TEST_PROGRAMS) $(CHECK_MPI)
	@MTFS="$(CURDIR)/$(BUILD)/mtfs" MTFS_MPI="$(if $(CHECK_MPI),$(CURDIR)/$(CHECK_MPI))" UNIT="$(CURDIR)/$(BUILD)/tests/test_unit" WRAP="$(WRAP)" \
	    REPLAY="$(CURDIR)/$(BUILD)/tests/replay_" bash tests/run.sh

test: check

SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: export ASAN_OPTIONS = detect_leaks=1:abort_on_error=0
asan: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
asan: export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" EXTRA_CFLAGS="$(SAN)" EXTRA_LDFLAGS="$(SAN)" check

ubsan:
	$(MAKE) BUILD=build-ubsan OPT="-O1 -g" EXTRA_CFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" \
	    EXTRA_LDFLAGS="-fsanitize=undefined" check

VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp
# 1: every program the suite runs is run under valgrind.  k > 1 (CI): one in
# k of them (tests/wrap-sample.sh), and the unit tests' allocation-failure
# sweeps fail one allocation in k (the sanitizer step runs all of both).
VALGRIND_SAMPLE ?= 1
valgrind: $(BUILD)/mtfs $(TEST_PROGRAMS)
	@if [ "$(VALGRIND_SAMPLE)" -gt 1 ]; then \
	    echo "valgrind: one program in $(VALGRIND_SAMPLE), one allocation failure in $(VALGRIND_SAMPLE)"; \
	    rm -f $(BUILD)/.valgrind-sample; \
	    SAMPLE_EVERY=$(VALGRIND_SAMPLE) SAMPLE_COUNTER="$(CURDIR)/$(BUILD)/.valgrind-sample" \
	    SAMPLE_WRAP="$(VALGRIND)" MTFS_FAULT_STRIDE=$(VALGRIND_SAMPLE) \
	    MTFS="$(CURDIR)/$(BUILD)/mtfs" UNIT="$(CURDIR)/$(BUILD)/tests/test_unit" \
	    REPLAY="$(CURDIR)/$(BUILD)/tests/replay_" WRAP="$(CURDIR)/tests/wrap-sample.sh" bash tests/run.sh; \
	else \
	    MTFS="$(CURDIR)/$(BUILD)/mtfs" UNIT="$(CURDIR)/$(BUILD)/tests/test_unit" \
	    REPLAY="$(CURDIR)/$(BUILD)/tests/replay_" WRAP="$(VALGRIND)" bash tests/run.sh; \
	fi

# Fuzzing (libFuzzer, clang): one harness per input parser.  `make fuzz`
# runs each for FUZZ_SECONDS from a seed corpus of the shipped and test
# files; a crashing input is written to build-fuzz/ (copy it to
# tests/fuzz/regressions/<harness>/ and `make check` replays it for ever).
FUZZERS = $(FUZZ_HARNESSES)
FUZZ_SECONDS ?= 60
# 0 = a new random seed each run; CI fixes it so a run can be repeated.
FUZZ_SEED ?= 0
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz-build:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZ_CC) OPT="-O1 -g" \
	    EXTRA_CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" EXTRA_LDFLAGS="$(FUZZ_SAN)" build-fuzz/libmtfs.a
	@for f in $(FUZZERS); do \
	    $(FUZZ_CC) $(ALL_CPPFLAGS) -std=c11 $(WARN) $(WERROR) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer \
	        -o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c build-fuzz/libmtfs.a $(LIBS) || exit 1; \
	done

fuzz: export ASAN_OPTIONS = detect_leaks=1
fuzz: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
fuzz: fuzz-build
	@rm -rf build-fuzz/seeds && mkdir -p build-fuzz/seeds/scenario build-fuzz/seeds/formula \
	    build-fuzz/seeds/table build-fuzz/seeds/condition
	@cp scenarios/*.cfg scenarios/editions/*.cfg tests/good/*.cfg tests/good/mc/*.cfg tests/bad/*.cfg \
	    build-fuzz/seeds/scenario/
	@cp formulas/*.cfg tests/good/formula/*.cfg build-fuzz/seeds/formula/
	@cp data/authorities.csv data/published/*.csv tests/data/*.csv build-fuzz/seeds/table/
	@i=0; while IFS= read -r line; do i=$$((i+1)); printf '%s' "$$line" > build-fuzz/seeds/condition/$$i; \
	    done < tests/fuzz/conditions.txt
	@for f in $(FUZZERS); do \
	    mkdir -p build-fuzz/corpus/$$f; \
	    echo "fuzz_$$f: $(FUZZ_SECONDS) s"; \
	    dict=; [ -f tests/fuzz/$$f.dict ] && dict=-dict=tests/fuzz/$$f.dict; \
	    build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=10 -rss_limit_mb=2048 \
	        $$dict -print_final_stats=1 -artifact_prefix=build-fuzz/crash-$$f- \
	        build-fuzz/corpus/$$f build-fuzz/seeds/$$f 2>build-fuzz/fuzz_$$f.log \
	        || { tail -40 build-fuzz/fuzz_$$f.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units|stat::new_units_added' build-fuzz/fuzz_$$f.log; \
	done

# Speed of the deterministic engine, measured in process.
$(BUILD)/tests/bench: tests/bench/bench.c $(BUILD)/libmtfs.a
	@mkdir -p $(@D)
	$(COMPILE) -MT $@ -MF $@.d $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libmtfs.a $(LIBS)

bench: mtfs $(BUILD)/tests/bench
	@$(BUILD)/tests/bench

# A bounded load test of mtfs serve on 127.0.0.1 (docs/performance.md):
# 10,000 what-if runs from 32 concurrent clients, no failure, no growth.
$(BUILD)/tests/serve_load: tests/bench/serve_load.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lpthread

bench-serve: $(BUILD)/mtfs $(BUILD)/tests/serve_load
	@bash tests/bench/serve_load.sh $(BUILD)/mtfs $(BUILD)/tests/serve_load $(REQUESTS) $(CLIENTS)

# The issue 19 target: 10^8 paths in bounded memory (several minutes).
bench-large: mtfs $(BUILD)/tests/bench
	@$(BUILD)/tests/bench --bounded $(or $(PATHS),100000000)

# mtfs-mpi on 1 and 2 ranks against mtfs mc (docs/scale.md; PATHS=N to change).
bench-mpi: mtfs $(BUILD)/tests/bench $(BUILD)/mtfs-mpi
	@BUILD=$(BUILD) bash tests/bench/mpi.sh

# Header dependencies recorded by the compiler (DEPFLAGS), read back.  An
# object (or the bench program) built before they were recorded has no .d,
# so nothing says which headers it needs: it is compiled once more.
DEP_FILES := $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include $(DEP_FILES)
BUILT_WITHOUT_DEPS := $(filter-out $(DEP_FILES:.d=.o) $(DEP_FILES:.d=), \
    $(shell find $(BUILD) -name '*.o' 2>/dev/null) $(wildcard $(BUILD)/tests/bench))
$(BUILT_WITHOUT_DEPS): FORCE

# Regenerate tests/golden/ from the shipped scenarios: only on purpose.
golden: mtfs
	@for f in scenarios/*.cfg scenarios/editions/*.cfg; do \
	    ./mtfs run "$$f" --format csv > tests/golden/$$(basename $$f .cfg).csv || exit 1; \
	done; echo "golden files updated; review with git diff"

# Redraw the charts README.md shows, from the shipped scenarios: after any
# change to a chart or to what a shipped scenario projects.  make check fails
# while docs/images/ is out of date (tests/run.d/070-docs.sh).
DOCS_IMAGES ?= docs/images
docs-images: $(BUILD)/mtfs
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; m="$(CURDIR)/$(BUILD)/mtfs"; \
	$$m run scenarios/leics_2025_central.cfg -o "$$tmp" >/dev/null; \
	$$m run scenarios/leics_2020_covid.cfg -o "$$tmp" >/dev/null; \
	$$m run scenarios/leics_2026_budget.cfg -o "$$tmp" >/dev/null; \
	$$m mc scenarios/leics_2025_uncertainty.cfg -q -o "$$tmp" >/dev/null; \
	$$m brief scenarios/leics_2025_fair_funding.cfg -o "$$tmp/brief" >/dev/null; \
	$$m backtest -o "$$tmp/backtest" >/dev/null; \
	mkdir -p $(DOCS_IMAGES); \
	for f in leics_2025_central leics_2025_central_bridge leics_2020_covid leics_2025_uncertainty_fan \
	    leics_2026_budget; do \
	    cp "$$tmp/$$f.png" $(DOCS_IMAGES)/$$f.png; done; \
	cp "$$tmp/brief/brief_per_head.png" $(DOCS_IMAGES)/leics_brief_per_head.png; \
	cp "$$tmp/backtest/backtest_funnel.png" "$$tmp/backtest/backtest_gaps.png" $(DOCS_IMAGES)/; \
	echo "$(DOCS_IMAGES): 8 charts redrawn"

# Node.js and npm come from Debian only on a machine that has no npm yet: a
# machine whose nodejs is another vendor's build (NodeSource bundles npm and
# declares Conflicts: npm) keeps its own, and apt must not try to replace it.
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    build-essential pkg-config libgsl-dev libconfig-dev libplplot-dev plplot-driver-cairo \
	    libjansson-dev libxlsxwriter-dev libmicrohttpd-dev libjs-chart.js libopenmpi-dev openmpi-bin \
	    clang libclang-rt-14-dev valgrind chromium \
	    $$(command -v npm >/dev/null 2>&1 || echo nodejs npm)

# Regenerated every time: it records PREFIX, which can differ between calls.
$(BUILD)/mtfs.pc: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	    'Name: mtfs' 'Description: Medium-Term Financial Strategy scenario engine' \
	    'Version: $(shell sed -n 's/^#define MTFS_VERSION "\(.*\)"/\1/p' include/mtfs/version.h)' \
	    'Requires.private: $(DEPS_PC)' 'Libs: -L$${libdir} -lmtfs' 'Libs.private: -lm' \
	    'Cflags: -I$${includedir}' > $@

# The files mtfs ships, installed under DATADIR with the same layout (a
# scenario names its formulas and a formula its data relative to itself).
SHIPPED = data/README.md data/authorities.csv $(wildcard data/published/*.csv) \
          $(wildcard formulas/*.cfg) $(wildcard scenarios/*.cfg) $(wildcard scenarios/editions/*.cfg)
# mtfs serve's page (its Chart.js is Debian's, never copied).
WWW = share/mtfs/www/index.html share/mtfs/www/app.js share/mtfs/www/style.css

# Installs this build's binary and library (BUILD=build-asan installs those).
install: $(BUILD)/mtfs $(BUILD)/libmtfs.a $(BUILD)/mtfs.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/mtfs \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(BUILD)/mtfs $(DESTDIR)$(BINDIR)/mtfs
	install -m 644 $(BUILD)/libmtfs.a $(DESTDIR)$(LIBDIR)/libmtfs.a
	install -m 644 include/mtfs/*.h $(DESTDIR)$(INCLUDEDIR)/mtfs/
	install -m 644 docs/mtfs.1 $(DESTDIR)$(MANDIR)/man1/mtfs.1
	install -m 644 $(BUILD)/mtfs.pc $(DESTDIR)$(PKGCONFIGDIR)/mtfs.pc
	for d in $(sort $(dir $(SHIPPED))); do install -d $(DESTDIR)$(DATADIR)/$$d || exit 1; done
	for f in $(SHIPPED); do install -m 644 $$f $(DESTDIR)$(DATADIR)/$$f || exit 1; done
	install -d $(DESTDIR)$(DATADIR)/www
	install -m 644 $(WWW) $(DESTDIR)$(DATADIR)/www/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mtfs $(DESTDIR)$(LIBDIR)/libmtfs.a $(DESTDIR)$(MANDIR)/man1/mtfs.1 \
	    $(DESTDIR)$(PKGCONFIGDIR)/mtfs.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/mtfs $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-ubsan build-fuzz build-dev mtfs mtfs-mpi libmtfs.a mtfs.pc
FORCE:
