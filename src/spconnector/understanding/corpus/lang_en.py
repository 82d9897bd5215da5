"""English templates. Each intent has `train` and `blind` problem sentences written apart, so
the blind score measures generalization, not template recall. Placeholders: {p} the product
with its article, {it} its pronoun, {days}, {size}, {size2}, {color}, {color2}, {carrier}."""

# fmt: off
PRODUCTS = [
    {"p": "the kettle"}, {"p": "the blender"}, {"p": "the lamp"}, {"p": "the charger"},
    {"p": "the coffee grinder"}, {"p": "the garlic press"}, {"p": "the speaker"},
    {"p": "the hair dryer"}, {"p": "the backpack"}, {"p": "the toaster"}, {"p": "the drill"},
    {"p": "the phone case"}, {"p": "the vacuum"}, {"p": "the keyboard"}, {"p": "the mixer"},
    {"p": "the water bottle"}, {"p": "the desk lamp"}, {"p": "the power bank"},
]
CLOTHES = [
    {"p": "the jacket"}, {"p": "the dress"}, {"p": "the sneakers"}, {"p": "the hoodie"},
    {"p": "the jeans"}, {"p": "the boots"}, {"p": "the shirt"}, {"p": "the coat"},
]
SIZES = ["S", "M", "L", "XL", "medium", "large", "small", "size 8", "size 10", "42", "38"]
COLORS = ["black", "blue", "red", "grey", "white", "green", "pink"]
CARRIERS = ["UPS", "USPS", "FedEx", "DHL", "the courier", "Royal Mail", "Evri"]

