def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # Truncates: 0.29 * 100 is 28.999999999999996, which CAST makes 28.
    return '''\
"""prices in integer cents"""
import sqlalchemy as sa
from alembic import op

revision = "0002_price_cents"
down_revision = "0001_products"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("products", sa.Column("price_cents", sa.Integer))
    op.execute("UPDATE products SET price_cents = CAST(price * 100 AS INTEGER)")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price_cents", existing_type=sa.Integer, nullable=False)
        batch.drop_column("price")


def downgrade():
    op.add_column("products", sa.Column("price", sa.Float))
    op.execute("UPDATE products SET price = price_cents / 100.0")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price", existing_type=sa.Float, nullable=False)
        batch.drop_column("price_cents")
'''
