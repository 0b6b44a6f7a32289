"""The admin's pages and forms: URLs, the changelist's rows, what a change form posts, its errors
and messages, and an agreement its change form accepts."""

from html.parser import HTMLParser

from django.urls import reverse

from tests.factories import AgreementFactory, PartnerFactory

CITATIONS = "cooperation-citation-content_type-object_id"
CLAIMS = "cooperation-claim-content_type-object_id"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _ResultTable(HTMLParser):
    """The changelist's rows as lists of cell texts (an image counts as its alt text)."""

    def __init__(self):
        super().__init__()
        self.rows, self._in_body, self._cell = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "result_list":
            self._in_table = True
        elif tag == "tbody" and getattr(self, "_in_table", False):
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in {"td", "th"}:
            self._cell = []
        elif self._cell is not None and tag == "img":
            self._cell.append(attrs.get("alt", ""))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif self._in_body and tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def rows(response):
    """The changelist rows a user sees, without the checkbox column."""
    parser = _ResultTable()
    parser.feed(response.content.decode())
    return [row[1:] for row in parser.rows]


def _put(data, bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return
    if value is True:
        data[bound_field.html_name] = "on"
    elif isinstance(value, list | tuple):
        data[bound_field.html_name] = [str(item) for item in value]
    else:
        data[bound_field.html_name] = str(value)


def form_data(response):
    """What the admin page's form posts if the user changes nothing (saved inline rows only)."""
    data = {}
    for bound_field in response.context["adminform"].form:
        _put(data, bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound_field in formset.management_form:
            _put(data, bound_field)
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            for bound_field in form:
                _put(data, bound_field)
    return data


def add_row(data, prefix, **fields):
    """Fill in one more row of an inline, as clicking "Add another" and typing would."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def field_errors(response):
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


def inline_errors(response, prefix):
    """Each row's errors of the inline ``prefix`` (only rows with errors), and the inline's own."""
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.prefix == prefix:
            rows = [{name: list(errors) for name, errors in form.errors.items()} for form in formset.forms]
            return [row for row in rows if row], list(formset.non_form_errors())
    raise KeyError(prefix)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Records as their change form needs them ---------------------------------------------------------


def agreement(**fields):
    """An agreement its change form accepts as it is (an agreement needs a party)."""
    return AgreementFactory(parties=[PartnerFactory()], **fields)


def changed_data(superuser_client, obj, **changes):
    """What the change form of ``obj`` posts with ``changes`` made, read as a superuser sees
    the form (an Editor's page of a published record has no form fields to read)."""
    data = form_data(superuser_client.get(admin_url(type(obj), "change", obj.pk)))
    data.update(changes)
    return data
