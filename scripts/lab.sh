# shellcheck shell=bash disable=SC2034,SC2119,SC2120
# SPDX-License-Identifier: BSD-3-Clause
#
# lab.sh - a network-namespace lab for lbapp. Source it; do not run it.
#
#   client 198.18.0.10 ─┐
#   director .2 (lbapp) ─┼── br0 in the "switch" namespace
#   rs1 .21 (nginx)    ──┤
#   rs2 .22 (nginx)    ──┘          VIP 198.18.0.100 (DR, on the real servers' lo)
#
# Every namespace name starts with the lab prefix (e.g. "lbt1234-"), so labs can
# run side by side; nothing is created in the caller's namespace. The director's
# eth0 is up but has no kernel address: lbapp owns it through the af_packet PMD.
#
# Typical use:
#   source scripts/lab.sh
#   trap lab_down EXIT
#   lab_up "lbt$$-"
#   lab_start_rs
#   lab_write_configs "$LAB_DIR"            # lb.conf (rr over .21/.22) + dpdk.conf
#   lab_start_lbapp build/lbapp "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf"
#   lab_curl -s http://198.18.0.100/
#   lab_stop_lbapp; echo "lbapp exited $?"
#   lab_stats_final "$LAB_LBAPP_LOG"        # "Name value" lines of the last block
#
# Functions return non-zero on failure (they never call exit), print what went
# wrong on stderr, and every wait is bounded in tries and time.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

LAB_CLIENT_IP=198.18.0.10
LAB_DIRECTOR_IP=198.18.0.2
LAB_DIRECTOR2_IP=198.18.0.3
LAB_RS_IPS=(198.18.0.21 198.18.0.22)
LAB_VIP=198.18.0.100
LAB_PLEN=24

# Tunables (seconds).
: "${LAB_READY_TIMEOUT:=60}"
: "${LAB_STOP_TIMEOUT:=15}"

# Lab state, set by lab_up.
LAB_PREFIX=
LAB_DIR=
LAB_NS_SW=
LAB_NS_CL=
LAB_NS_DIR=
LAB_NS_RS=()
LAB_LBAPP_PID=
LAB_LBAPP_LOG=
LAB_LBAPP_RC=

lab_log() {
	[[ ${LAB_QUIET:-0} == 1 ]] || echo "lab: $*" >&2
}

lab_err() {
	echo "lab: ERROR: $*" >&2
	return 1
}

# lab_check_env [TOOL...]: root and the tools every lab needs (plus TOOL...).
lab_check_env() {
	local t missing=()
	if [[ $(id -u) -ne 0 ]]; then
		lab_err "must run as root (network namespaces, veth, sysctl)"
		return 1
	fi
	for t in ip ethtool sysctl nginx curl arping awk "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	if ((${#missing[@]})); then
		lab_err "missing tools: ${missing[*]} (see scripts/deps.sh)"
		return 1
	fi
}

# _lab_mac LAST_OCTET: a fixed, locally administered MAC for a lab host, so that
# captures and logs are readable (02:00:c6:12:00:<octet in hex>).
_lab_mac() {
	printf '02:00:c6:12:00:%02x' "$1"
}

_lab_ns_add() {
	local ns=$1
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up || return 1
	# No IPv6 in the lab: keeps router solicitations, MLD and DAD off the wire.
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
}

# _lab_host_add NS PORT IP|- : a veth from NS's eth0 to PORT on br0.
_lab_host_add() {
	local ns=$1 port=$2 ip=$3 last=$4
	ip -n "$LAB_NS_SW" link add "$port" type veth peer name eth0 netns "$ns" ||
		return 1
	ip -n "$ns" link set eth0 address "$(_lab_mac "$last")" || return 1
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null || return 1
	ip netns exec "$LAB_NS_SW" ethtool -K "$port" tx off >/dev/null || return 1
	ip -n "$LAB_NS_SW" link set "$port" master br0 up || return 1
	if [[ $ip != - ]]; then
		ip -n "$ns" addr add "$ip/$LAB_PLEN" dev eth0 || return 1
	fi
	ip -n "$ns" link set eth0 up || return 1
}

