#!/usr/bin/env bash
# Runs Loa's tests with the wall clock set to another instant, to show the suite
# does not depend on the hour, the weekday or the date it runs at.
#
#   bash deploy/test-any-hour.sh                     the quick subset at 03:45 in Vietnam (quiet hours)
#   bash deploy/test-any-hour.sh --at '2026-12-06T10:00:00+07:00' [--all]
#   bash deploy/test-any-hour.sh --all               the whole suite (both phases), at the same instant
#
# The wall clock is shifted by a fixed offset by a small preload library
# (deploy/shifted-wall-clock.c, built here), so every process the tests start
# (Mosquitto, `loa`, Chromium) sees the same time, and the time runs on as usual:
# an instant just before midnight crosses it during the run. Monotonic clocks and
# timers stay true. (Debian's libfaketime is not used: it also shifts libdispatch's
# timers, so a sleeping Swift task in an idle process never wakes; see the .c file.)
set -euo pipefail
cd "$(dirname "$0")/.."

AT='2026-12-05T03:45:00+07:00'
ALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --at) AT="$2"; shift 2 ;;
    --all) ALL=1; shift ;;
    *) echo "usage: $0 [--at RFC3339-INSTANT] [--all]" >&2; exit 2 ;;
  esac
done

target=$(date -d "$AT" +%s) || { echo "not an instant: $AT (write e.g. 2026-12-05T03:45:00+07:00)" >&2; exit 2; }
swift build --build-tests
SHIFT_LIBRARY="$(swift build --show-bin-path)/shifted-wall-clock.so"
# Any C compiler: the system one, else the clang that comes with Swift.
CC="${CC:-$(command -v cc || echo "$(dirname "$(readlink -f "$(command -v swift)")")/clang")}"
"$CC" -shared -fPIC -O2 -Wall -o "$SHIFT_LIBRARY" deploy/shifted-wall-clock.c -ldl

# The suites whose expectations were once tied to the hour or the day: the
# console (airings a few minutes ahead), dispatch and schedule versions, the
# plan and report views, the board's notices. They run in a few minutes.
QUICK='ConsoleRoutesTests|DispatchTests|ScheduleAPITests|APIPlanTests|APIRouteTests|ScheduleVersionTests|PlanTextTests|ScheduledAiringReportTests|Law10ReportTests|NoticeApprovalTests|LoaDomainTests|TextProgrammeTests|DisclosureOnBoardTests'
REAL_TIME='AnnouncementTests|PlayWhileDownloadingTests|PreemptionTests|ProofOfPlayTests|ControllerCrashTests'

# The test bundle runs by itself (Swift Testing takes the same --filter and
# --skip as `swift test`), every process it starts inheriting the shifted clock.
offset=$(( target - $(date +%s) ))   # taken after the build: the run starts at the instant
BUNDLE="$(swift build --show-bin-path)/loaPackageTests.xctest"
shifted() { LOA_CLOCK_SHIFT="$offset" LD_PRELOAD="$SHIFT_LIBRARY" "$@"; }
# Each run stopped after 10 minutes, naming the tests that hung (deploy/run-with-limit.sh);
# its line-buffering library (stdbuf's) stays preloaded beside the shifted clock.
PRELOAD="$SHIFT_LIBRARY"
if [ -e /usr/libexec/coreutils/libstdbuf.so ]; then PRELOAD="$PRELOAD /usr/libexec/coreutils/libstdbuf.so"; fi
run() {
  deploy/run-with-limit.sh 600 env LOA_CLOCK_SHIFT="$offset" LD_PRELOAD="$PRELOAD" \
    "$BUNDLE" --testing-library swift-testing "$@"
}
echo "==> the wall clock reads $(TZ=Asia/Ho_Chi_Minh shifted date -R) in Vietnam"
status=0
if [ "$ALL" = 1 ]; then
  run --experimental-maximum-parallelization-width 6 --skip "$REAL_TIME" || status=$?
  run --filter "$REAL_TIME" || status=$?
else
  run --experimental-maximum-parallelization-width 6 --filter "$QUICK" || status=$?
fi
exit $status
