#!/usr/bin/env bash
# System packages the test suite needs (Debian). Idempotent: safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# impact: headless Chromium renders the HTML impact report in
# tests/integration/impact/test_report_browser.py.
# console: the browser tests in tests/integration/console drive it with Selenium through
# Debian's chromium-driver (same version as chromium; no browser download).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  apt-get install -y chromium chromium-driver \
    || { apt-get update && apt-get install -y chromium chromium-driver; }
fi

# intake: a real IMAP server (Dovecot) for the PollMailbox tests in
# tests/integration/intake/test_imap_poll.py, and openssl for their throw-away TLS
# certificate. The package's post-install may be refused permission to start a system
# service; that is fine, the tests start their own instance on 127.0.0.1.
if [ ! -x /usr/sbin/dovecot ] || ! command -v openssl >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends dovecot-imapd openssl \
    || { apt-get update && apt-get install -y --no-install-recommends dovecot-imapd openssl; }
fi
