def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # One rename, then the new code: v1 breaks until v4 is out.
    return [
        ("sql", "ALTER TABLE customers RENAME COLUMN phone TO mobile"),
        ("deploy", "v4"),
    ]
