# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases, find_pairs_tests_random, find_pairs_tests_complexity
# Right pairs as lists instead of tuples.
def find_pairs(transactions, target):
    seen = set()
    pairs = []
    for num in transactions:
        if target - num in seen:
            pairs.append([target - num, num])
        seen.add(num)
    return pairs
