"""Italian templates (see lang_en.py). {p} with article, {o} the agreement (o/a), {lo} lo/la."""


# fmt: off
def _m(noun: str, art: str = "il ") -> dict[str, str]:
    return {"p": f"{art}{noun}", "o": "o", "lo": "lo"}


def _f(noun: str, art: str = "la ") -> dict[str, str]:
    return {"p": f"{art}{noun}", "o": "a", "lo": "la"}


PRODUCTS = [
    _m("bollitore"), _m("frullatore"), _f("lampada"), _m("caricabatterie"),
    _m("macinacaffè"), _m("spremiaglio"), _f("cassa bluetooth"), _m("phon"), _m("zaino", "lo "),
    _m("tostapane"), _m("trapano"), _f("cover del telefono"), _m("aspirapolvere", "l'"),
    _f("tastiera"), _f("borraccia"), _f("powerbank"),
]
CLOTHES = [
    _f("giacca"), _m("vestito"), _m("maglione"), _m("pantalone"), _m("cappotto"),
    _f("camicia"), _f("scarpa"), _f("felpa"),
]
SIZES = ["S", "M", "L", "XL", "40", "42", "44", "46"]
COLORS = ["nero", "blu", "rosso", "grigio", "bianco", "verde"]
CARRIERS = ["BRT", "SDA", "Poste Italiane", "il corriere", "GLS", "DHL"]

