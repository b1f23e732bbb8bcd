#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# demo.sh - show lbapp balancing HTTP in a throw-away network-namespace lab.
#
#   scripts/demo.sh           install what is missing, build, run the demo, clean up
#   scripts/demo.sh --keep    ... and leave the lab running to play with
#   scripts/demo.sh --down    tear down a lab left by --keep
#
# Run as root on Debian. The lab uses only 198.18.0.0/24 (RFC 2544 test range)
# inside its own namespaces; nothing is added to this machine's own network.
# LBAPP=/path/to/lbapp skips the build and uses that binary; LB_BUILD_DIR picks
# the build directory (default: build).

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
PREFIX=lbdemo-
WORKDIR=/run/lbapp-demo
REQUESTS=10
KEEP=0

if [[ -t 1 ]]; then
	B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' Y=$'\e[33m' N=$'\e[0m'
else
	B='' G='' R='' Y='' N=''
fi

step() {
	printf '\n%s==> %s%s\n' "$B" "$*" "$N"
}

ok() {
	printf '    %s✔%s %s\n' "$G" "$N" "$*"
}

die() {
	printf '\n%s✘ %s%s\n' "$R" "$*" "$N" >&2
	exit 1
}

usage() {
	sed -n '4,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

case ${1:-} in
"") ;;
--keep) KEEP=1 ;;
--down) ;;
-h | --help) usage 0 ;;
*)
	echo "demo.sh: unknown option '$1'" >&2
	usage 2 >&2
	;;
esac
[[ $(id -u) -eq 0 ]] || die "run me as root (I create network namespaces): sudo $0 $*"

# shellcheck source=scripts/lab.sh
source "$ROOT/scripts/lab.sh"
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"
export LAB_QUIET=1

if [[ ${1:-} == --down ]]; then
	if [[ ! -r $WORKDIR/lab.env ]]; then
		echo "No demo lab is running (no $WORKDIR/lab.env)."
		exit 0
	fi
	lab_load "$WORKDIR" || die "cannot read the demo lab's state"
	step "Tearing down the demo lab '$LAB_PREFIX'"
	lab_down
	ok "done"
	exit 0
fi

if [[ -e $WORKDIR/lab.env ]] || ip netns list | grep "^$PREFIX" >/dev/null; then
	die "a demo lab is already up (left by --keep?): run '$0 --down' first"
fi

cd "$ROOT" || exit 1

step "Checking Debian packages"
lb_deps_install || die "could not install the packages above"

if [[ -n ${LBAPP:-} ]]; then
	step "Using LBAPP=$LBAPP (no build)"
	[[ -x $LBAPP ]] || die "$LBAPP is not an executable"
else
	BUILD=${LB_BUILD_DIR:-build}
	step "Building lbapp in $BUILD/"
	if [[ ! -f $BUILD/build.ninja ]]; then
		meson setup "$BUILD" || die "meson setup failed"
	fi
	ninja -C "$BUILD" || die "the build failed"
	LBAPP=$ROOT/$BUILD/app/lbapp/lbapp
	[[ -x $LBAPP ]] || LBAPP=$ROOT/$BUILD/lbapp
	[[ -x $LBAPP ]] || die "no lbapp executable found in $BUILD/"
	ok "$LBAPP"
fi
lab_check_env || die "the lab needs the tools above"

