# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases
# Records the amount as seen before looking for its complement: target / 2 pairs with itself.
def find_pairs(transactions, target):
    seen = set()
    pairs = []
    for num in transactions:
        seen.add(num)
        if target - num in seen:
            pairs.append((target - num, num))
    return pairs
