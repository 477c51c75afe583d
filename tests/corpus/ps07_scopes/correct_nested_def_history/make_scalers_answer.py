# A nested def per factor, made inside a helper called once per factor, with a generator.
def make_scalers(factors):
    def build(factor):
        def scaler(x):
            """Multiply x by this scaler's own factor."""
            return x * factor

        scaler.__name__ = f"times_{factor}"
        return scaler

    return list(build(factor) for factor in factors)
