"""``manage.py load_test``: its arguments, what it makes of wrk's output, and the saves it makes.
Nothing here starts gunicorn or wrk."""

import threading

import pytest
from django.core.management import CommandError, call_command

from cooperation.devtools.load_report import (
    WrkRun,
    compare,
    duration_ms,
    format_report,
    parse_wrk,
    server_errors,
)
from cooperation.devtools.load_saver import EDITED, Saver, save_loop
from cooperation.models import Project
from events.models import Meeting
from tests import factories as f

# wrk 4.1.0's output of a run on /projects/ (gunicorn, 3 workers, with saves every 2 s).
WRK_WITH_SAVES = """\
Running 30s test @ http://127.0.0.1:41245/projects/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   384.33ms  612.06ms   4.31s    89.93%
    Req/Sec    40.13     21.72   120.00     66.67%
  Latency Distribution
     50%  118.20ms
     75%  301.57ms
     90%    1.12s
     99%    3.02s
  2312 requests in 30.04s, 61.31MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
Requests/sec:     76.96
Transfer/sec:      2.04MB
"""

WRK_WITHOUT_SAVES = """\
Running 30s test @ http://127.0.0.1:41245/projects/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    80.22ms   40.10ms 512.00ms   75.10%
    Req/Sec   101.20     20.01   160.00     70.00%
  Latency Distribution
     50%   72.10ms
     75%   95.00ms
     90%  130.40ms
     99%  250.00ms
  6021 requests in 30.02s, 159.70MB read
  Non-2xx or 3xx responses: 2
Requests/sec:    200.57
Transfer/sec:      5.32MB
"""


def test_wrk_durations_in_milliseconds():
    assert duration_ms("850.00us") == pytest.approx(0.85)
    assert duration_ms("19.40ms") == 19.4
    assert duration_ms("3.02s") == 3020.0
    assert duration_ms("1.50m") == 90_000.0
    with pytest.raises(ValueError, match="not a wrk duration"):
        duration_ms("fast")


def test_wrk_output_is_read_into_a_run():
    run = parse_wrk(WRK_WITH_SAVES, saves=15, server_errors=1, load_average=3.5)

    assert run == WrkRun(
        requests=2312,
        seconds=30.04,
        requests_per_s=76.96,
        p50_ms=118.2,
        p99_ms=3020.0,
        socket_errors=3,
        timeouts=3,
        non_2xx=0,
        server_errors=1,
        saves=15,
        load_average=3.5,
    )
    assert run.errors == 3
    quiet = parse_wrk(WRK_WITHOUT_SAVES)
    assert (quiet.requests_per_s, quiet.p50_ms, quiet.p99_ms, quiet.non_2xx, quiet.errors) == (
        200.57,
        72.1,
        250.0,
        2,
        2,
    )
    assert quiet.saves is None


def test_output_without_latency_figures_is_refused():
    without_latency = WRK_WITHOUT_SAVES.replace("     99%  250.00ms\n", "")

    with pytest.raises(ValueError, match="was --latency given"):
        parse_wrk(without_latency)


def test_server_errors_are_counted_from_the_access_log():
    log = (
        '- 127.0.0.1 [03/Dec/2026:13:20:01 +0000] "GET /projects/ HTTP/1.1" 200 26514 71ms "-" "-"\n'
        '- 127.0.0.1 [03/Dec/2026:13:20:01 +0000] "GET /projects/ HTTP/1.1" 502 120 3ms "-" "-"\n'
        '- 127.0.0.1 [03/Dec/2026:13:20:02 +0000] "GET /projects/?page=500 HTTP/1.1" 404 900 9ms "-" "-"\n'
        '- 127.0.0.1 [03/Dec/2026:13:20:02 +0000] "GET /projects/ HTTP/1.1" 500 145 1200ms "-" "-"\n'
    )

    assert server_errors(log) == 2
    assert server_errors("") == 0


def run(rate, p99, saves=None):
    return WrkRun(requests=int(rate * 30), seconds=30.0, requests_per_s=rate, p50_ms=50.0, p99_ms=p99, saves=saves)


def test_the_ratios_compare_the_means_of_each_kind_of_run():
    verdict = compare([run(200, 250), run(180, 350)], [run(76, 3000, saves=15), run(57, 2400, saves=15)])

    assert verdict.throughput_ratio == pytest.approx(66.5 / 190)
    assert verdict.p99_ratio == pytest.approx(2700 / 300)
    assert not verdict.throughput_ok and not verdict.p99_ok and not verdict.ok
    passing = compare([run(200, 250)], [run(150, 480, saves=15)])
    assert passing.throughput_ratio == 0.75 and passing.p99_ratio == pytest.approx(1.92) and passing.ok
    with pytest.raises(ValueError):
        compare([run(200, 250)], [])


