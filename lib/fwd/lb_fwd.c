/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "lb_fwd.h"
#include "lb_fwd_modes.h"

#define EXPIRE_BUCKETS_PER_POLL 8
#define SAMPLE_BUCKETS_PER_POLL 256
#define CAP_SNAPLEN 2048

static const char *const cnt_names[LB_CNT__MAX] = {
#define LB_FWD_NAME(n) [LB_CNT_##n] = #n,
	LB_FWD_CNT_LIST(LB_FWD_NAME)
	LB_FWD_DROP_LIST(LB_FWD_NAME)
#undef LB_FWD_NAME
};

const char *
lb_fwd_cnt_name(enum lb_fwd_cnt c)
{
	return (unsigned int)c < LB_CNT__MAX ? cnt_names[c] : "?";
}

static inline enum lb_parse_verdict
parse_drop(struct lb_pkt *pkt, enum lb_fwd_cnt reason)
{
	pkt->drop = (uint8_t)reason;
	return LB_PARSE_DROP;
}

enum lb_parse_verdict
lb_fwd_parse(const struct rte_mbuf *m, const struct rte_ether_addr *port_mac,
	     struct lb_pkt *pkt)
{
	const struct rte_ether_hdr *eth;
	const struct rte_ipv4_hdr *ip;
	uint32_t len = rte_pktmbuf_data_len(m);
	uint32_t ihl, tot, l4len;
	const uint8_t *l4;

	if (len < sizeof(*eth))
		return parse_drop(pkt, LB_CNT_trunc_eth);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (!rte_is_same_ether_addr(&eth->dst_addr, port_mac) &&
	    !rte_is_multicast_ether_addr(&eth->dst_addr))
		return parse_drop(pkt, LB_CNT_not_our_mac);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return LB_PARSE_CTL;

	len -= sizeof(*eth);
	if (len < sizeof(*ip))
		return parse_drop(pkt, LB_CNT_trunc_ip);
	ip = (const struct rte_ipv4_hdr *)(eth + 1);
	if ((ip->version_ihl >> 4) != 4)
		return parse_drop(pkt, LB_CNT_bad_ip_version);
	ihl = (uint32_t)(ip->version_ihl & 0x0f) * 4;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (ihl < sizeof(*ip))
		return parse_drop(pkt, LB_CNT_bad_ihl);
	if (tot > len || tot < sizeof(*ip))
		return parse_drop(pkt, LB_CNT_bad_ip_len);
	if (ihl > tot)
		return parse_drop(pkt, LB_CNT_bad_ihl);

	pkt->key.saddr = ip->src_addr;
	pkt->key.daddr = ip->dst_addr;
	pkt->key.proto = ip->next_proto_id;
	pkt->key.flags = 0;
	memset(pkt->key.pad, 0, sizeof(pkt->key.pad));
	pkt->tcp_flags = 0;

	if (ip->next_proto_id != IPPROTO_TCP && ip->next_proto_id != IPPROTO_UDP)
		return LB_PARSE_CTL;
	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return parse_drop(pkt, LB_CNT_ip_frag);

	l4 = (const uint8_t *)ip + ihl;
	l4len = tot - ihl;
	if (ip->next_proto_id == IPPROTO_TCP) {
		const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)l4;
		uint32_t doff;

		if (l4len < sizeof(*th))
			return parse_drop(pkt, LB_CNT_trunc_l4);
		doff = (uint32_t)(th->data_off >> 4) * 4;
		if (doff < sizeof(*th))
			return parse_drop(pkt, LB_CNT_bad_tcp_doff);
		if (doff > l4len)
			return parse_drop(pkt, LB_CNT_trunc_l4);
		pkt->key.sport = th->src_port;
		pkt->key.dport = th->dst_port;
		pkt->tcp_flags = th->tcp_flags;
	} else {
		const struct rte_udp_hdr *uh = (const struct rte_udp_hdr *)l4;

		if (l4len < sizeof(*uh))
			return parse_drop(pkt, LB_CNT_trunc_l4);
		pkt->key.sport = uh->src_port;
		pkt->key.dport = uh->dst_port;
	}
	return LB_PARSE_FLOW;
}

static inline void
drop(struct lb_worker *w, struct rte_mbuf *m, enum lb_fwd_cnt reason)
{
	w->cnt[reason]++;
	rte_pktmbuf_free(m);
}

