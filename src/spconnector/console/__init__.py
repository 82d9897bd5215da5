"""The operator console: one web inbox for an agency's sellers.

Guarantees:
- Every request is checked in the app against the tenant it touches, whatever sits in front
  (the HTTP API's JWT authorizer in AWS, the local login on a laptop): a person sees only the
  tenants their identity names, and acts only where it says "agent" (or is an agency admin).
  A case of another tenant answers 404, as if it did not exist.
- Every action goes through the same jobs as the CLI (`jobs.approvals`, the policy store) and
  is written to the audit log with the person's identity before the page answers.
- Every form carries a CSRF token bound to the session (HMAC); a POST without it changes
  nothing. Sessions expire.
- Buyer text is data: every template autoescapes, in a sandboxed Jinja2 environment.
"""
