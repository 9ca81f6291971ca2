"""`deskpilot eval`: the evaluation sets in evals/ run against a chat model.

cases.py    the case files (evals/README.md defines their format)
world.py    evals/world.json as rows: loaded into a scratch database, reset before each case
scratch.py  that scratch database, on the configured server, never the desk's own
runner.py   each turn through the chat turn the API runs, observed (calls, writes, latency)
scoring.py  an observed turn against its expectation (pure: no database)
report.py   accuracy per tool and class, unwanted writes, latency: a table and JSON
"""
