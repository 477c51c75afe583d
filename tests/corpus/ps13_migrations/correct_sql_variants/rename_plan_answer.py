def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # The backfill only touches rows that need it; an index on the new column is built
    # before anything reads it.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone WHERE mobile IS NULL AND phone IS NOT NULL"),
        ("sql", "CREATE INDEX customers_mobile ON customers (mobile)"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
