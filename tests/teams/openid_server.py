"""A local OpenID metadata and key server, standing in for the Bot Framework's, and tokens as
the Bot Connector signs them: RS256 with a key the server publishes."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
KEY_ID = "test-signing-key"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class OpenIdServer:
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    base: str = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/.well-known/openid-configuration", self._metadata)
        app.router.add_get("/keys", self._keys)
        return app

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/.well-known/openid-configuration"

    async def _metadata(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        public = self.key.public_key().public_numbers()
        return web.json_response({"keys": [{"kty": "RSA", "use": "sig", "kid": KEY_ID, "n": _b64(public.n),
                                            "e": _b64(public.e), "endorsements": ["msteams"]}]})


def token(key: rsa.RSAPrivateKey, *, audience: str, service_url: str, expires_in: float = 3600,
          issuer: str = ISSUER, key_id: str = KEY_ID) -> str:
    now = time.time()
    claims: dict[str, Any] = {"iss": issuer, "aud": audience, "serviceurl": service_url,
                              "nbf": int(now - 60), "iat": int(now - 60), "exp": int(now + expires_in)}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": key_id})
