/* A list page's filter form (templates/includes/facets.html), enhanced. Without this script the
   form works with its "Apply filters" button; with it:
   - ticking an option applies it at once: the page at the form's address is fetched and its
     filters, notices and results replace these in place (the address and the history follow),
     so the result count, a polite live region, is read out by screen readers; if the fetch
     fails the browser simply goes to that address;
   - a long facet shows its find box, which hides the options none of whose names (a partner's
     acronym too) holds what is typed (case and accents ignored).
   The options keep their place, the focus stays on the ticked box and a scrolled facet stays
   scrolled. */
"use strict";

(function () {
  const FORM = "form[data-list-filters]";
  if (!document.querySelector(FORM) || !window.fetch || !window.DOMParser || !window.history.pushState) {
    return;
  }
  let shown = location.pathname + location.search;
  let pending = null;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // Find boxes -----------------------------------------------------------------------------

  function narrow(box) {
    const input = box.querySelector("input[type=search]");
    const list = document.getElementById(input.getAttribute("aria-controls"));
    const wanted = fold(input.value);
    let matches = 0;
    for (const item of list.children) {
      const label = item.querySelector("label");
      const names = (label ? label.textContent : "") + " " + (item.dataset.otherNames || "");
      const match = !wanted || fold(names).includes(wanted);
      item.hidden = !match;
      matches += match ? 1 : 0;
    }
    box.querySelector(".facet-find-none").hidden = matches > 0;
  }

  function enhance(form) {
    for (const box of form.querySelectorAll(".facet-find")) {
      box.hidden = false;
      narrow(box);
    }
  }

  // Applying the form ----------------------------------------------------------------------

  function formAddress(form) {
    // Without the empty values ("any currency", an empty search): the address says what applies.
    const entries = Array.from(new FormData(form)).filter(([, value]) => value !== "");
    const query = new URLSearchParams(entries).toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  // Replace the children of `current` by those of `next`, keeping `kept` (a child of `current`,
  // whose counterpart in `next` has the same id) where it is: a live region must stay the same
  // node for its change to be read out.
  function replaceAround(current, next, kept) {
    const counterpart = next.querySelector("#" + CSS.escape(kept.id));
    for (const child of Array.from(current.childNodes)) {
      if (child !== kept) {
        child.remove();
      }
    }
    let before = true;
    for (const child of Array.from(next.childNodes)) {
      if (child === counterpart) {
        before = false;
      } else if (before) {
        current.insertBefore(child, kept);
      } else {
        current.appendChild(child);
      }
    }
  }

  // What had the focus in the old form, to give it back in the new one.
  function focusMark(form) {
    const active = document.activeElement;
    if (!active || !form.contains(active)) {
      return null;
    }
    if (active.type === "checkbox") {
      return { name: active.name, value: active.value };
    }
    return active.id ? { id: active.id, value: active.value, type: active.type } : null;
  }

  function refocus(form, mark) {
    if (!mark) {
      return;
    }
    let target = null;
    if (mark.id) {
      target = document.getElementById(mark.id);
      if (target && mark.type === "search") {
        target.value = mark.value; // what was typed while the page loaded
      }
    } else {
      const boxes = Array.from(form.querySelectorAll("input[type=checkbox]")).filter(
        (box) => box.name === mark.name,
      );
      target = boxes.find((box) => box.value === mark.value && !box.disabled) || boxes.find((box) => !box.disabled);
    }
    (target || form.querySelector("button[type=submit]")).focus();
  }

  function swap(page) {
    const form = document.querySelector(FORM);
    const nextForm = page.querySelector(FORM);
    const section = document.getElementById("results");
    const nextSection = page.getElementById("results");
    const notices = document.getElementById("list-notices");
    const nextNotices = page.getElementById("list-notices");
    if (!form || !nextForm || !section || !nextSection || !notices || !nextNotices) {
      return false;
    }
    // What the visitor had going in the form: focus, find boxes' text, scrolled facets.
    const mark = focusMark(form);
    const finding = {};
    for (const input of form.querySelectorAll(".facet-find input")) {
      finding[input.id] = input.value;
    }
    const scrolled = {};
    for (const list of form.querySelectorAll(".facet-options")) {
      scrolled[list.id] = list.scrollTop;
    }

    const heading = document.getElementById("results-heading");
    const bar = document.getElementById("results-bar");
    const nextHeading = page.getElementById("results-heading");
    heading.innerHTML = nextHeading.innerHTML;
    replaceAround(bar, page.getElementById("results-bar"), heading);
    replaceAround(section, nextSection, bar);
    notices.replaceWith(document.adoptNode(nextNotices));
    form.replaceWith(document.adoptNode(nextForm));
    document.title = page.title;

    for (const [id, value] of Object.entries(finding)) {
      const input = document.getElementById(id);
      if (input) {
        input.value = value;
      }
    }
    enhance(nextForm);
    for (const [id, top] of Object.entries(scrolled)) {
      const list = document.getElementById(id);
      if (list) {
        list.scrollTop = top;
      }
    }
    refocus(nextForm, mark);
    return true;
  }

  function load(address, push) {
    if (pending) {
      pending.abort();
    }
    const controller = new AbortController();
    pending = controller;
    // Dimmed while it loads; not aria-busy, which would hold back the live region's change.
    const section = document.getElementById("results");
    if (section) {
      section.classList.add("results-loading");
    }
    fetch(address, { signal: controller.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then((text) => {
        if (pending !== controller) {
          return;
        }
        pending = null;
        const page = new DOMParser().parseFromString(text, "text/html");
        if (push) {
          history.pushState({ listFilters: true }, "", address);
        }
        if (!swap(page)) {
          location.assign(address);
          return;
        }
        shown = location.pathname + location.search;
      })
      .catch((error) => {
        if (error.name !== "AbortError") {
          location.assign(address);
        }
      })
      .finally(() => {
        const current = document.getElementById("results");
        if (current && pending === null) {
          current.classList.remove("results-loading");
        }
      });
  }

  // Events, on the document: the form is replaced after every change -----------------------

  document.addEventListener("change", (event) => {
    const input = event.target;
    const form = input.closest && input.closest(FORM);
    if (form && input.type === "checkbox") {
      load(formAddress(form), true);
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest(FORM);
    if (form) {
      event.preventDefault();
      load(formAddress(form), true);
    }
  });

  document.addEventListener("input", (event) => {
    const box = event.target.closest(".facet-find");
    if (box) {
      narrow(box);
    }
  });

  document.addEventListener("keydown", (event) => {
    const box = event.target.closest && event.target.closest(".facet-find");
    if (!box) {
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault(); // the find box narrows the list; it does not send the form
    } else if (event.key === "Escape" && event.target.value) {
      event.preventDefault();
      event.target.value = "";
      narrow(box);
    }
  });

  window.addEventListener("popstate", () => {
    if (location.pathname + location.search !== shown) {
      load(location.href, false);
    }
  });

  enhance(document.querySelector(FORM));
})();
