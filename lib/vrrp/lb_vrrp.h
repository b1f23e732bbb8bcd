/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_H
#define LB_VRRP_H

/**
 * @file
 * VRRP (RFC 3768 = v2, RFC 5798 = v3) as keepalived speaks it: the packet
 * codec, the receive checks and the per-instance state machine.
 *
 * This module is pure: no DPDK, no sockets, no clock. The state machine is
 * driven by (now, received advert, timer expiry, fault, shutdown) inputs
 * and answers with actions (send an advert with priority P, state changed
 * to S) that the caller carries out: lib/ctrl/lb_ctrl_vrrp.c on the control
 * lcore, or a unit test. Times are milliseconds on any monotonic clock.
 *
 * Thread safety: none; an instance is used from one thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LB_VRRP_PROTO 112		/**< IP protocol number */
#define LB_VRRP_MCAST4 0xe0000012u	/**< 224.0.0.18, host order */
#define LB_VRRP_TTL 255
#define LB_VRRP_TOS 0xc0
#define LB_VRRP_MAX_ADDRS 32		/**< addresses per instance/advert */
#define LB_VRRP_MAX_PEERS 16		/**< unicast_peer entries per instance */
#define LB_VRRP_AUTH_LEN 8
#define LB_VRRP_HDR_LEN 8		/**< fixed part of the VRRP header */
#define LB_VRRP_PRIO_OWNER 255
#define LB_VRRP_PRIO_STOP 0

/** v2 auth types. */
enum lb_vrrp_auth_type {
	LB_VRRP_AUTHT_NONE = 0,
	LB_VRRP_AUTHT_PASS = 1,
	LB_VRRP_AUTHT_AH = 2,
};

/** A decoded or to-be-encoded advertisement. Addresses in network order. */
struct lb_vrrp_adv {
	uint8_t version;		/**< 2 or 3 */
	uint8_t type;			/**< 1 = advertisement */
	uint8_t vrid;
	uint8_t priority;
	uint8_t n_addr;
	uint8_t auth_type;		/**< v2 only */
	uint16_t adv_int_cs;		/**< interval, centiseconds (v2: seconds * 100) */
	uint16_t checksum;		/**< as received (decode) */
	bool ipv6;			/**< addrs6 instead of addrs */
	uint32_t addrs[LB_VRRP_MAX_ADDRS];
	uint8_t addrs6[LB_VRRP_MAX_ADDRS][16];
	char auth[LB_VRRP_AUTH_LEN];	/**< v2 auth data (PASS: the password, 0-padded) */
};

/** Length of the VRRP message (no IP header) for an advert. */
size_t lb_vrrp_msg_len(const struct lb_vrrp_adv *a);

/**
 * Encode the VRRP message (no IP header) with its checksum: over the
 * message for v2, over the IPv4 (or IPv6) pseudo-header and the message for
 * v3.
 *
 * @param a
 *   The advert (n_addr <= LB_VRRP_MAX_ADDRS; v2 must be IPv4).
 * @param src, dst
 *   IP source and destination for the v3 pseudo-header: 4 bytes (IPv4) or
 *   16 bytes (IPv6) in network order. Ignored for v2.
 * @param buf, len
 *   Output buffer.
 * @return
 *   Bytes written, or -EINVAL (bad version/count), -ENOSPC (buffer).
 */
int lb_vrrp_encode(const struct lb_vrrp_adv *a, const void *src, const void *dst,
		   uint8_t *buf, size_t len);

/**
 * Encode a whole IPv4 packet (20-byte header with TTL 255, TOS 0xc0, DF
 * clear, header checksum; then the VRRP message).
 *
 * @param src, dst
 *   IPv4 addresses, network order.
 * @return
 *   As lb_vrrp_encode(), counting the IP header.
 */
int lb_vrrp_encode_ip4(const struct lb_vrrp_adv *a, uint32_t src, uint32_t dst,
		       uint8_t *buf, size_t len);

/** Receive verdicts, in the order the checks run (keepalived's order). */
#define LB_VRRP_RX_LIST(X) \
	X(ok)			/* accepted */ \
	X(len)			/* IP or VRRP length: short, or tot_len/count mismatch */ \
	X(ttl)			/* TTL != 255 on a multicast advert */ \
	X(src)			/* unicast: the source is not a unicast_peer */ \
	X(version)		/* VRRP version differs from ours, or type != advert */ \
	X(vrid)			/* not our virtual router id */ \
	X(checksum)		/* bad checksum (v3: with the pseudo-header) */ \
	X(auth_type)		/* v2 auth type differs from ours */ \
	X(auth_ah)		/* v2 IPsec AH: parsed and refused */ \
	X(auth_pass)		/* v2 PASS: wrong password */ \
	X(addr_count)		/* address count differs from our VIP count */ \
	X(addr_list)		/* an address of ours missing from the advert */ \
	X(interval)		/* v2: advert interval differs from ours */

