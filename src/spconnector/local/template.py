"""template.yaml as data: its functions, their handlers and their resolved environment.

CloudFormation short tags (!Ref, !Sub, !GetAtt, …) are kept as `Intrinsic` markers by the
loader and resolved against a `Binding` — the physical names of the resources in the
environment the function runs in (the embedded default, or `spconnector local up`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class TemplateError(ValueError):
    """The template cannot be read, or a value in it cannot be resolved (one-line reason)."""


@dataclass(frozen=True)
class Intrinsic:
    """A CloudFormation intrinsic function written as a short tag, e.g. `!Ref Table`."""

    name: str  # "Ref", "Sub", "GetAtt", …
    value: Any


try:  # libyaml's parser reads template.yaml in ~40 ms, PyYAML's own in ~350 ms
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _TemplateLoader(_SafeLoader):
    pass


def _intrinsic(loader: _SafeLoader, suffix: str, node: yaml.Node) -> Intrinsic:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return Intrinsic(suffix, value)


_TemplateLoader.add_multi_constructor("!", _intrinsic)


@dataclass(frozen=True)
class Function:
    logical_id: str
    handler: str  # "module.function"
    code_dir: Path
    timeout: int
    memory_mb: int
    environment: dict[str, Any]  # unresolved: values may be Intrinsic

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]

    @property
    def short_name(self) -> str:
        """The handler's module name (ingest_email): also the name of its sample event."""
        return self.module.rsplit(".", 1)[-1]


@dataclass
class Template:
    path: Path
    body: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Template:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"cannot read {path}: it is not UTF-8") from None
        except OSError as exc:
            raise TemplateError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            body = yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - SafeLoader subclass
        except yaml.YAMLError as exc:
            raise TemplateError(f"{path} is not valid YAML: {exc}") from exc
        except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
            # a scalar YAML reads as a date that is none (2026-02-30), an unhashable key,
            # PyYAML's own AttributeError for `!!timestamp` on text that is no timestamp
            raise TemplateError(f"{path} is not valid YAML: {type(exc).__name__}: {exc}") from None
        if not isinstance(body, dict) or not isinstance(body.get("Resources"), dict):
            raise TemplateError(f"{path} has no Resources section")
        return cls(path=path, body=body)

    @property
    def resources(self) -> dict[str, Any]:
        resources: dict[str, Any] = self.body["Resources"]
        return resources

    @property
    def parameter_defaults(self) -> dict[str, str]:
        params = _mapping(self.body.get("Parameters"), "Parameters")
        return {
            str(name): str(_mapping(spec, f"Parameter {name}").get("Default", ""))
            for name, spec in params.items()
        }

    def functions(self) -> list[Function]:
        """Every AWS::Serverless::Function; any section of the wrong shape is a TemplateError
        naming it (an edited template is the user's input, never a traceback)."""
        sections = _mapping(self.body.get("Globals"), "Globals")
        globals_fn = _mapping(sections.get("Function"), "Globals.Function")
        found = []
        for logical_id, resource in self.resources.items():
            if _mapping(resource, str(logical_id)).get("Type") != "AWS::Serverless::Function":
                continue
            props = _mapping(resource.get("Properties"), f"{logical_id}.Properties")
            handler = props.get("Handler", globals_fn.get("Handler"))
            code_uri = props.get("CodeUri", globals_fn.get("CodeUri"))
            if not isinstance(handler, str) or "." not in handler:
                raise TemplateError(f"{logical_id} has no Handler of the form module.function")
            if not isinstance(code_uri, str) or "\x00" in code_uri:
                raise TemplateError(f"{logical_id} has no local CodeUri")
            env = {}
            for where, section in (("Globals.Function", globals_fn), (str(logical_id), props)):
                environment = _mapping(section.get("Environment"), f"{where}.Environment")
                env.update(_mapping(environment.get("Variables"), f"{where}.Environment.Variables"))
            found.append(
                Function(
                    logical_id=str(logical_id),
                    handler=handler,
                    code_dir=(self.path.parent / code_uri).resolve(),
                    timeout=_whole(
                        props.get("Timeout", globals_fn.get("Timeout", 3)), f"{logical_id} Timeout"
                    ),
                    memory_mb=_whole(
                        props.get("MemorySize", globals_fn.get("MemorySize", 128)),
                        f"{logical_id} MemorySize",
                    ),
                    environment=env,
                )
            )
        return found

    def function(self, name: str) -> Function:
        """By logical id (IngestEmailFunction), without the suffix (IngestEmail, any case),
        or by short name (ingest_email, ingest-email)."""
        functions = self.functions()
        wanted = name.strip()
        plain = wanted.replace("-", "_").lower()
        for fn in functions:
            aliases = {
                fn.logical_id.lower(),
                fn.logical_id.removesuffix("Function").lower(),
                fn.short_name.lower(),
            }
            if wanted.lower() in aliases or plain in aliases:
                return fn
        known = ", ".join(f"{f.logical_id} ({f.short_name})" for f in functions)
        raise TemplateError(f"no function {name!r} in {self.path.name}; known: {known}")


