// SPDX-License-Identifier: GPL-2.0
/*
 * stack_trace: in the samples of the perf_event session (perf_sampling.h), bpf_get_stackid()
 * keeps a user stack (BPF_F_USER_STACK) and a kernel stack per sample in a stack trace map.
 * User frames are named through /proc/PID/maps and the ELF symbols of the mapped file
 * (usyms.h): one must walk from perf_spin up to run_stack_trace, which takes frame pointers.
 * Kernel frames are named through /proc/kallsyms (ksyms.h): samples taken during the
 * workload's reads of /dev/zero must show vfs_read.
 *
 * Only stacks that start in perf_spin test the walk: a sample in read() starts in libc's
 * read, which keeps no frame pointer of its own, so its walk skips the workload's frame. When
 * no user stack starts in perf_spin the check did not get what it tests: an error, with where
 * the stacks started instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/ksyms.h"
#include "lib/sysctl.h"
#include "perf_sample.h"
#include "perf_sampling.h"
#include "profile/usyms.h"

/*
 * /proc/kallsyms costs the kernel some 50-60 ms to print (~120k symbols): it is read on another
 * thread while this one runs the workload. That thread is not sampled: the event follows
 * this thread only.
 */
struct ksyms_reader {
	pthread_t thread;
	bool started;
	struct ksyms *ks;
	int err;
};

static void *ksyms_reader_main(void *arg)
{
	struct ksyms_reader *r = arg;

	r->ks = ksyms_load(NULL, KSYMS_ALLOW_HIDDEN);
	r->err = r->ks ? 0 : -errno;
	return NULL;
}

static void ksyms_reader_start(struct ksyms_reader *r)
{
	r->started = !pthread_create(&r->thread, NULL, ksyms_reader_main, r);
}

/* The symbols, read now if the thread could not be started; NULL with r->err set. */
static struct ksyms *ksyms_reader_finish(struct ksyms_reader *r)
{
	if (r->started)
		pthread_join(r->thread, NULL);
	else if (!r->ks && !r->err)
		ksyms_reader_main(r);
	r->started = false;
	return r->ks;
}

/* kernel.kptr_restrict, or -1 when it cannot be read. */
static long kptr_restrict(void)
{
	long v = -1;

	sysctl_read("kernel/kptr_restrict", &v);
	return v;
}

/* A function's name without the suffix of a compiler-made copy ("f.constprop.0" is "f"). */
static bool sym_is(const char *name, const char *want)
{
	size_t n = strlen(want);

	return name && !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '.');
}

struct stack_stats {
	int user_ok, user_err, user_err_last;
	int kern_ok, kern_err, kern_err_last;
	int user_mode;		/* samples in user mode: no kernel stack (-EFAULT) */
	int user_in_spin;	/* user stacks that start in perf_spin */
	int user_walked;	/* from perf_spin up to run_stack_trace: frame pointers followed */
	int user_spin_only;	/* perf_spin, and no caller after it */
	json_t *user_starts;	/* function (or [file]) a user stack starts in: count */
	int kern_named;		/* every frame named through kallsyms */
	int kern_read;		/* a frame in vfs_read: the sample hit the workload's read() */
	json_t *user_frames, *kern_frames;	/* one example of each */
};

/*
 * A frame as "name+0x1f (file)" in buf, its function in *name (NULL if none) and in where
 * the function, else "[file]", "[anon]" or "[unknown]".
 */
static void user_frame(struct usyms *u, __u64 ip, char *buf, size_t sz, const char **name,
		       char *where, size_t wsz)
{
	const char *file;
	struct usym sym;

	*name = NULL;
	if (usyms_lookup(u, getpid(), ip, &sym)) {
		snprintf(buf, sz, "0x%llx", (unsigned long long)ip);
		snprintf(where, wsz, "[unknown]");
		return;
	}
	*name = sym.name;
	file = strrchr(sym.path, '/');
	file = file ? file + 1 : sym.path[0] ? sym.path : "anon";
	snprintf(buf, sz, "%s+0x%lx (%s)", sym.name ? sym.name : "?", sym.off, file);
	if (sym.name)
		snprintf(where, wsz, "%s", sym.name);
	else
		snprintf(where, wsz, file[0] == '[' ? "%s" : "[%s]", file);
}

static void count_start(json_t *starts, const char *where)
{
	json_t *n = json_object_get(starts, where);

	json_object_set_new(starts, where, json_integer(json_integer_value(n) + 1));
}

