// SPDX-License-Identifier: GPL-2.0
/*
 * The network checks of newer kernels against evidence the test gathers itself: iproute2 makes
 * a netkit pair, or a veth pair at MTU 9000 and attaches the check's own XDP object to it with
 * and without fragments, in a namespace of its own (test_network.c has the older checks); the
 * kernel config is read with zcat/grep, the page size with getconf; lengths and counts are the
 * ones the test computes from what the check says it sent. Nothing may be left behind. And in a
 * guest (vmtest) of a 7.x kernel both pass, with veth loaded as a module. (test_vmtest_guest.c:
 * xdp_frags without the veth module, netkit in the 6.1 guest.)
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "integration.h"
#include "net_tests.h"
#include "support.h"
#include "vmtest_run.h"

#define MODERN_CHECKS "xdp_frags,netkit"
#define MODERN_PROGS "name (net_xdp_frags|net_xdp_linear|net_netkit_prim) "

/* The config's own line for an option ("CONFIG_X=y", "# CONFIG_X is not set", ""), malloc'd. */
static char *config_line(const char *name)
{
	char cmd[256], *out;

	snprintf(cmd, sizeof(cmd), "{ zcat /proc/config.gz 2>/dev/null || "
		 "cat /boot/config-$(uname -r) 2>/dev/null; } | grep -E '^(# )?%s[= ]'", name);
	out = sh(cmd, NULL);
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/*
 * netkit (6.7): iproute2 asks for a netkit pair the way the check does (IFLA_INFO_KIND
 * "netkit"; iproute2 6.1 knows no netkit options, the defaults do). Where the kernel makes one,
 * the check passes with counts that add up to what it sent; where it says "Unknown device type",
 * the check is unsupported, naming CONFIG_NETKIT when that is not set.
 */
Test(network_modern, netkit_matches_evidence)
{
	char *out, *cfg;
	json_t *doc;
	int st;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("netkit");
	cr_assert_str_eq(probe_detail_str(doc, "netkit", "arrived_in"), "6.7");
	st = net_in_private_netns("ip link add bgt0 type netkit", &out);
	cfg = config_line("CONFIG_NETKIT");
	if (st == 0) {
		long long sent, dropped;

		cr_assert_str_eq(probe_status(doc, "netkit"), "pass", "ip made a netkit pair, yet: "
				 "%s", probe_reason(doc, "netkit"));
		cr_assert_str_eq(probe_detail_str(doc, "netkit", "primary"), "bpfgauge-b");
		sent = probe_detail_int(doc, "netkit", "sent");
		dropped = probe_detail_int(doc, "netkit", "dropped");
		cr_assert_gt(dropped, 0);
		cr_assert_lt(dropped, sent);
		cr_assert_eq(probe_detail_int(doc, "netkit", "counted"), sent);
		cr_assert_eq(probe_detail_int(doc, "netkit", "received_pass"), sent - dropped);
		cr_assert_eq(probe_detail_int(doc, "netkit", "received_drop"), 0);
		cr_assert_eq(probe_detail_int(doc, "netkit", "received_back"),
			     probe_detail_int(doc, "netkit", "sent_back"));
	} else {
		cr_assert_str_neq(probe_status(doc, "netkit"), "pass",
				  "passed although ip cannot make a netkit pair: %s", out);
		if (strstr(out, "Unknown device type"))
			cr_assert(strstr(probe_reason(doc, "netkit"), "Unknown device type") &&
				  strstr(probe_reason(doc, "netkit"), "EOPNOTSUPP"),
				  "ip said '%s'; reason: %s", out, probe_reason(doc, "netkit"));
		if (evidence_config("CONFIG_NETKIT") == 0) {
			cr_assert_str_eq(probe_status(doc, "netkit"), "unsupported");
			cr_assert(strstr(probe_reason(doc, "netkit"), "CONFIG_NETKIT is not set"),
				  "config: '%s'; reason: %s", cfg, probe_reason(doc, "netkit"));
			cr_assert_str_eq(probe_detail_str(doc, "netkit", "missing_config"),
					 "CONFIG_NETKIT");
		} else if (!evidence_kernel_at_least(6, 7)) {
			cr_assert(strstr(probe_reason(doc, "netkit"), "< 6.7 where netkit arrived"),
				  "reason: %s", probe_reason(doc, "netkit"));
		}
	}
	free(cfg);
	free(out);
	json_decref(doc);
}

/* iproute2 attaches a section of the check's object in driver mode to a veth pair at MTU 9000. */
static int attach_at_9000(const char *sec, char **out)
{
	char script[512];

	snprintf(script, sizeof(script), "ip link add bgt0 mtu 9000 type veth peer name bgt1 "
		 "mtu 9000 && ip link set bgt0 up && ip link set bgt1 up && "
		 "ip link set dev bgt1 xdpdrv obj build/xdp_frags.bpf.o sec %s", sec);
	return net_in_private_netns(script, out);
}

/*
 * A pass: the program saw what the check says it sent, whole, and every datagram arrived; page
 * is the size of the pages where the check ran.
 */
static void assert_frags_seen_in(json_t *doc, long long page)
{
	long long big, small, big_len, small_len;

	big = probe_detail_int(doc, "xdp_frags", "big_sent");
	small = probe_detail_int(doc, "xdp_frags", "small_sent");
	big_len = probe_detail_int(doc, "xdp_frags", "big_frame_len");
	small_len = probe_detail_int(doc, "xdp_frags", "small_frame_len");
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "mtu"), 9000);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "page_size"), page);
	cr_assert_gt(big_len, page, "frames of %lld bytes are no bigger than a page", big_len);
	cr_assert_leq(big_len, 9000 + 14);
	cr_assert_leq(small_len, page);
	cr_assert_gt(big, 0);
	cr_assert_gt(small, 0);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "big_counted"), big);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "small_counted"), small);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "big_len_sum"), big * big_len);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "small_len_sum"), small * small_len);
	/* Fragments: no frame over a page had it all in its linear part. */
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "big_split"), big);
	cr_assert_lt(probe_detail_int(doc, "xdp_frags", "linear_max"), big_len);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "tails_read"), big + small);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "big_received"), big);
	cr_assert_eq(probe_detail_int(doc, "xdp_frags", "small_received"), small);
}

