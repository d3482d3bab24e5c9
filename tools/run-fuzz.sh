#!/bin/sh
# Runs every libFuzzer target of a build for SECONDS each (wall clock), one
# after the other (two shared cores: never in parallel), starting from its
# seeds in tests/fuzz/<name>_seeds and a corpus kept in BUILD/fuzz/corpus/<name>
# (the seeds stay read-only). Prints per target the runs made, the CPU seconds
# they took (less than SECONDS on a loaded machine) and whether a crash was
# found; a crash's input is left in BUILD/fuzz/artifacts/ and the exit status
# is 1. Usage: tools/run-fuzz.sh BUILD [SECONDS] [TARGET...]
set -u
build=$1
seconds=${2:-60}
shift $(($# >= 2 ? 2 : $#))
src=$(cd "$(dirname "$0")/.." && pwd)
bins=$build/tests/fuzz
if [ $# -eq 0 ]; then
    set -- $(cd "$bins" && ls fuzz_* 2>/dev/null | grep -v '\.' | sort)
fi
mkdir -p "$build/fuzz/artifacts"
failed=0

# cpu_now sets $cpu to the CPU seconds (user + system) of the children
# reaped so far. `times` must run in this shell: in a command substitution
# it would report only the subshell's children.
times_file=$build/fuzz/times
cpu_now() {
    times >"$times_file"
    cpu=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/);
        n += t[1] * 60 + t[2] } printf "%d", n }' "$times_file")
}

# libFuzzer's -timeout is wall-clock time: on a loaded machine a starved
# run can pass it with an ordinary input. A timeout whose input, run again
# alone, ends well within the limit is reported as such, not as a hang.
timeout=10
replays_quickly() {
    case $2 in *timeout-*) ;; *) return 1 ;; esac
    timeout $((timeout * 3)) "$bins/$1" -timeout="$timeout" "$2" >/dev/null 2>&1
}

for name in "$@"; do
    corpus=$build/fuzz/corpus/$name
    mkdir -p "$corpus"
    seeds=$src/tests/fuzz/${name#fuzz_}_seeds
    [ -d "$seeds" ] || seeds=
    log=$build/fuzz/$name.log
    cpu_now
    cpu_before=$cpu
    # -timeout: an input running 10 s is a hang (libFuzzer reports it and
    # leaves the input); max_total_time alone is checked only between inputs
    "$bins/$name" -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 \
        -artifact_prefix="$build/fuzz/artifacts/$name-" "$corpus" $seeds >"$log" 2>&1
    status=$?
    cpu_now
    cpu=$((cpu - cpu_before))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    artifact=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" | head -n 1)
    if [ $status -ne 0 ] && replays_quickly "$name" "$artifact"; then
        echo "$name: stopped after ${runs:-?} runs (${cpu} s of CPU): an input ran past" \
            "${timeout} s of wall time and, run again, ends within it: the machine was busy, not a hang"
        rm -f "$artifact"
    elif [ $status -eq 0 ]; then
        echo "$name: ${runs:-?} runs in ${seconds} s (${cpu} s of CPU), no crash"
    else
        failed=1
        echo "$name: CRASH after ${runs:-?} runs (${cpu} s of CPU): ${artifact:-see $log}"
        grep -m 3 -E 'ERROR|runtime error|deadly signal' "$log" | sed 's/^/    /'
    fi
done
exit $failed
