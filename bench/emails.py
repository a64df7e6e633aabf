"""Email check throughput: the import's fast path against email-validator alone.

    python -m bench.emails [--count N]

N addresses (default 100,000): plain ASCII ones, and a fifth with an internationalised
domain that the fast path hands to the library. Prints emails per second for the
import's EmailChecker and for fields.check_email (the library on every address).
"""

import argparse
import os
import random
import time
from collections.abc import Callable

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    count = parser.parse_args().count
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from roster.importing.emails import EmailChecker
    from roster.importing.fields import check_email

    rng = random.Random(1)
    names = ["ann", "bo", "Chris.Lee", "d_ng", "eve+school", "Frank-O"]
    plain = ["example.com", "school.org", "mail.example.co.uk", "Gmail.com"]
    mixes = {"plain ASCII": plain, "a fifth IDN": [*plain, "münchen.de"]}
    for mix, domains in mixes.items():
        emails = [f"{rng.choice(names)}{i}@{rng.choice(domains)}" for i in range(count)]
        checks: dict[str, Callable[[str], object]] = {
            "EmailChecker (fast path)": EmailChecker(),
            "check_email (library)": check_email,
        }
        for label, check in checks.items():
            start = time.perf_counter()
            for email in emails:
                check(email)
            seconds = time.perf_counter() - start
            print(f"{mix:12} {label:26} {seconds:5.2f} s  {count / seconds:9,.0f} emails/s")


if __name__ == "__main__":
    main()
