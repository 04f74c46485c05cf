#!/usr/bin/env bash
# Builds the loa-receiver Debian package for this machine's architecture:
#   bash deploy/debian/build-receiver-deb.sh        →  dist/loa-receiver_VERSION_ARCH.deb
# The binary links Swift's runtime and FoundationEssentials statically (--static-swift-stdlib),
# so a device needs only Debian's own libraries (listed in Depends, found from the binary).
# The receiver's modules import FoundationEssentials, never swift-corelibs Foundation: linked,
# Foundation and CoreFoundation cost 0.7 MiB resident and start at every launch, and
# FoundationInternationalization 35 MB of ICU data (docs/receiver-devices.md, "Measured").
# The build stops when one of them is linked again, and says how to find who imports it.
# For arm64 boards, run it on an arm64 machine (or an arm64 container under qemu-user):
# SwiftPM cannot cross-compile these C libraries (libmosquitto, ALSA, mpg123) without an
# arm64 sysroot holding them. docs/receiver-devices.md says what was checked where.
# Needs only the test machine's packages (.ci/run): the receiver speaks HTTP through its own
# client (LoaHTTP, TLS through OpenSSL), not URLSession, so libcurl is not linked.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=${LOA_SCRATCH:-.build-static}
version=${LOA_VERSION:-0.$(git log --oneline | wc -l | tr -d ' ')+git$(git rev-parse --short HEAD)}
arch=$(dpkg --print-architecture)

# --no-export-dynamic: Swift links executables with every symbol exported; the device needs
# none of them, and their table was 2 MiB of every receiver's resident memory
# (docs/receiver-devices.md, "Measured").
# lld with packed relative relocations (DT_RELR): the binary stays position-independent, so
# its code is at a random address in every process, but its relocation table, which the
# loader reads whole at each start, shrinks from 2 MiB to 36 KiB (docs/receiver-devices.md,
# "Measured"). The loader must know DT_RELR: glibc 2.36 or later (Debian 12), in Depends below.
link=(-Xswiftc -use-ld=lld -Xlinker --no-export-dynamic)
# LOA_NO_PIE=1: a position-dependent executable instead. The loader then relocates nothing
# and the binary's pages stay clean file pages, read only when touched: about 1 MiB less
# again, at the cost of address-space layout randomisation for the binary's own code (the
# shared libraries keep theirs). Off by default: a device on a public network is better with it.
if [ "${LOA_NO_PIE:-0}" = 1 ]; then link+=(-Xlinker -no-pie); else link+=(-Xlinker -z -Xlinker pack-relative-relocs); fi
# The functions a receiver runs, next to each other: deploy/debian/loa-receiver.order lists them
# (every function run while starting, idle, fetching, playing, relaying and serving its board,
# made by deploy/debian/make-receiver-order.sh). Each function in its own section lets the
# linker lay them out in that order, so the few hundred KiB of code a receiver uses fill a
# few pages instead of being strewn over 17 MiB of code, every page of which the kernel maps
# in 64 KiB around each touch (docs/receiver-devices.md, "Measured"). A function the list
# does not name (new code) still links, only after the others. LOA_NO_ORDER=1 leaves it out.
if [ "${LOA_NO_ORDER:-0}" != 1 ]; then
  link+=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
    -Xlinker --symbol-ordering-file="$PWD/deploy/debian/loa-receiver.order" -Xlinker --no-warn-symbol-ordering)
  # A list older than the receiver's code still links, but places the new functions far from
  # the rest: 0.7 MiB more resident at idle, measured (docs/receiver-devices.md, "Measured").
  receiver_code=(Package.swift Sources/loa-receiver Sources/LoaReceiverProcess Sources/LoaReceiver Sources/LoaAudio
    Sources/LoaProtocol Sources/LoaMQTT Sources/LoaHTTP Sources/LoaDomain Sources/LoaSQLite Sources/LoaLogging
    Sources/LoaSystemd Sources/LoaFiles Sources/LoaThreads Sources/CLibraries)
  listed=$(git log -1 --format=%ct -- deploy/debian/loa-receiver.order 2>/dev/null || true)
  changed=$(git log -1 --format=%ct -- "${receiver_code[@]}" 2>/dev/null || true)
  if [ -n "$listed" ] && [ -n "$changed" ] && [ "$changed" -gt "$listed" ]; then
    echo "note: the receiver's code changed after deploy/debian/loa-receiver.order was made;" >&2
    echo "      run bash deploy/debian/make-receiver-order.sh first for a package that goes to the field" >&2
  fi
