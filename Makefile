# bpfgauge: build, deps, run, check.
#   make deps     install the Debian packages that are missing (nothing when all are present)
#   make          build build/bpfgauge
#   make run      build, then run the default suite (suites/quick.suite) and print the verdicts
#   make check    build, then run every test (Criterion): the unit tests, then the integration tests
#   make check-unit   build and run the unit tests only (tests/unit/): pure logic, in seconds,
#                 built without clang, bpftool or the kernel's BTF, run without root
#   make deps-unit    install only what check-unit needs
#   CHECK_ARGS=...    Criterion options for check and check-unit (--filter 'SUITE/*', --list, ...)
#   make bench    the bench suite: what a latency tool costs per event vs the floor and bpftrace
#   make soak     whether compare's verdicts hold across runs here: A/A and an injected 10%
#                 over many runs of quick (~45 min, a quiet machine; ci/soak.sh, PAIRS=... )
#   make soak-cost   whether cost of a project tool agrees with tool-overhead's measure of it
#                 (~5 min, a quiet machine; ci/cost-agreement.sh, PAIRS=... )
#   make vmtest KERNEL=path/to/vmlinuz [SUITE=probe]   run a suite in a QEMU guest on that kernel
#   make vmtest-kernels   fetch the kernels of ci/kernels.txt into build/kernels/
#   make fresh-check      'make run' and 'make check' on a fresh Debian 12 root (mmdebstrap)
#   V=1           show full commands

.DELETE_ON_ERROR:
.SUFFIXES:

OUT      := build
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
# Lazily evaluated: 'make deps' may install clang-19 before these are first used.
CLANG     = $(firstword $(foreach v,19 18 17 16 15,$(shell command -v clang-$(v))) clang)
BPFTOOL  ?= $(firstword $(shell command -v bpftool /usr/sbin/bpftool 2>/dev/null))
CC       ?= cc
VERSION  := 0.1.0
# -dirty: a tracked file is modified or an untracked one (not ignored) is present.
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
	    git status --porcelain 2>/dev/null | grep -q . && echo -dirty)

CFLAGS   ?= -O2 -g
# Frame pointers: user stacks taken by bpf_get_stackid() are walked through them.
CFLAGS   += -fno-omit-frame-pointer
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Werror=undef -Wno-missing-field-initializers \
	    -I$(OUT) -Iharness -I. -Ibpf -DBPFGAUGE_VERSION='"$(VERSION)"' -DBPFGAUGE_COMMIT='"$(COMMIT)"'
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -I$(OUT) -Ibpf
# libbpf: Debian's newest source package (sid), fetched through a private apt configuration and
# built static into build/libbpf/ once (ci/libbpf.sh); its headers serve the BPF programs too.
# Debian 12's libbpf-dev (1.1.2) lacks what the newer checks attach with (uprobe_multi, tcx...).
LIBBPF_DIR := $(OUT)/libbpf
LIBBPF_A := $(LIBBPF_DIR)/root/lib/libbpf.a
# Written last by ci/libbpf.sh: "libbpf 1.7.0-1 (Debian sid)". 'rm -rf build/libbpf' fetches anew.
LIBBPF   := $(LIBBPF_DIR)/source
CFLAGS   += -I$(LIBBPF_DIR)/root/include
BPF_CFLAGS += -I$(LIBBPF_DIR)/root/include
LDLIBS   := $(LIBBPF_A) -lelf -lz -ljansson -linih -lgsl -lgslcblas -lsqlite3 -lm
# The host's system include directories (as libbpf-bootstrap does): UAPI headers such as
# <linux/bpf.h> need the multiarch asm/ directory, which -target bpf does not search. Programs
# that touch only UAPI types need no vmlinux.h and no CO-RE, so libbpf loads them without
# reading the kernel's BTF. Lazily evaluated, like CLANG.
BPF_SYS_INCLUDES = $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

