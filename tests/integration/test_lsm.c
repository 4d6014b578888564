// SPDX-License-Identifier: GPL-2.0
/*
 * The lsm check against the machine's evidence: the active LSM list read from securityfs by
 * the test, the kernel config, and the fentry check's verdict (both sit on BPF trampolines, so
 * what keeps fentry from working here keeps lsm from it too, with the same cause). Where it
 * passes, what each open gave is in its details. Its temporary files are gone afterwards.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"

Test(lsm, verdict_matches_evidence)
{
	char list[512], *out;
	json_t *doc;
	const char *why;

	cr_assert(evidence_root(), "needs root");
	evidence_lockdown();	/* mounts securityfs where it is missing */
	out = sh("cat /sys/kernel/security/lsm", NULL);
	snprintf(list, sizeof(list), ",%s,", out);
	free(out);
	list[strcspn(list, "\n")] = '\0';
	doc = probe_json("--only fentry,lsm", NULL);
	cr_assert_not_null(doc);
	why = probe_reason(doc, "lsm");
	if (!strstr(list, ",bpf,")) {
		cr_assert_str_eq(probe_status(doc, "lsm"), "unsupported", "%s", why);
		cr_assert(strstr(why, "not in the active LSM list"), "%s", why);
		if (evidence_config("CONFIG_BPF_LSM") == 0)
			cr_assert(strstr(why, "CONFIG_BPF_LSM is not set"), "%s", why);
	} else if (strcmp(probe_status(doc, "fentry"), "pass")) {
		cr_assert_str_eq(probe_status(doc, "lsm"), probe_status(doc, "fentry"),
				 "fentry: %s; lsm: %s", probe_reason(doc, "fentry"), why);
		if (strstr(probe_reason(doc, "fentry"), "ftrace function hooks are refused"))
			cr_assert(strstr(why, "ftrace function hooks are refused"), "%s", why);
	} else {
		cr_assert_str_eq(probe_status(doc, "lsm"), "pass", "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "lsm", "open_refused_file"), "EPERM");
		cr_assert_str_eq(probe_detail_str(doc, "lsm", "open_other_file"), "opened");
		cr_assert_str_eq(probe_detail_str(doc, "lsm", "open_after_detach"), "opened");
		cr_assert_eq(probe_detail_int(doc, "lsm", "denied"), 1);
	}
	json_decref(doc);
	out = sh("ls /tmp /dev/shm 2>/dev/null | grep -c '^bpfgauge-lsm-' || true", NULL);
	cr_assert_str_eq(out, "0\n", "temporary files left in /tmp or /dev/shm");
	free(out);
}
