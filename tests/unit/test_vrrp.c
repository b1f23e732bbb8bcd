/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for the VRRP codec, receive checks and state machine. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "lb_vrrp.h"

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
hex(const char *s, uint8_t *out, size_t *len)
{
	size_t i, n = strlen(s) / 2;

	for (i = 0; i < n; i++) {
		unsigned int v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	*len = n;
}

static void
params_v2(struct lb_vrrp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->version = 2;
	p->vrid = 51;
	p->priority = 100;
	p->adv_int_ms = 1000;
	p->primary_ip = ip4("198.18.0.3");
	p->auth_type = LB_VRRP_AUTHT_PASS;
	memcpy(p->auth_pass, "secret\0\0", 8);
	p->addrs[0] = ip4("198.18.0.100");
	p->addrs[1] = ip4("198.18.0.101");
	p->n_addrs = 2;
}

/* Reference packets built by scapy (an independent implementation). */
static const char *const scapy_v2 =
	"45c0002c00010000ff70147ac6120002e0000012213364020101b08ec6120064c61200657365637265740000";
static const char *const scapy_v3 =
	"45c0002000010000ff701486c6120002e000001231349601000acba5c6120064";

static void
test_encode_matches_scapy(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_sm sm;
	struct lb_vrrp_adv a;
	uint8_t ref[128], buf[128];
	size_t rlen;
	int n;

	(void)state;
	params_v2(&p);
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), 0);
	lb_vrrp_sm_advert(&sm, 100, &a);
	hex(scapy_v2, ref, &rlen);
	n = lb_vrrp_encode_ip4(&a, ip4("198.18.0.2"), ip4("224.0.0.18"), buf, sizeof(buf));
	assert_int_equal(n, (int)rlen);
	/* identical but for the IP id (scapy uses 1) and so the IP checksum */
	assert_memory_equal(buf + 20, ref + 20, rlen - 20);
	assert_memory_equal(buf, ref, 4);
	assert_int_equal(buf[8], 255);
	assert_int_equal(buf[9], 112);

	memset(&a, 0, sizeof(a));
	a.version = 3;
	a.vrid = 52;
	a.priority = 150;
	a.n_addr = 1;
	a.addrs[0] = ip4("198.18.0.100");
	a.adv_int_cs = 10;
	hex(scapy_v3, ref, &rlen);
	n = lb_vrrp_encode_ip4(&a, ip4("198.18.0.2"), ip4("224.0.0.18"), buf, sizeof(buf));
	assert_int_equal(n, (int)rlen);
	assert_memory_equal(buf + 20, ref + 20, rlen - 20);
	assert_int_equal(lb_vrrp_encode(&a, NULL, NULL, buf, 8), -ENOSPC);
	a.version = 4;
	assert_int_equal(lb_vrrp_encode(&a, NULL, NULL, buf, sizeof(buf)), -EINVAL);
}

static void
test_check_accepts_scapy(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_adv a;
	uint8_t pkt[128];
	size_t len;

	(void)state;
	params_v2(&p);
	hex(scapy_v2, pkt, &len);
	assert_int_equal(lb_vrrp_check_ip4(&p, pkt, len, &a), LB_VRRP_RX_ok);
	assert_int_equal(a.vrid, 51);
	assert_int_equal(a.priority, 100);
	assert_int_equal(a.n_addr, 2);
	assert_int_equal(a.adv_int_cs, 100);
	/* Ethernet padding after tot_len is ignored */
	assert_int_equal(lb_vrrp_check_ip4(&p, pkt, len + 6, &a), LB_VRRP_RX_ok);

	p.version = 3;
	p.vrid = 52;
	p.n_addrs = 1;
	p.adv_int_ms = 2000;	/* v3 does not check the interval */
	hex(scapy_v3, pkt, &len);
	assert_int_equal(lb_vrrp_check_ip4(&p, pkt, len, &a), LB_VRRP_RX_ok);
	assert_int_equal(a.adv_int_cs, 10);
	assert_int_equal(a.priority, 150);
}

/* Build a valid v2 packet from params, then break it. */
static size_t
good_v2(const struct lb_vrrp_params *p, uint8_t *buf)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_adv a;
	int n;

	assert_int_equal(lb_vrrp_sm_init(&sm, p), 0);
	lb_vrrp_sm_advert(&sm, 90, &a);
	n = lb_vrrp_encode_ip4(&a, ip4("198.18.0.2"), ip4("224.0.0.18"), buf, 256);
	assert_true(n > 0);
	return (size_t)n;
}

