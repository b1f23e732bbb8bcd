#!/bin/bash
# lbapp -t over the config corpus: the exit code of each config (as keepalived -t: 0 OK,
# 4 cannot run, 5 errors, 6 script security) and, for the broken ones, the exact
# "file:line: error:" the first error names. Usage: run.sh LBAPP
set -u
lbapp=$1
cd "$(dirname "$0")" || exit 1
pass=0
fail=0
out=$(mktemp /tmp/lbapp-cfgcorpus.XXXXXX)
trap 'rm -f "$out"' EXIT

# check FILE EXIT [FIRST-ERROR-PREFIX] [extra lbapp args...]
check() {
	local f=$1 want=$2 where=${3:-}
	shift 3 2>/dev/null || shift $#
	timeout 10 "$lbapp" -t -f "$f" "$@" >"$out" 2>&1
	local rc=$?
	local first
	first=$(grep -m1 ': error: ' "$out" | cut -d' ' -f1-2)
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL $f $*: exit $rc, want $want"; sed 's/^/    /' "$out"; fail=$((fail + 1))
	elif [ -n "$where" ] && [ "$first" != "$where error:" ]; then
		echo "FAIL $f: first error at '$first', want '$where error:'"
		sed 's/^/    /' "$out"; fail=$((fail + 1))
	elif [ "$want" -eq 0 ] && grep -q ': error: ' "$out"; then
		echo "FAIL $f: exit 0 with errors"; fail=$((fail + 1))
	else
		echo "ok   $f $* (exit $rc${where:+, $where})"; pass=$((pass + 1))
	fi
}

# Good configs: exit 0.
for f in reference-master.conf reference-backup.conf dual-master-a.conf dual-master-b.conf \
	 checkers.conf sched-rr.conf sched-wrr.conf sched-lc.conf sched-wlc.conf \
	 sched-sh.conf sched-dh.conf sched-mh.conf sched-sed.conf sched-nq.conf; do
	check "$f" 0 ""
done
check params-include.conf 0 "" -i lb1
check params-include.conf 0 "" -i lb2
check reference-master.conf 0 "" -c ../../docs/examples/dpdk-lab.conf
# A VIP in no vrrp_instance is a warning: still exit 0, and the warning is printed.
check vip-warning.conf 0 ""
grep -q '^vip-warning.conf:9: warning: virtual_server address 198.18.0.200 is not' "$out" ||
	{ echo "FAIL vip-warning.conf: no warning at :9"; fail=$((fail + 1)); }

# Refused, with the file:line of the first error.
check sched-unsupported.conf 5 "sched-unsupported.conf:10:"
check broken/missing-brace.conf 5 "broken/missing-brace.conf:4:"
check broken/stray-brace.conf 5 "broken/stray-brace.conf:7:"
check broken/typo.conf 5 "broken/typo.conf:4:"
check broken/bad-address.conf 5 "broken/bad-address.conf:5:"
check broken/include-loop-a.conf 5 "broken/include-loop-b.conf:5:"
check broken/ranges.conf 5 "broken/ranges.conf:3:"
check broken/duplicates.conf 5 "broken/duplicates.conf:6:"
check broken/track-nothing.conf 5 "broken/track-nothing.conf:5:"
check sched-rr.conf 5 "sched-rr.conf:2:" -c dpdk-eth1.cfg
# Every unsupported scheduler is named, one error each.
n=$("$lbapp" -t -f sched-unsupported.conf 2>&1 | grep -c 'is not supported by lbapp yet')
[ "$n" -eq 4 ] && { echo "ok   sched-unsupported.conf: 4 schedulers refused"; pass=$((pass + 1)); } ||
	{ echo "FAIL sched-unsupported.conf: $n refusals, want 4"; fail=$((fail + 1)); }
# Script security: exit 6.
check broken/script-security.conf 6 ""
# Cannot run: exit 4.
check does-not-exist.conf 4 ""
# The dump parses back to a config that dumps the same.
for f in reference-master.conf checkers.conf dual-master-a.conf; do
	"$lbapp" --dump-config -f "$f" >"$out.1" 2>/dev/null &&
		"$lbapp" --dump-config -f "$out.1" 2>/dev/null | grep -v '^! read:' >"$out.2" &&
		grep -v '^! read:' "$out.1" | cmp -s - "$out.2"
	if [ $? -eq 0 ]; then
		echo "ok   $f: --dump-config round-trips"; pass=$((pass + 1))
	else
		echo "FAIL $f: --dump-config does not round-trip"; fail=$((fail + 1))
	fi
	rm -f "$out.1" "$out.2"
done

# -i defaults to the short host name: "@<host>" lines are kept, "@^<host>" lines dropped.
host=$(hostname -s)
{
	echo "@$host vrrp_instance VI_HOST {"
	echo "@$host     interface eth0"
	echo "@$host     virtual_router_id 61"
	echo "@$host }"
	echo "@^$host vrrp_instance VI_NOT_HOST {"
	echo "@^$host     interface eth0"
	echo "@^$host     virtual_router_id 62"
	echo "@^$host }"
} >"$out.id"
"$lbapp" --dump-config -f "$out.id" >"$out.1" 2>&1
if grep -q 'vrrp_instance "VI_HOST"' "$out.1" && ! grep -q 'VI_NOT_HOST' "$out.1" &&
	"$lbapp" --dump-config -i other -f "$out.id" 2>&1 | grep 'vrrp_instance "VI_NOT_HOST"' >/dev/null; then
	echo "ok   -i defaults to the short host name ($host)"; pass=$((pass + 1))
else
	echo "FAIL -i default: @$host lines not kept"; sed 's/^/    /' "$out.1"; fail=$((fail + 1))
fi
rm -f "$out.id" "$out.1"

# docs/config-reference.md names every keyword of the parser's tables.
missing=$(grep -ohE 'KW[A-Z_]*\("[^"]+"' ../../lib/cfg/*.c | sed -E 's/.*\("//; s/"$//' | sort -u |
	while read -r kw; do grep -qF "\`$kw\`" ../../docs/config-reference.md || echo "$kw"; done)
if [ -z "$missing" ]; then
	echo "ok   docs/config-reference.md names every keyword"; pass=$((pass + 1))
else
	echo "FAIL docs/config-reference.md misses:" $missing; fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
