def orders_page(url, customer_id, after_id, limit):
    """Loads the customer's orders with their items, then pages in Python; items lazy."""
    with shop_session(url) as session:
        orders = session.scalars(
            select(Order).where(Order.customer_id == customer_id).order_by(Order.id)
        ).all()
        page = [order for order in orders if order.id > after_id][:limit]
        return [
            {
                "id": order.id,
                "status": order.status,
                "total_cents": order.total_cents,
                "items": [(item.product, item.qty) for item in order.items],
            }
            for order in page
        ]
