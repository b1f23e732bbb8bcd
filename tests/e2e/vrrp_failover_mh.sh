#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# vrrp_failover_mh.sh LBAPP: failover without losing connections. Two lbapp
# directors (dir: priority 200, dir2: 100; VRRPv3, advert_int 0.1) serve the VIP
# with lb_algo mh and the same real servers (DR). A client keeps one HTTP
# keep-alive connection busy through the VIP; the master director is SIGKILLed.
# The backup takes the VIP and, as mh schedules a non-SYN packet of an unknown
# flow to the same real server, the connection goes on: no RST, no error, the
# same real server answers every request, and no request waits longer than 2 s.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"
# shellcheck source=scripts/lab_vrrp.sh
source "$LAB_ROOT/scripts/lab_vrrp.sh"

LBAPP=${1:-}
LB2_PID=
CL_PID=

fail() {
	echo "FAIL: $*" >&2
	[[ -n ${LAB_LBAPP_LOG:-} ]] && { echo "--- lbapp (dir) log:"; grep -E '^lbapp:' \
		"$LAB_LBAPP_LOG" | tail -n 20; } >&2
	[[ -r ${LAB_DIR:-}/lb2.log ]] && { echo "--- lbapp (dir2) log:"; grep -E '^lbapp:' \
		"$LAB_DIR/lb2.log" | tail -n 20; } >&2
	[[ -r ${LAB_DIR:-}/client.out ]] && { echo "--- client:"; cat "$LAB_DIR/client.out"; } >&2
	exit 1
}

cleanup() {
	[[ -n $CL_PID ]] && kill -KILL "$CL_PID" 2>/dev/null
	if [[ -n $LB2_PID ]]; then
		kill -TERM "$LB2_PID" 2>/dev/null
		sleep 1
		kill -KILL "$LB2_PID" 2>/dev/null
		wait "$LB2_PID" 2>/dev/null
	fi
	[[ -n ${LAB_PREFIX:-} ]] && rm -rf "/var/run/dpdk/${LAB_PREFIX}dpdk2"
	lab_vrrp_down
	lab_down
}

# lbconf PRIO [ALGO]: the lab lb.conf with VRRPv3 at 0.1 s and lb_algo mh (or ALGO).
lbconf() {
	LAB_ADVERT_INT=0.1 lab_vrrp_lbconf BACKUP "$1" '' '    vrrp_version 3' |
		sed "s/lb_algo rr/lb_algo ${2:-mh}/"
}

lab_e2e_init "$LBAPP" python3 || exit 1
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "lbt$$-" || fail "lab setup"
lab_start_rs || fail "real servers"
lab_vrrp_dir2_up - || fail "dir2"

# The client: one keep-alive connection, a request every 50 ms for 8 s.
cat >"$LAB_DIR/client.py" <<'PYEOF'
import os, socket, sys, time

vip, dur, prog, killed = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.create_connection((vip, 80), timeout=5)
s.settimeout(5)
buf = b""

def response():
    global buf
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            raise ConnectionError("connection closed by the server")
        buf += d
    head, buf = buf.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(buf) < length:
        d = s.recv(4096)
        if not d:
            raise ConnectionError("connection closed in a body")
        buf += d
    body, buf = buf[:length], buf[length:]
    return head.split(b"\r\n")[0], body

n = after = 0
worst = 0.0
bodies = set()
end = time.time() + dur
try:
    while time.time() < end:
        t0 = time.time()
        s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
        status, body = response()
        lat = time.time() - t0
        if b" 200 " not in status:
            raise RuntimeError("status %r" % status)
        worst = max(worst, lat)
        bodies.add(body.decode().strip())
        n += 1
        if os.path.exists(killed):
            after += 1
        with open(prog, "w") as f:
            f.write(str(n))
        time.sleep(0.05)
except Exception as e:
    print("ERROR after %d requests: %s: %s" % (n, type(e).__name__, e))
    sys.exit(1)
print("requests %d after_kill %d worst_ms %d servers %s" %
      (n, after, worst * 1000, ",".join(sorted(bodies))))
PYEOF

