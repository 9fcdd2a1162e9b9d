#!/usr/bin/env bash
# Reads the output of `dotnet test` (Microsoft Testing Platform) from FILE and prints the one closing line
# "N passed, N failed[, N skipped]" with the totals of every test assembly. Exits 1 when anything failed.
set -uo pipefail
log="$1"
# The platform prints one summary block per test assembly; add them up.
read -r passed failed skipped < <(awk '
  /^[[:space:]]*succeeded:/ { p += $2 }
  /^[[:space:]]*failed:/    { f += $2 }
  /^[[:space:]]*skipped:/   { s += $2 }
  END { print p+0, f+0, s+0 }' "$log")
# An assembly that crashed before reporting counts as a failure.
grep -qE 'exit code [1-9]|Test run aborted|error run failed' "$log" && [ "$failed" -eq 0 ] && failed=1
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
