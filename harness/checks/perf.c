// SPDX-License-Identifier: GPL-2.0
/*
 * perf_event: sample this thread with a software cpu-clock perf event at SAMPLE_FREQ Hz, a BPF
 * program attached to it through an fd-owned link, and check the count of samples against
 * the thread's CPU time (the session is shared with stack_trace: perf_sampling.h).
 *
 * The event follows the thread (pid = its tid, cpu = -1) rather than being opened on every
 * CPU: it fires only while this thread runs, so the samples to expect are its CPU time times
 * the frequency whatever else runs on the machine, no other process can reach the program,
 * and one event is enough on any number of CPUs.
 *
 * hw_counters: whether the PMU's cycles and instructions counters can be opened and count.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <linux/types.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "lib/sysctl.h"
#include "perf_sample.h"
#include "perf_sampling.h"
#include "result/env.h"

#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_SEC 1000000000LL
#define WORK_CPU_NS (20 * NSEC_PER_MSEC)	/* CPU time the workload spins for */
#define WORK_WALL_NS (300 * NSEC_PER_MSEC)	/* ... unless it got no CPU for this long */
#define SPIN_STEP 40000				/* perf_spin() iterations per round, ~50 us */
#define ZERO_READ (256 << 10)			/* bytes of /dev/zero per read, ~12 us */
/* With stacks, at least this many samples (WORK_WALL_NS permitting). A third to a half of
 * them land in the kernel and some 60% of those inside vfs_read (measured on a 2-CPU VM):
 * with 24, once in 50 runs all 6 kernel stacks missed it and the check failed; 48 give
 * 15-29 kernel stacks. */
#define STACK_SAMPLES 48

static const char *const perf_configs[] = { "CONFIG_PERF_EVENTS", NULL };
static const char *const attach_configs[] = { "CONFIG_PERF_EVENTS", "CONFIG_BPF_EVENTS", NULL };

static long long clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int perf_open(struct perf_event_attr *attr, pid_t pid, int cpu)
{
	int fd = syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* The sysctls behind a failed perf_event_open of a sampling event. */
static void explain_perf_open(struct check_result *res, int err)
{
	long max_rate = -1, paranoid = -1;	/* -1: unreadable */

	sysctl_read("kernel/perf_event_max_sample_rate", &max_rate);
	sysctl_read("kernel/perf_event_paranoid", &paranoid);
	check_detail_int(res, "perf_event_max_sample_rate", max_rate);
	check_detail_int(res, "perf_event_paranoid", paranoid);
	if (err == -EINVAL && max_rate >= 0 && max_rate < SAMPLE_FREQ)
		check_reason_append(res, "kernel.perf_event_max_sample_rate=%ld is below %d Hz "
				    "(the kernel lowers it when sampling interrupts take long)",
				    max_rate, SAMPLE_FREQ);
	else if (err == -EACCES || err == -EPERM)
		check_reason_append(res, "kernel.perf_event_paranoid=%ld", paranoid);
}

/* The workload. Both are frames of their own in user stacks, which stack_trace looks for. */
static unsigned long spin_sink;

static __attribute__((noinline)) unsigned long perf_spin(unsigned long n)
{
	unsigned long x = n;

	for (unsigned long i = 0; i < n; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

/*
 * Spins for cpu_ns of this thread's CPU time. With zero_fd it also reads /dev/zero into buf,
 * ZERO_READ bytes at a time, and shares the CPU time evenly between the two: whichever has
 * had less runs next. A fixed number of reads per spin would not do: what a read costs next
 * to a spin depends on the machine far more than the frequency of samples can absorb (1 MiB
 * took as long as 40000 iterations here, 70 times as long under QEMU's TCG emulation with
 * Debian's 6.1 kernel, whose clear_user is one 'rep stosb'), and the samples must land in both.
 * It also goes on until min_samples samples arrived: a guest whose virtual CPU the host
 * preempts counts the time in its CPU time, but its late timer makes one sample, not several.
 */
static __attribute__((noinline)) int perf_workload(struct sampling *s, int zero_fd, char *buf,
						   long long cpu_ns, __u64 min_samples)
{
	const volatile __u64 *samples = &s->skel->bss->samples;
	long long start = clock_ns(CLOCK_THREAD_CPUTIME_ID), now = start, t;
	long long wall_end = clock_ns(CLOCK_MONOTONIC) + WORK_WALL_NS;

	while ((now - start < cpu_ns || *samples < min_samples) &&
	       clock_ns(CLOCK_MONOTONIC) < wall_end) {
		bool spin = zero_fd < 0 || s->spin_ns <= s->read_ns;

		if (spin)
			spin_sink += perf_spin(SPIN_STEP);
		else if (read(zero_fd, buf, ZERO_READ) < 0)
			return -errno;
		t = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		if (spin) {
			s->spin_ns += t - now;
			s->spins++;
		} else {
			s->read_ns += t - now;
			s->reads++;
		}
		now = t;
	}
	return 0;
}

void sampling_release(struct sampling *s)
{
	bpf_link__destroy(s->link);
	perf_sample_bpf__destroy(s->skel);
}

int sampling_run(struct check_result *res, struct sampling *s, bool stacks)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_freq = SAMPLE_FREQ,
		.freq = 1,
		.disabled = 1,	/* libbpf enables it once the program is attached */
	};
	pid_t tid = gettid();
	char *buf = NULL;
	int pfd = -1, zero_fd = -1, err;
	long long start;

	s->skel = perf_sample_bpf__open();
	if (!s->skel) {
		err = -errno;
		check_set_errno(res, CHECK_ERROR, err, "open 'perf_sample' BPF object");
		goto cleanup;
	}
	s->skel->rodata->target_tgid = kernel_tgid();
	s->skel->rodata->want_stacks = stacks;
	err = perf_sample_bpf__load(s->skel);
	if (err) {
		check_explain(res, err, "load 'perf_event' program", NULL);
		goto cleanup;
	}
	pfd = perf_open(&attr, tid, -1);
	if (pfd < 0) {
		char what[96];

		err = pfd;
		snprintf(what, sizeof(what), "perf_event_open(software cpu-clock, %d Hz, tid %d)",
			 SAMPLE_FREQ, tid);
		if (check_explain(res, err, what, perf_configs) == CHECK_FAIL)
			explain_perf_open(res, err);
		goto cleanup;
	}
	s->link = bpf_program__attach_perf_event(s->skel->progs.on_cpu_clock, pfd);
	if (!s->link) {
		err = -errno;
		check_explain(res, err, "attach 'perf_event' program to a cpu-clock event",
			      attach_configs);
		goto cleanup;
	}
	pfd = -1;	/* the link owns it now */
	if (stacks) {
		buf = malloc(ZERO_READ);
		zero_fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		if (!buf || zero_fd < 0) {
			err = buf ? -errno : -ENOMEM;
			check_set_errno(res, CHECK_ERROR, err, "open '/dev/zero' for the workload");
			goto cleanup;
		}
		memset(buf, 1, ZERO_READ);	/* its page faults are not the workload */
	}

	start = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	s->skel->bss->armed = 1;
	err = perf_workload(s, zero_fd, buf, WORK_CPU_NS, stacks ? STACK_SAMPLES : 0);
	s->skel->bss->armed = 0;
	s->cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID) - start;
	s->expected = s->cpu_ns * SAMPLE_FREQ / NSEC_PER_SEC;
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "read '/dev/zero' in the workload");
cleanup:
	if (pfd >= 0)
		close(pfd);
	if (zero_fd >= 0)
		close(zero_fd);
	free(buf);
	return err;
}

