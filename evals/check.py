"""Checks the frozen eval files for shape and for references into world.json.

Run: python evals/check.py   (no dependencies; exits 1 on any problem)
It checks the data only; it never runs the assistant.
"""

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = {"create_ticket", "get_ticket", "update_ticket", "search_tickets"}
WRITES = {"create_ticket", "update_ticket"}
ARGS = {
    "create_ticket": {"priority", "category"},
    "get_ticket": {"ticket_id"},
    "update_ticket": {"ticket_id", "status", "notes", "priority", "assignee"},
    "search_tickets": {"query", "status", "limit"},
}
STATUS = {"open", "in_progress", "resolved", "closed"}
PRIORITY = {"low", "medium", "high", "urgent"}
MISSING_ON_PURPOSE = {4711}  # "show me ticket 4711": a number that is not a ticket of this desk
EXPECT_KEYS = {
    "tool",
    "args",
    "title_must_mention",
    "write",
    "ask_ok",
    "also_ok",
    "must_not_touch",
    "must_not_set",
}

problems = []


def bad(where, msg):
    problems.append(f"{where}: {msg}")


def load_jsonl(name):
    rows = []
    for n, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            bad(f"{name}:{n}", "blank line")
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            bad(f"{name}:{n}", f"not JSON: {e}")
    ids = Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1 or not i:
            bad(name, f"id {i!r} appears {c} times")
    return rows


world = json.loads((HERE / "world.json").read_text(encoding="utf-8"))
tickets = {t["id"]: t for t in world["tickets"]}
agents = {a["name"]: a for a in world["agents"]}
contacts = {c["id"]: c for c in world["contacts"]}
if world["current_agent"] not in agents:
    bad("world.json", "current_agent is not an agent")
for t in world["tickets"]:
    if t["status"] not in STATUS or t["priority"] not in PRIORITY:
        bad("world.json", f"ticket {t['id']} status/priority")
    if t["assignee"] is not None and t["assignee"] not in agents:
        bad("world.json", f"ticket {t['id']} assignee {t['assignee']!r}")
    if t.get("contact_id") and t["contact_id"] not in contacts:
        bad("world.json", f"ticket {t['id']} contact {t['contact_id']!r}")


def ticket_ref(where, tid, created_ok=False):
    if tid == "$created":
        if not created_ok:
            bad(where, "$created before any create in this case")
        return
    if not isinstance(tid, int):
        bad(where, f"ticket id {tid!r} is not an integer")
    elif tid not in tickets and tid not in MISSING_ON_PURPOSE:
        bad(where, f"ticket {tid} not in world.json")


def check_call(where, tool, args, created_ok):
    if tool is None:
        if args:
            bad(where, "args without a tool")
        return
    if tool not in TOOLS:
        bad(where, f"unknown tool {tool!r}")
        return
    extra = set(args) - ARGS[tool]
    if extra:
        bad(where, f"{tool} args not allowed here: {sorted(extra)}")
    if tool in ("get_ticket", "update_ticket"):
        if "ticket_id" not in args:
            bad(where, f"{tool} without ticket_id")
        else:
            ticket_ref(where, args["ticket_id"], created_ok)
    if "status" in args:
        ok = STATUS | ({"all"} if tool == "search_tickets" else set())
        if args["status"] not in ok:
            bad(where, f"status {args['status']!r}")
    if "priority" in args and args["priority"] not in PRIORITY:
        bad(where, f"priority {args['priority']!r}")
    if "assignee" in args and args["assignee"] not in agents:
        bad(where, f"assignee {args['assignee']!r} is not an agent")
    if "limit" in args and not (isinstance(args["limit"], int) and args["limit"] > 0):
        bad(where, "limit")
    for key in ("query", "notes", "category"):
        if key in args and not (isinstance(args[key], str) and args[key].strip()):
            bad(where, f"{key} must be a non-empty string")
    for key in ("query", "notes"):
        if key in args and " " in args[key]:
            bad(where, f"{key} is one term: a word, or alternatives joined by '|' (no spaces)")


def check_expect(where, e, created_ok=False, attach=()):
    if not isinstance(e, dict):
        bad(where, "expect is not an object")
        return
    for key in ("tool", "args", "write", "ask_ok"):
        if key not in e:
            bad(where, f"expect lacks {key}")
    if set(e) - EXPECT_KEYS:
        bad(where, f"unknown expect keys {sorted(set(e) - EXPECT_KEYS)}")
    tool, args = e.get("tool"), e.get("args", {})
    check_call(where, tool, args, created_ok)
    if e.get("write") is not (tool in WRITES):
        bad(where, "write must be true exactly when the expected tool writes")
    if not isinstance(e.get("ask_ok"), bool):
        bad(where, "ask_ok must be a boolean")
    if tool == "create_ticket":
        words = e.get("title_must_mention")
        if not (
            isinstance(words, list)
            and 1 <= len(words) <= 4
            and all(w == w.lower() and w.strip() for w in words)
        ):
            bad(where, "creates need 1-3 lowercase title_must_mention words")
    elif "title_must_mention" in e:
        bad(where, "title_must_mention is for creates only")
    for alt in e.get("also_ok", []):
        check_call(where + " also_ok", alt.get("tool"), alt.get("args", {}), created_ok)
    for tid in e.get("must_not_touch", []):
        ticket_ref(where + " must_not_touch", tid)
        if tool == "update_ticket" and args.get("ticket_id") == tid:
            bad(where, f"must_not_touch names the ticket the case updates ({tid})")
    for tid in attach:
        ticket_ref(where + " attach", tid)
    for name in e.get("must_not_set", []):
        if tool and name in args:
            bad(where, f"must_not_set {name!r} is also expected")


