/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FWD_MODES_INT_H
#define LB_FWD_MODES_INT_H

/*
 * Internal to lib/fwd's mode files: incremental checksums (RFC 1624) and the
 * helpers the NAT, FULLNAT and TUN files share.
 */

#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>
#include <rte_tcp.h>

#include "lb_fwd_modes.h"

/* HC' = ~(~HC + ~m + m') for one 16-bit word (raw, network order). */
static inline uint16_t
lb_csum_adj16(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t s = (uint16_t)~hc + (uint32_t)(uint16_t)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The same for a 32-bit field (an address), raw network order. */
static inline uint16_t
lb_csum_adj32(uint16_t hc, uint32_t old, uint32_t new)
{
	uint32_t s = (uint16_t)~hc;

	s += (uint16_t)~(uint16_t)old + (uint32_t)(uint16_t)~(uint16_t)(old >> 16);
	s += (uint16_t)new + (uint32_t)(uint16_t)(new >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * Rewrite the addresses and ports of a parsed IPv4 TCP/UDP frame (all
 * network order) and update the IPv4 and L4 checksums. A UDP checksum of 0
 * (none) stays 0.
 */
static inline void
lb_fwd_rewrite4(struct rte_mbuf *m, uint32_t saddr, uint32_t daddr, uint16_t sport,
		uint16_t dport)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
							  sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *ports = (struct rte_udp_hdr *)((uint8_t *)ip +
							   (ip->version_ihl & 0x0f) * 4);
	uint16_t *ck, c;

	ck = ip->next_proto_id == IPPROTO_TCP ? &((struct rte_tcp_hdr *)ports)->cksum :
		&ports->dgram_cksum;
	c = *ck;
	if (ip->next_proto_id == IPPROTO_TCP || c != 0) {
		c = lb_csum_adj32(c, ip->src_addr, saddr);
		c = lb_csum_adj32(c, ip->dst_addr, daddr);
		c = lb_csum_adj16(c, ports->src_port, sport);
		c = lb_csum_adj16(c, ports->dst_port, dport);
		if (ip->next_proto_id == IPPROTO_UDP && c == 0)
			c = 0xffff;
		*ck = c;
	}
	c = lb_csum_adj32(ip->hdr_checksum, ip->src_addr, saddr);
	ip->hdr_checksum = lb_csum_adj32(c, ip->dst_addr, daddr);
	ip->src_addr = saddr;
	ip->dst_addr = daddr;
	ports->src_port = sport;
	ports->dst_port = dport;
}

/* Set the MACs toward a real server; LB_MODE_TX (port in *arg) or LB_MODE_DROP. */
int lb_fwd_to_rs(struct lb_worker *w, const struct lb_svc_rs *rs, struct rte_mbuf *m,
		 uint16_t *arg);

/* Set the MACs toward a client's next hop (mac, lb port). */
int lb_fwd_to_client(struct lb_worker *w, struct rte_mbuf *m, const uint8_t *mac, uint16_t port,
		     uint16_t *arg);

/* The client side of an FNAT flow. */
struct lb_fnat_peer {
	uint32_t client;	/* network order */
	uint16_t cport;		/* network order */
	uint16_t port;		/* lb port toward the client */
	const uint8_t *mac;	/* client-side next hop */
};

/* The live FNAT flow that owns (laddr, lport) on this worker, or NULL. */
struct lb_conn *lb_fwd_fnat_flow(struct lb_worker *w, const struct lb_svc *svc, uint32_t laddr,
				 uint16_t lport_be, struct lb_fnat_peer *peer);

/* TUN: IPIP-encapsulate for rs, or answer "fragmentation needed". */
int lb_fwd_tun_xmit(struct lb_worker *w, const struct lb_svc_rs *rs, struct rte_mbuf *m,
		    uint16_t in_port, uint16_t *arg);

#endif /* LB_FWD_MODES_INT_H */
