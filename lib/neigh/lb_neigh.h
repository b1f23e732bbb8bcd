/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_NEIGH_H
#define LB_NEIGH_H

/**
 * @file
 * The neighbour (ARP) table and the ARP codec, run on the control lcore.
 *
 * The table maps an IPv4 address to a MAC and the port it was learnt on.
 * Entries are static (from dpdk.conf), wanted (a real server lbapp must
 * resolve: probed every second while unresolved, refreshed every
 * arp_refresh seconds), or learnt from ARP traffic about a wanted address.
 * Lookups use rte_hash.
 *
 * Nothing here is multi-thread safe: it belongs to the control lcore. The
 * workers see resolved real-server MACs through the control lcore's copy in
 * struct lb_fwd_shared (one atomic 64-bit word per real server).
 */

#include <stdint.h>
#include <stdbool.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

/** Entry states. */
enum lb_neigh_state {
	LB_NEIGH_INCOMPLETE = 0,	/**< wanted, no answer yet */
	LB_NEIGH_REACHABLE,		/**< answered */
	LB_NEIGH_STATIC,		/**< from dpdk.conf, never probed */
};

/** One neighbour. */
struct lb_neigh_entry {
	uint32_t ip;			/**< network order */
	struct rte_ether_addr mac;
	uint16_t port;			/**< lb port index */
	uint8_t state;			/**< enum lb_neigh_state */
	uint64_t next_probe;		/**< TSC time of the next ARP request */
	uint64_t updated;		/**< TSC time of the last answer */
	uint32_t probes;		/**< requests sent since the last answer */
};

struct lb_neigh;

/**
 * Create a table.
 *
 * @param name
 *   Unique name (for the rte_hash).
 * @param max
 *   Capacity.
 * @param refresh_s
 *   Seconds between refreshes of a reachable entry.
 * @return
 *   The table, or NULL with rte_errno set.
 */
struct lb_neigh *lb_neigh_create(const char *name, uint32_t max, uint32_t refresh_s);

/** Free a table (NULL allowed). */
void lb_neigh_free(struct lb_neigh *n);

/**
 * Add a static entry (overrides anything learnt).
 *
 * @return
 *   0, -ENOSPC when full, -EEXIST for a second static entry of one address.
 */
int lb_neigh_add_static(struct lb_neigh *n, uint32_t ip, const struct rte_ether_addr *mac,
			uint16_t port);

/**
 * Ask for an address to be resolved and kept fresh on a port. A no-op for
 * an address already present.
 *
 * @return
 *   0 or -ENOSPC.
 */
int lb_neigh_want(struct lb_neigh *n, uint32_t ip, uint16_t port);

/** @return the entry for an address, or NULL. */
const struct lb_neigh_entry *lb_neigh_lookup(const struct lb_neigh *n, uint32_t ip);

/**
 * Learn from an ARP packet's sender (request or reply). Only addresses
 * already in the table are updated (no table poisoning by strangers), and
 * static entries never change.
 *
 * @return
 *   1 if the entry's MAC or state changed, 0 otherwise.
 */
int lb_neigh_learn(struct lb_neigh *n, uint32_t ip, const struct rte_ether_addr *mac,
		   uint16_t port, uint64_t now);

/**
 * Call fn for every entry whose probe is due, and schedule its next probe.
 *
 * @param now
 *   TSC.
 * @return
 *   Number of entries probed.
 */
unsigned int lb_neigh_due(struct lb_neigh *n, uint64_t now,
			  void (*fn)(const struct lb_neigh_entry *e, void *arg), void *arg);

/** Call fn for every entry. */
void lb_neigh_foreach(const struct lb_neigh *n,
		      void (*fn)(const struct lb_neigh_entry *e, void *arg), void *arg);

/**
 * Build an ARP frame.
 *
 * @param mp
 *   Pool.
 * @param op
 *   RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY.
 * @param eth_dst
 *   Destination MAC (broadcast for requests and gratuitous ARP).
 * @param sha, sip
 *   Sender MAC and address (network order).
 * @param tha, tip
 *   Target MAC (zero for requests) and address.
 * @return
 *   The mbuf, or NULL when the pool is empty.
 */
struct rte_mbuf *lb_arp_build(struct rte_mempool *mp, uint16_t op,
			      const struct rte_ether_addr *eth_dst,
			      const struct rte_ether_addr *sha, uint32_t sip,
			      const struct rte_ether_addr *tha, uint32_t tip);

/** A parsed ARP packet. */
struct lb_arp {
	uint16_t op;			/**< host order */
	struct rte_ether_addr sha;
	uint32_t sip;			/**< network order */
	struct rte_ether_addr tha;
	uint32_t tip;
};

/**
 * Parse an Ethernet/ARP (IPv4 over Ethernet) frame.
 *
 * @return
 *   0, or -EINVAL for anything else or a malformed frame.
 */
int lb_arp_parse(const struct rte_mbuf *m, struct lb_arp *arp);

#endif /* LB_NEIGH_H */
