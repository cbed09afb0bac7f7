"""Confluent subject names as apigov subject names, and back.

Confluent takes any subject name without control characters (``Orders-value``,
``com.Shop.Order``, ``shop.orders-value``); an apigov subject is a lower-case file name (letters,
digits, ``.``, ``_``, ``-``), so that a directory registry is the same in every checkout,
case-insensitive file systems included. The mapping:

- a name that is already an apigov subject name is itself (``orders-value``, ``shop_orders``);
- any other name becomes ``cf--`` and its characters, where a lower-case letter, a digit, ``.``
  and ``-`` stay, an upper-case letter is ``_`` and the letter (``O`` → ``_o``), ``_`` is ``__``
  and any other character is ``_0`` and its code point in six hex digits: ``Orders-value`` →
  ``cf--_orders-value``, ``com.Shop.Order`` → ``cf--com._shop._order``. A name that begins with
  ``cf--`` itself is mapped the same way, so no two Confluent names share a subject.

``apigov registry list`` and the ``/v1`` API show the mapped name; the Confluent API shows the
original one. A subject named ``cf--…`` through ``/v1`` that is no such mapping stays out of the
Confluent view.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from apigov.core.errors import InputError
from apigov.registry.base import check_subject

__all__ = ["ESCAPED", "confluent_name", "subject_of"]

ESCAPED: Final = "cf--"
_PLAIN: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def subject_of(name: str) -> str:
    """The apigov subject holding the Confluent subject ``name`` (a one-line :class:`InputError`
    for an empty name, a control character, or a name too long once mapped)."""
    if not name:
        raise InputError("empty subject name", hint="name a subject such as orders-value")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise InputError(
            f"invalid subject name {name[:60]!r}: control characters", hint="use printable characters"
        )
    if not name.startswith(ESCAPED):
        try:
            return check_subject(name)
        except InputError:
            pass
    parts = []
    for char in name:
        if char in _PLAIN:
            parts.append(char)
        elif "A" <= char <= "Z":
            parts.append("_" + char.lower())
        elif char == "_":
            parts.append("__")
        else:
            parts.append(f"_0{ord(char):06x}")
    try:
        return check_subject(ESCAPED + "".join(parts))
    except InputError:
        raise InputError(
            f"subject name {name[:60]!r} is too long",
            hint="use a shorter name (upper-case letters count twice)",
        ) from None


def confluent_name(subject: str) -> str | None:
    """The Confluent name of the apigov ``subject`` (``None``: a ``cf--`` name no Confluent name
    maps to)."""
    if not subject.startswith(ESCAPED):
        return subject
    body, out, index = subject[len(ESCAPED) :], [], 0
    while index < len(body):
        char = body[index]
        if char != "_":
            out.append(char)
            index += 1
            continue
        marker = body[index + 1 : index + 2]
        if marker == "_":
            out.append("_")
            index += 2
        elif "a" <= marker <= "z":
            out.append(marker.upper())
            index += 2
        elif marker == "0" and len(body) >= index + 8:
            try:
                out.append(chr(int(body[index + 2 : index + 8], 16)))
            except ValueError:
                return None
            index += 8
        else:
            return None
    name = "".join(out)
    try:
        return name if subject_of(name) == subject else None
    except InputError:
        return None
