"""Spanish templates (see lang_en.py). {p} with article, {o} the agreement (o/a), {lo} lo/la."""


# fmt: off
def _m(noun: str) -> dict[str, str]:
    return {"p": f"el {noun}", "o": "o", "lo": "lo", "un": "uno"}


def _f(noun: str) -> dict[str, str]:
    return {"p": f"la {noun}", "o": "a", "lo": "la", "un": "una"}


PRODUCTS = [
    _m("hervidor"), _f("batidora"), _f("lámpara"), _m("cargador"), _m("molinillo de café"),
    _m("prensaajos"), _m("altavoz"), _m("secador"), _f("mochila"), _f("tostadora"),
    _m("taladro"), _f("funda del móvil"), _f("aspiradora"), _m("teclado"), _f("botella"),
    _f("batería externa"),
]
CLOTHES = [
    _f("chaqueta"), _m("vestido"), _m("jersey"), _m("pantalón"), _m("abrigo"), _f("camisa"),
    _f("zapatilla"), _f("sudadera"),
]
SIZES = ["S", "M", "L", "XL", "38", "40", "42", "44"]
COLORS = ["negro", "azul", "rojo", "gris", "blanco", "verde"]
CARRIERS = ["Correos", "SEUR", "MRW", "el repartidor", "GLS", "Nacex"]

