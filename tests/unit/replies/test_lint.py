"""The lint catches each pattern it exists for, in every language, and lets good text through."""

from __future__ import annotations

import pytest

from spconnector.replies import MESSAGING_MAX_CHARS, lint

ORDER = "302-1234567-7654321"
GOOD = (
    f"I'm sorry the garlic press from order {ORDER} broke. I've started a refund, and there's "
    "no need to send anything back."
)


def codes(text: str, **kwargs: object) -> set[str]:
    params: dict[str, object] = {"channel": "messaging"}
    params.update(kwargs)
    return {f.code for f in lint(text, **params) if f.severity == "error"}  # type: ignore[arg-type]


def test_a_good_reply_is_clean() -> None:
    assert (
        codes(GOOD, amazon_order_id=ORDER, proactive=True, action="refund_without_return") == set()
    )


# --- compliance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "See https://myshop.example.net/help for the manual.",
        "Our manual is at www.smile-kitchen.de/manual.",
        "Find it on smilekitchen.com/faq.",
        "Shortened: https://bit.ly/3abc",
        "Looks like Amazon but is not: https://amazon.com.evil.io/x",
    ],
)
def test_links_outside_amazon_are_errors(text: str) -> None:
    assert "compliance.link" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Start the return at https://www.amazon.de/gp/css/order-history.",
        "Your orders are on amazon.co.uk.",
        "See https://sellercentral.amazon.com/help or amazon.com.mx.",
    ],
)
def test_amazon_links_are_allowed(text: str) -> None:
    assert "compliance.link" not in codes(text)


def test_a_link_the_order_needs_can_be_allowed() -> None:
    text = "Track it at https://www.dhl.de/track?id=1234."
    assert "compliance.link" in codes(text)
    assert "compliance.link" not in codes(text, allowed_domains=("dhl.de",))


@pytest.mark.parametrize(
    "text",
    [
        "Write to help@smile-kitchen.com any time.",
        "Schreiben Sie an service@beispiel.de.",
    ],
)
def test_email_addresses_are_errors(text: str) -> None:
    assert "compliance.email" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call me on +49 30 1234 5678.",
        "Our hotline: (555) 123-4567.",
        "Appelez le 01 23 45 67 89.",
        "Llámenos al 912 345 678.",
    ],
)
def test_phone_numbers_are_errors(text: str) -> None:
    assert "compliance.phone" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        f"Your order {ORDER} is refunded.",
        "I've refunded 1,234.56 EUR on 2026-11-20.",
        "Es sind 24,99 € am 20.11.2026.",
    ],
)
def test_order_ids_dates_and_amounts_are_not_phone_numbers(text: str) -> None:
    assert "compliance.phone" not in codes(text)


def test_off_platform_contact_is_an_error() -> None:
    assert "compliance.off_platform" in codes("Message me on WhatsApp instead.")


def test_html_is_an_error() -> None:
    assert "compliance.html" in codes("Thank you <b>so much</b>!")
    assert "compliance.html" in codes('<a href="x">click</a>')


@pytest.mark.parametrize(
    "text",
    [
        "Here is a gift card for your trouble.",
        "Use the coupon SAVE10 on your next order.",
        "I'll add a discount to your next purchase.",
        "We'll send you a free product.",
        "Als Dankeschön schicken wir Ihnen einen Gutschein.",
        "Voici une carte cadeau pour vous.",
        "Le ofrecemos un descuento en su próximo pedido.",
        "Le regaliamo un buono regalo.",
    ],
)
def test_incentives_are_errors(text: str) -> None:
    assert "compliance.incentive" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please leave us positive feedback!",
        "A 5-star review would mean the world to us.",
        "Wir freuen uns über eine positive Bewertung.",
        "Laissez-nous un avis positif, merci !",
        "Nos encantaría recibir 5 estrellas.",
        "Ci lasci una recensione positiva.",
    ],
)
def test_asking_for_positive_feedback_is_an_error(text: str) -> None:
    assert "compliance.feedback_positive" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "If you remove your feedback we will refund you in full.",
        "Update your review and get a gift card.",
        "Once you change your feedback, I'll send the replacement.",
        "Wenn Sie Ihre Bewertung entfernen, erstatten wir Ihnen den Betrag.",
        "Ändern Sie Ihre Bewertung und erhalten Sie einen Gutschein.",
        "Si vous retirez votre évaluation, nous vous rembourserons.",
        "Modifiez votre avis et recevez une carte cadeau.",
        "Si elimina su valoración, le reembolsaremos el importe.",
        "Actualice su reseña y reciba un cupón.",
        "Se rimuove il suo feedback, le rimborseremo l'ordine.",
        "Aggiorni la sua recensione e riceverà un buono regalo.",
    ],
)
def test_feedback_tied_to_anything_is_an_error(text: str) -> None:
    found = codes(text)
    assert found & {"compliance.feedback_incentive", "compliance.feedback_conditional"}, found


