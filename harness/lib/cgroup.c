// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

const char *cgroup2_root(void)
{
	static char root[256];
	struct mntent *m;
	FILE *f;

	if (root[0])
		return root;
	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return NULL;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(root, sizeof(root), "%s", m->mnt_dir);
			break;
		}
	}
	endmntent(f);
	return root[0] ? root : NULL;
}

int cgroup_tmp_new(const char *tag, char *path, size_t sz)
{
	const char *root = cgroup2_root();

	if (!root)
		return -ENOENT;
	snprintf(path, sz, "%s/bpfgauge-%d-%s", root, (int)getpid(), tag);
	if (mkdir(path, 0755))
		return -errno;
	return 0;
}

int cgroup_tmp_remove(const char *path)
{
	return rmdir(path) ? -errno : 0;
}

int cgroup_pids(const char *cgroup, pid_t *pids, int max)
{
	char path[PATH_MAX + 16];
	FILE *f;
	int n = 0, pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		pids[n++] = pid;
	fclose(f);
	return n;
}

int cgroup_kill(const char *cgroup)
{
	char path[PATH_MAX + 16];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.kill", cgroup);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "1", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

/* Whether the process pid is in the cgroup at path now. */
static bool pid_in(pid_t pid, const char *path)
{
	const char *root = cgroup2_root();
	char file[64], line[PATH_MAX + 8];
	bool in = false;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "re");
	if (!f || !root)
		return f ? fclose(f), false : false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			in = !strcmp(line + 3, path + strlen(root));
		}
	fclose(f);
	return in;
}

int cgroup_signal(const char *path, int sig)
{
	pid_t pids[CGROUP_MAX_PIDS];
	int n = cgroup_pids(path, pids, CGROUP_MAX_PIDS);

	for (int i = 0; sig && i < n; i++) {
		/* Held by a pidfd, then checked: a pid reused since the list was read is
		 * another process, in another cgroup. */
		int fd = syscall(SYS_pidfd_open, pids[i], 0);

		if (fd < 0)
			continue;
		if (pid_in(pids[i], path))
			syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
		close(fd);
	}
	return n;
}

/* Removes a cgroup, killing what is left in it (a daemon a killed run left behind). */
static int remove_killing(const char *path)
{
	if (!rmdir(path))
		return 0;
	if (errno != EBUSY)
		return -errno;
	if (cgroup_kill(path))
		return -EBUSY;
	for (int i = 0; i < 100; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (!rmdir(path))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -EBUSY;
}

void cgroup_remove_stale(void)
{
	const char *root = cgroup2_root();
	struct dirent *de;
	char path[512];
	DIR *d;

	if (!root || !(d = opendir(root)))
		return;
	while ((de = readdir(d))) {
		int pid;

		if (sscanf(de->d_name, "bpfgauge-%d-", &pid) != 1)
			continue;
		/* Another bpfgauge still running owns it. */
		if (pid != getpid() && kill(pid, 0) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		if (remove_killing(path) == 0)
			fprintf(stderr, "bpfgauge: removed stale cgroup '%s' of an earlier run\n",
				path);
	}
	closedir(d);
}
