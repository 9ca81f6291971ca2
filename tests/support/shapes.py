"""The keys of the API's JSON objects that several suites check (the schemas in
backend/deskpilot/schemas/)."""

# TicketSummary: a ticket in lists, search hits, chat attachments.
TICKET_SUMMARY_KEYS = frozenset(
    {
        "id",
        "number",
        "title",
        "status",
        "priority",
        "category",
        "source",
        "assignee",
        "contact",
        "created_at",
        "updated_at",
    }
)
