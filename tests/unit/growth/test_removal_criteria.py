"""Removal criteria over feedback comments written for this test, in five languages.

Each row: (language, comment, fulfilled by Amazon?, expected criterion or None). `None` rows
marked SELLER are plain complaints about the seller: none of them may become a candidate.
Target: ≥ 90 % of rows right, zero false candidates among the SELLER rows.
"""

from __future__ import annotations

import pytest

from spconnector.growth.removal import SELLER_CENTRAL_STEPS, check

SELLER = "seller-complaint"
OBS, PII, PROD, FBA, PROMO = (
    "obscene_or_hateful",
    "personal_information",
    "product_review",
    "fba_fulfilment",
    "promotional",
)

ROWS: list[tuple[str, str, bool, str | None]] = [
    # --- English ---
    ("en", "This garlic press is a piece of shit, broke on day two", False, OBS),
    ("en", "Call the owner Mike on 555-201-7788, he will sort you out", False, PII),
    ("en", "Write to mike.seller@gmail.com instead of Amazon messages", False, PII),
    ("en", "The blade is dull and the handle feels flimsy", False, PROD),
    ("en", "Poor quality plastic, the color is not what I expected", False, PROD),
    ("en", "Package arrived two weeks late and the box was crushed", True, FBA),
    ("en", "Never received it, tracking stuck for days", True, FBA),
    ("en", "Much cheaper at www.bestkitchendeals.com, buy there", False, PROMO),
    ("en", "Seller never answered my three messages", False, SELLER),
    (
        "en",
        "Refund refused even though the item was faulty. Rude reply from the seller",
        False,
        SELLER,
    ),
    ("en", "Shipped late and the seller ignored me when I asked where it was", False, SELLER),
    ("en", "Not as described in the listing, seller would not take a return", False, SELLER),
    ("en", "Arrived late", False, None),
    # --- German ---
    ("de", "Totaler Scheiß, nach einer Woche kaputt", False, OBS),
    ("de", "Ruft den Chef direkt an: 0171 2345678", False, PII),
    ("de", "Die Klinge ist stumpf und der Griff aus billigem Plastik", False, PROD),
    ("de", "Qualität miserabel, Farbe passt nicht zum Bild", False, PROD),
    ("de", "Paket kam viel zu spät an, Karton völlig beschädigt", True, FBA),
    ("de", "Nie erhalten, Sendungsverfolgung zeigt seit Tagen nichts", True, FBA),
    ("de", "Mit dem Rabattcode SPAR20 bekommt ihr es woanders billiger", False, PROMO),
    ("de", "Verkäufer antwortet nicht auf meine Nachrichten", False, SELLER),
    ("de", "Rückerstattung abgelehnt, sehr unfreundlicher Kundenservice", False, SELLER),
    ("de", "Falscher Artikel geschickt und der Händler reagiert nicht", False, SELLER),
    ("de", "Nie wieder bei diesem Verkäufer, Stornierung ignoriert", False, SELLER),
    ("de", "Funktioniert nach zwei Tagen nicht mehr, Akku hält nichts", False, PROD),
    ("de", "Lieferung zu spät", False, None),
    # --- French ---
    ("fr", "Produit de merde, cassé au premier usage", False, OBS),
    ("fr", "Appelez le vendeur au 06 12 34 56 78 pour un geste", False, PII),
    ("fr", "La lame rouille déjà et la poignée est en plastique fragile", False, PROD),
    ("fr", "Mauvaise qualité, la taille ne correspond pas", False, PROD),
    ("fr", "Colis arrivé avec dix jours de retard, emballage écrasé", True, FBA),
    ("fr", "Jamais reçu, le suivi ne bouge plus", True, FBA),
    ("fr", "Code promo MAISON10 sur monsite.fr, bien moins cher", False, PROMO),
    ("fr", "Le vendeur ne répond jamais aux messages", False, SELLER),
    ("fr", "Remboursement refusé, service client impoli", False, SELLER),
    ("fr", "Annulation ignorée par le vendeur, jamais plus", False, SELLER),
    ("fr", "Ne fonctionne plus après une semaine, batterie morte", False, PROD),
    ("fr", "Livraison en retard", False, None),
    ("fr", "Putain, quelle arnaque", False, OBS),
    # --- Spanish ---
    ("es", "Una mierda de producto, se rompió enseguida", False, OBS),
    ("es", "Escribid al dueño a pedidos.tienda@hotmail.com", False, PII),
    ("es", "La hoja no corta y el mango es de plástico barato", False, PROD),
    ("es", "Mala calidad, la talla es más pequeña y el color distinto", False, PROD),
    ("es", "El paquete llegó tarde y la caja aplastada", True, FBA),
    ("es", "Nunca recibí nada, el seguimiento no se actualiza", True, FBA),
    ("es", "Con el código de descuento AHORRA15 lo tenéis más barato en otra web", False, PROMO),
    ("es", "El vendedor no contesta ningún mensaje", False, SELLER),
    ("es", "Me negaron el reembolso, atención muy grosera", False, SELLER),
    ("es", "No es como en la descripción y el vendedor no acepta la devolución", False, SELLER),
    ("es", "Dejó de funcionar a los tres días, la batería no carga", False, PROD),
    ("es", "Llegó tarde", False, None),
    ("es", "Vendedor gilipollas, no compréis", False, OBS),
    # --- Italian ---
    ("it", "Prodotto di merda, rotto subito", False, OBS),
    ("it", "Chiamate il titolare al 333 123 4567", False, PII),
    ("it", "La lama è già piena di ruggine e il manico di plastica", False, PROD),
    ("it", "Qualità pessima, colore diverso dalla foto", False, PROD),
    ("it", "Pacco consegnato in ritardo e scatola schiacciata", True, FBA),
    ("it", "Mai ricevuto, il tracciamento è fermo", True, FBA),
    ("it", "Con il codice sconto CASA10 lo trovate a meno su casashop.it", False, PROMO),
    ("it", "Il venditore non risponde ai messaggi", False, SELLER),
    ("it", "Rimborso negato, assistenza scortese", False, SELLER),
    ("it", "Ordine annullato senza motivo dal venditore, mai più", False, SELLER),
    ("it", "Non funziona più dopo una settimana, batteria scarica", False, PROD),
    ("it", "Consegna in ritardo", False, None),
    ("it", "Venditore stronzo e arrogante", False, OBS),
]