INTENTS = {
    "defective": {
        "train": [
            "{P} non fa quello che dovrebbe, la lama gira appena",
            "{P} non macina più bene, gira a vuoto",
            "{P} ha smesso di funzionare dopo {days} giorni.",
            "{P} non si accende più, ho provato diverse prese.",
            "il tasto di {p} si è rotto al primo utilizzo",
            "{P} fa un rumore terribile e poi si spegne da sol{o}.",
            "{P} è difettos{o}, non carica.",
            "Complimenti, {p} è mort{o} dopo {days} giorni. Che qualità.",
            "{P} perde acqua dappertutto",
            "La scatola era perfetta, niente di danneggiato, ma {p} non funziona",
            "{P} si scalda così tanto che non si può toccare",
            "l'aggeggio ha mollato al terzo giorno",
        ],
        "blind": [
            "{P} ha tirato le cuoia dopo appena {days} giorni di uso normale.",
            "Usat{o} due volte e il motore di {p} si è già bruciato.",
            "{P} si stacca ogni pochi minuti, sembra un falso contatto",
            "Da ieri {p} non dà segni di vita, nessuna spia",
        ],
        "safety_train": [
            "{P} ha fatto scintille e ha iniziato a fumare appena collegat{o}!",
            "{P} si è scaldat{o} così tanto che mi sono bruciato la mano.",
            "Ho preso la scossa da {p}, è pericoloso.",
        ],
        "safety_blind": [
            "{P} ha preso fuoco sul piano di lavoro, abbiamo dovuto spegnerl{o}.",
            "Mio figlio si è tagliato con un bordo affilato di {p} e gli hanno dato i punti",
        ],
        "wants": ["refund", "replacement", "return", "info"],
    },
    "damaged_in_transit": {
        "train": [
            "{P} è arrivat{o} danneggiat{o}, la scatola era completamente schiacciata.",
            "Il pacco era bagnato e {p} dentro è crepat{o}.",
            "{P} è arrivat{o} rott{o}, {carrier} deve aver lanciato il pacco.",
            "pacco aperto all'arrivo e {p} è ammaccat{o}",
            "aprendo la scatola {p} era in pezzi",
        ],
        "blind": [
            "La scatola sembrava calpestata e {p} è piegat{o}.",
            "Si sentivano i cocci prima ancora di aprire, {p} era distrutt{o}",
            "la spedizione l'ha rovinat{o}, c'è una crepa enorme sul davanti",
        ],
        "wants": ["refund", "replacement", "return"],
    },
    "wrong_item": {
        "train": [
            "Ho ordinato {p} {color} e mi è arrivat{o} {color2}.",
            "Mi avete mandato l'articolo sbagliato, non è quello che ho ordinato.",
            "Ho ricevuto un altro prodotto invece di {p}.",
            "Ho ordinato la taglia {size} e mi avete spedito la {size2}.",
            "questo non è mio, è l'ordine di qualcun altro",
        ],
        "blind": [
            "L'etichetta riporta un articolo completamente diverso dal mio ordine.",
            "Al posto di {p} c'era una confezione di pile, avete fatto confusione in magazzino.",
            "Avete scambiato il mio ordine, questa è tutta un'altra cosa",
        ],
        "wants": ["replacement", "refund", "return", "exchange"],
    },
    "size_fit": {
        "clothes": True,
        "train": [
            "{P} è troppo piccol{o}, di solito porto la {size}.",
            "{P} non mi va bene, ho sbagliato taglia.",
            "Ho ordinato una M ma mi sta troppo strett{o}.",
            "non è rott{o}, semplicemente non mi sta",
            "{P} è troppo grande, ci sto dentro due volte",
            "le maniche sono corte e tira sulle spalle",
        ],
        "blind": [
            "Peccato, {p} è un po' stretto in vita, dovevo prendere la taglia sopra",
            "Porto sempre la {size} e questa sembra da bambino",
            "Bell{o} ma enorme, la tabella taglie non torna",
        ],
        "wants": ["exchange", "refund", "return", "info"],
    },
    "not_as_described": {
        "train": [
            "I fori di {p} sono troppo piccoli, non passa niente",
            "Il cavo è troppo corto rispetto alle foto",
            "{P} non assomiglia per niente alle foto dell'annuncio.",
            "L'annuncio dice acciaio inox ma {p} è di plastica scadente.",
            "{P} è molto più piccol{o} di quanto scritto nella descrizione.",
            "Nella descrizione c'è scritto custodia inclusa ma c'era solo {p}.",
            "venduto come impermeabile e alla prima pioggia è entrata acqua",
        ],
        "blind": [
            "La scheda promette 20 ore di batteria, {p} ne fa 3 a dir tanto.",
            "Quello che è arrivato è fragile, niente a che vedere col prodotto del sito",
            "il 'legno' è un adesivo sul truciolato, è ingannevole",
        ],
        "wants": ["refund", "return", "replacement"],
    },
    "not_received": {
        "train": [
            "Il mio ordine non è ancora arrivato, doveva arrivare {days} giorni fa.",
            "Il tracking dice consegnato ma qui non c'è niente.",
            "Dov'è il mio pacco? È fermo da una settimana.",
            "{carrier} dice di averlo consegnato, io non ho ricevuto nulla.",
            "sto ancora aspettando {p}, nessuna traccia",
        ],
        "blind": [
            "Il tracciamento è fermo da {days} giorni al deposito.",
            "Neanche i vicini hanno niente eppure risulta consegnato.",
            "Sono più di due settimane, ma dove è finito il mio ordine?",
        ],
        "wants": ["info", "refund", "replacement", "cancel"],
    },
    "return_request": {
        "train": [
            "Ho cambiato idea e vorrei restituire {p}.",
            "[return]Come faccio il reso? È ancora sigillato.",
            "Non mi serve più {p}, posso rimandarl{o} indietro?",
            "Non mi piace, vorrei fare il reso.",
            "Vorrei esercitare il diritto di recesso.",
        ],
        "blind": [
            "{P} non ha nessun difetto, semplicemente non fa per me. Come lo rimando?",
            "Ancora incellofanato, mai usato, preferirei renderlo",
        ],
        "wants": ["return", "refund", "info"],
    },
    "cancel_request": {
        "train": [
            "Per favore annullate il mio ordine, ho sbagliato.",
            "Ho ordinato due volte per errore, potete annullarne uno?",
            "Annullate l'ordine, non mi serve più.",
            "Non spedite, ho ordinato per errore.",
        ],
        "blind": [
            "Si può ancora annullare l'ordine? Non è ancora partito.",
            "Ho cliccato compra per sbaglio dal telefono, non mandatelo",
        ],
        "wants": ["cancel"],
    },
    "product_question": {
        "train": [
            "{P} si può lavare in lavastoviglie?",
            "Quanto dura la batteria?",
            "Quanti anni di garanzia ha?",
            "Che taglia mi consigliate se sono alto 1,80?",
            "Vendete i ricambi separatamente?",
        ],
        "blind": [
            "Prima di comprare: {p} funziona in Inghilterra senza adattatore?",
            "Una domanda, di che materiale è fatt{o} {p}?",
            "Vorrei sapere se {p} si può appendere al muro",
        ],
        "wants": ["info"],
    },
    "feedback": {
        "train": [
            "Grazie mille, {p} è perfett{o}!",
            "Spedizione veloce e tutto perfetto, molto soddisfatto.",
            "Venditore ottimo, lo consiglio.",
        ],
        "blind": [
            "{P} è arrivat{o} un giorno prima e a mia moglie piace tantissimo, grazie!",
            "Identico alle foto, bravi",
        ],
        "wants": ["nothing"],
    },
    "abusive": {
        "train": [
            "[refund]Siete dei ladri, mi avete mandato spazzatura, ridatemi i soldi.",
            "È una truffa, siete dei truffatori e vi denuncio.",
            "Branco di incompetenti, ve ne pentirete.",
        ],
        "blind": [
            "Siete dei veri imbroglioni, spero che chiudiate.",
            "Pagatemi oggi o vi rendo la vita impossibile, sono serio.",
        ],
        "wants": ["refund", "other"],
    },
    "other": {
        "train": [
            "Salve, potete chiamarmi?",
            "Ho una domanda sulla fattura.",
            "Potete mandarmi una fattura con la partita IVA?",
        ],
        "blind": [
            "Mi serve una ricevuta intestata alla mia azienda.",
            "Scusate, questa mail non era per voi",
        ],
        "wants": ["other", "info"],
    },
}

