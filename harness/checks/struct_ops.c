// SPDX-License-Identifier: GPL-2.0
/*
 * struct_ops (Linux 6.4 for struct_ops links; tcp_congestion_ops in BPF since 5.6): a TCP
 * congestion control written in BPF, with a name of this process's own, registered through a
 * struct_ops link (bpf_map__attach_struct_ops on a .struct_ops.link map). In a private network
 * namespace, a loopback TCP connection whose client chooses it (setsockopt TCP_CONGESTION)
 * carries NR_CHUNKS writes. Verified: the name is listed in
 * tcp_available_congestion_control while the link lives; the client reads it back with
 * getsockopt; the data arrived as written; init ran once for the client's socket (its ports),
 * cong_avoid for the acknowledgements of each segment of that socket, release when it closed;
 * once the link is destroyed the name is no longer listed. Without a link (a plain .struct_ops
 * map) a process killed half-way would leave the congestion control registered: older kernels
 * are unsupported, not served another way.
 *
 * The kernel calls these programs through trampolines it builds for the structure's function
 * pointers, not through ftrace's function hooks as fentry's: where fentry loads are refused
 * with EPERM (seen with lockdown=integrity) it still passes, so trampoline_explain's ftrace
 * evidence does not apply. A load or attach that fails is explained by the configuration
 * (CONFIG_BPF_JIT builds both struct_ops and bpf_tcp_ca), else by libbpf's or the verifier's
 * last line; the lockdown mode is recorded either way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/caps.h"
#include "lib/mounts.h"
#include "lib/netlab.h"
#include "lib/tcp_lo.h"
#include "struct_ops_cc.skel.h"

#define CC_LIST "/proc/sys/net/ipv4/tcp_available_congestion_control"
#define NR_CHUNKS 8
#define CHUNK 1024
#define WAIT_MS 1000
#define CC_NAME_MAX 16	/* TCP_CA_NAME_MAX */

/* Whether name is among the registered congestion controls: 1, 0, or -errno. */
static int cc_listed(const char *name)
{
	char list[1024], *save = NULL;
	FILE *f = fopen(CC_LIST, "re");
	int err;

	if (!f)
		return -errno;
	if (!fgets(list, sizeof(list), f)) {
		err = ferror(f) ? -EIO : -ENODATA;
		fclose(f);
		return err;
	}
	fclose(f);
	for (char *tok = strtok_r(list, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, name))
			return 1;
	return 0;
}

static const char *const cc_configs[] = { "CONFIG_BPF_JIT", "CONFIG_INET", NULL };

/*
 * The congestion control's name field in the map's data before load (libbpf copies it to the
 * kernel's struct), found by its offset in the object's BTF; NULL when it is not there.
 */
static char *cc_name_field(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_member *m;
	const struct btf_type *t;
	size_t size;
	char *data = bpf_map__initial_value(map, &size);
	int id = btf ? btf__find_by_name_kind(btf, "tcp_congestion_ops", BTF_KIND_STRUCT) : -1;

	if (!data || id < 0)
		return NULL;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), "name") &&
		    m->offset / 8 + CC_NAME_MAX <= size)
			return data + m->offset / 8;
	return NULL;
}

/* The connection's evidence, into details; the verdict when it is not a pass. */
static void verify(struct check_result *res, struct struct_ops_cc_bpf *skel,
		   const struct tcp_lo *lo, const char *name)
{
	const volatile typeof(*skel->bss) *c = skel->bss;

	check_detail_int(res, "init_calls", c->init_calls);
	check_detail_int(res, "cong_avoid_calls", c->cong_avoid_calls);
	check_detail_int(res, "acked_packets", c->acked_packets);
	check_detail_int(res, "ssthresh_calls", c->ssthresh_calls);
	check_detail_int(res, "undo_cwnd_calls", c->undo_calls);
	check_detail_int(res, "client_port", lo->client_port);
	check_detail_int(res, "init_port", c->init_sport);
	check_detail_str(res, "getsockopt_congestion", lo->cc_read);
	if (strcmp(lo->cc_read, name))
		check_set(res, CHECK_FAIL, "the client chose '%s' with setsockopt TCP_CONGESTION; "
			  "getsockopt reads back '%s'", name, lo->cc_read);
	else if (c->init_calls != 1)
		check_set(res, CHECK_FAIL, "'%s' init ran %llu times for one connection", name,
			  (unsigned long long)c->init_calls);
	else if (c->init_sport != lo->client_port || c->init_dport != lo->server_port)
		check_set(res, CHECK_FAIL, "'%s' init ran for a socket %u -> %u, not the client's "
			  "%u -> %u", name, c->init_sport, c->init_dport, lo->client_port,
			  lo->server_port);
	else if (c->acked_packets < NR_CHUNKS)
		check_set(res, CHECK_FAIL, "%d segments sent and acknowledged, '%s' cong_avoid saw "
			  "%llu acknowledged in %llu calls", NR_CHUNKS, name,
			  (unsigned long long)c->acked_packets,
			  (unsigned long long)c->cong_avoid_calls);
	else if (c->cong_avoid_sport != lo->client_port)
		check_set(res, CHECK_FAIL, "'%s' cong_avoid ran for a socket of port %u, not the "
			  "client's %u", name, c->cong_avoid_sport, lo->client_port);
	else if (!counter_wait(&c->release_calls, 1, WAIT_MS))
		check_set(res, CHECK_FAIL, "the client's socket closed, '%s' release did not run "
			  "within %d ms", name, WAIT_MS);
	else
		check_set(res, CHECK_PASS, "congestion control '%s' (BPF struct_ops link) ran "
			  "for a loopback TCP connection: init, cong_avoid %llu times for %llu "
			  "acknowledged segments, release; gone once the link was destroyed", name,
			  (unsigned long long)c->cong_avoid_calls,
			  (unsigned long long)c->acked_packets);
	check_detail_int(res, "release_calls", c->release_calls);
}

