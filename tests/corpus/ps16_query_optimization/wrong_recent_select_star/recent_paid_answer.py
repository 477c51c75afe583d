# SELECT *: every column, not the three asked for
RECENT_PAID_SQL = """
SELECT * FROM orders
WHERE customer_id = %(customer_id)s AND status = 'paid'
ORDER BY created_at DESC LIMIT %(limit)s
"""
RECENT_PAID_INDEX_SQL = "CREATE INDEX ON orders (customer_id, status, created_at)"
