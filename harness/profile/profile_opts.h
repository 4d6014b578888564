/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge profile's command line: its help and its options.
 *
 *   profile_parse_opts(argc, argv, &o)   -1 when the profile should run, else the exit code
 *                                        (0 after --help, 2 bad usage with one line said)
 */
#ifndef BPFGAUGE_PROFILE_OPTS_H
#define BPFGAUGE_PROFILE_OPTS_H

#include <stdbool.h>

#include "profile_session.h"

#define PROFILE_DEFAULT_HZ 999

struct profile_opts {
	struct profile_config cfg;
	double duration;
	const char *svg, *folded;
	char **command;
	bool detach;		/* leave the command's tree running at the end */
	bool json;		/* every frame's share on stdout */
};

int profile_parse_opts(int argc, char **argv, struct profile_opts *o);

#endif
