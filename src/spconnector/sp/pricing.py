"""Product Pricing calls: the seller's own feedback rating, read from its offer on a SKU."""

from __future__ import annotations

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.errors import NotFound
from spconnector.sp.transport import SpTransport


class PricingCalls(SpTransport):
    def get_seller_feedback_rating(
        self, sku: str, item_condition: str = "New"
    ) -> m.SellerFeedbackRating:
        """The seller's own offer's SellerFeedbackRating (positive %, count over 365 days)."""
        operation = "productPricingV0:getListingOffers"
        response = self._send(
            lib.ProductsV0,
            operation,
            lambda c: c.get_listings_offer(sku, item_condition, MarketplaceId=self.marketplace_id),
        )
        result = self._parse(operation, m.GetOffersResult, response.payload)
        for offer in result.Offers:
            if offer.MyOffer or offer.SellerId == self.seller_id:
                if offer.SellerFeedbackRating is None:
                    break
                return m.SellerFeedbackRating(
                    positive_percent=offer.SellerFeedbackRating.SellerPositiveFeedbackRating,
                    count=offer.SellerFeedbackRating.FeedbackCount,
                )
        raise NotFound(operation, f"no own offer with a feedback rating for SKU {sku!r}")
