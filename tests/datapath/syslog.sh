#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# syslog.sh LBAPP LBCTL LBGEN: "lbapp -S" logs to syslog (facility daemon, ident lbapp,
# syslog levels), nothing to the console without -l, debug lines only with -D.
# The test runs in a private mount namespace with its own /dev (a tmpfs holding the
# few device nodes EAL needs) so that /dev/log is a socket the test reads, whatever
# the host runs.
set -uo pipefail
LBAPP=$1
LBCTL=$2
LBGEN=$3

if [[ ${LB_SYSLOG_INNER:-} != 1 ]]; then
	exec unshare -m --propagation private env LB_SYSLOG_INNER=1 bash "$0" "$@"
fi

tmp=$(mktemp -d /tmp/lbapp-syslog.XXXXXX)
sink=
pid=
cleanup() {
	[[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null
	[[ -n $sink ]] && kill "$sink" 2>/dev/null
	[[ -n ${KEEP:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1"; failed=$((failed + 1)); }

mount -t tmpfs -o mode=755 lbsyslogdev /dev || { echo "FAIL: cannot mount a private /dev"; exit 1; }
mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 &&
	mknod -m 666 /dev/random c 1 8 && mknod -m 666 /dev/urandom c 1 9 &&
	mkdir -p /dev/shm /dev/pts && ln -s /proc/self/fd /dev/fd ||
	{ echo "FAIL: cannot populate the private /dev"; exit 1; }

# The syslog sink: one datagram per line into $tmp/syslog.
python3 - "$tmp/syslog" <<'PY' &
import os, signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(sys.argv[1], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode(errors="replace").rstrip("\n") + "\n")
PY
sink=$!
for _ in $(seq 50); do [[ -S /dev/log ]] && break; sleep 0.1; done
[[ -S /dev/log ]] || { echo "FAIL: syslog sink did not start"; exit 1; }

"$LBGEN" -o "$tmp/in.pcap" -f 2 -p 2
cat > "$tmp/lb.conf" <<'CONF'
virtual_server 198.18.0.100 80 {
    lb_algo rr
    lb_kind DR
    real_server 198.18.0.21 80 {
        weight 1
    }
}
CONF
cat > "$tmp/dpdk.conf" <<'CONF'
ports = ( { name = "eth0"; dev = "net_pcap0"; address = "198.18.0.2/24"; host_if = false; } );
mbufs = 2047;
mbuf_cache = 32;
conn_table_size = 1024;
CONF
EAL=(-l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix "slog$$"
	--vdev "net_pcap0,rx_pcap=$tmp/in.pcap")

# run NAME ARGS...: start lbapp, wait until it is ready (by lbctl), ask lbctl for
# the list (a debug line with -D), stop it with SIGTERM.
run() {
	local name=$1 i
	shift
	: > "$tmp/syslog"
	"$LBAPP" "${EAL[@]}" -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf" \
		--ctl-socket "$tmp/ctl.sock" "$@" > "$tmp/$name.console" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		"$LBCTL" -s "$tmp/ctl.sock" list > /dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	wait "$pid"
	echo "lbapp ($name) exit $?" >> "$tmp/$name.console"
	pid=
	sleep 0.3
	cp "$tmp/syslog" "$tmp/$name.syslog"
}

# <PRI> = facility daemon (3) * 8 + level: info 6 -> 30, notice 5 -> 29, debug 7 -> 31.
run plain -S
# expect FILE REGEX OK-TEXT KO-TEXT: the line is in FILE, else show FILE.
expect() {
	if grep -E "$2" "$1" > /dev/null; then
		ok "$3"
	else
		ko "$4"; cat "$1"
	fi
}
s=$tmp/plain.syslog
expect "$s" '^<29>.*lbapp\[[0-9]+\]: ready: 1 worker' \
	"-S: the ready line reaches syslog as daemon.notice with ident lbapp[pid]" \
	"-S: no daemon.notice 'ready' line in syslog"
expect "$s" '^<30>.*lbapp\[[0-9]+\]: control socket ' \
	"-S: info lines carry level info" "-S: no daemon.info line"
expect "$s" '^<30>.*lbapp\[[0-9]+\]: EAL: ' \
	"-S: DPDK's own EAL lines go to syslog with their level" "-S: no EAL line in syslog"
expect "$s" '^<29>.*lbapp\[[0-9]+\]: stopped' \
	"-S: the stop is logged" "-S: no 'stopped' line"
if grep -E '^(EAL|TELEMETRY):' "$tmp/plain.console" > /dev/null; then
	ko "-S without -l: DPDK lines still on the console"; cat "$tmp/plain.console"
else
	ok "-S without -l: no DPDK lines on the console"
fi
if grep -E '^<31>' "$tmp/plain.syslog" > /dev/null; then
	ko "-S without -D wrote debug lines"
else
	ok "-S without -D: no debug lines"
fi
if grep -E '^lbapp: ready' "$tmp/plain.console" > /dev/null; then
	ko "-S without -l still logs to the console"
else
	ok "-S without -l: the console stays quiet"
fi
grep -q 'exit 0' "$tmp/plain.console" && ok "-S: SIGTERM exits 0" || ko "-S: exit status: $(tail -1 "$tmp/plain.console")"

run detail -S -D -l
if grep -E '^<31>.*lbapp\[[0-9]+\]: lbctl: list' "$tmp/detail.syslog" > /dev/null; then
	ok "-S -D: the lbctl request is logged at debug"
else
	ko "-S -D: no debug line for the lbctl request"; cat "$tmp/detail.syslog"
fi
if grep -E '^lbapp: ready' "$tmp/detail.console" > /dev/null; then
	ok "-S -l: the console gets the lines too"
else
	ko "-S -l: nothing on the console"; cat "$tmp/detail.console"
fi

run console
if [[ -s $tmp/console.syslog ]]; then
	ko "without -S, syslog got lines"; cat "$tmp/console.syslog"
else
	ok "without -S: nothing goes to syslog"
fi

echo "syslog: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