def test_the_report_of_a_real_pair_of_runs():
    runs = [
        parse_wrk(WRK_WITHOUT_SAVES, load_average=2.1),
        parse_wrk(WRK_WITH_SAVES, saves=15, server_errors=0, load_average=3.4),
    ]

    report = format_report(runs, url="/projects/", save_every=2.0, connections=16, seconds=30).splitlines()

    assert report[0] == "/projects/: wrk, 16 connections, 30 s a run; saves: a record every 2 s"
    assert report[1].split() == ["run", "saves", "requests/s", "p50", "ms", "p99", "ms", "requests"] + [
        "errors",
        "timeouts",
        "5xx",
        "load",
    ]
    assert report[2].split() == ["1", "none", "200.6", "72.1", "250.0", "6021", "2", "0", "0", "2.10"]
    assert report[3].split() == ["2", "15", "during", "the", "run", "77.0", "118.2", "3020.0"] + [
        "2312",
        "3",
        "3",
        "0",
        "3.40",
    ]
    assert report[4] == "throughput with saves ÷ without: 0.38× (target ≥ 0.7×) ✗"
    assert report[5] == "p99 with saves ÷ without: 12.08× (target ≤ 2×) ✗"
    assert report[6] == "Misses the targets."
    assert "raise --timeout" in report[7]


def test_a_report_that_meets_the_targets_says_so():
    report = format_report(
        [run(200, 250), run(190, 300, saves=15)], url="/", save_every=2, connections=16, seconds=30
    ).splitlines()

    assert report[-3:] == [
        "throughput with saves ÷ without: 0.95× (target ≥ 0.7×) ✓",
        "p99 with saves ÷ without: 1.20× (target ≤ 2×) ✓",
        "Meets the targets.",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--url", "projects/"], "--url is a path"),
        (["--connections", "0"], "--connections must be 1 or more"),
        (["--seconds", "0", "--rounds", "0"], "--seconds must be 1 or more; --rounds must be 1 or more"),
        (["--save-every", "0"], "--save-every must be more than 0"),
        (["--connections", "1", "--wrk-threads", "2"], "--wrk-threads may not be more than --connections"),
        (["--port", "70000"], "--port must be a port number"),
        (["--redis-url", "redis://127.0.0.1:1/0"], "Redis does not answer at redis://127.0.0.1:1/0"),
    ],
)
def test_bad_arguments_and_a_missing_redis_stop_it_before_anything_starts(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_test", *arguments)


@pytest.fixture
def records(db):
    project = f.ProjectFactory(title="Border management")
    meeting = f.MeetingFactory(title="Migration talks")
    return project, meeting


def test_the_saves_rename_unpublish_and_put_back_in_turn(records):
    project, meeting = records
    saver = Saver()

    said = [saver.step() for _ in range(2)]

    assert said == [f"project {project.pk} renamed", f"meeting {meeting.pk} unpublished"]
    assert Project.objects.get(pk=project.pk).title == "Border management" + EDITED
    assert not Meeting.objects.get(pk=meeting.pk).published
    assert saver.step() == f"project {project.pk} given its title back"
    assert saver.step() == f"meeting {meeting.pk} published again"
    assert Project.objects.get(pk=project.pk).title == "Border management"
    assert Meeting.objects.get(pk=meeting.pk).published


def test_stopping_the_saver_puts_back_what_it_changed(records):
    project, meeting = records
    stop, lines = threading.Event(), []

    def write(line):
        lines.append(line)
        if len(lines) == 3:  # ready, then two saves: the project renamed, the meeting unpublished
            stop.set()

    save_loop(0.01, stop, write)

    assert lines[0] == "ready"
    assert lines[1].startswith(f"saved project {project.pk} renamed in ")
    assert lines[2].startswith(f"saved meeting {meeting.pk} unpublished in ")
    assert lines[3] == f"restored: project {project.pk} given its title back; meeting {meeting.pk} published again"
    assert Project.objects.get(pk=project.pk).title == "Border management"
    assert Meeting.objects.get(pk=meeting.pk).published


def test_the_saver_needs_a_published_project_and_meeting(db):
    f.ProjectFactory()

    with pytest.raises(LookupError, match="published project and a published meeting"):
        Saver()
