/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FWD_MODES_H
#define LB_FWD_MODES_H

/**
 * @file
 * Forwarding modes other than DR: NAT, TUN and FULLNAT (FNAT). The worker
 * loop (lb_fwd.c) parses, looks up and schedules; these functions rewrite a
 * packet for its mode and say where it goes. None of them transmits or
 * frees: the caller acts on the verdict. All run on a worker lcore, on that
 * worker's own state only; none blocks, allocates or takes a lock.
 *
 * - NAT: client -> VIP:vport becomes client -> RS:rport. A second entry in
 *   the worker's connection table, state LB_CONN_REPLY, is keyed by the
 *   reply tuple (RS:rport -> client:cport) and remembers the client-side
 *   next hop (MAC, port); the reply becomes VIP:vport -> client:cport.
 * - FNAT: client:cport -> VIP:vport becomes laddr:lport -> RS:rport, with
 *   (laddr, lport) taken from the service's local_address_group. The flow
 *   entry keeps (laddr, lport); a per-worker session array indexed by
 *   (laddr, lport) keeps the client side, so a reply RS:rport ->
 *   laddr:lport needs no second table entry. Local ports are split between
 *   workers: worker i owns the ports p with (p - 1024) % n_workers == i, so
 *   any worker can tell the owner of a reply from its destination port and
 *   hands it over on the owner's redirect ring (works with every PMD; with
 *   one worker nothing is ever redirected).
 * - TUN: the packet is carried in IPIP (outer source = the egress port's
 *   address) to the real server. One that would not fit the port's MTU is
 *   answered with ICMP "fragmentation needed" when it has DF, else dropped.
 *
 * Checksums are updated incrementally (RFC 1624) for every rewritten
 * address and port: IPv4 header, TCP, and UDP unless its checksum is 0.
 */

#include <stdint.h>

#include "lb_fwd.h"

#define LB_FNAT_LPORT_MIN 1024	/**< local ports are 1024..65535 */

/** Verdicts of the mode functions; *arg says more. */
enum lb_mode_verdict {
	LB_MODE_TX = 0,		/**< send on lb port *arg */
	LB_MODE_DROP,		/**< drop, reason (enum lb_fwd_cnt) in *arg */
	LB_MODE_PASS,		/**< not for this mode: carry on as before */
	LB_MODE_REDIRECT,	/**< another worker (*arg) owns the flow */
};

struct lb_fwd_modes;

/**
 * Create a worker's mode state (FNAT session arrays). Control lcore.
 *
 * @param n_laddr
 *   FULLNAT local addresses in the config (all groups).
 * @param worker, n_workers
 *   This worker's index and the number of workers.
 * @return
 *   The state, or NULL with rte_errno set (ENOMEM).
 */
struct lb_fwd_modes *lb_fwd_modes_create(uint32_t n_laddr, uint16_t worker, uint16_t n_workers,
					 int socket);

/** Free it (NULL allowed). */
void lb_fwd_modes_free(struct lb_fwd_modes *md);

/**
 * A new flow of a NAT or FNAT service was inserted as c: set up its reply
 * direction (NAT: a LB_CONN_REPLY entry; FNAT: a local address and port).
 *
 * @param in_port
 *   The lb port the client's packet came in on.
 * @return
 *   LB_MODE_TX (set up; *arg untouched) or LB_MODE_DROP.
 */
int lb_fwd_modes_new_flow(struct lb_worker *w, const struct lb_svc *svc,
			  const struct lb_svc_vs *vs, const struct lb_svc_rs *rs, struct lb_conn *c,
			  const struct lb_pkt *pkt, struct rte_mbuf *m, uint16_t in_port,
			  uint16_t *arg);

/**
 * Rewrite a client packet of flow c (NAT, FNAT or TUN) for the real server.
 *
 * @return
 *   LB_MODE_TX or LB_MODE_DROP.
 */
int lb_fwd_modes_xmit(struct lb_worker *w, const struct lb_svc_vs *vs,
		      const struct lb_svc_rs *rs, const struct lb_conn *c, struct rte_mbuf *m,
		      uint16_t in_port, uint16_t *arg);

/**
 * A packet hit a LB_CONN_REPLY entry: a NAT reply. Refresh the flow and
 * rewrite the packet for the client.
 *
 * @return
 *   LB_MODE_TX or LB_MODE_DROP.
 */
int lb_fwd_nat_reply(struct lb_worker *w, const struct lb_svc *svc, struct lb_conn *r,
		     const struct lb_pkt *pkt, struct rte_mbuf *m, uint16_t *arg);

/**
 * A packet matched no flow and no service: is it an FNAT reply (to a local
 * address)? If so refresh its flow and rewrite it for the client.
 *
 * @return
 *   LB_MODE_PASS when the destination is no local address, otherwise
 *   LB_MODE_TX, LB_MODE_DROP or LB_MODE_REDIRECT.
 */
int lb_fwd_fnat_reply(struct lb_worker *w, const struct lb_svc *svc, const struct lb_pkt *pkt,
		      struct rte_mbuf *m, uint16_t *arg);

/**
 * A frame the parser left for control: if it is an ICMP error about a
 * tracked flow (destination unreachable, time exceeded, parameter problem),
 * rewrite it for the side that sent the quoted packet (lb_fwd_icmp.c).
 *
 * @return
 *   LB_MODE_PASS (not such an error: to control), LB_MODE_TX, LB_MODE_DROP, or
 *   LB_MODE_REDIRECT (*arg = the worker that owns the NAT flow quoted).
 */
int lb_fwd_icmp(struct lb_worker *w, const struct lb_svc *svc, struct rte_mbuf *m,
		uint16_t *arg);

/**
 * NAT with several workers: the worker that owns a flow, chosen by its client
 * (address, port), which the request carries as source and the real server's
 * reply as destination (network order).
 *
 * @return
 *   The owner's worker index, < n_workers. Thread safety: pure.
 */
static inline uint16_t
lb_fwd_nat_owner(uint32_t client, uint16_t cport, uint16_t n_workers)
{
	uint32_t h = (client ^ ((uint32_t)cport << 16) ^ cport) * UINT32_C(2654435761);

	return (uint16_t)(((uint64_t)h * n_workers) >> 32);
}

#endif /* LB_FWD_MODES_H */
