def orders_page(url, customer_id, after_id, limit):
    """Right rows, but order.items is lazy-loaded: one query per order (N+1)."""
    statement = (
        select(Order)
        .where(Order.customer_id == customer_id, Order.id > after_id)
        .order_by(Order.id)
        .limit(limit)
    )
    with shop_session(url) as session:
        return [
            {
                "id": order.id,
                "status": order.status,
                "total_cents": order.total_cents,
                "items": [(item.product, item.qty) for item in order.items],
            }
            for order in session.scalars(statement)
        ]
