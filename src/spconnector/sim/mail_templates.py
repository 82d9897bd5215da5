"""The buyer mail the simulator writes: what each message is about, in which language, for
which kind of order, and the buyer's words (relay_mail.py turns them into MIME)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailTemplate:
    key: str  # what the mail is about (tests and the demo look for these)
    lang: str
    need: str  # which order fits: delivered, apparel, custom, final_sale, unshipped,
    # in_transit, fragile, lifetime, high_value, none (pre-sale)
    kind: str  # inquiry, return_request, refund_notice, a_to_z_claim, feedback_notice
    words: str
    photo: bool = False


TEMPLATES: tuple[MailTemplate, ...] = (
    MailTemplate("defect", "en", "delivered", "inquiry",
                 "Hi, the item I received has a crack in the handle and it snapped the "
                 "first time I used it. I attached a photo. What can you do?", True),
    MailTemplate("defect", "en", "delivered", "inquiry",
                 "The item stopped working after two days. Can I get a replacement or a refund?"),
    MailTemplate("defect", "en", "high_value", "inquiry",
                 "The knife arrived with a chipped tip right out of the box. Photo attached. "
                 "For this price I expected better.", True),
    MailTemplate("defect", "en", "delivered", "inquiry",
                 "Hello, one of the parts is missing a screw and it wobbles. Is there a fix?"),
    MailTemplate("defect", "en", "lifetime", "inquiry",
                 "My skillet has a crack along the bottom after normal use on the stove. "
                 "It says lifetime guarantee on the listing. How do I claim it?", True),
    MailTemplate("damaged_in_transit", "en", "fragile", "inquiry",
                 "The box arrived crushed and the glass carafe was shattered inside. "
                 "Pictures attached.", True),
    MailTemplate("damaged_in_transit", "en", "delivered", "inquiry",
                 "Package came completely soaked and the item is dented. Not happy."),
    MailTemplate("damaged_in_transit", "en", "delivered", "inquiry",
                 "The carrier clearly dropped this, the corner is smashed and it rattles."),
    MailTemplate("size_fit", "en", "apparel", "inquiry",
                 "It runs small, it fits like one size down. "
                 "Can I exchange it for the next size up?"),
    MailTemplate("size_fit", "en", "apparel", "inquiry",
                 "Way too big, the sleeves go past my fingers. Do you have a smaller size?"),
    MailTemplate("size_fit", "en", "apparel", "return_request",
                 "Wrong size for me, I would like to return it."),
    MailTemplate("normal_wear", "en", "apparel", "inquiry",
                 "The shirt is full of wrinkles after one wash, and it looks a bit faded. "
                 "Is that normal? I expected it to stay crisp."),
    MailTemplate("normal_wear", "en", "apparel", "inquiry",
                 "After a few weeks of wearing it there is pilling under the arms."),
    MailTemplate("custom_item", "en", "custom", "inquiry",
                 "The engraving on my cutting board says 'The Millers' but I actually wanted "
                 "'The Muellers'. I know I typed it, but can you redo it for free?"),
    MailTemplate("final_sale", "en", "final_sale", "return_request",
                 "I don't need the timer anymore, I want to send it back for a full refund."),
    MailTemplate("abusive", "en", "delivered", "inquiry",
                 "This is GARBAGE and you are a bunch of scammers. Refund me NOW or I will "
                 "report you to Amazon and leave one star everywhere, you idiots."),
    MailTemplate("product_question", "en", "none", "inquiry",
                 "Hi, before I buy: is the mandoline dishwasher safe, and does the {{size}} "
                 "blade come included? <b>Need it by Friday</b>."),
    MailTemplate("product_question", "en", "delivered", "inquiry",
                 "How do I season the skillet before the first use? Any tips?"),
    MailTemplate("not_received", "en", "in_transit", "inquiry",
                 "Tracking has not moved in 5 days. Where is my package?"),
    MailTemplate("not_received", "en", "in_transit", "inquiry",
                 "It says delivered but there is nothing at my door or with my neighbours."),
    MailTemplate("not_received", "en", "in_transit", "a_to_z_claim",
                 "Never received my order and the seller did not answer."),
    MailTemplate("wrong_item", "en", "delivered", "inquiry",
                 "This is not what I ordered, the box has a completely different product in it."),
    MailTemplate("wrong_item", "en", "delivered", "return_request",
                 "Wrong item was shipped to me."),
    MailTemplate("not_as_described", "en", "delivered", "inquiry",
                 "The listing says stainless steel but the inside is clearly plastic."),
    MailTemplate("not_as_described", "en", "delivered", "return_request",
                 "Color is nothing like the pictures, it is grey not blue."),
    MailTemplate("cancel_request", "en", "unshipped", "inquiry",
                 "Please cancel my order, I bought it by mistake."),
    MailTemplate("cancel_request", "en", "unshipped", "inquiry",
                 "Can you change my order to size L before it ships? Otherwise cancel it."),
    MailTemplate("refund_notice", "en", "delivered", "refund_notice",
                 "Refund requested by the buyer: item arrived damaged."),
    MailTemplate("feedback_notice", "en", "delivered", "feedback_notice",
                 "Rating: 2 out of 5. Comments: Took too long and the box was damaged."),
    MailTemplate("thanks", "en", "delivered", "inquiry",
                 "Just wanted to say thanks, the scale works great!"),
    MailTemplate("defect", "de", "delivered", "inquiry",
                 "Hallo, das Gerät ist nach zwei Tagen kaputt gegangen. Bitte um Ersatz oder "
                 "Erstattung. Foto anbei.", True),
    MailTemplate("damaged_in_transit", "de", "fragile", "inquiry",
                 "Die Glaskanne kam zerbrochen an, der Karton war völlig eingedrückt."),
    MailTemplate("size_fit", "de", "apparel", "inquiry",
                 "Das T-Shirt ist leider zu klein. Kann ich es gegen Größe L umtauschen?"),
    MailTemplate("not_received", "fr", "in_transit", "inquiry",
                 "Bonjour, je n'ai toujours pas reçu ma commande. Pouvez-vous vérifier ?"),
    MailTemplate("defect", "fr", "delivered", "inquiry",
                 "Le produit ne fonctionne plus après une semaine. Que faire ?"),
    MailTemplate("size_fit", "es", "apparel", "inquiry",
                 "Hola, la talla es demasiado grande. ¿Puedo cambiarla por una más pequeña?"),
    MailTemplate("damaged_in_transit", "es", "delivered", "inquiry",
                 "El paquete llegó roto y el producto está dañado."),
    MailTemplate("wrong_item", "it", "delivered", "inquiry",
                 "Buongiorno, ho ricevuto un articolo diverso da quello ordinato."),
    MailTemplate("defect", "it", "delivered", "inquiry",
                 "Il prodotto è difettoso, si è rotto al primo utilizzo."),
    MailTemplate("product_question", "en", "unshipped", "inquiry",
                 "Can the board be engraved on both sides? I just ordered one."),
)  # fmt: skip
