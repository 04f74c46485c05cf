#!/usr/bin/env bash
# Loa quick start: a local Mosquitto, the controller on SQLite, three receivers
# in two hamlets whose loudspeakers are WAV files, and one announcement played.
# Usage: bash deploy/quickstart.sh        (everything goes under ./run/)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUN=$ROOT/run

need=()
for pkg in mosquitto libmosquitto-dev libasound2-dev libmpg123-dev libsqlite3-dev; do
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

cat > "$RUN/controller.json" <<JSON
{
  "site": { "id": "xa-ha-binh", "name": "Xã Hà Bình", "timeZone": "Asia/Ho_Chi_Minh",
            "hamlets": [ { "id": "thon-dong", "name": "Thôn Đông" }, { "id": "thon-doai", "name": "Thôn Đoài" } ] },
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
add_receiver thon-dong loa-thon-dong-1
add_receiver thon-dong loa-thon-dong-2
add_receiver thon-doai loa-thon-doai-1

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
for device in loa-thon-dong-1 loa-thon-dong-2 loa-thon-doai-1; do
  "$LOA" receiver --config "$RUN/$device.json" >"$RUN/logs/$device.log" 2>&1 & pids+=($!)
done

for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/healthz')" 2>/dev/null && break
  sleep 0.2
done
sleep 1

echo "==> announcing Audio/thong-bao-mau.wav to Thôn Đông in 5 seconds"
"$LOA" announce --config "$RUN/controller.json" --audio Audio/thong-bao-mau.wav --hamlet thon-dong --at +5s \
  --category dialogue --title "Thông báo hội nghị đối thoại"

for _ in $(seq 60); do
  [ "$("$LOA" log --config "$RUN/controller.json" --json | grep -o '"finished"' | wc -l)" -ge 2 ] && break
  sleep 0.5
done

echo; echo "==> playback log (loa log --config run/controller.json)"
"$LOA" log --config "$RUN/controller.json"
echo
echo "==> what the loudspeakers played (ALSA file PCM output):"
for f in "$RUN"/speakers/*.wav; do [ -e "$f" ] && echo "   $f ($(stat -c %s "$f") bytes)"; done
echo "   loa-thon-doai-1 is in Thôn Đoài, which was not targeted: it has no WAV."
echo
echo "==> the log is verifiable: loa log verify --data run/controller"
"$LOA" log verify --data "$RUN/controller"
echo "Logs: $RUN/logs/   Controller data (SQLite, media, key, device registry): $RUN/controller/"
