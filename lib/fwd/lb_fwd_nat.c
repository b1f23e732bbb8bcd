/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT and FULLNAT rewriting for the worker, and the dispatch of the mode
 * functions (see lb_fwd_modes.h for the design).
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "lb_fwd_modes.h"
#include "lb_fwd_modes_int.h"

#define SESS_FREE UINT16_MAX	/* vs_id of a session slot never used */
#define LPORT_TRIES 64		/* slots tried per new FNAT flow */

/* Client side of an FNAT flow, indexed by (local address, local port). */
struct fnat_sess {
	uint32_t client;	/* network order */
	uint16_t cport;		/* network order */
	uint16_t vs_id;		/* SESS_FREE: never used */
	uint8_t mac[RTE_ETHER_ADDR_LEN];	/* client-side next hop */
	uint8_t port;		/* lb port toward the client */
	uint8_t proto;
};

struct lb_fwd_modes {
	uint16_t worker;
	uint16_t n_workers;
	uint32_t n_laddr;
	uint32_t slots;		/* local ports per address owned by this worker */
	uint32_t rr;		/* next local address of a service (round robin) */
	uint32_t *cursor;	/* [n_laddr] next slot to try */
	struct fnat_sess *sess;	/* [n_laddr][slots] */
} __rte_cache_aligned;

struct lb_fwd_modes *
lb_fwd_modes_create(uint32_t n_laddr, uint16_t worker, uint16_t n_workers, int socket)
{
	struct lb_fwd_modes *md;
	size_t i, n;

	if (n_workers == 0 || worker >= n_workers) {
		rte_errno = EINVAL;
		return NULL;
	}
	md = rte_zmalloc_socket("lb_fwd_modes", sizeof(*md), RTE_CACHE_LINE_SIZE, socket);
	if (md == NULL)
		goto nomem;
	md->worker = worker;
	md->n_workers = n_workers;
	md->n_laddr = n_laddr;
	md->slots = (65536 - LB_FNAT_LPORT_MIN) / n_workers;
	if (n_laddr == 0)
		return md;
	n = (size_t)n_laddr * md->slots;
	md->cursor = rte_zmalloc_socket("lb_fnat_cursor", sizeof(*md->cursor) * n_laddr,
					RTE_CACHE_LINE_SIZE, socket);
	md->sess = rte_malloc_socket("lb_fnat_sess", sizeof(*md->sess) * n,
				     RTE_CACHE_LINE_SIZE, socket);
	if (md->cursor == NULL || md->sess == NULL) {
		lb_fwd_modes_free(md);
		goto nomem;
	}
	for (i = 0; i < n; i++)
		md->sess[i].vs_id = SESS_FREE;
	return md;
nomem:
	rte_errno = ENOMEM;
	return NULL;
}

void
lb_fwd_modes_free(struct lb_fwd_modes *md)
{
	if (md == NULL)
		return;
	rte_free(md->cursor);
	rte_free(md->sess);
	rte_free(md);
}

/* Destination MAC = the real server's, source = its port's. */
int
lb_fwd_to_rs(struct lb_worker *w, const struct lb_svc_rs *rs, struct rte_mbuf *m, uint16_t *arg)
{
	uint64_t mac = __atomic_load_n(&w->sh->rs_mac[rs->id], __ATOMIC_RELAXED);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	int i;

	if (unlikely(!(mac >> 63))) {
		*arg = LB_CNT_no_neigh;
		return LB_MODE_DROP;
	}
	for (i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--, mac >>= 8)
		eth->dst_addr.addr_bytes[i] = (uint8_t)mac;
	rte_ether_addr_copy(&w->sh->port_mac[rs->out_port], &eth->src_addr);
	*arg = rs->out_port;
	return LB_MODE_TX;
}

