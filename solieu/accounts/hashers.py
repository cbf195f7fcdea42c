"""Argon2id at OWASP's recommended parameters rather than Django's heavier defaults.

Why: Django's Argon2PasswordHasher takes 100 MiB and ~0,2 s of CPU per sign-in (parallelism 8).
On the ministry's 2-core server, the last day of a period brings hundreds of sign-ins within
minutes: 20 gunicorn threads hashing at once would need 2 GiB and starve the cell saves
(bench/rush.py). OWASP's Password Storage Cheat Sheet recommends Argon2id with at least
19 MiB, 2 iterations, parallelism 1 (~0,03 s here); django-axes limits online guessing.
Hashes made with other parameters are upgraded at the next sign-in (must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024   # KiB
    parallelism = 1