static void user_stack(struct stack_stats *st, struct usyms *u, const __u64 *ips)
{
	json_t *frames = json_array();
	bool spin = false, walked = false;
	char buf[256], where[128];
	int depth = 0;

	for (; depth < MAX_STACK_DEPTH && ips[depth]; depth++) {
		const char *name;

		user_frame(u, ips[depth], buf, sizeof(buf), &name, where, sizeof(where));
		if (depth == 0) {
			spin = sym_is(name, SAMPLING_SPIN_FN);
			count_start(st->user_starts, where);
		} else if (spin && sym_is(name, "run_stack_trace")) {
			walked = true;
		}
		json_array_append_new(frames, json_string(buf));
	}
	st->user_in_spin += spin;
	st->user_walked += walked;
	st->user_spin_only += spin && depth == 1;
	/* The example: the first walk, else (evidence of what went wrong) the first stack. */
	if (walked && st->user_walked == 1) {
		json_decref(st->user_frames);
		st->user_frames = NULL;
	}
	if (!st->user_frames)
		st->user_frames = json_incref(frames);
	json_decref(frames);
}

static void kern_stack(struct stack_stats *st, const struct ksyms *ks, const __u64 *ips)
{
	json_t *frames = json_array();
	bool named = true, read = false;
	char buf[256];

	for (int i = 0; i < MAX_STACK_DEPTH && ips[i]; i++) {
		unsigned long off;
		const struct ksym *sym = ksyms_lookup(ks, ips[i], &off);
		const char *name = sym ? sym->name : NULL;

		if (name)
			snprintf(buf, sizeof(buf), "%s+0x%lx", name, off);
		else
			snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ips[i]);
		named &= name != NULL;
		read |= sym_is(name, "vfs_read");
		json_array_append_new(frames, json_string(buf));
	}
	st->kern_named += named;
	st->kern_read += read;
	/* The example: the first stack in vfs_read, else (where they landed) the first one. */
	if (read && st->kern_read == 1) {
		json_decref(st->kern_frames);
		st->kern_frames = NULL;
	}
	if (!st->kern_frames)
		st->kern_frames = json_incref(frames);
	json_decref(frames);
}

static void read_stacks(struct stack_stats *st, const struct perf_sample_bpf *skel,
			struct usyms *u, const struct ksyms *ks, __u64 *ips)
{
	int map_fd = bpf_map__fd(skel->maps.stack_traces);
	__u32 n = skel->bss->nr_stacks < MAX_SAMPLES ? skel->bss->nr_stacks : MAX_SAMPLES;

	for (__u32 i = 0; i < n; i++) {
		const struct stack_sample *smp = &skel->bss->stacks[i];

		if (smp->user_stack_id < 0) {
			st->user_err++;
			st->user_err_last = smp->user_stack_id;
		} else if (!bpf_map_lookup_elem(map_fd, &smp->user_stack_id, ips)) {
			st->user_ok++;
			user_stack(st, u, ips);
		}
		if (smp->kern_stack_id == -EFAULT) {
			st->user_mode++;
		} else if (smp->kern_stack_id < 0) {
			st->kern_err++;
			st->kern_err_last = smp->kern_stack_id;
		} else if (!bpf_map_lookup_elem(map_fd, &smp->kern_stack_id, ips)) {
			st->kern_ok++;
			kern_stack(st, ks, ips);
		}
	}
}

/* "a <- b <- c" from the first frames of an example stack, without offsets. */
static void frames_brief(json_t *frames, int nr, char *buf, size_t sz)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < nr && i < (int)json_array_size(frames) && len < sz; i++) {
		const char *f = json_string_value(json_array_get(frames, i));

		len += snprintf(buf + len, sz - len, "%s%.*s", i ? " <- " : "",
				(int)strcspn(f, "+ "), f);
	}
}

/* "__read 19, [vdso] 2": where user stacks start, the most frequent first. */
static void starts_brief(json_t *starts, char *buf, size_t sz)
{
	json_t *done = json_object();
	size_t len = 0;

	buf[0] = '\0';
	while (len < sz && json_object_size(done) < json_object_size(starts)) {
		const char *key, *best = NULL;
		json_int_t most = 0;
		json_t *n;

		json_object_foreach(starts, key, n) {
			if (!json_object_get(done, key) && json_integer_value(n) > most) {
				best = key;
				most = json_integer_value(n);
			}
		}
		if (!best)
			break;
		json_object_set_new(done, best, json_true());
		len += snprintf(buf + len, sz - len, "%s%s %lld", len ? ", " : "", best,
				(long long)most);
	}
	json_decref(done);
}

