"""RFC 6238 codes from the standard library: the RFC's own test vectors, the window, the URI."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from solieu.accounts import totp

# RFC 6238 appendix B, SHA-1, secret "12345678901234567890"; the last six of the eight digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
VECTORS = [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924"),
           (2000000000, "279037"), (20000000000, "353130")]


@pytest.mark.parametrize("when,code", VECTORS)
def test_rfc_6238_vectors(when, code):
    assert totp.code_at(RFC_SECRET, when) == code


def test_rfc_4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
    assert [totp.hotp(RFC_SECRET, i) for i in range(10)] == expected


def test_one_step_either_side_is_accepted_two_are_not():
    when = 1111111111
    step = totp.step_at(when)
    for delta in (-1, 0, 1):
        assert totp.matching_step(RFC_SECRET, totp.hotp(RFC_SECRET, step + delta), when) == step + delta
    for delta in (-2, 2):
        assert totp.matching_step(RFC_SECRET, totp.hotp(RFC_SECRET, step + delta), when) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", None, "05 04 71x"])
def test_malformed_codes_match_nothing(code):
    assert totp.matching_step(RFC_SECRET, code, 1111111111) is None


def test_spaces_in_a_code_are_ignored():
    assert totp.matching_step(RFC_SECRET, "050 471", 1111111111) == totp.step_at(1111111111)


def test_new_secrets_are_160_random_bits_in_base32():
    a, b = totp.new_secret(), totp.new_secret()
    assert a != b and len(a) == 32 and len(base64.b32decode(a)) == 20


def test_grouped_in_fours_and_still_usable():
    secret = totp.new_secret()
    shown = totp.grouped(secret)
    assert shown.split(" ")[0] == secret[:4] and len(shown.split(" ")) == 8
    assert totp.code_at(shown.lower(), 1234567890) == totp.code_at(secret, 1234567890)


def test_provisioning_uri_for_authenticator_apps():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "nguyễn.văn.a")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path == "/solieu%3Anguy%E1%BB%85n.v%C4%83n.a"
    assert parse_qs(parts.query) == {"secret": ["JBSWY3DPEHPK3PXP"], "issuer": ["solieu"], "algorithm": ["SHA1"],
                                     "digits": ["6"], "period": ["30"]}
