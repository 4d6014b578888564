/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flame graph as one self-contained SVG file (no script, no external resources), drawn from
 * folded stacks: the root 'all' at the bottom, callees above their callers, frames of a level
 * in name order, each frame's width proportional to its count. Every frame is one
 * <g class="f"><title>NAME (COUNT UNIT, P%)</title><rect/><text/></g> (with sampled counts
 * "NAME (COUNT samples, P%, 95%: LO-HI%)", profile_share.h); the text label is left
 * out when the frame is too narrow for three characters and cut with ".." when it does not fit.
 *
 *   flamegraph_svg(f, &opts, &sb)   0, or -ENOMEM
 */
#ifndef BPFGAUGE_FLAMEGRAPH_H
#define BPFGAUGE_FLAMEGRAPH_H

#include <stdbool.h>

#include "folded.h"
#include "lib/strbuf.h"

struct flamegraph_opts {
	const char *title;	/* "CPU profile" */
	const char *subtitle;	/* one line under the title; may be NULL */
	const char *unit;	/* what counts count: "samples", "us" */
	bool cool;		/* blue-green palette (off-CPU); else warm (CPU) */
	bool sampled;		/* counts are samples: titles give the share's 95% interval */
	int width;		/* pixels; 0: 1200 */
};

int flamegraph_svg(const struct folded *f, const struct flamegraph_opts *o, struct strbuf *sb);

#endif
