#!/usr/bin/env bash
# The newcomer's path: does what the README's getting-started sections say, taken from the
# README itself, outside the repository — a fresh cargo project that depends on ezla, a
# fresh venv with the wheel built from source, a fresh C program linked through pkg-config
# statically and dynamically — and runs each on test certificates made with the CLI.
# Ends with "newcomer: N passed, F failed"; the output also goes to
# target/test-logs/newcomer.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/log.sh
log_to newcomer "$@"
export CARGO_TERM_COLOR=never
repo="$PWD"
# The C steps run with HOME in the scratch directory (the README installs into $HOME/.local);
# rustup and cargo keep finding their own homes.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
T="$(mktemp -d "${TMPDIR:-/tmp}/ezla-newcomer.XXXXXX")"
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok: $*"; }
fail() { failed=$((failed + 1)); echo "  FAILED: $*"; }

# block LANG N: the N-th (from 1) ```LANG block of the README, as the README has it.
block() {
  awk -v open='```'"$1" -v n="$2" '
    $0 == open { k++; if (k == n) { on = 1; next } }
    /^```$/ { on = 0 }
    on' README.md
}

echo "== test certificates and an e-ZLA, with the CLI"
cargo build --quiet --locked -p ezla-cli
ezla="$repo/target/debug/ezla"
export EZLA_PFX_PASSWORD="newcomer-password"
"$ezla" cert test-ca -o "$T/ca" 2>/dev/null
"$ezla" cert test-doctor --ca "$T/ca" --given-name Anna --surname Nowak --pesel 44051401359 \
  -o "$T/lekarz.pfx" --password-env EZLA_PFX_PASSWORD 2>/dev/null
"$ezla" kedu new crates/ezla-cli/examples/zla.json -o "$T/docs" >/dev/null
zla="$T/docs/zla.oryginal.xml"

echo "== Rust: a fresh cargo project with the README's [dependencies]"
mkdir -p "$T/rust/src"
{
  printf '[package]\nname = "newcomer"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n'
  block toml 1 | sed "s|path = \"../ezla/crates/ezla\"|path = \"$repo/crates/ezla\"|"
} >"$T/rust/Cargo.toml"
grep -q "path = \"$repo/crates/ezla\"" "$T/rust/Cargo.toml" ||
  { cat "$T/rust/Cargo.toml"; echo "the README's [dependencies] line has changed" >&2; exit 1; }
# The README says its snippets are this example; the versions are the ones tested here.
cp crates/ezla/examples/sign_and_verify.rs "$T/rust/src/main.rs"
cp Cargo.lock "$T/rust/Cargo.lock"
if out="$(cd "$T/rust" && CARGO_TARGET_DIR="$repo/target" \
  cargo run --quiet -- "$T/lekarz.pfx" "$T/ca/ca.crt" "$zla" 2>&1)" &&
  grep -q "trust: chain" <<<"$out"; then
  pass "cargo run in a fresh project: $(head -n 1 <<<"$out" | cut -c1-60)…"
else
  printf '%s\n' "$out"
  fail "the fresh cargo project"
fi

echo "== C: bindings/c/install.sh and the README's compile lines"
mkdir -p "$T/c" "$T/home"
cp "$T/lekarz.pfx" "$T/c/lekarz.pfx"
cp "$T/ca/ca.crt" "$T/c/zus-ca.pem"
cp "$zla" "$T/c/zla.xml"
block c 1 >"$T/c/quickstart.c"
# The README's shell block, with HOME in the scratch directory, the checkout's install.sh,
# and the password from the environment instead of the placeholder.
c_commands="$(awk '/^## Getting started in C$/ { c = 1 } c && /^```sh$/ { on = 1; next } on && /^```$/ { exit } on' README.md)"
static_line="$(grep -E '^cc .*ezla-static' <<<"$c_commands")"
if [ -z "$static_line" ]; then
  fail "the README's C section has no static compile line"
fi
script="$(sed -e "s|^bindings/c/install.sh|\"$repo/bindings/c/install.sh\"|" \
  -e "s|EZLA_PFX_PASSWORD='…'|EZLA_PFX_PASSWORD=\"\$EZLA_PFX_PASSWORD\"|" <<<"$c_commands")"
if out="$(cd "$T/c" && HOME="$T/home" CARGO_TARGET_DIR="$repo/target" bash -euo pipefail -c "$script" 2>&1)" &&
  grep -q "trust: chain" <<<"$out" && grep -q 'libezla.so.0' <<<"$(ldd "$T/c/quickstart")"; then
  pass "the dynamic program: $(tail -n 1 <<<"$out" | cut -c1-60)…"
else
  printf '%s\n' "$out"
  fail "the README's C commands"
fi
if [ -n "$static_line" ] &&
  out="$(cd "$T/c" && HOME="$T/home" PKG_CONFIG_PATH="$T/home/.local/lib/pkgconfig" \
    bash -euo pipefail -c "${static_line/-o quickstart/-o quickstart-static}" 2>&1 &&
    ./quickstart-static lekarz.pfx zus-ca.pem zla.xml zla-signed-static.xml 2>&1)" &&
  grep -q "trust: chain" <<<"$out" && ! ldd "$T/c/quickstart-static" | grep -q libezla; then
  strip -o "$T/c/quickstart-stripped" "$T/c/quickstart-static"
  pass "the static program (no libezla.so at run time): $(stat -c %s "$T/c/quickstart-static") bytes, $(stat -c %s "$T/c/quickstart-stripped") stripped"
else
  printf '%s\n' "${out:-}"
  fail "the static program"
fi

echo "== Python: a fresh venv, the wheel built from source as the README says"
python3 -m venv "$T/venv"
py_commands="$(awk '/^# from source:$/ { on = 1; next } on && /^```$/ { exit } on' README.md |
  sed -e "s| -o dist | -o \"$T/dist\" |" -e "s|pip install dist/|pip install \"$T\"/dist/|")"