_lab_save_env() {
	local v
	{
		for v in LAB_PREFIX LAB_DIR LAB_NS_SW LAB_NS_CL LAB_NS_DIR LAB_LBAPP_PID \
			LAB_LBAPP_LOG; do
			printf 'declare -g %s=%q\n' "$v" "${!v}"
		done
		printf 'declare -ga LAB_NS_RS=('
		printf '%q ' "${LAB_NS_RS[@]}"
		printf ')\n'
	} >"$LAB_DIR/lab.env"
}

# lab_up PREFIX [WORKDIR]: create the namespaces, bridge and veths. WORKDIR (made
# if absent; default a new /tmp/lbapp-lab.XXXXXX) holds configs, logs, pid files
# and lab.env, which lab_load reads back. Sets LAB_* variables.
lab_up() {
	local prefix=$1 workdir=${2:-} ns i tries
	if [[ -z $prefix || ! $prefix =~ ^[A-Za-z0-9_.-]+$ ]]; then
		lab_err "lab_up: bad prefix '$prefix'"
		return 1
	fi
	if ip netns list | awk '{print $1}' | grep -F -- "$prefix" >/dev/null; then
		lab_err "namespaces with prefix '$prefix' already exist"
		return 1
	fi
	LAB_PREFIX=$prefix
	if [[ -n $workdir ]]; then
		mkdir -p "$workdir" || return 1
		LAB_DIR=$workdir
	else
		LAB_DIR=$(mktemp -d /tmp/lbapp-lab.XXXXXX) || return 1
	fi
	# nginx workers drop privileges and need to reach their files.
	chmod 0755 "$LAB_DIR"
	LAB_NS_SW=${prefix}sw
	LAB_NS_CL=${prefix}cl
	LAB_NS_DIR=${prefix}dir
	LAB_NS_RS=()
	for i in "${!LAB_RS_IPS[@]}"; do
		LAB_NS_RS+=("${prefix}rs$((i + 1))")
	done
	LAB_LBAPP_PID=
	LAB_LBAPP_LOG=
	_lab_save_env

	lab_log "building lab '$prefix' (work dir $LAB_DIR)"
	_lab_ns_add "$LAB_NS_SW" || return 1
	ip -n "$LAB_NS_SW" link add br0 type bridge stp_state 0 || return 1
	# br_netfilter (if loaded) would validate and drop malformed IPv4 frames on
	# the bridge before they reach lbapp: the lab's switch must not filter.
	ip netns exec "$LAB_NS_SW" sysctl -q -w net.bridge.bridge-nf-call-iptables=0 \
		net.bridge.bridge-nf-call-ip6tables=0 net.bridge.bridge-nf-call-arptables=0 \
		>/dev/null 2>&1 || true
	ip -n "$LAB_NS_SW" link set br0 type bridge nf_call_iptables 0 nf_call_ip6tables 0 \
		nf_call_arptables 0 2>/dev/null || true
	ip -n "$LAB_NS_SW" link set br0 up || return 1

	_lab_ns_add "$LAB_NS_CL" || return 1
	_lab_host_add "$LAB_NS_CL" cl "$LAB_CLIENT_IP" "${LAB_CLIENT_IP##*.}" || return 1

	_lab_ns_add "$LAB_NS_DIR" || return 1
	_lab_host_add "$LAB_NS_DIR" dir - "${LAB_DIRECTOR_IP##*.}" || return 1

	for i in "${!LAB_NS_RS[@]}"; do
		ns=${LAB_NS_RS[$i]}
		_lab_ns_add "$ns" || return 1
		_lab_host_add "$ns" "rs$((i + 1))" "${LAB_RS_IPS[$i]}" \
			"${LAB_RS_IPS[$i]##*.}" || return 1
	done

	# Wait (bounded) for every link to have carrier.
	for ((tries = 0; tries < 50; tries++)); do
		_lab_links_up && break
		sleep 0.1
	done
	if ! _lab_links_up; then
		lab_err "lab links did not come up"
		return 1
	fi
	# Client and real servers must see each other over the bridge (ARP).
	for i in "${!LAB_RS_IPS[@]}"; do
		if ! ip netns exec "$LAB_NS_CL" arping -q -c 1 -w 3 -I eth0 \
			"${LAB_RS_IPS[$i]}" >/dev/null 2>&1; then
			lab_err "client gets no ARP reply from ${LAB_RS_IPS[$i]} over the bridge"
			return 1
		fi
	done
	lab_log "lab '$prefix' is up"
}

