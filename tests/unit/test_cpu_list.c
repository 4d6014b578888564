// SPDX-License-Identifier: GPL-2.0
/* CPU lists as the kernel writes them: "0-3,6,8-11". */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>

#include "lib/cpu_list.h"
#include "support.h"

Test(cpu_list, membership_and_last)
{
	cr_assert_eq(cpu_list_has("0-1", 1), 1);
	cr_assert_eq(cpu_list_has("0-1\n", 2), 0);
	cr_assert_eq(cpu_list_has("0-3,6,8-11", 6), 1);
	cr_assert_eq(cpu_list_has("0-3,6,8-11", 7), 0);
	cr_assert_eq(cpu_list_has("0-3,6,8-11", 4000), 0);
	cr_assert_eq(cpu_list_last("0-3,6,8-11"), 11);
	cr_assert_eq(cpu_list_last("0"), 0);
	cr_assert_eq(cpu_list_has("", 0), -EINVAL);
	cr_assert_eq(cpu_list_has("0-", 0), -EINVAL);
	cr_assert_eq(cpu_list_has("3-1", 2), -EINVAL);
	cr_assert_eq(cpu_list_has("0,x", 0), -EINVAL, "refused even after the CPU is found");
	cr_assert_eq(cpu_list_last("0-99999999999"), -EINVAL);
}

Test(cpu_list, this_machine_has_its_online_cpus)
{
	char online[4096], *nproc = sh("nproc --all", NULL);

	cr_assert_eq(cpus_online(online, sizeof(online)), 0);
	cr_assert_eq(cpu_list_has(online, 0), 1, "'%s'", online);
	cr_assert_lt(cpu_list_last(online), atoi(nproc), "'%s', nproc --all %s", online, nproc);
	free(nproc);
}
