/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TASK_STORAGE(name, value_type) defines a task storage map with one value_type per task: no
 * hash, no lock, no bound to size; a value is created on first use (bpf_task_storage_get()
 * with BPF_LOCAL_STORAGE_GET_F_CREATE) and freed with its task. The tools keep start times
 * there.
 */
#ifndef BPFGAUGE_TASK_STORAGE_BPF_H
#define BPFGAUGE_TASK_STORAGE_BPF_H

#define TASK_STORAGE(name, value_type)                                                       \
	struct {                                                                             \
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);                                     \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                        \
		__type(key, int);                                                            \
		__type(value, value_type);                                                   \
	} name SEC(".maps")

#endif
