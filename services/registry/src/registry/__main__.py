"""`python -m registry`: serve the registry."""

from plaza_kit.serve import serve
from registry.settings import RegistrySettings

serve("registry.app:create_app", "registry", RegistrySettings())
