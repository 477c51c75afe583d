# The default-argument fix: right values, but a second argument silently replaces the factor.
def make_scalers(factors):
    return [lambda x, factor=factor: x * factor for factor in factors]
