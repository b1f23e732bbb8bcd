/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "lb_vrrp.h"

#define IP4_HDR_LEN 20

static const char *const rx_names[LB_VRRP_RX__MAX] = {
#define LB_VRRP_RX_NAME(n) [LB_VRRP_RX_##n] = #n,
	LB_VRRP_RX_LIST(LB_VRRP_RX_NAME)
#undef LB_VRRP_RX_NAME
};

const char *
lb_vrrp_rx_name(enum lb_vrrp_rx r)
{
	return r < LB_VRRP_RX__MAX ? rx_names[r] : "?";
}

const char *
lb_vrrp_state_name(enum lb_vrrp_state_id s)
{
	static const char *const names[LB_VRRP_ST__MAX] = {
		"INIT", "BACKUP", "MASTER", "FAULT",
	};

	return s < LB_VRRP_ST__MAX ? names[s] : "?";
}

/* One's-complement sum of a byte string, folded later. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Checksum of a VRRP message, host order; 0 when a received one verifies. */
static uint16_t
msg_csum(uint8_t version, bool ipv6, const void *src, const void *dst, const uint8_t *msg,
	 size_t len)
{
	uint32_t sum = 0;

	if (version == 3 && ipv6) {
		/* upper-layer length (32 bits), 3 zero bytes, next header */
		const uint8_t ph[8] = { 0, 0, (uint8_t)(len >> 8), (uint8_t)len,
					0, 0, 0, LB_VRRP_PROTO };

		sum = csum_add(sum, src, 16);
		sum = csum_add(sum, dst, 16);
		sum = csum_add(sum, ph, sizeof(ph));
	} else if (version == 3) {
		/* zero, protocol, VRRP length */
		const uint8_t ph[4] = { 0, LB_VRRP_PROTO, (uint8_t)(len >> 8), (uint8_t)len };

		sum = csum_add(sum, src, 4);
		sum = csum_add(sum, dst, 4);
		sum = csum_add(sum, ph, sizeof(ph));
	}
	sum = csum_add(sum, msg, len);
	return csum_fold(sum);
}

size_t
lb_vrrp_msg_len(const struct lb_vrrp_adv *a)
{
	size_t alen = a->ipv6 ? 16 : 4;

	return LB_VRRP_HDR_LEN + a->n_addr * alen + (a->version == 2 ? LB_VRRP_AUTH_LEN : 0);
}

int
lb_vrrp_encode(const struct lb_vrrp_adv *a, const void *src, const void *dst, uint8_t *buf,
	       size_t len)
{
	size_t need, off = LB_VRRP_HDR_LEN;
	uint16_t ck;
	unsigned int i;

	if ((a->version != 2 && a->version != 3) || a->n_addr > LB_VRRP_MAX_ADDRS ||
	    (a->version == 2 && a->ipv6))
		return -EINVAL;
	need = lb_vrrp_msg_len(a);
	if (len < need)
		return -ENOSPC;
	buf[0] = (uint8_t)(a->version << 4 | 1);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->n_addr;
	if (a->version == 2) {
		buf[4] = a->auth_type;
		buf[5] = (uint8_t)(a->adv_int_cs / 100);
	} else {
		uint16_t v = a->adv_int_cs & 0x0fff;

		buf[4] = (uint8_t)(v >> 8);
		buf[5] = (uint8_t)v;
	}
	buf[6] = 0;
	buf[7] = 0;
	for (i = 0; i < a->n_addr; i++) {
		if (a->ipv6) {
			memcpy(buf + off, a->addrs6[i], 16);
			off += 16;
		} else {
			memcpy(buf + off, &a->addrs[i], 4);
			off += 4;
		}
	}
	if (a->version == 2) {
		if (a->auth_type == LB_VRRP_AUTHT_PASS)
			memcpy(buf + off, a->auth, LB_VRRP_AUTH_LEN);
		else
			memset(buf + off, 0, LB_VRRP_AUTH_LEN);
	}
	ck = msg_csum(a->version, a->ipv6, src, dst, buf, need);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return (int)need;
}

