# Deletes the entry instead of storing the new one (invalidation, not write-through): the next
# read is a miss, and the contract's entry is never there.
def write_product(r, db, product_id, value, ttl):
    version = db.write(product_id, value)
    r.delete(f"product:{product_id}")
    return version
