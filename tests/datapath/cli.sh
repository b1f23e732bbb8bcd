#!/usr/bin/env bash
# The lbapp binary's command line and startup errors: every broken input is refused with a
# clear message (file:line for configs) and a non-zero exit before any port starts.
# Usage: cli.sh LBAPP LBGEN
set -uo pipefail
LBAPP=$1
LBGEN=$2
tmp=$(mktemp -d /tmp/lbapp-cli.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1"; echo "--- output:"; tail -20 "$tmp/out"; failed=$((failed + 1)); }
EAL="-l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix cli$$"

# expect NAME STATUS REGEX -- command...: exit status and an output line must match.
expect() {
    local name=$1 want=$2 re=$3 rc
    shift 4
    timeout 30 "$@" > "$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        ko "$name: exit status $rc, want $want"
    elif ! grep -Eq -- "$re" "$tmp/out"; then
        ko "$name: no line matching '$re'"
    else
        ok "$name"
    fi
}

"$LBGEN" -o "$tmp/in.pcap" -f 2 -p 2
cat > "$tmp/lb.conf" <<'CONF'
virtual_server 198.18.0.100 80 {
    lb_algo rr
    lb_kind DR
    real_server 198.18.0.21 80 {
        weight 1
    }
}
CONF
cat > "$tmp/dpdk.conf" <<'CONF'
ports = ( { name = "eth0"; dev = "net_pcap0"; address = "198.18.0.2/24"; host_if = false; } );
mbufs = 2047;
mbuf_cache = 32;
conn_table_size = 1024;
CONF
VDEV="--vdev net_pcap0,rx_pcap=$tmp/in.pcap"

expect "help" 0 'Usage: ' -- "$LBAPP" -- --help
expect "bad --stats-period" 2 "stats-period: 'x'" -- "$LBAPP" -- --stats-period x
expect "unknown option" 2 'Usage: ' -- "$LBAPP" -- --bogus
expect "missing lb.conf" 1 'configuration refused' -- "$LBAPP" $EAL -- -f "$tmp/nope.conf" -c "$tmp/dpdk.conf"

# A missing brace: the error names the line of the block left open.
sed '$d' "$tmp/lb.conf" > "$tmp/brace.conf"
expect "missing brace" 1 "brace.conf:1: error" -- "$LBAPP" $EAL -- -f "$tmp/brace.conf" -c "$tmp/dpdk.conf"

# An unknown keyword in lb.conf, with the line.
sed 's/lb_algo rr/lb_algoo rr/' "$tmp/lb.conf" > "$tmp/typo.conf"
expect "lb.conf typo" 1 "typo.conf:2: error" -- "$LBAPP" $EAL -- -f "$tmp/typo.conf" -c "$tmp/dpdk.conf"

# dpdk.conf: unknown key, wrong type.
{ cat "$tmp/dpdk.conf"; echo "mbufz = 5;"; } > "$tmp/key.conf"
expect "dpdk.conf unknown key" 1 "key.conf:5: error" -- "$LBAPP" $EAL -- -f "$tmp/lb.conf" -c "$tmp/key.conf"
sed 's/mbufs = 2047;/mbufs = "many";/' "$tmp/dpdk.conf" > "$tmp/type.conf"
expect "dpdk.conf wrong type" 1 "type.conf:2: error" -- "$LBAPP" $EAL -- -f "$tmp/lb.conf" -c "$tmp/type.conf"

# A real server off every port's subnet cannot be reached in DR.
sed 's/198.18.0.21 80/198.19.5.21 80/' "$tmp/lb.conf" > "$tmp/offlink.conf"
expect "real server not on-link" 1 "offlink.conf:4: error: .*on-link" -- "$LBAPP" $EAL -- -f "$tmp/offlink.conf" -c "$tmp/dpdk.conf"

# VRRP addresses and tracked interfaces are checked against dpdk.conf's ports, with the
# instance's file:line (or the track_interface line).
vrrp_conf() {
    cat "$tmp/lb.conf"
    printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n'
    printf '%s\n' "$@"
    printf '    virtual_ipaddress {\n        198.18.0.100\n    }\n}\n'
}
vrrp_conf '    unicast_src_ip 198.18.0.9' > "$tmp/usrc.conf"
expect "unicast_src_ip not the port's" 1 "usrc.conf:8: error: vrrp_instance VI_1: unicast_src_ip 198.18.0.9 is not the address of port eth0" \
    -- "$LBAPP" $EAL $VDEV -- -f "$tmp/usrc.conf" -c "$tmp/dpdk.conf"
vrrp_conf '    mcast_src_ip 198.18.0.7' > "$tmp/msrc.conf"
expect "mcast_src_ip not the port's" 1 "msrc.conf:8: error: .*mcast_src_ip 198.18.0.7 is not the address" \
    -- "$LBAPP" $EAL $VDEV -- -f "$tmp/msrc.conf" -c "$tmp/dpdk.conf"
vrrp_conf '    unicast_peer {' '        198.19.0.3' '    }' > "$tmp/peer.conf"
expect "unicast_peer off-link" 1 "peer.conf:8: error: .*unicast_peer 198.19.0.3 is not a neighbour on port eth0" \
    -- "$LBAPP" $EAL $VDEV -- -f "$tmp/peer.conf" -c "$tmp/dpdk.conf"
vrrp_conf '    track_interface {' '        eth9' '    }' > "$tmp/tif.conf"
expect "track_interface not a port" 1 "tif.conf:12: error: .*track_interface 'eth9' is not a port" \
    -- "$LBAPP" $EAL $VDEV -- -f "$tmp/tif.conf" -c "$tmp/dpdk.conf"
vrrp_conf '    unicast_src_ip 198.18.0.2' '    unicast_peer {' '        198.18.0.3' '    }' '    version 3' \
    > "$tmp/uok.conf"
"$LBAPP" $EAL $VDEV -- -f "$tmp/uok.conf" -c "$tmp/dpdk.conf" --ctl-socket "$tmp/ctl.sock" \
    > "$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    grep -q 'VI_1: INIT -> BACKUP' "$tmp/out" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
kill -TERM $pid 2>/dev/null
wait $pid
pid=
if grep -q 'VI_1: INIT -> BACKUP' "$tmp/out" && ! grep -q ': error:' "$tmp/out"; then
    ok "unicast_src_ip of the port, an on-link unicast_peer, version 3: accepted"
else
    ko "unicast_src_ip of the port, an on-link unicast_peer, version 3: accepted"
fi

# A port whose DPDK device does not exist: dpdk.conf's line, and no port started.
expect "missing device" 1 "dpdk.conf:1: error: port 'eth0': DPDK device 'net_pcap0' does not exist" \
    -- "$LBAPP" $EAL -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf"

# No worker lcore.
expect "no worker" 1 "need 1\.\.[0-9]+ worker lcores" \
    -- "$LBAPP" -l 0 --no-huge -m 256 --no-pci --no-shconf --file-prefix cli$$ $VDEV -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf"

# EAL arguments from dpdk.conf when none are given; SIGTERM exits 0.
{ cat "$tmp/dpdk.conf"
  echo "eal_args = [ \"-l\", \"0-1\", \"--no-huge\", \"-m\", \"256\", \"--no-pci\", \"--no-shconf\","
  echo "  \"--file-prefix\", \"cli$$\", \"--vdev\", \"net_pcap0,rx_pcap=$tmp/in.pcap\" ];"; } > "$tmp/eal.conf"
"$LBAPP" -- -f "$tmp/lb.conf" -c "$tmp/eal.conf" > "$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    grep -q '^lbapp: ready' "$tmp/out" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
kill -TERM $pid 2>/dev/null
rc=0
wait $pid || rc=$?
pid=
if [ $rc -eq 0 ] && grep -q '^lbapp: ready' "$tmp/out" && grep -q '^lbapp: stopped' "$tmp/out"; then
    ok "eal_args from dpdk.conf, clean SIGTERM"
else
    ko "eal_args from dpdk.conf, clean SIGTERM (exit $rc)"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
