/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_PORT_H
#define LB_PORT_H

/**
 * @file
 * Ports and queues: find each dpdk.conf port's ethdev, configure one RX and
 * one TX queue per worker (RSS over IP/TCP/UDP when there are several),
 * start them, and print their counters the way dpdk-testpmd does.
 *
 * Control lcore only; not multi-thread safe.
 */

#include <stdint.h>
#include <stdio.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "lb_sysconf.h"

/** One started port. */
struct lb_port {
	uint16_t port_id;		/**< ethdev port id */
	char name[LB_SYSCONF_NAME_MAX];	/**< dpdk.conf name */
	struct rte_ether_addr mac;
	uint32_t addr;			/**< network order */
	uint8_t prefixlen;
	uint16_t n_queues;
	int started;
	/* previous sample for throughput lines */
	uint64_t prev_tsc;
	uint64_t prev_ipackets, prev_opackets, prev_ibytes, prev_obytes;
};

/**
 * Resolve every dpdk.conf port to an ethdev. Does not touch the devices.
 * A device that does not exist is reported as "FILE:LINE: error: ..." with
 * the port's line in dpdk.conf.
 *
 * @param ports
 *   Array of sc->n_ports entries to fill.
 * @param diag
 *   Stream for errors, NULL for stderr.
 * @return
 *   0, or -ENODEV after reporting every missing device.
 */
int lb_port_resolve(struct lb_port *ports, const struct lb_sysconf *sc, FILE *diag);

/**
 * Configure and start every port with n_queues RX and TX queues.
 *
 * @return
 *   0, or a negative errno (the failing port is reported on diag). Ports
 *   started before the failure are stopped again.
 */
int lb_port_start_all(struct lb_port *ports, unsigned int n_ports, const struct lb_sysconf *sc,
		      uint16_t n_queues, struct rte_mempool *mp, FILE *diag);

/** Stop and close every started port. */
void lb_port_stop_all(struct lb_port *ports, unsigned int n_ports);

/**
 * Print every port's counters in dpdk-testpmd's layout, with throughput
 * since the previous call ("Rx-pps:", "Tx-pps:").
 */
void lb_port_stats_print(FILE *out, struct lb_port *ports, unsigned int n_ports);

#endif /* LB_PORT_H */
