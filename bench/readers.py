"""Readers benchmark: rows per second and peak memory, ours beside the obvious alternatives.

    python -m bench readers [--rows N ...] [--no-openpyxl] [--out DIR]

Generates .xlsx and .csv files of N people (default 10,000 and 100,000) under
bench/out/ (reused when present), then reads each with every reader. Each measurement
runs in a fresh Python process that reports its own peak resident set size (VmHWM),
so one reader's memory never hides in another's; the "baseline" line is such a
process that reads nothing.
"""

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

OUT = Path(__file__).parent / "out"
HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Username",
    "Phone",
    "Parent Email",
    "Instructor Email",
]
FIRST = [
    "Ann",
    "Bo",
    "Chloé",
    "Dmitri",
    "Emeka",
    "Fatima",
    "Giulia",
    "Hana",
    "Ivan",
    "José",
    "Kofi",
    "Liam",
    "Mei",
    "Noor",
    "Olga",
    "Zoë",
]
LAST = [
    "Lee",
    "Ng",
    "Müller",
    "O'Brien",
    "Ångström",
    "García",
    "Nguyen",
    "Okafor",
    "Rossi",
    "Smith",
    "Tanaka",
    "Kowalski",
]


def people(count: int) -> Iterator[list[str | int]]:
    chance = random.Random(count)
    for n in range(count):
        first, last = chance.choice(FIRST), chance.choice(LAST)
        login = f"{first}.{last}{n}".lower().replace("'", "")
        yield [
            first,
            last,
            f"{login}@students.example.org",
            login,
            4155550000 + chance.randrange(10_000),  # a number cell, as Excel leaves phones
            f"parent{n}@example.com",
            f"teacher{n % 500}@school.example.org",
        ]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(people(count))


def write_xlsx(path: Path, count: int) -> None:
    import xlsxwriter  # type: ignore[import-untyped]

    # Not constant_memory: that mode writes inline strings, while Excel writes a shared
    # string table, which every reader must hold in memory; benchmark what Excel writes.
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Students")
    sheet.write_row(0, 0, HEADER)
    for index, row in enumerate(people(count), 1):
        sheet.write_row(index, 0, row)
    book.close()


# Readers, each counting the rows it yields. They run inside the measuring process.
def roster_reader(path: str) -> int:
    from roster.importing.sources import read_file

    return sum(1 for table in read_file(path).tables for _ in table.rows)


def calamine_raw(path: str) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as book:
        return sum(1 for _ in book.get_sheet_by_index(0).iter_rows()) - 1


def openpyxl_read_only(path: str) -> int:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    return count


def stdlib_csv(path: str) -> int:
    with open(path, newline="", encoding="utf-8") as file:
        return sum(1 for _ in csv.reader(file)) - 1


def baseline(path: str) -> int:
    return 0


READERS: dict[str, Callable[[str], int]] = {
    "roster": roster_reader,
    "calamine": calamine_raw,
    "openpyxl": openpyxl_read_only,
    "csv": stdlib_csv,
    "baseline": baseline,
}
PLAN = {
    "xlsx": ["roster", "calamine", "openpyxl"],
    "csv": ["roster", "csv"],
}
LABELS = {
    "roster": "roster read_file",
    "calamine": "python-calamine iter_rows (raw values)",
    "openpyxl": "openpyxl read-only, values_only",
    "csv": "stdlib csv.reader",
    "baseline": "baseline (Python, nothing read)",
}


def measure_here(reader: str, path: str) -> None:
    """Run one reader in this (fresh) process and print its figures as JSON."""
    started = time.perf_counter()
    rows = READERS[reader](path)
    seconds = time.perf_counter() - started
    peak_mb = (peak_kb() + children_peak_kb()) / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def children_peak_kb() -> int:
    """The largest peak Roster's workbook parser children reported (sources/isolated.py).

    Added to the process's own peak, as if both peaked at once (an upper bound).
    """
    from roster.importing.sources import isolated

    return isolated.children_peak_kb


def peak_kb() -> int:
    """Peak resident memory of this process, in kilobytes.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec, so a child
    would report the benchmark runner's own peak (it writes the workbooks) as its own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(reader: str, path: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.readers", "--measure", reader, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def ensure_file(kind: str, count: int, out: Path) -> Path:
    path = out / f"people_{count}{'_sst' if kind == 'xlsx' else ''}.{kind}"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(f".partial.{kind}")
        (write_xlsx if kind == "xlsx" else write_csv)(partial, count)
        partial.rename(path)
        print(f"  wrote {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def report(kind: str, path: Path, readers: list[str]) -> None:
    size = path.stat().st_size / (1024 * 1024)
    print(f"\n{kind} · {path.name} · {size:,.1f} MB", flush=True)
    print(f"  {'reader':<40} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MB':>8}")
    for reader in readers:
        got = measure(reader, path)
        rate = got["rows"] / got["seconds"] if got["seconds"] and got["rows"] else 0
        print(
            f"  {LABELS[reader]:<40} {got['rows']:>10,.0f} {got['seconds']:>8.2f}"
            f" {rate:>10,.0f} {got['peak_mb']:>8.0f}",
            flush=True,
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench readers")
    parser.add_argument("--rows", type=int, nargs="+", help="rows per file")
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the slowest reader")
    parser.add_argument("--out", type=Path, default=OUT)
    # The engine's options (--database-url…) may come along: `make bench` passes every
    # option to every suite.
    args, _ = parser.parse_known_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        "peak MB: peak RSS (VmHWM) of a fresh process per measurement, interpreter included,"
        " plus its workbook parser child's"
    )
    first = ensure_file("csv", min(args.rows or [1000]), args.out)
    report("baseline", first, ["baseline"])
    for count in args.rows or [10_000, 100_000]:
        for kind, readers in PLAN.items():
            path = ensure_file(kind, count, args.out)
            chosen = [r for r in readers if not (args.no_openpyxl and r == "openpyxl")]
            report(kind, path, chosen)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure_here(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main(sys.argv[1:]))
