"""The deployment guide's commands, run for real: gunicorn with deploy/gunicorn.conf.py behind nginx with
deploy/nginx/govpub.conf (a self-signed certificate), `check --deploy` with the example environment, the
systemd units, logrotate. docs/deployment.md describes the same steps."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from govpub.ops.scratch import free_port, fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
HOST = "www.example.gov.cn"
# /usr/sbin is not on every user's PATH; scripts/test.sh and .ci/run install these packages.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LOGROTATE = shutil.which("logrotate") or "/usr/sbin/logrotate"


def example_env() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "govpub.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def govpub(env, *args, timeout=300):
    return subprocess.run([str(VENV_BIN / "govpub"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh GOVPUB_HOME (and, on PostgreSQL, a fresh database) after the guide's upgrade steps."""
    home = tmp_path_factory.mktemp("govpub-home")
    env = dict(os.environ, GOVPUB_HOME=str(home), GOVPUB_SECRET_KEY=secrets.token_urlsafe(50),
               DJANGO_SETTINGS_MODULE="govpub.settings")
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = fresh_postgres_database(os.environ["DATABASE_URL"], "govpub_deploy")
    try:
        for step in (["manage", "migrate", "--noinput"], ["manage", "collectstatic", "--noinput"]):
            done = govpub(env, *step)
            assert done.returncode == 0, done.stderr
        yield env, home
    finally:
        if drop:
            drop()


