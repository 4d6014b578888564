// SPDX-License-Identifier: GPL-2.0
/*
 * Stack symbols: kernel addresses against /proc/kallsyms read with awk, user addresses of
 * this test process (a PIE) and of a shared library, and of a process that exited after its
 * maps were read.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <gelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksyms.h"
#include "support.h"
#include "usyms.h"

Test(ksyms, lookup_matches_kallsyms)
{
	struct ksyms *ks;
	const struct ksym *sym;
	unsigned long addr;
	char *out;

	if (!evidence_root())
		cr_skip("kallsyms shows addresses to root only");
	out = sh("awk '$3 == \"vfs_read\" && ($2 == \"T\" || $2 == \"t\") {print $1; exit}' "
		 "/proc/kallsyms", NULL);
	addr = strtoul(out, NULL, 16);
	free(out);
	cr_assert_neq(addr, 0, "no vfs_read address in /proc/kallsyms");
	ks = ksyms_load("/proc/kallsyms");
	cr_assert_not_null(ks, "load: %s", strerror(errno));
	sym = ksyms_lookup(ks, addr + 1);
	cr_assert_not_null(sym);
	cr_assert_eq(sym->addr, addr);
	cr_assert_str_eq(sym->name, "vfs_read");
	cr_assert_str_eq(sym->module, "");
	cr_assert_null(ksyms_lookup(ks, 0x1000), "below the kernel");
	ksyms_free(ks);
	cr_assert_null(ksyms_load("/nonexistent"));
	cr_assert_eq(errno, ENOENT);
}

Test(ksyms, zeroed_addresses_are_eperm)
{
	char path[] = "/tmp/bpfgauge-kallsyms-XXXXXX";
	const char text[] = "0000000000000000 T _stext\n0000000000000000 t foo\t[mod]\n";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	cr_assert_null(ksyms_load(path));
	cr_assert_eq(errno, EPERM);
	unlink(path);
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