int
lb_vrrp_encode_ip4(const struct lb_vrrp_adv *a, uint32_t src, uint32_t dst, uint8_t *buf,
		   size_t len)
{
	uint16_t ck, tot;
	int n;

	if (len < IP4_HDR_LEN)
		return -ENOSPC;
	n = lb_vrrp_encode(a, &src, &dst, buf + IP4_HDR_LEN, len - IP4_HDR_LEN);
	if (n < 0)
		return n;
	tot = (uint16_t)(IP4_HDR_LEN + n);
	memset(buf, 0, IP4_HDR_LEN);
	buf[0] = 0x45;
	buf[1] = LB_VRRP_TOS;
	buf[2] = (uint8_t)(tot >> 8);
	buf[3] = (uint8_t)tot;
	buf[8] = LB_VRRP_TTL;
	buf[9] = LB_VRRP_PROTO;
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, &dst, 4);
	ck = csum_fold(csum_add(0, buf, IP4_HDR_LEN));
	buf[10] = (uint8_t)(ck >> 8);
	buf[11] = (uint8_t)ck;
	return tot;
}

/* Decode the fixed header and addresses of a length-checked message. */
static void
decode_msg(const uint8_t *m, bool ipv6, struct lb_vrrp_adv *a)
{
	size_t off = LB_VRRP_HDR_LEN;
	unsigned int i;

	a->ipv6 = ipv6;
	a->version = m[0] >> 4;
	a->type = m[0] & 0x0f;
	a->vrid = m[1];
	a->priority = m[2];
	a->n_addr = m[3];
	a->checksum = (uint16_t)(m[6] << 8 | m[7]);
	if (a->version == 2) {
		a->auth_type = m[4];
		a->adv_int_cs = (uint16_t)(m[5] * 100);
	} else {
		a->auth_type = 0;
		a->adv_int_cs = (uint16_t)((m[4] << 8 | m[5]) & 0x0fff);
	}
	for (i = 0; i < a->n_addr && i < LB_VRRP_MAX_ADDRS; i++) {
		if (ipv6) {
			memcpy(a->addrs6[i], m + off, 16);
			off += 16;
		} else {
			memcpy(&a->addrs[i], m + off, 4);
			off += 4;
		}
	}
	if (a->version == 2 && !ipv6)
		memcpy(a->auth, m + off, LB_VRRP_AUTH_LEN);
}

/* The checks after the checksum: auth (v2), addresses, interval (v2). */
static enum lb_vrrp_rx
check_body(const struct lb_vrrp_params *p, const struct lb_vrrp_adv *a, bool ipv6,
	   const uint8_t (*addrs6)[16], unsigned int n_addrs6)
{
	unsigned int i, j, n_ours = ipv6 ? n_addrs6 : p->n_addrs;

	if (p->version == 2) {
		if (a->auth_type == LB_VRRP_AUTHT_AH)
			return LB_VRRP_RX_auth_ah;
		if (a->auth_type != p->auth_type)
			return LB_VRRP_RX_auth_type;
		if (p->auth_type == LB_VRRP_AUTHT_PASS &&
		    memcmp(a->auth, p->auth_pass, LB_VRRP_AUTH_LEN) != 0)
			return LB_VRRP_RX_auth_pass;
	}
	if (a->n_addr != n_ours)
		return LB_VRRP_RX_addr_count;
	for (i = 0; i < n_ours; i++) {
		for (j = 0; j < a->n_addr; j++) {
			if (ipv6 ? memcmp(addrs6[i], a->addrs6[j], 16) == 0 :
				   p->addrs[i] == a->addrs[j])
				break;
		}
		if (j == a->n_addr)
			return LB_VRRP_RX_addr_list;
	}
	if (p->version == 2 && (uint32_t)a->adv_int_cs * 10 != p->adv_int_ms)
		return LB_VRRP_RX_interval;
	return LB_VRRP_RX_ok;
}

enum lb_vrrp_rx
lb_vrrp_check_ip4(const struct lb_vrrp_params *p, const uint8_t *ip, size_t len,
		  struct lb_vrrp_adv *out)
{
	size_t ihl, tot, plen, want;
	const uint8_t *m;

	memset(out, 0, sizeof(*out));
	if (len < IP4_HDR_LEN || (ip[0] >> 4) != 4)
		return LB_VRRP_RX_len;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = (size_t)(ip[2] << 8 | ip[3]);
	if (ihl < IP4_HDR_LEN || tot > len || tot < ihl + LB_VRRP_HDR_LEN)
		return LB_VRRP_RX_len;
	m = ip + ihl;
	plen = tot - ihl;
	if (!p->unicast && ip[8] != LB_VRRP_TTL)
		return LB_VRRP_RX_ttl;
	if (p->n_peers > 0) {
		unsigned int i;

		for (i = 0; i < p->n_peers && i < LB_VRRP_MAX_PEERS; i++)
			if (memcmp(&p->peers[i], ip + 12, 4) == 0)
				break;
		if (i == p->n_peers || i == LB_VRRP_MAX_PEERS)
			return LB_VRRP_RX_src;
	}
	if ((m[0] >> 4) != p->version || (m[0] & 0x0f) != 1)
		return LB_VRRP_RX_version;
	if (m[1] != p->vrid)
		return LB_VRRP_RX_vrid;
	want = LB_VRRP_HDR_LEN + (size_t)m[3] * 4 + (p->version == 2 ? LB_VRRP_AUTH_LEN : 0);
	if (plen != want)
		return LB_VRRP_RX_len;
	if (msg_csum(p->version, false, ip + 12, ip + 16, m, plen) != 0)
		return LB_VRRP_RX_checksum;
	if (m[3] > LB_VRRP_MAX_ADDRS)
		return LB_VRRP_RX_addr_count;
	decode_msg(m, false, out);
	return check_body(p, out, false, NULL, 0);
}

