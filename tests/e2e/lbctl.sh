#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# lbctl.sh LBAPP LBCTL: every lbctl subcommand against a running lbapp in the
# lab, outputs checked: list (plain, --stats, --rate, --json), vrrp, conn,
# weight, drain, disable, enable, reload, capture (read back with tcpdump),
# bad arguments and unknown objects (one line, non-zero exit), and a dead or
# missing socket.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
LBCTL=${2:+$(readlink -f "$2")}
VS=$LAB_VIP:80
RS1=${LAB_RS_IPS[0]}
RS2=${LAB_RS_IPS[1]}
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

# expect_err NAME REGEX ARG...: lbctl fails (status 1) with one line matching REGEX.
expect_err() {
	local name=$1 re=$2 out rc
	shift 2
	out=$(lab_lbctl "$@" 2>&1 >/dev/null)
	rc=$?
	if [[ $rc -eq 1 && $(printf '%s\n' "$out" | wc -l) -eq 1 && $out =~ $re ]]; then
		echo "ok: $name -> $out"
	else
		echo "NOT OK: $name: status $rc, stderr '$out' (want 1 and /$re/)" >&2
		failures=$((failures + 1))
	fi
}

# GETs through the VIP; prints "rs1count rs2count errors".
split() {
	local n=$1 i out body idx c=(0 0) e=0
	for ((i = 0; i < n; i++)); do
		out=$(lab_get_vip) || true
		IFS='|' read -r body _ _ <<<"$out"
		idx=$(lab_body_index "$body")
		if ((idx < 0)); then e=$((e + 1)); else c[idx]=$((c[idx] + 1)); fi
	done
	echo "${c[0]} ${c[1]} $e"
}

[[ -x $LBCTL ]] || { echo "FAIL: lbctl '$LBCTL' not found" >&2; exit 1; }
export LBCTL
lab_e2e_init "$LBAPP" tcpdump || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM
lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"
SOCK=$LAB_DIR/lbapp.sock

# ---- list ----
read -r a b e <<<"$(split 10)"
check "10 requests through the VIP (rs1 $a, rs2 $b, errors $e)" test "$e" -eq 0
out=$(lab_lbctl list) || fail "lbctl list failed"
echo "$out"
check "list: header" grep -q '^Prot LocalAddress:Port Scheduler Flags' <<<"$out"
check "list: virtual server line" grep -Eq "^TCP  $LAB_VIP:80 rr\$" <<<"$out"
check "list: rs1 Route weight 1 up" \
	grep -Eq "^  -> $RS1:80 +Route +1 +[0-9]+ +[0-9]+ +up\$" <<<"$out"
check "list: rs2 Route weight 1 up" \
	grep -Eq "^  -> $RS2:80 +Route +1 +[0-9]+ +[0-9]+ +up\$" <<<"$out"
out=$(lab_lbctl list --stats) || fail "lbctl list --stats failed"
echo "$out"
conns=$(awk -v v="$LAB_VIP:80" '$1 == "TCP" && $2 == v { print $3 }' <<<"$out")
pkts=$(awk -v v="$LAB_VIP:80" '$1 == "TCP" && $2 == v { print $4 }' <<<"$out")
check "list --stats: 10 connections counted (got $conns)" test "${conns:-0}" -eq 10
check "list --stats: packets counted (got $pkts)" test "${pkts:-0}" -ge 30
out=$(lab_lbctl list --rate) || fail "lbctl list --rate failed"
check "list --rate: CPS header" grep -q 'CPS    InPPS' <<<"$out"
json=$(lab_lbctl list --json) || fail "lbctl list --json failed"
check "list --json parses, 1 service with 2 real servers and 10 conns" /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1])
s = d["services"]
assert len(s) == 1 and s[0]["address"] == sys.argv[2] and s[0]["port"] == 80, s
rs = s[0]["real_servers"]
assert [r["address"] for r in rs] == [sys.argv[3], sys.argv[4]], rs
assert sum(r["conns"] for r in rs) == 10 and s[0]["conns"] == 10, rs
assert all(r["forward"] == "Route" and r["state"] == "up" for r in rs), rs
' "$json" "$LAB_VIP" "$RS1" "$RS2"

# ---- vrrp ----
out=$(lab_lbctl vrrp) || fail "lbctl vrrp failed"
echo "$out"
check "vrrp: VI_1 MASTER priority 150" \
	grep -Eq '^VI_1 +eth0 +51 +MASTER +150 +150 +198\.18\.0\.2 ' <<<"$out"
json=$(lab_lbctl vrrp --json) || fail "lbctl vrrp --json failed"
check "vrrp --json parses" /usr/bin/python3 -c '
import json, sys
i = json.loads(sys.argv[1])["instances"]
assert len(i) == 1 and i[0]["name"] == "VI_1" and i[0]["state"] == "MASTER", i
assert i[0]["priority"] == 150 and i[0]["vrid"] == 51, i
' "$json"

