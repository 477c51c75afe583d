def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # The data move runs in Python through the migration's own connection, with a small
    # table description of its own rather than the app's models.
    return '''\
"""prices in integer cents, moved in Python"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0002_price_cents"
down_revision = "0001_products"
branch_labels = None
depends_on = None

products = sa.table(
    "products",
    sa.column("id", sa.Integer),
    sa.column("price", sa.Float),
    sa.column("price_cents", sa.Integer),
)


def upgrade():
    op.add_column("products", sa.Column("price_cents", sa.Integer, nullable=True))
    bind = op.get_bind()
    for id_, price in bind.execute(sa.select(products.c.id, products.c.price)).all():
        cents = int((Decimal(repr(price)) * 100).to_integral_value())
        bind.execute(products.update().where(products.c.id == id_).values(price_cents=cents))
    with op.batch_alter_table("products", recreate="always") as batch:
        batch.drop_column("price")
        batch.alter_column("price_cents", existing_type=sa.Integer, nullable=False)


def downgrade():
    op.add_column("products", sa.Column("price", sa.Float, nullable=True))
    bind = op.get_bind()
    for id_, cents in bind.execute(sa.select(products.c.id, products.c.price_cents)).all():
        bind.execute(products.update().where(products.c.id == id_).values(price=cents / 100))
    with op.batch_alter_table("products", recreate="always") as batch:
        batch.drop_column("price_cents")
        batch.alter_column("price", existing_type=sa.Float, nullable=False)
'''