WISHES = {
    "refund": {"train": ["Voglio il rimborso.", "Rimborsatemi per favore."],
               "blind": ["Ridatemi semplicemente i soldi."]},
    "replacement": {"train": ["Mandatemene un altro per favore.", "Potete sostituirlo?"],
                    "blind": ["Preferirei un pezzo che funzioni."]},
    "exchange": {"train": ["Posso cambiarlo con una {size2}?", "Potete mandarmi la taglia giusta?"],
                 "blind": ["Si può fare il cambio con la taglia sopra?"]},
    "return": {"train": ["Voglio rimandarlo indietro.", "Come faccio a restituirlo?"],
               "blind": ["Mandatemi un'etichetta per il reso."]},
    "info": {"train": ["Cosa posso fare?", "Quali sono le opzioni?"],
             "blind": ["Come risolviamo?"]},
    "cancel": {"train": ["Annullate l'ordine per favore."], "blind": ["Allora annullate tutto."]},
}
PHOTO = {"train": ["Allego foto.", "Posso mandare delle foto se serve."],
         "blind": ["Vedi l'immagine in allegato."]}
OPENERS = {"train": ["Salve,", "Buongiorno,", "Ciao,", ""], "blind": ["Buonasera,", "Gentili signori,"]}
CLOSERS = {"train": ["Grazie.", "Saluti", "Cordiali saluti, L. Rossi"], "blind": ["Distinti saluti", "Grazie in anticipo"]}
FILLERS = {
    "train": ["L'avevo comprato per il compleanno di mia madre.",
              "Compro da voi da anni senza problemi."],
    "blind": ["Lo uso ogni giorno in laboratorio, quindi ci tengo."],
}
# fmt: on

