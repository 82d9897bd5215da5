"""Load a policy from YAML, say where it is wrong, and name its version by content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from spconnector.policy.compiler import CompiledPolicy, compile_policy
from spconnector.policy.errors import PolicyError
from spconnector.policy.schema import Policy

if TYPE_CHECKING:
    import yaml

# The default policy ships inside the package (a link to policies/default.yaml in the repo)
# so a Lambda or an installed CLI has it without the repository.
DEFAULT_POLICY = Path(__file__).with_name("default.yaml")
# What PyYAML's constructors raise for a value they cannot build (beside its own errors).
_UNBUILDABLE = (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError)


@cache
def dateless_loader() -> type[yaml.SafeLoader]:
    """SafeLoader for our documents (policies, knowledge bases): they hold no dates, so an
    unquoted 2026-02-30 stays text (the schema then says what it expected) and an explicit
    !!timestamp is refused with its line; a value YAML itself cannot build (!!timestamp
    2026-13-45, !!int 1e5) is a located error instead of the ValueError PyYAML lets escape.

    Built, and PyYAML imported, at the first parse: ProcessCase's init leaves PyYAML's
    import (105 M instructions from the built layer, valgrind) to its first case."""
    import yaml

    # libyaml's parser when PyYAML was built with it (the wheels are): the pure-Python
    # scanner is ~95 % of a `policy decide` call. Resolving and constructing stay PyYAML's,
    # so the rules below hold for both.
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class DatelessLoader(base):  # type: ignore[valid-type,misc]
        yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML reads it from the class
            first: [(tag, regexp) for tag, regexp in found if tag != "tag:yaml.org,2002:timestamp"]
            for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except yaml.YAMLError:
                raise
            except _UNBUILDABLE as exc:
                problem = f"cannot read {node.tag} value ({type(exc).__name__})"
                raise yaml.constructor.ConstructorError(
                    None, None, problem, node.start_mark
                ) from None

    def refuse_timestamp(loader: Any, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None, None, "no dates or times here (quote the text)", node.start_mark
        )

    DatelessLoader.add_constructor("tag:yaml.org,2002:timestamp", refuse_timestamp)
    return DatelessLoader


def parse_yaml[E: Exception](text: str, error: Callable[..., E]) -> Any:
    """The data of a policy's or knowledge base's YAML text (DatelessLoader); any problem
    with the YAML itself raised as `error(message, location=…)`, never as PyYAML's own."""
    import yaml

    try:
        return yaml.load(text, Loader=dateless_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "yaml"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"not valid YAML: {problem}", location=where) from None
    except UnicodeEncodeError as exc:
        # text given as a str with a lone surrogate (a file is read as UTF-8 and has none):
        # libyaml takes UTF-8 and cannot be handed it
        line = text.count("\n", 0, exc.start) + 1
        raise error(
            "not valid YAML: a character that is not Unicode text", location=f"line {line}"
        ) from None


def load_policy(path_or_text: str | Path) -> Policy:
    """A Path or an existing file name is read; any other string is the YAML itself."""
    return _parsed(_read(path_or_text))


# The same text is the same Policy (frozen, so it can be shared): the console and a long CLI
# session read one file many times, and parsing is most of a `policy decide`. Errors are not
# cached; each call raises its own.
@lru_cache(maxsize=32)
def _parsed(text: str) -> Policy:
    data = parse_yaml(text, PolicyError)
    if not isinstance(data, dict):
        raise PolicyError("a policy is a YAML mapping (name, rules, …)", location="(top)")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, text) from None
    compiled(policy)
    return policy


@cache
def default_policy() -> Policy:
    """Parsed once per process: the file is part of the package and the Policy is frozen."""
    return load_policy(DEFAULT_POLICY)


def _read(path_or_text: str | Path) -> str:
    if isinstance(path_or_text, Path):
        return _read_file(path_or_text)
    if "\n" not in path_or_text and len(path_or_text) < 4096:
        candidate = Path(path_or_text)
        if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
            return _read_file(candidate)
    return path_or_text


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError("no such file", location=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read: {exc.__class__.__name__}", location=str(path)) from None


def format_location(loc: tuple[int | str, ...]) -> str:
    """('rules', 3, 'when', 'item_value') → rules[3].when.item_value"""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union")) or part in ("str", "decimal"):
            continue  # pydantic's names for validators and union arms, not the user's keys
        else:
            out += f".{part}" if out else part
    return out or "(top)"


def _first_error(exc: ValidationError, text: str) -> PolicyError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(err["loc"])
    message = str(err["msg"]).removeprefix("Value error, ")
    where = format_location(loc)
    # model-level checks name their own location ("rules[4].id: ...")
    if where == "(top)" and ": " in message and message.split(": ", 1)[0].startswith("rules["):
        where, message = message.split(": ", 1)
    line = _line_of(text, loc)
    if line is not None:
        where = f"{where} (line {line})"
    return PolicyError(message, location=where)


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The YAML line a pydantic location points at, for editors and people."""
    import yaml

    try:
        node: Any = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            found = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            found = node.value[part] if part < len(node.value) else None
        else:
            found = None
        if found is None:
            break
        node = found
        line = node.start_mark.line + 1
    return line


def compiled(policy: Policy) -> CompiledPolicy:
    """The policy's compiled rules, built once and kept on the (frozen) policy."""
    found = policy._compiled
    if found is None:
        found = compile_policy(policy)
        policy._compiled = found
    assert isinstance(found, CompiledPolicy)
    return found


def policy_version(policy: Policy) -> str:
    """sha256 of the normalized policy: comments, key order and layout do not count."""
    if policy._version is None:
        canonical = json.dumps(
            policy.model_dump(
                mode="json", exclude={"solicitations"} if policy.solicitations is None else None
            ),
            sort_keys=True,
            separators=(",", ":"),
        )
        policy._version = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return policy._version


def policy_json_schema() -> dict[str, Any]:
    schema = Policy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "spconnector policy"
    return schema
