// SPDX-License-Identifier: GPL-2.0
/*
 * User addresses to names through /proc/PID/maps and ELF symbols: this test process (a PIE)
 * and a shared library, by name, offset and path and as usyms_name() prints them, and a
 * process that exited after its maps were read.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <gelf.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profile/usyms.h"

/* A function of the test binary, found by name in its symbol table. */
int usyms_test_target(int x);

__attribute__((noinline)) int usyms_test_target(int x)
{
	return x * 3 + 1;
}

Test(usyms, own_function_and_libc)
{
	struct usyms *u = usyms_new();
	struct usym sym;
	int on_stack = 0;

	cr_assert_not_null(u, "/proc/self/maps: %s", strerror(errno));
	cr_assert_eq(usyms_lookup(u, getpid(), (unsigned long)usyms_test_target + 4, &sym), 0);
	cr_assert_str_eq(sym.name, "usyms_test_target");
	cr_assert_eq(sym.off, 4);
	cr_assert(strstr(sym.path, "bpfgauge-tests"), "path %s", sym.path);
	cr_assert_eq(usyms_lookup(u, getpid(), (unsigned long)getpid, &sym), 0);
	cr_assert(sym.name && strstr(sym.name, "getpid"), "getpid is %s", sym.name);
	cr_assert(strstr(sym.path, "libc"), "path %s", sym.path);
	cr_assert_eq(usyms_lookup(u, getpid(), (unsigned long)&on_stack, &sym), -ENOENT,
		     "the stack");
	usyms_free(u);
}

__attribute__((noinline)) int stacks_test_local_function(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

Test(usyms, names_own_pie_functions_and_shared_libraries)
{
	struct usyms *u = usyms_new();
	unsigned long local = (unsigned long)&stacks_test_local_function;
	unsigned long lib = (unsigned long)&elf_version;	/* libelf.so */
	void *anon = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[256];

	cr_assert_not_null(u);
	cr_assert_neq(anon, MAP_FAILED);
	cr_assert_eq(usyms_snapshot(u, getpid()), 0);
	cr_assert_str_eq(usyms_name(u, getpid(), local + 2, buf, sizeof(buf)),
			 "stacks_test_local_function");
	cr_assert_str_eq(usyms_name(u, getpid(), lib + 1, buf, sizeof(buf)), "elf_version");
	cr_assert_str_eq(usyms_name(u, getpid(), (unsigned long)anon + 8, buf, sizeof(buf)),
			 "[unknown anon]");
	cr_assert_str_eq(usyms_name(u, getpid(), 0x1000, buf, sizeof(buf)), "[unknown]");
	munmap(anon, 4096);
	usyms_free(u);
}

Test(usyms, exited_process_named_from_its_first_sight)
{
	struct usyms *u = usyms_new();
	unsigned long local = (unsigned long)&stacks_test_local_function;
	char buf[256];
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	/* Same image in the child (fork): the same address names the same function. */
	cr_assert_eq(usyms_snapshot(u, pid), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	cr_assert_eq(usyms_snapshot(u, pid), -ENOENT, "the process is gone");
	cr_assert_str_eq(usyms_name(u, pid, local, buf, sizeof(buf)),
			 "stacks_test_local_function");
	cr_assert_str_eq(usyms_name(u, pid + 100000000, local, buf, sizeof(buf)), "[unknown]");
	usyms_free(u);
}
