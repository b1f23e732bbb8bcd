#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# nat_modes.sh LBAPP MODE: end to end through the namespace lab with lb_kind
# NAT or FNAT (MODE = nat | fnat). N new HTTP connections from the client to
# the VIP must all succeed, round robin must split them exactly, and the real
# servers' access logs must show the source address the mode implies:
#   NAT:  the client's own address; the real servers route the client's
#         address through the director (the lab is one /24, so a host route).
#   FNAT: a local address of the group; the real servers need no route at all.
# A keep-alive run then sends several requests over one connection. lbapp must
# exit 0 on SIGTERM and its counters must agree (New-flows, Replies, no drops).

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
MODE=${2:-}
WORKERS=${3:-1}
N=100
LADDRS=(198.18.0.50 198.18.0.51)

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

case $MODE in
nat) KIND=NAT ;;
fnat) KIND=FNAT ;;
*)
	echo "usage: $0 LBAPP nat|fnat [WORKERS]" >&2
	exit 1
	;;
esac
# Two workers: two af_packet queue pairs (the kernel's fanout hash spreads the
# flows; a request and its NAT reply hash differently), lcore 2 shares CPU 1.
if [[ $WORKERS == 2 ]]; then
	export LAB_LCORES="--lcores 0@0,1@1,2@1" LAB_AF_PACKET_OPTS=",qpairs=2"
elif [[ $WORKERS != 1 ]]; then
	echo "WORKERS must be 1 or 2" >&2
	exit 1
fi

lab_e2e_init "$LBAPP" || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM

conf=$(lab_lbconf 1 1)
conf=${conf//lb_kind DR/lb_kind $KIND}
if [[ $MODE == fnat ]]; then
	conf=${conf//protocol TCP/protocol TCP
    laddr_group_name lag1}
	conf="local_address_group lag1 {
    ${LADDRS[0]}-${LADDRS[1]##*.}
}
$conf"
fi

lab_up "lbt$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
if [[ $MODE == nat ]]; then
	# The real servers' replies to the client must go through the director.
	for ns in "${LAB_NS_RS[@]}"; do
		ip -n "$ns" route add "$LAB_CLIENT_IP/32" via "$LAB_DIRECTOR_IP" ||
			fail "route in $ns"
	done
fi
lab_write_configs "$LAB_DIR" "$conf" || fail "configs"
lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp start"

counts=(0 0)
errors=0
for ((i = 0; i < N; i++)); do
	out=$(lab_get_vip) || true
	IFS='|' read -r body conns code <<<"$out"
	idx=$(lab_body_index "$body")
	if [[ $code != 200 || $conns != 1 || $idx -lt 0 ]]; then
		((errors++))
		((errors <= 5)) && echo "request $i: bad answer '$out'" >&2
		continue
	fi
	((counts[idx]++))
done
echo "$KIND: $N new connections: rs1 ${counts[0]}, rs2 ${counts[1]}, errors $errors"

# Keep-alive: 20 requests over one connection, all to one real server.
ka=$(lab_curl -s --max-time 10 -w '%{num_connects}\n' $(for ((i = 0; i < 20; i++)); do
	echo "http://$LAB_VIP/"; done) 2>&1)
ka_bodies=$(grep -c '^rs[12] ' <<<"$ka")
ka_conns=$(grep -E '^[0-9]+$' <<<"$ka" | awk '{ s += $1 } END { print s + 0 }')
echo "keep-alive: $ka_bodies answers over $ka_conns connection(s)"

lab_lbapp_alive || fail "lbapp died during the requests"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats

status=0
bad() {
	echo "FAIL: $*" >&2
	status=1
}
((errors == 0)) || bad "$errors of $N requests failed"
if ((WORKERS == 1)); then
	((counts[0] == N / 2 && counts[1] == N / 2)) ||
		bad "rr split ${counts[0]}/${counts[1]}, expected $((N / 2))/$((N / 2))"
else
	# rr runs per worker: each worker alternates, the sum is near half each.
	((counts[0] >= N / 4 && counts[1] >= N / 4)) ||
		bad "rr split ${counts[0]}/${counts[1]} over $WORKERS workers"
fi
((ka_bodies == 20 && ka_conns == 1)) || bad "keep-alive: $ka_bodies answers, $ka_conns connections"
((rc == 0)) || bad "lbapp exit status $rc after SIGTERM"

# Who the real servers saw as the client.
for i in 0 1; do
	log=$LAB_DIR/rs$((i + 1))/access.log
	[[ -r $log ]] || {
		bad "no access log for rs$((i + 1))"
		continue
	}
	srcs=$(awk '{ print $1 }' "$log" | sort -u | tr '\n' ' ')
	echo "rs$((i + 1)) saw clients: $srcs"
	for s in $srcs; do
		if [[ $MODE == nat && $s != "$LAB_CLIENT_IP" && $s != "${LAB_RS_IPS[$i]}" ]]; then
			bad "NAT: rs$((i + 1)) saw source $s, expected the client $LAB_CLIENT_IP"
		fi
		if [[ $MODE == fnat && $s != "${LADDRS[0]}" && $s != "${LADDRS[1]}" &&
			$s != "${LAB_RS_IPS[$i]}" ]]; then
			bad "FNAT: rs$((i + 1)) saw source $s, expected a local address"
		fi
	done
done

nf=$(lab_stat New-flows) || nf=0
((nf == N + 1)) || bad "New-flows $nf, expected $((N + 1))"
rp=$(lab_stat Replies) || rp=0
((rp > 0)) || bad "Replies $rp: the replies did not go through lbapp"
if ((WORKERS == 2)); then
	rd=$(lab_stat Redirected) || rd=0
	((rd > 0)) || bad "Redirected $rd: with two workers some packets must change worker"
fi
for c in Drop-not_syn Drop-no_rs Drop-nat_orphan Drop-no_lport Drop-no_neigh; do
	v=$(lab_stat "$c") || {
		bad "no $c counter in lbapp's final statistics"
		continue
	}
	((v == 0)) || bad "$c is $v during normal traffic, expected 0"
done
((status == 0)) || {
	lab_dump
	exit 1
}
echo "PASS"
