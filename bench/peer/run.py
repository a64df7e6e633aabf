"""One import by the peer, in a process of its own (timed whole by bench/peer):

    python -m bench.peer.run default|tuned FILE.csv

django-import-export driven without its admin, as its docs show: a ModelResource over
PeerStudent keyed by email, `import_data` on a tablib Dataset, one transaction. `default`
is the library's default row mode (one lookup and one save per row, a diff per row);
`tuned` is its documented fast mode: bulk writes, every instance loaded up front
(CachedInstanceLoader), no diff. Prints the totals as JSON.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any


def build_resource(mode: str) -> Any:
    from import_export import fields, instance_loaders, resources

    from bench.peer.models import PeerStudent

    class Meta:
        model = PeerStudent
        import_id_fields = ("email",)
        fields = ("first_name", "last_name", "email", "phone")
        if mode == "tuned":
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_html_diff = True
            instance_loader_class = instance_loaders.CachedInstanceLoader

    columns = {
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "phone": "Phone",
    }
    declared = {
        name: fields.Field(attribute=name, column_name=column) for name, column in columns.items()
    }
    resource_class = type(
        "PeerStudentResource", (resources.ModelResource,), {"Meta": Meta, **declared}
    )
    return resource_class()


def main(argv: list[str]) -> int:
    mode, path = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")
    import django

    django.setup()
    from tablib import Dataset

    dataset = Dataset().load(Path(path).read_text(encoding="utf-8"), format="csv")
    result = build_resource(mode).import_data(dataset, dry_run=False, raise_errors=True)
    print(json.dumps({"rows": len(dataset), "totals": dict(result.totals)}))
    return 1 if result.has_errors() or result.has_validation_errors() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
