#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# reload.sh LBAPP LBCTL: live reload.
#  1. a long download through the VIP (rs1) keeps going while, by SIGHUP, rs2
#     is removed and rs3 added; it completes with every byte;
#  2. new connections then reach rs1 and rs3 only; rs1 kept its id;
#  3. an invalid lb.conf (lbctl reload) is refused with file:line, exit 1, and
#     the old config keeps serving; a config whose real server is off-link too.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
LBCTL=${2:+$(readlink -f "$2")}
LAB_RS_IPS=(198.18.0.21 198.18.0.22 198.18.0.23)
SIZE=$((24 * 1024 * 1024))
RATE=3M
failures=0

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "NOT OK: $what" >&2
		failures=$((failures + 1))
	fi
}

# lbconf RS_INDEX...: rr over the given real servers.
lbconf() {
	local i
	lab_lbconf 1 1 | sed '/^    real_server/,$d'
	for i in "$@"; do
		printf '    real_server %s 80 {\n        weight 1\n    }\n' "${LAB_RS_IPS[$i]}"
	done
	echo "}"
}

rs_id() {
	lab_lbctl list --json | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin)["services"][0]["real_servers"]:
    if r["address"] == sys.argv[1]:
        print(r["id"])
' "$1"
}

[[ -x $LBCTL ]] || { echo "FAIL: lbctl '$LBCTL' not found" >&2; exit 1; }
export LBCTL
lab_e2e_init "$LBAPP" || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM
lab_e2e_start "lbt$$-" "$LBAPP" "$(lbconf 0 1)" || fail "lab setup"
# The big file exists on rs1 only: the download must land there (first rr pick).
mkdir -p "$LAB_DIR/rs1/data" && chmod 0755 "$LAB_DIR/rs1/data"
head -c "$SIZE" /dev/urandom >"$LAB_DIR/rs1/data/big.bin"
chmod 0644 "$LAB_DIR/rs1/data/big.bin"
want_sum=$(md5sum <"$LAB_DIR/rs1/data/big.bin" | cut -d' ' -f1)
id1=$(rs_id "${LAB_RS_IPS[0]}")

lab_curl -s -S --max-time 60 --limit-rate "$RATE" -o "$LAB_DIR/dl.bin" \
	-w '%{http_code} %{size_download}\n' "http://$LAB_VIP/data/big.bin" \
	>"$LAB_DIR/dl.out" 2>&1 &
dl=$!
sleep 2
kill -0 "$dl" 2>/dev/null || fail "download ended early: $(cat "$LAB_DIR/dl.out")"
check "download is in progress through the VIP" test "$(stat -c %s "$LAB_DIR/dl.bin")" -gt 0

# Reload by SIGHUP: rs2 out, rs3 in.
lbconf 0 2 >"$LAB_DIR/lb.conf"
kill -HUP "$LAB_LBAPP_PID"
for ((i = 0; i < 50; i++)); do
	grep -q 'reload: .* applied' "$LAB_LBAPP_LOG" && break
	sleep 0.1
done
grep 'reload' "$LAB_LBAPP_LOG" | sed 's/^/log: /'
check "SIGHUP reload applied (1 added, 1 removed)" \
	grep -q 'reload: .* applied: 1 virtual servers, 2 real servers (1 added, 1 removed)' \
	"$LAB_LBAPP_LOG"
out=$(lab_lbctl list)
echo "$out"
check "list: rs1 and rs3, not rs2" test "$(grep -c -- '->.*Route' <<<"$out")" -eq 2 -a \
	-n "$(grep "${LAB_RS_IPS[2]}:80" <<<"$out")" -a -z "$(grep "${LAB_RS_IPS[1]}:80" <<<"$out")"
check "rs1 kept its id ($id1)" test "$(rs_id "${LAB_RS_IPS[0]}")" = "$id1"
check "rs3 got a new id, not rs2's" test "$(rs_id "${LAB_RS_IPS[2]}")" -gt 1
kill -0 "$dl" 2>/dev/null
check "download still running after the reload" test $? -eq 0

