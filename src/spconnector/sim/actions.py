"""What Messaging and Solicitations share: the order named in the path (in the one marketplace
asked for), and the HAL list of the actions Amazon offers for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from spconnector.sim.http import Request, Response, invalid_input, not_found
from spconnector.sim.scenario import ScenarioOrder

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator


def path_order(sim: Simulator, req: Request) -> ScenarioOrder:
    """The order `{amazonOrderId}`; 400 unless exactly one marketplace id, 404 unless the
    order exists in it."""
    markets = req.require_list("marketplaceIds")
    if len(markets) != 1:
        raise invalid_input("marketplaceIds must hold exactly one marketplace id")
    order = sim.scenario.order(req.path_params["amazonOrderId"])
    if order is None or order.marketplace_id != markets[0]:
        raise not_found(f"Order {req.path_params['amazonOrderId']} not found")
    return order


def actions_response(base: str, marketplace_id: str, kind: str, names: Iterable[str]) -> Response:
    """`GET <base>` as Amazon answers it: each action linked under `<base>/<kind>/<name>`
    (with its schema link), in `_links.actions` and `_embedded.actions`."""
    query = f"?marketplaceIds={marketplace_id}"
    links: list[dict[str, str]] = []
    embedded: list[dict[str, object]] = []
    for name in names:
        href = f"{base}/{kind}/{name}{query}"
        links.append({"href": href, "name": name})
        embedded.append(
            {
                "_links": {
                    "self": {"href": href, "name": name},
                    "schema": {"href": f"{base}/{kind}/{name}/schema", "name": name},
                }
            }
        )
    body = {
        "_links": {"self": {"href": base + query}, "actions": links},
        "_embedded": {"actions": embedded},
    }
    return Response.json(200, body, {"Content-Type": "application/hal+json"})
