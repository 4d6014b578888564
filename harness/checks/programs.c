// SPDX-License-Identifier: GPL-2.0
/*
 * loop, timer, task_storage: what the programs of today's tools build on beyond maps and
 * helpers (bpf/prog_features.bpf.c). Each check loads only its own program on the BTF-typed
 * sys_enter tracepoint (where that is refused, the tp_btf check says why), arms it around N
 * getppid calls of this process, verifies what it did, and destroys the object: its link and
 * maps, and with them a timer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "check.h"
#include "lib/autoload.h"
#include "lib/clock.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "prog_features.skel.h"

#define NR_CALLS 16
#define LOOP_ITERS 64		/* as in the program */
#define TIMER_DELAY_MS 5
#define WAIT_MS 500

/*
 * The object with only prog to load, aimed at this process's getppid calls, loaded and
 * attached (the link in *link, destroyed with the skeleton). 0, or -1 with the result set.
 */
static int load_one(struct check_result *res, struct prog_features_bpf *skel,
		    struct bpf_program *prog, struct bpf_link **link)
{
	char what[128];
	int err;

	autoload_only(skel->obj, prog);
	/* Only its own maps: a map type this kernel lacks fails only the check that needs it. */
	bpf_map__set_autocreate(skel->maps.timers, prog == skel->progs.timer_prog);
	bpf_map__set_autocreate(skel->maps.task_counts, prog == skel->progs.task_storage_prog);
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->target_nr = SYS_getppid;
	skel->rodata->timer_delay_ns = TIMER_DELAY_MS * 1000000ULL;
	err = prog_features_bpf__load(skel);
	if (err) {
		snprintf(what, sizeof(what), "load '%s' (tp_btf/sys_enter)", bpf_program__name(prog));
		check_explain(res, err, what, NULL);
		return -1;
	}
	*link = bpf_program__attach(prog);
	if (!*link) {
		snprintf(what, sizeof(what), "attach '%s' to tp_btf/sys_enter",
			 bpf_program__name(prog));
		check_explain(res, -errno, what, NULL);
		return -1;
	}
	return 0;
}

static struct prog_features_bpf *open_object(struct check_result *res)
{
	struct prog_features_bpf *skel = prog_features_bpf__open();

	if (!skel)
		check_set_errno(res, CHECK_ERROR, errno, "open 'prog_features' BPF object");
	return skel;
}

static void make_calls(struct prog_features_bpf *skel)
{
	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++)
		syscall(SYS_getppid);
	skel->bss->armed = 0;
}

static void run_loop(struct check_result *res)
{
	struct prog_features_bpf *skel = open_object(res);
	const unsigned long long sum = NR_CALLS * (unsigned long long)LOOP_ITERS * (LOOP_ITERS - 1) / 2;

	if (!skel)
		return;
	if (load_one(res, skel, skel->progs.loop_prog, &skel->links.loop_prog))
		goto out;
	make_calls(skel);
	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "iterations_per_call", LOOP_ITERS);
	check_detail_int(res, "seen", skel->bss->calls);
	check_detail_int(res, "callbacks", skel->bss->loop_calls);
	check_detail_int(res, "index_sum", skel->bss->loop_sum);
	if (skel->bss->calls != NR_CALLS)
		check_set(res, CHECK_FAIL, "made %d getppid calls, the program saw %llu", NR_CALLS,
			  (unsigned long long)skel->bss->calls);
	else if (skel->bss->loop_calls != NR_CALLS * LOOP_ITERS || skel->bss->loop_sum != sum)
		check_set(res, CHECK_FAIL, "bpf_loop(%d) in %d calls: %llu callbacks (expected %d), "
			  "indexes summed to %llu (expected %llu)", LOOP_ITERS, NR_CALLS,
			  (unsigned long long)skel->bss->loop_calls, NR_CALLS * LOOP_ITERS,
			  (unsigned long long)skel->bss->loop_sum, sum);
	else
		check_set(res, CHECK_PASS, "bpf_loop: %d callbacks in each of %d calls, their "
			  "indexes summed to %llu as expected", LOOP_ITERS, NR_CALLS, sum);
