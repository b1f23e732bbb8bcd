#!/usr/bin/env bash
# Datapath test of the real binary on net_pcap: a generated pcap of TCP flows goes in,
# the DR-rewritten frames come out in another pcap, and the counters must match.
# Usage: pcap_dr.sh LBAPP LBGEN
set -euo pipefail
LBAPP=$1
LBGEN=$2
tmp=$(mktemp -d /tmp/lbapp-pcap.XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- lbapp output:"; grep -v '^EAL' "$tmp/out.log" | tail -60 || true; exit 1; }

FLOWS=100
PKTS=5
"$LBGEN" -o "$tmp/in.pcap" -f $FLOWS -p $PKTS -v 198.18.0.100 -P 80
cat > "$tmp/lb.conf" <<'CONF'
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        198.18.0.100
    }
}
virtual_server 198.18.0.100 80 {
    lb_algo rr
    lb_kind DR
    protocol TCP
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
"$LBAPP" -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix "pcapdr$$" \
    --vdev "net_pcap0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/tx.pcap" \
    -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf" > "$tmp/out.log" 2>&1 &
pid=$!
# Wait (bounded) until the whole input has been forwarded.
want=$((FLOWS * PKTS))
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || fail "lbapp exited early"
    if grep -q '^lbapp: ready' "$tmp/out.log"; then
        break
    fi
    sleep 0.1
done
sleep 2
kill -TERM "$pid"
rc=0
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
wait "$pid" || rc=$?
pid=
[ "$rc" -eq 0 ] || fail "lbapp exit status $rc after SIGTERM"

stat() { awk -v k="$1:" '$1 == k { v = $2 } END { print v + 0 }' "$tmp/out.log"; }
[ "$(stat New-flows)" -eq $FLOWS ] || fail "New-flows $(stat New-flows), want $FLOWS"
[ "$(stat Hits)" -eq $((want - FLOWS)) ] || fail "Hits $(stat Hits), want $((want - FLOWS))"

# Output: only the forwarded TCP frames (gratuitous ARP aside), half to each real server.
tcpdump -r "$tmp/tx.pcap" -nn -e tcp 2>/dev/null > "$tmp/tx.txt"
n=$(wc -l < "$tmp/tx.txt")
[ "$n" -eq $want ] || fail "$n TCP frames out, want $want"
n21=$(grep -c '> 02:00:00:00:00:21' "$tmp/tx.txt" || true)
n22=$(grep -c '> 02:00:00:00:00:22' "$tmp/tx.txt" || true)
[ "$n21" -eq $((want / 2)) ] && [ "$n22" -eq $((want / 2)) ] || fail "split $n21/$n22"
# DR: the IP destination is still the VIP, the source MAC is the port's (net_pcap's).
bad=$(grep -vc '02:70:63:61:70:00 > .* 198.18.0.100.80:' "$tmp/tx.txt" || true)
[ "$bad" -eq 0 ] || fail "$bad frames not rewritten as DR"
garp=$(tcpdump -r "$tmp/tx.pcap" -nn arp 2>/dev/null | grep -c 'Request who-has 198.18.0.100 tell 198.18.0.100' || true)
[ "$garp" -ge 5 ] || fail "gratuitous ARP for the VIP: $garp, want >= 5"
echo "PASS: $want frames forwarded DR, split $n21/$n22, $garp gratuitous ARP"
