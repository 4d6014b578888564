// SPDX-License-Identifier: GPL-2.0
/* The benchmark registry: one line per benchmark in benchmarks/benchmarks.def. */
#include <string.h>

#include "benchmark.h"

#define BENCHMARK(id) extern const struct benchmark benchmark_##id;
#include "bench/benchmarks/benchmarks.def"
#undef BENCHMARK

const struct benchmark *const benchmark_registry[] = {
#define BENCHMARK(id) &benchmark_##id,
#include "bench/benchmarks/benchmarks.def"
#undef BENCHMARK
};
const size_t benchmark_registry_len = sizeof(benchmark_registry) / sizeof(benchmark_registry[0]);

const struct benchmark *benchmark_find(const char *name)
{
	for (size_t i = 0; i < benchmark_registry_len; i++)
		if (!strcmp(benchmark_registry[i]->name, name))
			return benchmark_registry[i];
	return NULL;
}
