# every column as a key column: covering too, without INCLUDE
REVENUE_INDEX_SQL = "create index on orders (customer_id, created_at, total_cents)"
