"""Course seats and 1:1 lessons registered as shop purchasables (see shop/purchasable.py)."""
