"""The usage dashboard: one self-contained HTML page (and an SVG per chart) from the warehouse.

`build.build_dashboard` makes it; nothing is imported here, so that loading the definitions
does not pay for the chart libraries (altair) until a page is built.
"""