def check_final(where, final):
    for tid, fields in (final or {}).items():
        ticket_ref(where + " final_state", int(tid))
        for f, v in fields.items():
            allowed = {"status": STATUS, "priority": PRIORITY, "assignee": set(agents)}
            if v not in allowed.get(f, set()):
                bad(where, f"final_state {tid}.{f}={v!r}")


# blind-offline.jsonl: single turn only
blind = load_jsonl("blind-offline.jsonl")
for r in blind:
    w = f"blind-offline {r.get('id')}"
    if set(r) != {"id", "class", "text", "expect"}:
        bad(w, f"keys {sorted(r)}")
    check_expect(w, r.get("expect"))
texts = Counter(r["text"] for r in blind)
for t, c in texts.items():
    if c > 1:
        bad("blind-offline", f"duplicate text {t!r}")

# cases.jsonl: single and multi-turn
cases = load_jsonl("cases.jsonl")
for r in cases:
    w = f"cases {r.get('id')}"
    if "turns" in r:
        created = False
        for n, t in enumerate(r["turns"], 1):
            check_expect(f"{w} turn {n}", t.get("expect"), created, t.get("attach", []))
            created = created or t["expect"].get("tool") == "create_ticket"
    else:
        check_expect(w, r.get("expect"), False, r.get("attach", []))
    check_final(w, r.get("final_state"))

# intake-notes.jsonl
intake = load_jsonl("intake-notes.jsonl")


def digits(s):
    return "".join(ch for ch in s if ch.isdigit())


for r in intake:
    w = f"intake {r.get('id')}"
    e = r["expect"]
    need = {
        "caller_name",
        "organization",
        "phone",
        "email",
        "problem_words",
        "is_existing_issue_of",
    }
    if need - set(e):
        bad(w, f"lacks {sorted(need - set(e))}")
    if e["phone"] is not None and e["phone"] not in r["text"]:
        bad(w, "phone is not written as in the text")
    if e["email"] is not None and e["email"] not in r["text"]:
        bad(w, "email is not in the text")
    if e["caller_name"] is not None and e["caller_name"] not in r["text"]:
        bad(w, "caller_name is not written as in the text")
    if e["organization"] is not None and e["organization"] not in r["text"]:
        bad(w, "organization is not written as in the text")
    if not (1 <= len(e["problem_words"]) <= 3):
        bad(w, "problem_words needs 1-3 words")
    cid = e.get("contact")
    if cid is not None:
        c = contacts.get(cid)
        if not c:
            bad(w, f"contact {cid} not in world.json")
        else:
            if e["phone"] and digits(e["phone"])[-10:] != digits(c["phone"])[-10:]:
                bad(w, "phone differs from the contact's")
            if e["email"] and e["email"].lower() != c["email"].lower():
                bad(w, "email differs from the contact's")
    ex = e["is_existing_issue_of"]
    if ex is not None:
        if ex not in tickets:
            bad(w, f"ticket {ex} not in world.json")
        elif tickets[ex]["status"] not in ("open", "in_progress"):
            bad(w, f"ticket {ex} is not open or in progress")
        elif cid and tickets[ex].get("contact_id") not in (None, cid):
            bad(w, f"ticket {ex} belongs to another contact")

# duplicate-pairs.jsonl
pairs = load_jsonl("duplicate-pairs.jsonl")
for r in pairs:
    w = f"duplicate-pairs {r.get('id')}"
    if r["existing_id"] not in tickets:
        bad(w, f"ticket {r['existing_id']} not in world.json")
    elif r["duplicate"] and tickets[r["existing_id"]]["status"] not in ("open", "in_progress"):
        bad(w, "a duplicate must be of an open or in-progress ticket")
    if not (r["new"].get("title") and r["new"].get("description")) or not isinstance(
        r["duplicate"], bool
    ):
        bad(w, "shape")

# the sizes the brief asked for
exps = [r["expect"] for r in blind]
nulls = sum(e["tool"] is None for e in exps)
creates = sum(e["tool"] == "create_ticket" for e in exps)
for what, n, least in [
    ("blind cases", len(blind), 200),
    ("blind creates", creates, 25),
    ("blind no-tool", nulls, 30),
    ("cases", len(cases), 150),
    ("intake notes", len(intake), 30),
    ("duplicate pairs", len(pairs), 20),
]:
    if n < least:
        bad("sizes", f"{what}: {n} < {least}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(
    f"ok: world {len(tickets)} tickets, {len(agents)} agents, {len(contacts)} contacts; "
    f"blind {len(blind)} ({creates} creates, {nulls} no-tool, {sum(e['ask_ok'] for e in exps)} ask_ok); "
    f"cases {len(cases)} ({sum('turns' in r for r in cases)} multi-turn); intake {len(intake)}; pairs {len(pairs)}"
)
