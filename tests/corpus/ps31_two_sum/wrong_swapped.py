# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases, find_pairs_tests_random, find_pairs_tests_complexity
# Puts the current amount first: (num, complement) instead of (complement, num).
def find_pairs(transactions, target):
    seen = set()
    pairs = []
    for num in transactions:
        if target - num in seen:
            pairs.append((num, target - num))
        seen.add(num)
    return pairs
