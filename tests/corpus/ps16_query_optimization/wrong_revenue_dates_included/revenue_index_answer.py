# created_at only INCLUDEd: index-only, but the date range becomes a filter
REVENUE_INDEX_SQL = "CREATE INDEX ON orders (customer_id) INCLUDE (created_at, total_cents)"
