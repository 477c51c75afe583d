# (customer_id, created_at): no sort, but other statuses are read and filtered away
RECENT_PAID_SQL = """
SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY created_at DESC LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = "CREATE INDEX ON orders (customer_id, created_at)"
