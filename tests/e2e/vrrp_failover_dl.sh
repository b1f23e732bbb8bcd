#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vrrp_failover_dl.sh LBAPP: a failover that loses no download (v2, DR, lb_algo mh).
# Two lbapp directors (DR, lb_algo mh, the same real servers) share the VIP by
# VRRP: dir2 master (200), dir backup (100). A client downloads a large file
# through the VIP at a limited rate. Mid-download dir2 is killed (SIGKILL, link
# down). dir takes the VIP; the client's next segments reach it as an unknown
# non-SYN TCP flow, which mh schedules (unknown_tcp mh-only, the default) to the
# same real server as dir2 did (both build the same Maglev table). The download
# must finish with every byte, no RST may appear, and the client's longest
# silence must stay within the failover time plus slack.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$LAB_ROOT/scripts/lab_vrrp.sh"

LBAPP=$(readlink -f "${1:-}")
SIZE=$((12 * 1024 * 1024))
RATE=2M			# ~6 s of download
KILL_AFTER=2		# seconds into the download
MAX_STALL_MS=5000	# v2, advert_int 1: Master_Down ~3.6 s, plus slack
LB2_PID=
CAP_PID=

fail() {
	echo "FAIL: $*" >&2
	[[ -r ${LAB_DIR:-}/lb2.log ]] && grep -v '^EAL' "$LAB_DIR/lb2.log" | tail -20 >&2
	lab_dump
	exit 1
}

check() { lab_check "$@"; }

cleanup() {
	[[ -n $CAP_PID ]] && kill -INT "$CAP_PID" 2>/dev/null
	[[ -n $LB2_PID ]] && kill -KILL "$LB2_PID" 2>/dev/null
	lab_vrrp_down
	lab_down
}

lab_e2e_init "$LBAPP" tcpdump || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM

mhconf() {	# STATE PRIO
	lab_vrrp_lbconf "$1" "$2" | sed 's/lb_algo rr/lb_algo mh/'
}

lab_up "lbf$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
# The same file on both real servers: whichever mh picks serves it.
head -c "$SIZE" /dev/urandom >"$LAB_DIR/big.bin"
want_sum=$(md5sum <"$LAB_DIR/big.bin" | cut -d' ' -f1)
for i in 1 2; do
	mkdir -p "$LAB_DIR/rs$i/data" && chmod 0755 "$LAB_DIR/rs$i/data"
	cp "$LAB_DIR/big.bin" "$LAB_DIR/rs$i/data/big.bin"
	chmod 0644 "$LAB_DIR/rs$i/data/big.bin"
done
lab_vrrp_dir2_up - || fail "dir2"
# A small receive window: the real server cannot run ahead of the client, so
# the flow needs its ACKs to get through the director during the whole run.
ip netns exec "$LAB_NS_CL" sysctl -q -w net.ipv4.tcp_rmem="4096 65536 131072" >/dev/null ||
	fail "tcp_rmem in the client namespace"

# dir2: lbapp master.
mhconf BACKUP 200 >"$LAB_DIR/lb2.conf"
lab_dpdkconf "$LAB_DIRECTOR2_IP" >"$LAB_DIR/dpdk2.conf"
ip netns exec "$LAB_NS_DIR2" "$LBAPP" -l 0-1 --no-huge -m 512 --no-pci \
	--file-prefix "${LAB_PREFIX}dpdk2" --vdev "net_af_packet0,iface=eth0" \
	-- -f "$LAB_DIR/lb2.conf" -c "$LAB_DIR/dpdk2.conf" --stats-period 0 \
	>"$LAB_DIR/lb2.log" 2>&1 </dev/null &
LB2_PID=$!
lab_vrrp_wait_log "$LAB_DIR/lb2.log" 'VI_1: BACKUP -> MASTER' 10 >/dev/null ||
	fail "dir2 lbapp did not become master"

# dir: lbapp backup.
lab_write_configs "$LAB_DIR" "$(mhconf BACKUP 100)" || fail "configs"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp backup"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: INIT -> BACKUP|VI_1: .*BACKUP' 10 >/dev/null ||
	fail "dir lbapp did not become backup"
grep -E 'VI_1: .*-> MASTER' "$LAB_LBAPP_LOG" >/dev/null && fail "dir became master too early"

out=$(lab_get_vip) || true
check "service answers through dir2 before the failover ($out)" \
	test "$(lab_body_index "${out%%|*}")" -ge 0

# Resets and the client's silences, seen on the client's own interface.
ip netns exec "$LAB_NS_CL" tcpdump -i eth0 -U -nn -w "$LAB_DIR/cl.pcap" \
	"tcp port 80 and host $LAB_VIP" >/dev/null 2>&1 &
CAP_PID=$!
sleep 0.5

lab_curl -s --max-time 60 --limit-rate "$RATE" -o "$LAB_DIR/dl.bin" \
	-w '%{http_code} %{size_download}\n' "http://$LAB_VIP/data/big.bin" >"$LAB_DIR/dl.out" &
dl=$!
sleep "$KILL_AFTER"
kill -0 "$dl" 2>/dev/null || fail "download ended before the failover: $(cat "$LAB_DIR/dl.out")"
tkill=$(date +%s.%N)
ip -n "$LAB_NS_DIR2" link set eth0 down
kill -KILL "$LB2_PID"
wait "$LB2_PID" 2>/dev/null
LB2_PID=
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 10 >/dev/null ||
	fail "dir did not take over"

wait "$dl"
dlrc=$?
echo "download: rc $dlrc, $(cat "$LAB_DIR/dl.out")"
sleep 0.3
kill -INT "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
CAP_PID=

check "download completed across the failover (curl 0, HTTP 200)" \
	test "$dlrc" -eq 0 -a "$(cut -d' ' -f1 "$LAB_DIR/dl.out")" = 200
check "download has every byte" \
	test "$(md5sum <"$LAB_DIR/dl.bin" | cut -d' ' -f1)" = "$want_sum"
nrst=$(tcpdump -nn -r "$LAB_DIR/cl.pcap" 'tcp[tcpflags] & tcp-rst != 0' 2>/dev/null | wc -l)
check "no RST on the client's link (got $nrst)" test "$nrst" -eq 0
# The longest gap between data segments from the VIP after the kill.
stall=$(tcpdump -tt -nn -r "$LAB_DIR/cl.pcap" "src host $LAB_VIP and tcp port 80" 2>/dev/null |
	awk -v t0="$tkill" '$1 >= t0 - 1 { if (p != "" && $1 - p > m) m = $1 - p; p = $1 }
		END { printf "%d\n", m * 1000 }')
echo "longest stall after the kill: ${stall} ms"
check "client stall ${stall} ms <= ${MAX_STALL_MS} ms" test "${stall:-999999}" -le "$MAX_STALL_MS"

lab_stop_lbapp || true
us=$(lab_stat Unknown-scheduled) || us=0
check "the new master scheduled the unknown flow by mh (Unknown-scheduled $us)" test "$us" -gt 0
nsyn=$(lab_stat Drop-not_syn) || nsyn=0
check "no packet of the flow dropped as not-SYN ($nsyn)" test "$nsyn" -eq 0

if ((LAB_FAILURES > 0)); then
	echo "$LAB_FAILURES check(s) failed" >&2
	lab_dump
	exit 1
fi
echo "PASS"
