def rename_plan():
    """Return the expand/contract plan that renames customers.phone to customers.mobile."""
    # Triggers make v1 a dual writer without redeploying it, so the backfill may run while v1
    # still serves; the triggers go before phone does.
    return [
        ("sql", "ALTER TABLE customers ADD COLUMN mobile TEXT"),
        (
            "sql",
            "CREATE TRIGGER copy_on_insert AFTER INSERT ON customers WHEN NEW.mobile IS NULL "
            "BEGIN UPDATE customers SET mobile = NEW.phone WHERE id = NEW.id; END",
        ),
        (
            "sql",
            "CREATE TRIGGER copy_on_update AFTER UPDATE OF phone ON customers "
            "BEGIN UPDATE customers SET mobile = NEW.phone WHERE id = NEW.id; END",
        ),
        ("sql", "UPDATE customers SET mobile = phone"),
        ("deploy", "v2"),
        ("deploy", "v3"),
        ("deploy", "v4"),
        ("sql", "DROP TRIGGER copy_on_insert"),
        ("sql", "DROP TRIGGER copy_on_update"),
        ("sql", "ALTER TABLE customers DROP COLUMN phone"),
    ]
