"""The texts leads make in Python, in Dutch and English: form errors, statuses, mails.

Like :mod:`selfscan.scans.texts`, the self-scan brings these itself (it imports nothing
from its host); templates translate their own texts through the host's catalogue.
"""

from __future__ import annotations

from selfscan.model import Text

STATUS_LABELS = {
    "nieuw": Text(nl="Nieuw", en="New"),
    "benaderd": Text(nl="Benaderd", en="Contacted"),
    "afgerond": Text(nl="Afgerond", en="Done"),
}
WITHDRAWN = Text(nl="Toestemming ingetrokken", en="Consent withdrawn")

DEFAULT_CONSENT = Text(
    nl="Ik geef {tenant} toestemming om mijn gegevens en de uitkomst van mijn scan te gebruiken "
    "om contact met mij op te nemen. {tenant} bewaart deze gegevens hoogstens {months} maanden. "
    "Ik kan mijn toestemming altijd intrekken.",
    en="I allow {tenant} to use my details and the outcome of my scan to contact me. {tenant} "
    "keeps these details for {months} months at most. I can withdraw my consent at any time.",
)

# --- form errors ---------------------------------------------------------------------------

REQUIRED = {
    "organisation": Text(
        nl="Vul de naam van uw organisatie in.", en="Enter the name of your organisation."
    ),
    "contact_name": Text(nl="Vul uw naam in.", en="Enter your name."),
    "email": Text(nl="Vul uw e-mailadres in.", en="Enter your email address."),
}
TOO_LONG = Text(
    nl="Dit is te lang: hoogstens {max} tekens.", en="This is too long: at most {max} characters."
)
EMAIL_INVALID = Text(
    nl="Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.",
    en="Enter a valid email address, such as name@example.com.",
)
PHONE_INVALID = Text(
    nl="Vul een telefoonnummer in met 10 tot 15 cijfers, zoals 06 12345678.",
    en="Enter a phone number of 10 to 15 digits, such as +31 6 12345678.",
)
CONSENT_MISSING = Text(
    nl="Geef toestemming, anders kunnen wij geen contact met u opnemen.",
    en="Give your consent; without it we cannot contact you.",
)
STATUS_INVALID = Text(nl="Kies nieuw, benaderd of afgerond.", en="Choose new, contacted or done.")
NOTE_TOO_LONG = Text(
    nl="De notitie is te lang: hoogstens {max} tekens.",
    en="The note is too long: at most {max} characters.",
)

# --- mails ---------------------------------------------------------------------------------

NOTIFY_SUBJECT = Text(
    nl="Nieuwe lead uit de zelfscan: {organisation}",
    en="New lead from the self-scan: {organisation}",
)
NOTIFY_BODY = Text(
    nl="""Een werkgever heeft de zelfscan banenafspraak ingevuld en wil graag contact met {tenant}.

Organisatie: {organisation}
Naam: {name}
E-mail: {email}
Telefoon: {phone}
Vraag: {question}

Totaalscore: {score} van de 100 ({level}).

Bekijk de lead, het resultaat en het rapport:
{lead_url}

De werkgever heeft toestemming gegeven om contact op te nemen. Gebruik deze gegevens
alleen daarvoor.
""",
    en="""An employer has completed the self-scan and would like to be contacted by {tenant}.

Organisation: {organisation}
Name: {name}
Email: {email}
Phone: {phone}
Question: {question}

Overall score: {score} out of 100 ({level}).

See the lead, the result and the report:
{lead_url}

The employer has consented to being contacted. Use these details for that purpose only.
""",
)
CONFIRM_SUBJECT = Text(
    nl="Uw vraag aan {tenant} is ontvangen", en="{tenant} has received your request"
)
CONFIRM_BODY = Text(
    nl="""Beste {name},

Bedankt voor het invullen van de zelfscan banenafspraak. {tenant} heeft uw vraag
ontvangen en neemt contact met u op.

Uw resultaat ziet u terug via deze link:
{result_url}

U hebt toestemming gegeven om contact met u op te nemen. Wilt u dat niet meer? Via deze
link trekt u uw toestemming in. Wij wissen uw contactgegevens dan meteen:
{withdraw_url}

Met vriendelijke groet,
{tenant}
""",
    en="""Dear {name},

Thank you for completing the self-scan. {tenant} has received your request and will
contact you.

You can see your result again through this link:
{result_url}

You have consented to being contacted. Changed your mind? Use this link to withdraw your
consent, and we erase your contact details at once:
{withdraw_url}

Kind regards,
{tenant}
""",
)
NOT_GIVEN = Text(nl="(niet ingevuld)", en="(not given)")