static void stack_verdict(struct check_result *res, const struct stack_stats *st,
			  const struct sampling *s, const struct ksyms *ks)
{
	unsigned long long samples = s->skel->bss->samples;
	char user[160], kern[160], starts[160];

	if (!samples) {
		check_set(res, CHECK_FAIL, "no samples of pid %d arrived", getpid());
	} else if (!st->user_ok) {
		check_set_errno(res, CHECK_FAIL, st->user_err_last,
				"bpf_get_stackid(BPF_F_USER_STACK) failed for all %llu samples",
				samples);
	} else if (!st->kern_ok && st->kern_err) {
		check_set_errno(res, CHECK_FAIL, st->kern_err_last,
				"bpf_get_stackid() of kernel stacks failed for %d samples",
				st->kern_err);
	} else if (!st->kern_ok) {
		check_set(res, CHECK_ERROR, "none of %llu samples landed in the kernel despite "
			  "the workload's reads of /dev/zero", samples);
	} else if (!st->user_in_spin) {
		/* Nothing to walk from: the workload, not the kernel, missed. */
		starts_brief(st->user_starts, starts, sizeof(starts));
		check_set(res, CHECK_ERROR, "none of %d user stacks starts in perf_spin, with "
			  "%.1f ms of CPU time spent there and %.1f ms in read(); they start in %s",
			  st->user_ok, s->spin_ns / 1e6, s->read_ns / 1e6, starts);
	} else if (!st->user_walked) {
		check_set(res, CHECK_FAIL, "no user stack leads from perf_spin up to "
			  "run_stack_trace (%d of %d user stacks start in perf_spin, %d end there)",
			  st->user_in_spin, st->user_ok, st->user_spin_only);
		if (st->user_spin_only)
			check_reason_append(res, "likely built without frame pointers");
	} else if (ksyms_hidden(ks)) {
		check_set(res, CHECK_UNSUPPORTED, "kernel frames cannot be named: /proc/kallsyms "
			  "shows every address as 0 (kernel.kptr_restrict=%ld)",
			  kptr_restrict());
	} else if (!st->kern_read) {
		frames_brief(st->kern_frames, 3, kern, sizeof(kern));
		check_set(res, CHECK_FAIL, "none of %d kernel stacks names vfs_read through "
			  "/proc/kallsyms (%d fully named; the first: %s)", st->kern_ok,
			  st->kern_named, kern);
	} else {
		frames_brief(st->user_frames, 3, user, sizeof(user));
		frames_brief(st->kern_frames, 3, kern, sizeof(kern));
		check_set(res, CHECK_PASS, "%llu samples, %d user and %d kernel stacks; user e.g. "
			  "%s (ELF), kernel e.g. %s (kallsyms)", samples, st->user_ok,
			  st->kern_ok, user, kern);
	}
}

static void run_stack_trace(struct check_result *res)
{
	struct ksyms_reader reader = { 0 };
	struct stack_stats st = { .user_starts = json_object() };
	struct sampling s = { 0 };
	struct usyms *u = NULL;
	struct ksyms *ks;
	__u64 *ips = NULL;
	int err;

	ksyms_reader_start(&reader);
	err = sampling_run(res, &s, true);
	ks = ksyms_reader_finish(&reader);
	if (err)
		goto cleanup;
	if (!ks) {
		err = reader.err;
		check_set_errno(res, CHECK_ERROR, err, "read '/proc/kallsyms'");
		goto cleanup;
	}
	u = usyms_new();
	if (!u) {
		err = -ENOMEM;
		check_set_errno(res, CHECK_ERROR, err, "allocate user symbols");
		goto cleanup;
	}
	err = usyms_snapshot(u, getpid());
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "read '/proc/%d/maps'", getpid());
		goto cleanup;
	}
	ips = calloc(MAX_STACK_DEPTH, sizeof(*ips));
	if (!ips) {
		err = -ENOMEM;
		check_set_errno(res, CHECK_ERROR, err, "allocate a stack");
		goto cleanup;
	}
	read_stacks(&st, s.skel, u, ks, ips);
	check_detail_int(res, "samples", s.skel->bss->samples);
	check_detail_int(res, "spin_cpu_us", s.spin_ns / 1000);
	check_detail_int(res, "read_cpu_us", s.read_ns / 1000);
	check_detail_int(res, "user_stacks", st.user_ok);
	check_detail_int(res, "user_stacks_in_perf_spin", st.user_in_spin);
	check_detail_int(res, "user_stacks_walked", st.user_walked);
	check_detail_int(res, "user_stacks_one_frame", st.user_spin_only);
	check_detail_int(res, "user_mode_samples", st.user_mode);
	check_detail_int(res, "kernel_stacks", st.kern_ok);
	check_detail_int(res, "kernel_stacks_named", st.kern_named);
	check_detail_int(res, "kernel_stacks_in_vfs_read", st.kern_read);
	check_detail_int(res, "stack_errors", st.user_err + st.kern_err);
	check_detail_int(res, "kallsyms_functions", ksyms_count(ks));
	check_detail_json(res, "user_stack_starts", json_incref(st.user_starts));
	check_detail_json(res, "user_frames", json_incref(st.user_frames));
	check_detail_json(res, "kernel_frames", json_incref(st.kern_frames));
	stack_verdict(res, &st, &s, ks);
cleanup:
	json_decref(st.user_starts);
	json_decref(st.user_frames);
	json_decref(st.kern_frames);
	free(ips);
	usyms_free(u);
	ksyms_free(ks);
	sampling_release(&s);
}

DEFINE_CHECK(stack_trace, "perf", "user and kernel stacks of perf samples, symbolized",
	     run_stack_trace);

