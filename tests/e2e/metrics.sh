#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# metrics.sh LBAPP: after 10 connections through the VIP, the Prometheus text
# on 127.0.0.1:9464 (the director namespace's loopback) and the /lb/...
# rte_telemetry commands (read with dpdk-telemetry.py) are parsed and checked.

set -u -o pipefail
# shellcheck source=scripts/lab.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../scripts/lab.sh"

LBAPP=${1:-}
PY=/usr/bin/python3

fail() {
	echo "FAIL: $*" >&2
	lab_dump
	exit 1
}

lab_e2e_init "$LBAPP" dpdk-telemetry.py || exit 1
trap lab_down EXIT
trap 'exit 130' INT TERM
lab_e2e_start "lbt$$-" "$LBAPP" || fail "lab setup"

for ((i = 0; i < 10; i++)); do
	out=$(lab_get_vip) || fail "request $i: $out"
done
grep -q 'Prometheus metrics on http://127.0.0.1:9464/metrics' "$LAB_LBAPP_LOG" ||
	fail "no metrics line in the log"

lab_ns_exec dir curl -s -S --max-time 5 -o "$LAB_DIR/metrics.txt" \
	-w '%{http_code} %{content_type}\n' http://127.0.0.1:9464/metrics >"$LAB_DIR/http.out" ||
	fail "GET /metrics failed"
echo "GET /metrics: $(cat "$LAB_DIR/http.out"), $(wc -l <"$LAB_DIR/metrics.txt") lines"
grep -q '^200 text/plain; version=0.0.4' "$LAB_DIR/http.out" || fail "bad status/content type"
code=$(lab_ns_exec dir curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9464/nope)
[[ $code == 404 ]] || fail "GET /nope: $code, expected 404"

"$PY" - "$LAB_DIR/metrics.txt" "$LAB_VIP" "${LAB_RS_IPS[@]}" <<'PYEOF' || fail "Prometheus checks"
import re, sys
text = open(sys.argv[1]).read()
vip, rs1, rs2 = sys.argv[2:5]
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"'
                     r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)\})? (-?[0-9.e+]+)$')
samples, types = {}, {}
for ln in text.splitlines():
    if ln.startswith('# TYPE '):
        _, _, name, t = ln.split(' ')
        types[name] = t
        continue
    if ln.startswith('# HELP ') or not ln:
        continue
    m = line_re.match(ln)
    assert m, 'bad exposition line: %r' % ln
    labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"', m.group(3) or ''))
    samples.setdefault(m.group(1), []).append((labels, float(m.group(5))))
for name, t in types.items():
    if t == 'counter':
        assert name.startswith('lbapp_') and name.endswith('_total'), name
def get(name, **want):
    vals = [v for l, v in samples.get(name, []) if all(l.get(k) == w for k, w in want.items())]
    assert vals, 'no %s %s' % (name, want)
    return sum(vals)
assert get('lbapp_vs_connections_total', vip=vip, port='80', proto='tcp') == 10
assert get('lbapp_vs_packets_total', vip=vip) >= 30
assert get('lbapp_vs_bytes_total', vip=vip) > 0
assert get('lbapp_rs_connections_total', rs=rs1) == 5
assert get('lbapp_rs_connections_total', rs=rs2) == 5
assert get('lbapp_rs_packets_total', rs=rs1) > 0 and get('lbapp_rs_bytes_total', rs=rs2) > 0
assert get('lbapp_rs_weight', rs=rs1) == 1 and get('lbapp_rs_up', rs=rs2) == 1
assert get('lbapp_vrrp_state', instance='VI_1', state='MASTER') == 1
assert get('lbapp_vrrp_state', instance='VI_1', state='BACKUP') == 0
assert get('lbapp_vrrp_priority', instance='VI_1') == 150
assert get('lbapp_port_rx_packets_total', port='eth0') >= 30
assert get('lbapp_port_tx_packets_total', port='eth0') >= 30
get('lbapp_port_rx_missed_total', port='eth0')
reasons = {l['reason'] for l, _ in samples['lbapp_lcore_drops_total']}
assert {'not_syn', 'bad_ihl', 'no_neigh', 'tx_full'} <= reasons, reasons
assert get('lbapp_lcore_new_flows_total', worker='0') == 10
assert types['lbapp_rs_active_connections'] == 'gauge'
print('prometheus: %d metrics, %d samples ok' % (len(samples), sum(map(len, samples.values()))))
PYEOF

# rte_telemetry through DPDK's own client.
printf '/\n/lb/services\n/lb/real_servers\n/lb/vrrp\n/lb/lcores\n' |
	timeout 20 dpdk-telemetry.py -f "${LAB_PREFIX}dpdk" >"$LAB_DIR/tel.out" 2>&1 ||
	{ cat "$LAB_DIR/tel.out"; fail "dpdk-telemetry.py failed"; }
"$PY" - "$LAB_DIR/tel.out" "$LAB_VIP" "${LAB_RS_IPS[@]}" <<'PYEOF' || { cat "$LAB_DIR/tel.out"; fail "telemetry checks"; }
import json, sys
vip, rs1, rs2 = sys.argv[2:5]
docs = {}
for ln in open(sys.argv[1]):
    ln = ln.strip()
    if ln.startswith('{'):
        d = json.loads(ln)
        docs.update(d)
for c in ('/lb/services', '/lb/real_servers', '/lb/vrrp', '/lb/lcores'):
    assert c in docs.get('/', []), '%s not listed in /' % c
s = docs['/lb/services']
assert list(s) == ['vs0'], s
s = s['vs0']
assert s['address'] == vip and s['port'] == 80 and s['protocol'] == 'tcp', s
assert s['conns'] == 10 and s['scheduler'] == 'rr' and s['real_servers'] == 2, s
r = {x['address']: x for x in docs['/lb/real_servers'].values()}
assert r[rs1]['conns'] == 5 and r[rs1]['virtual_server'] == vip and r[rs1]['port'] == 80, r
assert r[rs2]['state'] == 'up' and r[rs2]['weight'] == 1, r
v = docs['/lb/vrrp']['VI_1']
assert v['state'] == 'MASTER' and v['priority'] == 150 and v['vrid'] == 51, v
w = docs['/lb/lcores']['worker0']
assert w['new_flows'] == 10 and 'drop_not_syn' in w and w['rx'] >= 30, w
print("telemetry: 4 commands ok")
PYEOF

lab_lbapp_alive || fail "lbapp died"
rc=0
lab_stop_lbapp || rc=$?
((rc == 0)) || fail "lbapp exit status $rc"
echo "PASS"
