"""A real Dovecot IMAP server on 127.0.0.1 for tests: own config, TLS cert and mail in a tmp dir."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from spconnector.intake.imap import tls_context

PASSWORD = "test-password-not-secret"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DovecotServer:
    root: Path
    port: int
    cafile: str
    process: subprocess.Popen[bytes]
    users: tuple[str, ...]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_dovecot(root: Path, users: tuple[str, ...]) -> DovecotServer:
    binary = dovecot_binary()
    assert binary, "dovecot not installed"
    root.chmod(0o755)
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    if os.geteuid() == 0:
        # Dovecot refuses to run its login and mail processes as root: use its own users.
        internal, login = pwd.getpwnam("dovecot"), "dovenull"
    else:
        internal, login = pwd.getpwuid(os.geteuid()), pwd.getpwuid(os.geteuid()).pw_name
    uid, gid = internal.pw_uid, internal.pw_gid
    group = _group_name(gid)
    for sub in ("mail", "home", "run", "state"):
        (root / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(root / sub, uid, gid)
    passwd = root / "passwd"
    passwd.write_text(
        "".join(f"{u}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{root}/home/{u}\n" for u in users)
    )
    passwd.chmod(0o644)
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(f"""
base_dir = {root}/run
state_dir = {root}/state
instance_name = spconnector-test-{port}
listen = 127.0.0.1
protocols = imap
log_path = {root}/dovecot.log
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain
# Dovecot holds each refused login 2 s (against password guessing); the tests' refused logins
# need the refusal, not the wait.
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = {passwd}
}}
userdb {{
  driver = passwd-file
  args = {passwd}
}}
mail_location = maildir:{root}/mail/%u
first_valid_uid = {min(uid, 1)}
default_internal_user = {internal.pw_name}
default_internal_group = {group}
default_login_user = {login}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
""")
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = DovecotServer(root, port, str(cert), process, users)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {server.log()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"dovecot did not listen on {port}: {server.log()[-2000:]}")


def _group_name(gid: int) -> str:
    import grp

    return grp.getgrgid(gid).gr_name


def client(server: DovecotServer, user: str) -> imaplib.IMAP4_SSL:
    conn = imaplib.IMAP4_SSL(
        "127.0.0.1", server.port, ssl_context=tls_context(server.cafile), timeout=10
    )
    conn.login(user, PASSWORD)
    return conn


def deliver(server: DovecotServer, user: str, *mails: bytes) -> None:
    conn = client(server, user)
    for raw in mails:
        typ, _ = conn.append("INBOX", None, None, raw)
        assert typ == "OK"
    conn.logout()