INTENTS = {
    "defective": {
        "train": [
            "{P} no hace lo que debería, la cuchilla apenas gira",
            "{P} ya no muele bien, gira en vacío",
            "{P} dejó de funcionar a los {days} días.",
            "{P} no enciende, he probado con varios enchufes.",
            "el botón de {p} se rompió la primera vez que lo usé",
            "{P} hace un ruido horrible y luego se apaga sol{o}.",
            "{P} es defectuos{o}, no carga.",
            "Genial, {p} murió al día {days}. Qué calidad.",
            "{P} gotea por todas partes",
            "La caja llegó perfecta, nada dañado, pero {p} no funciona",
            "{P} se calienta tanto que no se puede tocar",
            "el cacharro se estropeó al tercer día",
        ],
        "blind": [
            "{P} ha cascado tras apenas {days} días de uso normal.",
            "Lo usé dos veces y el motor de {p} ya se ha quemado.",
            "{P} se corta cada pocos minutos, parece un falso contacto",
            "Desde ayer {p} no da señales de vida, ni una luz",
        ],
        "safety_train": [
            "{P} echó chispas y empezó a salir humo al enchufarl{o}!",
            "{P} se calentó tanto que me quemé la mano.",
            "Me dio una descarga eléctrica {p}, es peligroso.",
        ],
        "safety_blind": [
            "{P} se prendió fuego en la encimera, tuvimos que apagarlo.",
            "Mi hijo se cortó con un borde afilado de {p} y le dieron puntos",
        ],
        "wants": ["refund", "replacement", "return", "info"],
    },
    "damaged_in_transit": {
        "train": [
            "{P} llegó dañad{o}, la caja estaba totalmente aplastada.",
            "El paquete llegó mojado y {p} está rajad{o}.",
            "{P} llegó rot{o}, {carrier} debió de tirar el paquete.",
            "paquete abierto y roto al llegar, {p} está abollad{o}",
            "al abrir la caja {p} estaba hech{o} pedazos",
        ],
        "blind": [
            "La caja parecía pisoteada y {p} está doblad{o}.",
            "Ya sonaba a cristales antes de abrir, {p} venía en trozos",
            "el transporte {lo} ha destrozado, tiene una grieta enorme delante",
        ],
        "wants": ["refund", "replacement", "return"],
    },
    "wrong_item": {
        "train": [
            "Pedí {p} en {color} y me llegó en {color2}.",
            "Me han enviado el artículo equivocado, no es lo que pedí.",
            "Recibí otro producto en lugar de {p}.",
            "Pedí la talla {size} y me mandaron la {size2}.",
            "esto no es mío, es el pedido de otra persona",
        ],
        "blind": [
            "La etiqueta pone un artículo totalmente distinto al de mi pedido.",
            "En vez de {p} venía un paquete de pilas, se han confundido en el almacén.",
            "Se han liado con mi pedido, esto no tiene nada que ver",
        ],
        "wants": ["replacement", "refund", "return", "exchange"],
    },
    "size_fit": {
        "clothes": True,
        "train": [
            "{P} me queda pequeñ{o}, normalmente uso la {size}.",
            "{P} no me vale, me equivoqué de talla.",
            "Pedí una M pero me queda demasiado ajustad{o}.",
            "no está rot{o}, simplemente no me queda bien",
            "{P} es demasiado grande, me sobra por todos lados",
            "las mangas son cortas y aprieta en los hombros",
        ],
        "blind": [
            "Una pena, {p} me queda justit{o} de cintura, tenía que haber cogido una más",
            "Siempre uso la {size} y esta parece de niño",
            "Bonit{o} pero enorme, la guía de tallas no cuadra",
        ],
        "wants": ["exchange", "refund", "return", "info"],
    },
    "not_as_described": {
        "train": [
            "Los agujeros de {p} son demasiado pequeños, no pasa nada",
            "El cable es demasiado corto comparado con las fotos",
            "{P} no se parece en nada a las fotos del anuncio.",
            "El anuncio dice acero inoxidable pero {p} es de plástico barato.",
            "{P} es mucho más pequeñ{o} de lo que pone en la descripción.",
            "La descripción dice que incluye funda pero solo venía {p}.",
            "se vende como impermeable y le entró agua a la primera",
        ],
        "blind": [
            "La ficha promete 20 horas de batería y {p} aguanta 3 como mucho.",
            "Lo que ha llegado es endeble, nada que ver con lo que se ve en la web",
            "la 'madera' es una pegatina sobre aglomerado, es engañoso",
        ],
        "wants": ["refund", "return", "replacement"],
    },
    "not_received": {
        "train": [
            "Mi pedido todavía no ha llegado y tenía que haber llegado hace {days} días.",
            "El seguimiento dice entregado pero aquí no hay nada.",
            "¿Dónde está mi paquete? Lleva una semana parado.",
            "{carrier} dice que lo entregó, yo no he recibido nada.",
            "sigo esperando {p}, ni rastro",
        ],
        "blind": [
            "El seguimiento no se mueve desde hace {days} días, está en la delegación.",
            "Los vecinos tampoco tienen nada y pone que se entregó.",
            "Ya van más de dos semanas, ¿dónde está mi pedido?",
        ],
        "wants": ["info", "refund", "replacement", "cancel"],
    },
    "return_request": {
        "train": [
            "He cambiado de opinión y quiero devolver {p}.",
            "[return]¿Cómo hago la devolución? Está sin abrir.",
            "Ya no necesito {p}, ¿puedo devolverl{o}?",
            "No me gusta, quiero devolverlo.",
        ],
        "blind": [
            "A {p} no le pasa nada, simplemente no es para mí. ¿Cómo lo devuelvo?",
            "Sigue precintado, sin usar, preferiría devolverlo",
        ],
        "wants": ["return", "refund", "info"],
    },
    "cancel_request": {
        "train": [
            "Por favor cancelen mi pedido, me he equivocado.",
            "He hecho el pedido dos veces por error, ¿pueden cancelar uno?",
            "Cancelen el pedido, ya no lo necesito.",
            "No lo envíen, lo pedí por error.",
        ],
        "blind": [
            "¿Todavía se puede anular el pedido? Aún no ha salido.",
            "Le di a comprar sin querer desde el móvil, no lo manden",
        ],
        "wants": ["cancel"],
    },
    "product_question": {
        "train": [
            "¿{P} se puede meter en el lavavajillas?",
            "¿Cuánto dura la batería?",
            "¿Cuánto tiempo tiene de garantía?",
            "¿Qué talla me recomiendan si mido 1,80?",
            "¿Venden recambios por separado?",
        ],
        "blind": [
            "Antes de comprar: ¿{p} funciona en Reino Unido sin adaptador?",
            "Una pregunta, ¿de qué material está hech{o} {p}?",
            "Me gustaría saber si {p} se puede colgar en la pared",
        ],
        "wants": ["info"],
    },
    "feedback": {
        "train": [
            "Muchas gracias, {p} es perfect{o}.",
            "Envío rápido y todo perfecto, muy content{o}.",
            "Vendedor de diez, lo recomiendo.",
        ],
        "blind": [
            "{P} llegó un día antes y a mi mujer le encanta, ¡gracias!",
            "Tal cual las fotos, genial",
        ],
        "wants": ["nothing"],
    },
    "abusive": {
        "train": [
            "[refund]Sois unos ladrones, me habéis mandado basura, devolvedme el dinero.",
            "Esto es una estafa, sois unos sinvergüenzas y os voy a denunciar.",
            "Panda de inútiles, os vais a arrepentir.",
        ],
        "blind": [
            "Sois unos timadores, ojalá cerréis la tienda.",
            "Pagadme hoy o os hago la vida imposible, lo digo en serio.",
        ],
        "wants": ["refund", "other"],
    },
    "other": {
        "train": [
            "Hola, ¿me pueden llamar?",
            "Tengo una duda sobre mi factura.",
            "¿Me pueden enviar una factura con IVA?",
        ],
        "blind": [
            "Necesito un justificante a nombre de mi empresa.",
            "Perdón, este correo no era para ustedes",
        ],
        "wants": ["other", "info"],
    },
}

