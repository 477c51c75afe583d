# Returns a lazy map object instead of a list.
def make_scalers(factors):
    return map(lambda factor: lambda x: x * factor, factors)
