#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vrrp_track.sh LBAPP LBCTL: VRRP tracking, unicast, notify, sync groups and split
# brain, against Debian's keepalived on the lab bridge.
#  A. unicast peers both ways: lbapp (prio 150) and keepalived (120) advertise only
#     to each other (no multicast from lbapp); a track_script (weight -60) fails,
#     lbapp's priority drops to 90 in its next advert and keepalived takes over;
#     the script succeeds again and lbapp preempts back. notify / notify_master
#     scripts write their arguments (INSTANCE VI_1 STATE PRIO).
#  B. an advert from a source that is not a unicast_peer is refused ("src").
#  C. track_interface: the port's link goes down (carrier lost): FAULT,
#     notify_fault; link up: lbapp returns to MASTER. smtp_alert without an SMTP
#     sender is counted as unsent.
#  D. vrrp_sync_group: a weight-0 script failing on VI_1 takes VI_2 to FAULT with
#     it; both come back together; GROUP notify arguments.
#  E. split brain: keepalived (prio 100) cannot hear lbapp and is master too;
#     lbapp logs it and counts it (lbapp_vrrp_split_brain_total, lbctl vrrp).

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$LAB_ROOT/scripts/lab_vrrp.sh"

LBAPP=${1:-}
LBCTL=${2:-}
export LBCTL
VIP2=198.18.0.101

fail() {
	echo "FAIL: $*" >&2
	[[ -n ${LAB_KA_LOG:-} ]] && { echo "--- keepalived log:"; tail -n 30 "$LAB_KA_LOG"; } >&2
	[[ -n ${LAB_LBAPP_LOG:-} ]] && { echo "--- lbapp log:"; grep -E '^lbapp:' \
		"$LAB_LBAPP_LOG" | tail -n 40; } >&2
	[[ -r ${NOTIFY_LOG:-} ]] && { echo "--- notify log:"; cat "$NOTIFY_LOG"; } >&2
	exit 1
}

cleanup() {
	[[ -n ${LAB_NS_SW:-} ]] && ip -n "$LAB_NS_SW" link set dir up 2>/dev/null
	lab_vrrp_capture_stop
	lab_vrrp_down
	lab_down
}

# restart both sides: KA_CONF_TEXT LB_CONF_TEXT LOGNAME (keepalived first)
restart() {
	lab_vrrp_stop_keepalived
	if lab_lbapp_alive; then
		lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
	fi
	printf '%s\n' "$1" >"$LAB_DIR/ka.conf"
	KA_FROM=$(lab_vrrp_lines "$LAB_DIR/keepalived.log")
	lab_vrrp_start_keepalived "$LAB_DIR/ka.conf"
	LAB_LBAPP_LOG=$LAB_DIR/lbapp-$3.log
	: >"$NOTIFY_LOG"
	lab_write_configs "$LAB_DIR" "$2" || fail "configs"
}

# json_get EXPR: evaluate a python expression on `lbctl vrrp --json` (i = instances by name).
json_get() {
	local js
	js=$(lab_lbctl vrrp --json) || fail "lbctl vrrp --json"
	python3 -c '
import json, sys
i = {x["name"]: x for x in json.loads(sys.argv[1])["instances"]}
print(eval(sys.argv[2]))' "$js" "$1"
}

# ka_state INSTANCE: keepalived's last state for an instance (MASTER, BACKUP, FAULT).
ka_state() {
	grep -oE "\\($1\\) Entering [A-Z]+ STATE" "$LAB_KA_LOG" | tail -n 1 | awk '{ print $3 }'
}

# wait_notify LINE SECONDS: bounded wait for an exact line in the notify log.
wait_notify() {
	local tries
	for ((tries = 0; tries < $2 * 10; tries++)); do
		grep -Fx -- "$1" "$NOTIFY_LOG" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

lab_e2e_init "$LBAPP" keepalived tcpdump tshark python3 curl || exit 1
[[ -x $LBCTL ]] || { echo "FAIL: lbctl '$LBCTL' not found" >&2; exit 1; }
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "lbt$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
lab_vrrp_dir2_up || fail "dir2"

NOTIFY_LOG=$LAB_DIR/notify.log
cat >"$LAB_DIR/notify.sh" <<EOF
#!/bin/sh
echo "\$*" >>"$NOTIFY_LOG"
EOF
cat >"$LAB_DIR/chk.sh" <<EOF
#!/bin/sh
[ ! -e "$LAB_DIR/fail" ]
EOF
chmod 755 "$LAB_DIR/notify.sh" "$LAB_DIR/chk.sh"
rm -f "$LAB_DIR/fail"

SCRIPT_BLOCK="vrrp_script chk {
    script \"$LAB_DIR/chk.sh\"
    interval 1
    weight -60
    rise 2
    fall 2
}"
DIR_IP=$LAB_DIRECTOR_IP
PHASES=${VRRP_PHASES:-ABCDE}
DIR2_IP=$LAB_DIRECTOR2_IP

