// SPDX-License-Identifier: GPL-2.0
/* What the tests of the network checks share (net_tests.h). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "net_tests.h"
#include "support.h"

int net_in_private_netns(const char *script, char **out)
{
	char cmd[2048];
	int st;

	snprintf(cmd, sizeof(cmd), "unshare -n sh -c '%s' 2>&1", script);
	*out = sh(cmd, &st);
	return st;
}

bool net_evidence_veth(void)
{
	char *out;
	int st = net_in_private_netns("ip link add bgt0 type veth peer name bgt1", &out);

	free(out);
	return st == 0;
}

json_t *net_probe(const char *only)
{
	char args[256];
	json_t *doc;
	int code;

	snprintf(args, sizeof(args), "--only %s", only);
	doc = probe_json(args, &code);
	cr_assert_not_null(doc, "bpfgauge probe %s printed no JSON", args);
	return doc;
}

const char *net_detail_str(json_t *doc, const char *check, const char *key)
{
	json_t *details = json_object_get(probe_find(doc, check), "details");

	return json_string_value(json_object_get(details, key));
}

void net_assert_no_veth_explained(json_t *doc, const char *check)
{
	cr_assert_str_neq(probe_status(doc, check), "pass",
			  "%s passed although iproute2 cannot create a veth pair", check);
	if (evidence_config("CONFIG_VETH") == 0) {
		cr_assert_str_eq(probe_status(doc, check), "unsupported");
		cr_assert(strstr(probe_reason(doc, check), "CONFIG_VETH"), "reason: %s",
			  probe_reason(doc, check));
	}
}

char *net_named_netns(void)
{
	return sh("ip netns list", NULL);
}

static int root_devices(void)
{
	char *out = sh("ip -o link show | grep -c 'bpfgauge-'", NULL);
	int n = atoi(out);

	free(out);
	return n;
}

/* How many programs match, after waiting up to 2 s for them to go. */
static int progs_left(const char *progs)
{
	struct timespec nap = { .tv_nsec = 20 * 1000 * 1000 };
	char cmd[512];
	int left = 0;

	/* The kernel frees a deleted cls_bpf filter's program after an RCU grace period. */
	snprintf(cmd, sizeof(cmd), "bpftool prog show | grep -cE '%s'", progs);
	for (int i = 0; i < 100; i++) {
		char *out = sh(cmd, NULL);

		left = atoi(out);
		free(out);
		if (!left)
			break;
		nanosleep(&nap, NULL);
	}
	return left;
}

void net_assert_nothing_left(const char *named_before, const char *progs, const char *when)
{
	char *after = net_named_netns();

	cr_assert_str_eq(after, named_before, "named namespaces changed %s:\n%s\nwas:\n%s", when,
			 after, named_before);
	free(after);
	cr_assert_eq(root_devices(), 0, "a bpfgauge device is in the root namespace %s", when);
	cr_assert_eq(progs_left(progs), 0, "the checks' programs are still loaded %s", when);
}

pid_t net_spawn_probe(const char *only)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execl(bpfgauge_bin(), bpfgauge_bin(), "probe", "--only", only, (char *)NULL);
		_exit(127);
	}
	return pid;
}
