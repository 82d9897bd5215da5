"""French templates (see lang_en.py). {p} with article, {it} il/elle, {le} le/la, {e} the
feminine agreement ("" or "e")."""


# fmt: off
def _m(noun: str, art: str = "le ") -> dict[str, str]:
    return {"p": f"{art}{noun}", "it": "il", "le": "le", "e": "", "x": "x"}


def _f(noun: str, art: str = "la ") -> dict[str, str]:
    return {"p": f"{art}{noun}", "it": "elle", "le": "la", "e": "e", "x": "se"}


PRODUCTS = [
    _f("bouilloire"), _m("mixeur"), _f("lampe"), _m("chargeur"), _m("moulin à café"),
    _m("presse-ail"), _f("enceinte", "l'"), _m("sèche-cheveux"), _m("sac à dos"),
    _m("grille-pain"), _f("perceuse"), _f("coque de téléphone"), _m("aspirateur", "l'"),
    _m("clavier"), _f("gourde"), _f("batterie externe"),
]
CLOTHES = [
    _f("veste"), _f("robe"), _m("pull"), _m("pantalon"), _m("manteau"), _f("chemise"),
    _f("paire de baskets"), _m("jean"),
]
SIZES = ["S", "M", "L", "XL", "38", "40", "42", "44"]
COLORS = ["noir", "bleu", "rouge", "gris", "blanc", "vert"]
CARRIERS = ["Colissimo", "Chronopost", "La Poste", "le livreur", "DPD", "Mondial Relay"]

