def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # Stops before the contract: phone stays.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        ("deploy", "v2"),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v3"),
        ("deploy", "v4"),
    ]
