/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by bpf/token_xdp.bpf.c and the token check: the queue's size, one value per run. */
#ifndef BPFGAUGE_TOKEN_XDP_H
#define BPFGAUGE_TOKEN_XDP_H

#define TOKEN_VALUES_MAX 16

#endif