/* Destination MAC = a remembered client-side next hop, source = the port's. */
static inline int
to_client(struct lb_worker *w, struct rte_mbuf *m, const uint8_t *mac, uint16_t port,
	  uint16_t *arg)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	if (unlikely(port >= w->sh->n_ports)) {
		*arg = LB_CNT_nat_orphan;
		return LB_MODE_DROP;
	}
	memcpy(eth->dst_addr.addr_bytes, mac, RTE_ETHER_ADDR_LEN);
	rte_ether_addr_copy(&w->sh->port_mac[port], &eth->src_addr);
	*arg = port;
	return LB_MODE_TX;
}

/* ---- NAT ---- */

static int
nat_new_flow(struct lb_worker *w, const struct lb_svc_vs *vs, const struct lb_svc_rs *rs,
	     struct lb_conn *c, const struct lb_pkt *pkt, struct rte_mbuf *m, uint16_t in_port,
	     uint16_t *arg)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct lb_conn_key rk = {
		.saddr = rs->ip, .daddr = pkt->key.saddr,
		.sport = rs->port, .dport = pkt->key.sport, .proto = pkt->key.proto,
	};
	uint32_t h = lb_conn_hash(&rk);
	struct lb_conn *r;

	/* A stale reply entry of an earlier flow with this tuple is taken over. */
	r = lb_conn_lookup(w->conn, &rk, h, w->now);
	if (r == NULL || r->state != LB_CONN_REPLY) {
		r = lb_conn_insert(w->conn, &rk, h, w->now, rs->id, vs->id, LB_CONN_REPLY,
				   c->expire - w->now);
		if (r == NULL || r == c) {
			/* Full, or the only victim was the flow itself (then c is r). */
			if (r != NULL)
				r->expire = w->now;
			*arg = LB_CNT_conn_full;
			return LB_MODE_DROP;
		}
	}
	r->rs_id = (uint16_t)rs->id;
	r->vs_id = (uint16_t)vs->id;
	r->expire = c->expire;
	r->flags = (uint8_t)in_port;
	memcpy(r->xdata, eth->src_addr.addr_bytes, RTE_ETHER_ADDR_LEN);
	return LB_MODE_TX;
}

int
lb_fwd_nat_reply(struct lb_worker *w, const struct lb_svc *svc, struct lb_conn *r,
		 const struct lb_pkt *pkt, struct rte_mbuf *m, uint16_t *arg)
{
	const struct lb_svc_vs *vs;
	struct lb_conn_key fk;
	struct lb_conn *c;

	if (unlikely(r->vs_id >= svc->n_vs))
		goto orphan;
	vs = &svc->vs[r->vs_id];
	fk = (struct lb_conn_key){
		.saddr = pkt->key.daddr, .daddr = vs->vip,
		.sport = pkt->key.dport, .dport = vs->port, .proto = pkt->key.proto,
	};
	c = lb_conn_lookup(w->conn, &fk, lb_conn_hash(&fk), w->now);
	if (c == NULL || c->state == LB_CONN_REPLY || c->rs_id != r->rs_id)
		goto orphan;
	if (unlikely(!vs->active)) {
		*arg = LB_CNT_vip_backup;
		return LB_MODE_DROP;
	}
	/* The server's FIN or RST closes the flow too; its ACKs keep it alive. */
	lb_conn_touch(w->conn, c, pkt->tcp_flags & (RTE_TCP_FIN_FLAG | RTE_TCP_RST_FLAG), w->now);
	r->expire = c->expire;
	lb_fwd_rewrite4(m, vs->vip, pkt->key.daddr, vs->port, pkt->key.dport);
	w->cnt[LB_CNT_replies]++;
	return to_client(w, m, r->xdata, r->flags, arg);
orphan:
	*arg = LB_CNT_nat_orphan;
	return LB_MODE_DROP;
}

/* ---- FULLNAT ---- */

static inline uint16_t
lport_of(const struct lb_fwd_modes *md, uint32_t slot)
{
	return (uint16_t)(LB_FNAT_LPORT_MIN + slot * md->n_workers + md->worker);
}

