import io
from typing import Any

import pytest

from roster.importing.sources import ReadError, ReadErrorCode, read_file
from roster.importing.upload_limits import upload_limits


def test_the_installations_settings_limit_what_is_read(settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 2
    data = b"First Name,Last Name\nA,B\nC,D\nE,F\n"
    with pytest.raises(ReadError) as error:
        for table in read_file(io.BytesIO(data), file_name="x.csv", limits=upload_limits()).tables:
            list(table.rows)
    assert error.value.code == ReadErrorCode.TOO_MANY_ROWS


def test_the_defaults_let_a_million_rows_through() -> None:
    limits = upload_limits()
    assert limits.max_rows >= 1_000_000 and limits.max_bytes >= 200 * 1024 * 1024