static void run_perf_event(struct check_result *res)
{
	struct sampling s = { 0 };
	unsigned long long n, other;
	long long low, high;

	if (sampling_run(res, &s, false))
		goto cleanup;
	n = s.skel->bss->samples;
	other = s.skel->bss->other_samples;
	/*
	 * Generous below: a loaded hypervisor may delay timer interrupts. Above, more samples
	 * than the CPU time allows would be samples of something else than this thread.
	 */
	low = s.expected / 4 > 1 ? s.expected / 4 : 1;
	high = s.expected * 2 + 4;
	check_detail_int(res, "frequency_hz", SAMPLE_FREQ);
	check_detail_int(res, "cpu_us", s.cpu_ns / 1000);
	check_detail_int(res, "samples", n);
	check_detail_int(res, "expected", s.expected);
	check_detail_int(res, "lower_bound", low);
	check_detail_int(res, "other_processes", other);
	check_detail_int(res, "mean_period_ns", n ? s.skel->bss->period_sum / n : 0);
	if (other)
		check_set(res, CHECK_FAIL, "event opened for tid %d delivered %llu samples of "
			  "other processes", gettid(), other);
	else if ((long long)n < low || (long long)n > high)
		check_set(res, CHECK_FAIL, "%llu samples in %.1f ms of CPU time at %d Hz; expected "
			  "about %lld (accepted %lld..%lld)", n, s.cpu_ns / 1e6, SAMPLE_FREQ,
			  s.expected, low, high);
	else if (s.skel->bss->last_tid != (__u32)kernel_tid())
		check_set(res, CHECK_FAIL, "samples carry tid %u, expected %d",
			  s.skel->bss->last_tid, kernel_tid());
	else
		check_set(res, CHECK_PASS, "cpu-clock at %d Hz: %llu samples of pid %d in %.1f ms "
			  "of CPU time (expected ~%lld)", SAMPLE_FREQ, n, getpid(),
			  s.cpu_ns / 1e6, s.expected);
cleanup:
	sampling_release(&s);
}

DEFINE_CHECK(perf_event, "perf", "sample this process with a cpu-clock perf event",
	     run_perf_event);

/*
 * hw_counters: cycles and instructions of this thread in user mode, over a loop of HW_LOOP
 * iterations of perf_spin() (at least 3 instructions each).
 */
#define PMU_DIR "/sys/bus/event_source/devices"
#define HW_LOOP 1000000

