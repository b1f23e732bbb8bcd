/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for lib/sysconf: dpdk.conf loading, defaults and every error class. */

#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "lb_sysconf.h"

#ifndef LB_SRCDIR
#define LB_SRCDIR "."
#endif

#define PORT0 "ports = ( { name = \"eth0\"; dev = \"net_af_packet0\"; " \
	"address = \"198.18.0.2/24\"; } );\n"

/* One load: the temp file's path, the result and what went to diag. */
struct load {
	char path[256];
	char *diag;
	int rc;
	struct lb_sysconf sc;
};

static const char *
tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && d[0] != '\0' ? d : "/tmp";
}

static void
write_tmp(char *path, size_t size, const char *text)
{
	int fd;
	size_t len = strlen(text);

	snprintf(path, size, "%s/t_sysconf_XXXXXX", tmp_dir());
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void
do_load(struct load *l, const char *path)
{
	size_t len;
	FILE *d = open_memstream(&l->diag, &len);

	assert_non_null(d);
	l->rc = lb_sysconf_load(path, &l->sc, d);
	fclose(d);
}

static struct load *
load_text(const char *text)
{
	struct load *l = calloc(1, sizeof(*l));

	assert_non_null(l);
	write_tmp(l->path, sizeof(l->path), text);
	do_load(l, l->path);
	unlink(l->path);
	return l;
}

static void
load_done(struct load *l)
{
	lb_sysconf_free(&l->sc);
	free(l->diag);
	free(l);
}

static unsigned int
count_errors(const char *diag)
{
	unsigned int n = 0;
	const char *p = diag;

	while ((p = strstr(p, ": error: ")) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* diag holds "PATH:LINE: error: " followed by text containing msg. */
static void
expect_error(const struct load *l, unsigned int line, const char *msg)
{
	char prefix[512];
	const char *p = l->diag;
	size_t plen;

	snprintf(prefix, sizeof(prefix), "%s:%u: error: ", l->path, line);
	plen = strlen(prefix);
	while ((p = strstr(p, prefix)) != NULL) {
		const char *eol = strchr(p, '\n');
		const char *m = strstr(p + plen, msg);

		if (m != NULL && (eol == NULL || m < eol))
			return;
		p += plen;
	}
	fail_msg("no \"%s...%s\" in diag:\n%s", prefix, msg, l->diag);
}

/* A config that must fail with exactly one error, at line, containing msg. */
static void
expect_one_error(const char *text, unsigned int line, const char *msg)
{
	struct load *l = load_text(text);

	if (l->rc != -EINVAL || count_errors(l->diag) != 1)
		fail_msg("rc %d, diag:\n%s\nfor config:\n%s", l->rc, l->diag, text);
	expect_error(l, line, msg);
	/* Nothing left to free after a failure. */
	assert_null(l->sc.neighbors);
	assert_int_equal(l->sc.n_neighbors, 0);
	assert_int_equal(l->sc.n_eal_args, 0);
	assert_int_equal(l->sc.n_ports, 0);
	load_done(l);
}

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void
check_defaults(const struct lb_sysconf *sc)
{
	assert_int_equal(sc->mbufs, 131071);
	assert_int_equal(sc->mbuf_cache, 256);
	assert_int_equal(sc->rx_desc, 1024);
	assert_int_equal(sc->tx_desc, 1024);
	assert_int_equal(sc->burst, 32);
	assert_int_equal(sc->conn_table_size, 1048576);
	assert_int_equal(sc->ctl_ring_size, 4096);
	assert_int_equal(sc->arp_refresh, 30);
	assert_int_equal(sc->timeouts.tcp_established, 900);
	assert_int_equal(sc->timeouts.tcp_syn_recv, 30);
	assert_int_equal(sc->timeouts.tcp_fin_wait, 120);
	assert_int_equal(sc->timeouts.tcp_close, 10);
	assert_int_equal(sc->timeouts.udp, 300);
	assert_int_equal(sc->unknown_tcp, LB_UNKNOWN_TCP_MH_ONLY);
	assert_null(sc->neighbors);
	assert_int_equal(sc->n_neighbors, 0);
	assert_int_equal(sc->n_eal_args, 0);
}

static void
test_defaults(void **state)
{
	struct lb_sysconf sc;

	(void)state;
	memset(&sc, 0xa5, sizeof(sc));
	lb_sysconf_defaults(&sc);
	check_defaults(&sc);
	assert_int_equal(sc.n_ports, 0);
	assert_string_equal(sc.file, "");
	lb_sysconf_free(&sc);
	lb_sysconf_free(&sc);
	check_defaults(&sc);
}

static void
test_minimal(void **state)
{
	struct load *l = load_text(
		"# only the required key\n"
		"ports = (\n"
		"  {\n"
		"    name = \"eth0\";\n"
		"    dev = \"net_af_packet0\";\n"
		"    address = \"198.18.0.2/24\";\n"
		"  }\n"
		");\n");

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->diag, "");
	check_defaults(&l->sc);
	assert_string_equal(l->sc.file, l->path);
	assert_int_equal(l->sc.n_ports, 1);
	assert_string_equal(l->sc.ports[0].name, "eth0");
	assert_string_equal(l->sc.ports[0].dev, "net_af_packet0");
	assert_int_equal(l->sc.ports[0].addr, ip4("198.18.0.2"));
	assert_int_equal(l->sc.ports[0].prefixlen, 24);
	assert_int_equal(l->sc.ports[0].line, 3);
	assert_int_equal(l->sc.ports[0].dev_line, 5);
	load_done(l);
}

static void
test_full(void **state)
{
	struct load *l = load_text(
		"ports = (\n"						/* 1 */
		"  { name = \"eth0\"; dev = \"0000:03:00.0\"; address = \"198.18.0.2/24\"; },\n"
		"  { name = \"eth1\"; dev = \"0000:03:00.1\"; address = \"198.18.1.2/16\"; }\n"
		");\n"
		"neighbors = (\n"					/* 5 */
		"  { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:21\"; port = \"eth0\"; },\n"
		"  { ip = \"198.18.1.22\"; mac = \"02:AB:cd:00:00:22\"; port = \"eth1\"; },\n"
		"  { ip = \"198.18.1.23\"; mac = \"02:00:00:00:00:23\"; }\n"
		");\n"
		"mbufs = 262143;\n"					/* 10 */
		"mbuf_cache = 0;\n"
		"rx_desc = 32768;\n"
		"tx_desc = 64;\n"
		"burst = 256;\n"
		"conn_table_size = 268435456;\n"			/* 15 */
		"ctl_ring_size = 64;\n"
		"arp_refresh = 3600;\n"
		"timeouts = { tcp_established = 86400; tcp_syn_recv = 1; tcp_fin_wait = 60;\n"
		"  tcp_close = 5; udp = 0x3c; };\n"
		"eal_args = [ \"-l\", \"0-3\", \"--vdev\", \"net_pcap0,rx_pcap=a.pcap\" ];\n");
	const struct lb_sysconf *sc = &l->sc;

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->diag, "");
	assert_int_equal(sc->n_ports, 2);
	assert_string_equal(sc->ports[1].name, "eth1");
	assert_string_equal(sc->ports[1].dev, "0000:03:00.1");
	assert_int_equal(sc->ports[1].addr, ip4("198.18.1.2"));
	assert_int_equal(sc->ports[1].prefixlen, 16);
	assert_int_equal(sc->ports[0].line, 2);
	assert_int_equal(sc->ports[1].line, 3);

	assert_int_equal(sc->n_neighbors, 3);
	assert_int_equal(sc->neighbors[0].ip, ip4("198.18.0.21"));
	assert_int_equal(sc->neighbors[0].port, 0);
	assert_int_equal(sc->neighbors[0].line, 6);
	assert_memory_equal(sc->neighbors[0].mac, "\x02\x00\x00\x00\x00\x21", 6);
	assert_memory_equal(sc->neighbors[1].mac, "\x02\xab\xcd\x00\x00\x22", 6);
	assert_int_equal(sc->neighbors[1].port, 1);
	/* No port given: the port whose subnet holds the address. */
	assert_int_equal(sc->neighbors[2].port, 1);
	assert_int_equal(sc->neighbors[2].line, 8);

	assert_int_equal(sc->mbufs, 262143);
	assert_int_equal(sc->mbuf_cache, 0);
	assert_int_equal(sc->rx_desc, 32768);
	assert_int_equal(sc->tx_desc, 64);
	assert_int_equal(sc->burst, 256);
	assert_int_equal(sc->conn_table_size, 268435456);
	assert_int_equal(sc->ctl_ring_size, 64);
	assert_int_equal(sc->arp_refresh, 3600);
	assert_int_equal(sc->timeouts.tcp_established, 86400);
	assert_int_equal(sc->timeouts.tcp_syn_recv, 1);
	assert_int_equal(sc->timeouts.tcp_fin_wait, 60);
	assert_int_equal(sc->timeouts.tcp_close, 5);
	assert_int_equal(sc->timeouts.udp, 60);

	assert_int_equal(sc->n_eal_args, 4);
	assert_string_equal(sc->eal_args[0], "-l");
	assert_string_equal(sc->eal_args[1], "0-3");
	assert_string_equal(sc->eal_args[2], "--vdev");
	assert_string_equal(sc->eal_args[3], "net_pcap0,rx_pcap=a.pcap");
	load_done(l);
}

static void
test_partial_timeouts_int64(void **state)
{
	struct load *l = load_text(PORT0
		"timeouts = { udp = 30; };\n"
		"mbufs = 2047L;\n"
		"mbuf_cache = 0x80;\n");

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.timeouts.udp, 30);
	assert_int_equal(l->sc.timeouts.tcp_established, 900);
	assert_int_equal(l->sc.timeouts.tcp_syn_recv, 30);
	assert_int_equal(l->sc.timeouts.tcp_fin_wait, 120);
	assert_int_equal(l->sc.timeouts.tcp_close, 10);
	assert_int_equal(l->sc.mbufs, 2047);
	assert_int_equal(l->sc.mbuf_cache, 128);
	load_done(l);
}

