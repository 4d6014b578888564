// SPDX-License-Identifier: GPL-2.0
/*
 * sched_ext (Linux 6.12): a global FIFO scheduler in BPF (sched_ext_fifo.bpf.c) replaces the
 * kernel's scheduler for every task through a struct_ops link, while this thread makes
 * NR_NAPS nanosleep and sched_yield calls, then the link is destroyed. Verified: sysfs said
 * 'enabled' while it was attached and 'disabled' once it was gone; the scheduler enqueued this
 * thread at least once per wakeup and ran it as often; its dispatch moved tasks to CPUs; it
 * ended because it was unregistered, not because the kernel found an error (a task left
 * waiting past its timeout_ms, a bad kfunc call).
 *
 * Order of the verdicts: without CONFIG_SCHED_CLASS_EXT it is 'unsupported' whatever the
 * options, as nothing needs to be attached to know that; otherwise, since it changes how
 * every process is scheduled while it runs, it is 'skipped' unless the run is --intrusive,
 * and 'skipped' while another BPF scheduler is attached (there is one at a time).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/kconfig.h"
#include "sched_ext_fifo.h"
#include "sched_ext_fifo.skel.h"

#define SCX_SYSFS "/sys/kernel/sched_ext"
#define NR_NAPS 8
#define NAP_NS (1000 * 1000)

static const char *const scx_configs[] = { "CONFIG_SCHED_CLASS_EXT", NULL };

/* The first line of a sysfs file, without its newline: 0 or -errno. */
static int read_line(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, sz, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static const char *kfunc_name(__u32 which, bool insert)
{
	switch (which) {
	case FIFO_KFUNC_V2:
		return insert ? "scx_bpf_dsq_insert___v2" : "scx_bpf_dsq_move_to_local___v2";
	case FIFO_KFUNC_RENAMED:
		return insert ? "scx_bpf_dsq_insert" : "scx_bpf_dsq_move_to_local";
	case FIFO_KFUNC_FIRST:
		return insert ? "scx_bpf_dispatch" : "scx_bpf_consume";
	}
	return NULL;
}

/* When each step ended, from the attach call on. */
struct timeline {
	double start, enabled, naps, disabled;
};

/* What the scheduler saw and sysfs said, into details; the verdict. */
static void verify(struct check_result *res, const struct fifo_counts *c, const char *attached,
		   const char *after, const char *detached, const struct timeline *t)
{
	double ms = t->disabled - t->start;

	check_detail_str(res, "state_attached", attached);
	check_detail_str(res, "state_after_naps", after);
	check_detail_str(res, "state_detached", detached);
	check_detail_int(res, "attached_ms", (long long)ms);
	check_detail_int(res, "enable_ms", (long long)(t->enabled - t->start));
	check_detail_int(res, "naps_ms", (long long)(t->naps - t->enabled));
	check_detail_int(res, "disable_ms", (long long)(t->disabled - t->naps));
	check_detail_int(res, "naps", NR_NAPS);
	check_detail_int(res, "enqueued", c->enqueued);
	check_detail_int(res, "thread_enqueued", c->target_enqueued);
	check_detail_int(res, "thread_running", c->target_running);
	check_detail_int(res, "dispatch_calls", c->dispatch_calls);
	check_detail_int(res, "dispatched", c->dispatched);
	check_detail_int(res, "exit_kind", c->exit_kind);
	check_detail_str(res, "insert_kfunc", kfunc_name(c->insert_kfunc, true));
	check_detail_str(res, "move_kfunc", kfunc_name(c->move_kfunc, false));

	if (strcmp(attached, "enabled"))
		check_set(res, CHECK_FAIL, "struct_ops link made, %s/state says '%s', not "
			  "'enabled'", SCX_SYSFS, attached);
	else if (c->exit_kind >= 1024)
		check_set(res, CHECK_FAIL, "the kernel ended the BPF scheduler with an error (exit "
			  "kind %d; the kernel log says why)", c->exit_kind);
	else if (strcmp(after, "enabled"))
		check_set(res, CHECK_FAIL, "the BPF scheduler was attached, after %d naps %s/state "
			  "says '%s'", NR_NAPS, SCX_SYSFS, after);
	else if (c->target_enqueued < NR_NAPS || c->target_running < NR_NAPS)
		check_set(res, CHECK_FAIL, "this thread woke up %d times; the BPF scheduler "
			  "enqueued it %llu times and ran it %llu times", NR_NAPS,
			  (unsigned long long)c->target_enqueued,
			  (unsigned long long)c->target_running);
	else if (!c->dispatched)
		check_set(res, CHECK_FAIL, "the BPF scheduler's dispatch ran %llu times and moved "
			  "no task to a CPU", (unsigned long long)c->dispatch_calls);
	else if (strcmp(detached, "disabled"))
		check_set(res, CHECK_FAIL, "the struct_ops link was destroyed, %s/state says '%s', "
			  "not 'disabled'", SCX_SYSFS, detached);
	else
		check_set(res, CHECK_PASS, "a FIFO BPF scheduler (sched_ext, struct_ops link) ran "
			  "every task for %.0f ms: %llu enqueues, this thread's %d wakeups all "
			  "through it, %llu tasks dispatched; 'enabled' while attached, 'disabled' "
			  "after", ms, (unsigned long long)c->enqueued, NR_NAPS,
			  (unsigned long long)c->dispatched);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void run_sched_ext(struct check_result *res)
{
	const struct timespec nap = { .tv_nsec = NAP_NS };
	char state[32], attached[32] = "", after[32] = "", detached[32] = "", ops[64];
	struct sched_ext_fifo_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	struct bpf_map *map;
	struct fifo_counts c;
	struct timeline t;
	int err;

	if (kconfig_state("CONFIG_SCHED_CLASS_EXT") == KCONFIG_NOT_SET) {
		check_set(res, CHECK_UNSUPPORTED, "CONFIG_SCHED_CLASS_EXT is not set (%s)",
			  kconfig_source());
		check_detail_str(res, "missing_config", "CONFIG_SCHED_CLASS_EXT");
		return;
	}
	if (!check_may_intrude(res, "replaces the kernel's scheduler while it runs"))
		return;
	err = read_line(SCX_SYSFS "/state", state, sizeof(state));
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "read '%s/state'", SCX_SYSFS);
		return;
	}
	check_detail_str(res, "state_before", state);
	if (strcmp(state, "disabled")) {
		read_line(SCX_SYSFS "/root/ops", ops, sizeof(ops));
		check_set(res, CHECK_SKIPPED, "another BPF scheduler is attached (%s/state '%s', "
			  "ops '%s'): there is one at a time", SCX_SYSFS, state, ops);
		return;
	}
	skel = sched_ext_fifo_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'sched_ext_fifo' BPF object");
		return;
	}
	skel->rodata->target_pid = syscall(SYS_gettid);
	err = sched_ext_fifo_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load struct_ops 'sched_ext_ops'", scx_configs);
		goto out;
	}
	/* The skeleton may come from a bpftool that knows no .struct_ops.link: by name. */
	map = bpf_object__find_map_by_name(skel->obj, "fifo");
	t.start = now_ms();
	link = map ? bpf_map__attach_struct_ops(map) : NULL;
	if (!link) {
		check_explain(res, map ? -errno : -ENOENT,
			      "attach struct_ops 'sched_ext_ops' (link)", scx_configs);
		goto out;
	}
	t.enabled = now_ms();
	read_line(SCX_SYSFS "/state", attached, sizeof(attached));
	if (!read_line(SCX_SYSFS "/root/ops", ops, sizeof(ops)))
		check_detail_str(res, "ops", ops);
	for (int i = 0; i < NR_NAPS; i++) {
		struct timespec left = nap;

		/* A signal (Ctrl-C) does not cut a nap short: each is a wakeup to count. */
		while (nanosleep(&left, &left) && errno == EINTR)
			;
		sched_yield();
	}
	read_line(SCX_SYSFS "/state", after, sizeof(after));
	t.naps = now_ms();
	bpf_link__destroy(link);
	link = NULL;
	t.disabled = now_ms();
	read_line(SCX_SYSFS "/state", detached, sizeof(detached));
	c = skel->bss->counts;
	verify(res, &c, attached, after, detached, &t);
out:
	bpf_link__destroy(link);
	sched_ext_fifo_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(sched_ext, "struct_ops", "a FIFO BPF scheduler (sched_ext) runs every task "
		   "for a moment, this thread's wakeups included (--intrusive)", run_sched_ext,
		   "sched_ext", 6, 12);
