import psycopg


def orders_page(url, customer_id, after_id, limit):
    """Plain SQL, no ORM: the orders, then all their items in one query with ANY."""
    with psycopg.connect(url) as connection:
        orders = connection.execute(
            "SELECT id, status, total_cents FROM orders WHERE customer_id = %s AND id > %s "
            "ORDER BY id LIMIT %s",
            (customer_id, after_id, limit),
        ).fetchall()
        if not orders:
            return []
        items = {order_id: [] for order_id, _, _ in orders}
        for order_id, product, qty in connection.execute(
            "SELECT order_id, product, qty FROM order_items WHERE order_id = ANY(%s) ORDER BY id",
            ([order_id for order_id, _, _ in orders],),
        ):
            items[order_id].append((product, qty))
    return [
        {"id": order_id, "status": status, "total_cents": total, "items": items[order_id]}
        for order_id, status, total in orders
    ]
