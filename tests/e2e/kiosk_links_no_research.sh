#!/usr/bin/env bash
# kiosk_links_no_research.sh - the promise "a stolen kiosk reveals nothing" as a property of
# the build: the teilhabe-kiosk binary contains the sealing code and none of the code that
# reads the research secret key or opens a seal (tk_research, sync/research/). The teilhabe
# CLI, which does link it, is the control: the same look-up finds the opening code there, so
# an empty answer cannot come from a wrong symbol name.
source "$(dirname "$0")/cli_common.bash"
KIOSK="$TK_BUILD_DIR/kiosk/teilhabe-kiosk"
if [ ! -x "$KIOSK" ]; then
    step "no kiosk in this build (TK_KIOSK=OFF): nothing to check"
    exit 0
fi
command -v nm >/dev/null || fail "nm (binutils) is needed"

# Functions of the research side, by their demangled names.
opening='tk::open_record\(|tk::load_research_secret\(|tk::decrypt_records\(|tk::decrypt_source\(|tk::load_research_key\('
# libsodium calls only the opening side makes (the kiosk seals with crypto_box_easy_afternm).
sodium_open='^ +U crypto_box_(open|seal_open|open_easy|open_easy_afternm|open_detached)(@|$)'

nm -C "$KIOSK" >"$WORK/kiosk.syms"
nm -D "$KIOSK" >"$WORK/kiosk.dyn"
nm -C "$BIN" >"$WORK/cli.syms"
nm -D "$BIN" >"$WORK/cli.dyn"

grep -Eq 'tk::seal_record\(' "$WORK/kiosk.syms" || fail "the kiosk has no seal_record: the check looks at the wrong binary"
grep -Eq "$opening" "$WORK/cli.syms" || fail "the control (teilhabe CLI) has none of the opening functions: the names are wrong"
grep -Eq "$sodium_open" "$WORK/cli.dyn" || fail "the control (teilhabe CLI) imports no crypto_box_open*: the pattern is wrong"

if grep -E "$opening" "$WORK/kiosk.syms" >"$WORK/found"; then
    fail "teilhabe-kiosk contains research-side code: $(head -3 "$WORK/found")"
fi
if grep -E "$sodium_open" "$WORK/kiosk.dyn" >"$WORK/found"; then
    fail "teilhabe-kiosk imports a seal-opening call: $(head -3 "$WORK/found")"
fi
step "ok: the kiosk seals ($(grep -c 'tk::seal_record(' "$WORK/kiosk.syms") seal functions) and links no opening code"