if out="$(PATH="$T/venv/bin:$PATH" CARGO_TARGET_DIR="$repo/target" \
  bash -euo pipefail -c "$py_commands" 2>&1)"; then
  pass "maturin build and pip install into a fresh venv"
else
  printf '%s\n' "$out" | tail -n 20
  fail "building and installing the wheel"
fi
mkdir -p "$T/py"
block python 1 >"$T/py/make_test_files.py"
block python 2 >"$T/py/sign_and_verify.py"
if out="$(cd "$T/py" && "$T/venv/bin/python" make_test_files.py 2>&1 &&
  "$T/venv/bin/python" sign_and_verify.py 2>&1)" && grep -q "Anna Nowak\|Nowak" <<<"$out"; then
  pass "the README's Python example: $(tail -n 1 <<<"$out" | cut -c1-60)…"
else
  printf '%s\n' "$out"
  fail "the README's Python example"
fi

echo "== The command line: the README's steps in an empty directory"
# `cargo install` into the scratch directory, building in the checkout's target/ (release).
cli_commands="$(awk '/^## Getting started with the command line$/ { c = 1 }
  c && /^```sh$/ { on = 1; next } on && /^```$/ { exit } on' README.md)"
mkdir -p "$T/cli"
if [ -z "$cli_commands" ]; then
  fail "the README has no command-line block"
elif out="$(cd "$T/cli" && EZLA_SRC="$repo" CARGO_INSTALL_ROOT="$T/cli-root" \
  CARGO_TARGET_DIR="$repo/target" PATH="$T/cli-root/bin:$PATH" \
  bash -euo pipefail -c "$cli_commands" 2>&1)" &&
  grep -Eq "^  trust: +chain" <<<"$out" && [ -s "$T/cli/zla.oryginal.signed.xml" ]; then
  pass "the README's command-line steps: $(grep -m 1 '^VALID' <<<"$out" | cut -c1-60)…"
else
  printf '%s\n' "$out" | tail -n 30
  fail "the README's command-line steps"
fi

echo "== The certificate's life cycle: scripts/demo-lifecycle.sh, as the README names it"
# The debug binaries (built above and here); the demo's own output goes to the scratch directory.
cargo build --quiet --locked -p ezla-sim
if out="$(EZLA_BIN="$repo/target/debug" EZLA_DEMO_OUT="$T/lifecycle" \
  scripts/demo-lifecycle.sh 2>&1)" &&
  grep -q '"doctor": true' <<<"$out" &&
  grep -q "^(HTTP 410)$" <<<"$out" &&
  grep -Eq '^  revocation:  not revoked; .*fetched from https://' <<<"$out" &&
  grep -q "was revoked at .*(keyCompromise)" <<<"$out" &&
  grep -q "^exit status 1$" <<<"$out" &&
  grep -q 'KodBledu "110"' <<<"$out" &&
  grep -q "^revoked, valid " <<<"$out" && grep -q "^cert check exit status 2 " <<<"$out"; then
  pass "the life cycle: apply, download once, sign and send, cancel, revocation reported"
else
  printf '%s\n' "$out" | tail -n 40
  fail "scripts/demo-lifecycle.sh"
fi

echo "newcomer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
