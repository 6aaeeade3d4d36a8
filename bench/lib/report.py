"""The tables of bench/load.sh, in markdown, from its results file.

    python3 report.py RESULTS NOTES CLK_TCK HEADER

RESULTS lines (fields separated by spaces):
    main ROUTE SIDE rps p50_ms p99_ms requests user_ticks sys_ticks peak_kib
    growth LABEL SIDE ... (as main)
    conc ROUTE/CONNECTIONS SIDE ... (as main)
    floor ROUTE - floor_us
    size LABEL - floor_us vendor_bytes unified_bytes
    idle N SIDE rss_before rss_with rss_after ok failed open held hold_s
"""

import sys

SIDES = ["nginx", "haproxy", "caddy", "hyper", "gw", "gw1"]
# The sides that proxy the vendor answer untouched (sent the vendor request).
PEERS = ("nginx", "haproxy", "caddy", "hyper")
NAMES = {
    "nginx": "nginx",
    "haproxy": "haproxy",
    "caddy": "Caddy",
    "hyper": "hyper floor",
    "gw": "crossdock default",
    "gw1": "crossdock `worker_threads = 1`",
}
ROUTES = {
    "vehizen-xml": "GET customer group (Vehizen XML)",
    "vehizen-json": "GET customer group (Vehizen JSON)",
    "department": "PUT customer (department JSON)",
    "bokamera-json": "PUT customer (BokaMera JSON)",
    "bokamera-jsv": "PUT customer (BokaMera JSV)",
    "fleet-tree": "GET category tree (fleet-admin)",
    "fleet-vehicles": "GET category vehicles (fleet-admin)",
}


class Run:
    def __init__(self, f, hz):
        self.rps, self.p50, self.p99 = float(f[0]), float(f[1]), float(f[2])
        reqs, usr, sys_ = int(f[3]), int(f[4]), int(f[5])
        self.peak = int(f[6]) / 1024
        per = 1e6 / hz / max(reqs, 1)
        self.us, self.usr = (usr + sys_) * per, usr * per


def rate(v):
    return "{:,.0f}".format(v)


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def ratio(a, b):
    return "{:.2f}x".format(a / b) if b else "n/a"


def sides_of(runs):
    return [s for s in SIDES if any(k[1] == s for k in runs)]


def main_tables(runs, floors):
    routes = list(dict.fromkeys(k[0] for k in runs))
    sides = sides_of(runs)
    rows = []
    for r in routes:
        base = runs.get((r, "nginx"))
        row = [ROUTES.get(r, r)]
        for s in sides:
            x = runs.get((r, s))
            if x is None:
                row.append("")
                continue
            vs = " ({})".format(ratio(x.rps, base.rps)) if base and s != "nginx" else ""
            row.append("{}{}, {:.2f} / {:.2f} ms".format(rate(x.rps), vs, x.p50, x.p99))
        rows.append(row)
    print("### Throughput, p50 / p99 (req/s, ratio to nginx)\n")
    print(table(["route"] + [NAMES[s] for s in sides], rows))

    head = ["route"]
    for s in sides:
        if s in PEERS:
            head.append(NAMES[s])
            if s == "hyper":
                head.append("vs nginx")
    head += ["codec floor", "nginx + floor"]
    gws = [s for s in sides if s in ("gw", "gw1")]
    has_hyper = "hyper" in sides
    for s in gws:
        head += [NAMES[s], "vs nginx + floor"]
        if has_hyper:
            head.append("vs hyper + floor")
        head.append("peak RSS")
    rows = []
    for r in routes:
        row = [ROUTES.get(r, r)]
        base = runs.get((r, "nginx"))
        for s in sides:
            if s in PEERS:
                x = runs.get((r, s))
                row.append("{:.1f} ({:.1f})".format(x.us, x.usr) if x else "")
                if s == "hyper":
                    row.append(ratio(x.us, base.us) if x and base else "")
        fl = floors.get(r)
        total = base.us + fl if base and fl is not None else None
        row.append("{:.1f}".format(fl) if fl is not None else "")
        row.append("{:.1f}".format(total) if total is not None else "")
        hy = runs.get((r, "hyper"))
        hyper_total = hy.us + fl if hy and fl is not None else None
        for s in gws:
            x = runs.get((r, s))
            if x is None:
                row += ["", "", "", ""] if has_hyper else ["", "", ""]
                continue
            row.append("{:.1f} ({:.1f})".format(x.us, x.usr))
            row.append(ratio(x.us, total) if total else "n/a")
            if has_hyper:
                # What the gateway adds to its own libraries' proxying and
                # the codec work no translation can skip.
                row.append(ratio(x.us, hyper_total) if hyper_total else "n/a")
            row.append("{:.1f} MiB".format(x.peak))
        rows.append(row)
    print("\n### CPU per request (µs, user + system; user in brackets)\n")
    print(table(head, rows))


