/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libbpf's log: printed to stderr with -v, otherwise kept quietly so that a check can quote
 * the verifier's or libbpf's last words in its reason.
 */
#ifndef BPFGAUGE_LIBBPF_LOG_H
#define BPFGAUGE_LIBBPF_LOG_H

#include <stdbool.h>
#include <stddef.h>

void libbpf_log_setup(bool verbose);
void libbpf_log_reset(void);
/* The last non-empty line libbpf printed that is not one of libbpf's generic summaries,
 * e.g. the verifier's last line; "" when there is none. */
const char *libbpf_log_last(void);
/* Keeps text as if libbpf had printed it at info level (what the print callback does; tests). */
void libbpf_log_feed(const char *text);
/* Whether any captured line contains the text. */
bool libbpf_log_contains(const char *text);

#endif
