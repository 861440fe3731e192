"""Finish WeasyPrint's structure tree for PDF/UA-1 (a ``write_pdf`` finisher).

WeasyPrint 70 tags the document but leaves three things a validator or a
screen reader trips on:

* table header cells get an ``/ID`` that the data cells' ``/Headers`` name,
  but the structure tree root has no ``/IDTree`` to look those IDs up in;
* header cells have no ``/Scope`` (``/Column`` in the table head, ``/Row``
  for a row's first cell);
* anonymous boxes (a list item's inner block, a table cell's block, text
  outside an element) become ``/NonStruct`` elements, dozens of them, which
  carry no meaning: their content is moved up into their parent.

The tree is edited in place on the ``pydyf.PDF`` object before it is written:
elements are ``pydyf.Dictionary`` objects that refer to each other by
``b"N 0 R"`` references, and the ``/ParentTree`` maps each marked-content id
(and each annotation) back to its element, so it is updated with every move.
"""

from __future__ import annotations

import re
from typing import Any

_REFERENCE = re.compile(rb"^(\d+) 0 R$")


class _Tree:
    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.by_number = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None) is not None}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, (bytes, str)):
            raw = value.encode() if isinstance(value, str) else value
            match = _REFERENCE.match(raw)
            if match:
                return self.by_number.get(int(match.group(1)))
        return value

    def elements(self, root: Any) -> list[Any]:
        """Every structure element under ``root``, depth first."""
        found = []
        stack = [root]
        while stack:
            node = stack.pop()
            kids = node.get("K") if hasattr(node, "get") else None
            if kids is None:
                continue
            kids = kids if isinstance(kids, list) else [kids]
            for kid in reversed(kids):
                element = self.resolve(kid)
                if hasattr(element, "get") and element.get("S") is not None:
                    found.append(element)
                    stack.append(element)
        found.reverse()
        return found


def _s(element: Any) -> str:
    return str(element.get("S", "")).lstrip("/")


def finish_structure(document: Any, pdf: Any) -> None:
    """The ``finisher`` for ``write_pdf``: IDTree, Scope, no NonStruct."""
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

    tree = _Tree(pdf)
    root = tree.resolve(pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    parent_tree = tree.resolve(root.get("ParentTree"))

    # 1. No NonStruct: its kids go to its parent, in its place.
    for element in reversed(tree.elements(root)):  # deepest first
        if _s(element) != "NonStruct":
            continue
        parent = tree.resolve(element.get("P"))
        if parent is None or not isinstance(parent.get("K"), list):
            continue
        kids = element.get("K") or []
        kids = kids if isinstance(kids, list) else [kids]
        moved: list[Any] = []
        for kid in kids:
            child = tree.resolve(kid)
            if hasattr(child, "get") and child.get("S") is not None:
                child["P"] = parent.reference
                moved.append(kid)
            elif isinstance(kid, int) and element.get("Pg") is not None:
                # a marked-content id belongs to a page: say which
                moved.append(pydyf.Dictionary({"Type": "/MCR", "Pg": element["Pg"], "MCID": kid}))
            else:
                moved.append(kid)
        siblings = parent["K"]
        index = next((i for i, kid in enumerate(siblings) if kid == element.reference), None)
        if index is None:
            continue
        siblings[index : index + 1] = moved
        if parent_tree is not None:
            _repoint(parent_tree, element.reference, parent.reference)
        element["S"] = "/Span"  # now unreferenced; harmless if a reader finds it
        element["K"] = pydyf.Array()

    # 2. Header cells: a scope, and an IDTree for the IDs the data cells name.
    ids: list[tuple[str, bytes]] = []
    for element in tree.elements(root):
        if _s(element) != "TH":
            continue
        row = tree.resolve(element.get("P"))
        group = tree.resolve(row.get("P")) if row is not None else None
        scope = "/Column" if group is not None and _s(group) == "THead" else "/Row"
        attributes = element.get("A")
        if attributes is None:
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope
        identifier = element.get("ID")
        if identifier is not None:
            ids.append((str(getattr(identifier, "string", identifier)), element.reference))
    if ids:
        names = pydyf.Array()
        for identifier, reference in sorted(ids, key=lambda item: item[0]):
            names.append(pydyf.String(identifier))
            names.append(reference)
        root["IDTree"] = pydyf.Dictionary({"Names": names})


def _repoint(parent_tree: Any, old: bytes, new: bytes) -> None:
    """In the /ParentTree, whatever pointed at ``old`` points at ``new``."""
    nums = parent_tree.get("Nums") or []
    for index, value in enumerate(nums):
        if isinstance(value, list):
            for position, item in enumerate(value):
                if item == old:
                    value[position] = new
        elif index % 2 == 1 and value == old:
            nums[index] = new
