/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TUN: IPIP encapsulation toward the real server, and ICMP "fragmentation
 * needed" back to the client for a DF packet the tunnel cannot carry.
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "lb_fwd_modes_int.h"

#define OUTER_TTL 64
#define ICMP_DEST_UNREACH 3	/* RFC 792 */
#define ICMP_QUOTE_MAX (576 - 28)	/* RFC 1812: the error fits in 576 bytes */

/*
 * Turn the client's frame, in place, into an ICMP destination unreachable,
 * fragmentation needed (RFC 1191: next-hop MTU = what the tunnel can carry),
 * from the receiving port's address back to the client's next hop.
 */
static int
frag_needed(struct lb_worker *w, struct rte_mbuf *m, uint16_t in_port, uint16_t mtu,
	    uint16_t *arg)
{
	const struct lb_fwd_shared *sh = w->sh;
	struct rte_ether_addr client_mac;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip, *inner;
	struct rte_icmp_hdr *icmp;
	uint16_t tot, quote;
	uint32_t client;

	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	inner = (struct rte_ipv4_hdr *)(eth + 1);
	rte_ether_addr_copy(&eth->src_addr, &client_mac);
	client = inner->src_addr;
	tot = rte_be_to_cpu_16(inner->total_length);
	quote = RTE_MIN(tot, (uint16_t)ICMP_QUOTE_MAX);
	if (rte_pktmbuf_prepend(m, sizeof(*ip) + sizeof(*icmp)) == NULL) {
		*arg = LB_CNT_tun_mtu;
		return LB_MODE_DROP;
	}
	rte_pktmbuf_trim(m, rte_pktmbuf_data_len(m) - (sizeof(*eth) + sizeof(*ip) +
						       sizeof(*icmp) + quote));
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	icmp = (struct rte_icmp_hdr *)(ip + 1);

	eth->dst_addr = client_mac;
	rte_ether_addr_copy(&sh->port_mac[in_port], &eth->src_addr);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*icmp) + quote);
	ip->time_to_live = OUTER_TTL;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = sh->port_addr[in_port];
	ip->dst_addr = client;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = ICMP_DEST_UNREACH;
	icmp->icmp_code = 4;	/* fragmentation needed and DF set */
	icmp->icmp_cksum = 0;
	icmp->icmp_ident = 0;	/* unused */
	icmp->icmp_seq_nb = rte_cpu_to_be_16(mtu);	/* next-hop MTU */
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + quote);
	m->ol_flags = 0;
	w->cnt[LB_CNT_icmp_tx]++;
	w->cnt[LB_CNT_frag_needed]++;	/* the client's packet itself is not forwarded */
	*arg = in_port;
	return LB_MODE_TX;
}

int
lb_fwd_tun_xmit(struct lb_worker *w, const struct lb_svc_rs *rs, struct rte_mbuf *m,
		uint16_t in_port, uint16_t *arg)
{
	const struct lb_fwd_shared *sh = w->sh;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *outer, *inner;
	uint16_t tot, mtu = sh->port_mtu[rs->out_port];
	int ret;

	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	inner = (struct rte_ipv4_hdr *)(eth + 1);
	tot = rte_be_to_cpu_16(inner->total_length);
	if (unlikely((uint32_t)tot + sizeof(*outer) > mtu)) {
		if (inner->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG))
			return frag_needed(w, m, in_port, (uint16_t)(mtu - sizeof(*outer)), arg);
		*arg = LB_CNT_tun_mtu;
		return LB_MODE_DROP;
	}
	/* Ethernet padding of a short frame must not end up inside the tunnel. */
	if (rte_pktmbuf_data_len(m) > sizeof(*eth) + tot)
		rte_pktmbuf_trim(m, rte_pktmbuf_data_len(m) - (sizeof(*eth) + tot));
	ret = lb_fwd_to_rs(w, rs, m, arg);
	if (ret != LB_MODE_TX)
		return ret;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, sizeof(*outer));
	if (unlikely(eth == NULL)) {
		*arg = LB_CNT_tun_mtu;
		return LB_MODE_DROP;
	}
	memmove(eth, (uint8_t *)eth + sizeof(*outer), sizeof(*eth));
	outer = (struct rte_ipv4_hdr *)(eth + 1);
	inner = outer + 1;
	outer->version_ihl = RTE_IPV4_VHL_DEF;
	outer->type_of_service = inner->type_of_service;
	outer->total_length = rte_cpu_to_be_16(tot + sizeof(*outer));
	outer->packet_id = 0;
	/* DF is copied (RFC 2003 3.1), so path MTU discovery keeps working. */
	outer->fragment_offset = inner->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	outer->time_to_live = OUTER_TTL;
	outer->next_proto_id = IPPROTO_IPIP;
	outer->src_addr = sh->port_addr[rs->out_port];
	outer->dst_addr = rs->ip;
	outer->hdr_checksum = 0;
	outer->hdr_checksum = rte_ipv4_cksum(outer);
	return LB_MODE_TX;
}