WISHES = {
    "refund": {"train": ["Quiero que me devuelvan el dinero.", "Quiero un reembolso."],
               "blind": ["Devuélvanme el importe, por favor."]},
    "replacement": {"train": ["Envíenme otro, por favor.", "¿Me pueden mandar uno nuevo?"],
                    "blind": ["Preferiría una unidad que funcione."]},
    "exchange": {"train": ["¿Puedo cambiarlo por una {size2}?", "¿Me pueden enviar la talla correcta?"],
                 "blind": ["¿Se puede cambiar por una talla más?"]},
    "return": {"train": ["Quiero devolverlo.", "¿Cómo lo devuelvo?"],
               "blind": ["Mándenme una etiqueta de devolución."]},
    "info": {"train": ["¿Qué puedo hacer?", "¿Qué opciones tengo?"],
             "blind": ["¿Cómo lo solucionamos?"]},
    "cancel": {"train": ["Cancelen el pedido, por favor."], "blind": ["Anúlenlo todo entonces."]},
}
PHOTO = {"train": ["Adjunto foto.", "Les mando fotos si hace falta."],
         "blind": ["Ver la imagen adjunta."]}
OPENERS = {"train": ["Hola,", "Buenas,", "Buenos días,", ""], "blind": ["Buenas tardes,", "Estimados,"]}
CLOSERS = {"train": ["Gracias.", "Un saludo", "Saludos, M. García"], "blind": ["Atentamente", "Gracias de antemano"]}
FILLERS = {
    "train": ["Lo compré para el cumpleaños de mi madre.",
              "Llevo años comprando aquí sin problemas."],
    "blind": ["Lo uso a diario en el taller, así que me importa."],
}
# fmt: on

