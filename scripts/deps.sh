# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# deps.sh - the Debian packages lbapp needs to build, test and demo, and one
# function to install the missing ones. Sourced by scripts/demo.sh and
# scripts/test.sh; running it directly ("bash scripts/deps.sh") installs too.

LB_DEPS_PACKAGES=(
	# build
	gcc pkg-config meson ninja-build
	libdpdk-dev dpdk-dev libconfig-dev libpcap-dev libnuma-dev libssl-dev
	# tests (clang + libclang-rt-14-dev: the libFuzzer harness, tests/fuzz)
	libcmocka-dev python3-scapy clang libclang-rt-14-dev
	# lab: real servers, client, namespaces, diagnostics
	nginx-light curl iproute2 ethtool iputils-arping iputils-ping tcpdump procps psmisc
	# VRRP interop peer and advert decoding (tests/e2e/vrrp_*.sh)
	keepalived tshark
)

# lb_deps_missing: print the packages of LB_DEPS_PACKAGES not installed.
lb_deps_missing() {
	local p st
	for p in "${LB_DEPS_PACKAGES[@]}"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) || st=
		[[ $st == installed ]] || echo "$p"
	done
}

# lb_deps_install: install what is missing (apt-get update only then).
# Returns non-zero when something could not be installed.
lb_deps_install() {
	local missing
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: not a Debian system (no dpkg-query); install by hand:" >&2
		echo "  ${LB_DEPS_PACKAGES[*]}" >&2
		return 1
	fi
	mapfile -t missing < <(lb_deps_missing)
	if ((${#missing[@]} == 0)); then
		echo "deps: all ${#LB_DEPS_PACKAGES[@]} packages present"
		return 0
	fi
	if [[ $(id -u) -ne 0 ]]; then
		echo "deps: missing packages (run as root to install): ${missing[*]}" >&2
		return 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || return 1
	apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
	mapfile -t missing < <(lb_deps_missing)
	if ((${#missing[@]})); then
		echo "deps: still missing after install: ${missing[*]}" >&2
		return 1
	fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	lb_deps_install
fi
