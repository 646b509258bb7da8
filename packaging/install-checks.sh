#!/usr/bin/env bash
# install-checks.sh - runs INSIDE the fresh Debian root of packaging/test-install.sh, as root,
# with the packages in /tmp/debs. Every check prints one "install-checks: ..." line; the
# first failure ends the run with exit 1.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
say() { echo "install-checks: $*"; }
fail() { echo "install-checks: FAIL: $*" >&2; exit 1; }
ours=(teilhabe-tools teilhabe-server teilhabe-kiosk teilhabe-appliance)

# What a system looks like without our files: the dependencies installed, ours purged again.
snapshot() {
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/cache \
        -o -path /var/log -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/lib/systemd \
        -o -path /var/lib/polkit-1 -o -path /etc/ld.so.cache \) -prune -o -print | sort
}
apt-get install -y -qq /tmp/debs/*.deb >/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; fail "apt-get install of the packages"; }
dpkg --purge "${ours[@]}" >/dev/null
snapshot >/tmp/before.txt
dpkg -i /tmp/debs/*.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i"; }
say "installed $(dpkg-query -W -f='${Package} ${Version}\n' "${ours[@]}" | tr '\n' ' ')"

# --- files, user, units ---
for f in /usr/bin/teilhabe /usr/bin/teilhabe-server /usr/bin/teilhabe-kiosk \
         /usr/share/teilhabe-kiosk/assets/ui-texts.json /usr/share/teilhabe-kiosk/surveys/buerger-digital.json \
         /lib/systemd/system/teilhabe-server.service /lib/systemd/system/teilhabe-kiosk-session.service \
         /etc/teilhabe-server/server.conf /usr/lib/teilhabe-appliance/start-kiosk \
         /usr/lib/systemd/logind.conf.d/60-teilhabe-appliance.conf /usr/lib/sysctl.d/60-teilhabe-appliance.conf \
         /usr/share/polkit-1/rules.d/60-teilhabe-appliance.rules /etc/teilhabe-kiosk/README; do
    [ -e "$f" ] || fail "$f is missing"
done
say "files in place"
getent passwd teilhabe-kiosk >/dev/null || fail "no user teilhabe-kiosk"
for g in audio video input; do id -nG teilhabe-kiosk | tr ' ' '\n' | grep -qx "$g" || fail "teilhabe-kiosk is not in group $g"; done
say "user teilhabe-kiosk ($(id -nG teilhabe-kiosk | tr ' ' ','))"
[ "$(systemctl is-enabled teilhabe-kiosk-session.service 2>/dev/null)" = enabled ] || fail "the kiosk session is not enabled"
[ "$(systemctl is-enabled teilhabe-server.service 2>/dev/null)" = disabled ] || fail "the server is enabled before it is configured"
say "units: teilhabe-kiosk-session enabled, teilhabe-server installed and left to configure"
for u in teilhabe-server.service teilhabe-kiosk-session.service; do
    systemd-analyze verify "/lib/systemd/system/$u" >/tmp/verify.out 2>&1 || true
    # Lines about units of the base system that a chroot lacks are not ours to fix.
    if grep -v -e '^$' /tmp/verify.out | grep -q "$u\|teilhabe"; then cat /tmp/verify.out; fail "systemd-analyze verify $u"; fi
done
say "systemd-analyze verify: no complaint about our units"
systemd-analyze security --offline=yes /lib/systemd/system/teilhabe-server.service >/tmp/security.out 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for teilhabe-server.service: \([0-9.]*\).*/\1/p' /tmp/security.out)
[ -n "$score" ] || { cat /tmp/security.out; fail "no exposure score"; }
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { cat /tmp/security.out; fail "exposure $score is above 2.0"; }
say "systemd-analyze security teilhabe-server.service: exposure $score (at most 2.0)"

# --- the installed server and CLI over TLS, in both set-ups of DEPLOY.md ---
w=$(mktemp -d)
# Starts the installed server on a free loopback port with the TLS arguments given; sets
# server and url.
start_installed_server() { # DATA ARGS...
    local data=$1 port=""
    shift
    teilhabe-server --data "$data" --listen 127.0.0.1:0 "$@" >"$w/server.out" 2>"$w/server.err" &
    server=$!
    for _ in $(seq 100); do
        port=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\),.*/\1/p' "$w/server.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$w/server.err"; fail "the installed server did not start"; }
    url=https://127.0.0.1:$port
}
held_by() { teilhabe-server status --data "$1" | sed -n 's/^records //p'; }
# Enrols KIOSK with the pairing code in $code and the TLS option given, syncs with what the
# enrolment saved, checks that the server holds N records, and stops the server.
enrol_and_sync() { # KIOSK SERVER_DATA N OPTION VALUE
    teilhabe enrol --data "$1" --server "$url" --code "$code" "$4" "$5" >/dev/null || fail "enrol with $4"
    teilhabe sync --data "$1" --quiet >/dev/null || fail "sync with the $4 saved at enrolment"
    [ "$(held_by "$2")" = "$3" ] || fail "the server holds $(held_by "$2") records, expected $3"
    kill "$server"; wait "$server" 2>/dev/null || true
}

# (a) a certificate from the municipality's CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$w/ca.key" -out "$w/ca.pem" -days 2 -subj "/CN=Install Test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" >/dev/null 2>&1 || fail "openssl CA"
openssl req -newkey rsa:2048 -nodes -keyout "$w/key.pem" -out "$w/srv.csr" -subj "/CN=127.0.0.1" >/dev/null 2>&1 \
    || fail "openssl csr"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$w/ext.cnf"
