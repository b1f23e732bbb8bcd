/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FWD_H
#define LB_FWD_H

/**
 * @file
 * The worker datapath: parse, connection lookup, schedule, rewrite, TX.
 *
 * Each worker lcore runs lb_worker_main() over its own struct lb_worker:
 * one RX queue and one TX queue on every port (queue index = worker index).
 * Workers read the service snapshot published by the control lcore through
 * RCU (rte_rcu_qsbr) and report a quiescent state after every loop. They
 * never block, allocate, take locks, or write shared cache lines: every
 * counter is in the worker's own cache-aligned struct.
 *
 * Packets the workers do not forward (ARP, ICMP, traffic for the director's
 * own address, anything that is not for a virtual service) go to the control
 * lcore over the worker's to_ctl ring, with mbuf->port set to the lb port
 * index they arrived on. Frames built by the control lcore
 * (ARP replies and requests, gratuitous ARP) come back over worker 0's
 * from_ctl ring, with mbuf->port set to the egress port, and are sent on
 * worker 0's TX queue, so control needs no TX queue of its own.
 */

#include <stdint.h>
#include <stdbool.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_rcu_qsbr.h>

#include "lb_sched.h"
#include "lb_conn.h"
#include "lb_svc.h"
#include "lb_sysconf.h"

#define LB_BURST_MAX 256

/** Drop reasons, one per-lcore counter each ("Drop-<name>" in stats). */
#define LB_FWD_DROP_LIST(X) \
	X(not_our_mac)		/* unicast frame for another MAC */ \
	X(trunc_eth)		/* shorter than an Ethernet header */ \
	X(trunc_ip)		/* shorter than a minimal IPv4 header */ \
	X(bad_ip_version)	/* IPv4 ethertype, version != 4 */ \
	X(bad_ihl)		/* IHL < 5 or beyond total length */ \
	X(bad_ip_len)		/* total length beyond the frame or below IHL */ \
	X(ip_frag)		/* fragments are not forwarded (see docs) */ \
	X(trunc_l4)		/* TCP/UDP header cut short */ \
	X(bad_tcp_doff)		/* TCP data offset < 5 */ \
	X(not_syn)		/* unknown TCP flow without SYN (unknown_tcp policy) */ \
	X(no_rs)		/* no real server with weight > 0 */ \
	X(vip_backup)		/* VIP held by another director */ \
	X(conn_full)		/* connection table window full */ \
	X(no_neigh)		/* real server MAC not resolved yet */ \
	X(rs_gone)		/* tracked flow's real server was removed */ \
	X(ctl_ring_full)	/* control lcore ring full */ \
	X(tx_full)		/* NIC TX queue full */ \
	X(nat_orphan)		/* NAT/FNAT reply whose flow is gone */ \
	X(no_lport)		/* FNAT: no free local port for a new flow */ \
	X(frag_needed)		/* TUN: too big with DF set: ICMP sent back */ \
	X(tun_mtu)		/* TUN: too big without DF (not fragmented) */ \
	X(redirect_full)	/* redirect ring to the owning worker full */

/** Other per-lcore counters. */
#define LB_FWD_CNT_LIST(X) \
	X(rx) X(tx) X(hits) X(new_flows) X(to_ctl) X(ctl_tx) \
	X(unknown_sched)	/* non-SYN of an unknown TCP flow, scheduled (unknown_tcp) */ \
	X(replies)		/* NAT/FNAT replies forwarded to clients */ \
	X(icmp_tx)		/* ICMP errors lbapp built (fragmentation needed) */ \
	X(icmp_fwd)		/* ICMP errors about tracked flows forwarded */ \
	X(redirected)		/* packets handed to the worker that owns the flow */ \
	X(cap) X(cap_drop)	/* packets copied for lbctl capture, copies lost */

enum lb_fwd_cnt {
#define LB_FWD_ENUM(n) LB_CNT_##n,
	LB_FWD_CNT_LIST(LB_FWD_ENUM)
	LB_FWD_DROP_LIST(LB_FWD_ENUM)
#undef LB_FWD_ENUM
	LB_CNT__MAX,
};

/** First drop counter: drops are [LB_CNT_DROP_FIRST, LB_CNT__MAX). */
#define LB_CNT_DROP_FIRST LB_CNT_not_our_mac

/**
 * State shared by all workers, written only by the control lcore.
 * Workers read it (svc with acquire semantics, rs_mac with relaxed atomics).
 */
struct lb_fwd_shared {
	struct lb_svc *svc;			/**< current snapshot (RCU) */
	struct rte_rcu_qsbr *qsbr;		/**< workers are threads 0..n-1 */
	uint64_t rs_mac[LB_MAX_RS];		/**< bit 63 valid | 48-bit MAC */
	struct rte_ether_addr port_mac[LB_MAX_PORTS];
	uint16_t port_id[LB_MAX_PORTS];		/**< ethdev port per lb port index */
	uint32_t port_addr[LB_MAX_PORTS];	/**< director address, network order */
	uint16_t port_mtu[LB_MAX_PORTS];	/**< IP MTU (TUN's limit) */
	uint16_t n_ports;
	uint16_t n_workers;
	struct rte_ring *redirect[LB_MAX_WORKERS];	/**< MP/SC: to worker i (FNAT replies) */
	uint16_t burst;
	uint64_t tsc_hz;
	uint64_t tsc_start;
	struct lb_sched_counts counts;		/**< every worker's rs counters */
	volatile bool quit;
	/** Capture: bit p set = copy what lb port p receives and sends to each
	 * worker's cap_ring (set by control after cap_ring and cap_mp, release). */
	uint32_t cap_ports;
};

