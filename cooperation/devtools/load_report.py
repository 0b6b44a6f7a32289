"""What ``manage.py load_test`` makes of ``wrk``'s output: the figures of each run, the ratios of
the runs with saves to the runs without, and the verdict against issue #16's targets (with a
save every 2 s, throughput ≥ 0.7× and p99 ≤ 2× the no-save run's). Pure functions, no process.
"""

import re
import statistics
from dataclasses import dataclass

THROUGHPUT_TARGET = 0.7  # requests/s with saves ÷ without: at least this
P99_TARGET = 2.0  # p99 with saves ÷ without: at most this

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkRun:
    """One ``wrk --latency`` run: its throughput, latency and errors, and the saves made meanwhile
    (None for a run without the saver)."""

    requests: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    socket_errors: int = 0  # connect, read, write and timeout errors together
    timeouts: int = 0  # the requests wrk gave up on (--timeout): not in the latency figures
    non_2xx: int = 0  # answers other than 2xx or 3xx
    server_errors: int = 0  # 5xx answers in gunicorn's access log
    saves: int | None = None
    load_average: float | None = None  # the 1-minute load average when the run ended

    @property
    def errors(self):
        return self.socket_errors + self.non_2xx


@dataclass(frozen=True)
class Verdict:
    throughput_ratio: float
    p99_ratio: float

    @property
    def throughput_ok(self):
        return self.throughput_ratio >= THROUGHPUT_TARGET

    @property
    def p99_ok(self):
        return self.p99_ratio <= P99_TARGET

    @property
    def ok(self):
        return self.throughput_ok and self.p99_ok


def duration_ms(text):
    """``wrk``'s ``19.40ms``, ``1.02s``, ``850.00us`` or ``1.50m`` in milliseconds."""
    match = re.fullmatch(_DURATION, text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(text, *, saves=None, server_errors=0, load_average=None):
    """The :class:`WrkRun` of the output of ``wrk --latency``; ValueError if it is not that."""

    def find(pattern):
        match = re.search(pattern, text, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk's output has no line matching {pattern!r} (was --latency given?):\n{text}")
        return match

    totals = find(rf"^\s*(\d+) requests in {_DURATION}")
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkRun(
        requests=int(totals[1]),
        seconds=duration_ms(totals[2] + totals[3]) / 1000,
        requests_per_s=float(find(r"^Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=duration_ms(find(rf"^\s*50(?:\.0+)?%\s+{_DURATION}")[0].split()[-1]),
        p99_ms=duration_ms(find(rf"^\s*99(?:\.0+)?%\s+{_DURATION}")[0].split()[-1]),
        socket_errors=sum(int(value) for value in socket.groups()) if socket else 0,
        timeouts=int(socket[4]) if socket else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        server_errors=server_errors,
        saves=saves,
        load_average=load_average,
    )


def server_errors(access_log):
    """The number of 5xx answers in gunicorn's access log (the request line, then the status)."""
    return sum(1 for status in re.findall(r'"[A-Z]+ [^"]*" (\d{3}) ', access_log) if status.startswith("5"))


def compare(quiet, edited):
    """The :class:`Verdict` of the runs with saves against those without: the ratio of their mean
    requests/s and of their mean p99."""
    if not quiet or not edited:
        raise ValueError("compare() needs at least one run without saves and one with.")
    quiet_rate = statistics.fmean(run.requests_per_s for run in quiet)
    quiet_p99 = statistics.fmean(run.p99_ms for run in quiet)
    return Verdict(
        throughput_ratio=statistics.fmean(run.requests_per_s for run in edited) / quiet_rate if quiet_rate else 0.0,
        p99_ratio=statistics.fmean(run.p99_ms for run in edited) / quiet_p99 if quiet_p99 else float("inf"),
    )


def format_report(runs, *, url, save_every, connections, seconds):
    """The table of ``runs`` (in the order they ran), the two ratios and the verdict, as text."""
    quiet = [run for run in runs if run.saves is None]
    edited = [run for run in runs if run.saves is not None]
    lines = [
        f"{url}: wrk, {connections} connections, {seconds} s a run; saves: a record every {save_every:g} s",
        f"{'run':<4} {'saves':<16} {'requests/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'requests':>9} "
        f"{'errors':>7} {'timeouts':>8} {'5xx':>5} {'load':>5}",
    ]
    for number, run in enumerate(runs, 1):
        saves = "none" if run.saves is None else f"{run.saves} during the run"
        load = f"{run.load_average:5.2f}" if run.load_average is not None else f"{'-':>5}"
        lines.append(
            f"{number:<4} {saves:<16} {run.requests_per_s:10.1f} {run.p50_ms:9.1f} {run.p99_ms:9.1f} "
            f"{run.requests:9d} {run.errors:7d} {run.timeouts:8d} {run.server_errors:5d} {load}"
        )
    if not quiet or not edited:
        lines.append("No ratio: it needs a run without saves and one with.")
        return "\n".join(lines)
    verdict = compare(quiet, edited)
    mark = {True: "✓", False: "✗"}
    lines += [
        f"throughput with saves ÷ without: {verdict.throughput_ratio:.2f}× (target ≥ {THROUGHPUT_TARGET}×) "
        f"{mark[verdict.throughput_ok]}",
        f"p99 with saves ÷ without: {verdict.p99_ratio:.2f}× (target ≤ {P99_TARGET:g}×) {mark[verdict.p99_ok]}",
        "Meets the targets." if verdict.ok else "Misses the targets.",
    ]
    if any(run.timeouts for run in runs):
        lines.append("Requests that timed out are not in wrk's latency figures: raise --timeout to count them.")
    return "\n".join(lines)
