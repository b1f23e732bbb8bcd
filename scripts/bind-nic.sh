#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bind-nic.sh [-f] [-n] [-d DRIVER] IFACE|PCI...: bind NICs to a DPDK driver
# (default vfio-pci) with dpdk-devbind.py, after safety checks:
#   - refuses the interface carrying the default route (you would lose the
#     machine) unless -f;
#   - refuses an interface that is up with addresses unless -f;
#   - loads the driver module; for vfio-pci checks the IOMMU (or says how to
#     use no-IOMMU mode).
# -n: dry run (checks only, print the dpdk-devbind command).
# mlx5 NICs stay on their kernel driver (bifurcated): nothing to bind.
set -uo pipefail

driver=vfio-pci force=0 dry=0
usage() { sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while getopts "fnd:h" o; do
	case $o in
	f) force=1 ;;
	n) dry=1 ;;
	d) driver=$OPTARG ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
shift $((OPTIND - 1))
(($# > 0)) || { echo "bind-nic.sh: name an interface or PCI address" >&2; usage 2; }
die() { echo "bind-nic.sh: $*" >&2; exit 1; }

default_ifs=$(ip -o route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}')
pcis=()
for arg in "$@"; do
	if [[ $arg =~ ^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$ ]]; then
		pci=$arg
		[[ $pci == ????:* ]] || pci=0000:$pci
		ifc=$(ls "/sys/bus/pci/devices/$pci/net" 2>/dev/null | head -1)
		[[ -e /sys/bus/pci/devices/$pci ]] || die "no PCI device $pci"
	else
		ifc=$arg
		[[ -e /sys/class/net/$ifc ]] || die "no interface $ifc"
		if grep -qxF -- "$ifc" <<<"$default_ifs" && ((!force)); then
			die "$ifc carries the default route: binding it cuts this" \
				"machine off. Use another NIC, or -f if you have console access"
		fi
		pci=$(basename "$(readlink -f "/sys/class/net/$ifc/device" 2>/dev/null)" 2>/dev/null)
		[[ $pci =~ ^[0-9a-f]{4}: ]] || die "$ifc is not a PCI device (virtual interfaces use" \
			"vdevs such as net_af_packet, see drivers-cfg/)"
	fi
	if [[ -n $ifc ]]; then
		if grep -qxF -- "$ifc" <<<"$default_ifs"; then
			((force)) || die "$ifc carries the default route: binding it cuts this" \
				"machine off. Use another NIC, or -f if you have console access"
			echo "bind-nic.sh: warning: $ifc carries the default route (forced)" >&2
		fi
		if [[ -n $(ip -o addr show dev "$ifc" 2>/dev/null) ]] &&
			[[ $(cat "/sys/class/net/$ifc/operstate" 2>/dev/null) == up ]]; then
			((force)) || die "$ifc is up with addresses: take it down first, or -f"
		fi
		drv=$(basename "$(readlink -f "/sys/class/net/$ifc/device/driver" 2>/dev/null)")
		if [[ $drv == mlx5_core ]]; then
			echo "bind-nic.sh: $ifc is mlx5: DPDK uses it on mlx5_core (bifurcated), not bound"
			continue
		fi
	fi
	pcis+=("$pci")
done
((${#pcis[@]})) || exit 0
command -v dpdk-devbind.py >/dev/null || die "dpdk-devbind.py not found (apt-get install dpdk)"
if [[ $driver == vfio-pci ]]; then
	if [[ -z $(ls /sys/kernel/iommu_groups 2>/dev/null) ]] &&
		[[ $(cat /sys/module/vfio/parameters/enable_unsafe_noiommu_mode 2>/dev/null) != Y ]]; then
		echo "bind-nic.sh: warning: no IOMMU groups: enable intel_iommu=on/amd_iommu=on, or" \
			"'modprobe vfio enable_unsafe_noiommu_mode=1' (no DMA protection)" >&2
	fi
fi
if ((dry)); then
	echo "+ modprobe $driver"
	echo "+ dpdk-devbind.py --bind=$driver ${pcis[*]}"
	exit 0
fi
[[ $(id -u) -eq 0 ]] || die "run as root"
modprobe "$driver" || die "cannot load $driver"
dpdk-devbind.py --bind="$driver" "${pcis[@]}" || die "dpdk-devbind.py failed"
dpdk-devbind.py --status-dev net | sed -n '1,20p'