fi
# SQLite and the C++ runtime (which Swift's runtime needs) linked in, not shared: the
# receiver then keeps resident only the parts it runs, laid out with its own code
# (below), where the two shared libraries kept 2.6 MiB of their pages resident
# (docs/receiver-devices.md, "Measured"). A fix to either reaches devices with a new
# loa-receiver package, as a fix to Swift's runtime or Foundation already does.
# The linker finds both archives first in a folder that holds nothing else, named first
# by a pkg-config file for SQLite (libsqlite3-dev's own names the folder that also holds
# the shared library). LOA_SHARED_LIBS=1 links the shared libraries instead.
if [ "${LOA_SHARED_LIBS:-0}" != 1 ]; then
  archives="$PWD/$scratch/device-archives"
  mkdir -p "$archives"
  ln -sf "$(gcc -print-file-name=libstdc++.a)" "$archives/libstdc++.a"
  ln -sf "/usr/lib/$(gcc -print-multiarch)/libsqlite3.a" "$archives/libsqlite3.a"
  for archive in "$archives"/*.a; do
    [ -f "$archive" ] || { echo "missing: $archive (from libstdc++-12-dev, libsqlite3-dev)" >&2; exit 1; }
  done
  printf 'Name: SQLite\nDescription: SQLite linked into loa-receiver\nVersion: %s\nLibs: -L%s -lsqlite3 -lm -lz\nCflags: %s\n' \
    "$(pkg-config --modversion sqlite3)" "$archives" "$(pkg-config --cflags sqlite3)" > "$archives/sqlite3.pc"
  export PKG_CONFIG_PATH="$archives${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  link+=(-Xlinker -L"$archives")
fi
# SwiftPM keeps the link's plan across runs and knows neither the archives nor the order
# file as inputs: without these, a change to them would not link the binary again.
rm -f "$scratch"/*/release/description.json "$scratch"/*/release/loa-receiver
swift build -c release --product loa-receiver --static-swift-stdlib "${link[@]}" --scratch-path "$scratch"
binary="$scratch/release/loa-receiver"
# $s10Foundation: the mangled prefix of swift-corelibs Foundation's symbols (FoundationEssentials'
# are $s20FoundationEssentials), and FoundationInternationalization's, which brings ICU's data;
# _CFRuntimeRegisterClass: CoreFoundation's (FoundationEssentials' own C tables are named __CFUniChar…).
if nm "$binary" | grep -qE ' (\$s10Foundation|\$s26FoundationInternationalization|_CFRuntimeRegisterClass$)'; then
  echo "loa-receiver links swift-corelibs Foundation or FoundationInternationalization: a module it" >&2
  echo "uses imports them. Find it with: grep -rn 'import Foundation\$' Sources (receiver modules above)," >&2
  echo "and import FoundationEssentials there (#if canImport(FoundationEssentials), as the others do)." >&2
  exit 1
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -D -m 0755 "$binary" "$root/usr/bin/loa-receiver"
strip --strip-unneeded "$root/usr/bin/loa-receiver"
install -D -m 0644 deploy/systemd/loa-receiver.service "$root/lib/systemd/system/loa-receiver.service"
install -D -m 0644 deploy/examples/receiver.json "$root/usr/share/doc/loa-receiver/examples/receiver.json"
install -D -m 0644 docs/protocol.md "$root/usr/share/doc/loa-receiver/protocol.md"
install -D -m 0644 docs/receiver-devices.md "$root/usr/share/doc/loa-receiver/receiver-devices.md"

# Depends: the Debian package of each shared library the binary names (NEEDED), found where ldd resolves it.
needed=$(objdump -p "$binary" | awk '/NEEDED/ { print $2 }')
depends=$(for name in $needed; do ldd "$binary" | awk -v n="$name" '$1 == n { print $3 }'; done | while read -r library; do
  dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null || true
done | cut -d: -f1 | sort -u | paste -sd, - | sed 's/,/, /g; s/\blibc6\b/libc6 (>= 2.36)/')

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: loa-receiver
Version: $version
Architecture: $arch
Maintainer: Loa <loa@localhost>
Depends: $depends, adduser
Recommends: alsa-utils, chrony | systemd-timesyncd
Section: sound
Priority: optional
Description: Loa hamlet receiver: commune loudspeaker and notice board
 Subscribes to its hamlet's signed schedule over MQTT, fetches and verifies the
 audio, plays it through ALSA at the set instant, shows notices on the board,
 reports what it did, and keeps working offline. Settings: /etc/loa/receiver.json.
CONTROL

cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  getent passwd loa-receiver >/dev/null || adduser --system --group --home /var/lib/loa-receiver --no-create-home loa-receiver
  adduser loa-receiver audio >/dev/null
  install -d -m 0750 -o root -g loa-receiver /etc/loa
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable loa-receiver.service >/dev/null
    # Started once its settings are in place (written by `loa device add` on the controller).
    if [ -f /etc/loa/receiver.json ]; then systemctl restart loa-receiver.service; fi
  fi
fi
POSTINST
cat > "$root/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl stop loa-receiver.service || true
  systemctl disable loa-receiver.service >/dev/null || true
fi
PRERM
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"

mkdir -p dist
package="dist/loa-receiver_${version}_${arch}.deb"
dpkg-deb --build --root-owner-group "$root" "$package" >/dev/null
echo "$package"
dpkg-deb --info "$package" | sed -n '/Package:/,/Description:/p'
