// SPDX-License-Identifier: GPL-2.0
/* Built-in workloads without running them: the registry, and what setup refuses and says why. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "workloads/workload.h"

#define WORKDIR "build/tests"

Test(workloads, registry_has_every_workload_once)
{
	const char *names[] = { "syscall", "file-read", "uprobe-target", "pipe-pingpong",
				"udp-pingpong", "fork-exec",
				"fio-randread", "fio-seqwrite", "stress-cpu", "stress-switch",
				"stress-syscall", "reference", "calls" };

	cr_assert_eq(workload_registry_len, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct workload *w = workload_find(names[i]);

		cr_assert_not_null(w, "%s", names[i]);
		cr_assert(w->summary && w->fires && w->setup && w->run && w->teardown && w->pid);
	}
}

/* Without the program in $PATH, setup says so instead of failing later. */
Test(workloads, missing_programs_are_named)
{
	struct workload_opts o = { .seconds = 1, .cpu = -1, .workdir = WORKDIR };
	char *path = strdup(getenv("PATH"));

	setenv("PATH", "/nonexistent", 1);
	expect_unsupported("fio-randread", &o, "fio is not installed");
	expect_unsupported("fio-seqwrite", &o, "fio is not installed");
	expect_unsupported("stress-cpu", &o, "stress-ng is not installed");
	expect_unsupported("stress-syscall", &o, "stress-ng is not installed");
	setenv("PATH", path, 1);
	free(path);
}

Test(workloads, op_counts_are_refused_where_not_kept)
{
	struct workload_opts o = { .ops = 100, .cpu = -1, .workdir = WORKDIR };

	expect_unsupported("fio-randread", &o,
			   "fio-randread runs for a duration (seconds), not an op count");
	if (installed("stress-ng"))
		expect_unsupported("stress-syscall", &o, "stress-syscall runs for a duration: "
				   "stress-ng's syscall stressor does not stop at an op count");
}

Test(inject, setup_refuses_a_share_out_of_range)
{
	const struct workload *w = workload_find("syscall");
	const int bad[] = { -1, 101 };

	for (size_t i = 0; i < 2; i++) {
		struct workload_opts o = { .cpu = -1, .extra_pct = bad[i] };
		char why[128] = "";
		void *state = (void *)1;

		cr_assert_eq(w->setup(&o, &state, why, sizeof(why)), -EINVAL);
		cr_assert_null(state);
		cr_assert(strstr(why, "extra_pct must be from 0 to 100"), "%s", why);
	}
}

Test(inject, only_the_syscall_workload_takes_it)
{
	for (size_t i = 0; i < workload_registry_len; i++)
		cr_assert_eq(workload_registry[i]->takes_extra_pct,
			     !strcmp(workload_registry[i]->name, "syscall"), "%s",
			     workload_registry[i]->name);
}
