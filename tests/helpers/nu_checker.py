"""The Nu HTML checker (the npm package ``vnu-jar``: ``vnu.jar``, run with Java), over many files in one
run: Java's start-up costs more than checking a page.

The jar is ``VNU_JAR`` if that is set, else the one ``make nu-checker`` installs into the project's
``.cache/vnu/`` (not committed); Java is ``JAVA`` if set, else ``java`` on the PATH.
:func:`missing` says what is missing, for a test to skip with that reason."""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parents[2]
# The checker needs a stack of 512 KiB or more. Its run is short: the JIT's first tier is enough,
# and on two busy cores it checks 180 pages in 3 s instead of 23 s.
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1"]
INSTALLED_JAR = PROJECT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def jar() -> Path:
    return Path(os.environ.get("VNU_JAR") or INSTALLED_JAR)


def java() -> str | None:
    return shutil.which(os.environ.get("JAVA") or "java")


def missing() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if java() is None:
        return "Java is not installed (the Nu HTML checker needs it; Debian: apt-get install default-jre-headless)"
    if not jar().is_file():
        return f"the Nu HTML checker is not installed: no {jar()} (run `make nu-checker`, or set VNU_JAR)"
    return None


@dataclass(frozen=True)
class Message:
    file: str
    line: int | None
    column: int | None
    text: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        extract = " ".join(self.extract.split())
        return f"{where}: {self.text}" + (f"\n    {extract}" if extract else "")


def errors(paths: list[Path]) -> list[Message]:
    """The checker's errors on these files (its warnings left out), each with the file's name."""
    completed = subprocess.run(
        [java(), *JAVA_OPTIONS, "-jar", str(jar()), "--format", "json", "--errors-only", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(
            f"the Nu HTML checker did not answer in JSON:\n{completed.stdout}\n{completed.stderr}"
        ) from None
    return [
        Message(
            file=Path(unquote(urlsplit(message.get("url", "")).path)).name,
            line=message.get("lastLine"),
            column=message.get("firstColumn") or message.get("lastColumn"),
            text=message.get("message", ""),
            extract=message.get("extract", ""),
        )
        # "error", and "non-document-error" (a file it could not read); "info" are warnings.
        for message in messages
        if message.get("type") != "info"
    ]
