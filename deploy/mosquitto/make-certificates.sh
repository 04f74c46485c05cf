#!/usr/bin/env bash
# Makes the TLS files of a Loa broker with openssl:
#   ca.crt / ca.key          a private certificate authority (10 years). Keep ca.key
#                            offline; ca.crt is copied to every receiver and
#                            controller, which trust only it (pinned), not the
#                            system's public CAs.
#   broker.crt / broker.key  the broker's certificate for HOST (about 2 years),
#                            signed by the CA, with HOST in subjectAltName
#                            (clients check the name against it).
#
# Usage: deploy/mosquitto/make-certificates.sh HOST [OUTPUT_DIR]
#   HOST        the name (or IPv4 address) receivers use to reach the broker,
#               e.g. mqtt.xa-ha-binh.example.vn or 10.0.0.2
#   OUTPUT_DIR  where the files go (default ./certs). An existing CA there is
#               reused, so running it again renews only the broker certificate.
#
# Then point mosquitto.conf's cafile/certfile/keyfile at the files, make
# broker.key readable by the mosquitto user only, and reload mosquitto.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit 64
fi
HOST=$1
OUT=${2:-./certs}
DAYS_CA=3650
DAYS_BROKER=825

mkdir -p "$OUT"
cd "$OUT"
umask 077

if [[ $HOST =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  SAN="IP:$HOST"
else
  SAN="DNS:$HOST"
fi

if [ ! -f ca.key ]; then
  echo "==> making the CA (ca.key, ca.crt)"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
  openssl req -x509 -new -key ca.key -sha256 -days "$DAYS_CA" \
    -subj "/O=Loa/CN=Loa broker CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.crt
else
  echo "==> reusing the CA in $OUT"
fi

echo "==> making the broker certificate for $HOST ($SAN)"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out broker.key
openssl req -new -key broker.key -subj "/O=Loa/CN=$HOST" -out broker.csr
cat > broker.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$SAN
EXT
openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
  -days "$DAYS_BROKER" -sha256 -extfile broker.ext -out broker.crt
rm -f broker.csr broker.ext
chmod 644 ca.crt broker.crt
chmod 600 ca.key broker.key
openssl verify -CAfile ca.crt broker.crt
echo "==> done: $(pwd)/{ca.crt,broker.crt,broker.key}; keep ca.key offline"
