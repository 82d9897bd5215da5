"""The AWS side of `Services`: builds each DynamoDB/S3/Secrets Manager adapter from the
settings, so jobs/ never touches a boto3 client (a test asserts it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from spconnector.aws.clients import client, resource

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from spconnector.aws.secrets import SecretsManagerCredentials
    from spconnector.jobs.ports import (
        ApprovalRecords,
        BuyerHistoryStore,
        GrowthStore,
        ImpactStore,
        Outbox,
        PendingReports,
        SpendCounters,
    )
    from spconnector.refunds.ports import RefundLedger
    from spconnector.sp.limiter import DynamoDbLimiter
    from spconnector.understanding.converse import SpendLedger


def secret_text(secret_id: str) -> str:
    """The SecretString of a Secrets Manager secret."""
    return str(client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])


# Errors a retry cannot cure: the secret is gone, we may not read it, or KMS will not decrypt it.
_UNREADABLE = frozenset(
    {
        "ResourceNotFoundException",
        "AccessDeniedException",
        "DecryptionFailure",
        "InvalidRequestException",  # e.g. scheduled for deletion
    }
)


class SecretsManagerSecrets:
    """The `Secrets` port on Secrets Manager: a missing, forbidden or undecryptable secret (or a
    binary one) is `SecretUnreadable`; throttling and service errors propagate as they are, so
    the caller's retry (SQS redelivery) covers them."""

    def text(self, secret_id: str) -> str:
        from botocore.exceptions import ClientError

        from spconnector.secret_errors import SecretUnreadable

        try:
            value = client("secretsmanager").get_secret_value(SecretId=secret_id)
        except ClientError as e:
            code = str(e.response.get("Error", {}).get("Code", ""))
            if code in _UNREADABLE:
                raise SecretUnreadable(f"secret {secret_id} cannot be read ({code})") from None
            raise
        if "SecretString" not in value:
            raise SecretUnreadable(f"secret {secret_id} holds no text")
        return str(value["SecretString"])


class S3ReportPages:
    """The `ReportPages` port on S3 (encrypted at rest)."""

    def __init__(self, bucket: str) -> None:
        self._bucket = bucket

    def put(self, key: str, body: bytes, content_type: str) -> str:
        client("s3").put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption="AES256",
        )
        return f"s3://{self._bucket}/{key}"


def outbox(table: str) -> Outbox:
    from spconnector.aws.outbox import DynamoOutbox

    return DynamoOutbox(client("dynamodb"), table)


def spend(table: str) -> SpendCounters:
    from spconnector.aws.spend import DynamoSpendCounters

    return DynamoSpendCounters(client("dynamodb"), table)


def buyer_history(table: str, secret: bytes | None) -> BuyerHistoryStore:
    from spconnector.aws.buyer_history import DynamoBuyerHistory

    return DynamoBuyerHistory(client("dynamodb"), table, secret)


def approvals(table: str) -> ApprovalRecords:
    from spconnector.aws.approvals import DynamoApprovalRecords

    return DynamoApprovalRecords(client("dynamodb"), table)


def pending_reports(table: str) -> PendingReports:
    from spconnector.aws.reports import DynamoPendingReports

    return DynamoPendingReports(client("dynamodb"), table)


def impact(table: str, clock: Callable[[], datetime]) -> ImpactStore:
    from spconnector.aws.impact import DynamoImpactStore

    return DynamoImpactStore(
        client("dynamodb"),
        table,
        table_resource=lambda: resource("dynamodb").Table(table),
        clock=clock,
    )


def bedrock_spend(table: str) -> SpendLedger:
    from spconnector.aws.bedrock_spend import DynamoBedrockSpend

    return DynamoBedrockSpend(client("dynamodb"), table)


def growth(table: str) -> GrowthStore:
    from spconnector.aws.growth import DynamoGrowthStore

    return DynamoGrowthStore(client("dynamodb"), table)


def refund_ledger(table: str) -> RefundLedger:
    from spconnector.aws.refund_ledger import DynamoRefundLedger

    return DynamoRefundLedger(client("dynamodb"), table=table)


def idempotency_persistence(table: str, static_pk: str) -> DynamoDBPersistenceLayer:
    """Powertools' DynamoDB idempotency layer on the single table."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(
        table_name=table,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value=static_pk,
        expiry_attr="expires_at",
        boto3_client=client("dynamodb"),
    )


def sp_credentials() -> SecretsManagerCredentials:
    """Tenants' LWA credentials from their Secrets Manager secrets (cached by the store)."""
    from spconnector.aws.secrets import SecretsManagerCredentials

    return SecretsManagerCredentials(client("secretsmanager"))


def shared_sp_limiter(table: str) -> DynamoDbLimiter:
    """The SP-API rate limiter every concurrent Lambda shares, one bucket per (seller, op)."""
    from spconnector.sp.limiter import DynamoDbLimiter

    return DynamoDbLimiter(client("dynamodb"), table)
