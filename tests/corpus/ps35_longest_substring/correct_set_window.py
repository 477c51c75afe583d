# A correct answer written differently: a set of the window's characters, shrunk from the left
# one character at a time (amortized O(n)).
def lengthOfLongestSubstring(s):
    window = set()
    left = longest = 0
    for right in range(len(s)):
        while s[right] in window:
            window.discard(s[left])
            left += 1
        window.add(s[right])
        if right - left + 1 > longest:
            longest = right - left + 1
    return longest
