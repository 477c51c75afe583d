def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # Plain alter_column on SQLite, which has no ALTER COLUMN.
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
    op.execute("UPDATE products SET price_cents = CAST(ROUND(price * 100) AS INTEGER)")
    op.alter_column("products", "price_cents", existing_type=sa.Integer, nullable=False)
    op.drop_column("products", "price")


def downgrade():
    op.add_column("products", sa.Column("price", sa.Float))
    op.execute("UPDATE products SET price = price_cents / 100.0")
    op.alter_column("products", "price", existing_type=sa.Float, nullable=False)
    op.drop_column("products", "price_cents")
'''
