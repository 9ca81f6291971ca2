"""The curated demo tickets: 60 hand-written phone-call scenarios.

`{caller}` and `{company}` in a description are filled from seeded pools by
`deskpilot.demo.corpus.demo_tickets`; everything else is fixed text so an AI demo
("open tickets about printers", "VPN outage in Berlin", "refund for invoice") finds
the same tickets every time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    category: str
    priority: str
    status: str
    title: str
    description: str
    notes: tuple[str, ...] = ()


def _s(
    category: str, priority: str, status: str, title: str, description: str, *notes: str
) -> Scenario:
    return Scenario(category, priority, status, title, description, notes)


SCENARIOS: tuple[Scenario, ...] = (
    # --- network / VPN -------------------------------------------------------------------
    _s(
        "network",
        "urgent",
        "open",
        "VPN outage in the Berlin office",
        "Customer called: {caller} ({company}, Berlin office). Nobody in Berlin can connect "
        "to the VPN since 08:40. The GlobalProtect client shows 'Gateway not responding'. "
        "About 40 staff affected, the Munich office is fine.",
        "Checked the status page: no provider incident listed yet.",
        "Second call from Berlin: the office router was rebooted, still no tunnel.",
    ),
    _s(
        "network",
        "high",
        "in_progress",
        "Berlin: VPN drops every 10 minutes",
        "Customer called: {caller} from {company} in Berlin. The VPN connects but drops "
        "every ten minutes with 'IKE negotiation failed'. Started after last night's "
        "firewall update. Working from home, Windows 11 laptop.",
        "Probably related to the Berlin VPN outage ticket; asked network team to check "
        "the IKE lifetime on the new firewall config.",
    ),
    _s(
        "network",
        "high",
        "open",
        "Cannot reach file server over VPN from Berlin",
        "Customer called: {caller}, {company}, Berlin. VPN shows connected, but \\\\fs01 "
        "and the intranet time out. Ping to 10.20.0.5 fails. Colleagues in Hamburg can "
        "reach the share.",
    ),
    _s(
        "network",
        "medium",
        "resolved",
        "VPN client asks for certificate on every login",
        "Customer called: {caller} at {company} (Vienna). Cisco AnyConnect prompts to "
        "pick a certificate each time she connects. Laptop is a Lenovo ThinkPad T14.",
        "Old expired certificate still in the user store; removed it.",
        "Customer confirmed the prompt is gone after reconnecting.",
    ),
    _s(
        "network",
        "medium",
        "closed",
        "Slow Wi-Fi in meeting room 3B",
        "Customer called: {caller} from {company} (Amsterdam). Video calls in room 3B "
        "freeze; speed test shows 2 Mbit/s while the corridor has 300 Mbit/s.",
        "Access point in 3B was on a 20 MHz channel; moved to 80 MHz on 5 GHz.",
    ),
    _s(
        "network",
        "low",
        "open",
        "Guest Wi-Fi password for visitors next week",
        "Customer called: {caller} ({company}, Berlin office) asks for the guest Wi-Fi "
        "password for a supplier workshop next Tuesday, 12 visitors.",
    ),
    _s(
        "network",
        "high",
        "resolved",
        "Whole floor offline after switch replacement",
        "Customer called: {caller} from {company}, Zurich. Since the switch on the 2nd "
        "floor was replaced, no desk port gives a network link. Printers are offline too.",
        "VLAN 30 was missing on the uplink trunk; added it.",
        "All desks and the floor printer are back online.",
    ),
    _s(
        "network",
        "medium",
        "in_progress",
        "Intermittent DNS failures for intranet",
        "Customer called: {caller}, {company} (Paris). intranet.local sometimes fails "
        "to resolve ('DNS_PROBE_FINISHED_NXDOMAIN'), a refresh usually works.",
        "Secondary DNS server returns stale records; replication is being checked.",
    ),
    _s(
        "network",
        "low",
        "closed",
        "Request: static IP for lab device",
        "Customer called: {caller} from {company} (Lyon) needs a fixed IP for a lab "
        "spectrometer so the data logger can reach it.",
        "Reserved 10.40.3.17 in DHCP for MAC 00:1B:44:11:3A:B7.",
    ),
    # --- hardware / printers -------------------------------------------------------------
    _s(
        "hardware",
        "high",
        "open",
        "Printer on 3rd floor shows paper jam, no paper inside",
        "Customer called: {caller} at {company} (Berlin office). The HP LaserJet Pro "
        "M404dn on the 3rd floor reports 'Paper jam in tray 2' but the tray is empty. "
        "Jobs pile up in the queue; payroll printouts are due today.",
    ),
    _s(
        "hardware",
        "medium",
        "open",
        "Printer prints blank pages",
        "Customer called: {caller} from {company} (Hamburg). The Brother HL-L2350DW "
        "prints blank pages since the toner was replaced. Test page is blank too.",
        "Asked the caller to check that the toner's protective strip was removed.",
    ),
    _s(
        "hardware",
        "medium",
        "in_progress",
        "Cannot add network printer on new laptop",
        "Customer called: {caller}, {company} (Munich). On the new Dell Latitude 5440 "
        "the Canon imageRUNNER C3226 is not found; 'Windows cannot connect to the "
        "printer' (0x0000011b).",
        "Known print spooler hardening issue; pushing the signed driver package.",
    ),
    _s(
        "hardware",
        "low",
        "resolved",
        "Printer toner low warning on Xerox VersaLink",
        "Customer called: {caller} from {company} (Vienna). Xerox VersaLink C405 in "
        "reception shows 'Toner low (cyan)'. Asked for a replacement cartridge.",
        "Ordered cyan toner 106R03530, arrives tomorrow.",
        "Cartridge delivered and installed by reception.",
    ),
    _s(
        "hardware",
        "high",
        "closed",
        "Laptop does not power on after update",
        "Customer called: {caller}, {company} (Madrid). HP EliteBook 840 G8 stays black "
        "after a BIOS update last night; charging LED blinks amber three times.",
        "Hard reset (hold power 30 s with charger unplugged) did not help.",
        "Replacement laptop shipped; faulty unit sent for repair.",
    ),
    _s(
        "hardware",
        "medium",
        "open",
        "Docking station: external monitors stay black",
        "Customer called: {caller} from {company} (Berlin office). Two Dell P2422H "
        "monitors on a Dell WD19 dock show 'No signal' after the laptop wakes from sleep.",
    ),
    _s(
        "hardware",
        "low",
        "closed",
        "Request for a second monitor",
        'Customer called: {caller}, {company} (Copenhagen) asks for a second 24" monitor '
        "for the finance desk.",
        "Approved by the team lead; monitor delivered.",
    ),
    _s(
        "hardware",
        "urgent",
        "in_progress",
        "Warehouse barcode scanners cannot connect",
        "Customer called: {caller} at {company} (Rotterdam warehouse). All 12 Zebra "
        "TC52 scanners show 'Server unreachable' since 06:00; shipments are blocked.",
        "Scanner Wi-Fi profile certificate expired today; preparing a new profile.",
        "New profile pushed to 4 devices as a test: they reconnect.",
    ),
    _s(
        "hardware",
        "medium",
        "resolved",
        "Headset microphone not detected in softphone",
        "Customer called: {caller} from {company} (Dublin). Jabra Evolve2 40 is not "
        "listed as a microphone in the softphone; sound output works.",
        "Microphone privacy setting blocked desktop apps; enabled it.",
    ),
    # --- account / locked accounts ------------------------------------------------------
    _s(
        "account",
        "high",
        "open",
        "Account locked after password change",
        "Customer called: {caller} from {company} (Berlin office). Account is locked "
        "('Your account has been locked. Contact your administrator') after changing the "
        "password this morning; the phone still tries the old password.",
    ),
    _s(
        "account",
        "urgent",
        "in_progress",
        "CFO locked out before board meeting",
        "Customer called: {caller}, assistant to the CFO at {company} (London). The CFO's "
        "account is locked and the board meeting starts in 45 minutes.",
        "Identity verified via callback to the registered mobile number.",
        "Account unlocked; waiting for confirmation that sign-in works.",
    ),
    _s(
        "account",
        "medium",
        "resolved",
        "Locked account after holiday",
        "Customer called: {caller} from {company} (Prague). Back from three weeks of "
        "holiday, the account is locked and the password expired.",
        "Unlocked and set a temporary password; user changed it at first sign-in.",
    ),
    _s(
        "account",
        "medium",
        "open",
        "MFA prompts not arriving on new phone",
        "Customer called: {caller}, {company} (Stockholm). Got a new iPhone 15; the "
        "Microsoft Authenticator approvals still go to the old phone, which was wiped.",
    ),
    _s(
        "account",
        "low",
        "closed",
        "Change display name after marriage",
        "Customer called: {caller} from {company} (Oslo) asks to change her surname in "
        "the directory and email address.",
        "Name and alias updated; old address kept as an alias.",
    ),
    _s(
        "account",
        "medium",
        "in_progress",
        "New starter account not created",
        "Customer called: {caller}, HR at {company} (Munich). A new starter begins "
        "Monday; the account request from last week has no account yet.",
        "Request was stuck waiting for manager approval; approval now given.",
    ),
    _s(
        "account",
        "high",
        "closed",
        "Suspicious sign-in alert",
        "Customer called: {caller} from {company} (Brussels). Got an alert about a "
        "sign-in from an unknown location and did not recognise it.",
        "Sessions revoked, password reset, MFA re-registered.",
        "Sign-in logs show the attempt failed at MFA; no data accessed.",
    ),
    _s(
        "account",
        "low",
        "resolved",
        "Password reset link expired",
        "Customer called: {caller}, {company} (Lisbon). The self-service password reset "
        "email link says 'expired' although it was opened right away.",
        "Mail gateway pre-clicks links; whitelisted the reset URL.",
    ),
    # --- billing / invoices / refunds ----------------------------------------------------
    _s(
        "billing",
        "high",
        "open",
        "Charged twice for invoice INV-2024-0117",
        "Customer called: {caller} from {company} (Berlin). Invoice INV-2024-0117 for "
        "EUR 1,249.00 was debited twice from their account on the 3rd. Asks for a refund "
        "of the duplicate payment.",
    ),
    _s(
        "billing",
        "medium",
        "in_progress",
        "Refund for cancelled subscription",
        "Customer called: {caller}, {company} (Vienna). Cancelled the annual plan within "
        "the 14-day window but no refund has arrived after 3 weeks.",
        "Finance confirmed the cancellation date; refund of EUR 588.00 scheduled.",
    ),
    _s(
        "billing",
        "medium",
        "open",
        "Invoice shows wrong VAT number",
        "Customer called: {caller} from {company} (Amsterdam). The last three invoices "
        "show an old VAT number; their auditors need corrected invoices.",
    ),
    _s(
        "billing",
        "low",
        "resolved",
        "Send copies of last year's invoices",
        "Customer called: {caller}, accounts payable at {company} (Zurich), needs PDF "
        "copies of all 2023 invoices for the year-end audit.",
        "Exported 12 invoices and emailed them to the billing contact.",
    ),
    _s(
        "billing",
        "urgent",
        "open",
        "Service suspended despite paid invoice",
        "Customer called: {caller} from {company} (Hamburg). Their account was suspended "
        "for non-payment, but invoice INV-2024-0342 was paid on time; bank transfer "
        "receipt available. 30 users cannot work.",
    ),
    _s(
        "billing",
        "medium",
        "closed",
        "Refund request for unused licences",
        "Customer called: {caller}, {company} (Milan). Bought 50 licences, uses 35; asks "
        "for a refund or credit for the 15 unused ones.",
        "Per contract: credit note for the remaining term, no cash refund.",
        "Credit note CN-2024-0021 issued; customer accepted.",
    ),
    _s(
        "billing",
        "low",
        "closed",
        "Change billing address",
        "Customer called: {caller} from {company} (Dublin): the company moved; invoices "
        "should go to the new address from next month.",
        "Billing address updated.",
    ),
    _s(
        "billing",
        "high",
        "in_progress",
        "Invoice amount does not match quote",
        "Customer called: {caller}, procurement at {company} (Paris). Invoice "
        "INV-2024-0408 is EUR 3,400 higher than the signed quote Q-2291.",
        "Onboarding fee was added twice; preparing a corrected invoice.",
    ),
    # --- email ---------------------------------------------------------------------------
    _s(
        "email",
        "high",
        "open",
        "Outlook keeps asking for password",
        "Customer called: {caller} from {company} (Berlin office). Outlook on Windows 11 "
        "shows the password prompt every few minutes since this morning; webmail works.",
    ),
    _s(
        "email",
        "medium",
        "in_progress",
        "Emails to a customer domain bounce",
        "Customer called: {caller}, {company} (Frankfurt). Mails to @northwind-traders.com "
        "bounce with '550 5.7.1 Message rejected due to SPF policy'.",
        "Recipient domain publishes a strict SPF; checking our outbound relay IPs.",
    ),
    _s(
        "email",
        "low",
        "resolved",
        "Shared mailbox not visible in Outlook",
        "Customer called: {caller} from {company} (Lyon). Was given access to the "
        "support@ shared mailbox but it does not show in Outlook.",
        "Auto-mapping takes up to an hour; it appeared after restarting Outlook.",
    ),
    _s(
        "email",
        "medium",
        "closed",
        "Mailbox full, cannot send",
        "Customer called: {caller}, {company} (Warsaw). Outlook says the mailbox is full "
        "(49.9 GB of 50 GB) and sending fails.",
        "Enabled the online archive and moved mail older than two years.",
    ),
    _s(
        "email",
        "urgent",
        "resolved",
        "Phishing email sent to whole company",
        "Customer called: {caller} from {company} (Barcelona). Everybody got an email "
        "'Urgent invoice payment' with a link to a fake login page. Two people clicked.",
        "Message purged from all mailboxes; the two accounts reset.",
        "Sender domain blocked at the gateway.",
    ),
    _s(
        "email",
        "low",
        "open",
        "Out-of-office reply not working",
        "Customer called: {caller}, {company} (Helsinki). Automatic replies are switched "
        "on but external senders get no reply.",
    ),
    _s(
        "email",
        "medium",
        "open",
        "Calendar invites arrive as attachments",
        "Customer called: {caller} from {company} (Berlin). Meeting invites from a "
        "partner arrive as invite.ics attachments instead of calendar items.",
    ),
    # --- software ------------------------------------------------------------------------
    _s(
        "software",
        "high",
        "open",
        "ERP crashes when posting invoices",
        "Customer called: {caller} from {company} (Munich). The ERP client closes with "
        "'Unhandled exception: System.NullReferenceException' whenever an invoice is "
        "posted. Month-end closing is blocked.",
    ),
    _s(
        "software",
        "medium",
        "in_progress",
        "Excel freezes opening large files",
        "Customer called: {caller}, {company} (Vienna). Excel 365 stops responding when "
        "opening the 80 MB sales report from the shared drive.",
        "Reproduced; disabling the COM add-in 'SalesSync' fixes it. Contacting vendor.",
    ),
    _s(
        "software",
        "low",
        "resolved",
        "Install PDF editor",
        "Customer called: {caller} from {company} (Bratislava) needs a PDF editor to "
        "fill and sign supplier contracts.",
        "Installed Adobe Acrobat Standard from the software centre.",
    ),
    _s(
        "software",
        "medium",
        "closed",
        "Teams camera not working",
        "Customer called: {caller}, {company} (Tallinn). In Teams the camera shows a "
        "black image; the Windows Camera app works.",
        "Teams cache cleared and app updated; camera works.",
    ),
    _s(
        "software",
        "urgent",
        "in_progress",
        "Point-of-sale software down in all stores",
        "Customer called: {caller} from {company} (Rotterdam). The POS app on all 14 "
        "store tills shows 'License server not reachable' since opening time.",
        "Licence server certificate expired; renewing now.",
        "Stores 1-6 back up with a temporary licence.",
    ),
    _s(
        "software",
        "medium",
        "open",
        "Windows update stuck at 35%",
        "Customer called: {caller}, {company} (Brno). The laptop has shown 'Working on "
        "updates 35%' for two hours; cannot use it.",
    ),
    _s(
        "software",
        "low",
        "closed",
        "Browser homepage changed",
        "Customer called: {caller} from {company} (Seville). Chrome opens an unknown "
        "search page on start.",
        "Removed the 'QuickSearch' extension; scanned the laptop, nothing else found.",
    ),
    _s(
        "software",
        "high",
        "resolved",
        "CRM shows other region's customers",
        "Customer called: {caller}, sales at {company} (Berlin office). In the CRM she "
        "sees customers of the Austria region, which she should not access.",
        "Role was copied from a colleague with wider rights; corrected.",
    ),
    # --- access --------------------------------------------------------------------------
    _s(
        "access",
        "medium",
        "open",
        "Need access to finance share",
        "Customer called: {caller} from {company} (Hamburg), moved to the finance team, "
        "needs read/write access to \\\\fs01\\finance.",
    ),
    _s(
        "access",
        "high",
        "open",
        "Door badge not working at Berlin office",
        "Customer called: {caller}, {company} (Berlin office). Badge is rejected at the "
        "main entrance and the server room since Monday; reader shows a red light.",
    ),
    _s(
        "access",
        "low",
        "resolved",
        "Access to project SharePoint site",
        "Customer called: {caller} from {company} (Ghent) needs edit rights on the "
        "'Project Atlas' SharePoint site.",
        "Added to the Atlas members group after owner approval.",
    ),
    _s(
        "access",
        "medium",
        "in_progress",
        "Remove access for leaver",
        "Customer called: {caller}, HR at {company} (Cologne). An employee left on "
        "Friday; all access must be removed and the laptop collected.",
        "Account disabled and sessions revoked; laptop pickup scheduled.",
    ),
    _s(
        "access",
        "urgent",
        "closed",
        "Contractor still has VPN access after contract end",
        "Customer called: {caller} from {company} (Geneva). A contractor whose contract "
        "ended last month still signed in to the VPN yesterday.",
        "VPN account disabled immediately; access review started.",
        "Review found two more stale contractor accounts; both disabled.",
    ),
    _s(
        "access",
        "medium",
        "closed",
        "Admin rights to install developer tools",
        "Customer called: {caller}, developer at {company} (Krakow), needs local admin "
        "rights to install Docker Desktop.",
        "Granted through the privileged access tool for 8 hours.",
    ),
    # --- other ---------------------------------------------------------------------------
    _s(
        "other",
        "low",
        "open",
        "Question about support hours during holidays",
        "Customer called: {caller} from {company} (Luxembourg) asks whether the "
        "helpdesk is reachable between Christmas and New Year.",
    ),
    _s(
        "other",
        "medium",
        "resolved",
        "Office move: 20 desks to set up",
        "Customer called: {caller}, facilities at {company} (Berlin). The team moves to "
        "the 4th floor on Friday: 20 desks need network, phones and docking stations.",
        "Patch list sent to the network team.",
        "Move done; all 20 desks tested.",
    ),
    _s(
        "other",
        "low",
        "closed",
        "Feedback: great support last week",
        "Customer called: {caller} from {company} (Ljubljana) to thank the agent who "
        "fixed the scanner issue last week.",
        "Passed on to the team lead.",
    ),
    _s(
        "other",
        "medium",
        "open",
        "Conference room display shows wrong time",
        "Customer called: {caller}, {company} (Riga). The booking panel outside room "
        "Orion shows meetings one hour off since the clock change.",
    ),
    _s(
        "other",
        "high",
        "in_progress",
        "Phone line to reception dead",
        "Customer called from a mobile: {caller}, {company} (Vilnius). The reception "
        "desk phone has no dial tone; customers calling the main number hear busy.",
        "Carrier ticket opened; suspected fault on the SIP trunk.",
    ),
)
