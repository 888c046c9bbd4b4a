#!/usr/bin/env bash
# The project's two commands:
#   ./dev.sh start   set up, build, start the Spaces simulator and open Chromium with the extension on its demo page
#   ./dev.sh test    set up, then run the whole test suite (unit, the panel alone, build, e2e in Chromium and Firefox ESR)
# Set-up installs what is missing: Debian's chromium and firefox-esr (as root, with apt-get), and npm packages.
set -euo pipefail
cd "$(dirname "$0")"

have() { command -v "$1" >/dev/null 2>&1; }

setup_browsers() {
  local missing=()
  have chromium || have chromium-browser || have google-chrome || missing+=(chromium)
  have firefox-esr || have firefox || missing+=(firefox-esr)
  [ ${#missing[@]} -eq 0 ] && return
  if have apt-get && [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} with apt-get"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  elif have apt-get && have sudo; then
    sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Please install: ${missing[*]} (or set CHROME_PATH / FIREFOX_PATH to an installed browser)" >&2
  fi
}

setup_node() {
  local stamp=node_modules/.installed-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
}

case "${1:-}" in
  start)
    setup_browsers
    setup_node
    npm run build
    exec node --import tsx scripts/start.ts
    ;;
  test)
    setup_browsers
    setup_node
    npm test
    ;;
  *)
    echo "usage: ./dev.sh start | test" >&2
    exit 2
    ;;
esac
