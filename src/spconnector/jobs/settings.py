"""Names and endpoints a deployment is configured with, read from the environment that
template.yaml (or env.json, for local runs) sets. Its own module so that adapter wiring
(jobs.sp_wiring) can read it without importing the Services that use the wiring."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class Settings:
    """Names and endpoints, from the environment the template (or env.json) sets."""

    table: str = "spconnector"
    bucket: str = "spconnector-data"
    case_events_queue: str = ""
    actions_queue: str = ""
    work_queue: str = ""
    mailbox_poll_queue: str = ""  # the IMAP poll's own FIFO queue (PollMailbox reads it)
    escalation_topic: str = ""
    sp_api_endpoint: str = ""  # only for the simulator; empty means Amazon's regional endpoint
    lwa_token_url: str = ""
    buyer_key_secret: str = ""  # Secrets Manager secret keying buyer-history records

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table=env.get("SPCONNECTOR_TABLE", cls.table),
            bucket=env.get("SPCONNECTOR_BUCKET", cls.bucket),
            case_events_queue=env.get("SPCONNECTOR_CASE_EVENTS_QUEUE", ""),
            actions_queue=env.get("SPCONNECTOR_ACTIONS_QUEUE", ""),
            work_queue=env.get("SPCONNECTOR_TENANT_WORK_QUEUE", ""),
            mailbox_poll_queue=env.get("SPCONNECTOR_MAILBOX_POLL_QUEUE", ""),
            escalation_topic=env.get("SPCONNECTOR_ESCALATION_TOPIC", ""),
            sp_api_endpoint=env.get("SPCONNECTOR_SP_API_ENDPOINT", ""),
            lwa_token_url=env.get("SPCONNECTOR_LWA_TOKEN_URL", ""),
            buyer_key_secret=env.get("SPCONNECTOR_BUYER_KEY_SECRET", ""),
        )
