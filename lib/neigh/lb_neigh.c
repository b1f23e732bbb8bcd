/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "lb_neigh.h"

#define PROBE_RETRY_S 1

struct lb_neigh {
	struct rte_hash *h;		/* ip -> index in e[] */
	uint32_t max;
	uint32_t n;
	uint64_t refresh_tsc;
	uint64_t retry_tsc;
	struct lb_neigh_entry *e;
};

struct lb_neigh *
lb_neigh_create(const char *name, uint32_t max, uint32_t refresh_s)
{
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = RTE_MAX(max, 8u),
		.key_len = sizeof(uint32_t),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
	};
	struct lb_neigh *n;

	n = rte_zmalloc("lb_neigh", sizeof(*n), 0);
	if (n == NULL)
		goto err_nomem;
	n->e = rte_zmalloc("lb_neigh_e", sizeof(*n->e) * RTE_MAX(max, 1u), 0);
	if (n->e == NULL)
		goto err_nomem;
	n->h = rte_hash_create(&hp);
	if (n->h == NULL)
		goto err;
	n->max = max;
	n->refresh_tsc = rte_get_tsc_hz() * refresh_s;
	n->retry_tsc = rte_get_tsc_hz() * PROBE_RETRY_S;
	return n;

err_nomem:
	rte_errno = ENOMEM;
err:
	if (n != NULL)
		rte_free(n->e);
	rte_free(n);
	return NULL;
}

void
lb_neigh_free(struct lb_neigh *n)
{
	if (n == NULL)
		return;
	rte_hash_free(n->h);
	rte_free(n->e);
	rte_free(n);
}

static struct lb_neigh_entry *
find(const struct lb_neigh *n, uint32_t ip)
{
	void *data;

	if (rte_hash_lookup_data(n->h, &ip, &data) < 0)
		return NULL;
	return &n->e[(uintptr_t)data];
}

static struct lb_neigh_entry *
add(struct lb_neigh *n, uint32_t ip, uint16_t port)
{
	struct lb_neigh_entry *e;

	if (n->n == n->max)
		return NULL;
	e = &n->e[n->n];
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	e->port = port;
	if (rte_hash_add_key_data(n->h, &ip, (void *)(uintptr_t)n->n) < 0)
		return NULL;
	n->n++;
	return e;
}

int
lb_neigh_add_static(struct lb_neigh *n, uint32_t ip, const struct rte_ether_addr *mac,
		    uint16_t port)
{
	struct lb_neigh_entry *e = find(n, ip);

	if (e != NULL && e->state == LB_NEIGH_STATIC)
		return -EEXIST;
	if (e == NULL)
		e = add(n, ip, port);
	if (e == NULL)
		return -ENOSPC;
	e->mac = *mac;
	e->port = port;
	e->state = LB_NEIGH_STATIC;
	return 0;
}

int
lb_neigh_want(struct lb_neigh *n, uint32_t ip, uint16_t port)
{
	if (find(n, ip) != NULL)
		return 0;
	return add(n, ip, port) != NULL ? 0 : -ENOSPC;
}

const struct lb_neigh_entry *
lb_neigh_lookup(const struct lb_neigh *n, uint32_t ip)
{
	return find(n, ip);
}

int
lb_neigh_learn(struct lb_neigh *n, uint32_t ip, const struct rte_ether_addr *mac,
	       uint16_t port, uint64_t now)
{
	struct lb_neigh_entry *e = find(n, ip);
	int changed;

	if (e == NULL || e->state == LB_NEIGH_STATIC || rte_is_zero_ether_addr(mac) ||
	    !rte_is_unicast_ether_addr(mac))
		return 0;
	changed = e->state != LB_NEIGH_REACHABLE || !rte_is_same_ether_addr(&e->mac, mac) ||
		  e->port != port;
	e->mac = *mac;
	e->port = port;
	e->state = LB_NEIGH_REACHABLE;
	e->updated = now;
	e->probes = 0;
	e->next_probe = now + n->refresh_tsc;
	return changed;
}

unsigned int
lb_neigh_due(struct lb_neigh *n, uint64_t now,
	     void (*fn)(const struct lb_neigh_entry *e, void *arg), void *arg)
{
	unsigned int i, cnt = 0;

	for (i = 0; i < n->n; i++) {
		struct lb_neigh_entry *e = &n->e[i];

		if (e->state == LB_NEIGH_STATIC || (int64_t)(now - e->next_probe) < 0)
			continue;
		fn(e, arg);
		e->probes++;
		/* Unanswered refreshes are retried every second; the old MAC stays usable. */
		e->next_probe = now + n->retry_tsc;
		cnt++;
	}
	return cnt;
}

void
lb_neigh_foreach(const struct lb_neigh *n,
		 void (*fn)(const struct lb_neigh_entry *e, void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < n->n; i++)
		fn(&n->e[i], arg);
}

struct rte_mbuf *
lb_arp_build(struct rte_mempool *mp, uint16_t op, const struct rte_ether_addr *eth_dst,
	     const struct rte_ether_addr *sha, uint32_t sip,
	     const struct rte_ether_addr *tha, uint32_t tip)
{
	struct rte_ether_hdr *eth;
	struct rte_arp_hdr *arp;
	struct rte_mbuf *m;

	m = rte_pktmbuf_alloc(mp);
	if (m == NULL)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(eth, 0, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
	eth->dst_addr = *eth_dst;
	eth->src_addr = *sha;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	arp = (struct rte_arp_hdr *)(eth + 1);
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = sizeof(uint32_t);
	arp->arp_opcode = rte_cpu_to_be_16(op);
	arp->arp_data.arp_sha = *sha;
	arp->arp_data.arp_sip = sip;
	arp->arp_data.arp_tha = *tha;
	arp->arp_data.arp_tip = tip;
	return m;
}

int
lb_arp_parse(const struct rte_mbuf *m, struct lb_arp *out)
{
	const struct rte_ether_hdr *eth;
	const struct rte_arp_hdr *arp;

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + sizeof(*arp))
		return -EINVAL;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_ARP))
		return -EINVAL;
	arp = (const struct rte_arp_hdr *)(eth + 1);
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != sizeof(uint32_t))
		return -EINVAL;
	out->op = rte_be_to_cpu_16(arp->arp_opcode);
	if (out->op != RTE_ARP_OP_REQUEST && out->op != RTE_ARP_OP_REPLY)
		return -EINVAL;
	out->sha = arp->arp_data.arp_sha;
	out->sip = arp->arp_data.arp_sip;
	out->tha = arp->arp_data.arp_tha;
	out->tip = arp->arp_data.arp_tip;
	return 0;
}
