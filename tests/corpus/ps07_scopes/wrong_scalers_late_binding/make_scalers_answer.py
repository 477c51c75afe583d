# The bug the exercise is about: every lambda reads the comprehension's one `factor`, late.
def make_scalers(factors):
    return [lambda x: x * factor for factor in factors]  # noqa: B023
