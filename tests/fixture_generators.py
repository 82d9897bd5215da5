"""The intake fixture corpora's generators, loaded as modules for tests that build mail.

`tests/fixtures/intake/*/generate.py` are scripts that live beside the mail they write, not a
package, so they are loaded from their files (once per process); the shapes they share
(`Mail`, `render`, Seller Central's layout) are `tests/fixtures/intake/notice_mail.py`."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

INTAKE_FIXTURES = Path(__file__).parent / "fixtures" / "intake"


def _exec(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (its dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


_load = cache(_exec)


def notices() -> ModuleType:
    """The notice corpus generator: `render`, `Mail` and the notice builders."""
    return _load("notice_corpus_generator", INTAKE_FIXTURES / "notices" / "generate.py")


def layouts() -> ModuleType:
    """The layouts corpus generator: plain-text, older and further-marketplace notices."""
    return _load("notice_layouts_generator", INTAKE_FIXTURES / "layouts" / "generate.py")


def layouts2() -> ModuleType:
    """The third corpus' generator: real mailbox shapes of Amazon's notices (layouts2)."""
    return _load("notice_layouts2_generator", INTAKE_FIXTURES / "layouts2" / "generate.py")


def layouts3() -> ModuleType:
    """The fourth corpus' generator: SAFE-T/FBA reimbursements, account-health warnings,
    cancellations in further languages, odd encodings and quoted blocks (layouts3)."""
    return _load("notice_layouts3_generator", INTAKE_FIXTURES / "layouts3" / "generate.py")


def layouts4() -> ModuleType:
    """The fifth corpus' generator: partial/multi-item/failed refunds on further marketplaces,
    claims withdrawn or decided, return reasons in four languages, relay language mismatch,
    format=flowed and charset-less 8-bit mail, forwards by a VA (layouts4)."""
    return _load("notice_layouts4_generator", INTAKE_FIXTURES / "layouts4" / "generate.py")


def layouts5() -> ModuleType:
    """The sixth corpus' generator: further marketplaces (.nl, .pl, .com.be, .sg, .ae,
    .com.tr, .eg), reversed and owed refunds, closed returns, lookalike senders, Amazon Pay,
    Vine and Business notices, Apple Mail and French Gmail forwards (layouts5)."""
    return _load("notice_layouts5_generator", INTAKE_FIXTURES / "layouts5" / "generate.py")


def layouts6() -> ModuleType:
    """The seventh corpus' generator: mail gateways' banners, tags and rewritten links, newer
    table-based HTML, UTF-16/GB18030 bodies, Chinese/Hindi/Arabic notices, quoted relay
    threads, helpdesk auto-replies (layouts6)."""
    return _load("notice_layouts6_generator", INTAKE_FIXTURES / "layouts6" / "generate.py")


def fresh(corpus: str) -> ModuleType:
    """A corpus' generator ("notices", "layouts", … "layouts6") loaded
    anew: not the shared one, on which tests set their own `order_id`."""
    return _exec(f"notice_{corpus}_generator_fresh", INTAKE_FIXTURES / corpus / "generate.py")
