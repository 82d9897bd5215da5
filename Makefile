# spconnector — two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv with Python 3.12 when it is missing and install the project with its dev
# extras (SAM CLI and cfn-lint come from PyPI into the venv), so a fresh clone needs nothing else.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# checkov lives in a virtualenv of its own (see the checkov target).
CHECKOV_VENV := .venv-checkov
# The first Python 3.12 that really runs (a pyenv shim on PATH may not).
PY312 ?= $(shell for p in $$(ls -d /root/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null) $$(command -v python3.12) $$(command -v python3); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { echo "$$p"; break; }; done)
# SAM's python builder looks for python3.12 on PATH: the venv provides it.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export SAM_CLI_TELEMETRY := 0
export SAM_CLI_CONTAINER_CONNECTION_TIMEOUT := 1
export AWS_DEFAULT_REGION ?= us-east-1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint typecheck sam-validate sam-build pytest bench local clean system-deps fuzz checkov
.PHONY: lambda-image sam-local

$(BIN)/python:
	@test -n "$(PY312)" || { echo "error: Python 3.12 not found (set PY312=/path/to/python3.12)" >&2; exit 2; }
	$(PY312) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/python -m pip install -q -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither"; test $${PIPESTATUS[0]} -eq 0
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/spconnector demo
	@echo "Next: the operator console on this machine — $(BIN)/spconnector console, then http://127.0.0.1:8470/login"

lint: $(VENV)/.installed
	$(BIN)/ruff check src lambdas tests bench
	$(BIN)/ruff format --check src lambdas tests bench

typecheck: $(VENV)/.installed
	$(BIN)/mypy

sam-validate: $(VENV)/.installed
	$(BIN)/sam validate --lint --template template.yaml

sam-build: $(VENV)/.installed
	$(BIN)/sam build --template template.yaml --build-dir .aws-sam/build

# Chromium (the impact report's browser test) and Dovecot (the IMAP poll test) from Debian.
system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then bash tests/setup/system-deps.sh; \
	else echo "note: not root or no apt-get; install chromium and dovecot-imapd yourself"; fi

# Docker (Debian's docker.io), a dockerd without a bridge, and the python3.12 Lambda base image
# built locally (no registry can be pulled from): what the `sam local` tests need.
lambda-image:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then bash tests/setup/lambda-image.sh "$(PY312)"; \
	else echo "note: not root or no apt-get; the sam local tests skip unless Docker and $(LAMBDA_IMAGE) exist"; fi
LAMBDA_IMAGE := public.ecr.aws/lambda/python:3.12

# The suite runs in PYTEST_WORKERS processes (pytest-xdist), one test file per worker at a time:
# a file's tests share their module fixtures and the slow files (chaos, sam local) run beside the
# rest. Every test is isolated (own moto, own simulator port, own tmp dirs); PYTEST_WORKERS=0 runs
# it in one process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( n > 4 ? 4 : n )))
pytest: $(VENV)/.installed system-deps lambda-image $(CHECKOV_VENV)/bin/checkov
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# Only the real `sam local invoke` / `start-lambda` tests (tests/integration/local/test_sam_local.py).
sam-local: $(VENV)/.installed lambda-image
	$(BIN)/pytest tests/integration/local/test_sam_local.py -v -p no:cacheprovider

test: lint typecheck sam-validate sam-build pytest

# The fuzz targets with SPCONNECTOR_FUZZ_SCALE times their `make test` inputs (default 20:
# 400,000 per parser), fresh random seeds each run.
FUZZ_SCALE ?= 20
fuzz: $(VENV)/.installed
	SPCONNECTOR_FUZZ_SCALE=$(FUZZ_SCALE) SPCONNECTOR_FUZZ_RANDOM=1 $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

# checkov in a virtualenv of its own: in .venv it would downgrade boto3, botocore and packaging.
$(CHECKOV_VENV)/bin/checkov:
	$(PY312) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install -q 'checkov==3.3.30' 2>&1 | grep -v "is ignored: it is neither"; test $${PIPESTATUS[0]} -eq 0

checkov: $(CHECKOV_VENV)/bin/checkov
	$(BIN)/pytest tests/unit/deploy/test_checkov.py -q -p no:cacheprovider

bench: $(VENV)/.installed
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

local: $(VENV)/.installed
	$(BIN)/spconnector local up

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache build dist src/*.egg-info

# The understanding model: regenerate the corpus and retrain the shipped artifact.
.PHONY: model
model: $(VENV)/.installed
	$(BIN)/spconnector model generate
	$(BIN)/spconnector model train
