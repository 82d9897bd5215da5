"""Product Pricing v0 getListingOffers: the seller's own offer with its feedback rating."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spconnector.sim.http import Request, Response, Router, invalid_input, not_found

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

CONDITIONS = frozenset({"New", "Used", "Collectible", "Refurbished", "Club"})


def get_listing_offers(sim: Simulator, req: Request) -> Response:
    market = req.param("MarketplaceId")
    condition = req.param("ItemCondition")
    if not market:
        raise invalid_input("Missing required parameter: MarketplaceId")
    if condition not in CONDITIONS:
        raise invalid_input(
            "ItemCondition must be one of New, Used, Collectible, Refurbished, Club"
        )
    customer = req.param("CustomerType")
    if customer is not None and customer not in ("Consumer", "Business"):
        raise invalid_input("CustomerType must be Consumer or Business")
    sku = req.path_params["SellerSKU"]
    item = sim.scenario.catalog_item(sku)
    if item is None or market != sim.marketplace_id:
        raise not_found(f"SKU {sku} not found in marketplace {market}")
    currency = sim.scenario.currency
    price = float(item.price)
    offers: list[dict[str, Any]] = []
    if condition == "New":
        offers.append(
            {
                "MyOffer": True,
                "offerType": "B2C",
                "SubCondition": "new",
                "SellerId": sim.seller_id,
                "SellerFeedbackRating": dict(sim.scenario.seller_feedback_rating),
                "ShippingTime": {
                    "minimumHours": 24,
                    "maximumHours": 48,
                    "availabilityType": "NOW",
                },
                "ListingPrice": {"CurrencyCode": currency, "Amount": price},
                "Shipping": {"CurrencyCode": currency, "Amount": 0.0},
                "ShipsFrom": {"Country": sim.scenario.orders[0].ship_country},
                "IsFulfilledByAmazon": False,
                "IsBuyBoxWinner": True,
                "IsFeaturedMerchant": True,
            }
        )
    payload = {
        "marketplaceId": market,
        "ASIN": item.asin,
        "SKU": sku,
        "ItemCondition": condition,
        "status": "Success",
        "Identifier": {
            "MarketplaceId": market,
            "ASIN": item.asin,
            "SellerSKU": sku,
            "ItemCondition": condition,
        },
        "Summary": {
            "TotalOfferCount": len(offers),
            "NumberOfOffers": [
                {"condition": "new", "fulfillmentChannel": "Merchant", "OfferCount": len(offers)}
            ]
            if offers
            else [],
        },
        "Offers": offers,
    }
    return Response.json(200, {"payload": payload})


def register(router: Router) -> None:
    router.add(
        "GET",
        "/products/pricing/v0/listings/{SellerSKU}/offers",
        get_listing_offers,
        "productPricingV0:getListingOffers",
    )
