#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# deploy.sh: the deployment scripts' safety checks and outputs, in a private
# network namespace (dry runs only: nothing is bound, mounted or filtered).
set -u -o pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
S=$ROOT/scripts
ns=lbdeploy$$
failed=0
ok() { echo "ok: $1"; }
ko() { echo "NOT OK: $1" >&2; failed=$((failed + 1)); }
trap 'ip netns del $ns 2>/dev/null' EXIT

ip netns add "$ns" || { echo "FAIL: cannot create a namespace (root?)" >&2; exit 1; }
ip -n "$ns" link add up0 type veth peer name up1 && ip -n "$ns" link set up1 up &&
	ip -n "$ns" link set up0 up &&
	ip -n "$ns" addr add 198.18.9.2/24 dev up0 && ip -n "$ns" route add default via 198.18.9.1 ||
	{ echo "FAIL: namespace setup" >&2; exit 1; }
out=$(ip netns exec "$ns" "$S/bind-nic.sh" -n up0 2>&1)
rc=$?
[[ $rc -ne 0 && $out == *"carries the default route"* ]] && ok "bind-nic refuses the default route interface" ||
	ko "bind-nic on the default route interface: rc $rc: $out"
out=$(ip netns exec "$ns" "$S/bind-nic.sh" -n -f up0 2>&1)
[[ $out == *"not a PCI device"* ]] && ok "bind-nic -f passes the route check (a veth is not PCI)" ||
	ko "bind-nic -f: $out"
out=$("$S/bind-nic.sh" -n nosuchif0 2>&1)
[[ $? -ne 0 && $out == *"no interface nosuchif0"* ]] && ok "bind-nic unknown interface" || ko "bind-nic unknown: $out"
"$S/bind-nic.sh" >/dev/null 2>&1
[[ $? -eq 2 ]] && ok "bind-nic without argument: usage, exit 2" || ko "bind-nic without argument"

out=$("$S/firewall-vrrp.sh" -n -b nftables -i eth0 80 53/udp)
grep -q 'iifname "eth0" ip daddr 224.0.0.18 ip protocol vrrp accept' <<<"$out" &&
	grep -q 'tcp dport 80 accept' <<<"$out" && grep -q 'udp dport 53 accept' <<<"$out" &&
	ok "firewall-vrrp nftables rules" || ko "firewall-vrrp nftables: $out"
if command -v nft >/dev/null; then
	ip netns exec "$ns" nft -c -f - <<<"$out" && ok "nft -c accepts the rules" || ko "nft -c rejects the rules"
fi
out=$("$S/firewall-vrrp.sh" -n -b firewalld 80)
grep -q 'protocol value="vrrp" accept' <<<"$out" && grep -q -- '--add-port=80/tcp' <<<"$out" &&
	ok "firewall-vrrp firewalld commands" || ko "firewall-vrrp firewalld: $out"
"$S/firewall-vrrp.sh" -n 80x >/dev/null 2>&1
[[ $? -eq 2 ]] && ok "firewall-vrrp bad port: exit 2" || ko "firewall-vrrp bad port"

out=$("$S/setup-hugepages.sh" -n -p 64 2>&1)
grep -q 'echo 64 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' <<<"$out" &&
	grep -q 'vm.nr_hugepages = 64' <<<"$out" && ok "setup-hugepages dry run" || ko "setup-hugepages: $out"
"$S/setup-hugepages.sh" -n -s 3M 4 >/dev/null 2>&1
[[ $? -eq 2 ]] && ok "setup-hugepages bad size: exit 2" || ko "setup-hugepages bad size"

unit=$ROOT/systemd/lbapp.service.in
for k in 'Requires=dev-hugepages.mount' 'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' \
	'EnvironmentFile=-/etc/lbapp/lbapp.env'; do
	grep -qxF "$k" "$unit" && ok "unit: $k" || ko "unit lacks $k"
done
((failed == 0)) || { echo "FAIL: $failed checks" >&2; exit 1; }
echo PASS
