"""The edits ``manage.py load_test`` makes while ``wrk`` runs: what staff do, through the ORM's
``save()`` so that every signal fires (the cache's invalidation, the search index, the history).

One save every ``every`` seconds, in turn: the first project of the projects list renamed, the
first meeting of the meetings list unpublished, the project given its title back, the meeting
published again. When it stops (SIGTERM, SIGINT, or the end of the loop) it puts back what it
changed, so that a run leaves the records as it found them.
"""

import time

from cooperation.models import Project
from events.models import Meeting

EDITED = " (edited)"


class Saver:
    """The two records the load test edits, and the four saves it makes in turn."""

    def __init__(self):
        self.project = Project.objects.published().first()
        self.meeting = Meeting.objects.published().first()
        if self.project is None or self.meeting is None:
            raise LookupError("The load test's saves need a published project and a published meeting.")
        self.title = self.project.title
        self.turn = 0

    def step(self):
        """Make the next save; return what it did, in words."""
        action = self.turn % 4
        self.turn += 1
        if action == 0:
            self.project.title = self.title + EDITED
            self.project.save()
            return f"project {self.project.pk} renamed"
        if action == 1:
            self.meeting.published = False
            self.meeting.save()
            return f"meeting {self.meeting.pk} unpublished"
        if action == 2:
            self.project.title = self.title
            self.project.save()
            return f"project {self.project.pk} given its title back"
        self.meeting.published = True
        self.meeting.save()
        return f"meeting {self.meeting.pk} published again"

    def restore(self):
        """Undo what the saves left changed; return what it did, in words (empty for nothing)."""
        done = []
        if self.project.title != self.title:
            self.project.title = self.title
            self.project.save()
            done.append(f"project {self.project.pk} given its title back")
        if not self.meeting.published:
            self.meeting.published = True
            self.meeting.save()
            done.append(f"meeting {self.meeting.pk} published again")
        return "; ".join(done)


def save_loop(every, stop, write, saver=None):
    """Save with ``saver`` every ``every`` seconds (the first after ``every``) until the
    ``threading.Event`` ``stop`` is set, then restore. ``write`` gets one line a save:
    ``saved <what> in <ms> ms`` (``restored …`` for the last)."""
    saver = saver or Saver()
    write("ready")
    started = time.monotonic()
    turn = 1
    try:
        while not stop.wait(max(0.0, started + turn * every - time.monotonic())):
            began = time.perf_counter()
            what = saver.step()
            write(f"saved {what} in {(time.perf_counter() - began) * 1000:.0f} ms")
            turn += 1
    finally:
        what = saver.restore()
        if what:
            write(f"restored: {what}")