static void
refix_csum(uint8_t *buf, size_t len, uint8_t version)
{
	struct lb_vrrp_adv a;
	uint8_t tmp[256];
	uint32_t s, d;

	/* re-encode the (edited) header fields to get a valid checksum */
	memset(&a, 0, sizeof(a));
	buf[26] = buf[27] = 0;
	memcpy(&s, buf + 12, 4);
	memcpy(&d, buf + 16, 4);
	a.version = version;
	a.vrid = buf[21];
	a.priority = buf[22];
	a.n_addr = buf[23];
	a.auth_type = buf[24];
	a.adv_int_cs = version == 2 ? (uint16_t)(buf[25] * 100) :
		(uint16_t)((buf[24] << 8 | buf[25]) & 0xfff);
	memcpy(a.addrs, buf + 28, 4u * a.n_addr);
	if (version == 2)
		memcpy(a.auth, buf + 28 + 4 * a.n_addr, 8);
	if (version == 2 && a.auth_type != LB_VRRP_AUTHT_PASS)
		memset(a.auth, 0, 8);
	assert_true(lb_vrrp_encode(&a, &s, &d, tmp, sizeof(tmp)) > 0);
	memcpy(buf + 20, tmp, len - 20);
}

static void
test_check_reasons(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_adv a;
	uint8_t buf[256];
	size_t len;

	(void)state;
	params_v2(&p);

	len = good_v2(&p, buf);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_ok);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, 10, &a), LB_VRRP_RX_len);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len - 1, &a), LB_VRRP_RX_len);

	/* TTL: checked for multicast, not for unicast; before the checksum */
	buf[8] = 64;
	buf[26] ^= 0xff;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_ttl);
	p.unicast = true;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_checksum);
	p.unicast = false;
	len = good_v2(&p, buf);

	p.version = 3;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_version);
	p.version = 2;
	buf[20] = 0x22;		/* type 2 */
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_version);
	len = good_v2(&p, buf);

	p.vrid = 52;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_vrid);
	p.vrid = 51;

	buf[30] ^= 1;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_checksum);
	len = good_v2(&p, buf);

	/* tot_len disagreeing with the address count */
	buf[23] = 3;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_len);
	len = good_v2(&p, buf);

	buf[24] = LB_VRRP_AUTHT_AH;
	refix_csum(buf, len, 2);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_auth_ah);
	buf[24] = LB_VRRP_AUTHT_NONE;
	refix_csum(buf, len, 2);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_auth_type);
	len = good_v2(&p, buf);
	buf[len - 3] = 'X';
	refix_csum(buf, len, 2);
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_auth_pass);
	len = good_v2(&p, buf);

	/* the password check happens before the address and interval checks */
	p.n_addrs = 1;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_addr_count);
	p.n_addrs = 2;
	p.addrs[1] = ip4("198.18.0.102");
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_addr_list);
	p.addrs[1] = ip4("198.18.0.101");
	/* address order does not matter */
	p.addrs[0] = ip4("198.18.0.101");
	p.addrs[1] = ip4("198.18.0.100");
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_ok);
	p.adv_int_ms = 2000;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_interval);
	assert_string_equal(lb_vrrp_rx_name(LB_VRRP_RX_interval), "interval");
}

/* unicast_peer: adverts from another source are refused ("src"), after the
 * length check and before the checksum; unicast skips the TTL check. */
static void
test_unicast_src(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_adv a;
	uint8_t buf[256];
	size_t len;

	(void)state;
	params_v2(&p);
	len = good_v2(&p, buf);		/* from 198.18.0.2 */
	p.unicast = true;
	p.peers[0] = ip4("198.18.0.9");
	p.n_peers = 1;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_src);
	assert_string_equal(lb_vrrp_rx_name(LB_VRRP_RX_src), "src");
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, 10, &a), LB_VRRP_RX_len);
	p.peers[1] = ip4("198.18.0.2");
	p.n_peers = 2;
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_ok);
	buf[8] = 64;			/* TTL not checked for unicast */
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_ok);
	buf[12 + 3] = 7;		/* source 198.18.0.7: before the checksum */
	assert_int_equal(lb_vrrp_check_ip4(&p, buf, len, &a), LB_VRRP_RX_src);
	p.n_peers = LB_VRRP_MAX_PEERS + 1;
	assert_int_equal(lb_vrrp_sm_init(&(struct lb_vrrp_sm){ 0 }, &p), -EINVAL);
}

