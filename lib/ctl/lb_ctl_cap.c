/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbctl capture: the workers copy what a port receives and sends into their
 * cap_ring (only while sh->cap_ports has the port's bit); here the copies are
 * filtered with a pcap_compile'd BPF program and written with pcap_dump.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "lb_ctl_int.h"

#define CAP_RING_SIZE 1024
#define CAP_POOL_SIZE 4095
#define CAP_BURST 64
#define CAP_SNAPLEN 65535
#define CAP_FILTER_MAX 1024

struct ctl_capture {
	struct rte_mempool *mp;
	struct rte_ring *ring[LB_MAX_WORKERS];
	pcap_t *pcap;
	pcap_dumper_t *dump;
	struct bpf_program prog;
	bool has_prog;
	bool running;
	uint16_t port;
	uint64_t want;		/* 0 = until the client hangs up */
	uint64_t seen, written;
	uint64_t lost_start;	/* workers' cap_drop when started */
	uint64_t tsc0;		/* TSC and wall clock read together at start */
	struct timeval tv0;
	char file[512];
};

static uint64_t
cap_lost(const struct lb_ctl *ctl)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < ctl->ctx->n_workers; i++)
		n += __atomic_load_n(&ctl->ctx->workers[i]->cnt[LB_CNT_cap_drop],
				     __ATOMIC_RELAXED);
	return n;
}

/* Rings and pool are made once and kept: the workers hold pointers to them. */
static int
cap_setup(struct lb_ctl *ctl, FILE *out)
{
	struct lb_ctx *ctx = ctl->ctx;
	char name[RTE_RING_NAMESIZE];
	unsigned int i;

	if (ctl->cap == NULL) {
		ctl->cap = calloc(1, sizeof(*ctl->cap));
		if (ctl->cap == NULL)
			goto nomem;
	}
	if (ctl->cap->mp == NULL) {
		ctl->cap->mp = rte_pktmbuf_pool_create("lb_cap_mp", CAP_POOL_SIZE, 0,
						       RTE_ALIGN(sizeof(struct lb_cap_meta),
								 RTE_MBUF_PRIV_ALIGN),
						       RTE_MBUF_DEFAULT_BUF_SIZE,
						       (int)rte_socket_id());
		if (ctl->cap->mp == NULL)
			goto nomem;
	}
	for (i = 0; i < ctx->n_workers; i++) {
		if (ctl->cap->ring[i] != NULL)
			continue;
		snprintf(name, sizeof(name), "lb_cap_%u", i);
		ctl->cap->ring[i] = rte_ring_create(name, CAP_RING_SIZE, (int)rte_socket_id(),
						    RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (ctl->cap->ring[i] == NULL)
			goto nomem;
		ctx->workers[i]->cap_mp = ctl->cap->mp;
		__atomic_store_n(&ctx->workers[i]->cap_ring, ctl->cap->ring[i], __ATOMIC_RELEASE);
	}
	return 0;
nomem:
	fprintf(out, "capture: cannot allocate the capture rings: %s\n",
		rte_strerror(rte_errno));
	return -ENOMEM;
}

/* The worker's copy time, as wall clock; the original length. */
static void
cap_stamp(const struct ctl_capture *cap, const struct lb_cap_meta *meta, struct pcap_pkthdr *h)
{
	uint64_t hz = rte_get_tsc_hz();
	uint64_t d, us = 0;

	if (meta->tsc > cap->tsc0 && hz > 0) {
		d = meta->tsc - cap->tsc0;
		us = d / hz * 1000000 + d % hz * 1000000 / hz;
	}
	us += (uint64_t)cap->tv0.tv_usec;
	h->ts.tv_sec = cap->tv0.tv_sec + (time_t)(us / 1000000);
	h->ts.tv_usec = (suseconds_t)(us % 1000000);
	h->len = RTE_MAX(meta->len, h->caplen);
}

static void
cap_drain(struct lb_ctl *ctl, bool write)
{
	struct ctl_capture *cap = ctl->cap;
	struct rte_mbuf *m[CAP_BURST];
	uint8_t buf[CAP_SNAPLEN];
	struct pcap_pkthdr h;
	unsigned int i, j, n;

	for (i = 0; i < ctl->ctx->n_workers; i++) {
		if (cap->ring[i] == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(cap->ring[i], (void **)m, CAP_BURST, NULL);
		for (j = 0; j < n; j++) {
			const uint8_t *d;

			if (write && cap->running && (cap->want == 0 || cap->written < cap->want) &&
			    (m[j]->hash.usr & 0xffff) == cap->port) {
				cap->seen++;
				h.caplen = RTE_MIN(rte_pktmbuf_pkt_len(m[j]), (uint32_t)sizeof(buf));
				cap_stamp(cap, rte_mbuf_to_priv(m[j]), &h);
				d = rte_pktmbuf_read(m[j], 0, h.caplen, buf);
				if (d != NULL && (!cap->has_prog ||
						  pcap_offline_filter(&cap->prog, &h, d) != 0)) {
					pcap_dump((u_char *)cap->dump, &h, d);
					cap->written++;
				}
			}
			rte_pktmbuf_free(m[j]);
		}
	}
}

static void
cap_close_file(struct ctl_capture *cap)
{
	if (cap->dump != NULL)
		pcap_dump_close(cap->dump);
	if (cap->has_prog)
		pcap_freecode(&cap->prog);
	if (cap->pcap != NULL)
		pcap_close(cap->pcap);
	cap->dump = NULL;
	cap->pcap = NULL;
	cap->has_prog = false;
}

int
ctl_capture_start(struct lb_ctl *ctl, int client, int argc, char **argv, FILE *out)
{
	struct lb_ctx *ctx = ctl->ctx;
	const char *file = NULL, *port_s;
	char filter[CAP_FILTER_MAX] = "";
	uint32_t count = 0, v;
	struct ctl_capture *cap;
	int a, port = -1;
	size_t fl = 0;

	if (argc < 2) {
		fprintf(out, "usage: capture PORT -w FILE.pcap [-c N] [FILTER]\n");
		return CTL_ERR;
	}
	port_s = argv[1];
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "-w") == 0 && a + 1 < argc) {
			file = argv[++a];
		} else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc) {
			if (ctl_parse_u32(argv[++a], UINT32_MAX, &count) != 0 || count == 0) {
				fprintf(out, "capture: bad count '%s'\n", argv[a]);
				return CTL_ERR;
			}
		} else if (argv[a][0] == '-' && fl == 0) {
			fprintf(out, "capture: bad option '%s' (-w FILE, -c N)\n", argv[a]);
			return CTL_ERR;
		} else {
			int n = snprintf(filter + fl, sizeof(filter) - fl, "%s%s", fl ? " " : "",
					 argv[a]);

			if (n < 0 || (size_t)n >= sizeof(filter) - fl) {
				fprintf(out, "capture: filter too long\n");
				return CTL_ERR;
			}
			fl += (size_t)n;
		}
	}
	port = lb_sysconf_port_by_name(&ctx->sc, port_s);
	if (port < 0 && ctl_parse_u32(port_s, ctx->n_ports - 1, &v) == 0)
		port = (int)v;
	if (port < 0) {
		fprintf(out, "capture: unknown port '%s'\n", port_s);
		return CTL_ERR;
	}
	if (file == NULL) {
		fprintf(out, "capture: -w FILE.pcap is required\n");
		return CTL_ERR;
	}
	if (ctl->cap_client >= 0) {
		fprintf(out, "capture: another capture is running\n");
		return CTL_ERR;
	}
	if (cap_setup(ctl, out) != 0)
		return CTL_ERR;
	cap = ctl->cap;
	cap_drain(ctl, false);	/* leftovers of an earlier capture */
	cap->pcap = pcap_open_dead(DLT_EN10MB, CAP_SNAPLEN);
	if (cap->pcap == NULL) {
		fprintf(out, "capture: pcap_open_dead failed\n");
		return CTL_ERR;
	}
	if (fl > 0) {
		if (pcap_compile(cap->pcap, &cap->prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			fprintf(out, "capture: bad filter '%s': %s\n", filter,
				pcap_geterr(cap->pcap));
			cap_close_file(cap);
			return CTL_ERR;
		}
		cap->has_prog = true;
	}
	cap->dump = pcap_dump_open(cap->pcap, file);
	if (cap->dump == NULL) {
		fprintf(out, "capture: %s\n", pcap_geterr(cap->pcap));
		cap_close_file(cap);
		return CTL_ERR;
	}
	snprintf(cap->file, sizeof(cap->file), "%s", file);
	cap->port = (uint16_t)port;
	cap->want = count;
	cap->seen = 0;
	cap->written = 0;
	cap->lost_start = cap_lost(ctl);
	gettimeofday(&cap->tv0, NULL);
	cap->tsc0 = rte_rdtsc();
	cap->running = true;
	ctl->cap_client = client;
	__atomic_or_fetch(&ctx->sh->cap_ports, UINT32_C(1) << port, __ATOMIC_RELEASE);
	lb_log(ctx, LB_LOG_NOTICE, "capture on %s started to %s%s%s", ctx->ports[port].name,
	       file, fl ? ", filter " : "", filter);
	return CTL_PENDING;
}

