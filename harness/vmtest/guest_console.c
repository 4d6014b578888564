// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "guest_console.h"

#define TAIL_LINES 15

static bool kernel_log_line(const char *l)
{
	/* "[    1.234567] ..." (printk.time) */
	const char *p = l + 1;

	if (l[0] != '[')
		return false;
	p += strspn(p, " ");
	p += strspn(p, "0123456789");
	if (*p++ != '.')
		return false;
	p += strspn(p, "0123456789");
	return *p == ']';
}

void guest_on_line(struct qemu_run *q, const char *line)
{
	struct guest_state *g = q->priv;
	const char *msg;

	if (g->verbose)
		fprintf(stderr, "%s\n", line);
	if (!strncmp(line, "bpfgauge-vmtest: ", 17)) {
		msg = line + 17;
		g->init_ran = true;
		if (!strncmp(msg, "begin", 5)) {
			g->in_run = true;
		} else if (!strncmp(msg, "end ", 4)) {
			g->in_run = false;
			g->status = isdigit(msg[4]) ? atoi(msg + 4) : -1;
		} else if (!strncmp(msg, "sent ", 5)) {
			g->sent = atol(msg + 5);
		} else if (!g->verbose) {
			fprintf(stderr, "bpfgauge vmtest: guest: %s\n", msg);
		}
		return;
	}
	if (g->verbose || !g->in_run || kernel_log_line(line) || !strncmp(line, "result: ", 8))
		return;
	/* The guest's 'bpfgauge run': progress and errors to stderr, its table to stdout. */
	if ((line[0] == '[' && line[1] >= '0' && line[1] <= '9') || !strncmp(line, "bpfgauge", 8))
		fprintf(stderr, "%s\n", line);
	else
		printf("%s\n", line);
	fflush(stdout);
}

void guest_explain_failure(const struct qemu_run *q, const struct guest_state *g, int err)
{
	const char *panic = q->console.len ? strstr(q->console.buf, "Kernel panic") : NULL;
	const char *bug = q->console.len ? strstr(q->console.buf, "BUG: ") : NULL;
	char msg[256];

	if (!bug && q->console.len)
		bug = strstr(q->console.buf, "Oops: ");
	qemu_message(q, msg, sizeof(msg));
	if (err == -ETIMEDOUT)
		fprintf(stderr, "bpfgauge vmtest: the guest did not finish within %.0f s and was "
			"stopped (a hang? raise --timeout if it was just slow)", q->timeout_s);
	else if (err == -EFAULT)
		fprintf(stderr, "bpfgauge vmtest: KVM could not run the guest (QEMU: KVM internal "
			"error) and QEMU was stopped; --accel tcg runs it emulated");
	else if (panic)
		fprintf(stderr, "bpfgauge vmtest: the guest kernel panicked: %.*s",
			(int)strcspn(panic, "\r\n"), panic);
	else if (err == -ECHILD && WIFSIGNALED(q->status))
		fprintf(stderr, "bpfgauge vmtest: QEMU was killed by signal %d%s%s",
			WTERMSIG(q->status), msg[0] ? ": " : "", msg);
	else if (err == -ECHILD)
		fprintf(stderr, "bpfgauge vmtest: QEMU exited with status %d%s%s",
			WEXITSTATUS(q->status), msg[0] ? ": " : "", msg);
	else if (err)
		fprintf(stderr, "bpfgauge vmtest: cannot run QEMU: %s", strerror(-err));
	else if (!q->booted)
		fprintf(stderr, "bpfgauge vmtest: the guest printed nothing");
	else if (g->status < 0)
		fprintf(stderr, "bpfgauge vmtest: the guest stopped before 'bpfgauge run' ended");
	else
		fprintf(stderr, "bpfgauge vmtest: 'bpfgauge run' in the guest exited with status "
			"%d and sent no result", g->status);
	if (bug)
		fprintf(stderr, " (the kernel said: %.*s)", (int)strcspn(bug, "\r\n"), bug);
	fprintf(stderr, "; the last lines of its console:\n");
	qemu_tail(q, TAIL_LINES, stderr);
}

static char *read_file(const char *path, size_t *len)
{
	char *buf = NULL;
	long n;
	FILE *f = fopen(path, "re");

	*len = 0;
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc(n + 1))) {
		*len = fread(buf, 1, n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

json_t *guest_result(const char *path, const struct guest_state *g)
{
	json_error_t e;
	json_t *doc;
	size_t len;
	char *text = read_file(path, &len);

	if (!text || (long)len != g->sent) {
		fprintf(stderr, "bpfgauge vmtest: the guest's result arrived incomplete: %zu of "
			"%ld bytes\n", len, g->sent);
		free(text);
		return NULL;
	}
	doc = json_loadb(text, len, 0, &e);
	free(text);
	if (!doc || !json_is_object(json_object_get(doc, "environment")) ||
	    !json_is_string(json_object_get(doc, "kind")) ||
	    strcmp(json_string_value(json_object_get(doc, "kind")), "bpfgauge-run")) {
		fprintf(stderr, "bpfgauge vmtest: the guest sent something that is not a bpfgauge "
			"result: %s\n", doc ? "no \"kind\": \"bpfgauge-run\"" : e.text);
		json_decref(doc);
		return NULL;
	}
	return doc;
}