@pytest.mark.parametrize(
    "text",
    [
        "Please remove your negative feedback.",
        "Would you consider changing your feedback?",
        "Könnten Sie bitte Ihre Bewertung ändern?",
        "Pourriez-vous modifier votre évaluation ?",
        "¿Podría eliminar su valoración, por favor?",
        "Potrebbe rimuovere il suo feedback?",
    ],
)
def test_asking_to_change_feedback_is_an_error(text: str) -> None:
    assert "compliance.feedback_request" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your feedback is always yours to give, and Amazon lets you update it at any time.",
        "You're welcome to update your feedback at any time; there's no obligation.",
        "Sie können Ihre Bewertung jederzeit aktualisieren, eine Verpflichtung gibt es nicht.",
        "Vous pouvez mettre à jour votre évaluation à tout moment, sans obligation.",
        "Puede actualizar su valoración en cualquier momento, sin ninguna obligación.",
        "Può aggiornare il suo feedback in qualsiasi momento, senza alcun obbligo.",
    ],
)
def test_a_neutral_mention_of_updating_feedback_is_allowed(text: str) -> None:
    assert codes(text) == set()


def test_messaging_length_limit() -> None:
    long = GOOD + " " + "x" * MESSAGING_MAX_CHARS
    assert "compliance.too_long" in codes(long)
    assert "compliance.too_long" not in codes(long, channel="email")


def test_proactive_message_needs_the_order_id() -> None:
    text = "I'm sorry your parcel is late. I'm checking with the carrier now."
    assert "compliance.order_id_missing" in codes(text, proactive=True, amazon_order_id=ORDER)
    assert "compliance.order_id_missing" in codes(text, proactive=True)
    assert "compliance.order_id_missing" not in codes(text, amazon_order_id=ORDER)


def test_empty_reply_is_an_error() -> None:
    assert "compliance.empty" in codes("   ")


# --- tone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We're sorry if this upset you.",
        "I'm sorry that you feel we didn't live up to your expectations.",
        "We apologize for any inconvenience this may have caused.",
        "We regret any inconvenience.",
        "Entschuldigung für eventuelle Unannehmlichkeiten.",
        "Wir entschuldigen uns für etwaige Unannehmlichkeiten.",
        "Désolé pour la gêne occasionnée.",
        "Nous nous excusons pour la gêne occasionnée.",
        "Disculpe las molestias.",
        "Lo siento si le ha molestado.",
        "Ci scusiamo per l'inconveniente.",
        "Mi dispiace se si è sentito trascurato.",
    ],
)
def test_non_apologies_are_errors(text: str) -> None:
    assert "tone.non_apology" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "You should have read the size chart.",
        "As clearly stated in the listing, it is final sale.",
        "That's your fault, not ours.",
        "Das ist Ihre Schuld.",
        "Wie deutlich angegeben, ist der Artikel vom Umtausch ausgeschlossen.",
        "Vous auriez dû lire la description.",
        "Comme clairement indiqué sur la fiche, c'est une vente finale.",
        "Es su culpa.",
        "Debería haber leído la descripción.",
        "Come chiaramente indicato nell'inserzione, non è restituibile.",
        "Avrebbe dovuto leggere la descrizione.",
    ],
)
def test_blaming_the_buyer_is_an_error(text: str) -> None:
    assert "tone.blame" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "We need photos before we can refund you.",
        "Once we receive photos, we will refund your order.",
        "We cannot refund without photos.",
        "Photos are required for a refund.",
        "Sobald wir die Fotos erhalten haben, erstatten wir den Betrag.",
        "Fotos sind zwingend erforderlich.",
        "Dès réception des photos, nous vous rembourserons.",
        "Les photos sont obligatoires.",
        "Una vez que recibamos las fotos, le reembolsaremos.",
        "Las fotos son imprescindibles.",
        "Una volta ricevute le foto, procederemo al rimborso.",
        "Le foto sono obbligatorie.",
    ],
)
def test_photos_as_a_condition_are_errors(text: str) -> None:
    assert "tone.photos_as_condition" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "If you have a moment, a photo or two helps us check the production run. It's optional.",
        "Photos are not required; your refund is already on its way.",
        "Die Fotos sind keine Voraussetzung für die Erstattung.",
        "Les photos ne sont pas obligatoires.",
        "Las fotos no son necesarias para el reembolso.",
        "Le foto non sono necessarie per il rimborso.",
    ],
)
def test_a_kind_photo_request_is_not_a_condition(text: str) -> None:
    assert "tone.photos_as_condition" not in codes(text)


@pytest.mark.parametrize(
    "action",
    ["refund_without_return", "replace", "decline.custom_item", "educate", "escalate_owner"],
)
def test_problem_replies_need_a_real_apology(action: str) -> None:
    text = f"Thank you for your message about order {ORDER}. I'll send you the details today."
    assert "tone.no_apology" in codes(text, action=action)


def test_acknowledge_needs_no_apology() -> None:
    text = f"Thank you for your question about order {ORDER}. I'll reply within 24 hours."
    assert codes(text, action="acknowledge") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Es tut mir wirklich leid. Ich habe die Erstattung veranlasst.",
        "Toutes mes excuses. J'ai lancé le remboursement.",
        "Lo siento mucho. He iniciado el reembolso.",
        "Mi dispiace molto. Ho avviato il rimborso.",
    ],
)
def test_apologies_are_recognised_in_every_language(text: str) -> None:
    assert codes(text, action="refund_without_return") == set()


def test_a_reply_without_a_next_step_is_an_error() -> None:
    text = "I'm so sorry about the garlic press. That shouldn't have happened."
    assert "tone.no_next_step" in codes(text, action="replace")


def test_findings_carry_an_excerpt() -> None:
    [finding] = [f for f in lint("Hi! Call +1 555 123 4567 now.", channel="email")]
    assert finding.code == "compliance.phone"
    assert "555" in finding.excerpt
    assert finding.severity == "error"
