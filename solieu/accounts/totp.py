"""Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 seconds), standard library only.

These are the parameters every authenticator app (Google Authenticator, Microsoft Authenticator,
FreeOTP...) uses by default; anything else is silently misread by some of them.
"""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
ISSUER = "solieu"


def new_secret() -> str:
    """160 random bits (RFC 4226's recommended length), base32 without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _key(secret: str) -> bytes:
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def hotp(secret: str, counter: int) -> str:
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def step_at(when: float | None = None) -> int:
    return int((time.time() if when is None else when) // STEP_SECONDS)


def code_at(secret: str, when: float | None = None) -> str:
    return hotp(secret, step_at(when))


def matching_step(secret: str, code: str, when: float | None = None, window: int = 1):
    """The time step whose code this is, within ±window steps of now (clocks drift), or None.

    The caller refuses a step not later than the last one used, so a code cannot be replayed.
    """
    code = (code or "").replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(when)
    found = None
    for step in range(now - window, now + window + 1):
        if hmac.compare_digest(hotp(secret, step), code):
            found = step  # no early return: the time taken does not tell which step matched
    return found


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// URI that authenticator apps read from a QR code."""
    label = quote(f"{ISSUER}:{account}")
    return f"otpauth://totp/{label}?" + urlencode(
        {"secret": secret, "issuer": ISSUER, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS})
