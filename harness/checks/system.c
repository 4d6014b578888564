// SPDX-License-Identifier: GPL-2.0
/* System facts: what the kernel offers BPF before any program is loaded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "check.h"
#include "lib/caps.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/mounts.h"
#include "lib/sysctl.h"

/* An integer sysctl, or -errno. */
static long read_sysctl(const char *name)
{
	long v;
	int err = sysctl_read(name, &v);

	return err ? err : v;
}

static void run_bpf_syscall(struct check_result *res)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bpfgauge_probe", 4, 4, 1, NULL);

	if (fd >= 0) {
		close(fd);
		check_set(res, CHECK_PASS, "bpf(BPF_MAP_CREATE) works");
		return;
	}
	fd = -errno;
	if (fd == -ENOSYS) {
		check_set_errno(res, CHECK_UNSUPPORTED, fd, "bpf(BPF_MAP_CREATE)");
		check_reason_append(res, "CONFIG_BPF_SYSCALL is %s (%s)",
				    kconfig_state("CONFIG_BPF_SYSCALL") == KCONFIG_NOT_SET ?
				    "not set" : "unknown", kconfig_source());
		return;
	}
	check_set_errno(res, CHECK_FAIL, fd, "bpf(BPF_MAP_CREATE)");
}

static void run_jit(struct check_result *res)
{
	long enable = read_sysctl("net/core/bpf_jit_enable");
	long harden = read_sysctl("net/core/bpf_jit_harden");
	long kallsyms = read_sysctl("net/core/bpf_jit_kallsyms");
	const char *always = kconfig_get("CONFIG_BPF_JIT_ALWAYS_ON");

	check_detail_int(res, "bpf_jit_enable", enable);
	check_detail_int(res, "bpf_jit_harden", harden);
	check_detail_int(res, "bpf_jit_kallsyms", kallsyms);
	check_detail_bool(res, "always_on", always != NULL);
	if (enable < 0) {
		check_set_errno(res, CHECK_UNSUPPORTED, enable, "read 'net.core.bpf_jit_enable'");
		check_reason_append(res, "CONFIG_BPF_JIT is %s",
				    kconfig_get("CONFIG_BPF_JIT") ? "set" : "not set");
		return;
	}
	if (enable == 0) {
		check_set(res, CHECK_UNSUPPORTED, "JIT off: net.core.bpf_jit_enable=0 "
			  "(programs run in the interpreter)");
		return;
	}
	check_set(res, CHECK_PASS, "enabled%s%s, harden=%ld, kallsyms=%ld",
		  enable == 2 ? " with debug output" : "", always ? " (always on)" : "",
		  harden, kallsyms);
}

/*
 * Whether an unprivileged user can load a socket filter: sysctl and a real attempt from a
 * child that has dropped to nobody.
 */
static void run_unprivileged_bpf(struct check_result *res)
{
	long sysctl = read_sysctl("kernel/unprivileged_bpf_disabled");
	int status = 0, child_errno;
	pid_t pid;

	check_detail_int(res, "unprivileged_bpf_disabled", sysctl);
	pid = fork();
	if (pid < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "fork()");
		return;
	}
	if (pid == 0) {
		struct bpf_insn prog[] = {
			{ .code = 0xb7, .dst_reg = 0, .imm = 0 },	/* r0 = 0 */
			{ .code = 0x95 },				/* exit */
		};
		int fd;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(200);
		fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", prog, 2, NULL);
		_exit(fd >= 0 ? 0 : (errno & 0x7f));
	}
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 200) {
		check_set(res, CHECK_ERROR, "could not drop to uid 65534 to try an unprivileged load");
		return;
	}
	child_errno = WEXITSTATUS(status);
	check_detail_bool(res, "unprivileged_load_works", child_errno == 0);
	if (child_errno == 0) {
		check_set(res, CHECK_PASS, "uid 65534 loaded a socket filter "
			  "(kernel.unprivileged_bpf_disabled=%ld)", sysctl);
		return;
	}
	check_set(res, CHECK_UNSUPPORTED, "uid 65534: bpf(BPF_PROG_LOAD) failed with %s; "
		  "kernel.unprivileged_bpf_disabled=%ld%s", errno_name(child_errno), sysctl,
		  sysctl == 1 ? " (off until reboot)" : sysctl == 2 ? " (off; root may enable)" : "");
}

