#!/usr/bin/env bash
# The ack-path benchmark: how fast a signed Slack slash command (and a button press) is acknowledged, through the
# whole IncidentBot host, beside a floor (bench/ack/floor: check the signature, parse, reply) and Bolt for
# JavaScript 5.1.0 acking only, all measured by wrk in the same run, on 127.0.0.1 only.
#
#   bench/ack/run.sh                # 3 runs x concurrency 1, 10, 100 x 10 s each, slash commands and button presses
#   RUNS=5 SECONDS_EACH=20 KINDS=press bench/ack/run.sh
#   RESULTS=file.tsv bench/ack/run.sh   # also keep the raw rows (kind, peer, c, req/s, p99 ms, non-2xx) for bench/run.sh
#
# Every request wrk sends is distinct and signed (bench/ack/signed.py): the bot's duplicate-command guard must not
# turn the benchmark into a measure of its "Already received" answer. The press is an Acknowledge on an escalation
# ping of an incident already acknowledged (INC-1..INC-20, seeded through the bot before the runs): a valid press the
# bot refuses as stale from the stored state, writing nothing, and tells the presser afterwards, once per button in
# 10 s (all presses are bob's, so after the first of each button a repeat is answered without a message).
#
# Needs wrk (apt-get install -y wrk) and Node.js with npm (for the Bolt peer; skipped with a note if npm is missing).
# Prints one Markdown table: medians over the runs, with the spread (min-max) beside them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
runs=${RUNS:-3}
each=${SECONDS_EACH:-10}
levels=${LEVELS:-"1 10 100"}
kinds=${KINDS:-"command press"}
secret="bench-signing-secret-$(date +%s)"
export SLACK_SIGNING_SECRET="$secret" SECRET="$secret"

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
  Storage__Path="$work/bot/incidentbot.db" Reports__Path="$work/bot/reports" Serilog__MinimumLevel__Default=Warning Serilog__WriteTo__0__Args__path="$work/bot/logs/incidentbot-.log" \
  dotnet "$repo/src/IncidentBot/bin/Release/net10.0/IncidentBot.dll" --urls http://127.0.0.1:18102 >"$work/bot.log" 2>&1) & pids+=($!)
if [[ -n "$bolt" ]]; then (cd "$here/bolt" && PORT=18103 exec node app.js >/dev/null 2>&1) & pids+=($!); fi
wait_port 18101; wait_port 18102; [[ -z "$bolt" ]] || wait_port 18103

signed="python3 $here/signed.py"

# Seed the incidents the presses point at, through the bot itself: declare, then acknowledge (so the ping's
# Acknowledge button, guarded by state:Declared, is stale).
incidents=""
for n in $(seq 1 20); do
  out=$($signed post http://127.0.0.1:18102/slack/commands "$($signed command "declare auth-outage sev2 Bench press target $n" "$((900000 + n))")")
  [[ "$out" == 200* ]] || { echo "declare $n answered: $out" >&2; cat "$work/bot.log" >&2; exit 1; }
  id=$(grep -o 'INC-[0-9]*' <<<"$out" | head -1)
  out=$($signed post http://127.0.0.1:18102/slack/commands "$($signed command "ack $id" "$((950000 + n))")")
  [[ "$out" == 200* ]] || { echo "ack $id answered: $out" >&2; exit 1; }
  incidents+="${incidents:+,}$id"
done
export INCIDENTS="$incidents"

# One sanity request of each kind to each peer: a benchmark of 401s or 400s would be worthless.
for kind in $kinds; do
  path=/slack/commands; [[ $kind == press ]] && path=/slack/interactions
  body=$($signed "$kind" help 1); [[ $kind == press ]] && body=$($signed press INC-1)
  for port in 18101 18102 ${bolt:+18103}; do
    out=$($signed post "http://127.0.0.1:$port$path" "$body")
    [[ "$out" == 200* ]] || { echo "peer on $port answered a signed $kind with: $out" >&2; cat "$work/bot.log" >&2; exit 1; }
    [[ $port != 18102 || $kind != press ]] || echo "the bot's answer to the press: ${out:0:80}" >&2
  done
done

results=${RESULTS:-$work/results.tsv}
: >"$results"
for run in $(seq 1 "$runs"); do
  for kind in $kinds; do
    path=/slack/commands; count=30000; [[ $kind == press ]] && path=/slack/interactions count=3000
    for c in $levels; do
      for peer in floor:18101 incidentbot:18102 ${bolt:+bolt:18103}; do
        name=${peer%%:*}; port=${peer##*:}
        threads=$(( c < 2 ? 1 : 2 ))
        $signed lua "$kind" "$count" "$work/signed.lua"   # signed now: the timestamp must be within 5 minutes
        out=$(wrk -t "$threads" -c "$c" -d "${each}s" --latency -s "$work/signed.lua" "http://127.0.0.1:$port" -- "$threads")
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$out")
        non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
        errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); errors=${errors:-0}
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$c" "$rps" "$p99" "$((non2xx + errors))" >>"$results"
      done
    done
  done
done
grep -q -i "exception\|fail" "$work/bot.log" && { echo "the bot logged problems during the run:" >&2; grep -i -m 5 "exception\|fail" "$work/bot.log" >&2; }

echo
echo "Ack path: signed \`/incident help\` (command) and a stale Acknowledge (press), $runs runs x ${each} s, $(date -u +%F), $(nproc) cores, wrk on the same machine"
echo
python3 "$here/summary.py" "$results"
