# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# lab_vrrp.sh - a second director for the namespace lab (scripts/lab.sh), for
# VRRP tests: namespace ${LAB_PREFIX}dir2 on its own veth to br0, MAC
# 02:00:c6:12:00:03, address 198.18.0.3 (the kernel's, for keepalived; or none,
# for a second lbapp). Source scripts/lab.sh first.
#
#   lab_up ...; lab_vrrp_dir2_up [-]          # "-": no kernel address
#   lab_vrrp_keepalived_conf NAME PRIO STATE [EXTRA_INSTANCE_LINES]
#   lab_vrrp_start_keepalived CONF            # log: $LAB_DIR/keepalived.log
#   lab_vrrp_wait_log FILE REGEX SECONDS      # bounded wait for a log line
#   lab_vrrp_kill_dir2                        # SIGKILL all of dir2, link down
#   lab_vrrp_down                             # before lab_down (trap)

LAB_NS_DIR2=
LAB_KA_LOG=
LAB_DIR2_MAC=02:00:c6:12:00:03
LAB_DIR_MAC=02:00:c6:12:00:02

lab_vrrp_dir2_up() {
	local addr=${1:-$LAB_DIRECTOR2_IP}
	LAB_NS_DIR2=${LAB_PREFIX}dir2
	_lab_ns_add "$LAB_NS_DIR2" || return 1
	_lab_host_add "$LAB_NS_DIR2" dir2 "$addr" "${LAB_DIRECTOR2_IP##*.}" || return 1
	# keepalived's VIP must not be answered for on other interfaces (lo).
	ip netns exec "$LAB_NS_DIR2" sysctl -q -w net.ipv4.conf.all.arp_ignore=1 >/dev/null
}

# lab_vrrp_keepalived_conf INSTANCE PRIO STATE [LINES]: a keepalived.conf for dir2
# (vrid 51, VIP $LAB_VIP, auth PASS "lbapp", advert_int 1 unless LINES change it).
lab_vrrp_keepalived_conf() {
	local name=$1 prio=$2 state=$3 extra=${4:-} gextra=${5:-}
	cat <<CONF
global_defs {
    router_id KA_DIR2
    script_user root
$gextra
}
vrrp_instance $name {
    state $state
    interface eth0
    virtual_router_id ${LAB_VRID:-51}
    priority $prio
    advert_int ${LAB_ADVERT_INT:-1}
    authentication {
        auth_type PASS
        auth_pass ${LAB_AUTH_PASS:-lbapp}
    }
    virtual_ipaddress {
        $LAB_VIP/$LAB_PLEN dev eth0
    }
$extra
}
CONF
}

# lab_vrrp_start_keepalived CONF [NS [TAG]]: keepalived (VRRP only) in NS
# (default dir2), logging to $LAB_DIR/keepalived[TAG].log (appended). Sets
# LAB_KA_PID and LAB_KA_LOG.
lab_vrrp_start_keepalived() {
	local conf=$1 ns=${2:-$LAB_NS_DIR2} tag=${3:-}
	LAB_KA_LOG=$LAB_DIR/keepalived$tag.log
	rm -f "$LAB_DIR/ka$tag.pid" "$LAB_DIR/ka_vrrp$tag.pid" "$LAB_DIR/ka_chk$tag.pid"
	ip netns exec "$ns" keepalived -P -n -l -D -f "$conf" \
		-p "$LAB_DIR/ka$tag.pid" -r "$LAB_DIR/ka_vrrp$tag.pid" \
		-c "$LAB_DIR/ka_chk$tag.pid" >>"$LAB_KA_LOG" 2>&1 </dev/null &
	LAB_KA_PID=$!
}

# lab_vrrp_stop_keepalived: SIGTERM keepalived (clean stop: priority 0), bounded wait.
lab_vrrp_stop_keepalived() {
	local tries
	[[ -n ${LAB_KA_PID:-} ]] || return 0
	kill -TERM "$LAB_KA_PID" 2>/dev/null
	for ((tries = 0; tries < 100; tries++)); do
		kill -0 "$LAB_KA_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$LAB_KA_PID" 2>/dev/null
	wait "$LAB_KA_PID" 2>/dev/null
	LAB_KA_PID=
}

# lab_vrrp_wait_log FILE REGEX SECONDS [FROM_LINE]: wait until a line after
# FROM_LINE (default 0) matches; prints the elapsed ms. Returns 1 on timeout.
lab_vrrp_wait_log() {
	local f=$1 re=$2 secs=$3 from=${4:-0} t0 tries
	t0=$(date +%s%N)
	for ((tries = 0; tries < secs * 50; tries++)); do
		if tail -n +"$((from + 1))" "$f" 2>/dev/null | grep -E -- "$re" >/dev/null; then
			echo $((($(date +%s%N) - t0) / 1000000))
			return 0
		fi
		sleep 0.02
	done
	return 1
}

