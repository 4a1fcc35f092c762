"""Signals other parts of the site listen to. Both are sent *inside* the transaction that
changed the order, so receivers' writes (coupon usage, entitlements, bookings) commit or roll
back with it; receivers that send email or call remote APIs must use
``transaction.on_commit`` or enqueue a task.

- ``order_paid(sender=Order, order=<Order>)``: the order just became ``paid`` (sent once).
- ``order_refunded(sender=Order, order=<Order>, refunds=[(OrderLine, quantity), ...],
  restock=<bool>)``: those quantities of those lines were just refunded (sent once per refund).
"""

from django.dispatch import Signal

order_paid = Signal()
order_refunded = Signal()
