// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "env.h"
#include "kconfig.h"
#include "mounts.h"

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
	"CONFIG_PREEMPT", "CONFIG_PREEMPT_DYNAMIC",
};

/* First line of a file, without its newline; NULL when unreadable. */
static json_t *json_file_line(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return json_null();
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return json_null();
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return json_string(buf);
}

static json_t *cpu_model(void)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	json_t *model = NULL;

	if (!f)
		return json_null();
	while (!model && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			model = json_string(colon);
		}
	}
	fclose(f);
	return model ? model : json_null();
}

void env_hypervisor_vendor(char *buf, size_t sz)
{
	buf[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;
	char vendor[13];

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	vendor[12] = '\0';
	snprintf(buf, sz, "%s", vendor);
#endif
}

static json_t *virtualization(void)
{
	char vendor[16];

	env_hypervisor_vendor(vendor, sizeof(vendor));
	return json_pack("{s:b s:s? s:o s:o}",
			 "hypervisor", vendor[0] != '\0',
			 "cpuid_vendor", vendor[0] ? vendor : NULL,
			 "dmi_sys_vendor", json_file_line("/sys/class/dmi/id/sys_vendor"),
			 "dmi_product_name", json_file_line("/sys/class/dmi/id/product_name"));
}

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

	return json_pack("{s:{s:s s:s s:s s:o} s:{s:o s:i} s:I s:o s:s? s:o s:o s:s"
			 " s:{s:s s:s} s:s s:s s:o}",
			 "kernel", "release", u.release, "version", u.version,
			 "machine", u.machine, "cmdline", json_file_line("/proc/cmdline"),
			 "cpu", "model", cpu_model(), "count", (int)sysconf(_SC_NPROCESSORS_ONLN),
			 "memory_bytes", (json_int_t)si.totalram * si.mem_unit,
			 "virtualization", virtualization(),
			 "lockdown", lockdown,
			 "clocksource",
			 json_file_line("/sys/devices/system/clocksource/clocksource0/current_clocksource"),
			 "spectre_v2",
			 json_file_line("/sys/devices/system/cpu/vulnerabilities/spectre_v2"),
			 "libbpf_version", libbpf_version_string(),
			 "bpfgauge", "version", BPFGAUGE_VERSION, "commit", BPFGAUGE_COMMIT,
			 "hostname", host,
			 "time", when,
			 "kernel_config", kernel_config());
}
