/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYSCONF_H
#define LB_SYSCONF_H

/**
 * @file
 * dpdk.conf: the system side of lbapp (ports, neighbours, memory, table
 * sizes, timeouts, default EAL arguments), read with libconfig.
 *
 * Unknown keys, wrong types and bad values are errors that name the file
 * and line. Nothing here touches DPDK devices: checking that a port's
 * device exists happens in the port module after EAL init, using the line
 * numbers kept here.
 *
 * Not multi-thread safe; used during startup and reload on the control lcore.
 */

#include <stdint.h>
#include <stdio.h>

#define LB_MAX_PORTS 8
#define LB_SYSCONF_NAME_MAX 32
#define LB_SYSCONF_DEV_MAX 128
#define LB_SYSCONF_EAL_MAX 32
#define LB_SYSCONF_IFNAME_MAX 16	/**< kernel IFNAMSIZ, with the NUL */

/** One entry of ports = ( ... ). */
struct lb_sysconf_port {
	char name[LB_SYSCONF_NAME_MAX];	/**< name lb.conf's "interface" uses */
	char dev[LB_SYSCONF_DEV_MAX];	/**< DPDK device name (vdev or PCI) */
	uint32_t addr;			/**< director address, network order */
	uint8_t prefixlen;		/**< from "a.b.c.d/len" (required) */
	unsigned int line;		/**< line of this entry in dpdk.conf */
	unsigned int dev_line;		/**< line of its dev = "..." */
	/**
	 * Kernel-visible host interface (DPDK net_tap) of this port, carrying
	 * its address: host_if = "NAME" renames it, host_if = false disables
	 * it (empty string here). Default "lb-<name>".
	 */
	char host_if[LB_SYSCONF_IFNAME_MAX];
};

/**
 * One entry of neighbors = ( ... ): a static ARP entry. Its ip is on the
 * subnet of its port; when the entry names no port, that port is found
 * with lb_sysconf_port_for_ip().
 */
struct lb_sysconf_neigh {
	uint32_t ip;			/**< network order */
	uint8_t mac[6];
	unsigned int port;		/**< index into lb_sysconf.ports */
	unsigned int line;
};

/** Connection timeouts in seconds (IPVS defaults). */
struct lb_sysconf_timeouts {
	uint32_t tcp_established;	/**< default 900 */
	uint32_t tcp_syn_recv;		/**< default 30 */
	uint32_t tcp_fin_wait;		/**< default 120 */
	uint32_t tcp_close;		/**< default 10 */
	uint32_t udp;			/**< default 300 */
};

/**
 * What a worker does with a TCP packet without SYN (or with ACK or RST) of
 * a flow it does not track (unknown_tcp = "..."): such a packet belongs to
 * a connection another director (before a failover) or an expired entry
 * was carrying.
 */
enum lb_unknown_tcp {
	LB_UNKNOWN_TCP_MH_ONLY = 0,	/**< "mh-only" (default): schedule under mh, else drop */
	LB_UNKNOWN_TCP_DROP,		/**< "drop": always drop (IPVS without sloppy_tcp) */
	LB_UNKNOWN_TCP_SCHEDULE,	/**< "schedule": always schedule (IPVS sloppy_tcp) */
};

/**
 * The whole of dpdk.conf, defaults filled in.
 *
 * Accepted ranges: mbufs 1023..2^30-1, mbuf_cache 0..512, rx_desc and
 * tx_desc 64..32768, burst 1..256, conn_table_size 1024..2^28 and
 * ctl_ring_size 64..2^24 (both powers of two), arp_refresh 1..3600,
 * each timeout 1..86400.
 */
struct lb_sysconf {
	char file[256];				/**< path it was read from */
	struct lb_sysconf_port ports[LB_MAX_PORTS];
	unsigned int n_ports;			/**< at least 1 */
	struct lb_sysconf_neigh *neighbors;	/**< malloc'd, may be NULL */
	unsigned int n_neighbors;
	uint32_t mbufs;			/**< mempool size, default 131071 */
	uint32_t mbuf_cache;		/**< per-lcore cache, default 256 */
	uint16_t rx_desc;		/**< RX ring size, default 1024 */
	uint16_t tx_desc;		/**< TX ring size, default 1024 */
	uint16_t burst;			/**< RX/TX burst size, default 32, 1-256 */
	uint32_t conn_table_size;	/**< entries per worker, power of 2, default 1M */
	uint32_t ctl_ring_size;		/**< worker<->control rings, power of 2, default 4096 */
	uint32_t arp_refresh;		/**< seconds between neighbour refreshes, default 30 */
	struct lb_sysconf_timeouts timeouts;
	enum lb_unknown_tcp unknown_tcp;	/**< default LB_UNKNOWN_TCP_MH_ONLY */
	char *eal_args[LB_SYSCONF_EAL_MAX];	/**< eal_args = [ ... ], strdup'd */
	unsigned int n_eal_args;
	uint32_t metrics_addr;		/**< Prometheus listen address, network order */
	uint16_t metrics_port;		/**< default 9464 on 127.0.0.1; 0 = off */
};

/**
 * Fill a sysconf with every default and no ports.
 *
 * @param sc
 *   Struct to fill.
 */
void lb_sysconf_defaults(struct lb_sysconf *sc);

/**
 * Read and validate dpdk.conf.
 *
 * @param path
 *   File to read.
 * @param sc
 *   Filled on success; on failure it holds nothing that needs freeing.
 * @param diag
 *   Stream for "FILE:LINE: error: ..." lines, or NULL for stderr.
 * @return
 *   0 on success; -ENOENT if the file cannot be opened; -EINVAL on a
 *   syntax error, an unknown key, a wrong type or a bad value; -ENOMEM.
 */
int lb_sysconf_load(const char *path, struct lb_sysconf *sc, FILE *diag);

/** @return the dpdk.conf spelling of an unknown_tcp policy ("mh-only", ...). */
const char *lb_sysconf_unknown_tcp_name(enum lb_unknown_tcp p);

/**
 * Release what lb_sysconf_load() allocated. Safe on a defaults-only struct.
 *
 * @param sc
 *   Struct to clear.
 */
void lb_sysconf_free(struct lb_sysconf *sc);

/**
 * Find a port by its name.
 *
 * @return
 *   The index into sc->ports, or -ENOENT.
 */
int lb_sysconf_port_by_name(const struct lb_sysconf *sc, const char *name);

/**
 * Find the port whose subnet (address/prefixlen) holds an address.
 *
 * @param ip
 *   Address, network order.
 * @return
 *   The index into sc->ports, or -ENOENT when no port is on-link.
 */
int lb_sysconf_port_for_ip(const struct lb_sysconf *sc, uint32_t ip);

#endif /* LB_SYSCONF_H */