static inline void
to_ctl(struct lb_worker *w, struct rte_mbuf *m, uint16_t port)
{
	m->port = port;	/* lb port index, not the ethdev id */
	if (rte_ring_sp_enqueue(w->to_ctl, m) != 0) {
		drop(w, m, LB_CNT_ctl_ring_full);
		return;
	}
	w->cnt[LB_CNT_to_ctl]++;
}

static inline void
tx_queue(struct lb_worker *w, uint16_t port, struct rte_mbuf *m)
{
	w->tx[port][w->n_tx[port]++] = m;
	if (unlikely(w->n_tx[port] == LB_BURST_MAX))
		lb_worker_flush(w);
}

/* Choose a real server for a new flow: persistence template, then scheduler. */
static const struct lb_svc_rs *
schedule(struct lb_worker *w, const struct lb_svc *svc, const struct lb_svc_vs *vs,
	 const struct lb_pkt *pkt)
{
	const struct lb_sched_flow f = {
		.saddr = pkt->key.saddr, .daddr = pkt->key.daddr,
		.sport = pkt->key.sport, .dport = pkt->key.dport,
	};
	struct lb_conn_key tk;
	struct lb_conn *tc = NULL;
	uint32_t th = 0;
	int i;

	if (vs->persist_timeout != 0) {
		/*
		 * IPVS template: client address (masked by persistence_granularity)
		 * -> real server, per service.
		 */
		tk = (struct lb_conn_key){
			.saddr = pkt->key.saddr & vs->persist_mask, .daddr = vs->vip,
			.sport = 0, .dport = vs->port, .proto = vs->proto,
		};
		tk.flags = LB_CONN_KEY_TEMPLATE;
		th = lb_conn_hash(&tk);
		tc = lb_conn_lookup(w->conn, &tk, th, w->now);
		if (tc != NULL) {
			const struct lb_svc_rs *rs = tc->rs_id < LB_MAX_RS ?
				svc->rs_by_id[tc->rs_id] : NULL;

			/* A drained (weight 0) or removed server ends affinity. */
			if (rs != NULL && rs->vs_id == vs->id && rs->weight > 0) {
				lb_conn_refresh(w->conn, tc, w->now, vs->persist_timeout);
				return rs;
			}
		}
	}
	i = lb_sched_select_flow(&vs->grp, &w->sched[vs->id], &w->sh->counts, &f);
	if (i < 0)
		return NULL;
	if (vs->persist_timeout != 0) {
		if (tc != NULL) {
			tc->rs_id = vs->rs[i].id;
			lb_conn_refresh(w->conn, tc, w->now, vs->persist_timeout);
		} else {
			lb_conn_insert(w->conn, &tk, th, w->now, vs->rs[i].id, vs->id,
				       LB_CONN_TEMPLATE, vs->persist_timeout);
		}
	}
	return &vs->rs[i];
}

/*
 * The state a new entry starts in: SYN_RECV for a SYN; for a scheduled
 * unknown TCP flow (unknown_tcp), the state its flags show.
 */
