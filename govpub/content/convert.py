"""Old Word (.doc) and WPS 文字 (.wps) files → .docx, by LibreOffice in a bounded child process.

Both are OLE compound files (WPS 文字 builds on Word's binary format), which nothing in Python reads
safely; LibreOffice does, but it is a large C++ program fed hostile bytes, so it runs in its own
process group with its own profile and working directory, without network, with CPU / memory / file-size
limits, and a wall time after which the whole group is killed. The conversion runs in the request (bounded, usually a
second or two); what comes out goes through the same .docx path as a file saved as .docx.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError

from .files import MAX_ATTACHMENT_BYTES, OLE_MAGIC

OLD_WORD = (".doc", ".wps")
MISSING = "服务器未安装 LibreOffice，暂不能导入 .doc/.wps 文件，请另存为 .docx 后导入。"
# Address space: LibreOffice starts with 512 MB and not with 256 MB (measured, 7.4); 1 GB leaves room for
# a large document while stopping one that tries to eat the machine.
MEMORY_BYTES = 1024 ** 3
MAX_OUTPUT_BYTES = MAX_ATTACHMENT_BYTES


# A Word file can link pictures (and more) by address, and LibreOffice fetches them while it reads the file: a
# way to make the server call any address inside the government network. Its own network namespace (no
# interfaces) stops that where the kernel lets this user make one; the profile's proxy, a closed local port,
# stops it for http(s) everywhere.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
</oor:items>
"""


@functools.cache
def network_jail() -> tuple[str, ...]:
    """The `unshare` prefix that runs a program without network, or () where this user may not make one."""
    program = shutil.which("unshare")
    if not program:
        return ()
    jail = (program, "--net", "--map-root-user")
    try:
        works = subprocess.run([*jail, "true"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        works = False
    return jail if works else ()


def timeout_seconds() -> int:
    return int(os.environ.get("GOVPUB_CONVERT_TIMEOUT", "60"))


def soffice() -> str | None:
    return os.environ.get("GOVPUB_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _limits(cpu_seconds: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
        # The profile LibreOffice writes is small; only the .docx may be large.
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES + 1, MAX_OUTPUT_BYTES + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def to_docx(data: bytes, name: str) -> bytes:
    """The .docx LibreOffice makes of a .doc/.wps file. Raises ValidationError in plain Chinese."""
    ext = os.path.splitext(name)[1].lower()
    label = "WPS 文字" if ext == ".wps" else "Word（.doc）"
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"文件“{name}”过大，不能超过 {MAX_ATTACHMENT_BYTES // 1048576} MB。")
    if not data.startswith(OLE_MAGIC):
        raise ValidationError(f"文件“{name}”不是{label}文档。")
    program = soffice()
    if not program or not os.access(program, os.X_OK):
        raise ValidationError(MISSING)
    limit = timeout_seconds()
    with tempfile.TemporaryDirectory(prefix="govpub-convert-") as work:
        work = Path(work)
        (work / "tmp").mkdir()
        source = work / f"source{ext}"  # an ASCII name: the uploaded one may hold anything
        source.write_bytes(data)
        (work / "profile" / "user").mkdir(parents=True)
        (work / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS)
        command = [
            *network_jail(), program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--nologo", "--nodefault", "--nolockcheck",
            # Forced: left to guess, LibreOffice turns any unreadable file into a .docx of its bytes as text.
            "--infilter=MS Word 97", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"),
            str(source)]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "TMPDIR": str(work / "tmp"),
               "LANG": "C.UTF-8"}
        try:
            process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True, preexec_fn=_limits(limit + 5))
        except OSError:
            raise ValidationError(MISSING) from None
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise ValidationError(f"转换文件“{name}”超时（超过 {limit} 秒）：文件可能过大或已损坏，"
                                  f"请在 WPS 或 Word 中另存为 .docx 后导入。") from None
        finally:
            _kill_group(process)  # whatever it started dies with it, finished or not
            process.wait()
        result = work / "out" / "source.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise ValidationError(f"无法转换文件“{name}”：文件已损坏或不是{label}文档。"
                                  f"请在 WPS 或 Word 中打开确认，另存为 .docx 后导入。")
        if result.stat().st_size > MAX_OUTPUT_BYTES:
            raise ValidationError(f"文件“{name}”转换后过大，不能超过 {MAX_OUTPUT_BYTES // 1048576} MB。")
        return result.read_bytes()
