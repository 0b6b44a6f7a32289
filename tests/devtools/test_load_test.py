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
from cooperation.devtools.load_runner import forget_keys
from cooperation.devtools.load_saver import EDITED, Saver, save_loop
from cooperation.models import Project
from events.models import Meeting
from tests import factories as f

# wrk 4.1.0's output of two runs on /projects/ (gunicorn, 3 workers; 1,000 partners, 10,000 projects,
# 100,000 meetings), as `manage.py load_test` kept them: without saves, then with a save every 2 s.
WRK_WITHOUT_SAVES = """\
Running 30s test @ http://127.0.0.1:55395/projects/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   699.53ms  205.08ms   1.31s    67.20%
    Req/Sec    13.92      8.21    50.00     74.07%
  Latency Distribution
     50%  656.63ms
     75%  824.00ms
     90%  994.71ms
     99%    1.21s\x20
  683 requests in 30.09s, 34.89MB read
Requests/sec:     22.70
Transfer/sec:      1.16MB
"""

WRK_WITH_SAVES = """\
Running 30s test @ http://127.0.0.1:55395/projects/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.50s     1.22s    5.44s    63.17%
    Req/Sec    12.79     10.55    50.00     68.68%
  Latency Distribution
     50%    1.40s\x20
     75%    2.22s\x20
     90%    3.17s\x20
     99%    4.50s\x20
  339 requests in 30.02s, 17.32MB read
Requests/sec:     11.29
Transfer/sec:    590.63KB
"""

# What wrk adds when requests fail or time out.
WRK_WITH_ERRORS = WRK_WITH_SAVES.replace(
    "  339 requests in 30.02s, 17.32MB read\n",
    "  339 requests in 30.02s, 17.32MB read\n"
    "  Socket errors: connect 0, read 2, write 0, timeout 5\n"
    "  Non-2xx or 3xx responses: 4\n",
)


def test_wrk_durations_in_milliseconds():
    assert duration_ms("850.00us") == pytest.approx(0.85)
    assert duration_ms("19.40ms") == 19.4
    assert duration_ms("3.02s") == 3020.0
    assert duration_ms("1.50m") == 90_000.0
    with pytest.raises(ValueError, match="not a wrk duration"):
        duration_ms("fast")


def test_wrk_output_is_read_into_a_run():
    run = parse_wrk(WRK_WITH_SAVES, saves=15, server_errors=1, load_average=12.36)

    assert run == WrkRun(
        requests=339,
        seconds=30.02,
        requests_per_s=11.29,
        p50_ms=1400.0,
        p99_ms=4500.0,
        socket_errors=0,
        timeouts=0,
        non_2xx=0,
        server_errors=1,
        saves=15,
        load_average=12.36,
    )
    quiet = parse_wrk(WRK_WITHOUT_SAVES)
    assert (quiet.requests, quiet.requests_per_s, quiet.p50_ms, quiet.p99_ms, quiet.errors, quiet.saves) == (
        683,
        22.7,
        656.63,
        1210.0,
        0,
        None,
    )


def test_wrk_errors_and_timeouts_are_counted():
    run = parse_wrk(WRK_WITH_ERRORS)

    assert (run.socket_errors, run.timeouts, run.non_2xx, run.errors) == (7, 5, 4, 11)


def test_output_without_latency_figures_is_refused():
    without_latency = WRK_WITHOUT_SAVES.replace("     99%    1.21s \n", "")

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
        parse_wrk(WRK_WITHOUT_SAVES, load_average=10.52),
        parse_wrk(WRK_WITH_ERRORS, saves=15, server_errors=0, load_average=12.36),
    ]

    report = format_report(runs, url="/projects/", save_every=2.0, connections=16, seconds=30).splitlines()

    assert report[0] == "/projects/: wrk, 16 connections, 30 s a run; saves: a record every 2 s"
    assert report[1].split() == ["run", "saves", "requests/s", "p50", "ms", "p99", "ms", "requests"] + [
        "errors",
        "timeouts",
        "5xx",
        "load",
    ]
    assert report[2].split() == ["1", "none", "22.7", "656.6", "1210.0", "683", "0", "0", "0", "10.52"]
    assert report[3].split() == ["2", "15", "during", "the", "run", "11.3", "1400.0", "4500.0"] + [
        "339",
        "11",
        "5",
        "0",
        "12.36",
    ]
    assert report[4] == "throughput with saves ÷ without: 0.50× (target ≥ 0.7×) ✗"
    assert report[5] == "p99 with saves ÷ without: 3.72× (target ≤ 2×) ✗"
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


def test_a_redis_gone_at_the_end_is_said_not_raised():
    assert forget_keys("redis://127.0.0.1:1/0", "load-test-0123abcd") is None


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
