"""Read data files defensively: regular files of a sane size only, YAML without surprises;
write them so that a reader never sees half a file.

A data folder may be a copy someone edited, or something hostile. Before reading, a file must
be a regular file (not a FIFO that would block, not a device that never ends) and smaller than
a bound. YAML is read with the safe loader, and two things it allows are refused: anchors and
aliases (an "alias bomb" expands a few lines into gigabytes, and elyguide's data never needs
them) and duplicate keys (the second silently wins in PyYAML, hiding an edit).
"""

from __future__ import annotations

import os
import stat

from functools import partial

from .errors import DataError
from .messages import format_int

MAX_DATA_FILE = 64 << 20  # the shipped YAML is under 1 MB


def read_bytes(path: str, limit: int = MAX_DATA_FILE) -> bytes:
    """The bytes of a regular file no larger than `limit`; DataError otherwise."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError(path, "", ("data_file_not_found", {})) from None
    except OSError as error:
        raise DataError(path, "", ("data_cannot_read", {"reason": error.strerror or str(error)})) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(path, "", ("data_is_directory", {}))
    if not stat.S_ISREG(info.st_mode):
        raise DataError(path, "", ("data_not_regular", {}))
    if info.st_size > limit:
        raise DataError(path, "", ("data_too_large", {"size": partial(format_int, info.st_size), "limit": partial(format_int, limit)}))
    try:
        with open(path, "rb") as handle:
            contents = handle.read(limit + 1)
    except OSError as error:
        raise DataError(path, "", ("data_cannot_read", {"reason": error.strerror or str(error)})) from None
    if len(contents) > limit:  # it grew while we looked
        raise DataError(path, "", ("data_grew", {"limit": partial(format_int, limit)}))
    return contents


def write_atomically(path: str, data: bytes, *, durable: bool = False) -> None:
    """Write through a temporary file renamed into place. `durable` waits for the disk too
    (for the user's own data, which cannot be rebuilt from the package). OSError propagates."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def parse_yaml(path: str, contents: bytes):
    """Parse YAML with the safe loader, refusing aliases and duplicate keys."""
    import yaml

    try:
        text = contents.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(path, ("data_at_byte", {"byte": error.start}), ("data_not_utf8", {})) from None
    try:
        return yaml.load(text, Loader=_strict_loader())  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = ("data_at_line", {"line": mark.line + 1, "column": mark.column + 1}) if mark else ""
        problem = getattr(error, "said", None) or " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        raise DataError(path, where, problem) from None
    except yaml.YAMLError as error:
        raise DataError(path, "", f"invalid YAML: {error}") from None
    except RecursionError:
        raise DataError(path, "", ("data_nested", {})) from None


_loader = None


def _strict_loader():
    """PyYAML's safe loader (the fast C one when available) that refuses aliases and
    duplicate keys. The C parser shares one node between an anchor and its aliases, so a node
    met a second time is an alias: refused before anything is expanded."""
    global _loader
    if _loader is not None:
        return _loader
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):
        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _refused(node.start_mark, "data_no_aliases", {})
            return super().construct_object(node, deep)

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key: let the base class say so
                    break
                if duplicate:
                    raise _refused(key_node.start_mark, "data_duplicate_key", {"key": repr(key)})
                seen.add(key)
            # Keys were constructed above; forget them so construct_object sees no "alias".
            for key_node, _ in node.value:
                self.constructed_objects.pop(key_node, None)
            return super().construct_mapping(node, deep)

    _loader = StrictLoader
    return _loader


def _refused(mark, message_id: str, values: dict):
    """A YAML error for what elyguide refuses, carrying its message to say in any language."""
    import yaml

    from .messages import message

    error = yaml.constructor.ConstructorError(None, None, message(message_id, "en", **values), mark)
    error.said = (message_id, values)
    return error