_lab_links_up() {
	local ns
	for ns in "$LAB_NS_CL" "$LAB_NS_DIR" "${LAB_NS_RS[@]}"; do
		[[ $(ip netns exec "$ns" cat /sys/class/net/eth0/operstate 2>/dev/null) == up ]] ||
			return 1
	done
}

# lab_load WORKDIR: read back the state of a lab made by lab_up (e.g. one left
# running by "demo.sh --keep").
lab_load() {
	local f=$1/lab.env
	if [[ ! -r $f ]]; then
		lab_err "no lab state in $1"
		return 1
	fi
	# shellcheck disable=SC1090
	source "$f"
}

# _lab_nginx_conf INDEX: config of real server INDEX (0-based).
_lab_nginx_conf() {
	local i=$1 d=$LAB_DIR/rs$(($1 + 1)) ip=${LAB_RS_IPS[$1]} m
	cat <<EOF
# nginx for lab real server rs$((i + 1)) ($ip), made by scripts/lab.sh
daemon on;
master_process on;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log notice;

events {
	worker_connections 512;
}

http {
	access_log $d/access.log;
	client_body_temp_path $d/tmp/client_body;
	proxy_temp_path $d/tmp/proxy;
EOF
	# Temp paths exist only for the modules nginx was built with.
	for m in fastcgi uwsgi scgi; do
		if ! nginx -V 2>&1 | grep -- "--without-http_${m}_module" >/dev/null; then
			echo "	${m}_temp_path $d/tmp/$m;"
		fi
	done
	cat <<EOF
	default_type text/plain;
	keepalive_timeout 65;
	keepalive_requests 10000;

	server {
		listen 0.0.0.0:80 default_server;
		server_name _;
		location / {
			return 200 "rs$((i + 1)) $ip\n";
		}
		# Files a test puts in \$LAB_DIR/rsN/data/ (long downloads).
		location /data/ {
			root $d;
		}
	}
}
EOF
}

# lab_rs_body INDEX: the exact body real server INDEX (0-based) serves.
lab_rs_body() {
	echo "rs$(($1 + 1)) ${LAB_RS_IPS[$1]}"
}

