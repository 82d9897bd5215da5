"""The console as a Powertools `APIGatewayHttpResolver`: the same app in Lambda (behind the
HTTP API's JWT authorizer) and on a laptop (`spconnector console`, see `local_server`).

Every route resolves the person first (JWT claims in AWS, the signed session cookie
locally), then checks the tenant again in `queries`/`actions`: the authorizer is not the only
gate. POSTs need the session's CSRF token. Pages are Jinja2 in a sandboxed, autoescaping
environment; scripts and styles come from the package (`static/`), never a CDN.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from spconnector.console import actions, queries
from spconnector.console.backtest import backtest as run_backtest
from spconnector.console.cognito import PendingSignIn, SignInRefused
from spconnector.console.identity import NoConsoleAccess, Staff, staff_from_claims
from spconnector.console.sessions import COOKIE, SIGN_IN_COOKIE, Session
from spconnector.console.web import (
    SECURITY_HEADERS,
    STATIC,
    ConsoleConfig,
    CsrfRejected,
    NotLoggedIn,
    cookie_from,
    render_page,
    sign_in_attempt_cookie,
    signed_cookie,
    static_file,
    templates,
)
from spconnector.jobs.services import Services
from spconnector.observability import get_logger

log = get_logger(__name__)
Page = Response[str]
SIGN_IN_TTL = timedelta(minutes=10)  # time to get through the hosted UI (and MFA)


def build_app(services: Callable[[], Services], config: ConsoleConfig) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()

    # -- plumbing --------------------------------------------------------------------
    def cookie_value(name: str) -> str | None:
        return cookie_from(app.current_event, name)

    def current() -> Session:
        claims = app.current_event.request_context.authorizer.jwt_claim
        if claims:
            # AWS: the JWT authorizer verified the token; the groups say what it may see.
            staff = staff_from_claims(claims)
            sid = f"{claims.get('sub', '')}:{claims.get('iat', '')}"
            expires = datetime.fromtimestamp(int(claims.get("exp", 0)), services().now().tzinfo)
            return Session(staff=staff, session_id=sid, expires_at=expires)
        session = config.signer.read(cookie_value(COOKIE))
        if session is None:
            raise NotLoggedIn()
        return session

    def form() -> dict[str, str]:
        body = app.current_event.decoded_body or ""
        parsed = parse_qs(body, keep_blank_values=True, max_num_fields=50)
        return {k: v[0] for k, v in parsed.items()}

    def posted(session: Session) -> dict[str, str]:
        fields = form()
        token = fields.get("csrf") or (app.current_event.headers or {}).get("x-csrf-token")
        if not config.signer.csrf_ok(session.session_id, token):
            raise CsrfRejected()
        return fields

    def query() -> dict[str, str]:
        return dict(app.current_event.query_string_parameters or {})

    def page(name: str, session: Session | None, status: int = 200, **values: Any) -> Page:
        return render_page(config, name, session, services().now(), status, **values)

    def redirect(to: str, cookies: list[Cookie] | None = None) -> Page:
        return Response(303, None, "", {"Location": to, **SECURITY_HEADERS}, cookies=cookies)

    def htmx() -> bool:
        return (app.current_event.headers or {}).get("hx-request") == "true"

    def done(case_id: str, message: str) -> Page:
        return redirect(f"/case?id={quote(case_id, safe='')}&done={quote(message)}")

    # -- errors: one reason, never a traceback -----------------------------------------
    @app.exception_handler(NotLoggedIn)
    def _login_first(_exc: Exception) -> Page:
        if app.current_event.request_context.http.method == "GET":
            return redirect("/login")
        return page("error.html.j2", None, 401, reason="log in first")

    @app.exception_handler(SignInRefused)
    def _sign_in_refused(exc: Exception) -> Page:
        return page("error.html.j2", None, 401, reason=f"sign-in refused: {exc}")

    @app.exception_handler(NoConsoleAccess)
    def _no_access(exc: Exception) -> Page:
        return page("error.html.j2", None, 403, reason=str(exc))

    @app.exception_handler(CsrfRejected)
    def _csrf(_exc: Exception) -> Page:
        return page(
            "error.html.j2",
            None,
            403,
            reason="the form's security token is missing or stale: reload the page",
        )

    @app.exception_handler(queries.NotVisible)
    def _not_found(_exc: Exception) -> Page:
        return page("error.html.j2", None, 404, reason="no such page")

    @app.exception_handler(actions.ActionRefused)
    def _refused(exc: Exception) -> Page:
        return page("error.html.j2", None, 403, reason=str(exc))

    @app.exception_handler(actions.ActionInvalid)
    def _invalid(exc: Exception) -> Page:
        return page("error.html.j2", None, 400, reason=str(exc))

    @app.not_found
    def _unknown(_exc: Exception) -> Page:
        return page("error.html.j2", None, 404, reason="no such page")

    @app.exception_handler(Exception)
    def _failed(exc: Exception) -> Page:
        # the type only: a message may quote buyer text or an address
        log.error("console request failed", extra={"reason": type(exc).__name__})
        return page(
            "error.html.j2", None, 500, reason="something went wrong; nothing was lost, try again"
        )

    # -- static files, from the package ------------------------------------------------
    @app.get("/static/<name>")
    def static(name: str) -> Page:
        if name not in STATIC:
            raise queries.NotVisible(name)
        return static_file(name)

    # -- login -------------------------------------------------------------------------
    def session_cookie(token: str, expires_at: datetime) -> Cookie:
        return signed_cookie(config, token, int((expires_at - services().now()).total_seconds()))

    def sign_in_cookie(value: str, max_age: int) -> Cookie:
        return sign_in_attempt_cookie(config, value, max_age)

    @app.get("/login")
    def login_form() -> Page:
        if config.cognito is not None:
            url, pending = config.cognito.begin()
            sealed = config.signer.seal("sign-in", pending.to_dict(), SIGN_IN_TTL)
            return redirect(url, [sign_in_cookie(sealed, int(SIGN_IN_TTL.total_seconds()))])
        return page("login.html.j2", None, local=config.directory is not None, error="")

    @app.get("/auth/callback")
    def auth_callback() -> Page:
        if config.cognito is None:
            raise queries.NotVisible("no Cognito here")
        q = query()
        if q.get("error"):
            # Cognito's own refusal (e.g. access_denied): its code only, the text is not ours
            raise SignInRefused(f"Cognito answered {q['error'][:40]!r}")
        sealed = config.signer.unseal("sign-in", cookie_value(SIGN_IN_COOKIE))
        pending = PendingSignIn.from_dict(sealed) if sealed else None
        claims = config.cognito.finish(pending, code=q.get("code"), state=q.get("state"))
        staff = staff_from_claims(claims)
        token, session = config.signer.issue(
            staff, not_after=datetime.fromtimestamp(int(claims["exp"]), UTC)
        )
        log.info("console sign-in", extra={"role": staff.role.value})
        cookies = [session_cookie(token, session.expires_at), sign_in_cookie("", 0)]
        # a page, not a redirect: the Strict session cookie is not sent on a redirect chain
        # that began on Cognito's site, so the browser moves on from here (same site)
        html = templates().get_template("signed_in.html.j2").render(staff=None, csrf="")
        return Response(200, "text/html; charset=utf-8", html, dict(SECURITY_HEADERS), cookies)

    @app.post("/login")
    def login() -> Page:
        if config.directory is None:
            return page("error.html.j2", None, 404, reason="log in through Cognito")
        fields = form()
        staff = config.directory.login(fields.get("user", ""), fields.get("password", ""))
        if staff is None:
            return page("login.html.j2", None, 401, local=True, error="wrong name or password")
        token, session = config.signer.issue(staff)
        return redirect("/", [session_cookie(token, session.expires_at)])

    @app.post("/logout")
    def logout() -> Page:
        posted(current())
        gone = Cookie(
            COOKIE,
            "",
            path="/",
            secure=config.secure_cookies,
            http_only=True,
            same_site=SameSite.STRICT_MODE,
            max_age=0,
        )
        # with Cognito, its hosted UI forgets the person too (else /login signs them straight in)
        to = config.cognito.logout_url() if config.cognito else config.logout_url
        return redirect(to, [gone])

    # -- pages -------------------------------------------------------------------------
    @app.get("/")
    def overview() -> Page:
        session = current()
        return page("overview.html.j2", session, rows=queries.overview(services(), session.staff))

    @app.get("/inbox")
    def inbox() -> Page:
        session = current()
        svc = services()
        found = queries.inbox(
            svc, config.audit, session.staff, queries.InboxFilters.from_query(query())
        )
        name = "inbox_rows.html.j2" if htmx() else "inbox.html.j2"
        return page(
            name,
            session,
            inbox=found,
            now=svc.now(),
            priorities=queries.PRIORITIES,
            statuses=[s.value for s in queries.INBOX_STATUSES],
            intents=_intents(),
        )

    @app.get("/case")
    def case() -> Page:
        session = current()
        case_id = query().get("id", "")
        found = queries.case_page(services(), config.audit, session.staff, case_id)
        return page(
            "case.html.j2", session, page=found, now=services().now(), done=query().get("done", "")
        )

    # The case buttons share one shape: a signed-in agent, a CSRF-checked form naming the
    # case, one action (which checks the agent's role and writes the audit log), and a redirect
    # back to the case with what happened.
    def case_action(
        path: str, act: Callable[[Services, Session, str, dict[str, str]], str]
    ) -> None:
        @app.post(path)
        def route() -> Page:
            session = current()
            fields = posted(session)
            case_id = fields.get("case_id", "")
            return done(case_id, act(services(), session, case_id, fields))

    def approve(svc: Services, session: Session, case_id: str, fields: dict[str, str]) -> str:
        text = fields.get("reply", "") if fields.get("edited") == "yes" else None
        outcome = actions.approve(svc, config.audit, session.staff, case_id, reply_text=text)
        reply = outcome.get("reply", {}).get("status", "no reply")
        return f"approved: {outcome.get('status')} (reply {reply})"

    def deny(svc: Services, session: Session, case_id: str, fields: dict[str, str]) -> str:
        actions.deny(svc, config.audit, session.staff, case_id, reason=fields.get("reason", ""))
        return "denied: the case is closed, nothing was sent"

    def reassign(svc: Services, session: Session, case_id: str, fields: dict[str, str]) -> str:
        actions.reassign(svc, config.audit, session.staff, case_id, to=fields.get("to", ""))
        return f"assigned to {fields.get('to', '')}"

    def note(svc: Services, session: Session, case_id: str, fields: dict[str, str]) -> str:
        actions.note(svc, config.audit, session.staff, case_id, text=fields.get("text", ""))
        return "note added"

    def no_response(svc: Services, session: Session, case_id: str, fields: dict[str, str]) -> str:
        reason = fields.get("reason", "")
        actions.no_response_needed(svc, config.audit, session.staff, case_id, reason=reason)
        return "closed without a reply: mark it in Seller Central too"

    case_action("/case/approve", approve)
    case_action("/case/deny", deny)
    case_action("/case/reassign", reassign)
    case_action("/case/note", note)
    case_action("/case/no-response", no_response)

    def read_notices(svc: Services, session: Session, case_id: str, _f: dict[str, str]) -> str:
        actions.notices_read(svc, config.audit, session.staff, case_id)
        return "notices marked read: the policy decides this order's refunds again"

    case_action("/case/notices-read", read_notices)

    @app.post("/case/lint")
    def lint() -> Page:
        session = current()
        fields = posted(session)
        findings = actions.lint_reply(
            services(), session.staff, fields.get("case_id", ""), fields.get("reply", "")
        )
        return page("lint.html.j2", session, findings=findings)

    @app.post("/case/review")
    def review() -> Page:
        session = current()
        fields = posted(session)
        case_id = fields.get("case_id", "")
        actions.review(
            services(),
            config.audit,
            session.staff,
            case_id,
            verdict=fields.get("verdict", ""),
            text=fields.get("note", ""),
        )
        tenant = queries.tenant_of_case(session.staff, case_id)
        return redirect(f"/review?tenant={quote(tenant)}")

    @app.get("/review")
    def review_queue() -> Page:
        session = current()
        svc = services()
        tenants = queries.visible_tenants(svc, session.staff)
        tenant = query().get("tenant") or (tenants[0] if tenants else "")
        items = queries.review_queue(svc, config.audit, session.staff, tenant) if tenant else []
        return page("review.html.j2", session, tenant=tenant, tenants=tenants, items=items)

    @app.get("/policies")
    def policies() -> Page:
        session = current()
        svc = services()
        tenants = queries.visible_tenants(svc, session.staff)
        q = query()
        tenant = q.get("tenant") or (tenants[0] if tenants else "")
        if not tenant:
            raise queries.NotVisible("no tenant")
        found = queries.policy_page(
            svc,
            config.audit,
            session.staff,
            tenant,
            diff_from=_int(q.get("from")),
            diff_to=_int(q.get("to")),
        )
        return page("policies.html.j2", session, policy=found, tenants=tenants)

    @app.get("/policies/backtest")
    def policy_backtest() -> Page:
        session = current()
        svc = services()
        q = query()
        tenant = q.get("tenant", "")
        label, text = run_backtest(svc, session.staff, tenant, _int(q.get("seq")))
        return page("backtest.html.j2", session, tenant=tenant, label=label, text=text)

    @app.get("/api/inbox")
    def inbox_json() -> Page:
        session = current()
        found = queries.inbox(
            services(), config.audit, session.staff, queries.InboxFilters.from_query(query())
        )
        body = [
            {
                "case_id": r.case.case_id,
                "tenant": r.case.tenant,
                "status": r.case.status.value,
                "priority": r.case.priority.value,
                "respond_by": r.case.respond_by.isoformat(),
                "seconds_left": r.seconds_left,
                "assignee": r.assignee,
            }
            for r in found.rows
        ]
        return Response(
            200,
            "application/json",
            json.dumps({"total": found.total, "cases": body}),
            dict(SECURITY_HEADERS),
        )

    return app


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _intents() -> list[str]:
    from spconnector.domain import Intent

    return [i.value for i in Intent]


def staff_label(staff: Staff) -> str:
    return f"{staff.user} ({staff.role.value})"