enum lb_vrrp_rx
lb_vrrp_check_ip6(const struct lb_vrrp_params *p, const uint8_t *src, const uint8_t *dst,
		  const uint8_t *msg, size_t len, const uint8_t (*addrs6)[16],
		  unsigned int n_addrs6, struct lb_vrrp_adv *out)
{
	size_t want;

	memset(out, 0, sizeof(*out));
	if (len < LB_VRRP_HDR_LEN)
		return LB_VRRP_RX_len;
	if ((msg[0] >> 4) != 3 || p->version != 3 || (msg[0] & 0x0f) != 1)
		return LB_VRRP_RX_version;
	if (msg[1] != p->vrid)
		return LB_VRRP_RX_vrid;
	want = LB_VRRP_HDR_LEN + (size_t)msg[3] * 16;
	if (len != want)
		return LB_VRRP_RX_len;
	if (msg_csum(3, true, src, dst, msg, len) != 0)
		return LB_VRRP_RX_checksum;
	if (msg[3] > LB_VRRP_MAX_ADDRS)
		return LB_VRRP_RX_addr_count;
	decode_msg(msg, true, out);
	return check_body(p, out, true, addrs6, n_addrs6);
}

/* ---- state machine ---- */

static uint8_t
eff_prio(const struct lb_vrrp_sm *sm)
{
	int v;

	if (sm->p.priority == LB_VRRP_PRIO_OWNER)
		return LB_VRRP_PRIO_OWNER;
	v = (int)sm->p.priority + sm->track_delta;
	if (v < 1)
		v = 1;
	if (v > 254)
		v = 254;
	return (uint8_t)v;
}

int
lb_vrrp_sm_init(struct lb_vrrp_sm *sm, const struct lb_vrrp_params *p)
{
	if ((p->version != 2 && p->version != 3) || p->vrid == 0 || p->priority == 0 ||
	    p->adv_int_ms == 0 || p->n_addrs > LB_VRRP_MAX_ADDRS ||
	    p->n_peers > LB_VRRP_MAX_PEERS)
		return -EINVAL;
	if (p->version == 2 && (p->adv_int_ms % 1000 != 0 || p->adv_int_ms > 255000))
		return -EINVAL;
	if (p->version == 3 && (p->adv_int_ms % 10 != 0 || p->adv_int_ms > 40950))
		return -EINVAL;
	memset(sm, 0, sizeof(*sm));
	sm->p = *p;
	sm->state = LB_VRRP_ST_INIT;
	sm->eff_priority = eff_prio(sm);
	sm->master_adv_int_ms = p->adv_int_ms;
	sm->deadline = UINT64_MAX;
	return 0;
}

uint32_t
lb_vrrp_skew_ms(const struct lb_vrrp_sm *sm)
{
	uint32_t k = 256u - sm->eff_priority;

	if (sm->p.version == 2)
		return k * 1000u / 256u;
	return k * sm->master_adv_int_ms / 256u;
}

uint32_t
lb_vrrp_master_down_ms(const struct lb_vrrp_sm *sm)
{
	return 3 * sm->master_adv_int_ms + lb_vrrp_skew_ms(sm);
}

static void
act_reset(const struct lb_vrrp_sm *sm, struct lb_vrrp_act *act)
{
	memset(act, 0, sizeof(*act));
	act->old_state = sm->state;
	act->state = sm->state;
}

static void
emit(struct lb_vrrp_sm *sm, struct lb_vrrp_act *act, uint8_t prio)
{
	act->flags |= LB_VRRP_ACT_ADVERT;
	act->adv_priority = prio;
	sm->st.adv_sent++;
	if (prio == LB_VRRP_PRIO_STOP)
		sm->st.pri_zero_sent++;
}

