RECENT_PAID_SQL = (
    "SELECT o.id, o.created_at, o.total_cents FROM orders AS o "
    "WHERE o.status = 'paid' AND o.customer_id = %(customer_id)s "
    "ORDER BY o.created_at DESC LIMIT %(limit)s"
)
RECENT_PAID_INDEX_SQL = (
    "CREATE INDEX paid_by_customer ON orders (customer_id, created_at DESC) WHERE status = 'paid'"
)
