#!/usr/bin/env bash
# Loa quick start: a local Mosquitto, the controller on SQLite, the ten receivers
# of the sample commune's six hamlets (Schedules/xa-binh-giang.yaml), whose
# loudspeakers are WAV files; the commune's schedule files
# checked and planned, then today's schedule applied by the culture officer,
# approved by the commune leader, and played in a broadcast session.
# Usage: bash deploy/quickstart.sh        (everything goes under ./run/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/run

need=()
for pkg in mosquitto libmosquitto-dev libasound2-dev libmpg123-dev libssl-dev libsqlite3-dev tzdata espeak-ng; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "==> installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "==> building loa (swift build; the first build takes a few minutes)"
swift build --product loa 2>&1 | tail -1
LOA=$(swift build --show-bin-path)/loa

rm -rf "$RUN"; mkdir -p "$RUN/speakers" "$RUN/logs"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
MQTT_PORT=$(free_port); HTTP_PORT=$(free_port)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

HAMLETS='[ { "id": "thon-dong", "name": "Thôn Đông" }, { "id": "thon-doai", "name": "Thôn Đoài" },
              { "id": "thon-nam", "name": "Thôn Nam" }, { "id": "thon-bac", "name": "Thôn Bắc" },
              { "id": "thon-thuong", "name": "Thôn Thượng" }, { "id": "thon-ha", "name": "Thôn Hạ" } ]'
cat > "$RUN/controller.json" <<JSON
{
  "site": { "id": "xa-binh-giang", "name": "Xã Bình Giang", "timeZone": "Asia/Ho_Chi_Minh", "hamlets": $HAMLETS },
  "broker": { "host": "127.0.0.1", "port": $MQTT_PORT, "clientID": "loa-controller" },
  "http": { "host": "127.0.0.1", "port": $HTTP_PORT },
  "dataDirectory": "$RUN/controller"
}
JSON

echo "==> provisioning: a broker account for the controller and one per receiver (random passwords, per-device ACL)"
"$LOA" device controller --config "$RUN/controller.json"
add_receiver() { # hamlet device-id-it-will-get
  cat > "$RUN/$2.asoundrc" <<ALSA
pcm.speaker { type file; slave.pcm { type null }; file "$RUN/speakers/$2.wav"; format "wav" }
ALSA
  "$LOA" device add --config "$RUN/controller.json" --hamlet "$1" --output "$RUN/$2.json" \
    --state-directory "$RUN/state/$2" --audio-device speaker --alsa-config-file "$RUN/$2.asoundrc"
}
# The receivers Schedules/xa-binh-giang.yaml names, hamlet by hamlet (`device add` numbers them so).
DEVICES=()
while read -r hamlet count; do
  for n in $(seq "$count"); do add_receiver "$hamlet" "loa-$hamlet-$n"; DEVICES+=("loa-$hamlet-$n"); done
done <<'LIST'
thon-dong 2
thon-doai 2
thon-nam 1
thon-bac 2
thon-thuong 1
thon-ha 2
LIST

cat > "$RUN/mosquitto.conf" <<CONF
user $(id -un)
pid_file $RUN/mosquitto.pid
listener $MQTT_PORT 127.0.0.1
use_username_as_clientid true
allow_anonymous false
password_file $RUN/controller/broker/passwords
acl_file $RUN/controller/broker/acl
persistence true
persistence_location $RUN/
log_dest file $RUN/logs/mosquitto.log
CONF
/usr/sbin/mosquitto -c "$RUN/mosquitto.conf" & pids+=($!)
sleep 0.5

"$LOA" controller --config "$RUN/controller.json" >"$RUN/logs/controller.log" 2>&1 & pids+=($!)
for device in "${DEVICES[@]}"; do
  "$LOA" receiver --config "$RUN/$device.json" >"$RUN/logs/$device.log" 2>&1 & pids+=($!)
done

for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/healthz')" 2>/dev/null && break
  sleep 0.2
done
sleep 1

echo "==> the commune's schedule files (Schedules/): checked, and a week planned for Thôn Đông"
"$LOA" schedule validate Schedules/*.yaml
"$LOA" schedule plan Schedules/*.yaml --days 7 --hamlet thon-dong > "$RUN/ke-hoach-tuan.txt"
head -n 16 "$RUN/ke-hoach-tuan.txt"; echo "   … the whole week: $RUN/ke-hoach-tuan.txt"

echo "==> console users: a culture officer (drafts) and the commune chairman (approves); tokens in run/*.token"
"$LOA" user add can-bo-vh --role officer --display-name "Cán bộ Văn hóa – Xã hội" --config "$RUN/controller.json" --token-out "$RUN/officer.token"
"$LOA" user add chu-tich --role approver --display-name "Chủ tịch UBND xã" --config "$RUN/controller.json" --token-out "$RUN/approver.token"

# Today's schedule: a broadcast session starting at the next minute but one, so
# the quick start need not wait for 05:00 or 17:00.
read -r TODAY START END < <(python3 - <<'PY'
import datetime, zoneinfo
now = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
start = (now + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
end = min(start + datetime.timedelta(minutes=30), start.replace(hour=23, minute=59))
print(start.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M"))
PY
)
sed -n '/^hamlets:/,$p' Schedules/xa-binh-giang.yaml > "$RUN/hamlets.yaml"
cat > "$RUN/lich-hom-nay.yaml" <<YAML
# Lịch phát thử hôm nay của Xã Bình Giang (today's trial session), made by deploy/quickstart.sh.
site:
  id: xa-binh-giang
  name: Xã Bình Giang
  slots:
    - id: thu-nghiem
      name: Buổi phát thử
      time: $START-$END
      days: daily
      max-minutes: 15
$(cat "$RUN/hamlets.yaml")

programmes:
  - id: cqtt-hom-nay
    title: Chính quyền thân thiện, vì Nhân dân phục vụ
    category: propaganda
    audio: ../Audio/thong-bao-mau.wav
    repeat: once
    date: $TODAY
    slots: [thu-nghiem]
  - id: chuong-bao
    title: Tiếng chuông mở đầu bản tin thôn Đông
    category: other
    priority: priority
    audio: ../Audio/chime.wav
    targets: {hamlets: [thon-dong]}
    repeat: once
    date: $TODAY
    slots: [thu-nghiem]
YAML
echo "==> the officer applies today's schedule ($RUN/lich-hom-nay.yaml, session $START–$END): nothing airs yet"
"$LOA" schedule apply "$RUN/lich-hom-nay.yaml" --config "$RUN/controller.json" --token-file "$RUN/officer.token"
echo "==> the chairman approves it"
"$LOA" schedule approve --config "$RUN/controller.json" --token-file "$RUN/approver.token"

echo "==> waiting for the session at $START (Thôn Đông: chime first, being priority; then the notice; elsewhere the notice)"
for _ in $(seq 400); do
  # 10 receivers play the notice, Thôn Đông's 2 the chime too.
  [ "$("$LOA" log --config "$RUN/controller.json" --format json | grep -o '"finished"' | wc -l)" -ge 12 ] && break
  sleep 0.5
done

echo; echo "==> playback log (loa log --config run/controller.json)"
"$LOA" log --config "$RUN/controller.json"
echo
echo "==> what the loudspeakers played (ALSA file PCM output):"
for f in "$RUN"/speakers/*.wav; do [ -e "$f" ] && echo "   $f ($(stat -c %s "$f") bytes)"; done
echo "   Thôn Đông's two receivers played the chime, then the notice; the other eight the notice only (each WAV holds the last playback)."
echo
echo "==> the log is verifiable: loa log verify --data run/controller"
"$LOA" log verify --data "$RUN/controller"
echo "Logs: $RUN/logs/   Controller data (SQLite, media, key, device registry): $RUN/controller/"