BPF_SRCS   := $(wildcard bpf/*.bpf.c)
SKELS      := $(patsubst bpf/%.bpf.c,$(OUT)/%.skel.h,$(BPF_SRCS))
BPF_OBJS   := $(patsubst bpf/%.bpf.c,$(OUT)/%.bpf.o,$(BPF_SRCS))
# The binary's sources: harness/ by subject (one folder each), and the built-in workloads.
# workloads/true.c is not one of them: it is a program of its own (true-static, below).
HARNESS    := $(wildcard harness/*/*.c harness/bench/benchmarks/*.c) \
	      $(filter-out workloads/true.c,$(wildcard workloads/*.c))
HARNESS_HDRS := $(wildcard harness/*/*.h harness/bench/benchmarks/*.h workloads/*.h bpf/*.h)
OBJS       := $(patsubst %.c,$(OUT)/%.o,$(HARNESS))
LIB_OBJS   := $(filter-out $(OUT)/harness/cli/main.o,$(OBJS))
# Tests: tests/unit/ (pure logic: no BPF, no root, no kernel feature) and tests/integration/ (the
# real kernel and binary, as root), one Criterion binary each; tests/support.c goes in both.
UNIT_TESTS := $(OUT)/tests/bpfgauge-tests-unit
INTEGRATION_TESTS := $(OUT)/tests/bpfgauge-tests-integration
UNIT_TEST_OBJS := $(patsubst %.c,$(OUT)/%.o,tests/support.c $(wildcard tests/unit/*.c))
INTEGRATION_TEST_OBJS := $(patsubst %.c,$(OUT)/%.o,tests/support.c \
			 $(wildcard tests/integration/*.c))
UNIT_FIXTURES := $(OUT)/tests/elf_target
FIXTURES   := $(UNIT_FIXTURES) $(OUT)/tests/busy_target $(OUT)/tests/fs_workload \
	      $(OUT)/tests/pingpong $(OUT)/tests/syscall_loop $(OUT)/tests/spin_target \
	      $(OUT)/tests/sleep_target $(OUT)/tests/share_target $(OUT)/tests/dl_target \
	      $(OUT)/tests/dl_burn
# Programs the built-in workloads run, and the fio and stress-ng job files built into the binary.
WL_BINS    := $(OUT)/workloads/true-static
JOB_FILES  := $(wildcard workloads/fio/*.fio workloads/stress-ng/*.job)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.PHONY: all deps deps-unit run check check-unit bench soak soak-cost vmtest vmtest-kernels fresh-check clean \
	format FORCE
# Keep BPF objects: they are inputs of the skeletons, not throw-away intermediates.
.SECONDARY: $(BPF_OBJS) $(SKELS)
all: $(OUT)/bpfgauge $(WL_BINS)

# deps-unit first: the two never run apt-get at the same time.
deps: deps-unit
	$(Q)bash ci/deps.sh

deps-unit:
	$(Q)bash ci/deps.sh --unit

run: $(OUT)/bpfgauge
	$(OUT)/bpfgauge run quick

check: $(OUT)/bpfgauge $(WL_BINS) $(UNIT_TESTS) $(INTEGRATION_TESTS) $(OUT)/kernels/test
	$(UNIT_TESTS) --jobs=1 $(CHECK_ARGS)
	$(INTEGRATION_TESTS) --jobs=1 $(CHECK_ARGS)

check-unit: $(UNIT_TESTS)
	$(UNIT_TESTS) --jobs=1 $(CHECK_ARGS)

# vmtest (docs/vmtest.md). The kernel the tests boot is the first of ci/kernels.txt, fetched
# once into build/kernels/ (build/kernels/test points to it).
vmtest: $(OUT)/bpfgauge
	@test -n "$(KERNEL)" || { echo "make vmtest: which kernel? KERNEL=path/to/vmlinuz" \
		"(make vmtest-kernels fetches some into $(OUT)/kernels/)" >&2; exit 2; }
	$(OUT)/bpfgauge vmtest --kernel $(KERNEL) $(if $(SUITE),--suite $(SUITE))

vmtest-kernels:
	$(Q)grep -v '^\s*\(#\|$$\)' ci/kernels.txt | while read -r pkg; do \
		bash ci/fetch-kernel.sh "$$pkg" $(OUT)/kernels || exit 2; done

$(OUT)/kernels/test: ci/kernels.txt | deps
	$(call msg,KERNEL,$@)
	$(Q)dir=$$(bash ci/fetch-kernel.sh "$$(grep -v '^\s*\(#\|$$\)' ci/kernels.txt | head -1)" \
		$(OUT)/kernels) && ln -sfn "$$(basename "$$dir")" $@

# The README's two commands on a clone of HEAD in a minbase Debian 12 root built at each run:
# proves 'make deps' installs everything they need (ci/fresh-check.sh).
fresh-check:
	$(Q)bash ci/fresh-check.sh

bench: $(OUT)/bpfgauge
	$(OUT)/bpfgauge run bench

soak: $(OUT)/bpfgauge
	$(Q)bash ci/soak.sh

soak-cost: $(OUT)/bpfgauge
	$(Q)bash ci/cost-agreement.sh

# Linked again when libbpf is built anew (its stamp, $(LIBBPF), is no object: filtered out).
$(OUT)/bpfgauge: $(OBJS) $(LIBBPF) | deps
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.o,$^) $(LDLIBS) -o $@

$(LIBBPF): | deps-unit
	$(call msg,LIBBPF,$(LIBBPF_DIR))
	$(Q)bash ci/libbpf.sh $(LIBBPF_DIR)

$(OUT)/vmlinux.h: | deps
	$(call msg,BTF,$@)
	$(Q)mkdir -p $(OUT)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(OUT)/vmlinux.h $(wildcard bpf/*.h) $(LIBBPF) | deps
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(BPF_SYS_INCLUDES) -c $< -o $@

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# Syscall names by number, for per-syscall histograms.
$(OUT)/syscall_names.h: | deps-unit
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(OUT)
	$(Q)echo '#include <sys/syscall.h>' | $(CC) -dM -E - | \
		sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/[\2] = "\1",/p' > $@

# BPF_USERS: the objects whose source includes a BPF build product (a *.skel.h or vmlinux.h),
# itself or through a header. The preprocessor finds them: -MM -MG names every header a source
# includes, a generated one too before it exists, and compiles nothing. The list is kept in
# build/bpf-users.mk, made again when a source or header changes; goals that build nothing skip it.
$(OUT)/bpf-users.mk: $(HARNESS) $(HARNESS_HDRS) | deps-unit
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MM -MG $(HARNESS) > $@.deps
	$(Q)sed -e ':a' -e '/\\$$/{N;s/\\\n//;ba}' $@.deps | awk '/\.skel\.h|vmlinux\.h/ \
		{ sub(/\.c$$/, ".o", $$2); print "BPF_USERS += $(OUT)/" $$2 }' > $@ && rm $@.deps
ifneq ($(filter-out clean format deps deps-unit vmtest-kernels,$(or $(MAKECMDGOALS),all)),)
include $(OUT)/bpf-users.mk
endif

# Objects may include the generated headers that need no BPF build; a BPF user waits for every
# skeleton first. Header dependencies come from the compiler (-MMD).
GENERATED  := $(OUT)/syscall_names.h $(OUT)/workload_jobs.h
define compile
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@
endef
$(OUT)/harness/%.o: harness/%.c $(GENERATED) | deps-unit $(LIBBPF)
	$(compile)
$(OUT)/workloads/%.o: workloads/%.c $(GENERATED) | deps-unit $(LIBBPF)
	$(compile)
$(BPF_USERS): $(SKELS) | deps

# The unit tests' harness objects: every object but the BPF users (and main), in an archive, so
# that the linker takes only those the tests call. None of them needs clang, bpftool or BTF. A thin
# archive: it refers to the objects by path, and their names repeat across folders (registry.o).
UNIT_OBJS  := $(filter-out $(BPF_USERS) $(OUT)/harness/cli/main.o,$(OBJS))
$(OUT)/tests/unit.a: $(UNIT_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs --thin $@ $^

# Tests' own helpers are included plainly: -Itests, and -Itests/integration there.
define compile-test
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(1) -MMD -MP -c $< -o $@
endef
$(OUT)/tests/support.o: tests/support.c | deps-unit $(LIBBPF)
	$(call compile-test,-Itests)
$(OUT)/tests/unit/%.o: tests/unit/%.c | deps-unit $(LIBBPF)
	$(call compile-test,-Itests)
$(OUT)/tests/integration/%.o: tests/integration/%.c | deps $(SKELS) $(LIBBPF)
	$(call compile-test,-Itests -Itests/integration)

# The commit, rewritten only when it changes: the objects that print it are rebuilt then.
$(OUT)/commit: FORCE
	$(Q)mkdir -p $(OUT)
	$(Q)echo '$(COMMIT)' | cmp -s - $@ || echo '$(COMMIT)' > $@
$(OUT)/harness/result/env.o $(OUT)/harness/cli/main.o: $(OUT)/commit $(OUT)/libbpf_source.h
# Where the libbpf built in comes from, for the environment block and 'bpfgauge version'.
$(OUT)/libbpf_source.h: $(LIBBPF) | deps-unit
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(OUT)
	$(Q)echo "#define BPFGAUGE_LIBBPF_SOURCE \"$$(cat $<)\"" > $@

-include $(OBJS:.o=.d) $(UNIT_TEST_OBJS:.o=.d) $(INTEGRATION_TEST_OBJS:.o=.d)

$(UNIT_TESTS): $(UNIT_TEST_OBJS) $(OUT)/tests/unit.a $(UNIT_FIXTURES) $(LIBBPF)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.o %.a,$^) $(LDLIBS) -lcriterion -o $@

$(INTEGRATION_TESTS): $(INTEGRATION_TEST_OBJS) $(LIB_OBJS) $(FIXTURES) $(WL_BINS) $(LIBBPF)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(filter %.o,$^) $(LDLIBS) -lcriterion -o $@

# Test fixtures, one source each in tests/fixtures/, with their own flags:
#   elf_target    a PIE binary with known symbols, for the ELF lookup tests (unit)
#   busy_target   functions that busy-wait a known time, for the func-latency accuracy tests
#   fs_workload   I/O with a known answer for the tool tests; static, so that no dynamic
#                 loader opens or reads files before its own I/O
#   pingpong      N wakeups and switches with a known answer for the runq-latency tests
#   syscall_loop  exactly N getppid calls, or N sleeps, for the syscall-latency tests
#   spin_target, sleep_target, share_target   profile workloads: a PIE with frame pointers
#                 spinning in a named function, a sleeper, and two functions with a 3:1 split
#   dl_target, dl_burn   a program that dlopen()s the shared object dl_burn after its start
#                 and spins in it
$(OUT)/tests/elf_target: FIXTURE_FLAGS := -O1 -g -fPIE -pie
$(OUT)/tests/busy_target: FIXTURE_FLAGS := -O2 -g -Wall -Wextra -Werror -pthread
$(OUT)/tests/fs_workload: FIXTURE_FLAGS := -O2 -Wall -Wextra -Werror -static
$(OUT)/tests/pingpong $(OUT)/tests/syscall_loop: FIXTURE_FLAGS := -O2 -Wall -Wextra -Werror
$(OUT)/tests/spin_target $(OUT)/tests/sleep_target $(OUT)/tests/share_target \
	$(OUT)/tests/dl_target: FIXTURE_FLAGS := -O2 -g -fno-omit-frame-pointer -fPIE -pie
$(OUT)/tests/dl_burn: FIXTURE_FLAGS := -O2 -g -fno-omit-frame-pointer -fPIC -shared

$(FIXTURES): $(OUT)/tests/%: tests/fixtures/%.c | deps-unit
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FIXTURE_FLAGS) $< -o $@

# Job files as C string literals: { "fio/randread-4k.fio", "line\n" ... },
$(OUT)/workload_jobs.h: $(JOB_FILES)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(OUT)
	$(Q)for f in $^; do \
		printf '{ "%s",\n' "$${f#workloads/}"; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$$/\\n"/' "$$f"; \
		printf '},\n'; \
	done > $@

# The guest's init script as one C string literal, built into initramfs.o.
$(OUT)/harness/vmtest/initramfs.o: $(OUT)/vmtest_init.h
$(OUT)/vmtest_init.h: harness/vmtest/vmtest-init.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(OUT)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

$(OUT)/workloads/true-static: workloads/true.c | deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -static $< -o $@

format:
	clang-format -i $(HARNESS) $(wildcard harness/*/*.h harness/bench/benchmarks/*.h workloads/*.h) \
		bpf/*.c bpf/*.h \
		$(wildcard tests/*.[ch] tests/unit/*.c tests/integration/*.[ch])

clean:
	rm -rf $(OUT)
