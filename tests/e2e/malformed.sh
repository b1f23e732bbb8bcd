#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# malformed.sh LBAPP: from the client, scapy sends bursts of malformed frames to
# the director's MAC with dst IP = VIP (truncated IP header, IHL 3, IP total
# length beyond the frame, TCP data offset 3, truncated TCP header; COUNT each).
# lbapp must keep running, still forward a normal HTTP request, exit 0 on
# SIGTERM, and its final counters must name each drop: Drop-trunc_ip,
# Drop-bad_ihl, Drop-bad_ip_len, Drop-bad_tcp_doff, Drop-trunc_l4 >= COUNT.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
COUNT=20
PY=/usr/bin/python3

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

lab_e2e_init "$LBAPP" timeout || exit 1
if [[ ! -x $PY ]] || ! $PY -c 'import scapy.all' >/dev/null 2>&1; then
	echo "FAIL: $PY with scapy (python3-scapy) is needed" >&2
	exit 1
fi
trap lab_down EXIT
trap 'exit 130' INT TERM

lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"

# A normal request first: the path works before the garbage.
out=$(lab_get_vip) || true
IFS='|' read -r body _ code <<<"$out"
[[ $code == 200 && $(lab_body_index "$body") -ge 0 ]] ||
	fail "normal request before the malformed frames failed: '$out'"

dmac=$(lab_director_mac) || fail "cannot read the director's MAC"
echo "sending $COUNT each of 5 malformed frame kinds to $dmac / $LAB_VIP"
lab_ns_exec cl timeout 60 "$PY" - "$dmac" "$LAB_CLIENT_IP" "$LAB_VIP" "$COUNT" <<'PYEOF' ||
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, TCP, Raw, get_if_hwaddr, raw, sendp  # noqa: E402

dmac, src, vip, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# An explicit, valid source MAC: a bridge drops frames from 00:00:00:00:00:00.
eth = Ether(dst=dmac, src=get_if_hwaddr("eth0"), type=0x0800)
frames = {}
# Only 12 of the 20 bytes of an IPv4 header.
full = raw(IP(src=src, dst=vip) / TCP(sport=41000, dport=80, flags="S"))
frames["trunc_ip"] = [eth / Raw(full[:12]) for _ in range(count)]
# IHL 3 (12 bytes): below the minimum of 5.
frames["bad_ihl"] = [eth / IP(src=src, dst=vip, ihl=3) /
                     TCP(sport=42000 + i, dport=80, flags="S") for i in range(count)]
# Total length 1000 in a 40-byte IP packet.
frames["bad_ip_len"] = [eth / IP(src=src, dst=vip, len=1000) /
                        TCP(sport=43000 + i, dport=80, flags="S") for i in range(count)]
# TCP data offset 3 (12 bytes): below the minimum of 5.
frames["bad_tcp_doff"] = [eth / IP(src=src, dst=vip) /
                          TCP(sport=44000 + i, dport=80, flags="S", dataofs=3)
                          for i in range(count)]
# IP says TCP, but only 10 bytes of TCP header follow (IP length consistent).
tcp = raw(TCP(sport=45000, dport=80, flags="S"))
frames["trunc_l4"] = [eth / IP(src=src, dst=vip, proto=6) / Raw(tcp[:10])
                      for _ in range(count)]
for name, fl in frames.items():
    sendp(fl, iface="eth0", inter=0.002, verbose=False)
    print(f"  sent {len(fl)} {name} ({len(raw(fl[0]))} bytes each)")
PYEOF
	fail "scapy could not send the frames"

sleep 1
lab_lbapp_alive || fail "lbapp died after the malformed frames"
for i in 1 2; do
	out=$(lab_get_vip) || true
	IFS='|' read -r body _ code <<<"$out"
	[[ $code == 200 && $(lab_body_index "$body") -ge 0 ]] ||
		fail "normal request $i after the malformed frames failed: '$out'"
done
echo "lbapp still forwards after the malformed frames"

rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats
status=0
((rc == 0)) || {
	echo "FAIL: lbapp exit status $rc after SIGTERM, expected 0" >&2
	status=1
}
for c in Drop-trunc_ip Drop-bad_ihl Drop-bad_ip_len Drop-bad_tcp_doff Drop-trunc_l4; do
	if ! v=$(lab_stat "$c"); then
		echo "FAIL: no $c counter in lbapp's final statistics" >&2
		status=1
	elif ((v < COUNT)); then
		echo "FAIL: $c = $v, expected >= $COUNT" >&2
		status=1
	fi
done
total=$(lab_stat_sum_drops)
echo "Drop-* total: $total"
((total >= 5 * COUNT)) || {
	echo "FAIL: Drop-* total $total, expected >= $((5 * COUNT))" >&2
	status=1
}
((status == 0)) || {
	lab_dump
	exit 1
}
echo "PASS"
