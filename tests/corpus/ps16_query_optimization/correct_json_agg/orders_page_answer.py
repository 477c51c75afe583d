from sqlalchemy import text


def orders_page(url, customer_id, after_id, limit):
    """One statement through the session: items aggregated per order by PostgreSQL."""
    query = text(
        """
        SELECT o.id, o.status, o.total_cents,
               coalesce(json_agg(json_build_array(i.product, i.qty) ORDER BY i.id)
                        FILTER (WHERE i.id IS NOT NULL), '[]')
        FROM (SELECT id, status, total_cents FROM orders
              WHERE customer_id = :customer AND id > :after ORDER BY id LIMIT :limit) AS o
        LEFT JOIN order_items AS i ON i.order_id = o.id
        GROUP BY o.id, o.status, o.total_cents
        ORDER BY o.id
        """
    )
    with shop_session(url) as session:
        rows = session.execute(query, {"customer": customer_id, "after": after_id, "limit": limit})
        return [
            {"id": oid, "status": status, "total_cents": total, "items": [tuple(i) for i in items]}
            for oid, status, total, items in rows
        ]