INTENTS = {
    "defective": {
        "train": [
            "{P} ne fait plus ce qu'{it} devrait, la lame tourne à peine",
            "{P} ne moud plus correctement, {it} tourne dans le vide",
            "{P} ne fonctionne plus au bout de {days} jours.",
            "{P} ne s'allume plus du tout, j'ai essayé plusieurs prises.",
            "le bouton de {p} s'est cassé dès la première utilisation",
            "{P} fait un bruit horrible puis s'éteint tout seul.",
            "{P} est défectueu{x}, {it} ne charge pas.",
            "Bravo, {p} a rendu l'âme au bout de {days} jours. Belle qualité.",
            "{P} fuit de partout dès que je m'en sers",
            "Le colis était impeccable, rien d'abîmé, mais {p} ne marche pas",
            "{P} chauffe tellement qu'on ne peut plus {le} toucher",
            "le truc a lâché au bout de trois jours",
            "{P} est en panne depuis hier",
        ],
        "blind": [
            "{P} m'a lâché après à peine {days} jours d'utilisation normale.",
            "Utilisé{e} deux fois et le moteur de {p} a déjà grillé.",
            "{P} se coupe toutes les cinq minutes, il y a un faux contact",
            "Plus aucun signe de vie depuis ce matin, pas de voyant, rien.",
            "Franchement {p} est HS, {it} ne démarre même plus",
        ],
        "safety_train": [
            "{P} a fait des étincelles et s'est mis{e} à fumer quand je l'ai branché{e} !",
            "{P} a tellement chauffé que je me suis brûlé la main.",
            "J'ai pris une décharge électrique avec {p}, c'est dangereux.",
        ],
        "safety_blind": [
            "{P} a pris feu sur le plan de travail, on a dû l'éteindre.",
            "Mon fils s'est coupé sur une arête tranchante de {p}, il a eu des points de suture",
        ],
        "wants": ["refund", "replacement", "return", "info"],
    },
    "damaged_in_transit": {
        "train": [
            "{P} est arrivé{e} abîmé{e}, le carton était complètement écrasé.",
            "Le colis était trempé et {p} à l'intérieur est fissuré{e}.",
            "{P} est arrivé{e} cassé{e}, {carrier} a dû jeter le colis.",
            "colis déchiré à la livraison et {p} est cabossé{e}",
            "en ouvrant le paquet, {p} était en morceaux, l'emballage ne protégeait rien",
            "Endommagé{e} pendant le transport : {p} a une grosse rayure et un coin cassé.",
        ],
        "blind": [
            "Le carton avait l'air piétiné et {p} est tordu{e}.",
            "Ça faisait du bruit avant même d'ouvrir, {p} était en mille morceaux",
            "L'emballage extérieur était éventré et {p} est ébréché{e} partout",
            "la livraison l'a massacré{e}, une fissure traverse tout l'avant",
        ],
        "wants": ["refund", "replacement", "return"],
    },
    "wrong_item": {
        "train": [
            "J'ai commandé {p} en {color} et j'ai reçu du {color2}.",
            "Vous m'avez envoyé le mauvais article, ce n'est pas ce que j'ai commandé.",
            "J'ai reçu un tout autre produit au lieu de {p}.",
            "Mauvais modèle dans le colis, j'avais commandé la grande version.",
            "J'ai commandé la taille {size} et vous m'avez envoyé du {size2}.",
            "ce n'est pas à moi, c'est la commande de quelqu'un d'autre",
        ],
        "blind": [
            "L'étiquette indique un article complètement différent de ma commande.",
            "À la place de {p}, il y avait un paquet de piles, sûrement une erreur d'entrepôt.",
            "La référence reçue ne correspond pas du tout à mon achat",
            "Vous avez mélangé les commandes, ce n'est pas du tout ça",
        ],
        "wants": ["replacement", "refund", "return", "exchange"],
    },
    "size_fit": {
        "clothes": True,
        "train": [
            "{P} est trop petit{e}, je fais habituellement du {size}.",
            "{P} ne me va pas, j'ai pris la mauvaise taille.",
            "J'ai commandé un M mais c'est trop serré.",
            "{P} taille vraiment petit, impossible de {le} fermer",
            "{it} n'est pas cassé{e}, {it} ne me va juste pas",
            "{P} est beaucoup trop grand{e}, je flotte dedans",
            "les manches sont trop courtes et ça serre aux épaules",
        ],
        "blind": [
            "Dommage, {p} est un peu juste à la taille, j'aurais dû prendre au-dessus",
            "Je porte du {size} d'habitude et là on dirait une taille enfant",
            "Joli mais immense sur moi, le guide des tailles doit être faux",
            "impossible d'enfiler mes pieds, il manque au moins une pointure",
        ],
        "wants": ["exchange", "refund", "return", "info"],
    },
    "not_as_described": {
        "train": [
            "Les trous de {p} sont trop petits, rien ne passe",
            "Le câble est bien trop court par rapport aux photos",
            "{P} ne ressemble pas du tout aux photos de l'annonce.",
            "L'annonce dit inox mais {p} est en plastique bas de gamme.",
            "{P} est bien plus petit{e} que décrit, les photos sont trompeuses.",
            "La description indique une housse incluse mais il n'y avait que {p}.",
            "{P} est vendu{e} comme étanche mais l'eau est entrée dès la première pluie.",
            "soi-disant du cuir véritable, c'est clairement du faux",
        ],
        "blind": [
            "La fiche produit promet 20 heures d'autonomie, {p} tient à peine 3 heures.",
            "Ce que j'ai reçu est fin et fragile, rien à voir avec le produit solide en ligne",
            "La moitié des fonctions annoncées n'existent pas, aucun minuteur",
            "le 'bois' est un autocollant sur de l'aggloméré, c'est trompeur",
        ],
        "wants": ["refund", "return", "replacement"],
    },
    "not_received": {
        "train": [
            "Ma commande n'est toujours pas arrivée, elle devait arriver il y a {days} jours.",
            "Le suivi indique livré mais je n'ai rien reçu.",
            "Où est mon colis ? Il est bloqué depuis une semaine.",
            "{carrier} dit l'avoir livré, je n'ai jamais rien eu.",
            "toujours en attente de {p}, aucune nouvelle",
            "La livraison était prévue lundi dernier et toujours rien.",
        ],
        "blind": [
            "Le suivi n'a pas bougé depuis {days} jours, le colis dort au dépôt.",
            "Les voisins n'ont rien non plus alors que c'est marqué remis.",
            "Ça fait plus de deux semaines, mais où est passée ma commande",
            "C'était un cadeau d'anniversaire et il n'est jamais arrivé",
        ],
        "wants": ["info", "refund", "replacement", "cancel"],
    },
    "return_request": {
        "train": [
            "J'ai changé d'avis et je voudrais retourner {p}.",
            "[return]Comment faire un retour ? Le produit n'a pas été ouvert.",
            "Je n'ai plus besoin de {p}, puis-je {le} renvoyer ?",
            "{P} ne me plaît pas, je souhaite {le} retourner.",
            "Je souhaite exercer mon droit de rétractation.",
        ],
        "blind": [
            "Rien à redire sur {p}, ce n'est juste pas pour moi. Quelle est la procédure de retour ?",
            "Encore sous blister, jamais servi, je préférerais le rendre",
            "Mes projets ont changé, je vous renvoie volontiers {p}",
        ],
        "wants": ["return", "refund", "info"],
    },
    "cancel_request": {
        "train": [
            "Merci d'annuler ma commande, je me suis trompé.",
            "J'ai commandé deux fois par erreur, pouvez-vous en annuler une ?",
            "Annulez la commande s'il vous plaît, je n'en ai plus besoin.",
            "Ne l'envoyez pas, j'ai commandé par erreur.",
        ],
        "blind": [
            "Est-il encore possible d'annuler ? Ce n'est pas encore expédié.",
            "J'ai cliqué sur acheter sans faire exprès, ne l'expédiez pas svp",
            "Merci de supprimer la deuxième commande, c'était une erreur",
        ],
        "wants": ["cancel"],
    },
    "product_question": {
        "train": [
            "Est-ce que {p} passe au lave-vaisselle ?",
            "Quelle est l'autonomie de la batterie ?",
            "Quelle est la durée de la garantie ?",
            "Peut-on utiliser {p} en Suisse ?",
            "Quelle taille me conseillez-vous pour 1m80 ?",
            "Vendez-vous des pièces de rechange séparément ?",
        ],
        "blind": [
            "Avant d'acheter : {p} fonctionne-t-il en Angleterre sans adaptateur ?",
            "Petite question, en quelle matière est fait{e} {p} ?",
            "Je me demande si on peut fixer {p} au mur",
            "{p} est-il bruyant à pleine puissance",
        ],
        "wants": ["info"],
    },
    "feedback": {
        "train": [
            "Merci beaucoup, {p} est parfait{e} !",
            "Livraison rapide et tout est nickel, très satisfait.",
            "Vendeur au top, je recommande.",
            "Ravie de mon achat, cinq étoiles.",
        ],
        "blind": [
            "{P} est arrivé{e} un jour en avance et ma femme l'adore, merci !",
            "Conforme aux photos, super",
            "Juste un petit mot pour dire que tout s'est bien passé",
        ],
        "wants": ["nothing"],
    },
    "abusive": {
        "train": [
            "[refund]Bande d'incapables, vous m'avez envoyé de la merde, remboursez-moi.",
            "C'est une arnaque, vous êtes des escrocs et je vais porter plainte.",
            "Quelle bande de minables, vous allez le regretter.",
            "Je sais où se trouve votre entrepôt.",
        ],
        "blind": [
            "Vous êtes de vrais voleurs, j'espère que votre boutique va couler.",
            "Remboursez aujourd'hui ou je vous pourris la vie, je suis sérieux.",
            "Espèces de crétins, même pas fichus d'emballer un carton.",
        ],
        "wants": ["refund", "other"],
    },
    "other": {
        "train": [
            "Bonjour, pouvez-vous m'appeler ?",
            "J'ai une question sur ma facture.",
            "Pouvez-vous m'envoyer une facture avec la TVA ?",
            "Avez-vous reçu mon dernier message ?",
        ],
        "blind": [
            "Il me faudrait un justificatif au nom de ma société.",
            "Désolé, ce mail ne vous était pas destiné",
            "Voir mon message précédent.",
        ],
        "wants": ["other", "info"],
    },
}