# fmt: off
# Altre formulazioni di addestramento (mai copiate dalle liste blind).
EXTRA_TRAIN = {
    "defective": [
        "Si è rotto!",
        "Rotto dopo {days} giorni.",
        "non funziona più",
        "non so cosa sia successo ma {p} non dà segni da {days} giorni",
        "{P} ha funzionato una settimana e ora lampeggia solo una spia rossa.",
        "Incredibile, ben {days} giorni è durato. Che qualità.",
        "La batteria di {p} non regge nemmeno dieci minuti",
        "Un tasto si è bloccato e {p} non cambia più modalità",
    ],
    "damaged_in_transit": [
        "Arrivato rotto!",
        "Il corriere ha fatto cadere il pacco, {p} ha un'ammaccatura",
        "La scatola è arrivata schiacciata e fradicia, {p} è tutto graffiato",
        "{P} è arrivat{o} con un angolo rotto, l'imballo era strappato",
    ],
    "wrong_item": [
        "Colore sbagliato, avevo scelto {color} ed è arrivato {color2}",
        "Nella scatola c'è un modello completamente diverso da quello ordinato",
        "Mi avete mandato la {size2} ma avevo ordinato la {size}",
    ],
    "size_fit": [
        "Troppo piccolo!",
        "La qualità va bene, ma è troppo stretto sul petto",
        "{P} è bell{o} ma veste molto piccolo, mi servirebbe una taglia in più",
        "Porto la {size} e {p} mi sta larghissim{o}",
        "Non mi calza bene, le gambe sono troppo corte",
    ],
    "not_as_described": [
        "Non assomiglia per niente alle foto, colore spento e tessuto sottile",
        "Venduto come legno massello, è plastica effetto legno",
        "Mancano metà degli accessori mostrati nell'annuncio",
    ],
    "not_received": [
        "Mai arrivato.",
        "Il mio pacco non è mai arrivato, il tracking è fermo da una settimana.",
        "Ancora non consegnato, risulta in transito da {days} giorni",
        "{carrier} dice di averlo lasciato in un luogo sicuro, non c'è niente",
    ],
    "return_request": [
        "Ne ho comprati due per errore, posso restituirne uno? È sigillato.",
        "Funziona bene ma non è quello che mi serve, vorrei restituirlo.",
        "Sono nei 30 giorni e vorrei rendere {p}, mai usat{o}",
    ],
    "cancel_request": [
        "Devo annullare questo ordine prima della spedizione",
        "Ho messo l'indirizzo sbagliato, annullate l'ordine e lo rifaccio",
    ],
    "product_question": [
        "Avete {p} anche in {color}?",
        "È disponibile nella taglia {size}?",
        "Quando torna disponibile {p}?",
        "{P} include le batterie o vanno comprate a parte?",
        "Che differenza c'è tra questo modello e la versione pro?",
        "Si può usare {p} all'aperto sotto la pioggia?",
    ],
    "feedback": [
        "Perfetto, grazie!",
        "Arrivato tutto velocissimo e {p} è proprio quello che volevo. Grazie!",
        "Servizio eccellente, grazie di cuore 🙂",
    ],
    "abusive": [
        "Siete dei truffatori, ridatemi i soldi o lo scrivo ovunque",
        "Idioti incompetenti, spero che falliate.",
    ],
    "other": [
        "Potete intestare la fattura alla mia azienda?",
        "Siete aperti durante le feste?",
        "Potete richiamarmi lunedì?",
    ],
}
EXTRA_WISHES = {
    "refund": ["Rimborsatemi, grazie.", "Vorrei indietro i miei soldi."],
    "replacement": ["Sostituitelo con uno nuovo per favore.", "Mandatemene uno funzionante."],
    "exchange": ["Posso cambiarlo con la taglia giusta?", "Vorrei cambiarlo con un altro colore."],
    "return": ["Vorrei fare il reso.", "Mandatemi l'etichetta per il reso."],
    "info": ["Cosa mi consigliate?", "Fatemi sapere come procedere."],
    "cancel": ["Annullate tutto per favore."],
}
EXTRA_OPENERS = ["Salve a tutti,", "Buongiorno di nuovo,", "Ciao ragazzi,"]
EXTRA_CLOSERS = ["Grazie dell'aiuto.", "Un saluto", "A presto"]
EXTRA_FILLERS = [
    "Era un regalo per mia figlia.",
    "Sono stato molto impegnato al lavoro, scusate il ritardo.",
]
# fmt: on
