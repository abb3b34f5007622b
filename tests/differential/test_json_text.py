"""JSON text in request bodies: what the server reads as Go's encoding/json reads it, and what it
refuses with 400. Bodies are sent as raw bytes, since a JSON library would not write them."""
import json

import pytest

import objects
from api import expect_status, omjobs, pods

PARSE_ERROR = ("the object provided is unrecognized (must be of type Pod): couldn't get "
               "version/kind; json parse error: ")


def pod_text(name, annotation=None, extra=None):
    """A pod's JSON text; `annotation` is inserted verbatim as annotation `a`'s string content,
    `extra` verbatim as a top-level member."""
    text = json.dumps(objects.pod(name))
    if annotation is not None:
        text = text.replace('"metadata": {', '"metadata": {"annotations": {"a": "' + annotation + '"}, ', 1)
    if extra is not None:
        text = text[:-1] + ", " + extra + "}"
    return text


@pytest.mark.parametrize("annotation", [b"x\xffy", b"x\xc3y", b"x\\ud800y", b"x\\udc00y"],
                         ids=["invalid-byte", "truncated-sequence", "lone-high-surrogate",
                              "lone-low-surrogate"])
def test_invalid_unicode_in_a_string_reads_as_the_replacement_character(api, ns, annotation):
    body = pod_text("p", annotation="@").encode().replace(b'"@"', b'"' + annotation + b'"')
    r = api.request("POST", pods(ns), raw=body)
    expect_status(r, 201)
    assert r.json()["metadata"]["annotations"] == {"a": "x\ufffdy"}


def test_nesting_up_to_ten_thousand_levels_is_read(api, ns):
    # The pod object is the first level.
    depth = 9_999
    r = api.request("POST", pods(ns), raw=pod_text("p", extra='"x": ' + "[" * depth + "]" * depth))
    expect_status(r, 201)


def test_nesting_deeper_than_ten_thousand_levels_is_400(api, ns):
    depth = 10_000
    r = api.request("POST", pods(ns), raw=pod_text("p", extra='"x": ' + "[" * depth + "]" * depth))
    status = expect_status(r, 400, "BadRequest")
    assert status["message"].startswith(PARSE_ERROR)


@pytest.mark.parametrize("body", [
    pod_text("p", extra='"x": 01'),
    pod_text("p", extra='"x": 1.'),
    pod_text("p", extra='"x": NaN'),
    pod_text("p") + " x",
    pod_text("p", annotation="x\x01y"),
    pod_text("p", annotation="x\\qy"),
    '{"metadata": ',
    "   ",
], ids=["leading-zero", "no-fraction-digits", "nan", "text-after-the-value", "control-character",
        "invalid-escape", "truncated", "whitespace-only"])
def test_malformed_text_is_400_with_a_parse_error(api, ns, body):
    status = expect_status(api.request("POST", pods(ns), raw=body), 400, "BadRequest")
    assert status["message"].startswith(PARSE_ERROR)


def test_invalid_unicode_in_a_custom_resource_reads_as_the_replacement_character(api, ns):
    text = json.dumps(objects.omjob("j")).replace('"metadata": {', '"metadata": {"annotations": {"a": "@"}, ', 1)
    r = api.request("POST", omjobs(ns), raw=text.encode().replace(b'"@"', b'"x\xff\\ud800y"'))
    expect_status(r, 201)
    assert r.json()["metadata"]["annotations"] == {"a": "x\ufffd\ufffdy"}
