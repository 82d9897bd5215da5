#!/usr/bin/env bash
# System packages the test suite needs (Debian). Idempotent: safe to run again.
set -euo pipefail

# impact: headless Chromium renders the HTML impact report in
# tests/integration/impact/test_report_browser.py.
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y chromium \
    || { apt-get update && apt-get install -y chromium; }
fi
