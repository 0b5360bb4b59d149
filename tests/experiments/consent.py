"""A shop's consent function, as SORA_PRODUCTS["EXPERIMENTS"]["CONSENT"] names one."""


def from_cookie(request) -> bool:
    return request.COOKIES.get("consent") == "yes"
