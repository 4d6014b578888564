// SPDX-License-Identifier: GPL-2.0
/*
 * fio-randread, fio-seqwrite: fio runs a job file of workloads/fio/ against a 64 MiB file this
 * workload makes and fills in opts->workdir. The file is unlinked at once and fio opens it as
 * /proc/self/fd/N: nothing stays in the workdir, even when this process is killed. Direct I/O
 * where the workdir's file system reaches a block device; on tmpfs, ramfs or overlayfs, or
 * where O_DIRECT is refused, buffered I/O, and extra says so.
 *
 * One operation is one I/O completed; ops_per_s is fio's IOPS, seconds fio's runtime, and
 * extra has bandwidth and completion latency (mean, p50, p99). Runs for opts->seconds only
 * (fio counts I/Os per pass over the file, not in total). pid() is -1: fio's processes exist
 * only during run(). Kernel memory: the file's 64 MiB of page cache at most.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include "fio_output.h"
#include "jobfiles.h"
#include "lib/errno_name.h"
#include "lib/memfile.h"
#include "lib/spawn.h"
#include "workload.h"
#include "workload_child.h"
#include "workload_util.h"

#define FILE_MIB 64
#define GRACE_S 60		/* fio's start and end beyond the runtime, before it is killed */

struct fio_job {
	const char *name;
	const char *jobfile;	/* under workloads/ */
	const char *dir;	/* "read" or "write": the direction fio reports the I/Os in */
};

struct fio_state {
	const struct fio_job *job;
	int data_fd;		/* the unlinked data file */
	bool direct;
	char fs[32];		/* the workdir's file system type */
	char note[256];		/* why not direct I/O, when not */
};

static const struct fio_job randread = { "fio-randread", "fio/randread-4k.fio", "read" };
static const struct fio_job seqwrite = { "fio-seqwrite", "fio/seqwrite.fio", "write" };

static const char *fs_name(long type, char *buf, size_t sz)
{
	switch (type) {
	case EXT4_SUPER_MAGIC: return "ext4";
	case XFS_SUPER_MAGIC: return "xfs";
	case BTRFS_SUPER_MAGIC: return "btrfs";
	case TMPFS_MAGIC: return "tmpfs";
	case RAMFS_MAGIC: return "ramfs";
	case OVERLAYFS_SUPER_MAGIC: return "overlay";
	}
	snprintf(buf, sz, "0x%lx", type);
	return buf;
}

/* An unlinked file in dir: O_TMPFILE, or a named one removed at once. */
static int unlinked_file(const char *dir)
{
	char path[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/bpfgauge-fio-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/* Real data (not holes, not zeros), on disk before the first repetition. */
static int fill(int fd)
{
	size_t len = 1 << 20;
	unsigned long long x = 0x9e3779b97f4a7c15ULL;
	unsigned long long *buf = malloc(len);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (int mib = 0; mib < FILE_MIB && !err; mib++) {
		for (size_t i = 0; i < len / sizeof(*buf); i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = x;
		}
		if (pwrite(fd, buf, len, (off_t)mib * len) != (ssize_t)len)
			err = errno ? -errno : -ENOSPC;
	}
	free(buf);
	if (!err && fsync(fd))
		err = -errno;
	if (!err)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return err;
}

static void choose_direct(struct fio_state *st, const char *workdir, long fs_type)
{
	char path[64];
	int fd;

	if (fs_type == TMPFS_MAGIC || fs_type == RAMFS_MAGIC || fs_type == OVERLAYFS_SUPER_MAGIC) {
		snprintf(st->note, sizeof(st->note), "workdir '%s' is on %s: direct I/O there "
			 "reaches no block device; buffered I/O", workdir, st->fs);
		return;
	}
	memfile_path(st->data_fd, path, sizeof(path));
	fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		snprintf(st->note, sizeof(st->note), "O_DIRECT open of a file in '%s' (%s) failed: "
			 "%s; buffered I/O", workdir, st->fs, errno_name(errno));
		return;
	}
	close(fd);
	st->direct = true;
}

static void fio_teardown(void *state)
{
	struct fio_state *st = state;

	if (!st)
		return;
	if (st->data_fd >= 0)
		close(st->data_fd);
	free(st);
}

static int fio_setup_job(const struct fio_job *job, const struct workload_opts *o, void **state,
			 char *why, size_t sz)
{
	struct fio_state *st;
	struct statfs sfs;
	char hex[24];
	int err;

	*state = NULL;
	if (o->ops) {
		snprintf(why, sz, "%s runs for a duration (seconds), not an op count", job->name);
		return -EOPNOTSUPP;
	}
	if (!program_installed("fio")) {
		snprintf(why, sz, "fio is not installed");
		return -EOPNOTSUPP;
	}
	if (!o->workdir) {
		snprintf(why, sz, "%s needs a workdir for its file", job->name);
		return -EINVAL;
	}
	if (!workload_cpu_allowed(o->cpu, why, sz))
		return -EINVAL;
	if (statfs(o->workdir, &sfs)) {
		err = -errno;
		snprintf(why, sz, "statfs('%s') failed: %s", o->workdir, strerror(-err));
		return err;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->job = job;
	snprintf(st->fs, sizeof(st->fs), "%s", fs_name(sfs.f_type, hex, sizeof(hex)));
	st->data_fd = unlinked_file(o->workdir);
	if (st->data_fd < 0) {
		err = st->data_fd;
		snprintf(why, sz, "create a file in '%s' failed: %s", o->workdir, strerror(-err));
		goto cleanup;
	}
	err = fill(st->data_fd);
	if (err) {
		snprintf(why, sz, "write %d MiB to a file in '%s' failed: %s", FILE_MIB,
			 o->workdir, strerror(-err));
		goto cleanup;
	}
	choose_direct(st, o->workdir, sfs.f_type);
	*state = st;
cleanup:
	if (err)
		fio_teardown(st);
	return err;
}

static json_t *extra_of(const struct fio_state *st, const struct fio_summary *s)
{
	json_t *e = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:b, s:s}",
			      "iops", s->iops, "bw_kib_s", s->bw_kib_s,
			      "clat_mean_ns", s->clat_mean_ns, "clat_p50_ns", s->clat_p50_ns,
			      "clat_p99_ns", s->clat_p99_ns, "runtime_s", s->runtime_s,
			      "direct", st->direct, "fs", st->fs);

	if (e && st->note[0])
		json_object_set_new(e, "note", json_string(st->note));
	return e;
}

