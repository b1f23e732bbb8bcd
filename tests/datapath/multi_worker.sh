#!/usr/bin/env bash
# Two workers on one port: each owns its own RX and TX queue (net_pcap with two rx_pcap and
# two tx_pcap queues), both forward, and wlc's view of the load spans both workers.
# lcore 2 shares CPU 1 with lcore 1 (--lcores) so that this runs on a 2-CPU machine.
# Usage: multi_worker.sh LBAPP LBGEN
set -euo pipefail
LBAPP=$1
LBGEN=$2
tmp=$(mktemp -d /tmp/lbapp-mw.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; grep -v '^EAL' "$tmp/out.log" | tail -60; exit 1; }

"$LBGEN" -o "$tmp/a.pcap" -f 100 -p 4 -s 198.19.0.0
"$LBGEN" -o "$tmp/b.pcap" -f 100 -p 4 -s 198.19.100.0
cat > "$tmp/lb.conf" <<'CONF'
virtual_server 198.18.0.100 80 {
    lb_algo wlc
    lb_kind DR
    real_server 198.18.0.21 80 {
        weight 1
    }
    real_server 198.18.0.22 80 {
        weight 1
    }
}
CONF
cat > "$tmp/dpdk.conf" <<'CONF'
ports = ( { name = "eth0"; dev = "net_pcap0"; address = "198.18.0.2/24"; host_if = false; } );
neighbors = (
    { ip = "198.18.0.21"; mac = "02:00:00:00:00:21"; port = "eth0"; },
    { ip = "198.18.0.22"; mac = "02:00:00:00:00:22"; port = "eth0"; }
);
mbufs = 4095;
mbuf_cache = 64;
conn_table_size = 4096;
CONF
"$LBAPP" --lcores '0@0,1@1,2@1' --no-huge -m 256 --no-pci --no-shconf --file-prefix "mw$$" \
    --vdev "net_pcap0,rx_pcap=$tmp/a.pcap,rx_pcap=$tmp/b.pcap,tx_pcap=$tmp/ta.pcap,tx_pcap=$tmp/tb.pcap" \
    -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf" > "$tmp/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    grep -q '^lbapp: ready: 2 workers' "$tmp/out.log" && break
    kill -0 $pid 2>/dev/null || fail "lbapp exited early"
    sleep 0.1
done
grep -q '^lbapp: ready: 2 workers' "$tmp/out.log" || fail "not ready with 2 workers"
sleep 2
kill -TERM $pid
rc=0
wait $pid || rc=$?
pid=
[ $rc -eq 0 ] || fail "exit status $rc"

# Each worker forwarded exactly its own queue's 400 packets, 100 new flows each.
mapfile -t nf < <(awk '$1 == "New-flows:" {print $2}' "$tmp/out.log" | tail -2)
mapfile -t rx < <(awk '/Datapath statistics/ {d = 1} d && $1 == "RX-packets:" {print $2; d = 0}' "$tmp/out.log" | tail -2)
[ "${nf[0]}" -eq 100 ] && [ "${nf[1]}" -eq 100 ] || fail "New-flows per worker: ${nf[*]}"
[ "${rx[0]}" -eq 400 ] && [ "${rx[1]}" -eq 400 ] || fail "RX per worker: ${rx[*]}"
# Both TX queues carried traffic; the SYNs are spread evenly over the two servers.
syn() { tcpdump -r "$1" -nn -e 'tcp[tcpflags] & tcp-syn != 0' 2>/dev/null | grep -c "> $2" || true; }
a21=$(syn "$tmp/ta.pcap" 02:00:00:00:00:21); a22=$(syn "$tmp/ta.pcap" 02:00:00:00:00:22)
b21=$(syn "$tmp/tb.pcap" 02:00:00:00:00:21); b22=$(syn "$tmp/tb.pcap" 02:00:00:00:00:22)
[ $((a21 + a22)) -eq 100 ] && [ $((b21 + b22)) -eq 100 ] || fail "per-queue SYNs $a21+$a22 / $b21+$b22"
t21=$((a21 + b21)); t22=$((a22 + b22))
[ $t21 -ge 90 ] && [ $t22 -ge 90 ] || fail "wlc split $t21/$t22 over two workers"
echo "PASS: 2 workers, 100 flows each, wlc split $t21/$t22"
