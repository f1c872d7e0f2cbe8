#!/usr/bin/env python3
"""bench/run.sh's one table, from the raw rows each part left in the output folder (ack.tsv and the RESULT lines)."""
import collections
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])


def cell(values, fmt):
    values = [v for v in values if v == v]  # no NaN
    if not values:
        return "n/a"
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def n0(v):
    return f"{v:,.0f}"


def n1(v):
    return f"{v:,.1f}"


def n2(v):
    return f"{v:,.2f}"


def pct(v):
    return f"{v:.0%}"


def results(name):
    rows = []
    for log in out.glob("*.log"):
        for line in log.read_text(errors="replace").splitlines():
            parts = line.split("\t")
            if parts[0] == "RESULT" and parts[1] == name:
                rows.append(parts[2:])
    return rows


table = []  # (benchmark, case, measure, value, target, verdict)

# Ack path: kind, peer, c, req/s, p99, errors
ack = collections.defaultdict(list)
if (out / "ack.tsv").exists():
    for line in (out / "ack.tsv").read_text().splitlines():
        kind, peer, c, rps, p99, bad = line.split("\t")
        ack[(kind, peer, int(c))].append((float(rps or 0), float(p99 or 0), int(bad or 0)))
for kind in ("command", "press"):
    for c in sorted({k[2] for k in ack if k[0] == kind}):
        for peer in ("floor", "incidentbot", "bolt"):
            r = ack.get((kind, peer, c))
            if not r:
                continue
            verdict, target = "", ""
            if peer == "incidentbot" and c == 100 and (kind, "floor", c) in ack:
                f = statistics.median(x[0] for x in ack[(kind, "floor", c)])
                fp = statistics.median(x[1] for x in ack[(kind, "floor", c)])
                b = statistics.median(x[0] for x in r)
                bp = statistics.median(x[1] for x in r)
                bolt = statistics.median(x[0] for x in ack[(kind, "bolt", c)]) if (kind, "bolt", c) in ack else None
                target = ">= 50% floor req/s, >= 4x Bolt, p99 <= 3x floor"
                met = b >= f / 2 and bp <= 3 * fp and (bolt is None or b >= 4 * bolt)
                verdict = f"{b / f:.0%} of floor, {('%.1fx Bolt' % (b / bolt)) if bolt else 'no Bolt'}, p99 {bp / fp:.1f}x: " + ("met" if met else "NOT met")
            errors = sum(x[2] for x in r)
            table.append(("ack " + kind, f"{peer}, c={c}", "req/s; p99 ms", f"{cell([x[0] for x in r], n0)}; {cell([x[1] for x in r], n2)}" + (f"; {errors} errors" if errors else ""), target, verdict))

# Revocation: case, users, sessions, requests, seconds, fraction, 429s, lost, twice
revoke = collections.defaultdict(list)
for case, users, sessions, requests, seconds, fraction, r429, lost, twice in results("revoke"):
    revoke[case].append((int(users), int(sessions), int(requests), float(seconds), float(fraction), int(r429), int(lost), int(twice)))
for case in sorted(revoke, key=lambda k: (int(k.split()[-1].split("/")[0]), "seed" in k)):
    r = revoke[case]
    seed = "seed" in case
    lost = sum(x[6] for x in r)
    twice = sum(x[7] for x in r)
    value = (f"{'no limiter, ' if seed else ''}{cell([x[4] for x in r], pct)} of the limit; {r[0][1]:,} sessions of {r[0][0]:,} users, {cell([x[2] for x in r], n0)} requests in {cell([x[3] for x in r], n1)} s; "
             f"429s {sum(x[5] for x in r)}; lost {lost}, revoked twice {twice} ({len(r)} run{'s' if len(r) > 1 else ''})")
    if seed:
        table.append(("mass revocation", case, "rate; losses", value, "(peer)", f"{lost} of {sum(x[1] for x in r):,} sessions left active"))
    else:
        ok = statistics.median(x[4] for x in r) >= 0.9 and lost == 0 and twice == 0
        table.append(("mass revocation", case, "rate; losses", value, ">= 90% of the limit, 0 lost", "met" if ok else "NOT met"))

# Start-up: run, ready ms, rss ready, rss after, list, status, report
startup = results("startup")
if startup:
    col = list(zip(*[[float(v) for v in row[1:]] for row in startup]))
    ready, rss, rss_after, lst, status, report = col
    table.append(("start-up at scale", "1,000 incidents, 100,000 entries", "start to /readyz, s", cell([v / 1000 for v in ready], n2), "< 2 s", "met" if statistics.median(ready) < 2000 else "NOT met"))
    bare = results("startup-empty")
    if bare:
        table.append(("start-up at scale", "the same host, empty storage file (same runs)", "start to /readyz, s; RSS MB", f"{cell([float(b[1]) / 1000 for b in bare], n2)}; {cell([float(b[2]) for b in bare], n0)}", "", "the host's own cost"))
    table.append(("start-up at scale", "same", "RSS at ready; after list/status/report, MB", f"{cell(rss, n0)}; {cell(rss_after, n0)}", "< 200 MB", "met" if max(rss_after) < 200 else "NOT met"))
    table.append(("start-up at scale", "same", "`list` ack round trip, ms", cell(lst, n1), "", ""))
    table.append(("start-up at scale", "same", "`status` ack round trip, ms", cell(status, n1), "", ""))
    table.append(("start-up at scale", "INC-1: 10,000 entries", "`report` ack round trip, first requests after the start, ms", cell(report, n1), "", "the JIT's tier 0: see the next rows"))
    warm = results("startup-warm")
    if warm:
        wl, ws, wr = list(zip(*[[float(v) for v in row[1:]] for row in warm]))
        table.append(("start-up at scale", "same, after 60 more requests", "`list`; `status` ack round trip, ms", f"{cell(wl, n1)}; {cell(ws, n1)}", "", ""))
        table.append(("start-up at scale", "INC-1: 10,000 entries, after 60 more requests", "`report` ack round trip, ms", cell(wr, n1), "< 100 ms", "met" if statistics.median(wr) < 100 else "NOT met"))
for load, write, list_all, list_open, find, routed, routed_list in results("report-parts"):
    table.append(("start-up at scale", "in-process, warmed", "`report` through the router; its parts: load 10,000 entries + write, ms", f"{float(routed):.1f}; {float(load):.1f} + {float(write):.1f}", "< 100 ms", "met" if float(routed) < 100 else "NOT met"))
    table.append(("start-up at scale", "in-process, warmed", "`list` through the router, ms", f"{float(routed_list):.1f}", "", ""))
    table.append(("start-up at scale", "in-process, warmed", "all 1,000 incidents; the 50 open, ms", f"{float(list_all):.1f}; {float(list_open):.1f}", "", ""))

# Soak: minutes, requests, errors, sent, lost, rss first, rss last, peak
for minutes, total, errors, sent, lost, first, last, peak in results("soak"):
    growth = (float(last) - float(first)) / float(first) if float(first) else float("nan")
    table.append(("soak", f"{minutes} min, 50 open incidents", "requests; errors; entries lost", f"{int(total):,}; {errors}; {lost} of {int(sent):,}", "0 errors, 0 lost", "met" if int(errors) == 0 and int(lost) == 0 else "NOT met"))
    table.append(("soak", "same", "RSS first vs last minute (peak), MB", f"{first} -> {last} ({peak})", "flat", f"{growth:+.0%}"))

print("| benchmark | case | measure | median (min-max) | target | verdict |")
print("|---|---|---|---|---|---|")
for row in table:
    print("| " + " | ".join(row) + " |")
