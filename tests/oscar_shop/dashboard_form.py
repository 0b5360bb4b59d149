"""Oscar's dashboard product form as a browser would submit it: every field the page renders, with our changes."""

from __future__ import annotations

from html.parser import HTMLParser

FORM_ID = "create_update_product_form"


class FormFields(HTMLParser):
    """The successful controls of one form: inputs (checked boxes only), selected options and textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[name] = attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def product_form(client, url: str) -> dict[str, str]:
    """GET the dashboard's product page and return what submitting it unchanged would send."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = FormFields(FORM_ID)
    parser.feed(response.content.decode())
    assert parser.fields, f"no {FORM_ID} on {url}"
    return parser.fields


def submit(client, url: str, changes: dict, files: dict | None = None):
    """Submit the dashboard's product form with ``changes`` (and uploads), as staff pressing Save would."""
    data = {**product_form(client, url), **changes, **(files or {})}
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response) -> str:
    """The form's and formsets' errors, so a failed submit says which field Oscar refused."""
    problems = []
    for context in response.context or []:
        for name, value in context.flatten().items():
            if not (name == "form" or name.endswith("_formset")):
                continue
            errors = [e for e in value.errors if e] if name != "form" else value.errors
            general = value.non_form_errors() if hasattr(value, "non_form_errors") else []
            if errors or general:
                problems.append(f"{name}: {errors} {list(general)}")
    return "\n".join(dict.fromkeys(problems)) or response.content.decode()[:2000]
