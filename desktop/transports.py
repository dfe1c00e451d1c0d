"""Which transports the settings describe: shared by `latido outbox send` and the outbox panel."""

from __future__ import annotations

from drafting.delivery.base import Transport
from drafting.delivery.smtp import SmtpTransport
from drafting.delivery.webhook import WebhookTransport
from drafting.secrets import SecretStore
from storage import config


class TransportSetupError(Exception):
    """The settings describe a transport that cannot be built; the message says what to set."""


class NothingConfigured(TransportSetupError):
    """No transport is configured at all."""


def configured_transports(secrets: SecretStore | None = None) -> list[Transport]:
    """Every transport the settings describe: SMTP for email, the webhook for comments.

    Manual posts are never among them: a person posts those and marks them (see drafting.delivery.manual).
    Reads the settings file and the keyring, so call it off the GUI thread.
    """
    transports: list[Transport] = []
    try:
        if config.get("smtp.host"):
            transports.append(SmtpTransport.from_config())
        if config.get("webhook.url"):
            secret = (secrets or SecretStore()).get("webhook.secret")
            if not secret:
                raise TransportSetupError(
                    "webhook.url is set but its secret is not; run `latido secret set webhook.secret`"
                )
            transports.append(WebhookTransport(config.get("webhook.url"), secret))
    except ValueError as exc:
        raise TransportSetupError(str(exc)) from exc
    if not transports:
        raise NothingConfigured(
            "nothing to send with; run `latido config set smtp.host HOST` (and smtp.from) or set webhook.url"
        )
    return transports
