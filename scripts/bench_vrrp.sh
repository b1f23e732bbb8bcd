#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench_vrrp.sh LBAPP: VRRP failover time, lbapp pair vs keepalived pair, same run.
# Not a test: it prints a table for docs/perf.md.
#
# In the namespace lab (scripts/lab.sh + lab_vrrp.sh), the master runs in dir2
# (priority 200) and the backup in dir (priority 100). The client sends a
# 1 kHz UDP stream to VIP:9000 (a DR virtual service to rs1 for lbapp). The
# master is then SIGKILLed with its link taken down (the box dies), or stopped
# with SIGTERM (clean stop, priority 0). Measured from captures on the switch:
#  - takeover: from the kill to the backup's first gratuitous ARP for the VIP;
#  - gap: the longest silence in the stream where it is delivered (rs1's port
#    for lbapp; for keepalived, which has no LVS here, the port of the live
#    master: the old master's before the kill, the new master's after).
# Cases: v2 advert_int 1, v3 advert_int 0.1, clean stop (v2 advert_int 1).
#   usage: scripts/bench_vrrp.sh build/lbapp [ROUNDS]

set -u -o pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lab.sh
source "$ROOT/scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$ROOT/scripts/lab_vrrp.sh"

LBAPP=$(readlink -f "${1:-$ROOT/build/lbapp}")
ROUNDS=${2:-1}
STREAM_S=8
KILL_AT=3
PY=/usr/bin/python3

die() { echo "bench_vrrp: $*" >&2; exit 1; }

cleanup() {
	[[ -n ${LB2_PID:-} ]] && kill -KILL "$LB2_PID" 2>/dev/null
	lab_vrrp_down
	lab_down
}

lab_e2e_init "$LBAPP" keepalived tshark tcpdump || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM
LAB_QUIET=1
lab_up "lbb$$-" || die "lab"
lab_start_rs || die "real servers"
lab_vrrp_dir2_up - || die "dir2"

udp_vs="virtual_server $LAB_VIP 9000 {
    lb_algo rr
    lb_kind DR
    protocol UDP
    real_server ${LAB_RS_IPS[0]} 9000 {
        weight 1
    }
}"

# lbconf PRIO VERSION ADV
lbconf() {
	printf '%s\n%s\n' "$(LAB_ADVERT_INT=$3 lab_vrrp_lbconf BACKUP "$1" '' \
		"    vrrp_version $2")" "$udp_vs"
}
kaconf() {
	LAB_ADVERT_INT=$3 lab_vrrp_keepalived_conf VI_1 "$1" BACKUP '' "    vrrp_version $2"
}

start_captures() {
	local p
	CAP_PIDS=()
	for p in dir dir2 rs1; do
		ip netns exec "$LAB_NS_SW" tcpdump -i "$p" -U -w "$LAB_DIR/$p.pcap" \
			"arp or udp port 9000" >/dev/null 2>&1 &
		CAP_PIDS+=($!)
	done
	sleep 0.5
}

stop_captures() {
	local p
	sleep 0.3
	for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
	for p in "${CAP_PIDS[@]}"; do wait "$p" 2>/dev/null; done
}

stream() {
	ip netns exec "$LAB_NS_CL" "$PY" - "$LAB_VIP" "$((STREAM_S * 1000))" <<'PYEOF' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dst, n = (sys.argv[1], 9000), int(sys.argv[2])
t = time.monotonic()
for i in range(n):
    try:
        s.sendto(i.to_bytes(4, "big"), dst)
    except OSError:
        pass
    t += 0.001
    d = t - time.monotonic()
    if d > 0:
        time.sleep(d)
PYEOF
	STREAM_PID=$!
}

# analyse KIND T_KILL: prints "takeover_ms gap_ms"
analyse() {
	local kind=$1 tkill=$2
	"$PY" - "$kind" "$tkill" "$LAB_DIR" "$LAB_VIP" "$LAB_DIR_MAC" "$LAB_DIR2_MAC" <<'PYEOF'
import subprocess, sys
kind, tkill, d, vip, bmac, mmac = sys.argv[1], float(sys.argv[2]), *sys.argv[3:7]
def times(f, flt):
    out = subprocess.run(["tshark", "-r", f"{d}/{f}.pcap", "-Y", flt, "-T", "fields",
                          "-e", "frame.time_epoch"], capture_output=True, text=True).stdout
    return [float(x) for x in out.split()]
garp = [t for t in times("dir", f"arp.src.proto_ipv4 == {vip} && arp.dst.proto_ipv4 == {vip} "
                         f"&& eth.src == {bmac}") if t >= tkill]
tk = (garp[0] - tkill) * 1000 if garp else float("nan")
# Only frames really delivered: a director's forwarded copies on rs1's port, or
# frames addressed to the port's own MAC (the bridge floods frames for a MAC
# whose port went down).
udp = "udp.dstport == 9000"
if kind == "lbapp":
    seen = times("rs1", f"{udp} && (eth.src == {bmac} || eth.src == {mmac})")
else:
    seen = sorted([t for t in times("dir2", f"{udp} && eth.dst == {mmac}") if t < tkill] +
                  times("dir", f"{udp} && eth.dst == {bmac}"))
gap = max((b - a for a, b in zip(seen, seen[1:])), default=float("nan")) * 1000
print(f"{tk:.0f} {gap:.0f} {len(seen)}")
PYEOF
}

