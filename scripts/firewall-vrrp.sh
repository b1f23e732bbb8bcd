#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# firewall-vrrp.sh [-n] [-b firewalld|nftables] [-i IFACE] PORT...: let VRRP
# (IP protocol 112 to 224.0.0.18) and the service ports through the host
# firewall of a director or real server. A firewall that drops protocol 112
# is the classic cause of split brain (both directors MASTER).
#   -b   backend (default: firewalld when firewall-cmd runs, else nftables)
#   -i   limit the VRRP rule to one interface (nftables)
#   -n   print the commands/rules, change nothing
# nftables rules go to a table "inet lbapp" (replaced on each run), saved in
# /etc/nftables.d/lbapp.nft when that directory exists.
set -euo pipefail

backend= iface= dry=0
usage() { sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while getopts "b:i:nh" o; do
	case $o in
	b) backend=$OPTARG ;;
	i) iface=$OPTARG ;;
	n) dry=1 ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
shift $((OPTIND - 1))
ports=("$@")
for p in "${ports[@]}"; do
	[[ $p =~ ^[0-9]+(/(tcp|udp))?$ ]] || { echo "firewall-vrrp.sh: bad port '$p' (80 or 53/udp)" >&2; exit 2; }
done
if [[ -z $backend ]]; then
	if command -v firewall-cmd >/dev/null && firewall-cmd --state >/dev/null 2>&1; then
		backend=firewalld
	else
		backend=nftables
	fi
fi

case $backend in
firewalld)
	cmds=("firewall-cmd --permanent --add-rich-rule='rule protocol value=\"vrrp\" accept'"
		"firewall-cmd --permanent --add-rich-rule='rule family=\"ipv4\" destination address=\"224.0.0.18\" protocol value=\"112\" accept'")
	for p in "${ports[@]}"; do
		[[ $p == */* ]] || p=$p/tcp
		cmds+=("firewall-cmd --permanent --add-port=$p")
	done
	cmds+=("firewall-cmd --reload")
	for c in "${cmds[@]}"; do
		if ((dry)); then echo "$c"; else eval "$c"; fi
	done
	;;
nftables)
	match=
	[[ -n $iface ]] && match="iifname \"$iface\" "
	rules="table inet lbapp {
	chain input {
		type filter hook input priority -10; policy accept;
		${match}ip daddr 224.0.0.18 ip protocol vrrp accept
		${match}ip protocol vrrp accept"
	for p in "${ports[@]}"; do
		proto=tcp
		[[ $p == */* ]] && proto=${p#*/}
		rules+="
		$proto dport ${p%/*} accept"
	done
	rules+="
	}
}"
	if ((dry)); then
		echo "$rules"
		exit 0
	fi
	command -v nft >/dev/null || { echo "firewall-vrrp.sh: nft not found" >&2; exit 1; }
	nft list table inet lbapp >/dev/null 2>&1 && nft delete table inet lbapp
	nft -f - <<<"$rules"
	if [[ -d /etc/nftables.d ]]; then
		printf '%s\n' "$rules" >/etc/nftables.d/lbapp.nft
	fi
	nft list table inet lbapp
	;;
*)
	echo "firewall-vrrp.sh: backend must be firewalld or nftables" >&2
	exit 2
	;;
esac
