#!/usr/bin/env bash
# Runs a test command (swift test, or the test bundle) and stops it after LIMIT
# seconds. A test that hangs then fails its phase within minutes, and this names
# the tests that started and did not finish, instead of holding CI until its 90
# minutes run out with nothing said about where.
#   deploy/run-with-limit.sh LIMIT COMMAND [ARGUMENT...]
# Exits with the command's status; 124 when the time ran out.
set -uo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 LIMIT-SECONDS COMMAND [ARGUMENT...]" >&2; exit 2; fi
limit=$1
shift
copy=$(mktemp)
trap 'rm -f "$copy"' EXIT
# timeout signals the command's whole process group: swift test and the bundle it runs.
# stdbuf makes their output line-buffered (inherited through LD_PRELOAD): into a pipe it
# is otherwise kept in blocks, and a stopped process's last lines, those saying which
# tests ended, would be lost with it.
timeout --kill-after=30 "$limit" stdbuf -oL -eL "$@" 2>&1 | tee "$copy"
status=${PIPESTATUS[0]}
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "==> stopped after ${limit} s: $*"
  echo "==> tests started and not reported finished:"
  # Swift Testing prints `◇ Test "NAME" started.` and then `✔`/`✘ Test "NAME" passed|failed after …`.
  # Colours off first: the test bundle run on its own colours its symbols.
  sed -E 's/\x1b\[[0-9;]*m//g' "$copy" > "$copy.plain"
  grep -v -e '^◇ Test case ' -e '^◇ Test run started' "$copy.plain" | sed -En 's/^◇ Test (.*) started\.$/\1/p' | sort > "$copy.started"
  sed -E 's/ with [0-9]+ test cases? (passed|failed) after / \1 after /' "$copy.plain" \
    | sed -En 's/^[✔✘] Test (.*) (passed|failed) after .*$/\1/p; s/^➜ Test (.*) skipped.*$/\1/p' | sort > "$copy.ended"
  comm -23 "$copy.started" "$copy.ended" | sed 's/^/    /'
  rm -f "$copy.plain" "$copy.started" "$copy.ended"
  status=124
fi
exit "$status"
