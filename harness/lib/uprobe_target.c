// SPDX-License-Identifier: GPL-2.0
#include <sys/sdt.h>

#include "uprobe_target.h"

/* noipa: no inlining, no constprop/isra clone that callers could be redirected to. */
#if defined(__has_attribute)
#if __has_attribute(noipa)
#define TARGET_ATTR __attribute__((noipa, used))
#endif
#endif
#ifndef TARGET_ATTR
#define TARGET_ATTR __attribute__((noinline, used))
#endif

TARGET_ATTR int bpfgauge_uprobe_target(int x)
{
	/* The compiler may not assume anything about x, so the call cannot be folded away. */
	__asm__ volatile("" : "+r"(x) : : "memory");
	return 3 * x + 7;
}

TARGET_ATTR int uprobe_target_call(int x)
{
	long tag = uprobe_target_tag(x);

	DTRACE_PROBE2(bpfgauge, target_call, x, tag);
	return bpfgauge_uprobe_target(x);
}