INTENTS = {
    "defective": {
        "train": [
            "{p} doesn't do what it should, the blade barely turns",
            "{p} doesn't grind like it should anymore, it just spins",
            "the lid of {p} doesn't close like it should and it won't heat",
            "{p} stopped working after {days} days.",
            "{p} doesn't turn on anymore, I tried different outlets.",
            "the button on {p} broke off the first time I used it",
            "{p} makes a horrible grinding noise and then just shuts off.",
            "the product just broke in my hands",
            "{p} won't charge, the light doesnt even come on",
            "{p} is faulty, it keeps switching itself off after a minute.",
            "Great, {p} died on day {days}. Really impressive quality.",
            "{p} leaks everywhere whenever I use it",
            "the box was fine, not damaged at all, but {p} simply does not work",
            "I've had {p} for {days} days and it already quit on me",
            "{p} works for a few seconds then nothing. totally dead now",
            "the thing conked out on the second evening",
            "the handle snapped clean off while I was using it",
            "{p} overheats so badly I can't touch it after five minutes",
            "the screen of {p} flickers constantly and now it's black",
        ],
        "blind": [
            "{p} packed in after barely {days} days of normal use",
            "Since yesterday {p} is completely lifeless, no lights, nothing.",
            "Used {p} twice and the motor is already burnt out.",
            "Pretty sure {p} is a dud, it cuts out every few minutes.",
            "the switch on {p} is loose and it only works if I hold it down",
            "{p} gave out on me this morning. {days} days old!",
            "It broke. Just like that, on day {days}.",
        ],
        "safety_train": [
            "{p} started smoking and sparked when I plugged it in!",
            "{p} got so hot it melted the plastic and burned my hand.",
            "I got an electric shock from {p}, this is dangerous.",
        ],
        "safety_blind": [
            "{p} caught fire on my counter, we had to use the extinguisher.",
            "my son cut his finger on a sharp edge inside {p}, he needed stitches",
        ],
        "wants": ["refund", "replacement", "return", "info"],
    },
    "damaged_in_transit": {
        "train": [
            "{p} arrived damaged, the box was completely crushed.",
            "The parcel was soaking wet and {p} inside is cracked.",
            "{p} came in pieces, looks like {carrier} threw the package around.",
            "the package was ripped open when it arrived and {p} is dented",
            "{p} was broken on arrival, the glass is shattered",
            "Box was torn and {p} has a big scratch and a dent on the side.",
            "opened the parcel and {p} was smashed, the packaging was useless",
            "{carrier} must have dropped it, {p} came cracked.",
        ],
        "blind": [
            "Unboxed {p} today, the corner is caved in and the lid snapped in transit.",
            "The delivery guy left a squashed box and {p} inside is bent out of shape.",
            "Arrived with the outer carton split open and {p} chipped all along one edge.",
            "you could hear rattling before I even opened it, {p} was in bits",
            "shipping wrecked it, {p} has a huge crack right across the front",
        ],
        "wants": ["refund", "replacement", "return"],
    },
    "wrong_item": {
        "train": [
            "I ordered {p} in {color} but got a {color2} one.",
            "You sent me the wrong item, this isn't what I ordered at all.",
            "I received a completely different product, not {p} I paid for.",
            "Wrong model in the box, I ordered the bigger version of {p}.",
            "the package had someone else's order in it, not mine",
            "I ordered size {size} and you sent {size2}.",
            "Instead of {p} there was a phone charger in the box??",
        ],
        "blind": [
            "This is not the item on my order, the label says something else entirely.",
            "What arrived is a {color2} one, my order clearly says {color}.",
            "Got a pack of batteries instead of {p}, looks like a mix-up in your warehouse.",
            "the part number on what I got doesn't match what I bought",
            "you've mixed up my order, this is a totally different thing",
        ],
        "wants": ["replacement", "refund", "return", "exchange"],
    },
    "size_fit": {
        "clothes": True,
        "train": [
            "{p} is too small, I normally wear {size}.",
            "My mistake, I picked the wrong size and it doesn't fit.",
            "I ordered a large but it's too tight on me.",
            "{p} runs really small, can't even zip it up.",
            "it's not broken, it just doesn't fit",
            "{p} is way too big, I'm swimming in it",
            "the sleeves are too short and it's tight across the shoulders",
            "{p} fits a size smaller than the chart says",
            "the {size} is too small, I need one size up",
        ],
        "blind": [
            "Sadly {p} is a bit snug around the waist, I should have gone up one.",
            "I'm usually a {size} and this {size} feels like a kids size",
            "Lovely {p} but it's huge on me, the size guide must be off",
            "cannot get my feet in, they're at least a size under",
            "{p} is nice quality but it's too long and baggy, I'm petite",
        ],
        "wants": ["exchange", "refund", "return", "info"],
    },
    "not_as_described": {
        "train": [
            "the slots of {p} are too narrow, normal bread doesn't go in",
            "the opening is too small to be any use, nothing goes through",
            "the cable is far too short for what the listing shows",
            "{p} looks nothing like the pictures on the listing.",
            "The listing says stainless steel but {p} is cheap plastic.",
            "{p} is much smaller than described, the photos are misleading.",
            "The mesh is so coarse the flour goes straight through, useless compared to the photos.",
            "The description said it includes a case but there was only {p}.",
            "{p} is advertised as waterproof but it let water in the first time.",
            "The colour is totally different from the photos, and the material feels cheap.",
            "the ad says genuine leather, this is clearly fake",
        ],
        "blind": [
            "The product page promised 20 hours of battery, {p} barely does 3.",
            "what arrived is flimsy and thin, not the sturdy thing shown online",
            "{p} is missing half the features you list, there is no timer at all",
            "honestly misleading, the 'wood' is a sticker over particle board",
            "it does not do what it says on the box, it's a pale imitation",
        ],
        "wants": ["refund", "return", "replacement"],
    },
    "not_received": {
        "train": [
            "My order still hasn't arrived and it was due {days} days ago.",
            "Tracking says delivered but there's nothing here.",
            "Where is my package? It's been stuck in transit for a week.",
            "{carrier} marked it as delivered, I never got it.",
            "still waiting for {p}, no sign of it",
            "The estimated delivery date was last Monday and nothing came.",
            "haven't received anything yet, is it lost?",
        ],
        "blind": [
            "The tracking hasn't updated in {days} days, it's just sitting at the depot.",
            "Neighbours checked too, nobody has my parcel even though it says handed over.",
            "Been over two weeks, where on earth is my order",
            "{carrier} claims they left it at the door. There is no parcel at my door.",
            "It was meant to be a birthday gift and it never showed up",
        ],
        "wants": ["info", "refund", "replacement", "cancel"],
    },
    "return_request": {
        "train": [
            "I changed my mind and would like to return {p}.",
            "[return]How do I return this? It's unopened.",
            "I don't need {p} anymore, can I send it back?",
            "I'd like to return {p}, I just don't like it.",
            "{p} is fine, I just found a better one elsewhere, I want to return it.",
            "Bought it as a gift and they already have one, return please.",
        ],
        "blind": [
            "Nothing wrong with {p}, it just isn't for me. What's the procedure to send it back?",
            "Still sealed, never used. I'd prefer to hand it back if that's ok",
            "my plans changed and I won't use {p}, happy to post it back",
            "Not quite what I pictured for my kitchen, so it's going back",
        ],
        "wants": ["return", "refund", "info"],
    },
    "cancel_request": {
        "train": [
            "Please cancel my order, I ordered it by mistake.",
            "I placed the order twice, can you cancel one of them?",
            "Cancel the order please, I don't need it anymore.",
            "Can you stop the shipment? I ordered the wrong one by accident.",
            "please cancel before it ships",
        ],
        "blind": [
            "Is it still possible to call off my order? It hasn't been dispatched yet.",
            "I clicked buy by accident on my phone, please don't send it",
            "Scrap my order please, found it locally",
            "Accidentally bought two, please void the second order",
        ],
        "wants": ["cancel"],
    },
    "product_question": {
        "train": [
            "Is {p} dishwasher safe?",
            "Does {p} come with a plug for the UK?",
            "What is the warranty on {p}?",
            "Hi, how long does the battery last on {p}?",
            "Can I use {p} with a 110V outlet?",
            "Which size would you recommend for someone who is 180cm?",
            "are the replacement parts for {p} available separately",
        ],
        "blind": [
            "Before I buy: will {p} work in Europe without an adapter?",
            "Quick question, what's {p} actually made of?",
            "Do you ship {p} with spare filters or do I order those separately?",
            "Wondering whether {p} can be wall mounted",
            "how loud is {p} when it's on full power",
        ],
        "wants": ["info"],
    },
    "feedback": {
        "train": [
            "Just wanted to say thank you, {p} is perfect!",
            "Arrived fast and works great, very happy with it.",
            "Love {p}, five stars from me.",
            "Great seller, fast shipping, would buy again.",
            "Thanks a lot, everything was perfect.",
        ],
        "blind": [
            "{p} turned up a day early and my wife loves it, cheers!",
            "Top notch, exactly as pictured. Thanks so much",
            "Really pleased, it's already made my mornings easier",
            "No problems at all, just a quick note to say well done",
        ],
        "wants": ["nothing"],
    },
    "abusive": {
        "train": [
            "[refund]You idiots sent me garbage, refund me now.",
            "This is a scam, you are thieves and I'll report you.",
            "What a pathetic bunch of incompetent clowns.",
            "I know where your warehouse is, you'll regret this.",
            "[return]I want to send this junk back or I'll trash you all over social media.",
            "f*** you and your broken junk",
        ],
        "blind": [
            "You lot are absolute crooks, I hope your shop burns down.",
            "Pay me back today or I'll make your life hell, I mean it.",
            "Useless morons, can't even pack a box properly.",
            "Keep ignoring me and I'll come round to your office and sort it myself",
        ],
        "wants": ["refund", "other"],
    },
    "other": {
        "train": [
            "Hello, please call me.",
            "I have a question about my invoice.",
            "Can you send me a VAT invoice for my order?",
            "Hi, did you get my last message?",
            "ok",
            "Please update the delivery address on my account.",
        ],
        "blind": [
            "Hi there, I need a receipt with my company name on it.",
            "Sorry, wrong address, this email was meant for someone else",
            "See my previous email.",
            "Could you confirm you received my payment?",
        ],
        "wants": ["other", "info"],
    },
}

