def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # Every schema change in batch mode; ROUND's float is stored as an integer by the
    # column's INTEGER affinity.
    return '''\
"""prices in integer cents"""
import sqlalchemy as sa
from alembic import op

revision = "0002_price_cents"
down_revision = "0001_products"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("price_cents", sa.BigInteger))
    op.execute("UPDATE products SET price_cents = ROUND(price * 100)")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price_cents", existing_type=sa.BigInteger, nullable=False)
    with op.batch_alter_table("products") as batch:
        batch.drop_column("price")


def downgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("price", sa.Float))
    op.execute("UPDATE products SET price = CAST(price_cents AS REAL) / 100")
    with op.batch_alter_table("products") as batch:
        batch.alter_column("price", existing_type=sa.Float, nullable=False)
        batch.drop_column("price_cents")
'''