cleanup() {
	if ((KEEP)) && [[ -n ${DEMO_DONE:-} ]]; then
		return
	fi
	echo
	echo "Cleaning up the lab..."
	lab_down
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Building the lab (network namespaces '${PREFIX}*', one bridge)"
cat <<EOF
    client    ${PREFIX}cl    $LAB_CLIENT_IP      curl
    director  ${PREFIX}dir   $LAB_DIRECTOR_IP       lbapp (DPDK af_packet on eth0), VIP $LAB_VIP
    rs1       ${PREFIX}rs1   ${LAB_RS_IPS[0]}      nginx, VIP on lo (DR)
    rs2       ${PREFIX}rs2   ${LAB_RS_IPS[1]}      nginx, VIP on lo (DR)
EOF
rm -rf "$WORKDIR"
lab_up "$PREFIX" "$WORKDIR" || die "could not build the lab"
ok "namespaces, bridge and veths up"
lab_start_rs || die "could not start the real servers"
ok "nginx answers on both real servers; scripts/realserver.sh put the VIP on their lo"

step "Starting lbapp with docs/examples/lb-master.conf and docs/examples/dpdk-lab.conf"
if ! cp docs/examples/lb-master.conf "$WORKDIR/lb.conf" ||
	! cp docs/examples/dpdk-lab.conf "$WORKDIR/dpdk.conf"; then
	die "cannot copy the configs"
fi
if ((KEEP)); then
	export LAB_LBAPP_SETSID=1 LAB_STATS_PERIOD=2
fi
lab_start_lbapp "$LBAPP" "$WORKDIR/lb.conf" "$WORKDIR/dpdk.conf" ||
	die "lbapp did not start (log above)"
ok "lbapp is ready (pid $LAB_LBAPP_PID, log $LAB_LBAPP_LOG)"
mac=$(lab_director_mac)
who=$(lab_ns_exec cl arping -c 1 -w 3 -I eth0 "$LAB_VIP" 2>/dev/null |
	grep -o '\[[0-9a-fA-F:]*\]' | head -n 1 | tr -d '[]')
if [[ ${who,,} == "${mac,,}" ]]; then
	ok "the VIP $LAB_VIP answers ARP with the director's MAC $mac"
else
	printf '    %s!%s ARP for %s answered by "%s" (director is %s)\n' \
		"$Y" "$N" "$LAB_VIP" "${who:-nobody}" "$mac"
fi

step "Sending $REQUESTS HTTP requests to http://$LAB_VIP/ (a new connection each)"
tally=(0 0)
errors=0
for ((i = 1; i <= REQUESTS; i++)); do
	out=$(lab_get_vip) || true
	IFS='|' read -r body _ code <<<"$out"
	idx=$(lab_body_index "$body")
	if [[ $code == 200 ]] && ((idx >= 0)); then
		tally[idx]=$((tally[idx] + 1))
		printf '    request %2d  ->  %s\n' "$i" "$body"
	else
		errors=$((errors + 1))
		printf '    request %2d  ->  %sfailed%s (%s)\n' "$i" "$R" "$N" "$out"
	fi
done

step "Who answered"
for i in "${!LAB_RS_IPS[@]}"; do
	bar=$(printf '%*s' "${tally[$i]}" '' | tr ' ' '#')
	printf '    rs%d %-13s %3d  %s\n' "$((i + 1))" "${LAB_RS_IPS[$i]}" "${tally[$i]}" "$bar"
done
((errors)) && printf '    %sfailed: %d%s\n' "$R" "$errors" "$N"
echo "    (round robin: each real server gets every other connection; the replies"
echo "     go from the real server straight to the client, not back through lbapp)"

if ((KEEP)); then
	sleep 2.5
	step "lbapp's counters (latest statistics block)"
else
	lab_stop_lbapp >/dev/null 2>&1
	rc=$LAB_LBAPP_RC
	step "lbapp's counters (final statistics, after SIGTERM; exit status $rc)"
fi
lab_stats_final "$LAB_LBAPP_LOG" |
	awk '$1 ~ /^(port\.RX-packets|port\.TX-packets|port\.RX-missed|Hits|New-flows|To-control)$/ ||
		($1 ~ /^Drop-/ && $2 > 0) { printf "    %-20s %s\n", $1, $2; n++ }
		END { if (!n) print "    (no statistics block found in the log)" }'

if ((KEEP)); then
	DEMO_DONE=1
	step "The lab stays up. Try:"
	cat <<EOF
    ip netns exec ${PREFIX}cl curl http://$LAB_VIP/
        a request through lbapp (run it a few times: rs1, rs2, rs1, ...)
    ip netns exec ${PREFIX}cl arping -c 2 -I eth0 $LAB_VIP
        who answers ARP for the VIP (the director's MAC)
    ip netns exec ${PREFIX}rs1 $ROOT/scripts/realserver.sh status $LAB_VIP
        a real server's DR setup
    ip netns exec ${PREFIX}dir tcpdump -eni eth0 tcp port 80
        the director's wire (requests in, the same frames out to a real server)
    tail -f $LAB_LBAPP_LOG
        lbapp's statistics, every 2 seconds

  Tear it all down with:
    $0 --down
EOF
fi
((errors == 0))
