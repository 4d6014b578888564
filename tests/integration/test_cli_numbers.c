// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers on the command line as a hostile user gives them: too large for their type (they
 * must not wrap: 4294967297 is 1 in an int, pid 1), infinite, hexadecimal, with blanks. Each
 * is refused in one line with exit 2 before anything runs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"

struct bad_number {
	const char *args;	/* after 'bpfgauge' */
	const char *says;	/* in the one line */
};

static const struct bad_number bad_numbers[] = {
	{ "bench tools --calls 99999999999999999999999", "--calls takes a whole number" },
	{ "bench tools --calls 1e9", "--calls takes a whole number" },
	{ "bench tools --reps 4294967297", "--reps takes a whole number from 1 to 1000" },
	{ "trace syscall-latency -p 4294967297", "no process with pid '4294967297'" },
	{ "trace syscall-latency -p ' 1'", "no process with pid ' 1'" },
	{ "trace syscall-latency -d inf", "-d takes a number of seconds above 0" },
	{ "trace syscall-latency -d 1e999", "-d takes a number of seconds above 0" },
	{ "profile -o x.svg -p 4294967297", "no process with pid '4294967297'" },
	{ "profile -o x.svg -F 0x10", "-F takes samples per second" },
	{ "profile -o x.svg -d nan", "-d takes a number of seconds above 0" },
	{ "profile -o x.svg --off-cpu --min-block-us 18446744073709552",
	  "--min-block-us takes a whole number" },
	{ "run quick --reps 4294967297", "--reps takes a whole number from 1 to 1000" },
	{ "run quick --seconds nan", "--seconds takes a number above 0" },
	{ "run quick --runs 2 --gap inf", "--gap takes seconds from 0 to 3600" },
	{ "run quick --cpu 4294967296", "--cpu '4294967296': not a CPU number, auto or -1" },
	{ "run quick --cpu 4000", "--cpu '4000': no CPU 4000 here (online CPUs: " },
	{ "cost --cpu 4000 -- true", "--cpu '4000': no CPU 4000 here (online CPUs: " },
	{ "vmtest --cpus 4294967297", "--cpus takes a number from 1 to 64" },
	{ "vmtest --reps 1.5", "--reps takes a whole number from 1 to 1000" },
	{ "vmtest --seconds 0x10", "--seconds takes a number above 0" },
	{ "vmtest --timeout inf", "--timeout takes seconds from 1 to 86400" },
	{ "vmtest --mem 0x800M", "--mem takes a size of at least 128M" },
	{ "history changes --min-size 18446744073709551618", "--min-size '18446744073709551618'" },
	{ "history changes --alpha nan", "--alpha 'nan' is not a number" },
	{ "compare --seed 99999999999999999999 a.json b.json", "--seed '99999999999999999999'" },
	{ "compare --alpha ' 0.05' a.json b.json", "--alpha ' 0.05' must be a number" },
	{ "cost --reps 4294967297 -- true", "--reps takes a positive whole number" },
	{ "cost --seconds inf -- true", "--seconds takes a positive number" },
	{ "calibrate --runs 4294967298", "--runs takes 2 to 100" },
};

Test(cli, numbers_out_of_range_or_not_numbers_exit_2_before_anything_runs)
{
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
		const struct bad_number *b = &bad_numbers[i];
		char cmd[512], *out;
		int st;

		/* A number taken would run the command: the timeout kills it (exit 137). */
		snprintf(cmd, sizeof(cmd), "timeout -s KILL 20 %s %s 2>&1", bpfgauge_bin(),
			 b->args);
		out = sh(cmd, &st);
		cr_expect_eq(st, 2, "'%s' exited %d: %s", b->args, st, out);
		cr_expect(strstr(out, b->says), "'%s' does not say '%s': %s", b->args, b->says,
			  out);
		cr_expect(strchr(out, '\n') == out + strlen(out) - 1, "'%s': not one line: %s",
			  b->args, out);
		free(out);
	}
}
