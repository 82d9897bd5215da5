"""The phrase rules' table as pure data: (intent value, weight, negatable, patterns) rows in
en/de/fr/es/it. phrase_rules.py compiles it (word boundaries, the sort by weight) and states
what a rule guarantees; every pattern here must stay linear (bounded quantifiers only), since
buyer text is untrusted. Intents are `Intent` values, checked when the table is compiled."""

# (intent value, weight, negatable, patterns…). Patterns are written without accents.
# fmt: off
TABLE: list[tuple[str, float, bool, tuple[str, ...]]] = [
    # --- abusive -------------------------------------------------------------------------
    ("abusive", 3.0, False, (
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
    ("abusive", 2.0, False, (
        r"(this|it) is a scam", r"scam", r"sue you", r"my lawyer", r"legal action", r"report you",
        r"anwalt", r"anzeige (erstatten|gegen)", r"avocat", r"porter plainte", r"abogado",
        r"denunciar\w*", r"avvocato", r"denuncia\w*", r"truffa",
    )),
    ("abusive", 3.0, False, (
        r"clowns?", r"losers?", r"jerks?", r"you(ll| will) (be sorry|pay for)", r"watch your back",
        r"lugner\w*", r"trottel\w*", r"depp(en)?", r"menteurs?", r"incapables", r"cretins?",
        r"imbeciles?", r"mentiros[oa]s", r"inutiles", r"payasos", r"bugiard[io]", r"pagliacci",
        r"imbecill[ie]", r"incapaci",
    )),
    # --- defective -----------------------------------------------------------------------
    ("defective", 1.5, True, (
        r"dies", r"died", r"dead", r"flicker\w*", r"noisy", r"strange noise", r"glitch\w*",
        r"overheat\w*", r"(goes|turns|shuts|switches) (itself )?off", r"unusable",
        r"no power", r"error (code|message)", r"(doesn'?t|does not|won'?t) hold", r"gerausch\w*",
        r"dreht sich nicht", r"geht (immer )?aus", r"schaltet sich ab", r"flacker\w*",
        r"unbrauchbar", r"halt nicht", r"ne tient pas", r"s'eteint", r"bruit", r"inutilisable",
        r"ne tourne pas", r"se apaga", r"ruido", r"no sirve", r"no aguanta", r"inservible",
        r"si spegne", r"rumor\w*", r"inutilizzabile", r"non tiene", r"non gira",
    )),
    # --- damaged_in_transit --------------------------------------------------------------
    ("damaged_in_transit", 1.5, True, (
        r"bent", r"wet", r"thrown", r"courier", r"eingedruckt", r"nass", r"verbogen", r"kurier",
        r"fissure\w*", r"transporteur", r"mojad[oa]", r"rajad[oa]", r"mensajero", r"crepat[oa]",
        r"incrinat[oa]", r"bagnat[oa]", r"corriere",
    )),
    # Packaging is named in praise too ("beautiful packaging"): alone it decides nothing.
    ("damaged_in_transit", 1.0, True, (
        r"packaging", r"verpackung", r"emballage", r"embalaje", r"imballaggio",
    )),
    # --- wrong_item ----------------------------------------------------------------------
    ("wrong_item", 3.0, False, (
        r"ordered [^.!?\n]{1,40}\b(and|but) (got|received|came|they sent)", r"not mine",
        r"nicht meins", r"(anderes|anderer|falsches) (produkt|artikel)",
        r"otr[oa] (producto|marca|modelo|color)", r"no (las|los|el|la|lo) que (compre|pedi)",
        r"autre (produit|article|modele|couleur)", r"un altro (prodotto|articolo|modello)",
        r"un'altra",
    )),
    # --- not_as_described ----------------------------------------------------------------
    ("not_as_described", 2.0, False, (
        r"anders als", r"ganz anders", r"nada que ver", r"nothing like",
        r"only \w+ (came|arrived|in the box)", r"missing (parts|pieces|piece)", r"fehlt",
        r"manque", r"falta", r"manca", r"barat[oa]", r"billig\w*", r"cheap(ly)?(?!\w)",
        r"(ad|advert|listing|picture|photo) (clearly )?(says|shows)", r"descripcion",
        r"beschreibung", r"description", r"descrizione",
        r"(photos?|pictures?|fotos?|bild(ern)?|immagin[ei])\b",
    )),
    # --- not_received --------------------------------------------------------------------
    ("not_received", 3.0, False, (
        r"(isn'?t|is not|not) here", r"sin llegar", r"sigue sin", r"still (isn'?t|is not|not)",
        r"pas encore (la|arrive)", r"ancora niente", r"immer noch nichts", r"noch nichts",
        r"rien recu", r"no ha llegado nada",
    )),
    # --- return_request ------------------------------------------------------------------
    ("return_request", 1.5, False, (
        r"retourn\w+", r"gefallt (mir )?nicht", r"(don'?t|do not) like", r"changed my mind",
        r"ne me plait pas", r"no me gusta", r"non mi piace", r"no longer need",
        r"(brauche|benotige) (es|ihn|sie) (doch )?nicht",
    )),
    # --- product_question ----------------------------------------------------------------
    ("product_question", 1.5, False, (
        r"¿[^?]{3,80}\?",
        r"(?:^|[.!?\n] ?)(se puede|puedo|peut-on|puis-je|si puo|posso|is there|are there|kann man)\b[^.!?\n]{3,80}\?",  # noqa: E501
    )),
    # --- feedback ------------------------------------------------------------------------
    ("feedback", 1.5, False, (
        r"ottim[oa]", r"(fast|quick) (shipping|delivery)", r"schnelle lieferung",
        r"livraison rapide", r"envio rapido", r"spedizione (veloce|rapida)", r"grazie mille",
        r"thanks a lot", r"works (great|perfectly|fine|well)",
    )),
    # --- damaged_in_transit --------------------------------------------------------------
    ("damaged_in_transit", 3.0, False, (
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
    ("damaged_in_transit", 1.5, True, (
        r"damaged", r"dented", r"crushed", r"cracked", r"scratched", r"beschadigt", r"zerbrochen",
        r"zerkratzt", r"endommage\w*", r"abime\w*", r"ecrase\w*", r"danad[oa]", r"rayad[oa]",
        r"danneggiat[oa]", r"graffiat[oa]", r"ammaccat[oa]",
    )),
    # --- defective -----------------------------------------------------------------------
    ("defective", 3.0, False, (
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
    ("defective", 1.0, True, (
        r"broken", r"broke", r"kaputt", r"casse\w*", r"roto|rota", r"rott[oa]",
    )),
    # --- wrong_item ----------------------------------------------------------------------
    ("wrong_item", 3.0, False, (
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
    ("size_fit", 3.0, False, (
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
    ("size_fit", 1.0, False, (
        r"\bsize\b", r"grosse", r"taille", r"talla", r"taglia",
    )),
    # --- not_as_described ----------------------------------------------------------------
    ("not_as_described", 3.0, False, (
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
    ("not_received", 3.0, False, (
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
    ("cancel_request", 3.0, False, (
        r"cancel\w*", r"(don'?t|do not|please don'?t) (ship|send)", r"stop the (order|shipment)",
        r"storn\w*", r"(nicht|bitte nicht) (versenden|verschicken|abschicken)", r"an?nul\w*",
        r"ne (pas )?(l')?(expedier|envoyer)", r"cancela\w*", r"no (lo )?(envien|enviar|manden)",
        r"annull\w*", r"cancell\w*", r"disdir\w*", r"non (spedite|spedire|inviate)",
    )),
    # --- return_request ------------------------------------------------------------------
    ("return_request", 2.0, False, (
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
    ("product_question", 2.0, False, (
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
    ("product_question", 1.5, False, (
        r"(?:^|[.!?\n] ?|\b(?:hi|hello|hallo|bonjour|hola|salve|buongiorno),? )(is|does|will|are|ist|passt|kann|hat|gibt es|funktioniert|geht|est-ce|existe|es|tiene|sirve|e|funziona|si puo)\b[^.!?\n]{3,80}\?",  # noqa: E501
    )),
    # --- not_received --------------------------------------------------------------------
    ("not_received", 1.5, False, (
        r"ordered \w+ (days|weeks) ago", r"bestellt vor \w+ (tagen|wochen)",
    )),
    # --- product_question ----------------------------------------------------------------
    ("product_question", 0.5, False, (
        r"\?",
    )),
    # --- feedback ------------------------------------------------------------------------
    ("feedback", 2.0, False, (
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
    # --- added after the simulator's independent templates (general vocabulary) ----------
    ("defective", 1.5, True, (
        r"chip(ped|s)?", r"cracks?", r"wobbl\w*", r"(right )?out of the box",
        r"missing (a |the |one )?(screw|part|piece|button|bolt)s?",
    )),
    ("product_question", 2.0, False, (
        r"how (do|can|should|would) (i|you|we) \w+", r"before (i|we) (buy|order)", r"any tips",
        r"(can|could) (the|it|this|they|these) [^.!?\n]{0,40}\bbe \w+",
        r"(?:[:;] ?)(is|does|will|are|can)\b[^.!?\n]{3,80}\?",
    )),
    # --- broader vocabulary, written from the domain (second round) -----------------------
    ("defective", 2.0, False, (
        r"keeps (turning off|shutting (off|down)|restarting|disconnecting|beeping|leaking)",
        r"shuts? (itself )?(down|off)", r"(burn(ing|t)|burned) smell", r"smok(e|es|ing)",
        r"sparks?", r"battery (dies|drains|does ?n[o']?t last|won'?t last)", r"dead pixels?",
        r"(screen|display) (is |stays |went |goes )?(black|blank|dark)",
        r"not (responding|spinning|cooling|pumping|working properly)",
        r"(doesn'?t|does not|won'?t|will not) (respond|open|close|lock|stay on|turn off|cool)",
        r"came apart", r"peel(s|ed|ing)( off)?", r"rattl\w*", r"buzz(es|ing)", r"squeak\w*",
        r"bleibt (schwarz|dunkel|aus|kalt)", r"schaltet (sich )?(\w+ )?(aus|ab)",
        r"geht (dann |sofort |einfach |immer )?aus", r"(riecht verbrannt|brandgeruch)",
        r"raucht", r"akku halt nicht", r"reagiert (nicht|nicht mehr)", r"kein ton",
        r"wackel\w*", r"klappert", r"quietscht", r"lost sich", r"ausgefallen", r"fehlerhaft",
        r"mangelhaft", r"ne repond (plus|pas)", r"s'arrete", r"s'eteint (tout seul|seule?)",
        r"odeur de brule", r"fume", r"ecran noir", r"batterie ne tient", r"gresille",
        r"se decolle", r"ne s'ouvre pas", r"ne se ferme pas", r"se apaga sol[oa]",
        r"pierde agua", r"olor a quemado", r"echa humo", r"pantalla negra", r"no responde",
        r"se para", r"bateria no dura", r"hace (un )?ruido", r"se despega",
        r"averiad[oa]", r"estropead[oa]", r"falla", r"si blocca", r"si ferma",
        r"si spegne da sol[oa]", r"odore di bruciato", r"fa fumo", r"schermo nero",
        r"non risponde", r"batteria non dura", r"si stacca", r"guast[oa]", r"non va",
    )),
    ("defective", 1.5, True, (r"defekt", r"defaut", r"defecto", r"difetto", r"perde")),
    ("damaged_in_transit", 2.0, False, (
        r"in pieces", r"squashed", r"sat on", r"broken glass", r"poorly packed",
        r"no (bubble wrap|padding|protection)", r"(packaging|box|parcel|package) "
        r"(was |is )?(damaged|torn|open(ed)?|ripped|wet|crushed|dented)",
        r"(broken|damaged|cracked|shattered|smashed) (when|on|upon) (it )?(arrived|arrival|"
        r"delivery|opening)", r"(at|on|upon) delivery",
        r"in einzelteilen", r"delle", r"scherben", r"(karton|paket|verpackung) (war |ist )?"
        r"(offen|kaputt|beschadigt|zerrissen|eingedruckt|nass)", r"schlecht verpackt",
        r"bei (der )?(lieferung|ankunft)",
        r"brise\w*", r"en morceaux", r"morceaux", r"cabosse\w*", r"a la livraison",
        r"mal emballe\w*", r"carton (ouvert|dechire|abime)", r"bosse",
        r"en pedazos", r"hecho pedazos", r"abollad[oa]", r"golpead[oa]", r"mal embalad[oa]",
        r"al recibirlo", r"en la entrega", r"caja abierta", r"cristales rotos",
        r"a pezzi", r"in frantumi", r"mal imballat\w*", r"alla consegna", r"scatola aperta",
        r"vetri rotti",
    )),
    ("wrong_item", 3.0, False, (
        r"(there'?s|there is|it'?s|it was|i got|i received) an? [^.!?\n]{1,30} "
        r"(in the (package|box|parcel)|instead)", r"(bought|ordered|paid for) [^.!?\n]{1,40}"
        r"(but|and) (there|it|i got|received|got|came)", r"this (isn'?t|is not) mine",
        r"different (brand|model|color|colour|item|product)", r"(someone else'?s|another) order",
        r"not the (one|item|product|model|color|colour|size) i (ordered|bought|chose|selected)",
        r"bestellt (habe|hatte) ich [^.!?\n]{1,40}(bekommen|geliefert|erhalten)",
        r"(geliefert|bekommen|erhalten) (habe ich|wurde|wurden) [^.!?\n]{1,40}statt",
        r"(anderes|falsches) modell", r"andere farbe", r"verwechselt",
        r"nicht (der|die|das) (bestellte|richtige)", r"falsch geliefert",
        r"j'ai commande [^.!?\n]{1,40}(et|mais) (j'ai recu|recu|il y a)",
        r"erreur de (commande|livraison|preparation)", r"confondu",
        r"(pedi|compre) [^.!?\n]{1,40}(y|pero) (me llego|llego|recibi|vino)",
        r"me (llego|llegaron) (otro|otra|un[oa]? \w+ distint)", r"no es el que (pedi|compre)",
        r"confundid[oa]", r"ho ordinato [^.!?\n]{1,40}(e|ma) (mi e arrivat|e arrivat|"
        r"ho ricevuto)", r"mi e arrivat[oa] (un altro|un'altra|il colore|la taglia)",
        r"scambiat[oa]",
    )),
    ("size_fit", 2.5, False, (
        r"(super|very|way|really|a bit|too|so|quite) (tight|snug|small|big|large|loose|baggy|"
        r"short|long)", r"can'?t (get (it|them) on|zip|button|close it|breathe)", r"sizing",
        r"size chart", r"half a size", r"fits? (small|large|big|tight|snug)",
        r"(etwas |viel |ein bisschen )?zu (eng|klein|gross|weit|kurz|lang)", r"spannt",
        r"drueckt|druckt", r"grossentabelle", r"fallt (\w+ )?(klein|gross|eng) aus",
        r"nummer (grosser|kleiner)", r"eine grosse (grosser|kleiner)",
        r"trop (serre|juste|etroit|large|grand|petit)e?s?", r"serre", r"guide des tailles",
        r"pointure", r"une taille (au-dessus|en dessous|plus grande|plus petite)",
        r"(me )?aprieta\w*", r"ajustad[oa]", r"holgad[oa]", r"(un|una) (numero|talla) (mas|menos)",
        r"guia de tallas", r"me viene (pequen|grande|justo)\w*",
        r"stringe", r"strett[oa]", r"(un|una) (numero|taglia) in (piu|meno)",
        r"tabella (delle )?taglie", r"calza (piccol|grand)\w*",
    )),
    ("size_fit", 1.0, True, (r"tight", r"snug", r"baggy", r"loose", r"eng", r"weit")),
    ("not_as_described", 2.5, False, (
        r"(advertised|listed|described|sold|marketed) as", r"(says|said|claims?) [^.!?\n]{0,30}but",
        r"(ad|listing|title|description|page) (says|said|claims|states|stated)",
        r"rust(s|ing|ed|y)?", r"not (real|genuine|original|authentic|leather|wood|steel|cotton)",
        r"veneer", r"particle ?board", r"(thin|flimsy|cheap) (material|plastic|fabric)",
        r"(much |way )?smaller than (expected|i expected)", r"different (material|colou?r) than",
        r"beschrieben als", r"angegeben (als|mit|sind|ist|war)", r"laut (angebot|"
        r"artikelbeschreibung|produktbeschreibung)", r"kein echte[sr]?", r"nicht echt",
        r"billiges plastik", r"rostet", r"viel kleiner als", r"passen (aber )?nur",
        r"(annonce|description|fiche) (dit|indique|precise|mentionne)", r"dans l'annonce",
        r"rouill\w*", r"pas (du vrai|authentique)", r"plus petit que", r"plastique bon marche",
        r"(anuncio|descripcion) (dice|pone|indica)", r"en el anuncio", r"oxid\w*",
        r"no es (de )?(cuero|madera|acero|original)", r"mas pequen[oa] de lo",
        r"(annuncio|descrizione) (dice|indica|riporta)", r"nell'annuncio", r"arrugginit\w*",
        r"ruggine", r"non e (vera|vero|originale)", r"piu piccol[oa] di quanto",
        r"plastica scadente",
    )),
    ("not_received", 2.5, False, (
        r"(no|any) sign of (it|my|the)", r"(expected|estimated|scheduled) (delivery|arrival)",
        r"(should|was supposed to|were supposed to) (have )?(arrive|arrived|be here|come)",
        r"overdue", r"delayed", r"in transit (for|since)", r"stuck in", r"hasn'?t moved",
        r"(haven'?t|have not|didn'?t|did not) (got(ten)?|get) (it|my|the|anything)",
        r"(carrier|courier|driver|ups|fedex|usps|dhl) (says|claims|marked|left)",
        r"nothing (arrived|came|was delivered)",
        r"(bis heute|immer noch|noch immer) nicht", r"liefertermin", r"verspatet",
        r"uberfallig", r"(zusteller|dhl|hermes|dpd|gls|post) (sagt|behauptet|hat)",
        r"kein paket", r"nichts (angekommen|bekommen|erhalten)",
        r"livraison prevue", r"en retard", r"toujours rien", r"livreur",
        r"(colissimo|chronopost|la poste) (dit|indique)", r"(pas|jamais) eu",
        r"(lleva|llevo) [^.!?\n]{0,20}(esperando|en camino)", r"en camino", r"retrasad[oa]",
        r"fecha de entrega", r"repartidor", r"no tengo nada", r"sin noticias",
        r"in ritardo", r"data di consegna", r"non ho (ricevuto )?niente",
        r"(dice|risulta) (di )?(averlo )?consegnat\w*", r"ancora in transito",
    )),
    ("not_received", 1.0, True, (r"late", r"retraso", r"ritardo", r"retard")),
    ("return_request", 1.5, False, (
        r"unopened", r"unused", r"(can|could|may) i (return|send)", r"return (window|policy)",
        r"no longer (want|need)", r"(don'?t|do not) (want|need) (it|them|this)",
        r"zuruckgeben", r"widerruf\w*", r"ungeoffnet", r"ungenutzt",
        r"nicht mehr (benotigt|gebraucht)", r"retractation", r"(ne )?(me )?convient pas",
        r"non ouvert", r"jamais utilise", r"plus besoin", r"change d'avis",
        r"arrepenti\w*", r"sin abrir", r"sin usar", r"ya no (lo|la) (necesito|quiero)",
        r"cambiado de opinion", r"desistimiento", r"rendere", r"recesso", r"ripensamento",
        r"ho cambiato idea", r"non mi serve piu", r"non (lo|la) voglio piu",
    )),
    ("cancel_request", 2.0, False, (
        r"(ordered|placed (the|my|this) order) twice", r"duplicate order",
        r"(stop|halt|hold) (the )?(order|shipment|delivery)",
        r"(nicht mehr|bitte nicht|nicht) (verschicken|versenden|senden|liefern|abschicken)",
        r"doppelt bestellt", r"commande deux fois", r"ne pas (envoyer|expedier)",
        r"n'envoyez pas", r"pedido duplicado", r"ordinato due volte",
    )),
    ("cancel_request", 1.5, False, (
        r"by (mistake|accident)", r"versehentlich", r"aus versehen", r"par erreur",
        r"por error", r"per errore",
    )),
    ("product_question", 2.0, False, (
        r"(?:^|[.!?\n:] ?|\b(?:hi|hello|hallo|bonjour|hola|salve|buongiorno),? )(what|which|"
        r"how much|how many|how long|how big|how heavy|where|welche[rsn]?|wie viel|wieviel|"
        r"wie lange|wie gross|quel(le)?s?|combien|cuant[oa]s?|cual|que|quant[oi]|quale|"
        r"qual e)\b[^.!?\n]{2,80}\?",
        r"(?:^|[.!?\n:] ?|\b(?:hi|hello|hallo|bonjour|hola|salve|buongiorno),? )(is|are|ist|"
        r"sind|hat|haben|lasst sich|est|sont|puede|puedo|es|son|e|sono)\b[^.!?\n]{2,60}\?",
        r"removable", r"washable", r"waterproof", r"dishwasher", r"warranty",
        r"does (it|this|the \w+) come", r"do you know", r"enthalten", r"inklusive",
        r"wasserdicht", r"spulmaschinenfest", r"inclus", r"etanche", r"lavable",
        r"incluid[oa]", r"impermeable", r"incluso", r"impermeabile", r"lavabile",
    )),
    ("feedback", 2.0, False, (
        r"(absolutely |really )?love (the|my|this|it|them)", r"thrilled", r"delighted",
        r"\d+ ?/ ?10", r"five stars", r"(highly )?recommend", r"great seller", r"awesome",
        r"(happy|pleased) with", r"alles (bestens|super|top|gut)", r"gerne wieder",
        r"top (verkaufer|produkt|service)", r"empfehle\w*", r"begeistert", r"ravie?",
        r"je recommande", r"au top", r"nickel", r"encantad[oa]", r"lo recomiendo",
        r"todo perfecto", r"soddisfatt\w*", r"(lo )?consiglio", r"tutto perfetto",
    )),
    ("abusive", 3.0, False, (
        r"disgusting", r"cheats?", r"cheaters?", r"rip-?off", r"ripped me off",
        r"go bankrupt", r"hope you (go|die|rot)", r"screw you", r"dumb", r"vollpfosten",
        r"penner", r"halsabschneider", r"gauner", r"wichser", r"unfahig\w*", r"bescheuert",
        r"minables?", r"honte a vous", r"degueulasse", r"salauds?", r"bande de",
        r"timador\w*", r"cabrones", r"gilipollas", r"que asco", r"imbroglion\w*",
        r"schifos\w*", r"che schifo", r"cretini", r"stronz\w*",
    )),
    ("abusive", 1.0, False, (r"worst (seller|company|service) ever", r"vergogna", r"verguenza")),
    # Threats of showing up or of harm, and vulgar insults without a listed noun.
    ("abusive", 3.0, False, (
        r"i know where you (live|are|work)", r"(coming|come|drive) (down |over |round )?to your "
        r"(office|warehouse|house|home|shop|store)", r"or else(?= *[.!]*(\n|$))",
        r"(up|kiss) (your|my) ass",
        r"piss off", r"bullshit", r"scumbags?", r"ich weiss,? wo (ihr|du|sie) wohn\w*",
        r"je sais ou (vous|tu) habit\w*", r"se donde (vives|vivis)", r"so dove (abit|viv)\w*",
    )),
]
# fmt: on