static void
test_lookup(void **state)
{
	struct load *l = load_text(
		"ports = (\n"
		"  { name = \"wide\"; dev = \"net_tap0\"; address = \"198.18.0.1/15\"; },\n"
		"  { name = \"narrow\"; dev = \"net_tap1\"; address = \"198.18.5.1/24\"; },\n"
		"  { name = \"host\"; dev = \"net_tap2\"; address = \"198.18.9.9/32\"; }\n"
		");\n");
	const struct lb_sysconf *sc = &l->sc;

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(lb_sysconf_port_by_name(sc, "wide"), 0);
	assert_int_equal(lb_sysconf_port_by_name(sc, "narrow"), 1);
	assert_int_equal(lb_sysconf_port_by_name(sc, "host"), 2);
	assert_int_equal(lb_sysconf_port_by_name(sc, "eth9"), -ENOENT);
	assert_int_equal(lb_sysconf_port_by_name(sc, ""), -ENOENT);

	/* Longest prefix wins. */
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.18.5.77")), 1);
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.19.255.1")), 0);
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.18.9.9")), 2);
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.18.9.8")), 0);
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.20.0.1")), -ENOENT);
	assert_int_equal(lb_sysconf_port_for_ip(sc, ip4("198.17.255.255")), -ENOENT);
	load_done(l);
}