WISHES = {
    "refund": {"train": ["Je veux être remboursé.", "Merci de me rembourser.",
                         "Je souhaite un remboursement complet."],
               "blind": ["Rendez-moi simplement mon argent."]},
    "replacement": {"train": ["Merci de m'en envoyer un autre.",
                              "Pouvez-vous m'envoyer un remplacement ?",
                              "Je préfère un échange standard plutôt qu'un remboursement."],
                    "blind": ["Un exemplaire qui fonctionne serait parfait."]},
    "exchange": {"train": ["Puis-je l'échanger contre un {size2} ?",
                           "Pouvez-vous m'envoyer la bonne taille à la place ?",
                           "Je voudrais l'échanger contre une taille au-dessus."],
                 "blind": ["Un échange contre la taille supérieure serait possible ?"]},
    "return": {"train": ["Je veux le renvoyer.", "Comment je le retourne ?"],
               "blind": ["Envoyez-moi une étiquette de retour svp."]},
    "info": {"train": ["Que dois-je faire ?", "Quelles sont les options ?"],
             "blind": ["Comment on règle ça ?"]},
    "cancel": {"train": ["Merci d'annuler la commande."],
               "blind": ["Annulez tout alors."]},
}
PHOTO = {"train": ["Photo jointe.", "J'ai joint une photo.", "Je peux envoyer des photos."],
         "blind": ["Voir la photo en pièce jointe."]}
OPENERS = {"train": ["Bonjour,", "Bonjour Madame, Monsieur,", "Salut,", ""],
           "blind": ["Bonsoir,", "Chère équipe,"]}
CLOSERS = {"train": ["Merci.", "Cordialement", "Bien à vous, C. Martin", "Merci d'avance"],
           "blind": ["Bonne journée", "Salutations"]}
FILLERS = {
    "train": [
        "Je l'avais acheté pour l'anniversaire de ma mère.",
        "Je commande chez vous depuis longtemps sans aucun souci.",
        "On vient de déménager, d'où ma réponse tardive.",
    ],
    "blind": [
        "Je m'en sers tous les jours à l'atelier, c'est important pour moi.",
        "J'avais lu tous les avis avant d'acheter.",
    ],
}
# fmt: on