# fmt: off
# Más formulaciones de entrenamiento (nunca copiadas de las listas blind).
EXTRA_TRAIN = {
    "defective": [
        "¡Se ha roto!",
        "Roto a los {days} días.",
        "ya no funciona",
        "no sé qué ha pasado pero {p} no da ninguna señal desde hace {days} días",
        "{P} funcionó una semana y ahora solo parpadea una luz roja.",
        "Increíble, {days} días ha durado. Vaya calidad.",
        "La batería de {p} no aguanta ni diez minutos",
        "Un botón se ha quedado atascado y {p} ya no cambia de modo",
    ],
    "damaged_in_transit": [
        "¡Llegó roto!",
        "El repartidor ha dejado caer el paquete, {p} tiene un golpe",
        "La caja llegó aplastada y empapada, {p} está todo rayado",
        "{P} llegó con una esquina rota, el embalaje venía rasgado",
    ],
    "wrong_item": [
        "Color equivocado, elegí {color} y me ha llegado en {color2}",
        "En la caja hay un modelo totalmente distinto al que pedí",
        "Me habéis mandado la {size2} y pedí la {size}",
    ],
    "size_fit": [
        "¡Muy pequeño!",
        "La calidad está bien, pero me aprieta mucho en el pecho",
        "{P} es bonit{o} pero talla muy pequeño, necesitaría una talla más",
        "Uso la {size} y {p} me queda enorme",
        "No me sienta bien, las perneras son demasiado cortas",
    ],
    "not_as_described": [
        "No se parece nada a las fotos, el color es apagado y la tela fina",
        "Se vende como madera maciza y es plástico imitación madera",
        "Faltan la mitad de los accesorios que salen en el anuncio",
    ],
    "not_received": [
        "Nunca llegó.",
        "Mi paquete nunca llegó, el seguimiento lleva una semana parado.",
        "Sigue sin entregarse, pone en tránsito desde hace {days} días",
        "{carrier} dice que lo dejó en lugar seguro, no hay nada",
    ],
    "return_request": [
        "Compré dos por error, ¿puedo devolver uno? Está precintado.",
        "Funciona bien pero no es lo que necesito, quiero devolverlo.",
        "Estoy dentro de los 30 días y quiero devolver {p}, sin usar",
    ],
    "cancel_request": [
        "Necesito cancelar este pedido antes de que lo envíen",
        "Puse mal la dirección, cancelen el pedido y lo vuelvo a hacer",
    ],
    "product_question": [
        "¿Tienen {p} en {color}?",
        "¿Está disponible en la talla {size}?",
        "¿Cuándo vuelve a haber stock?",
        "¿{P} incluye pilas o hay que comprarlas aparte?",
        "¿Qué diferencia hay entre este modelo y la versión pro?",
        "¿Se puede usar {p} fuera cuando llueve?",
    ],
    "feedback": [
        "¡Perfecto, gracias!",
        "Todo llegó rapidísimo y {p} es justo lo que quería. ¡Gracias!",
        "Servicio estupendo, mil gracias 🙂",
    ],
    "abusive": [
        "Sois unos estafadores, devolvedme el dinero o lo cuento en todas partes",
        "Idiotas incompetentes, ojalá quebréis.",
    ],
    "other": [
        "¿Pueden poner el nombre de mi empresa en la factura?",
        "¿Abren en festivos?",
        "¿Me pueden llamar el lunes?",
    ],
}
EXTRA_WISHES = {
    "refund": ["Reembólsenme, por favor.", "Quiero recuperar mi dinero."],
    "replacement": ["Sustitúyanlo por uno nuevo, por favor.", "Mándenme uno que funcione."],
    "exchange": ["¿Lo puedo cambiar por la talla correcta?", "Quisiera cambiarlo por otro color."],
    "return": ["Quiero hacer la devolución.", "Envíenme la etiqueta de devolución."],
    "info": ["¿Qué me recomiendan?", "Díganme cómo seguimos."],
    "cancel": ["Cancelen todo, por favor."],
}
EXTRA_OPENERS = ["Hola de nuevo,", "Buenas noches,", "Hola equipo,"]
EXTRA_CLOSERS = ["Gracias por la ayuda.", "Saludos cordiales", "Un abrazo"]
EXTRA_FILLERS = [
    "Era un regalo para mi hija.",
    "He tenido mucho lío en el trabajo, perdón por el retraso.",
]
# fmt: on