static void
set_state(struct lb_vrrp_sm *sm, struct lb_vrrp_act *act, enum lb_vrrp_state_id s)
{
	if (sm->state == s)
		return;
	if (sm->state == LB_VRRP_ST_MASTER)
		sm->st.release_master++;
	if (s == LB_VRRP_ST_MASTER)
		sm->st.become_master++;
	sm->state = s;
	act->flags |= LB_VRRP_ACT_STATE;
	act->state = s;
}

static void
go_master(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act)
{
	set_state(sm, act, LB_VRRP_ST_MASTER);
	sm->master_adv_int_ms = sm->p.adv_int_ms;
	sm->preempt_at = 0;
	sm->master_ip = sm->p.primary_ip;
	emit(sm, act, sm->eff_priority);
	sm->deadline = now + sm->p.adv_int_ms;
}

static void
go_backup(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act)
{
	set_state(sm, act, LB_VRRP_ST_BACKUP);
	sm->deadline = now + lb_vrrp_master_down_ms(sm);
}

static void
go_fault(struct lb_vrrp_sm *sm, struct lb_vrrp_act *act)
{
	if (sm->state == LB_VRRP_ST_MASTER)
		emit(sm, act, LB_VRRP_PRIO_STOP);
	set_state(sm, act, LB_VRRP_ST_FAULT);
	sm->deadline = UINT64_MAX;
}

void
lb_vrrp_sm_start(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act)
{
	act_reset(sm, act);
	sm->eff_priority = eff_prio(sm);
	if (sm->fault) {
		go_fault(sm, act);
	} else if (sm->eff_priority == LB_VRRP_PRIO_OWNER || sm->p.start_master) {
		/* A better master, if any, answers our first advert (split-brain
		 * path on its side) and we yield to it within one interval. */
		go_master(sm, now, act);
	} else {
		go_backup(sm, now, act);
	}
	if (sm->p.preempt_delay_ms > 0)
		sm->preempt_at = now + sm->p.preempt_delay_ms;
}

static void
rx_backup(struct lb_vrrp_sm *sm, uint64_t now, const struct lb_vrrp_adv *adv, uint32_t saddr,
	  struct lb_vrrp_act *act)
{
	if (adv->priority == LB_VRRP_PRIO_STOP) {
		/* The master is leaving: take over after the skew time only. */
		sm->deadline = now + lb_vrrp_skew_ms(sm);
		return;
	}
	if (sm->p.nopreempt || adv->priority >= sm->eff_priority ||
	    (sm->p.preempt_delay_ms > 0 && (sm->preempt_at == 0 || now < sm->preempt_at))) {
		if (adv->priority < sm->eff_priority && sm->p.preempt_delay_ms > 0 &&
		    sm->preempt_at == 0)
			sm->preempt_at = now + sm->p.preempt_delay_ms;
		if (sm->p.version == 3 && adv->adv_int_cs > 0)
			sm->master_adv_int_ms = (uint32_t)adv->adv_int_cs * 10;
		sm->master_ip = saddr;
		sm->deadline = now + lb_vrrp_master_down_ms(sm);
		return;
	}
	/* A lower-priority master and we may preempt: take over now. */
	go_master(sm, now, act);
}

static void
rx_master(struct lb_vrrp_sm *sm, uint64_t now, const struct lb_vrrp_adv *adv, uint32_t saddr,
	  struct lb_vrrp_act *act)
{
	if (adv->priority == LB_VRRP_PRIO_STOP) {
		emit(sm, act, sm->eff_priority);
		sm->deadline = now + sm->p.adv_int_ms;
		return;
	}
	if (adv->priority > sm->eff_priority ||
	    (adv->priority == sm->eff_priority && ntohl(saddr) > ntohl(sm->p.primary_ip))) {
		if (sm->p.version == 3 && adv->adv_int_cs > 0)
			sm->master_adv_int_ms = (uint32_t)adv->adv_int_cs * 10;
		sm->master_ip = saddr;
		go_backup(sm, now, act);
		return;
	}
	/* Split brain: another master with lower priority (or equal and lower
	 * address). Advertise at once so that it yields. */
	sm->st.lower_master++;
	act->flags |= LB_VRRP_ACT_LOWER_MASTER;
	emit(sm, act, sm->eff_priority);
	sm->deadline = now + sm->p.adv_int_ms;
}

