// SPDX-License-Identifier: GPL-2.0
/*
 * stress-cpu, stress-switch, stress-syscall: stress-ng runs a job file of workloads/stress-ng/
 * with 'timeout N' appended (and '<stressor>-ops N' for an op count), as
 * 'stress-ng --job FILE --metrics --yaml OUT'. One operation is one of stress-ng's bogo-ops;
 * ops_per_s is its bogo-ops/s in real time, seconds its wall-clock time, and extra holds every
 * number of its metrics for the stressor. stress-ng's timeout is whole seconds: a duration
 * rounds up to the next second. An op count is given at most OPS_TIMEOUT_S, and only to
 * stressors that stop at it (cpu and switch do; syscall's count overshoots or falls short,
 * blocked in a sleeping call until the timeout). Temporary files
 * go to a directory of its own in opts->workdir (or /tmp), removed at teardown. pid() is -1:
 * stress-ng's processes exist only during run().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobfiles.h"
#include "lib/errno_name.h"
#include "lib/memfile.h"
#include "lib/spawn.h"
#include "stress_yaml.h"
#include "workload.h"
#include "workload_child.h"
#include "workload_util.h"

#define OPS_TIMEOUT_S 60
#define GRACE_S 30		/* beyond stress-ng's timeout, before it is killed */

struct stress_job {
	const char *name;
	const char *jobfile;	/* under workloads/ */
	const char *stressor;
	bool counts_ops;	/* stops at '<stressor>-ops N' exactly */
};

struct stress_state {
	const struct stress_job *job;
	char tmpdir[4096];
};

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void stress_teardown(void *state)
{
	struct stress_state *st = state;

	if (!st)
		return;
	if (st->tmpdir[0])
		nftw(st->tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(st);
}

static int stress_setup_job(const struct stress_job *job, const struct workload_opts *o,
			    void **state, char *why, size_t sz)
{
	struct stress_state *st;
	int err;

	*state = NULL;
	if (o->ops && !job->counts_ops) {
		snprintf(why, sz, "%s runs for a duration: stress-ng's %s stressor does not stop "
			 "at an op count", job->name, job->stressor);
		return -EOPNOTSUPP;
	}
	if (!program_installed("stress-ng")) {
		snprintf(why, sz, "stress-ng is not installed");
		return -EOPNOTSUPP;
	}
	if (!workload_cpu_allowed(o->cpu, why, sz))
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->job = job;
	snprintf(st->tmpdir, sizeof(st->tmpdir), "%s/bpfgauge-stress-XXXXXX",
		 o->workdir ? o->workdir : "/tmp");
	if (!mkdtemp(st->tmpdir)) {
		err = -errno;
		snprintf(why, sz, "mkdtemp('%s') failed: %s", st->tmpdir, errno_name(err));
		st->tmpdir[0] = '\0';
		stress_teardown(st);
		return err;
	}
	*state = st;
	return 0;
}

/* The job file as built in, with its timeout and op count. */
static char *job_text(const struct stress_job *job, const struct workload_opts *o, int timeout)
{
	const char *text = jobfile_text(job->jobfile);
	char *out = NULL;

	if (!text)
		return NULL;
	if (o->ops && asprintf(&out, "%stimeout %d\n%s-ops %ld\n", text, timeout, job->stressor,
			       o->ops) < 0)
		return NULL;
	if (!o->ops && asprintf(&out, "%stimeout %d\n", text, timeout) < 0)
		return NULL;
	return out;
}

static int stress_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct stress_state *st = state;
	int timeout = o->ops ? OPS_TIMEOUT_S : (int)ceil(o->seconds);
	struct memjob j = { -1, -1, -1 };
	char what[512] = "";
	char *argv[] = { "stress-ng", "--job", j.job_path, "--metrics", "--yaml", j.out_path,
			 "--temp-path", st->tmpdir, NULL };
	int err;
	struct stress_metrics m = { 0 };
	char *text, *yaml = NULL;
	struct spawn sp;

	if (timeout < 1)
		timeout = 1;	/* 0 would be no timeout at all */
	text = job_text(st->job, o, timeout);
	if (!text)
		return -ENOMEM;
	/* Its YAML metrics go to the output file, its stdout and stderr to the log. */
	err = memjob_open(&j, "stress-ng", text, what, sizeof(what));
	if (err)
		goto cleanup;
	sp = (struct spawn){
		.argv = argv, .keep_fds = (const int[]){ j.job_fd, j.out_fd }, .nr_keep_fds = 2,
		.out_fd = j.log_fd, .err_fd = j.log_fd, .timeout_s = timeout + GRACE_S,
	};
	err = workload_spawn(&sp, j.log_fd, o, r, what, sizeof(what));
	if (err)
		goto cleanup;
	yaml = memfile_read(j.out_fd);
	err = yaml ? stress_yaml_metrics(yaml, st->job->stressor, &m) : -EIO;
	if (err) {
		snprintf(what, sizeof(what), "stress-ng's YAML metrics for '%s' could not be read",
			 st->job->stressor);
		goto cleanup;
	}
	r->ops = m.bogo_ops;
	r->seconds = m.wall_s;
	r->ops_per_s = m.ops_per_s;
	r->extra = json_incref(m.fields);
	json_object_set_new(r->extra, "timeout_s", json_integer(timeout));
cleanup:
	if (err && what[0])
		r->extra = json_pack("{s:s}", "error", what);
	stress_metrics_release(&m);
	free(yaml);
	free(text);
	memjob_close(&j);
	return err;
}

static pid_t stress_pid(void *state)
{
	(void)state;
	return -1;
}

#define STRESS_WORKLOAD(id, name_, jobfile_, stressor_, counts_ops_, summary_, fires_)      \
	static const struct stress_job id##_job = { name_, jobfile_, stressor_, counts_ops_ }; \
	static int id##_setup(const struct workload_opts *o, void **state, char *why,       \
			      size_t sz)                                                     \
	{                                                                                    \
		return stress_setup_job(&id##_job, o, state, why, sz);                        \
	}                                                                                    \
	DEFINE_WORKLOAD(id, name_, summary_, fires_, id##_setup, stress_run, stress_teardown, \
			stress_pid)

STRESS_WORKLOAD(stress_cpu, "stress-cpu", "stress-ng/cpu.job", "cpu", true,
		"stress-ng: one cpu stressor (int64 method); one op = one bogo-op",
		"nothing per op: user-space computation");
STRESS_WORKLOAD(stress_switch, "stress-switch", "stress-ng/switch.job", "switch", true,
		"stress-ng: two processes passing messages through a pipe; one op = one bogo-op",
		"a context switch per message");
STRESS_WORKLOAD(stress_syscall, "stress-syscall", "stress-ng/syscall.job", "syscall", false,
		"stress-ng: one stressor calling a wide range of syscalls; one op = one bogo-op",
		"many different syscalls per op");
