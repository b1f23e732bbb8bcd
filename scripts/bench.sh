#!/usr/bin/env bash
# Benchmark: lbapp's worker against dpdk-testpmd on the same input, in the same run.
# Input: net_pcap with infinite_rx=1 replaying a pcap of FLOWS TCP flows to the VIP, TX
# dropped (net_pcap drops TX when no tx_pcap is given), so both programs are measured on one forwarding core without a NIC.
# Prints a Markdown table row set with Rx-pps for each and the ratio.
#
# --host-if also creates the port's host interface (net_tap "lbb<pid>", polled by the control
# lcore) to show that the exception path costs the datapath nothing when no host traffic flows.
#
# Usage: scripts/bench.sh [--flows N] [--seconds S] [--build DIR] [--host-if]
set -euo pipefail
cd "$(dirname "$0")/.."
FLOWS=4096
SECS=10
BUILD=build
HOST_IF=false
while [ $# -gt 0 ]; do
    case $1 in
        --flows) FLOWS=$2; shift 2 ;;
        --seconds) SECS=$2; shift 2 ;;
        --build) BUILD=$2; shift 2 ;;
        --host-if) HOST_IF="\"lbb$$\""; shift ;;
        *) echo "usage: $0 [--flows N] [--seconds S] [--build DIR] [--host-if]" >&2; exit 2 ;;
    esac
done
command -v dpdk-testpmd >/dev/null || { echo "dpdk-testpmd missing (apt-get install dpdk-dev)" >&2; exit 1; }
[ -x "$BUILD/lbapp" ] || { echo "$BUILD/lbapp missing: meson setup $BUILD && ninja -C $BUILD" >&2; exit 1; }

tmp=$(mktemp -d /tmp/lbapp-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
PKTS=$(( (65536 + FLOWS - 1) / FLOWS ))
"$BUILD/lbgen" -o "$tmp/in.pcap" -f "$FLOWS" -p "$PKTS"
total=$((FLOWS * PKTS))
VDEV="net_pcap0,rx_pcap=$tmp/in.pcap,infinite_rx=1"
EAL="-l 0-1 --no-huge -m 1536 --no-pci --no-shconf"

# Median of the Rx-pps samples after the first two (warm-up).
median_pps() {
    grep -Eo 'Rx-pps: +[0-9]+' "$1" | awk '{print $2}' | tail -n +3 | sort -n |
        awk '{a[NR] = $1} END { if (NR == 0) print 0; else print a[int((NR + 1) / 2)] }'
}

timeout -s INT $((SECS + 5)) dpdk-testpmd $EAL --file-prefix "bench$$tp" --vdev "$VDEV" -- \
    --forward-mode=io --stats-period 1 --total-num-mbufs=$((total + 16384)) \
    > "$tmp/testpmd.log" 2>&1 || true
cat > "$tmp/lb.conf" <<'CONF'
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
cat > "$tmp/dpdk.conf" <<CONF
ports = ( { name = "eth0"; dev = "net_pcap0"; address = "198.18.0.2/24"; host_if = $HOST_IF; } );
neighbors = (
    { ip = "198.18.0.21"; mac = "02:00:00:00:00:21"; port = "eth0"; },
    { ip = "198.18.0.22"; mac = "02:00:00:00:00:22"; port = "eth0"; }
);
mbufs = $((total + 16384));
conn_table_size = $(( FLOWS * 8 > 1024 ? FLOWS * 8 : 1024 ));
CONF
# conn_table_size must be a power of two
cts=1024; while [ $cts -lt $((FLOWS * 8)) ]; do cts=$((cts * 2)); done
sed -i "s/^conn_table_size = .*/conn_table_size = $cts;/" "$tmp/dpdk.conf"
timeout -s INT $((SECS + 5)) "$BUILD/lbapp" $EAL --file-prefix "bench$$lb" --vdev "$VDEV" -- \
    -f "$tmp/lb.conf" -c "$tmp/dpdk.conf" --stats-period 1 > "$tmp/lbapp.log" 2>&1 || true

tp=$(median_pps "$tmp/testpmd.log")
lb=$(median_pps "$tmp/lbapp.log")
drops=$(awk '/^  Drop-/ && $2 > 0 {print}' "$tmp/lbapp.log" | tail -5)
ratio=$(awk -v a="$lb" -v b="$tp" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }')
echo "| input | dpdk-testpmd io Rx-pps | lbapp DR Rx-pps | lbapp / testpmd |"
echo "| --- | --- | --- | --- |"
hi=; [ "$HOST_IF" = false ] || hi=", host_if on"
echo "| $FLOWS TCP flows, $total pkts, 64 B$hi | $tp | $lb | $ratio |"
[ -z "$drops" ] || { echo "lbapp drops seen:"; echo "$drops"; }
[ "$tp" -gt 0 ] && [ "$lb" -gt 0 ]
