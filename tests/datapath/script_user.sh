#!/usr/bin/env bash
# Scripts run as keepalived's script_user (or their own user), and enable_script_security
# refuses a root script that others could replace.
#  1. script_user nobody: notify_master runs as nobody:nogroup; "notify ... root" as root.
#  2. enable_script_security with a root script under /tmp (world-writable): lbapp refuses
#     to start, naming the script's line and the writable path.
# Usage: script_user.sh LBAPP LBGEN
set -uo pipefail
LBAPP=$1
LBGEN=$2
tmp=$(mktemp -d /tmp/lbapp-su.XXXXXX)
# Scripts must live on a root-only path for enable_script_security: not under /tmp.
sdir=$(mktemp -d /run/lbapp-su.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; rm -rf "$tmp" "$sdir"' EXIT
passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1"; failed=$((failed + 1)); }
EAL="-l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix su$$"

chmod 0755 "$sdir"
mkdir -m 0777 "$sdir/out"
cat >"$sdir/notify.sh" <<'SH'
#!/bin/sh
echo "$(id -un) $(id -gn) $*" >> "$(dirname "$0")/out/log.$(id -un)"
SH
chmod 0755 "$sdir/notify.sh"
"$LBGEN" -o "$tmp/in.pcap" -f 2 -p 2
cat >"$tmp/dpdk.conf" <<'CONF'
ports = ( { name = "eth0"; dev = "net_pcap0"; address = "198.18.0.2/24"; host_if = false; } );
mbufs = 2047;
mbuf_cache = 32;
conn_table_size = 1024;
CONF
VDEV="--vdev net_pcap0,rx_pcap=$tmp/in.pcap"

lbconf() {	# NOTIFY_MASTER_SCRIPT
	cat <<CONF
global_defs {
    enable_script_security
    script_user nobody
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    notify_master "$1 master"
    notify "$sdir/notify.sh notify" root
    virtual_ipaddress {
        198.18.0.100
    }
}
CONF
}

# 1. The users scripts run as.
lbconf "$sdir/notify.sh" >"$tmp/lb.conf"
"$LBAPP" $EAL $VDEV -- -f "$tmp/lb.conf" -c "$tmp/dpdk.conf" >"$tmp/out" 2>&1 &
pid=$!
for ((i = 0; i < 100; i++)); do
	[ -s "$sdir/out/log.nobody" ] && [ -s "$sdir/out/log.root" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
pid=
echo "--- scripts ran as:"
cat "$sdir"/out/log.* 2>/dev/null
if grep -Fx "nobody nogroup master" "$sdir/out/log.nobody" >/dev/null 2>&1; then
	ok "notify_master runs as script_user nobody:nogroup"
else
	ko "notify_master did not run as nobody:nogroup"; tail -20 "$tmp/out"
fi
if grep -Fx "root root notify INSTANCE VI_1 MASTER 100" "$sdir/out/log.root" >/dev/null 2>&1; then
	ok "'notify ... root' runs as root, with keepalived's arguments"
else
	ko "notify did not run as root"; tail -20 "$tmp/out"
fi
[ "$rc" -eq 0 ] && ok "lbapp exit 0" || ko "lbapp exit status $rc"

# 2. A root script under /tmp: others can write the path, so lbapp refuses to start.
cp "$sdir/notify.sh" "$tmp/notify.sh"
lbconf "$sdir/notify.sh" | sed "s|notify \"$sdir/notify.sh notify\" root|notify \"$tmp/notify.sh notify\" root|" \
	>"$tmp/bad.conf"
timeout 30 "$LBAPP" $EAL $VDEV -- -f "$tmp/bad.conf" -c "$tmp/dpdk.conf" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] &&
	grep -E "bad.conf:5: warning: notify: /tmp.* is writable by a non-root user" "$tmp/out" >/dev/null &&
	grep -E "configuration refused: .*enable_script_security" "$tmp/out" >/dev/null; then
	ok "enable_script_security: a root script under /tmp is refused at its line"
else
	ko "enable_script_security refusal (exit $rc)"; tail -20 "$tmp/out"
fi
# The same with lbapp -t: keepalived's exit code 6.
timeout 30 "$LBAPP" -- -t -f "$tmp/bad.conf" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 6 ] && ok "lbapp -t exits 6 on the violation" || ko "lbapp -t exit $rc, want 6"

echo "script_user: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
