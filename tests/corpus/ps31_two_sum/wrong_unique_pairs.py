# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases, find_pairs_tests_complexity
# Drops repeated pairs, as if duplicates did not count by position; searching the list of pairs
# also makes it quadratic in the number of pairs.
def find_pairs(transactions, target):
    seen = set()
    pairs = []
    for num in transactions:
        pair = (target - num, num)
        if target - num in seen and pair not in pairs:
            pairs.append(pair)
        seen.add(num)
    return pairs
