#!/usr/bin/env bash
# Writes deploy/debian/loa-receiver.order: every function of the device build that a receiver
# runs, in the order it first runs them, for build-receiver-deb.sh to lay out side by side.
#   bash deploy/debian/make-receiver-order.sh      (needs valgrind: apt-get install valgrind)
# It runs `loa-bench receiver-footprint` twice with the receiver under callgrind, which
# records each function run: once starting, idle, fetching and playing an MP3 into a file PCM;
# once with a notice board asked every second, relaying a live stream, then playing through
# PulseAudio. Run it again when the receiver's code has changed much: a function the list
# does not name still links and runs, only placed after the listed ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
scratch=${LOA_SCRATCH:-.build-static}
[ -x "$scratch/release/loa-receiver" ] || bash deploy/debian/build-receiver-deb.sh
swift build --product loa-bench

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 the toolchain writes; the symbols suffice.
objcopy --strip-debug "$scratch/release/loa-receiver" "$work/loa-receiver"
cat > "$work/receiver-under-callgrind" <<WRAPPER
#!/bin/sh
exec valgrind --tool=callgrind --dump-instr=no --demangle=no --compress-strings=no \\
  --callgrind-out-file="$work/callgrind.%p" "$work/loa-receiver" "\$@"
WRAPPER
chmod +x "$work/receiver-under-callgrind"

bench=(.build/debug/loa-bench receiver-footprint --receiver "$work/receiver-under-callgrind" --no-snapclient)
"${bench[@]}" --idle-seconds 30 --mp3-seconds 60 --play-seconds 60 --relay-seconds 0 --output file > "$work/file.log" 2>&1 \
  || { tail -20 "$work/file.log" >&2; exit 1; }
"${bench[@]}" --idle-seconds 30 --mp3-seconds 20 --play-seconds 25 --relay-seconds 20 --board > "$work/board.log" 2>&1 \
  || { tail -20 "$work/board.log" >&2; exit 1; }

# Callgrind names each function run (fn=) and each one called (cfn=) under the object it is
# in (ob=, cob=); keep the binary's own, first seen first, without callgrind's recursion
# marks ('2) or unnamed addresses.
ls "$work"/callgrind.* | sort -t. -k2 -n | xargs awk '
  /^ob=/  { ob = substr($0, 4); next }
  /^cob=/ { cob = substr($0, 5); next }
  /^fn=/  { if (ob ~ /\/loa-receiver$/) keep(substr($0, 4)); next }
  /^cfn=/ { if ((cob != "" ? cob : ob) ~ /\/loa-receiver$/) keep(substr($0, 5)); cob = ""; next }
  function keep(name) {
    sub(/'"'"'[0-9]+$/, "", name)
    if (name ~ /^0x/ || name in seen) return
    seen[name] = 1; print name
  }' > deploy/debian/loa-receiver.order
echo "deploy/debian/loa-receiver.order: $(wc -l < deploy/debian/loa-receiver.order) functions"
