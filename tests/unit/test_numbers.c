// SPDX-License-Identifier: GPL-2.0
/* Numbers from suite files and options: the whole text is the number, or it is refused. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>

#include "lib/numbers.h"

/* Texts no number parser takes: what strtol() and strtod() would have read something of. */
static const char *const not_numbers[] = {
	"", " ", "5 ", " 5", "\t5", "5\n", "five", "5x", "0x10", "0X10", "1e", "--5", "+-5", "5,0",
	"inf", "-inf", "infinity", "nan", "NAN", "0x1p3", ".", "-", "+", "5%%", NULL,
};

Test(numbers, whole_numbers_in_range)
{
	long l;
	int n;

	cr_assert_eq(parse_int("5", 1, 10, &n), 0);
	cr_assert_eq(n, 5);
	cr_assert_eq(parse_int("-1", -1, 4095, &n), 0);
	cr_assert_eq(n, -1);
	cr_assert_eq(parse_int("+7", 1, 10, &n), 0);
	cr_assert_eq(n, 7);
	cr_assert_eq(parse_long("1000000000", 1000, 1000000000, &l), 0);
	cr_assert_eq(l, 1000000000);
	cr_assert_eq(parse_long("4294967295", 0, 4294967295L, &l), 0);
	cr_assert_eq(l, 4294967295L);
}

/* Too large for the type: refused, never wrapped (4294967297 is 1 in an int) nor clamped. */
Test(numbers, out_of_range_is_refused_and_leaves_the_value)
{
	long l = 42;
	int n = 42;

	cr_assert_eq(parse_int("4294967297", 1, INT_MAX, &n), -EINVAL);
	cr_assert_eq(parse_int("2147483648", 1, INT_MAX, &n), -EINVAL);
	cr_assert_eq(parse_int("-4294967295", INT_MIN, INT_MAX, &n), -EINVAL);
	cr_assert_eq(parse_int("0", 1, 10, &n), -EINVAL);
	cr_assert_eq(parse_int("11", 1, 10, &n), -EINVAL);
	cr_assert_eq(n, 42);
	cr_assert_eq(parse_long("99999999999999999999999", 1000, LONG_MAX, &l), -EINVAL);
	cr_assert_eq(parse_long("-99999999999999999999999", LONG_MIN, 0, &l), -EINVAL);
	cr_assert_eq(parse_long("9223372036854775808", 0, LONG_MAX, &l), -EINVAL);
	cr_assert_eq(l, 42);
}

Test(numbers, not_numbers_are_refused)
{
	double d = 42;
	long l = 42;
	int n = 42;

	for (const char *const *t = not_numbers; *t; t++) {
		cr_assert_eq(parse_int(*t, INT_MIN, INT_MAX, &n), -EINVAL, "took '%s'", *t);
		cr_assert_eq(parse_long(*t, LONG_MIN, LONG_MAX, &l), -EINVAL, "took '%s'", *t);
		cr_assert_eq(parse_double(*t, -1e300, 1e300, &d), -EINVAL, "took '%s'", *t);
		cr_assert_eq(parse_seconds(*t, &d), -EINVAL, "took '%s'", *t);
		cr_assert_eq(parse_duration(*t, &d), -EINVAL, "took '%s'", *t);
		cr_assert_eq(parse_pct(*t, &d), -EINVAL, "took '%s'", *t);
	}
	cr_assert_eq(parse_int("1.5", 0, 10, &n), -EINVAL);
	cr_assert_eq(parse_long("1e3", 0, 10000, &l), -EINVAL);
	cr_assert_eq(n, 42);
	cr_assert_eq(l, 42);
	cr_assert_float_eq(d, 42, 0);
}

Test(numbers, real_numbers)
{
	const char *unit;
	double v;

	cr_assert_eq(parse_double("0.25", 0, 1, &v), 0);
	cr_assert_float_eq(v, 0.25, 1e-12);
	cr_assert_eq(parse_double(".5", 0, 1, &v), 0);
	cr_assert_float_eq(v, 0.5, 1e-12);
	cr_assert_eq(parse_double("-.5", -1, 1, &v), 0);
	cr_assert_float_eq(v, -0.5, 1e-12);
	cr_assert_eq(parse_double("1e3", 0, 1e4, &v), 0);
	cr_assert_float_eq(v, 1000, 1e-9);
	cr_assert_eq(parse_double("1e999", 0, 1e300, &v), -EINVAL, "overflows to inf");
	cr_assert_eq(parse_double("1e-400", 0, 1, &v), -EINVAL, "underflows");
	cr_assert_eq(parse_double("2", 0, 1, &v), -EINVAL);
	cr_assert_eq(parse_double_unit("2G", &v, &unit), 0);
	cr_assert_float_eq(v, 2, 1e-12);
	cr_assert_str_eq(unit, "G");
	cr_assert_eq(parse_double_unit("1536", &v, &unit), 0);
	cr_assert_str_eq(unit, "");
	cr_assert_eq(parse_double_unit("0x800M", &v, &unit), -EINVAL);
	cr_assert_eq(parse_double_unit("infM", &v, &unit), -EINVAL);
}

Test(numbers, seconds_durations_and_percentages)
{
	double v;

	cr_assert_eq(parse_seconds("0.5", &v), 0);
	cr_assert_float_eq(v, 0.5, 1e-12);
	cr_assert_eq(parse_seconds("3600", &v), 0);
	cr_assert_eq(parse_seconds("3600.5", &v), -EINVAL);
	cr_assert_eq(parse_seconds("0", &v), -EINVAL);
	cr_assert_eq(parse_seconds("-1", &v), -EINVAL);
	cr_assert_eq(parse_duration("86400", &v), 0);
	cr_assert_float_eq(v, NUMBERS_MAX_DURATION, 0);
	cr_assert_eq(parse_duration("86401", &v), -EINVAL);
	cr_assert_eq(parse_duration("0", &v), -EINVAL);
	cr_assert_eq(parse_pct("5%", &v), 0);
	cr_assert_float_eq(v, 5, 1e-12);
	cr_assert_eq(parse_pct("0.5", &v), 0);
	cr_assert_float_eq(v, 0.5, 1e-12);
	cr_assert_eq(parse_pct("5 %", &v), -EINVAL);
	cr_assert_eq(parse_pct("-1", &v), -EINVAL);
	cr_assert_eq(parse_pct("1001%", &v), -EINVAL);
}
