#!/usr/bin/env bash
# Build prometheus-cpp (not packaged for Debian 12) from Debian's upstream
# tarball into a content-keyed prefix under the cache. Prints the prefix.
source "$(dirname "$0")/lib.sh"
version=1.0.2
tarball=prometheus-cpp_${version}.orig.tar.gz
sha256=65838fed64c4667140a574b78eb9f5c995bab80d575b082c9c677c6795c3c607
key=$(cat "$0" "$SCXFARM_ROOT/ci/lib.sh" | sha256sum | cut -c1-16)-$version
prefix=$SCXFARM_CACHE/prometheus-cpp/$key
if [ -f "$prefix/.done" ]; then echo "$prefix"; exit 0; fi

dl=$SCXFARM_CACHE/downloads
mkdir -p "$dl"
if ! echo "$sha256  $dl/$tarball" | sha256sum -c --status 2>/dev/null; then
  step "fetching $tarball through apt (Debian 13 source index)" 
  # A private apt configuration: the host's own mirror, suite trixie, source
  # index only. The host's keyring already trusts Debian 13's keys.
  apt_dir=$(mktemp -d)
  trap 'rm -rf "$apt_dir"' EXIT
  mirror=${SCXFARM_DEBIAN_MIRROR:-}
  if [ -z "$mirror" ]; then
    mirror=$(grep -h -m1 '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2; exit}') || true
  fi
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null) || true
  fi
  [ -n "$mirror" ] || die "cannot find the host's Debian mirror; set SCXFARM_DEBIAN_MIRROR"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/out"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$apt_dir/sources.list"
  opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -q)
  apt-get "${opts[@]}" update >&2
  # Only the upstream tarball is needed; the Debian packaging may be gone.
  (cd "$apt_dir/out" && apt-get "${opts[@]}" source --download-only "prometheus-cpp=$version-2" > "$apt_dir/source.log" 2>&1) || true
  [ -f "$apt_dir/out/$tarball" ] || { cat "$apt_dir/source.log" >&2; die "could not download $tarball"; }
  echo "$sha256  $apt_dir/out/$tarball" | sha256sum -c --status || die "$tarball: checksum mismatch"
  mv "$apt_dir/out/$tarball" "$dl/$tarball"
fi

step "building prometheus-cpp $version into $prefix"
work=$(mktemp -d)
tar -xzf "$dl/$tarball" -C "$work" --strip-components=1
cmake -S "$work" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DUSE_THIRDPARTY_LIBRARIES=OFF -DENABLE_TESTING=OFF \
  -DENABLE_PUSH=ON -DENABLE_PULL=ON -DENABLE_COMPRESSION=OFF -DBUILD_SHARED_LIBS=OFF \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON >&2
cmake --build "$work/build" >&2
cmake --install "$work/build" >&2
rm -rf "$work"
touch "$prefix/.done"
echo "$prefix"