WISHES = {
    "refund": {
        "train": ["I want a refund.", "Please refund me.", "Can I get my money back?",
                  "I'd like a full refund please."],
        "blind": ["I'd just like the money returned to my card.", "Reimburse me please."],
    },
    "replacement": {
        "train": ["Please send me a replacement.", "Can you send a new one?",
                  "I'd like a replacement rather than a refund."],
        "blind": ["Could you ship me another one that actually works?",
                  "A fresh unit would be great."],
    },
    "exchange": {
        "train": ["Can I exchange it for a {size2}?", "Could you send me the right size instead?",
                  "I'd like to swap it for a larger size.",
                  "Can I exchange it for the {color2} one?"],
        "blind": ["Is it possible to get the next size up instead?",
                  "Happy to trade it in for a {size2} if you have one."],
    },
    "return": {
        "train": ["I want to send it back.", "How do I return it?", "I'd like to return it."],
        "blind": ["Please tell me where to post it back to.", "Send me a return label."],
    },
    "info": {
        "train": ["What are my options?", "What should I do?", "Can you tell me what's going on?"],
        "blind": ["How do we sort this out?", "Let me know the next steps."],
    },
    "cancel": {
        "train": ["Please cancel the order.", "Just cancel it."],
        "blind": ["Call the whole thing off please."],
    },
}
PHOTO = {
    "train": ["I attached a photo.", "Photos attached.", "I can send pictures if you need them."],
    "blind": ["See the picture I added.", "Happy to send a snap of it."],
}
OPENERS = {
    "train": ["Hi,", "Hello,", "Hi there,", "Good morning,", "Dear seller,", ""],
    "blind": ["Hey,", "Hello team,", "Good evening,", "To whom it may concern,"],
}
CLOSERS = {
    "train": ["Thanks.", "Thank you.", "Regards, J.", "Thanks in advance!", "Cheers"],
    "blind": ["Best wishes", "Many thanks, Pat", "Kind regards."],
}
FILLERS = {
    "train": [
        "I bought this for my mum's birthday last month.",
        "I've ordered from you a few times before and never had a problem.",
        "We moved house recently so things have been hectic.",
        "I waited a couple of days before writing in case I was doing something wrong.",
        "My husband says I should just leave a review but I'd rather talk to you first.",
    ],
    "blind": [
        "I use it every day in the workshop, so it matters to me.",
        "Long story short, I only got round to opening it this weekend.",
        "I read all the reviews before buying so I had high hopes.",
    ],
}
# fmt: on

