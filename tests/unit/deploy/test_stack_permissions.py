"""template.yaml as CloudFormation would get it (SAM's own translator, offline), checked against
what the code really calls: each function's IAM role, queue timeouts, the bucket's encryption
and lifecycle, the ingest failure destination.

`sam validate --lint` and `sam build` catch none of these: a missing permission only shows
as AccessDenied in a deployed Lambda.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

from spconnector.aws import blobs
from spconnector.aws.blobs import RawMailStore
from spconnector.aws.mail import OutgoingMail, SesMailer

TEMPLATE = Path(__file__).resolve().parents[3] / "template.yaml"
REGION, ACCOUNT, STAGE = "us-east-1", "123456789012", "prod"
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT}
BUCKET = f"spconnector-data-{ACCOUNT}-{REGION}-{STAGE}"


def _translate() -> dict[str, Any]:
    sam = yaml_parse(TEMPLATE.read_text())
    # The translator wants S3 code locations; `sam build` puts them there.
    sam["Globals"]["Function"]["CodeUri"] = "s3://code/functions.zip"
    sam["Resources"]["SpconnectorLayer"]["Properties"]["ContentUri"] = "s3://code/layer.zip"
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=REGION))
    managed = {
        "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole",
        "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    }
    cfn: dict[str, Any] = translator.translate(
        sam, parameter_values={"Stage": STAGE}, get_managed_policy_map=lambda: managed
    )
    return cfn


SAM = yaml_parse(TEMPLATE.read_text())
CFN = _translate()
RESOURCES: dict[str, Any] = CFN["Resources"]


# ---------------------------------------------------------------- a small IAM evaluator
def resolve(value: Any) -> Any:
    """Intrinsics → concrete strings, physical names being the logical ids."""
    if isinstance(value, list):
        return [resolve(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        return _ref(value["Ref"])
    if "Fn::GetAtt" in value:
        name, attribute = value["Fn::GetAtt"]
        return _get_att(name, attribute)
    if "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        text, variables = (sub, {}) if isinstance(sub, str) else (sub[0], sub[1])

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in variables:
                return str(resolve(variables[name]))
            if "." in name:
                return str(_get_att(*name.split(".", 1)))
            return str(_ref(name))

        return re.sub(r"\$\{([^}!]+)\}", one, text)
    return {k: resolve(v) for k, v in value.items()}


def _ref(name: str) -> str:
    if name in PSEUDO:
        return PSEUDO[name]
    if name == "Stage":
        return STAGE
    kind = RESOURCES.get(name, {}).get("Type")
    if kind == "AWS::SQS::Queue":
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
    if kind == "AWS::SNS::Topic":
        return f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
    if kind == "AWS::S3::Bucket":
        return BUCKET
    return name


def _get_att(name: str, attribute: str) -> str:
    kind = RESOURCES[name]["Type"]
    if kind == "AWS::SQS::Queue":
        return {"Arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "QueueName": name}[attribute]
    if kind == "AWS::SNS::Topic":
        return {"TopicName": name, "TopicArn": _ref(name)}[attribute]
    if kind == "AWS::S3::Bucket" and attribute == "Arn":
        return f"arn:aws:s3:::{BUCKET}"
    if kind == "AWS::DynamoDB::Table" and attribute == "Arn":
        return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    return f"{name}.{attribute}"


def statements(function: str) -> list[dict[str, Any]]:
    role_name = RESOURCES[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = RESOURCES[role_name]["Properties"]
    found = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    return [resolve(s) for s in found]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    actions = _as_list(statement["Action"])
    if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions):
        return False
    return any(_arn_matches(resource, str(r)) for r in _as_list(statement["Resource"]))


def _arn_matches(resource: str, pattern: str) -> bool:
    # IAM's wildcards: * any run of characters, ? exactly one (no [...] classes)
    return fnmatch.fnmatchcase(resource, pattern.replace("[", "[[]"))


def allowed(function: str, action: str, resource: str) -> bool:
    """Whether the function's role grants `action` on `resource`: an Allow statement matches
    and no Deny does (IAM wildcards; conditions are not evaluated)."""
    found = statements(function)
    if any(s.get("Effect") == "Deny" and _matches(s, action, resource) for s in found):
        return False
    return any(s.get("Effect") == "Allow" and _matches(s, action, resource) for s in found)


TABLE_ARN = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/Table"


def table_access(function: str) -> tuple[set[str], list[str]]:
    """The DynamoDB actions a function may call on the table and the dynamodb:LeadingKeys
    patterns that bound them (["*"] when nothing bounds them)."""
    actions: set[str] = set()
    patterns: list[str] = []
    for statement in statements(function):
        if statement.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(TABLE_ARN, str(r)) for r in _as_list(statement["Resource"])):
            continue
        found = [a for a in _as_list(statement["Action"]) if a.lower().startswith("dynamodb:")]
        actions.update(found)
        leading = (
            statement.get("Condition", {})
            .get("ForAllValues:StringLike", {})
            .get("dynamodb:LeadingKeys")
        )
        patterns.extend(_as_list(leading) if leading else ["*"])
    return actions, patterns


def queue_arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


ESCALATIONS = f"arn:aws:sns:{REGION}:{ACCOUNT}:EscalationsTopic"
IDENTITY = f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/service@example.com"
FOREIGN_IDENTITY = f"arn:aws:ses:eu-west-1:{ACCOUNT}:identity/service@example.com"


def test_the_evaluator_says_no_as_well_as_yes() -> None:
    assert allowed("ActFunction", "sns:Publish", ESCALATIONS)
    assert not allowed("SchedulerFunction", "sns:Publish", ESCALATIONS)
    assert not allowed("ActFunction", "sns:Publish", ESCALATIONS.replace("Escalations", "Alarm"))


# ---------------------------------------------------------------- what the code calls
def _mail_iam_action() -> str:
    """The IAM action behind what aws/mail.py really calls (service signing name:operation)."""
    client = boto3.client("sesv2", region_name=REGION)
    called: list[str] = []
    client.meta.events.register(
        "before-parameter-build.sesv2.*", lambda model, **_: called.append(model.name)
    )
    mail = OutgoingMail(
        sender="service@example.com", to="x@marketplace.amazon.com", subject="s", text="t"
    )
    with Stubber(client) as stub:
        stub.add_response("send_email", {"MessageId": "m"})
        SesMailer(client=client).send(mail)
    (operation,) = called
    return f"{client.meta.service_model.signing_name}:{operation}"


@pytest.mark.parametrize("function", ["ActFunction", "TenantWorkerFunction"])
def test_replies_may_go_out_only_as_the_accounts_ses_identities(function: str) -> None:
    # Act replies; the TenantWorker sends feedback follow-ups (jobs/follow_up → act.send_reply)
    action = _mail_iam_action()
    assert action == "ses:SendEmail"
    assert allowed(function, action, IDENTITY)
    assert not allowed(function, action, FOREIGN_IDENTITY)
    assert not allowed(function, action, "*")
    assert not allowed(function, "ses:SendRawEmail", IDENTITY)  # nothing calls SES v1


def _written_objects() -> dict[str, dict[str, Any]]:
    """Every kind of object RawMailStore writes, with its tags and encryption (moto S3)."""
    at = datetime(2026, 11, 17, 9, 12, tzinfo=UTC)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        store = RawMailStore(BUCKET, client=s3)
        keys = [
            store.put_mail("acme", b"raw", message_id="<m1@x>", received_at=at),
            store.put_attachment(
                "acme",
                message_id="<m1@x>",
                index=0,
                data=b"png",
                content_type="image/png",
                received_at=at,
            ),
            store.quarantine("acme", b"bad", reason="r", source="s", received_at=at),
            # mail no tenant claims (jobs/ingest.ingest_s3_object)
            store.quarantine("unassigned", b"bad", reason="r", source="s", received_at=at),
        ]
        return {
            key: {
                "tags": {
                    t["Key"]: t["Value"]
                    for t in s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
                },
                "sse": s3.head_object(Bucket=BUCKET, Key=key)["ServerSideEncryption"],
            }
            for key in keys
        }


WRITTEN = _written_objects()


@pytest.mark.parametrize(
    ("function", "kinds"),
    [
        ("IngestEmailFunction", ("/mail/", "/quarantine/")),
        ("PollMailboxFunction", ("/mail/", "/quarantine/")),
        ("TenantWorkerFunction", ("/quarantine/",)),  # returns reports it cannot parse
    ],
)
def test_functions_that_store_mail_may_put_and_tag_it(function: str, kinds: tuple[str]) -> None:
    # put_object with Tagging needs s3:PutObjectTagging besides s3:PutObject
    for key in (k for k in WRITTEN if any(kind in k for kind in kinds)):
        arn = f"arn:aws:s3:::{BUCKET}/{key}"
        assert allowed(function, "s3:PutObject", arn), key
        assert allowed(function, "s3:PutObjectTagging", arn), key
    assert not allowed(function, "s3:PutObjectTagging", f"arn:aws:s3:::other-bucket/{key}")


def test_every_stored_object_expires_within_30_days_by_a_lifecycle_rule() -> None:
    rules = SAM["Resources"]["DataBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    for key, seen in WRITTEN.items():
        matching = [
            r
            for r in rules
            if r["Status"] == "Enabled"
            and key.startswith(r.get("Prefix", ""))
            and all(seen["tags"].get(f["Key"]) == f["Value"] for f in r.get("TagFilters", []))
        ]
        assert matching, f"no lifecycle rule expires {key} (tags {seen['tags']})"
        assert min(r["ExpirationInDays"] for r in matching) <= 30


def test_no_lifecycle_rule_for_a_prefix_nothing_writes() -> None:
    rules = SAM["Resources"]["DataBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    written_prefixes = {"inbound/", "reports/"} | {k.split("/", 1)[0] + "/" for k in WRITTEN}
    assert {r["Prefix"] for r in rules} <= written_prefixes


def test_bucket_default_encryption_is_what_the_code_asks_for() -> None:
    (rule,) = SAM["Resources"]["DataBucket"]["Properties"]["BucketEncryption"][
        "ServerSideEncryptionConfiguration"
    ]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": blobs.SSE}
    assert "BucketKeyEnabled" not in rule  # a bucket key only means something with SSE-KMS
    assert {seen["sse"] for seen in WRITTEN.values()} == {"AES256"}
    report = (TEMPLATE.parent / "src/spconnector/aws/wiring.py").read_text()  # S3ReportPages
    assert 'ServerSideEncryption="AES256"' in report  # the only other writer


def test_ingest_email_table_access_is_bounded_by_key_prefix() -> None:
    actions, patterns = table_access("IngestEmailFunction")
    assert "*" not in patterns and patterns
    assert not {"dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:BatchWriteItem"} & actions
    for refund_key in (
        "acme#refund#113-0000000-0000001",
        "acme#refundbatch#X",
        "acme#idempotency#act",
        "idempotency#act",
    ):
        assert not any(fnmatch.fnmatchcase(refund_key, p) for p in patterns), refund_key
    # every Allow on the table carries the condition: none grants the table unbounded
    for statement in statements("IngestEmailFunction"):
        resources = [str(r) for r in _as_list(statement["Resource"])]
        if any(fnmatch.fnmatchcase(TABLE_ARN, r) for r in resources):
            assert "dynamodb:LeadingKeys" in str(statement.get("Condition")), statement


def test_escalating_functions_may_publish_to_the_escalations_topic() -> None:
    # process_case._ask_for_approval, act, sla_watch and follow_up publish escalations;
    # poll_mailbox tells a person when the tenant's mailbox cannot be used
    for function in (
        "ProcessCaseFunction",
        "ActFunction",
        "TenantWorkerFunction",
        "PollMailboxFunction",
    ):
        assert allowed(function, "sns:Publish", ESCALATIONS), function


@pytest.mark.parametrize(
    ("function", "queue"),
    [
        ("IngestEmailFunction", "CaseEventsQueue"),
        ("NotificationsFunction", "CaseEventsQueue"),  # ORDER_CHANGE on an open case
        ("NotificationsFunction", "TenantWorkQueue"),
        ("ProcessCaseFunction", "ActionsQueue"),
        ("SchedulerFunction", "TenantWorkQueue"),
        ("SchedulerFunction", "MailboxPollQueue"),
        ("PollMailboxFunction", "CaseEventsQueue"),
        ("TenantWorkerFunction", "CaseEventsQueue"),
        ("IngestEmailFunction", "IngestFailuresQueue"),  # the on-failure destination
    ],
)
def test_senders_may_send_to_their_queues(function: str, queue: str) -> None:
    assert allowed(function, "sqs:SendMessage", queue_arn(queue))


def _secret(name: str) -> str:
    return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"


def test_imap_secrets_named_as_documented_are_readable_only_by_the_poll() -> None:
    read = "secretsmanager:GetSecretValue"
    imap = _secret("spconnector/acme/imap")
    assert allowed("PollMailboxFunction", read, imap)
    assert not allowed("PollMailboxFunction", read, _secret("acme-imap"))
    # the poll reads mailboxes and the buyer-history key, never SP-API or SMTP credentials
    assert allowed("PollMailboxFunction", read, "BuyerHistoryKey")
    for other in ("spconnector/acme/sp-api", "spconnector/acme/smtp", "spconnector/acme/imapx"):
        assert not allowed("PollMailboxFunction", read, _secret(other)), other
    # TenantWorker keeps the tenant's other secrets, but no longer its mailbox
    assert not allowed("TenantWorkerFunction", read, imap)
    assert allowed("TenantWorkerFunction", read, _secret("spconnector/acme/sp-api"))
    assert allowed("TenantWorkerFunction", read, _secret("spconnector/acme/smtp"))
    docs = (TEMPLATE.parent / "docs" / "deploy.md").read_text()
    assert "spconnector/<tenant>/imap" in docs


def test_act_may_read_a_tenants_smtp_secret_named_as_documented() -> None:
    def secret(name: str) -> str:
        return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"

    assert allowed("ActFunction", "secretsmanager:GetSecretValue", secret("spconnector/acme/smtp"))
    assert not allowed("ActFunction", "secretsmanager:GetSecretValue", secret("acme-smtp"))
    assert "spconnector/<tenant>/smtp" in (TEMPLATE.parent / "docs" / "deploy.md").read_text()


# ---------------------------------------------------------------- queues, topics, limits
def _timeouts() -> dict[str, int]:
    default = SAM["Globals"]["Function"]["Timeout"]
    return {
        name: r["Properties"].get("Timeout", default)
        for name, r in SAM["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }


def test_queue_visibility_outlasts_the_function_that_reads_it() -> None:
    timeouts = _timeouts()
    checked = 0
    for name, resource in SAM["Resources"].items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event["Type"] != "SQS":
                continue
            queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]
            props = SAM["Resources"][queue]["Properties"]
            visibility, timeout = props["VisibilityTimeout"], timeouts[name]
            assert visibility >= timeout, (queue, name)
            if not props.get("FifoQueue"):
                # AWS: 6 × the timeout, so throttled retries do not count as receives
                assert visibility >= 6 * timeout, (queue, visibility, timeout)
            checked += 1
    assert checked == 5
    assert SAM["Resources"]["CaseEventsQueue"]["Properties"]["VisibilityTimeout"] == 1800
    assert SAM["Resources"]["ActionsQueue"]["Properties"]["VisibilityTimeout"] == 1800


def test_alarm_topic_is_one_cloudwatch_can_publish_to() -> None:
    # CloudWatch cannot use the AWS-managed SNS key (alias/aws/sns)
    assert "KmsMasterKeyId" not in SAM["Resources"]["AlarmTopic"].get("Properties", {})
    assert SAM["Resources"]["EscalationsTopic"]["Properties"]["KmsMasterKeyId"]


def test_tenant_worker_reserves_concurrency_only_when_asked() -> None:
    parameter = SAM["Parameters"]["TenantWorkerConcurrency"]
    assert parameter["Default"] == 0 and parameter["MinValue"] == 0
    reserved = SAM["Resources"]["TenantWorkerFunction"]["Properties"][
        "ReservedConcurrentExecutions"
    ]
    condition, when_set, otherwise = reserved["Fn::If"]
    assert when_set == {"Ref": "TenantWorkerConcurrency"}
    assert otherwise == {"Ref": "AWS::NoValue"}
    assert SAM["Conditions"][condition] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "TenantWorkerConcurrency"}, "0"]}]
    }
    # and SAM passes it through to the function unchanged
    assert (
        RESOURCES["TenantWorkerFunction"]["Properties"]["ReservedConcurrentExecutions"] == reserved
    )


def test_failed_ingest_events_go_to_a_kept_encrypted_queue() -> None:
    (config,) = [
        r["Properties"]
        for r in RESOURCES.values()
        if r["Type"] == "AWS::Lambda::EventInvokeConfig"
        and r["Properties"]["FunctionName"] == {"Ref": "IngestEmailFunction"}
    ]
    assert config["MaximumRetryAttempts"] == 2
    destination = resolve(config["DestinationConfig"]["OnFailure"]["Destination"])
    assert destination == queue_arn("IngestFailuresQueue")
    queue = SAM["Resources"]["IngestFailuresQueue"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert SAM["Outputs"]["IngestFailuresQueueName"]["Value"] == {
        "Fn::GetAtt": ["IngestFailuresQueue", "QueueName"]
    }
