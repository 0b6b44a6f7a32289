"""The browser tests: the staff account they log in as, and a watch on each page's Content
Security Policy violations and console errors."""

from urllib.parse import urlsplit

STAFF_USERNAME = "editor"
STAFF_PASSWORD = "correct horse battery staple"

# Runs in every document before its own scripts: records each violation the browser reports.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || event.documentURI}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${where}) ${event.sample || ""}`.trim()
  );
});
"""


class PolicyWatch:
    """Collects CSP violations and console errors, page by page."""

    def __init__(self, page):
        self.page = page
        self.console_errors = []
        page.add_init_script(WATCH_VIOLATIONS)
        self.expected_failure = None
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def on_console(self, message):
        if message.type != "error":
            return
        # A page we expect to be a 404 logs its own status; that is no error of the page's.
        url = urlsplit(message.location.get("url", ""))
        if self.expected_failure and f"{url.path}{'?' if url.query else ''}{url.query}" == self.expected_failure:
            return
        # The admin's pages name no icon, so Chromium asks for /favicon.ico on its own: no page's doing.
        if url.path == "/favicon.ico":
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def visit(self, path, expected_status=200):
        self.expected_failure = path if expected_status != 200 else None
        response = self.page.goto(path)
        assert response.status == expected_status, f"{path}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        self.page.wait_for_load_state("networkidle")
        return response

    def problems(self, label):
        """What went wrong on the current document since the last call, labelled."""
        violations = self.page.evaluate("window.__cspViolations || []")
        found = [f"{label}: {item}" for item in violations + self.console_errors]
        self.console_errors = []
        return found


def fit_and_axe_problems(page, label, width):
    """What is wrong with the page shown: axe-core's violations, whether it scrolls sideways at
    ``width`` pixels, and whether its filter panel's options stay inside it (:data:`_FACET_PROBLEMS`)."""
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    results = Axe().run(page)
    if results.violations_count:
        problems.append(f"{label}: {results.generate_report()}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.append(f"{label} scrolls sideways by {overflow}px at {width}px")
    problems += [f"{label} at {width}px: {item}" for item in page.evaluate(_FACET_PROBLEMS)]
    return problems


# A filter panel's options, labels and counts inside its padding (a fieldset grows to its widest
# content unless told not to, and a long Russian word once pushed the counts past the panel's
# edge), no facet scrolling sideways, and every option of a short facet in view (only a long one,
# with its find box, scrolls).
_FACET_PROBLEMS = """() => {
  const found = [];
  for (const panel of document.querySelectorAll('.facets')) {
    const box = panel.getBoundingClientRect();
    const right = box.right - parseFloat(getComputedStyle(panel).paddingRight);
    for (const el of panel.querySelectorAll('fieldset, .facet-options li, .facet-options label, .facet-count')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > right + 0.5) {
        const text = el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
        found.push(`"${text}" sticks out of the filter panel by ${Math.round(r.right - right)}px`);
      }
    }
    for (const list of panel.querySelectorAll('.facet-options:not(.facet-options-long)')) {
      if (list.scrollHeight > list.clientHeight + 1) {
        found.push(`a short facet (${list.id}) hides options under a scroll bar`);
      }
    }
    for (const list of panel.querySelectorAll('.facet-options')) {
      if (list.scrollWidth > list.clientWidth + 1) {
        found.push(`a facet (${list.id}) scrolls sideways by ${list.scrollWidth - list.clientWidth}px`);
      }
    }
  }
  return found;
}"""
