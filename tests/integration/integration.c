// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bench/benchmark.h"
#include "integration.h"
#include "support.h"

const char *bpfgauge_bin(void)
{
	const char *bin = getenv("BPFGAUGE_BIN");

	return bin ? bin : "build/bpfgauge";
}

json_t *bpfgauge_json(const char *args, int *exit_code)
{
	char cmd[1024];
	char *out;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", bpfgauge_bin(), args);
	out = sh(cmd, exit_code);
	doc = json_loads(out, 0, NULL);
	free(out);
	return doc;
}

json_t *bpfgauge_json_ok(const char *args)
{
	char cmd[2048], *out;
	json_t *doc;
	int code;

	snprintf(cmd, sizeof(cmd), "%s %s", bpfgauge_bin(), args);
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "bpfgauge %s: exit %d: %s", args, code, out);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	return doc;
}

json_t *probe_json(const char *args, int *exit_code)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "probe --json %s", args);
	return bpfgauge_json(cmd, exit_code);
}

json_t *probe_find(json_t *doc, const char *name)
{
	return named(json_object_get(doc, "checks"), name);
}

const char *probe_status(json_t *doc, const char *name)
{
	const char *s = json_string_value(json_object_get(probe_find(doc, name), "status"));

	return s ? s : "(missing)";
}

const char *probe_reason(json_t *doc, const char *name)
{
	const char *s = json_string_value(json_object_get(probe_find(doc, name), "reason"));

	return s ? s : "(missing)";
}

static json_t *probe_detail(json_t *doc, const char *check, const char *key)
{
	return json_object_get(json_object_get(probe_find(doc, check), "details"), key);
}

long long probe_detail_int(json_t *doc, const char *check, const char *key)
{
	json_t *v = probe_detail(doc, check, key);

	cr_assert(json_is_integer(v), "%s: no integer detail '%s'", check, key);
	return json_integer_value(v);
}

const char *probe_detail_str(json_t *doc, const char *check, const char *key)
{
	json_t *v = probe_detail(doc, check, key);

	cr_assert(json_is_string(v), "%s: no string detail '%s'", check, key);
	return json_string_value(v);
}

int evidence_config(const char *name)
{
	char cmd[512], *out;
	int st, ret;

	snprintf(cmd, sizeof(cmd),
		 "{ zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null; }"
		 " | grep -E '^(# )?%s[= ]'", name);
	out = sh(cmd, &st);
	if (!out[0]) {
		/* Absent from a readable config means not set; no config at all means unknown. */
		free(out);
		out = sh("{ zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r)"
			 " 2>/dev/null; } | head -c 1", &st);
		ret = out[0] ? 0 : -1;
	} else {
		ret = !strncmp(out, "CONFIG_", 7) ? 1 : 0;
	}
	free(out);
	return ret;
}

int evidence_btf_lines(const char *re)
{
	char cmd[512], *out;
	int n;

	snprintf(cmd, sizeof(cmd), "bpftool btf dump file /sys/kernel/btf/vmlinux | "
		 "grep -cE \"%s\"", re);
	out = sh(cmd, NULL);
	n = atoi(out);
	free(out);
	return n;
}

long long evidence_btf_enum(const char *name)
{
	char cmd[512], *out;
	long long val;

	snprintf(cmd, sizeof(cmd), "bpftool btf dump file /sys/kernel/btf/vmlinux | "
		 "sed -n \"s/^[[:space:]]*'%s' val=\\(-\\?[0-9]*\\)$/\\1/p\" | head -1", name);
	out = sh(cmd, NULL);
	val = out[0] ? atoll(out) : -1;
	free(out);
	return val;
}

bool evidence_kernel_at_least(int major, int minor)
{
	char *out = sh("uname -r", NULL);
	int kmajor = 0, kminor = 0;

	cr_assert_eq(sscanf(out, "%d.%d", &kmajor, &kminor), 2, "uname -r: '%s'", out);
	free(out);
	return kmajor > major || (kmajor == major && kminor >= minor);
}

bool evidence_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

const char *evidence_lockdown(void)
{
	static char mode[32];
	char *out;

	out = sh("mountpoint -q /sys/kernel/security || mount -t securityfs securityfs "
		 "/sys/kernel/security; sed -n 's/.*\\[\\(.*\\)\\].*/\\1/p' "
		 "/sys/kernel/security/lockdown 2>/dev/null", NULL);
	out[strcspn(out, "\n")] = '\0';
	snprintf(mode, sizeof(mode), "%s", out[0] ? out : "none");
	free(out);
	return mode;
}

bool evidence_root(void)
{
	return geteuid() == 0;
}

bool evidence_chroot(void)
{
	char *out = sh("findmnt -n --mountpoint / >/dev/null || echo chroot", NULL);
	bool chrooted = !strncmp(out, "chroot", 6);

	free(out);
	return chrooted;
}

void bench_run_ok(const char *name, struct bench_params *p, struct metric_set *set)
{
	struct bench_ctx c = { .metrics = set };
	const struct benchmark *b = benchmark_find(name);
	int err;

	cr_assert_not_null(b, "no benchmark '%s'", name);
	err = b->run(p, &c);
	cr_assert_eq(err, 0, "run '%s': %s", name, strerror(-err));
}