# fmt: off
# Formulations d'entraînement supplémentaires (jamais copiées des listes blind).
EXTRA_TRAIN = {
    "defective": [
        "{P} est cassé{e} !",
        "En panne au bout de {days} jours.",
        "ça ne marche plus",
        "je ne sais pas ce qui se passe mais {p} ne donne plus aucun signe depuis {days} jours",
        "{P} a marché une semaine et maintenant un voyant rouge clignote, c'est tout.",
        "Bravo, {days} jours de fonctionnement. Quelle robustesse.",
        "La batterie de {p} ne tient plus dix minutes",
        "Un bouton est bloqué et {p} ne change plus de mode",
    ],
    "damaged_in_transit": [
        "Arrivé cassé !",
        "Le livreur a visiblement fait tomber le colis, {p} est cabossé{e}",
        "Le carton est arrivé aplati et trempé, {p} est tout rayé{e}",
        "{P} est arrivé{e} avec un coin cassé, l'emballage était déchiré",
    ],
    "wrong_item": [
        "Mauvaise couleur, j'avais choisi {color} et j'ai reçu du {color2}",
        "Dans le carton, un tout autre modèle que celui commandé",
        "Vous m'avez envoyé du {size2} alors que j'avais commandé du {size}",
    ],
    "size_fit": [
        "Trop petit !",
        "La qualité est bien, mais c'est trop serré au niveau de la poitrine",
        "{P} est joli{e} mais taille très petit, il me faudrait la taille au-dessus",
        "Je fais du {size} et {p} est beaucoup trop large",
        "La coupe ne va pas, les jambes sont bien trop courtes",
    ],
    "not_as_described": [
        "Rien à voir avec les photos, couleur terne et tissu fin",
        "Vendu comme bois massif, c'est du plastique imitation bois",
        "La moitié des accessoires montrés sur l'annonce manquent",
    ],
    "not_received": [
        "Jamais reçu.",
        "Mon colis n'est jamais arrivé, le suivi ne bouge plus depuis une semaine.",
        "Toujours pas livré, le suivi indique en cours d'acheminement depuis {days} jours",
        "{carrier} dit l'avoir déposé en lieu sûr, il n'y a rien",
    ],
    "return_request": [
        "J'en ai acheté deux par erreur, puis-je en renvoyer un ? Encore emballé.",
        "Ça fonctionne mais ça ne me convient pas, je souhaite le retourner.",
        "Je suis dans les 30 jours et voudrais retourner {p}, jamais utilisé{e}",
    ],
    "cancel_request": [
        "Je dois annuler cette commande avant l'expédition",
        "Mauvaise adresse sur la commande, annulez-la svp, je recommande",
    ],
    "product_question": [
        "Avez-vous {p} en {color} ?",
        "Est-ce disponible en {size} ?",
        "Quand {p} sera-t-il de nouveau en stock ?",
        "Les piles sont-elles fournies avec {p} ?",
        "Quelle est la différence entre ce modèle et la version pro ?",
        "Peut-on utiliser {p} dehors sous la pluie ?",
    ],
    "feedback": [
        "Parfait, merci !",
        "Tout est arrivé vite et {p} est exactement ce que je voulais. Merci !",
        "Service impeccable, un grand merci 🙂",
    ],
    "abusive": [
        "Vous êtes des escrocs, remboursez-moi ou je le dis partout",
        "Bande d'idiots, j'espère que vous ferez faillite.",
    ],
    "other": [
        "Pouvez-vous mettre le nom de ma société sur la facture ?",
        "Êtes-vous ouverts pendant les fêtes ?",
        "Pouvez-vous me rappeler lundi ?",
    ],
}
EXTRA_WISHES = {
    "refund": ["Remboursez-moi s'il vous plaît.", "Je voudrais récupérer mon argent."],
    "replacement": ["Merci de le remplacer.", "Envoyez-moi un appareil qui fonctionne svp."],
    "exchange": ["Puis-je l'échanger contre la bonne taille ?", "Je voudrais l'échanger contre une autre couleur."],
    "return": ["Je souhaite le renvoyer.", "Envoyez-moi une étiquette retour."],
    "info": ["Que me conseillez-vous ?", "Merci de me dire la marche à suivre."],
    "cancel": ["Annulez tout svp."],
}
EXTRA_OPENERS = ["Bonjour à vous,", "Re-bonjour,", "Madame, Monsieur,"]
EXTRA_CLOSERS = ["Merci pour votre aide.", "Bien cordialement", "À bientôt"]
EXTRA_FILLERS = [
    "C'était un cadeau pour ma fille.",
    "J'ai été débordé au travail, désolé pour le retard.",
]
# fmt: on
