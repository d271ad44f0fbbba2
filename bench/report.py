"""Time the weakness report over 100,000 responses (run in the bench's PostgreSQL env).

Loads the bundled bank, generates the response log with insights' bulk generator, then
times the report page for the candidate with the most answers through the full
middleware stack (insights' ``bench_report`` command), and reports its medians; the
dashboard's planning figures (today's target, streak, readiness trend) are timed in process.
"""

import io
import json
import re

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("load_bank", stdout=io.StringIO())
    call_command("generate_responses", responses=100_000, owners=100, stdout=io.StringIO())
    out = io.StringIO()
    call_command("bench_report", runs=20, stdout=out)
    text = out.getvalue()
    rows = []
    for label, median, queries in re.findall(
        r"(report, \w+|dashboard, \w+|planning figures)\s+median\s+([\d.]+) ms.*?(\d+) queries", text
    ):
        rows.append(
            {
                "name": f"{label} over 100,000 responses ({connection.vendor})",
                "value": f"{float(median):.1f} ms median, {queries} queries",
                "ms": float(median),
                "target": "< 200 ms" if label.startswith(("report", "planning")) else "",
            }
        )
    print(json.dumps({"rows": rows, "raw": text}))


if __name__ == "__main__":
    main()
