/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_EAL_TEST_H
#define LB_EAL_TEST_H

/*
 * Start EAL for a test: one lcore, no hugepages, no PCI, a unique file prefix
 * so that tests run side by side. The argument strings live in static
 * storage because EAL keeps pointers to them.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <rte_common.h>
#include <rte_eal.h>

static inline int
lb_test_eal_init(const char *prog, const char *name, unsigned int mem_mb)
{
	static char store[16][64];
	static char *argv[17];
	char prefix[48], mem[16];
	const char *args[] = {
		prog, "-l", "0", "--no-huge", "-m", mem, "--no-pci", "--no-shconf",
		"--no-telemetry", "--file-prefix", prefix, "--log-level", "lib.eal:error",
	};
	unsigned int i;

	snprintf(prefix, sizeof(prefix), "t_%s_%d", name, getpid());
	snprintf(mem, sizeof(mem), "%u", mem_mb);
	for (i = 0; i < RTE_DIM(args); i++) {
		snprintf(store[i], sizeof(store[i]), "%s", args[i]);
		argv[i] = store[i];
	}
	argv[i] = NULL;
	return rte_eal_init((int)RTE_DIM(args), argv) < 0 ? -1 : 0;
}

#endif /* LB_EAL_TEST_H */
