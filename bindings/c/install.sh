#!/usr/bin/env bash
# Builds libezla and installs libezla.a, libezla.so.VERSION (soname libezla.so.0) with the
# symlinks libezla.so.0 and libezla.so, ezla.h and two pkg-config files: ezla.pc (dynamic)
# and ezla-static.pc (the archive).
#
#   bindings/c/install.sh [--debug] [--prefix DIR] [--libdir DIR] [--destdir DIR]
#
# Defaults: release build, --prefix /usr/local, --libdir PREFIX/lib. --destdir stages the
# files under another root (for packaging). The .pc file's Libs.private lists the system
# libraries a static link needs, as rustc reports them (--print native-static-libs);
# ezla-static.pc links the archive by path with them, so
# `pkg-config --libs ezla-static` is a complete static link line.
#
# Packagers with cargo-c can instead run `cargo cinstall -p ezla-ffi` (see
# [package.metadata.capi] in bindings/c/Cargo.toml). On Linux, bindings/c/build.rs gives
# libezla.so the soname libezla.so.0; static linking stays the supported route until the
# ABI is declared stable.
set -euo pipefail
cd "$(dirname "$0")/../.."

profile=release
prefix=/usr/local
libdir=
destdir=
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) profile=debug ;;
    --release) profile=release ;;
    --prefix) prefix="$2"; shift ;;
    --libdir) libdir="$2"; shift ;;
    --destdir) destdir="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
libdir="${libdir:-$prefix/lib}"
includedir="$prefix/include"

flags=(-p ezla-ffi --lib --locked)
[ "$profile" = release ] && flags+=(--release)
# One build of both crate types that also reports the native libraries of the static one.
log="$(cargo rustc "${flags[@]}" -- --print native-static-libs 2>&1)" || { echo "$log" >&2; exit 1; }
native="$(printf '%s\n' "$log" | sed -n 's/.*note: native-static-libs: //p' | tail -n 1)"
if [ -z "$native" ]; then
  echo "install.sh: rustc did not report native-static-libs" >&2
  exit 1
fi

target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
out="${target_dir:-target}/$profile"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"

install -d "$destdir$libdir/pkgconfig" "$destdir$includedir"
install -m 0644 "$out/libezla.a" "$destdir$libdir/libezla.a"
# The real file carries the full version; libezla.so.0 (the soname, what programs load) and
# libezla.so (what the linker finds for -lezla) point at it.
install -m 0755 "$out/libezla.so" "$destdir$libdir/libezla.so.$version"
ln -sfn "libezla.so.$version" "$destdir$libdir/libezla.so.0"
ln -sfn libezla.so.0 "$destdir$libdir/libezla.so"
install -m 0644 include/ezla.h "$destdir$includedir/ezla.h"
cat > "$destdir$libdir/pkgconfig/ezla.pc" <<PC
prefix=$prefix
libdir=$libdir
includedir=$includedir

Name: ezla
Description: ezla: Polish e-ZLA toolkit (ZUS certificates, XAdES, KEDU documents)
Version: $version
Libs: -L\${libdir} -lezla
Libs.private: $native
Cflags: -I\${includedir}
PC
# The static route: pkg-config's --static only adds Libs.private, and -lezla would still find
# libezla.so beside the archive. ezla-static.pc names the archive itself, so
# `cc app.c $(pkg-config --cflags --libs ezla-static)` really links statically.
cat > "$destdir$libdir/pkgconfig/ezla-static.pc" <<PC
prefix=$prefix
libdir=$libdir
includedir=$includedir

Name: ezla-static
Description: ezla, linked statically (libezla.a and the system libraries it needs)
Version: $version
Libs: \${libdir}/libezla.a $native
Cflags: -I\${includedir}
PC
echo "installed libezla $version ($profile) under $destdir$prefix"
echo "programs load libezla.so.0 from $libdir: run ldconfig (as root) if the loader does not" \
  "search it, or link with -Wl,-rpath,$libdir"
