#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench_checks.sh [LBAPP] [N_RS] [SECONDS]: VRRP advert jitter while the control
# lcore health-checks many real servers (a benchmark, not a test).
#
# The namespace lab (scripts/lab.sh) on a /21: rs1 answers on N_RS (default
# 1000) extra addresses 198.18.4.1 and up (nginx listens on 0.0.0.0:80). lbapp
# is VRRP master (advert_int 1) of a DR service with those N_RS real servers,
# each with a TCP_CHECK (delay_loop 1, connect_timeout 1). The adverts lbapp
# sends are captured on its switch port for SECONDS (default 20), once with no
# checker at all and once with the N_RS checkers, and the table shows the
# intervals between adverts (ideal: 1000 ms) and the checks per second seen on
# the wire (SYNs from the director).

set -u -o pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lab.sh
source "$ROOT/scripts/lab.sh"

LBAPP=$(readlink -f "${1:-$ROOT/build/lbapp}")
N_RS=${2:-1000}
SECS=${3:-20}
PY=/usr/bin/python3
LAB_PLEN=21
CAP_PID=

die() {
	echo "bench_checks: $*" >&2
	exit 1
}

cleanup() {
	[[ -n $CAP_PID ]] && kill -INT "$CAP_PID" 2>/dev/null
	lab_down
}

((N_RS >= 1 && N_RS <= 2000)) || die "N_RS must be 1..2000"
lab_e2e_init "$LBAPP" tcpdump || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM
LAB_QUIET=1
lab_up "lbk$$-" || die "lab"
lab_start_rs || die "real servers"

# rs_ip I: the I-th extra real-server address (0-based), 198.18.4.1 and up.
rs_ip() {
	local i=$(($1 + 1))
	echo "198.18.$((4 + i / 256)).$((i % 256))"
}
for ((i = 0; i < N_RS; i++)); do
	echo "addr add $(rs_ip "$i")/$LAB_PLEN dev eth0"
done >"$LAB_DIR/addrs.batch"
ip -n "${LAB_NS_RS[0]}" -batch "$LAB_DIR/addrs.batch" || die "addresses on rs1"

# lbconf WITH_CHECKS: the lab's VRRP instance and one service with N_RS servers.
lbconf() {
	local i
	lab_lbconf | sed '/^virtual_server/,$d'
	printf 'virtual_server %s 80 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind DR\n' "$LAB_VIP"
	printf '    protocol TCP\n'
	for ((i = 0; i < N_RS; i++)); do
		printf '    real_server %s 80 {\n        weight 1\n' "$(rs_ip "$i")"
		(($1)) && printf '        TCP_CHECK {\n            connect_timeout 1\n        }\n'
		printf '    }\n'
	done
	printf '}\n'
}

# run WITH_CHECKS: print "intervals mean sd min max p99 checks_per_s".
run() {
	local with=$1 t0
	lab_write_configs "$LAB_DIR" "$(lbconf "$with")" || die "configs"
	LAB_LBAPP_LOG=$LAB_DIR/lbapp$with.log
	LAB_READY_TIMEOUT=120 LAB_STATS_PERIOD=0 lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" \
		"$LAB_DIR/dpdk.conf" >/dev/null || die "lbapp start (checks $with)"
	# Let VRRP settle and the checkers reach their steady state.
	sleep 5
	ip netns exec "$LAB_NS_SW" tcpdump -i dir -U -nn -w "$LAB_DIR/cap$with.pcap" \
		"ip proto 112 or (tcp[tcpflags] & tcp-syn != 0 and src host $LAB_DIRECTOR_IP)" \
		>/dev/null 2>&1 &
	CAP_PID=$!
	t0=$SECONDS
	sleep "$SECS"
	kill -INT "$CAP_PID"
	wait "$CAP_PID" 2>/dev/null
	CAP_PID=
	lab_lbapp_alive || die "lbapp died (checks $with)"
	lab_stop_lbapp >/dev/null || true
	"$PY" - "$LAB_DIR/cap$with.pcap" "$((SECONDS - t0))" <<'PYEOF'
import statistics, subprocess, sys
f, secs = sys.argv[1], max(int(sys.argv[2]), 1)
out = subprocess.run(["tcpdump", "-tt", "-nn", "-r", f], capture_output=True, text=True).stdout
adv, syn = [], 0
for line in out.splitlines():
    if "VRRP" in line:
        adv.append(float(line.split()[0]))
    elif "Flags [S]" in line:
        syn += 1
iv = sorted((b - a) * 1000 for a, b in zip(adv, adv[1:]))
if len(iv) < 2:
    print("0 - - - - - %d" % (syn // secs))
else:
    p99 = iv[min(len(iv) - 1, int(len(iv) * 0.99))]
    print("%d %.1f %.1f %.1f %.1f %.1f %d" % (len(iv), statistics.mean(iv), statistics.stdev(iv),
                                           iv[0], iv[-1], p99, syn // secs))
PYEOF
}

printf '%-22s %9s %9s %7s %9s %9s %9s %9s\n' "run" "intervals" "mean_ms" "sd_ms" "min_ms" \
	"max_ms" "p99_ms" "checks/s"
read -r n mean sd mn mx p99 cps <<<"$(run 0)"
printf '%-22s %9s %9s %7s %9s %9s %9s %9s\n' "no checkers" "$n" "$mean" "$sd" "$mn" "$mx" "$p99" "$cps"
read -r n mean sd mn mx p99 cps <<<"$(run 1)"
printf '%-22s %9s %9s %7s %9s %9s %9s %9s\n' "$N_RS TCP_CHECK, 1 s" "$n" "$mean" "$sd" "$mn" "$mx" \
	"$p99" "$cps"
