#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# weight_zero.sh LBAPP: with real server .22 at weight 0, 50 new connections
# through the VIP all reach .21. lbapp exits 0 on SIGTERM.

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

lab_e2e_init "$LBAPP" || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM

lab_e2e_start "lbt$$-" "$LBAPP" "$(lab_lbconf 1 0)" || fail "lab setup"
grep -q 'weight 0' "$LAB_DIR/lb.conf" || fail "lb.conf has no weight 0"

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
echo "$N new connections: rs1 ${counts[0]}, rs2 (weight 0) ${counts[1]}, errors $errors"

lab_lbapp_alive || fail "lbapp died during the requests"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats
((errors == 0)) || fail "$errors of $N requests failed"
((counts[0] == N && counts[1] == 0)) ||
	fail "split ${counts[0]}/${counts[1]}, expected $N/0 (rs2 has weight 0)"
((rc == 0)) || fail "lbapp exit status $rc after SIGTERM, expected 0"
echo "PASS"
