// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "prog_stats.h"

int prog_stats_enable(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	return fd < 0 ? -errno : fd;
}

/* The hook of the first link that holds program id, into s->hook. */
static void hook_of(unsigned int id, struct prog_stat *s)
{
	__u32 link = 0;

	while (!bpf_link_get_next_id(link, &link)) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		char tp[64] = "";
		const char *type;
		int fd = bpf_link_get_fd_by_id(link);

		if (fd < 0)
			continue;
		/* The type first: the union's other members take the name's fields as theirs. */
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.prog_id != id) {
			close(fd);
			continue;
		}
		if (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT) {
			memset(&info, 0, sizeof(info));
			info.raw_tracepoint.tp_name = (unsigned long)tp;
			info.raw_tracepoint.tp_name_len = sizeof(tp);
			len = sizeof(info);
			if (bpf_obj_get_info_by_fd(fd, &info, &len))
				tp[0] = '\0';
		}
		close(fd);
		type = libbpf_bpf_link_type_str(info.type);
		if (info.type == BPF_LINK_TYPE_RAW_TRACEPOINT)
			snprintf(s->hook, sizeof(s->hook), "raw_tp %s", tp);
		else
			snprintf(s->hook, sizeof(s->hook), "%s link", type ? type : "unknown");
		return;
	}
}

int prog_stat_read(unsigned int id, struct prog_stat *s, bool hook)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	const char *type;
	int fd = bpf_prog_get_fd_by_id(id), err = 0;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	close(fd);
	if (err)
		return err;
	s->id = id;
	snprintf(s->name, sizeof(s->name), "%s", info.name);
	type = libbpf_bpf_prog_type_str(info.type);
	snprintf(s->type, sizeof(s->type), "%s", type ? type : "unknown");
	memcpy(s->tag, info.tag, sizeof(s->tag));
	s->run_cnt = info.run_cnt;
	s->run_time_ns = info.run_time_ns;
	if (hook)
		hook_of(id, s);
	return 0;
}
