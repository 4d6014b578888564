// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "libbpf_log.h"

#define LOG_KEEP (16 * 1024)

static bool log_verbose;
static char log_buf[LOG_KEEP];
static size_t log_len;
static char log_last[256];
/* Inside a newer verifier's explanation of its error, which follows the error line. */
static bool explaining;

/* Lines libbpf adds around a failure that say nothing about its cause. */
static bool is_generic(const char *line)
{
	static const char *const generic[] = {
		"-- BEGIN PROG LOAD LOG --", "-- END PROG LOAD LOG --", "failed to load object",
		"failed to load program", "failed to load BPF skeleton", "processed ",
		"verification time", "stack depth", "libbpf: prog '",
		/* A guess about RLIMIT_MEMLOCK, printed after any EPERM; not evidence. */
		"permission error while running as root",
	};
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strstr(line, generic[i]))
			return true;
	return false;
}

static void keep_line(const char *line, size_t len)
{
	char tmp[sizeof(log_last)];

	while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
		len--;
	if (!len)
		return;
	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, line, len);
	tmp[len] = '\0';
	/*
	 * Debian's 7.3 verifier explains a rejection in lines after the error ("Verification
	 * failed:", "Reason: ...", "Suggestion: ..."): the error stays the last word.
	 */
	if (!strncmp(tmp, "Verification failed:", 20))
		explaining = true;
	else if (strstr(tmp, "-- BEGIN PROG LOAD LOG --") || strstr(tmp, "-- END PROG LOAD LOG --"))
		explaining = false;
	if (!explaining && !is_generic(tmp))
		memcpy(log_last, tmp, len + 1);
}

static int log_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;
	va_list copy;

	va_copy(copy, ap);
	n = vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (log_verbose)
		fputs(line, stderr);
	if (level == LIBBPF_DEBUG && !log_verbose)
		return n;
	libbpf_log_feed(line);
	return n;
}

void libbpf_log_feed(const char *text)
{
	size_t n = strlen(text);

	/* Verifier logs come as one multi-line string: keep each line. */
	for (const char *p = text, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		keep_line(p, nl ? (size_t)(nl - p) : strlen(p));
		if (!nl)
			break;
	}
	if (log_len + n < LOG_KEEP) {
		memcpy(log_buf + log_len, text, n);
		log_len += n;
		log_buf[log_len] = '\0';
	}
}

void libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(log_print);
}

void libbpf_log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
	log_last[0] = '\0';
	explaining = false;
}

const char *libbpf_log_last(void)
{
	return log_last;
}

bool libbpf_log_contains(const char *text)
{
	return strstr(log_buf, text) != NULL;
}
