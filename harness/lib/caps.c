// SPDX-License-Identifier: GPL-2.0
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"

bool cap_effective(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

const char *cap_name(int cap)
{
	switch (cap) {
	case CAP_BPF: return "CAP_BPF";
	case CAP_PERFMON: return "CAP_PERFMON";
	case CAP_SYS_ADMIN: return "CAP_SYS_ADMIN";
	case CAP_NET_ADMIN: return "CAP_NET_ADMIN";
	default: return "CAP_?";
	}
}

const char *caps_missing_for_bpf(void)
{
	if (cap_effective(CAP_SYS_ADMIN))
		return NULL;
	if (!cap_effective(CAP_BPF))
		return "CAP_BPF";
	if (!cap_effective(CAP_PERFMON))
		return "CAP_PERFMON";
	return NULL;
}
