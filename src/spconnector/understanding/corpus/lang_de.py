"""German templates (see lang_en.py). Placeholders: {p} nominative with article, {pa}
accusative, {pd} dative, {it} subject pronoun, {ita} object pronoun."""


# fmt: off
def _m(noun: str) -> dict[str, str]:
    return {"p": f"der {noun}", "pa": f"den {noun}", "pd": f"dem {noun}", "it": "er",
            "ita": "ihn"}


def _f(noun: str) -> dict[str, str]:
    return {"p": f"die {noun}", "pa": f"die {noun}", "pd": f"der {noun}", "it": "sie",
            "ita": "sie"}


def _n(noun: str) -> dict[str, str]:
    return {"p": f"das {noun}", "pa": f"das {noun}", "pd": f"dem {noun}", "it": "es",
            "ita": "es"}


PRODUCTS = [
    _m("Wasserkocher"), _m("Mixer"), _f("Lampe"), _n("Ladegerät"), _f("Kaffeemühle"),
    _f("Knoblauchpresse"), _m("Lautsprecher"), _m("Föhn"), _m("Rucksack"), _m("Toaster"),
    _f("Bohrmaschine"), _f("Handyhülle"), _m("Staubsauger"), _f("Tastatur"),
    _f("Trinkflasche"), _f("Powerbank"), _n("Radio"),
]
CLOTHES = [
    _f("Jacke"), _n("Kleid"), _m("Pullover"), _f("Hose"), _m("Mantel"), _n("Hemd"),
    _m("Schuh"), _f("Jeans"),
]
SIZES = ["S", "M", "L", "XL", "38", "40", "42", "44"]
COLORS = ["schwarz", "blau", "rot", "grau", "weiß", "grün"]
CARRIERS = ["DHL", "Hermes", "DPD", "GLS", "der Paketbote", "die Post"]

