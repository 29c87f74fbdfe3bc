"""Gets the test issuer ready: its signing key, the service registered as its client, and
the accounts people sign in with."""

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oidc_provider.models import Client, ResponseType


class Command(BaseCommand):
    help = "Make the issuer's RSA key, register the client, and add the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--password", required=True, help="every account's password")
        parser.add_argument(
            "--account",
            nargs=2,
            action="append",
            default=[],
            metavar=("USERNAME", "EMAIL"),
            help="an account; an empty EMAIL gives an account without an email address",
        )

    def handle(self, *, client_id, client_secret, redirect_uri, password, account, **options):
        call_command("creatersakey", stdout=self.stdout)
        client = Client.objects.create(
            name="Permanence panel",
            client_type="confidential",
            client_id=client_id,
            client_secret=client_secret,
            jwt_alg="RS256",
            require_consent=True,
            reuse_consent=False,
        )
        client.redirect_uris = [redirect_uri]
        client.save()
        client.response_types.add(ResponseType.objects.get(value="code"))
        for username, email in account:
            User.objects.create_user(username, email=email, password=password)
