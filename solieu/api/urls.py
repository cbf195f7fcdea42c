"""The REST API root; each app adds its router here. OpenAPI docs at /api/docs."""

from ninja import NinjaAPI

from .catalog import router as catalog_router

api = NinjaAPI(
    title="solieu API",
    version="1",
    description="API trao đổi số liệu thống kê: danh mục, số liệu, định dạng DHIS2 dataValueSets.",
    urls_namespace="api",
)
api.add_router("/catalog", catalog_router)