static void
test_missing_file(void **state)
{
	struct load *l = calloc(1, sizeof(*l));
	char want[512];

	(void)state;
	assert_non_null(l);
	snprintf(l->path, sizeof(l->path), "%s/t_sysconf_does_not_exist.conf", tmp_dir());
	do_load(l, l->path);
	assert_int_equal(l->rc, -ENOENT);
	snprintf(want, sizeof(want), "%s: error: cannot open: No such file or directory\n",
		l->path);
	assert_string_equal(l->diag, want);
	assert_int_equal(l->sc.n_ports, 0);
	check_defaults(&l->sc);
	load_done(l);

	/* A directory is not a config file either. */
	l = calloc(1, sizeof(*l));
	assert_non_null(l);
	snprintf(l->path, sizeof(l->path), "%s", tmp_dir());
	do_load(l, l->path);
	assert_int_equal(l->rc, -ENOENT);
	assert_non_null(strstr(l->diag, ": error: cannot"));
	load_done(l);
}

static void
test_syntax_error(void **state)
{
	(void)state;
	expect_one_error(PORT0 "mbufs = 2047;\nburst = ;\n", 3, "syntax error");
	expect_one_error(PORT0 "\n\nmbufs = = 2047;\nburst = 32;\n", 4, "syntax error");
	expect_one_error(PORT0 "eal_args = [ \"-l\", 2 ];\n", 2, "mismatched element type");
	/* libconfig itself refuses a repeated key. */
	expect_one_error(PORT0 "mbufs = 2047;\nmbufs = 4095;\n", 3, "duplicate setting name");
	expect_one_error("mbufs = 2047;\nports = ( { name = \"eth0\"; } ;\n", 2, "syntax error");
}

static void
test_unknown_keys(void **state)
{
	struct load *l = load_text(
		"ports = (\n"						/* 1 */
		"  { name = \"eth0\"; dev = \"net_af_packet0\";\n"
		"    adress = \"198.18.0.2/24\"; }\n"
		");\n"
		"mbuf = 4095;\n"					/* 5 */
		"neighbors = ( { ip = \"198.18.0.21\"; mca = \"02:00:00:00:00:21\"; } );\n"
		"timeouts = {\n"
		"  tcp_establish = 60;\n"
		"};\n"
		"frobnicate = 1;\n"					/* 10 */
		"neighbours = ();\n");

	(void)state;
	assert_int_equal(l->rc, -EINVAL);
	expect_error(l, 3, "unknown key 'adress' in a port; did you mean 'address'?");
	/* The port then lacks its address: reported at the port's line. */
	expect_error(l, 2, "port has no 'address'");
	expect_error(l, 5, "unknown key 'mbuf' at top level; did you mean 'mbufs'?");
	expect_error(l, 6, "unknown key 'mca' in a neighbor; did you mean 'mac'?");
	expect_error(l, 6, "neighbor has no 'mac'");
	expect_error(l, 8, "unknown key 'tcp_establish' in timeouts; "
		"did you mean 'tcp_established'?");
	expect_error(l, 10, "unknown key 'frobnicate' at top level (known keys: ports, ");
	expect_error(l, 11, "unknown key 'neighbours' at top level; did you mean 'neighbors'?");
	assert_int_equal(count_errors(l->diag), 8);
	load_done(l);

	expect_one_error(PORT0 "eal_arg = [];\n", 2, "did you mean 'eal_args'?");
	expect_one_error(PORT0 "BURST = 8;\n", 2, "unknown key 'BURST' at top level (known");
}