def slope(points):
    """Least squares: (µs per KB, R²) of points (kb, us)."""
    n = len(points)
    if n < 2:
        return float("nan"), float("nan")
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    syy = sum((p[1] - my) ** 2 for p in points)
    b = sxy / sxx if sxx else float("nan")
    r2 = sxy * sxy / (sxx * syy) if sxx and syy else float("nan")
    return b, r2


def growth_tables(runs, sizes):
    labels = list(sizes)
    sides = sides_of(runs)
    head = ["vendor answer", "unified answer", "codec floor"]
    head += ["{} µs, req/s".format(NAMES[s]) for s in sides]
    head += ["{} − nginx − floor".format(NAMES[s]) for s in sides if s in ("gw", "gw1")]
    rows = []
    for lab in labels:
        fl, vb, ub = sizes[lab]
        row = ["{} ({:,} B)".format(lab, vb), "{:,} B".format(ub), "{:.1f} µs".format(fl)]
        for s in sides:
            x = runs.get((lab, s))
            row.append("{:.1f} ({}/s)".format(x.us, rate(x.rps)) if x else "")
        base = runs.get((lab, "nginx"))
        for s in sides:
            if s in ("gw", "gw1"):
                x = runs.get((lab, s))
                row.append("{:+.1f} µs".format(x.us - base.us - fl) if x and base else "")
        rows.append(row)
    print("### CPU per request against the vendor answer's size (Vehizen XML)\n")
    print(table(head, rows))
    lines = []
    fslope, fr2 = slope([(sizes[lab][1] / 1024, sizes[lab][0]) for lab in labels])
    lines.append(["codec floor", "{:.2f}".format(fslope), "{:.3f}".format(fr2), "1.00x"])
    for s in sides:
        pts = [(sizes[lab][1] / 1024, runs[(lab, s)].us) for lab in labels if (lab, s) in runs]
        b, r2 = slope(pts)
        lines.append([NAMES[s], "{:.2f}".format(b), "{:.3f}".format(r2), ratio(b, fslope)])
    print("\nSlope over the sizes (least squares of CPU per request against KB of vendor answer):\n")
    print(table(["", "µs per KB", "R²", "slope / floor's"], lines))


def conc_table(runs):
    sides = sides_of(runs)
    rows = []
    for key in dict.fromkeys(k[0] for k in runs):
        r, c = key.split("/")
        row = [ROUTES.get(r, r), c]
        for s in sides:
            x = runs.get((key, s))
            row.append("{:.2f} / {:.2f} ms, {}/s".format(x.p50, x.p99, rate(x.rps)) if x else "")
        rows.append(row)
    print("### p50 / p99 and req/s against connections\n")
    print(table(["route", "connections"] + [NAMES[s] for s in sides], rows))


def idle_table(idle):
    rows = []
    n = hold = 0
    for side, f in idle:
        n, before, with_, after = int(f[0]), int(f[1]), int(f[2]), int(f[3])
        ok, failed, open_, held, hold = int(f[4]), int(f[5]), int(f[6]), int(f[7]), f[8]
        per = (with_ - before) / open_ if open_ else float("nan")
        rows.append([
            NAMES[side],
            "{:.1f} MiB".format(before / 1024),
            "{:.1f} MiB".format(with_ / 1024),
            "{:,}{}".format(open_, " ({:,} failed)".format(failed) if failed else ""),
            "{:.1f} KiB".format(per),
            "{:,}".format(held),
            "{:.1f} MiB".format(after / 1024),
        ])
    print("### RSS with {:,} idle keep-alive connections\n".format(n))
    print(table(["side", "RSS before", "RSS with them", "open when read", "per open connection",
                 "open {} s later".format(hold), "RSS after they close"], rows))


def main():
    results, notes, hz, header = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    tables = {"main": {}, "growth": {}, "conc": {}}
    floors, sizes, idle = {}, {}, []
    with open(results) as f:
        for line in f:
            k = line.split()
            if k[0] in tables:
                tables[k[0]][(k[1], k[2])] = Run(k[3:], hz)
            elif k[0] == "floor":
                floors[k[1]] = float(k[3])
            elif k[0] == "size":
                sizes[k[1]] = (float(k[3]), int(k[4]), int(k[5]))
            elif k[0] == "idle":
                idle.append((k[2], [k[1]] + k[3:]))
    print(header + "\n")
    if tables["main"]:
        main_tables(tables["main"], floors)
        print()
    if sizes:
        growth_tables(tables["growth"], sizes)
        print()
    if tables["conc"]:
        conc_table(tables["conc"])
        print()
    if idle:
        idle_table(idle)
        print()
    try:
        with open(notes) as f:
            text = f.read().strip()
    except OSError:
        text = ""
    print("Errors seen: " + ("none." if not text else "\n" + text))


if __name__ == "__main__":
    main()