out:
	prog_features_bpf__destroy(skel);
}

static void run_timer(struct check_result *res)
{
	struct prog_features_bpf *skel = open_object(res);
	struct timespec tick = { 0, 1000000 };
	double after_ms;

	if (!skel)
		return;
	if (load_one(res, skel, skel->progs.timer_prog, &skel->links.timer_prog))
		goto out;
	make_calls(skel);
	for (int ms = 0; ms < WAIT_MS && !skel->bss->timer_fired; ms++)
		nanosleep(&tick, NULL);
	check_detail_int(res, "delay_ms", TIMER_DELAY_MS);
	check_detail_int(res, "seen", skel->bss->calls);
	check_detail_int(res, "fired", skel->bss->timer_fired);
	if (skel->bss->calls != NR_CALLS) {
		check_set(res, CHECK_FAIL, "made %d getppid calls, the program saw %llu", NR_CALLS,
			  (unsigned long long)skel->bss->calls);
		goto out;
	}
	if (skel->bss->timer_err) {
		check_set(res, CHECK_FAIL, "bpf_timer_init/set_callback/start in the program: %s",
			  errno_name((int)-skel->bss->timer_err));
		goto out;
	}
	if (skel->bss->timer_fired != 1) {
		check_set(res, CHECK_FAIL, "a bpf_timer armed for %d ms fired %llu times in %d ms",
			  TIMER_DELAY_MS, (unsigned long long)skel->bss->timer_fired, WAIT_MS);
		goto out;
	}
	after_ms = (skel->bss->timer_fired_ns - skel->bss->timer_armed_ns) / 1e6;
	check_detail_json(res, "fired_after_ms", json_real(after_ms));
	if (after_ms < TIMER_DELAY_MS)
		check_set(res, CHECK_FAIL, "a bpf_timer armed for %d ms fired after %.2f ms",
			  TIMER_DELAY_MS, after_ms);
	else
		check_set(res, CHECK_PASS, "a bpf_timer armed for %d ms by the program fired once, "
			  "after %.1f ms", TIMER_DELAY_MS, after_ms);
out:
	prog_features_bpf__destroy(skel);
}

static void run_task_storage(struct check_result *res)
{
	struct prog_features_bpf *skel;
	__u64 value = 0;
	int pidfd;

	/* A pidfd names a process's main thread, whose storage the calls below use. */
	if (syscall(SYS_gettid) != getpid()) {
		check_set(res, CHECK_ERROR, "runs in a thread other than the main one: a pidfd "
			  "cannot name its storage");
		return;
	}
	skel = open_object(res);
	if (!skel)
		return;
	if (load_one(res, skel, skel->progs.task_storage_prog, &skel->links.task_storage_prog))
		goto out;
	make_calls(skel);
	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "seen", skel->bss->calls);
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "pidfd_open(%d)", getpid());
		goto out;
	}
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.task_counts), &pidfd, &value)) {
		check_set_errno(res, CHECK_FAIL, errno, "read this task's storage through a pidfd "
				"(bpf_map_lookup_elem)");
		close(pidfd);
		goto out;
	}
	close(pidfd);
	check_detail_int(res, "stored", value);
	if (skel->bss->calls != NR_CALLS || value != NR_CALLS)
		check_set(res, CHECK_FAIL, "made %d getppid calls: the program saw %llu, this "
			  "task's storage holds %llu", NR_CALLS,
			  (unsigned long long)skel->bss->calls, (unsigned long long)value);
	else
		check_set(res, CHECK_PASS, "%d calls counted in this task's storage, read back "
			  "through a pidfd", NR_CALLS);
out:
	prog_features_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(loop, "programs",
		   "bpf_loop() runs its callback N times per call, indexes in order", run_loop,
		   "bpf_loop", 5, 17);
DEFINE_CHECK_SINCE(timer, "programs",
		   "a bpf_timer armed by a program fires once, after its delay", run_timer,
		   "bpf_timer", 5, 15);
DEFINE_CHECK_SINCE(task_storage, "programs",
		   "N calls counted in the calling task's storage, read back through a pidfd",
		   run_task_storage, "task storage in tracing programs", 5, 12);
