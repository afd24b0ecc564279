"""The results table of the auth benchmark (see bench.py)."""

from __future__ import annotations

LABELS = {"cairn-auth": "Cairn --auth", "cairn": "Cairn, no auth", "mlflow-auth": "MLflow basic-auth",
          "mlflow-auth-cache": "MLflow basic-auth, cache 30 s"}


def fmt(value: float | None, digits: int = 0) -> str:
    """A table cell: thousands separated, `digits` decimals below 100."""
    if value is None:
        return "—"
    if digits == 0 and value < 10:
        digits = 1
    return f"{value:,.{digits}f}" if value < 100 or digits == 0 else f"{value:,.0f}"


def ratio(a: float | None, b: float | None) -> str:
    """a / b as 12×, 1.25× or 0.0013× (two significant digits below 0.1)."""
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    if r >= 10:
        return f"{r:,.0f}×"
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.2g}×"


def dig(data: dict, *keys: str):
    """data[k1][k2]…, or None where a key is missing."""
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


ROWS = [
    ("reads, 1 client (requests/s)", ("reads_1", "requests_per_s"), 0),
    ("reads, 1 client, p50 (ms)", ("reads_1", "p50_ms"), 2),
    ("reads, 1 client, p99 (ms)", ("reads_1", "p99_ms"), 2),
    ("reads, 8 clients (requests/s)", ("reads_8", "requests_per_s"), 0),
    ("reads, 8 clients, p50 (ms)", ("reads_8", "p50_ms"), 2),
    ("reads, 8 clients, p99 (ms)", ("reads_8", "p99_ms"), 2),
    ("log-batch 100 metrics, 8 clients (requests/s)", ("writes_8", "requests_per_s"), 0),
    ("log-batch, 8 clients, p50 (ms)", ("writes_8", "p50_ms"), 2),
    ("server CPU per read, 1 client (ms)", ("reads_1", "server_cpu_ms_per_request"), 2),
    ("server CPU per log-batch, 8 clients (ms)", ("writes_8", "server_cpu_ms_per_request"), 2),
    ("refused (403), p50 (ms)", ("denied", "p50_ms"), 2),
    ("refused (403), p99 (ms)", ("denied", "p99_ms"), 2),
    ("reads with a Bearer token, 1 client (requests/s)", ("bearer_1", "requests_per_s"), 0),
    ("reads with a Bearer token, 1 client, p50 (ms)", ("bearer_1", "p50_ms"), 2),
    ("reads with a Bearer token, 8 clients (requests/s)", ("bearer_8", "requests_per_s"), 0),
    ("server CPU per Bearer read, 1 client (ms)", ("bearer_1", "server_cpu_ms_per_request"), 2),
    ("first sign-in, p50 (ms)", ("first", "first", "p50_ms"), 2),
    ("server CPU per first sign-in (ms)", ("first", "server_cpu_ms_first"), 1),
    ("the next request, same user, p50 (ms)", ("first", "second", "p50_ms"), 2),
    ("other processes' CPU during the windows (cores, mean)", ("other_cores",), 2),
    ("startup to /health, all started at once (ms)", ("ready_ms",), 0),
    ("RSS at the end (MiB)", ("rss_end_mib",), 1),
]


def report(results: dict) -> str:
    """The Markdown table of one results file, with the machine and load lines above it."""
    servers = results["servers"]
    names = list(servers)
    header = ["Metric"] + [LABELS[n] for n in names]
    pairs = [(a, b) for a, b in (("cairn-auth", "mlflow-auth"), ("cairn-auth", "mlflow-auth-cache"),
                                 ("cairn-auth", "cairn")) if a in servers and b in servers]
    header += [f"{LABELS[a].split(',')[0]} / {LABELS[b]}" for a, b in pairs]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for label, path, digits in ROWS:
        values = [dig(servers[n], *path) for n in names]
        if all(v is None for v in values):
            continue
        cells = [label] + [fmt(v, digits) for v in values]
        cells += [ratio(dig(servers[a], *path), dig(servers[b], *path)) for a, b in pairs]
        lines.append("| " + " | ".join(cells) + " |")
    m = results["machine"]
    out = [f"Auth benchmark, {results['date']}: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, "
           f"Linux {m['kernel']}, Python {m['python']}; {results['seconds']} s per window",
           f"Before: {results['uptime_before']}", f"After:  {results.get('uptime_after', '?')}",
           "Password hashes: " + (", ".join(f"{LABELS[n]} {s['password_scheme']}" for n, s in servers.items()
                                            if s.get("password_scheme")) or "none stored"),
           "", *lines]
    notes = []
    for name, result in servers.items():
        for key, value in result.items():
            if isinstance(value, dict) and "error" in value:
                notes.append(f"{LABELS[name]} {key}: {value['error']}")
        if "error" in result:
            notes.append(f"{LABELS[name]}: {result['error']}")
    if notes:
        out += ["", "Errors:"] + [f"- {n}" for n in notes]
    return "\n".join(out)
