#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# realserver.sh - prepare a Linux host (or network namespace) as a DR real server
# behind lbapp, like the LVS-DR "realserver" script of the reference deployment:
#
#   start VIP...   put each VIP on lo as a /32 and set
#                  net.ipv4.conf.{all,lo}.arp_ignore=1 and arp_announce=2, so the
#                  host accepts traffic for the VIP but never answers ARP for it
#                  (the director does) nor uses it as an ARP source address.
#   stop VIP...    remove those VIPs from lo and restore the sysctl values saved
#                  by the first "start".
#   status [VIP...] print the VIPs present on lo and the four sysctls; exit 0 when
#                  every VIP given is present and the sysctls are set, 3 otherwise.
#
# Run it inside the real server's namespace, e.g.
#   ip netns exec rs1 scripts/realserver.sh start 198.18.0.100
#
# The previous sysctl values are kept in /run/lbapp-realserver.<netns>.state
# (<netns> is the name from "ip netns identify", or "host"); override the path
# with LBAPP_RS_STATE. Bad usage prints a message and exits 2.

set -euo pipefail

prog=${0##*/}
SYSCTLS=(
	net.ipv4.conf.all.arp_ignore
	net.ipv4.conf.all.arp_announce
	net.ipv4.conf.lo.arp_ignore
	net.ipv4.conf.lo.arp_announce
)
# Values for DR, in the order of SYSCTLS.
DR_VALUES=(1 2 1 2)

usage() {
	echo "usage: $prog start|stop VIP... | status [VIP...]" >&2
	echo "  (VIP: an IPv4 address such as 198.18.0.100)" >&2
	exit 2
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

is_ipv4() {
	local ip=$1 o
	local -a octets
	[[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
	IFS=. read -r -a octets <<<"$ip"
	for o in "${octets[@]}"; do
		((10#$o <= 255)) || return 1
	done
}

netns_name() {
	local n
	n=$(ip netns identify "$$" 2>/dev/null || true)
	echo "${n:-host}"
}

state_file() {
	if [[ -n ${LBAPP_RS_STATE:-} ]]; then
		echo "$LBAPP_RS_STATE"
	else
		echo "/run/lbapp-realserver.$(netns_name).state"
	fi
}

sysctl_get() {
	sysctl -n "$1"
}

sysctl_set() {
	sysctl -q -w "$1=$2" >/dev/null || die "cannot set $1=$2"
}

vip_present() {
	ip -4 -o addr show dev lo | grep "inet $1/32 " >/dev/null
}

cmd_start() {
	local sf vip i
	sf=$(state_file)
	# Save the values found before the first start only, so that a second
	# start does not record the DR values as the "previous" ones.
	if [[ ! -e $sf ]]; then
		{
			echo "# saved by $prog start on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
			for i in "${!SYSCTLS[@]}"; do
				echo "${SYSCTLS[$i]}=$(sysctl_get "${SYSCTLS[$i]}")"
			done
		} >"$sf.tmp" || die "cannot write state file $sf"
		mv -f "$sf.tmp" "$sf"
	fi
	ip link set dev lo up
	for vip in "$@"; do
		if vip_present "$vip"; then
			echo "$vip already on lo"
		else
			ip addr add "$vip/32" dev lo scope global ||
				die "cannot add $vip/32 to lo"
			echo "$vip added to lo"
		fi
	done
	for i in "${!SYSCTLS[@]}"; do
		sysctl_set "${SYSCTLS[$i]}" "${DR_VALUES[$i]}"
	done
	echo "RealServer start OK"
}

cmd_stop() {
	local sf vip line key val
	sf=$(state_file)
	for vip in "$@"; do
		if vip_present "$vip"; then
			ip addr del "$vip/32" dev lo || die "cannot remove $vip/32 from lo"
			echo "$vip removed from lo"
		else
			echo "$vip not on lo"
		fi
	done
	if [[ -e $sf ]]; then
		while IFS= read -r line; do
			[[ -z $line || $line == \#* ]] && continue
			key=${line%%=*}
			val=${line#*=}
			case " ${SYSCTLS[*]} " in
			*" $key "*) ;;
			*) die "unexpected line in $sf: $line" ;;
			esac
			[[ $val =~ ^[0-9]+$ ]] || die "bad value in $sf: $line"
			sysctl_set "$key" "$val"
		done <"$sf"
		rm -f "$sf"
		echo "sysctls restored from $sf"
	else
		echo "no state file $sf: sysctls left as they are"
	fi
	echo "RealServer stop OK"
}

cmd_status() {
	local ok=0 vip i v present
	present=$(ip -4 -o addr show dev lo | awk '{print $4}' | grep -v '^127\.' |
		paste -sd' ' || true)
	echo "VIPs on lo: ${present:-none}"
	for vip in "$@"; do
		if vip_present "$vip"; then
			echo "  $vip: present"
		else
			echo "  $vip: ABSENT"
			ok=3
		fi
	done
	for i in "${!SYSCTLS[@]}"; do
		v=$(sysctl_get "${SYSCTLS[$i]}")
		if [[ $v == "${DR_VALUES[$i]}" ]]; then
			echo "${SYSCTLS[$i]} = $v"
		else
			echo "${SYSCTLS[$i]} = $v (DR needs ${DR_VALUES[$i]})"
			ok=3
		fi
	done
	echo "state file: $(state_file)$([[ -e $(state_file) ]] || echo ' (none)')"
	return "$ok"
}

[[ $# -ge 1 ]] || usage
action=$1
shift
case $action in
start | stop)
	[[ $# -ge 1 ]] || usage
	;;
status) ;;
-h | --help)
	usage
	;;
*)
	echo "$prog: unknown action '$action'" >&2
	usage
	;;
esac
for vip in "$@"; do
	if ! is_ipv4 "$vip"; then
		echo "$prog: '$vip' is not an IPv4 address" >&2
		usage
	fi
done
[[ $(id -u) -eq 0 ]] || [[ $action == status ]] || die "must run as root"

case $action in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
esac