static void
test_wrong_types(void **state)
{
	(void)state;
	expect_one_error(PORT0 "mbufs = \"many\";\n", 2,
		"'mbufs' must be an integer, not a string");
	expect_one_error(PORT0 "burst = 1.5;\n", 2, "'burst' must be an integer, not a float");
	expect_one_error(PORT0 "rx_desc = true;\n", 2,
		"'rx_desc' must be an integer, not a boolean");
	expect_one_error(PORT0 "arp_refresh = [ 5 ];\n", 2,
		"'arp_refresh' must be an integer, not an array");
	expect_one_error(PORT0 "timeouts = { udp = \"300\"; };\n", 2,
		"'timeouts.udp' must be an integer, not a string");
	expect_one_error(PORT0 "timeouts = 300;\n", 2, "'timeouts' must be a group");
	expect_one_error(PORT0 "eal_args = \"-l 0-3\";\n", 2,
		"'eal_args' must be an array of strings");
	expect_one_error(PORT0 "eal_args = [ 1 ];\n", 2,
		"eal_args entry 1 must be a string, not an integer");
	expect_one_error(PORT0 "eal_args = ( \"-l\",\n 2.5 );\n", 2,
		"eal_args entry 2 must be a string, not a float");
	expect_one_error(PORT0 "neighbors = { ip = \"198.18.0.21\"; };\n", 2,
		"'neighbors' must be a list of groups");
	expect_one_error(
		"ports = { name = \"eth0\"; dev = \"x0\"; address = \"198.18.0.2/24\"; };\n", 1,
		"'ports' must be a list of groups");
	expect_one_error("\nports = [ \"eth0\" ];\n", 2,
		"'ports' must be a list of groups, ports = ( { name = ...");
	expect_one_error(
		"ports = (\n"
		"  { name = \"eth0\"; dev = \"x0\"; address = \"198.18.0.2/24\"; },\n"
		"  \"eth1\"\n"
		");\n", 1, "ports entry 2 must be a group { ... }, not a string");
	expect_one_error(
		"ports = ( { name = 5; dev = \"x0\"; address = \"198.18.0.2/24\"; } );\n", 1,
		"'name' must be a string, not an integer");
	expect_one_error(
		"ports = ( { name = \"eth0\"; dev = \"x0\";\n"
		"  address = [ \"198.18.0.2/24\" ]; } );\n", 2,
		"'address' must be a string, not an array");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\";\n"
		"  mac = 2; port = \"eth0\"; } );\n", 3, "'mac' must be a string, not an integer");
}

static void
test_ranges(void **state)
{
	(void)state;
	expect_one_error(PORT0 "mbufs = 1000;\n", 2,
		"'mbufs' = 1000 is out of range (1023..1073741823)");
	expect_one_error(PORT0 "mbufs = -5;\n", 2, "'mbufs' = -5 is out of range");
	/* Wider than 32 bits: libconfig 1.5 would wrap these silently. */
	expect_one_error(PORT0 "mbufs = 4294968319;\n", 2,
		"'mbufs' = 4294968319 is out of range");
	expect_one_error(PORT0 "mbufs = 0x1000003FF;\n", 2,
		"'mbufs' = 4294968319 is out of range");
	expect_one_error(PORT0 "mbufs = 99999999999999999999;\n", 2,
		"'mbufs' is out of range (1023..");
	expect_one_error(PORT0 "mbufs = 3000000000L;\n", 2, "'mbufs' = 3000000000 is out");
	expect_one_error(PORT0 "mbuf_cache = 513;\n", 2, "'mbuf_cache' = 513 is out of range");
	expect_one_error(PORT0 "rx_desc = 32;\n", 2, "'rx_desc' = 32 is out of range (64..32768)");
	expect_one_error(PORT0 "tx_desc = 32769;\n", 2, "'tx_desc' = 32769 is out of range");
	expect_one_error(PORT0 "burst = 0;\n", 2, "'burst' = 0 is out of range (1..256)");
	expect_one_error(PORT0 "burst = 257;\n", 2, "'burst' = 257 is out of range (1..256)");
	expect_one_error(PORT0 "conn_table_size = 1000000;\n", 2,
		"'conn_table_size' = 1000000 must be a power of two");
	expect_one_error(PORT0 "conn_table_size = 512;\n", 2,
		"'conn_table_size' = 512 is out of range");
	expect_one_error(PORT0 "conn_table_size = 536870912;\n", 2,
		"'conn_table_size' = 536870912 is out of range");
	expect_one_error(PORT0 "ctl_ring_size = 3000;\n", 2,
		"'ctl_ring_size' = 3000 must be a power of two");
	expect_one_error(PORT0 "arp_refresh = 0;\n", 2, "'arp_refresh' = 0 is out of range");
	expect_one_error(PORT0 "arp_refresh = 3601;\n", 2, "'arp_refresh' = 3601 is out");
	expect_one_error(PORT0 "timeouts = {\n udp = 0;\n};\n", 3,
		"'timeouts.udp' = 0 is out of range (1..86400)");
	expect_one_error(PORT0 "timeouts = { tcp_close = 86401; };\n", 2,
		"'timeouts.tcp_close' = 86401 is out of range");
}

