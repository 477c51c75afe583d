# functools.partial binds each factor's value now; operator.mul(f, x) is f * x.
def make_scalers(factors):
    return [functools.partial(operator.mul, factor) for factor in factors]
