def price_cents_revision():
    """Return the source text of the Alembic revision 0002_price_cents (see the contract)."""
    # The table rebuilt by hand in SQL, the way batch mode does it.
    return '''\
"""prices in integer cents"""
import sqlalchemy as sa
from alembic import op

revision = "0002_price_cents"
down_revision = "0001_products"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE TABLE products_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "price_cents INTEGER NOT NULL)"
    )
    op.execute(
        "INSERT INTO products_new (id, name, price_cents) "
        "SELECT id, name, CAST(ROUND(price * 100) AS INTEGER) FROM products"
    )
    op.drop_table("products")
    op.rename_table("products_new", "products")


def downgrade():
    op.execute(
        "CREATE TABLE products_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "price FLOAT NOT NULL)"
    )
    op.execute(
        "INSERT INTO products_old (id, name, price) SELECT id, name, price_cents / 100.0 "
        "FROM products"
    )
    op.drop_table("products")
    op.rename_table("products_old", "products")
'''