def _expected(row: tuple[str, str, bool, str | None]) -> str | None:
    return None if row[3] == SELLER else row[3]


def test_the_table_is_big_enough() -> None:
    assert len(ROWS) >= 60
    assert {r[0] for r in ROWS} == {"en", "de", "fr", "es", "it"}
    assert sum(1 for r in ROWS if r[3] == SELLER) >= 15


def test_at_least_90_percent_right_and_no_false_candidate_for_a_seller_complaint() -> None:
    wrong = []
    false_on_seller = []
    for row in ROWS:
        language, comment, fba, expected = row
        found = check(comment, fulfilled_by_amazon=fba)
        got = found.criterion if found else None
        if got != _expected(row):
            wrong.append((language, comment, expected, got))
        if expected == SELLER and found is not None:
            false_on_seller.append((language, comment, got))
    right = 1 - len(wrong) / len(ROWS)
    print(f"removal criteria: {right:.1%} right over {len(ROWS)} comments; wrong: {wrong}")
    assert not false_on_seller, false_on_seller
    assert right >= 0.90, wrong


@pytest.mark.parametrize(
    "comment",
    ["Arrived late", "Package arrived two weeks late and the box was crushed"],
)
def test_delivery_complaints_on_merchant_orders_are_the_sellers(comment: str) -> None:
    assert check(comment, fulfilled_by_amazon=False) is None
    # channel unknown: never claim Amazon's responsibility
    assert check(comment, fulfilled_by_amazon=None) is None


def test_a_candidate_carries_the_reason_and_the_steps() -> None:
    found = check("The blade is dull and the handle feels flimsy", fulfilled_by_amazon=False)
    assert found is not None
    assert "product review" in found.reason
    assert found.steps == SELLER_CENTRAL_STEPS
    assert any("Request removal" in step for step in found.steps)


def test_an_order_id_is_not_personal_information() -> None:
    assert (
        check("Order 112-1234567-1234567: seller never replied", fulfilled_by_amazon=False) is None
    )
    assert check("", fulfilled_by_amazon=True) is None