enum lb_vrrp_rx {
#define LB_VRRP_RX_ENUM(n) LB_VRRP_RX_##n,
	LB_VRRP_RX_LIST(LB_VRRP_RX_ENUM)
#undef LB_VRRP_RX_ENUM
	LB_VRRP_RX__MAX,
};

/** @return the name of a receive verdict ("ok", "ttl", ...). */
const char *lb_vrrp_rx_name(enum lb_vrrp_rx r);

/** What an instance is configured with. */
struct lb_vrrp_params {
	uint8_t version;		/**< 2 or 3 */
	uint8_t vrid;			/**< 1-255 */
	uint8_t priority;		/**< base priority, 1-255 (255 = address owner) */
	bool start_master;		/**< state MASTER: claim mastership at start */
	bool nopreempt;
	uint32_t adv_int_ms;		/**< v2: whole seconds; v3: multiple of 10 ms */
	uint32_t preempt_delay_ms;	/**< 0 = none */
	uint32_t primary_ip;		/**< our source address (tie-break), network order */
	bool unicast;			/**< unicast peers: no TTL check */
	uint32_t peers[LB_VRRP_MAX_PEERS];	/**< unicast_peer, network order */
	uint8_t n_peers;		/**< >0: adverts only from these sources */
	uint8_t auth_type;		/**< enum lb_vrrp_auth_type (v2) */
	char auth_pass[LB_VRRP_AUTH_LEN]; /**< 0-padded */
	uint32_t addrs[LB_VRRP_MAX_ADDRS];	/**< VIPs, network order */
	uint8_t n_addrs;
};

/**
 * Run the receive checks on an IPv4 packet, in keepalived's order: length,
 * TTL (multicast only), source (unicast: one of p->peers), version and
 * type, vrid, checksum, authentication, address count and list, interval
 * (v2).
 *
 * @param p
 *   The instance's parameters.
 * @param ip, len
 *   The IPv4 packet (header included), len = bytes available.
 * @param out
 *   Filled with the decoded advert when the verdict is ok (and as far as
 *   decoded otherwise).
 * @return
 *   An enum lb_vrrp_rx.
 */
enum lb_vrrp_rx lb_vrrp_check_ip4(const struct lb_vrrp_params *p, const uint8_t *ip,
				  size_t len, struct lb_vrrp_adv *out);

/**
 * Decode and check a VRRPv3 IPv6 message (no IP header; the caller has
 * checked the hop limit). Checks as lb_vrrp_check_ip4() for v3, the
 * checksum over the IPv6 pseudo-header.
 *
 * @param src, dst
 *   16-byte IPv6 source and destination.
 * @param addrs6, n_addrs6
 *   The instance's IPv6 VIPs.
 */
enum lb_vrrp_rx lb_vrrp_check_ip6(const struct lb_vrrp_params *p, const uint8_t *src,
				  const uint8_t *dst, const uint8_t *msg, size_t len,
				  const uint8_t (*addrs6)[16], unsigned int n_addrs6,
				  struct lb_vrrp_adv *out);

/** Instance states. */
enum lb_vrrp_state_id {
	LB_VRRP_ST_INIT = 0,
	LB_VRRP_ST_BACKUP,
	LB_VRRP_ST_MASTER,
	LB_VRRP_ST_FAULT,
	LB_VRRP_ST__MAX,
};

/** @return "INIT", "BACKUP", "MASTER" or "FAULT". */
const char *lb_vrrp_state_name(enum lb_vrrp_state_id s);

/** Action flags. */
#define LB_VRRP_ACT_ADVERT	0x1	/**< send an advert with act->adv_priority */
#define LB_VRRP_ACT_STATE	0x2	/**< state changed old_state -> state */
#define LB_VRRP_ACT_LOWER_MASTER 0x4	/**< master heard a lower-priority master */

/** What the caller must do after an input. */
struct lb_vrrp_act {
	uint32_t flags;
	uint8_t adv_priority;		/**< priority for the advert (0 on stop) */
	enum lb_vrrp_state_id old_state;
	enum lb_vrrp_state_id state;
};

/** Per-instance counters kept by the state machine. */
struct lb_vrrp_sm_stats {
	uint64_t adv_sent;
	uint64_t adv_rcvd;
	uint64_t become_master;
	uint64_t release_master;
	uint64_t pri_zero_rcvd;
	uint64_t pri_zero_sent;
	uint64_t lower_master;		/**< split brain: lower-priority master heard */
};