INTENTS = {
    "defective": {
        "train": [
            "{P} tut nicht mehr, was {it} soll, die Klinge dreht kaum",
            "{P} mahlt nicht mehr richtig, {it} dreht nur durch",
            "{P} funktioniert nach {days} Tagen nicht mehr.",
            "{P} lässt sich nicht mehr einschalten, egal welche Steckdose.",
            "Der Schalter an {pd} ist beim ersten Benutzen abgebrochen.",
            "{P} macht ein lautes Geräusch und geht dann einfach aus",
            "{P} ist defekt, {it} lädt nicht.",
            "Toll, {p} ist nach {days} Tagen kaputt gegangen. Super Qualität.",
            "{P} ist undicht, überall Wasser auf der Arbeitsplatte",
            "Die Verpackung war einwandfrei, nichts beschädigt, aber {p} geht einfach nicht",
            "seit gestern tut sich bei {pd} gar nichts mehr",
            "{P} wird so heiß, dass man {ita} nicht anfassen kann",
            "das ding hat nach drei tagen den geist aufgegeben",
        ],
        "blind": [
            "{P} hat schon nach {days} Tagen schlappgemacht.",
            "Nach zweimal Benutzen ist der Motor von {pd} durchgebrannt.",
            "{P} setzt ständig aus, ich glaube {it} hat einen Wackelkontakt",
            "{P} zeigt keinerlei Reaktion mehr, kein Licht, nichts",
            "Leider hat {p} heute früh komplett den Dienst quittiert.",
        ],
        "safety_train": [
            "{P} hat beim Einstecken gefunkt und angefangen zu qualmen!",
            "{P} ist so heiß geworden, dass ich mir die Hand verbrannt habe.",
            "Ich habe von {pd} einen Stromschlag bekommen, das ist gefährlich.",
        ],
        "safety_blind": [
            "{P} hat auf der Arbeitsplatte Feuer gefangen, wir mussten löschen.",
            "Mein Sohn hat sich an einer scharfen Kante von {pd} geschnitten und musste genäht werden",
        ],
        "wants": ["refund", "replacement", "return", "info"],
    },
    "damaged_in_transit": {
        "train": [
            "{P} kam beschädigt an, der Karton war völlig zerdrückt.",
            "Das Paket war nass und {p} darin ist gesprungen.",
            "{P} ist zerbrochen angekommen, {carrier} hat das Paket wohl geworfen.",
            "Paket war aufgerissen und {p} hat eine Delle",
            "beim Auspacken war {p} schon kaputt, die Verpackung total eingedrückt",
            "Transportschaden: {p} hat einen tiefen Kratzer und eine Ecke ist abgebrochen.",
        ],
        "blind": [
            "Der Karton sah aus, als wäre jemand draufgetreten, {p} ist verbogen.",
            "Schon beim Schütteln hat es geklappert, {p} lag in Einzelteilen im Paket.",
            "Die Außenverpackung war eingerissen und {p} hat überall Macken.",
            "der Versand hat {pa} ruiniert, ein Riss quer über die Front",
        ],
        "wants": ["refund", "replacement", "return"],
    },
    "wrong_item": {
        "train": [
            "Ich habe {pa} in {color} bestellt, bekommen habe ich {color2}.",
            "Sie haben mir den falschen Artikel geschickt, das habe ich nicht bestellt.",
            "Im Paket war ein ganz anderes Produkt statt {pd}.",
            "Falsches Modell geliefert, ich hatte die größere Variante bestellt.",
            "Bestellt habe ich Größe {size}, geliefert wurde {size2}.",
            "das ist nicht meins, da war die Bestellung von jemand anderem drin",
        ],
        "blind": [
            "Auf dem Etikett steht ein völlig anderer Artikel als in meiner Bestellung.",
            "Statt {pd} lag eine Packung Batterien im Karton, da wurde wohl vertauscht.",
            "Die Artikelnummer passt überhaupt nicht zu dem, was ich gekauft habe",
            "Ihr habt meine Bestellung verwechselt, das ist etwas ganz anderes",
        ],
        "wants": ["replacement", "refund", "return", "exchange"],
    },
    "size_fit": {
        "clothes": True,
        "train": [
            "{P} ist zu klein, ich trage normalerweise {size}.",
            "{P} passt nicht, ich habe die falsche Größe bestellt.",
            "Ich habe M bestellt, aber {it} ist mir zu eng.",
            "{P} fällt sehr klein aus, ich bekomme {ita} nicht zu",
            "{it} ist nicht kaputt, {it} passt einfach nicht",
            "{P} ist viel zu groß, ich verschwinde darin",
            "Die Ärmel sind zu kurz und an den Schultern spannt es",
        ],
        "blind": [
            "Leider sitzt {p} an der Taille ziemlich knapp, ich hätte eine Nummer größer nehmen sollen",
            "Ich trage sonst {size} und das hier wirkt wie Kindergröße",
            "Schön, aber riesig an mir, die Größentabelle stimmt wohl nicht",
            "komme mit den Füßen nicht rein, mindestens eine Nummer zu klein",
        ],
        "wants": ["exchange", "refund", "return", "info"],
    },
    "not_as_described": {
        "train": [
            "Die Öffnung von {pd} ist viel zu klein, da geht nichts durch",
            "Das Kabel ist viel zu kurz, auf den Bildern sah das anders aus",
            "{P} sieht ganz anders aus als auf den Bildern.",
            "Laut Beschreibung Edelstahl, aber {p} ist billiges Plastik.",
            "{P} ist viel kleiner als beschrieben, die Fotos täuschen.",
            "In der Beschreibung steht, dass eine Tasche dabei ist, aber es fehlt.",
            "{P} ist als wasserdicht angegeben, beim ersten Regen war Wasser drin.",
            "angeblich echtes Leder, das ist eindeutig Kunstleder",
        ],
        "blind": [
            "Auf der Produktseite stehen 20 Stunden Akku, {p} schafft kaum 3.",
            "Was ankam ist dünn und wackelig, nicht das stabile Teil aus dem Angebot",
            "Die Hälfte der angegebenen Funktionen gibt es nicht, keine Zeitschaltuhr",
            "Das 'Holz' ist eine Folie auf Pressspan, ziemlich irreführend",
        ],
        "wants": ["refund", "return", "replacement"],
    },
    "not_received": {
        "train": [
            "Meine Bestellung ist immer noch nicht angekommen, seit {days} Tagen überfällig.",
            "Laut Sendungsverfolgung zugestellt, aber hier ist nichts.",
            "Wo bleibt mein Paket? Es hängt seit einer Woche fest.",
            "{carrier} sagt zugestellt, ich habe nichts bekommen.",
            "warte immer noch auf {pa}, keine Spur davon",
            "Der Liefertermin war letzten Montag und bis heute nichts.",
        ],
        "blind": [
            "Die Sendungsverfolgung hat sich seit {days} Tagen nicht bewegt.",
            "Auch die Nachbarn haben nichts angenommen, obwohl es angeblich abgegeben wurde.",
            "Jetzt sind es schon über zwei Wochen, wo ist meine Bestellung",
            "Es sollte ein Geburtstagsgeschenk sein und es ist nie gekommen",
        ],
        "wants": ["info", "refund", "replacement", "cancel"],
    },
    "return_request": {
        "train": [
            "Ich habe es mir anders überlegt und möchte {pa} zurückgeben.",
            "[return]Wie kann ich das zurückschicken? Es ist noch ungeöffnet.",
            "Ich brauche {pa} nicht mehr, kann ich {ita} zurücksenden?",
            "{P} gefällt mir nicht, ich möchte {ita} retournieren.",
            "Ich möchte von meinem Widerrufsrecht Gebrauch machen.",
        ],
        "blind": [
            "Mit {pd} ist alles in Ordnung, es ist einfach nichts für mich. Wie läuft die Rücksendung?",
            "Noch originalverpackt und unbenutzt, ich würde es gern zurückgeben",
            "Meine Pläne haben sich geändert, ich schicke {pa} gerne zurück",
        ],
        "wants": ["return", "refund", "info"],
    },
    "cancel_request": {
        "train": [
            "Bitte stornieren Sie meine Bestellung, ich habe mich vertan.",
            "Ich habe versehentlich doppelt bestellt, bitte eine stornieren.",
            "Bitte die Bestellung stornieren, ich brauche es nicht mehr.",
            "Bitte nicht mehr verschicken, ich habe aus Versehen bestellt.",
        ],
        "blind": [
            "Kann ich die Bestellung noch zurückziehen? Sie ist noch nicht versandt.",
            "Habe am Handy aus Versehen auf Kaufen gedrückt, bitte nicht senden",
            "Bitte die zweite Bestellung annullieren, war ein Fehler",
        ],
        "wants": ["cancel"],
    },
    "product_question": {
        "train": [
            "Ist {p} spülmaschinenfest?",
            "Wie lange hält der Akku bei {pd}?",
            "Wie lange ist die Garantie auf {pd}?",
            "Kann man {pa} auch in der Schweiz benutzen?",
            "Welche Größe empfehlen Sie bei 1,80 m?",
            "Gibt es Ersatzteile für {pa} einzeln zu kaufen?",
        ],
        "blind": [
            "Vor dem Kauf: Funktioniert {p} auch ohne Adapter in England?",
            "Kurze Frage, aus welchem Material ist {p} eigentlich?",
            "Mich würde interessieren, ob man {pa} an die Wand hängen kann",
            "wie laut ist {p} auf höchster Stufe",
        ],
        "wants": ["info"],
    },
    "feedback": {
        "train": [
            "Vielen Dank, {p} ist perfekt!",
            "Schnelle Lieferung und alles bestens, sehr zufrieden.",
            "Top Verkäufer, gerne wieder.",
            "Ich bin begeistert, fünf Sterne.",
        ],
        "blind": [
            "{P} kam einen Tag früher und meine Frau freut sich riesig, danke!",
            "Genau wie abgebildet, klasse Sache",
            "Wollte nur kurz sagen: alles prima gelaufen",
        ],
        "wants": ["nothing"],
    },
    "abusive": {
        "train": [
            "[refund]Ihr Idioten habt mir Schrott geschickt, Geld zurück sofort.",
            "Das ist Betrug, ihr seid Abzocker und ich zeige euch an.",
            "Was für ein unfähiger Saftladen, ihr werdet es bereuen.",
            "Ich weiß, wo euer Lager ist.",
        ],
        "blind": [
            "Ihr seid echte Gauner, ich hoffe euer Laden geht pleite.",
            "Zahlt heute oder ich mache euch das Leben zur Hölle.",
            "Vollpfosten, nicht mal ein Paket packen könnt ihr.",
        ],
        "wants": ["refund", "other"],
    },
    "other": {
        "train": [
            "Hallo, bitte rufen Sie mich an.",
            "Ich habe eine Frage zu meiner Rechnung.",
            "Können Sie mir eine Rechnung mit ausgewiesener MwSt schicken?",
            "Haben Sie meine letzte Nachricht bekommen?",
        ],
        "blind": [
            "Ich bräuchte einen Beleg mit meinem Firmennamen.",
            "Entschuldigung, die Mail war nicht für Sie gedacht",
            "Siehe meine vorherige Nachricht.",
        ],
        "wants": ["other", "info"],
    },
}

