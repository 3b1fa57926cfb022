"""TOTP arithmetic (RFC 6238 through django_otp.oath) and the QR code, free of models and requests.

The enrolment secret is 20 random bytes (160 bits, RFC 4226's recommendation), shown as base32 the way
authenticator apps expect it. Codes are 6 digits, 30-second steps, ±1 step tolerance — the defaults of
django_otp's TOTPDevice, so a device created from these values verifies exactly like this module does.
"""

from __future__ import annotations

import base64
import io
import re
import secrets
import time
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django_otp.oath import TOTP

STEP = 30
DIGITS = 6
TOLERANCE = 1
RECOVERY_CODE_COUNT = 10

TOTP_CODE = re.compile(r"^\d{6}$")


def new_key() -> bytes:
    return secrets.token_bytes(20)


def key_from_hex(key_hex: str) -> bytes:
    return unhexlify(key_hex.encode())


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


def grouped(text: str, size: int = 4) -> str:
    """'ABCDEFGH…' → 'ABCD EFGH …' for typing the secret by hand."""
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


def otpauth_url(key: bytes, account: str, issuer: str) -> str:
    """The Key URI Format every authenticator app reads from the QR code."""
    issuer = issuer.replace(":", "")
    label = quote(f"{issuer}:{account}" if issuer else account)
    params = {"secret": b32(key), "algorithm": "SHA1", "digits": DIGITS, "period": STEP}
    if issuer:
        params["issuer"] = issuer
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_data_uri(text: str, scale: int = 5) -> tuple[str, int]:
    """An SVG QR code as a data: URI for an <img> (the site's CSP allows img-src data:), and its size in pixels."""
    import segno

    qr = segno.make(text, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, border=4, light="#fff", xmldecl=False, svgclass=None,
            lineclass=None)
    width, _height = qr.symbol_size(scale=scale, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode(), width


def current_t(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP


def code_at(key: bytes, t: int) -> str:
    totp = TOTP(key, step=STEP, digits=DIGITS)
    totp.time = t * STEP
    return f"{totp.token():0{DIGITS}d}"


def current_code(key: bytes, now: float | None = None) -> str:
    return code_at(key, current_t(now))


def match(key: bytes, code: str, *, last_t: int = -1, now: float | None = None) -> int | None:
    """The time step the code belongs to, if it is within ±1 step of now and newer than last_t."""
    if not TOTP_CODE.match(code):
        return None
    totp = TOTP(key, step=STEP, digits=DIGITS)
    totp.time = time.time() if now is None else now
    if totp.verify(int(code), tolerance=TOLERANCE, min_t=last_t + 1):
        return totp.t()
    return None


def next_usable_step(last_t: int = -1, now: float | None = None) -> tuple[int, int]:
    """(time step, seconds to wait first): the step whose code the server accepts next, given the step it
    accepted last. A code is accepted once only, so right after a login the current code is spent; the next
    step's code is already inside the ±1 tolerance, and after that one has to wait for the clock to move on."""
    now = time.time() if now is None else now
    t = max(current_t(now), last_t + 1)
    wait = 0
    if t > current_t(now) + TOLERANCE:
        wait = int((t - TOLERANCE) * STEP - now) + 1
    return t, wait


def next_usable_code(key: bytes, last_t: int = -1, now: float | None = None) -> tuple[str, int]:
    t, wait = next_usable_step(last_t, now)
    return code_at(key, t), wait


def normalise(code: str) -> str:
    """Codes are typed with spaces or hyphens now and then; recovery codes in any case."""
    return re.sub(r"[\s\-]", "", code or "").lower()