# ---- conn: a held-open connection is listed ----
lab_ns_exec cl bash -c "exec 3<>/dev/tcp/$LAB_VIP/80; sleep 8" &
holder=$!
sleep 1
out=$(lab_lbctl conn --vip "$LAB_VIP:80" --state ESTABLISHED) || fail "lbctl conn failed"
echo "$out"
check "conn: one ESTABLISHED connection from the client" \
	grep -Eq "^TCP [0-9]+:[0-9]+ +ESTABLISHED $LAB_CLIENT_IP:[0-9]+ +$LAB_VIP:80 +198\.18\.0\.2[12]:80 +0\$" \
	<<<"$out"
check "conn: count line" grep -Eq '^1 connection matched, 1 shown$' <<<"$out"
out=$(lab_lbctl conn -n 3) || fail "lbctl conn -n 3 failed"
check "conn -n 3: at most 3 shown" grep -Eq '^[0-9]+ connections? matched, [0-3] shown$' <<<"$out"
json=$(lab_lbctl conn --json --client "$LAB_CLIENT_IP") || fail "lbctl conn --json failed"
check "conn --json parses" /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["matched"] >= 1 and d["shown"] == len(d["connections"]), d
' "$json"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# ---- weight, drain, disable, enable ----
lab_lbctl weight "$VS" "$RS2" 3 >/dev/null || fail "lbctl weight failed"
check "weight: list shows 3" grep -Eq "^  -> $RS2:80 +Route +3 " <<<"$(lab_lbctl list)"
# rr ignores weights above 0 (as IPVS): both still get every other connection.
read -r a b e <<<"$(split 8)"
check "weight 3 under rr: split 4/4 (got $a/$b, errors $e)" test "$a/$b/$e" = "4/4/0"
lab_lbctl drain "$VS" "$RS2" >/dev/null || fail "lbctl drain failed"
check "drain: list shows weight 0" grep -Eq "^  -> $RS2:80 +Route +0 " <<<"$(lab_lbctl list)"
read -r a b e <<<"$(split 6)"
check "drain: all new connections on rs1 (got $a/$b, errors $e)" test "$a/$b/$e" = "6/0/0"
lab_lbctl disable "$VS" "$RS1" >/dev/null || fail "lbctl disable failed"
check "disable: list shows disabled" grep -Eq "^  -> $RS1:80 +Route +1 .*disabled\$" \
	<<<"$(lab_lbctl list)"
lab_lbctl enable "$VS" "$RS1" >/dev/null || fail "lbctl enable failed"
lab_lbctl enable "$VS" "$RS2:80" >/dev/null || fail "lbctl enable rs2 failed"
out=$(lab_lbctl list)
check "enable: both back at weight 1 and up" test "$(grep -Ec ' Route +1 +[0-9]+ +[0-9]+ +up$' \
	<<<"$out")" -eq 2
read -r a b e <<<"$(split 4)"
check "enable: rr again (got $a/$b, errors $e)" test "$a/$b/$e" = "2/2/0"

# ---- reload (nothing changed) ----
out=$(lab_lbctl reload) || fail "lbctl reload failed: $out"
check "reload: summary" grep -q 'reloaded .*1 virtual servers, 2 real servers (0 added, 0 removed)' \
	<<<"$out"

# ---- capture, read back with tcpdump ----
# lbctl itself in the background (not a function: its pid is what gets SIGINT).
"$LBCTL" -s "$SOCK" capture eth0 -w "$LAB_DIR/cap.pcap" -c 6 tcp port 80 >"$LAB_DIR/cap.out" 2>&1 &
cap=$!
t0=$(date +%s.%N)
sleep 0.5
split 3 >/dev/null
for ((i = 0; i < 50; i++)); do
	kill -0 "$cap" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$cap" 2>/dev/null && { kill -INT "$cap"; sleep 1; }
wait "$cap"
caprc=$?
cat "$LAB_DIR/cap.out"
check "capture: lbctl exit 0 (got $caprc)" test "$caprc" -eq 0
check "capture: summary" grep -q '^6 packets captured to ' "$LAB_DIR/cap.out"
n=$(tcpdump -nn -r "$LAB_DIR/cap.pcap" 2>/dev/null | wc -l)
tcpdump -nn -r "$LAB_DIR/cap.pcap" 2>/dev/null | head -6
check "capture: tcpdump reads 6 packets (got $n)" test "$n" -eq 6
check "capture: all TCP port 80" test "$(tcpdump -nn -r "$LAB_DIR/cap.pcap" 'tcp port 80' \
	2>/dev/null | wc -l)" -eq 6