/*
 * xdp_frags (5.18): where iproute2 attaches the object's xdp.frags program in driver mode at MTU
 * 9000, the check passes, with the lengths it sent seen whole; where veth refuses the program
 * without fragments ("Peer MTU is too large"), the check recorded the same refusal (ERANGE).
 */
Test(network_modern, xdp_frags_matches_evidence)
{
	char *frags_out, *linear_out;
	int frags_st, linear_st;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("xdp_frags");
	cr_assert_str_eq(probe_detail_str(doc, "xdp_frags", "arrived_in"), "5.18");
	if (!net_evidence_veth()) {
		net_assert_no_veth_explained(doc, "xdp_frags");
		json_decref(doc);
		return;
	}
	frags_st = attach_at_9000("xdp.frags", &frags_out);
	linear_st = attach_at_9000("xdp", &linear_out);
	if (frags_st == 0) {
		cr_assert_str_eq(probe_status(doc, "xdp_frags"), "pass", "ip attached xdp.frags, "
				 "yet: %s", probe_reason(doc, "xdp_frags"));
		char *page = sh("getconf PAGESIZE", NULL);

		assert_frags_seen_in(doc, atoll(page));
		free(page);
	} else if (strstr(frags_out, "Operation not supported")) {
		cr_assert_str_eq(probe_status(doc, "xdp_frags"), "skipped", "ip said: %s",
				 frags_out);
	} else if (strstr(frags_out, "Peer MTU is too large")) {
		cr_assert_str_eq(probe_status(doc, "xdp_frags"), "unsupported", "ip said: %s",
				 frags_out);
		cr_assert(strstr(probe_reason(doc, "xdp_frags"), "ERANGE"), "reason: %s",
			  probe_reason(doc, "xdp_frags"));
	} else {
		cr_assert_str_neq(probe_status(doc, "xdp_frags"), "pass", "ip said: %s",
				  frags_out);
	}
	if (linear_st != 0 && strstr(linear_out, "Peer MTU is too large"))
		cr_assert_str_eq(probe_detail_str(doc, "xdp_frags", "without_frags"), "ERANGE");
	else if (linear_st == 0)
		cr_assert_str_eq(probe_detail_str(doc, "xdp_frags", "without_frags"), "attached");
	free(frags_out);
	free(linear_out);
	json_decref(doc);
}

Test(network_modern, nothing_left_after_a_run)
{
	char *before;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	before = net_named_netns();
	doc = net_probe(MODERN_CHECKS);
	net_assert_nothing_left(before, MODERN_PROGS, "after a run");
	free(before);
	json_decref(doc);
}

