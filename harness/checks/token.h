/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The token check's two halves (token.c: this process, privileged; token_child.c: its child,
 * in a user namespace) and what goes between them over an AF_UNIX socket:
 *
 *   token_child_main(sock)   the child's part; never returns. It sends a struct token_report
 *       with its bpffs context's fd (stage ST_DELEGATE: this process's turn), waits for the
 *       fd of the detached mount (an int, 0, comes with it), then sends its final report. It
 *       sends the report alone when it stops earlier, and exits when the socket closes.
 */
#ifndef BPFGAUGE_CHECKS_TOKEN_H
#define BPFGAUGE_CHECKS_TOKEN_H

enum token_stage {
	ST_USERNS,	/* the child's new user namespace and its id maps */
	ST_MOUNTNS,	/* its new mount namespace */
	ST_FSOPEN,	/* its bpffs context */
	ST_DELEGATE,	/* this process's fsconfig of the delegation options */
	ST_CREATE,	/* FSCONFIG_CMD_CREATE */
	ST_FSMOUNT,	/* the detached mount */
	ST_TOKEN,	/* the child's BPF_TOKEN_CREATE */
	ST_LOAD,	/* the object's load through the token */
	ST_NO_TOKEN,	/* the same map or program without the token was not refused */
	ST_RUN,		/* the test runs and the values popped */
	ST_DONE,
	ST_NR,
};

/* What the child tells this process: where it got, and what it saw on the way. */
struct token_report {
	int stage;		/* where it stopped, when err is set */
	int err;		/* -errno of the call that failed there */
	char step[48];		/* that call */
	int map_no_token;	/* creating the same map without the token: -errno or 0 */
	int prog_no_token;	/* loading the same program without it */
	int extra_pop;		/* popping once more than was pushed: -ENOENT expected */
	unsigned int runs, popped, right;
	unsigned long long first_wrong;
	char fdinfo[160];	/* the token's allowed_* lines, from /proc/self/fdinfo */
	char log[200];		/* libbpf's last line when the load with the token failed */
};

void token_child_main(int sock) __attribute__((noreturn));

#endif
