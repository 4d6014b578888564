/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monotonic clock in seconds, and a sleep in milliseconds.
 *
 *   clock_now_s()       CLOCK_MONOTONIC, in seconds
 *   clock_sleep_ms(ms)  nanosleep for ms milliseconds (a signal may end it early)
 */
#ifndef BPFGAUGE_CLOCK_H
#define BPFGAUGE_CLOCK_H

double clock_now_s(void);
void clock_sleep_ms(long ms);

#endif
