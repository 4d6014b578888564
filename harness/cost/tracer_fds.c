// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "lib/cgroup.h"
#include "tracer_fds.h"

#define MAX_PIDS 256

/*
 * Calls fn(pid, fd, target, arg) for each file descriptor of each process of the cgroup,
 * target being what /proc/PID/fd/FD points to ("anon_inode:bpf-prog", ...), until fn returns
 * non-zero: that value, or 0.
 */
static int each_fd(const char *cgroup, int (*fn)(pid_t, int, const char *, void *), void *arg)
{
	pid_t pids[MAX_PIDS];
	int np = cgroup_pids(cgroup, pids, MAX_PIDS), ret = 0;

	for (int i = 0; i < np && !ret; i++) {
		char dir[64], path[320], target[PATH_MAX];
		struct dirent *d;
		DIR *fds;

		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pids[i]);
		fds = opendir(dir);
		if (!fds)
			continue;
		while (!ret && (d = readdir(fds))) {
			ssize_t len;

			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			len = readlink(path, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			ret = fn(pids[i], atoi(d->d_name), target, arg);
		}
		closedir(fds);
	}
	return ret;
}

struct held {
	unsigned int *ids;
	int n, max, attached;
};

static bool has_id(const unsigned int *ids, int n, unsigned int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static int add_held(pid_t pid, int fd, const char *target, void *arg)
{
	struct held *h = arg;
	char path[64], line[128];
	unsigned int id = 0;
	FILE *f;

	if (strstr(target, "bpf_link") || strstr(target, "perf_event"))
		h->attached++;
	if (!strstr(target, "bpf-prog") && !strstr(target, "bpf_link"))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_id: %u", &id) == 1)
			break;
	if (f)
		fclose(f);
	if (id && h->n < h->max && !has_id(h->ids, h->n, id))
		h->ids[h->n++] = id;
	return 0;
}

int tracer_fds_progs(const char *cgroup, unsigned int *ids, int max, int *attached)
{
	struct held h = { .ids = ids, .max = max };

	each_fd(cgroup, add_held, &h);
	*attached = h.attached;
	return h.n;
}

struct hook_query {
	unsigned int prog_id;
	char *hook;
	size_t sz;
	int found;   /* perf events that run the program */
	int unknown; /* perf events the kernel would not say of */
};

static int query_hook(pid_t pid, int fd, const char *target, void *arg)
{
	struct hook_query *q = arg;
	__u32 len, prog_id = 0, type = 0;
	__u64 offset = 0, addr = 0;
	char buf[PATH_MAX];
	const char *kind;

	if (!strstr(target, "perf_event"))
		return 0;
	len = sizeof(buf);
	/* Asked of another process's fd: no fd of ours is made. */
	if (bpf_task_fd_query(pid, fd, 0, buf, &len, &prog_id, &type, &offset, &addr)) {
		q->unknown++;
		return 0;
	}
	if (prog_id != q->prog_id || q->found++)
		return 0;
	buf[sizeof(buf) - 1] = '\0';
	switch (type) {
	case BPF_FD_TYPE_TRACEPOINT:
		snprintf(q->hook, q->sz, "tracepoint %s", buf);
		break;
	case BPF_FD_TYPE_KPROBE:
	case BPF_FD_TYPE_KRETPROBE:
		kind = type == BPF_FD_TYPE_KPROBE ? "kprobe" : "kretprobe";
		if (buf[0])
			snprintf(q->hook, q->sz, "%s %s+0x%llx", kind, buf,
				 (unsigned long long)offset);
		else
			snprintf(q->hook, q->sz, "%s 0x%llx", kind, (unsigned long long)addr);
		break;
	case BPF_FD_TYPE_UPROBE:
	case BPF_FD_TYPE_URETPROBE:
		snprintf(q->hook, q->sz, "%s %s+0x%llx",
			 type == BPF_FD_TYPE_UPROBE ? "uprobe" : "uretprobe", buf,
			 (unsigned long long)offset);
		break;
	default:
		snprintf(q->hook, q->sz, "perf event");
	}
	return 0;
}

int tracer_fds_hook(const char *cgroup, unsigned int prog_id, char *hook, size_t sz)
{
	struct hook_query q = { .prog_id = prog_id, .hook = hook, .sz = sz };
	size_t len;

	each_fd(cgroup, query_hook, &q);
	if (!q.found)
		return q.unknown ? -ENODATA : -ENOENT;
	len = strlen(hook);
	if (q.found > 1 && len < sz)
		snprintf(hook + len, sz - len, " (+%d more)", q.found - 1);
	return 0;
}
