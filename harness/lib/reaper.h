/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deferred link teardown. Closing a perf-event based link (tracepoint, kprobe, uprobe, USDT)
 * waits for an RCU grace period in the kernel: 40-130 ms each on some kernels, while opening
 * the next one does not wait. A background thread destroys such links so that the next check
 * can start meanwhile.
 *
 *   reaper_defer(link)   hand a link over (NULL is fine); it is detached soon after
 *   reaper_defer_skel(link, s, skel)   the same, then destroys the skeleton it came from
 *                      (a USDT link uses its object's USDT state until it is destroyed)
 *   reaper_drain()       wait until every handed-over link is gone (call before exiting)
 *
 * Until it is destroyed a link's program stays attached; checks arm their programs only
 * around their own trigger, so a lingering one counts nothing.
 */
#ifndef BPFGAUGE_REAPER_H
#define BPFGAUGE_REAPER_H

#include <bpf/libbpf.h>

void reaper_defer(struct bpf_link *link);
void reaper_defer_skel(struct bpf_link *link, struct bpf_object_skeleton *s, void *skel);
void reaper_drain(void);

#endif