static void
test_ports(void **state)
{
	struct load *l;
	char text[4096];
	size_t used = 0;
	unsigned int i;

	(void)state;
	expect_one_error("mbufs = 2047;\n", 1, "missing required 'ports'");
	expect_one_error("mbufs = 2047;\nports = ();\n", 2, "'ports' is empty");

	used += (size_t)snprintf(text + used, sizeof(text) - used, "ports = (\n");
	for (i = 0; i < LB_MAX_PORTS + 1; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
			"  { name = \"p%u\"; dev = \"net_tap%u\";"
			" address = \"198.18.%u.2/24\"; }%s\n",
			i, i, i, i == LB_MAX_PORTS ? "" : ",");
	snprintf(text + used, sizeof(text) - used, ");\n");
	/* The ninth entry is on line 10. */
	expect_one_error(text, LB_MAX_PORTS + 2, "too many ports (at most 8)");

	/* Exactly LB_MAX_PORTS is fine. */
	used = (size_t)snprintf(text, sizeof(text), "ports = (\n");
	for (i = 0; i < LB_MAX_PORTS; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
			"  { name = \"p%u\"; dev = \"net_tap%u\";"
			" address = \"198.18.%u.2/24\"; }%s\n",
			i, i, i, i == LB_MAX_PORTS - 1 ? "" : ",");
	snprintf(text + used, sizeof(text) - used, ");\n");
	l = load_text(text);
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.n_ports, LB_MAX_PORTS);
	assert_string_equal(l->sc.ports[7].name, "p7");
	load_done(l);

	/* Duplicates: reported at the second entry, naming the first. */
	l = load_text(
		"ports = (\n"
		"  { name = \"eth0\"; dev = \"net_tap0\"; address = \"198.18.0.2/24\"; },\n"
		"  { name = \"eth1\"; dev = \"net_tap1\"; address = \"198.18.1.2/24\"; },\n"
		"  { name = \"eth0\"; dev = \"net_tap2\"; address = \"198.18.2.2/24\"; },\n"
		"  { name = \"eth3\"; dev = \"net_tap1\"; address = \"198.18.3.2/24\"; },\n"
		"  { name = \"eth4\"; dev = \"net_tap4\"; address = \"198.18.1.2/16\"; }\n"
		");\n");
	assert_int_equal(l->rc, -EINVAL);
	expect_error(l, 4, "duplicate port name 'eth0' (first at line 2)");
	expect_error(l, 5, "duplicate port dev 'net_tap1' (first at line 3)");
	expect_error(l, 6, "duplicate port address 198.18.1.2 (first at line 3)");
	assert_int_equal(count_errors(l->diag), 3);
	assert_int_equal(l->sc.n_ports, 0);
	load_done(l);

	/* Missing fields, at the entry's line. */
	l = load_text("ports = (\n  {\n  }\n);\n");
	assert_int_equal(l->rc, -EINVAL);
	expect_error(l, 2, "port has no 'name'");
	expect_error(l, 2, "port has no 'dev'");
	expect_error(l, 2, "port has no 'address'");
	assert_int_equal(count_errors(l->diag), 3);
	load_done(l);

	expect_one_error(
		"ports = ( { name = \"eth0\"; dev = \"net_pcap0,rx_pcap=in.pcap\";\n"
		"  address = \"198.18.0.2/24\"; } );\n", 1,
		"port dev 'net_pcap0,rx_pcap=in.pcap' must be a device name without arguments");
	expect_one_error(
		"ports = ( { name = \"\"; dev = \"x0\"; address = \"198.18.0.2/24\"; } );\n", 1,
		"port 'name' must not be empty");
	expect_one_error(
		"ports = ( { name = \"eth 0\"; dev = \"x0\";\n"
		"  address = \"198.18.0.2/24\"; } );\n", 1, "port name 'eth 0' may only hold");
	expect_one_error(
		"ports = ( { name = \"abcdefghijklmnopqrstuvwxyz0123456\"; dev = \"x0\";\n"
		"  address = \"198.18.0.2/24\"; } );\n", 1, "is too long (at most 31 characters)");
}