# lab_vrrp_lines FILE: number of lines so far (for lab_vrrp_wait_log FROM_LINE).
lab_vrrp_lines() {
	if [[ -r $1 ]]; then wc -l <"$1"; else echo 0; fi
}

# lab_vrrp_kill_dir2: the dir2 box dies: SIGKILL everything in it, link down.
lab_vrrp_kill_dir2() {
	local pid
	for pid in $(ip netns pids "$LAB_NS_DIR2" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null
	done
	ip -n "$LAB_NS_DIR2" link set eth0 down
	[[ -n ${LAB_KA_PID:-} ]] && wait "$LAB_KA_PID" 2>/dev/null
	LAB_KA_PID=
}

# lab_vrrp_vip_mac: the MAC that answers ARP for the VIP, asked by the client.
lab_vrrp_vip_mac() {
	ip netns exec "$LAB_NS_CL" arping -c 1 -w 2 -I eth0 "$LAB_VIP" 2>/dev/null |
		grep -oiE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | head -n 1 | tr 'A-F' 'a-f'
}

lab_vrrp_down() {
	local pid tries
	[[ -n $LAB_NS_DIR2 ]] || return 0
	if ip netns list | awk '{print $1}' | grep -x -- "$LAB_NS_DIR2" >/dev/null; then
		for pid in $(ip netns pids "$LAB_NS_DIR2" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null
		done
		for ((tries = 0; tries < 30; tries++)); do
			[[ -z $(ip netns pids "$LAB_NS_DIR2" 2>/dev/null) ]] && break
			sleep 0.1
		done
		for pid in $(ip netns pids "$LAB_NS_DIR2" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$LAB_NS_DIR2" 2>/dev/null
	fi
	LAB_NS_DIR2=
}

# lab_vrrp_lbconf STATE PRIO [INSTANCE_LINES] [GLOBAL_LINES]: the lab lb.conf
# (scripts/lab.sh) with this VRRP state and priority, auth PASS like
# lab_vrrp_keepalived_conf, and extra lines in the instance / global_defs.
lab_vrrp_lbconf() {
	local state=$1 prio=$2 extra=${3:-} gextra=${4:-}
	lab_lbconf | awk -v st="$state" -v pr="$prio" -v ex="$extra" -v gx="$gextra" \
		-v pass="${LAB_AUTH_PASS_LB:-${LAB_AUTH_PASS:-lbapp}}" \
		-v vrid="${LAB_VRID:-51}" -v adv="${LAB_ADVERT_INT:-1}" '
	/^global_defs/ { print; if (gx != "") print gx; next }
	/state MASTER/ { print "    state " st; next }
	/priority 150/ { print "    priority " pr; next }
	/virtual_router_id/ { print "    virtual_router_id " vrid; next }
	/advert_int/ { print "    advert_int " adv; next }
	/virtual_ipaddress \{/ {
		print "    authentication {\n        auth_type PASS\n        auth_pass " pass \
			"\n    }"
		if (ex != "") print ex
	}
	{ print }'
}

# lab_vrrp_capture FILE: capture VRRP on lbapp's switch port (background).
lab_vrrp_capture() {
	ip netns exec "$LAB_NS_SW" tcpdump -i dir -U -w "$1" 'ip proto 112' >/dev/null 2>&1 &
	LAB_CAP_PID=$!
	sleep 0.5
}

lab_vrrp_capture_stop() {
	[[ -n ${LAB_CAP_PID:-} ]] || return 0
	sleep 0.2
	kill -INT "$LAB_CAP_PID" 2>/dev/null
	wait "$LAB_CAP_PID" 2>/dev/null
	LAB_CAP_PID=
}

# lab_vrrp_tshark_check FILE SRC: every VRRP packet from SRC in FILE decodes
# as VRRP with a good checksum (tshark). Prints "N adverts, M good".
lab_vrrp_tshark_check() {
	local f=$1 src=$2 n good
	n=$(tshark -r "$f" -Y "ip.src == $src && ip.proto == 112" 2>/dev/null | wc -l)
	good=$(tshark -r "$f" -Y "ip.src == $src && vrrp && ip.ttl == 255 && ip.dsfield == 0xc0" \
		-T fields -e vrrp.checksum.status 2>/dev/null | grep -c '^1$')
	echo "$n adverts from $src, $good decoded by tshark with a good checksum"
	((n > 0 && n == good))
}
