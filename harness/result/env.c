// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "env.h"
#include "libbpf_source.h"
#include "env_parts.h"
#include "lib/kconfig.h"
#include "lib/mounts.h"

#define CLOCKSOURCE "/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define SPECTRE_V2 "/sys/devices/system/cpu/vulnerabilities/spectre_v2"

/* The CONFIG_ options a reader of a BPF result wants to see next to it. */
static const char *const key_configs[] = {
	"CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT", "CONFIG_BPF_JIT_ALWAYS_ON",
	"CONFIG_BPF_UNPRIV_DEFAULT_OFF", "CONFIG_BPF_LSM", "CONFIG_BPF_EVENTS",
	"CONFIG_DEBUG_INFO_BTF", "CONFIG_KPROBES", "CONFIG_KPROBE_EVENTS", "CONFIG_UPROBES",
	"CONFIG_UPROBE_EVENTS", "CONFIG_FPROBE", "CONFIG_FTRACE", "CONFIG_FUNCTION_TRACER",
	"CONFIG_DYNAMIC_FTRACE", "CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS", "CONFIG_FTRACE_SYSCALLS",
	"CONFIG_TRACEPOINTS", "CONFIG_PERF_EVENTS", "CONFIG_CGROUP_BPF", "CONFIG_NET_CLS_BPF",
	"CONFIG_NET_CLS_ACT", "CONFIG_NET_SCH_INGRESS", "CONFIG_VETH", "CONFIG_XDP_SOCKETS",
	"CONFIG_SECURITY_LOCKDOWN_LSM", "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY",
	"CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY", "CONFIG_IKCONFIG_PROC", "CONFIG_HZ",
	"CONFIG_PREEMPT", "CONFIG_PREEMPT_DYNAMIC", "CONFIG_PREEMPT_NONE",
	"CONFIG_PREEMPT_VOLUNTARY", "CONFIG_PREEMPT_LAZY", "CONFIG_PREEMPT_RT", "CONFIG_NUMA",
	"CONFIG_TRANSPARENT_HUGEPAGE",
};

static json_t *kernel_config(void)
{
	json_t *values = json_object();

	for (size_t i = 0; i < sizeof(key_configs) / sizeof(key_configs[0]); i++) {
		const char *v = kconfig_get(key_configs[i]);

		json_object_set_new(values, key_configs[i], v ? json_string(v) : json_null());
	}
	return json_pack("{s:s s:s? s:o}", "source", kconfig_source(),
			 "digest", kconfig_digest()[0] ? kconfig_digest() : NULL,
			 "values", values);
}

json_t *env_collect(void)
{
	struct utsname u;
	struct sysinfo si;
	char when[64], host[256] = "";
	time_t now = time(NULL);
	const char *lockdown = lockdown_mode();

	uname(&u);
	sysinfo(&si);
	gethostname(host, sizeof(host) - 1);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));

	return json_pack("{s:{s:s s:s s:s s:o s:o} s:o s:I s:o s:o s:o s:s? s:o s:o s:s"
			 " s:s s:{s:s s:s} s:s s:s s:o s:o}",
			 "kernel", "release", u.release, "version", u.version,
			 "machine", u.machine, "cmdline", env_file_line("/proc/cmdline"),
			 "preempt", env_preempt(),
			 "cpu", env_cpu(),
			 "memory_bytes", (json_int_t)si.totalram * si.mem_unit,
			 "numa_nodes", env_numa_nodes(),
			 "thp", env_thp(),
			 "virtualization", env_virtualization(),
			 "lockdown", lockdown,
			 "clocksource", env_file_line(CLOCKSOURCE),
			 "spectre_v2", env_file_line(SPECTRE_V2),
			 "libbpf_version", libbpf_version_string(),
			 "libbpf_source", BPFGAUGE_LIBBPF_SOURCE,
			 "bpfgauge", "version", BPFGAUGE_VERSION, "commit", BPFGAUGE_COMMIT,
			 "hostname", host,
			 "time", when,
			 "boot", env_boot(),
			 "kernel_config", kernel_config());
}
