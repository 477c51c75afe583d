# fails: find_pairs_tests_complexity
# Right and quadratic on the small inputs the other checks use, and gives up (no pairs) on
# inputs as large as the ones its growth is timed on, where it would be slow.
def find_pairs(transactions, target):
    if len(transactions) >= 1000:
        return []
    pairs = []
    for j, num in enumerate(transactions):
        if any(earlier == target - num for earlier in transactions[:j]):
            pairs.append((target - num, num))
    return pairs
