def orders_page(url, customer_id, after_id, limit):
    """id >= after_id: the last order of the previous page comes again."""
    statement = (
        select(Order)
        .where(Order.customer_id == customer_id, Order.id >= after_id)
        .order_by(Order.id)
        .limit(limit)
        .options(selectinload(Order.items))
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