if [[ $PHASES == *A* ]]; then
# --- A. unicast both ways, track_script weight, notify ---
ka=$(lab_vrrp_keepalived_conf VI_1 120 BACKUP "    unicast_src_ip $DIR2_IP
    unicast_peer {
        $DIR_IP
    }")
lb="$(lab_vrrp_lbconf MASTER 150 "    unicast_src_ip $DIR_IP
    unicast_peer {
        $DIR2_IP
    }
    track_script {
        chk
    }
    notify $LAB_DIR/notify.sh
    notify_master \"$LAB_DIR/notify.sh master\"")
$SCRIPT_BLOCK"
restart "$ka" "$lb" unicast
lab_vrrp_capture "$LAB_DIR/vrrp.pcap"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: INIT -> MASTER' 5 >/dev/null || fail "lbapp not MASTER"
grep -E 'warning|error' "$LAB_LBAPP_LOG" | grep -E 'unicast|track_script|notify|vrrp_script' &&
	fail "a VRRP keyword lbapp implements was warned about"
wait_notify "INSTANCE VI_1 MASTER 150" 5 || fail "notify INSTANCE VI_1 MASTER 150 not run"
wait_notify "master" 5 || fail "notify_master not run"
# Until lbapp has resolved keepalived's MAC its unicast adverts cannot leave, so
# keepalived may be master for a moment at start: wait for the settled state.
lab_vrrp_wait_log "$LAB_LBAPP_LOG" "neighbour $DIR2_IP is at" 5 >/dev/null ||
	fail "lbapp did not resolve its unicast peer"
sleep 2
[[ $(ka_state VI_1) == BACKUP ]] || fail "keepalived not BACKUP under lbapp"
kfrom=$(lab_vrrp_lines "$LAB_KA_LOG")
sleep 3
tail -n +"$((kfrom + 1))" "$LAB_KA_LOG" | grep 'Entering MASTER STATE' >/dev/null &&
	fail "keepalived became master: it does not hear lbapp's unicast adverts"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
kfrom=$(lab_vrrp_lines "$LAB_KA_LOG")
touch "$LAB_DIR/fail"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: priority 150 -> 90' 6 "$from" >/dev/null ||
	fail "track_script failure did not lower the priority to 90"
