"""Sign-in in two steps, and the pages where a user turns the authenticator on and off.

A user with an active authenticator is not signed in after the password: the session only
holds the half-signed-in user id (twofactor.PENDING_KEY) until a code is accepted.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from . import totp, twofactor
from .twofactor import Result


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete(request, user, backend, next_url, second_factor=None):
    request.solieu_second_factor = second_factor  # read by the sign-in audit receiver
    login(request, user, backend=backend)
    if second_factor:
        request.session[twofactor.VERIFIED_KEY] = True
    return redirect(next_url)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    next_url = _next_url(request)
    if form.is_valid():
        user = form.get_user()
        if twofactor.active_device(user) is None:
            return _complete(request, user, user.backend, next_url)
        twofactor.begin(request, user, next_url)
        return redirect("totp-verify")
    return render(request, "registration/login.html", {"form": form,
                                                        "next": request.POST.get("next") or request.GET.get("next", "")})


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    """The second step: a code from the authenticator, or one recovery code."""
    state = twofactor.pending(request)
    if state is None:
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        messages.info(request, "Phiên đăng nhập đã hết hạn, đề nghị nhập lại mật khẩu.")
        return redirect("login")
    user, backend, next_url = state
    device = twofactor.active_device(user)
    if device is None:  # reset by an administrator meanwhile
        twofactor.forget_pending(request)
        return redirect("login")
    error = None
    if request.method == "POST":
        result = twofactor.check(request, device, request.POST.get("code", ""))
        if result in (Result.OK, Result.RECOVERY):
            twofactor.forget_pending(request)
            if result is Result.RECOVERY:
                messages.warning(request, "Anh/chị vừa dùng một mã khôi phục; mỗi mã chỉ dùng được một lần.")
            return _complete(request, user, backend, next_url,
                             second_factor="recovery" if result is Result.RECOVERY else "totp")
        if result is Result.LOCKED:
            twofactor.forget_pending(request)
            return render(request, "accounts/totp_locked.html", {"minutes": twofactor.lockout_minutes()},
                          status=429)
        error = ("Mã này đã được dùng. Đề nghị chờ mã mới trên ứng dụng xác thực." if result is Result.REPLAYED
                 else "Mã không đúng. Đề nghị nhập 6 chữ số đang hiện trên ứng dụng xác thực, hoặc một mã khôi phục.")
    return render(request, "accounts/totp_verify.html", {"error": error, "username": user.get_username()})


@login_required
@never_cache
def security(request):
    device = getattr(request.user, "totp_device", None)
    active = device is not None and device.active
    return render(request, "accounts/security.html", {
        "active": active,
        "required": twofactor.needs_totp(request.user),
        "enforced": settings.SOLIEU_REQUIRE_TOTP,
        "codes_left": device.recovery_codes.filter(used_at__isnull=True).count() if active else 0,
    })


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    """Show the secret (grouped, as a URI and a QR code); activate it once the user types a code."""
    if twofactor.active_device(request.user):
        messages.info(request, "Xác thực hai bước đang được dùng.")
        return redirect("account-security")
    device = twofactor.start_enrolment(request.user)
    error = None
    if request.method == "POST":
        codes = twofactor.confirm(request, device, request.POST.get("code", ""))
        if codes is not None:
            request.session[twofactor.VERIFIED_KEY] = True
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        error = "Mã không đúng. Đề nghị kiểm tra giờ trên điện thoại và nhập mã 6 chữ số đang hiện."
    uri = totp.provisioning_uri(device.secret, request.user.get_username())
    return render(request, "accounts/totp_enrol.html", {
        "secret": totp.grouped(device.secret), "uri": uri, "qr": _qr_data_uri(uri), "error": error,
        "enforced": settings.SOLIEU_REQUIRE_TOTP and twofactor.needs_totp(request.user),
    })


def _qr_data_uri(text):
    """An SVG QR code as a data: URI (the policy allows data: images, not inline styles)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def totp_disable(request):
    """Turning the second step off needs the password or a current code: a session left open
    on a shared computer must not be enough. Both are throttled (axes, the device's counter)."""
    device = twofactor.active_device(request.user)
    if device is None:
        return redirect("account-security")
    if settings.SOLIEU_REQUIRE_TOTP and twofactor.needs_totp(request.user):
        messages.error(request, "Vai trò của anh/chị bắt buộc dùng xác thực hai bước; không tắt được.")
        return redirect("account-security")
    error = None
    if request.method == "POST":
        password, code = request.POST.get("password", ""), request.POST.get("code", "")
        if password and authenticate(request, username=request.user.get_username(), password=password):
            proof = "password"
        elif code and twofactor.check(request, device, code) in (Result.OK, Result.RECOVERY):
            proof = "code"
        else:
            proof = None
            error = "Mật khẩu hoặc mã xác thực không đúng."
        if proof:
            twofactor.disable(request, device, proof=proof)
            request.session.pop(twofactor.VERIFIED_KEY, None)
            messages.success(request, "Đã tắt xác thực hai bước.")
            return redirect("account-security")
    return render(request, "accounts/totp_disable.html", {"error": error})
