# ORDER BY created_at without DESC: the oldest first
RECENT_PAID_SQL = """
SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY created_at LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = "CREATE INDEX ON orders (customer_id, status, created_at)"