# New connections reach the new set.
declare -A seen=()
errors=0
for ((i = 0; i < 12; i++)); do
	out=$(lab_get_vip) || true
	IFS='|' read -r body _ code <<<"$out"
	idx=$(lab_body_index "$body")
	if [[ $code != 200 || $idx -lt 0 ]]; then errors=$((errors + 1)); continue; fi
	seen[$idx]=$((${seen[$idx]:-0} + 1))
done
echo "after reload: rs1 ${seen[0]:-0}, rs2 ${seen[1]:-0}, rs3 ${seen[2]:-0}, errors $errors"
check "new connections: rs1 and rs3 6 each, rs2 none" \
	test "${seen[0]:-0}/${seen[1]:-0}/${seen[2]:-0}/$errors" = "6/0/6/0"

# An invalid change: refused, old config kept.
lbconf 0 1 | sed 's/lb_algo rr/lb_algo rrr/' >"$LAB_DIR/lb.conf"
out=$(lab_lbctl reload 2>&1)
rc=$?
echo "$out"
check "invalid reload: exit 1" test "$rc" -eq 1
check "invalid reload: file:line error" grep -q "lb.conf:[0-9]*: error" <<<"$out"
check "invalid reload: old config kept message" grep -q 'running config unchanged' <<<"$out"
out=$(lab_lbctl list)
check "invalid reload: rs3 still served, rs2 still out" \
	test -n "$(grep "${LAB_RS_IPS[2]}:80" <<<"$out")" -a -z "$(grep "${LAB_RS_IPS[1]}:80" <<<"$out")"
lbconf 0 2 | sed 's/198.18.0.23 80/198.19.5.5 80/' >"$LAB_DIR/lb.conf"
out=$(lab_lbctl reload 2>&1)
check "off-link real server: refused with file:line" \
	test $? -eq 1 -a -n "$(grep 'lb.conf:[0-9]*: error: real_server 198.19.5.5' <<<"$out")"
# A VRRP priority change is applied live: no state change, the new priority
# in lbctl vrrp. A change that needs a restart (the VRID) is refused whole.
lbconf 0 2 | sed 's/priority 150/priority 120/' >"$LAB_DIR/lb.conf"
out=$(lab_lbctl reload 2>&1)
check "vrrp priority change: applied (exit 0)" test $? -eq 0
check "vrrp priority change: one log line" \
	grep -E 'vrrp_instance VI_1: reload: priority 150 -> 120' "$LAB_LBAPP_LOG"
out=$(lab_lbctl vrrp --json)
check "vrrp priority change: lbctl vrrp shows 120, still MASTER" /usr/bin/python3 -c '
import json, sys
i = json.loads(sys.argv[1])["instances"][0]
sys.exit(0 if i["priority"] == 120 and i["state"] == "MASTER" else 1)' "$out"
check "vrrp priority change: no state change logged" \
	test -z "$(grep -E 'VI_1: (MASTER|BACKUP) -> ' "$LAB_LBAPP_LOG")"
lbconf 0 2 | sed 's/priority 150/priority 120/; s/virtual_router_id 51/virtual_router_id 52/' \
	>"$LAB_DIR/lb.conf"
out=$(lab_lbctl reload 2>&1)
check "vrrp_instance VRID change: refused with file:line" \
	test $? -eq 1 -a -n "$(grep 'lb.conf:[0-9]*: reload: changing vrrp_instance .* needs a restart' <<<"$out")"
out=$(lab_get_vip) || true
check "still serving after refused reloads ($out)" test "$(lab_body_index "${out%%|*}")" -ge 0

wait "$dl"
dlrc=$?
echo "download: rc $dlrc, $(cat "$LAB_DIR/dl.out")"
check "download completed (curl 0, HTTP 200)" test "$dlrc" -eq 0 -a \
	"$(cut -d' ' -f1 "$LAB_DIR/dl.out")" = 200
check "download has every byte" test "$(md5sum <"$LAB_DIR/dl.bin" | cut -d' ' -f1)" = "$want_sum"

lab_lbapp_alive || fail "lbapp died"
rc=0
lab_stop_lbapp || rc=$?
lab_print_final_stats | grep -E 'rs_gone|not_syn|Hits'
check "lbapp exit 0 (got $rc)" test "$rc" -eq 0
((failures == 0)) || fail "$failures checks failed"
echo "PASS"
