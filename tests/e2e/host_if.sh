#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# host_if.sh LBAPP: the exception path. lbapp creates lb-eth0 (net_tap) in the
# director namespace with the port's address and MAC; from the director's
# kernel stack: ARP for a real server is proxied through the NIC, ping and HTTP
# to both real servers work; the client can ping the director's address; the
# VIP still balances; "host_if = false" leaves no interface.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

lab_e2e_init "$LBAPP" ping || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM

lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"

addr=$(lab_ns_exec dir ip -4 -o addr show dev lb-eth0 2>/dev/null | awk '{print $4}')
[[ $addr == "$LAB_DIRECTOR_IP/$LAB_PLEN" ]] || fail "lb-eth0 address '$addr'"
mac=$(lab_ns_exec dir cat /sys/class/net/lb-eth0/address)
[[ $mac == "$(lab_director_mac)" ]] || fail "lb-eth0 MAC $mac is not the NIC's"
echo "lb-eth0: $addr, MAC $mac"

for i in "${!LAB_RS_IPS[@]}"; do
	ip=${LAB_RS_IPS[$i]}
	lab_ns_exec dir ping -c 2 -i 0.2 -W 2 "$ip" >/dev/null || fail "director cannot ping $ip"
	body=$(lab_ns_exec dir curl -s --max-time 5 "http://$ip/") || true
	[[ $body == "$(lab_rs_body "$i")" ]] || fail "director HTTP to $ip: '$body'"
	echo "director -> $ip: ping and HTTP ok"
done
# Captured first: "ip | grep -q" under pipefail can fail on SIGPIPE.
neigh=$(lab_ns_exec dir ip neigh show dev lb-eth0 2>&1) || true
[[ $neigh == *"${LAB_RS_IPS[0]} lladdr"* ]] ||
	fail "no kernel ARP entry for ${LAB_RS_IPS[0]}; lb-eth0 neighbours: $neigh"
lab_ns_exec cl ping -c 2 -i 0.2 -W 2 "$LAB_DIRECTOR_IP" >/dev/null ||
	fail "client cannot ping the director"
out=$(lab_get_vip) || fail "VIP request failed: $out"
IFS='|' read -r body _ code <<<"$out"
[[ $code == 200 && $(lab_body_index "$body") -ge 0 ]] || fail "VIP answer '$out'"

lab_lbapp_alive || fail "lbapp died"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats
((rc == 0)) || fail "lbapp exit status $rc"
lab_ns_exec dir ip link show lb-eth0 >/dev/null 2>&1 && fail "lb-eth0 left behind after exit"
to_host=$(lab_stat Host-to_host) || fail "no Host-to_host counter"
from_host=$(lab_stat Host-from_host) || fail "no Host-from_host counter"
((to_host > 0 && from_host > 0)) || fail "Host-to_host $to_host, Host-from_host $from_host"

# Disabled: no interface.
printf 'ports = ( { name = "eth0"; dev = "net_af_packet0"; address = "%s/%s"; host_if = false; } );\nmbufs = 8191;\nconn_table_size = 65536;\n' \
	"$LAB_DIRECTOR_IP" "$LAB_PLEN" >"$LAB_DIR/dpdk-off.conf"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk-off.conf" || fail "lbapp (host_if off)"
lab_ns_exec dir ip link show lb-eth0 >/dev/null 2>&1 && fail "lb-eth0 exists with host_if = false"
lab_stop_lbapp || fail "lbapp (host_if off) exit status $?"
echo "PASS"
