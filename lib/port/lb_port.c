/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "lb_port.h"

int
lb_port_resolve(struct lb_port *ports, const struct lb_sysconf *sc, FILE *diag)
{
	unsigned int i;
	int ret = 0;

	if (diag == NULL)
		diag = stderr;
	for (i = 0; i < sc->n_ports; i++) {
		const struct lb_sysconf_port *sp = &sc->ports[i];
		struct lb_port *p = &ports[i];

		memset(p, 0, sizeof(*p));
		if (rte_eth_dev_get_port_by_name(sp->dev, &p->port_id) != 0) {
			fprintf(diag, "%s:%u: error: port '%s': DPDK device '%s' does not exist "
				"(give it to EAL with --vdev, or bind the PCI device to a DPDK "
				"driver)\n", sc->file, sp->dev_line != 0 ? sp->dev_line : sp->line,
				sp->name, sp->dev);
			ret = -ENODEV;
			continue;
		}
		snprintf(p->name, sizeof(p->name), "%s", sp->name);
		p->addr = sp->addr;
		p->prefixlen = sp->prefixlen;
	}
	return ret;
}

static int
port_start(struct lb_port *p, const struct lb_sysconf *sc, uint16_t nq,
	   struct rte_mempool *mp, FILE *diag)
{
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	uint16_t rxd = sc->rx_desc, txd = sc->tx_desc, q;
	int ret;

	ret = rte_eth_dev_info_get(p->port_id, &info);
	if (ret != 0)
		return ret;
	if (nq > info.max_rx_queues || nq > info.max_tx_queues) {
		fprintf(diag, "error: port '%s' supports %u RX / %u TX queues, %u workers need %u "
			"(for af_packet add qpairs=%u to the --vdev)\n", p->name,
			info.max_rx_queues, info.max_tx_queues, nq, nq, nq);
		return -EINVAL;
	}
	/* af_packet fans flows out over all its qpairs: one nobody polls loses its share. */
	if (strcmp(info.driver_name, "net_af_packet") == 0 && info.max_rx_queues != nq) {
		fprintf(diag, "error: port '%s': af_packet has qpairs=%u but there %s %u "
			"worker%s; give qpairs=%u in the --vdev\n", p->name, info.max_rx_queues,
			nq == 1 ? "is" : "are", nq, nq == 1 ? "" : "s", nq);
		return -EINVAL;
	}
	if (nq > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
						    RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	ret = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	if (ret != 0)
		goto err;
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &rxd, &txd);
	if (ret != 0)
		goto err;
	for (q = 0; q < nq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, rxd, rte_eth_dev_socket_id(p->port_id),
					     NULL, mp);
		if (ret != 0)
			goto err;
		ret = rte_eth_tx_queue_setup(p->port_id, q, txd, rte_eth_dev_socket_id(p->port_id),
					     NULL);
		if (ret != 0)
			goto err;
	}
	ret = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (ret != 0)
		goto err;
	/* Promiscuous for VRRP's virtual MAC later and for VIP ARP; ignore if unsupported. */
	rte_eth_promiscuous_enable(p->port_id);
	rte_eth_allmulticast_enable(p->port_id);
	ret = rte_eth_dev_start(p->port_id);
	if (ret != 0)
		goto err;
	p->n_queues = nq;
	p->started = 1;
	p->prev_tsc = rte_rdtsc();
	return 0;
err:
	fprintf(diag, "error: port '%s': setup failed: %s\n", p->name, rte_strerror(-ret));
	return ret;
}

int
lb_port_start_all(struct lb_port *ports, unsigned int n_ports, const struct lb_sysconf *sc,
		  uint16_t n_queues, struct rte_mempool *mp, FILE *diag)
{
	unsigned int i;
	int ret;

	if (diag == NULL)
		diag = stderr;
	for (i = 0; i < n_ports; i++) {
		ret = port_start(&ports[i], sc, n_queues, mp, diag);
		if (ret != 0) {
			lb_port_stop_all(ports, i);
			return ret;
		}
	}
	return 0;
}

void
lb_port_stop_all(struct lb_port *ports, unsigned int n_ports)
{
	unsigned int i;

	for (i = 0; i < n_ports; i++) {
		if (!ports[i].started)
			continue;
		rte_eth_dev_stop(ports[i].port_id);
		rte_eth_dev_close(ports[i].port_id);
		ports[i].started = 0;
	}
}

void
lb_port_stats_print(FILE *out, struct lb_port *ports, unsigned int n_ports)
{
	static const char *nic_stats_border = "########################";
	uint64_t now = rte_rdtsc(), hz = rte_get_tsc_hz();
	struct rte_eth_stats st;
	unsigned int i;

	for (i = 0; i < n_ports; i++) {
		struct lb_port *p = &ports[i];
		uint64_t dt, rx_pps = 0, tx_pps = 0, rx_bps = 0, tx_bps = 0;

		if (!p->started || rte_eth_stats_get(p->port_id, &st) != 0)
			continue;
		dt = now - p->prev_tsc;
		if (dt > 0) {
			rx_pps = (st.ipackets - p->prev_ipackets) * hz / dt;
			tx_pps = (st.opackets - p->prev_opackets) * hz / dt;
			rx_bps = (st.ibytes - p->prev_ibytes) * 8 * hz / dt;
			tx_bps = (st.obytes - p->prev_obytes) * 8 * hz / dt;
		}
		p->prev_tsc = now;
		p->prev_ipackets = st.ipackets;
		p->prev_opackets = st.opackets;
		p->prev_ibytes = st.ibytes;
		p->prev_obytes = st.obytes;

		fprintf(out, "\n  %s NIC statistics for port %-2u (%s) %s\n", nic_stats_border,
			p->port_id, p->name, nic_stats_border);
		fprintf(out, "  RX-packets: %-10" PRIu64 " RX-missed: %-10" PRIu64
			" RX-bytes:  %-" PRIu64 "\n", st.ipackets, st.imissed, st.ibytes);
		fprintf(out, "  RX-errors: %" PRIu64 "\n", st.ierrors);
		fprintf(out, "  RX-nombuf:  %-10" PRIu64 "\n", st.rx_nombuf);
		fprintf(out, "  TX-packets: %-10" PRIu64 " TX-errors: %-10" PRIu64
			" TX-bytes:  %-" PRIu64 "\n", st.opackets, st.oerrors, st.obytes);
		fprintf(out, "\n  Throughput (since last show)\n");
		fprintf(out, "  Rx-pps: %12" PRIu64 "          Rx-bps: %12" PRIu64 "\n",
			rx_pps, rx_bps);
		fprintf(out, "  Tx-pps: %12" PRIu64 "          Tx-bps: %12" PRIu64 "\n",
			tx_pps, tx_bps);
		fprintf(out, "  %s%s%s\n", nic_stats_border, nic_stats_border,
			"############################");
	}
}