def wait_for(url, *, timeout=60, **kwargs):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=5, **kwargs)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def nginx_config(tmp: Path, *, app_port: int, http_port: int, https_port: int, static: Path) -> Path:
    """The shipped site file with this machine's ports, a self-signed certificate and temporary log paths."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
                    "-keyout", str(tmp / "privkey.pem"), "-out", str(tmp / "fullchain.pem")],
                   check=True, capture_output=True)
    (tmp / "logs").mkdir()
    site = (DEPLOY / "nginx" / "govpub.conf").read_text(encoding="utf-8")
    for old, new in [("/etc/govpub/tls/", f"{tmp}/"), ("/var/log/nginx/", f"{tmp}/logs/"),
                     ("/var/lib/govpub/static/", f"{static}/"),
                     ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")]:
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # the test binds loopback IPv4 only
    (tmp / "govpub.conf").write_text(site, encoding="utf-8")
    main = tmp / "nginx.conf"
    main.write_text("\n".join([
        "user root;" if os.geteuid() == 0 else "",  # workers must read the pytest temp directory
        f"pid {tmp}/nginx.pid;", f"error_log {tmp}/logs/error.log;", "events {}",
        "http {", f"  access_log {tmp}/logs/access.log;", "  include /etc/nginx/mime.types;",
        *[f"  {name}_temp_path {tmp}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")],
        f"  include {tmp}/govpub.conf;", "}", ""]), encoding="utf-8")
    return main


def test_gunicorn_behind_nginx_serves_https_with_hsts_and_json_logs(installed, tmp_path):
    env, home = installed
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    web_env = dict(env, GOVPUB_BIND=f"127.0.0.1:{app_port}", GOVPUB_WEB_WORKERS="1", GOVPUB_WEB_THREADS="2",
                   GOVPUB_TRUSTED_PROXIES="127.0.0.1,::1", GOVPUB_SSL_REDIRECT="1", GOVPUB_SECURE_COOKIES="1",
                   GOVPUB_HSTS_SECONDS="31536000", GOVPUB_ALLOWED_HOSTS=f"{HOST},127.0.0.1")
    web_env.pop("GOVPUB_LOG_FORMAT", None)  # gunicorn.conf.py chooses JSON
    stderr = (tmp_path / "web.log").open("w")
    web = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")], env=web_env,
                           cwd=ROOT, stdout=stderr, stderr=stderr)
    proxy = None
    try:
        direct = wait_for(f"http://127.0.0.1:{app_port}/healthz")  # probes speak plain HTTP, not redirected
        assert direct.status_code == 200 and direct.json() == {"status": "ok"}

        config = nginx_config(tmp_path, app_port=app_port, http_port=http_port, https_port=https_port,
                              static=home / "static")
        checked = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True)
        assert checked.returncode == 0 and "test is successful" in checked.stderr, checked.stderr
        proxy = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"https://127.0.0.1:{https_port}"
        headers = {"Host": HOST}
        health = wait_for(f"{base}/healthz", headers=headers, verify=False)
        assert health.status_code == 200
        assert health.headers.get_list("strict-transport-security") == ["max-age=31536000; includeSubDomains"]
        request_id = health.headers["x-request-id"]  # nginx's $request_id, carried into the application's log
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)

        # The application sees HTTPS (X-Forwarded-Proto from a trusted proxy): no redirect loop, secure cookies.
        login = httpx.get(f"{base}/accounts/login/", headers=headers, verify=False)
        assert login.status_code == 200 and "Secure" in login.headers["set-cookie"]
        staff = httpx.get(f"{base}/staff/", headers=headers, verify=False)
        assert staff.status_code == 302 and staff.headers["location"].startswith("/accounts/login/")

        plain = httpx.get(f"http://127.0.0.1:{http_port}/staff/?a=1", headers=headers)
        assert plain.status_code == 301 and plain.headers["location"] == f"https://{HOST}/staff/?a=1"

        css = httpx.get(f"{base}/static/govpub/app.css", headers=headers, verify=False)
        assert css.status_code == 200 and "x-request-id" not in css.headers  # nginx serves it, not the app
        assert css.headers.get_list("strict-transport-security") == ["max-age=31536000; includeSubDomains"]

        # TLS 1.2 is the floor: a client limited to 1.2 gets through with a forward-secret AEAD suite.
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        connection = http.client.HTTPSConnection("127.0.0.1", https_port, context=context, timeout=10)
        connection.request("GET", "/healthz", headers=headers)
        assert connection.getresponse().status == 200
        assert connection.sock.version() == "TLSv1.2"
        assert "GCM" in connection.sock.cipher()[0] or "CHACHA20" in connection.sock.cipher()[0]
        connection.close()

        # An upload beyond nginx's limit is refused before it reaches the application, in Chinese.
        connection = http.client.HTTPSConnection("127.0.0.1", https_port, context=context, timeout=10)
        connection.putrequest("POST", "/staff/items/new/", skip_host=True)
        connection.putheader("Host", HOST)
        connection.putheader("Content-Length", str(80 * 1024 * 1024))
        connection.endheaders()
        refused = connection.getresponse()
        assert refused.status == 413 and "文件过大" in refused.read().decode()
        connection.close()
    finally:
        if proxy is not None:
            stop(proxy)
        stop(web)
        stderr.close()

    entries = [json.loads(line) for line in (tmp_path / "web.log").read_text().splitlines() if line.startswith("{")]
    assert any(e["logger"] == "gunicorn.error" and "Listening at" in e["message"] for e in entries)
    health_lines = [e for e in entries if e["logger"] == "govpub.request" and e["path"] == "/healthz"]
    assert any(e["status"] == 200 and e["request_id"] == request_id for e in health_lines)
    assert all({"time", "level", "logger", "message", "request_id", "user_id"} <= set(e) for e in entries)


def test_check_deploy_with_the_example_environment_reports_only_explained_warnings(tmp_path):
    env = {**os.environ, **example_env(), "GOVPUB_HOME": str(tmp_path), "GOVPUB_SECRET_KEY": secrets.token_urlsafe(50)}
    done = govpub(env, "manage", "check", "--deploy")
    assert done.returncode == 0, done.stderr
    found = set(re.findall(r"\((\w+\.[EWC]\d+)\)", done.stdout + done.stderr))
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    explained = set(re.findall(r"`(\w+\.W\d+)`", guide))
    assert found <= explained, f"check --deploy warnings not explained in docs/deployment.md: {found - explained}"
    assert not any(".E" in w for w in found)


def unit_files():
    return sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))


def parse_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        if line.startswith("[") and line.rstrip().endswith("]"):
            current = sections.setdefault(line.strip()[1:-1], [])
            continue
        assert current is not None and "=" in line, f"{path.name}:{number}: {line}"
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def test_systemd_units_parse_run_commands_that_exist_and_are_hardened(tmp_path):
    names = {p.name for p in unit_files()}
    assert {"govpub-web.service", "govpub-worker@.service", "govpub-backup.service", "govpub-backup.timer"} <= names
    from govpub.cli import build_parser

    for path in unit_files():
        sections = parse_unit(path)
        assert "Unit" in sections
        if path.suffix != ".service":
            continue
        service = dict(sections["Service"])
        for key in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp"):
            assert service.get(key) in ("yes", "strict"), (path.name, key)
        environment_files = [v for k, v in sections["Service"] if k == "EnvironmentFile"]
        assert service["User"] == "govpub" and environment_files[0] == "/etc/govpub/govpub.env"
        for key, value in sections["Service"]:
            if not key.startswith("Exec"):
                continue
            argv = shlex.split(value.replace("%i", "1"))
            program = Path(argv[0].replace("/opt/govpub", str(ROOT)))
            assert program.is_file() and os.access(program, os.X_OK), f"{path.name}: {argv[0]}"
            for arg in argv[1:]:
                if arg.startswith("/opt/govpub/"):
                    assert Path(arg.replace("/opt/govpub", str(ROOT))).exists(), arg
            if program.name == "govpub":
                build_parser().parse_args(argv[1:])  # a real subcommand with valid options
    # systemd's own parser on copies whose paths point into this checkout: no unknown keys, no missing programs.
    for path in unit_files():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8").replace("/opt/govpub", str(ROOT)),
                                          encoding="utf-8")
    verify = subprocess.run(["systemd-analyze", "verify", *[str(tmp_path / p.name) for p in unit_files()]],
                            capture_output=True, text=True, timeout=120)
    complaints = [line for line in (verify.stdout + verify.stderr).splitlines() if line.strip()]
    assert verify.returncode == 0 and not complaints, complaints


def test_example_environment_file_has_no_secrets_and_matches_the_settings():
    values = example_env()
    assert values["GOVPUB_SECRET_KEY"] == "" and values["GOVPUB_CREDENTIALS_KEY"] == ""
    assert all("请替换" in values[k] for k in ("DATABASE_URL", "REDIS_URL", "GOVPUB_CACHE_URL"))
    settings_source = (ROOT / "govpub" / "settings.py").read_text(encoding="utf-8")
    for key in values:
        if key not in ("DATABASE_URL", "REDIS_URL", "GOVPUB_HOME"):
            assert key in settings_source or key in (ROOT / "govpub" / "cli.py").read_text(encoding="utf-8") or \
                key in (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8") or \
                any(key in p.read_text(encoding="utf-8") for p in (ROOT / "govpub").rglob("*.py")), key
    # nginx lets an upload through that the application can refuse in Chinese.
    from govpub.content.files import MAX_ATTACHMENT_BYTES

    nginx = (DEPLOY / "nginx" / "govpub.conf").read_text(encoding="utf-8")
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert MAX_ATTACHMENT_BYTES < limit_mb * 1024 * 1024 <= MAX_ATTACHMENT_BYTES + 20 * 1024 * 1024
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in nginx


def test_logrotate_keeps_six_months_and_rotates_files_systemd_holds_open(tmp_path):
    logs = tmp_path / "log"
    logs.mkdir()
    (logs / "web.log").write_text('{"message": "before"}\n')
    config = tmp_path / "govpub.logrotate"
    text = (DEPLOY / "logrotate" / "govpub").read_text(encoding="utf-8")
    assert "/var/log/govpub/*.log" in text and int(re.search(r"rotate (\d+)", text).group(1)) >= 180
    config.write_text(text.replace("/var/log/govpub/", f"{logs}/"), encoding="utf-8")
    config.chmod(0o644)
    state = tmp_path / "state"
    debug = subprocess.run([LOGROTATE, "-d", "-s", str(state), str(config)], capture_output=True, text=True)
    assert debug.returncode == 0 and "error" not in debug.stderr.lower(), debug.stderr
    with (logs / "web.log").open("a") as held_open:  # like systemd's StandardOutput=append:
        forced = subprocess.run([LOGROTATE, "-f", "-s", str(state), str(config)], capture_output=True, text=True)
        assert forced.returncode == 0, forced.stderr
        held_open.write('{"message": "after"}\n')
        held_open.flush()
    rotated = [p for p in logs.iterdir() if p.name.startswith("web.log-")]
    assert len(rotated) == 1 and "before" in rotated[0].read_text()
    assert (logs / "web.log").read_text().strip().endswith('{"message": "after"}')
    assert "before" not in (logs / "web.log").read_text()


def test_backup_timer_runs_the_existing_backup_command():
    sections = parse_unit(DEPLOY / "systemd" / "govpub-backup.service")
    exec_start = dict(sections["Service"])["ExecStart"]
    assert shlex.split(exec_start)[1:3] == ["backup", "--output"]
    timer = dict(parse_unit(DEPLOY / "systemd" / "govpub-backup.timer")["Timer"])
    assert timer["OnCalendar"] and timer["Persistent"] == "true"
    assert os.access(NGINX, os.X_OK) and os.access(LOGROTATE, os.X_OK) and shutil.which("systemd-analyze")
