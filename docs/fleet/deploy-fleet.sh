#!/bin/sh
# Rolls a configuration out to a fleet of boards with nanoff's file deployment
# (README, Many boards). boards.txt has one board per line: serial port, hostname,
# profile (esp32-wroom-32 when left out) and nanoff target (ESP32_REV0 when left
# out, as flashed in README, Flash and deploy); '#' starts a comment:
#     /dev/ttyUSB0  gw-boiler-1.plant.lan
#     /dev/ttyUSB1  gw-press-2.plant.lan   esp32-c3  ESP32_C3
# For each board it writes nmg.conf (this folder's, with the board's hostname),
# board.conf and deploy.json into OUT/HOST/ and runs nanoff there; then reset the board.
# nmg.conf, board.conf (Wi-Fi; copy it from firmware/NanoMailGateway/Deploy) and ca.pem
# are read from this script's folder, board profiles from NMG_BOARDS (default: the
# repository's boards/). With -n it only writes the files and prints the nanoff commands.
# Usage: deploy-fleet.sh [-n] boards.txt [OUT]
set -eu
dry=
if [ "${1:-}" = "-n" ]; then dry=1; shift; fi
[ $# -ge 1 ] || { echo "usage: deploy-fleet.sh [-n] boards.txt [OUT]" >&2; exit 64; }
list=$1
out=${2:-fleet-out}
here=$(cd "$(dirname "$0")" && pwd)
boards=${NMG_BOARDS:-$here/../../boards}
[ -f "$list" ] || { echo "deploy-fleet.sh: cannot read $list" >&2; exit 66; }
[ -f "$here/board.conf" ] || { echo "deploy-fleet.sh: $here/board.conf missing (copy it from firmware/NanoMailGateway/Deploy and set Wi-Fi)" >&2; exit 66; }
if grep -q '^relay_ca_file' "$here/nmg.conf" && [ ! -f "$here/ca.pem" ]; then
    echo "deploy-fleet.sh: nmg.conf names relay_ca_file but $here/ca.pem is missing (the board has no CA bundle)" >&2; exit 66
fi
grep -v '^[[:space:]]*\(#\|$\)' "$list" | while read -r port host profile target; do
    profile=${profile:-esp32-wroom-32}
    target=${target:-ESP32_REV0}
    [ -f "$boards/$profile.conf" ] || { echo "deploy-fleet.sh: $host: no profile $profile in $boards" >&2; exit 65; }
    dir="$out/$host"
    mkdir -p "$dir"
    sed "s/^hostname = .*/hostname = $host/" "$here/nmg.conf" > "$dir/nmg.conf"
    sed "s/^board = .*/board = $profile/" "$here/board.conf" > "$dir/board.conf"
    cp "$boards/$profile.conf" "$dir/profile.conf"
    [ ! -f "$here/ca.pem" ] || cp "$here/ca.pem" "$dir/ca.pem"
    {
        printf '{\n  "serialport": "%s",\n  "files": [\n' "$port"
        printf '    { "DestinationFilePath": "I:\\\\board.conf", "SourceFilePath": "board.conf" },\n'
        printf '    { "DestinationFilePath": "I:\\\\profile.conf", "SourceFilePath": "profile.conf" },\n'
        if [ -f "$dir/ca.pem" ]; then
            printf '    { "DestinationFilePath": "I:\\\\ca.pem", "SourceFilePath": "ca.pem" },\n'
        fi
        printf '    { "DestinationFilePath": "I:\\\\nmg.conf", "SourceFilePath": "nmg.conf" }\n  ]\n}\n'
    } > "$dir/deploy.json"
    if [ -n "$dry" ]; then
        echo "(cd $dir && nanoff --target $target --serialport $port --filedeployment deploy.json)"
    else
        (cd "$dir" && nanoff --target "$target" --serialport "$port" --filedeployment deploy.json)
    fi
done