WISHES = {
    "refund": {"train": ["Ich möchte mein Geld zurück.", "Bitte erstatten Sie mir den Betrag.",
                         "Ich hätte gern eine Rückerstattung."],
               "blind": ["Überweisen Sie mir bitte einfach das Geld zurück."]},
    "replacement": {"train": ["Bitte schicken Sie mir Ersatz.", "Können Sie mir ein neues schicken?",
                              "Mir wäre ein Austauschgerät lieber als Geld zurück."],
                    "blind": ["Ein funktionierendes Exemplar wäre super."]},
    "exchange": {"train": ["Kann ich es gegen {size2} umtauschen?",
                           "Können Sie mir die richtige Größe schicken?",
                           "Ich würde es gern gegen eine größere Größe tauschen."],
                 "blind": ["Geht ein Umtausch in eine Nummer größer?"]},
    "return": {"train": ["Ich möchte es zurückschicken.", "Wie schicke ich es zurück?"],
               "blind": ["Schicken Sie mir bitte ein Rücksendeetikett."]},
    "info": {"train": ["Was kann ich tun?", "Wie geht es jetzt weiter?"],
             "blind": ["Wie lösen wir das?"]},
    "cancel": {"train": ["Bitte stornieren Sie die Bestellung."],
               "blind": ["Dann bitte alles stornieren."]},
}
PHOTO = {"train": ["Foto anbei.", "Ich habe ein Bild angehängt.", "Ich kann gern Fotos schicken."],
         "blind": ["Siehe Bild im Anhang."]}