wait_state() {	# FILE REGEX
	lab_vrrp_wait_log "$1" "$2" 10 >/dev/null || die "timeout waiting for '$2' in $1"
}

# run KIND VERSION ADV STOP
run() {
	local kind=$1 ver=$2 adv=$3 stop=$4 tkill res
	ip -n "$LAB_NS_DIR2" link set eth0 up
	if [[ $kind == lbapp ]]; then
		lbconf 200 "$ver" "$adv" >"$LAB_DIR/lb2.conf"
		lab_dpdkconf "$LAB_DIRECTOR2_IP" >"$LAB_DIR/dpdk2.conf"
		: >"$LAB_DIR/lb2.log"
		ip netns exec "$LAB_NS_DIR2" "$LBAPP" -l 0-1 --no-huge -m 512 --no-pci \
			--file-prefix "${LAB_PREFIX}dpdk2" --vdev "net_af_packet0,iface=eth0" \
			-- -f "$LAB_DIR/lb2.conf" -c "$LAB_DIR/dpdk2.conf" \
			>"$LAB_DIR/lb2.log" 2>&1 </dev/null &
		LB2_PID=$!
		wait_state "$LAB_DIR/lb2.log" 'VI_1: BACKUP -> MASTER'
		lab_write_configs "$LAB_DIR" "$(lbconf 100 "$ver" "$adv")"
		LAB_LBAPP_LOG=$LAB_DIR/lb1.log
		LAB_STATS_PERIOD=0 lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" \
			"$LAB_DIR/dpdk.conf" >/dev/null || die "lbapp backup"
	else
		ip -n "$LAB_NS_DIR2" addr add "$LAB_DIRECTOR2_IP/$LAB_PLEN" dev eth0
		ip -n "$LAB_NS_DIR" addr add "$LAB_DIRECTOR_IP/$LAB_PLEN" dev eth0
		kaconf 200 "$ver" "$adv" >"$LAB_DIR/ka2.conf"
		kaconf 100 "$ver" "$adv" | sed 's/KA_DIR2/KA_DIR1/' >"$LAB_DIR/ka1.conf"
		: >"$LAB_DIR/keepalived2.log"
		lab_vrrp_start_keepalived "$LAB_DIR/ka2.conf" "$LAB_NS_DIR2" 2
		KA2_PID=$LAB_KA_PID
		wait_state "$LAB_DIR/keepalived2.log" 'Entering MASTER STATE'
		: >"$LAB_DIR/keepalived1.log"
		lab_vrrp_start_keepalived "$LAB_DIR/ka1.conf" "$LAB_NS_DIR" 1
		KA1_PID=$LAB_KA_PID
		wait_state "$LAB_DIR/keepalived1.log" 'Entering BACKUP STATE'
	fi
	sleep 1
	ip netns exec "$LAB_NS_CL" ip neigh flush all
	start_captures
	stream
	sleep "$KILL_AT"
	tkill=$(date +%s.%N)
	if [[ $stop == kill ]]; then
		# The box dies: its link first (keepalived's VRRP child would otherwise
		# see its parent die and stop cleanly with priority 0), then SIGKILL.
		ip -n "$LAB_NS_DIR2" link set eth0 down
		if [[ $kind == lbapp ]]; then
			kill -KILL "$LB2_PID"
		else
			kill -KILL "$(cat "$LAB_DIR/ka_vrrp2.pid" 2>/dev/null)" "$KA2_PID" 2>/dev/null
		fi
	else
		if [[ $kind == lbapp ]]; then kill -TERM "$LB2_PID"; else kill -TERM "$KA2_PID"; fi
	fi
	wait "$STREAM_PID" 2>/dev/null
	stop_captures
	res=$(analyse "$kind" "$tkill")
	mkdir -p "$LAB_DIR/$kind-$ver-$stop" && cp "$LAB_DIR"/*.pcap "$LAB_DIR"/*.log "$LAB_DIR/$kind-$ver-$stop/"
	# tear down this case
	[[ -n ${LB2_PID:-} ]] && { kill -KILL "$LB2_PID" 2>/dev/null; wait "$LB2_PID" 2>/dev/null; }
	LB2_PID=
	lab_lbapp_alive && lab_stop_lbapp >/dev/null 2>&1
	if [[ $kind == keepalived ]]; then
		kill -TERM "$KA1_PID" "$KA2_PID" 2>/dev/null
		wait "$KA1_PID" "$KA2_PID" 2>/dev/null
		ip -n "$LAB_NS_DIR2" addr flush dev eth0
		ip -n "$LAB_NS_DIR" addr flush dev eth0
	fi
	rm -rf "/var/run/dpdk/${LAB_PREFIX}dpdk2"
	echo "$res"
}

CASES=("v2 advert_int 1|2 1 kill" "v3 advert_int 0.1|3 0.1 kill" "clean stop (v2, 1 s)|2 1 term")
[[ -n ${BENCH_CASE:-} ]] && CASES=("${CASES[$BENCH_CASE]}")
printf '%-22s %-11s %12s %10s %10s\n' case pair takeover_ms gap_ms delivered
for ((r = 0; r < ROUNDS; r++)); do
	for c in "${CASES[@]}"; do
		name=${c%%|*}
		read -r ver adv stop <<<"${c#*|}"
		for kind in lbapp keepalived; do
			read -r tk gap n <<<"$(run "$kind" "$ver" "$adv" "$stop")"
			printf '%-22s %-11s %12s %10s %10s\n' "$name" "$kind" "$tk" "$gap" "$n"
		done
	done
done