# failover ALGO2 TAG: dir (mh, 200) master, dir2 (ALGO2, 100) backup; the client runs,
# dir is SIGKILLed. Sets MS (takeover time); leaves the client's status in CL_RC.
failover() {
	local algo2=$1 tag=$2 i from
	LAB_LBAPP_LOG=$LAB_DIR/lbapp-$tag.log
	# The master: dir, priority 200.
	lab_write_configs "$LAB_DIR" "$(lbconf 200)" || fail "configs"
	grep 'lb_algo mh' "$LAB_DIR/lb.conf" >/dev/null || fail "lb.conf has no lb_algo mh"
	lab_start_lbapp "$LBAPP" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || fail "lbapp (dir) start"
	lab_vrrp_wait_log "$LAB_LBAPP_LOG" 'VI_1: BACKUP -> MASTER' 5 >/dev/null ||
		fail "lbapp (dir) did not become master"

	# The backup: dir2, priority 100, same real servers.
	lbconf 100 "$algo2" >"$LAB_DIR/lb2.conf"
	lab_dpdkconf "$LAB_DIRECTOR2_IP" >"$LAB_DIR/dpdk2.conf"
	: >"$LAB_DIR/lb2-$tag.log"
	ip netns exec "$LAB_NS_DIR2" "$LBAPP" -l 0-1 --no-huge -m 512 --no-pci \
		--file-prefix "${LAB_PREFIX}dpdk2" --vdev "net_af_packet0,iface=eth0" \
		-- -f "$LAB_DIR/lb2.conf" -c "$LAB_DIR/dpdk2.conf" --ctl-socket "$LAB_DIR/lb2.sock" \
		--stats-period 1 >"$LAB_DIR/lb2-$tag.log" 2>&1 </dev/null &
	LB2_PID=$!
	lab_vrrp_wait_log "$LAB_DIR/lb2-$tag.log" 'VI_1: INIT -> BACKUP' 10 >/dev/null ||
		fail "lbapp (dir2) not in BACKUP"
	sleep 1
	grep 'VI_1: .* -> MASTER' "$LAB_DIR/lb2-$tag.log" >/dev/null && fail "dir2 became master"

	rm -f "$LAB_DIR/progress" "$LAB_DIR/killed"
	ip netns exec "$LAB_NS_CL" ip neigh flush all
	ip netns exec "$LAB_NS_CL" python3 "$LAB_DIR/client.py" "$LAB_VIP" 8 "$LAB_DIR/progress" \
		"$LAB_DIR/killed" >"$LAB_DIR/client.out" 2>&1 &
	CL_PID=$!
	for ((i = 0; i < 50; i++)); do
		[[ $(cat "$LAB_DIR/progress" 2>/dev/null) -ge 20 ]] 2>/dev/null && break
		sleep 0.1
	done
	[[ $(cat "$LAB_DIR/progress" 2>/dev/null) -ge 20 ]] 2>/dev/null ||
		fail "the client did not get 20 answers through lbapp (dir)"

	# The master dies.
	from=$(lab_vrrp_lines "$LAB_DIR/lb2-$tag.log")
	kill -KILL "$LAB_LBAPP_PID"
	touch "$LAB_DIR/killed"
	wait "$LAB_LBAPP_PID" 2>/dev/null
	LAB_LBAPP_PID=
	ms=$(lab_vrrp_wait_log "$LAB_DIR/lb2-$tag.log" 'VI_1: BACKUP -> MASTER' 5 "$from") ||
		fail "dir2 did not take over"
	CL_RC=0
	wait "$CL_PID" || CL_RC=$?
	CL_PID=
	cat "$LAB_DIR/client.out"
	kill -TERM "$LB2_PID"
	wait "$LB2_PID" 2>/dev/null
	LB2_PID=
	rm -rf "/var/run/dpdk/${LAB_PREFIX}dpdk2"
}

failover mh mh
((CL_RC == 0)) || fail "the connection broke across the failover"
read -r _ n _ after _ worst _ servers <"$LAB_DIR/client.out"
((after >= 20)) || fail "only $after requests after the kill"
((worst < 2000)) || fail "a request waited ${worst} ms"
[[ $servers != *,* ]] || fail "answered by more than one real server: $servers"
echo "mh failover: dir2 master ${ms} ms after SIGKILL of dir; one connection, $n requests" \
	"($after after the kill), slowest ${worst} ms, all from '$servers'"
nf=$(lab_stat New-flows "$LAB_DIR/lb2-mh.log") || fail "no New-flows counter in dir2's log"
((nf >= 1)) || fail "dir2 scheduled no flow: the connection did not go through it"
echo "dir2 scheduled $nf flow(s) from mid-connection packets"

# Control: with rr on dir2 the same failover must break the connection (a non-SYN
# packet of an unknown flow is only scheduled under mh), so this test can fail.
failover rr rr
((CL_RC != 0)) || fail "control: the connection survived a failover to an rr director"
echo "control: with lb_algo rr on the backup the connection broke, as it must"
echo "PASS"
