// SPDX-License-Identifier: GPL-2.0
/* Virtualization: the CPUID hypervisor vendor, DMI, and systemd-detect-virt when installed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "env.h"
#include "env_parts.h"
#include "lib/spawn.h"

/* systemd-detect-virt answers at once; a hung one is not waited for longer than this. */
#define DETECT_VIRT_TIMEOUT_S 2.0

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

/*
 * Its one line: "kvm", "docker", "none" (it exits 1 then, with that answer) ... null when it
 * is not installed, timed out, died or printed nothing. Without an option a container hides
 * the VM it runs in (a Firecracker VM with /.dockerenv: "docker"; with --vm: "kvm").
 */
static json_t *systemd_detect_virt(const char *option)
{
	char *const argv[] = { "systemd-detect-virt", (char *)option, NULL };
	struct spawn s = { .argv = argv, .out_fd = -1, .err_fd = -1,
			   .timeout_s = DETECT_VIRT_TIMEOUT_S };
	json_t *answer = json_null();
	char *text = NULL;
	int err;

	if (!program_installed("systemd-detect-virt"))
		return answer;
	err = spawn_capture(&s, &text, NULL);
	if (err && !(err == -ECHILD && WIFEXITED(s.status) && WEXITSTATUS(s.status) == 1))
		goto out;
	if (text) {
		text[strcspn(text, "\n")] = '\0';
		if (text[0]) {
			json_decref(answer);
			answer = json_string(text);
		}
	}
out:
	free(text);
	return answer;
}

json_t *env_virtualization(void)
{
	char vendor[16];

	env_hypervisor_vendor(vendor, sizeof(vendor));
	return json_pack("{s:b s:s? s:o s:o s:o s:o}",
			 "hypervisor", vendor[0] != '\0',
			 "cpuid_vendor", vendor[0] ? vendor : NULL,
			 "dmi_sys_vendor", env_file_line("/sys/class/dmi/id/sys_vendor"),
			 "dmi_product_name", env_file_line("/sys/class/dmi/id/product_name"),
			 "systemd_detect_virt", systemd_detect_virt(NULL),
			 "systemd_detect_virt_vm", systemd_detect_virt("--vm"));
}
