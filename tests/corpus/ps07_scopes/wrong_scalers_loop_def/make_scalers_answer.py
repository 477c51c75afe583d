# A def inside a for loop: the same late binding, through a shared cell.
def make_scalers(factors):
    scalers = []
    for factor in factors:

        def scale(x):
            return x * factor  # noqa: B023

        scalers.append(scale)
    return scalers
