"""A deterministic seller scenario per seed: catalog, orders, returns, feedback, relay mail.

Everything is drawn from one `random.Random(seed)` in a fixed order and dated relative to an
anchor (midnight UTC of the simulator's start day: `sim.clock.REFERENCE_TIME` unless given),
so the same seed and anchor always give byte-identical data, whatever the date or machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from spconnector.domain.marketplaces import by_id

CENT = Decimal("0.01")
MARKETPLACES = {"US": "ATVPDKIKX0DER", "DE": "A1PA6795UKMFR9"}
COMPONENTS = ("Principal", "Shipping", "Tax")


@dataclass(frozen=True)
class CatalogItem:
    sku: str
    asin: str
    title: str
    price: Decimal
    category: str
    flags: tuple[str, ...] = ()  # custom, final_sale, lifetime_guarantee, fragile
    size: str | None = None


@dataclass(frozen=True)
class ScenarioOrderItem:
    order_item_id: str
    sku: str
    asin: str
    title: str
    quantity: int
    unit_price: Decimal
    shipping_price: Decimal
    tax: Decimal
    category: str

    @property
    def principal(self) -> Decimal:
        return self.unit_price * self.quantity

    def charged(self, component: str) -> Decimal:
        """What the buyer paid for one adjustment component of this item."""
        return {"Principal": self.principal, "Shipping": self.shipping_price, "Tax": self.tax}.get(
            component, Decimal(0)
        )


@dataclass(frozen=True)
class ScenarioOrder:
    order_id: str
    marketplace_id: str
    currency: str
    purchase_date: datetime
    last_update: datetime
    status: str  # Orders v0 OrderStatus: Shipped, Unshipped, Canceled
    fulfillment_channel: str  # MFN or AFN
    items: tuple[ScenarioOrderItem, ...]
    buyer_name: str
    buyer_alias: str  # the anonymized relay address
    buyer_locale: str
    ship_city: str
    ship_state: str
    ship_postal: str
    ship_country: str
    latest_ship: datetime
    earliest_delivery: datetime
    latest_delivery: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    is_prime: bool
    carrier: str | None
    tracking_id: str | None

    @property
    def total(self) -> Decimal:
        return sum((i.principal + i.shipping_price + i.tax for i in self.items), Decimal(0))

    def item(self, order_item_id: str) -> ScenarioOrderItem | None:
        return next((i for i in self.items if i.order_item_id == order_item_id), None)


# (sku stem, title, price, category, flags, sizes)
_CATALOG: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("KG-GARLIC", "Stainless Steel Garlic Press with Cleaning Brush", "14.99", "kitchen", (), ()),
    ("KG-PEELER", "Y-Peeler Set, 3 Pack, Serrated and Julienne", "9.99", "kitchen", (), ()),
    ("KG-SPATULA", "Silicone Spatula Set, Heat Resistant, 4 Pieces", "12.99", "kitchen", (), ()),
    ("KG-ZESTER", "Citrus Zester and Cheese Grater, Razor Sharp", "16.49", "kitchen", (), ()),
    ("KG-SCALE", "Digital Kitchen Scale, 11 lb, Tare Function", "24.99", "kitchen", (), ()),
    (
        "KG-FRENCHPRESS",
        "French Press Coffee Maker, 34 oz Glass",
        "27.99",
        "kitchen",
        ("fragile",),
        (),
    ),
    ("KG-MANDOLINE", "Adjustable Mandoline Slicer with Safety Glove", "29.99", "kitchen", (), ()),
    ("KG-CHEFKNIFE", "Damascus Steel Chef Knife 8 inch, Gift Box", "119.00", "kitchen", (), ()),
    (
        "KG-SKILLET",
        "Pre-Seasoned Cast Iron Skillet 10 inch, Lifetime Guarantee",
        "39.99",
        "kitchen",
        ("lifetime_guarantee",),
        (),
    ),
    (
        "KG-TIMER-CLR",
        "Clearance: Magnetic Kitchen Timer (Final Sale)",
        "6.99",
        "kitchen",
        ("final_sale",),
        (),
    ),
    (
        "HM-BOARD-ENGR",
        "Personalized Engraved Walnut Cutting Board",
        "49.99",
        "home",
        ("custom",),
        (),
    ),
    ("AP-TEE", "Organic Cotton Crew T-Shirt", "19.99", "apparel", (), ("M", "L")),
    ("AP-LINEN", "Linen Button-Down Shirt, Relaxed Fit", "34.99", "apparel", (), ("M", "L")),
    ("AP-HOODIE", "Midweight Fleece Hoodie", "44.99", "apparel", (), ("S", "XL")),
)

_FIRST = {
    "en": [
        "Jane",
        "Mark",
        "Olivia",
        "Ethan",
        "Priya",
        "Carlos",
        "Hannah",
        "Tyler",
        "Grace",
        "Marcus",
        "Lena",
        "Derek",
        "Sofia",
        "Nathan",
        "Chloe",
        "Omar",
        "Rachel",
        "Jonah",
    ],
    "de": ["Jürgen", "Anke", "Tobias", "Sabine", "Lukas", "Miriam"],
    "fr": ["Camille", "Étienne", "Margaux", "Julien"],
    "es": ["Lucía", "Javier", "Marisol", "Andrés"],
    "it": ["Giulia", "Matteo", "Chiara", "Lorenzo"],
}
_LAST = {
    "en": [
        "Whitaker",
        "Delgado",
        "Brennan",
        "Okafor",
        "Lindqvist",
        "Morrow",
        "Castellano",
        "Fairbanks",
        "Nakamura",
        "Holloway",
        "Pruitt",
        "Vance",
        "Ashby",
        "Kowal",
    ],
    "de": ["Müller", "Brandt", "Kessler", "Vogt", "Reinholz"],
    "fr": ["Lefèvre", "Marchand", "Dubois", "Rousseau"],
    "es": ["García", "Herrera", "Navarro", "Romero"],
    "it": ["Bianchi", "Russo", "Ferrara", "Conti"],
}
_US_PLACES = [
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78704"),
    ("Columbus", "OH", "43215"),
    ("Raleigh", "NC", "27601"),
    ("Denver", "CO", "80203"),
    ("Madison", "WI", "53703"),
    ("Tucson", "AZ", "85701"),
    ("Albany", "NY", "12207"),
    ("Miami", "FL", "33130"),
]
_DE_PLACES = [
    ("Berlin", "BE", "10115"),
    ("Hamburg", "HH", "20095"),
    ("München", "BY", "80331"),
    ("Köln", "NW", "50667"),
    ("Leipzig", "SN", "04109"),
]
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_ASIN_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


@dataclass
class Scenario:
    seed: int
    anchor: datetime
    marketplace_id: str
    currency: str
    seller_id: str
    catalog: list[CatalogItem] = field(default_factory=list)
    orders: list[ScenarioOrder] = field(default_factory=list)
    returns_mfn_rows: list[dict[str, str]] = field(default_factory=list)
    returns_fba_rows: list[dict[str, str]] = field(default_factory=list)
    feedback_rows: list[dict[str, str]] = field(default_factory=list)
    emails: list[bytes] = field(default_factory=list)
    # money Amazon moved behind its notices: (Finances list, order, amount, posted)
    money_backs: list[tuple[str, str, Decimal, datetime]] = field(default_factory=list)
    seller_feedback_rating: dict[str, Any] = field(default_factory=dict)
    performance: dict[str, Any] = field(default_factory=dict)
    _index: dict[str, ScenarioOrder] = field(default_factory=dict, repr=False, compare=False)

    @property
    def order_ids(self) -> list[str]:
        return [o.order_id for o in self.orders]

    def order(self, order_id: str) -> ScenarioOrder | None:
        if len(self._index) != len(self.orders):
            self._index = {o.order_id: o for o in self.orders}
        return self._index.get(order_id)

    def catalog_item(self, sku: str) -> CatalogItem | None:
        return next((c for c in self.catalog if c.sku == sku), None)


def default_anchor(now: datetime) -> datetime:
    """The scenario's anchor for a simulated present: that day's midnight (UTC)."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def generate(
    seed: int, *, anchor: datetime, marketplace: str = "US", n_orders: int = 60
) -> Scenario:
    """The scenario for `seed` around `anchor` (its bytes depend on nothing else: no wall
    clock, host or process); `marketplace` is "US" or "DE"."""
    from spconnector.sim import relay_mail, report_rows

    if marketplace not in MARKETPLACES:
        raise ValueError(f"marketplace must be one of {sorted(MARKETPLACES)}")
    anchor = default_anchor(anchor)
    rng = random.Random(seed)
    market = by_id(MARKETPLACES[marketplace])
    seller_id = "A" + "".join(rng.choice(_ASIN_CHARS) for _ in range(13))
    scenario = Scenario(
        seed=seed,
        anchor=anchor,
        marketplace_id=market.marketplace_id,
        currency=market.currency,
        seller_id=seller_id,
    )
    scenario.catalog = _catalog(rng)
    scenario.orders = _orders(rng, scenario, marketplace, n_orders)
    report_rows.fill(rng, scenario)
    scenario.emails = relay_mail.generate_emails(rng, scenario, marketplace)
    return scenario


