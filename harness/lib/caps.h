/* SPDX-License-Identifier: GPL-2.0 */
/* Effective capabilities of this process, read with capget(2) (no libcap needed). */
#ifndef BPFGAUGE_CAPS_H
#define BPFGAUGE_CAPS_H

#include <stdbool.h>
#include <linux/capability.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

bool cap_effective(int cap);
const char *cap_name(int cap);
/* NULL when this process may load and attach tracing BPF, else the capability it lacks. */
const char *caps_missing_for_bpf(void);

#endif
