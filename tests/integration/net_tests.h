/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of the network checks share (test_network.c, test_network_modern.c): evidence
 * gathered with iproute2 in a namespace of the test's own, and what a run may not leave behind.
 *
 *   net_in_private_netns(script, &out)   runs a shell script in a new network namespace
 *                                        (unshare -n, gone when the shell exits): its status
 *   net_evidence_veth()                  whether iproute2 can create a veth pair there
 *   net_probe(only)                      'bpfgauge probe --json --only ONLY' (asserted to print)
 *   net_detail_str(doc, check, key)      a string detail, or NULL
 *   net_assert_no_veth_explained(doc, check)   without veth, the check does not pass and names
 *                                        CONFIG_VETH when that is not set
 *   net_named_netns()                    'ip netns list' (malloc'd)
 *   net_assert_nothing_left(named_before, progs, when)   the named namespaces as before, no
 *                                        bpfgauge device in the root namespace, no program
 *                                        whose 'bpftool prog show' line matches the ERE progs
 *                                        (after up to 2 s for the kernel to free them)
 *   net_spawn_probe(only)                a 'bpfgauge probe --only ONLY' in the background
 */
#ifndef BPFGAUGE_TEST_NET_TESTS_H
#define BPFGAUGE_TEST_NET_TESTS_H

#include <stdbool.h>
#include <sys/types.h>
#include <jansson.h>

int net_in_private_netns(const char *script, char **out);
bool net_evidence_veth(void);
json_t *net_probe(const char *only);
const char *net_detail_str(json_t *doc, const char *check, const char *key);
void net_assert_no_veth_explained(json_t *doc, const char *check);
char *net_named_netns(void);
void net_assert_nothing_left(const char *named_before, const char *progs, const char *when);
pid_t net_spawn_probe(const char *only);

#endif
