"""Pydantic models of the SP-API responses we read, with Amazon's own field names.

Only the fields the product uses are declared; unknown fields are ignored so an additive model
change at Amazon does not break parsing. Buyer PII fields (buyer, recipient) are not declared
and we never ask for them (`includedData` leaves out BUYER and RECIPIENT).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

ProcessingStatus = Literal["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]


class _Amazon(BaseModel):
    # defer_build: each response model is built when its first response is parsed. The SP-API
    # client imports every API's models, and a first event reads one or two of ~50 (ProcessCase:
    # getOrder), so building them all then cost that event ~30 ms (bench/cold_start.py,
    # init + first event). A model nested in two responses (Order2026) is built inline in each.
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True, defer_build=True)


# --- Orders 2026-01-01 -------------------------------------------------------------------


class Money2026(_Amazon):
    amount: Decimal
    currencyCode: str


class SalesChannel(_Amazon):
    channelName: str
    marketplaceId: str | None = None


class DateTimeRange(_Amazon):
    earliestDateTime: AwareDatetime | None = None
    latestDateTime: AwareDatetime | None = None


class FulfillmentStatusBlock(_Amazon):
    fulfillmentStatus: str
    fulfilledBy: str | None = None  # AMAZON | MERCHANT
    deliverByWindow: DateTimeRange | None = None


class ItemPrice(_Amazon):
    unitPrice: Money2026 | None = None


class ItemProduct(_Amazon):
    asin: str | None = None
    title: str | None = None
    sellerSku: str | None = None
    price: ItemPrice | None = None


class ProceedsBreakdown(_Amazon):
    type: str
    subtotal: Money2026


class ItemProceeds(_Amazon):
    proceedsTotal: Money2026 | None = None
    breakdowns: tuple[ProceedsBreakdown, ...] = ()


class OrderItem2026(_Amazon):
    orderItemId: str
    quantityOrdered: int
    product: ItemProduct
    proceeds: ItemProceeds | None = None


class PackageStatus(_Amazon):
    status: str


class OrderPackage(_Amazon):
    packageReferenceId: str
    packageStatus: PackageStatus | None = None
    shipTime: AwareDatetime | None = None


class Order2026(_Amazon):
    orderId: str
    createdTime: AwareDatetime
    lastUpdatedTime: AwareDatetime
    salesChannel: SalesChannel
    fulfillment: FulfillmentStatusBlock | None = None
    orderItems: tuple[OrderItem2026, ...]
    packages: tuple[OrderPackage, ...] = ()


class GetOrderResponse2026(_Amazon):
    order: Order2026


# --- Orders v0 -----------------------------------------------------------------------------


class MoneyV0(_Amazon):
    CurrencyCode: str | None = None
    Amount: Decimal | None = None


class OrderV0(_Amazon):
    AmazonOrderId: str
    PurchaseDate: AwareDatetime
    LastUpdateDate: AwareDatetime
    OrderStatus: str
    FulfillmentChannel: Literal["MFN", "AFN"] | None = None
    MarketplaceId: str | None = None
    OrderTotal: MoneyV0 | None = None


class OrderItemV0(_Amazon):
    ASIN: str
    OrderItemId: str
    QuantityOrdered: int
    SellerSKU: str | None = None
    Title: str | None = None
    ItemPrice: MoneyV0 | None = None  # price × quantity, per Amazon's model
    ShippingPrice: MoneyV0 | None = None


class OrderItemsListV0(_Amazon):
    AmazonOrderId: str
    OrderItems: tuple[OrderItemV0, ...]
    NextToken: str | None = None


# --- Messaging -----------------------------------------------------------------------------


class LinkObject(_Amazon):
    href: str
    name: str | None = None


class MessagingLinks(_Amazon):
    actions: tuple[LinkObject, ...] = ()


class GetMessagingActionsForOrderResponse(_Amazon):
    links: MessagingLinks = Field(alias="_links")

    def action_names(self) -> list[str]:
        names = []
        for link in self.links.actions:
            # `name` is optional in the model; the href's last path segment is the action.
            names.append(link.name or link.href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])
        return names


class BuyerAttributes(_Amazon):
    locale: str | None = None


class GetAttributesResponse(_Amazon):
    buyer: BuyerAttributes | None = None


# --- Reports -------------------------------------------------------------------------------


class CreateReportResponse(_Amazon):
    reportId: str


class Report(_Amazon):
    reportId: str
    reportType: str
    processingStatus: ProcessingStatus
    createdTime: AwareDatetime
    marketplaceIds: tuple[str, ...] = ()
    dataStartTime: datetime | None = None
    dataEndTime: datetime | None = None
    processingEndTime: datetime | None = None
    reportDocumentId: str | None = None


class DocumentLocation(_Amazon):
    """ReportDocument / FeedDocument: where the content is, and whether it is gzipped."""

    url: str
    compressionAlgorithm: Literal["GZIP"] | None = None


class ReportDocument(DocumentLocation):
    reportDocumentId: str


class FeedDocument(DocumentLocation):
    feedDocumentId: str


# --- Feeds ---------------------------------------------------------------------------------


class CreateFeedDocumentResponse(_Amazon):
    feedDocumentId: str
    url: str


class CreateFeedResponse(_Amazon):
    feedId: str


class Feed(_Amazon):
    feedId: str
    feedType: str
    processingStatus: ProcessingStatus
    createdTime: AwareDatetime
    marketplaceIds: tuple[str, ...] = ()
    processingEndTime: datetime | None = None
    resultFeedDocumentId: str | None = None


class GetFeedsResponse(_Amazon):
    feeds: tuple[Feed, ...]
    nextToken: str | None = None


# --- Notifications ------------------------------------------------------------------------


class SqsResource(_Amazon):
    arn: str


class DestinationResource(_Amazon):
    sqs: SqsResource | None = None


class Destination(_Amazon):
    destinationId: str
    name: str
    resource: DestinationResource | None = None

    @property
    def sqs_arn(self) -> str | None:
        return self.resource.sqs.arn if self.resource and self.resource.sqs else None


class Subscription(_Amazon):
    subscriptionId: str
    destinationId: str
    payloadVersion: str


# --- Product Pricing v0 -------------------------------------------------------------------


class SellerFeedbackType(_Amazon):
    SellerPositiveFeedbackRating: float | None = None
    FeedbackCount: int


class OfferDetail(_Amazon):
    MyOffer: bool | None = None
    SellerId: str | None = None
    SellerFeedbackRating: SellerFeedbackType | None = None


class GetOffersResult(_Amazon):
    Offers: tuple[OfferDetail, ...]


class SellerFeedbackRating(_Amazon):
    """The seller's own positive-feedback % and rating count (Amazon: last 365 days)."""

    positive_percent: float | None
    count: int
