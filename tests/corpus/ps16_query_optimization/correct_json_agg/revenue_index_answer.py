REVENUE_INDEX_SQL = "CREATE INDEX revenue ON public.orders USING btree (customer_id, created_at) INCLUDE (total_cents, status)"