static void
test_ip6_v3(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_adv a, b;
	uint8_t src[16] = { 0xfe, 0x80, [15] = 2 }, dst[16] = { 0xff, 0x02, [15] = 0x12 };
	uint8_t vips[1][16] = { { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x64 } };
	uint8_t buf[64];
	int n;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.version = 3;
	a.vrid = 7;
	a.priority = 200;
	a.n_addr = 1;
	a.ipv6 = true;
	a.adv_int_cs = 100;
	memcpy(a.addrs6[0], vips[0], 16);
	n = lb_vrrp_encode(&a, src, dst, buf, sizeof(buf));
	assert_int_equal(n, 8 + 16);
	memset(&p, 0, sizeof(p));
	p.version = 3;
	p.vrid = 7;
	p.priority = 100;
	p.adv_int_ms = 1000;
	assert_int_equal(lb_vrrp_check_ip6(&p, src, dst, buf, (size_t)n,
					   (const uint8_t (*)[16])vips, 1, &b), LB_VRRP_RX_ok);
	assert_int_equal(b.priority, 200);
	dst[15] = 0x13;
	assert_int_equal(lb_vrrp_check_ip6(&p, src, dst, buf, (size_t)n,
					   (const uint8_t (*)[16])vips, 1, &b),
			 LB_VRRP_RX_checksum);
	a.version = 2;
	assert_int_equal(lb_vrrp_encode(&a, src, dst, buf, sizeof(buf)), -EINVAL);
}

/* ---- state machine ---- */

static void
sm_v2(struct lb_vrrp_sm *sm, uint8_t prio)
{
	struct lb_vrrp_params p;

	params_v2(&p);
	p.priority = prio;
	assert_int_equal(lb_vrrp_sm_init(sm, &p), 0);
}

static void
adv_from(struct lb_vrrp_adv *a, uint8_t prio, uint16_t int_cs)
{
	memset(a, 0, sizeof(*a));
	a->version = 2;
	a->priority = prio;
	a->adv_int_cs = int_cs;
}

static void
test_timers(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_params p;

	(void)state;
	sm_v2(&sm, 100);
	/* v2 skew = (256 - 100) / 256 s */
	assert_int_equal(lb_vrrp_skew_ms(&sm), 156 * 1000 / 256);
	assert_int_equal(lb_vrrp_master_down_ms(&sm), 3000 + 609);
	params_v2(&p);
	p.version = 3;
	p.adv_int_ms = 100;
	p.priority = 200;
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), 0);
	/* v3 skew = (256 - 200) * 100 ms / 256 */
	assert_int_equal(lb_vrrp_skew_ms(&sm), 56 * 100 / 256);
	assert_int_equal(lb_vrrp_master_down_ms(&sm), 300 + 21);
	p.adv_int_ms = 1500;
	p.version = 2;
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), -EINVAL);
	p.adv_int_ms = 105;
	p.version = 3;
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), -EINVAL);
	p.adv_int_ms = 1000;
	p.priority = 0;
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), -EINVAL);
}