static int fio_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	struct fio_state *st = state;
	const char *text = jobfile_text(st->job->jobfile);
	struct memjob j = { -1, -1, -1 };
	char data_path[64], file_env[96], size_env[32], direct_env[32];
	char runtime_env[64], what[512] = "";
	char *env[] = { file_env, size_env, direct_env, runtime_env, NULL };
	char *argv[] = { "fio", "--output-format=json", j.job_path, NULL };
	int err;
	struct fio_summary s;
	struct spawn sp;
	char *out = NULL;
	long ms = o->seconds * 1e3 + 0.5;

	if (!text)
		return -ENOENT;	/* not built in: a build error */
	err = memjob_open(&j, "fio", text, what, sizeof(what));
	if (err)
		goto cleanup;
	memfile_path(st->data_fd, data_path, sizeof(data_path));
	snprintf(file_env, sizeof(file_env), "BPFGAUGE_FIO_FILE=%s", data_path);
	snprintf(size_env, sizeof(size_env), "BPFGAUGE_FIO_SIZE=%dm", FILE_MIB);
	snprintf(direct_env, sizeof(direct_env), "BPFGAUGE_FIO_DIRECT=%d", st->direct);
	snprintf(runtime_env, sizeof(runtime_env), "BPFGAUGE_FIO_RUNTIME=%ldms", ms > 0 ? ms : 1);
	sp = (struct spawn){
		.argv = argv, .env = env,
		.keep_fds = (const int[]){ j.job_fd, st->data_fd }, .nr_keep_fds = 2,
		.out_fd = j.out_fd, .err_fd = j.log_fd, .timeout_s = o->seconds + GRACE_S,
	};
	err = workload_spawn(&sp, j.log_fd, o, r, what, sizeof(what));
	if (err)
		goto cleanup;
	out = memfile_read(j.out_fd);
	err = out ? fio_output_parse(out, strlen(out), st->job->dir, &s) : -EIO;
	if (err) {
		snprintf(what, sizeof(what), "fio's JSON output could not be read: %s",
			 err == -EIO ? "fio reports the job failed" : "not JSON or fields missing");
		goto cleanup;
	}
	r->ops = s.ios;
	r->seconds = s.runtime_s;
	r->ops_per_s = s.iops;
	r->extra = extra_of(st, &s);
cleanup:
	if (err && what[0])
		r->extra = json_pack("{s:s}", "error", what);
	free(out);
	memjob_close(&j);
	return err;
}

static int fio_randread_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	return fio_setup_job(&randread, o, state, why, sz);
}

static int fio_seqwrite_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	return fio_setup_job(&seqwrite, o, state, why, sz);
}

static pid_t fio_pid(void *state)
{
	(void)state;
	return -1;
}

DEFINE_WORKLOAD(fio_randread, "fio-randread",
		"fio: 4 KiB random reads, queue depth 1, direct I/O where possible; "
		"one op = one I/O",
		"block I/O issue and completion per read (direct I/O)", fio_randread_setup, fio_run,
		fio_teardown, fio_pid);
DEFINE_WORKLOAD(fio_seqwrite, "fio-seqwrite",
		"fio: 128 KiB sequential overwrites, queue depth 1, direct I/O where possible; "
		"one op = one I/O", "block I/O issue and completion per write (direct I/O)",
		fio_seqwrite_setup, fio_run, fio_teardown, fio_pid);