# Stamped by the worker when it copied: inside the capture window, in order,
# and the frame length is the packet's (not the snapped copy's).
t1=$(date +%s.%N)
check "capture: worker timestamps within [start, end] and non-decreasing" \
	/usr/bin/python3 - "$LAB_DIR/cap.pcap" "$t0" "$t1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
off, prev, n = 24, 0.0, 0
while off + 16 <= len(d):
    sec, usec, caplen, length = struct.unpack_from("<IIII", d, off)
    t = sec + usec / 1e6
    assert t0 - 0.01 <= t <= t1 + 0.01, (t0, t, t1)
    assert t >= prev, (prev, t)
    assert length >= caplen >= 54, (caplen, length)
    prev, off, n = t, off + 16 + caplen, n + 1
assert n == 6, n
PY
# Until Ctrl-C: lbctl's SIGINT ends it with a summary.
cd "$LAB_DIR" || fail "cd"
"$LBCTL" -s "$SOCK" capture eth0 -w cap2.pcap >"$LAB_DIR/cap2.out" 2>&1 &
cap=$!
sleep 0.5
split 2 >/dev/null
kill -INT "$cap"
for ((i = 0; i < 50; i++)); do
	kill -0 "$cap" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$cap" 2>/dev/null && kill -KILL "$cap"
wait "$cap"
caprc=$?
cd / || fail "cd"
cat "$LAB_DIR/cap2.out"
check "capture until SIGINT (relative -w): exit 0 and a summary (rc $caprc)" \
	grep -q "packets captured to $LAB_DIR/cap2.pcap" "$LAB_DIR/cap2.out"
n=$(tcpdump -nn -r "$LAB_DIR/cap2.pcap" 2>/dev/null | wc -l)
check "capture until SIGINT: packets in the file (got $n)" test "$n" -ge 10

# ---- bad arguments and unknown objects ----
expect_err "unknown command" "unknown command 'bogus'" bogus
expect_err "list bad option" "list: bad option '--nope'" list --nope
expect_err "list --stats --rate" "exclude each other" list --stats --rate
expect_err "unknown virtual server" "unknown virtual server '198.18.0.99:80'" \
	weight 198.18.0.99:80 "$RS1" 2
expect_err "bad virtual server" "bad virtual server 'nonsense'" drain nonsense "$RS1"
expect_err "unknown real server" "unknown real server '198.18.0.77'" drain "$VS" 198.18.0.77
expect_err "bad weight" "bad weight 'x'" weight "$VS" "$RS1" x
expect_err "weight too big" "bad weight '70000'" weight "$VS" "$RS1" 70000
expect_err "weight missing" "usage: weight VS RS WEIGHT" weight "$VS" "$RS1"
expect_err "conn bad state" "bad value 'NOPE' for '--state'" conn --state NOPE
expect_err "conn unknown rs" "real server '198.18.0.77' is unknown" conn --rs 198.18.0.77
expect_err "capture unknown port" "unknown port 'eth9'" capture eth9 -w /tmp/x.pcap
expect_err "capture without -w" "-w FILE.pcap is required" capture eth0
expect_err "capture bad filter" "bad filter" capture eth0 -w "$LAB_DIR/bad.pcap" tcp portx 80
expect_err "reload with argument" "reload takes no argument" reload now
"$LBCTL" -s "$SOCK" >/dev/null 2>&1
check "no command: exit 2" test $? -eq 2
"$LBCTL" --bogus list >/dev/null 2>&1
check "bad lbctl option: exit 2" test $? -eq 2
out=$("$LBCTL" -s "$LAB_DIR/none.sock" list 2>&1)
rc=$?
check "missing socket: exit 3, clear message ($out)" \
	test "$rc" -eq 3 -a -n "$(grep 'no control socket at .*is lbapp running' <<<"$out")"

lab_lbapp_alive || fail "lbapp died"
rc=0
lab_stop_lbapp || rc=$?
check "lbapp exit 0 after SIGTERM (got $rc)" test "$rc" -eq 0
check "socket removed at exit" test ! -e "$SOCK"
# A stale socket file (lbapp gone) is reported as such.
/usr/bin/python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
	"$LAB_DIR/stale.sock"
out=$("$LBCTL" -s "$LAB_DIR/stale.sock" list 2>&1)
rc=$?
check "dead socket: exit 3, clear message ($out)" \
	test "$rc" -eq 3 -a -n "$(grep 'nothing listens on .*not running' <<<"$out")"
grep -E 'lbctl (weight|drain|disable|enable)' "$LAB_LBAPP_LOG" | sed 's/^/log: /'
check "state changes logged, one line each" test "$(grep -Ec 'lbctl (weight|drain|disable|enable)' \
	"$LAB_LBAPP_LOG")" -eq 5

((failures == 0)) || fail "$failures checks failed"
echo "PASS"
