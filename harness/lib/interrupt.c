// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <string.h>

#include "interrupt.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void interrupt_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A peer that goes away must not kill us half-way through a cleanup. */
	signal(SIGPIPE, SIG_IGN);
}

bool interrupted(void)
{
	return stop;
}
