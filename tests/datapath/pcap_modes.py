#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Packet-level tests of the NAT, TUN and FULLNAT forwarding modes.

For each mode, scapy writes a pcap of client requests and real-server replies,
lbapp runs on net_pcap (rx_pcap in, tx_pcap out, one worker, so packets are
handled in file order), and every frame that comes out is compared byte for
byte with the frame scapy builds on its own from the input (addresses, ports,
MACs changed as the mode must; checksums computed by scapy from scratch).
The final counters must account for every input packet.

nat2w runs two workers (two net_pcap queues): each reads flows the other owns.

Usage: pcap_modes.py LBAPP [MODE...]   (modes: nat nat2w tun fnat; default all)
"""

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

from scapy.all import (ICMP, IP, TCP, UDP, Ether, IPerror, Raw, TCPerror, rdpcap,
                       wrpcap)

PORT_MAC = "02:70:63:61:70:00"  # net_pcap's
DIR_IP = "198.18.0.2"
VIP = "198.18.0.100"
CL1, CL1_MAC = "198.18.0.10", "02:00:00:00:00:10"
CL2, CL2_MAC = "198.18.0.11", "02:00:00:00:00:11"
RS = {"198.18.0.21": "02:00:00:00:00:21", "198.18.0.22": "02:00:00:00:00:22"}
RS1, RS2 = sorted(RS)
LADDRS = ["198.18.0.50", "198.18.0.51"]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def lb_conf(kind, extra_vs="", rs_port=8080, top=""):
    rs = "".join("    real_server %s %d {\n        weight 1\n    }\n" % (ip, rs_port)
                 for ip in (RS1, RS2))
    return ("vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n"
            "    virtual_router_id 51\n    virtual_ipaddress {\n        %s\n    }\n}\n"
            "%s"
            "virtual_server %s 80 {\n    lb_algo rr\n    lb_kind %s\n    protocol TCP\n%s%s}\n"
            "virtual_server %s 53 {\n    lb_algo rr\n    lb_kind %s\n    protocol UDP\n%s%s}\n"
            % (VIP, top, VIP, kind, extra_vs, rs, VIP, kind, extra_vs,
               rs.replace(" %d {" % rs_port, " 5353 {")))


DPDK_CONF = """ports = ( { name = "eth0"; dev = "net_pcap0"; address = "%s/24"; host_if = false; } );
neighbors = (
    { ip = "%s"; mac = "%s"; port = "eth0"; },
    { ip = "%s"; mac = "%s"; port = "eth0"; }
);
mbufs = 4095;
mbuf_cache = 64;
conn_table_size = 4096;
""" % (DIR_IP, RS1, RS[RS1], RS2, RS[RS2])


def run_lbapp(lbapp, tmp, name, lbconf, frames, frames_q1=None):
    """Run lbapp over frames; return (output IP frames, final counters).

    With frames_q1, two workers: worker 0 reads frames, worker 1 frames_q1
    (net_pcap, one rx_pcap and one tx_pcap per queue)."""
    d = os.path.join(tmp, name)
    os.mkdir(d)
    with open(os.path.join(d, "lb.conf"), "w") as f:
        f.write(lbconf)
    with open(os.path.join(d, "dpdk.conf"), "w") as f:
        f.write(DPDK_CONF)
    wrpcap(os.path.join(d, "in.pcap"), frames)
    vdev = "net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/tx.pcap" % (d, d)
    cores = ["-l", "0-1"]
    txs = ["tx.pcap"]
    if frames_q1 is not None:
        wrpcap(os.path.join(d, "in1.pcap"), frames_q1)
        vdev += ",rx_pcap=%s/in1.pcap,tx_pcap=%s/tx1.pcap" % (d, d)
        cores = ["--lcores", "0@0,1@1,2@1"]  # lcore 2 shares CPU 1: runs on 2 CPUs
        txs.append("tx1.pcap")
    log = open(os.path.join(d, "out.log"), "w+")
    p = subprocess.Popen(
        [lbapp] + cores + ["--no-huge", "-m", "256", "--no-pci", "--no-shconf",
         "--file-prefix", "pm%s%d" % (name, os.getpid()), "--vdev", vdev, "--",
         "-f", d + "/lb.conf", "-c", d + "/dpdk.conf"], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if p.poll() is not None:
                break
            log.seek(0)
            if "lbapp: ready" in log.read():
                break
            time.sleep(0.1)
        time.sleep(1.5)
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    log.seek(0)
    text = log.read()
    if rc != 0:
        print(text[-3000:])
        check(False, "%s: lbapp exit status %d" % (name, rc))
        return [], {}
    # The worker blocks (printed once at exit without --stats-period), summed;
    # the last one runs on into the control section.
    counters = {}
    parts = text.split("Datapath statistics")
    blocks = [parts[-1]]
    if frames_q1 is not None:
        blocks.append(parts[-2].split("\n", 1)[1].split("####")[0])
    for b in blocks:
        for k, v in re.findall(r"([A-Za-z][A-Za-z0-9_-]*): (\d+)", b):
            counters[k] = counters.get(k, 0) + int(v)
    # VRRP adverts (IP protocol 112, multicast) are the control lcore's, not forwarded traffic.
    out = [f for t in txs for f in rdpcap(os.path.join(d, t)) if IP in f and f[IP].proto != 112]
    return out, counters


def fresh(pkt):
    """The frame with every checksum recomputed by scapy (a UDP checksum of 0 stays 0)."""
    p = Ether(bytes(pkt))
    for lay in p.iterpayloads():
        if "chksum" in lay.fields and not (isinstance(lay, UDP) and lay.chksum == 0):
            del lay.chksum
    return Ether(bytes(p))


def same(got, want, what):
    g, w = bytes(got), bytes(want)
    if g != w:
        print("--- got:")
        got.show2()
        print("--- want:")
        Ether(w).show2()
    check(g == w, what)


def client_tcp(src, mac, sport, flags, payload=b"", seq=1000, ack=0, dport=80):
    return (Ether(src=mac, dst=PORT_MAC) / IP(src=src, dst=VIP, flags="DF", id=7) /
            TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack) / Raw(payload))


def rs_tcp(rs, sport, dst, dport, flags, payload=b""):
    return (Ether(src=RS[rs], dst=PORT_MAC) / IP(src=rs, dst=dst, flags="DF", id=9) /
            TCP(sport=sport, dport=dport, flags=flags, seq=5000, ack=1001) / Raw(payload))


def to_rs(pkt, rs, src=None, sport=None, dport=None):
    """The frame lbapp must send to rs for pkt (NAT when src is None)."""
    p = pkt.copy()
    p[Ether].src, p[Ether].dst = PORT_MAC, RS[rs]
    p[IP].dst = rs
    if src is not None:
        p[IP].src = src
    l4 = p[TCP] if TCP in p else p[UDP]
    if sport is not None:
        l4.sport = sport
    if dport is not None:
        l4.dport = dport
    return fresh(p)


def to_client(pkt, mac, dst=None, dport=None, vport=80):
    p = pkt.copy()
    p[Ether].src, p[Ether].dst = PORT_MAC, mac
    p[IP].src = VIP
    if dst is not None:
        p[IP].dst = dst
    l4 = p[TCP] if TCP in p else p[UDP]
    l4.sport = vport
    if dport is not None:
        l4.dport = dport
    return fresh(p)


ROUTER = "198.18.0.1"
ROUTER_MAC = "02:00:00:00:00:01"


def quote(src, dst, sport, dport, proto, l4ck):
    """The first 28 bytes of a packet as an ICMP error quotes them (scapy's IP checksum)."""
    l4 = (UDP(sport=sport, dport=dport, len=13, chksum=l4ck) if proto == "udp" else
          TCP(sport=sport, dport=dport, seq=5000, ack=1001, flags="A", chksum=l4ck))
    return bytes(IP(src=src, dst=dst, id=3, ttl=63, flags="DF") / l4)[:28]


def icmp_err(esrc, emac, edst, dmac, q, code=3, mtu=0):
    """An ICMP destination unreachable quoting q, every checksum computed by scapy."""
    return Ether(bytes(Ether(src=emac, dst=dmac) / IP(src=esrc, dst=edst, id=5, ttl=60) /
                       ICMP(type=3, code=code, nexthopmtu=mtu) / Raw(q)))


def test_nat(lbapp, tmp):
    ins, want = [], []
    syn1 = client_tcp(CL1, CL1_MAC, 40000, "S")
    syn2 = client_tcp(CL2, CL2_MAC, 40001, "S")
    synack1 = rs_tcp(RS1, 8080, CL1, 40000, "SA")
    ack1 = client_tcp(CL1, CL1_MAC, 40000, "A", b"GET / HTTP/1.0\r\n\r\n", 1001, 5001)
    data1 = rs_tcp(RS1, 8080, CL1, 40000, "PA", b"HTTP/1.0 200 OK\r\n\r\nhello")
    synack2 = rs_tcp(RS2, 8080, CL2, 40001, "SA")
    orphan = rs_tcp(RS1, 8080, CL1, 49999, "A")  # no such flow
    u1 = (Ether(src=CL1_MAC, dst=PORT_MAC) / IP(src=CL1, dst=VIP) /
          UDP(sport=33000, dport=53) / Raw(b"query"))
    u1r = (Ether(src=RS[RS1], dst=PORT_MAC) / IP(src=RS1, dst=CL1) /
           UDP(sport=5353, dport=33000) / Raw(b"answer"))
    u2 = Ether(bytes(Ether(src=CL2_MAC, dst=PORT_MAC) / IP(src=CL2, dst=VIP) /
                     UDP(sport=33001, dport=53, chksum=0) / Raw(b"nocsum")))
    # RS1's kernel: port unreachable about client -> RS1:5353; to the client, as from the VIP.
    pu = icmp_err(RS1, RS[RS1], CL1, PORT_MAC, quote(CL1, RS1, 33000, 5353, "udp", 0x1234))
    pu_want = icmp_err(VIP, PORT_MAC, CL1, CL1_MAC, quote(CL1, VIP, 33000, 53, "udp", 0x1234))
    # A router on the client's path: fragmentation needed about VIP:80 -> client; to RS1.
    fn = icmp_err(ROUTER, ROUTER_MAC, VIP, PORT_MAC, quote(VIP, CL1, 80, 40000, "tcp", 0x4321),
                  4, 1400)
    fn_want = icmp_err(ROUTER, PORT_MAC, RS1, RS[RS1],
                       quote(RS1, CL1, 8080, 40000, "tcp", 0x4321), 4, 1400)
    # About a flow nobody knows: control's.
    unk = icmp_err(ROUTER, ROUTER_MAC, VIP, PORT_MAC, quote(VIP, CL2, 80, 1, "tcp", 0), 4, 1400)
    ins = [syn1, syn2, synack1, ack1, data1, synack2, orphan, u1, u1r, u2, pu, fn, unk]
    want = [to_rs(syn1, RS1, dport=8080), to_rs(syn2, RS2, dport=8080),
            to_client(synack1, CL1_MAC), to_rs(ack1, RS1, dport=8080),
            to_client(data1, CL1_MAC), to_client(synack2, CL2_MAC),
            to_rs(u1, RS1, dport=5353), to_client(u1r, CL1_MAC, vport=53),
            to_rs(u2, RS2, dport=5353), pu_want, fn_want]
    # Rebuild each input from bytes so scapy's computed checksums are in it.
    out, cnt = run_lbapp(lbapp, tmp, "nat", lb_conf("NAT"), [Ether(bytes(f)) for f in ins])
    check(len(out) == len(want), "nat: %d IP frames out, want %d" % (len(out), len(want)))
    for i, (g, w) in enumerate(zip(out, want)):
        same(g, w, "nat: frame %d" % i)
    u2out = [f for f in out if UDP in f and f[UDP].dport == 5353 and f[IP].src == CL2]
    check(len(u2out) == 1 and u2out[0][UDP].chksum == 0, "nat: UDP checksum 0 stays 0")
    # A reply that matches no flow is no service's either: control counts it.
    check(cnt.get("To-control") == 2, "nat: To-control %s, want 2 (orphan reply, unknown ICMP)"
          % cnt.get("To-control"))
    check(cnt.get("Replies") == 4, "nat: Replies %s, want 4" % cnt.get("Replies"))
    check(cnt.get("ICMP-forwarded") == 2, "nat: ICMP-forwarded %s, want 2"
          % cnt.get("ICMP-forwarded"))
    check(cnt.get("New-flows") == 4, "nat: New-flows %s, want 4" % cnt.get("New-flows"))


def nat_owner(client, cport, n_workers):
    """lb_fwd_nat_owner(): the worker that owns a NAT flow, by its client end."""
    c = struct.unpack("<I", socket.inet_aton(client))[0]  # network order in memory
    p = struct.unpack("<H", struct.pack(">H", cport))[0]
    h = ((c ^ ((p << 16) & 0xffffffff) ^ p) * 2654435761) & 0xffffffff
    return (h * n_workers) >> 32


def port_owned_by(client, worker, start):
    return next(p for p in range(start, start + 1000) if nat_owner(client, p, 2) == worker)


def test_nat2w(lbapp, tmp):
    """NAT over two workers: each reads flows the other owns; every packet of a
    flow, its ICMP errors included, is handed to the owner and comes out right."""
    pa = port_owned_by(CL1, 1, 41000)   # read by worker 0, owned by worker 1
    pb = port_owned_by(CL2, 0, 42000)   # read by worker 1, owned by worker 0
    syn_a = client_tcp(CL1, CL1_MAC, pa, "S")
    synack_a = rs_tcp(RS1, 8080, CL1, pa, "SA")
    fn_a = icmp_err(ROUTER, ROUTER_MAC, VIP, PORT_MAC, quote(VIP, CL1, 80, pa, "tcp", 0x4321),
                    4, 1400)
    syn_b = client_tcp(CL2, CL2_MAC, pb, "S")
    synack_b = rs_tcp(RS1, 8080, CL2, pb, "SA")
    pu_b = icmp_err(RS1, RS[RS1], CL2, PORT_MAC, quote(CL2, RS1, pb, 8080, "tcp", 0x1234))
    want = [to_rs(syn_a, RS1, dport=8080), to_client(synack_a, CL1_MAC),
            icmp_err(ROUTER, PORT_MAC, RS1, RS[RS1], quote(RS1, CL1, 8080, pa, "tcp", 0x4321),
                     4, 1400),
            to_rs(syn_b, RS1, dport=8080), to_client(synack_b, CL2_MAC),
            icmp_err(VIP, PORT_MAC, CL2, CL2_MAC, quote(CL2, VIP, pb, 80, "tcp", 0x1234))]
    q0 = [Ether(bytes(f)) for f in (syn_a, synack_a, fn_a)]
    q1 = [Ether(bytes(f)) for f in (syn_b, synack_b, pu_b)]
    out, cnt = run_lbapp(lbapp, tmp, "nat2w", lb_conf("NAT"), q0, q1)
    check(sorted(bytes(f) for f in out) == sorted(bytes(f) for f in want),
          "nat2w: the 6 frames out are the expected ones (got %d)" % len(out))
    if sorted(bytes(f) for f in out) != sorted(bytes(f) for f in want):
        for f in out:
            f.show2()
    check(cnt.get("Redirected") == 6, "nat2w: Redirected %s, want 6" % cnt.get("Redirected"))
    check(cnt.get("ICMP-forwarded") == 2, "nat2w: ICMP-forwarded %s, want 2"
          % cnt.get("ICMP-forwarded"))
    check(cnt.get("New-flows") == 2, "nat2w: New-flows %s, want 2" % cnt.get("New-flows"))
    check(cnt.get("Replies") == 2, "nat2w: Replies %s, want 2" % cnt.get("Replies"))


def test_tun(lbapp, tmp):
    small = client_tcp(CL1, CL1_MAC, 40000, "S")
    small_ack = client_tcp(CL1, CL1_MAC, 40000, "A", b"x" * 100, 1001, 5001)
    # 1480 bytes of IP fit a 1500 MTU tunnel exactly; 1481 do not.
    fits = client_tcp(CL1, CL1_MAC, 40000, "A", b"y" * (1480 - 40), 1101, 5001)
    big_df = client_tcp(CL1, CL1_MAC, 40000, "A", b"z" * (1481 - 40), 2541, 5001)
    big = client_tcp(CL1, CL1_MAC, 40000, "A", b"w" * (1481 - 40), 2541, 5001)
    big[IP].flags = 0
    fn = icmp_err(ROUTER, ROUTER_MAC, VIP, PORT_MAC, quote(VIP, CL1, 80, 40000, "tcp", 0x4321),
                  4, 1400)
    ins = [Ether(bytes(f)) for f in (small, small_ack, fits, big_df, big, fn)]

    def tun(pkt, rs):
        outer = (Ether(src=PORT_MAC, dst=RS[rs]) /
                 IP(src=DIR_IP, dst=rs, proto=4, ttl=64, id=0, flags=pkt[IP].flags & 2,
                    tos=pkt[IP].tos) / Raw(bytes(pkt[IP])))
        return Ether(bytes(outer))

    frag = ins[3]
    quoted = bytes(frag[IP])[:548]
    icmp = Ether(bytes(Ether(src=PORT_MAC, dst=CL1_MAC) /
                       IP(src=DIR_IP, dst=CL1, ttl=64, id=0, flags=0) /
                       ICMP(type=3, code=4, nexthopmtu=1480) / Raw(quoted)))
    want = [tun(ins[0], RS1), tun(ins[1], RS1), tun(ins[2], RS1), icmp, tun(ins[5], RS1)]
    out, cnt = run_lbapp(lbapp, tmp, "tun", lb_conf("TUN", rs_port=80), ins)
    check(len(out) == len(want), "tun: %d IP frames out, want %d" % (len(out), len(want)))
    for i, (g, w) in enumerate(zip(out, want)):
        same(g, w, "tun: frame %d" % i)
    if out:
        inner = out[0][IP].payload
        check(isinstance(inner, IP) and inner.dst == VIP and inner[TCP].dport == 80,
              "tun: scapy decodes IPIP with the untouched inner packet to the VIP")
    if len(out) >= 4:
        e = out[3]
        check(ICMP in e and e[ICMP].type == 3 and e[ICMP].code == 4 and
              e[ICMP].nexthopmtu == 1480 and IPerror in e and e[IPerror].src == CL1 and
              TCPerror in e and e[TCPerror].sport == 40000,
              "tun: ICMP fragmentation needed quotes the client's packet")
    check(cnt.get("Drop-frag_needed") == 1, "tun: Drop-frag_needed %s" %
          cnt.get("Drop-frag_needed"))
    check(cnt.get("Drop-tun_mtu") == 1, "tun: Drop-tun_mtu %s" % cnt.get("Drop-tun_mtu"))


def test_fnat(lbapp, tmp):
    top = "local_address_group lag1 {\n    %s-%s\n}\n" % (LADDRS[0], LADDRS[1].split(".")[3])
    syn1 = client_tcp(CL1, CL1_MAC, 40000, "S")
    syn2 = client_tcp(CL2, CL2_MAC, 40001, "S")
    syn3 = client_tcp(CL1, CL1_MAC, 40002, "S")
    # Replies go to (local address, local port): worker 0 of 1 hands out 1024, 1025, ...
    # on each address in turn.
    r1 = rs_tcp(RS1, 80, LADDRS[0], 1024, "SA")
    r2 = rs_tcp(RS2, 80, LADDRS[1], 1024, "SA")
    r3 = rs_tcp(RS1, 80, LADDRS[0], 1025, "SA")
    ack1 = client_tcp(CL1, CL1_MAC, 40000, "A", b"GET /\r\n", 1001, 5001)
    bad = rs_tcp(RS2, 80, LADDRS[0], 1024, "A")  # wrong real server for that port
    none = rs_tcp(RS1, 80, LADDRS[1], 1030, "A")  # port never handed out
    u1 = (Ether(src=CL1_MAC, dst=PORT_MAC) / IP(src=CL1, dst=VIP) /
          UDP(sport=33000, dport=53) / Raw(b"query"))
    # The UDP service has its own rr (RS1 first); the address round robin is the worker's.
    u1r = (Ether(src=RS[RS1], dst=PORT_MAC) / IP(src=RS1, dst=LADDRS[1]) /
           UDP(sport=5353, dport=1025) / Raw(b"answer"))
    pu = icmp_err(RS1, RS[RS1], LADDRS[1], PORT_MAC,
                  quote(LADDRS[1], RS1, 1025, 5353, "udp", 0x1234))
    pu_want = icmp_err(VIP, PORT_MAC, CL1, CL1_MAC, quote(CL1, VIP, 33000, 53, "udp", 0x1234))
    fn = icmp_err(ROUTER, ROUTER_MAC, VIP, PORT_MAC, quote(VIP, CL1, 80, 40000, "tcp", 0x4321),
                  4, 1400)
    fn_want = icmp_err(LADDRS[0], PORT_MAC, RS1, RS[RS1],
                       quote(RS1, LADDRS[0], 80, 1024, "tcp", 0x4321), 4, 1400)
    ins = [Ether(bytes(f)) for f in (syn1, syn2, syn3, r1, r2, r3, ack1, bad, none, u1, u1r,
                                     pu, fn)]
    want = [to_rs(ins[0], RS1, LADDRS[0], 1024), to_rs(ins[1], RS2, LADDRS[1], 1024),
            to_rs(ins[2], RS1, LADDRS[0], 1025),
            to_client(ins[3], CL1_MAC, CL1, 40000), to_client(ins[4], CL2_MAC, CL2, 40001),
            to_client(ins[5], CL1_MAC, CL1, 40002), to_rs(ins[6], RS1, LADDRS[0], 1024),
            to_rs(ins[9], RS1, LADDRS[1], 1025, 5353),
            to_client(ins[10], CL1_MAC, CL1, 33000, vport=53), pu_want, fn_want]
    conf = lb_conf("FNAT", "    laddr_group_name lag1\n", rs_port=80, top=top)
    out, cnt = run_lbapp(lbapp, tmp, "fnat", conf, ins)
    check(len(out) == len(want), "fnat: %d IP frames out, want %d" % (len(out), len(want)))
    for i, (g, w) in enumerate(zip(out, want)):
        same(g, w, "fnat: frame %d" % i)
    check(cnt.get("Drop-nat_orphan") == 2, "fnat: Drop-nat_orphan %s, want 2"
          % cnt.get("Drop-nat_orphan"))


def main():
    lbapp = sys.argv[1]
    modes = sys.argv[2:] or ["nat", "nat2w", "tun", "fnat"]
    tmp = tempfile.mkdtemp(prefix="lbapp-modes.")
    try:
        for m in modes:
            print("== %s" % m)
            globals()["test_" + m](lbapp, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print("PASS: %s" % " ".join(modes))


if __name__ == "__main__":
    main()
