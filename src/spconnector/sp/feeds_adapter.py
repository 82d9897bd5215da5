"""`SpFeeds`: the refunds use cases' FeedsPort, served by SpApi.

createFeed is paced by the SP client's limiter alone — the bucket every Lambda shares per
(seller, operation): `take_create_feed_token` takes its token without waiting, and the next
`create_feed` spends that token instead of taking a second one.
"""

from __future__ import annotations

from datetime import datetime

from spconnector.refunds.ports import FeedStatus
from spconnector.sp import models as m
from spconnector.sp.client import SpApi
from spconnector.sp.feeds import CREATE_FEED


def _status(feed: m.Feed) -> FeedStatus:
    return FeedStatus(
        feed_id=feed.feedId,
        feed_type=feed.feedType,
        processing_status=feed.processingStatus,
        created_time=feed.createdTime,
        marketplace_ids=feed.marketplaceIds,
        result_feed_document_id=feed.resultFeedDocumentId,
    )


class SpFeeds:
    """One per use-case run (it remembers a token taken and not yet spent)."""

    def __init__(self, api: SpApi) -> None:
        self.api = api
        self._token_held = False

    def take_create_feed_token(self) -> float:
        if self._token_held:
            return 0.0
        wait = self.api.limiter.try_acquire(self.api.seller_id, CREATE_FEED)
        self._token_held = wait == 0.0
        return wait

    def create_feed_document(self, content_type: str) -> tuple[str, str]:
        return self.api.create_feed_document(content_type)

    def upload_feed_document(self, url: str, data: bytes, content_type: str) -> None:
        self.api.upload_feed_document(url, data, content_type)

    def create_feed(self, feed_type: str, document_id: str, marketplace_ids: list[str]) -> str:
        prepaid, self._token_held = self._token_held, False
        return self.api.create_feed(feed_type, document_id, marketplace_ids, prepaid=prepaid)

    def get_feed(self, feed_id: str) -> FeedStatus:
        return _status(self.api.get_feed(feed_id))

    def get_feeds(
        self, feed_types: list[str], created_since: datetime, marketplace_ids: list[str]
    ) -> list[FeedStatus]:
        return [_status(f) for f in self.api.get_feeds(feed_types, created_since, marketplace_ids)]

    def get_feed_result_document(self, document_id: str) -> bytes:
        return self.api.get_feed_result_document(document_id)