void
lb_vrrp_sm_rx(struct lb_vrrp_sm *sm, uint64_t now, const struct lb_vrrp_adv *adv,
	      uint32_t saddr, struct lb_vrrp_act *act)
{
	act_reset(sm, act);
	sm->st.adv_rcvd++;
	if (adv->priority == LB_VRRP_PRIO_STOP)
		sm->st.pri_zero_rcvd++;
	if (sm->state == LB_VRRP_ST_BACKUP)
		rx_backup(sm, now, adv, saddr, act);
	else if (sm->state == LB_VRRP_ST_MASTER)
		rx_master(sm, now, adv, saddr, act);
}

void
lb_vrrp_sm_timer(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act)
{
	act_reset(sm, act);
	if (now < sm->deadline)
		return;
	if (sm->state == LB_VRRP_ST_MASTER) {
		emit(sm, act, sm->eff_priority);
		sm->deadline = now + sm->p.adv_int_ms;
	} else if (sm->state == LB_VRRP_ST_BACKUP) {
		go_master(sm, now, act);
	} else {
		sm->deadline = UINT64_MAX;
	}
}

void
lb_vrrp_sm_set_fault(struct lb_vrrp_sm *sm, uint64_t now, bool fault, struct lb_vrrp_act *act)
{
	act_reset(sm, act);
	sm->fault = fault;
	if (sm->state == LB_VRRP_ST_INIT)
		return;
	if (fault && sm->state != LB_VRRP_ST_FAULT)
		go_fault(sm, act);
	else if (!fault && sm->state == LB_VRRP_ST_FAULT) {
		if (sm->eff_priority == LB_VRRP_PRIO_OWNER)
			go_master(sm, now, act);
		else
			go_backup(sm, now, act);
	}
}

void
lb_vrrp_sm_set_delta(struct lb_vrrp_sm *sm, int delta)
{
	sm->track_delta = delta;
	sm->eff_priority = eff_prio(sm);
}

int
lb_vrrp_track_weight(int weight, bool reverse, bool ok, bool *fault)
{
	if (weight == 0) {
		if (!ok)
			*fault = true;
		return 0;
	}
	if (reverse)
		return weight > 0 ? (ok ? -weight : 0) : (ok ? 0 : -weight);
	return weight > 0 ? (ok ? weight : 0) : (ok ? 0 : weight);
}

int
lb_vrrp_sm_set_config(struct lb_vrrp_sm *sm, uint8_t priority, bool nopreempt)
{
	if (priority == 0 || priority == LB_VRRP_PRIO_OWNER ||
	    sm->p.priority == LB_VRRP_PRIO_OWNER)
		return -EINVAL;
	sm->p.priority = priority;
	sm->p.nopreempt = nopreempt;
	sm->preempt_at = 0;
	sm->eff_priority = eff_prio(sm);
	return 0;
}

void
lb_vrrp_sm_force(struct lb_vrrp_sm *sm, uint64_t now, enum lb_vrrp_state_id state,
		 struct lb_vrrp_act *act)
{
	act_reset(sm, act);
	if (sm->state == state || sm->state == LB_VRRP_ST_INIT)
		return;
	if (state == LB_VRRP_ST_MASTER && !sm->fault)
		go_master(sm, now, act);
	else if (state == LB_VRRP_ST_BACKUP && !sm->fault)
		go_backup(sm, now, act);
	else if (state == LB_VRRP_ST_FAULT)
		go_fault(sm, act);
}

void
lb_vrrp_sm_stop(struct lb_vrrp_sm *sm, uint64_t now, struct lb_vrrp_act *act)
{
	(void)now;
	act_reset(sm, act);
	if (sm->state == LB_VRRP_ST_MASTER)
		emit(sm, act, LB_VRRP_PRIO_STOP);
	set_state(sm, act, LB_VRRP_ST_INIT);
	sm->deadline = UINT64_MAX;
}

void
lb_vrrp_sm_advert(const struct lb_vrrp_sm *sm, uint8_t prio, struct lb_vrrp_adv *adv)
{
	memset(adv, 0, sizeof(*adv));
	adv->version = sm->p.version;
	adv->type = 1;
	adv->vrid = sm->p.vrid;
	adv->priority = prio;
	adv->n_addr = sm->p.n_addrs;
	adv->adv_int_cs = (uint16_t)(sm->p.adv_int_ms / 10);
	adv->auth_type = sm->p.version == 2 ? sm->p.auth_type : 0;
	memcpy(adv->addrs, sm->p.addrs, sizeof(adv->addrs[0]) * sm->p.n_addrs);
	if (adv->auth_type == LB_VRRP_AUTHT_PASS)
		memcpy(adv->auth, sm->p.auth_pass, LB_VRRP_AUTH_LEN);
}
