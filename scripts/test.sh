#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test.sh - everything CI runs, from a fresh Debian machine, as root:
#   1. install missing Debian packages (scripts/deps.sh);
#   2. build "build" (meson setup if absent, else reuse) and run every suite
#      (unit, datapath, e2e) one test at a time;
#   3. build "build-asan" with ASan+UBSan and run the unit, datapath and cfg suites;
#   3b. build "build-fuzz" (CC=clang, -Dfuzz=true) and run the lb.conf parser
#      under libFuzzer + ASan + UBSan for FUZZ_SECONDS (default 60), seeded with
#      tests/configs: one counted test, a finding is a failure;
#   4. count the results of both runs from meson-logs/testlog.json and end with
#      one line "N passed, N failed". SKIP, TIMEOUT, ERROR count as failed; a
#      build that fails counts as one failure. Exit 0 only when nothing failed.
#
# Environment: NINJA_JOBS=N limits ninja's parallelism; TEST_SKIP_DEPS=1 skips
# step 1 (packages known present); TEST_NO_ASAN=1 skips step 3 (counted as one
# failure: no silent skips).

set -uo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." || exit 1
ROOT=$PWD
# shellcheck source=scripts/deps.sh
source "$ROOT/scripts/deps.sh"

PY=/usr/bin/python3
[[ -x $PY ]] || PY=python3
NINJA_ARGS=()
[[ -n ${NINJA_JOBS:-} ]] && NINJA_ARGS=(-j "$NINJA_JOBS")

passed=0
failed=0

say() {
	printf '\n==== %s ====\n' "$*"
}

finish() {
	echo
	echo "$passed passed, $failed failed"
	((failed == 0))
	exit
}

# count_log BUILD_DIR: add the results of BUILD_DIR's testlog.json to the totals.
# A missing or empty log counts as one failure (the tests did not run).
count_log() {
	local log=$1/meson-logs/testlog.json counts
	if [[ ! -s $log ]]; then
		echo "test.sh: no test results in $log" >&2
		failed=$((failed + 1))
		return
	fi
	counts=$("$PY" - "$log" <<'EOF'
import json
import sys

ok = bad = 0
bad_names = []
with open(sys.argv[1]) as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        try:
            t = json.loads(line)
        except ValueError:
            bad += 1
            bad_names.append("(unreadable testlog line)")
            continue
        if t.get("result") in ("OK", "EXPECTEDFAIL"):
            ok += 1
        else:
            bad += 1
            bad_names.append("%s: %s" % (t.get("name"), t.get("result")))
for n in bad_names:
    print("  not passed: " + n, file=sys.stderr)
print(ok, bad)
EOF
	) || counts="0 1"
	read -r p f <<<"$counts"
	echo "$1: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
}

# build DIR [MESON_SETUP_OPTION...]: configure if needed, then ninja.
build() {
	local dir=$1
	shift
	if [[ ! -f $dir/build.ninja ]]; then
		meson setup "$dir" "$@" || return 1
	fi
	ninja -C "$dir" "${NINJA_ARGS[@]}"
}

if [[ ${TEST_SKIP_DEPS:-0} != 1 ]]; then
	say "dependencies"
	if ! lb_deps_install; then
		echo "test.sh: cannot install the dependencies" >&2
		failed=$((failed + 1))
		finish
	fi
fi
if [[ $(id -u) -ne 0 ]]; then
	echo "test.sh: the e2e suite needs root; running anyway (those tests will fail)" >&2
fi

# 1: the normal build and every suite.
say "build"
if build build; then
	say "tests (unit, datapath, e2e)"
	rm -f build/meson-logs/testlog.json
	meson test -C build --print-errorlogs --num-processes 1
	count_log build
else
	echo "test.sh: build failed" >&2
	failed=$((failed + 1))
fi

# 2: sanitizers on the unit and datapath suites.
if [[ ${TEST_NO_ASAN:-0} == 1 ]]; then
	echo "test.sh: sanitizer run disabled (TEST_NO_ASAN=1): counted as a failure" >&2
	failed=$((failed + 1))
else
	say "build-asan (address, undefined)"
	if build build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
		say "tests under sanitizers (unit, datapath)"
		rm -f build-asan/meson-logs/testlog.json
		# DPDK 22.11 needs no ASAN_OPTIONS here: EAL init and cleanup, mempools,
		# rings and the net_null, net_pcap and af_packet PMDs leave nothing
		# LeakSanitizer reports, so leak detection stays on. UBSan only warns by
		# default: halt_on_error makes a finding fail the test.
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
			meson test -C build-asan --suite unit --suite datapath --suite cfg \
			--print-errorlogs --num-processes 1
		count_log build-asan
	else
		echo "test.sh: sanitizer build failed" >&2
		failed=$((failed + 1))
	fi
fi

# 3: the lb.conf parser under libFuzzer (ASan+UBSan), seeded with the config corpus.
say "build-fuzz (libFuzzer, address, undefined): fuzz_cfg for ${FUZZ_SECONDS:-60} s"
if { [[ -f build-fuzz/build.ninja ]] || CC=clang meson setup build-fuzz -Dfuzz=true; } &&
	ninja -C build-fuzz "${NINJA_ARGS[@]}" tests/fuzz/fuzz_cfg; then
	fuzz_corpus=$(mktemp -d /tmp/lbapp-fuzz.XXXXXX)
	cp tests/configs/*.conf tests/configs/*/*.conf "$fuzz_corpus"/
	if timeout $(( ${FUZZ_SECONDS:-60} + 120 )) build-fuzz/tests/fuzz/fuzz_cfg \
		-max_total_time="${FUZZ_SECONDS:-60}" -max_len=4096 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$ROOT/build-fuzz/" -print_final_stats=1 \
		"$fuzz_corpus" >build-fuzz/fuzz_cfg.log 2>&1; then
		echo "fuzz_cfg: no finding ($(grep -m1 -o 'Done [0-9]* runs' build-fuzz/fuzz_cfg.log))"
		passed=$((passed + 1))
	else
		echo "test.sh: fuzz_cfg found a problem (build-fuzz/fuzz_cfg.log, build-fuzz/crash-*)" >&2
		grep -m1 -A20 'ERROR:' build-fuzz/fuzz_cfg.log >&2
		failed=$((failed + 1))
	fi
	rm -rf "$fuzz_corpus"
else
	echo "test.sh: fuzz build failed" >&2
	failed=$((failed + 1))
fi

finish
