# motcua — build, run, test, bench.
#
#   make            build build/motcua (installs missing Debian packages first)
#   make run        build, then serve the demo on http://127.0.0.1:8080
#   make test       unit + API tests, the same under ASan+UBSan, browser tests
#   make bench      seed databases and measure (see bench/run.sh)
#   make fuzz       libFuzzer harnesses under ASan+UBSan
#
# Local overrides (CC, OPT, DEV=1 for -Werror) go in config.mk.
-include config.mk

.DEFAULT_GOAL := all
.SUFFIXES:

BUILD ?= build
ASAN_BUILD ?= build-asan
OPT ?= -O2 -g
PKGS := libmicrohttpd sqlite3 libcjson libsodium inih libqrencode xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wmissing-declarations -Wpointer-arith \
	-Wcast-qual -Wwrite-strings -Wformat=2 -Wvla -Wold-style-definition \
	-fno-common
ifeq ($(DEV),1)
WARN += -Werror
endif
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2
CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -pthread \
	-Iserver -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS := -pthread $(EXTRA_LDFLAGS)
LIBS := $(PKG_LIBS) -lm

SRC := $(sort $(wildcard server/*.c))
OBJ := $(SRC:server/%.c=$(BUILD)/obj/%.o)
LIBOBJ := $(filter-out $(BUILD)/obj/main.o,$(OBJ))
GEN := $(BUILD)/gen/embedded.c
GENOBJ := $(BUILD)/obj/embedded.o
SCHEMA := $(sort $(wildcard schema/*.sql))
STATIC := $(sort $(shell find static -type f 2>/dev/null))
DEMO := $(sort $(wildcard schema/demo/*.csv))
TEST_SRC := $(sort $(wildcard tests/*.c))
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tobj/%.o)
BIN := $(BUILD)/motcua
TESTBIN := $(BUILD)/check_motcua

.PHONY: all deps binary run test unit asan browser bench fuzz clean tidy

all: deps
	@$(MAKE) --no-print-directory binary

deps:
	@tools/deps.sh build

binary: $(BIN)

$(BIN): $(OBJ) $(GENOBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/%.o: server/%.c | $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c | $(BUILD)/obj
	$(CC) -std=c11 -O1 -o $@ $<

$(GEN): $(BUILD)/embed $(SCHEMA) $(STATIC) $(DEMO) | $(BUILD)/gen
	$(BUILD)/embed embed_schema $@.schema.c schema/ $(SCHEMA)
	$(BUILD)/embed embed_static $@.static.c static/ $(STATIC)
	$(BUILD)/embed embed_demo $@.demo.c schema/demo/ $(DEMO)
	cat $@.schema.c $@.static.c $@.demo.c | grep -v '^#include' \
		| sed '1i #include "embed.h"' > $@

$(GENOBJ): $(GEN)
	$(CC) $(CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

$(BUILD)/obj $(BUILD)/gen $(BUILD)/tobj:
	@mkdir -p $@

# ---- run ----------------------------------------------------------------
RUN_CONFIG := $(firstword $(wildcard config.ini) config.example.ini)
run: all
	@mkdir -p var
	$(BIN) serve --config $(RUN_CONFIG)

# ---- tests --------------------------------------------------------------
# The Check runner links every server object except main.o. Suites are
# found by name: each tests/check_<module>.c defines Suite *<module>_suite.
$(BUILD)/gen/suites.h: $(TEST_SRC) | $(BUILD)/gen
	@grep -ho '^Suite \*[a-z0-9_]*_suite(void)' $(TEST_SRC) \
		| sed 's/^Suite \*\([a-z0-9_]*\)(void)/X(\1)/' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/tobj/%.o: tests/%.c $(BUILD)/gen/suites.h | $(BUILD)/tobj
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -Itests -c -o $@ $<

$(TESTBIN): $(LIBOBJ) $(GENOBJ) $(TEST_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

unit: $(TESTBIN) $(BIN)
	MOTCUA_BIN=$(abspath $(BIN)) $(TESTBIN)

test:
	@tools/deps.sh build test browser
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory browser

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# in its own build folder; any report fails the run.
asan:
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) \
		OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" unit

browser: all
	@cd tests/browser && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --silent; }
	MOTCUA_BIN=$(abspath $(BIN)) node tests/browser/run.mjs

# ---- bench, fuzz ----------------------------------------------------------
bench: all
	@tools/deps.sh bench
	bench/run.sh

fuzz:
	@tools/deps.sh build fuzz
	@$(MAKE) --no-print-directory -f fuzz/Makefile

clean:
	rm -rf build build-asan

-include $(OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(GENOBJ:.o=.d)
