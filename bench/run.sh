#!/usr/bin/env bash
# Every benchmark of issue 13, one command, one table (medians and spread over the runs, peers in the same run):
#
#   bench/run.sh                 # the full set: ack path 3 runs x 10 s, revocation 3 runs, start-up 3 starts, a 10-minute soak, the ack-path profile
#   bench/run.sh --quick         # a few minutes: ack path 2 runs x 3 s, revocation 1 run of 30 s per limit, 2 starts, a 1-minute soak, no profile
#   bench/run.sh --minutes 30    # the soak's length
#
# Needs wrk (apt-get install -y wrk); Node.js + npm for the Bolt peer (skipped with a note otherwise). Everything
# runs on 127.0.0.1. The raw output of each part is kept in the folder printed at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
quick=""; minutes=10
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=yes; minutes=1; shift ;;
    --minutes) minutes="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--quick] [--minutes N]" >&2; exit 2 ;;
  esac
done
out=$(mktemp -d /tmp/incidentbot-bench.XXXXXX)
echo "load before: $(uptime)" | tee "$out/load.txt" >&2

echo "building (Release)..." >&2
for project in src/IncidentBot/IncidentBot.csproj bench/ack/floor/AckFloor.csproj bench/IncidentBot.Scale/IncidentBot.Scale.csproj; do
  dotnet build -c Release -v q --nologo "$repo/$project" >/dev/null
done
scale() { (cd "$repo" && dotnet bench/IncidentBot.Scale/bin/Release/net10.0/IncidentBot.Scale.dll "$@"); }

echo "ack path..." >&2
if [[ -n "$quick" ]]; then export RUNS=${RUNS:-2} SECONDS_EACH=${SECONDS_EACH:-3}; else export RUNS=${RUNS:-3} SECONDS_EACH=${SECONDS_EACH:-10}; fi
RESULTS="$out/ack.tsv" "$here/ack/run.sh" >"$out/ack.md" 2>"$out/ack.log" || { cat "$out/ack.log" >&2; exit 1; }

status=0
echo "mass revocation..." >&2
for run in $(seq 1 "$([[ -n "$quick" ]] && echo 1 || echo 3)"); do
  scale revoke ${quick:+--quick} >>"$out/revoke.log" 2>&1 || status=1
done
echo "start-up at scale..." >&2
scale startup ${quick:+--quick} >"$out/startup.log" 2>&1 || status=1
echo "soak, $minutes min..." >&2
scale soak --minutes "$minutes" >"$out/soak.log" 2>&1 || status=1
echo "load after: $(uptime)" | tee -a "$out/load.txt" >&2

echo
echo "IncidentBot benchmarks, $(date -u '+%F %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; $(head -1 "$out/load.txt"); $(tail -1 "$out/load.txt")${quick:+; --quick}"
echo
python3 "$here/summary.py" "$out"
if [[ -z "$quick" ]]; then
  echo
  echo "Ack-path profile (BenchmarkDotNet, --job short --inProcess):"
  (cd "$repo" && dotnet run -c Release --project bench/IncidentBot.Benchmarks -- --filter "*AckPath*" --job short --inProcess --artifacts "$out/bdn" >"$out/profile.log" 2>&1) || status=1
  sed -n '/^| Method\|^| *Method/,/^$/p' "$out/profile.log"
fi
echo
echo "raw output: $out"
[[ $status == 0 ]] || echo "SOME CHECK FAILED: see the logs in $out" >&2
exit $status
