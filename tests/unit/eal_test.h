/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_EAL_TEST_H
#define LB_EAL_TEST_H

/* Start EAL for a unit test: one lcore, no hugepages, no PCI, a unique file prefix. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <rte_common.h>
#include <rte_eal.h>

static inline int
lb_test_eal_init(const char *prog, const char *name)
{
	char prefix[64];
	const char *args[] = {
		prog, "-l", "0", "--no-huge", "-m", "128", "--no-pci", "--no-shconf",
		"--no-telemetry", "--file-prefix", prefix, "--log-level", "lib.eal:error",
	};
	static char *argv[RTE_DIM(args) + 1];
	unsigned int i;

	snprintf(prefix, sizeof(prefix), "t_%s_%d", name, getpid());
	for (i = 0; i < RTE_DIM(args); i++)
		argv[i] = strdup(args[i]);
	argv[i] = NULL;
	return rte_eal_init((int)RTE_DIM(args), argv) < 0 ? -1 : 0;
}

#endif /* LB_EAL_TEST_H */