static void run_struct_ops(struct check_result *res)
{
	struct struct_ops_cc_bpf *skel;
	struct bpf_link *link = NULL;
	struct tcp_lo lo = TCP_LO_INIT;
	const char *mode = lockdown_mode();
	struct bpf_map *map;
	char name[CC_NAME_MAX], *field;
	int err, listed;

	if (!cap_effective(CAP_NET_ADMIN) || !cap_effective(CAP_SYS_ADMIN)) {
		check_set(res, CHECK_SKIPPED, "missing %s (needed for a private network namespace "
			  "and a congestion control of its own)",
			  cap_name(cap_effective(CAP_NET_ADMIN) ? CAP_SYS_ADMIN : CAP_NET_ADMIN));
		return;
	}
	check_detail_str(res, "lockdown", mode ? mode : "unknown");
	skel = struct_ops_cc_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'struct_ops_cc' BPF object");
		return;
	}
	/* The skeleton may come from a bpftool that knows no .struct_ops.link: by name. */
	map = bpf_object__find_map_by_name(skel->obj, "cc");
	field = map ? cc_name_field(skel->obj, map) : NULL;
	if (!field) {
		check_set(res, CHECK_ERROR, "no struct_ops map 'cc' with a name field in the "
			  "'struct_ops_cc' BPF object");
		goto out;
	}
	/* Its own name: another bpfgauge running at the same time registers another one. */
	snprintf(name, sizeof(name), "bpfgauge%u", (unsigned int)getpid() % 10000000);
	memcpy(field, name, sizeof(name));
	check_detail_str(res, "congestion_control", name);

	err = struct_ops_cc_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load struct_ops 'tcp_congestion_ops'", cc_configs);
		goto out;
	}
	link = bpf_map__attach_struct_ops(map);
	if (!link) {
		check_explain(res, -errno, "attach struct_ops 'tcp_congestion_ops' (link)",
			      cc_configs);
		goto out;
	}
	listed = cc_listed(name);
	if (listed != 1) {
		if (listed < 0)
			check_set_errno(res, CHECK_ERROR, listed, "read '%s'", CC_LIST);
		else
			check_set(res, CHECK_FAIL, "struct_ops link made, '%s' not in %s", name,
				  CC_LIST);
		goto out;
	}
	err = tcp_lo_run(&lo, name, NR_CHUNKS, CHUNK, &skel->bss->cong_avoid_calls, WAIT_MS);
	if (err) {
		/* Only the congestion control's own steps are its failures. */
		check_set_errno(res, lo.cc_step || err == -ETIMEDOUT || err == -EBADMSG ?
				CHECK_FAIL : CHECK_ERROR, err, "%s", lo.failed);
		goto out;
	}
	verify(res, skel, &lo, name);
	bpf_link__destroy(link);
	link = NULL;
	listed = cc_listed(name);
	check_detail_bool(res, "listed_after_detach", listed == 1);
	if (listed == 1 && res->status == CHECK_PASS)
		check_set(res, CHECK_FAIL, "the struct_ops link was destroyed, '%s' is still in %s",
			  name, CC_LIST);
out:
	bpf_link__destroy(link);
	struct_ops_cc_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(struct_ops, "struct_ops", "a TCP congestion control in BPF (struct_ops link) "
		   "runs for a loopback connection that chose it", run_struct_ops,
		   "struct_ops links", 6, 4);
