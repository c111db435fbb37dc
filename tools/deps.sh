#!/bin/sh
# motcua — install the Debian packages a make target needs, if missing.
# Usage: tools/deps.sh GROUP...   (groups: build test browser bench fuzz)
# Uses apt-get, through sudo when not root. Prints nothing when all is there.
set -eu

pkgs_build="gcc make pkg-config libc6-dev tzdata libsqlite3-dev sqlite3 libmicrohttpd-dev libcjson-dev libsodium-dev libinih-dev libqrencode-dev libxlsxwriter-dev libjs-chart.js"
pkgs_test="check"
pkgs_browser="chromium nodejs npm fonts-liberation"
pkgs_bench="wrk slowhttptest sqlite3"
pkgs_fuzz="clang libclang-rt-14-dev"

want=""
for g in "$@"; do
	eval "list=\${pkgs_$g:-}"
	[ -n "$list" ] || { echo "deps.sh: unknown group $g" >&2; exit 2; }
	want="$want $list"
done

missing=""
for p in $want; do
	# node and npm may come from elsewhere (nodesource, nvm): accept them.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $status in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0

echo "motcua: installing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "motcua: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || $SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
