#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# rr_balance.sh LBAPP: 200 new HTTP connections through the VIP all succeed and
# round robin splits them exactly 100/100 between the two real servers (counted
# by response body); lbapp exits 0 on SIGTERM and its final statistics agree.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
N=200

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

lab_e2e_init "$LBAPP" || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM

lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"

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
echo "$N new connections: rs1 ${counts[0]}, rs2 ${counts[1]}, errors $errors"

lab_lbapp_alive || fail "lbapp died during the requests"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats

status=0
if ((errors != 0)); then
	echo "FAIL: $errors of $N requests failed" >&2
	status=1
fi
if ((counts[0] != N / 2 || counts[1] != N / 2)); then
	echo "FAIL: rr split ${counts[0]}/${counts[1]}, expected $((N / 2))/$((N / 2))" >&2
	status=1
fi
if ((rc != 0)); then
	echo "FAIL: lbapp exit status $rc after SIGTERM, expected 0" >&2
	status=1
fi
nf=$(lab_stat New-flows) || nf=
if [[ -z $nf ]]; then
	echo "FAIL: no New-flows counter in lbapp's final statistics" >&2
	status=1
elif ((nf != N)); then
	echo "FAIL: New-flows $nf, expected $N (one per connection)" >&2
	status=1
fi
for c in Drop-not_syn Drop-no_rs; do
	v=$(lab_stat "$c") || {
		echo "FAIL: no $c counter in lbapp's final statistics" >&2
		status=1
		continue
	}
	if ((v != 0)); then
		echo "FAIL: $c is $v during normal traffic, expected 0" >&2
		status=1
	fi
done
echo "Drop-* total: $(lab_stat_sum_drops)"
((status == 0)) || {
	lab_dump
	exit 1
}
echo "PASS"
