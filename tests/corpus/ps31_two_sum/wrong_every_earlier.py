# fails: find_pairs_tests_examples, find_pairs_tests_edge_cases
# One pair for every earlier occurrence of the complement, not one per position.
def find_pairs(transactions, target):
    counts = {}
    pairs = []
    for num in transactions:
        pairs.extend([(target - num, num)] * counts.get(target - num, 0))
        counts[num] = counts.get(num, 0) + 1
    return pairs