static inline enum lb_conn_state
new_state(const struct lb_pkt *pkt)
{
	if (pkt->key.proto != IPPROTO_TCP)
		return LB_CONN_UDP;
	if (pkt->tcp_flags & RTE_TCP_RST_FLAG)
		return LB_CONN_CLOSE;
	if (pkt->tcp_flags & RTE_TCP_FIN_FLAG)
		return LB_CONN_FIN_WAIT;
	if ((pkt->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG)
		return LB_CONN_SYN_RECV;
	return LB_CONN_ESTABLISHED;
}

/* Hand a packet to the worker that owns its flow (FNAT replies, NAT). */
static void
redirect(struct lb_worker *w, struct rte_mbuf *m, uint16_t port, uint16_t owner)
{
	struct rte_ring *r = owner < w->sh->n_workers ? w->sh->redirect[owner] : NULL;

	m->port = port;
	if (r == NULL || rte_ring_mp_enqueue(r, m) != 0) {
		drop(w, m, LB_CNT_redirect_full);
		return;
	}
	w->cnt[LB_CNT_redirected]++;
}

/*
 * NAT with several workers: a flow belongs to the worker chosen by its client
 * (address, port), which the request carries as source and the real server's
 * reply as destination, so both directions meet in one connection table.
 */
static inline uint16_t
nat_owner(uint32_t client, uint16_t cport, uint16_t n_workers)
{
	uint32_t h = (client ^ ((uint32_t)cport << 16) ^ cport) * UINT32_C(2654435761);

	return (uint16_t)(((uint64_t)h * n_workers) >> 32);
}

/* Act on a verdict of the mode functions (lb_fwd_modes.h). */
static inline void
mode_verdict(struct lb_worker *w, struct rte_mbuf *m, uint16_t port, int v, uint16_t arg)
{
	switch (v) {
	case LB_MODE_TX:
		tx_queue(w, arg, m);
		break;
	case LB_MODE_REDIRECT:
		redirect(w, m, port, arg);
		break;
	case LB_MODE_PASS:
		to_ctl(w, m, port);
		break;
	default:
		drop(w, m, (enum lb_fwd_cnt)arg);
		break;
	}
}

static inline void
forward_one(struct lb_worker *w, const struct lb_svc *svc, uint16_t port, struct rte_mbuf *m)
{
	const struct lb_fwd_shared *sh = w->sh;
	const struct lb_svc_rs *rs;
	const struct lb_svc_vs *vs;
	struct rte_ether_hdr *eth;
	struct lb_conn *c;
	struct lb_pkt pkt;
	uint16_t arg = 0;
	uint64_t mac;
	bool unknown;
	uint32_t h;
	int v;

	switch (lb_fwd_parse(m, &sh->port_mac[port], &pkt)) {
	case LB_PARSE_FLOW:
		break;
	case LB_PARSE_CTL:
		/* ICMP errors about tracked flows go to the right side. */
		v = lb_fwd_icmp(w, svc, m, &arg);
		mode_verdict(w, m, port, v, arg);
		return;
	default:
		drop(w, m, (enum lb_fwd_cnt)pkt.drop);
		return;
	}

	h = lb_conn_hash(&pkt.key);
	c = lb_conn_lookup(w->conn, &pkt.key, h, w->now);
	if (likely(c != NULL)) {
		if (unlikely(c->state == LB_CONN_REPLY)) {
			/* NAT: the real server's reply to a client. */
			v = lb_fwd_nat_reply(w, svc, c, &pkt, m, &arg);
			mode_verdict(w, m, port, v, arg);
			return;
		}
		rs = svc->rs_by_id[c->rs_id];
		if (unlikely(rs == NULL || c->vs_id >= svc->n_vs)) {
			drop(w, m, LB_CNT_rs_gone);
			return;
		}
		vs = &svc->vs[c->vs_id];
		if (unlikely(!vs->active)) {
			drop(w, m, LB_CNT_vip_backup);
			return;
		}
		lb_conn_touch(w->conn, c, pkt.tcp_flags, w->now);
		w->cnt[LB_CNT_hits]++;
	} else {
		vs = lb_svc_lookup(svc, pkt.key.daddr, pkt.key.dport, pkt.key.proto);
		if (vs == NULL) {
			/* NAT: a real server's reply that another worker owns? */
			if (unlikely(svc->n_nat_rs != 0 && sh->n_workers > 1) &&
			    lb_svc_nat_rs_maybe(svc, pkt.key.saddr, pkt.key.sport)) {
				arg = nat_owner(pkt.key.daddr, pkt.key.dport, sh->n_workers);
				if (arg != w->idx) {
					redirect(w, m, port, arg);
					return;
				}
			}
			/* FULLNAT: a real server's reply to a local address? */
			v = lb_fwd_fnat_reply(w, svc, &pkt, m, &arg);
			mode_verdict(w, m, port, v, arg);
			return;
		}
		if (unlikely(!vs->active)) {
			drop(w, m, LB_CNT_vip_backup);
			return;
		}
		if (vs->kind == LB_FWD_NAT && sh->n_workers > 1) {
			arg = nat_owner(pkt.key.saddr, pkt.key.sport, sh->n_workers);
			if (arg != w->idx) {
				redirect(w, m, port, arg);
				return;
			}
		}
		unknown = pkt.key.proto == IPPROTO_TCP &&
			(pkt.tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG)) !=
			RTE_TCP_SYN_FLAG;
		if (unknown && !vs->sched_unknown_tcp) {
			drop(w, m, LB_CNT_not_syn);
			return;
		}
		rs = schedule(w, svc, vs, &pkt);
		if (rs == NULL) {
			drop(w, m, LB_CNT_no_rs);
			return;
		}
		c = lb_conn_insert(w->conn, &pkt.key, h, w->now, rs->id, vs->id, new_state(&pkt),
				   0);
		if (c == NULL) {
			drop(w, m, LB_CNT_conn_full);
			return;
		}
		if (vs->kind != LB_FWD_DR) {
			v = lb_fwd_modes_new_flow(w, svc, vs, rs, c, &pkt, m, port, &arg);
			if (unlikely(v != LB_MODE_TX)) {
				/* The flow cannot work: let its entry go at once. */
				c->expire = w->now;
				mode_verdict(w, m, port, v, arg);
				return;
			}
		}
		w->cnt[LB_CNT_new_flows]++;
		if (unknown)
			w->cnt[LB_CNT_unknown_sched]++;
		w->rs_stats[rs->id].conns++;
	}
	w->rs_stats[rs->id].pkts++;
	w->rs_stats[rs->id].bytes += rte_pktmbuf_pkt_len(m);

	if (vs->kind != LB_FWD_DR) {
		v = lb_fwd_modes_xmit(w, vs, rs, c, m, port, &arg);
		mode_verdict(w, m, port, v, arg);
		return;
	}
	/* DR: only the MACs change. */
	mac = __atomic_load_n(&sh->rs_mac[rs->id], __ATOMIC_RELAXED);
	if (unlikely(!(mac >> 63))) {
		drop(w, m, LB_CNT_no_neigh);
		return;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr.addr_bytes[0] = (uint8_t)(mac >> 40);
	eth->dst_addr.addr_bytes[1] = (uint8_t)(mac >> 32);
	eth->dst_addr.addr_bytes[2] = (uint8_t)(mac >> 24);
	eth->dst_addr.addr_bytes[3] = (uint8_t)(mac >> 16);
	eth->dst_addr.addr_bytes[4] = (uint8_t)(mac >> 8);
	eth->dst_addr.addr_bytes[5] = (uint8_t)mac;
	rte_ether_addr_copy(&sh->port_mac[rs->out_port], &eth->src_addr);
	tx_queue(w, rs->out_port, m);
}

/* Copy a burst for lbctl capture; never waits: no mbuf or a full ring is counted. */
static void
capture(struct lb_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n, uint32_t dir)
{
	struct lb_cap_meta *meta;
	struct rte_mbuf *c;
	uint64_t tsc;
	uint16_t i;

	if (w->cap_ring == NULL || w->cap_mp == NULL)
		return;
	tsc = rte_rdtsc();
	for (i = 0; i < n; i++) {
		c = rte_pktmbuf_copy(pkts[i], w->cap_mp, 0, CAP_SNAPLEN);
		if (c == NULL) {
			w->cnt[LB_CNT_cap_drop]++;
			continue;
		}
		c->hash.usr = dir | port;
		meta = rte_mbuf_to_priv(c);
		meta->tsc = tsc;
		meta->len = rte_pktmbuf_pkt_len(pkts[i]);
		if (rte_ring_sp_enqueue(w->cap_ring, c) != 0) {
			rte_pktmbuf_free(c);
			w->cnt[LB_CNT_cap_drop]++;
			continue;
		}
		w->cnt[LB_CNT_cap]++;
	}
}

static inline void
capture_check(struct lb_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n,
	      uint32_t dir)
{
	uint32_t ports = __atomic_load_n(&w->sh->cap_ports, __ATOMIC_ACQUIRE);

	if (unlikely(ports & (UINT32_C(1) << port)))
		capture(w, port, pkts, n, dir);
}

static void
sample_cb(const struct lb_conn *c, void *arg)
{
	struct lb_conn_sample_req *r = arg;
	const struct lb_conn_filter *f = &r->filter;

	if (c->state == LB_CONN_TEMPLATE && f->state != LB_CONN_TEMPLATE)
		return;
	if ((f->saddr != 0 && f->saddr != c->key.saddr) ||
	    (f->daddr != 0 && f->daddr != c->key.daddr) ||
	    (f->sport != 0 && f->sport != c->key.sport) ||
	    (f->dport != 0 && f->dport != c->key.dport) ||
	    (f->proto != 0 && f->proto != c->key.proto) ||
	    (f->state != 0 && f->state != c->state) ||
	    (f->rs_id != UINT32_MAX && f->rs_id != c->rs_id))
		return;
	r->matched++;
	if (r->n < r->max)
		r->out[r->n++] = *c;
}

/* lbctl conn: walk a slice of the table per poll, so forwarding never stalls. */
static void
sample_step(struct lb_worker *w, struct lb_conn_sample_req *r)
{
	r->cursor = lb_conn_walk(w->conn, r->cursor, SAMPLE_BUCKETS_PER_POLL, w->now,
				 sample_cb, r);
	if (r->cursor == UINT32_MAX)
		__atomic_store_n(&w->req, NULL, __ATOMIC_RELEASE);
}

void
lb_worker_process(struct lb_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	const struct lb_svc *svc = __atomic_load_n(&w->sh->svc, __ATOMIC_ACQUIRE);
	uint16_t i;

	if (unlikely(svc->gen != w->svc_gen)) {
		for (i = 0; i < svc->n_vs; i++)
			lb_sched_state_init(&w->sched[i]);
		w->svc_gen = svc->gen;
	}
	w->cnt[LB_CNT_rx] += n;
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		forward_one(w, svc, port, pkts[i]);
	}
}

