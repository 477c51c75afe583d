# the right key columns, but total_cents is only in the table: no index-only scan
REVENUE_INDEX_SQL = "CREATE INDEX ON orders (customer_id, created_at)"
