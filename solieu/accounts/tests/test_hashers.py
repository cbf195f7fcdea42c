"""Passwords are hashed with OWASP's Argon2id parameters; older argon2 hashes still work and
are upgraded at the next sign-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from solieu.accounts.hashers import OwaspArgon2PasswordHasher


def test_new_hashes_use_owasp_parameters():
    encoded = make_password("mat-khau-dai-123")
    params = OwaspArgon2PasswordHasher().decode(encoded)["params"]
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert not identify_hasher(encoded).must_update(encoded)


def test_a_django_default_hash_still_signs_in_and_is_upgraded():
    old = Argon2PasswordHasher().encode("mat-khau-dai-123", Argon2PasswordHasher().salt())
    upgraded = []
    assert check_password("mat-khau-dai-123", old, setter=upgraded.append)
    assert upgraded == ["mat-khau-dai-123"]
    assert not check_password("sai-mat-khau-123", old)
