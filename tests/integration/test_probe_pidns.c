// SPDX-License-Identifier: GPL-2.0
/*
 * The checks in a PID namespace of their own, as in a container: a program that filters on the
 * checking process sees ids of the initial namespace (bpf_get_current_pid_tgid, task->tgid),
 * getpid() there says 1. Every check that filters so must reach the verdict it reaches outside
 * (before, 18 of 41 failed there with "saw 0"), and core must find the initial namespace's tgid.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"

#define FILTERING "core,tracepoint,raw_tracepoint,tp_btf,kprobe,kprobe_session,fentry," \
		  "fentry_sleepable,lsm,uprobe,uretprobe,usdt,uprobe_multi,uprobe_sleepable," \
		  "uretprobe_syscall,ringbuf,perfbuf,task_storage,loop,timer,iter_task"

Test(probe_pidns, checks_find_their_process_in_a_pid_namespace, .timeout = 120)
{
	char cmd[1024], *out;
	json_t *host, *ns, *c;
	int passed = 0;
	size_t i;

	cr_assert(installed("unshare"), "unshare (util-linux) is missing");
	host = probe_json("--only " FILTERING, NULL);
	cr_assert_not_null(host);
	/*
	 * /proc of the namespace, in a mount namespace whose other mounts keep their propagation:
	 * --mount-proc would make / private, which fails where / is no mount point (a chroot).
	 */
	snprintf(cmd, sizeof(cmd), "unshare --pid --fork --mount --propagation unchanged sh -c "
		 "'mount --make-private /proc && mount -t proc proc /proc && exec %s probe --json "
		 "--only " FILTERING "' 2>/dev/null", bpfgauge_bin());
	out = sh(cmd, NULL);
	ns = json_loads(out, 0, NULL);
	cr_assert_not_null(ns, "not JSON: %s", out);
	free(out);
	json_array_foreach(json_object_get(host, "checks"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *st = json_string_value(json_object_get(c, "status"));

		cr_assert_str_eq(probe_status(ns, name), st, "%s in a PID namespace: %s (outside: %s)",
				 name, probe_reason(ns, name), probe_reason(host, name));
		passed += !strcmp(st, "pass");
	}
	cr_assert_gt(passed, 0, "nothing passes here to compare with");
	if (!strcmp(probe_status(ns, "core"), "pass")) {
		cr_assert_eq(probe_detail_int(ns, "core", "getpid"), 1);
		cr_assert_gt(probe_detail_int(ns, "core", "kernel_tgid"), 1);
		cr_assert_eq(probe_detail_int(ns, "core", "core_tgid"),
			     probe_detail_int(ns, "core", "kernel_tgid"));
	}
	json_decref(host);
	json_decref(ns);
}