static void
test_addresses(void **state)
{
	static const struct {
		const char *addr;
		const char *msg;
	} bad[] = {
		{ "198.18.0./24", "port address '198.18.0./24' is not a valid a.b.c.d/len" },
		{ "198.18.0.2", "port address '198.18.0.2' needs a prefix length, "
			"e.g. '198.18.0.2/24'" },
		{ "198.18.0.2/", "is not a valid a.b.c.d/len" },
		{ "198.18.0.2/0", "is not a valid a.b.c.d/len (len 1..32)" },
		{ "198.18.0.2/33", "is not a valid a.b.c.d/len" },
		{ "198.18.0.2/24x", "is not a valid a.b.c.d/len" },
		{ "198.18.0.2/-4", "is not a valid a.b.c.d/len" },
		{ "198.18.0.256/24", "is not a valid a.b.c.d/len" },
		{ "198.018.0.2/24", "is not a valid a.b.c.d/len" },
		{ "/24", "is not a valid a.b.c.d/len" },
		{ "", "is not a valid a.b.c.d/len" },
		{ "198.18.0.0/24", "is the network address of its subnet" },
		{ "198.18.0.255/24", "is the broadcast address of its subnet" },
		{ "224.0.0.1/24", "is not a unicast host address" },
		{ "0.1.2.3/8", "is not a unicast host address" },
		{ "127.0.0.1/8", "is not a unicast host address" },
	};
	static const char *const good[] = { "198.18.0.1/31", "198.18.0.0/31", "198.18.7.7/32",
		"198.18.0.1/1" };
	char text[512];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			"ports = ( { name = \"eth0\"; dev = \"x0\";\n  address = \"%s\"; } );\n",
			bad[i].addr);
		expect_one_error(text, 2, bad[i].msg);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct load *l;

		snprintf(text, sizeof(text),
			"ports = ( { name = \"eth0\"; dev = \"x0\"; address = \"%s\"; } );\n",
			good[i]);
		l = load_text(text);
		if (l->rc != 0)
			fail_msg("%s refused: %s", good[i], l->diag);
		load_done(l);
	}
}

static void
test_neighbors(void **state)
{
	struct load *l;

	(void)state;
	expect_one_error(PORT0
		"neighbors = (\n"
		"  { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:21\"; port = \"eth0\"; },\n"
		"  { ip = \"198.18.0.22\"; mac = \"02:00:00:00:00:22\";\n"
		"    port = \"eth1\"; }\n"
		");\n", 5, "neighbor port 'eth1' is not in 'ports'");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00\"; } );\n", 2,
		"neighbor mac '02:00:00:00:00' is not a valid xx:xx:xx:xx:xx:xx address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"02-00-00-00-00-21\"; } );\n", 2,
		"is not a valid xx:xx:xx:xx:xx:xx address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:2g\"; } );\n", 2,
		"is not a valid xx:xx:xx:xx:xx:xx address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"01:00:5e:00:00:01\"; } );\n", 2,
		"neighbor mac '01:00:5e:00:00:01' is not a unicast address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"00:00:00:00:00:00\"; } );\n", 2,
		"is not a unicast address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0\"; mac = \"02:00:00:00:00:21\"; } );\n", 2,
		"neighbor ip '198.18.0' is not a valid a.b.c.d address");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.1.21\"; mac = \"02:00:00:00:00:21\";\n"
		"  port = \"eth0\"; } );\n", 3,
		"neighbor 198.18.1.21 is not on port 'eth0' subnet 198.18.0.2/24");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.1.21\"; mac = \"02:00:00:00:00:21\"; } );\n", 2,
		"neighbor 198.18.1.21 is on no port's subnet");
	expect_one_error(PORT0
		"neighbors = ( { ip = \"198.18.0.2\"; mac = \"02:00:00:00:00:21\"; } );\n", 2,
		"neighbor 198.18.0.2 is port 'eth0' own address");
	expect_one_error(PORT0
		"neighbors = (\n"
		"  { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:21\"; },\n"
		"  { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:22\"; }\n"
		");\n", 4, "duplicate neighbor 198.18.0.21 (first at line 3)");
	expect_one_error(PORT0 "neighbors = ( { mac = \"02:00:00:00:00:21\"; } );\n", 2,
		"neighbor has no 'ip'");
	expect_one_error(PORT0 "neighbors = ( \"198.18.0.21\" );\n", 2,
		"neighbors entry 1 must be a group");

	/* Neighbors may come before ports in the file; an empty list is fine. */
	l = load_text("neighbors = ( { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:21\";\n"
		"  port = \"eth0\"; } );\n" PORT0);
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.n_neighbors, 1);
	assert_int_equal(l->sc.neighbors[0].port, 0);
	assert_int_equal(l->sc.neighbors[0].line, 1);
	load_done(l);
	l = load_text(PORT0 "neighbors = ();\n");
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.n_neighbors, 0);
	assert_null(l->sc.neighbors);
	load_done(l);
}

