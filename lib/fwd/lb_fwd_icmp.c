/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors about tracked flows (destination unreachable, including
 * fragmentation needed; time exceeded; parameter problem). The quoted packet
 * names the flow; the error goes to the side that sent the quoted packet,
 * rewritten like the flow's own packets:
 *
 *  - about a packet VIP:vport -> client:cport (a router on the client's path
 *    or the client answers the server's reply): to the flow's real server.
 *    DR: MACs only; TUN: in IPIP; NAT: outer destination and the quoted
 *    source become the real server's; FNAT: likewise, and the outer source
 *    and quoted destination become the flow's local address and port.
 *  - about a packet the director sent to a real server (NAT: the server's
 *    kernel answers client:cport -> RS:rport; FNAT: laddr:lport -> RS:rport):
 *    to the client, with the quoted packet turned back into the client's
 *    (client:cport -> VIP:vport) and the outer source set to the VIP.
 *
 * Everything else (echo, errors about unknown flows) goes to the control
 * lcore as before. The quoted L4 checksum is not updated (the quote is often
 * cut short, and receivers do not check it); the quoted IPv4 header checksum
 * and the ICMP checksum are recomputed.
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "lb_fwd_modes_int.h"

#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETER_PROB 12

struct icmp_ctx {
	struct rte_ipv4_hdr *ip;	/* outer */
	struct rte_icmp_hdr *icmp;
	uint32_t icmp_len;
	struct rte_ipv4_hdr *in;	/* quoted */
	struct rte_udp_hdr *in_ports;	/* quoted ports (TCP and UDP alike) */
};

/* Rewrite outer and quoted addresses and ports; fix the checksums. */
static void
icmp_rewrite(struct icmp_ctx *x, uint32_t o_src, uint32_t o_dst, uint32_t i_src, uint32_t i_dst,
	     uint16_t i_sport, uint16_t i_dport)
{
	uint16_t c;

	c = lb_csum_adj32(x->ip->hdr_checksum, x->ip->src_addr, o_src);
	x->ip->hdr_checksum = lb_csum_adj32(c, x->ip->dst_addr, o_dst);
	x->ip->src_addr = o_src;
	x->ip->dst_addr = o_dst;
	x->in->src_addr = i_src;
	x->in->dst_addr = i_dst;
	x->in->hdr_checksum = 0;
	x->in->hdr_checksum = rte_ipv4_cksum(x->in);
	x->in_ports->src_port = i_sport;
	x->in_ports->dst_port = i_dport;
	x->icmp->icmp_cksum = 0;
	x->icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(x->icmp, x->icmp_len);
}

static int
icmp_route(struct lb_worker *w, const struct lb_svc *svc, struct rte_mbuf *m, uint16_t *arg);

/*
 * The other worker that owns the NAT flow an ICMP error quotes, or -1: the
 * quote is client -> RS (from the real server's side) or VIP -> client (from
 * the client's side); the client end picks the owner.
 */
static int
nat_icmp_owner(const struct lb_worker *w, const struct lb_svc *svc, const struct icmp_ctx *x)
{
	const struct lb_svc_vs *vs;
	uint16_t o;

	if (lb_svc_nat_rs_maybe(svc, x->in->dst_addr, x->in_ports->dst_port)) {
		o = lb_fwd_nat_owner(x->in->src_addr, x->in_ports->src_port, w->sh->n_workers);
		return o != w->idx ? o : -1;
	}
	vs = lb_svc_lookup(svc, x->in->src_addr, x->in_ports->src_port, x->in->next_proto_id);
	if (vs != NULL && vs->kind == LB_FWD_NAT) {
		o = lb_fwd_nat_owner(x->in->dst_addr, x->in_ports->dst_port, w->sh->n_workers);
		return o != w->idx ? o : -1;
	}
	return -1;
}

int
lb_fwd_icmp(struct lb_worker *w, const struct lb_svc *svc, struct rte_mbuf *m, uint16_t *arg)
{
	int v = icmp_route(w, svc, m, arg);

	if (v == LB_MODE_TX)
		w->cnt[LB_CNT_icmp_fwd]++;
	return v;
}

static int
icmp_route(struct lb_worker *w, const struct lb_svc *svc, struct rte_mbuf *m, uint16_t *arg)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint32_t len = rte_pktmbuf_data_len(m), ihl, tot, in_ihl;
	const struct lb_svc_rs *rs;
	const struct lb_svc_vs *vs;
	struct lb_fnat_peer peer;
	struct icmp_ctx x;
	struct lb_conn_key k;
	struct lb_conn *c;
	uint32_t laddr;
	uint16_t lport;

	/* lb_fwd_parse() checked Ethernet and the outer IPv4 header. */
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return LB_MODE_PASS;
	x.ip = (struct rte_ipv4_hdr *)(eth + 1);
	if (x.ip->next_proto_id != IPPROTO_ICMP ||
	    (x.ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return LB_MODE_PASS;
	ihl = (uint32_t)(x.ip->version_ihl & 0x0f) * 4;
	tot = rte_be_to_cpu_16(x.ip->total_length);
	if (tot + sizeof(*eth) > len || tot < ihl + sizeof(*x.icmp) + sizeof(*x.in) + 4)
		return LB_MODE_PASS;
	x.icmp = (struct rte_icmp_hdr *)((uint8_t *)x.ip + ihl);
	x.icmp_len = tot - ihl;
	if (x.icmp->icmp_type != ICMP_DEST_UNREACH && x.icmp->icmp_type != ICMP_TIME_EXCEEDED &&
	    x.icmp->icmp_type != ICMP_PARAMETER_PROB)
		return LB_MODE_PASS;
	x.in = (struct rte_ipv4_hdr *)(x.icmp + 1);
	in_ihl = (uint32_t)(x.in->version_ihl & 0x0f) * 4;
	if ((x.in->version_ihl >> 4) != 4 || in_ihl < sizeof(*x.in) ||
	    x.icmp_len < sizeof(*x.icmp) + in_ihl + 4 ||
	    (x.in->next_proto_id != IPPROTO_TCP && x.in->next_proto_id != IPPROTO_UDP) ||
	    (x.in->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)))
		return LB_MODE_PASS;
	x.in_ports = (struct rte_udp_hdr *)((uint8_t *)x.in + in_ihl);

	/* The quoted packet went Q.src -> Q.dst: its flow seen from the other end. */
	k = (struct lb_conn_key){
		.saddr = x.in->dst_addr, .daddr = x.in->src_addr,
		.sport = x.in_ports->dst_port, .dport = x.in_ports->src_port,
		.proto = x.in->next_proto_id,
	};
	c = lb_conn_lookup(w->conn, &k, lb_conn_hash(&k), w->now);
	if (c != NULL && c->state == LB_CONN_REPLY) {
		/* NAT: the real server's kernel about client -> RS. */
		if (c->vs_id >= svc->n_vs)
			return LB_MODE_PASS;
		vs = &svc->vs[c->vs_id];
		icmp_rewrite(&x, vs->vip, x.ip->dst_addr, x.in->src_addr, vs->vip,
			     x.in_ports->src_port, vs->port);
		return lb_fwd_to_client(w, m, c->xdata, c->flags, arg);
	}
	if (c != NULL) {
		/* About the server's packet VIP -> client: to the real server. */
		if (c->vs_id >= svc->n_vs || c->rs_id >= LB_MAX_RS ||
		    (rs = svc->rs_by_id[c->rs_id]) == NULL)
			return LB_MODE_PASS;
		vs = &svc->vs[c->vs_id];
		switch (vs->kind) {
		case LB_FWD_NAT:
			icmp_rewrite(&x, x.ip->src_addr, rs->ip, rs->ip, x.in->dst_addr, rs->port,
				     x.in_ports->dst_port);
			break;
		case LB_FWD_FNAT:
			memcpy(&laddr, c->xdata, 4);
			memcpy(&lport, c->xdata + 4, 2);
			icmp_rewrite(&x, laddr, rs->ip, rs->ip, laddr, rs->port, lport);
			break;
		case LB_FWD_TUN:
			return lb_fwd_tun_xmit(w, rs, m, 0, arg);
		default:
			break;
		}
		return lb_fwd_to_rs(w, rs, m, arg);
	}
	/* NAT, several workers: the flow may be the client owner's. */
	if (svc->n_nat_rs != 0 && w->sh->n_workers > 1) {
		int o = nat_icmp_owner(w, svc, &x);

		if (o >= 0) {
			*arg = (uint16_t)o;
			return LB_MODE_REDIRECT;
		}
	}
	/* FNAT: a real server (or its path) about laddr:lport -> RS; the port's owner. */
	if (w->sh->n_workers > 1 && lb_svc_laddr_index(svc, x.in->src_addr) >= 0) {
		uint32_t lp = rte_be_to_cpu_16(x.in_ports->src_port);

		if (lp >= LB_FNAT_LPORT_MIN &&
		    (lp - LB_FNAT_LPORT_MIN) % w->sh->n_workers != w->idx) {
			*arg = (uint16_t)((lp - LB_FNAT_LPORT_MIN) % w->sh->n_workers);
			return LB_MODE_REDIRECT;
		}
	}
	c = lb_fwd_fnat_flow(w, svc, x.in->src_addr, x.in_ports->src_port, &peer);
	if (c == NULL || c->vs_id >= svc->n_vs)
		return LB_MODE_PASS;
	vs = &svc->vs[c->vs_id];
	icmp_rewrite(&x, vs->vip, peer.client, peer.client, vs->vip, peer.cport, vs->port);
	return lb_fwd_to_client(w, m, peer.mac, peer.port, arg);
}
