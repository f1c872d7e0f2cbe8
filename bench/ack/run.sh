#!/usr/bin/env bash
# The ack-path benchmark: how fast a signed Slack slash command (and a button press) is acknowledged, through the
# whole IncidentBot host, beside a floor (bench/ack/floor: check the signature, parse, reply) and Bolt for
# JavaScript 5.1.0 acking only, all measured by wrk in the same run, on 127.0.0.1 only.
#
#   bench/ack/run.sh                # 3 runs x concurrency 1, 10, 100 x 10 s each
#   RUNS=5 SECONDS_EACH=20 bench/ack/run.sh
#
# Needs wrk (apt-get install -y wrk) and Node.js with npm (for the Bolt peer; skipped with a note if npm is missing).
# Prints one Markdown table: medians over the runs, with the spread (min-max) beside them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs=${RUNS:-3}
each=${SECONDS_EACH:-10}
levels=${LEVELS:-"1 10 100"}
secret="bench-signing-secret-$(date +%s)"
export SLACK_SIGNING_SECRET="$secret"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "building (Release)..." >&2
dotnet build -c Release -v q --nologo "$repo/src/IncidentBot/IncidentBot.csproj" >/dev/null
dotnet build -c Release -v q --nologo "$here/floor/AckFloor.csproj" -o "$work/floor" >/dev/null
bolt=""
if command -v npm >/dev/null; then
  (cd "$here/bolt" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) && bolt=yes || echo "npm install of @slack/bolt failed: Bolt peer skipped" >&2
fi

wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; return 1; }

# The peers, each on its own port.
dotnet "$work/floor/AckFloor.dll" --urls http://127.0.0.1:18101 >/dev/null 2>&1 & pids+=($!)
ACK_FLOOR_MODE=slack-stub dotnet "$work/floor/AckFloor.dll" --urls http://127.0.0.1:18109 >/dev/null 2>&1 & pids+=($!)
wait_port 18109
(cd "$repo" && exec env Roster__People__0__SlackId=UBENCH0 Roster__People__1__SlackId=UBENCH1 Roster__People__2__SlackId=UBENCH2 Slack__BotToken=xoxb-bench-not-a-token Slack__SigningSecret="$secret" Slack__ApiUrl=http://127.0.0.1:18109/api/ \
  Storage__Path="$work/bot/incidentbot.db" Reports__Path="$work/bot/reports" Serilog__MinimumLevel__Default=Warning \
  dotnet "$repo/src/IncidentBot/bin/Release/net10.0/IncidentBot.dll" --urls http://127.0.0.1:18102 >"$work/bot.log" 2>&1) & pids+=($!)
if [[ -n "$bolt" ]]; then (cd "$here/bolt" && PORT=18103 exec node app.js >/dev/null 2>&1) & pids+=($!); fi
wait_port 18101; wait_port 18102; [[ -z "$bolt" ]] || wait_port 18103

body='token=bench&team_id=TBENCH&team_domain=bench&channel_id=CBENCH&channel_name=bench&user_id=UBENCH&user_name=bench&command=%2Fincident&text=help&api_app_id=ABENCH&is_enterprise_install=false&response_url=http%3A%2F%2F127.0.0.1%3A18109%2Fresponse&trigger_id=1.2.3'
script() { # a wrk script that posts the body, signed now (the bot refuses a timestamp more than 5 minutes away)
  local ts sig
  ts=$(date +%s)
  sig="v0=$(printf 'v0:%s:%s' "$ts" "$1" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
  cat >"$work/signed.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$1]]
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
LUA
}

# One sanity request to each peer: a benchmark of 401s would be worthless.
script "$body"
for port in 18101 18102 ${bolt:+18103}; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
    -H "X-Slack-Request-Timestamp: $(grep Timestamp "$work/signed.lua" | cut -d'"' -f4)" \
    -H "X-Slack-Signature: $(grep Signature "$work/signed.lua" | cut -d'"' -f4)" --data "$body" "http://127.0.0.1:$port/slack/commands")
  [[ "$code" == 200 ]] || { echo "peer on $port answered $code to a signed /incident help" >&2; cat "$work/bot.log" >&2; exit 1; }
done

results="$work/results.tsv"
for run in $(seq 1 "$runs"); do
  for c in $levels; do
    for peer in floor:18101 incidentbot:18102 ${bolt:+bolt:18103}; do
      name=${peer%%:*}; port=${peer##*:}
      script "$body"
      out=$(wrk -t "$(( c < 2 ? 1 : 2 ))" -c "$c" -d "${each}s" --latency -s "$work/signed.lua" "http://127.0.0.1:$port/slack/commands")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
      non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$rps" "$p99" "$non2xx" >>"$results"
    done
  done
done

echo
echo "Ack path, signed \`/incident help\`, $runs runs x ${each} s, $(date -u +%F), $(nproc) cores, wrk on the same machine"
echo
python3 - "$results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, c, rps, p99, bad = line.split('\t')
    rows[(name, int(c))].append((float(rps), float(p99), int(bad)))
def cell(values, fmt):
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"
print("| peer | concurrency | requests/s median (min-max) | p99 ms median (min-max) | non-2xx |")
print("|---|---|---|---|---|")
for (name, c) in sorted(rows, key=lambda k: (k[1], ["floor", "incidentbot", "bolt"].index(k[0]))):
    r = rows[(name, c)]
    print(f"| {name} | {c} | {cell([x[0] for x in r], lambda v: f'{v:,.0f}')} | {cell([x[1] for x in r], lambda v: f'{v:.2f}')} | {sum(x[2] for x in r)} |")
for c in sorted({k[1] for k in rows}):
    f = statistics.median(x[0] for x in rows[("floor", c)]); b = statistics.median(x[0] for x in rows[("incidentbot", c)])
    fp = statistics.median(x[1] for x in rows[("floor", c)]); bp = statistics.median(x[1] for x in rows[("incidentbot", c)])
    line = f"c={c}: IncidentBot {b/f:.0%} of the floor's throughput, p99 {bp/fp:.1f}x the floor's"
    if ("bolt", c) in rows:
        line += f", {b/statistics.median(x[0] for x in rows[('bolt', c)]):.1f}x Bolt's throughput"
    print(); print(line)
PY