void
ctl_capture_stop(struct lb_ctl *ctl, FILE *out)
{
	struct ctl_capture *cap = ctl->cap;

	if (cap == NULL || !cap->running)
		return;
	__atomic_store_n(&ctl->ctx->sh->cap_ports, 0, __ATOMIC_RELEASE);
	cap_drain(ctl, true);
	cap->running = false;
	if (out != NULL)
		fprintf(out, "%" PRIu64 " packets captured to %s (%" PRIu64 " seen on the port, "
			"%" PRIu64 " lost)\n", cap->written, cap->file, cap->seen,
			cap_lost(ctl) - cap->lost_start);
	lb_log(ctl->ctx, LB_LOG_NOTICE, "capture to %s stopped: %" PRIu64 " packets",
	       cap->file, cap->written);
	cap_close_file(cap);
}

void
ctl_capture_poll(struct lb_ctl *ctl)
{
	struct ctl_capture *cap = ctl->cap;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (cap == NULL || !cap->running)
		return;
	cap_drain(ctl, true);
	if (cap->want == 0 || cap->written < cap->want)
		return;
	out = open_memstream(&text, &len);
	if (out == NULL)
		return;
	ctl_capture_stop(ctl, out);
	fclose(out);
	if (ctl->cap_client >= 0)
		ctl_finish(ctl, ctl->cap_client, CTL_OK, text, len);
	ctl->cap_client = -1;
	free(text);
}

void
ctl_capture_free(struct lb_ctl *ctl)
{
	struct ctl_capture *cap = ctl->cap;
	unsigned int i;

	if (cap == NULL)
		return;
	ctl_capture_stop(ctl, NULL);
	cap_drain(ctl, false);
	for (i = 0; i < ctl->ctx->n_workers; i++) {
		if (ctl->ctx->workers[i] != NULL) {
			ctl->ctx->workers[i]->cap_ring = NULL;
			ctl->ctx->workers[i]->cap_mp = NULL;
		}
		rte_ring_free(cap->ring[i]);
	}
	rte_mempool_free(cap->mp);
	free(cap);
	ctl->cap = NULL;
}
