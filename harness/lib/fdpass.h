/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A message and, with it, a file descriptor over an AF_UNIX socket (SCM_RIGHTS): how a
 * process hands an fd to another, for instance across user namespaces.
 *
 *   fd_send(sock, fd, msg, len)    send len bytes of msg, and fd when it is >= 0
 *   fd_recv(sock, &fd, msg, len)   receive one message into msg (exactly len bytes expected)
 *                                  and the fd that came with it (-1 when none did)
 * Both return 0 or a negative errno: -EPIPE when the peer closed its end, -EPROTO for a
 * message of another size.
 */
#ifndef BPFGAUGE_FDPASS_H
#define BPFGAUGE_FDPASS_H

#include <stddef.h>

int fd_send(int sock, int fd, const void *msg, size_t len);
int fd_recv(int sock, int *fd, void *msg, size_t len);

#endif