def _catalog(rng: random.Random) -> list[CatalogItem]:
    items = []
    for stem, title, price, category, flags, sizes in _CATALOG:
        for size in sizes or (None,):
            asin = "B0" + "".join(rng.choice(_ASIN_CHARS) for _ in range(8))
            sku = f"{stem}-{size}" if size else stem
            full_title = f"{title}, Size {size}" if size else title
            items.append(CatalogItem(sku, asin, full_title, Decimal(price), category, flags, size))
    return items


def _order_id(rng: random.Random, marketplace: str) -> str:
    prefix = rng.choice(["111", "112", "113", "114"] if marketplace == "US" else ["302", "304"])
    return f"{prefix}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def _pick_buyer(rng: random.Random, marketplace: str) -> tuple[str, str]:
    lang = "de" if marketplace == "DE" else "en"
    if rng.random() < 0.12:
        lang = rng.choice(["de", "fr", "es", "it"] if marketplace == "US" else ["en", "fr", "it"])
    return f"{rng.choice(_FIRST[lang])} {rng.choice(_LAST[lang])}", lang


_LOCALES = {"en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-US", "it": "it-IT"}


def _orders(
    rng: random.Random, scenario: Scenario, marketplace: str, n_orders: int
) -> list[ScenarioOrder]:
    anchor = scenario.anchor
    domain = by_id(scenario.marketplace_id).domain
    places = _US_PLACES if marketplace == "US" else _DE_PLACES
    orders: list[ScenarioOrder] = []
    seen: set[str] = set()
    # Make sure the special items each appear in several orders.
    must = [c for c in scenario.catalog if c.flags or c.category == "apparel"]
    for n in range(n_orders):
        order_id = _order_id(rng, marketplace)
        while order_id in seen:
            order_id = _order_id(rng, marketplace)
        seen.add(order_id)
        purchase = (
            anchor
            - timedelta(days=30)
            + timedelta(seconds=rng.randrange(int(timedelta(days=29, hours=18).total_seconds())))
        )
        afn = rng.random() < 0.4
        if n >= n_orders - 3:  # the newest few are merchant orders still waiting to ship
            purchase = anchor - timedelta(hours=rng.randrange(6, 30))
            afn = False
        first = must[n % len(must)] if n < 2 * len(must) else rng.choice(scenario.catalog)
        lines = [first]
        if rng.random() < 0.15:
            extra = rng.choice(scenario.catalog)
            if extra.sku != first.sku:
                lines.append(extra)
        items = []
        for line in lines:
            quantity = 2 if rng.random() < 0.1 else 1
            principal = line.price * quantity
            shipping = Decimal(0) if afn or principal >= 25 else Decimal("4.99")
            tax = _money(principal * Decimal("0.0725")) if marketplace == "US" else Decimal(0)
            items.append(
                ScenarioOrderItem(
                    order_item_id=f"{rng.randrange(10**13, 10**14)}",
                    sku=line.sku,
                    asin=line.asin,
                    title=line.title,
                    quantity=quantity,
                    unit_price=line.price,
                    shipping_price=shipping,
                    tax=tax,
                    category=line.category,
                )
            )
        latest_ship = purchase + timedelta(days=1 if afn else 2)
        earliest_delivery = purchase + timedelta(days=2 if afn else 3)
        latest_delivery = purchase + timedelta(days=4 if afn else 7)
        shipped_at: datetime | None = None
        delivered_at: datetime | None = None
        status = "Unshipped"
        if n < n_orders - 3:
            status = "Shipped"
            shipped_at = purchase + timedelta(hours=rng.randrange(4, 40))
            transit = timedelta(days=rng.randrange(1, 6), hours=rng.randrange(0, 10))
            if shipped_at + transit < anchor and rng.random() > 0.05:
                delivered_at = shipped_at + transit
        if n == n_orders // 2:
            status, shipped_at, delivered_at = "Canceled", None, None
        name, lang = _pick_buyer(rng, marketplace)
        city, state, postal = rng.choice(places)
        alias = "".join(rng.choice(_ALNUM) for _ in range(15)) + f"@marketplace.{domain}"
        carrier = None
        tracking = None
        if shipped_at is not None:
            carrier = rng.choice(["UPS", "USPS", "FedEx"] if marketplace == "US" else ["DHL"])
            tracking = "1Z" + "".join(rng.choice(_ASIN_CHARS) for _ in range(16))
        orders.append(
            ScenarioOrder(
                order_id=order_id,
                marketplace_id=scenario.marketplace_id,
                currency=scenario.currency,
                purchase_date=purchase,
                last_update=delivered_at or shipped_at or purchase + timedelta(minutes=5),
                status=status,
                fulfillment_channel="AFN" if afn else "MFN",
                items=tuple(items),
                buyer_name=name,
                buyer_alias=alias,
                buyer_locale=_LOCALES[lang],
                ship_city=city,
                ship_state=state,
                ship_postal=postal,
                ship_country=marketplace,
                latest_ship=latest_ship,
                earliest_delivery=earliest_delivery,
                latest_delivery=latest_delivery,
                shipped_at=shipped_at,
                delivered_at=delivered_at,
                is_prime=afn,
                carrier=carrier,
                tracking_id=tracking,
            )
        )
    orders.sort(key=lambda o: o.purchase_date)
    return orders
