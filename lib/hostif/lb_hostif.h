/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HOSTIF_H
#define LB_HOSTIF_H

/**
 * @file
 * The exception path: a kernel-visible interface per lb port (DPDK net_tap,
 * created with rte_vdev_init), carrying the port's address and MAC, so the
 * host stack (health checks, SSH, ping, SMTP alerts) reaches the wire through
 * a NIC that DPDK owns.
 *
 * Only the control lcore touches a host interface: it owns queue 0 (RX and
 * TX) of every tap. Frames for the director's own address reach control over
 * the workers' to_ctl rings (the workers need no change: what is not for a
 * virtual service already goes to control), and control hands them to the
 * kernel with lb_hostif_to_host(). Frames the kernel sends are read with
 * lb_hostif_from_host() and go to the NIC like any control-built frame.
 *
 * Not multi-thread safe: control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "lb_sysconf.h"

/** Host interface counters. */
#define LB_HOSTIF_CNT_LIST(X) \
	X(to_host)		/* frames handed to the kernel */ \
	X(to_host_drop)		/* the tap refused them (kernel queue full) */ \
	X(from_host)		/* frames the kernel sent, to the NIC */

enum lb_hostif_cnt {
#define LB_HOSTIF_ENUM(n) LB_HOSTIF_##n,
	LB_HOSTIF_CNT_LIST(LB_HOSTIF_ENUM)
#undef LB_HOSTIF_ENUM
	LB_HOSTIF__MAX,
};

/** The host interface of one lb port. */
struct lb_hostif {
	bool on;			/**< created and started */
	uint16_t port_id;		/**< the tap's ethdev port */
	char ifname[LB_SYSCONF_IFNAME_MAX];	/**< kernel name */
	char vdev[32];			/**< DPDK vdev name ("net_tap_lb0") */
	uint32_t addr;			/**< network order */
	uint64_t cnt[LB_HOSTIF__MAX];
};

/**
 * Create, configure and start the tap of lb port idx, named ifname, with the
 * given MAC (the NIC's, so that replies to the host come back to a MAC the
 * NIC accepts), then give the kernel interface addr/prefixlen and bring it
 * up (the connected route follows). Needs /dev/net/tun and CAP_NET_ADMIN.
 *
 * @param h
 *   Zeroed struct to fill.
 * @param idx
 *   The lb port index (names the vdev).
 * @param mp
 *   Mempool for the tap's RX queue.
 * @param diag
 *   Where errors go.
 * @return
 *   0, or a negative errno (-ENODEV when the tap cannot be created, -EEXIST
 *   when the interface name is taken); nothing is left behind.
 */
int lb_hostif_open(struct lb_hostif *h, unsigned int idx, const char *ifname,
		   const struct rte_ether_addr *mac, uint32_t addr, uint8_t prefixlen,
		   struct rte_mempool *mp, FILE *diag);

/**
 * Hand a frame to the kernel. Consumes the mbuf (sent or freed and counted).
 */
void lb_hostif_to_host(struct lb_hostif *h, struct rte_mbuf *m);

/**
 * Read up to n frames the kernel sent on the interface.
 *
 * @return
 *   Frames read into pkts.
 */
uint16_t lb_hostif_from_host(struct lb_hostif *h, struct rte_mbuf **pkts, uint16_t n);

/** Stop and remove the tap (the kernel interface goes with it). Safe when off. */
void lb_hostif_close(struct lb_hostif *h);

/** @return the name of a counter ("to_host", ...). */
const char *lb_hostif_cnt_name(enum lb_hostif_cnt c);

#endif /* LB_HOSTIF_H */
