"""The single DynamoDB table: key schema and item conventions shared by every adapter.

Keys are strings: pk = "<tenant>#<entity>#<id>" (always tenant-prefixed so one tenant's
records can never be addressed through another's), sk = the entity's sort key.
Items holding buyer PII carry `expires_at` (epoch seconds) — the table's TTL attribute.
The same definition is in template.yaml; tests/unit/test_template.py keeps them in step.
"""

from __future__ import annotations

import os
from typing import Any

TABLE_ENV = "SPCONNECTOR_TABLE"
DEFAULT_TABLE = "spconnector"
PK = "pk"
SK = "sk"
TTL_ATTRIBUTE = "expires_at"
GSI1 = "gsi1"  # gsi1pk / gsi1sk: secondary access paths (e.g. cases needing approval)


def table_name() -> str:
    return os.environ.get(TABLE_ENV, DEFAULT_TABLE)


def create_table(client: Any, name: str | None = None) -> str:
    """Create the table as template.yaml defines it (for moto, the demo and local runs)."""
    name = name or table_name()
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": PK, "AttributeType": "S"},
            {"AttributeName": SK, "AttributeType": "S"},
            {"AttributeName": "gsi1pk", "AttributeType": "S"},
            {"AttributeName": "gsi1sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": PK, "KeyType": "HASH"},
            {"AttributeName": SK, "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": GSI1,
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return name
