# fails: find_pairs_tests_complexity
# Right answers, too slow: scans every earlier amount for each amount (O(n^2)).
def find_pairs(transactions, target):
    pairs = []
    for j in range(len(transactions)):
        for i in range(j):
            if transactions[i] + transactions[j] == target:
                pairs.append((transactions[i], transactions[j]))
                break
    return pairs
