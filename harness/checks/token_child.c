// SPDX-License-Identifier: GPL-2.0
/*
 * The token check's child: in a user namespace of its own, root there and nobody in the
 * initial one. It makes a bpffs context, has its privileged parent configure and mount it,
 * makes a BPF token of that mount, loads the object through it, shows that the same map and
 * program without the token are refused, and runs the program (token.h says the protocol).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/fdpass.h"
#include "lib/libbpf_log.h"
#include "lib/userns.h"
#include "token.h"
#include "token_xdp.h"
#include "token_xdp.skel.h"

#define PACKET_SIZE 64
#define VALUE_BASE 0x746f6b656e000000ULL	/* "token", then the run's number */

static void copy_str(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src);
}

/* The token's allowed_cmds/maps/progs/attachs lines, joined by ", ". */
static void read_fdinfo(int fd, char *buf, size_t sz)
{
	char path[64], line[128];
	size_t len = 0;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && len < sz) {
		if (strncmp(line, "allowed_", 8))
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strchr(line, '\t'); t; t = strchr(t, '\t'))
			*t = ' ';
		len += snprintf(buf + len, sz - len, "%s%s", len ? ", " : "", line);
	}
	fclose(f);
}

/* Opens the object and loads it through a token made from the bpffs at token_path. */
static int load(struct token_xdp_bpf **skel, const char *token_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .bpf_token_path = token_path);

	*skel = token_xdp_bpf__open_opts(&opts);
	if (!*skel)
		return -errno;
	return token_xdp_bpf__load(*skel);
}

/* The same map type and the same program, relocated as loaded, without a token. */
static void load_without_token(struct token_report *r, const struct token_xdp_bpf *skel)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_XDP);
	const struct bpf_program *prog = skel->progs.token_xdp;
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_QUEUE, NULL, 0, sizeof(__u64), TOKEN_VALUES_MAX, NULL);
	r->map_no_token = fd < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, NULL, "GPL", bpf_program__insns(prog),
			   bpf_program__insn_cnt(prog), &opts);
	r->prog_no_token = fd < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
}

/* N test runs, then the values popped back. */
static int run_and_pop(struct token_report *r, struct token_xdp_bpf *skel)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int prog = bpf_program__fd(skel->progs.token_xdp), map = bpf_map__fd(skel->maps.values);
	unsigned int n = TOKEN_VALUES_MAX;
	unsigned char pkt[PACKET_SIZE] = { 0 };
	unsigned long long v;

	run.data_in = pkt;
	run.data_size_in = sizeof(pkt);
	run.repeat = 1;
	for (unsigned int i = 0; i < n; i++) {
		v = VALUE_BASE + i;
		memcpy(pkt, &v, sizeof(v));
		if (bpf_prog_test_run_opts(prog, &run)) {
			int err = -errno;

			copy_str(r->step, sizeof(r->step), "bpf(BPF_PROG_TEST_RUN)");
			return err;
		}
		if (run.retval == XDP_PASS)
			r->runs++;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (bpf_map_lookup_and_delete_elem(map, NULL, &v))
			break;
		r->popped++;
		if (v == VALUE_BASE + i)
			r->right++;
		else if (r->right == i)
			r->first_wrong = v;
	}
	r->extra_pop = bpf_map_lookup_and_delete_elem(map, NULL, &v) ? -errno : 0;
	return 0;
}

/* After the fd of the detached bpffs mount came back: the token and what it lets load. */
static int child_use_mount(struct token_report *r, int mnt_fd)
{
	struct token_xdp_bpf *skel = NULL;
	char path[64];
	int bpffs = -1, token = -1, err;

	r->stage = ST_TOKEN;
	copy_str(r->step, sizeof(r->step), "open the bpffs mount's root");
	bpffs = openat(mnt_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (bpffs < 0)
		return -errno;
	copy_str(r->step, sizeof(r->step), "bpf(BPF_TOKEN_CREATE)");
	token = bpf_token_create(bpffs, NULL);
	if (token < 0) {
		err = token;
		goto out;
	}
	read_fdinfo(token, r->fdinfo, sizeof(r->fdinfo));

	r->stage = ST_LOAD;
	copy_str(r->step, sizeof(r->step), "load 'xdp' and a queue map with the token");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", bpffs);
	libbpf_log_reset();
	err = load(&skel, path);
	if (err) {
		copy_str(r->log, sizeof(r->log), libbpf_log_last());
		goto out;
	}
	load_without_token(r, skel);
	if (!r->map_no_token || !r->prog_no_token) {
		r->stage = ST_NO_TOKEN;
		err = -EEXIST;
		goto out;
	}
	r->stage = ST_RUN;
	err = run_and_pop(r, skel);
out:
	token_xdp_bpf__destroy(skel);
	if (token >= 0)
		close(token);
	close(bpffs);
	return err;
}

void token_child_main(int sock)
{
	struct token_report r = { .stage = ST_USERNS };
	const char *step;
	int fs_fd, mnt_fd, parent_err, err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	err = userns_enter_root(&step);
	if (err) {
		copy_str(r.step, sizeof(r.step), step);
		goto report;
	}
	/* A mount namespace its user namespace owns: the one where fsopen() may make a bpffs. */
	r.stage = ST_MOUNTNS;
	copy_str(r.step, sizeof(r.step), "unshare(CLONE_NEWNS)");
	if (unshare(CLONE_NEWNS)) {
		err = -errno;
		goto report;
	}
	r.stage = ST_FSOPEN;
	copy_str(r.step, sizeof(r.step), "fsopen('bpf') in the user namespace");
	fs_fd = syscall(__NR_fsopen, "bpf", FSOPEN_CLOEXEC);
	if (fs_fd < 0) {
		err = -errno;
		goto report;
	}
	r.stage = ST_DELEGATE;
	err = fd_send(sock, fs_fd, &r, sizeof(r));
	close(fs_fd);
	if (err || fd_recv(sock, &mnt_fd, &parent_err, sizeof(parent_err)) || mnt_fd < 0)
		_exit(1);	/* the parent's part failed, and the parent knows why */
	err = child_use_mount(&r, mnt_fd);
	close(mnt_fd);
	if (!err)
		r.stage = ST_DONE;
report:
	r.err = err;
	_exit(fd_send(sock, -1, &r, sizeof(r)) ? 1 : 0);
}
