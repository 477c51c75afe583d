# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases, find_pairs_tests_random, find_pairs_tests_complexity
# Yields the pairs lazily instead of returning a list.
def find_pairs(transactions, target):
    seen = set()
    for num in transactions:
        if target - num in seen:
            yield (target - num, num)
        seen.add(num)
