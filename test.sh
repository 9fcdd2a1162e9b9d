#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed[, N skipped]".
# Installs what the tests need when it is missing (Debian packages; npm packages from the lock file).
set -uo pipefail
cd "$(dirname "$0")"

need=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} ..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

status=0
# The web UI's front-end packages (the Host's build also runs npm ci when they are missing).
if [ ! -f src/Host/node_modules/.package-lock.json ]; then
  echo "Installing npm packages of src/Host ..."
  (cd src/Host && npm ci --no-audit --no-fund --loglevel=error) || status=1
fi

log=$(mktemp)
# Test assemblies run one at a time: the fault harness, the browser tests and the Host tests each start
# servers and processes of their own, and on a small machine they would starve each other's deadlines.
dotnet build Workflows.sln -c Release -v q -nologo 2>&1 | tail -n 20 || status=1
if [ -x tools/check-migrations.sh ]; then
  tools/check-migrations.sh || { echo "Migrations are not in sync with the model."; status=1; }
fi
dotnet test --solution Workflows.sln -c Release --no-build --max-parallel-test-modules 1 2>&1 | tee "$log" || status=1

tools/test-totals.sh "$log" || status=1
rm -f "$log"
exit $status