static void run_lockdown(struct check_result *res)
{
	const char *mode = lockdown_mode();

	if (!mode) {
		if (kconfig_state("CONFIG_SECURITY_LOCKDOWN_LSM") == KCONFIG_NOT_SET) {
			check_detail_str(res, "mode", "none");
			check_set(res, CHECK_PASS, "no lockdown LSM (CONFIG_SECURITY_LOCKDOWN_LSM "
				  "is not set)");
			return;
		}
		check_set_errno(res, CHECK_ERROR, errno, "read 'securityfs/lockdown'");
		return;
	}
	check_detail_str(res, "mode", mode);
	if (!strcmp(mode, "none"))
		check_set(res, CHECK_PASS, "lockdown=none");
	else if (!strcmp(mode, "integrity"))
		check_set(res, CHECK_UNSUPPORTED, "lockdown=integrity: bpf_probe_write_user and "
			  "kernel writes are refused");
	else
		check_set(res, CHECK_UNSUPPORTED, "lockdown=confidentiality: kprobes, perf, "
			  "tracefs and BPF reads of kernel memory are refused");
}

static void run_capabilities(struct check_result *res)
{
	static const int caps[] = { CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, CAP_NET_ADMIN };
	char missing[128] = "";

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		bool have = cap_effective(caps[i]);

		check_detail_bool(res, cap_name(caps[i]), have);
		if (!have)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s%s", missing[0] ? ", " : "", cap_name(caps[i]));
	}
	if (missing[0])
		check_set(res, CHECK_UNSUPPORTED, "not effective: %s", missing);
	else
		check_set(res, CHECK_PASS, "CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, CAP_NET_ADMIN");
}

static void run_kernel_config(struct check_result *res)
{
	static const char *const opts[] = {
		"CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT", "CONFIG_DEBUG_INFO_BTF",
		"CONFIG_BPF_EVENTS", "CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS", "CONFIG_UPROBES",
		"CONFIG_UPROBE_EVENTS", "CONFIG_FPROBE", "CONFIG_FUNCTION_TRACER",
		"CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", "CONFIG_FTRACE_SYSCALLS",
		"CONFIG_PERF_EVENTS", "CONFIG_CGROUP_BPF", "CONFIG_NET_CLS_BPF",
		"CONFIG_NET_SCH_INGRESS", "CONFIG_VETH", "CONFIG_SECURITY_LOCKDOWN_LSM",
	};
	char unset[256] = "";
	json_t *values;

	if (kconfig_state("CONFIG_BPF") == KCONFIG_UNKNOWN) {
		check_set(res, CHECK_UNSUPPORTED, "%s: neither /proc/config.gz "
			  "(CONFIG_IKCONFIG_PROC) nor /boot/config-$(uname -r) is readable",
			  kconfig_source());
		return;
	}
	values = json_object();
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *v = kconfig_get(opts[i]);

		json_object_set_new(values, opts[i], v ? json_string(v) : json_null());
		if (!v)
			snprintf(unset + strlen(unset), sizeof(unset) - strlen(unset), "%s%s",
				 unset[0] ? " " : "", opts[i] + 7);
	}
	check_detail_str(res, "source", kconfig_source());
	check_detail_str(res, "digest", kconfig_digest());
	check_detail_json(res, "values", values);
	check_set(res, CHECK_PASS, "from %s; not set: %s", kconfig_source(),
		  unset[0] ? unset : "none of interest");
}

static void run_pseudo_fs(struct check_result *res, enum pseudo_fs fs, const char *what)
{
	bool mounted_now;
	const char *path;
	int err = pseudo_fs_ensure(fs, &path, &mounted_now);

	if (err) {
		check_set_errno(res, err == -ENODEV ? CHECK_UNSUPPORTED : CHECK_FAIL, err,
				"mount %s", what);
		return;
	}
	check_detail_str(res, "path", path);
	check_detail_bool(res, "mounted_by_bpfgauge", mounted_now);
	check_set(res, CHECK_PASS, "%s at %s%s", mounted_now ? "mounted" : "mounted already",
		  path, mounted_now ? " (was missing; left mounted)" : "");
}

static void run_tracefs(struct check_result *res)
{
	run_pseudo_fs(res, FS_TRACEFS, "tracefs");
}

static void run_bpffs(struct check_result *res)
{
	run_pseudo_fs(res, FS_BPFFS, "bpffs");
}

DEFINE_CHECK(bpf_syscall, "system", "the bpf(2) syscall creates a map", run_bpf_syscall);
DEFINE_CHECK(jit, "system", "JIT enabled; hardening and kallsyms settings", run_jit);
DEFINE_CHECK(unprivileged_bpf, "system",
	     "an unprivileged user (uid 65534) can load a socket filter", run_unprivileged_bpf);
DEFINE_CHECK(lockdown, "system", "kernel lockdown mode (securityfs)", run_lockdown);
DEFINE_CHECK(capabilities, "system", "CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN, CAP_NET_ADMIN effective",
	     run_capabilities);
DEFINE_CHECK(kernel_config, "system", "kernel build config readable; BPF-relevant CONFIG_ values",
	     run_kernel_config);
DEFINE_CHECK(tracefs, "system", "tracefs mounted (mounted when missing)", run_tracefs);
DEFINE_CHECK(bpffs, "system", "bpffs mounted at /sys/fs/bpf (mounted when missing)", run_bpffs);