/** Per-real-server traffic of one worker (single writer, relaxed readers). */
struct lb_rs_stats {
	uint64_t conns;		/**< connections scheduled to it */
	uint64_t pkts;		/**< packets forwarded to it */
	uint64_t bytes;		/**< bytes forwarded to it (frame length) */
};

/** Which connections lbctl conn wants: zero fields match anything. */
struct lb_conn_filter {
	uint32_t saddr, daddr;	/**< network order */
	uint16_t sport, dport;	/**< network order */
	uint8_t proto;
	uint8_t state;		/**< enum lb_conn_state, 0 = any */
	uint32_t rs_id;		/**< UINT32_MAX = any */
};

/**
 * A sample request from control to one worker: the worker walks its own
 * connection table a few buckets per poll, counts matching entries and
 * copies the first max of them, then clears lb_worker.req (release).
 * Control owns the memory and does not touch it until req is NULL again.
 */
struct lb_conn_sample_req {
	struct lb_conn_filter filter;
	uint32_t max;			/**< entries out[] holds */
	uint32_t n;			/**< entries copied */
	uint64_t matched;		/**< live entries matching */
	uint32_t cursor;		/**< next bucket */
	struct lb_conn *out;
};

/** A captured copy's direction, in mbuf->hash.usr bit 16. */
#define LB_CAP_TX (UINT32_C(1) << 16)

/**
 * The private area of a captured copy (cap_mp is made with this priv_size):
 * filled by the worker when it copies, so the pcap record carries the time
 * the worker saw the packet and its length before snapping.
 */
struct lb_cap_meta {
	uint64_t tsc;		/**< rte_rdtsc() at copy time */
	uint32_t len;		/**< original packet length */
	uint32_t pad;
};

/** Parsed packet. Addresses and ports in network order. */
struct lb_pkt {
	struct lb_conn_key key;
	uint8_t tcp_flags;
	uint8_t drop;		/**< enum lb_fwd_cnt when the parse says drop */
};

/** lb_fwd_parse() verdicts. */
enum lb_parse_verdict {
	LB_PARSE_FLOW = 0,	/**< IPv4 TCP/UDP, key filled */
	LB_PARSE_CTL,		/**< for the control lcore (ARP, ICMP, other) */
	LB_PARSE_DROP,		/**< malformed; pkt->drop holds the reason */
};

/** Per-worker state; owned and written by one worker lcore only. */
struct lb_worker {
	unsigned int idx;		/**< worker index = queue index = RCU thread id */
	unsigned int lcore_id;
	struct lb_fwd_shared *sh;
	struct lb_conn_table *conn;
	struct rte_ring *to_ctl;	/**< SP/SC: this worker -> control */
	struct rte_ring *from_ctl;	/**< SP/SC: control -> TX (worker 0 only) */
	struct lb_fwd_modes *modes;	/**< NAT/TUN/FNAT state (lb_fwd_modes.h) */
	uint64_t svc_gen;		/**< snapshot generation seen */
	uint32_t now;			/**< lb clock, seconds */
	uint16_t n_tx[LB_MAX_PORTS];
	struct rte_mbuf *tx[LB_MAX_PORTS][LB_BURST_MAX];
	uint64_t cnt[LB_CNT__MAX];
	struct lb_conn_sample_req *req;	/**< lbctl conn: set by control, cleared here */
	struct rte_ring *cap_ring;	/**< SP/SC: captured copies -> control */
	struct rte_mempool *cap_mp;	/**< where copies come from */
	struct lb_sched_state sched[LB_MAX_VS];
	struct lb_rs_stats rs_stats[LB_MAX_RS] __rte_cache_aligned;
} __rte_cache_aligned;

/**
 * Parse one frame received on a port.
 *
 * @param m
 *   The mbuf (single segment is assumed for headers; data_len is bounded).
 * @param port_mac
 *   The receiving port's MAC, for the L2 filter.
 * @param pkt
 *   Filled with the flow key and TCP flags, or the drop reason.
 * @return
 *   An enum lb_parse_verdict.
 */
enum lb_parse_verdict lb_fwd_parse(const struct rte_mbuf *m,
				   const struct rte_ether_addr *port_mac, struct lb_pkt *pkt);

/**
 * Run one iteration of a worker: RX from every port, forward, drain the
 * control TX ring, flush TX, expire a few connection buckets, report RCU
 * quiescence. Exposed for datapath tests that drive a worker directly.
 *
 * @return
 *   Packets received in this iteration.
 */
unsigned int lb_worker_poll(struct lb_worker *w);

/**
 * Forward a burst of already-received packets (mbufs are consumed: sent,
 * queued for control, or freed and counted). TX is queued, not flushed.
 *
 * @param port
 *   The lb port index they were received on.
 */
void lb_worker_process(struct lb_worker *w, uint16_t port, struct rte_mbuf **pkts, uint16_t n);

/** Send whatever lb_worker_process() queued for TX. */
void lb_worker_flush(struct lb_worker *w);

/**
 * Worker lcore entry point for rte_eal_remote_launch(). Registers with RCU,
 * loops on lb_worker_poll() until sh->quit, then goes offline.
 *
 * @param arg
 *   The struct lb_worker.
 * @return
 *   0.
 */
int lb_worker_main(void *arg);

/** @return the name of a counter ("rx", "bad_ihl", ...). */
const char *lb_fwd_cnt_name(enum lb_fwd_cnt c);

#endif /* LB_FWD_H */