static void
test_backup_to_master(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;
	uint64_t t = 1000;

	(void)state;
	sm_v2(&sm, 100);
	lb_vrrp_sm_start(&sm, t, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(act.flags, LB_VRRP_ACT_STATE);
	assert_int_equal(sm.deadline, t + 3609);
	/* a higher-priority master keeps us backup and resets the timer */
	adv_from(&a, 150, 100);
	lb_vrrp_sm_rx(&sm, t + 3000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(act.flags, 0);
	assert_int_equal(sm.deadline, t + 3000 + 3609);
	lb_vrrp_sm_timer(&sm, t + 6000, &act);
	assert_int_equal(act.flags, 0);		/* not due */
	lb_vrrp_sm_timer(&sm, t + 6609, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.flags, LB_VRRP_ACT_STATE | LB_VRRP_ACT_ADVERT);
	assert_int_equal(act.old_state, LB_VRRP_ST_BACKUP);
	assert_int_equal(act.adv_priority, 100);
	assert_int_equal(sm.deadline, t + 6609 + 1000);
	lb_vrrp_sm_timer(&sm, t + 7609, &act);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT);
	assert_int_equal(sm.st.adv_sent, 2);
	assert_int_equal(sm.st.become_master, 1);
}

static void
test_owner_and_start_master(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;

	(void)state;
	sm_v2(&sm, 255);
	lb_vrrp_sm_start(&sm, 0, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.adv_priority, 255);
	/* tracking never lowers an owner */
	lb_vrrp_sm_set_delta(&sm, -50);
	assert_int_equal(sm.eff_priority, 255);

	sm_v2(&sm, 100);
	sm.p.start_master = true;
	lb_vrrp_sm_start(&sm, 0, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.flags, LB_VRRP_ACT_STATE | LB_VRRP_ACT_ADVERT);
	assert_int_equal(act.adv_priority, 100);
	assert_int_equal(sm.deadline, 1000);
}

static void
test_master_yields_and_tiebreak(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	sm_v2(&sm, 100);	/* our address 198.18.0.3 */
	lb_vrrp_sm_start(&sm, 0, &act);
	lb_vrrp_sm_timer(&sm, 3609, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	/* equal priority from a lower address: we stay, and advertise at once */
	adv_from(&a, 100, 100);
	lb_vrrp_sm_rx(&sm, 4000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT | LB_VRRP_ACT_LOWER_MASTER);
	assert_int_equal(sm.st.lower_master, 1);
	/* split brain: a lower-priority master */
	adv_from(&a, 50, 100);
	lb_vrrp_sm_rx(&sm, 4100, &a, ip4("198.18.0.9"), &act);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT | LB_VRRP_ACT_LOWER_MASTER);
	assert_int_equal(sm.deadline, 5100);
	/* equal priority from a higher address: we yield */
	adv_from(&a, 100, 100);
	lb_vrrp_sm_rx(&sm, 4200, &a, ip4("198.18.0.4"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(act.flags, LB_VRRP_ACT_STATE);
	assert_int_equal(act.old_state, LB_VRRP_ST_MASTER);
	assert_int_equal(sm.deadline, 4200 + 3609);
	assert_int_equal(sm.st.release_master, 1);
	/* in backup, equal priority is accepted whatever the address */
	lb_vrrp_sm_rx(&sm, 5000, &a, ip4("198.18.0.1"), &act);
	assert_int_equal(act.flags, 0);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
}

static void
test_priority_zero(void **state)
{
	struct lb_vrrp_sm sm, m;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	sm_v2(&sm, 100);
	lb_vrrp_sm_start(&sm, 0, &act);
	adv_from(&a, 0, 100);
	lb_vrrp_sm_rx(&sm, 500, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.deadline, 500 + 609);	/* skew time only */
	assert_int_equal(sm.st.pri_zero_rcvd, 1);
	lb_vrrp_sm_timer(&sm, 1109, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);

	/* a master hearing priority 0 advertises at once */
	lb_vrrp_sm_rx(&sm, 1200, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT);
	assert_int_equal(act.adv_priority, 100);

	/* clean stop of a master: priority 0 advert, INIT */
	lb_vrrp_sm_stop(&sm, 1300, &act);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT | LB_VRRP_ACT_STATE);
	assert_int_equal(act.adv_priority, 0);
	assert_int_equal(sm.state, LB_VRRP_ST_INIT);
	assert_int_equal(sm.st.pri_zero_sent, 1);
	assert_int_equal(sm.deadline, UINT64_MAX);
	/* a backup stopping sends nothing */
	sm_v2(&m, 100);
	lb_vrrp_sm_start(&m, 0, &act);
	lb_vrrp_sm_stop(&m, 1, &act);
	assert_int_equal(act.flags, LB_VRRP_ACT_STATE);
}

static void
test_preempt(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	/* preempt (default): a lower-priority master is taken over at once */
	sm_v2(&sm, 150);
	lb_vrrp_sm_start(&sm, 0, &act);
	adv_from(&a, 100, 100);
	lb_vrrp_sm_rx(&sm, 100, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_true(act.flags & LB_VRRP_ACT_ADVERT);

	/* nopreempt: the lower-priority master is accepted */
	sm_v2(&sm, 150);
	sm.p.nopreempt = true;
	lb_vrrp_sm_start(&sm, 0, &act);
	lb_vrrp_sm_rx(&sm, 100, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(sm.deadline, 100 + 3000 + 414);

	/* preempt_delay: accepted until the delay has passed since start */
	sm_v2(&sm, 150);
	sm.p.preempt_delay_ms = 5000;
	lb_vrrp_sm_start(&sm, 0, &act);
	lb_vrrp_sm_rx(&sm, 1000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	lb_vrrp_sm_rx(&sm, 4000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	lb_vrrp_sm_rx(&sm, 5000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
}

static void
test_v3_adopts_interval(void **state)
{
	struct lb_vrrp_params p;
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	params_v2(&p);
	p.version = 3;
	p.adv_int_ms = 1000;
	p.priority = 100;
	assert_int_equal(lb_vrrp_sm_init(&sm, &p), 0);
	lb_vrrp_sm_start(&sm, 0, &act);
	memset(&a, 0, sizeof(a));
	a.version = 3;
	a.priority = 200;
	a.adv_int_cs = 10;	/* master advertises every 100 ms */
	lb_vrrp_sm_rx(&sm, 50, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.master_adv_int_ms, 100);
	assert_int_equal(sm.deadline, 50 + 300 + 156 * 100 / 256);
	lb_vrrp_sm_timer(&sm, 50 + 360, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	/* as master it uses its own interval again */
	assert_int_equal(sm.deadline, 410 + 1000);
}

static void
test_fault_and_tracking(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	sm_v2(&sm, 100);
	lb_vrrp_sm_start(&sm, 0, &act);
	lb_vrrp_sm_timer(&sm, 3609, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	lb_vrrp_sm_set_fault(&sm, 4000, true, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_FAULT);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT | LB_VRRP_ACT_STATE);
	assert_int_equal(act.adv_priority, 0);
	/* adverts are ignored in fault */
	adv_from(&a, 50, 100);
	lb_vrrp_sm_rx(&sm, 4100, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(act.flags, 0);
	lb_vrrp_sm_set_fault(&sm, 5000, false, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(sm.deadline, 5000 + 3609);

	/* a weight change goes out in the next advert, clamped to 1..254 */
	lb_vrrp_sm_set_delta(&sm, -20);
	assert_int_equal(sm.eff_priority, 80);
	lb_vrrp_sm_timer(&sm, 10000, &act);
	assert_int_equal(act.adv_priority, 80);
	lb_vrrp_sm_set_delta(&sm, 200);
	assert_int_equal(sm.eff_priority, 254);
	lb_vrrp_sm_set_delta(&sm, -200);
	assert_int_equal(sm.eff_priority, 1);

	/* starting while a tracked object is down goes straight to fault */
	sm_v2(&sm, 100);
	lb_vrrp_sm_set_fault(&sm, 0, true, &act);
	lb_vrrp_sm_start(&sm, 0, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_FAULT);
}

/* Reload: a new priority and preemption setting, state and timers kept. */
static void
test_set_config(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;
	uint32_t peer = ip4("198.18.0.9");

	(void)state;
	sm_v2(&sm, 100);
	lb_vrrp_sm_start(&sm, 0, &act);
	adv_from(&a, 150, 100);
	lb_vrrp_sm_rx(&sm, 100, &a, peer, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_true(sm.deadline > 3000);

	/* raised above the master: the master's adverts stop holding us back */
	assert_int_equal(lb_vrrp_sm_set_config(&sm, 200, false), 0);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(sm.eff_priority, 200);
	lb_vrrp_sm_set_delta(&sm, -10);
	assert_int_equal(sm.eff_priority, 190);	/* the tracking delta is kept */
	adv_from(&a, 150, 100);
	lb_vrrp_sm_rx(&sm, 1000, &a, peer, &act);
	lb_vrrp_sm_timer(&sm, 10000, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.adv_priority, 190);

	/* nopreempt: a lower master's adverts keep a backup a backup */
	sm_v2(&sm, 100);
	lb_vrrp_sm_start(&sm, 0, &act);
	assert_int_equal(lb_vrrp_sm_set_config(&sm, 120, true), 0);
	assert_true(sm.p.nopreempt);
	adv_from(&a, 110, 100);
	lb_vrrp_sm_rx(&sm, 100, &a, peer, &act);
	lb_vrrp_sm_rx(&sm, 1100, &a, peer, &act);
	lb_vrrp_sm_rx(&sm, 2100, &a, peer, &act);
	lb_vrrp_sm_timer(&sm, 3000, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);

	/* the owner priority is entered or left only by a restart */
	assert_int_equal(lb_vrrp_sm_set_config(&sm, 255, false), -EINVAL);
	assert_int_equal(lb_vrrp_sm_set_config(&sm, 0, false), -EINVAL);
	sm_v2(&sm, 255);
	assert_int_equal(lb_vrrp_sm_set_config(&sm, 100, false), -EINVAL);
	assert_int_equal(sm.p.priority, 255);
}

static void
test_track_weight(void **state)
{
	bool fault = false;

	(void)state;
	/* weight 0: fault while down, nothing while up */
	assert_int_equal(lb_vrrp_track_weight(0, false, true, &fault), 0);
	assert_false(fault);
	assert_int_equal(lb_vrrp_track_weight(0, false, false, &fault), 0);
	assert_true(fault);
	fault = false;
	/* positive: added while up; negative: added while down */
	assert_int_equal(lb_vrrp_track_weight(20, false, true, &fault), 20);
	assert_int_equal(lb_vrrp_track_weight(20, false, false, &fault), 0);
	assert_int_equal(lb_vrrp_track_weight(-60, false, true, &fault), 0);
	assert_int_equal(lb_vrrp_track_weight(-60, false, false, &fault), -60);
	/* reverse: the other way round */
	assert_int_equal(lb_vrrp_track_weight(20, true, true, &fault), -20);
	assert_int_equal(lb_vrrp_track_weight(20, true, false, &fault), 0);
	assert_int_equal(lb_vrrp_track_weight(-60, true, true, &fault), 0);
	assert_int_equal(lb_vrrp_track_weight(-60, true, false, &fault), 60);
	assert_false(fault);
}

/* preempt_delay also starts when a lower-priority master is first heard after start. */
static void
test_preempt_delay_from_first_heard(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;
	struct lb_vrrp_adv a;

	(void)state;
	sm_v2(&sm, 150);
	sm.p.preempt_delay_ms = 2000;
	lb_vrrp_sm_start(&sm, 0, &act);
	adv_from(&a, 200, 100);
	/* a better master: no preemption and the delay window passes */
	lb_vrrp_sm_rx(&sm, 1000, &a, ip4("198.18.0.2"), &act);
	lb_vrrp_sm_rx(&sm, 3000, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	/* its priority drops below ours: preempted at once, the start delay is over */
	adv_from(&a, 100, 100);
	lb_vrrp_sm_rx(&sm, 3500, &a, ip4("198.18.0.2"), &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
}

static void
test_force(void **state)
{
	struct lb_vrrp_sm sm;
	struct lb_vrrp_act act;

	(void)state;
	sm_v2(&sm, 100);
	lb_vrrp_sm_force(&sm, 0, LB_VRRP_ST_MASTER, &act);
	assert_int_equal(act.flags, 0);		/* not started */
	lb_vrrp_sm_start(&sm, 0, &act);
	lb_vrrp_sm_force(&sm, 10, LB_VRRP_ST_MASTER, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_MASTER);
	assert_int_equal(act.flags, LB_VRRP_ACT_ADVERT | LB_VRRP_ACT_STATE);
	lb_vrrp_sm_force(&sm, 20, LB_VRRP_ST_BACKUP, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_BACKUP);
	assert_int_equal(sm.deadline, 20 + 3609);
	lb_vrrp_sm_force(&sm, 30, LB_VRRP_ST_FAULT, &act);
	assert_int_equal(sm.state, LB_VRRP_ST_FAULT);
	assert_string_equal(lb_vrrp_state_name(sm.state), "FAULT");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_matches_scapy),
		cmocka_unit_test(test_check_accepts_scapy),
		cmocka_unit_test(test_check_reasons),
		cmocka_unit_test(test_unicast_src),
		cmocka_unit_test(test_ip6_v3),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_backup_to_master),
		cmocka_unit_test(test_owner_and_start_master),
		cmocka_unit_test(test_master_yields_and_tiebreak),
		cmocka_unit_test(test_priority_zero),
		cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_v3_adopts_interval),
		cmocka_unit_test(test_fault_and_tracking),
		cmocka_unit_test(test_set_config),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_track_weight),
		cmocka_unit_test(test_preempt_delay_from_first_heard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
