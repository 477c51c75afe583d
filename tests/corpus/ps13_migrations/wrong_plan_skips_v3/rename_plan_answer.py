def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # From v2 straight to v4: v2 reads phone, which v4 no longer writes.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v4"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
