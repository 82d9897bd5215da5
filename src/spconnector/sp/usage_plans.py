"""Amazon's documented usage plans (requests per second, burst) for the operations we use.

The values are copied from the operation descriptions in Amazon's API models; a test checks
them against `../shared/sp-api-models` so a model update that changes a plan is noticed.
The product itself must run without those files, so the numbers live here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UsagePlan:
    rate: float  # sustained requests per second
    burst: int  # bucket size


# key: "<model file stem>:<operationId>" — the model file names the API and its version.
USAGE_PLANS: dict[str, UsagePlan] = {
    "ordersV0:getOrder": UsagePlan(0.5, 30),
    "ordersV0:getOrderItems": UsagePlan(0.5, 30),
    "ordersV0:getOrders": UsagePlan(0.0167, 20),
    "orders_2026-01-01:getOrder": UsagePlan(0.5, 30),
    "orders_2026-01-01:searchOrders": UsagePlan(0.0056, 20),
    "messaging:getMessagingActionsForOrder": UsagePlan(1, 5),
    "messaging:GetAttributes": UsagePlan(1, 5),
    "messaging:createUnexpectedProblem": UsagePlan(1, 5),
    "messaging:createConfirmOrderDetails": UsagePlan(1, 5),
    "reports_2021-06-30:createReport": UsagePlan(0.0167, 15),
    "reports_2021-06-30:getReport": UsagePlan(2, 15),
    "reports_2021-06-30:getReports": UsagePlan(0.0222, 10),
    "reports_2021-06-30:getReportDocument": UsagePlan(0.0167, 15),
    "feeds_2021-06-30:createFeedDocument": UsagePlan(0.5, 15),
    "feeds_2021-06-30:createFeed": UsagePlan(0.0083, 15),
    "feeds_2021-06-30:getFeed": UsagePlan(2, 15),
    "feeds_2021-06-30:getFeeds": UsagePlan(0.0222, 10),
    "feeds_2021-06-30:getFeedDocument": UsagePlan(0.0222, 10),
    "notifications:getSubscription": UsagePlan(1, 5),
    "notifications:createSubscription": UsagePlan(1, 5),
    "notifications:getDestinations": UsagePlan(1, 5),
    "notifications:createDestination": UsagePlan(1, 5),
    "productPricingV0:getListingOffers": UsagePlan(1, 2),
    "financesV0:listFinancialEventsByOrderId": UsagePlan(0.5, 30),
    "solicitations:getSolicitationActionsForOrder": UsagePlan(1, 5),
    "solicitations:createProductReviewAndSellerFeedbackSolicitation": UsagePlan(1, 5),
}


def plan_for(operation: str) -> UsagePlan:
    try:
        return USAGE_PLANS[operation]
    except KeyError:
        raise KeyError(f"no usage plan known for {operation!r}") from None