/* The flow of a session, if it is still alive and still owns (li, lport). */
static struct lb_conn *
sess_flow(struct lb_worker *w, const struct lb_svc *svc, const struct fnat_sess *s,
	  uint32_t laddr, uint16_t lport_be)
{
	const struct lb_svc_vs *vs;
	struct lb_conn_key fk;
	struct lb_conn *c;

	if (s->vs_id >= svc->n_vs)
		return NULL;
	vs = &svc->vs[s->vs_id];
	fk = (struct lb_conn_key){
		.saddr = s->client, .daddr = vs->vip,
		.sport = s->cport, .dport = vs->port, .proto = s->proto,
	};
	c = lb_conn_lookup(w->conn, &fk, lb_conn_hash(&fk), w->now);
	if (c == NULL || c->state == LB_CONN_REPLY ||
	    memcmp(c->xdata, &laddr, 4) != 0 || memcmp(c->xdata + 4, &lport_be, 2) != 0)
		return NULL;
	return c;
}

static int
fnat_new_flow(struct lb_worker *w, const struct lb_svc *svc, const struct lb_svc_vs *vs,
	      struct lb_conn *c, const struct lb_pkt *pkt, struct rte_mbuf *m,
	      uint16_t in_port, uint16_t *arg)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct lb_fwd_modes *md = w->modes;
	unsigned int t;

	if (vs->n_laddr == 0 || md->n_laddr == 0)
		goto none;
	for (t = 0; t < LPORT_TRIES; t++) {
		uint32_t li = vs->laddr_first + md->rr++ % vs->n_laddr;
		uint32_t slot, laddr;
		struct fnat_sess *s;
		uint16_t lport_be;

		if (li >= md->n_laddr || li >= svc->n_laddr)
			goto none;
		slot = md->cursor[li];
		md->cursor[li] = slot + 1 < md->slots ? slot + 1 : 0;
		s = &md->sess[(size_t)li * md->slots + slot];
		laddr = svc->laddr_all[li];
		lport_be = rte_cpu_to_be_16(lport_of(md, slot));
		if (s->vs_id != SESS_FREE && sess_flow(w, svc, s, laddr, lport_be) != NULL)
			continue;
		s->client = pkt->key.saddr;
		s->cport = pkt->key.sport;
		s->vs_id = (uint16_t)vs->id;
		s->proto = pkt->key.proto;
		s->port = (uint8_t)in_port;
		memcpy(s->mac, eth->src_addr.addr_bytes, RTE_ETHER_ADDR_LEN);
		memcpy(c->xdata, &laddr, 4);
		memcpy(c->xdata + 4, &lport_be, 2);
		return LB_MODE_TX;
	}
none:
	*arg = LB_CNT_no_lport;
	return LB_MODE_DROP;
}

struct lb_conn *
lb_fwd_fnat_flow(struct lb_worker *w, const struct lb_svc *svc, uint32_t laddr, uint16_t lport_be,
		 struct lb_fnat_peer *peer)
{
	struct lb_fwd_modes *md = w->modes;
	const struct fnat_sess *s;
	uint32_t lport = rte_be_to_cpu_16(lport_be), off, slot;
	struct lb_conn *c;
	int li;

	li = lb_svc_laddr_index(svc, laddr);
	if (li < 0 || lport < LB_FNAT_LPORT_MIN)
		return NULL;
	off = lport - LB_FNAT_LPORT_MIN;
	slot = off / md->n_workers;
	if (off % md->n_workers != md->worker || (uint32_t)li >= md->n_laddr ||
	    slot >= md->slots)
		return NULL;
	s = &md->sess[(size_t)li * md->slots + slot];
	c = sess_flow(w, svc, s, laddr, lport_be);
	if (c == NULL)
		return NULL;
	peer->client = s->client;
	peer->cport = s->cport;
	peer->mac = s->mac;
	peer->port = s->port;
	return c;
}

int
lb_fwd_fnat_reply(struct lb_worker *w, const struct lb_svc *svc, const struct lb_pkt *pkt,
		  struct rte_mbuf *m, uint16_t *arg)
{
	struct lb_fwd_modes *md = w->modes;
	const struct lb_svc_rs *rs;
	const struct lb_svc_vs *vs;
	const struct fnat_sess *s;
	struct lb_conn *c;
	uint32_t lport, off, slot;
	int li;

