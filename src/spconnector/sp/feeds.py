"""Feeds calls: create and upload a feed document, create a feed, read feeds and results.

Guarantees: createFeed (and createFeedDocument's upload) is retried only on 429 or a refused
connection: after a 5xx or a timeout the feed may exist, and the caller (refunds) recovers by
listing feeds rather than risk a second refund feed. getFeeds reads every page (the next
token sent alone, as Amazon requires). Bodies are exactly Amazon's model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.transport import SpTransport, iso, quote

CREATE_FEED = "feeds_2021-06-30:createFeed"


def _get_feeds_page(client: Any, *, params: dict[str, Any]) -> Any:
    return client.get_feeds(**params)


class FeedsCalls(SpTransport):
    def create_feed_document(self, content_type: str) -> tuple[str, str]:
        operation = "feeds_2021-06-30:createFeedDocument"
        # The library's create_feed_document puts "path" and marketplaceIds into the body.
        response = self._send(
            lib.FeedsV20210630,
            operation,
            lambda c: c._request(
                "/feeds/2021-06-30/documents",
                params={"method": "POST"},
                data={"contentType": content_type},
                add_marketplace=False,
            ),
        )
        parsed = self._parse(operation, m.CreateFeedDocumentResponse, response.payload)
        return parsed.feedDocumentId, parsed.url

    def upload_feed_document(self, url: str, data: bytes, content_type: str) -> None:
        def put() -> None:
            self._http.put(url, content=data, headers={"content-type": content_type})

        self._call("feeds_2021-06-30:uploadFeedDocument", put, limited=False)

    def create_feed(
        self,
        feed_type: str,
        document_id: str,
        marketplace_ids: Sequence[str] | None = None,
        *,
        prepaid: bool = False,
    ) -> str:
        """createFeed. Retried only on 429: after a 5xx or timeout the feed may exist, and the
        caller (refunds) recovers by listing feeds rather than risk a second refund feed.
        `prepaid`: the caller took this call's token with `limiter.try_acquire` already."""
        operation = CREATE_FEED
        body = {
            "feedType": feed_type,
            "marketplaceIds": list(marketplace_ids or [self.marketplace_id]),
            "inputFeedDocumentId": document_id,
        }
        # The library's create_feed puts "path" into the body.
        response = self._send(
            lib.FeedsV20210630,
            operation,
            lambda c: c._request(
                "/feeds/2021-06-30/feeds",
                params={"method": "POST"},
                data=dict(body),
                add_marketplace=False,
            ),
            idempotent=False,
            prepaid=prepaid,
        )
        return self._parse(operation, m.CreateFeedResponse, response.payload).feedId

    def get_feed(self, feed_id: str) -> m.Feed:
        operation = "feeds_2021-06-30:getFeed"
        response = self._send(lib.FeedsV20210630, operation, lambda c: c.get_feed(feed_id))
        return self._parse(operation, m.Feed, response.payload)

    def get_feeds(
        self,
        feed_types: Iterable[str],
        created_since: datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        processing_statuses: Iterable[str] | None = None,
    ) -> list[m.Feed]:
        """getFeeds, every page."""
        operation = "feeds_2021-06-30:getFeeds"
        first: dict[str, Any] = {
            "feedTypes": ",".join(feed_types),
            "marketplaceIds": ",".join(marketplace_ids or [self.marketplace_id]),
            "pageSize": 100,
        }
        if created_since is not None:
            first["createdSince"] = iso(created_since)
        if processing_statuses:
            first["processingStatuses"] = ",".join(processing_statuses)
        feeds: list[m.Feed] = []
        params = first
        while True:
            response = self._send(
                lib.FeedsV20210630, operation, partial(_get_feeds_page, params=params)
            )
            page = self._parse(
                operation,
                m.GetFeedsResponse,
                {**response.payload, "nextToken": response.next_token},
            )
            feeds.extend(page.feeds)
            if not page.nextToken:
                return feeds
            params = {"nextToken": page.nextToken}  # Amazon: the token must come alone

    def get_feed_result_document(self, document_id: str) -> bytes:
        operation = "feeds_2021-06-30:getFeedDocument"
        path = f"/feeds/2021-06-30/documents/{quote(document_id)}"
        # Not the library's get_feed_result_document: it downloads without our hooks.
        response = self._send(
            lib.FeedsV20210630, operation, lambda c: c._request(path, add_marketplace=False)
        )
        location = self._parse(operation, m.FeedDocument, response.payload)
        return self._download(operation, location)
