// SPDX-License-Identifier: GPL-2.0
/* btf: the kernel's BTF is there and parses; core: a CO-RE read returns the right tgid. */
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "check.h"
#include "core.skel.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/kernel_ids.h"

static void run_btf(struct check_result *res)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int err = libbpf_get_error(btf), id;

	if (err) {
		check_explain(res, err, "libbpf: parse vmlinux BTF",
			      (const char *const[]){ "CONFIG_DEBUG_INFO_BTF", NULL });
		return;
	}
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	check_detail_int(res, "types", btf__type_cnt(btf));
	check_detail_bool(res, "task_struct", id > 0);
	if (id <= 0)
		check_set(res, CHECK_FAIL, "vmlinux BTF has %u types but no 'struct task_struct'",
			  btf__type_cnt(btf));
	else
		check_set(res, CHECK_PASS, "/sys/kernel/btf/vmlinux: %u types, task_struct found",
			  btf__type_cnt(btf));
	btf__free(btf);
}

static void run_core(struct check_result *res)
{
	struct core_bpf *skel = core_bpf__open();
	int err;

	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'core' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	err = core_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load CO-RE program (relocating task_struct->tgid)",
			      (const char *const[]){ "CONFIG_DEBUG_INFO_BTF", NULL });
		goto cleanup;
	}
	err = core_bpf__attach(skel);
	if (err) {
		check_explain(res, err, "attach 'raw_tracepoint/sys_enter'", NULL);
		goto cleanup;
	}
	skel->bss->armed = 1;
	syscall(SYS_getppid);
	skel->bss->armed = 0;

	check_detail_int(res, "core_tgid", skel->bss->core_tgid);
	check_detail_int(res, "getpid", getpid());
	check_detail_int(res, "kernel_tgid", kernel_tgid());
	if (!skel->bss->hits)
		check_set(res, CHECK_FAIL, "the CO-RE program never ran for pid %d", getpid());
	else if (skel->bss->core_tgid != (__u32)kernel_tgid())
		check_set(res, CHECK_FAIL, "CO-RE read task->tgid = %u, this process's tgid is %d",
			  skel->bss->core_tgid, kernel_tgid());
	else
		check_set(res, CHECK_PASS, "CO-RE read of task->tgid = %u, this process's tgid%s",
			  skel->bss->core_tgid, kernel_tgid() == getpid() ? " (getpid())" :
			  " in the initial PID namespace");
cleanup:
	core_bpf__destroy(skel);
}

DEFINE_CHECK(btf, "btf", "vmlinux BTF present and parsed by libbpf", run_btf);
DEFINE_CHECK(core, "btf", "a CO-RE read of the current task's tgid returns this process's", run_core);
