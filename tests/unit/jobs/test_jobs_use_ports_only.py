"""Jobs reach AWS only through the ports `Services` exposes: no module of jobs/ imports boto3,
botocore, moto or the client factory (spconnector.aws.clients)."""

from __future__ import annotations

import ast
from pathlib import Path

JOBS = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "jobs"
FORBIDDEN = ("boto3", "botocore", "moto", "spconnector.aws.clients")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN)


def test_no_job_imports_an_aws_client() -> None:
    modules = sorted(JOBS.glob("*.py"))
    assert len(modules) > 15  # the jobs are where this test looks
    found = {p.name: sorted(n for n in _imports(p) if _forbidden(n)) for p in modules}
    assert {name: bad for name, bad in found.items() if bad} == {}


def test_the_check_sees_an_aws_client_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from spconnector.aws.clients import client\nimport boto3\n")
    assert sorted(n for n in _imports(sample) if _forbidden(n)) == [
        "boto3",
        "spconnector.aws.clients",
        "spconnector.aws.clients.client",
    ]