/** An instance's state machine. Fill params, then lb_vrrp_sm_init(). */
struct lb_vrrp_sm {
	struct lb_vrrp_params p;
	enum lb_vrrp_state_id state;
	int track_delta;		/**< sum of tracking weights */
	uint8_t eff_priority;		/**< priority sent in adverts */
	bool fault;			/**< a tracked thing is down */
	uint32_t master_adv_int_ms;	/**< v3: learnt from the master */
	uint64_t deadline;		/**< next timer, UINT64_MAX = none */
	uint64_t preempt_at;		/**< preempt_delay: 0 = not started */
	uint32_t master_ip;		/**< last master heard, network order */
	struct lb_vrrp_sm_stats st;
};

/**
 * Initialise an instance (state INIT, no timer).
 *
 * @return
 *   0, or -EINVAL on bad parameters (version, vrid, priority, interval).
 */
int lb_vrrp_sm_init(struct lb_vrrp_sm *sm, const struct lb_vrrp_params *p);

/** Master_Down_Interval in ms, with the current master interval. */
uint32_t lb_vrrp_master_down_ms(const struct lb_vrrp_sm *sm);

/** Skew time in ms, with the current master interval. */
uint32_t lb_vrrp_skew_ms(const struct lb_vrrp_sm *sm);

/**
 * Start the instance: fault when a tracked object is already down; an owner
 * (priority 255) or an instance configured "state MASTER" becomes master at
 * once (advert, and it yields as soon as a better master answers); the
 * others become backup and wait Master_Down_Interval.
 */
void lb_vrrp_sm_start(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act);

/**
 * An advert that passed the receive checks.
 *
 * @param saddr
 *   Its IP source, network order (tie-break on equal priority).
 */
void lb_vrrp_sm_rx(struct lb_vrrp_sm *sm, uint64_t now, const struct lb_vrrp_adv *adv,
		   uint32_t saddr, struct lb_vrrp_act *act);

/**
 * Run the timer if it is due (now >= sm->deadline); otherwise no action.
 * Master: send an advert. Backup: the master is down, become master.
 */
void lb_vrrp_sm_timer(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act);

/**
 * A tracked interface or a fault-weight script changed. A master going to
 * fault sends a priority-0 advert; leaving fault goes to backup.
 */
void lb_vrrp_sm_set_fault(struct lb_vrrp_sm *sm, uint64_t now, bool fault,
			  struct lb_vrrp_act *act);

/**
 * Tracking weights changed: the effective priority becomes base + delta,
 * clamped to 1..254 (an owner stays at 255). It goes out in the next advert.
 */
void lb_vrrp_sm_set_delta(struct lb_vrrp_sm *sm, int delta);

/**
 * The priority change one tracked object contributes, keepalived's rules:
 * weight 0 puts the instance in fault while the object is down (or the
 * script failing); a positive weight is added while it is up, a negative
 * one while it is down. reverse (vrrp_script "weight N reverse") turns the
 * direction around.
 *
 * @param weight
 *   -254..254.
 * @param reverse
 *   Inverted direction.
 * @param ok
 *   The object is up / the script succeeds.
 * @param fault
 *   Set to true when this object faults the instance (never cleared).
 * @return
 *   The delta to add to the base priority.
 */
int lb_vrrp_track_weight(int weight, bool reverse, bool ok, bool *fault);

/**
 * Reload: take a new base priority and preemption setting, keeping the state,
 * the timers and the tracking delta. The effective priority is recomputed and
 * goes out in the next advert; a backup that now outranks the master takes
 * over through the usual preemption (it stops accepting the master's adverts).
 *
 * @param priority
 *   New base priority, 1-254: the address owner (255) is entered or left
 *   only by a restart.
 * @return
 *   0, or -EINVAL when priority or the current one is 0 or 255.
 */
int lb_vrrp_sm_set_config(struct lb_vrrp_sm *sm, uint8_t priority, bool nopreempt);

/**
 * Force a state (sync groups: every member follows the one that moved).
 * MASTER sends an advert at once, BACKUP restarts the down timer.
 */
void lb_vrrp_sm_force(struct lb_vrrp_sm *sm, uint64_t now, enum lb_vrrp_state_id state,
		      struct lb_vrrp_act *act);

/**
 * Clean shutdown: a master sends a priority-0 advert; the state becomes
 * INIT and the timer stops.
 */
void lb_vrrp_sm_stop(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act);

/**
 * Fill an advert for this instance (version, vrid, priority, interval,
 * auth, addresses) to send with priority prio.
 */
void lb_vrrp_sm_advert(const struct lb_vrrp_sm *sm, uint8_t prio, struct lb_vrrp_adv *adv);

#endif /* LB_VRRP_H */
