"""Documents the portal reads and writes: Word, Excel, PDF, CSV, SVG, iCalendar, mail texts.

A library: routes, services and the command line use it; it imports no blueprint, route,
form or service module (an import-linter contract in pyproject.toml holds it to that).
One module per format (docx, xlsx, pdf, csv, svg, ics), the summary report's data
(summary, labels, report), the draft importer, exporter and redline, the notification texts.
"""
