def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # The backfill in two statements, by id range.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone WHERE id <= 1000"),
        ("sql", "UPDATE customers SET mobile = phone WHERE id > 1000"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
