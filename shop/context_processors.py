"""Template context shared by every page."""


def cart(request):
    """``cart_summary``: the header's cart count and total (filled in by the shop issue)."""
    return {"cart_summary": None}
