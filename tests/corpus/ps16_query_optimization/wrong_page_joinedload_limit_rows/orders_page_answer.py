def orders_page(url, customer_id, after_id, limit):
    """A hand-written join limited to `limit` rows: it limits item rows, not orders."""
    from sqlalchemy import text

    query = text(
        "SELECT o.id, o.status, o.total_cents, i.product, i.qty FROM orders o "
        "JOIN order_items i ON i.order_id = o.id "
        "WHERE o.customer_id = :c AND o.id > :a ORDER BY o.id, i.id LIMIT :n"
    )
    page = {}
    with shop_session(url) as session:
        for oid, status, total, product, qty in session.execute(
            query, {"c": customer_id, "a": after_id, "n": limit}
        ):
            order = page.setdefault(
                oid, {"id": oid, "status": status, "total_cents": total, "items": []}
            )
            order["items"].append((product, qty))
    return list(page.values())