static void
test_eal_args(void **state)
{
	char text[2048];
	size_t used;
	unsigned int i;
	struct load *l;

	(void)state;
	used = (size_t)snprintf(text, sizeof(text), PORT0 "eal_args = [");
	for (i = 0; i < LB_SYSCONF_EAL_MAX + 1; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s\"a%u\"",
			i == 0 ? "" : ", ", i);
	snprintf(text + used, sizeof(text) - used, "];\n");
	expect_one_error(text, 2, "'eal_args' has 33 entries (at most 32)");

	expect_one_error(PORT0 "eal_args = [ \"-l\",\n \"\" ];\n", 2, "eal_args entry 2 is empty");

	/* A list works as well as an array; exactly LB_SYSCONF_EAL_MAX is fine. */
	used = (size_t)snprintf(text, sizeof(text), PORT0 "eal_args = (");
	for (i = 0; i < LB_SYSCONF_EAL_MAX; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s\"a%u\"",
			i == 0 ? "" : ", ", i);
	snprintf(text + used, sizeof(text) - used, ");\n");
	l = load_text(text);
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.n_eal_args, LB_SYSCONF_EAL_MAX);
	assert_string_equal(l->sc.eal_args[31], "a31");
	load_done(l);
}

/* Every error is reported, sorted by line, and nothing leaks into sc. */
static void
test_many_errors(void **state)
{
	struct load *l = load_text(
		"neighbors = ( { ip = \"198.18.0.21\"; mac = \"zz\"; port = \"nope\"; } );\n"
		"ports = ( { name = \"eth0\"; dev = \"x0\"; address = \"198.18.0./24\"; } );\n"
		"mbufs = 10;\n"
		"burst = \"x\";\n"
		"eal_args = [ \"-l\", \"0-1\" ];\n"
		"mbfus = 1;\n");
	const char *p1, *p3, *p4, *p5, *p6;
	char pre[300];

	(void)state;
	assert_int_equal(l->rc, -EINVAL);
	assert_int_equal(count_errors(l->diag), 5);
	expect_error(l, 1, "neighbor mac 'zz'");
	/* No follow-on error about the port while ports itself is wrong. */
	assert_null(strstr(l->diag, "neighbor port"));
	expect_error(l, 2, "port address '198.18.0./24'");
	expect_error(l, 3, "'mbufs' = 10 is out of range");
	expect_error(l, 4, "'burst' must be an integer");
	expect_error(l, 6, "did you mean 'mbufs'?");
	snprintf(pre, sizeof(pre), "%s:", l->path);
	p1 = strstr(l->diag, "neighbor mac");
	p3 = strstr(l->diag, "port address");
	p4 = strstr(l->diag, "'mbufs' = 10");
	p5 = strstr(l->diag, "'burst'");
	p6 = strstr(l->diag, "'mbfus'");
	assert_true(p1 < p3 && p3 < p4 && p4 < p5 && p5 < p6);
	/* Every line starts with the file name. */
	assert_memory_equal(l->diag, pre, strlen(pre));
	assert_null(l->sc.neighbors);
	assert_int_equal(l->sc.n_eal_args, 0);
	assert_int_equal(l->sc.n_ports, 0);
	assert_int_equal(l->sc.mbufs, 131071);
	load_done(l);

	/* Without ports, only that is reported, not each neighbor's port. */
	expect_one_error("neighbors = ( { ip = \"198.18.0.21\"; mac = \"02:00:00:00:00:21\";\n"
		"  port = \"eth0\"; }, { ip = \"198.18.0.22\"; mac = \"02:00:00:00:00:22\"; } );\n",
		1, "missing required 'ports'");
}

static void
test_include(void **state)
{
	char inc[256], text[1024];
	const char *base;
	struct load *l;

	(void)state;
	write_tmp(inc, sizeof(inc), "mbufs = 2047;\nburst = 64;\n");
	base = strrchr(inc, '/') + 1;
	snprintf(text, sizeof(text), PORT0 "@include \"%s\"\n", base);
	l = load_text(text);
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->sc.mbufs, 2047);
	assert_int_equal(l->sc.burst, 64);
	load_done(l);
	unlink(inc);

	/* Errors in an included file name that file. */
	write_tmp(inc, sizeof(inc), "mbufs = 2047;\nburst = 0;\n");
	base = strrchr(inc, '/') + 1;
	snprintf(text, sizeof(text), PORT0 "@include \"%s\"\n", base);
	l = load_text(text);
	assert_int_equal(l->rc, -EINVAL);
	snprintf(text, sizeof(text), "%s:2: error: 'burst' = 0 is out of range", inc);
	if (strstr(l->diag, text) == NULL)
		fail_msg("no \"%s\" in:\n%s", text, l->diag);
	load_done(l);
	unlink(inc);
}

