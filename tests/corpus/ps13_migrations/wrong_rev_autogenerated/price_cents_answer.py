def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # What autogenerate writes: add one column, drop the other, no data moved.
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
        batch.add_column(sa.Column("price_cents", sa.Integer, nullable=False, server_default="0"))
        batch.drop_column("price")


def downgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("price", sa.Float, nullable=False, server_default="0"))
        batch.drop_column("price_cents")
'''
