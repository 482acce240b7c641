"""Binary values in widget states: put in place from a message's buffers, taken out again.

A comm message carries binary values as its buffers, at the places its
``buffer_paths`` name in the state; a saved state carries them base64-encoded
beside their paths.
"""

from __future__ import annotations

from typing import Any

from ick.messages import Message


def buffers_of(msg: Message) -> list[Any]:
    buffers = msg.get("buffers")
    return buffers if isinstance(buffers, list) else []


def put_buffers(state: dict[str, Any], paths: Any, buffers: list[Any]) -> bool:
    """Put each binary buffer where its path points; False when paths and buffers do not
    match (then ``state`` may be half changed and must not be used)."""
    if not isinstance(paths, list) or len(paths) != len(buffers):
        return False
    for path, buffer in zip(paths, buffers, strict=True):
        if not isinstance(path, list) or not path:
            return False
        if not isinstance(buffer, (bytes, bytearray, memoryview)):
            return False
        target: Any = state
        for key in path[:-1]:
            target = _child(target, key)
            if target is None:
                return False
        last = path[-1]
        in_dict = isinstance(target, dict) and isinstance(last, str)
        in_list = isinstance(target, list) and _is_index(last) and 0 <= last < len(target)
        if not (in_dict or in_list):
            return False
        target[last] = bytes(buffer)
    return True


def _is_index(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool)


def _child(container: Any, key: Any) -> Any:
    """``container[key]`` when it is a dict or list along a buffer path, else None."""
    if isinstance(container, dict) and isinstance(key, str):
        found = container.get(key)
    elif isinstance(container, list) and _is_index(key) and 0 <= key < len(container):
        found = container[key]
    else:
        return None
    return found if isinstance(found, (dict, list)) else None


def without_buffers(
    value: Any, path: list[str | int] | None = None
) -> tuple[Any, list[tuple[list[str | int], bytes]]]:
    """A state with its binary values taken out (dropped from dicts, ``None`` in lists), and
    each value with its path: the inverse of :func:`put_buffers`."""
    path = path or []
    found: list[tuple[list[str | int], bytes]] = []
    if isinstance(value, dict):
        plain_dict: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, (bytes, bytearray, memoryview)):
                found.append(([*path, key], bytes(item)))
                continue
            plain_dict[key], inner = without_buffers(item, [*path, key])
            found.extend(inner)
        return plain_dict, found
    if isinstance(value, list):
        plain_list: list[Any] = []
        for index, item in enumerate(value):
            if isinstance(item, (bytes, bytearray, memoryview)):
                found.append(([*path, index], bytes(item)))
                plain_list.append(None)
                continue
            plain, inner = without_buffers(item, [*path, index])
            plain_list.append(plain)
            found.extend(inner)
        return plain_list, found
    return value, found
