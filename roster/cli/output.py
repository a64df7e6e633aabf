import sys


def fail(reason: str) -> int:
    """A one-line reason on stderr and a non-zero exit status (PRODUCT.md)."""
    print(f"roster: {reason}", file=sys.stderr)
    return 1
