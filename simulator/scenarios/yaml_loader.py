"""Safe YAML loading that keeps line:column for every key and value and refuses hostile input.

We compose nodes ourselves instead of calling `yaml.safe_load` because we need the marks,
want duplicate keys to be errors, and must bound alias expansion before anything is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.scenarios.problems import KeyPath, Mark, Reporter

MAX_BYTES = 256 * 1024
MAX_NODES = 10_000
MAX_DEPTH = 40

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
_TEXT_TAGS = {_CORE + "timestamp"}  # an unquoted date stays the text the author wrote
_ALLOWED_TAGS = _SCALAR_TAGS | _TEXT_TAGS | {_CORE + "seq", _CORE + "map"}
_SCALARS = yaml.constructor.SafeConstructor()


class _Refused(Exception):
    """The document is hostile or too large; carries the message and the node to blame."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.node = node


class _CountingLoader(yaml.SafeLoader):
    """SafeLoader that stops composing once the document has too many nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.composed = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _Refused(_too_many())
        return super().compose_node(parent, index)


@dataclass
class LoadedYaml:
    """Plain data (dicts, lists, str, int, float, bool, None) plus the mark of every key path."""

    data: Any
    marks: dict[KeyPath, tuple[Mark | None, Mark]] = field(default_factory=dict)


def _too_many() -> str:
    return (
        f"the document has more than {MAX_NODES:,} YAML nodes once aliases are expanded; "
        "aliases ('*name') cannot be used to build huge documents"
    )


def _mark(node: Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(data: bytes, reporter: Reporter) -> LoadedYaml | None:
    """Parse bytes into located plain data; on refusal report why and return None."""
    if len(data) > MAX_BYTES:
        reporter.error((), f"file is {len(data) / 1024:.1f} KiB ({len(data):,} bytes); "
                           f"the limit is {MAX_BYTES // 1024} KiB")
        return None
    text = _decode(data, reporter)
    if text is None:
        return None
    root = _compose(text, reporter)
    if root is None:
        return None
    loaded = LoadedYaml(None)
    try:
        _expanded_size(root, {}, set(), 0)
        loaded.data = _convert(root, (), None, loaded, reporter)
    except _Refused as refused:
        mark = _mark(refused.node) if refused.node is not None else None
        reporter.add((), str(refused), mark=mark)
        return None
    return loaded


def _decode(data: bytes, reporter: Reporter) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start]
        reporter.add((), f"not valid UTF-8: byte 0x{bad:02x} at byte offset {exc.start}; "
                         "save the file as UTF-8", mark=(line, column))
        return None


def _compose(text: str, reporter: Reporter) -> Node | None:
    loader = None
    try:
        loader = _CountingLoader(text)  # the reader rejects control characters here
        root = loader.get_single_node()
    except _Refused as refused:
        reporter.add((), str(refused), mark=(1, 1))
        return None
    except yaml.MarkedYAMLError as exc:
        reporter.add((), _syntax_message(exc), mark=_error_mark(exc))
        return None
    except yaml.reader.ReaderError as exc:
        reporter.add((), f"character #x{exc.character:04x} is not allowed in YAML "
                         "(control characters must be removed)",
                     mark=_offset_mark(text, exc.position))
        return None
    except RecursionError:
        reporter.add((), f"nesting is too deep (limit {MAX_DEPTH} levels)", mark=(1, 1))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        reporter.add((), "the file is empty", mark=(1, 1))
    return root


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    if not exc.context:
        return f"YAML syntax error: {exc.problem}"
    where = f" at line {exc.context_mark.line + 1}" if exc.context_mark else ""
    if str(exc.problem).startswith("but "):  # "expected X ..., but found Y" reads as one
        return f"YAML syntax error: {exc.context}{where}, {exc.problem}"
    return f"YAML syntax error: {exc.problem} ({exc.context}{where})"


def _error_mark(exc: yaml.MarkedYAMLError) -> Mark | None:
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark else None


def _offset_mark(text: str, position: int) -> Mark:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(node: Node, sizes: dict[int, int], open_: set[int], depth: int) -> int:
    """Nodes in the tree once aliases are expanded; memoised so a bomb costs almost nothing."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_:
        raise _Refused("an alias refers to the node that contains it (recursive alias)", node)
    if depth > MAX_DEPTH:
        raise _Refused(f"nesting is too deep (limit {MAX_DEPTH} levels)", node)
    open_.add(id(node))
    total = 1
    for child in _children(node):
        total += _expanded_size(child, sizes, open_, depth + 1)
        if total > MAX_NODES:
            raise _Refused(_too_many(), node)
    open_.discard(id(node))
    sizes[id(node)] = total
    return total


def _convert(node: Node, path: KeyPath, key_mark: Mark | None, out: LoadedYaml,
             reporter: Reporter) -> Any:
    out.marks[path] = (key_mark, _mark(node))
    if node.tag not in _ALLOWED_TAGS:
        tag = node.tag.replace(_CORE, "!!")
        raise _Refused(f"tag '{tag}' is not allowed; use plain YAML (text, numbers, "
                       "true/false, lists and mappings)", node)
    if isinstance(node, ScalarNode):
        if node.tag in _TEXT_TAGS:
            return node.value
        # Call the scalar constructor directly: construct_object would cache every node forever.
        return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
    if isinstance(node, SequenceNode):
        items = enumerate(node.value)
        return [_convert(item, (*path, i), None, out, reporter) for i, item in items]
    return _convert_mapping(node, path, out, reporter)


def _convert_mapping(node: MappingNode, path: KeyPath, out: LoadedYaml,
                     reporter: Reporter) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        key_mark = _mark(key_node)
        if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "merge":
            what = "merge keys ('<<')" if isinstance(key_node, ScalarNode) else "lists or mappings"
            reporter.add(path, f"{what} cannot be used as keys", mark=key_mark)
            continue
        key = key_node.value  # the text as written, so `yes:` or `1:` stay what the author typed
        if key in first_line:
            reporter.add((*path, key), f"duplicate key '{key}' (first at line {first_line[key]})",
                         mark=key_mark)
            continue
        first_line[key] = key_mark[0]
        result[key] = _convert(value_node, (*path, key), key_mark, out, reporter)
    return result
