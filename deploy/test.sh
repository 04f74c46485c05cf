#!/usr/bin/env bash
# Runs Loa's tests: builds, then runs every suite (they start their own Mosquitto
# brokers on free loopback ports and write ALSA output to WAV files).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build --parallel --num-workers 2 2>&1 | tee .build/test-output.txt