# lab_start_rs [VIP...]: on every real server run realserver.sh start (default
# VIP: $LAB_VIP) and start nginx; wait until each answers on its own address.
lab_start_rs() {
	local vips=("$@") i ns d tries body
	((${#vips[@]})) || vips=("$LAB_VIP")
	for i in "${!LAB_NS_RS[@]}"; do
		ns=${LAB_NS_RS[$i]}
		d=$LAB_DIR/rs$((i + 1))
		mkdir -p "$d/tmp" && chmod 0755 "$d" || return 1
		ip netns exec "$ns" "$LAB_ROOT/scripts/realserver.sh" start "${vips[@]}" \
			>"$d/realserver.log" 2>&1 || {
			cat "$d/realserver.log" >&2
			lab_err "realserver.sh start failed in $ns"
			return 1
		}
		_lab_nginx_conf "$i" >"$d/nginx.conf" || return 1
		if ! ip netns exec "$ns" nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf" \
			>"$d/nginx.out" 2>&1; then
			cat "$d/nginx.out" "$d/error.log" >&2 2>/dev/null
			lab_err "nginx did not start in $ns"
			return 1
		fi
	done
	for i in "${!LAB_NS_RS[@]}"; do
		ns=${LAB_NS_RS[$i]}
		for ((tries = 0; tries < 50; tries++)); do
			body=$(ip netns exec "$ns" curl -s --max-time 2 \
				"http://${LAB_RS_IPS[$i]}/" 2>/dev/null) || body=
			[[ $body == "$(lab_rs_body "$i")" ]] && break
			sleep 0.1
		done
		if [[ $body != "$(lab_rs_body "$i")" ]]; then
			lab_err "nginx in $ns does not answer on ${LAB_RS_IPS[$i]}:80"
			return 1
		fi
	done
	lab_log "real servers up: ${LAB_RS_IPS[*]} (VIP ${vips[*]} on lo)"
}

# lab_stop_rs: stop nginx and undo realserver.sh on every real server.
lab_stop_rs() {
	local i ns d pid tries
	for i in "${!LAB_NS_RS[@]}"; do
		ns=${LAB_NS_RS[$i]}
		d=$LAB_DIR/rs$((i + 1))
		if [[ -r $d/nginx.pid ]]; then
			pid=$(cat "$d/nginx.pid" 2>/dev/null)
			if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
				kill -TERM "$pid" 2>/dev/null
				for ((tries = 0; tries < 50; tries++)); do
					kill -0 "$pid" 2>/dev/null || break
					sleep 0.1
				done
				kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
			fi
			rm -f "$d/nginx.pid"
		fi
		if ip netns list | awk '{print $1}' | grep -x -- "$ns" >/dev/null; then
			ip netns exec "$ns" "$LAB_ROOT/scripts/realserver.sh" stop "$LAB_VIP" \
				>/dev/null 2>&1 || true
		fi
		rm -f "/run/lbapp-realserver.$ns.state"
	done
}

# lab_lbconf [W1 W2 [EXTRA_VS_LINES]]: an lb.conf for the lab, MASTER for the VIP,
# rr over the real servers with weights W1, W2 (default 1 1).
lab_lbconf() {
	local w1=${1:-1} w2=${2:-1} extra=${3:-}
	cat <<EOF
! lb.conf for the lbapp lab (scripts/lab.sh)
global_defs {
    router_id LB01
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        $LAB_VIP
    }
}

virtual_server $LAB_VIP 80 {
    delay_loop 6
    lb_algo rr
    lb_kind DR
    protocol TCP
EOF
	[[ -n $extra ]] && printf '    %s\n' "$extra"
	cat <<EOF

    real_server ${LAB_RS_IPS[0]} 80 {
        weight $w1
    }
    real_server ${LAB_RS_IPS[1]} 80 {
        weight $w2
    }
}
EOF
}

# lab_dpdkconf [ADDRESS]: the dpdk.conf for the lab director.
lab_dpdkconf() {
	local addr=${1:-$LAB_DIRECTOR_IP}
	cat <<EOF
# dpdk.conf for the lbapp lab director (scripts/lab.sh)
ports = ( { name = "eth0"; dev = "net_af_packet0"; address = "$addr/$LAB_PLEN"; } );
mbufs = 8191;
conn_table_size = 65536;
EOF
}

# lab_write_configs DIR [LB_CONF_TEXT]: write DIR/lb.conf (default: lab_lbconf)
# and DIR/dpdk.conf.
lab_write_configs() {
	local dir=$1
	mkdir -p "$dir" || return 1
	if [[ $# -ge 2 ]]; then
		printf '%s\n' "$2" >"$dir/lb.conf" || return 1
	else
		lab_lbconf >"$dir/lb.conf" || return 1
	fi
	lab_dpdkconf >"$dir/dpdk.conf" || return 1
}

# lab_start_lbapp EXE LB_CONF DPDK_CONF [APP_ARG...]: start lbapp in the director
# namespace in the background (log: $LAB_DIR/lbapp.log, or LAB_LBAPP_LOG if set
# beforehand), and wait (bounded) for its "lbapp: ready" line. LAB_READY_TIMEOUT
# bounds the wait; LAB_STATS_PERIOD (default 1) is passed as --stats-period.
# LAB_LCORES (default "-l 0-1": one worker) and LAB_AF_PACKET_OPTS (appended to
# the af_packet devargs, e.g. ",qpairs=2") run lbapp with several workers.
lab_start_lbapp() {
	local exe=$1 lbconf=$2 dpdkconf=$3 tries max
	shift 3
	if [[ ! -x $exe ]]; then
		lab_err "lbapp executable '$exe' not found"
		return 1
	fi
	if [[ -n $LAB_LBAPP_PID ]] && kill -0 "$LAB_LBAPP_PID" 2>/dev/null; then
		lab_err "lbapp already running (pid $LAB_LBAPP_PID)"
		return 1
	fi
	[[ -n $LAB_LBAPP_LOG ]] || LAB_LBAPP_LOG=$LAB_DIR/lbapp.log
	LAB_LBAPP_RC=
	: >"$LAB_LBAPP_LOG"
	# lbapp flushes stdout after "ready" and after each statistics block (no
	# stdbuf here: its LD_PRELOAD would come before an ASan runtime).
	# LAB_LBAPP_SETSID=1: own session, so lbapp outlives the caller's terminal.
	local setsid=()
	[[ ${LAB_LBAPP_SETSID:-0} == 1 ]] && setsid=(setsid)
	ip netns exec "$LAB_NS_DIR" "${setsid[@]}" "$exe" \
		${LAB_LCORES:--l 0-1} --no-huge -m 512 --no-pci --file-prefix "${LAB_PREFIX}dpdk" \
		--vdev "net_af_packet0,iface=eth0${LAB_AF_PACKET_OPTS:-}" \
		-- -f "$lbconf" -c "$dpdkconf" --stats-period "${LAB_STATS_PERIOD:-1}" \
		--ctl-socket "$LAB_DIR/lbapp.sock" "$@" \
		>>"$LAB_LBAPP_LOG" 2>&1 </dev/null &
	LAB_LBAPP_PID=$!
	_lab_save_env
	max=$((LAB_READY_TIMEOUT * 10))
	for ((tries = 0; tries < max; tries++)); do
		if grep -q '^lbapp: ready' "$LAB_LBAPP_LOG"; then
			lab_log "lbapp ready (pid $LAB_LBAPP_PID, log $LAB_LBAPP_LOG)"
			return 0
		fi
		if ! kill -0 "$LAB_LBAPP_PID" 2>/dev/null; then
			wait "$LAB_LBAPP_PID" 2>/dev/null
			LAB_LBAPP_RC=$?
			LAB_LBAPP_PID=
			_lab_save_env
			lab_err "lbapp exited with status $LAB_LBAPP_RC before ready; its log:"
			sed 's/^/  | /' "$LAB_LBAPP_LOG" >&2
			return 1
		fi
		sleep 0.1
	done
	lab_err "lbapp not ready after ${LAB_READY_TIMEOUT}s; its log:"
	tail -n 50 "$LAB_LBAPP_LOG" | sed 's/^/  | /' >&2
	return 1
}

# lab_lbctl ARG...: lbctl against the lab's lbapp ($LAB_DIR/lbapp.sock). LBCTL
# names the executable (default: build/lbctl next to the lbapp given to
# lab_start_lbapp).
lab_lbctl() {
	"${LBCTL:-$LAB_ROOT/build/lbctl}" -s "$LAB_DIR/lbapp.sock" "$@"
}

# lab_lbapp_alive: 0 when the lbapp started by lab_start_lbapp still runs.
lab_lbapp_alive() {
	[[ -n $LAB_LBAPP_PID ]] && kill -0 "$LAB_LBAPP_PID" 2>/dev/null
}

# lab_stop_lbapp [SIGNAL]: SIGTERM (or SIGNAL) to lbapp, wait (bounded), and
# return its exit status (also in LAB_LBAPP_RC). After LAB_STOP_TIMEOUT seconds
# it is killed with SIGKILL and 124 is returned.
lab_stop_lbapp() {
	local sig=${1:-TERM} pid=$LAB_LBAPP_PID tries max rc
	if [[ -z $pid ]]; then
		lab_err "lbapp is not running"
		return 1
	fi
	kill -"$sig" "$pid" 2>/dev/null
	max=$((LAB_STOP_TIMEOUT * 10))
	for ((tries = 0; tries < max; tries++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		lab_err "lbapp (pid $pid) still running ${LAB_STOP_TIMEOUT}s after SIG$sig: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		rc=124
	else
		wait "$pid" 2>/dev/null
		rc=$?
	fi
	LAB_LBAPP_PID=
	LAB_LBAPP_RC=$rc
	[[ -n $LAB_DIR && -d $LAB_DIR ]] && _lab_save_env
	return "$rc"
}

# lab_stats_final LOGFILE: the counters of the last statistics block in an lbapp
# log, one "Name value" line each. A block starts at a line matching
# LAB_STATS_START_RE. Counters of the per-port sections ("NIC statistics for
# port N", testpmd's format) are summed over the ports and named "port.NAME"
# (port.RX-packets, port.TX-packets, ...); the others (per worker lcore
# datapath sections, control section) are summed over the workers and keep
# their plain names (Hits, New-flows, Drop-bad_ihl, ...).
: "${LAB_STATS_START_RE:=NIC statistics for port 0([^0-9]|$)}"
lab_stats_final() {
	local log=$1
	[[ -r $log ]] || {
		lab_err "no log $log"
		return 1
	}
	awk -v start_re="$LAB_STATS_START_RE" '
	$0 ~ start_re { delete v; n = 0; inblock = 1 }
	!inblock { next }
	# A section header: a rule of #, =, + or - with a title in it.
	/^[ \t]*[#=+-][#=+-][#=+-].*[A-Za-z]/ {
		pfx = ($0 ~ /NIC statistics/) ? "port." : ""
		next
	}
	{
		line = $0
		while (match(line, /[A-Za-z][A-Za-z0-9_-]*:[ \t]*[0-9]+/)) {
			kv = substr(line, RSTART, RLENGTH)
			line = substr(line, RSTART + RLENGTH)
			k = kv; sub(/:.*/, "", k); k = pfx k
			val = kv; sub(/^[^:]*:[ \t]*/, "", val)
			if (!(k in v)) order[++n] = k
			v[k] += val
		}
	}
	END { for (i = 1; i <= n; i++) print order[i], v[order[i]] }
	' "$log"
}

# lab_stat NAME [LOGFILE]: one counter of lab_stats_final (default log: lbapp's).
# Prints nothing and returns 1 when the last block has no such counter.
lab_stat() {
	local name=$1 log=${2:-$LAB_LBAPP_LOG}
	lab_stats_final "$log" | awk -v k="$name" '$1 == k { print $2; f = 1 } END { exit !f }'
}

# lab_stat_sum_drops [LOGFILE]: the sum of all Drop-* counters of the last block.
lab_stat_sum_drops() {
	local log=${1:-$LAB_LBAPP_LOG}
	lab_stats_final "$log" | awk '$1 ~ /^Drop-/ { s += $2 } END { print s + 0 }'
}

# lab_curl ARG...: curl from the client namespace.
lab_curl() {
	ip netns exec "$LAB_NS_CL" curl "$@"
}

# lab_ns_exec WHICH CMD...: run CMD in the lab namespace WHICH (cl, dir, sw,
# rs1, rs2 ...).
lab_ns_exec() {
	local which=$1
	shift
	ip netns exec "${LAB_PREFIX}${which}" "$@"
}

# lab_director_mac: the MAC of the director's eth0 (the af_packet port's MAC).
lab_director_mac() {
	ip netns exec "$LAB_NS_DIR" cat /sys/class/net/eth0/address
}

# lab_body_index BODY: the 0-based index of the real server whose page is BODY,
# or -1.
lab_body_index() {
	local i
	for i in "${!LAB_RS_IPS[@]}"; do
		if [[ $1 == "$(lab_rs_body "$i")" ]]; then
			echo "$i"
			return 0
		fi
	done
	echo -1
}

# lab_dump: print what helps to debug a failed run (lbapp's log tail, nginx logs).
lab_dump() {
	local i d
	echo "---- lab $LAB_PREFIX diagnostics ----" >&2
	if [[ -n $LAB_LBAPP_LOG && -r $LAB_LBAPP_LOG ]]; then
		echo "---- lbapp log (last 80 lines of $LAB_LBAPP_LOG) ----" >&2
		tail -n 80 "$LAB_LBAPP_LOG" >&2
	fi
	for i in "${!LAB_NS_RS[@]}"; do
		d=$LAB_DIR/rs$((i + 1))
		if [[ -s $d/error.log ]]; then
			echo "---- nginx rs$((i + 1)) error.log (tail) ----" >&2
			tail -n 10 "$d/error.log" >&2
		fi
	done
	if [[ -n $LAB_NS_CL ]]; then
		echo "---- client neighbours ----" >&2
		ip -n "$LAB_NS_CL" neigh show >&2 2>/dev/null
	fi
	echo "-------------------------------------" >&2
}

# lab_down: tear everything down (lbapp, nginx, namespaces, DPDK runtime dir,
# work dir unless LAB_KEEP_DIR=1). Safe to call twice and from a trap.
lab_down() {
	local ns pid tries
	[[ -n $LAB_PREFIX ]] || return 0
	if [[ -n $LAB_LBAPP_PID ]] && kill -0 "$LAB_LBAPP_PID" 2>/dev/null; then
		LAB_STOP_TIMEOUT=${LAB_STOP_TIMEOUT:-15} lab_stop_lbapp >/dev/null 2>&1 || true
	fi
	lab_stop_rs
	for ns in "$LAB_NS_CL" "$LAB_NS_DIR" "${LAB_NS_RS[@]}" "$LAB_NS_SW"; do
		[[ -n $ns ]] || continue
		ip netns list | awk '{print $1}' | grep -x -- "$ns" >/dev/null || continue
		# Anything else still running in a lab namespace was started by this lab.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null
		done
		for ((tries = 0; tries < 30; tries++)); do
			[[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break
			sleep 0.1
		done
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null || lab_log "could not delete namespace $ns"
	done
	rm -rf "/var/run/dpdk/${LAB_PREFIX}dpdk"
	if [[ -n $LAB_DIR && -d $LAB_DIR && ${LAB_KEEP_DIR:-0} != 1 ]]; then
		rm -rf "$LAB_DIR"
	fi
	lab_log "lab '$LAB_PREFIX' removed"
	LAB_PREFIX=
}

# lab_e2e_init EXE [TOOL...]: common start of an e2e test: check root, tools and
# the lbapp executable; on failure print why and return 1 (tests then exit 1:
# an e2e test that cannot run fails, it is never skipped).
lab_e2e_init() {
	local exe=${1:-}
	shift || true
	if [[ -z $exe ]]; then
		lab_err "usage: $0 PATH-TO-LBAPP"
		return 1
	fi
	if [[ ! -x $exe ]]; then
		lab_err "lbapp executable '$exe' not found or not executable"
		return 1
	fi
	lab_check_env "$@" || return 1
}

# lab_e2e_start PREFIX EXE [LB_CONF_TEXT]: lab_up, real servers, configs and
# lbapp, as most e2e tests need them.
lab_e2e_start() {
	local prefix=$1 exe=$2
	shift 2
	lab_up "$prefix" || return 1
	lab_start_rs || return 1
	lab_write_configs "$LAB_DIR" "$@" || return 1
	lab_start_lbapp "$exe" "$LAB_DIR/lb.conf" "$LAB_DIR/dpdk.conf" || return 1
}

# lab_get_vip [CURL_ARG...]: one HTTP GET of the VIP from the client over a new
# connection. Prints "BODY|NUM_CONNECTS|HTTP_CODE" (body without its newline);
# returns curl's status.
lab_get_vip() {
	local out rc
	out=$(lab_curl -s -S --max-time 5 -w '|%{num_connects}|%{http_code}' "$@" \
		"http://$LAB_VIP/" 2>&1)
	rc=$?
	printf '%s\n' "${out//$'\n'/}"
	return "$rc"
}

# lab_print_final_stats: print lbapp's final statistics (after it exited).
lab_print_final_stats() {
	echo "lbapp final counters:"
	lab_stats_final "$LAB_LBAPP_LOG" | awk '{ printf "  %-20s %s\n", $1, $2 }'
}