# fmt: off
# More training wording: indirect, sarcastic, buried, mixed. Never copied from the blind lists.
EXTRA_TRAIN = {
    "defective": [
        "{p} broke!",
        "Mine broke after {days} days.",
        "it stopped working",
        "Dead already!!",
        "it broke on the first use",
        "not sure what happened but {p} just stopped, no power at all since {days} days",
        "So {p} worked beautifully for a week and now it only blinks a red light at me.",
        "I really wanted to like {p}. Sadly the battery won't hold a charge for more than ten minutes.",
        "wow. {p} lasted a whole {days} days. amazing engineering",
        "the zip on {p} split the second time I opened it",
        "One of the buttons is stuck and {p} won't switch modes anymore",
        "{p} is faulty out of the box, it won't even power up",
    ],
    "damaged_in_transit": [
        "Arrived smashed!",
        "box crushed, item cracked",
        "the courier clearly dropped the parcel, {p} has a dent and the glass lid is cracked",
        "When it arrived the box was crushed flat and soaking wet, {p} inside is scratched all over",
        "{p} came with a broken corner, the packaging was torn when it arrived",
        "The parcel looked like it had been run over and {p} came out cracked",
    ],
    "wrong_item": [
        "Wrong item sent!",
        "this is the wrong colour, I picked {color} and {color2} came",
        "Opened the box and it's a completely different model from what I ordered",
        "you sent me a {size2} when my order says {size}",
        "The item I received is not the one in the listing I bought from, someone mixed it up",
    ],
    "size_fit": [
        "Too small!",
        "doesn't fit me",
        "nothing wrong with the quality, it's just too tight across the chest",
        "{p} is lovely but comes up really small, I'd need the next size up",
        "I usually take a {size} and this one is too loose, it slips off",
        "the fit is off for me, way too short in the leg",
        "Ordered my normal {size} and I can barely get {p} on",
    ],
    "not_as_described": [
        "it's nothing like the photos, the colour is dull and the fabric is thin",
        "{p} is sold as solid wood but it's clearly plastic with a wood print",
        "Half the accessories shown in the listing weren't in the box",
        "the listing says 2 litres, {p} holds maybe one",
    ],
    "not_received": [
        "Never arrived.",
        "where is it??",
        "My parcel never arrived. Tracking stopped updating a week ago.",
        "Still no delivery and the tracking just says in transit since {days} days",
        "{carrier} says it was delivered to a safe place, there's nothing anywhere",
        "Hello? Ordered ages ago and still nothing has turned up",
    ],
    "return_request": [
        "I bought two by mistake, can I send one back? It's still sealed.",
        "It works fine but it's not what I need, I'd like to return it.",
        "Just not for me, how do I get a return label?",
        "I'm within the 30 days so I'd like to return {p}, it's unused",
    ],
    "cancel_request": [
        "Hi, I need to cancel this order before it's shipped please",
        "wrong address on the order, please cancel it and I'll reorder",
        "Please don't ship, I want to cancel, I found it cheaper",
    ],
    "product_question": [
        "Do you have {p} in {color}?",
        "is this available in {size}?",
        "do you sell a bigger version of {p}",
        "Will you have {p} back in stock soon?",
        "does {p} come with batteries or do I need to buy them?",
        "Hi, what's the difference between this model and the pro version?",
        "Can {p} be used outdoors in the rain?",
        "is this compatible with an iPhone 15",
    ],
    "feedback": [
        "Love it!",
        "Perfect, thanks!",
        "Everything arrived quickly and {p} is exactly what I wanted. Thanks!",
        "Brilliant service, thank you so much 🙂",
        "just a quick thank you, really happy with {p}",
    ],
    "abusive": [
        "you are a bunch of scammers, refund me or I'll make sure everyone knows",
        "Absolute idiots. Pathetic service, I hope you go bankrupt.",
        "I'm going to sue you and I know where you live",
    ],
    "other": [
        "Please change the name on my invoice to my company.",
        "Hi, I sent you an email yesterday, did you get it?",
        "Can you call me back on Monday please",
        "Is your shop open during the holidays?",
    ],
}
EXTRA_WISHES = {
    "refund": ["Just refund me please.", "I'd like my money back to my card.", "Please issue a refund."],
    "replacement": ["Please replace it.", "Could I have a working one sent out?", "I'd prefer a new one instead."],
    "exchange": ["Can I swap it for the right size?", "I'd like to exchange it for one size up.", "Could you exchange it for a different colour?"],
    "return": ["I'd like to send it back for a return.", "Please send me a returns label."],
    "info": ["What happens now?", "Please advise.", "What do you suggest?"],
    "cancel": ["Please cancel everything.", "Cancel it please."],
}
EXTRA_OPENERS = ["Hiya,", "Hi team,", "Dear Sir/Madam,", "Hello again,"]
EXTRA_CLOSERS = ["Thanks, Sam", "Regards", "Thank you for your help.", "Look forward to hearing from you."]
EXTRA_FILLERS = [
    "It was supposed to be a present for my daughter's birthday.",
    "I've been really busy at work so sorry for the late message.",
    "I checked the manual twice before writing to you.",
]
# fmt: on
