from django.urls import path

app_name = "shop"
from shop.views import account as account_views  # noqa: E402
from shop.views import cart as cart_views  # noqa: E402
from shop.views import catalogue as catalogue_views  # noqa: E402
from shop.views import checkout as checkout_views  # noqa: E402
from shop.views import coupon as coupon_views  # noqa: E402
from shop.views import downloads as download_views  # noqa: E402
from shop.views import payment as payment_views  # noqa: E402
from shop.views import webhook as webhook_views  # noqa: E402

urlpatterns = [
    # catalogue, cart and checkout (SHOP-A)
    path("cart/", cart_views.cart_detail, name="cart"),
    path("cart/add/", cart_views.cart_add, name="cart_add"),
    path("cart/lines/<str:line_id>/", cart_views.cart_line_update, name="cart_line_update"),
    path("cart/lines/<str:line_id>/remove/", cart_views.cart_line_remove, name="cart_line_remove"),
    path("cart/summary/", cart_views.cart_summary_json, name="cart_summary"),
    path("visitor/", cart_views.visitor, name="visitor"),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/placed/<str:token>/", checkout_views.order_placed, name="order_placed"),
    path("sku/<str:sku>/", catalogue_views.product_by_sku, name="product_by_sku"),
    # payments, orders and accounts (SHOP-B)
    path("checkout/<str:token>/pay/", payment_views.payment, name="payment"),
    path("orders/<str:token>/", payment_views.order_detail, name="order_detail"),
    path("stripe/webhook/", webhook_views.stripe_webhook, name="stripe_webhook"),
    path("account/orders/", account_views.account_orders, name="account_orders"),
    path("account/orders/<str:reference>/", account_views.account_order_detail, name="account_order_detail"),
    # offers and digital downloads (OFFERS)
    path("cart/coupon/", coupon_views.cart_coupon, name="cart_coupon"),
    path("downloads/", download_views.downloads, name="downloads"),
    path("downloads/<int:entitlement_id>/<int:asset_id>/", download_views.download, name="download"),
    path("downloads/link/<str:token>/<int:asset_id>/", download_views.download_signed, name="download_signed"),
]