OPENERS = {"train": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hi,", ""],
           "blind": ["Moin,", "Servus,", "Liebes Team,"]}
CLOSERS = {"train": ["Danke.", "Viele Grüße", "Mit freundlichen Grüßen, K. Maier", "LG"],
           "blind": ["Beste Grüße", "Danke im Voraus!"]}
FILLERS = {
    "train": [
        "Ich habe das als Geschenk für meine Mutter gekauft.",
        "Ich bestelle schon lange bei Ihnen und hatte nie Probleme.",
        "Wir sind gerade umgezogen, deshalb melde ich mich erst jetzt.",
    ],
    "blind": [
        "Ich nutze es täglich in der Werkstatt, daher ist es mir wichtig.",
        "Ich hatte vorher alle Bewertungen gelesen und mich gefreut.",
    ],
}
# fmt: on

# fmt: off
# Mehr Trainingsformulierungen (nie aus den Blind-Listen kopiert).
EXTRA_TRAIN = {
    "defective": [
        "{P} ist kaputt!",
        "Nach {days} Tagen kaputt.",
        "geht nicht mehr",
        "keine Ahnung was los ist, aber {p} zeigt seit {days} Tagen gar keine Funktion mehr",
        "{P} lief eine Woche super und jetzt blinkt nur noch ein rotes Lämpchen.",
        "Wow, ganze {days} Tage hat {p} durchgehalten. Tolle Technik.",
        "Der Akku von {pd} hält keine zehn Minuten mehr",
        "Ein Knopf klemmt und {p} lässt sich nicht mehr umschalten",
    ],
    "damaged_in_transit": [
        "Kaputt angekommen!",
        "Der Paketbote hat das Paket offensichtlich fallen lassen, {p} hat eine Delle",
        "Der Karton kam platt gedrückt und durchnässt an, {p} ist zerkratzt",
        "{P} kam mit einer abgebrochenen Ecke an, die Verpackung war eingerissen",
    ],
    "wrong_item": [
        "Falsche Farbe, ich hatte {color} gewählt und {color2} kam",
        "Im Karton ist ein ganz anderes Modell als bestellt",
        "Ihr habt mir {size2} geschickt, bestellt war {size}",
    ],
    "size_fit": [
        "Zu klein!",
        "An der Qualität liegt es nicht, {it} ist an der Brust einfach zu eng",
        "{P} ist schön, fällt aber sehr klein aus, ich bräuchte eine Nummer größer",
        "Ich trage sonst {size} und {p} ist viel zu weit",
        "Die Passform stimmt nicht, die Beine sind viel zu kurz",
    ],
    "not_as_described": [
        "Sieht überhaupt nicht aus wie auf den Fotos, die Farbe ist matt und der Stoff dünn",
        "Angeblich Massivholz, in Wahrheit Plastik mit Holzoptik",
        "Die Hälfte des abgebildeten Zubehörs war nicht dabei",
    ],
    "not_received": [
        "Nie angekommen.",
        "Mein Paket ist nie angekommen, die Sendungsverfolgung steht seit einer Woche still.",
        "Immer noch keine Lieferung, seit {days} Tagen heißt es nur: in Zustellung",
        "{carrier} hat es angeblich am Ablageort abgelegt, da ist nichts",
    ],
    "return_request": [
        "Ich habe aus Versehen zwei gekauft, kann ich eins zurückschicken? Noch verschweißt.",
        "Funktioniert gut, ist aber nicht das Richtige für mich, ich möchte es zurückgeben.",
        "Ich bin noch in den 30 Tagen und würde {pa} gern zurückgeben, unbenutzt",
    ],
    "cancel_request": [
        "Ich muss die Bestellung stornieren, bevor sie verschickt wird",
        "Falsche Adresse angegeben, bitte stornieren, ich bestelle neu",
    ],
    "product_question": [
        "Gibt es {pa} auch in {color}?",
        "Haben Sie {pa} auch in Größe {size}?",
        "Wann ist {p} wieder lieferbar?",
        "Sind bei {pd} Batterien dabei oder muss ich die extra kaufen?",
        "Was ist der Unterschied zwischen diesem Modell und der Pro-Version?",
        "Kann man {pa} auch draußen im Regen benutzen?",
    ],
    "feedback": [
        "Super, danke!",
        "Alles schnell angekommen und {p} ist genau richtig. Danke!",
        "Super Service, vielen lieben Dank 🙂",
    ],
    "abusive": [
        "Ihr seid Betrüger, Geld zurück oder ich mache das überall öffentlich",
        "Unfähige Idioten, ich hoffe ihr geht pleite.",
    ],
    "other": [
        "Bitte ändern Sie den Namen auf der Rechnung auf meine Firma.",
        "Haben Sie an den Feiertagen geöffnet?",
        "Können Sie mich am Montag zurückrufen?",
    ],
}
EXTRA_WISHES = {
    "refund": ["Erstatten Sie mir bitte den Kaufpreis.", "Ich möchte den Betrag zurück."],
    "replacement": ["Bitte tauschen Sie es gegen ein neues aus.", "Schicken Sie mir bitte ein funktionierendes Gerät."],
    "exchange": ["Kann ich es gegen die passende Größe tauschen?", "Ich hätte gern eine andere Farbe im Tausch."],
    "return": ["Ich möchte es gern retournieren.", "Bitte senden Sie mir ein Retourenlabel."],
    "info": ["Was schlagen Sie vor?", "Bitte um Rückmeldung, wie es weitergeht."],
    "cancel": ["Bitte alles stornieren."],
}
EXTRA_OPENERS = ["Hallo zusammen,", "Guten Morgen,", "Hallo nochmal,"]
EXTRA_CLOSERS = ["Gruß, Tom", "Danke für Ihre Hilfe.", "Freundliche Grüße"]
EXTRA_FILLERS = [
    "Es sollte ein Geschenk für meine Tochter sein.",
    "Ich hatte viel zu tun, deshalb melde ich mich erst jetzt.",
]
# fmt: on