/* Killed at some point of these checks, a run leaves no namespace, device or program. */
Test(network_modern, nothing_left_after_a_kill)
{
	static const int delays_ms[] = { 1, 3, 6, 10, 20 };
	char *before, when[64];

	if (!evidence_root())
		cr_skip_test("needs root");
	before = net_named_netns();
	for (size_t i = 0; i < sizeof(delays_ms) / sizeof(delays_ms[0]); i++) {
		struct timespec ts = { .tv_nsec = delays_ms[i] * 1000L * 1000 };
		pid_t pid = net_spawn_probe(MODERN_CHECKS);

		cr_assert_gt(pid, 0);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(when, sizeof(when), "after a kill at %d ms", delays_ms[i]);
		net_assert_nothing_left(before, MODERN_PROGS, when);
	}
	free(before);
}

/* Runs bpfgauge vmtest on 'kernel' with a suite of these checks; the guest's result. */
static json_t *vmtest_checks(const char *kernel, const char *checks)
{
	char suite[256], args[PATH_MAX * 3], *out;
	int st;

	snprintf(suite, sizeof(suite), "[suite]\n[checks]\nrun = %s\n", checks);
	test_file_write(vmtest_dir, "modern.suite", suite);
	snprintf(args, sizeof(args), "--kernel %s --cpus 1 --timeout 300 --suite %s/modern.suite "
		 "-o %s/modern.json", kernel, vmtest_dir, vmtest_dir);
	st = vmtest_guest(args, &out);
	cr_assert(st == 0 || st == 1, "vmtest exited %d:\n%s", st, out);
	free(out);
	return test_json_load(vmtest_dir, "modern.json");
}

/* Whether the guest loaded module 'name' (environment.guest.modules). */
static bool guest_loaded(json_t *doc, const char *name)
{
	json_t *mods = json_object_get(json_object_get(json_object_get(doc, "environment"),
						       "guest"), "modules"), *m;
	size_t i;

	json_array_foreach(mods, i, m)
		if (!strcmp(json_string_value(m), name))
			return true;
	return false;
}

/*
 * The newest 7.x kernel of build/kernels (trixie-backports' when none is there yet, fetched as
 * vmtest does): netkit is built in there (CONFIG_NETKIT=y, modules.builtin) and veth a module
 * the guest loads, for xdp_frags; both pass, with what they sent seen and delivered.
 */
Test(vmtest, netkit_and_xdp_frags_pass_in_a_7x_guest, .timeout = 900)
{
	char *img = sh("ls build/kernels/linux-image-7.*/boot/vmlinuz-* 2>/dev/null | sort -V | "
		       "tail -1", NULL), cmd[PATH_MAX], *cfg;
	const char *release;
	json_t *doc;

	img[strcspn(img, "\n")] = '\0';
	doc = vmtest_checks(img[0] ? img : "debian:trixie-backports", MODERN_CHECKS);
	release = json_string_value(json_object_get(json_object_get(json_object_get(doc,
				    "environment"), "kernel"), "release"));
	cr_assert_not_null(release);
	snprintf(cmd, sizeof(cmd), "grep -hE '^CONFIG_(NETKIT|VETH)=' "
		 "build/kernels/linux-image-%s/boot/config-%s | sort | tr '\\n' ' '", release,
		 release);
	cfg = sh(cmd, NULL);
	if (strstr(cfg, "CONFIG_NETKIT=y")) {
		cr_assert_str_eq(probe_status(doc, "netkit"), "pass", "%s", probe_reason(doc,
				 "netkit"));
		cr_assert_eq(probe_detail_int(doc, "netkit", "counted"),
			     probe_detail_int(doc, "netkit", "sent"));
		cr_assert_eq(probe_detail_int(doc, "netkit", "received_drop"), 0);
		cr_assert_eq(probe_detail_int(doc, "netkit", "received_back"),
			     probe_detail_int(doc, "netkit", "sent_back"));
	} else {
		cr_assert_str_neq(probe_status(doc, "netkit"), "pass", "config: %s", cfg);
	}
	if (strstr(cfg, "CONFIG_VETH=m"))
		cr_assert(guest_loaded(doc, "veth"), "CONFIG_VETH=m, yet the guest did not load "
			  "veth (harness/checks/modules.c)");
	cr_assert_str_eq(probe_status(doc, "xdp_frags"), "pass", "%s", probe_reason(doc,
			 "xdp_frags"));
	/* vmtest boots x86 kernels: pages of 4 KiB. */
	assert_frags_seen_in(doc, 4096);
	free(cfg);
	free(img);
	json_decref(doc);
	assert_nothing_left();
}
