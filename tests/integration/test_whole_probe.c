// SPDX-License-Identifier: GPL-2.0
/* The whole probe as 'make run' runs it, and what it leaves behind (nothing). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

static const char *const statuses[] = { "pass", "fail", "unsupported", "skipped", "error" };

Test(whole_probe, every_registered_check_reports_a_valid_verdict)
{
	char *list = sh("build/bpfgauge list | awk '/^tools/ {exit} /^    / {print $1}'", NULL);
	json_t *doc, *checks, *c, *summary;
	size_t i, listed = 0;
	int code;

	doc = probe_json("", &code);
	cr_assert_not_null(doc);
	cr_assert_eq(code, 0);
	checks = json_object_get(doc, "checks");
	for (char *tok = strtok(list, "\n"); tok; tok = strtok(NULL, "\n"), listed++)
		cr_assert_not_null(probe_find(doc, tok), "check '%s' missing from --json", tok);
	cr_assert_eq(json_array_size(checks), listed);
	json_array_foreach(checks, i, c) {
		const char *st = json_string_value(json_object_get(c, "status"));
		const char *reason = json_string_value(json_object_get(c, "reason"));
		bool known = false;

		for (size_t k = 0; k < 5; k++)
			known |= st && !strcmp(st, statuses[k]);
		cr_assert(known, "bad status '%s'", st);
		cr_assert_str_neq(st, "error", "%s: %s",
				  json_string_value(json_object_get(c, "name")), reason);
		cr_assert(reason && reason[0], "a verdict without a reason");
		cr_assert(json_is_real(json_object_get(c, "duration_ms")));
	}
	summary = json_object_get(doc, "summary");
	cr_assert_eq(json_integer_value(json_object_get(summary, "checks")), (json_int_t)listed);
	c = json_object_get(doc, "environment");
	cr_assert(json_is_string(json_object_get(json_object_get(c, "kernel"), "release")));
	cr_assert(json_is_string(json_object_get(c, "libbpf_version")));
	json_decref(doc);
	free(list);
}

Test(whole_probe, nothing_left_behind_after_a_full_run)
{
	char *before = machine_state();
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "%s probe >/dev/null 2>&1", bpfgauge_bin());
	free(sh(cmd, NULL));
	assert_left_nothing(before);
	free(before);
}

/* Ctrl-C in the middle: the run stops, says so, exits 130 and leaves nothing behind. */
Test(whole_probe, interrupted_run_cleans_up)
{
	char *before = machine_state(), out[8192] = "";
	int pipefd[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		execl(bpfgauge_bin(), "bpfgauge", "probe", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	/* Its handler is set just before the checks, when it has started (0.2 s with the
	 * sanitizers, not 60 ms); they take tens of ms each: 60 ms more lands in the middle. */
	wait_catches(pid, SIGINT);
	nanosleep(&(struct timespec){ .tv_nsec = 60 * 1000 * 1000 }, NULL);
	kill(pid, SIGINT);
	while ((n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "killed by signal %d instead of winding down",
		  WTERMSIG(status));
	cr_assert_eq(WEXITSTATUS(status), 130, "output:\n%s", out);
	cr_assert(strstr(out, "interrupted after"), "output:\n%s", out);
	assert_left_nothing(before);
	free(before);
}

/*
 * The libbpf the environment names is the one the binary runs: built from Debian's source
 * package, linked static (no libbpf.so needed), the same major.minor at run time, and newer
 * than the machine's own libbpf1 (the reason it is built).
 */
Test(whole_probe, built_with_the_libbpf_it_names)
{
	char cmd[512], *needed, *sys_ver, src_ver[32] = "", runtime[64];
	const char *source, *version;
	json_t *doc, *env;
	int code, major = -1, minor = -1;

	doc = probe_json("--only bpf_syscall", &code);
	cr_assert_not_null(doc);
	env = json_object_get(doc, "environment");
	source = json_string_value(json_object_get(env, "libbpf_source"));
	version = json_string_value(json_object_get(env, "libbpf_version"));
	cr_assert(source && version, "no libbpf_source or libbpf_version");
	cr_assert_eq(sscanf(source, "libbpf %31s (Debian", src_ver), 1, "source '%s'", source);
	cr_assert_eq(sscanf(src_ver, "%d.%d", &major, &minor), 2, "version '%s'", src_ver);
	snprintf(runtime, sizeof(runtime), "v%d.%d", major, minor);
	cr_assert_str_eq(version, runtime, "runs libbpf %s, built from %s", version, source);
	snprintf(cmd, sizeof(cmd), "readelf -d %s | grep -c 'NEEDED.*libbpf' || true", bpfgauge_bin());
	needed = sh(cmd, NULL);
	cr_assert_str_eq(needed, "0\n", "built from %s, yet linked to a libbpf.so", source);
	free(needed);
	/* The upstream version of this Debian release's libbpf1, installed or not. */
	sys_ver = sh("apt-cache show --no-all-versions libbpf1 | "
		     "sed -n 's/^Version: \\([0-9]*:\\)\\{0,1\\}\\([^-]*\\).*/\\2/p' | tr -d '\\n'",
		     NULL);
	cr_assert(sys_ver[0], "apt-cache knows no libbpf1");
	snprintf(cmd, sizeof(cmd), "dpkg --compare-versions '%s' gt '%s'", src_ver, sys_ver);
	free(sh(cmd, &code));
	cr_assert_eq(code, 0, "built from libbpf %s, not newer than the system's %s", src_ver,
		     sys_ver);
	free(sys_ver);
	json_decref(doc);
}
