# A lambda factory, applied with map and a loop that appends.
def make_scalers(factors):
    make_one = lambda factor: lambda x: x * factor  # noqa: E731
    result = []
    for scale in map(make_one, factors):
        result.append(scale)
    return result