/* "name+0x1f (file)" -> name and offset; false for unnamed frames ("0x...", "?+..."). */
bool test_frame_parse(const char *frame, char *name, size_t sz, unsigned long *off)
{
	size_t n = strcspn(frame, "+ ");

	if (!n || n >= sz || !strncmp(frame, "0x", 2) || frame[0] == '?' || frame[n] != '+')
		return false;
	memcpy(name, frame, n);
	name[n] = '\0';
	*off = strtoul(frame + n + 1, NULL, 16);
	return true;
}

/* A user frame of the binary lies inside its function, by nm's address and size. */
void test_assert_user_frame(const char *frame)
{
	char name[256], cmd[512], *out;
	unsigned long off, size;

	cr_assert(test_frame_parse(frame, name, sizeof(name), &off), "frame '%s'", frame);
	snprintf(cmd, sizeof(cmd), "nm -S --defined-only %s | awk '$3 ~ /^[tT]$/ && "
		 "$4 == \"%s\" {print $2; exit}'", bpfgauge_bin(), name);
	out = sh(cmd, NULL);
	cr_assert(out[0], "user frame '%s' is no function of %s", frame, bpfgauge_bin());
	size = strtoul(out, NULL, 16);
	cr_assert_lt(off, size, "user frame '%s' lies past its function (size 0x%lx)", frame,
		     size);
	free(out);
}

static char *cost_state_before;

/* What must be as it was: programs loaded, cgroups of ours, stats switch, tracer processes. */
static char *cost_state_now(void)
{
	return sh("bpftool prog show 2>/dev/null | grep -c '^[0-9]*:'; "
		  "ls /sys/fs/cgroup | grep -c -- '-cost-[0-9]*$';"
		  " cat /proc/sys/kernel/bpf_stats_enabled; "
		  "pgrep -c -f 'cost-test-tracer' || true",
		  NULL);
}

void cost_state_save(void)
{
	cost_state_before = cost_state_now();
}

/* The kernel frees a closed program after a grace period: given up to 5 s to be so. */
void cost_state_check(void)
{
	char *now = cost_state_now();

	for (int i = 0; i < 50 && strcmp(now, cost_state_before); i++) {
		nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
		free(now);
		now = cost_state_now();
	}
	cr_expect_str_eq(now, cost_state_before,
			 "left behind (programs, cgroups, stats switch, "
			 "tracers):\nbefore\n%safter\n%s",
			 cost_state_before, now);
	free(now);
	free(cost_state_before);
}

/*
 * What a run may leave: programs and links that no process holds any more (a live process's
 * own are in its fdinfo: other processes on a shared machine are not our leftovers), named
 * namespaces, links in this namespace, bpfgauge cgroups.
 */
char *machine_state(void)
{
	return sh("held=$(cat /proc/[0-9]*/fdinfo/* 2>/dev/null | "
		  "  sed -n 's/^\\(prog_id\\|link_id\\):[[:space:]]*\\([0-9]*\\)/\\1 \\2/p' | sort -u);"
		  "bpftool prog show 2>/dev/null | sed -n 's/^\\([0-9]*\\):.*/\\1/p' | while read id; do"
		  "  echo \"$held\" | grep -qx \"prog_id $id\" || echo \"prog $id\"; done;"
		  "bpftool link show 2>/dev/null | sed -n 's/^\\([0-9]*\\):.*/\\1/p' | while read id; do"
		  "  echo \"$held\" | grep -qx \"link_id $id\" || echo \"link $id\"; done;"
		  "ip netns list 2>/dev/null;"
		  "ip -o link show 2>/dev/null | awk '{print $2}';"
		  "ls -d $(findmnt -n -t cgroup2 -o TARGET | head -1)/bpfgauge-* 2>/dev/null", NULL);
}

/* Lines of 'after' that are not in 'before'. */
static char *new_lines(const char *before, const char *after)
{
	char *copy = strdup(after), *added = calloc(1, strlen(after) + 1), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *hit = strstr(before, l);
		size_t len = strlen(l);

		/* Whole lines only: "prog 85" must not match "prog 856". */
		while (hit && !((hit == before || hit[-1] == '\n') &&
				(hit[len] == '\n' || !hit[len])))
			hit = strstr(hit + 1, l);
		if (!hit)
			strcat(strcat(added, l), "\n");
	}
	free(copy);
	return added;
}

/*
 * Asserts that nothing the run created is still there. Other processes on a shared machine
 * may load programs of their own meanwhile: only what stays for a second counts as left over.
 */
void assert_left_nothing(const char *before)
{
	char *after = NULL, *added = NULL;

	for (int i = 0; i < 20; i++) {
		free(after);
		free(added);
		after = machine_state();
		added = new_lines(before, after);
		if (!added[0])
			break;
		usleep(50 * 1000);
	}
	cr_assert_str_empty(added, "left behind:\n%s", added);
	free(after);
	free(added);
}

void wait_catches(pid_t pid, int sig)
{
	unsigned long long caught = 0, bit = 1ULL << (sig - 1);
	char path[64], line[256];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");

		while (f && fgets(line, sizeof(line), f))
			sscanf(line, "SigCgt: %llx", &caught);
		if (f)
			fclose(f);
		if (caught & bit)
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	cr_assert_fail("process %d never caught signal %d", (int)pid, sig);
}
