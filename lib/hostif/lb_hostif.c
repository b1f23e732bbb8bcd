/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "lb_hostif.h"

#define HOSTIF_DESC 512

static const char *const cnt_names[LB_HOSTIF__MAX] = {
#define LB_HOSTIF_NAME(n) [LB_HOSTIF_##n] = #n,
	LB_HOSTIF_CNT_LIST(LB_HOSTIF_NAME)
#undef LB_HOSTIF_NAME
};

const char *
lb_hostif_cnt_name(enum lb_hostif_cnt c)
{
	return (unsigned int)c < LB_HOSTIF__MAX ? cnt_names[c] : "?";
}

static int
set_inaddr(int fd, const char *ifname, unsigned long req, uint32_t ip)
{
	struct ifreq ifr;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = ip };

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	return ioctl(fd, req, &ifr) == 0 ? 0 : -errno;
}

/* Address, netmask and IFF_UP on the kernel side (the route comes with them). */
static int
kernel_config(const char *ifname, uint32_t addr, uint8_t plen, FILE *diag)
{
	uint32_t mask = plen == 0 ? 0 : htonl(~0u << (32 - plen));
	struct ifreq ifr;
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = set_inaddr(fd, ifname, SIOCSIFADDR, addr);
	if (ret == 0)
		ret = set_inaddr(fd, ifname, SIOCSIFNETMASK, mask);
	if (ret == 0) {
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0 ||
		    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) != 0))
			ret = -errno;
	}
	if (ret != 0)
		fprintf(diag, "error: host interface %s: cannot set its address: %s\n", ifname,
			strerror(-ret));
	close(fd);
	return ret;
}

int
lb_hostif_open(struct lb_hostif *h, unsigned int idx, const char *ifname,
	       const struct rte_ether_addr *mac, uint32_t addr, uint8_t prefixlen,
	       struct rte_mempool *mp, FILE *diag)
{
	struct rte_eth_conf conf = {0};
	char args[96], macs[RTE_ETHER_ADDR_FMT_SIZE];
	int ret;

	memset(h, 0, sizeof(*h));
	if (if_nametoindex(ifname) != 0) {
		fprintf(diag, "error: host interface %s already exists (another lbapp? set "
			"host_if to another name, or host_if = false, in dpdk.conf)\n", ifname);
		return -EEXIST;
	}
	snprintf(h->vdev, sizeof(h->vdev), "net_tap_lb%u", idx);
	snprintf(h->ifname, sizeof(h->ifname), "%s", ifname);
	h->addr = addr;
	rte_ether_format_addr(macs, sizeof(macs), mac);
	snprintf(args, sizeof(args), "iface=%s,mac=%s", ifname, macs);
	ret = rte_vdev_init(h->vdev, args);
	if (ret != 0) {
		fprintf(diag, "error: cannot create host interface %s (DPDK net_tap %s,%s): %s "
			"(needs /dev/net/tun and CAP_NET_ADMIN; host_if = false in dpdk.conf "
			"disables it)\n", ifname, h->vdev, args, rte_strerror(-ret));
		return -ENODEV;
	}
	ret = rte_eth_dev_get_port_by_name(h->vdev, &h->port_id);
	if (ret != 0)
		goto err_vdev;
	ret = rte_eth_dev_configure(h->port_id, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(h->port_id, 0, HOSTIF_DESC,
					     rte_eth_dev_socket_id(h->port_id), NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(h->port_id, 0, HOSTIF_DESC,
					     rte_eth_dev_socket_id(h->port_id), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(h->port_id);
	if (ret != 0) {
		fprintf(diag, "error: host interface %s: setup failed: %s\n", ifname,
			rte_strerror(-ret));
		goto err_vdev;
	}
	ret = kernel_config(ifname, addr, prefixlen, diag);
	if (ret != 0)
		goto err_stop;
	h->on = true;
	return 0;
err_stop:
	rte_eth_dev_stop(h->port_id);
err_vdev:
	rte_eth_dev_close(h->port_id);
	rte_vdev_uninit(h->vdev);
	return ret < 0 ? ret : -ENODEV;
}

void
lb_hostif_to_host(struct lb_hostif *h, struct rte_mbuf *m)
{
	if (!h->on || rte_eth_tx_burst(h->port_id, 0, &m, 1) != 1) {
		h->cnt[LB_HOSTIF_to_host_drop]++;
		rte_pktmbuf_free(m);
		return;
	}
	h->cnt[LB_HOSTIF_to_host]++;
}

uint16_t
lb_hostif_from_host(struct lb_hostif *h, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t got;

	if (!h->on)
		return 0;
	got = rte_eth_rx_burst(h->port_id, 0, pkts, n);
	h->cnt[LB_HOSTIF_from_host] += got;
	return got;
}

void
lb_hostif_close(struct lb_hostif *h)
{
	if (!h->on)
		return;
	rte_eth_dev_stop(h->port_id);
	rte_eth_dev_close(h->port_id);
	rte_vdev_uninit(h->vdev);
	h->on = false;
}
