#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# setup-hugepages.sh [-s 2M|1G] [-p] PAGES: reserve hugepages for lbapp and
# mount hugetlbfs on /dev/hugepages.
#   -s SIZE   page size (default 2M)
#   -p        persistent: vm.nr_hugepages in /etc/sysctl.d/80-lbapp.conf (2M
#             pages) and a hugetlbfs line in /etc/fstab when missing. 1G pages
#             are reserved at boot only: the kernel command line line to add
#             is printed.
#   -n        dry run: print what would be done.
set -euo pipefail

size=2M persist=0 dry=0
usage() { sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while getopts "s:pnh" o; do
	case $o in
	s) size=$OPTARG ;;
	p) persist=1 ;;
	n) dry=1 ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 1 && $1 =~ ^[0-9]+$ ]] || { echo "setup-hugepages.sh: give a page count" >&2; usage 2; }
pages=$1
case $size in
2M) kb=2048 ;;
1G) kb=1048576 ;;
*) echo "setup-hugepages.sh: size must be 2M or 1G" >&2; exit 2 ;;
esac
run() { if ((dry)); then echo "+ $*"; else "$@"; fi; }
[[ $dry == 1 || $(id -u) -eq 0 ]] || { echo "setup-hugepages.sh: run as root" >&2; exit 1; }

sys=/sys/kernel/mm/hugepages/hugepages-${kb}kB/nr_hugepages
[[ -e $sys ]] || { echo "setup-hugepages.sh: the kernel has no $size pages ($sys)" >&2; exit 1; }
if ((dry)); then
	echo "+ echo $pages > $sys"
else
	echo "$pages" >"$sys"
	got=$(cat "$sys")
	((got >= pages)) || echo "setup-hugepages.sh: warning: only $got of $pages $size pages" \
		"reserved (memory fragmented: reserve at boot with -p)" >&2
fi
run mkdir -p /dev/hugepages
if ! mountpoint -q /dev/hugepages; then
	run mount -t hugetlbfs -o "pagesize=$size" nodev /dev/hugepages
fi
if ((persist)); then
	if [[ $size == 2M ]]; then
		if ((dry)); then echo "+ echo vm.nr_hugepages = $pages > /etc/sysctl.d/80-lbapp.conf"
		else echo "vm.nr_hugepages = $pages" >/etc/sysctl.d/80-lbapp.conf; fi
	else
		echo "1G pages: add 'default_hugepagesz=1G hugepagesz=1G hugepages=$pages' to the" \
			"kernel command line (GRUB_CMDLINE_LINUX) and update-grub"
	fi
	if ! grep -qs '^[^#]*[[:space:]]/dev/hugepages[[:space:]]' /etc/fstab; then
		if ((dry)); then echo "+ append hugetlbfs to /etc/fstab"
		else echo "nodev /dev/hugepages hugetlbfs pagesize=$size 0 0" >>/etc/fstab; fi
	fi
fi
((dry)) || grep -E 'HugePages_(Total|Free)|Hugepagesize' /proc/meminfo
