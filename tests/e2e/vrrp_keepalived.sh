#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vrrp_keepalived.sh LBAPP: VRRP interop with Debian's keepalived on one bridge.
#  1. keepalived (dir2, prio 200) is master, lbapp (prio 100) backup; the dir2 box
#     dies (SIGKILL, link down); lbapp takes the VIP and client HTTP through the
#     VIP works.
#  2. keepalived comes back with prio 200: it preempts, lbapp goes back to backup
#     and stops answering ARP for the VIP.
#  3. lbapp restarts with prio 250 as BACKUP: it preempts keepalived at once
#     (preemption back) and serves the VIP.
#  4. lbapp stops cleanly (SIGTERM): it sends priority 0 and keepalived takes
#     over within the skew time, far sooner than Master_Down_Interval.
# Every advert lbapp sent decodes in tshark as VRRP with a good checksum.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$LAB_ROOT/scripts/lab_vrrp.sh"

LBAPP=${1:-}

fail() {
	echo "FAIL: $*" >&2
	[[ -n ${LAB_KA_LOG:-} ]] && { echo "--- keepalived log:"; tail -n 30 "$LAB_KA_LOG"; } >&2
	[[ -n ${LAB_LBAPP_LOG:-} ]] && { echo "--- lbapp log:"; grep -E '^lbapp:' \
		"$LAB_LBAPP_LOG" | tail -n 30; } >&2
	exit 1
}

cleanup() {
	lab_vrrp_capture_stop
	lab_vrrp_down
	lab_down
}

lab_e2e_init "$LBAPP" keepalived tshark tcpdump || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "lbt$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
lab_vrrp_dir2_up || fail "dir2"
lab_vrrp_capture "$LAB_DIR/vrrp.pcap"

# --- 1. keepalived master, lbapp backup; keepalived's box dies ---
lab_vrrp_keepalived_conf VI_1 200 MASTER >"$LAB_DIR/ka.conf"
lab_vrrp_start_keepalived "$LAB_DIR/ka.conf"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 >/dev/null ||
	fail "keepalived did not become master"
lab_write_configs "$LAB_DIR" "$(lab_vrrp_lbconf BACKUP 100)" || fail "configs"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
sleep 4
grep -q 'VI_1: .* -> MASTER' "$LAB_LBAPP_LOG" && fail "lbapp became master under keepalived"
grep -q 'VI_1: INIT -> BACKUP' "$LAB_LBAPP_LOG" || fail "lbapp not in BACKUP"
mac=$(lab_vrrp_vip_mac)
[[ $mac == "$LAB_DIR2_MAC" ]] || fail "VIP answered by '$mac', expected keepalived's $LAB_DIR2_MAC"
echo "1: keepalived master ($mac), lbapp backup"

from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
lab_vrrp_kill_dir2
ms=$(lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 10 "$from") ||
	fail "lbapp did not take over after keepalived died"
echo "1: lbapp took over ${ms} ms after the master died (Master_Down_Interval 3.6 s)"
sleep 0.3
mac=$(lab_vrrp_vip_mac)
[[ $mac == "$LAB_DIR_MAC" ]] || fail "VIP answered by '$mac' after takeover, expected lbapp"
ok=0
for ((i = 0; i < 10; i++)); do
	out=$(lab_get_vip) || true
	[[ ${out##*|} == 200 ]] && ((ok++))
done
((ok == 10)) || fail "only $ok/10 HTTP requests through the VIP worked after failover"
echo "1: 10/10 HTTP requests through the VIP served by lbapp"

# --- 2. keepalived returns with a higher priority and preempts ---
ip -n "$LAB_NS_DIR2" link set eth0 up
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
lab_vrrp_start_keepalived "$LAB_DIR/ka.conf"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: MASTER -> BACKUP' 10 "$from" >/dev/null ||
	fail "lbapp did not yield to keepalived's higher priority"
sleep 0.5
mac=$(lab_vrrp_vip_mac)
[[ $mac == "$LAB_DIR2_MAC" ]] || fail "VIP answered by '$mac', expected keepalived again"
echo "2: keepalived (prio 200) preempted lbapp; lbapp stopped answering for the VIP"

# --- 3. lbapp with prio 250 as BACKUP preempts keepalived ---
lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
LAB_LBAPP_LOG=$LAB_DIR/lbapp2.log
lab_write_configs "$LAB_DIR" "$(lab_vrrp_lbconf BACKUP 250)" || fail "configs"
kafrom=$(lab_vrrp_lines "$LAB_KA_LOG")
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 5 >/dev/null ||
	fail "lbapp (prio 250) did not preempt keepalived (prio 200)"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering BACKUP STATE' 5 "$kafrom" >/dev/null ||
	fail "keepalived did not go backup"
sleep 0.5
mac=$(lab_vrrp_vip_mac)
[[ $mac == "$LAB_DIR_MAC" ]] || fail "VIP answered by '$mac', expected lbapp"
out=$(lab_get_vip) || true
[[ ${out##*|} == 200 ]] || fail "HTTP through the VIP after preemption: '$out'"
echo "3: lbapp (prio 250) preempted keepalived; HTTP through the VIP works"

# --- 4. clean stop: priority 0, keepalived takes over within its skew time ---
kafrom=$(lab_vrrp_lines "$LAB_KA_LOG")
sleep 1.5
lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
ms=$(lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 5 "$kafrom") ||
	fail "keepalived did not take over after lbapp stopped"
grep -q 'sent priority 0' "$LAB_LBAPP_LOG" || fail "lbapp did not log its priority-0 advert"
tail -n +"$((kafrom + 1))" "$LAB_KA_LOG" | grep -i 'priority 0' >/dev/null ||
	fail "keepalived did not see a priority-0 advert"
# skew for prio 200 is 0.22 s; Master_Down_Interval is 3.2 s
((ms < 2000)) || fail "keepalived took over after ${ms} ms: the priority-0 advert did not speed it up"
echo "4: clean stop: keepalived master ${ms} ms after lbapp's SIGTERM (priority 0)"

lab_vrrp_capture_stop
lab_vrrp_tshark_check "$LAB_DIR/vrrp.pcap" "$LAB_DIRECTOR_IP" ||
	fail "tshark: not every lbapp advert is valid VRRP with a good checksum"
echo "PASS"
