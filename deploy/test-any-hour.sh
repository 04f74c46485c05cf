#!/usr/bin/env bash
# Runs Loa's tests with the machine's clock set to another instant (Debian's
# libfaketime), to show the suite does not depend on the hour, the weekday or
# the date it runs at.
#
#   bash deploy/test-any-hour.sh                     the quick subset at 03:45 in Vietnam (quiet hours)
#   bash deploy/test-any-hour.sh --at '2026-12-06T10:00:00+07:00' [--all]
#   bash deploy/test-any-hour.sh --all               the whole suite (both phases), at the same instant
#
# The clock is shifted by a fixed offset (libfaketime's relative form), so every
# process the tests start (Mosquitto, `loa`, Chromium) sees the same time, and
# the time runs on as usual: an instant just before midnight crosses it during
# the run. Build first (deploy/test.sh or `swift build --build-tests`).
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

command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 2; }
target=$(date -d "$AT" +%s) || { echo "not an instant: $AT (write e.g. 2026-12-05T03:45:00+07:00)" >&2; exit 2; }
offset=$(( target - $(date +%s) ))
[ -d .build ] || swift build --build-tests

# The suites whose expectations were once tied to the hour or the day: the
# console (airings a few minutes ahead), dispatch and schedule versions, the
# plan and report views, the board's notices. They run in a few minutes.
QUICK='ConsoleRoutesTests|DispatchTests|ScheduleAPITests|APIPlanTests|APIRouteTests|ScheduleVersionTests|PlanTextTests|ScheduledAiringReportTests|Law10ReportTests|NoticeApprovalTests|LoaDomainTests|TextProgrammeTests|DisclosureOnBoardTests'
REAL_TIME='AnnouncementTests|PreemptionTests|ProofOfPlayTests|ControllerCrashTests|SpeakerLineTests'

# The test bundle runs by itself under the `faketime` wrapper: the swift driver
# crashes with libfaketime preloaded, and a Swift program preloaded by hand
# (LD_PRELOAD) loses its arguments when the library adds FAKETIME_SHARED to the
# environment; the wrapper sets that variable before it starts the program.
# Swift Testing takes the same --filter and --skip as `swift test`.
BUNDLE="$(swift build --show-bin-path)/loaPackageTests.xctest"
run() {
  # Monotonic clocks stay real: timeouts and epoll waits measure true durations.
  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$(printf '%+d' "$offset")" \
    "$BUNDLE" --testing-library swift-testing "$@"
}
echo "==> the clock reads $(TZ=Asia/Ho_Chi_Minh faketime -f "$(printf '%+d' "$offset")" date -R) in Vietnam"
status=0
if [ "$ALL" = 1 ]; then
  run --skip "$REAL_TIME" || status=$?
  run --filter "$REAL_TIME" || status=$?
else
  run --filter "$QUICK" || status=$?
fi
exit $status
