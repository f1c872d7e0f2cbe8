#!/usr/bin/env python3
"""The ack-path table from run.sh's rows (kind, peer, concurrency, req/s, p99 ms, errors): medians and spread."""
import collections
import statistics
import sys

PEERS = ["floor", "incidentbot", "bolt"]
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    kind, name, c, rps, p99, bad = line.rstrip("\n").split("\t")
    rows[(kind, name, int(c))].append((float(rps or 0), float(p99 or 0), int(bad or 0)))


def cell(values, fmt):
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def median(kind, name, c, i):
    return statistics.median(x[i] for x in rows[(kind, name, c)])


print("| request | peer | concurrency | requests/s median (min-max) | p99 ms median (min-max) | errors |")
print("|---|---|---|---|---|---|")
kinds = sorted({k[0] for k in rows}, key=lambda k: ["command", "press"].index(k) if k in ("command", "press") else 9)
for (kind, name, c) in sorted(rows, key=lambda k: (kinds.index(k[0]), k[2], PEERS.index(k[1]))):
    r = rows[(kind, name, c)]
    print(f"| {kind} | {name} | {c} | {cell([x[0] for x in r], lambda v: f'{v:,.0f}')} | {cell([x[1] for x in r], lambda v: f'{v:.2f}')} | {sum(x[2] for x in r)} |")
print()
for kind in kinds:
    for c in sorted({k[2] for k in rows if k[0] == kind}):
        if (kind, "floor", c) not in rows or (kind, "incidentbot", c) not in rows:
            continue
        f, b = median(kind, "floor", c, 0), median(kind, "incidentbot", c, 0)
        fp, bp = median(kind, "floor", c, 1), median(kind, "incidentbot", c, 1)
        line = f"- {kind}, c={c}: IncidentBot {b / f:.0%} of the floor's throughput, p99 {bp / fp:.1f}x the floor's"
        if (kind, "bolt", c) in rows:
            line += f", {b / median(kind, 'bolt', c, 0):.1f}x Bolt's throughput"
        if c == 100:
            met = b >= f / 2 and bp <= 3 * fp and ((kind, "bolt", c) not in rows or b >= 4 * median(kind, "bolt", c, 0))
            line += " (targets at c=100: " + ("met" if met else "NOT met") + ")"
        print(line)
