"""The arguments of the engine's calls ``cite(...)``, ``references(...)``: a small literal parser."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class _Quoted:
    value: str
    smart: bool = False


def _describe(value: object) -> str:
    if isinstance(value, _Name):
        return f"the variable {value.name}"
    if isinstance(value, _Quoted):
        return repr(value.value)
    return repr(value)


@dataclass
class _Name:
    name: str


_SMART_QUOTES = {"\u201c": "\u201d", "\u201d": "\u201d", "\u2018": "\u2019", "\u2019": "\u2019", "\u201e": "\u201c"}
_ARG_TOKEN = re.compile(
    r"[ \t\r\n]*(?:"
    r"(?P<dq>\"(?:[^\"\\\n]|\\.){0,2000}\")|(?P<sq>'(?:[^'\\\n]|\\.){0,2000}')"
    r"|(?P<smart>[\u201c\u201d\u2018\u2019\u201e][^\u201c\u201d\u2018\u2019\u201e\n]{0,2000}[\u201c\u201d\u2018\u2019])"
    r"|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),=:{}\[\]])"
    r")"
)


def _parse_arguments(body: str, pos: int, limit: int) -> tuple[list[object], dict[str, object], int] | str:
    """The arguments of a call from just after its '(' to its ')': (args, kwargs, offset after ')').

    Only literals: strings, numbers, True/False/None, a {"key": "value"} mapping.
    Returns a message when the call is not written that way.
    """
    args: list[object] = []
    kwargs: dict[str, object] = {}

    def value_at(p: int) -> tuple[object, int] | str:
        token = _ARG_TOKEN.match(body, p, limit)
        if token is None:
            return "an argument is not a string in quotes"
        kind = token.lastgroup
        text = token.group(kind or "")
        if kind in ("dq", "sq"):
            return _Quoted(_unescape(text[1:-1])), token.end()
        if kind == "smart":
            return _Quoted(text[1:-1], smart=True), token.end()
        if kind == "num":
            return (float(text) if "." in text else int(text)), token.end()
        if kind == "name":
            return {"True": True, "False": False, "None": None}.get(text, _Name(text)), token.end()
        if text == "{":
            mapping: dict[str, object] = {}
            q = token.end()
            while True:
                nxt = _ARG_TOKEN.match(body, q, limit)
                if nxt is None:
                    return "a mapping is not closed with }"
                if nxt.group("punct") == "}":
                    return mapping, nxt.end()
                if nxt.group("punct") == ",":
                    q = nxt.end()
                    continue
                key = value_at(q)
                if isinstance(key, str):
                    return key
                colon = _ARG_TOKEN.match(body, key[1], limit)
                if colon is None or colon.group("punct") != ":":
                    return 'a mapping is written {"key": "pages"}'
                value = value_at(colon.end())
                if isinstance(value, str):
                    return value
                k = key[0].value if isinstance(key[0], _Quoted) else str(key[0])
                v = value[0].value if isinstance(value[0], _Quoted) else value[0]
                mapping[k] = v
                q = value[1]
        return f"{text!r} is not a value it can read (keys are written in quotes)", token.end()

    p = pos
    expect_value = True
    while True:
        token = _ARG_TOKEN.match(body, p, limit)
        if token is None:
            rest = body[p : min(limit, p + 200)].lstrip()
            if not rest:
                return "the call is not closed with ) on its paragraph"
            if rest[0] == "*":
                return "it takes its keys written out, not *args or **kwargs"
            return f"{rest[0]!r} cannot start an argument (keys are written in quotes)"
        if token.group("punct") == ")":
            return args, kwargs, token.end()
        if token.group("punct") == "}":
            return "its ')' is missing before '}}'"
        if token.group("punct") == "," and not expect_value:
            expect_value = True
            p = token.end()
            continue
        if token.group("name") and not expect_value:
            return "a ',' is missing between two arguments"
        # keyword argument?
        if token.group("name"):
            eq = _ARG_TOKEN.match(body, token.end(), limit)
            if eq is not None and eq.group("punct") == "=":
                value = value_at(eq.end())
                if isinstance(value, str):
                    return value
                if isinstance(value[0], str):
                    return value[0]
                kwargs[token.group("name")] = value[0]
                p = value[1]
                expect_value = False
                continue
        value = value_at(p)
        if isinstance(value, str):
            return value
        item, p = value
        if isinstance(item, str):  # a message about this value
            return item
        if not expect_value:
            return "a ',' is missing between two arguments"
        args.append(item)
        expect_value = False


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text) if "\\" in text else text


def _key_ok(key: str) -> bool:
    return bool(key) and re.fullmatch(r"[^\s,{}()=\"'#%~]+", key) is not None


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