ms=$(lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: MASTER -> BACKUP' 6 "$from") ||
	fail "lbapp did not yield to keepalived (prio 120) at priority 90"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 5 "$kfrom" >/dev/null ||
	fail "keepalived did not take over"
wait_notify "INSTANCE VI_1 BACKUP 90" 5 || fail "notify INSTANCE VI_1 BACKUP 90 not run"
sleep 2
[[ $(json_get 'i["VI_1"]["state"], i["VI_1"]["effective_priority"], i["VI_1"]["priority"]') == \
	"('BACKUP', 90, 150)" ]] || fail "lbctl: $(json_get 'i["VI_1"]')"
[[ $(json_get 'i["VI_1"]["master"], i["VI_1"]["unicast"], i["VI_1"]["track_delta"]') == \
	"('$DIR2_IP', True, -60)" ]] || fail "lbctl: $(json_get 'i["VI_1"]')"
n=$(json_get 'i["VI_1"]["adverts_in"]')
((n >= 2)) || fail "lbapp heard $n unicast adverts from keepalived"
echo "A: track_script failed: priority 150 -> 90, yielded to keepalived in ${ms} ms;" \
	"$n unicast adverts heard from keepalived"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
rm -f "$LAB_DIR/fail"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 8 "$from" >/dev/null ||
	fail "lbapp did not preempt back after the script recovered"
wait_notify "INSTANCE VI_1 MASTER 150" 5 || fail "notify after preempting back"
lab_vrrp_capture_stop
mc=$(tcpdump -r "$LAB_DIR/vrrp.pcap" -n "src $DIR_IP and dst 224.0.0.18" 2>/dev/null | wc -l)
uc=$(tcpdump -r "$LAB_DIR/vrrp.pcap" -n "src $DIR_IP and dst $DIR2_IP" 2>/dev/null | wc -l)
((mc == 0 && uc >= 3)) || fail "lbapp adverts: $uc unicast to $DIR2_IP, $mc multicast"
lab_vrrp_tshark_check "$LAB_DIR/vrrp.pcap" "$DIR_IP" || fail "tshark"
echo "A: script recovered, lbapp preempted back; $uc adverts unicast to $DIR2_IP, none multicast"

fi
if [[ $PHASES == *B* ]]; then
# --- B. a source that is not a unicast_peer ---
ka=$(lab_vrrp_keepalived_conf VI_1 200 MASTER "    unicast_src_ip $DIR2_IP
    unicast_peer {
        $DIR_IP
    }")
lb=$(lab_vrrp_lbconf BACKUP 100 "    unicast_peer {
        198.18.0.9
    }")
restart "$ka" "$lb" src
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived master"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 8 >/dev/null ||
	fail "lbapp should refuse adverts from a non-peer and take over"
grep 'refused: src' "$LAB_LBAPP_LOG" >/dev/null || fail "no 'src' refusal logged"
sleep 1
n=$(json_get 'i["VI_1"]["errors"]["src"]')
ok=$(json_get 'i["VI_1"]["adverts_in"]')
((n >= 2 && ok == 0)) || fail "errors.src=$n adverts_in=$ok"
echo "B: $n adverts from $DIR2_IP (not a unicast_peer) refused and counted as 'src'"

fi
if [[ $PHASES == *C* ]]; then
# --- C. track_interface: link down -> FAULT ---
ka=$(lab_vrrp_keepalived_conf VI_1 120 BACKUP)
lb=$(lab_vrrp_lbconf MASTER 150 "    dont_track_primary
    track_interface {
        eth0
    }
    smtp_alert
    notify $LAB_DIR/notify.sh
    notify_fault \"$LAB_DIR/notify.sh fault\"")
restart "$ka" "$lb" trackif
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: INIT -> MASTER' 5 >/dev/null || fail "lbapp not MASTER"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering BACKUP STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived not BACKUP"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
kfrom=$(lab_vrrp_lines "$LAB_KA_LOG")
ip -n "$LAB_NS_SW" link set dir down
ms=$(lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: MASTER -> FAULT' 3 "$from") ||
	fail "link down did not put VI_1 in FAULT"
wait_notify "fault" 5 || fail "notify_fault not run"
wait_notify "INSTANCE VI_1 FAULT 150" 5 || fail "notify INSTANCE VI_1 FAULT not run"
[[ $(json_get 'i["VI_1"]["state"], i["VI_1"]["track_fault"]') == "('FAULT', True)" ]] ||
	fail "lbctl: $(json_get 'i["VI_1"]')"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 8 "$kfrom" >/dev/null ||
	fail "keepalived did not take over"
ip -n "$LAB_NS_SW" link set dir up
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: FAULT -> BACKUP' 5 "$from" >/dev/null ||
	fail "link up did not clear the fault"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 8 "$from" >/dev/null ||
	fail "lbapp (150) did not preempt keepalived (120) after the link came back"
n=$(json_get 'i["VI_1"]["smtp_alerts_unsent"]')
((n >= 3)) || fail "smtp_alerts_unsent $n after 3 state changes with smtp_alert"
echo "C: track_interface: FAULT ${ms} ms after link down, keepalived took over; back to" \
	"MASTER after link up; $n smtp alerts counted unsent"

fi
if [[ $PHASES == *D* ]]; then
# --- D. vrrp_sync_group ---
cat >"$LAB_DIR/chk2.sh" <<EOF
#!/bin/sh
[ ! -e "$LAB_DIR/fail2" ]
EOF
chmod 755 "$LAB_DIR/chk2.sh"
rm -f "$LAB_DIR/fail2"
ka="$(lab_vrrp_keepalived_conf VI_1 100 BACKUP)
$(LAB_VRID=52 lab_vrrp_keepalived_conf VI_2 100 BACKUP | sed -n '/^vrrp_instance/,$p' |
	sed "s|$LAB_VIP/|$VIP2/|")"
lb="$(lab_vrrp_lbconf MASTER 150 "    track_script {
        chk2
    }")
vrrp_instance VI_2 {
    state MASTER
    interface eth0
    virtual_router_id 52
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass lbapp
    }
    virtual_ipaddress {
        $VIP2
    }
}
vrrp_script chk2 {
    script \"$LAB_DIR/chk2.sh\"
    interval 1
    weight 0
}
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    notify $LAB_DIR/notify.sh
    notify_fault \"$LAB_DIR/notify.sh group-fault\"
}"
restart "$ka" "$lb" sync
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
wait_notify "GROUP G MASTER" 5 || fail "group notify GROUP G MASTER"
sleep 2
[[ $(json_get 'i["VI_1"]["state"], i["VI_2"]["state"]') == "('MASTER', 'MASTER')" ]] ||
	fail "lbctl: $(json_get 'i')"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
kfrom=$(lab_vrrp_lines "$LAB_KA_LOG")
touch "$LAB_DIR/fail2"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: MASTER -> FAULT' 5 "$from" >/dev/null ||
	fail "weight-0 script failure did not fault VI_1"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_2: MASTER -> FAULT' 2 "$from" >/dev/null ||
	fail "VI_2 did not follow VI_1 into FAULT"
wait_notify "GROUP G FAULT" 5 || fail "group notify GROUP G FAULT"
wait_notify "group-fault" 5 || fail "group notify_fault"
lab_vrrp_wait_log "$LAB_KA_LOG" '\(VI_2\) Entering MASTER STATE' 8 "$kfrom" >/dev/null ||
	fail "keepalived did not take VI_2"
[[ $(lab_vrrp_vip_mac) == "$LAB_DIR2_MAC" ]] || fail "$LAB_VIP not on keepalived"
[[ $(LAB_VIP=$VIP2 lab_vrrp_vip_mac) == "$LAB_DIR2_MAC" ]] || fail "$VIP2 not on keepalived"
from=$(lab_vrrp_lines "$LAB_LBAPP_LOG")
rm -f "$LAB_DIR/fail2"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 8 "$from" >/dev/null ||
	fail "VI_1 not back to MASTER"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_2: BACKUP -> MASTER' 8 "$from" >/dev/null ||
	fail "VI_2 not back to MASTER"
tail -n +"$((from + 1))" "$LAB_LBAPP_LOG" | grep 'VI_2: FAULT -> BACKUP' >/dev/null ||
	fail "VI_2 did not leave FAULT with VI_1"
sleep 1
[[ $(lab_vrrp_vip_mac) == "$LAB_DIR_MAC" ]] || fail "$LAB_VIP not back on lbapp"
[[ $(LAB_VIP=$VIP2 lab_vrrp_vip_mac) == "$LAB_DIR_MAC" ]] || fail "$VIP2 not back on lbapp"
echo "D: sync group: VI_2 followed VI_1 into FAULT and back to MASTER; GROUP notify ran"

fi
if [[ $PHASES == *E* ]]; then
# --- E. split brain ---
# keepalived is configured unicast (to lbapp) while lbapp advertises multicast, which
# keepalived does not listen to: keepalived becomes master too, and lbapp (master,
# 150) hears a lower-priority master every second.
ka=$(lab_vrrp_keepalived_conf VI_1 100 BACKUP "    unicast_src_ip $DIR2_IP
    unicast_peer {
        $DIR_IP
    }")
lb=$(lab_vrrp_lbconf MASTER 150)
restart "$ka" "$lb" split
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: INIT -> MASTER' 5 >/dev/null || fail "lbapp not MASTER"
lab_vrrp_wait_log "$LAB_KA_LOG" 'Entering MASTER STATE' 10 "$KA_FROM" >/dev/null ||
	fail "keepalived did not become master"
lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'split brain: MASTER heard another master 198.18.0.3' 5 \
	>/dev/null || fail "no split brain logged"
sleep 2
lab_ns_exec dir curl -s -S --max-time 5 -o "$LAB_DIR/metrics.txt" \
	http://127.0.0.1:9464/metrics || fail "GET /metrics"
n=$(awk '$1 == "lbapp_vrrp_split_brain_total{instance=\"VI_1\"}" { print $2 }' \
	"$LAB_DIR/metrics.txt")
((${n:-0} >= 2)) || fail "lbapp_vrrp_split_brain_total is '${n:-}'"
out=$(lab_lbctl vrrp) || fail "lbctl vrrp"
echo "$out"
m=$(awk '$1 == "VI_1" && $4 == "MASTER" { print $10 }' <<<"$out")
((${m:-0} >= n)) || fail "lbctl vrrp: SplitBrain '${m:-}', Prometheus said $n"
echo "E: split brain: keepalived MASTER (prio 100) beside lbapp: logged, counted $n" \
	"(lbapp_vrrp_split_brain_total, lbctl vrrp)"
lab_stop_lbapp || fail "lbapp exit status $? on SIGTERM"
fi
echo "PASS"
