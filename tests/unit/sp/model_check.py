"""Check outgoing SP-API requests against Amazon's official models (swagger 2.0).

Stricter than the models: objects may not carry properties the model does not define, so a
guessed or stray field name (e.g. "path", "MarketplaceIds" in a body) fails.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema


def _strict(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _strict(v) for k, v in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        return node
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


class ModelCatalog:
    def __init__(self, models_dir: Path) -> None:
        self._ops: list[tuple[re.Pattern[str], str, str, dict[str, Any], dict[str, Any]]] = []
        for file in sorted(models_dir.glob("*.json")):
            model = json.loads(file.read_text())
            if "paths" not in model:
                continue
            definitions = _strict(copy.deepcopy(model.get("definitions", {})))
            for template, methods in model["paths"].items():
                pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
                shared = methods.get("parameters", [])
                for method, spec in methods.items():
                    if method not in ("get", "post", "put", "delete", "patch"):
                        continue
                    spec = {**spec, "parameters": [*shared, *spec.get("parameters", [])]}
                    self._ops.append(
                        (
                            pattern,
                            method.upper(),
                            f"{file.stem}:{spec['operationId']}",
                            spec,
                            definitions,
                        )
                    )

    def check(self, request: httpx.Request) -> str:
        """The request's operation ("<model stem>:<operationId>"); AssertionError if invalid."""
        path = request.url.raw_path.decode().split("?", 1)[0]
        matches = [op for op in self._ops if op[1] == request.method and op[0].match(path)]
        assert matches, f"no operation in Amazon's models for {request.method} {path}"
        # A literal segment beats a template parameter (e.g. /documents vs /{feedId}).
        _, _, name, spec, definitions = max(
            matches, key=lambda op: len(op[0].pattern.replace("[^/]+", ""))
        )
        params = spec.get("parameters", [])
        query = dict(request.url.params)
        declared = {p["name"] for p in params if p["in"] == "query"}
        unknown = set(query) - declared
        assert not unknown, f"{name}: query parameters not in the model: {sorted(unknown)}"
        for p in params:
            if p["in"] == "query" and p.get("required"):
                assert p["name"] in query, f"{name}: required query parameter {p['name']} missing"
        body_params = [p for p in params if p["in"] == "body"]
        content = request.content
        if body_params:
            assert content, f"{name}: body required by the model is missing"
            schema = {**body_params[0]["schema"], "definitions": definitions}
            jsonschema.Draft4Validator(_strict(schema)).validate(json.loads(content))
        else:
            assert not content, f"{name}: the model defines no body, but one was sent"
        return name
