RECENT_PAID_SQL = """
SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = "CREATE INDEX ON orders (status, customer_id, created_at DESC, id DESC)"
