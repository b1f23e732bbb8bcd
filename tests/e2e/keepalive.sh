#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# keepalive.sh LBAPP: 50 requests on one keep-alive TCP connection (one curl,
# 50 URLs, num_connects totals 1) all reach the same real server; a second
# keep-alive connection then goes, round robin, to the other one. lbapp exits 0.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
N=50

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

# keepalive_run: N GETs on one connection; prints the real server index.
keepalive_run() {
	local urls=() out conns=0 idx=-2 first=-2 n=0 line i
	for ((i = 0; i < N; i++)); do
		urls+=("http://$LAB_VIP/?req=$i")
	done
	out=$(lab_curl -s -S --max-time 60 -w '%{num_connects} %{http_code}\n' "${urls[@]}") ||
		fail "curl failed: $out"
	# Output: for each URL the body line, then "num_connects http_code".
	while IFS= read -r line; do
		if [[ $line =~ ^([0-9]+)\ ([0-9]{3})$ ]]; then
			[[ ${BASH_REMATCH[2]} == 200 ]] || fail "HTTP ${BASH_REMATCH[2]}"
			conns=$((conns + BASH_REMATCH[1]))
			continue
		fi
		idx=$(lab_body_index "$line")
		((idx >= 0)) || fail "unexpected body '$line'"
		((first == -2)) && first=$idx
		((idx == first)) || fail "request $n went to rs$((idx + 1)), earlier ones" \
			"to rs$((first + 1)) on the same connection"
		((n++))
	done <<<"$out"
	((n == N)) || fail "$n answers for $N requests"
	((conns == 1)) || fail "curl made $conns connections for $N keep-alive requests"
	echo "$first"
}

lab_e2e_init "$LBAPP" || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM

lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"

a=$(keepalive_run) || exit 1
echo "connection 1: $N requests, all to rs$((a + 1))"
b=$(keepalive_run) || exit 1
echo "connection 2: $N requests, all to rs$((b + 1))"
((a != b)) || fail "both keep-alive connections went to rs$((a + 1)); rr should alternate"

lab_lbapp_alive || fail "lbapp died"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats
((rc == 0)) || fail "lbapp exit status $rc after SIGTERM, expected 0"
nf=$(lab_stat New-flows) || fail "no New-flows counter in lbapp's final statistics"
((nf == 2)) || fail "New-flows $nf, expected 2 (two connections)"
echo "PASS"
