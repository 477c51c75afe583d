def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # Backfills while v1, which writes only phone, still serves.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v2"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
