// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "proc_tree.h"

static const char *const tree_progs[TREE_NR_PROGS] = { "tree_fork", "tree_exit" };

bool proc_tree_prog(const char *name)
{
	for (int i = 0; i < TREE_NR_PROGS; i++)
		if (!strcmp(name, tree_progs[i]))
			return true;
	return false;
}

int proc_tree_add(struct attach_method *m)
{
	int n = 0;

	while (n < METHOD_MAX_PROGS && m->progs[n])
		n++;
	if (n + TREE_NR_PROGS >= METHOD_MAX_PROGS)
		return -E2BIG;
	for (int i = 0; i < TREE_NR_PROGS; i++)
		m->progs[n + i] = tree_progs[i];
	return 0;
}

int proc_tree_attach(struct bpf_object *obj, struct bpf_link *links[TREE_NR_PROGS])
{
	for (int i = 0; i < TREE_NR_PROGS; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, tree_progs[i]);

		links[i] = prog ? bpf_program__attach(prog) : NULL;
		if (!links[i]) {
			int err = prog ? -errno : -ENOENT;

			while (i--) {
				bpf_link__destroy(links[i]);
				links[i] = NULL;
			}
			return err;
		}
	}
	return 0;
}

struct proc {
	pid_t pid, ppid;
	bool in;	/* pid or one of its descendants */
};

static int by_pid(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * The parent of a process that still runs (not a zombie: it exited and only waits to be
 * reaped), from /proc/PID/stat; -1 when there is no such process.
 */
static int live_parent(const char *pid)
{
	char path[300], buf[512], *paren, state;
	FILE *f;
	int ppid;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;	/* gone meanwhile */
	paren = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* "pid (comm) state ppid ...": comm may hold anything, ')' included. */
	if (!paren || sscanf(paren + 1, " %c %d", &state, &ppid) != 2)
		return -1;
	return state == 'Z' || state == 'X' ? -1 : ppid;
}

/* Every process that runs, with its parent, sorted by pid; how many, or -errno. */
static long procs_read(struct proc **out)
{
	struct proc *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		int ppid;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		ppid = live_parent(d->d_name);
		if (ppid < 0)
			continue;
		if (n == cap) {
			struct proc *w = realloc(v, (cap = cap ? 2 * cap : 512) * sizeof(*v));

			if (!w) {
				free(v);
				closedir(dir);
				return -ENOMEM;
			}
			v = w;
		}
		v[n++] = (struct proc){ .pid = atoi(d->d_name), .ppid = ppid };
	}
	closedir(dir);
	qsort(v, n, sizeof(*v), by_pid);
	*out = v;
	return n;
}

long proc_descendants(pid_t root, pid_t **out)
{
	struct proc *v = NULL, key = { .pid = root }, *p;
	long n = procs_read(&v), found = 0;
	bool more = true;
	pid_t *pids;

	if (n < 0)
		return n;
	p = bsearch(&key, v, n, sizeof(*v), by_pid);
	if (p)
		p->in = true;
	/* A pass per generation: a parent's pid may be above its child's once pids wrap. */
	while (p && more) {
		more = false;
		for (long i = 0; i < n; i++) {
			struct proc *parent;

			if (v[i].in)
				continue;
			key.pid = v[i].ppid;
			parent = bsearch(&key, v, n, sizeof(*v), by_pid);
			if (parent && parent->in)
				v[i].in = more = true;
		}
	}
	pids = malloc((n ? n : 1) * sizeof(*pids));
	if (!pids) {
		free(v);
		return -ENOMEM;
	}
	for (long i = 0; i < n; i++)
		if (v[i].in && v[i].pid != root)
			pids[found++] = v[i].pid;
	free(v);
	*out = pids;
	return found;
}

/* One walk of /proc: the descendants of root not yet in the tree join it; how many did. */
static long seed_pass(int map_fd, pid_t root)
{
	pid_t *pids;
	long n = proc_descendants(root, &pids), added = 0;
	__u8 one = 1;

	for (long i = 0; i < n; i++) {
		__u32 tgid = pids[i];
		char name[16];

		if (bpf_map_update_elem(map_fd, &tgid, &one, BPF_NOEXIST))
			continue;
		/* Gone since the walk: its exit was before the entry, which would outlive it. */
		snprintf(name, sizeof(name), "%d", (int)tgid);
		if (live_parent(name) < 0)
			bpf_map_delete_elem(map_fd, &tgid);
		else
			added++;
	}
	if (n >= 0)
		free(pids);
	return n < 0 ? n : added;
}

long proc_tree_seed(struct bpf_object *obj, pid_t pid)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "tree_tgids");
	long a, b;

	if (!map)
		return -ENOENT;
	/* The second walk finds those forked during the first by a parent not yet in it. */
	a = seed_pass(bpf_map__fd(map), pid);
	if (a < 0)
		return a;
	b = seed_pass(bpf_map__fd(map), pid);
	return b < 0 ? b : a + b;
}

/* TREE_ADDED or TREE_LOST (bpf/tree_follow.h) so far. */
static unsigned long long tree_count(struct bpf_object *obj, unsigned int which)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "tree_counts");
	__u64 n = 0;

	if (map)
		bpf_map_lookup_elem(bpf_map__fd(map), &which, &n);
	return n;
}

void proc_tree_totals(struct bpf_object *obj, long seeded, unsigned long long *descendants,
		      unsigned long long *lost)
{
	*descendants = (seeded > 0 ? seeded : 0) + tree_count(obj, TREE_ADDED);
	*lost = tree_count(obj, TREE_LOST);
}

void proc_tree_scope(pid_t pid, unsigned long long descendants, unsigned long long lost,
		     char *buf, size_t sz)
{
	int n;

	if (!pid) {
		snprintf(buf, sz, "every process");
		return;
	}
	if (descendants)
		n = snprintf(buf, sz, "pid %d and its %llu descendant%s", (int)pid, descendants,
			     descendants == 1 ? "" : "s");
	else
		n = snprintf(buf, sz, "pid %d (no descendants)", (int)pid);
	if (lost && n >= 0 && (size_t)n < sz)
		snprintf(buf + n, sz - n, " (%llu more not followed: over %d alive at once)", lost,
			 TREE_MAX_PROCS);
}
