"""Word pools for the combinatorial ticket generator (`corpus.generate_tickets`).

Term budget, relied on by the benchmark and checked by `tests/demo/test_corpus.py`:
"password" appears only in the `password` topic and in some `outlook` texts, "printer"
only in `printer`, "vpn" only in `vpn`, "invoice" only in `invoice`/`refund`;
"plotter" and "kerberos" only in the two rare topics; "xylophone", "hovercraft" and
"zeppelin" nowhere. Keep it that way when you edit these pools.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    category: str
    weight: int  # percent of generated rows
    # [thing][variant]: the same device/app/invoice fills a row's title and its problem text
    titles: tuple[tuple[str, ...], ...]
    problems: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


def _topic(
    name: str,
    category: str,
    weight: int,
    things: tuple[str, ...],
    titles: tuple[str, ...],
    problems: tuple[str, ...],
    notes: tuple[str, ...],
) -> Topic:
    return Topic(
        name,
        category,
        weight,
        tuple(tuple(t.format(thing=x) for t in titles) for x in things),
        tuple(tuple(p.format(thing=x) for p in problems) for x in things),
        notes,
    )


PRINTERS = (
    "HP LaserJet Pro M404dn",
    "Brother HL-L2350DW",
    "Canon imageRUNNER C3226",
    "Xerox VersaLink C405",
    "Kyocera ECOSYS M2540dn",
    "Ricoh IM C3000",
)
LAPTOPS = (
    "Dell Latitude 5440",
    "Lenovo ThinkPad T14",
    "HP EliteBook 840 G8",
    "MacBook Pro 14",
    "Microsoft Surface Laptop 5",
    "Lenovo ThinkPad X1 Carbon",
)
APPS = (
    "the ERP client",
    "Excel",
    "the CRM",
    "Teams",
    "SAP GUI",
    "the payroll app",
    "Chrome",
    "the time-tracking tool",
    "AutoCAD",
    "the warehouse app",
)

TOPICS: tuple[Topic, ...] = (
    _topic(
        "password",
        "account",
        6,
        ("Windows", "webmail", "the CRM", "the ERP"),
        (
            "Password reset needed for {thing}",
            "Forgot {thing} password",
            "Password expired on {thing}",
            "Cannot change password in {thing}",
        ),
        (
            "The password for {thing} expired and the reset page shows 'Something went wrong'.",
            "Forgot the {thing} password after the weekend and needs a reset.",
            "The new password is not accepted by {thing}: 'password does not meet "
            "complexity requirements'.",
        ),
        (
            "Identity verified by callback; temporary password issued.",
            "Sent self-service reset link.",
        ),
    ),
    _topic(
        "locked",
        "account",
        5,
        ("Windows", "the CRM", "the ERP", "the VDI desktop"),
        (
            "Account locked on {thing}",
            "User locked out of {thing}",
            "Locked out after failed sign-ins to {thing}",
        ),
        (
            "Sign-in to {thing} says 'Your account has been locked'.",
            "After several failed attempts {thing} locked the account.",
            "The account is locked again every morning when opening {thing}.",
        ),
        (
            "Unlocked the account in the directory.",
            "Old credentials cached on the phone kept locking the account.",
        ),
    ),
    _topic(
        "mfa",
        "account",
        4,
        ("iPhone 15", "Samsung Galaxy S23", "Pixel 8", "hardware token"),
        ("MFA prompts not arriving on {thing}", "Two-factor setup fails on {thing}"),
        (
            "Authenticator approvals do not arrive on the {thing}.",
            "Registering the {thing} for two-factor sign-in fails with code 50074.",
        ),
        ("Re-registered the authenticator.", "Temporary access pass issued for one day."),
    ),
    _topic(
        "vpn",
        "network",
        6,
        ("GlobalProtect", "Cisco AnyConnect", "FortiClient", "WireGuard"),
        (
            "VPN not connecting with {thing}",
            "VPN drops every few minutes ({thing})",
            "{thing} VPN: gateway not responding",
            "Slow VPN connection via {thing}",
        ),
        (
            "The {thing} VPN client shows 'Gateway not responding'.",
            "The VPN via {thing} connects but drops every ten minutes.",
            "{thing} reports 'IKE negotiation failed' when starting the VPN.",
        ),
        (
            "Asked the network team to check the VPN gateway logs.",
            "Reinstalled the VPN client; connection stable since.",
        ),
    ),
    _topic(
        "wifi",
        "network",
        5,
        ("meeting room 2A", "the 3rd floor", "the canteen", "reception"),
        (
            "Wi-Fi keeps disconnecting in {thing}",
            "No wireless signal in {thing}",
            "Slow Wi-Fi in {thing}",
        ),
        (
            "Wi-Fi in {thing} drops every few minutes, video calls freeze.",
            "Laptops in {thing} see the network but get no IP address.",
        ),
        ("Access point restarted.", "Channel plan adjusted for the floor."),
    ),
    _topic(
        "share",
        "network",
        4,
        ("the finance share", "the project drive", "the home drive"),
        ("Cannot open {thing}", "{thing} very slow", "Files missing on {thing}"),
        (
            "Opening {thing} fails with 'The network path was not found'.",
            "Saving to {thing} takes minutes; the explorer window freezes.",
        ),
        ("Mapped the drive again via login script.", "Restored files from last night."),
    ),
    _topic(
        "internet",
        "network",
        4,
        ("the office", "the branch", "the warehouse"),
        ("Internet down at {thing}", "Very slow internet at {thing}"),
        (
            "Websites time out at {thing}; internal systems still work.",
            "Speed test at {thing} shows 3 Mbit/s instead of 500.",
        ),
        ("Carrier incident confirmed.", "Router firmware updated."),
    ),
    _topic(
        "printer",
        "hardware",
        6,
        PRINTERS,
        (
            "Printer {thing} not printing",
            "{thing} printer shows paper jam",
            "Printer offline: {thing}",
            "Cannot add printer {thing}",
        ),
        (
            "The {thing} printer shows 'Paper jam in tray 2' but the tray is empty.",
            "Print jobs to the {thing} stay in the queue; the printer is offline.",
            "The {thing} printer prints blank pages since the toner change.",
        ),
        (
            "Cleared the print queue and restarted the spooler.",
            "Ordered a replacement fuser for the printer.",
        ),
    ),
    _topic(
        "laptop",
        "hardware",
        6,
        LAPTOPS,
        (
            "{thing} does not power on",
            "{thing} overheating",
            "{thing} very slow",
            "Broken screen on {thing}",
        ),
        (
            "The {thing} stays black after a BIOS update; charging LED blinks amber.",
            "The {thing} fan runs loud and the laptop shuts down under load.",
            "The {thing} takes ten minutes to start and apps freeze.",
        ),
        ("Replacement laptop shipped.", "Device sent for repair under warranty."),
    ),
    _topic(
        "monitor",
        "hardware",
        4,
        ("Dell WD19 dock", "HP USB-C dock G5", "Lenovo ThinkPad dock"),
        ("Monitors stay black on {thing}", "{thing} not detected"),
        (
            "External monitors on the {thing} show 'No signal' after sleep.",
            "The {thing} is not detected; USB keyboard and mouse do not work.",
        ),
        ("Dock firmware updated.", "Replaced the USB-C cable."),
    ),
    _topic(
        "headset",
        "hardware",
        3,
        ("Jabra Evolve2 40", "Poly Voyager 4320", "desk phone"),
        ("{thing} microphone not working", "No sound on {thing}"),
        (
            "The {thing} is not listed as a microphone in the softphone.",
            "Callers cannot hear the agent through the {thing}.",
        ),
        ("Driver reinstalled.", "Replacement headset sent."),
    ),
    _topic(
        "invoice",
        "billing",
        5,
        ("INV-2024-0117", "INV-2024-0342", "INV-2024-0408"),
        (
            "Question about invoice {thing}",
            "Invoice {thing} charged twice",
            "Wrong amount on invoice {thing}",
        ),
        (
            "Invoice {thing} was debited twice from the company account.",
            "Invoice {thing} shows a higher amount than the signed quote.",
            "Invoice {thing} lists an old VAT number.",
        ),
        ("Finance is checking the payment run.", "Corrected invoice sent."),
    ),
    _topic(
        "refund",
        "billing",
        3,
        ("the annual plan", "unused licences", "the onboarding fee"),
        ("Refund request for {thing}", "Refund for {thing} not received"),
        (
            "Asks for a refund for {thing}; the invoice was already paid.",
            "The refund for {thing} promised last month has not arrived.",
        ),
        ("Refund approved by finance.", "Credit note issued instead of a refund."),
    ),
    _topic(
        "licence",
        "billing",
        3,
        ("Microsoft 365", "Adobe Acrobat", "the CRM"),
        ("Add licences for {thing}", "Cancel {thing} subscription"),
        (
            "Needs five more {thing} licences for new starters.",
            "Wants to cancel the {thing} subscription at the end of the term.",
        ),
        ("Quote sent.", "Subscription change scheduled."),
    ),
    _topic(
        "outlook",
        "email",
        6,
        ("Outlook", "Outlook on the Mac", "the Mail app on iPhone"),
        (
            "{thing} keeps asking for password",
            "{thing} not syncing",
            "Cannot send mail from {thing}",
        ),
        (
            "{thing} shows a password prompt every few minutes; webmail works.",
            "New mail does not appear in {thing}; last sync was yesterday.",
            "Mail stays in the outbox of {thing}.",
        ),
        ("Rebuilt the mail profile.", "Removed stale credentials from the keychain."),
    ),
    _topic(
        "mailbox",
        "email",
        4,
        ("the support mailbox", "the personal mailbox", "a shared calendar"),
        ("{thing} full", "Spam flooding {thing}", "Cannot access {thing}"),
        (
            "{thing} is full and sending fails.",
            "Hundreds of spam messages per hour arrive in {thing}.",
        ),
        ("Online archive enabled.", "Spam rule tightened at the gateway."),
    ),
    _topic(
        "crash",
        "software",
        7,
        APPS,
        ("{thing} crashes on start", "{thing} freezes", "Error message in {thing}"),
        (
            "{thing} closes with 'Unhandled exception: System.NullReferenceException'.",
            "{thing} stops responding when opening large files.",
            "{thing} shows error 0x80004005 when saving.",
        ),
        ("Reinstalled the application.", "Vendor case opened."),
    ),
    _topic(
        "install",
        "software",
        4,
        APPS,
        ("Install request: {thing}", "Need {thing} on new laptop"),
        (
            "Needs {thing} installed on the new laptop for project work.",
            "{thing} is missing from the software centre.",
        ),
        ("Installed via software centre.", "Licence assigned and installed."),
    ),
    _topic(
        "update",
        "software",
        3,
        ("Windows update", "macOS update", "the BIOS update"),
        ("{thing} stuck", "Problems after {thing}"),
        (
            "{thing} has been stuck at 35% for two hours.",
            "Since {thing} the laptop restarts randomly.",
        ),
        ("Rolled back the update.", "Update completed after a restart."),
    ),
    _topic(
        "access",
        "access",
        6,
        ("the finance share", "the SharePoint site", "the CRM reports"),
        ("Need access to {thing}", "Access denied to {thing}", "Remove access to {thing}"),
        (
            "Needs read/write access to {thing} after a team change.",
            "Gets 'Access denied' when opening {thing}.",
        ),
        ("Added to the group after manager approval.", "Access removed."),
    ),
    _topic(
        "badge",
        "access",
        2,
        ("main entrance", "server room", "car park gate"),
        ("Door badge rejected at {thing}", "New badge for {thing}"),
        (
            "The badge reader at the {thing} shows a red light.",
            "Needs the badge enabled for the {thing}.",
        ),
        ("Badge re-encoded at reception.", "Facility team informed."),
    ),
    _topic(
        "other",
        "other",
        4,
        ("the office move", "support hours", "the phone line"),
        ("Question about {thing}", "Help with {thing}"),
        ("Has a question about {thing}.", "Needs help planning {thing} next week."),
        ("Answered by phone.", "Passed to facilities."),
    ),
)

# Rare topics, placed by row index (not by weight) so their frequency is exact.
PLOTTER = _topic(
    "plotter",
    "hardware",
    0,
    ("HP DesignJet T650", "Canon imagePROGRAF TM-300"),
    ("Large-format plotter {thing} smears ink",),
    ("The {thing} plotter smears ink on A0 drawings.",),
    ("Printhead cleaning cycle run.",),
)
KERBEROS = _topic(
    "kerberos",
    "access",
    0,
    ("the file server", "the intranet"),
    ("Kerberos ticket errors on {thing}",),
    ("Access to {thing} fails with a Kerberos clock skew error.",),
    ("Domain controller time source fixed.",),
)

FIRST_NAMES = (
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Katrin",
    "Lukas",
    "Maria",
    "Noah",
    "Olivia",
    "Paul",
    "Rosa",
    "Simon",
    "Tessa",
    "Umar",
    "Vera",
    "William",
    "Yasmin",
    "Zoe",
    "Amir",
    "Birgit",
    "Carlos",
    "Dana",
    "Emil",
    "Fatima",
    "Gustav",
    "Hanna",
    "Igor",
    "Julia",
    "Karim",
    "Lea",
)
LAST_NAMES = (
    "Schmidt",
    "Novak",
    "Jensen",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Garcia",
    "Meyer",
    "Larsen",
    "Horvat",
    "Fischer",
    "Silva",
    "Weber",
    "Costa",
    "Nowak",
    "Berg",
    "Wagner",
    "Moreau",
    "Bauer",
    "Ivanova",
    "Keller",
    "Lindqvist",
    "Becker",
    "Ricci",
)
COMPANIES = (
    "Acme Logistics",
    "Nordwind Foods",
    "Helios Energy",
    "Brightline Legal",
    "Kessler Bau",
    "Orion Insurance",
    "Bluewave Media",
    "Stadtwerke Mitte",
    "Alpine Dental",
    "Vertex Pharma",
    "Hanse Shipping",
    "Lumen Architects",
    "Greenfield Farms",
    "Atlas Consulting",
    "Polar Retail",
    "Quantum Tax Advisors",
)
CITIES = (
    "Berlin",
    "Hamburg",
    "Munich",
    "Vienna",
    "Zurich",
    "Amsterdam",
    "Paris",
    "Lyon",
    "Madrid",
    "Milan",
    "Prague",
    "Warsaw",
    "Copenhagen",
    "Stockholm",
    "Dublin",
    "Brussels",
)
IMPACTS = (
    "Only this user is affected.",
    "About 15 colleagues are affected.",
    "Started this morning after a restart.",
    "Happens since yesterday afternoon.",
    "The caller has a customer deadline today.",
    "Whole team affected.",
    "Worked fine until last Friday.",
    "Happens several times a day.",
    "The caller already tried twice, no change.",
    "Affects the night shift too.",
)
ASKS = (
    "Asked for a call back before noon.",
    "Caller is available on the mobile number.",
    "Please fix today if possible.",
    "Screenshot sent by email.",
    "Caller can be reached at the desk phone.",
    "No workaround known.",
)
GENERIC_NOTES = (
    "Called the customer back, no answer; left a voicemail.",
    "Customer confirmed the workaround helps for now.",
    "Escalated to second level.",
    "Waiting for the customer to test.",
    "Remote session done with the caller.",
)
