def orders_page(url, customer_id, after_id, limit):
    """joinedload: one query, the limited orders in a subquery joined to their items."""
    statement = (
        select(Order)
        .options(joinedload(Order.items))
        .filter(Order.customer_id == customer_id)
        .filter(Order.id > after_id)
        .order_by(Order.id.asc())
        .limit(limit)
    )
    with shop_session(url) as session:
        orders = session.execute(statement).unique().scalars().all()
        page = []
        for order in orders:
            items = [(item.product, item.qty) for item in order.items]
            page.append(
                {
                    "id": order.id,
                    "status": order.status,
                    "total_cents": order.total_cents,
                    "items": items,
                }
            )
        return page