def _mapping(value: Any, where: str) -> dict[Any, Any]:
    """A template section: a mapping, or absent (None)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where} is not a mapping")
    return value


def _whole(value: Any, where: str) -> int:
    """Timeout or MemorySize: a whole number (as CloudFormation takes it, digits in a string
    too), never a float, a date or a digit string long enough to hang int()."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TemplateError(f"{where} is not a whole number")
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) < 10):
        raise TemplateError(f"{where} is not a whole number")
    return int(value)


@dataclass
class Binding:
    """What the template's names mean where the function runs."""

    refs: dict[str, str]  # logical id or parameter → value of !Ref
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (id, attr) → value
    account_id: str = "123456789012"
    region: str = "us-east-1"
    partition: str = "aws"
    stack_name: str = "spconnector-local"

    def pseudo(self) -> dict[str, str]:
        return {
            "AWS::AccountId": self.account_id,
            "AWS::Region": self.region,
            "AWS::Partition": self.partition,
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": "amazonaws.com",
        }


_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")
# Properties whose value is the physical name of the resource that declares them.
_NAME_PROPERTIES = ("TableName", "BucketName", "QueueName", "TopicName")


class Resolver:
    def __init__(self, template: Template, binding: Binding) -> None:
        self.template = template
        self.binding = binding
        # A name the template computes for one of its resources (the bucket's !Sub name, used
        # verbatim in the environment to avoid a reference cycle) means that resource.
        self._declared: dict[str, str] = {}
        for logical_id, resource in template.resources.items():
            props = resource.get("Properties") or {}
            for prop in _NAME_PROPERTIES:
                if prop in props and logical_id in binding.refs:
                    try:
                        self._declared[self._raw(props[prop])] = binding.refs[logical_id]
                    except TemplateError:
                        continue

    def resolve(self, value: Any) -> str:
        raw = self._raw(value)
        return self._declared.get(raw, raw)

    def environment(self, function: Function) -> dict[str, str]:
        resolved = {}
        for key, value in function.environment.items():
            try:
                resolved[key] = self.resolve(value)
            except TemplateError as exc:
                raise TemplateError(f"{function.logical_id} environment {key}: {exc}") from exc
        return resolved

    def _raw(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        if isinstance(value, Intrinsic):
            if value.name == "Ref":
                return self._ref(str(value.value))
            if value.name == "Sub":
                return self._sub(value.value)
            if value.name == "GetAtt":
                return self._get_att(value.value)
        raise TemplateError(f"cannot resolve {value!r} locally")

    def _ref(self, name: str) -> str:
        pseudo = self.binding.pseudo()
        if name in pseudo:
            return pseudo[name]
        if name in self.binding.refs:
            return self.binding.refs[name]
        if name in self.template.parameter_defaults:
            return self.template.parameter_defaults[name]
        raise TemplateError(f"!Ref {name} has no local value")

    def _get_att(self, value: Any) -> str:
        if isinstance(value, str):
            value = value.split(".", 1)
        if not isinstance(value, list) or len(value) != 2:
            raise TemplateError(f"malformed !GetAtt {value!r}")
        key = (str(value[0]), str(value[1]))
        if key not in self.binding.attributes:
            raise TemplateError(f"!GetAtt {key[0]}.{key[1]} has no local value")
        return self.binding.attributes[key]

    def _sub(self, value: Any) -> str:
        variables: dict[str, Any] = {}
        if isinstance(value, list):
            if len(value) != 2 or not isinstance(value[1], dict):
                raise TemplateError(f"malformed !Sub {value!r}")
            value, variables = value
        if not isinstance(value, str):
            raise TemplateError(f"malformed !Sub {value!r}")

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return self._raw(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return self._get_att(name.split(".", 1))
            return self._ref(name)

        return _SUB_VAR.sub(one, value)
