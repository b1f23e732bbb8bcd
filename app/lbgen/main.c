/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lbgen: write a pcap of TCP or UDP flows towards a virtual service, for
 * net_pcap datapath tests and benchmarks.
 *
 *   lbgen -o out.pcap [-f FLOWS] [-p PKTS_PER_FLOW] [-d DST_MAC] [-v VIP] [-P PORT]
 *         [-s SRC_NET] [-u] [-l FRAME_LEN]
 *
 * Each TCP flow starts with a SYN and continues with ACKs; flows are
 * interleaved so that consecutive packets belong to different flows.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#define MAX_FRAME 1514

struct gen {
	const char *out;
	unsigned long flows;
	unsigned long pkts;
	uint8_t dst_mac[6];
	uint32_t vip;		/* network order */
	uint16_t port;
	uint32_t src_net;	/* host order base of client addresses */
	int udp;
	unsigned int frame_len;
};

static uint16_t
csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int
build(const struct gen *g, uint8_t *f, unsigned long flow, unsigned long seq)
{
	static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 0x10 };
	unsigned int l4len = g->udp ? 8 : 20;
	unsigned int len = g->frame_len < 14 + 20 + l4len ? 14 + 20 + l4len : g->frame_len;
	uint32_t src = htonl(g->src_net + (uint32_t)(flow / 50000) + 1);
	uint16_t sport = (uint16_t)(1024 + flow % 50000);
	uint8_t *ip = f + 14, *l4 = ip + 20;
	uint16_t c;

	memset(f, 0, len);
	memcpy(f, g->dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(len - 14));
	ip[8] = 64;
	ip[9] = g->udp ? 17 : 6;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &g->vip, 4);
	c = csum(ip, 20);
	memcpy(ip + 10, &c, 2);
	put16(l4, sport);
	put16(l4 + 2, g->port);
	if (g->udp) {
		put16(l4 + 4, (uint16_t)(len - 34));
	} else {
		put16(l4 + 4, (uint16_t)(seq >> 16));
		put16(l4 + 6, (uint16_t)seq);
		l4[12] = 5 << 4;
		l4[13] = seq == 0 ? 0x02 : 0x10;	/* SYN, then ACK */
		put16(l4 + 14, 65535);
	}
	return len;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static unsigned long
parse_num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > max) {
		fprintf(stderr, "lbgen: '%s' is not a number in 1..%lu\n", s, max);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct gen g = {
		.flows = 4096, .pkts = 16, .port = 80, .frame_len = 64,
		.dst_mac = { 0x02, 0x70, 0x63, 0x61, 0x70, 0x00 },	/* net_pcap's MAC */
		.src_net = 0xc6130000,	/* 198.19.0.0 */
	};
	uint8_t frame[MAX_FRAME];
	struct pcap_pkthdr h = {0};
	struct in_addr a;
	pcap_dumper_t *d;
	pcap_t *p;
	unsigned long i, f;
	int opt;

	inet_pton(AF_INET, "198.18.0.100", &g.vip);
	while ((opt = getopt(argc, argv, "o:f:p:d:v:P:s:ul:h")) != -1) {
		switch (opt) {
		case 'o':
			g.out = optarg;
			break;
		case 'f':
			g.flows = parse_num(optarg, 16000000);
			break;
		case 'p':
			g.pkts = parse_num(optarg, 1000000);
			break;
		case 'd':
			if (parse_mac(optarg, g.dst_mac) != 0) {
				fprintf(stderr, "lbgen: bad MAC '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v':
			if (inet_pton(AF_INET, optarg, &g.vip) != 1) {
				fprintf(stderr, "lbgen: bad VIP '%s'\n", optarg);
				return 2;
			}
			break;
		case 'P':
			g.port = (uint16_t)parse_num(optarg, 65535);
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &a) != 1) {
				fprintf(stderr, "lbgen: bad source network '%s'\n", optarg);
				return 2;
			}
			g.src_net = ntohl(a.s_addr);
			break;
		case 'u':
			g.udp = 1;
			break;
		case 'l':
			g.frame_len = (unsigned int)parse_num(optarg, MAX_FRAME);
			break;
		default:
			fprintf(stderr, "usage: %s -o out.pcap [-f flows] [-p pkts/flow] "
				"[-d dst-mac] [-v vip] [-P port] [-s src-net] [-u] [-l len]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (g.out == NULL) {
		fprintf(stderr, "lbgen: -o FILE is required\n");
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 65535);
	d = p != NULL ? pcap_dump_open(p, g.out) : NULL;
	if (d == NULL) {
		fprintf(stderr, "lbgen: %s: %s\n", g.out, p != NULL ? pcap_geterr(p) : "pcap");
		return 1;
	}
	for (i = 0; i < g.pkts; i++) {
		for (f = 0; f < g.flows; f++) {
			h.caplen = h.len = build(&g, frame, f, i);
			pcap_dump((u_char *)d, &h, frame);
		}
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
