# two statements: only one index may be created
REVENUE_INDEX_SQL = (
    "CREATE INDEX ON orders (customer_id, created_at) INCLUDE (total_cents); "
    "CREATE INDEX ON order_items (order_id)"
)
