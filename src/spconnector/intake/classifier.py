"""Intent classifier: transparent, weighted phrase rules in en/de/fr/es/it.

Every rule is a regular expression over a normalized text (lower case, accents removed,
ß → ss, typographic apostrophes straightened) with a weight. The intent with the highest
summed weight wins; the phrases that matched are the evidence. Rules marked `negatable`
describe a state ("damaged", "broken") and are skipped when a negation ("not", "nicht",
"pas", "no", "non", …) stands just before them in the same clause, so "the box was not
damaged but it does not turn on" is defective, not damaged in transit.

Priority of ambiguous combinations (decided in `_decide`, in this order):
1. abusive wins whenever insults or threats reach ABUSIVE_THRESHOLD, whatever else is said —
   such messages go to the owner, never to an automatic answer;
2. a concrete reason (defective, damaged in transit, wrong item, size/fit, not as described,
   not received) beats a bare wish to return, refund or cancel: the reason is what the
   policy decides on, and "I want to return it, it's broken" is a defect case;
3. cancel_request beats not_received when both score equally ("cancel, it hasn't shipped");
4. an explicit wish (return, refund, cancel) beats a question about it ("how do I return
   it?" is a return request);
5. a question mark alone never beats a stated problem; product_question and feedback win
   only when no reason scores;
6. equal scores fall back to the order of PRIORITY below.

`classify()` uses the module's default RuleClassifier; anything with the IntentClassifier
protocol (e.g. a model-based classifier) can be passed to the email parser instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from spconnector.domain.enums import Intent
from spconnector.intake.language import detect_language


@dataclass(frozen=True, slots=True)
class Classification:
    intent: Intent
    confidence: float
    evidence: tuple[str, ...]
    language: str


class IntentClassifier(Protocol):
    def classify(self, subject: str, body: str) -> Classification: ...


@dataclass(frozen=True, slots=True)
class Rule:
    intent: Intent
    pattern: re.Pattern[str]
    weight: float
    negatable: bool = False
    word_start: bool = True  # the match must not start inside a word

    def find(self, text: str) -> re.Match[str] | None:
        """First match that starts a word (and is not negated, for negatable rules)."""
        at = 0
        search = self.pattern.search
        while (match := search(text, at)) is not None:
            start = match.start()
            if self.word_start and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                at = start + 1
            elif self.negatable and _negated(text, start):
                at = match.end() if match.end() > start else start + 1
            else:
                return match
        return None


I = Intent  # noqa: E741 - keeps the rule table readable

# (intent, weight, negatable, patterns…). Patterns are written without accents.
# fmt: off
_TABLE: list[tuple[Intent, float, bool, tuple[str, ...]]] = [
    # --- abusive -------------------------------------------------------------------------
    (I.ABUSIVE, 3.0, False, (
        r"idiots?", r"stupid", r"morons?", r"scammers?", r"thie(f|ves)", r"crooks?", r"liars?",
        r"f+u+c+k\w*", r"f\*+k\w*", r"shit\w*", r"bastards?", r"assholes?", r"pathetic",
        r"incompetent", r"i(ll| will) (find|get) you", r"you(ll| will) regret", r"(kill|hurt) you",
        r"burn (your|you)", r"betrug(er|ern)?", r"idioten", r"arschloch\w*", r"schei(ss|s)\w*",
        r"verarsch\w*", r"abzocke?r?", r"vollidiot\w*", r"unverschamt\w*",
        r"ihr werdet es bereuen", r"arnaque\w*", r"escrocs?", r"voleurs?", r"connard\w*", r"merde",
        r"putain", r"incompetents?", r"estafador\w*", r"ladron\w*", r"idiotas?", r"mierda",
        r"sinverguenzas?", r"truffator\w*", r"ladri", r"idioti", r"cazzo", r"vergognatevi",
        r"bastardi", r"incompetenti",
    )),
    (I.ABUSIVE, 2.0, False, (
        r"(this|it) is a scam", r"scam", r"sue you", r"my lawyer", r"legal action", r"report you",
        r"anwalt", r"anzeige (erstatten|gegen)", r"avocat", r"porter plainte", r"abogado",
        r"denunciar\w*", r"avvocato", r"denuncia\w*", r"truffa",
    )),
    (I.ABUSIVE, 3.0, False, (
        r"clowns?", r"losers?", r"jerks?", r"you(ll| will) (be sorry|pay for)", r"watch your back",
        r"lugner\w*", r"trottel\w*", r"depp(en)?", r"menteurs?", r"incapables", r"cretins?",
        r"imbeciles?", r"mentiros[oa]s", r"inutiles", r"payasos", r"bugiard[io]", r"pagliacci",
        r"imbecill[ie]", r"incapaci",
    )),
    # --- defective -----------------------------------------------------------------------
    (I.DEFECTIVE, 1.5, True, (
        r"dies", r"died", r"dead", r"flicker\w*", r"noisy", r"strange noise", r"glitch\w*",
        r"overheat\w*", r"(goes|turns|shuts|switches) (itself )?off", r"unusable",
        r"no power", r"error (code|message)", r"(doesn'?t|does not|won'?t) hold", r"gerausch\w*",
        r"dreht sich nicht", r"geht (immer )?aus", r"schaltet sich ab", r"flacker\w*",
        r"unbrauchbar", r"halt nicht", r"ne tient pas", r"s'eteint", r"bruit", r"inutilisable",
        r"ne tourne pas", r"se apaga", r"ruido", r"no sirve", r"no aguanta", r"inservible",
        r"si spegne", r"rumor\w*", r"inutilizzabile", r"non tiene", r"non gira",
    )),
    # --- damaged_in_transit --------------------------------------------------------------
    (I.DAMAGED_IN_TRANSIT, 1.5, True, (
        r"bent", r"wet", r"thrown", r"courier", r"eingedruckt", r"nass", r"verbogen", r"kurier",
        r"fissure\w*", r"transporteur", r"mojad[oa]", r"rajad[oa]", r"mensajero", r"crepat[oa]",
        r"incrinat[oa]", r"bagnat[oa]", r"corriere", r"imballaggio", r"packaging", r"verpackung",
        r"emballage", r"embalaje",
    )),
    # --- wrong_item ----------------------------------------------------------------------
    (I.WRONG_ITEM, 3.0, False, (
        r"ordered [^.!?\n]{1,40}\b(and|but) (got|received|came|they sent)", r"not mine",
        r"nicht meins", r"(anderes|anderer|falsches) (produkt|artikel)",
        r"otr[oa] (producto|marca|modelo|color)", r"no (las|los|el|la|lo) que (compre|pedi)",
        r"autre (produit|article|modele|couleur)", r"un altro (prodotto|articolo|modello)",
        r"un'altra",
    )),
    # --- not_as_described ----------------------------------------------------------------
    (I.NOT_AS_DESCRIBED, 2.0, False, (
        r"anders als", r"ganz anders", r"nada que ver", r"nothing like",
        r"only \w+ (came|arrived|in the box)", r"missing (parts|pieces|piece)", r"fehlt",
        r"manque", r"falta", r"manca", r"barat[oa]", r"billig\w*", r"cheap(ly)?(?!\w)",
        r"(ad|advert|listing|picture|photo) (clearly )?(says|shows)", r"descripcion",
        r"beschreibung", r"description", r"descrizione",
        r"(photos?|pictures?|fotos?|bild(ern)?|immagin[ei])\b",
    )),
    # --- not_received --------------------------------------------------------------------
    (I.NOT_RECEIVED, 3.0, False, (
        r"(isn'?t|is not|not) here", r"sin llegar", r"sigue sin", r"still (isn'?t|is not|not)",
        r"pas encore (la|arrive)", r"ancora niente", r"immer noch nichts", r"noch nichts",
        r"rien recu", r"no ha llegado nada",
    )),
    # --- return_request ------------------------------------------------------------------
    (I.RETURN_REQUEST, 1.5, False, (
        r"retourn\w+", r"gefallt (mir )?nicht", r"(don'?t|do not) like", r"changed my mind",
        r"ne me plait pas", r"no me gusta", r"non mi piace", r"no longer need",
        r"(brauche|benotige) (es|ihn|sie) (doch )?nicht",
    )),
    # --- product_question ----------------------------------------------------------------
    (I.PRODUCT_QUESTION, 1.5, False, (
        r"¿[^?]{3,80}\?",
        r"(?:^|[.!?\n] ?)(se puede|puedo|peut-on|puis-je|si puo|posso|is there|are there|kann man)\b[^.!?\n]{3,80}\?",  # noqa: E501
    )),
    # --- feedback ------------------------------------------------------------------------
    (I.FEEDBACK, 1.5, False, (
        r"ottim[oa]", r"(fast|quick) (shipping|delivery)", r"schnelle lieferung",
        r"livraison rapide", r"envio rapido", r"spedizione (veloce|rapida)", r"grazie mille",
        r"thanks a lot", r"works (great|perfectly|fine|well)",
    )),
    # --- damaged_in_transit --------------------------------------------------------------
    (I.DAMAGED_IN_TRANSIT, 3.0, False, (
        r"arrived (damaged|broken|smashed|cracked|shattered|crushed|dented|in pieces)",
        r"came (damaged|broken|smashed|cracked|shattered|in pieces)",
        r"damaged (in|during) (shipping|transit|delivery|transport)",
        r"(box|package|parcel|packaging) (was|is|were) (completely )?(crushed|damaged|torn|ripped|smashed|wet|open)",  # noqa: E501
        r"shipping damage", r"broken (on|upon) arrival", r"(shattered|smashed)",
        r"(beschadigt|kaputt|zerbrochen|zersprungen) (angekommen|geliefert|an)",
        r"transportschaden",
        r"(paket|karton|verpackung) (war|ist) \w* ?(beschadigt|zerdruckt|kaputt|aufgerissen|nass)",
        r"arrive(e|s)? (casse|endommage|abime|brise)e?s?",
        r"colis (\w+ )?(abime|endommage|ecrase|dechire)",
        r"(casse|endommage|abime)e?s? (pendant|lors) (du|de la) (transport|livraison)",
        r"carton (\w+ )?(ecrase|abime)",
        r"(llego|ha llegado|vino) (roto|rota|danado|danada|rajado|aplastad[oa])",
        r"(caja|paquete) (\w+ )?(aplastad[oa]|rot[oa]|danad[oa])",
        r"danado en el (transporte|envio)",
        r"(arrivato|arrivata|e arrivato|e arrivata) (rotto|rotta|danneggiat[oa]|distrutt[oa]|ammaccat[oa]|in pezzi)",  # noqa: E501
        r"(pacco|scatola|confezione) (\w+ )?(danneggiat[oa]|distrutt[oa]|schiacciat[oa]|rott[oa])",
        r"danneggiat[oa] (durante|nel) (il )?trasporto",
    )),
    (I.DAMAGED_IN_TRANSIT, 1.5, True, (
        r"damaged", r"dented", r"crushed", r"cracked", r"scratched", r"beschadigt", r"zerbrochen",
        r"zerkratzt", r"endommage\w*", r"abime\w*", r"ecrase\w*", r"danad[oa]", r"rayad[oa]",
        r"danneggiat[oa]", r"graffiat[oa]", r"ammaccat[oa]",
    )),
    # --- defective -----------------------------------------------------------------------
    (I.DEFECTIVE, 3.0, False, (
        r"(does ?n[o']?t|doesnt|does not|did not|didnt|won'?t|wont|will not|can'?t|cannot) (work|turn on|switch on|charge|power on|start|heat( up)?|connect|pair|hold a charge|boot|spin|light up)",  # noqa: E501
        r"not (working|charging|turning on|heating)", r"stopped (working|charging)",
        r"quit working", r"defect(ive)?", r"faulty", r"malfunction\w*", r"dead on arrival",
        r"broke (after|within|on|the first)",
        r"(it|zipper|handle|strap|button|screen|seam|lid|leg) (broke|snapped|came off|fell off|ripped)",  # noqa: E501
        r"leak(s|ing|ed)?", r"falls apart", r"fell apart", r"no sound", r"won'?t (stay|hold)",
        r"defekt\w*", r"funktioniert (nicht|nicht mehr|gar nicht)", r"geht nicht (mehr|an)",
        r"geht nicht", r"(lasst|lässt) sich nicht (\w+ )?(einschalten|laden|offnen|schliessen)",
        r"ladt nicht", r"(ist|sind) (nach \w+ \w+ )?kaputt gegangen", r"kaputt gegangen",
        r"ging kaputt", r"(schaltet|springt) nicht an", r"undicht", r"tropft", r"defectueu(x|se)",
        r"ne (fonctionne|marche) (plus|pas)", r"fonctionne pas", r"marche pas", r"en panne",
        r"ne s'allume (pas|plus)", r"ne charge (pas|plus)", r"ne chauffe pas",
        r"(s'est|est) casse\w* (apres|au bout)", r"fuit", r"defectuos[oa]", r"no funciona",
        r"(ha )?dejado de funcionar", r"no (enciende|carga|calienta)",
        r"se (rompio|ha roto) (a los|despues|al)", r"gotea", r"difettos[oa]", r"non funziona",
        r"(ha )?smesso di funzionare", r"non si (accende|carica)", r"non (carica|scalda)",
        r"si e rott[oa] (dopo|il)", r"perde acqua",
    )),
    (I.DEFECTIVE, 1.0, True, (
        r"broken", r"broke", r"kaputt", r"casse\w*", r"roto|rota", r"rott[oa]",
    )),
    # --- wrong_item ----------------------------------------------------------------------
    (I.WRONG_ITEM, 3.0, False, (
        r"wrong (item|product|colou?r|size|model|one|thing|book|part|version)",
        r"(sent|shipped|received|got|gave) (me )?(the )?(a )?(completely )?(wrong|different) (item|product|colou?r|model|one|thing)",  # noqa: E501
        r"not what i ordered", r"isn'?t what i ordered", r"is not what i ordered",
        r"i ordered (a |an |the )?\w+( \w+)? (but|and) (got|received)",
        r"instead of (the|a|an|my)",
        r"falsche[nrs]? (artikel|ware|farbe|grosse|modell|produkt|teil)",
        r"nicht (das|den|die),? was ich bestellt", r"anderen artikel", r"statt (dem|der|des)",
        r"anstatt", r"nicht bestellt", r"mauvais(e)? (article|produit|couleur|taille|modele)",
        r"(pas|n'est pas) (ce|celui|celle) que j'ai commande",
        r"pas le bon (article|produit|modele)?", r"au lieu d(e|u|es)",
        r"pas la bonne (couleur|taille|reference)",
        r"(articulo|producto|color|modelo|talla) (equivocad[oa]|incorrect[oa]|distint[oa])",
        r"no es (lo|el) que (pedi|he pedido|compre)", r"en (lugar|vez) de",
        r"me (han )?(enviado|mandado) (otro|otra|un[oa]? \w+ distint)",
        r"(articolo|prodotto|colore|modello|taglia) (sbagliat[oa]|errat[oa]|divers[oa])",
        r"non e quello che ho ordinato", r"invece d(i|el|ella)",
        r"mi avete (mandato|spedito|inviato) (un altro|un'altra|quello sbagliato)",
    )),
    # --- size_fit ------------------------------------------------------------------------
    (I.SIZE_FIT, 3.0, False, (
        r"too (small|big|large|tight|loose|short|long|narrow|wide)",
        r"(does ?n[o']?t|doesnt|did not|didnt|don'?t) fit", r"not fit", r"runs? (small|large|big)",
        r"size (is|was) (off|wrong|too)", r"(a|one|two) sizes? (up|down|smaller|bigger|larger)",
        r"bigger size", r"smaller size", r"exchange (it )?for (a|the) (size|larger|smaller)",
        r"zu (klein|gross|eng|weit|kurz|lang)", r"passt (mir )?nicht",
        r"(eine|1) nummer (grosser|kleiner)", r"fallt (klein|gross)", r"grossere grosse",
        r"kleinere grosse", r"trop (petit|grand|serre|large|court|long|etroit)e?s?",
        r"(ne me )?va pas", r"taille (trop|plus|au[- ]dessus|en dessous|petit|grand)",
        r"taille (\w+ )?petit", r"demasiado (pequen|grande|estrech|ajustad|cort|larg)\w*",
        r"me (queda|quedan|esta) (pequen|grande|estrech|cort|larg|mal)\w*",
        r"talla (mas|menos|mayor|menor|grande|pequena)", r"no me (queda|vale|sirve la talla)",
        r"troppo (piccol|grand|stretto|stretta|larg|cort|lung)\w*", r"non mi (sta|va|entra)",
        r"taglia (piu|in piu|in meno|grande|piccola|sbagliata per me)",
        r"mi sta (piccol|grand|stretto|stretta|larg)\w*", r"veste (piccolo|grande)",
    )),
    (I.SIZE_FIT, 1.0, False, (
        r"\bsize\b", r"grosse", r"taille", r"talla", r"taglia",
    )),
    # --- not_as_described ----------------------------------------------------------------
    (I.NOT_AS_DESCRIBED, 3.0, False, (
        r"not as (described|advertised|pictured|shown)",
        r"(different|differs) from the (picture|photo|description|listing|image)s?",
        r"(doesn'?t|does not|don'?t|do not) (look like|match) (the )?(picture|photo|description|listing|image)",  # noqa: E501
        r"(looks|is) nothing like",
        r"(description|listing|picture|photo) (says|said|shows|showed)", r"misleading", r"fake",
        r"counterfeit", r"knock-?off", r"not genuine",
        r"cheap (plastic|quality|material|imitation)", r"(poor|terrible|bad|awful) quality",
        r"(smaller|bigger|thinner|lighter) than (described|advertised|pictured|shown|in the (picture|photo))",  # noqa: E501
        r"nicht wie (beschrieben|abgebildet|angegeben)", r"entspricht nicht (der|dem|den)",
        r"anders als (auf dem (bild|foto)|beschrieben|abgebildet)",
        r"beschreibung (stimmt|war|ist) (nicht|falsch)", r"falsch beschrieben",
        r"(gefalscht|falschung|billige qualitat|schlechte qualitat|minderwertig)",
        r"laut beschreibung", r"ne correspond pas (a|au|aux) (la )?(description|photo|annonce)",
        r"pas conforme", r"non conforme", r"different (de la|des) (photo|description)s?",
        r"contrefacon", r"(mauvaise|piètre|piètre) qualite", r"qualite (mediocre|decevante)",
        r"la description (dit|indique)",
        r"no (coincide|corresponde) con (la )?(descripcion|foto|imagen|anuncio)",
        r"no es como (en )?(la )?(foto|descripcion|imagen|se describe)",
        r"distint[oa] (a|de) (la )?(foto|descripcion|imagen)", r"falsificad[oa]",
        r"(mala|pesima) calidad", r"la descripcion (dice|pone)",
        r"non (corrisponde|e conforme) (alla|alle|al) (descrizione|foto|annuncio)",
        r"divers[oa] (dalla|dalle) (foto|descrizione|immagine)", r"contraffatt[oa]",
        r"(scarsa|pessima) qualita", r"nella descrizione", r"non come descritto",
    )),
    # --- not_received --------------------------------------------------------------------
    (I.NOT_RECEIVED, 3.0, False, (
        r"(not|never|haven'?t|have not|hasn'?t|has not|didn'?t|did not) (yet )?(been )?(received|arrived|got(ten)?|delivered|shown up|showed up|come|arrive|receive)",  # noqa: E501
        r"not (yet )?(here|arrived|received)", r"still (waiting|hasn'?t|has not|not here)",
        r"where is my (order|package|parcel|item|delivery)",
        r"(says|shows|marked) (as )?delivered",
        r"(package|parcel|order|delivery|shipment)\b[^.!?\n]{0,20}\b(lost|missing|stolen)",
        r"nothing (yet|so far|has (arrived|come)|arrived)",
        r"(any|no) (news|updates?) (on|about|since)", r"no (package|parcel|delivery)",
        r"tracking (says|shows|hasn'?t|has not|not updated|number)",
        r"(noch )?nicht (angekommen|erhalten|bekommen|geliefert|zugestellt|eingetroffen)",
        r"nie (angekommen|erhalten)", r"wo (bleibt|ist) (meine|mein)", r"warte (immer )?noch",
        r"als zugestellt", r"sendungsverfolgung", r"paket (ist )?verloren",
        r"(pas|jamais|toujours pas) (encore )?(recu|arrive|livre)",
        r"n'est (toujours )?pas (encore )?arrive", r"ou (est|en est) (mon|ma) (colis|commande)",
        r"j'attends toujours", r"(indique|marque) (comme )?livre", r"colis perdu",
        r"suivi (indique|dit)", r"no (he|hemos) recibido", r"no (me )?ha (llegado|sido entregado)",
        r"no (me )?llego", r"(todavia|aun) no (ha llegado|llega|lo he recibido|he recibido)",
        r"donde esta (mi|el) (pedido|paquete)", r"sigo esperando",
        r"(figura|aparece|pone) como entregado", r"paquete perdido",
        r"non (l'?)?ho (ancora )?ricevut[oa]",
        r"non (e|mi e) (ancora )?(arrivat[oa]|stat[oa] consegnat[oa])",
        r"(ancora )?non (e )?arrivat[oa]", r"dov'?e (finito )?il mio (pacco|ordine)",
        r"sto ancora aspettando", r"risulta consegnat[oa]", r"pacco (perso|smarrito)",
    )),
    # --- cancel_request ------------------------------------------------------------------
    (I.CANCEL_REQUEST, 3.0, False, (
        r"cancel\w*", r"(don'?t|do not|please don'?t) (ship|send)", r"stop the (order|shipment)",
        r"storn\w*", r"(nicht|bitte nicht) (versenden|verschicken|abschicken)", r"an?nul\w*",
        r"ne (pas )?(l')?(expedier|envoyer)", r"cancela\w*", r"no (lo )?(envien|enviar|manden)",
        r"annull\w*", r"cancell\w*", r"disdir\w*", r"non (spedite|spedire|inviate)",
    )),
    # --- return_request ------------------------------------------------------------------
    (I.RETURN_REQUEST, 2.0, False, (
        r"return (it|this|them|the|my|label|authori[sz]ation)", r"want to return",
        r"like to return", r"send (it|this|them) back", r"money back", r"(full )?refund",
        r"return request", r"how (do|can) i return", r"\breturn\b",
        r"zuruck(schicken|senden|geben|gesendet)", r"rucksend\w*", r"retoure\w*", r"geld zuruck",
        r"(ruck)?erstattung", r"umtausch\w*", r"retourner", r"renvoyer", r"rembours\w*",
        r"\bretour\b", r"echanger", r"devolver\w*", r"devolucion", r"reembols\w*", r"(mi )?dinero",
        r"cambiar(lo|la)?", r"restitu\w*", r"\breso\b", r"rimbors\w*", r"sostituzione",
        r"rispedire",
    )),
    # --- product_question ----------------------------------------------------------------
    (I.PRODUCT_QUESTION, 2.0, False, (
        r"(is|does|will|can|would) (it|this|the \w+) (be )?(compatible|work with|fit|come with|include|support|available|hold|suitable)",  # noqa: E501
        r"compatible with",
        r"how (do|can|should) i (use|install|clean|set|assemble|wash|connect|attach|charge|adjust)",
        r"what (size|is the|are the|kind|type|material)", r"question (about|regarding|on)",
        r"i have a question", r"do you (have|sell|ship|offer)",
        r"(can|could) you (tell|confirm|let me know)", r"dimensions", r"instructions", r"manual",
        r"in stock", r"(passt|funktioniert|geht) (das|der|die|es) (auch )?(mit|fur|auf|in)",
        r"ist (das|der|die|es) (auch )?(kompatibel|geeignet|spulmaschinenfest|wasserdicht)",
        r"kompatibel", r"(wie|kann man|kann ich) \w+", r"frage (zu|zum|zur)",
        r"ich habe eine frage", r"anleitung", r"bedienungsanleitung", r"est-ce que",
        r"est-il (compatible|possible)", r"compatible avec", r"(j'ai une|une) question",
        r"comment (faire|utiliser|installer|nettoyer|monter)", r"mode d'emploi", r"notice",
        r"es compatible", r"(funciona|sirve) (con|para)", r"tengo una (pregunta|duda)",
        r"como (se )?(usa|utiliza|instala|limpia|monta)", r"instrucciones", r"e compatibile",
        r"(funziona|va bene) (con|per)", r"(ho una|una) domanda",
        r"come (si )?(usa|installa|pulisce|monta)", r"istruzioni",
    )),
    (I.PRODUCT_QUESTION, 1.5, False, (
        r"(?:^|[.!?\n] ?|\b(?:hi|hello|hallo|bonjour|hola|salve|buongiorno),? )(is|does|will|are|ist|passt|kann|hat|gibt es|funktioniert|geht|est-ce|existe|es|tiene|sirve|e|funziona|si puo)\b[^.!?\n]{3,80}\?",  # noqa: E501
    )),
    # --- not_received --------------------------------------------------------------------
    (I.NOT_RECEIVED, 1.5, False, (
        r"ordered \w+ (days|weeks) ago", r"bestellt vor \w+ (tagen|wochen)",
    )),
    # --- product_question ----------------------------------------------------------------
    (I.PRODUCT_QUESTION, 0.5, False, (
        r"\?",
    )),
    # --- feedback ------------------------------------------------------------------------
    (I.FEEDBACK, 2.0, False, (
        r"feedback",
        r"(left|leave|write|wrote|posted|update|change|remove) (a |my |the )?(\d[- ]star )?(review|rating)",  # noqa: E501
        r"\d[- ]stars?", r"(love|loved|loving) (it|this|them)",
        r"(great|excellent|amazing|perfect|fantastic) (product|service|seller|quality|item)",
        r"thank you so much", r"very (happy|satisfied|pleased)", r"works (great|perfectly)",
        r"bewertung", r"rezension", r"sterne", r"(sehr|super|total) zufrieden",
        r"(tolles|super|perfektes) produkt", r"vielen dank fur (den|die) (tollen|schnellen)",
        r"evaluation", r"commentaire", r"\bavis\b", r"etoiles?",
        r"(tres|super) (content|satisfait)e?", r"(parfait|excellent|genial)", r"valoracion",
        r"opinion", r"resena", r"estrellas?", r"muy (content|satisfech)[oa]",
        r"(producto|servicio) (excelente|perfecto|genial)", r"recensione", r"valutazione",
        r"stelle", r"molto (content|soddisfatt)[oa]",
        r"(prodotto|servizio) (ottimo|perfetto|eccellente)",
    )),
]
# fmt: on


def _compile() -> tuple[Rule, ...]:
    rules = []
    for intent, weight, negatable, patterns in _TABLE:
        for pattern in patterns:
            # Word rules start at a word boundary; rules opening with "(?:" or punctuation
            # ("?") place their own anchors.
            # The boundary is checked in Rule.find, not with a look-behind: a pattern that
            # opens with a literal lets the regex engine skip ahead, several times faster.
            own_anchor = pattern.startswith("(?:") or not (
                pattern[0].isalnum() or pattern[0] in "(\\"
            )
            compiled = re.compile(pattern)
            rules.append(Rule(intent, compiled, weight, negatable, word_start=not own_anchor))
    return tuple(rules)


# Strong rules first, so weak single words inside a strong phrase can defer to it.
RULES = tuple(sorted(_compile(), key=lambda rule: -rule.weight))

# Order used to break equal scores; see the module docstring.
PRIORITY: tuple[Intent, ...] = (
    I.ABUSIVE,
    I.DAMAGED_IN_TRANSIT,
    I.DEFECTIVE,
    I.WRONG_ITEM,
    I.NOT_AS_DESCRIBED,
    I.SIZE_FIT,
    I.CANCEL_REQUEST,
    I.NOT_RECEIVED,
    I.RETURN_REQUEST,
    I.PRODUCT_QUESTION,
    I.FEEDBACK,
)
REASONS = frozenset(
    {
        I.DEFECTIVE,
        I.DAMAGED_IN_TRANSIT,
        I.WRONG_ITEM,
        I.SIZE_FIT,
        I.NOT_AS_DESCRIBED,
        I.NOT_RECEIVED,
    }
)
WISHES = frozenset({I.RETURN_REQUEST, I.CANCEL_REQUEST})
ABUSIVE_THRESHOLD = 2.0
REASON_THRESHOLD = 2.0  # a reason this strong beats return/cancel wishes and questions

_NEGATION = re.compile(
    r"(?<![\w])(not|no|never|n't|without|nicht|kein\w*|ohne|pas|sans|aucun\w*|ni|sin|"
    r"ningun\w*|nunca|non|senza|nessun\w*|mai)(?![\w])|n't"
)
_CLAUSE_END = re.compile(r"[.!?;:\n]|\b(but|aber|mais|pero|ma|sondern)\b")
_SPECIAL = str.maketrans({"ß": "ss", "’": "'", "‘": "'", "`": "'", "´": "'"})


def normalize(text: str) -> str:
    """Lower case, without accents, straight apostrophes — what the rules are written for."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 40) : start]
    ends = list(_CLAUSE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return _NEGATION.search(window) is not None


class RuleClassifier:
    """The default IntentClassifier: weighted phrase rules, explainable by their evidence."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = rules

    def classify(self, subject: str, body: str) -> Classification:
        text = f"{subject}\n{body}" if subject else body
        language, _share = detect_language(text)
        norm = normalize(text)
        scores: dict[Intent, float] = {}
        evidence: dict[Intent, list[str]] = {}
        strong_spans: list[tuple[int, int, Intent]] = []
        for rule in self.rules:
            match = rule.find(norm)
            if match is None:
                continue
            start, end = match.span()
            if rule.weight < REASON_THRESHOLD and any(
                s <= start and end <= e and i is not rule.intent for s, e, i in strong_spans
            ):
                continue  # "broken" inside "arrived broken" already spoke for another intent
            if rule.weight >= REASON_THRESHOLD:
                strong_spans.append((start, end, rule.intent))
            phrase = match.group(0).strip()
            found = evidence.setdefault(rule.intent, [])
            # Overlapping phrases ("arrived broken" and "broken") count once.
            if any(phrase in seen or seen in phrase for seen in found):
                continue
            found.append(phrase)
            scores[rule.intent] = scores.get(rule.intent, 0.0) + rule.weight
        intent = _decide(scores)
        if intent is I.OTHER:
            return Classification(I.OTHER, 0.3 if norm.strip() else 0.0, (), language)
        top = scores[intent]
        rest = sum(v for k, v in scores.items() if k is not intent and k in REASONS)
        confidence = round(min(0.99, top / (top + rest + 1.0)), 2)
        return Classification(intent, confidence, tuple(evidence[intent]), language)


def _decide(scores: dict[Intent, float]) -> Intent:
    if not scores:
        return I.OTHER
    if scores.get(I.ABUSIVE, 0.0) >= ABUSIVE_THRESHOLD:
        return I.ABUSIVE
    candidates: dict[Intent, float] = {k: v for k, v in scores.items() if k is not I.ABUSIVE}
    # Tiers: a stated reason, then an explicit wish (return, refund, cancel), then the rest.
    for tier in (REASONS, WISHES):
        strong = {k: v for k, v in candidates.items() if k in tier}
        if strong and max(strong.values()) >= REASON_THRESHOLD:
            candidates = strong
            break
    if not candidates:
        return I.OTHER
    best = max(candidates.values())
    return next(i for i in PRIORITY if candidates.get(i) == best)


_DEFAULT = RuleClassifier()


def classify(subject: str, body: str) -> Classification:
    """Classify one buyer message with the default rule classifier."""
    return _DEFAULT.classify(subject, body)
