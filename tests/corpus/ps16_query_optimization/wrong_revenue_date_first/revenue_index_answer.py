# covering, but the range column first: the scan walks every customer's orders in the range
REVENUE_INDEX_SQL = "CREATE INDEX ON orders (created_at, customer_id) INCLUDE (total_cents)"