void
lb_worker_flush(struct lb_worker *w)
{
	const struct lb_fwd_shared *sh = w->sh;
	uint16_t p, sent, n;

	for (p = 0; p < sh->n_ports; p++) {
		n = w->n_tx[p];
		if (n == 0)
			continue;
		capture_check(w, p, w->tx[p], n, LB_CAP_TX);
		sent = rte_eth_tx_burst(sh->port_id[p], (uint16_t)w->idx, w->tx[p], n);
		w->cnt[LB_CNT_tx] += sent;
		if (unlikely(sent < n)) {
			w->cnt[LB_CNT_tx_full] += n - sent;
			rte_pktmbuf_free_bulk(&w->tx[p][sent], n - sent);
		}
		w->n_tx[p] = 0;
	}
}

/* Frames built by the control lcore; mbuf->port names the lb port. */
static void
drain_ctl_tx(struct lb_worker *w)
{
	struct rte_mbuf *pkts[32];
	unsigned int i, n;

	n = rte_ring_sc_dequeue_burst(w->from_ctl, (void **)pkts, RTE_DIM(pkts), NULL);
	for (i = 0; i < n; i++) {
		uint16_t p = pkts[i]->port;

		if (p >= w->sh->n_ports) {
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		w->cnt[LB_CNT_ctl_tx]++;
		tx_queue(w, p, pkts[i]);
	}
}

/* Packets other workers handed over (FNAT replies this worker owns). */
static unsigned int
drain_redirect(struct lb_worker *w)
{
	struct rte_mbuf *pkts[32];
	unsigned int i, n;

	n = rte_ring_sc_dequeue_burst(w->sh->redirect[w->idx], (void **)pkts, RTE_DIM(pkts),
				      NULL);
	for (i = 0; i < n; i++)
		lb_worker_process(w, pkts[i]->port, &pkts[i], 1);
	return n;
}

unsigned int
lb_worker_poll(struct lb_worker *w)
{
	const struct lb_fwd_shared *sh = w->sh;
	struct rte_mbuf *pkts[LB_BURST_MAX];
	struct lb_conn_sample_req *req;
	unsigned int total = 0;
	uint16_t p, n;

	w->now = (uint32_t)((rte_rdtsc() - sh->tsc_start) / sh->tsc_hz);
	if (sh->redirect[w->idx] != NULL && !rte_ring_empty(sh->redirect[w->idx]))
		total += drain_redirect(w);
	for (p = 0; p < sh->n_ports; p++) {
		n = rte_eth_rx_burst(sh->port_id[p], (uint16_t)w->idx, pkts, sh->burst);
		if (n == 0)
			continue;
		capture_check(w, p, pkts, n, 0);
		lb_worker_process(w, p, pkts, n);
		total += n;
	}
	if (w->from_ctl != NULL && !rte_ring_empty(w->from_ctl))
		drain_ctl_tx(w);
	lb_worker_flush(w);
	lb_conn_expire_step(w->conn, w->now, EXPIRE_BUCKETS_PER_POLL);
	req = __atomic_load_n(&w->req, __ATOMIC_ACQUIRE);
	if (unlikely(req != NULL))
		sample_step(w, req);
	rte_rcu_qsbr_quiescent(sh->qsbr, w->idx);
	return total;
}

int
lb_worker_main(void *arg)
{
	struct lb_worker *w = arg;
	struct lb_fwd_shared *sh = w->sh;

	rte_rcu_qsbr_thread_register(sh->qsbr, w->idx);
	rte_rcu_qsbr_thread_online(sh->qsbr, w->idx);
	while (!__atomic_load_n(&sh->quit, __ATOMIC_RELAXED))
		lb_worker_poll(w);
	rte_rcu_qsbr_thread_offline(sh->qsbr, w->idx);
	rte_rcu_qsbr_thread_unregister(sh->qsbr, w->idx);
	return 0;
}
