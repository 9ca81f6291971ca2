"""Demo and benchmark data: realistic phone-call helpdesk tickets (no database code)."""

from deskpilot.demo.corpus import TicketSeed, demo_tickets, generate_tickets

__all__ = ["TicketSeed", "demo_tickets", "generate_tickets"]