/* Whether a PMU of this name counts CPU cycles (x86 "cpu", hybrid "cpu_core", Arm PMUs). */
static bool pmu_counts_cycles(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), PMU_DIR "/%s/events/cpu-cycles", name);
	if (!access(path, F_OK))
		return true;
	snprintf(path, sizeof(path), PMU_DIR "/%s/events/cpu_cycles", name);
	return !access(path, F_OK) || !strcmp(name, "cpu");
}

/* Appends what the machine shows about its PMUs to the reason: the why behind an errno. */
static void pmu_evidence(struct check_result *res)
{
	char list[256] = "", vendor[16], *cpu_pmu = NULL;
	json_t *pmus = json_array();
	struct dirent *de;
	size_t len = 0;
	DIR *dir;
	int dir_err;

	dir = opendir(PMU_DIR);
	dir_err = dir ? 0 : errno;
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		json_array_append_new(pmus, json_string(de->d_name));
		if (len < sizeof(list))
			len += snprintf(list + len, sizeof(list) - len, "%s%s", len ? " " : "",
					de->d_name);
		if (!cpu_pmu && pmu_counts_cycles(de->d_name))
			cpu_pmu = strdup(de->d_name);
	}
	if (dir)
		closedir(dir);
	check_detail_json(res, "pmus", pmus);
	env_hypervisor_vendor(vendor, sizeof(vendor));
	check_detail_str(res, "hypervisor", vendor[0] ? vendor : NULL);
	if (cpu_pmu)
		check_reason_append(res, "%s/%s exists", PMU_DIR, cpu_pmu);
	else if (dir_err)
		check_reason_append(res, "%s: %s", PMU_DIR, strerror(dir_err));
	else
		check_reason_append(res, "likely no hardware PMU exposed: %s has no CPU PMU (%s)",
				    PMU_DIR, list);
	if (vendor[0])
		check_reason_append(res, "CPUID hypervisor '%s' (VMs often lack a PMU)", vendor);
	free(cpu_pmu);
}

struct hw_count {
	__u64 value, time_enabled, time_running;	/* PERF_FORMAT_TOTAL_TIME_* */
};

static void run_hw_counters(struct check_result *res)
{
	static const struct { const char *name; __u64 config; } hw[2] = {
		{ "cycles", PERF_COUNT_HW_CPU_CYCLES },
		{ "instructions", PERF_COUNT_HW_INSTRUCTIONS },
	};
	struct hw_count c[2] = { 0 };
	int fds[2] = { -1, -1 }, err = 0;
	enum check_status st;

	for (int i = 0; i < 2; i++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_HARDWARE,
			.size = sizeof(attr),
			.config = hw[i].config,
			.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
				       PERF_FORMAT_TOTAL_TIME_RUNNING,
			.disabled = 1,
			.exclude_kernel = 1,
			.exclude_hv = 1,
		};

		fds[i] = perf_open(&attr, 0, -1);
		if (fds[i] < 0) {
			err = fds[i];
			/* No PMU takes the event (ENOENT), or it cannot count it. */
			st = err == -ENOENT || err == -ENODEV || err == -EOPNOTSUPP ?
			     CHECK_UNSUPPORTED : CHECK_FAIL;
			check_set_errno(res, st, err, "perf_event_open(PERF_TYPE_HARDWARE, %s)",
					hw[i].name);
			pmu_evidence(res);
			goto cleanup;
		}
	}
	for (int i = 0; i < 2; i++)
		ioctl(fds[i], PERF_EVENT_IOC_ENABLE, 0);
	spin_sink += perf_spin(HW_LOOP);
	for (int i = 0; i < 2; i++)
		ioctl(fds[i], PERF_EVENT_IOC_DISABLE, 0);
	for (int i = 0; i < 2; i++) {
		ssize_t n = read(fds[i], &c[i], sizeof(c[i]));

		if (n != sizeof(c[i])) {
			err = n < 0 ? -errno : -EIO;
			check_set_errno(res, CHECK_FAIL, err, "read the %s counter", hw[i].name);
			goto cleanup;
		}
		check_detail_int(res, hw[i].name, c[i].value);
		if (!c[i].time_running) {
			check_set(res, CHECK_FAIL, "the %s counter never ran (enabled %llu ns, "
				  "running 0): likely every PMU counter is taken, e.g. by the NMI "
				  "watchdog", hw[i].name, (unsigned long long)c[i].time_enabled);
			goto cleanup;
		}
	}
	if (!c[0].value || c[1].value < 3ULL * HW_LOOP)
		check_set(res, CHECK_FAIL, "a loop of %d iterations counted %llu cycles and %llu "
			  "instructions (expected > 0 and >= %d)", HW_LOOP,
			  (unsigned long long)c[0].value, (unsigned long long)c[1].value,
			  3 * HW_LOOP);
	else
		check_set(res, CHECK_PASS, "a loop of %d iterations: %llu cycles, %llu "
			  "instructions (IPC %.2f)", HW_LOOP, (unsigned long long)c[0].value,
			  (unsigned long long)c[1].value, (double)c[1].value / c[0].value);
cleanup:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

DEFINE_CHECK(hw_counters, "perf", "count cycles and instructions with the hardware PMU",
	     run_hw_counters);