	if (svc->n_laddr == 0)
		return LB_MODE_PASS;
	li = lb_svc_laddr_index(svc, pkt->key.daddr);
	lport = rte_be_to_cpu_16(pkt->key.dport);
	if (li < 0 || lport < LB_FNAT_LPORT_MIN)
		return LB_MODE_PASS;	/* e.g. traffic for the director itself */
	off = lport - LB_FNAT_LPORT_MIN;
	if (off % md->n_workers != md->worker) {
		*arg = (uint16_t)(off % md->n_workers);
		return LB_MODE_REDIRECT;
	}
	slot = off / md->n_workers;
	if ((uint32_t)li >= md->n_laddr || slot >= md->slots)
		goto orphan;
	s = &md->sess[(size_t)li * md->slots + slot];
	c = sess_flow(w, svc, s, pkt->key.daddr, pkt->key.dport);
	if (c == NULL || s->proto != pkt->key.proto)
		goto orphan;
	rs = svc->rs_by_id[c->rs_id];
	if (rs == NULL || rs->ip != pkt->key.saddr || rs->port != pkt->key.sport)
		goto orphan;
	vs = &svc->vs[s->vs_id];
	if (unlikely(!vs->active)) {
		*arg = LB_CNT_vip_backup;
		return LB_MODE_DROP;
	}
	lb_conn_touch(w->conn, c, pkt->tcp_flags & (RTE_TCP_FIN_FLAG | RTE_TCP_RST_FLAG), w->now);
	lb_fwd_rewrite4(m, vs->vip, s->client, vs->port, s->cport);
	w->cnt[LB_CNT_replies]++;
	return to_client(w, m, s->mac, s->port, arg);
orphan:
	*arg = LB_CNT_nat_orphan;
	return LB_MODE_DROP;
}

/* ---- dispatch ---- */

int
lb_fwd_modes_new_flow(struct lb_worker *w, const struct lb_svc *svc,
		      const struct lb_svc_vs *vs, const struct lb_svc_rs *rs, struct lb_conn *c,
		      const struct lb_pkt *pkt, struct rte_mbuf *m, uint16_t in_port,
		      uint16_t *arg)
{
	switch (vs->kind) {
	case LB_FWD_NAT:
		return nat_new_flow(w, vs, rs, c, pkt, m, in_port, arg);
	case LB_FWD_FNAT:
		return fnat_new_flow(w, svc, vs, c, pkt, m, in_port, arg);
	default:
		return LB_MODE_TX;
	}
}

int
lb_fwd_modes_xmit(struct lb_worker *w, const struct lb_svc_vs *vs, const struct lb_svc_rs *rs,
		  const struct lb_conn *c, struct rte_mbuf *m, uint16_t in_port, uint16_t *arg)
{
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *l4;
	uint32_t laddr;
	uint16_t lport;

	switch (vs->kind) {
	case LB_FWD_NAT:
		ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
					     sizeof(struct rte_ether_hdr));
		l4 = (const struct rte_udp_hdr *)((const uint8_t *)ip +
						  (ip->version_ihl & 0x0f) * 4);
		lb_fwd_rewrite4(m, ip->src_addr, rs->ip, l4->src_port, rs->port);
		return lb_fwd_to_rs(w, rs, m, arg);
	case LB_FWD_FNAT:
		memcpy(&laddr, c->xdata, 4);
		memcpy(&lport, c->xdata + 4, 2);
		lb_fwd_rewrite4(m, laddr, rs->ip, lport, rs->port);
		return lb_fwd_to_rs(w, rs, m, arg);
	case LB_FWD_TUN:
		return lb_fwd_tun_xmit(w, rs, m, in_port, arg);
	default:
		return lb_fwd_to_rs(w, rs, m, arg);
	}
}

int
lb_fwd_to_client(struct lb_worker *w, struct rte_mbuf *m, const uint8_t *mac, uint16_t port,
		 uint16_t *arg)
{
	return to_client(w, m, mac, port, arg);
}