static void
load_ok(const char *path, struct lb_sysconf *sc)
{
	char *diag = NULL;
	size_t len;
	FILE *d = open_memstream(&diag, &len);
	int rc;

	assert_non_null(d);
	rc = lb_sysconf_load(path, sc, d);
	fclose(d);
	if (rc != 0 || diag[0] != '\0')
		fail_msg("%s: rc %d:\n%s", path, rc, diag);
	free(diag);
	assert_true(sc->n_ports >= 1);
	assert_true(sc->n_eal_args >= 1);
}

static void
test_example_and_presets(void **state)
{
	struct lb_sysconf sc;
	glob_t g;
	size_t i;

	(void)state;
	load_ok(LB_SRCDIR "/dpdk.conf.example", &sc);
	assert_string_equal(sc.ports[0].name, "eth0");
	assert_string_equal(sc.ports[0].dev, "net_af_packet0");
	assert_int_equal(sc.mbufs, 131071);
	assert_int_equal(sc.timeouts.udp, 300);
	assert_int_equal(sc.n_neighbors, 2);
	lb_sysconf_free(&sc);

	assert_int_equal(glob(LB_SRCDIR "/drivers-cfg/*.conf", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 7);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;

		load_ok(g.gl_pathv[i], &sc);
		if (strcmp(name, "af_packet.conf") == 0)
			assert_string_equal(sc.ports[0].dev, "net_af_packet0");
		if (strcmp(name, "net_pcap.conf") == 0) {
			assert_string_equal(sc.ports[0].dev, "net_pcap0");
			/* Nothing answers ARP in a pcap run. */
			assert_true(sc.n_neighbors >= 1);
		}
		lb_sysconf_free(&sc);
	}
	globfree(&g);
}

static void
test_unknown_tcp(void **state)
{
	static const char *const names[] = { "mh-only", "drop", "schedule" };
	static const enum lb_unknown_tcp vals[] = {
		LB_UNKNOWN_TCP_MH_ONLY, LB_UNKNOWN_TCP_DROP, LB_UNKNOWN_TCP_SCHEDULE,
	};
	char text[512];
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct load *l;

		snprintf(text, sizeof(text), PORT0 "unknown_tcp = \"%s\";\n", names[i]);
		l = load_text(text);
		assert_int_equal(l->rc, 0);
		assert_int_equal(l->sc.unknown_tcp, vals[i]);
		assert_string_equal(lb_sysconf_unknown_tcp_name(vals[i]), names[i]);
		load_done(l);
	}
	expect_one_error(PORT0 "unknown_tcp = \"sloppy\";\n", 2,
			 "unknown_tcp = \"sloppy\": expected \"mh-only\", \"drop\" or \"schedule\"");
	expect_one_error(PORT0 "\nunknown_tcp = 1;\n", 3, "'unknown_tcp' must be a string");
	expect_one_error(PORT0 "unknown_tpc = \"drop\";\n", 2,
			 "unknown key 'unknown_tpc' at top level; did you mean 'unknown_tcp'?");
	assert_string_equal(lb_sysconf_unknown_tcp_name((enum lb_unknown_tcp)7), "?");
}

/* host_if: default lb-<name>, rename, disable, bad names, duplicates. */
static void
test_host_if(void **state)
{
	struct load *l;

	(void)state;
	l = load_text(PORT0);
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->sc.ports[0].host_if, "lb-eth0");
	load_done(l);

	l = load_text("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
		      "  host_if = \"tapx0\"; } );\n");
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->sc.ports[0].host_if, "tapx0");
	load_done(l);

	l = load_text("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
		      "  host_if = false; } );\n");
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->sc.ports[0].host_if, "");
	load_done(l);

	l = load_text("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
		      "  host_if = true; } );\n");
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->sc.ports[0].host_if, "lb-eth0");
	load_done(l);

	expect_one_error("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
			 "  host_if = \"a-very-long-name0\"; } );\n", 2, "not a valid interface name");
	expect_one_error("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
			 "  host_if = \"a/b\"; } );\n", 2, "may only hold");
	expect_one_error("ports = ( { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\";\n"
			 "  host_if = 3; } );\n", 2, "must be a string");
	expect_one_error("ports = ( { name = \"port-number-12\"; dev = \"d0\";\n"
			 "  address = \"198.18.0.2/24\"; } );\n", 1, "default host interface name");
	expect_one_error("ports = (\n"
			 " { name = \"eth0\"; dev = \"d0\"; address = \"198.18.0.2/24\"; },\n"
			 " { name = \"eth1\"; dev = \"d1\"; address = \"198.18.1.2/24\";\n"
			 "   host_if = \"lb-eth0\"; }\n);\n", 3, "duplicate host_if 'lb-eth0'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_partial_timeouts_int64),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_neighbors),
		cmocka_unit_test(test_host_if),
		cmocka_unit_test(test_eal_args),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_example_and_presets),
		cmocka_unit_test(test_unknown_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
