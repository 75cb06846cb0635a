"""`python -m gateway`: serve the gateway (the kit's `serve`, trusting `X-Forwarded-*` from loopback)."""

from gateway.settings import GatewaySettings
from plaza_kit.serve import serve

serve("gateway.app:create_app", "gateway", GatewaySettings(), proxy_headers=True)
