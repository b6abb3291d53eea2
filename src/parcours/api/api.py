"""The NinjaAPI instance; each app contributes its router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Parcours API", version="1", urls_namespace="api")
