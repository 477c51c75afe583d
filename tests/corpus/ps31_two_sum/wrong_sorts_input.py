# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases, find_pairs_tests_random
# Sorts the caller's list in place first (two pointers): changes the input and the order.
def find_pairs(transactions, target):
    transactions.sort()
    seen = set()
    pairs = []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs
