"""The REST API root; each app adds its router here. OpenAPI docs at /api/docs.

Every route needs authentication (an API key or a signed-in session, see auth.py) except the
docs page and /api/openapi.json.
"""

from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from solieu.ops import middleware as db_unavailable

from .auth import API_AUTH, NOT_AUTHENTICATED
from .catalog import router as catalog_router
from .data import router as data_router
from .data import too_big_message
from .dhis2 import router as dhis2_router
from .tokens import router as tokens_router

api = NinjaAPI(
    title="solieu API",
    version="1",
    description=(
        "API trao đổi số liệu thống kê: danh mục, số liệu, định dạng DHIS2 dataValueSets.\n\n"
        "Xác thực: khóa API của đơn vị trong tiêu đề `Authorization: Bearer <khóa>` (khóa chỉ đọc, ghi số liệu "
        "của đơn vị mình), hoặc phiên đăng nhập web (kèm tiêu đề X-CSRFToken với POST)."
    ),
    urls_namespace="api",
    auth=API_AUTH,
)
api.add_router("/catalog", catalog_router, auth=API_AUTH)
api.add_router("/data", data_router, auth=API_AUTH)
api.add_router("", dhis2_router, auth=API_AUTH)
api.add_router("", tokens_router, auth=API_AUTH)
db_unavailable.register(api)  # 503 with a Vietnamese message when the database refuses


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = exc.message if exc.message != "Unauthorized" else NOT_AUTHENTICATED
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="solieu"'
    return response


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return api.create_response(request, {"detail": too_big_message()}, status=413)
