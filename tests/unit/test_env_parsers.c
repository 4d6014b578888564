// SPDX-License-Identifier: GPL-2.0
/* The environment's parsers on fixture text with known answers: /proc/cpuinfo, a selected word. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>

#include "result/env_parts.h"

Test(env, cpuinfo_parser_on_fixtures)
{
	static const char x86[] =
		"processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
		"model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz\nstepping\t: 7\n"
		"microcode\t: 0x5003604\nflags\t\t: fpu tsc constant_tsc pti_x nopti ssbd "
		"md_clear hypervisor\n\nprocessor\t: 1\nvendor_id\t: Other\nflags\t\t: la57\n";
	static const char arm[] =
		"processor\t: 0\nBogoMIPS\t: 243.75\nFeatures\t: fp asimd evtstrm aes\n"
		"CPU implementer\t: 0x41\nCPU part\t: 0xd0c\n\n";
	FILE *f = fmemopen((void *)x86, sizeof(x86) - 1, "r");
	json_t *o = env_cpuinfo(f), *want;

	fclose(f);
	/* Only the first processor; whole words only (pti_x and nopti are not pti). */
	want = json_pack("{s:s s:s s:i s:i s:i s:s s:[s s s s s]}",
			 "model", "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz",
			 "vendor", "GenuineIntel", "family", 6, "model_number", 85, "stepping", 7,
			 "microcode", "0x5003604", "flags", "ssbd", "md_clear", "tsc",
			 "constant_tsc", "hypervisor");
	cr_assert(json_equal(o, want), "%s", json_dumps(o, JSON_COMPACT));
	json_decref(o);
	json_decref(want);

	f = fmemopen((void *)arm, sizeof(arm) - 1, "r");
	o = env_cpuinfo(f);
	fclose(f);
	want = json_pack("{s:n s:n s:n s:n s:n s:n s:n}", "model", "vendor", "family",
			 "model_number", "stepping", "microcode", "flags");
	cr_assert(json_equal(o, want), "%s", json_dumps(o, JSON_COMPACT));
	json_decref(o);
	json_decref(want);
}

Test(env, selected_word)
{
	char buf[32];

	cr_assert_eq(env_selected("always [madvise] never", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "madvise");
	cr_assert_eq(env_selected("none voluntary (full) lazy", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "full");
	cr_assert_eq(env_selected("none voluntary full", buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(env_selected("[] x", buf, sizeof(buf)), -ENOENT);
}
