#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vrrp_modes.sh LBAPP: more VRRP interop with Debian's keepalived.
#  A. auth mismatch: keepalived's adverts carry another password; lbapp refuses
#     and counts them (rx_auth_pass) and, hearing no valid master, takes over.
#  B. nopreempt: lbapp (prio 200, nopreempt) stays backup under keepalived (100).
#  C. VRRPv3, advert_int 0.1: lbapp backup follows keepalived's adverts and takes
#     over in well under a second when keepalived's box dies.
#  D. the dual-master pair: two instances with swapped priorities and two VIPs;
#     each director is master of one.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$LAB_ROOT/scripts/lab_vrrp.sh"

LBAPP=${1:-}
VIP2=198.18.0.101

fail() {
	echo "FAIL: $*" >&2
	[[ -n ${LAB_KA_LOG:-} ]] && { echo "--- keepalived log:"; tail -n 30 "$LAB_KA_LOG"; } >&2
	[[ -n ${LAB_LBAPP_LOG:-} ]] && { echo "--- lbapp log:"; grep -E '^lbapp:' \
		"$LAB_LBAPP_LOG" | tail -n 30; } >&2
	exit 1
}

cleanup() {
	lab_vrrp_down
	lab_down
}

# stat_of NAME: counter from lbapp's last statistics block.
stat_of() {
	lab_stats_final "$LAB_LBAPP_LOG" | awk -v k="$1" '$1 == k { print $2 }'
}

# restart both sides: KA_CONF_TEXT LB_CONF_TEXT LOGNAME
restart() {
	lab_vrrp_stop_keepalived
	if lab_lbapp_alive; then
		lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
	fi
	ip -n "$LAB_NS_DIR2" link set eth0 up
	printf '%s\n' "$1" >"$LAB_DIR/ka.conf"
	KA_FROM=$(lab_vrrp_lines "$LAB_DIR/keepalived.log")
	lab_vrrp_start_keepalived "$LAB_DIR/ka.conf"
	LAB_LBAPP_LOG=$LAB_DIR/lbapp-$3.log
	lab_write_configs "$LAB_DIR" "$2" || fail "configs"
}

lab_e2e_init "$LBAPP" keepalived || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "lbt$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
lab_vrrp_dir2_up || fail "dir2"

PHASES=${VRRP_PHASES:-ABCD}

if [[ $PHASES == *A* ]]; then
# --- A. auth mismatch ---
restart "$(LAB_AUTH_PASS=other lab_vrrp_keepalived_conf VI_1 200 MASTER)" \
	"$(lab_vrrp_lbconf BACKUP 100)" auth
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived master"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 8 >/dev/null ||
	fail "lbapp should ignore adverts with a wrong password and take over"
grep -q 'refused: auth_pass' "$LAB_LBAPP_LOG" || fail "no auth_pass refusal logged"
sleep 1.2
n=$(stat_of Vrrp-VI_1-rx_auth_pass)
((${n:-0} >= 2)) || fail "Vrrp-VI_1-rx_auth_pass is '${n:-}', expected >= 2"
ok=$(stat_of Vrrp-VI_1-rx_ok)
((${ok:-1} == 0)) || fail "Vrrp-VI_1-rx_ok is '${ok:-}': a wrong password was accepted"
echo "A: auth mismatch: $n adverts refused and counted (rx_auth_pass); lbapp took over"

fi
if [[ $PHASES == *B* ]]; then
# --- B. nopreempt ---
restart "$(lab_vrrp_keepalived_conf VI_1 100 MASTER)" \
	"$(lab_vrrp_lbconf BACKUP 200 '    nopreempt')" nopreempt
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived master"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
sleep 5
grep -q 'VI_1: .* -> MASTER' "$LAB_LBAPP_LOG" && fail "nopreempt lbapp (prio 200) preempted"
n=$(stat_of Vrrp-VI_1-adv_rcvd)
((${n:-0} >= 3)) || fail "Vrrp-VI_1-adv_rcvd '${n:-}': lbapp did not hear keepalived"
echo "B: nopreempt: lbapp (prio 200) stays backup under keepalived (prio 100), $n adverts"

fi
if [[ $PHASES == *C* ]]; then
# --- C. VRRPv3 with advert_int 0.1 ---
restart "$(LAB_ADVERT_INT=0.1 lab_vrrp_keepalived_conf VI_1 200 MASTER '' '    vrrp_version 3')" \
	"$(LAB_ADVERT_INT=0.1 lab_vrrp_lbconf BACKUP 100 '' '    vrrp_version 3')" v3
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived master"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
sleep 2
grep -q 'VI_1: .* -> MASTER' "$LAB_LBAPP_LOG" && fail "v3 lbapp became master under keepalived"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
lab_vrrp_kill_dir2
ms=$(lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 5 "$from") ||
	fail "v3 lbapp did not take over"
# Master_Down_Interval = 3 * 0.1 + (256 - 100) * 0.1 / 256 = 0.36 s
((ms < 1000)) || fail "v3 takeover took ${ms} ms"
sleep 1.2
n=$(stat_of Vrrp-VI_1-adv_rcvd)
((${n:-0} >= 10)) || fail "v3: Vrrp-VI_1-adv_rcvd '${n:-}'"
echo "C: VRRPv3 advert_int 0.1: lbapp took over ${ms} ms after keepalived's box died"

fi
if [[ $PHASES == *D* ]]; then
# --- D. dual-master pair ---
ka="$(lab_vrrp_keepalived_conf VI_1 100 BACKUP)
$(LAB_VRID=52 lab_vrrp_keepalived_conf VI_2 200 MASTER | sed -n '/^vrrp_instance/,$p' |
	sed "s|$LAB_VIP/|$VIP2/|")"
lb="$(lab_vrrp_lbconf MASTER 200)
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass lbapp
    }
    virtual_ipaddress {
        $VIP2
    }
}"
restart "$ka" "$lb" dual
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_KA_LOG" '\(VI_2\) Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived not master of VI_2"
sleep 2
grep -q 'VI_2: .* -> MASTER' "$LAB_LBAPP_LOG" && fail "lbapp became master of VI_2"
grep -q 'VI_1: INIT -> MASTER' "$LAB_LBAPP_LOG" || fail "lbapp not master of VI_1"
tail -n +"$((KA_FROM + 1))" "$LAB_KA_LOG" | grep '(VI_1) Entering MASTER STATE' >/dev/null && fail "keepalived became master of VI_1"
mac1=$(lab_vrrp_vip_mac)
mac2=$(LAB_VIP=$VIP2 lab_vrrp_vip_mac)
[[ $mac1 == "$LAB_DIR_MAC" ]] || fail "$LAB_VIP answered by '$mac1', expected lbapp"
[[ $mac2 == "$LAB_DIR2_MAC" ]] || fail "$VIP2 answered by '$mac2', expected keepalived"
out=$(lab_get_vip) || true
[[ ${out##*|} == 200 ]] || fail "HTTP through $LAB_VIP: '$out'"
echo "D: dual master: lbapp owns $LAB_VIP (VI_1), keepalived owns $VIP2 (VI_2)"
lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
fi
echo "PASS"
