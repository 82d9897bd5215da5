"""The safety signal sends a message to a person at once (default policy rule safety-urgent),
so it must catch a hazard or an injury in every language we read, and must not fire on the
everyday words that share a stem with one ("brand new", "feu vert", "mettere a fuoco")."""

from __future__ import annotations

import pytest

from spconnector.domain.understanding import Signal
from spconnector.understanding.features import fold
from spconnector.understanding.signals import rule_signals

HAZARDS = [
    "The heater sparked and caught fire, my hand is burned.",
    "the charger smells burnt and got too hot to touch",
    "my daughter got a rash from the bracelet",
    "the blade cut my finger when I opened it",
    "it gave me an electric shock when I plugged it in",
    "the toy is a choking hazard, a small part came off and my son nearly swallowed it",
    "Das Ladegerät ist in Brand geraten",
    "Mein Sohn hat einen Ausschlag bekommen",
    "Der Akku hat geraucht",
    "Le chargeur a pris feu pendant la nuit",
    "je me suis brûlé la main avec la poignée",
    "Mon fils a fait une réaction allergique",
    "El cargador echó humo",
    "me quemé con el asa",
    "A mi hija le salió un sarpullido",
    "Il caricabatterie ha preso fuoco",
    "mi sono bruciato la mano",
    "siamo andati al pronto soccorso",
]

EVERYDAY = [
    "This is a brand new kettle and it already leaks",
    "I love this brand, but the size is wrong",
    "I was shocked at how cheap it feels",
    "Die Marke ist gut, aber die Größe passt nicht",
    "la batterie se décharge en une heure",
    "le feu vert du chargeur ne s'allume pas",
    "me quedan puntos de la tarjeta",
    "la fotocamera non mette a fuoco",
    "Ho perso punti fedeltà?",
    "Das Produkt ist defekt",
]


@pytest.mark.parametrize("text", HAZARDS)
def test_a_hazard_or_an_injury_is_a_safety_signal(text: str) -> None:
    assert Signal.SAFETY in rule_signals(text, fold(text))


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_words_that_look_like_a_hazard_are_not(text: str) -> None:
    assert Signal.SAFETY not in rule_signals(text, fold(text))