openssl x509 -req -in "$w/srv.csr" -CA "$w/ca.pem" -CAkey "$w/ca.key" -CAcreateserial -days 2 -extfile "$w/ext.cnf" \
    -out "$w/cert.pem" >/dev/null 2>&1 || fail "openssl sign"
TEILHABE_PASSPHRASE=install-test teilhabe keygen --out "$w/keys" >/dev/null 2>&1 || fail "teilhabe keygen"
mkdir -p "$w/kiosk" "$w/kiosk2"
cp "$w/keys/research.pub" "$w/kiosk/"
cp "$w/keys/research.pub" "$w/kiosk2/"
teilhabe vault fill-demo --data "$w/kiosk" --count 25 >/dev/null || fail "teilhabe vault fill-demo"
teilhabe vault fill-demo --data "$w/kiosk2" --count 15 >/dev/null || fail "teilhabe vault fill-demo"
start_installed_server "$w/srv" --cert "$w/cert.pem" --key "$w/key.pem"
code=$(teilhabe-server enrol --data "$w/srv" 2>/dev/null)
teilhabe enrol --data "$w/kiosk" --server "$url" --code "$code" >/dev/null 2>"$w/err" && fail "enrolled without trusting the CA"
grep -q "certificate is unknown" "$w/err" || fail "message without the CA: $(cat "$w/err")"
enrol_and_sync "$w/kiosk" "$w/srv" 25 --ca "$w/ca.pem"
say "installed server and CLI, CA mode: enrol refused without the CA, enrol with --ca, 25 records synced"

# (b) the server's own certificate, its key pinned by the kiosk.
start_installed_server "$w/srv2" --tls-self-signed
[ "$(stat -c %a "$w/srv2/tls/server.key")" = 600 ] || fail "the self-made TLS key is not mode 0600"
pin=$(teilhabe-server pin --data "$w/srv2" 2>/dev/null) || fail "teilhabe-server pin"
wrong="sha256/$(head -c 32 /dev/urandom | base64)"
code=$(teilhabe-server enrol --data "$w/srv2" 2>/dev/null)
teilhabe enrol --data "$w/kiosk2" --server "$url" --code "$code" --pin "$wrong" >/dev/null 2>"$w/err" \
    && fail "enrolled with a wrong pin"
grep -q "shows the key $pin" "$w/err" || fail "wrong pin message: $(cat "$w/err")"
enrol_and_sync "$w/kiosk2" "$w/srv2" 15 --pin "$pin"
say "installed server and CLI, pin mode: self-made certificate, wrong pin refused, 15 records synced with the pin"

# --- the installed kiosk draws its first frame ---
mkdir -p "$w/kdata"
cp "$w/keys/research.pub" "$w/kdata/"
TK_KIOSK_LAYOUT="$w/layout.txt" timeout 60 xvfb-run -a -s "-screen 0 1366x768x24" \
    sh -c "teilhabe-kiosk --data '$w/kdata' --survey /usr/share/teilhabe-kiosk/surveys/buerger-digital.json & k=\$!; \
           for i in \$(seq 200); do [ -s '$w/layout.txt' ] && break; sleep 0.1; done; kill \$k; wait \$k" \
    >"$w/kiosk.log" 2>&1 || true
grep -q '^@page ' "$w/layout.txt" 2>/dev/null || { cat "$w/kiosk.log"; fail "the installed kiosk drew no frame"; }
say "installed kiosk: first frame drawn under Xvfb ($(head -n1 "$w/layout.txt"))"

# --- the same under the appliance's compositor: cage (+ Xwayland), headless wlroots backend ---
# As the appliance's user: cage refuses to run as root.
# (Its own folders: $w is root's alone.)
rt=$(mktemp -d)
cd_=$(mktemp -d)
mkdir "$cd_/data"
cp "$w/keys/research.pub" "$cd_/data/"
chown -R teilhabe-kiosk "$rt" "$cd_"
chmod 0700 "$rt"
runuser -u teilhabe-kiosk -- env XDG_RUNTIME_DIR="$rt" WLR_BACKENDS=headless WLR_RENDERER=pixman \
    WLR_LIBINPUT_NO_DEVICES=1 TK_KIOSK_LAYOUT="$cd_/layout.txt" timeout 60 \
    cage -- sh -c "teilhabe-kiosk --data '$cd_/data' --survey /usr/share/teilhabe-kiosk/surveys/buerger-digital.json & k=\$!; \
                   for i in \$(seq 300); do [ -s '$cd_/layout.txt' ] && break; sleep 0.1; done; kill \$k; wait \$k" \
    >"$w/cage.log" 2>&1 || true
grep -q '^@page ' "$cd_/layout.txt" 2>/dev/null || { cat "$w/cage.log"; fail "the installed kiosk drew no frame under cage"; }
say "installed kiosk: first frame drawn under cage, headless ($(head -n1 "$cd_/layout.txt"))"
rm -rf "$w" "$rt" "$cd_"

# --- purge leaves nothing but data ---
dpkg --purge "${ours[@]}" >/dev/null
snapshot >/tmp/after.txt
left=$(comm -13 /tmp/before.txt /tmp/after.txt | grep -v -e '^/var/lib/teilhabe' -e '^/root' || true)
[ -z "$left" ] || fail "purge left files behind: $(echo "$left" | head -10 | tr '\n' ' ')"
say "purge: nothing left behind outside the data folders"
